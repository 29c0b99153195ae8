import { type FieldError, formatDateFr } from '@carepact/common';
import type { StaffActor } from '@carepact/identity';
import { MAX_SCAN_BYTES, MAX_SCAN_PAGES, RequestView } from '@carepact/signing';
import { ErrorSummary, renderPage } from '../../views';
import { ConsolePage } from '../console-layout';

export interface PaperError {
  code: string;
  message: string;
  fields: FieldError[];
  /** What the inspection found in a refused scan (« Trouvé : objet 2 /OpenAction »). */
  found: string[];
}

export interface PaperUploadModel {
  actor: StaffActor;
  csrf: string;
  request: RequestView;
  error: PaperError | null;
  /** Signers ticked when the form comes back after a refusal. */
  checked: string[];
  /**
   * The person recorded as deceased (PaperSignaturesService.afterDeath): the form asks the day the paper
   * was signed; `reopen`, the request her death cancelled takes the paper signed before it.
   */
  afterDeath?: { deceasedOn: string; reopen: boolean } | null;
  /** The day typed, when the form comes back after a refusal. */
  signedOn?: string;
}

/**
 * The form is multipart (a file): it carries the CSRF token first, then the signers ticked, then
 * the scan, so the token is read even when the file is refused for its size.
 */
export function paperUploadPage(m: PaperUploadModel): string {
  const r = m.request;
  const pending = r.signers.filter((s) => s.status === 'pending');
  const title = 'Déposer le scan signé sur papier';
  const signersError = m.error?.fields.find((f) => f.field === 'signerIds');
  const scanError = m.error?.fields.find((f) => f.field === 'scan');
  const signedOnError = m.error?.fields.find((f) => f.field === 'signedOn');
  const died = m.afterDeath ?? null;
  return renderPage(
    <ConsolePage title={m.error ? `Erreur — ${title}` : title} actor={m.actor} csrf={m.csrf}>
      <p class="back">
        <a href={`/console/documents/${r.documentId}#signatures`}>Retour au document</a>
      </p>
      <h1>{title}</h1>
      <p>
        Quand la personne signe sur papier, numérisez le document signé et déposez-le ici. Le scan est vérifié, chaque page est tamponnée dans sa marge (document,
        version, date du dépôt), puis l’établissement le scelle avec son dossier de preuve. La demande se termine « signée sur papier ».
      </p>
      {m.error ? (
        <ErrorSummary message={m.error.fields.length ? 'Le scan n’a pas été déposé' : m.error.message} errors={m.error.fields} />
      ) : null}
      {died ? (
        <p>
          La personne est décédée le {formatDateFr(died.deceasedOn)}.{' '}
          {died.reopen
            ? 'Cette demande a été annulée à son décès : le papier signé au plus tard ce jour-là peut encore être déposé, avec toutes les signatures requises de son côté ; la demande reprend alors pour lui (C. civ. art. 1121).'
            : 'Un papier signé de son côté ne vaut que signé au plus tard ce jour-là (C. civ. art. 443).'}
        </p>
      ) : null}
      {!(r.status === 'active' || died?.reopen) || pending.length === 0 ? (
        <p>Cette demande n’attend plus de signature : il n’y a rien à déposer.</p>
      ) : (
        <form method="post" action={`/console/documents/${r.documentId}/demandes/${r.id}/papier`} encType="multipart/form-data" noValidate>
          <input type="hidden" name="_csrf" value={m.csrf} />
          <fieldset id="signerIds" aria-invalid={signersError ? 'true' : undefined} aria-describedby={signersError ? 'signerIds-erreur' : undefined}>
            <legend>Qui a signé ce papier ? (obligatoire)</legend>
            {pending.map((s) => (
              <div class="choice" key={s.id}>
                <input type="checkbox" id={`signer-${s.id}`} name="signerIds" value={s.id} checked={m.checked.includes(s.id)} />
                <label for={`signer-${s.id}`}>
                  {s.name} — {s.capacity}
                  {s.role === 'director' ? ' (demande le droit de contresigner)' : ''}
                </label>
              </div>
            ))}
          </fieldset>
          {signersError ? (
            <p class="field-error" id="signerIds-erreur">
              {signersError.message}
            </p>
          ) : null}
          {died ? (
            <div class="field">
              <label for="signedOn">
                Date à laquelle le papier a été signé<span class="required"> (obligatoire)</span>
              </label>
              <p class="hint" id="signedOn-aide">
                Au plus tard le {formatDateFr(died.deceasedOn)}, jour du décès.
              </p>
              <input
                type="date"
                id="signedOn"
                name="signedOn"
                value={m.signedOn ?? ''}
                max={died.deceasedOn}
                aria-invalid={signedOnError ? 'true' : undefined}
                aria-describedby={signedOnError ? 'signedOn-aide signedOn-erreur' : 'signedOn-aide'}
              />
              {signedOnError ? (
                <p class="field-error" id="signedOn-erreur">
                  {signedOnError.message}
                </p>
              ) : null}
            </div>
          ) : null}
          <div class="field">
            <label for="scan">
              Scan du document signé<span class="required"> (obligatoire)</span>
            </label>
            <p class="hint" id="scan-aide">
              Un fichier PDF produit par le scanner, {MAX_SCAN_BYTES / 1024 / 1024} Mo et {MAX_SCAN_PAGES} pages au plus, sans mot de passe.
            </p>
            <input
              type="file"
              id="scan"
              name="scan"
              accept="application/pdf,.pdf"
              aria-invalid={scanError ? 'true' : undefined}
              aria-describedby={scanError ? 'scan-aide scan-erreur' : 'scan-aide'}
            />
            {scanError ? (
              <p class="field-error" id="scan-erreur">
                {scanError.message}
              </p>
            ) : null}
            {m.error?.found.length ? <p class="hint">Détail : {m.error.found.join(' ; ')}</p> : null}
          </div>
          <p>
            <button type="submit">Déposer le scan signé</button>
          </p>
        </form>
      )}
    </ConsolePage>,
  );
}

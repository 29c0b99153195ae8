import { type FieldError, formatDateFr } from '@carepact/common';
import type { StaffActor } from '@carepact/identity';
import type { RequestView } from '@carepact/signing';
import { ErrorSummary, PostForm, renderPage } from '../../views';
import { ConsolePage } from '../console-layout';
import { typeTitle } from './new-document.views';

export interface CancelRequestModel {
  actor: StaffActor;
  csrf: string;
  documentType: string;
  /** What an avenant amends, for its name (documents.subtype). */
  documentSubtype: string | null;
  request: RequestView;
  /** The reason typed, when the form comes back. */
  reason: string;
  error: FieldError | null;
}

/** « Marie Durand » / « Marie Durand et Karim Benaïssa » / « A, B et C ». */
function names(list: string[]): string {
  return list.length < 2 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} et ${list[list.length - 1]}`;
}

/**
 * « Annuler la demande de signature »: a step before anything is lost. Says what the cancellation
 * does (the links sent stop working, the signatures already given no longer count — by name; the
 * signers already invited are told by e-mail, without the reason), and asks why: the reason is
 * recorded on the audit event and shown in the document's history, never sent to the signers.
 */
export function cancelRequestPage(m: CancelRequestModel): string {
  const r = m.request;
  const title = 'Annuler la demande de signature';
  const signed = r.signers.filter((s) => s.status === 'signed');
  const byEmail = r.signers.some((s) => s.status === 'pending' && s.delivery === 'email');
  const doc = `/console/documents/${r.documentId}`;
  const sentAt = r.events.find((e) => e.kind === 'created')?.at;
  return renderPage(
    <ConsolePage title={`${m.error ? 'Erreur — ' : ''}${title} — ${typeTitle(m.documentType as Parameters<typeof typeTitle>[0], m.documentSubtype)}`} actor={m.actor} csrf={m.csrf}>
      <p class="back">
        <a href={`${doc}#signatures`}>Retour au document</a>
      </p>
      <h1>{title}</h1>
      {m.error ? <ErrorSummary message="La demande n’a pas été annulée" errors={[m.error]} /> : null}
      {r.status !== 'active' || r.awaitingSeal ? (
        <p>Cette demande n’est plus en cours : il n’y a rien à annuler.</p>
      ) : (
        <>
          <p>
            {typeTitle(m.documentType as Parameters<typeof typeTitle>[0], m.documentSubtype)}
            {sentAt ? `, demande envoyée le ${formatDateFr(new Date(sentAt))}` : ''}. Si vous l’annulez :
          </p>
          <ul>
            <li>{byEmail ? 'les liens envoyés par e-mail ne fonctionneront plus ; personne ne pourra plus signer cette demande ;' : 'personne ne pourra plus signer cette demande ;'}</li>
            <li>
              {signed.length
                ? `${names(signed.map((s) => `${s.name} (${s.capacity})`))} ${signed.length > 1 ? 'ont déjà signé : leurs signatures ne compteront plus' : 'a déjà signé : sa signature ne comptera plus'} ; il faudra signer à nouveau la prochaine demande ;`
                : 'personne n’a encore signé ;'}
            </li>
            <li>
              les personnes qui ont déjà reçu la demande et ont une adresse e-mail sont prévenues par e-mail de l’annulation, sans la raison indiquée ci-dessous ; celles dont le tour
              n’était pas encore venu ne reçoivent rien ;
            </li>
            <li>le document pourra être corrigé, puis envoyé à nouveau en signature.</li>
          </ul>
          <PostForm action={`${doc}/demandes/${r.id}/annuler`} csrf={m.csrf}>
            <div class="field">
              <label for="reason">
                Raison de l’annulation<span class="required"> (obligatoire)</span>
              </label>
              <p class="hint" id="reason-aide">
                Elle est enregistrée dans le journal d’audit et affichée dans l’historique du document. Elle n’est pas envoyée aux signataires.
              </p>
              <textarea
                id="reason"
                name="reason"
                rows={3}
                value={m.reason}
                aria-invalid={m.error ? 'true' : undefined}
                aria-describedby={m.error ? 'reason-aide reason-erreur' : 'reason-aide'}
              />
              {m.error ? (
                <p class="field-error" id="reason-erreur">
                  {m.error.message}
                </p>
              ) : null}
            </div>
            <p>
              <button type="submit">Confirmer l’annulation</button> <a href={`${doc}#signatures`}>Ne pas annuler, revenir au document</a>
            </p>
          </PostForm>
        </>
      )}
    </ConsolePage>,
  );
}

import { FieldError, formatDateFr, formatDateTimeFr } from '@carepact/common';
import type { EstablishmentEntity, StaffActor } from '@carepact/identity';
import { AnnexFileView, AnnexKeyView, MAX_ANNEX_BYTES, MAX_ANNEX_PAGES, MAX_ANNEX_VERSION_LABEL } from '@carepact/signing';
import { ErrorSummary, FieldMessage, Notice, SelectField, TextField, errorFor, renderPage } from '../../views';
import { ConsolePage } from '../console-layout';

/** The section's state: the annex keys with their files, whether the person may publish, a refused upload. */
export interface AnnexSectionState {
  establishmentId: string;
  keys: AnnexKeyView[];
  canWrite: boolean;
  csrf: string;
  /** The refused upload: its message, its fields' errors, what the inspection found, the values typed. */
  error?: { message: string; fields: FieldError[]; found: string[] };
  values?: { kind?: string; versionLabel?: string; effectiveOn?: string };
}

const short = (sha: string) => `${sha.slice(0, 12)}…`;
const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} Mo` : `${Math.max(1, Math.round(bytes / 1024))} ko`);

function FileFacts(props: { f: AnnexFileView }) {
  const f = props.f;
  return (
    <>
      « {f.versionLabel} », en vigueur depuis le {formatDateFr(f.effectiveOn)} —{' '}
      <a href={f.href} download>
        Télécharger le PDF<span class="visually-hidden"> {f.versionLabel}</span>
      </a>{' '}
      ({f.pageCount} page{f.pageCount > 1 ? 's' : ''}, {size(f.byteSize)})
      <br />
      <span class="hint">
        SHA-256 <code title={f.sha256}>{short(f.sha256)}</code> — publié par {f.publishedBy.name} le {formatDateTimeFr(f.publishedAt)}
      </span>
    </>
  );
}

/**
 * « Documents remis avec le contrat » (CASF L.311-4): each annex key of the establishment with its
 * current file (version, effective day, short SHA-256, download), the other versions, and the form
 * that publishes a new version (multipart: the CSRF token first, then the fields, then the file,
 * so that the token is read even when the file is refused for its size).
 */
export function AnnexFilesSection(props: { s: AnnexSectionState }) {
  const s = props.s;
  const errors = s.error?.fields;
  const fileError = errorFor(errors, 'file');
  const inUse = s.keys.filter((k) => k.inUse);
  return (
    // No aria-labelledby: the settings form's textarea of annex keys is labelled « Documents remis avec le contrat, un par ligne ».
    <section id="documents-remis-section">
      <h2 id="documents-remis">Documents remis avec le contrat</h2>
      <p>
        Le livret d’accueil, la charte des droits et libertés et le règlement de fonctionnement sont remis avec le contrat de séjour ou le DIPC (CASF L.311-4). Chaque
        contrat de séjour ou DIPC enregistre le fichier en vigueur le jour de la remise indiquée dans le document (à défaut, le jour de sa création) ; un avenant, seulement
        s’il indique une nouvelle remise. Le dossier de preuve de la signature en donne la date de publication et l’empreinte SHA-256, et les signataires le
        téléchargent depuis le portail.
      </p>
      {s.keys.length === 0 ? (
        <p>Aucun document n’est indiqué pour cet établissement : ajoutez-les dans « Annexes remises avec le contrat », ci-dessous.</p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="documents-remis-legende" tabIndex={0}>
          <table>
            <caption id="documents-remis-legende">Fichier en vigueur de chaque document remis avec le contrat</caption>
            <thead>
              <tr>
                <th scope="col">Document</th>
                <th scope="col">Fichier en vigueur</th>
                <th scope="col">Autres versions</th>
              </tr>
            </thead>
            <tbody>
              {s.keys.map((k) => {
                const others = k.files.filter((f) => f.id !== k.current?.id);
                return (
                  <tr key={k.key}>
                    <th scope="row">
                      {k.label}
                      <br />
                      <span class="hint">
                        <code>{k.key}</code>
                        {k.inUse ? '' : ' — n’est plus remis avec le contrat'}
                      </span>
                    </th>
                    <td>{k.current ? <FileFacts f={k.current} /> : <strong>Aucun fichier déposé</strong>}</td>
                    <td>
                      {others.length ? (
                        <ul class="plain">
                          {others.map((f) => (
                            <li key={f.id}>
                              « {f.versionLabel} », {f.effectiveOn > today() ? 'à venir, en vigueur le' : 'ancienne version, en vigueur le'} {formatDateFr(f.effectiveOn)} —{' '}
                              {/* aria-label, not a visually hidden span: positioned outside the scrolling table, a span would widen the page at 320 px (WCAG 1.4.10). */}
                              <a href={f.href} download aria-label={`PDF ${f.versionLabel}`}>
                                PDF
                              </a>{' '}
                              <span class="hint">
                                publiée le {formatDateFr(new Date(f.publishedAt))}, SHA-256 <code title={f.sha256}>{short(f.sha256)}</code>
                              </span>
                            </li>
                          ))}
                        </ul>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {s.canWrite && inUse.length ? (
        <>
          <h3 id="publier-document">Publier une nouvelle version</h3>
          {s.error ? <ErrorSummary message={s.error.fields.length ? 'Le document n’a pas été déposé' : s.error.message} errors={s.error.fields} /> : null}
          <form method="post" action={`/console/admin/etablissements/${s.establishmentId}/documents-remis`} encType="multipart/form-data" noValidate aria-labelledby="publier-document">
            <input type="hidden" name="_csrf" value={s.csrf} />
            <SelectField
              name="kind"
              label="Document"
              required
              options={inUse.map((k) => [k.key, `${k.label} (${k.key})`])}
              value={s.values?.kind}
              emptyLabel={inUse.length > 1 ? 'Choisissez' : undefined}
              errors={errors}
            />
            <TextField name="versionLabel" label="Version" hint={`Comme le document la nomme, par exemple « Édition 2026 » (${MAX_ANNEX_VERSION_LABEL} caractères au plus).`} required value={s.values?.versionLabel} errors={errors} />
            <TextField
              name="effectiveOn"
              type="date"
              label="En vigueur à partir du"
              hint="Jusqu’à cette date, la version précédente reste celle remise avec les nouveaux documents. Pas avant la date d’entrée en vigueur de la dernière version publiée. Vide : aujourd’hui."
              value={s.values?.effectiveOn}
              errors={errors}
            />
            <div class="field">
              <label for="file">
                Fichier PDF<span class="required"> (obligatoire)</span>
              </label>
              <p class="hint" id="file-aide">
                {MAX_ANNEX_BYTES / 1024 / 1024} Mo et {MAX_ANNEX_PAGES} pages au plus, sans mot de passe, sans lien cliquable ni script : il est remis tel quel aux signataires.
                L’ancienne version est conservée.
              </p>
              <input
                type="file"
                id="file"
                name="file"
                accept="application/pdf,.pdf"
                aria-invalid={fileError ? 'true' : undefined}
                aria-describedby={fileError ? 'file-aide file-erreur' : 'file-aide'}
              />
              <FieldMessage id="file" error={fileError} />
              {s.error?.found.length ? <p class="hint">Détail : {s.error.found.join(' ; ')}</p> : null}
            </div>
            <p>
              <button type="submit">Publier cette version</button>
            </p>
          </form>
        </>
      ) : null}
    </section>
  );
}

function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
}

/** POST /console/admin/etablissements/:id/documents-remis refused: the section alone on its page, with the error. */
export function annexFilesPage(m: { actor: StaffActor; csrf: string; establishment: EstablishmentEntity; section: AnnexSectionState }): string {
  const title = `Documents remis avec le contrat : ${m.establishment.name}`;
  return renderPage(
    <ConsolePage title={m.section.error ? `Erreur — ${title}` : title} actor={m.actor} csrf={m.csrf} current="establishments">
      <p class="back">
        <a href={`/console/admin/etablissements/${m.establishment.id}`}>Retour aux paramètres de l’établissement</a>
      </p>
      <h1>{title}</h1>
      {m.section.error && !m.section.canWrite ? (
        <Notice kind="warning">
          <p>{m.section.error.message}</p>
        </Notice>
      ) : null}
      <AnnexFilesSection s={m.section} />
    </ConsolePage>,
  );
}

import { DomainError, FieldError, ValidationError, documentSubtypeOf, documentTitle, documentTypeLabel, formatDateFr, ofName } from '@carepact/common';
import { AvenantAlreadyExistsError, TariffAvenantPendingError, avenantAlreadyExistsSummary, documentConsolePath, tariffAvenantPendingSummary, type DocumentType } from '@carepact/documents';
import type { StaffActor } from '@carepact/identity';
import { ConsolePage } from '../console-layout';
import { Notice, PostForm, TrustedHtml, fieldId as fieldIdOf, renderPage } from '../../views';
import { pathLabel } from './document-diff';
import { meetingEditorOf, renderMeetingEditor } from './meeting-editors';
import { Data, FieldRequirement, FormSchema, renderFields } from './schema-form';

/** A type's name as a heading; `subtype`: what an avenant amends (documentTypeLabel), null for the type itself. */
export function typeTitle(type: DocumentType, subtype: unknown): string {
  const s = documentTypeLabel(type, subtype)?.short ?? type;
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface ResidentRef {
  id: string;
  name: string;
}

export const DOCUMENT_STYLESHEETS = ['/static/console-documents.css'];

function BackToResident(props: { resident: ResidentRef }) {
  return (
    <p class="back">
      <a href={`/console/residents/${props.resident.id}`}>Retour au dossier {ofName(props.resident.name)}</a>
    </p>
  );
}

/** Which documents this resident may have now, and why the others do not apply (CASF D.311). */
export function chooseTypePage(
  actor: StaffActor,
  csrf: string,
  resident: ResidentRef,
  types: { type: DocumentType; allowed: boolean; reason: string | null; subtype?: string | null; code?: string }[],
  problem?: string,
): string {
  const allowed = types.filter((t) => t.allowed);
  const refused = types.filter((t) => !t.allowed);
  return renderPage(
    <ConsolePage title={`Nouveau document pour ${resident.name}`} actor={actor} csrf={csrf} stylesheets={DOCUMENT_STYLESHEETS}>
      <BackToResident resident={resident} />
      <h1>Nouveau document pour {resident.name}</h1>
      {problem ? (
        <div class="error-summary" role="alert" tabIndex={-1} autoFocus>
          <p>{problem}</p>
        </div>
      ) : null}
      <h2>Documents possibles</h2>
      {allowed.length ? (
        <ul class="choices">
          {allowed.map((t) => (
            <li key={t.type}>
              <a href={`/console/residents/${resident.id}/documents/nouveau?type=${t.type}`}>{typeTitle(t.type, t.subtype ?? null)}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucun document ne peut être établi pour le moment.</p>
      )}
      {!allowed.length && refused.length > 1 && refused.every((t) => t.reason === refused[0].reason) ? (
        // One cause for every type (an expired measure, C. civ. 441 to 443): said once, with where to act.
        <div class="notice warning" role="note">
          <p>{refused[0].reason}</p>
          {refused[0].code === 'RESIDENT_ARCHIVED' ? null : (
            // In the intermediate archive nothing is to be done about it: no link (DocumentsService.typesFor).
            <p>
              <a href={`/console/residents/${resident.id}#mesures`}>Voir les mesures de protection du dossier</a>
            </p>
          )}
        </div>
      ) : refused.length && refused.every((t) => t.code === 'RESIDENT_DECEASED') ? (
        // After the death (C. civ. 443 al. 1; DocumentsService.typesFor as resident-deceased.ts): one cause for the others, said once.
        <div class="notice warning" role="note" id="deces">
          <p>{refused.length > 1 && refused.every((t) => t.reason === refused[0].reason) ? refused[0].reason : refused.map((t) => `${typeTitle(t.type, t.subtype ?? null)} : ${t.reason}`).join(' ')}</p>
          {allowed.length ? <p>Seul le compte rendu d’une réunion de synthèse tenue au plus tard le jour du décès peut encore être établi (la direction le signe seule).</p> : null}
        </div>
      ) : refused.length ? (
        <>
          <h2>Documents qui ne s’appliquent pas</h2>
          <ul class="not-applicable">
            {refused.map((t) => (
              <li key={t.type}>
                <strong>{typeTitle(t.type, t.subtype ?? null)}</strong> : {t.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </ConsolePage>,
  );
}

export interface DocumentFormState {
  type: DocumentType;
  resident: ResidentRef;
  schema: FormSchema;
  data: Data;
  /** Where the values come from (the previous version, the resident file, the demo's example). */
  prefilledFrom?: string;
  /** A resident of the demo establishment with the demo's own data for this document: the link that prefills the form with it (demo-example.ts). */
  demoExampleHref?: string;
  errors?: FieldError[];
  errorMessage?: string;
  /** The refusal names the resident's tariff avenant for this effective date (AVENANT_ALREADY_EXISTS): linked under the message. */
  existingAvenant?: { documentId: string; effectiveOn: string; /** An earlier one awaiting signature (TARIFF_AVENANT_PENDING), not a duplicate. */ pending?: boolean };
  focus?: string;
  /** After a successful preview: the document's HTML and the hash of the data it shows. */
  preview?: { html: string; dataHash: string };
  notice?: string;
  /** A correction of an existing document (a new version, with its reason) rather than a new one. */
  correction?: { documentId: string; nextVersion: number; reason: string };
  /** The template's rules for this person and these answers (form-requirements.ts): which fields they require, when and why. */
  requirements?: ReadonlyMap<string, FieldRequirement>;
}

/**
 * What the form says at the top of a refusal from DocumentsService: the French message; for a
 * second tariff avenant at an effective date, the message without the page's path, which the form
 * links instead (the avenant's id from the error, not read back from the message).
 */
export function refusalMessage(e: DomainError): Pick<DocumentFormState, 'errorMessage' | 'existingAvenant'> {
  if (e instanceof AvenantAlreadyExistsError)
    return { errorMessage: avenantAlreadyExistsSummary(e.effectiveOn, e.existing), existingAvenant: { documentId: e.existing.documentId, effectiveOn: e.effectiveOn } };
  if (e instanceof TariffAvenantPendingError)
    return { errorMessage: tariffAvenantPendingSummary(e.effectiveOn, e.pending), existingAvenant: { documentId: e.pending.documentId, effectiveOn: e.pending.effectiveOn, pending: true } };
  return { errorMessage: e instanceof ValidationError ? `${e.messageFr} Corrigez les champs signalés.` : e.messageFr };
}

function urlsOf(s: DocumentFormState): { action: string; pdf: string } {
  if (s.correction) return { action: `/console/documents/${s.correction.documentId}/corriger`, pdf: `/console/documents/${s.correction.documentId}/corriger/apercu.pdf` };
  const base = `/console/residents/${s.resident.id}/documents/nouveau`;
  return { action: `${base}?type=${s.type}`, pdf: `${base}/apercu.pdf?type=${s.type}` };
}

/**
 * A correction's reason (why a new version): its own form name and id, apart from the document's
 * fields — a DIPC has a `reason` of its own (why a DIPC rather than a contract), and two inputs
 * `id="reason"` on one form broke its label, its error link and what was posted (WCAG 4.1.1, 1.3.1).
 * Its errors carry this name as their field (CorrectionController).
 */
export const CORRECTION_REASON_FIELD = '_raisonVersion';
const CORRECTION_REASON_ID = 'raison-version';
const anchorOf = (field: string) => (field === CORRECTION_REASON_FIELD ? CORRECTION_REASON_ID : fieldIdOf(field));

/** The form generated from the template's schema, its preview and the « Générer » button. */
export function documentFormPage(actor: StaffActor, csrf: string, s: DocumentFormState): string {
  const { action, pdf } = urlsOf(s);
  const errors = s.errors ?? [];
  const drawn = new Set<string>();
  // The fields first (they record which paths exist), then the summary that links to them.
  const ctx = { documentType: s.type, errors, drawn, focus: s.focus, requirements: s.requirements };
  // The projet personnalisé, its avenant and the compte rendu follow the meeting (meeting-editors.tsx); the others, the schema.
  const editor = meetingEditorOf(s.type);
  const fields = editor ? renderMeetingEditor(editor, s.schema, s.data, ctx) : renderFields(s.schema, s.data, ctx);
  const subtype = documentSubtypeOf(s.type, s.data);
  const title = `${typeTitle(s.type, subtype)} : ${s.resident.name}${s.correction ? `, version ${s.correction.nextVersion}` : ''}`;
  const reasonError = s.correction ? errors.find((e) => e.field === CORRECTION_REASON_FIELD) : undefined;
  if (s.correction) drawn.add(CORRECTION_REASON_FIELD);
  // The summary in the page's order (the reason first, then the fields as drawn), whatever the order of the checks.
  const order = [...(s.correction ? [CORRECTION_REASON_FIELD] : []), ...drawn];
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  const summary = errors.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e.field) - rank(b.e.field) || a.i - b.i).map((x) => x.e);
  return renderPage(
    <ConsolePage
      title={`${errors.length || s.errorMessage ? 'Erreur — ' : s.preview ? 'Aperçu — ' : ''}${s.correction ? 'Correction' : 'Nouveau document'} : ${title}`}
      actor={actor}
      csrf={csrf}
      stylesheets={[...DOCUMENT_STYLESHEETS, '/portail/static/document-standard.css']}
    >
      {s.correction ? (
        <p class="back">
          <a href={`/console/documents/${s.correction.documentId}`}>Retour au document</a>
        </p>
      ) : (
        <BackToResident resident={s.resident} />
      )}
      <h1>
        {documentTitle(s.type, subtype, s.resident.name)}
        {s.correction ? ` : version ${s.correction.nextVersion}` : null}
      </h1>
      {errors.length || s.errorMessage ? (
        <div class="error-summary" role="alert" aria-labelledby="erreurs-titre" tabIndex={-1} id="erreurs" autoFocus>
          <h2 id="erreurs-titre">{s.errorMessage ?? 'Il y a un problème'}</h2>
          {s.existingAvenant ? (
            <p>
              <a href={documentConsolePath(s.existingAvenant.documentId)}>Ouvrir l’avenant tarifaire au {formatDateFr(s.existingAvenant.effectiveOn)}</a>
              {s.existingAvenant.pending ? ' pour le faire signer ou l’annuler.' : ' pour le consulter ou le corriger par une nouvelle version.'}
            </p>
          ) : null}
          {errors.length ? (
            <ul>
              {summary.map((e) => (
                <li key={e.field}>
                  {drawn.has(e.field) ? (
                    <a href={`#${anchorOf(e.field)}`}>
                      {labelFor(s, e.field)} : {e.message}
                    </a>
                  ) : (
                    <>
                      {labelFor(s, e.field)} : {e.message}
                    </>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {s.notice ? <Notice kind="warning">{<p>{s.notice}</p>}</Notice> : null}
      {s.preview ? (
        <section class="preview" aria-labelledby="apercu-titre" tabIndex={-1} autoFocus={!errors.length || undefined} id="apercu">
          <h2 id="apercu-titre">Aperçu avant génération</h2>
          <p>Voici le document tel qu’il sera généré. Vérifiez-le, puis générez-le ; vous pouvez encore modifier les données plus bas.</p>
          <PreviewButtons pdf={pdf} />
          <TrustedHtml html={s.preview.html} class="preview-box" />
          <PreviewButtons pdf={pdf} />
        </section>
      ) : s.prefilledFrom ? (
        <Notice>
          <p>{s.prefilledFrom}</p>
          {s.demoExampleHref ? (
            <p>
              Pour essayer le produit : <a href={s.demoExampleHref}>Préremplir avec l’exemple du jeu de démonstration</a> (des données inventées, écrites pour cette
              personne).
            </p>
          ) : null}
        </Notice>
      ) : null}
      <h2 id="formulaire">{editor ? 'Rédaction' : 'Données du document'}</h2>
      {editor ? <p>{editor.lead}</p> : null}
      <p class="hint">
        Les champs marqués « obligatoire » doivent être remplis ; ceux marqués « obligatoire si… » le deviennent selon une autre réponse. Les dates s’écrivent au
        format JJ/MM/AAAA ou avec le calendrier.
      </p>
      <PostForm action={action} csrf={csrf} id="document-form" class="document-form">
        {s.preview ? <input type="hidden" name="_apercu" value={s.preview.dataHash} /> : null}
        {s.correction ? (
          <div class="field">
            <label for={CORRECTION_REASON_ID}>
              Raison de cette nouvelle version<span class="required"> (obligatoire)</span>
            </label>
            <p class="hint" id={`${CORRECTION_REASON_ID}-aide`}>
              Par exemple « Erreur sur le numéro de chambre ». Elle figure dans l’historique du document.
            </p>
            <input
              type="text"
              id={CORRECTION_REASON_ID}
              name={CORRECTION_REASON_FIELD}
              value={s.correction.reason}
              aria-invalid={reasonError ? 'true' : undefined}
              aria-describedby={`${CORRECTION_REASON_ID}-aide${reasonError ? ` ${CORRECTION_REASON_ID}-erreur` : ''}`}
            />
            {reasonError ? (
              <p class="field-error" id={`${CORRECTION_REASON_ID}-erreur`}>
                {reasonError.message}
              </p>
            ) : null}
          </div>
        ) : null}
        {fields}
        <p class="actions">
          <button type="submit" name="_action" value="preview">
            Prévisualiser
          </button>
          {s.preview ? (
            <button type="submit" name="_action" value="generate" class="secondary">
              Générer le document
            </button>
          ) : null}
        </p>
      </PostForm>
    </ConsolePage>,
  );
}

function PreviewButtons(props: { pdf: string }) {
  return (
    <p class="actions">
      <button type="submit" form="document-form" name="_action" value="generate">
        Générer le document
      </button>
      <button type="submit" form="document-form" name="_action" value="pdf" class="secondary" formAction={props.pdf}>
        Télécharger l’aperçu PDF
      </button>
    </p>
  );
}

/** A field's name in the summary; data that are not the document's own are named by where they are kept. */
function labelFor(s: DocumentFormState, field: string): string {
  if (field.startsWith('establishment.') || field === 'establishment') return 'Réglages de l’établissement';
  if (field.startsWith('resident.') || field === 'resident') return 'Dossier du résident';
  // A correction's own reason; a DIPC's `reason` (why a DIPC) is the document's field.
  if (field === CORRECTION_REASON_FIELD && s.correction) return 'Raison de cette nouvelle version';
  return pathLabel(s.type, field);
}

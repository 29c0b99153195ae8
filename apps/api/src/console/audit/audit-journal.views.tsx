import type { AuditEventEntity } from '@carepact/audit';
import { historyLabel } from '@carepact/archive';
import { FieldError, formatDateTimeFr } from '@carepact/common';
import type { StaffActor } from '@carepact/identity';
import { ErrorSummary, Notice, PostForm, SelectField, TextField, renderPage } from '../../views';
import type { FilterQuery } from '../../audit/audit.controller';
import { ConsolePage } from '../console-layout';
import type { PageFlash } from '../documents/console-flash';

export const PAGE_SIZE = 50;

/** The filter form's values, as typed (dates are days in Paris). */
export interface JournalForm {
  actor: string;
  action: string;
  residentId: string;
  documentId: string;
  from: string;
  to: string;
}

export interface JournalModel {
  actor: StaffActor;
  csrf: string;
  form: JournalForm;
  errors: FieldError[];
  staff: { id: string; name: string }[];
  names: Map<string, string>;
  events: AuditEventEntity[];
  afterSeq: number;
  hasMore: boolean;
  /** The filters as the API takes them (null when the form is wrong): the CSV export's query. */
  apiQuery: FilterQuery | null;
  flash: Extract<PageFlash, { kind: 'audit-verified' }> | null;
}

const ACTOR_TYPES: Record<string, string> = { staff: 'Personnel', signer: 'Signataire', system: 'Système', anonymous: 'Anonyme' };
const SUBJECT_TYPES: Record<string, string> = {
  document: 'Document',
  document_version: 'Version',
  signature_request: 'Demande de signature',
  resident: 'Résident',
  organisation: 'Organisation',
  establishment: 'Établissement',
  staff_user: 'Compte du personnel',
  contact: 'Contact',
  protection_measure: 'Mesure de protection',
};

function query(q: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

function formQuery(f: JournalForm, afterSeq?: number): string {
  return query({ actor: f.actor, action: f.action, residentId: f.residentId, documentId: f.documentId, from: f.from, to: f.to, afterSeq: afterSeq ? String(afterSeq) : undefined });
}

function actorCell(e: AuditEventEntity, names: Map<string, string>) {
  const type = ACTOR_TYPES[e.actorType] ?? e.actorType;
  if (e.actorType === 'staff' && e.actorId) return names.get(e.actorId) ?? `${type} (${e.actorId})`;
  return e.actorId ? `${type} (${e.actorId})` : type;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A resident's or a document's id as a link that filters the journal on it: how the auditor, who
 * may not read the residents' files (no list of residents, no names), picks a person or a document
 * — from an event about her, or from a document's history (« Voir dans le journal »).
 */
function FilterLink(props: { field: 'residentId' | 'documentId'; id: string }) {
  const label = props.field === 'residentId' ? 'Filtrer le journal sur cette personne' : 'Filtrer le journal sur ce document';
  return (
    <a href={`/console/journal${query({ [props.field]: props.id })}`} title={label}>
      <code>{props.id}</code>
    </a>
  );
}

/** Payload values: ids, hashes, counts, action names (AuditPayload never holds care details). */
function Details(props: { payload: Record<string, unknown> }) {
  const entries = Object.entries(props.payload);
  if (!entries.length) return <>—</>;
  return (
    <ul class="audit-details">
      {entries.map(([k, v]) => (
        <li key={k}>
          <span class="audit-key">{k}</span> :{' '}
          {(k === 'residentId' || k === 'documentId') && typeof v === 'string' && UUID.test(v) ? (
            <FilterLink field={k} id={v} />
          ) : Array.isArray(v) ? (
            v.join(', ')
          ) : v === null ? (
            '—'
          ) : (
            String(v)
          )}
        </li>
      ))}
    </ul>
  );
}

function VerificationResult(props: { flash: NonNullable<JournalModel['flash']> }) {
  const f = props.flash;
  if (f.ok)
    return (
      <Notice kind="success">
        <p id="verification">
          <strong>La chaîne est intacte.</strong> Les {f.events.toLocaleString('fr-FR')} événements du journal ont été recalculés un à un et concordent avec les points de
          contrôle signés. Cette vérification est elle-même enregistrée dans le journal.
        </p>
      </Notice>
    );
  const b = f.broken!;
  return (
    <div class="error-summary" role="alert" id="verification" tabIndex={-1}>
      <h2>La chaîne d’audit est rompue</h2>
      <p>
        Premier événement rompu : <strong>n° {b.seq}</strong>
        {b.eventId ? ` (${b.eventId})` : ''} — {b.message} <span class="audit-key">[{b.reason}]</span>
      </p>
      <p>
        <a href={`/console/journal${query({ afterSeq: String(Math.max(0, b.seq - 1)) })}`}>Voir le journal à partir de l’événement n° {b.seq}</a>
      </p>
    </div>
  );
}

export function journalPage(m: JournalModel): string {
  const f = m.form;
  const filtered = Object.values(f).some(Boolean);
  const last = m.events.length ? m.events[m.events.length - 1].seq : m.afterSeq;
  const staffOptions: [string, string][] = m.staff.map((u) => [u.id, u.name]);
  if (f.actor && !m.staff.some((u) => u.id === f.actor)) staffOptions.push([f.actor, f.actor]);
  return renderPage(
    <ConsolePage title={m.errors.length ? 'Erreur — Journal d’audit' : 'Journal d’audit'} actor={m.actor} csrf={m.csrf} current="audit">
      <h1>Journal d’audit</h1>
      <p>
        Chaque action sur les dossiers, les documents et les signatures est enregistrée ici : qui, quand, sur quoi. Le journal ne contient que des identifiants,
        des empreintes et des nombres, jamais le contenu des dossiers (CASF L.311-3 4°). Chaque événement est chaîné au précédent par son empreinte (SHA-256) :
        une modification se voit à la vérification. Vos consultations et vos exports sont eux aussi enregistrés.
      </p>
      {m.flash ? <VerificationResult flash={m.flash} /> : null}
      <PostForm action="/console/journal/verifier" csrf={m.csrf} class="inline" id="verifier">
        <button type="submit">Vérifier la chaîne</button>
      </PostForm>

      <h2 id="filtres-titre">Filtrer</h2>
      <ErrorSummary errors={m.errors} message={m.errors.length ? 'Les filtres ne sont pas valides' : undefined} />
      <form method="get" action="/console/journal" class="search audit-filters" aria-labelledby="filtres-titre" noValidate>
        <SelectField name="actor" label="Acteur" value={f.actor} options={staffOptions} emptyLabel="Tous" errors={m.errors} />
        <TextField name="action" label="Action" value={f.action} hint="Une action (document.created) ou une famille (signature.*)." errors={m.errors} />
        <TextField
          name="residentId"
          label="Identifiant du résident"
          value={f.residentId}
          hint="Tous les événements de la personne : son dossier, ses documents, leurs versions et leurs signatures. L’identifiant se choisit sans ouvrir son dossier : lien sur un événement qui la concerne, ou « Voir dans le journal tous les événements de la personne » dans l’historique d’un document."
          errors={m.errors}
        />
        <TextField
          name="documentId"
          label="Identifiant du document"
          value={f.documentId}
          hint="Le document, ses versions et ses demandes de signature (comme son historique). Depuis l’historique d’un document : « Voir dans le journal »."
          errors={m.errors}
        />
        <TextField name="from" type="date" label="Du" value={f.from} hint="Jour inclus, heure de Paris." errors={m.errors} />
        <TextField name="to" type="date" label="Au" value={f.to} hint="Jour inclus, heure de Paris." errors={m.errors} />
        {m.errors.some((e) => e.field === 'afterSeq') ? <p class="field-error" id="afterSeq">{m.errors.find((e) => e.field === 'afterSeq')!.message}</p> : null}
        <p>
          <button type="submit">Filtrer</button> {filtered ? <a href="/console/journal">Effacer les filtres</a> : null}
        </p>
      </form>

      {m.apiQuery ? (
        <p>
          <a href={`/api/audit/events.csv${query(m.apiQuery as Record<string, string>)}`} download>
            Exporter {filtered ? 'les événements filtrés' : 'tout le journal'} en CSV
          </a>{' '}
          (UTF-8, pour un tableur ; l’export est enregistré dans le journal)
        </p>
      ) : null}

      <h2 id="evenements-titre">Événements</h2>
      {m.apiQuery && m.events.length === 0 ? <p>{m.afterSeq ? 'Aucun autre événement.' : 'Aucun événement ne correspond à ces filtres.'}</p> : null}
      {m.events.length ? (
        <>
          <p>
            Événements n° {m.events[0].seq} à n° {last}, dans l’ordre de la chaîne{m.afterSeq ? ` (après le n° ${m.afterSeq})` : ''}.
          </p>
          <div class="table-scroll" role="region" aria-labelledby="evenements-titre" tabIndex={0}>
            <table class="audit-table">
              <thead>
                <tr>
                  <th scope="col">N°</th>
                  <th scope="col">Date</th>
                  <th scope="col">Acteur</th>
                  <th scope="col">Action</th>
                  <th scope="col">Sur</th>
                  <th scope="col">Détails</th>
                  <th scope="col">Empreinte</th>
                </tr>
              </thead>
              <tbody>
                {m.events.map((e) => (
                  <tr key={e.id} id={`evenement-${e.seq}`}>
                    <th scope="row">{e.seq}</th>
                    <td>{formatDateTimeFr(e.occurredAt)}</td>
                    <td>{actorCell(e, m.names)}</td>
                    <td>
                      {historyLabel(e.action) !== e.action ? (
                        <>
                          {historyLabel(e.action)}
                          <br />
                        </>
                      ) : null}
                      <code class="action-code">{e.action}</code>
                    </td>
                    <td>
                      {e.subjectType ? (SUBJECT_TYPES[e.subjectType] ?? e.subjectType) : '—'}
                      {e.subjectId ? (
                        <>
                          <br />
                          {e.subjectType === 'document' ? (
                            <>
                              <a href={`/console/documents/${e.subjectId}/historique`}>
                                <code>{e.subjectId}</code>
                              </a>
                              <br />
                              <a href={`/console/journal${query({ documentId: e.subjectId })}`}>Filtrer sur ce document</a>
                            </>
                          ) : e.subjectType === 'resident' && UUID.test(e.subjectId) ? (
                            <FilterLink field="residentId" id={e.subjectId} />
                          ) : (
                            <code>{e.subjectId}</code>
                          )}
                        </>
                      ) : null}
                    </td>
                    <td>
                      <Details payload={e.payload} />
                    </td>
                    <td>
                      <code title={e.hash}>{e.hash.slice(0, 12)}…</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <nav aria-label="Pages du journal" class="pager">
        <ul>
          {m.afterSeq ? (
            <li>
              <a href={`/console/journal${formQuery(f)}`}>Revenir au début</a>
            </li>
          ) : null}
          {m.hasMore ? (
            <li>
              <a href={`/console/journal${formQuery(f, last)}`}>Événements suivants</a>
            </li>
          ) : null}
        </ul>
      </nav>
    </ConsolePage>,
  );
}

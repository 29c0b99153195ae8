import {
  ACCESS_REQUEST_FROM,
  ACCESS_REQUEST_FROM_LABELS,
  COMMUNICATION_MODE_LABELS,
  HEIR_PURPOSES,
  HEIR_PURPOSE_LABELS,
  MINOR_OPPOSITION_LABELS,
  STANDING_PROOF_LABELS,
  STANDING_PROOF_TYPES,
  answerClosed,
  isCspAccessRequest,
  isHealthAccessRequest,
  selectionApplied,
  type AccessRequestStatement,
  type Subjects,
  type DataJobView,
} from '@carepact/archive';
import { documentTitle, formatDateFr, formatDateTimeFr, type FieldError } from '@carepact/common';
import { StaffActor, can } from '@carepact/identity';
import { Checkbox, ErrorSummary, Notice, PostForm, RadioGroup, SelectField, TextField, renderPage } from '../../views';
import { ConsolePage } from '../console-layout';
import { cspStateText, deadlinesText, fromInstantText } from './access-answer.views';

/**
 * What an avenant amends (`documents.subtype`, selected by libs/archive's subjects.ts), for its
 * name (documentTypeLabel); the type's name when a subject has none.
 */
const subtypeOf = (d: object): unknown => ('subtype' in d ? (d as { subtype: unknown }).subtype : null);

export interface ArchivePageState {
  jobs: DataJobView[];
  /** The people and establishments the jobs are about (DataJobsService.subjectsOf). */
  subjects: Subjects;
  /** Each form's search for its person (a package's, an access request's). */
  people: Record<PersonForm, PersonSearch>;
  establishments: [id: string, label: string][];
  /** Which form failed, its values and errors. */
  failed?: { form: 'export' | 'access'; values: Record<string, string | undefined>; errors: FieldError[]; existingHref?: string };
  /** The id of the job just requested (303 from the POST). */
  requested?: string;
  /** The page refreshes itself while a job runs, unless the person stopped it (WCAG 2.2.1). */
  refreshing: boolean;
  refreshStopped: boolean;
  /** The package form's first values (a document page's link: its scope and id). */
  prefill?: Record<string, string | undefined>;
  /** The instant the page is drawn (a health request's 48 hours: its zip is offered from notBefore); default now. */
  now?: Date;
}

export type PersonForm = 'export' | 'access';

/** A search for a person by the words of their name, and the first residents it finds. */
export interface PersonSearch {
  words: string;
  /** At most ARCHIVE_PEOPLE_SHOWN, in name order: id, « Nom Prénom, date de naissance : … ». */
  found: [id: string, label: string][];
  /** How many residents match, all of them. */
  total: number;
}

/**
 * How a form finds its person: the search field (query parameter) of its own GET form, the radio
 * buttons' name in the POST form, the section it leads back to.
 */
export const PERSON_PICKERS: Record<PersonForm, { search: string; choice: string; form: string; section: string; label: string; purpose: string }> = {
  export: { search: 'personne-paquet', choice: 'residentId', form: 'recherche-paquet', section: 'export', label: 'Personne (pour une personne)', purpose: 'du paquet' },
  access: { search: 'personne-acces', choice: 'accessResidentId', form: 'recherche-acces', section: 'acces', label: 'Personne', purpose: 'de la demande d’accès' },
};

const KIND_LABELS: Record<DataJobView['kind'], string> = {
  archive_export: 'Paquet d’archive',
  access_request: 'Demande d’accès (RGPD art. 15)',
  purge_report: 'Simulation de purge',
  purge_run: 'Purge',
};
/** A job's kind as the list names it: an ayant droit's request is answered under the CSP, not RGPD art. 15. */
const kindLabel = (j: DataJobView) => {
  const request = j.params.kind === 'access_request' ? j.params.request : undefined;
  // A purged person's request keeps only its statement's SHA-256 (RedactedAccessRequest): named as an access request.
  if (request && 'from' in request && request.from === 'parental_authority') return 'Demande des parents d’un mineur décédé (Code de la santé publique, art. L.1110-4 V)';
  if (request && 'from' in request && request.from === 'ayant_droit') return 'Demande d’un ayant droit (Code de la santé publique, art. L.1110-4 V)';
  return request && 'from' in request && isHealthAccessRequest(request) ? 'Demande d’accès (RGPD art. 15 ; informations de santé : Code de la santé publique, art. L.1111-7)' : KIND_LABELS[j.kind];
};

/** A living person's request about her health information (CSP L.1111-7) with its statement, or null. */
const healthRequestOf = (j: DataJobView): AccessRequestStatement | null => {
  const r = j.params.kind === 'access_request' ? j.params.request : undefined;
  return r && 'from' in r && isHealthAccessRequest(r) ? r : null;
};

/** A request after the death (CSP L.1110-4 V, L.1111-7) with its statement, or null. */
const cspRequestOf = (j: DataJobView): AccessRequestStatement | null => {
  const r = j.params.kind === 'access_request' ? j.params.request : undefined;
  return r && 'from' in r && isCspAccessRequest(r) ? r : null;
};

const answered = (j: DataJobView) => answerClosed(j.answer);

/**
 * A living person's request about her health information whose 48 hours still run (CSP L.1111-7 al.
 * 2): its zip, which is the communication, is not downloaded before (DataJobsService.download, 409
 * HEALTH_ACCESS_REFLECTION_PERIOD). The instant from which it may be, or null.
 */
const reflectionUntil = (j: DataJobView, now: Date): string | null => {
  const notBefore = healthRequestOf(j)?.notBefore;
  return notBefore && now.getTime() < Date.parse(notBefore) ? notBefore : null;
};

/**
 * A request's dates: when the establishment received it (the statement's day, from which the
 * deadlines run), then when it was recorded here; a package: when it was asked for.
 */
function whenText(j: DataJobView): string {
  const r = j.params.kind === 'access_request' ? j.params.request : undefined;
  if (r && 'receivedOn' in r && r.receivedOn) return `Reçue le ${isoDay(r.receivedOn)} (enregistrée le ${dateTime(j.createdAt)})`;
  return `Demandée le ${dateTime(j.createdAt)}`;
}

/**
 * What the download gives. A request after the death: the working package (everything, for staff
 * only: never handed over, CSP L.1110-4 V) until the sorted one is made (report.selectionSha256,
 * as the answer page checks), which is the one that may be sent; any other zip: the zip.
 */
function downloadLabel(j: DataJobView): string {
  if (!cspRequestOf(j)) return 'Télécharger le zip';
  if (!selectionApplied(j)) return 'Télécharger le paquet de travail (à ne pas transmettre)';
  return j.answer?.state === 'delivered' ? 'Télécharger le paquet transmis' : 'Télécharger le paquet à transmettre';
}

/**
 * What a finished job made, in the words of the row's other columns: an access request's zip (after
 * the death, the working package, then the package to hand over, downloadLabel); otherwise « Terminé ».
 */
function doneText(j: DataJobView): string {
  if (j.kind !== 'access_request') return 'Terminé';
  if (!cspRequestOf(j)) return 'Zip prêt';
  return selectionApplied(j) ? 'Paquet à transmettre prêt' : 'Paquet de travail prêt';
}

const STATUS_LABELS: Record<DataJobView['status'], string> = { queued: 'En attente', running: 'En cours', done: 'Terminé', failed: 'Échec' };
const PHASE_LABELS: Record<string, string> = {
  documents: 'documents',
  audit: 'événements du journal',
  manifest: 'manifeste',
  dossier: 'dossier',
  journal: 'événements du journal',
  purge: 'éléments',
  done: 'terminé',
};

// Dates as the rest of the console writes them (libs/common fr-fr.ts): « 2 décembre 2026 », « 2 décembre 2026 à 9 h 30 », in Paris.
const dateTime = (iso: string) => formatDateTimeFr(iso);

/** The Paris day of an instant (milliseconds). */
const day = (at: number) => formatDateFr(new Date(at));

/** A `YYYY-MM-DD` calendar day. */
const isoDay = (d: string) => formatDateFr(d);

/** A resident as the page names her everywhere: « Nom Prénom, date de naissance : 2 mars 1941 » (no agreement to guess, no « né·e »). */
export const personLabel = (r: { lastName: string; firstName: string; birthDate: string }) => `${r.lastName} ${r.firstName}, date de naissance : ${isoDay(r.birthDate)}`;

/** What a job is about: words, then (a person whose file the actor may read) her name linked to it. */
interface Scope {
  text: string;
  link?: { text: string; href: string };
}

function scopeOf(j: DataJobView, subjects: Subjects, actor: StaffActor): Scope {
  const p = j.params;
  if (p.kind === 'archive_export' && p.scope === 'establishment') {
    const name = subjects.establishments.get(p.id);
    return { text: `établissement${name ? ` ${name}` : ''}, du ${day(Date.parse(p.from!))} au ${day(Date.parse(p.to!) - 1)}` };
  }
  if (p.kind === 'archive_export' && p.scope === 'document') {
    const doc = subjects.documents.get(p.id);
    if (doc?.state === 'purged') return { text: `document supprimé le ${day(Date.parse(doc.purgedAt))} (durée de conservation atteinte)` };
    if (doc?.state !== 'present') return { text: 'document introuvable' };
    // As for a person: her name only to whom may read her file.
    if (!can(actor, 'resident.read', doc.establishmentId)) return { text: 'document d’un établissement dont vous ne voyez pas les résidents' };
    const title = documentTitle(doc.type, subtypeOf(doc), `${doc.residentLastName} ${doc.residentFirstName}`);
    return { text: 'document : ', link: { text: title, href: `/console/documents/${doc.id}` } };
  }
  if (p.kind === 'archive_export' || p.kind === 'access_request') {
    const person = subjects.people.get(p.kind === 'access_request' ? p.residentId : p.id);
    if (person?.state === 'purged') return { text: `personne dont le dossier a été supprimé le ${day(Date.parse(person.purgedAt))} (durée de conservation atteinte)` };
    if (person?.state !== 'present') return { text: 'personne introuvable' };
    // Roles are per establishment: the name only to whom may read her file (the jobs are the organisation's).
    if (!can(actor, 'resident.read', person.establishmentId)) return { text: 'personne d’un établissement dont vous ne voyez pas les résidents' };
    return { text: 'personne : ', link: { text: personLabel(person), href: `/console/residents/${person.id}` } };
  }
  // A purge carries out a dry-run report, read on the Conservation page (records.manage, as this page).
  if (p.kind === 'purge_run') {
    const reportDay = subjects.reports.get(p.reportId);
    if (!reportDay) return { text: 'simulation introuvable' };
    return { text: 'suppressions de la ', link: { text: `simulation du ${isoDay(reportDay)}`, href: `/console/conservation/simulations/${p.reportId}` } };
  }
  return { text: '', link: { text: `dossiers et documents à supprimer au ${isoDay(p.day)}`, href: `/console/conservation/simulations/${j.id}` } };
}

const scopeText = (s: Scope) => s.text + (s.link?.text ?? '');

function Progress(props: { job: DataJobView }) {
  const j = props.job;
  if (j.status === 'queued') return <span>En attente du traitement</span>;
  if (j.status === 'failed') return <span>{j.error ?? 'Échec'}</span>;
  if (j.status === 'done') return <span>{doneText(j)} le {dateTime(j.finishedAt!)}</span>;
  const phase = j.phase ? (PHASE_LABELS[j.phase] ?? j.phase) : 'éléments';
  return (
    <span>
      {j.total > 0 ? `${j.done} sur ${j.total} ${phase}` : j.phase ? `Préparation (${phase})` : 'Préparation'}
      {j.total > 0 ? (
        <>
          {' '}
          <progress max={j.total} value={j.done} aria-label={`Avancement : ${j.done} sur ${j.total}`} />
        </>
      ) : null}
    </span>
  );
}

/** This page with its person searches kept (stopping or resuming the refresh must not lose what was searched). */
function archivesHref(people: ArchivePageState['people'], stopRefresh: boolean): string {
  const q = new URLSearchParams();
  if (stopRefresh) q.set('actualiser', 'non');
  for (const which of ['export', 'access'] as const) if (people[which].words) q.set(PERSON_PICKERS[which].search, people[which].words);
  const query = q.toString();
  return query ? `/console/archives?${query}` : '/console/archives';
}

/**
 * Choosing one person among thousands, without script: a search by the words of the name, then the
 * residents it finds as radio buttons. The search is its own GET form (an empty <form> before the
 * request's form, which the field and its button join through the `form` attribute): Enter in the
 * field searches, Enter elsewhere submits the request, and the search's URL can be kept. The words
 * also travel, hidden, with the request, so that a refused request shows the same people again.
 */
function PersonPicker(props: { which: PersonForm; search: PersonSearch; value?: string; errors?: FieldError[] }) {
  const p = PERSON_PICKERS[props.which];
  const { words, found, total } = props.search;
  const count =
    total > found.length
      ? `${total.toLocaleString('fr-FR')} personnes trouvées : voici les ${found.length} premières par ordre alphabétique. Précisez le nom pour trouver les autres.`
      : `${total} personne${total > 1 ? 's' : ''} trouvée${total > 1 ? 's' : ''}.`;
  return (
    <>
      <TextField
        form={p.form}
        name={p.search}
        type="search"
        label={`${p.label} : nom à rechercher`}
        hint="Un ou plusieurs mots du nom ou du prénom ; majuscules et accents sont sans importance."
        value={words}
        autocomplete="off"
        errors={props.errors}
      />
      <p class="actions">
        <button type="submit" form={p.form} class="secondary">
          Rechercher<span class="visually-hidden"> la personne {p.purpose}</span>
        </button>
      </p>
      <input type="hidden" name={p.search} value={words} />
      {found.length ? (
        <RadioGroup name={p.choice} label={p.label} required hint={count} options={found} value={props.value} errors={props.errors} />
      ) : words ? (
        <p>Aucune personne ne correspond à « {words} ».</p>
      ) : null}
    </>
  );
}

/** The empty GET form a PersonPicker's field and button belong to. */
function PersonSearchForm(props: { which: PersonForm }) {
  const p = PERSON_PICKERS[props.which];
  return <form id={p.form} method="get" action={`/console/archives#${p.section}`} class="inline" />;
}

/**
 * A refused request's errors, where the person would be chosen: on the radio buttons when there are
 * some, else on the search field (the error summary's link must lead to a field on the page).
 */
function pickerErrors(which: PersonForm, search: PersonSearch, errors: FieldError[] | undefined): FieldError[] | undefined {
  const p = PERSON_PICKERS[which];
  return search.found.length ? errors : errors?.map((e) => (e.field === p.choice ? { ...e, field: p.search } : e));
}

/** /console/archives: request an archive package or an access request, follow them, download. */
export function archivePage(actor: StaffActor, csrf: string, s: ArchivePageState): string {
  const f = s.failed;
  const exportValues = f?.form === 'export' ? f.values : (s.prefill ?? {});
  const accessValues = f?.form === 'access' ? f.values : {};
  const exportErrors = f?.form === 'export' ? pickerErrors('export', s.people.export, f.errors) : undefined;
  const accessErrors = f?.form === 'access' ? pickerErrors('access', s.people.access, f.errors) : undefined;
  // A search for the package's person means a package for one person.
  const scope = exportValues.scope ?? (s.people.export.words ? 'resident' : undefined);
  const now = s.now ?? new Date();
  return renderPage(
    <ConsolePage title={f ? 'Erreur — Archives et demandes d’accès' : 'Archives et demandes d’accès'} actor={actor} csrf={csrf} current="archives">
      <h1>Archives et demandes d’accès</h1>
      {s.requested ? (
        <Notice kind="success">Demande enregistrée. Elle est traitée en tâche de fond : suivez son avancement ci-dessous, le fichier sera proposé au téléchargement.</Notice>
      ) : null}
      <section aria-labelledby="demandes">
        <h2 id="demandes">Demandes récentes</h2>
        {s.refreshing ? (
          <p>
            Une demande est en cours : cette page s’actualise toutes les 5 secondes. <a href={archivesHref(s.people, true)}>Arrêter l’actualisation</a>
          </p>
        ) : s.refreshStopped ? (
          <p>
            Actualisation arrêtée. <a href={archivesHref(s.people, false)}>Actualiser la page</a>
          </p>
        ) : null}
        {s.jobs.length ? (
          <div class="table-scroll">
            <table class="stacked">
              <caption>Les 20 dernières demandes de l’organisation</caption>
              <thead>
                <tr>
                  <th scope="col">Demande</th>
                  <th scope="col">Périmètre</th>
                  <th scope="col">Date</th>
                  <th scope="col">État</th>
                  <th scope="col">Avancement</th>
                  <th scope="col">Fichier</th>
                </tr>
              </thead>
              <tbody>
                {s.jobs.map((j) => {
                  const scope = scopeOf(j, s.subjects, actor);
                  return (
                    <tr key={j.id} id={`demande-${j.id}`}>
                      <th scope="row">{kindLabel(j)}</th>
                      <td data-label="Périmètre">
                        {scope.text}
                        {scope.link ? <a href={scope.link.href}>{scope.link.text}</a> : null}
                      </td>
                      <td data-label="Date">{whenText(j)}</td>
                      <td data-label="État">
                        {cspRequestOf(j) ? (
                          // CSP L.1111-7 al. 2: the deadline and, beside it, the 48 hours; the answer (access-answer.ts) and where to give it.
                          <>
                            {cspStateText(j)}
                            <br />
                            {/* Once answered (refused, delivered), no deadline left to keep. */}
                            {answered(j) ? null : (
                              <>
                                {deadlinesText(cspRequestOf(j)!)}
                                <br />
                              </>
                            )}
                            <a href={`/console/archives/${j.id}/reponse`}>
                              {answered(j) ? 'Voir la réponse' : 'Trier, transmettre ou refuser'}
                              <span class="visually-hidden"> ({scopeText(scope)})</span>
                            </a>
                          </>
                        ) : healthRequestOf(j) ? (
                          // CSP L.1111-7 al. 2 for her health information, RGPD art. 12(3) for her other data; what staff were told (heirRequestChecked).
                          <>
                            {STATUS_LABELS[j.status]}
                            {/* One line each: the health information's date, the other data's, the 48 hours. */}
                            {deadlinesText(healthRequestOf(j)!)
                              .split(' ; ')
                              .map((part, i, all) => (
                                <span key={i}>
                                  <br />
                                  {part}
                                  {i < all.length - 1 ? ' ; ' : ''}
                                </span>
                              ))}
                            {healthRequestOf(j)!.warnings?.map((w) => (
                              <span key={w.code}>
                                <br />
                                <strong>À vérifier :</strong> {w.message}
                              </span>
                            ))}
                            {/* A living minor's (CSP L.1111-7, L.1111-5, R.1111-6): her opposition — written down by a professional, who seeks her consent and sorts — and her asking for a physician, the one her parents designate (his name « masqué » to other staff, dataJobForApi). */}
                            {healthRequestOf(j)!.minor?.opposition ? (
                              <>
                                <br />
                                {healthRequestOf(j)!.minor!.opposition === 'recorded' ? (
                                  <strong>
                                    Une opposition du mineur figure au dossier (mention écrite du médecin, de la sage-femme ou de l’infirmier) : le professionnel saisi s’efforce d’obtenir son consentement ;
                                    s’il maintient son opposition, ces informations ne sont pas communiquées à ses parents tant qu’elle est maintenue (Code de la santé publique, art. L.1111-5 et
                                    R.1111-6). Le tri est fait par ce professionnel.
                                  </strong>
                                ) : (
                                  'Mineur : pas d’opposition à l’information de ses parents (Code de la santé publique, art. L.1111-5).'
                                )}
                                <br />
                                {healthRequestOf(j)!.minor!.throughPhysician
                                  ? `À la demande du mineur, les informations sont adressées au médecin désigné par les titulaires de l’autorité parentale${healthRequestOf(j)!.minor!.physician ? ` (${healthRequestOf(j)!.minor!.physician})` : ''}, ou consultées sur place en sa présence (Code de la santé publique, art. L.1111-7 et R.1111-6) ; elles ne sont pas remises aux parents.`
                                  : 'Accès direct des parents (le mineur n’a pas demandé l’intermédiaire d’un médecin).'}
                              </>
                            ) : null}
                          </>
                        ) : (
                          STATUS_LABELS[j.status]
                        )}
                      </td>
                      <td data-label="Avancement">
                        <Progress job={j} />
                      </td>
                      <td data-label="Fichier">
                        {j.answer?.state === 'refused' ? (
                          // DataJobsService.recordRefusal: nothing goes out, the working copy was deleted.
                          'Aucun : demande refusée'
                        ) : j.status === 'done' && j.error ? (
                          // The purge deleted the zip with the person's data (RetentionService.dropExports).
                          j.error
                        ) : j.status === 'done' && (j.kind === 'archive_export' || j.kind === 'access_request') && j.requestedBy !== `staff:${actor.userId}` ? (
                          // DataJobsService.download: a zip goes only to whoever asked for it.
                          'Réservé à la personne qui l’a demandé'
                        ) : j.status === 'done' && reflectionUntil(j, now) ? (
                          // CSP L.1111-7 al. 2: « au plus tôt après qu'un délai de réflexion de quarante-huit heures aura été observé ».
                          `Zip prêt : à télécharger et remettre à partir du ${fromInstantText(reflectionUntil(j, now)!)} (délai de réflexion de 48 heures, Code de la santé publique, art. L.1111-7).`
                        ) : j.status === 'done' && (j.kind === 'archive_export' || j.kind === 'access_request') ? (
                          <a href={`/console/archives/${j.id}/telecharger`}>
                            {downloadLabel(j)}
                            <span class="visually-hidden"> ({kindLabel(j)}, {scopeText(scope)})</span>
                          </a>
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
        ) : (
          <p>Aucune demande pour l’instant.</p>
        )}
      </section>

      <section aria-labelledby="export">
        <h2 id="export">Exporter un paquet d’archive</h2>
        <p>
          Le paquet contient chaque version et ses rendus, les PDF scellés et leurs preuves, les scans des signatures sur papier, le segment du journal d’audit et un manifeste signé par le
          certificat de l’établissement ; il se vérifie hors ligne (<code>archive:verify</code>).
        </p>
        <ErrorSummary errors={exportErrors} />
        <PersonSearchForm which="export" />
        <PostForm action="/console/archives/export" csrf={csrf}>
          <SelectField
            name="scope"
            label="Périmètre"
            required
            value={scope}
            errors={exportErrors}
            options={[
              ['establishment', 'Un établissement sur une période'],
              ['resident', 'Une personne'],
              ['document', 'Un document'],
            ]}
          />
          <SelectField name="establishmentId" label="Établissement (pour une période)" value={exportValues.establishmentId} errors={exportErrors} options={s.establishments} />
          <TextField name="from" type="date" label="Du (inclus)" hint="Pour un établissement : documents créés dans la période." value={exportValues.from} errors={exportErrors} />
          <TextField name="to" type="date" label="Au (inclus)" value={exportValues.to} errors={exportErrors} />
          <PersonPicker which="export" search={s.people.export} value={exportValues.residentId} errors={exportErrors} />
          <TextField name="documentId" label="Identifiant du document (pour un document)" hint="Il figure dans l’adresse de la page du document." value={exportValues.documentId} errors={exportErrors} />
          <button type="submit">Demander le paquet</button>
        </PostForm>
      </section>

      <section aria-labelledby="acces">
        <h2 id="acces">Demande d’accès d’une personne (RGPD, article 15) ou d’un ayant droit</h2>
        <p>Un zip de tout ce que CarePact conserve sur la personne : son dossier, ses contacts et mesures, chaque document et ses versions, les signatures et leurs preuves, et le journal des actions qui la concernent.</p>
        <p>
          Après le décès, le RGPD ne s’applique plus et la mesure de protection a pris fin : ses ayants droit, son concubin ou son partenaire de PACS n’ont accès qu’aux informations
          nécessaires pour connaître les causes de la mort, défendre sa mémoire ou faire valoir leurs droits, sauf si elle s’y est opposée de son vivant ; les titulaires de l’autorité
          parentale d’un mineur décédé ont accès à tout, sans motif, sauf les éléments relatifs aux décisions médicales pour lesquelles le mineur
          s’est opposé à l’obtention de leur consentement (Code de la santé publique, art. L.1110-4 V, L.1111-5, L.1111-5-1 et L.1111-7). Rien
          n’est communiqué avant 48 heures. Le zip préparé est un paquet de travail : vous enregistrez ensuite ce qui est transmis et pourquoi (ou un refus motivé), et seul un paquet
          réduit à ces éléments est remis.
        </p>
        <ErrorSummary errors={accessErrors} />
        {f?.form === 'access' && f.existingHref ? (
          <p>
            <a href={f.existingHref}>Voir la demande déjà enregistrée</a>
          </p>
        ) : null}
        <PersonSearchForm which="access" />
        <PostForm action="/console/archives/acces" csrf={csrf}>
          <PersonPicker which="access" search={s.people.access} value={accessValues.accessResidentId} errors={accessErrors} />
          {/* The request it answers (DataJobsService.requestAccess): required for a person in the intermediate archive. */}
          <RadioGroup
            name="requestFrom"
            label="Qui a fait la demande"
            hint="Obligatoire si la personne est en archive intermédiaire (après la fin de l’accompagnement) : la demande reçue est enregistrée avec l’export."
            options={ACCESS_REQUEST_FROM.map((from): [string, string] => [from, ACCESS_REQUEST_FROM_LABELS[from]])}
            value={accessValues.requestFrom}
            errors={accessErrors}
          />
          <TextField
            name="requestReceivedOn"
            type="date"
            label="Demande reçue le"
            hint="Le jour où l’établissement l’a reçue. La réponse est due au plus tard un mois après (RGPD, article 12.3 ; prolongeable de deux mois pour une demande complexe, en le disant à la personne). Pour des informations de santé, et après un décès (ayant droit, parents d’un mineur) : huit jours, deux mois pour les informations de plus de cinq ans, et rien avant 48 heures (Code de la santé publique, art. L.1111-7)."
            value={accessValues.requestReceivedOn}
            errors={accessErrors}
          />
          {/* CSP L.1111-7: the person's or her representative's request about her health information has the CSP's deadlines and 48 hours. */}
          <p class="hint" id="requestHealthInformation-aide">
            Pour la personne elle-même ou son représentant. Ses informations de santé sont communiquées au plus tard huit jours après la demande, deux mois pour celles de plus de cinq ans, et pas avant 48 heures ; ses autres données restent dues dans le mois (RGPD, article 12.3). Un représentant ne peut les demander que s’il est chargé d’une mesure avec représentation relative à la personne (tutelle, habilitation ou mandat à la personne) : un curateur assiste la personne, c’est elle qui demande.
          </p>
          <Checkbox
            name="requestHealthInformation"
            label="La demande porte sur des informations de santé de la personne (Code de la santé publique, art. L.1111-7)"
            checked={accessValues.requestHealthInformation === 'oui'}
            errors={accessErrors}
          />
          <TextField
            name="requestStatement"
            label="La demande reçue"
            hint="Comment elle est arrivée (courrier, e-mail, en main propre), sa référence et ce qu’elle demande, de 3 à 500 caractères. Pas d’information de santé : le journal d’audit n’en garde que l’empreinte."
            value={accessValues.requestStatement}
            errors={accessErrors}
          />
          {/* CSP L.1110-4 V, L.1111-7: asked only after the death; always shown (no script), said so in the legends. */}
          <fieldset>
            <legend>Seulement après le décès (ayant droit, concubin, partenaire de PACS, parents d’un mineur)</legend>
            <TextField
              name="requestDeceasedOn"
              type="date"
              label="Date du décès"
              hint="Telle qu’elle figure sur l’acte de décès. Le dossier de la personne doit indiquer la fin de son accompagnement. Pour les parents : la personne devait être mineure à cette date (calculé d’après sa date de naissance)."
              value={accessValues.requestDeceasedOn}
              errors={accessErrors}
            />
            <SelectField
              name="requestStandingProofType"
              label="Pièce qui établit la qualité du demandeur"
              hint="Vérifiez-la avant toute communication."
              emptyLabel="— Choisir —"
              options={STANDING_PROOF_TYPES.map((t): [string, string] => [t, STANDING_PROOF_LABELS[t]])}
              value={accessValues.requestStandingProofType}
              errors={accessErrors}
            />
            <TextField
              name="requestStandingProofReference"
              label="Référence de la pièce"
              hint="Numéro, notaire ou autorité qui l’a délivrée ; pour « autre pièce », ce qu’elle est. De 2 à 200 caractères."
              value={accessValues.requestStandingProofReference}
              errors={accessErrors}
            />
            <TextField name="requestStandingProofIssuedOn" type="date" label="Date de la pièce" value={accessValues.requestStandingProofIssuedOn} errors={accessErrors} />
            <TextField
              name="requestRequesterName"
              label="Nom et prénom du demandeur (facultatif)"
              hint="Chaque ayant droit a son propre droit d’accès : un même acte de notoriété vaut pour toute la succession, le nom distingue deux héritiers qui le produisent. De 2 à 200 caractères."
              value={accessValues.requestRequesterName}
              errors={accessErrors}
            />
            <RadioGroup
              name="requestCommunication"
              label="Comment le demandeur veut recevoir les informations"
              hint="Directement, ou par l’intermédiaire d’un médecin qu’il désigne (Code de la santé publique, art. L.1111-7). Sans réponse : directement."
              options={(['direct', 'physician'] as const).map((m): [string, string] => [m, COMMUNICATION_MODE_LABELS[m]])}
              value={accessValues.requestCommunication}
              errors={accessErrors}
            />
            <TextField name="requestPhysician" label="Médecin désigné (nom)" hint="Seulement si le demandeur passe par un médecin." value={accessValues.requestPhysician} errors={accessErrors} />
          </fieldset>
          {/* CSP L.1111-7, alinéa relatif aux mineurs, L.1111-5, L.1111-5-1, R.1111-6: a living minor's health information (livingMinorChecked). */}
          <fieldset>
            <legend>Seulement pour les informations de santé d’un mineur</legend>
            <p class="hint" id="requestMinorOpposition-aide">
              Le droit d’accès aux informations de santé d’un mineur est exercé par le ou les titulaires de l’autorité parentale (choisissez « Son représentant ») ; sa propre demande n’est
              enregistrée que s’il est émancipé, ses autres données lui restant accessibles sans cocher « informations de santé » (Code de la santé publique, art. L.1111-7). Le mineur peut
              s’opposer à ce que ses parents soient informés de certains soins (art. L.1111-5 et L.1111-5-1) : son opposition figure au dossier (mention écrite du médecin, de la
              sage-femme ou de l’infirmier) ; le professionnel saisi de la demande s’efforce d’obtenir son consentement ; s’il maintient son opposition, ces informations ne sont pas
              communiquées tant qu’elle est maintenue (art. R.1111-6). Le tri est fait par ce professionnel.
            </p>
            <RadioGroup
              name="requestMinorOpposition"
              label="Le mineur s’est-il opposé à ce que ses parents soient informés de certains soins ?"
              options={(['none', 'recorded'] as const).map((o): [string, string] => [o, MINOR_OPPOSITION_LABELS[o]])}
              value={accessValues.requestMinorOpposition}
              errors={accessErrors}
            />
            <Checkbox
              name="requestMinorThroughPhysician"
              label="Le mineur demande que l’accès de ses parents ait lieu par l’intermédiaire d’un médecin (art. L.1111-7)"
              checked={accessValues.requestMinorThroughPhysician === 'oui'}
              errors={accessErrors}
            />
            {/* R.1111-6 last alinéa: the information goes to the physician the parents designate, or is consulted in his presence; named, as the heirs' (MINOR_HEALTH_PHYSICIAN_REQUIRED). */}
            <TextField
              name="requestMinorPhysician"
              label="Médecin désigné par les titulaires de l’autorité parentale (nom)"
              hint="Seulement si le mineur demande l’intermédiaire d’un médecin : les informations sont adressées à ce médecin, ou consultées sur place en sa présence, au choix des parents ; elles ne leur sont pas remises (Code de la santé publique, art. R.1111-6). De 3 à 200 caractères."
              value={accessValues.requestMinorPhysician}
              errors={accessErrors}
            />
            <Checkbox
              name="requestEmancipated"
              label="La personne est émancipée (sa propre demande, à partir de seize ans : Code civil, art. 413-2 et 413-6)"
              checked={accessValues.requestEmancipated === 'oui'}
              errors={accessErrors}
            />
          </fieldset>
          <fieldset>
            <legend>Seulement pour les parents d’un mineur décédé, ou d’un mineur vivant (informations de santé)</legend>
            {/* C. civ. 413-6, 413-7: an emancipated minor is out of her parents' authority; the file does not record it, staff confirm it. */}
            <p class="hint" id="requestNotEmancipated-aide">
              Leur droit d’accès propre ne vaut que pour un mineur (Code de la santé publique, art. L.1110-4 V) ; le mineur émancipé cesse d’être sous l’autorité de ses parents (Code civil, art. 413-7). À cocher si la personne avait seize ans ou plus au décès, âge à partir duquel un mineur peut être émancipé (Code civil, art. 413-2). Si la personne était émancipée, enregistrez la demande comme celle d’un ayant droit. Pour les informations de santé d’un mineur vivant : à cocher s’il a seize ans ou plus le jour de la demande.
            </p>
            <Checkbox name="requestNotEmancipated" label="La personne n’était pas émancipée (au décès, ou le jour de la demande)" checked={accessValues.requestNotEmancipated === 'oui'} errors={accessErrors} />
          </fieldset>
          <fieldset>
            <legend>Seulement pour un ayant droit, un concubin ou un partenaire de PACS</legend>
            <RadioGroup
              name="requestPurpose"
              label="Ce dont le demandeur a besoin"
              hint="La loi ne lui ouvre l’accès que pour l’un de ces trois objectifs, et seulement aux informations nécessaires pour l’atteindre (Code de la santé publique, art. L.1110-4 V)."
              options={HEIR_PURPOSES.map((p): [string, string] => [p, HEIR_PURPOSE_LABELS[p]])}
              value={accessValues.requestPurpose}
              errors={accessErrors}
            />
            <RadioGroup
              name="requestDeceasedObjection"
              label="La personne s’est-elle opposée, de son vivant, à la communication de ses informations après son décès ?"
              hint="Vérifiez son dossier. Si elle s’y est opposée, la demande est refusée et rien n’est exporté."
              options={[
                ['none', 'Non, aucune opposition n’est enregistrée'],
                ['recorded', 'Oui, une opposition est enregistrée'],
              ]}
              value={accessValues.requestDeceasedObjection}
              errors={accessErrors}
            />
          </fieldset>
          <button type="submit">Préparer l’export de ses données</button>
        </PostForm>
      </section>
    </ConsolePage>,
  );
}

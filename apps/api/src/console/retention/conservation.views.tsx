import { FieldError, documentTitle, formatDateFr, formatDateTimeFr } from '@carepact/common';
import { ArchivesRegime, DataJobView, LegalHoldView, PURGE_REPORT_VALID_DAYS, PurgeOutcome, PurgeReport, PurgeReportView, RetentionPolicyView, SubjectDocument, SubjectPerson, Subjects } from '@carepact/archive';
import { StaffActor, can } from '@carepact/identity';
import { Checkbox, ErrorSummary, Notice, PostForm, RefusedFormSummary, SelectField, TextField, renderPage } from '../../views';
import { ConsolePage } from '../console-layout';
import { yearsText } from '../residents/resident-retention.views';

/**
 * What an avenant amends (`documents.subtype`), for its name (documentTypeLabel). libs/archive's
 * subjects (subjects.ts) do not select it yet: read when present, else the type's name.
 */
const subtypeOf = (d: object): unknown => ('subtype' in d ? (d as { subtype: unknown }).subtype : null);

const FIELD_LABELS: Record<string, string> = {
  subject: 'Type',
  years: 'Durée en années',
  confirm: 'Confirmation',
  activeBaseMonths: 'Durée en base active',
  publicLaw: 'Archives publiques (1° ou 2° de l’article L.211-4 du Code du patrimoine)',
  visaReference: 'Référence du visa',
  visaDate: 'Date du visa',
  visaSignatory: 'Nom et qualité du signataire du visa',
};
/** The CNIL's active base (référentiel social et médico-social, délib. n° 2023-095: « 2 ans à compter du dernier contact »), in months. */
export const CNIL_ACTIVE_BASE_MONTHS = 24;

/** « 2 mois », « 18 mois », « 2 ans », « 3 ans »: an active base in the words of the rules. */
export function activeBaseText(months: number): string {
  return months > 0 && months % 12 === 0 ? yearsText(months / 12) : `${months.toLocaleString('fr-FR')} mois`;
}

/**
 * A default rule as it applies in this organisation: the rules state the CNIL's active base (« base
 * active de 2 ans », RETENTION_DEFAULTS); the organisation's own value replaces it when it differs.
 */
export function basisForOrganisation(basis: string, activeBaseMonths: number): string {
  if (activeBaseMonths === CNIL_ACTIVE_BASE_MONTHS) return basis;
  const own =
    activeBaseMonths === 0
      ? 'sans base active (choix de l’organisation ; 2 ans dans le référentiel CNIL) : archivage intermédiaire dès la fin de l’accompagnement'
      : `base active de ${activeBaseText(activeBaseMonths)} (choix de l’organisation ; 2 ans dans le référentiel CNIL) puis archivage intermédiaire`;
  return basis.replace(/base active de 2 ans puis archivage intermédiaire/g, own);
}

/** Rows a report's lists show at most; the counts above them are complete. */
export const REPORT_ROWS_SHOWN = 200;

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;

/** A hold's or a purge item's subject, by name, linked to its page for whoever may read it (lookupSubjects). */
function SubjectName(props: { actor: StaffActor; kind: 'resident' | 'document'; id: string; subjects: Subjects }) {
  const gone = (n: SubjectPerson | SubjectDocument | undefined, what: string) =>
    !n || n.state === 'unknown' ? <>élément introuvable</> : n.state === 'purged' ? <>{`${what} supprimé le ${formatDateFr(new Date(n.purgedAt))}`}</> : null;
  if (props.kind === 'resident') {
    const n = props.subjects.people.get(props.id);
    if (n?.state !== 'present') return gone(n, 'Dossier');
    const text = `${n.firstName} ${n.lastName}`;
    return can(props.actor, 'resident.read', n.establishmentId) ? <a href={`/console/residents/${n.id}`}>{text}</a> : <>{text}</>;
  }
  const n = props.subjects.documents.get(props.id);
  if (n?.state !== 'present') return gone(n, 'Document');
  const text = documentTitle(n.type, subtypeOf(n), `${n.residentFirstName} ${n.residentLastName}`);
  return can(props.actor, 'document.read', n.establishmentId) ? <a href={`/console/documents/${n.id}`}>{text}</a> : <>{text}</>;
}

export interface ConservationPageState {
  policies: RetentionPolicyView[];
  /** Public law and the active base (RetentionService.archivesRegime). */
  regime: ArchivesRegime;
  holds: LegalHoldView[];
  /**
   * false: she does not manage records in every establishment of the organisation, and may not
   * change its durations nor its regime (assertManagesWholeOrganisation): no form, who can said.
   */
  mayChange?: boolean;
  subjects: Subjects;
  /** `staff:<id>` → the account's name. */
  staff: Map<string, string>;
  notice?: string;
  errors?: FieldError[];
  values?: Record<string, string>;
}

/**
 * GET /console/conservation (issue 11 in the console, records.manage): the organisation's retention
 * durations with a form to change one, its active legal holds named and linked, and « Simuler une
 * purge » (the dry run: nothing deleted).
 */
export function conservationPage(actor: StaffActor, csrf: string, s: ConservationPageState): string {
  const failed = !!s.errors?.length;
  const v = s.values ?? {};
  return renderPage(
    <ConsolePage title={`${failed ? 'Erreur — ' : ''}Conservation des données`} actor={actor} csrf={csrf} current="conservation">
      <h1>Conservation des données</h1>
      {s.notice ? (
        <Notice kind="success">
          <p>{s.notice}</p>
        </Notice>
      ) : null}
      <RefusedFormSummary errors={s.errors} labels={FIELD_LABELS} />
      <p>
        Chaque durée court à partir de la fin de l’accompagnement de la personne (à enregistrer sur son dossier) ; tant qu’elle est accompagnée, rien n’est supprimé. Un gel suspend toute
        suppression.
      </p>

      <section aria-labelledby="durees">
        <h2 id="durees">Durées de conservation</h2>
        <div class="table-scroll">
          <table class="stacked">
            <caption>Durées de l’organisation, par type de document et pour le dossier de la personne</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Durée de l’organisation</th>
                <th scope="col">Par défaut</th>
                <th scope="col">Règle appliquée par défaut</th>
              </tr>
            </thead>
            <tbody>
              {s.policies.map((p) => (
                <tr key={p.subject}>
                  <th scope="row">{p.label}</th>
                  <td data-label="Durée de l’organisation">
                    {yearsText(p.years)}
                    {/* C. civ. 2235: no prescription runs against a minor; the count starts at majority. */}
                    {p.subject === 'accompagnement-mineur' ? ' après ses 18 ans' : ''}
                    {p.custom ? ' (modifiée par l’organisation)' : ''}
                  </td>
                  <td data-label="Par défaut">
                    {yearsText(p.defaultYears)}
                    {p.subject === 'accompagnement-mineur' ? ' après ses 18 ans' : ''}
                  </td>
                  <td data-label="Règle appliquée par défaut">{basisForOrganisation(p.basis, s.regime.activeBaseMonths)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {s.mayChange === false ? <OrganisationWideNote what="Ces durées valent" /> : null}
        {s.mayChange === false ? null : <h3 id="changer">Changer une durée</h3>}
        {s.mayChange === false ? null : <PostForm action="/console/conservation/durees" csrf={csrf}>
          <SelectField name="subject" label="Type" required options={s.policies.map((p): [string, string] => [p.subject, p.label])} value={v.subject ?? ''} errors={s.errors} />
          <TextField
            name="years"
            type="number"
            inputMode="numeric"
            label="Durée en années"
            hint="De 1 à 100 ans après la fin de l’accompagnement ; pour les documents d’une personne admise mineure, de 1 à 100 ans après ses 18 ans (la prescription ne court pas pendant la minorité, C. civ. art. 2235). Le changement est journalisé."
            required
            value={v.years ?? ''}
            errors={s.errors}
          />
          <p class="actions">
            <button type="submit">Changer la durée</button>
          </p>
        </PostForm>}
      </section>

      <section aria-labelledby="archives">
        <h2 id="archives">Archive intermédiaire et archives publiques</h2>
        <p>
          {s.regime.activeBaseMonths} mois après la fin de l’accompagnement, les documents de la personne passent en archive intermédiaire : ils restent listés, mais leur contenu
          n’est plus consultable que par un administrateur qui ouvre l’archive depuis le dossier de la personne en indiquant le motif, enregistré au journal (référentiels CNIL du
          secteur social et médico-social, délibérations n° 2021-028 et n° 2023-095).
        </p>
        <p>
          {s.regime.publicLaw
            ? 'Les dossiers de l’organisation sont des archives publiques (1° ou 2° de l’article L.211-4 du Code du patrimoine). Leur élimination se fait dans les conditions de l’art. L.212-2, deuxième alinéa : une purge ne s’exécute qu’avec le visa, sur le bordereau d’élimination, de la personne chargée du contrôle scientifique et technique de l’État sur les archives (art. R.212-14) ; la référence du visa, sa date, le nom et la qualité de son signataire sont demandés et journalisés. Une élimination sans ce visa est une infraction (art. L.214-3).'
            : 'Les dossiers ne sont pas déclarés archives publiques : la purge ne demande pas de visa des archives.'}
        </p>
        <p>
          Sont des archives publiques (Code du patrimoine, art. L.211-4) : 1° les documents d’une personne morale de droit public — établissement public, CCAS, EHPAD d’une commune ou
          d’un hôpital ; 2° les documents qui procèdent de la gestion d’un service public ou de l’exercice d’une mission de service public par une personne de droit privé. Le Conseil
          d’État a jugé qu’un organisme privé gérant un centre d’aide par le travail n’exerce pas de mission de service public (Conseil d’État, Section, 22 février 2007, APREI,
          n° 264541) ; la solution est en principe transposée aux autres établissements sociaux et médico-sociaux privés, même habilités à l’aide sociale, sans être tranchée pour
          tous : sauf acte qui l’en charge, les dossiers d’un organisme privé n’en relèvent en principe pas ; en cas de doute, il vérifie auprès du service d’archives départementales.
        </p>
        {s.regime.activeBaseMonths < CNIL_ACTIVE_BASE_MONTHS ? (
          // A warning, not a refusal: the organisation may choose shorter (RGPD art. 5 1 e), but should know what it costs.
          <Notice kind="warning">
            <p>
              La base active est de {activeBaseText(s.regime.activeBaseMonths)}, moins que les 2 ans à compter du dernier contact du référentiel CNIL du secteur social et
              médico-social (délibération n° 2023-095). Passé ce délai, l’équipe ne peut plus lire les documents de la personne (une réclamation, une facture contestée, un retour
              dans l’établissement) sans qu’un administrateur ouvre l’archive en indiquant un motif. Vérifiez que cette durée est voulue.
            </p>
          </Notice>
        ) : null}
        {s.mayChange === false ? <OrganisationWideNote what="Ce régime vaut" /> : null}
        {s.mayChange === false ? null : <PostForm action="/console/conservation/archives" csrf={csrf}>
          <TextField
            name="activeBaseMonths"
            type="number"
            inputMode="numeric"
            label="Durée en base active, en mois"
            hint="De 0 à 1200 mois après la fin de l’accompagnement ; 24 par défaut (2 ans après le dernier contact, référentiel CNIL). Le changement est journalisé."
            required
            value={v.activeBaseMonths ?? String(s.regime.activeBaseMonths)}
            errors={s.errors}
          />
          <Checkbox
            name="publicLaw"
            label="Archives publiques (1° ou 2° de l’article L.211-4 du Code du patrimoine) : les dossiers de l’organisation en sont"
            checked={v.activeBaseMonths !== undefined ? v.publicLaw === 'oui' : s.regime.publicLaw}
            errors={s.errors}
          />
          <p class="hint">
            À cocher pour une personne morale de droit public (1°), et pour un organisme privé dont les dossiers procèdent d’une mission de service public (2°) — ce qui n’est en
            principe pas le cas d’une association gestionnaire, même habilitée à l’aide sociale (solution de l’arrêt APREI du Conseil d’État, 22 février 2007, rendu pour un centre
            d’aide par le travail et transposée aux autres établissements sans être tranchée pour tous) : en cas de doute, vérifiez avec le service d’archives départementales. Toute purge demandera alors le visa des archives.
          </p>
          <p class="actions">
            <button type="submit">Enregistrer le régime des archives</button>
          </p>
        </PostForm>}
      </section>

      <section aria-labelledby="gels">
        <h2 id="gels">Gels en place</h2>
        {s.holds.length ? (
          <div class="table-scroll">
            <table class="stacked">
              <caption>Les gels en place dans l’organisation, les plus récents d’abord</caption>
              <thead>
                <tr>
                  <th scope="col">Sur</th>
                  <th scope="col">Motif</th>
                  <th scope="col">Placé par</th>
                  <th scope="col">Depuis le</th>
                </tr>
              </thead>
              <tbody>
                {s.holds.map((h) => (
                  <tr key={h.id}>
                    <th scope="row">
                      <SubjectName actor={actor} kind={h.subjectType} id={h.subjectId} subjects={s.subjects} />
                    </th>
                    <td data-label="Motif">{h.reason}</td>
                    <td data-label="Placé par">{s.staff.get(h.placedBy) ?? 'un compte inconnu'}</td>
                    <td data-label="Depuis le">{formatDateTimeFr(h.placedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Aucun gel en place.</p>
        )}
        <p class="hint">Un gel se place et se lève depuis le dossier de la personne, ou depuis la page du document pour un document seul.</p>
      </section>

      <section aria-labelledby="purge">
        <h2 id="purge">Simuler une purge</h2>
        <p>
          La simulation montre ce qui serait supprimé aujourd’hui dans les établissements dont vous gérez les archives, et ce qui est gardé, avec les raisons. Elle ne supprime rien ; elle est
          journalisée.
        </p>
        <PostForm action="/console/conservation/simulations" csrf={csrf}>
          <p class="actions">
            <button type="submit">Simuler une purge</button>
          </p>
        </PostForm>
      </section>
    </ConsolePage>,
  );
}

/** Instead of a form that changes what holds for the whole organisation, for whoever does not manage records in all its establishments. */
function OrganisationWideNote(props: { what: string }) {
  return (
    <p class="hint">
      {props.what} pour tous les établissements de l’organisation : seul un administrateur de tous les établissements de l’organisation peut {props.what.startsWith('Ces') ? 'les' : 'le'} changer.
    </p>
  );
}

/** The organisation's totals: what this reader sees listed and what is counted in the establishments she does not manage. */
function purgeTotals(r: PurgeReportView): { documents: number; residents: number } {
  const elsewhere = r.elsewhere ?? [];
  return {
    documents: r.documents.length + elsewhere.reduce((n, e) => n + e.documents, 0),
    residents: r.residents.length + elsewhere.reduce((n, e) => n + e.residents, 0),
  };
}

/**
 * The items of the establishments whose records this reader does not manage: counted per
 * establishment, not named (purgeReportFor; SECURITY-RELIABILITY.md, a permission is checked in the
 * establishment of the record). The purge deletes them too: it is the organisation's.
 */
function Elsewhere(props: { report: PurgeReportView }) {
  const list = props.report.elsewhere ?? [];
  if (!list.length) return null;
  return (
    <>
      <p>Dans les établissements dont vous ne gérez pas les archives, sans leurs noms :</p>
      <ul>
        {list.map((e, i) => (
          <li key={e.establishmentId ?? 'inconnu'}>
            {e.establishmentName ?? 'Établissement non connu (élément supprimé depuis la simulation)'} : {plural(e.documents, 'document', 'documents')}, {plural(e.residents, 'dossier de personne', 'dossiers de personnes')}
            {i === list.length - 1 ? '.' : '\u00a0;'}
          </li>
        ))}
      </ul>
      <p>Seul un administrateur de ces établissements les voit nommés ; seul l’auteur de la simulation, administrateur de chacun de ses établissements, peut l’exécuter.</p>
    </>
  );
}

function ItemsTable(props: { actor: StaffActor; caption: string; head: string; kind: 'resident' | 'document'; items: PurgeReport['documents']; subjects: Subjects }) {
  const shown = props.items.slice(0, REPORT_ROWS_SHOWN);
  return (
    <>
      <div class="table-scroll">
        <table class="stacked">
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{props.head}</th>
              <th scope="col">Fin de l’accompagnement</th>
              <th scope="col">Fin de la conservation</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((i) => (
              <tr key={i.id}>
                <th scope="row">
                  <SubjectName actor={props.actor} kind={props.kind} id={i.id} subjects={props.subjects} />
                </th>
                <td data-label="Fin de l’accompagnement">{formatDateFr(i.departedOn)}</td>
                <td data-label="Fin de la conservation">{formatDateFr(i.retentionEnds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.items.length > shown.length ? <p>Et {plural(props.items.length - shown.length, 'autre', 'autres')}, non affichés ici.</p> : null}
    </>
  );
}

/**
 * « Exécuter la purge » (as POST /api/retention/purge-reports/:id/run): what it deletes for good and
 * what it keeps, a box to tick to confirm, once, within PURGE_REPORT_VALID_DAYS of the simulation.
 */
function RunForm(props: { s: PurgeReportPageState; csrf: string }) {
  const { s } = props;
  const r = s.report;
  const t = purgeTotals(r);
  const what = `${plural(t.documents, 'document', 'documents')} et ${plural(t.residents, 'dossier de personne', 'dossiers de personnes')}`;
  return (
    <section aria-labelledby="executer">
      <h2 id="executer">Exécuter la purge</h2>
      {s.runRefusal ? (
        // Not hers, or an establishment she does not manage (DataJobsService.purgeRunRefusal): no form.
        <p>{s.runRefusal}</p>
      ) : s.expired ? (
        <p>Cette simulation a plus de {PURGE_REPORT_VALID_DAYS} jours : lancez une nouvelle simulation depuis la page Conservation des données pour purger.</p>
      ) : !t.documents && !t.residents ? (
        <p>Rien à supprimer : il n’y a pas de purge à exécuter.</p>
      ) : (
        <>
          <p>
            La purge supprime définitivement ce qui est {r.elsewhere?.length ? 'listé ou compté' : 'listé'} ci-dessus ({what}), avec les fichiers des documents. Elle garde le journal d’audit et, pour chaque élément supprimé, la date et l’empreinte de ce qui a
            été supprimé. Ce qui a été gelé depuis la simulation, ou dont la conservation a repris, est gardé.
          </p>
          <PostForm action={`/console/conservation/simulations/${s.id}/executer`} csrf={props.csrf}>
            {s.publicLaw ? <VisaFields errors={s.errors} values={s.values ?? {}} /> : null}
            <Checkbox name="confirm" label={`Je confirme la suppression définitive de ${what}.`} errors={s.errors} />
            <p class="actions">
              <button type="submit" class="danger">
                Exécuter la purge
              </button>
            </p>
          </PostForm>
          <p class="hint">
            Une seule fois, dans les {PURGE_REPORT_VALID_DAYS} jours qui suivent la simulation ; aussi par l’API ou la ligne de commande : <code>purge --report</code>.
          </p>
        </>
      )}
    </section>
  );
}

/**
 * A purge of public archives (Code du patrimoine L.211-4, 1° or 2°): the visa on the elimination
 * list of « la personne chargée du contrôle scientifique et technique de l'État sur les archives »
 * (R.212-14; the elimination itself follows L.212-2, second paragraph), asked before the run
 * (DataJobsService.requestPurge checks it). `visaSignatory` holds that person's name and quality.
 */
function VisaFields(props: { errors?: FieldError[]; values: Record<string, string> }) {
  return (
    <fieldset>
      <legend>Visa du contrôle scientifique et technique de l’État sur les archives</legend>
      <p class="hint">
        Archives publiques (1° ou 2° de l’article L.211-4 du Code du patrimoine) : leur élimination est interdite sans le visa, sur le bordereau d’élimination, de la personne chargée du contrôle
        scientifique et technique de l’État sur les archives (art. R.212-14 ; élimination dans les conditions de l’art. L.212-2). Le visa est enregistré avec la purge et dans le
        journal d’audit.
      </p>
      <TextField name="visaReference" label="Référence du visa" hint="Le numéro du bordereau d’élimination visé." required value={props.values.visaReference ?? ''} errors={props.errors} />
      <TextField name="visaDate" type="date" label="Date du visa" required value={props.values.visaDate ?? ''} errors={props.errors} />
      <TextField
        name="visaSignatory"
        label="Nom et qualité du signataire du visa"
        hint="La personne chargée du contrôle scientifique et technique de l’État sur les archives qui a visé le bordereau, par exemple : Mme Durand, directrice des archives départementales de la Gironde."
        required
        value={props.values.visaSignatory ?? ''}
        errors={props.errors}
      />
    </fieldset>
  );
}

/** Whether the report was carried out, and what the purge did: the page is read again after it ran (Archives links to it). */
function RunNotice(props: { createdAt: string; run: DataJobView | null; fresh: boolean }) {
  const { run } = props;
  const computed = `Simulation calculée le ${formatDateTimeFr(props.createdAt)}`;
  const say = (kind: 'success' | 'warning' | 'info', text: string) => (
    <Notice kind={kind}>
      <p>{text}</p>
    </Notice>
  );
  if (!run) return say(props.fresh ? 'success' : 'info', `${computed} : rien n’a été supprimé.`);
  const asked = `La purge demandée le ${formatDateTimeFr(run.createdAt)}`;
  if (run.status === 'failed') return say('warning', `${computed}. ${asked} a échoué : ${run.error ?? 'erreur inconnue'}.`);
  if (run.status !== 'done') return say('info', `${computed}. ${asked} est en cours${run.total ? ` (${run.done} sur ${run.total})` : ''}.`);
  const o = run.report as PurgeOutcome;
  const kept = o.skipped ? `, ${plural(o.skipped, 'élément gardé', 'éléments gardés')} (gelé ou dont la conservation a repris depuis la simulation)` : '';
  return say(
    'info',
    `${computed}. Purge exécutée le ${formatDateTimeFr(run.finishedAt!)} : ${plural(o.documents, 'document supprimé', 'documents supprimés')}, ${plural(o.residents, 'dossier supprimé', 'dossiers supprimés')}${kept}.`,
  );
}

/** What a simulation's page shows (ConservationController.reportPage). */
export interface PurgeReportPageState {
  id: string;
  /** As this reader sees it (purgeReportFor): her establishments' items listed, the others' in `elsewhere`. */
  report: PurgeReportView;
  createdAt: string;
  subjects: Subjects;
  fresh: boolean;
  run: DataJobView | null;
  /** Past PURGE_REPORT_VALID_DAYS: it can no longer be run. */
  expired: boolean;
  /** The names of the establishments the report covers (PurgeReport.establishmentIds; the organisation's for a report drawn before). */
  establishments?: string[];
  /** Why this reader may not run it (DataJobsService.purgeRunRefusal): shown instead of the run form. */
  runRefusal?: string | null;
  /** Public archives (L.211-4, 1° or 2°): the run form asks for the visa of the contrôle scientifique et technique (Code du patrimoine R.212-14). */
  publicLaw?: boolean;
  /** The run form's values, when refused. */
  values?: Record<string, string>;
  /** The run form refused: its field's error (400), or the service's conflict (409). */
  errors?: FieldError[];
  refusal?: string;
}

/** GET /console/conservation/simulations/:id: a dry-run report (DataJobsService.purgeReport), and the purge that carried it out if any. */
export function purgeReportPage(actor: StaffActor, csrf: string, s: PurgeReportPageState): string {
  const r = s.report;
  const k = r.kept;
  const t = purgeTotals(r);
  const title = `Simulation de purge du ${formatDateFr(r.day)}`;
  return renderPage(
    <ConsolePage title={`${s.errors?.length || s.refusal ? 'Erreur — ' : ''}${title}`} actor={actor} csrf={csrf} current="conservation">
      <p>
        <a href="/console/conservation">Conservation des données</a>
      </p>
      <h1>{title}</h1>
      <RefusedFormSummary errors={s.errors} labels={FIELD_LABELS} />
      {s.refusal ? <ErrorSummary message={`La purge n’a pas été lancée : ${s.refusal}`} /> : null}
      <RunNotice createdAt={s.createdAt} run={s.run} fresh={s.fresh} />
      {s.run && s.run.status !== 'done' && s.run.status !== 'failed' ? (
        <p>
          <a href={`/console/conservation/simulations/${s.id}`}>Actualiser la page</a> pour suivre la purge.
        </p>
      ) : null}
      {s.establishments?.length ? (
        <p>
          {s.establishments.length === 1 ? 'Établissement couvert' : 'Établissements couverts'} (ceux dont l’auteur de la simulation gère les archives) : {s.establishments.join(', ')}.
        </p>
      ) : null}
      <section aria-labelledby="supprime">
        <h2 id="supprime">{s.run ? 'Ce que la simulation prévoyait de supprimer' : 'Ce qui serait supprimé aujourd’hui'}</h2>
        <ul>
          <li>{plural(t.documents, 'document', 'documents')} dont la durée de conservation est écoulée ;</li>
          <li>{plural(t.residents, 'dossier de personne', 'dossiers de personnes')} (identité, contacts, mesures de protection).</li>
        </ul>
        <Elsewhere report={r} />
        {r.documents.length ? <ItemsTable actor={actor} caption={s.run ? 'Documents que la simulation prévoyait de supprimer' : 'Documents qui seraient supprimés'} head="Document" kind="document" items={r.documents} subjects={s.subjects} /> : null}
        {r.residents.length ? <ItemsTable actor={actor} caption={s.run ? 'Dossiers que la simulation prévoyait de supprimer' : 'Dossiers qui seraient supprimés'} head="Personne" kind="resident" items={r.residents} subjects={s.subjects} /> : null}
      </section>
      <section aria-labelledby="garde">
        <h2 id="garde">Ce qui est gardé, et pourquoi</h2>
        <p>Seuls les documents et dossiers de personnes dont l’accompagnement a pris fin sont comptés ici ; rien d’une personne encore accompagnée n’est supprimé.</p>
        <ul>
          <li>Sous un gel : {plural(k.heldDocuments, 'document', 'documents')}, {plural(k.heldResidents, 'dossier', 'dossiers')} ;</li>
          {/* RGPD art. 15; after a death CSP L.1110-4 V, L.1111-7: the answer is made from her file and documents. */}
          <li>
            Demande d’accès en cours : {plural(k.openAccessRequestDocuments ?? 0, 'document', 'documents')}, {plural(k.openAccessRequestResidents ?? 0, 'dossier', 'dossiers')} ;
          </li>
          <li>Durée de conservation en cours : {plural(k.inRetentionDocuments, 'document', 'documents')}, {plural(k.inRetentionResidents, 'dossier', 'dossiers')} ;</li>
          <li>Documents en cours de génération ou de signature : {k.inProgressDocuments.toLocaleString('fr-FR')} ;</li>
          <li>Dossiers gardés parce qu’un de leurs documents l’est : {k.residentsWithKeptDocuments.toLocaleString('fr-FR')}.</li>
        </ul>
      </section>
      {s.run ? null : <RunForm s={s} csrf={csrf} />}
    </ConsolePage>,
  );
}

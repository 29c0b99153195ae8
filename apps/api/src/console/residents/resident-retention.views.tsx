import { type Civility, FieldError, calendarDayIn, formatDateFr, formatTimeFr, ofName } from '@carepact/common';
import { endOfStayText, exitAfterDeathText } from '@carepact/residents';
import { LegalHoldView, RETENTION_START_TEXT, RetentionPolicyView, RetentionStart, retentionEnds } from '@carepact/archive';
import { PostForm, RadioGroup, TextField, renderFragment } from '../../views';
import { HoldsBlock } from '../retention/holds.views';
import { residentPath } from './resident-forms.views';
import type { OpenRequestOfResident } from '@carepact/signing';

/** Field names of the retention forms on the file, as the summary at the top names them. */
export const RETENTION_FIELD_LABELS: Record<string, string> = {
  departedOn: 'Fin de l’accompagnement',
  endReason: 'Départ ou décès',
  deceasedOn: 'Date du décès',
  vacatedOn: 'Date de l’état des lieux de sortie',
  holdReason: 'Motif du gel',
  archiveReason: 'Motif de l’ouverture de l’archive',
  liftReason: 'Motif de la levée du gel',
};

export interface RetentionSectionState {
  residentId: string;
  departedOn: string | null;
  /** The date of death, when the accompaniment ended by it (residents.deceased_on): « Décédée le … ». */
  deceasedOn?: string | null;
  /** Her civility, for « Décédée » / « Décédé », « Partie » / « Parti » (endOfStayText). */
  civility?: Civility | null;
  /** The day the retention counts from, when it is later than the departure (C. civ. 2235). */
  start?: RetentionStart | null;
  policies: RetentionPolicyView[];
  /** Active holds on the person (subjectId = the resident). */
  holds: LegalHoldView[];
  /** Who placed each hold (`staff:<id>` → name), for those who see the holds' details. */
  names: Map<string, string>;
  /** records.manage: the forms, and the holds' reasons and authors. */
  manage: boolean;
  /**
   * The intermediate archive (libs/documents intermediate-archive.ts): since when her documents are
   * in it (null: not yet), until when this reader opened it, and the organisation's active base.
   */
  archive?: { since: string | null; openUntil: string | null; activeBaseMonths: number };
  /** Her signature requests still open (SignatureRequestsService.openForResident), for records.manage: the departure form names them. */
  openRequests?: OpenRequestOfResident[];
  csrf: string;
  errors?: FieldError[];
  values?: Record<string, string>;
}

/** « 1 an », « 5 ans ». */
export const yearsText = (n: number) => `${n} an${n > 1 ? 's' : ''}`;

/**
 * What the end of the accompaniment starts, in one sentence: the durations of the organisation's
 * policies (RetentionService.policies: the file's and each document type's), with the rule the
 * defaults follow (retention-defaults.ts: C. civ. art. 2224 and 2226, CNIL délibération n° 2023-095).
 */
export function retentionSentence(policies: RetentionPolicyView[]): string {
  const file = policies.find((p) => p.subject === 'dossier-resident');
  // The duration for a person admitted as a minor is not a document type's (RETENTION_DEFAULTS['accompagnement-mineur']).
  const docs = policies.filter((p) => p.subject !== 'dossier-resident' && p.subject !== 'accompagnement-mineur').map((p) => p.years);
  const all = [...docs, ...(file ? [file.years] : [])];
  const min = Math.min(...all);
  const max = Math.max(...all);
  const howLong =
    min === max
      ? `le dossier de la personne et ses documents sont conservés ${yearsText(min)} après cette date`
      : `le dossier de la personne est conservé ${yearsText(file?.years ?? max)} après cette date, ses documents de ${yearsText(Math.min(...docs))} à ${yearsText(Math.max(...docs))} selon leur type`;
  const custom = policies.some((p) => p.custom) ? ', durées fixées par l’organisation' : '';
  return `La fin de l’accompagnement fait courir la durée de conservation : ${howLong}, puis ils sont supprimés sauf gel (prescription des actions personnelles, C. civ. art. 2224, et de l’action en responsabilité pour dommage corporel, art. 2226 ; référentiel CNIL du secteur social et médico-social, délibération n° 2023-095${custom}).`;
}

/**
 * The file's « Fin de l’accompagnement et conservation » section (issue 11 in the console): the
 * departure and what it starts, the legal holds on the person; for records.manage the forms that
 * record or clear the departure and place or lift a hold (RetentionService: its validation, its
 * audit events). Rendered on each request (the holds' authors and the forms' errors are per person).
 */
export function residentRetentionSection(s: RetentionSectionState): string {
  const base = residentPath(s.residentId);
  const v = s.values ?? {};
  const active = s.holds.filter((h) => !h.liftedAt);
  const fileYears = s.policies.find((p) => p.subject === 'dossier-resident')?.years;
  const deceased = !!s.deceasedOn;
  // « Partie le … » and alive as far as the file knows: her death may be recorded later, her departure kept (migration 1764290000000).
  const leftAlive = !!s.departedOn && !deceased;
  // The date the main form edits: the death's after a death, else the departure's.
  const shownDate = s.deceasedOn ?? s.departedOn ?? '';
  // A departure before the death can only have been recorded as such: it is kept (RetentionService.recordDeparture).
  const keptBeforeDeath = deceased && !!s.departedOn && s.departedOn < s.deceasedOn!;
  // The état des lieux (CASF R.314-149 I): while accompanied, or after a death whose end is that day or later.
  const offerVacated = !s.departedOn || (deceased && !keptBeforeDeath);
  const exit = exitAfterDeathText(s);
  return renderFragment(
    <section aria-labelledby="conservation">
      <h2 id="conservation">Fin de l’accompagnement et conservation</h2>
      <dl class="facts">
        <dt>Fin de l’accompagnement</dt>
        {/* After a death, the end of the accompaniment when it is another day: « Sortie le … », from which retention counts. */}
        <dd>{exit ? `${endOfStayText(s)}. ${exit} : fin de l’accompagnement.` : (endOfStayText(s) ?? 'en cours')}</dd>
        {s.departedOn && fileYears ? (
          <>
            <dt>Conservation du dossier</dt>
            <dd>
              jusqu’au {formatDateFr(retentionEnds(s.start?.day ?? s.departedOn, fileYears))} inclus
              {s.start && s.start.reason !== 'depart' ? `, ${RETENTION_START_TEXT[s.start.reason]}` : ''}
              {active.length ? ', prolongée tant que le gel est en place' : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <p class="hint">
        {s.departedOn ? '' : 'Tant que la personne est accompagnée, rien de son dossier n’est supprimé. '}
        {retentionSentence(s.policies)}
      </p>
      {/* A newcomer's review of session 17: as admissions or director she saw « en cours » and no form, nor whom to ask. */}
      {!s.manage && !s.departedOn ? (
        <p class="hint" id="fin-qui">
          La fin de l’accompagnement (départ, décès) est enregistrée par un administrateur de l’établissement, qui gère les dossiers et leur conservation : prévenez-le.
          La « fin prévue » du séjour, dans l’identité et le séjour, n’en tient pas lieu.
        </p>
      ) : null}
      {s.manage ? (
        <>
          <PostForm action={`${base}/fin-accompagnement`} csrf={s.csrf}>
            {leftAlive ? (
              // « Partie le … »: this form corrects her departure; her death is recorded with the form below, the departure kept.
              <input type="hidden" name="endReason" value="departure" />
            ) : (
              /* How it ended: the recorded end when there is one, else « Départ » (the usual case); a death is said as such. */
              <RadioGroup
                name="endReason"
                label="L’accompagnement a pris fin par"
                hint="Un décès met fin à la mesure de protection (C. civ. art. 443) et au séjour : ses demandes de signature en cours sont alors annulées, sauf celles que la personne ou ceux qui signaient pour elle ont déjà toutes signées, gardées pour la contresignature de la direction (C. civ. art. 1121)."
                options={[
                  ['departure', 'Départ'],
                  ['death', 'Décès'],
                ]}
                value={v.endReason ?? (deceased ? 'death' : 'departure')}
                errors={s.errors}
              />
            )}
            <TextField
              name="departedOn"
              type="date"
              label={deceased ? 'Corriger la date du décès' : leftAlive ? 'Corriger la date du départ' : 'Date de fin de l’accompagnement'}
              hint={
                leftAlive
                  ? 'Au plus tôt la date d’admission, au plus tard aujourd’hui.'
                  : 'Date du départ, ou date du décès ; au plus tôt la date d’admission, au plus tard aujourd’hui.'
              }
              value={v.departedOn ?? shownDate}
              errors={s.errors}
            />
            {keptBeforeDeath ? (
              <p class="hint" id="depart-garde">
                Son départ du {formatDateFr(s.departedOn!)}, enregistré avant le décès, reste la fin de l’accompagnement : la durée de conservation court à partir de cette date.
              </p>
            ) : null}
            {offerVacated ? (
              <TextField
                name="vacatedOn"
                type="date"
                label="Décès : date de l’état des lieux de sortie (facultatif)"
                hint="Si la chambre a été libérée après le décès : la date de l’état des lieux contradictoire de sortie, qui est la date de sortie (CASF art. R.314-149). Elle est alors la fin de l’accompagnement et fait courir la conservation. Vide : la date du décès. Seulement avec « Décès »."
                value={v.vacatedOn ?? (deceased && s.departedOn !== s.deceasedOn ? (s.departedOn ?? '') : '')}
                errors={s.errors}
              />
            ) : null}
            {s.openRequests?.length ? (
              <OpenRequestsChoice
                open={s.openRequests}
                checked={v.cancelOpenRequests === 'oui'}
                departedOn={v.departedOn ?? (shownDate || null)}
                death={!leftAlive && (v.endReason ?? (deceased ? 'death' : 'departure')) === 'death'}
              />
            ) : null}
            <p class="actions">
              <button type="submit">Enregistrer la fin de l’accompagnement</button>
            </p>
          </PostForm>
          {leftAlive ? (
            // The sector lawyer's review of session 20: a person who left may be known to have died later; her departure stays the end.
            <PostForm action={`${base}/deces`} csrf={s.csrf}>
              <h3 id="deces">Décès</h3>
              <p class="hint" id="deces-aide">
                Si la personne est décédée après son départ (ou avant que sa chambre ne soit libérée), enregistrez ici la date de son décès. Son départ du{' '}
                {formatDateFr(s.departedOn!)} est gardé : l’accompagnement a pris fin à cette date, et la durée de conservation court toujours à partir d’elle. Un décès met fin à
                la mesure de protection (C. civ. art. 443) : ses demandes de signature encore en cours sont annulées, sauf celles que la personne ou ceux qui signaient pour elle ont
                déjà toutes signées, gardées pour la contresignature de la direction (C. civ. art. 1121).
              </p>
              <TextField
                name="deceasedOn"
                type="date"
                label="Date du décès"
                hint="Au plus tôt la date d’admission, au plus tard aujourd’hui ; avant ou après la date du départ."
                value={v.deceasedOn ?? ''}
                errors={s.errors}
              />
              <p class="actions">
                <button type="submit">Enregistrer son décès</button>
              </p>
            </PostForm>
          ) : null}
          {s.departedOn ? (
            <PostForm action={`${base}/fin-accompagnement/effacer`} csrf={s.csrf}>
              {deceased ? (
                <p class="hint" id="effacer-deces-aide">
                  Seule la date du décès est effacée si un départ avait été enregistré avant elle : il reste la fin de l’accompagnement. Sinon la fin de l’accompagnement, enregistrée avec
                  le décès, est effacée avec lui.
                </p>
              ) : null}
              <p class="actions">
                {/* After a death, only the death entered by mistake is undone (RetentionService.recordDeparture with null), never « de nouveau accompagnée ». */}
                <button type="submit" class="secondary">
                  {s.deceasedOn ? 'Effacer la date de décès (saisie par erreur)' : 'Effacer la date : la personne est de nouveau accompagnée'}
                </button>
              </p>
            </PostForm>
          ) : null}
        </>
      ) : null}

      {s.archive ? <ArchiveBlock base={base} departedOn={s.departedOn} archive={s.archive} manage={s.manage} csrf={s.csrf} errors={s.errors} values={v} /> : null}

      <h3 id="gels">Gel (conservation au-delà de la durée)</h3>
      <HoldsBlock base={base} subject="resident" active={active} names={s.names} manage={s.manage} csrf={s.csrf} errors={s.errors} values={v} />
    </section>,
  );
}

/**
 * In the departure form: her signature requests still open, and « Annuler ces demandes » to cancel
 * them with the departure (SignatureRequestsService.cancelForDeparture). Left open, they go on until
 * their deadline; once her file is in the intermediate archive their links no longer open, and a
 * document « en signature » keeps her whole file from the purge.
 */
function OpenRequestsChoice(props: { open: OpenRequestOfResident[]; checked: boolean; departedOn: string | null; death: boolean }) {
  const n = props.open.length;
  // The reason as signing's departureCancelReason writes it: the date when the form already has a valid one.
  const day = props.departedOn && /^\d{4}-\d{2}-\d{2}$/.test(props.departedOn) ? formatDateFr(props.departedOn) : null;
  const reason = (word: string) => `« ${word} de la personne le ${day ?? '…'} »`;
  // The choice shown first is the one selected above (without script the page cannot follow a change): both reasons are said.
  const [first, other] = props.death ? [reason('Décès'), reason('Départ')] : [reason('Départ'), reason('Décès')];
  return (
    <div class="notice warning" id="demandes-en-cours">
      <p>
        <strong>{n === 1 ? '1 demande de signature est en cours :' : `${n} demandes de signature sont en cours :`}</strong>
      </p>
      <ul>
        {props.open.map((o) => (
          <li key={o.id}>
            <a href={`/console/documents/${o.documentId}#demande-${o.id}`}>{o.document.charAt(0).toUpperCase() + o.document.slice(1)}</a> : envoyée le {formatDateFr(o.sentOn)}, échéance le {formatDateFr(calendarDayIn(new Date(o.deadline)))}
            {o.waitingFor.length ? `, en attente ${ofName(o.waitingFor.join(', '))}` : ''}
            {/* Her side has signed, only the director's countersignature is pending: a death keeps it open (C. civ. 1121). */}
            {o.personSideSigned ? ' ; signée du côté de la personne : maintenue en cas de décès, pour la contresignature de la direction' : ''}
          </li>
        ))}
      </ul>
      <p>
        Après un départ, sans annulation, {n === 1 ? 'elle se poursuit' : 'elles se poursuivent'} jusqu’à {n === 1 ? 'son' : 'leur'} échéance. Une fois le dossier en archive intermédiaire, les liens
        des signataires ne s’ouvrent plus, et un document resté « en signature » empêche la suppression du dossier à la fin de sa conservation.
      </p>
      <div class="choice">
        <input type="checkbox" id="cancelOpenRequests" name="cancelOpenRequests" value="oui" checked={props.checked} aria-describedby="cancelOpenRequests-aide" />
        <label for="cancelOpenRequests">Annuler {n === 1 ? 'cette demande' : 'ces demandes'}</label>
      </div>
      <p class="hint" id="cancelOpenRequests-aide">
        Le motif inscrit dans l’historique sera {first}
        {day ? '' : ', avec la date de fin saisie ci-dessus'} ({other} pour {props.death ? 'un départ' : 'un décès'}). Après un décès, les demandes sont annulées même
        sans cette case : plus personne ne signe au nom de la personne (C. civ. art. 443) ; restent ouvertes celles que la personne ou ceux qui signaient pour elle
        ont toutes signées, pour la contresignature de la direction (l’accord est donné avant le décès, C. civ. art. 1121). Les liens des signataires cessent de fonctionner. Ceux qui avaient reçu la
        demande et ont une adresse e-mail sont prévenus par e-mail de l’annulation, pour cause de départ de la personne ou, sobrement, de son décès (la personne
        elle-même ne reçoit alors aucun e-mail) ; aucun e-mail n’est envoyé si le dossier passe en archive intermédiaire.
      </p>
    </div>
  );
}

/** « 24 mois », « 1 mois ». */
const monthsText = (n: number) => (n % 12 === 0 && n > 0 ? yearsText(n / 12) : `${n} mois`);

/** The day `months` after `day` (the end of the month when it has no such day), as the database's interval. */
function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const end = new Date(Date.UTC(y, m - 1 + months, d));
  if (end.getUTCDate() !== d) end.setUTCDate(0);
  return end.toISOString().slice(0, 10);
}

/**
 * « Archive intermédiaire »: when her documents leave the active base, and since then who reads
 * their content (an administrator who opens the archive with a reason: CNIL délibérations
 * n° 2021-028 and n° 2023-095, access restricted to a specific need). For records.manage the form.
 */
function ArchiveBlock(p: {
  base: string;
  departedOn: string | null;
  archive: { since: string | null; openUntil: string | null; activeBaseMonths: number };
  manage: boolean;
  csrf: string;
  errors?: FieldError[];
  values: Record<string, string>;
}) {
  const a = p.archive;
  if (!p.departedOn) return null;
  const next = new Date(`${addMonths(p.departedOn, a.activeBaseMonths)}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const from = a.since ?? next.toISOString().slice(0, 10);
  return (
    <>
      <h3 id="archive-intermediaire">Archive intermédiaire</h3>
      {a.since ? (
        <p>
          Depuis le {formatDateFr(a.since)} ({monthsText(a.activeBaseMonths)} après la fin de l’accompagnement), ses documents sont en archive intermédiaire : ils restent
          listés, mais leur contenu n’est consultable que par un administrateur qui ouvre l’archive en indiquant le motif (contentieux, demande de la personne…), motif
          enregistré au journal.
        </p>
      ) : (
        <p>
          À partir du {formatDateFr(from)} ({monthsText(a.activeBaseMonths)} après la fin de l’accompagnement), ses documents passeront en archive intermédiaire : leur
          contenu ne sera plus consultable que par un administrateur, sur motif.
        </p>
      )}
      {a.since && a.openUntil ? <p class="notice">Archive ouverte pour vous jusqu’à {formatTimeFr(new Date(a.openUntil))}.</p> : null}
      {a.since && !a.openUntil && p.manage ? (
        <PostForm action={`${p.base}/archive/ouvrir`} csrf={p.csrf}>
          <TextField
            name="archiveReason"
            label="Motif de l’ouverture de l’archive"
            required
            hint="Pourquoi consulter ces documents maintenant (contentieux, demande de la personne ou de ses ayants droit…) ; de 3 à 500 caractères. L’ouverture vaut pour vous seul, une heure."
            value={p.values.archiveReason ?? ''}
            errors={p.errors}
          />
          <p class="actions">
            <button type="submit">Ouvrir l’archive intermédiaire</button>
          </p>
        </PostForm>
      ) : null}
    </>
  );
}

/**
 * Retention defaults (issue 11 item 4), per document type and for the resident's file, in whole
 * years counted from the END OF THE ACCOMPANIMENT (`residents.departed_on`). While a person is
 * accompanied nothing of theirs is ever purged, whatever the duration.
 *
 * Source: CNIL, délibération n° 2023-095 du 14 septembre 2023 portant adoption d'un référentiel
 * relatif aux durées de conservation des données traitées dans le secteur social et médico-social
 * (it completes the CNIL's 2021 référentiel on the accueil, l'hébergement et l'accompagnement of
 * older, disabled and vulnerable people). For « accueil, hébergement et accompagnement social et
 * médico-social (hors dossier médical) » it sets: active base 2 years from the last contact with the
 * person accompanied; then an intermediate archive only for a legal obligation or to prove a right,
 * within the applicable limitation period; then deletion or anonymisation (RGPD art. 5.1.e). (Lead's
 * note, session 4: the first version of this file cited a 2021 deliberation number that could not
 * be checked; the durations themselves did not change.)
 *
 * The référentiel names no figure per document type, so the total chosen is the end of the
 * limitation period its intermediate archive points to, counted from the departure (which is at the
 * latest the last contact: the 2 active years fall inside it) —
 * - contrat de séjour, DIPC, avenant (CASF L.311-4, D.311): a contract: Code civil art. 2224,
 *   personal actions prescribed five years from when the holder knew the facts, i.e. at the latest
 *   from the end of the stay → 5 years;
 * - projet personnalisé (CASF L.311-3 7°, D.311 V) and compte rendu de réunion de synthèse (part
 *   of the person's file, CASF L.311-3): they record how the person was accompanied, the proof an
 *   action for bodily injury needs (a fall, a bedsore, a wandering…). Code civil art. 2226: « L'action
 *   en responsabilité née à raison d'un événement ayant entraîné un dommage corporel […] se prescrit
 *   par dix ans à compter de la date de la consolidation du dommage initial ou aggravé » → 10 years.
 *   The consolidation is never before the event, itself at the latest the departure, so 10 years
 *   from the departure is the least the law supports; a consolidation later than the departure is
 *   what a legal hold is for. (Session 4 to 11 kept them 5 years, as the contract, under C. civ. 2224:
 *   shorter than 2226 allows — a sector lawyer's review, lead's note, session 12.)
 * - the same two documents of a person ADMITTED AS A MINOR (subject `accompagnement-mineur`, an IME,
 *   a MECS…): C. civ. art. 2226 al. 2, « en cas de préjudice causé […] par des violences ou des
 *   agressions sexuelles commises contre un mineur, l'action en responsabilité civile est prescrite
 *   par vingt ans », and C. civ. 2235: it does not run during minority → 20 years from her
 *   eighteenth birthday (her death, for a minor who died: the suspension ends with her), and at least
 *   the documents' own duration from the usual start (`minorAccompanimentEnds`; RetentionService.plan
 *   keeps the later of the two). Ten years from the
 *   departure could end before a victim's action does (a child of 10 leaving at 12: 22 vs 38).
 *   A choice, stated in the basis the Conservation page shows: for a crime of CPP art. 706-47 (rape…)
 *   on a minor the public action runs thirty years from majority (CPP art. 7 al. 3) and a civil
 *   action brought before the criminal court follows it (CPP art. 10 al. 1) — 30 years, which the
 *   organisation may set; the default stays the civil court's 20. For a rape, CPP art. 7 al. 3 (loi
 *   n° 2021-478 du 21 avril 2021, « prescription glissante ») extends it further, to the limitation
 *   of a new rape, sexual assault or sexual abuse committed by the same author on another minor before
 *   it expires: no fixed duration can cover that, the basis says so and points to the legal hold.
 * - the resident's file (identity, contacts, protection measures): needed to read the documents
 *   above and to answer the person (RGPD art. 15) while they are kept → 5 years, and never purged
 *   while one of her documents is kept (RetentionService.plan: `residentsWithKeptDocuments`).
 * Each organisation may change any duration (RGPD art. 5.2: the controller decides and documents
 * it), between 1 and 100 years; the change is audited.
 */
export const RETENTION_SUBJECTS = ['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese', 'accompagnement-mineur', 'dossier-resident'] as const;
export type RetentionSubject = (typeof RETENTION_SUBJECTS)[number];

export interface RetentionDefault {
  years: number;
  /** The rule, in French, shown beside the duration (API, CLI). */
  basis: string;
}

const CONTRACT = 'Fin de l’accompagnement + 5 ans : prescription des actions personnelles (C. civ. art. 2224), base active de 2 ans puis archivage intermédiaire probatoire du référentiel CNIL (délib. n° 2023-095).';

/** C. civ. art. 2226 (bodily injury: 10 years from the consolidation of the damage), for the documents that record the accompaniment. */
const BODILY_INJURY =
  'fin de l’accompagnement + 10 ans : trace de l’accompagnement, preuve d’une action en responsabilité pour dommage corporel, prescrite par dix ans à compter de la consolidation du dommage (C. civ. art. 2226) ; au-delà, un gel.';

export const RETENTION_DEFAULTS: Record<RetentionSubject, RetentionDefault> = {
  'contrat-sejour': { years: 5, basis: CONTRACT },
  dipc: { years: 5, basis: CONTRACT },
  avenant: { years: 5, basis: CONTRACT },
  'projet-personnalise': { years: 10, basis: 'Projet personnalisé (CASF L.311-3 7°) : ' + BODILY_INJURY },
  'compte-rendu-synthese': { years: 10, basis: 'Pièce du dossier de la personne (CASF L.311-3) : ' + BODILY_INJURY },
  'accompagnement-mineur': {
    years: 20,
    basis:
      'Personne admise mineure : ses 18 ans (ou son décès, s’il survient avant : la prescription court alors contre ses héritiers) + 20 ans pour le projet personnalisé et les comptes rendus de synthèse, preuve d’une action en responsabilité pour violences ou agressions sexuelles commises contre un mineur, prescrite par vingt ans (C. civ. art. 2226 al. 2) et qui ne court pas pendant la minorité (C. civ. art. 2235) ; jamais moins que la durée de ces documents comptée depuis la fin de l’accompagnement ; au-delà, un gel. Choix de la durée par défaut : l’action civile devant le juge civil. Pour un crime sexuel commis sur un mineur (crimes de l’art. 706-47 du code de procédure pénale, dont le viol), l’action publique se prescrit par trente ans à compter de sa majorité (CPP art. 7 al. 3), et l’action civile portée devant la juridiction pénale suit cette prescription (CPP art. 10 al. 1) : l’organisme peut porter cette durée à 30 ans. Pour un viol, ce délai est encore prolongé si le même auteur commet, avant son expiration, un nouveau viol ou une agression ou atteinte sexuelle sur un autre mineur (« prescription glissante », CPP art. 7 al. 3, loi n° 2021-478 du 21 avril 2021) : un gel garde alors les documents.',
  },
  'dossier-resident': { years: 5, basis: 'Nécessaire pour lire les documents conservés et répondre à la personne (RGPD art. 15), et gardé tant qu’un de ses documents l’est. ' + CONTRACT },
};

export const RETENTION_LABELS: Record<RetentionSubject, string> = {
  'contrat-sejour': 'Contrat de séjour',
  dipc: 'Document individuel de prise en charge',
  avenant: 'Avenant',
  'projet-personnalise': 'Projet personnalisé',
  'compte-rendu-synthese': 'Compte rendu de réunion de synthèse',
  'accompagnement-mineur': 'Projet personnalisé et compte rendu de synthèse d’une personne admise mineure',
  'dossier-resident': 'Dossier de la personne (identité, contacts, mesures de protection)',
};

export function isRetentionSubject(s: string): s is RetentionSubject {
  return (RETENTION_SUBJECTS as readonly string[]).includes(s);
}

/** Why the retention counts from its day: the departure, or later (C. civ. 2235). */
export type RetentionStartReason = 'depart' | 'majorite' | 'deces_mineure' | 'fin_tutelle';

export interface RetentionStart {
  day: string;
  reason: RetentionStartReason;
}

/**
 * The day the retention counts from. The durations above are the end of the limitation period
 * (C. civ. 2224), and C. civ. 2235 says it « ne court pas ou est suspendue contre les mineurs non
 * émancipés et les majeurs en tutelle »: for a person who leaves as a minor it starts at her
 * eighteenth birthday; for a person under tutelle when she leaves, at the end of that tutelle
 * (`tutelleEndsOn`: the end of the tutelle in force on the departure day, see `tutelleEndingAfter`
 * — at the latest her death, C. civ. 443 al. 1). Otherwise, the departure. (The design notes
 * counted from the departure only; the law wins — lead's note, session 11.)
 * A minor who died (`deceasedOn` before her eighteenth birthday) never reached it: the suspension
 * of C. civ. 2235 is hers, it lasts while she is a minor and ends with her; her actions pass to her
 * heirs (C. civ. 724), against whom the limitation runs from the death — as for the heirs of a
 * person under tutelle (C. civ. 1152 3°, « du jour du décès »), and as the tutelle's end is at the
 * latest the death (`tutelleEndingAfter`). So it counts from the death, not from a birthday she never
 * had. (An heir who is herself a minor has her own suspension: the file cannot know it, a legal
 * hold keeps what she may need.) Before, a deceased minor's file was kept from her would-be 18th
 * birthday, up to 18 years after her death.
 */
export function retentionStart(departedOn: string, birthDate: string | null, tutelleEndsOn: string | null, deceasedOn: string | null = null): RetentionStart {
  let start: RetentionStart = { day: departedOn, reason: 'depart' };
  const minority = minorityEnds(birthDate, deceasedOn);
  if (minority && minority.day > start.day) start = minority;
  if (tutelleEndsOn && tutelleEndsOn > start.day) start = { day: tutelleEndsOn, reason: 'fin_tutelle' };
  return start;
}

/**
 * The day the suspension of C. civ. 2235 for minority ends: her eighteenth birthday, or her death
 * when she died before it (`retentionStart`); null without a birth date.
 */
function minorityEnds(birthDate: string | null, deceasedOn: string | null): RetentionStart | null {
  if (!birthDate) return null;
  const majority = addYears(birthDate, 18);
  return deceasedOn && deceasedOn < majority ? { day: deceasedOn, reason: 'deces_mineure' } : { day: majority, reason: 'majorite' };
}

/**
 * The day a tutelle in force on `departedOn` ended (the latest, if several), or null. Its recorded
 * end date — unless the person died (`deceasedOn`, the day the accompaniment ended): the measure
 * ends at the death (C. civ. 443 al. 1), so the suspension of C. civ. 2235 ends then too, whatever
 * end the judgment had fixed, and a tutelle with no end recorded ends at the death as well. Before,
 * a death under tutelle counted from the judgment's end date, years after the death.
 */
export function tutelleEndingAfter(
  measures: readonly { type: string; judgmentDate: string; startDate: string | null; endDate: string | null }[],
  departedOn: string,
  deceasedOn: string | null = null,
): string | null {
  let end: string | null = null;
  for (const m of measures) {
    const ends = deceasedOn && (!m.endDate || m.endDate > deceasedOn) ? deceasedOn : m.endDate;
    if (m.type !== 'tutelle' || !ends || (m.startDate ?? m.judgmentDate) > departedOn || ends < departedOn) continue;
    if (!end || ends > end) end = ends;
  }
  return end;
}

/**
 * The same as `tutelleEndingAfter`, in SQL, for the resident aliased `r` (RetentionService.plan):
 * the end date, or the death when earlier or none is recorded (C. civ. 443 al. 1; `least` ignores a
 * null `deceased_on`, so for a living person it is the end date).
 */
export const TUTELLE_ENDING_AFTER_SQL = `(SELECT max(least(coalesce(m.end_date, r.deceased_on), r.deceased_on))::text FROM protection_measures m
   WHERE m.resident_id = r.id AND m.type = 'tutelle' AND coalesce(m.start_date, m.judgment_date) <= r.departed_on
     AND least(coalesce(m.end_date, r.deceased_on), r.deceased_on) >= r.departed_on)`;

/** French words for why the retention starts later than the departure (console, API). */
export const RETENTION_START_TEXT: Record<Exclude<RetentionStartReason, 'depart'>, string> = {
  majorite: 'comptée depuis ses 18 ans : la prescription ne court pas contre un mineur (C. civ. 2235)',
  deces_mineure: 'comptée depuis son décès, survenu avant ses 18 ans : la prescription, qui ne court pas contre un mineur (C. civ. 2235), court dès lors contre ses héritiers',
  fin_tutelle: 'comptée depuis la fin de sa tutelle : la prescription ne court pas contre un majeur en tutelle (C. civ. 2235)',
};

function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const end = new Date(Date.UTC(y + years, m - 1, d));
  if (end.getUTCMonth() !== m - 1) end.setUTCDate(0);
  return end.toISOString().slice(0, 10);
}

/** The documents that record the accompaniment, kept longer for a person admitted as a minor (C. civ. 2226 al. 2). */
export const MINOR_ACCOMPANIMENT_TYPES: readonly string[] = ['projet-personnalise', 'compte-rendu-synthese'];

/**
 * For a person admitted as a minor (admission before her eighteenth birthday), the last day the
 * documents that record her accompaniment (MINOR_ACCOMPANIMENT_TYPES) are kept at least: her
 * eighteenth birthday + `years` (the `accompagnement-mineur` duration, 20 by default: C. civ. 2226
 * al. 2, suspended during minority by C. civ. 2235); null for a person admitted as an adult. The
 * purge keeps the later of this and the document's own end (RetentionService.plan). A minor who
 * died before her eighteenth birthday (`deceasedOn`): her death + `years` — the suspension ends with
 * her, the action runs against her heirs from the death (`retentionStart`, C. civ. 2235, 724).
 */
export function minorAccompanimentEnds(birthDate: string | null, admissionDate: string | null, years: number, deceasedOn: string | null = null): string | null {
  if (!birthDate || !admissionDate) return null;
  const majority = addYears(birthDate, 18);
  return admissionDate < majority ? addYears(minorityEnds(birthDate, deceasedOn)!.day, years) : null;
}

/** The last day of retention: its start (`retentionStart`, the departure at the earliest) + years (29 February → 28 February). Purgeable the day after. */
export function retentionEnds(from: string, years: number): string {
  return addYears(from, years);
}

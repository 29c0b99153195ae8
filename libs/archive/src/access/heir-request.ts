import { ValidationError, calendarDayIn, formatDateFr } from '@carepact/common';
import { applicableMeasure, type MeasureMode, type MeasureScope, type MeasureType } from '@carepact/residents';
import { EntityManager } from 'typeorm';
import {
  AccessRequestStatement,
  AccessRequestWarning,
  MINOR_HEALTH_OPPOSITION_MESSAGE,
  PARENT_REQUEST_EMANCIPATION_MESSAGE,
  isCspAccessRequest,
  isHealthAccessRequest,
  monthsAfter,
  notBeforeOf,
  withCspDeadlines,
} from './access-request-statement';

export const HEIR_REQUEST_PERSON_ACCOMPANIED_MESSAGE =
  'D’après son dossier, cette personne est encore accompagnée : la demande d’un ayant droit ne vaut qu’après son décès. Enregistrez d’abord la fin de l’accompagnement dans son dossier : choisissez « Décès » et indiquez sa date.';

export const HEIR_REQUEST_DEATH_BEFORE_ADMISSION_MESSAGE =
  'La date du décès indiquée précède l’admission de la personne : vérifiez-la sur l’acte de décès.';

/** « 3 décembre 2026 » inside the message (formatDateFr, @carepact/common): a warning, not a refusal. */
export const heirRequestDeathBeforeDepartureMessage = (deceasedOn: string, departedOn: string): string =>
  `La date du décès indiquée (${formatDateFr(deceasedOn)}) précède la fin de l’accompagnement enregistrée dans le dossier (${formatDateFr(departedOn)}). C’est possible : la date de sortie enregistrée peut être celle de la libération de la chambre (dans un établissement pour personnes âgées, seules les prestations d’hébergement délivrées avant le décès sont facturées ; si ses objets personnels n’ont pas été retirés, le socle de prestations peut l’être au plus six jours après le décès, Code de l’action sociale et des familles, art. L.314-10-1 et R.314-149) ; vérifiez la date sur l’acte de décès : les délais et, pour un mineur, son âge en dépendent.`;

/** The file records a death date (`residents.deceased_on`) other than the one stated with the request: a warning, not a refusal. */
export const heirRequestDeathDateDiffersMessage = (stated: string, recorded: string): string =>
  `La date du décès indiquée avec la demande (${formatDateFr(stated)}) diffère de celle enregistrée dans le dossier de la personne (${formatDateFr(recorded)}) : vérifiez-la sur l’acte de décès et corrigez celle qui est erronée ; les délais et, pour un mineur, son âge en dépendent.`;

/**
 * The file records the end of the accompaniment as a departure (`departed_on`) but no death
 * (`residents.deceased_on` null): the request states a death the file does not know — a warning, not a
 * refusal (the death certificate the requester gives is the proof). A death stated on or before the
 * departure recorded: the accompaniment ended by it, staff record it in her file (« Décès », its date;
 * the file's death date equals the end of the stay). A death after the departure (she died after
 * leaving): the file has nothing to record (its end is the departure), staff check the certificate.
 */
// A death is recorded whatever its day beside the departure, which it keeps (migration 1764290000000: a person who left and died later, or whose room was vacated after her death, CASF R.314-149 I).
export const heirRequestNoDeathRecordedMessage = (departedOn: string): string =>
  `Le dossier de la personne enregistre un départ le ${formatDateFr(departedOn)}, mais pas de décès : vérifiez le décès sur l’acte de décès (les délais et, pour un mineur, son âge en dépendent), puis enregistrez-le depuis le dossier de la personne (« Fin de l’accompagnement et conservation » : « Enregistrer son décès » ; la date de départ est gardée).`;

export const PARENT_REQUEST_NOT_MINOR_AT_DEATH_MESSAGE =
  'D’après sa date de naissance, la personne était majeure à la date du décès indiquée : le droit d’accès des titulaires de l’autorité parentale ne vaut que pour un mineur décédé (Code de la santé publique, art. L.1110-4 V). Enregistrez la demande comme celle d’un ayant droit, avec son motif, ou vérifiez la date du décès.';

/** Whether a person born on `birth` was under 18 on `day` (C. civ. 388, 414: majority at eighteen, reached on the birthday). */
export const minorOn = (birth: string, day: string): boolean => day < monthsAfter(birth, 18 * 12);

/**
 * A request after the death (CSP L.1110-4 V, L.1111-7) checked against the person's file and given
 * its deadlines. The resident file records the end of the accompaniment (`departed_on`: departure or
 * death) but neither a death date nor the reason of the departure: the death is stated with the
 * request (`heir.deceasedOn`, from the death certificate the requester gives), and a person whose
 * file still shows her accompanied is refused (400 HEIR_REQUEST_PERSON_ACCOMPANIED) — nothing
 * recorded; a death stated before her admission contradicts the file: 400
 * HEIR_REQUEST_DEATH_BEFORE_ADMISSION; other than the death date the file records (`deceased_on`),
 * accepted with the warning HEIR_REQUEST_DEATH_DATE_DIFFERS; otherwise before the end of the stay
 * recorded, it is possible (the room vacated later): accepted with the warning
 * HEIR_REQUEST_DEATH_BEFORE_DEPARTURE; a file that records a departure but no death (`deceased_on`
 * null), accepted with the warning HEIR_REQUEST_NO_DEATH_RECORDED (`warnings`). The deadline depends on the age of the information (CSP L.1111-7 al. 2; R.1111-1: from
 * the day it was constituted), read here from her documents' versions. A deceased minor's parent
 * (L.1110-4 V al. 2, `parental_authority`): the same, and the person must have been a minor on the
 * day of the death stated, from her birth date — otherwise 400 PARENT_REQUEST_NOT_MINOR_AT_DEATH —
 * and, if she was 16 or over, not emancipated as staff confirm (C. civ. 413-2; `notEmancipated`) —
 * otherwise 400 PARENT_REQUEST_EMANCIPATION_UNCONFIRMED.
 * Both get the instant before which nothing is communicated (L.1111-7 al. 2, 48 hours: `notBefore`,
 * notBeforeOf, counted at `now`). Other requests: as given.
 */
export async function heirRequestChecked(em: EntityManager, organisationId: string, residentId: string, request: AccessRequestStatement, now = new Date()): Promise<AccessRequestStatement> {
  if (isHealthAccessRequest(request)) return healthRequestChecked(em, organisationId, residentId, request, now);
  if (!isCspAccessRequest(request)) return request;
  const [row] = (await em.query(
    `SELECT r.departed_on::text AS departed_on, r.deceased_on::text AS deceased_on, r.admission_date::text AS admission, r.birth_date::text AS birth,
            (SELECT min(v.created_at AT TIME ZONE 'Europe/Paris')::date::text FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.resident_id = r.id) AS oldest,
            (SELECT max(v.created_at AT TIME ZONE 'Europe/Paris')::date::text FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.resident_id = r.id) AS newest
       FROM residents r WHERE r.id = $1 AND r.organisation_id = $2`,
    [residentId, organisationId],
  )) as { departed_on: string | null; deceased_on: string | null; admission: string; birth: string; oldest: string | null; newest: string | null }[];
  if (!row?.departed_on)
    throw new ValidationError(
      [{ field: 'request.from', code: 'HEIR_REQUEST_PERSON_ACCOMPANIED', message: HEIR_REQUEST_PERSON_ACCOMPANIED_MESSAGE }],
      HEIR_REQUEST_PERSON_ACCOMPANIED_MESSAGE,
      'HEIR_REQUEST_PERSON_ACCOMPANIED',
    );
  // The death stated is checked against the file (the code review of session 17): not before her admission.
  if (request.heir && request.heir.deceasedOn < row.admission)
    throw new ValidationError(
      [{ field: 'request.deceasedOn', code: 'HEIR_REQUEST_DEATH_BEFORE_ADMISSION', message: HEIR_REQUEST_DEATH_BEFORE_ADMISSION_MESSAGE }],
      HEIR_REQUEST_DEATH_BEFORE_ADMISSION_MESSAGE,
      'HEIR_REQUEST_DEATH_BEFORE_ADMISSION',
    );
  // The end of the stay recorded may lawfully follow the death: it may be the day the room was
  // vacated, the belongings taken back (the sector lawyer's reviews of sessions 19 and 20; CASF
  // L.314-10-1 is only the billing rule of establishments for older people: nothing after the death
  // but the hébergement). A death stated before it is accepted, with a warning kept on the request
  // and shown on its page: staff check the date on the death certificate (deadlines, a minor's age).
  const warnings: AccessRequestWarning[] = [];
  if (request.heir && row.deceased_on && request.heir.deceasedOn !== row.deceased_on)
    warnings.push({ code: 'HEIR_REQUEST_DEATH_DATE_DIFFERS', message: heirRequestDeathDateDiffersMessage(request.heir.deceasedOn, row.deceased_on) });
  else if (request.heir && request.heir.deceasedOn < row.departed_on)
    warnings.push({ code: 'HEIR_REQUEST_DEATH_BEFORE_DEPARTURE', message: heirRequestDeathBeforeDepartureMessage(request.heir.deceasedOn, row.departed_on) });
  // A departure recorded, no death (`deceased_on` null): the death stated is not in her file; staff check it and record it there.
  if (request.heir && !row.deceased_on) warnings.push({ code: 'HEIR_REQUEST_NO_DEATH_RECORDED', message: heirRequestNoDeathRecordedMessage(row.departed_on) });
  // L.1110-4 V al. 2: the parents' own right holds for a minor only — computed, not declared.
  if (request.from === 'parental_authority' && request.heir && !minorOn(row.birth, request.heir.deceasedOn))
    throw new ValidationError(
      [{ field: 'request.from', code: 'PARENT_REQUEST_NOT_MINOR_AT_DEATH', message: PARENT_REQUEST_NOT_MINOR_AT_DEATH_MESSAGE }],
      PARENT_REQUEST_NOT_MINOR_AT_DEATH_MESSAGE,
      'PARENT_REQUEST_NOT_MINOR_AT_DEATH',
    );
  // C. civ. 413-2: a minor may be emancipated from sixteen only — the parents confirm she was not only
  // when she had reached that age on the day of the death (C. civ. 413-6, 413-7: an emancipated minor
  // is out of their authority, and L.1110-4 V al. 2 is not theirs).
  if (request.from === 'parental_authority' && request.heir && !request.heir.notEmancipated && request.heir.deceasedOn >= monthsAfter(row.birth, 16 * 12))
    throw new ValidationError(
      [{ field: 'request.notEmancipated', code: 'PARENT_REQUEST_EMANCIPATION_UNCONFIRMED', message: PARENT_REQUEST_EMANCIPATION_MESSAGE }],
      PARENT_REQUEST_EMANCIPATION_MESSAGE,
      'PARENT_REQUEST_EMANCIPATION_UNCONFIRMED',
    );
  return { ...withCspDeadlines(request, row.oldest, row.newest), notBefore: notBeforeOf(request.receivedOn, now), ...(warnings.length ? { warnings } : {}) };
}

export const HEALTH_ACCESS_REPRESENTATIVE_NOT_REPRESENTING_MESSAGE =
  'D’après son dossier, la mesure de protection en cours ne comporte pas de représentation relative à la personne (curatelle, ou mesure limitée aux biens) : celui qui en est chargé assiste la personne mais ne peut pas demander ses informations de santé à sa place (Code de la santé publique, art. L.1111-7, alinéa relatif à la personne chargée d’une mesure de protection avec représentation relative à la personne, ordonnance n° 2020-232 ; Code civil, art. 440 et 459). C’est la personne qui les demande, elle-même ou par un mandataire qu’elle désigne expressément : enregistrez alors sa demande (« La personne elle-même »), ou cochez « non » pour les informations de santé.';

export const HEALTH_ACCESS_REPRESENTATION_UNVERIFIED_MESSAGE =
  'Le dossier de la personne n’enregistre aucune mesure de protection en cours : pour ses informations de santé, vérifiez que le représentant produit le jugement d’une mesure avec représentation relative à la personne (tutelle, habilitation familiale ou mandat à la personne) ou un mandat exprès de la personne (Code de la santé publique, art. L.1111-7).';

/**
 * A living person's request about her health information (CSP L.1111-7; isHealthAccessRequest):
 * its deadlines — eight days, two months for the information more than five years old (al. 2,
 * R.1111-1: from her documents' creation), RGPD art. 12(3)'s month for her other data — and the 48
 * hours (`notBefore`, notBeforeOf). Her representative's, for an adult: CSP L.1111-7, alinéa relatif
 * à la personne chargée d’une mesure de protection avec représentation relative à la personne
 * (ordonnance n° 2020-232), opens the access to « la personne chargée d'une mesure de protection
 * juridique avec représentation relative à la personne »; a curateur only assists (C. civ. 440 al. 1), and a
 * measure limited to her property does not reach her person. The measure in force today
 * (applicableMeasure, @carepact/residents) is read: one without representation relative to the
 * person, 400 HEALTH_ACCESS_REPRESENTATIVE_NOT_REPRESENTING, nothing recorded; none recorded (the
 * requester may hold the person's express mandate, Conseil d’État 26 septembre 2005, or a judgment not
 * yet entered), accepted with the warning HEALTH_ACCESS_REPRESENTATION_UNVERIFIED. A minor's health
 * information is asked for by her parents or tuteur, who state her opposition (L.1111-7, L.1111-5,
 * R.1111-6): livingMinorChecked.
 */
async function healthRequestChecked(em: EntityManager, organisationId: string, residentId: string, request: AccessRequestStatement, now: Date): Promise<AccessRequestStatement> {
  const [row] = (await em.query(
    `SELECT r.birth_date::text AS birth,
            (SELECT min(v.created_at AT TIME ZONE 'Europe/Paris')::date::text FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.resident_id = r.id) AS oldest,
            (SELECT max(v.created_at AT TIME ZONE 'Europe/Paris')::date::text FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.resident_id = r.id) AS newest
       FROM residents r WHERE r.id = $1 AND r.organisation_id = $2`,
    [residentId, organisationId],
  )) as { birth: string; oldest: string | null; newest: string | null }[];
  const warnings: AccessRequestWarning[] = [];
  const today = calendarDayIn(now);
  // CSP L.1111-7, alinéa relatif aux mineurs, L.1111-5, R.1111-6: a minor on the day of the request (C. civ. 388), not emancipated.
  if (row) request = livingMinorChecked(request, row.birth);
  if (row && request.from === 'representative' && !minorOn(row.birth, today)) {
    const measures = (await em.query(
      `SELECT type, mode, scope, judgment_date::text AS "judgmentDate", start_date::text AS "startDate", end_date::text AS "endDate", mandate_effective_date::text AS "mandateEffectiveDate"
         FROM protection_measures WHERE resident_id = $1 AND organisation_id = $2`,
      [residentId, organisationId],
    )) as { type: MeasureType; mode: MeasureMode; scope: MeasureScope[]; judgmentDate: string; startDate: string | null; endDate: string | null; mandateEffectiveDate: string | null }[];
    const measure = applicableMeasure(measures, today);
    if (measure && !(measure.mode === 'representation' && measure.scope.includes('personne')))
      throw new ValidationError(
        [{ field: 'request.from', code: 'HEALTH_ACCESS_REPRESENTATIVE_NOT_REPRESENTING', message: HEALTH_ACCESS_REPRESENTATIVE_NOT_REPRESENTING_MESSAGE }],
        HEALTH_ACCESS_REPRESENTATIVE_NOT_REPRESENTING_MESSAGE,
        'HEALTH_ACCESS_REPRESENTATIVE_NOT_REPRESENTING',
      );
    if (!measure) warnings.push({ code: 'HEALTH_ACCESS_REPRESENTATION_UNVERIFIED', message: HEALTH_ACCESS_REPRESENTATION_UNVERIFIED_MESSAGE });
  }
  return { ...withCspDeadlines(request, row?.oldest ?? null, row?.newest ?? null), notBefore: notBeforeOf(request.receivedOn, now), ...(warnings.length ? { warnings } : {}) };
}

export const MINOR_HEALTH_ACCESS_BY_PARENTS_MESSAGE =
  'D’après sa date de naissance, la personne est mineure : le droit d’accès à ses informations de santé est exercé par le ou les titulaires de l’autorité parentale (Code de la santé publique, art. L.1111-7). Elle peut demander que leur accès ait lieu par l’intermédiaire d’un médecin, et s’opposer à ce qu’ils soient informés des soins pour lesquels elle a gardé le secret (art. L.1111-5 et L.1111-5-1). Ses autres données personnelles lui restent accessibles (RGPD, art. 15) : enregistrez sa demande sans cocher « La demande porte sur des informations de santé ». Si elle a seize ans ou plus et qu’elle est émancipée (Code civil, art. 413-2 et 413-6), cochez « La personne est émancipée ». Rien n’est enregistré.';

export const MINOR_HEALTH_EMANCIPATION_MESSAGE =
  'La personne a seize ans ou plus : vérifiez qu’elle n’est pas émancipée (Code civil, art. 413-2) et cochez « La personne n’est pas (ou n’était pas) émancipée » : le mineur émancipé cesse d’être sous l’autorité de ses parents (Code civil, art. 413-6 et 413-7) et exerce lui-même son droit d’accès. Si elle l’est, enregistrez sa propre demande (« La personne elle-même »).';

/**
 * A living person's health request checked against her age on the day it was received (minorOn,
 * C. civ. 388; from 16 she may be emancipated, C. civ. 413-2, and is then capable as an adult,
 * 413-6). A minor: « le droit d'accès est exercé par le ou les titulaires de l'autorité parentale »
 * (CSP L.1111-7): her own request, 400 MINOR_HEALTH_ACCESS_BY_PARENTS (nothing recorded; her other
 * data stay hers, RGPD art. 15); her parents' (`representative`) states, from 16, that she is not
 * emancipated (400 MINOR_HEALTH_EMANCIPATION_UNCONFIRMED), and whether she opposed their being told
 * of some care (L.1111-5, L.1111-5-1; 400 MINOR_HEALTH_OPPOSITION_REQUIRED): recorded — written down
 * by the physician, the sage-femme or the infirmier —, the request is accepted; the professional who
 * receives it seeks her consent, and if she maintains her opposition that information is not
 * communicated (R.1111-6, « ne peut être satisfaite tant que l'opposition est maintenue »), that
 * professional sorting. Through a physician at her request: the one her parents designate, named
 * (`physician`, R.1111-6 last alinéa; livingMinorOf). Returns the request given (an adult's, an emancipated minor's own:
 * `minor` dropped when nothing of it applies) or the minor's, its `minor` kept.
 */
export function livingMinorChecked(request: AccessRequestStatement, birth: string): AccessRequestStatement {
  const { minor, ...rest } = request;
  const sixteen = request.receivedOn >= monthsAfter(birth, 16 * 12);
  if (!minorOn(birth, request.receivedOn)) return minor ? rest : request;
  // C. civ. 413-6: the emancipated minor exercises her rights herself, as an adult.
  if (request.from === 'person' && sixteen && minor?.emancipated) return { ...rest, minor: { emancipated: true } };
  if (request.from === 'person')
    throw new ValidationError(
      [{ field: 'request.from', code: 'MINOR_HEALTH_ACCESS_BY_PARENTS', message: MINOR_HEALTH_ACCESS_BY_PARENTS_MESSAGE }],
      MINOR_HEALTH_ACCESS_BY_PARENTS_MESSAGE,
      'MINOR_HEALTH_ACCESS_BY_PARENTS',
    );
  if (sixteen && !minor?.notEmancipated)
    throw new ValidationError(
      [{ field: 'request.notEmancipated', code: 'MINOR_HEALTH_EMANCIPATION_UNCONFIRMED', message: MINOR_HEALTH_EMANCIPATION_MESSAGE }],
      MINOR_HEALTH_EMANCIPATION_MESSAGE,
      'MINOR_HEALTH_EMANCIPATION_UNCONFIRMED',
    );
  if (!minor?.opposition)
    throw new ValidationError(
      [{ field: 'request.minorOpposition', code: 'MINOR_HEALTH_OPPOSITION_REQUIRED', message: MINOR_HEALTH_OPPOSITION_MESSAGE }],
      MINOR_HEALTH_OPPOSITION_MESSAGE,
      'MINOR_HEALTH_OPPOSITION_REQUIRED',
    );
  return {
    ...rest,
    minor: {
      opposition: minor.opposition,
      throughPhysician: minor.throughPhysician === true,
      ...(minor.throughPhysician && minor.physician ? { physician: minor.physician } : {}),
      ...(sixteen ? { notEmancipated: true as const } : {}),
    },
  };
}

import { ValidationError, formatDateFr } from '@carepact/common';
import { EntityManager } from 'typeorm';
import { AccessRequestStatement, AccessRequestWarning, isCspAccessRequest, monthsAfter, notBeforeOf, withHeirDeadlines } from './access-request-statement';

export const HEIR_REQUEST_PERSON_ACCOMPANIED_MESSAGE =
  'D’après son dossier, cette personne est encore accompagnée : la demande d’un ayant droit ne vaut qu’après son décès. Enregistrez d’abord la fin de l’accompagnement (date du décès) dans son dossier.';

export const HEIR_REQUEST_DEATH_BEFORE_ADMISSION_MESSAGE =
  'La date du décès indiquée précède l’admission de la personne : vérifiez-la sur l’acte de décès.';

/** « 3 décembre 2026 » inside the message (formatDateFr, @carepact/common): a warning, not a refusal. */
export const heirRequestDeathBeforeDepartureMessage = (deceasedOn: string, departedOn: string): string =>
  `La date du décès indiquée (${formatDateFr(deceasedOn)}) précède la fin de l’accompagnement enregistrée dans le dossier (${formatDateFr(departedOn)}). C’est possible (la chambre libérée quelques jours après le décès, Code de l’action sociale et des familles, art. L.314-10-1) ; vérifiez la date sur l’acte de décès : les délais et, pour un mineur, son âge en dépendent.`;

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
 * HEIR_REQUEST_DEATH_BEFORE_ADMISSION; before the end of the stay recorded, it is possible (CASF
 * L.314-10-1): accepted with the warning HEIR_REQUEST_DEATH_BEFORE_DEPARTURE (`warnings`). The deadline depends on the age of the information (CSP L.1111-7 al. 2; R.1111-1: from
 * the day it was constituted), read here from her documents' versions. A deceased minor's parent
 * (L.1110-4 V al. 2, `parental_authority`): the same, and the person must have been a minor on the
 * day of the death stated, from her birth date — otherwise 400 PARENT_REQUEST_NOT_MINOR_AT_DEATH.
 * Both get the instant before which nothing is communicated (L.1111-7 al. 2, 48 hours: `notBefore`,
 * notBeforeOf, counted at `now`). Other requests: as given.
 */
export async function heirRequestChecked(em: EntityManager, organisationId: string, residentId: string, request: AccessRequestStatement, now = new Date()): Promise<AccessRequestStatement> {
  if (!isCspAccessRequest(request)) return request;
  const [row] = (await em.query(
    `SELECT r.departed_on::text AS departed_on, r.admission_date::text AS admission, r.birth_date::text AS birth,
            (SELECT min(v.created_at AT TIME ZONE 'Europe/Paris')::date::text FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.resident_id = r.id) AS oldest,
            (SELECT max(v.created_at AT TIME ZONE 'Europe/Paris')::date::text FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.resident_id = r.id) AS newest
       FROM residents r WHERE r.id = $1 AND r.organisation_id = $2`,
    [residentId, organisationId],
  )) as { departed_on: string | null; admission: string; birth: string; oldest: string | null; newest: string | null }[];
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
  // The end of the stay recorded may lawfully follow the death: the room is vacated, the belongings
  // taken back, days after it, and the stay invoiced until then (CASF L.314-10-1; the sector lawyer's
  // review of session 19). A death stated before it is accepted, with a warning kept on the request
  // and shown on its page: staff check the date on the death certificate (deadlines, a minor's age).
  const warnings: AccessRequestWarning[] = [];
  if (request.heir && request.heir.deceasedOn < row.departed_on)
    warnings.push({ code: 'HEIR_REQUEST_DEATH_BEFORE_DEPARTURE', message: heirRequestDeathBeforeDepartureMessage(request.heir.deceasedOn, row.departed_on) });
  // L.1110-4 V al. 2: the parents' own right holds for a minor only — computed, not declared.
  if (request.from === 'parental_authority' && request.heir && !minorOn(row.birth, request.heir.deceasedOn))
    throw new ValidationError(
      [{ field: 'request.from', code: 'PARENT_REQUEST_NOT_MINOR_AT_DEATH', message: PARENT_REQUEST_NOT_MINOR_AT_DEATH_MESSAGE }],
      PARENT_REQUEST_NOT_MINOR_AT_DEATH_MESSAGE,
      'PARENT_REQUEST_NOT_MINOR_AT_DEATH',
    );
  return { ...withHeirDeadlines(request, row.oldest, row.newest), notBefore: notBeforeOf(request.receivedOn, now), ...(warnings.length ? { warnings } : {}) };
}

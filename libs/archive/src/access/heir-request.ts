import { ValidationError } from '@carepact/common';
import { EntityManager } from 'typeorm';
import { AccessRequestStatement, withHeirDeadlines } from './access-request-statement';

export const HEIR_REQUEST_PERSON_ACCOMPANIED_MESSAGE =
  'D’après son dossier, cette personne est encore accompagnée : la demande d’un ayant droit ne vaut qu’après son décès. Enregistrez d’abord la fin de l’accompagnement (date du décès) dans son dossier.';

export const HEIR_REQUEST_DEATH_BEFORE_ADMISSION_MESSAGE =
  'La date du décès indiquée précède l’admission de la personne : vérifiez-la sur l’acte de décès.';

/**
 * An ayant droit's request (CSP L.1110-4 V, L.1111-7) checked against the person's file and given
 * its deadlines. The resident file records the end of the accompaniment (`departed_on`: departure or
 * death) but neither a death date nor the reason of the departure: the death is stated with the
 * request (`heir.deceasedOn`, from the death certificate the requester gives), and a person whose
 * file still shows her accompanied is refused (400 HEIR_REQUEST_PERSON_ACCOMPANIED) — nothing
 * recorded. The deadline depends on the age of the information (CSP L.1111-7 al. 2; R.1111-1: from
 * the day it was constituted), read here from her documents' versions. Other requests: as given.
 */
export async function heirRequestChecked(em: EntityManager, organisationId: string, residentId: string, request: AccessRequestStatement): Promise<AccessRequestStatement> {
  if (request.from !== 'ayant_droit') return request;
  const [row] = (await em.query(
    `SELECT r.departed_on::text AS departed_on, r.admission_date::text AS admission,
            (SELECT min(v.created_at AT TIME ZONE 'Europe/Paris')::date::text FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.resident_id = r.id) AS oldest,
            (SELECT max(v.created_at AT TIME ZONE 'Europe/Paris')::date::text FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.resident_id = r.id) AS newest
       FROM residents r WHERE r.id = $1 AND r.organisation_id = $2`,
    [residentId, organisationId],
  )) as { departed_on: string | null; admission: string; oldest: string | null; newest: string | null }[];
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
  return withHeirDeadlines(request, row.oldest, row.newest);
}

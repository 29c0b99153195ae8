import { ConflictError, ValidationError, formatDateFr } from '@carepact/common';
import { EntityManager } from 'typeorm';
import { AccessRequestStatement, isCspAccessRequest } from './access-request-statement';

/**
 * After a death recorded in the person's file (`residents.deceased_on`), her data are asked for
 * under the Code de la santé publique only: by her ayants droit, concubin or partenaire de PACS
 * (CSP L.1110-4 V), or, for a minor, by the holders of parental authority (L.1110-4 V al. 2). Her
 * own right of access under RGPD art. 15 ended with her (the RGPD does not apply to the data of
 * deceased persons, recital 27; loi n° 78-17 art. 85 governs them), and so did her protection
 * measure (C. civ. 443 al. 1): neither « la personne elle-même » nor her former representative, nor
 * a request without its statement, may have her whole file by the art. 15 path — the attacker's
 * review of session 21 had the former tutrice download it with none of the heirs' checks (purpose,
 * the deceased's objection, proof of standing, selection, 48 hours). A former representative who is
 * also an heir asks as one. 400 ACCESS_REQUEST_PERSON_DECEASED beside `request.from`, nothing recorded.
 */
export async function assertAccessRequestFitsDeath(em: EntityManager, organisationId: string, residentId: string, request: AccessRequestStatement | null | undefined): Promise<void> {
  if (request && isCspAccessRequest(request)) return;
  const [row] = (await em.query(`SELECT deceased_on::text AS deceased_on FROM residents WHERE id = $1 AND organisation_id = $2`, [residentId, organisationId])) as { deceased_on: string | null }[];
  if (!row?.deceased_on) return;
  const message = accessRequestPersonDeceasedMessage(row.deceased_on);
  throw new ValidationError([{ field: 'request.from', code: 'ACCESS_REQUEST_PERSON_DECEASED', message }], message, 'ACCESS_REQUEST_PERSON_DECEASED');
}

export function accessRequestPersonDeceasedMessage(deceasedOn: string): string {
  return `D’après son dossier, la personne est décédée le ${formatDateFr(deceasedOn)} : son droit d’accès (RGPD, art. 15) a pris fin avec elle, comme le pouvoir de ceux qui la représentaient (mesure de protection, Code civil, art. 418 et 443 ; autorité parentale, pour un mineur) ; ni « la personne elle-même » ni son ancien représentant ne peuvent plus demander son dossier à ce titre. Enregistrez la demande comme celle d’un ayant droit, concubin ou partenaire de PACS (Code de la santé publique, art. L.1110-4 V) — un ancien représentant qui est aussi ayant droit demande à ce titre —, ou, pour un mineur décédé, du titulaire de l’autorité parentale.`;
}

/**
 * A request after the death is answered only while the person's file still shows her accompaniment
 * ended (heirRequestChecked refuses it otherwise when it is recorded): a death, or the end of the
 * stay, cleared since as entered by mistake leaves an heir's request open about a person the file
 * now shows accompanied (the attacker's review of session 21: its selection and delivery went
 * through). Its selection and delivery are refused, 409 HEIR_REQUEST_PERSON_ACCOMPANIED; refusing it
 * (the way to close it) stays possible.
 */
export async function assertAccompanimentStillEnded(em: EntityManager, organisationId: string, residentId: string): Promise<void> {
  const [row] = (await em.query(`SELECT departed_on::text AS departed_on FROM residents WHERE id = $1 AND organisation_id = $2`, [residentId, organisationId])) as { departed_on: string | null }[];
  if (row && !row.departed_on) throw new ConflictError('HEIR_REQUEST_PERSON_ACCOMPANIED', HEIR_REQUEST_NOW_ACCOMPANIED_MESSAGE);
}

export const HEIR_REQUEST_NOW_ACCOMPANIED_MESSAGE =
  'Le dossier de la personne n’indique plus la fin de son accompagnement (la date de décès ou de départ a été effacée depuis la demande) : rien ne peut être trié ni transmis au titre d’une demande après un décès. Si la date a été effacée par erreur, enregistrez-la de nouveau dans son dossier ; sinon, refusez cette demande en l’expliquant.';

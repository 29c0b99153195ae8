import { ConflictError } from '@carepact/common';
import { EntityManager } from 'typeorm';
import { judgeDecided, residenceDisagreement } from '../policy/residence-dispute';
import type { ViewToRecord } from '../policy/policy.types';
import type { SignatureRequestEntity } from './signing.entities';

/**
 * DOMAIN.md rule 2 and C. civ. 459-2 (residence-dispute.ts): if the person's view recorded on the
 * request is a disagreement with living in the establishment, nobody signs until the judge's (or
 * family council's) decision is recorded in the document (`residenceChoice.judgeDecision`: a new
 * version, sent again). Every way a signature is given goes through this, under the request's lock:
 * the portal (e-mailed link and tablet), a scan of a paper signature, the director's countersignature.
 * `signer`: the message for someone signing in the portal; `staff`: for the console and the API.
 */
export async function assertResidenceNotDisputed(em: EntityManager, request: SignatureRequestEntity, audience: 'signer' | 'staff'): Promise<void> {
  const recorded = (await em.query(`SELECT view_key AS key, expression FROM recorded_views WHERE request_id = $1`, [request.id])) as { key: string; expression: string }[];
  const view = await openResidenceDispute(em, request, recorded);
  if (!view) return;
  const who = `${view.person.firstName} ${view.person.lastName}`;
  throw new ConflictError(
    'RESIDENCE_DISAGREEMENT_NEEDS_JUDGE',
    audience === 'signer'
      ? `${who} n’est pas d’accord pour vivre dans l’établissement. Le choix du lieu de résidence lui appartient ; ` +
          'en cas de désaccord, le juge (ou le conseil de famille) décide (C. civ. 459-2). Ce document ne peut pas être signé avant sa décision : contactez l’établissement.'
      : `L’avis recueilli sur cette demande dit que la personne n’est pas d’accord pour vivre dans l’établissement : le juge (ou le conseil de famille) statue (C. civ. 459-2). ` +
          'Aucune signature, sur papier ou contresignature comprise, ne peut être enregistrée sur cette version : envoyez une nouvelle version qui cite sa décision.',
  );
}

/**
 * The view of the request's policy that `recorded` makes a disagreement not yet decided by the judge
 * (residence-dispute.ts), or null. The version's input is read only when there is a disagreement.
 * The guard above and the staff's request views (RequestViews.residenceDispute) both ask this.
 */
export async function openResidenceDispute(
  em: EntityManager,
  request: Pick<SignatureRequestEntity, 'policy' | 'versionId'>,
  recorded: readonly { key: string; expression: string }[],
): Promise<ViewToRecord | null> {
  const view = residenceDisagreement(request.policy, recorded);
  if (!view) return null;
  const [version] = (await em.query(`SELECT input #> '{document,residenceChoice}' AS choice FROM document_versions WHERE id = $1`, [request.versionId])) as { choice: unknown }[];
  return judgeDecided({ document: { residenceChoice: version?.choice } }) ? null : view;
}

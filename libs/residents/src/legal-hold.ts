import { ConflictError } from '@carepact/common';
import { EntityManager } from 'typeorm';

/**
 * A legal hold on the person (libs/archive retention; RGPD art. 18.1.c, data kept for a claim)
 * blocks every deletion from their file: contacts and protection measures stay as they are until
 * it is lifted. The database refuses it as well (migration 1763950000000); this gives the reason.
 */
export async function assertResidentNotHeld(em: EntityManager, residentId: string): Promise<void> {
  const held = (await em.query(`SELECT 1 FROM legal_holds WHERE subject_id = $1 AND lifted_at IS NULL`, [residentId])) as unknown[];
  if (held.length)
    throw new ConflictError('LEGAL_HOLD', 'Cette personne fait l’objet d’un gel (conservation pour un litige ou une procédure) : rien de son dossier ne peut être supprimé tant que le gel n’est pas levé.');
}

import { DomainError, documentTypeLabel } from '@carepact/common';
import type { EntityManager } from 'typeorm';

/**
 * The reason SignatureRequestsService.cancelForDeparture writes on the `cancelled` event when the
 * accompaniment ended by the person's death (departureCancelReason(…, true): « Décès de la personne
 * le … »), as a LIKE pattern. The protection measure ends at death (C. civ. 443 al. 1): nothing is
 * signed for her any more, no new link will come.
 */
export const DEATH_CANCEL_REASON_LIKE = 'Décès de la personne le %';

/**
 * A link, or a session, of a request cancelled with the person's death (code
 * PORTAL_REQUEST_CANCELLED_DEATH, 410): the page says so, without « a new link » or « nothing is
 * lost » — nothing more will be signed for her. Told only to whoever holds a link the request issued
 * (a signer of it, who was invited to sign for or with her and knows her name); `ownLink`: the
 * person's own link (no e-mail was written to her: contract-in-force.ts), the page then names no one.
 */
export class PortalRequestCancelledForDeathError extends DomainError {
  constructor(readonly notice: CancelledForDeath) {
    super('gone', 'PORTAL_REQUEST_CANCELLED_DEATH', 'Ce lien n’est plus valable : la demande de signature a été annulée à la suite du décès de la personne concernée.');
  }
}

export interface CancelledForDeath {
  /** The person's name as the portal writes it (first and last name). */
  personName: string;
  /** The document's name, with its article (« le contrat de séjour »). */
  document: string;
  /** The link or session is the person's own (role resident). */
  ownLink: boolean;
  establishment: { name: string; phone: string | null; address: string };
}

/**
 * The request of `requestId` was cancelled with the death of its person, and she is still recorded
 * as deceased (a death cleared as a mistake tells nothing): what the page says, for `signerId`'s
 * link or session; otherwise null. Read only after the link or session was found not usable.
 */
export async function cancelledForDeath(em: EntityManager, requestId: string, signerId: string): Promise<CancelledForDeath | null> {
  const [row] = (await em.query(
    `SELECT p.first_name AS "firstName", p.last_name AS "lastName", d.type, d.subtype, sg.role,
            e.name AS "establishmentName", e.phone, e.address
       FROM signature_requests r
       JOIN signature_signers sg ON sg.id = $2 AND sg.request_id = r.id
       JOIN documents d ON d.id = r.document_id
       JOIN residents p ON p.id = d.resident_id AND p.organisation_id = r.organisation_id
       JOIN establishments e ON e.id = r.establishment_id
      WHERE r.id = $1 AND r.status = 'cancelled' AND p.deceased_on IS NOT NULL
        AND EXISTS (SELECT 1 FROM signature_events ev
                     WHERE ev.request_id = r.id AND ev.kind = 'cancelled' AND ev.details->>'reason' LIKE $3)`,
    [requestId, signerId, DEATH_CANCEL_REASON_LIKE],
  )) as { firstName: string; lastName: string; type: string; subtype: string | null; role: string; establishmentName: string; phone: string | null; address: string }[];
  if (!row) return null;
  return {
    personName: `${row.firstName} ${row.lastName}`,
    document: documentTypeLabel(row.type, row.subtype)?.the ?? 'le document',
    ownLink: row.role === 'resident',
    establishment: { name: row.establishmentName, phone: row.phone?.trim() || null, address: row.address },
  };
}

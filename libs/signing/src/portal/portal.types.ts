import { DomainError, calendarDayIn } from '@carepact/common';
import type { DocumentType } from '@carepact/documents';
import type { DocumentSubtype } from '@carepact/common';
import type { PolicyPerson, ViewToRecord } from '../policy/policy.types';
import type { LinkPurpose, PortalSessionEntity, SignatureRequestEntity, SignerEntity, SigningLinkEntity } from '../requests/signing.entities';

/** Sessions: 30 minutes idle, 2 hours at most (SECURITY-RELIABILITY.md, "Signing links"). */
export const PORTAL_IDLE_MS = 30 * 60_000;
export const PORTAL_ABSOLUTE_MS = 2 * 3600_000;
export const ACCESS_CODE_MAX_TRIES = 5;
/**
 * How long a page read may reuse what the session context holds from other libs (the resident's
 * names and reading preferences, the establishment's contact) before reading it again. The signing
 * state (session, link, request, signers) is checked at every read (PortalSessionService.readContext).
 */
export const DISPLAY_FACTS_MS = 1000;

/** The shape of a link token and of a session token (cookie): the only strings a session lookup is tried with. */
export const PORTAL_TOKEN = /^[A-Za-z0-9_-]{40,64}$/;

/** Unknown, expired, used and revoked links: one error, one page, one status (no oracle). */
export class LinkNotFoundError extends DomainError {
  constructor() {
    super('not_found', 'LINK_NOT_FOUND', 'Ce lien n’est pas ou plus valable.');
  }
}

/**
 * The person the document is about is in the intermediate archive (intermediate-archive.ts): her
 * accompaniment ended long ago, nobody signs, reads or downloads her document through a link any
 * more (CNIL délibérations n° 2021-028 and 2023-095, RGPD art. 5.1.e). Whoever held a link gets the
 * page of a link that is no longer valid, saying why; `completed`: her copy was handed over then.
 */
export class PortalPersonArchivedError extends DomainError {
  constructor(readonly completed: boolean) {
    super('gone', 'PORTAL_PERSON_ARCHIVED', 'Ce lien n’est plus valable : l’accompagnement a pris fin et le dossier est en archive intermédiaire.');
  }
}

/** The person is in the intermediate archive on the Paris day of `now` (PortalContext.archiveFrom). */
export function personArchived(ctx: Pick<PortalContext, 'archiveFrom'>, now = new Date()): boolean {
  return ctx.archiveFrom !== null && ctx.archiveFrom <= calendarDayIn(now);
}

export class PortalSessionExpiredError extends DomainError {
  constructor() {
    super('unauthenticated', 'PORTAL_SESSION_EXPIRED', 'Votre session a expiré. Rouvrez le lien reçu par e-mail, ou demandez un nouveau lien à l’établissement.');
  }
}

/** Everything a portal page or form needs about the signer behind the session cookie. */
export interface PortalContext {
  session: PortalSessionEntity;
  /** The signer, without their drawn signature (up to a few hundred kB; no page shows it). */
  signer: SignerEntity;
  request: SignatureRequestEntity;
  /** `subtype`: what an avenant amends, for its name (documents.subtype, @carepact/common documentTypeLabel). */
  document: { id: string; type: DocumentType; subtype: DocumentSubtype | null };
  link: SigningLinkEntity | null;
  residentName: string;
  establishmentName: string;
  /** How to reach the establishment: every portal page shows it (issue 13, item 6). */
  establishment: { name: string; phone: string | null; address: string };
  /**
   * Reading preferences chosen by default: the resident's own (from their file) when the resident
   * is the one signing; a representative or parent reads the complete version unless they switch.
   */
  preferences: { largePrint: boolean; easyToRead: boolean };
  /**
   * Views this signer is asked to record, whether each is done and, when it is, the answer and
   * whether this signer recorded it (then they may correct it until they sign).
   */
  views: (ViewToRecord & {
    recorded: boolean;
    answer: {
      expression: string;
      comment: string | null;
      byMe: boolean;
      /** Who recorded it (another parent…), when known. */
      byName?: string | null;
      /** When it was recorded (ISO). */
      at?: string | null;
      /** The later signers' own accounts of the view (recorded_views.accounts), this signer's flagged. */
      accounts?: { comment: string; at: string; byName: string; byMe: boolean }[];
    } | null;
  })[];
  /**
   * The person disagrees with living in the establishment and the version signed cites no decision
   * of the judge (C. civ. 459-2, residence-dispute.ts): nobody may sign it, whoever recorded her
   * view. The person, and whether this signer recorded the view (then they may still correct it);
   * null when the signature is not stopped so. PortalActionsService.sign refuses it as well.
   */
  residenceDispute: { person: PolicyPerson; byMe: boolean } | null;
  /** Sequential mode: others must sign first. */
  waitingFor: string[];
  purpose: LinkPurpose;
  /**
   * The first day of the intermediate archive of the person the document is about (her departure
   * plus the organisation's active-base delay: intermediate-archive.ts), or null while she is
   * accompanied. From that day the portal no longer opens for the request (PortalPersonArchivedError).
   */
  archiveFrom: string | null;
}


/**
 * Staff asked for an access code and this session has not given it yet: until it does, the session
 * reaches the code form only (no reading, download, view, question, signature or refusal). Download
 * sessions (a completed request's link) are not concerned: the code is valid 10 minutes, for signing.
 */
export function accessCodeMissing(ctx: PortalContext): boolean {
  return ctx.purpose === 'sign' && ctx.signer.accessCodeRequired && !ctx.session.codeVerified;
}

/**
 * The signer has answered (signed or refused): the session is read-only, whatever link opened it.
 * A link used to sign or refuse reopens such a session (issue 13, item 4), never a form that acts.
 */
export function signerHasAnswered(ctx: Pick<PortalContext, 'signer'>): boolean {
  return ctx.signer.status !== 'pending';
}

export class AccessCodeRequiredError extends DomainError {
  constructor() {
    super('forbidden', 'ACCESS_CODE_REQUIRED', 'Saisissez d’abord le code donné par l’établissement.');
  }
}

/** Every portal read and action but the code form itself goes through here. */
export function assertCodeGiven(ctx: PortalContext): void {
  if (accessCodeMissing(ctx)) throw new AccessCodeRequiredError();
}

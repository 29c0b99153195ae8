import { DomainError, ForbiddenError, NotFoundError } from '@carepact/common';
import { AuditActor } from '@carepact/audit';
import { StaffRole } from './identity.entities';

/**
 * What each role may do, per establishment (SECURITY-RELIABILITY.md, "Staff access").
 * Auditors check that things were done properly: they read the audit log and the documents'
 * metadata and history, never the care details of a resident's file nor a document's content
 * (need to know: CASF L.311-3 4°, confidentiality of the person's information).
 */
export const PERMISSIONS = {
  'resident.read': ['admissions', 'coordinator', 'director', 'administrator'],
  'resident.write': ['admissions', 'director', 'administrator'],
  'audit.read': ['auditor', 'administrator'],
  'user.manage': ['administrator'],
  'establishment.read': ['admissions', 'coordinator', 'director', 'auditor', 'administrator'],
  'establishment.write': ['director', 'administrator'],
  /** A document's metadata and version history (types, statuses, dates, hashes). */
  'document.read': ['admissions', 'coordinator', 'director', 'auditor', 'administrator'],
  /** A document's content (the rendered files, which carry the resident's details). */
  'document.content': ['admissions', 'coordinator', 'director', 'administrator'],
  'document.write': ['admissions', 'coordinator', 'director', 'administrator'],
  'signature.manage': ['admissions', 'coordinator', 'director', 'administrator'],
  /** The establishment's countersignature: the director or a delegate given the role (CASF D.311). */
  'signature.countersign': ['director'],
  /**
   * Records management (RGPD art. 5.1.e, 15, 17, 18; the controller's role), always in the
   * establishment of the records acted on: in the subject's own establishment for what concerns one
   * person or one document — her departure, legal holds, archive packages and access requests,
   * opening her archive (assertCan); in each establishment a purge covers, for drawing it (only those
   * where she holds it) and running it (DataJobsService.purgeReport, requestPurge); in every
   * establishment of the organisation to change its retention durations or archives regime
   * (assertManagesWholeOrganisation, @carepact/archive). Held somewhere (assertCanSomewhere) only
   * opens the pages and reads the durations and the regime.
   */
  'records.manage': ['administrator'],
} as const satisfies Record<string, readonly StaffRole[]>;
export type Permission = keyof typeof PERMISSIONS;

export interface StaffActor {
  kind: 'staff';
  userId: string;
  organisationId: string;
  email: string;
  name: string;
  sessionId: string;
  roles: { establishmentId: string; role: StaffRole }[];
  /** Set when a command acts for the system (seed, CLI): audited as such, not as a person. */
  system?: string;
}

export function auditActor(actor: StaffActor): AuditActor {
  return actor.system ? { type: 'system', id: actor.system } : { type: 'staff', id: actor.userId };
}

/** An actor for CLI commands: every role on the given establishments, audited as `system`. */
export function systemActor(organisationId: string, establishmentIds: string[], label: string): StaffActor {
  const roles = establishmentIds.flatMap((establishmentId) =>
    (['admissions', 'coordinator', 'director', 'auditor', 'administrator'] as const).map((role) => ({ establishmentId, role })),
  );
  return { kind: 'staff', userId: '00000000-0000-0000-0000-000000000000', organisationId, email: '', name: label, sessionId: '', roles, system: label };
}

/** Establishments where the actor holds any role: the only ones whose data they may even see. */
export function visibleEstablishments(actor: StaffActor): string[] {
  return [...new Set(actor.roles.map((r) => r.establishmentId))];
}

export function establishmentsWith(actor: StaffActor, permission: Permission): string[] {
  const allowed = PERMISSIONS[permission] as readonly StaffRole[];
  return [...new Set(actor.roles.filter((r) => allowed.includes(r.role)).map((r) => r.establishmentId))];
}

export function can(actor: StaffActor, permission: Permission, establishmentId: string): boolean {
  return establishmentsWith(actor, permission).includes(establishmentId);
}

/**
 * Scope check in the order that leaks nothing: an establishment the actor cannot see answers
 * 404 (as if it did not exist); one they see without the needed role answers 403.
 */
export function assertCan(actor: StaffActor, permission: Permission, establishmentId: string): void {
  if (!visibleEstablishments(actor).includes(establishmentId)) throw new NotFoundError();
  if (!can(actor, permission, establishmentId)) throw new ForbiddenError();
}

/**
 * The visibility half of `assertCan`, for a record found by id (a resident, a document, a request):
 * a record that is missing or lives in an establishment the actor cannot see answers the same
 * `notFound` error, so its existence leaks nothing (SECURITY-RELIABILITY.md, "Staff access").
 * Call `assertCan` next for the role. Narrows `record` to non-null for the caller.
 */
export function requireVisible<T extends { establishmentId: string }>(actor: StaffActor, record: T | null | undefined, notFound: DomainError | (() => DomainError)): asserts record is T {
  // A function builds the error only when it is thrown: an Error's stack is captured when it is made (issue 12, on every request otherwise).
  if (!record || !visibleEstablishments(actor).includes(record.establishmentId)) throw typeof notFound === 'function' ? notFound() : notFound;
}

/** For organisation-wide actions (audit, users): the role on at least one establishment. */
export function assertCanSomewhere(actor: StaffActor, permission: Permission): void {
  if (establishmentsWith(actor, permission).length === 0) throw new ForbiddenError();
}

/**
 * Roles may only be granted (or an account changed) in establishments the caller administers:
 * an administrator of one establishment must not make anyone director of another (issue 7).
 * Unseen establishments answer 404, seen but not administered 403.
 */
export function assertCanManageUsersIn(actor: StaffActor, establishmentIds: string[]): void {
  for (const id of new Set(establishmentIds)) assertCan(actor, 'user.manage', id);
}

import { ConflictError, ForbiddenError, calendarDayIn, formatDateFr } from '@carepact/common';
import { StaffActor } from '@carepact/identity';
import { EntityManager } from 'typeorm';

/**
 * The intermediate archive (archivage intermédiaire). Once the accompaniment is over
 * (`residents.departed_on`) and the organisation's active-base delay has passed
 * (`organisations.active_base_months`, migration 1764090000000), a person's documents leave the
 * active base: they still exist in every list (type, status, dates: « archivé »), but their content
 * — the rendered files, the signed PDF, the paper scan, the data of each version — is read only by a
 * records manager (`records.manage`) who has opened the archive for this person, with a reason
 * (RetentionService.openArchive: a write-once grant and an audit event). The CNIL's référentiel on
 * the accueil, l'hébergement et l'accompagnement social et médico-social (délibération n° 2021-028
 * du 11 mars 2021) and its référentiel on retention in the sector (n° 2023-095) restrict the
 * intermediate archive to the persons with a specific need (a dispute, the person's request): RGPD
 * art. 5.1.e and 32. The state is computed when read (Paris day), never stored: it cannot drift.
 */

/** How long one opening lasts: long enough to answer the need, short enough not to become the active base again. */
export const ARCHIVE_GRANT_MINUTES = 60;

/**
 * Who reads, as far as the archive goes: a member of staff (StaffActor) or, in the worker, the one
 * who asked for a job (DataJobsService re-checks when it runs). `system`: a command acting for the
 * system (seed, CLI), not a person reading.
 */
export type ArchiveReader = Pick<StaffActor, 'organisationId' | 'userId' | 'system'>;

export interface ArchiveState {
  /** The first day the person's documents are in the intermediate archive, or null (accompanied, or still in the active base). */
  archivedSince: string | null;
  /** The day she left, when she is in the intermediate archive (null otherwise). */
  departedOn: string | null;
  /** Until when this actor's opening lasts (ISO), when the archive is open to them. */
  openUntil: string | null;
}

/** The first day of the intermediate archive for the resident aliased `r` of the organisation aliased `o` (SQL, a date as text, or NULL). */
export const ARCHIVED_SINCE_SQL = `CASE WHEN r.departed_on IS NULL THEN NULL ELSE ((r.departed_on + make_interval(months => o.active_base_months))::date + 1)::text END`;

/** The resident's archive state for this actor (an unknown resident: not archived). */
export async function archiveState(em: EntityManager, actor: ArchiveReader, residentId: string, now = new Date()): Promise<ArchiveState> {
  return (await archiveStates(em, actor, [residentId], now)).get(residentId) ?? { archivedSince: null, departedOn: null, openUntil: null };
}

/** The archive state of each of these residents for this actor, in one query whatever their number (unknown residents: absent). */
export async function archiveStates(em: EntityManager, actor: ArchiveReader, residentIds: readonly string[], now = new Date()): Promise<Map<string, ArchiveState>> {
  return readArchiveStates(em, actor.organisationId, actor.userId, residentIds, now);
}

/**
 * The one read of the archive's state (archiveState(s), residentArchived): the rule
 * (ARCHIVED_SINCE_SQL) against the Paris day of `now`, and the opening `userId` holds, if any
 * (none asked: null). The portal reads the same rule inside its session's query (portal-context.reader.ts).
 */
async function readArchiveStates(em: EntityManager, organisationId: string, userId: string | null, residentIds: readonly string[], now: Date): Promise<Map<string, ArchiveState>> {
  if (!residentIds.length) return new Map();
  const rows = (await em.query(
    `SELECT r.id, r.departed_on::text AS departed_on, ${ARCHIVED_SINCE_SQL} AS since,
            (SELECT max(g.expires_at) FROM archive_access_grants g WHERE g.resident_id = r.id AND g.staff_user_id = $3 AND g.expires_at > $4) AS open_until
       FROM residents r JOIN organisations o ON o.id = r.organisation_id WHERE r.id = ANY ($1) AND r.organisation_id = $2`,
    [[...new Set(residentIds)], organisationId, userId, now],
  )) as { id: string; departed_on: string | null; since: string | null; open_until: Date | null }[];
  const today = calendarDayIn(now);
  return new Map(rows.map((row) => [row.id, archiveStateOf(row.departed_on, row.since, row.open_until, today)]));
}

/** The residents of `residentIds` whose documents are in the intermediate archive today, with the day they went (for lists). */
export async function archivedResidents(em: EntityManager, organisationId: string, residentIds: readonly string[], now = new Date()): Promise<Map<string, string>> {
  if (!residentIds.length) return new Map();
  const rows = (await em.query(
    `SELECT r.id, ${ARCHIVED_SINCE_SQL} AS since FROM residents r JOIN organisations o ON o.id = r.organisation_id WHERE r.organisation_id = $1 AND r.id = ANY ($2)`,
    [organisationId, [...new Set(residentIds)]],
  )) as { id: string; since: string | null }[];
  const today = calendarDayIn(now);
  return new Map(rows.filter((r) => r.since && r.since <= today).map((r) => [r.id, r.since!]));
}

export class ArchiveRestrictedError extends ForbiddenError {
  constructor(since: string) {
    const [y, m, d] = since.split('-');
    super(
      'ARCHIVE_INTERMEDIATE_RESTRICTED',
      `Ce document est en archive intermédiaire depuis le ${d}/${m}/${y} (fin de l’accompagnement) : son contenu n’est consultable que par un administrateur qui ouvre l’archive en indiquant le motif.`,
    );
  }
}

/**
 * Refuses the content of a document of an archived resident to whoever has not opened the archive
 * (403 ARCHIVE_INTERMEDIATE_RESTRICTED). A command acting for the system (seed, CLI: `actor.system`)
 * is not a person reading: it passes, audited as such by the caller.
 */
export async function assertArchiveOpen(em: EntityManager, actor: ArchiveReader, residentId: string): Promise<void> {
  if (actor.system) return;
  const state = await archiveState(em, actor, residentId);
  if (state.archivedSince && !state.openUntil) throw new ArchiveRestrictedError(state.archivedSince);
}

/**
 * assertArchiveOpen for a set of residents (the documents a list reads the content of), in one query:
 * refused for the first of them, in the order given, whose archive this actor has not opened.
 */
export async function assertArchivesOpen(em: EntityManager, actor: ArchiveReader, residentIds: readonly string[]): Promise<void> {
  if (actor.system || !residentIds.length) return;
  const states = await archiveStates(em, actor, residentIds);
  for (const id of residentIds) {
    const state = states.get(id);
    if (state?.archivedSince && !state.openUntil) throw new ArchiveRestrictedError(state.archivedSince);
  }
}

/** The resident a document of this organisation belongs to, or null (an unknown document). */
async function residentOfDocument(em: EntityManager, organisationId: string, documentId: string): Promise<string | null> {
  const [d] = (await em.query(`SELECT resident_id FROM documents WHERE id = $1 AND organisation_id = $2`, [documentId, organisationId])) as { resident_id: string | null }[];
  return d?.resident_id ?? null;
}

/** assertArchiveOpen for the resident a document belongs to. */
export async function assertDocumentArchiveOpen(em: EntityManager, actor: ArchiveReader, documentId: string): Promise<void> {
  if (actor.system) return;
  const residentId = await residentOfDocument(em, actor.organisationId, documentId);
  if (residentId) await assertArchiveOpen(em, actor, residentId);
}

/** archiveReadable for the resident a document belongs to. */
export async function documentArchiveReadable(em: EntityManager, actor: ArchiveReader, documentId: string): Promise<boolean> {
  if (actor.system) return true;
  const residentId = await residentOfDocument(em, actor.organisationId, documentId);
  return !residentId || archiveReadable(em, actor, residentId);
}

/** Whether this actor may read the content of this resident's documents now, as far as the archive goes (the role is checked apart). */
export async function archiveReadable(em: EntityManager, actor: ArchiveReader, residentId: string): Promise<boolean> {
  if (actor.system) return true;
  const state = await archiveState(em, actor, residentId);
  return !state.archivedSince || !!state.openUntil;
}

/**
 * SQL, for lists that carry content (a refusal's reason, a question) in one query: true when the
 * resident whose id is the expression `residentId` is in the intermediate archive on the Paris day
 * `day` and the staff user `userId` holds no opening lasting past the instant `now` (each a SQL
 * expression, usually `$n` parameters: calendarDayIn(now), actor.userId, now). The same rule as
 * archiveState; a command acting for the system (`actor.system`) reads no such list. The
 * expressions must not name the aliases `r`, `o` and `g`, which this one takes inside.
 */
export function archiveClosedSql(residentId: string, p: { day: string; userId: string; now: string }): string {
  return `EXISTS (SELECT 1 FROM residents r JOIN organisations o ON o.id = r.organisation_id
                   WHERE r.id = ${residentId} AND ${ARCHIVED_SINCE_SQL} <= (${p.day})::text
                     AND NOT EXISTS (SELECT 1 FROM archive_access_grants g WHERE g.resident_id = r.id AND g.staff_user_id = ${p.userId} AND g.expires_at > ${p.now}))`;
}

/** The stable code of a new signing act refused because the person is in the intermediate archive. */
export const RESIDENT_ARCHIVED = 'RESIDENT_ARCHIVED';

/** A person in the intermediate archive: the day she left, and the first day of the archive. */
export interface ResidentArchived {
  departedOn: string;
  archivedSince: string;
}

/**
 * Whether this resident is in the intermediate archive today, whoever reads (an opening does not
 * count: it is for consultation), with the day she left; null when not (accompanied, or departed
 * and still in the active base, or unknown).
 */
export async function residentArchived(em: EntityManager, organisationId: string, residentId: string, now = new Date()): Promise<ResidentArchived | null> {
  return residentArchivedOf((await readArchiveStates(em, organisationId, null, [residentId], now)).get(residentId));
}

/**
 * residentArchived from the values a caller read itself in one of its own statements: the day she left
 * (`r.departed_on::text`) and ARCHIVED_SINCE_SQL's value, against the Paris day of `now` — the rule
 * of readArchiveStates (DocumentsService.prepare reads both with the resident's file, issue 12).
 */
export function residentArchivedFrom(departedOn: string | null, archivedSince: string | null, now = new Date()): ResidentArchived | null {
  return residentArchivedOf(archiveStateOf(departedOn, archivedSince, null, calendarDayIn(now)));
}

/** The rule of the intermediate archive on one resident's row, on the Paris day `today` (readArchiveStates, residentArchivedFrom). */
function archiveStateOf(departedOn: string | null, archivedSince: string | null, openUntil: Date | null, today: string): ArchiveState {
  const since = archivedSince && archivedSince <= today ? archivedSince : null;
  return { archivedSince: since, departedOn: since ? departedOn : null, openUntil: since && openUntil ? openUntil.toISOString() : null };
}

/** An archive state (archiveState) as residentArchived says it: whoever reads, the opening aside. */
export function residentArchivedOf(state: ArchiveState | undefined): ResidentArchived | null {
  return state?.archivedSince && state.departedOn ? { departedOn: state.departedOn, archivedSince: state.archivedSince } : null;
}

/**
 * A new signing act for a person in the intermediate archive (409 RESIDENT_ARCHIVED): she left long
 * ago and her file only answers a specific need (a dispute, her request: CNIL délibérations
 * n° 2021-028 and 2023-095, RGPD art. 5.1.b and 5.1.e). Sending a document, a new link, an in-person
 * session, an access code, a countersignature or a paper signature is no consultation: an opening of
 * the archive does not allow it. A departed person still in the active base may sign (regularisation).
 */
export class ResidentArchivedError extends ConflictError {
  constructor(
    readonly archive: ResidentArchived,
    /** What is refused: a signing act (the default), or a new document or version (`assertNoNewDocumentFor`). */
    act: 'signature' | 'document' = 'signature',
  ) {
    super(RESIDENT_ARCHIVED, act === 'document' ? newDocumentArchivedMessage(archive) : residentArchivedMessage(archive, 'aucune nouvelle signature ne peut lui être demandée'));
  }
}

function residentArchivedMessage(archive: ResidentArchived, refused: string): string {
  return (
    `La personne a quitté l’établissement le ${formatDateFr(archive.departedOn)} et son dossier est en archive intermédiaire depuis le ${formatDateFr(archive.archivedSince)} : ` +
    `${refused} (l’archive se consulte, elle ne sert pas à de nouveaux actes).`
  );
}

/** Why no document or version is created for a person in the intermediate archive (the API's refusal, the console's sentence). */
export function newDocumentArchivedMessage(archive: ResidentArchived): string {
  return residentArchivedMessage(archive, 'aucun nouveau document ni aucune nouvelle version ne peut être établi pour elle');
}

/**
 * A new document for a person in the intermediate archive — a contract, a DIPC (the replacement of a
 * refused contract included), an avenant, an annex — or a new version of one of hers (a correction):
 * 409 RESIDENT_ARCHIVED, even with an opening of the archive, which is for consultation (CNIL
 * délibérations n° 2021-028 and 2023-095, RGPD art. 5.1.b and 5.1.e). A departed person still in
 * the active base may still have one (regularisation).
 */
export async function assertNoNewDocumentFor(em: EntityManager, organisationId: string, residentId: string, now = new Date()): Promise<void> {
  const archived = await residentArchived(em, organisationId, residentId, now);
  if (archived) throw new ResidentArchivedError(archived, 'document');
}

/**
 * assertNoNewDocumentFor on the values read with the resident's file (residentArchivedFrom): the same
 * refusal without a statement of its own (DocumentsService.prepare, on every document created).
 */
export function assertNoNewDocumentFrom(departedOn: string | null, archivedSince: string | null, now = new Date()): void {
  const archived = residentArchivedFrom(departedOn, archivedSince, now);
  if (archived) throw new ResidentArchivedError(archived, 'document');
}

/** Refuses a new signing act for this resident when she is in the intermediate archive (ResidentArchivedError). */
export async function assertResidentNotArchived(em: EntityManager, organisationId: string, residentId: string, now = new Date()): Promise<void> {
  const archived = await residentArchived(em, organisationId, residentId, now);
  if (archived) throw new ResidentArchivedError(archived);
}

/** residentArchived for the resident a document belongs to (an unknown document: null). */
export async function documentResidentArchived(em: EntityManager, organisationId: string, documentId: string, now = new Date()): Promise<ResidentArchived | null> {
  const residentId = await residentOfDocument(em, organisationId, documentId);
  return residentId ? residentArchived(em, organisationId, residentId, now) : null;
}

/** assertResidentNotArchived for the resident a document belongs to. */
export async function assertDocumentResidentNotArchived(em: EntityManager, organisationId: string, documentId: string, now = new Date()): Promise<void> {
  const archived = await documentResidentArchived(em, organisationId, documentId, now);
  if (archived) throw new ResidentArchivedError(archived);
}

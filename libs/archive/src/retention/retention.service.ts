import { rmSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { AuditActor, AuditService, auditActorLabel } from '@carepact/audit';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, canonicalJson, formatDateFr, sha256Hex, textProblem } from '@carepact/common';
import { ARCHIVE_GRANT_MINUTES, archiveState } from '@carepact/documents';
import { StaffActor, assertCan, auditActor, can, requireVisible } from '@carepact/identity';
import { TransactionRunner } from '@carepact/database';
import { EntityManager } from 'typeorm';
import { OPEN_ACCESS_REQUEST_SQL } from '@carepact/signing';
import { isEndOfStayReason } from '@carepact/residents';
import {
  MINOR_ACCOMPANIMENT_TYPES,
  RETENTION_DEFAULTS,
  RETENTION_LABELS,
  RETENTION_SUBJECTS,
  RetentionSubject,
  isRetentionSubject,
  minorAccompanimentEnds,
  retentionEnds,
  retentionStart,
  TUTELLE_ENDING_AFTER_SQL,
} from './retention-defaults';

export interface RetentionPolicyView {
  subject: RetentionSubject;
  label: string;
  years: number;
  defaultYears: number;
  basis: string;
  /** True when the organisation changed the default. */
  custom: boolean;
}

export interface LegalHoldView {
  id: string;
  subjectType: 'resident' | 'document';
  subjectId: string;
  reason: string;
  placedBy: string;
  placedAt: string;
  liftedBy: string | null;
  liftedAt: string | null;
  liftReason: string | null;
}

export interface PurgeItem {
  id: string;
  residentId: string;
  /** Document type, or `dossier-resident`. */
  subject: RetentionSubject;
  departedOn: string;
  retentionEnds: string;
  /** The person's establishment (reports drawn before it have none: purgeReportFor looks it up). */
  establishmentId?: string;
}

/** What a purge would delete today, and what it keeps and why (counts). */
export interface PurgeReport {
  organisationId: string;
  /** The day (Paris) the report was computed for: items whose retention ended before it. */
  day: string;
  /**
   * The establishments the report covers, and the only ones its run may purge: those where whoever
   * drew it manages records (RetentionService.plan; SECURITY-RELIABILITY.md, a permission is checked
   * in the establishment of the record acted on); all of the organisation's for the system (CLI).
   * Reports drawn before it have none: they covered the whole organisation.
   */
  establishmentIds?: string[];
  documents: PurgeItem[];
  residents: PurgeItem[];
  kept: {
    heldDocuments: number;
    heldResidents: number;
    /**
     * A person with an access request still open (OPEN_ACCESS_REQUEST_SQL), and her documents: the
     * answer is made from them (RGPD art. 15; after a death CSP L.1110-4 V, L.1111-7). Reports drawn
     * before it have none.
     */
    openAccessRequestDocuments?: number;
    openAccessRequestResidents?: number;
    inRetentionDocuments: number;
    inRetentionResidents: number;
    inProgressDocuments: number;
    residentsWithKeptDocuments: number;
  };
}

export interface PurgeOutcome {
  documents: number;
  residents: number;
  blobs: number;
  /** Items of the report not purged because they became held, or left retention, meanwhile. */
  skipped: number;
  /** Export zips about what was purged, deleted from EXPORTS_DIR. */
  exportFiles?: number;
}

/** Items of a purge report in an establishment whose records the reader does not manage: counted, not listed. */
export interface PurgeElsewhere {
  /** null: not known any more (a report drawn before items carried it, whose item was purged since). */
  establishmentId: string | null;
  establishmentName: string | null;
  documents: number;
  residents: number;
}

/** A purge report as one reader sees it (purgeReportFor). */
export type PurgeReportView = PurgeReport & { elsewhere?: PurgeElsewhere[] };

/**
 * A purge report as `actor` may see it — one another drew, over establishments she does not all
 * manage (a report covers its author's, DataJobsService.purgeReport) —: a person's name, file and
 * dates are shown only to whom manages records in her establishment (SECURITY-RELIABILITY.md: a
 * permission is checked in the establishment of the record
 * acted on; the legal holds are filtered the same way, holdsManagedBy). The items of the other
 * establishments are left out of `documents` and `residents` and counted per establishment in
 * `elsewhere` (absent when there are none), so that the totals the purge deletes stay known. The
 * kept counts are the organisation's. The system (CLI) sees the whole report; the stored report is
 * left whole (the purge runs it).
 */
export async function purgeReportFor(em: EntityManager, actor: StaffActor, report: PurgeReport): Promise<PurgeReportView> {
  if (actor.system) return report;
  const items = [...report.documents, ...report.residents];
  // Reports drawn before items carried their establishment: looked up (a purged item's is not known any more).
  const where = await establishmentsOf(em, actor.organisationId, [...new Set(items.filter((i) => !i.establishmentId).map((i) => i.id))]);
  const establishmentOf = (i: PurgeItem) => i.establishmentId ?? where.get(i.id) ?? null;
  const managed = (i: PurgeItem) => {
    const e = establishmentOf(i);
    return e !== null && can(actor, 'records.manage', e);
  };
  const counts = new Map<string | null, PurgeElsewhere>();
  for (const [kind, list] of [['documents', report.documents], ['residents', report.residents]] as const)
    for (const i of list.filter((x) => !managed(x))) {
      const e = establishmentOf(i);
      const c = counts.get(e) ?? { establishmentId: e, establishmentName: null, documents: 0, residents: 0 };
      c[kind]++;
      counts.set(e, c);
    }
  if (!counts.size) return report;
  const ids = [...counts.keys()].filter((e): e is string => e !== null);
  const names = new Map(
    ((await em.query(`SELECT id, name FROM establishments WHERE organisation_id = $1 AND id = ANY($2::uuid[])`, [actor.organisationId, ids])) as { id: string; name: string }[]).map((e) => [e.id, e.name]),
  );
  const elsewhere = [...counts.values()]
    .map((c) => ({ ...c, establishmentName: c.establishmentId ? (names.get(c.establishmentId) ?? null) : null }))
    .sort((a, b) => (a.establishmentName === null ? 1 : b.establishmentName === null ? -1 : a.establishmentName.localeCompare(b.establishmentName, 'fr')));
  return { ...report, documents: report.documents.filter(managed), residents: report.residents.filter(managed), elsewhere };
}

const HOLD_REASON_MAX = 500;

/** The organisation's establishments, by id. */
export async function organisationEstablishmentIds(em: EntityManager, organisationId: string): Promise<string[]> {
  return ((await em.query(`SELECT id FROM establishments WHERE organisation_id = $1 ORDER BY id`, [organisationId])) as { id: string }[]).map((e) => e.id);
}

/**
 * The establishments a purge report covers: those it recorded (the ones where its author manages
 * records, DataJobsService.purgeReport); a report drawn before reports recorded them covered the
 * whole organisation. No report (`undefined`): the whole organisation too.
 */
export async function purgeReportEstablishmentIds(em: EntityManager, organisationId: string, report: Pick<PurgeReport, 'establishmentIds'> | undefined): Promise<string[]> {
  return report?.establishmentIds ?? (await organisationEstablishmentIds(em, organisationId));
}

/** The establishment of each of the organisation's persons and documents among `ids` (one query); the others are absent. */
async function establishmentsOf(em: EntityManager, organisationId: string, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = (await em.query(
    `SELECT r.id, r.establishment_id AS "establishmentId" FROM residents r WHERE r.organisation_id = $1 AND r.id = ANY($2::uuid[])
      UNION ALL SELECT d.id, d.establishment_id FROM documents d WHERE d.organisation_id = $1 AND d.id = ANY($2::uuid[])`,
    [organisationId, ids],
  )) as { id: string; establishmentId: string }[];
  return new Map(rows.map((r) => [r.id, r.establishmentId]));
}

export const RECORDS_MANAGE_WHOLE_ORGANISATION_MESSAGE =
  'Les durées de conservation et le régime des archives valent pour tous les établissements de l’organisation : seul un administrateur de tous les établissements de l’organisation peut les changer.';

/**
 * Changing what holds for the whole organisation — its retention durations, its archives regime —
 * acts on the records of each of its establishments: `records.manage` in every one of them
 * (SECURITY-RELIABILITY.md: a role here and a role there do not combine into a right here; an
 * administrator of one establishment would otherwise shorten the retention of another's files and
 * purge them). Otherwise 403 RECORDS_MANAGE_WHOLE_ORGANISATION_REQUIRED. The system (CLI) acts for
 * the operator, organisation-wide. Reading them is not restricted here.
 */
export async function assertManagesWholeOrganisation(em: EntityManager, actor: StaffActor): Promise<void> {
  if (!(await managesWholeOrganisation(em, actor))) throw new ForbiddenError('RECORDS_MANAGE_WHOLE_ORGANISATION_REQUIRED', RECORDS_MANAGE_WHOLE_ORGANISATION_MESSAGE);
}

/** Whether `actor` may change what holds for the whole organisation (assertManagesWholeOrganisation). */
export async function managesWholeOrganisation(em: EntityManager, actor: StaffActor): Promise<boolean> {
  if (actor.system) return true;
  const all = await organisationEstablishmentIds(em, actor.organisationId);
  return all.length > 0 && all.every((e) => can(actor, 'records.manage', e));
}

/** How the organisation's records are kept (migration 1764090000000). */
export type ArchivesRegime = {
  /**
   * The organisation's records are public archives (Code du patrimoine L.211-4): 1° those of a
   * personne morale de droit public, or 2° those that « procèdent de la gestion d'un service public
   * ou de l'exercice d'une mission de service public par des personnes de droit privé » (a private
   * establishment habilitated for aide sociale may be one: the organisation checks with the archives
   * service). The purge needs the visa of R.212-14. Column `organisations.public_law`, kept under its
   * first name: it now means « public archives », whichever paragraph.
   */
  publicLaw: boolean;
  /** Months after the end of the accompaniment before the person's documents go to the intermediate archive. */
  activeBaseMonths: number;
};

/**
 * The visa on the elimination list (bordereau d'élimination) of a purge of public archives: Code du
 * patrimoine R.212-14, given by « la personne chargée du contrôle scientifique et technique de
 * l'État sur les archives »; the elimination itself is made « dans les conditions prévues au
 * deuxième alinéa de l'article L. 212-2 » (the list of documents to eliminate agreed with the
 * administration des archives); an elimination without it is an offence (L.214-3).
 */
export type EliminationVisa = {
  /** The visa's reference (the bordereau's number). */
  reference: string;
  /** The day of the visa, YYYY-MM-DD, not in the future. */
  date: string;
  /** Who gave it: the name and quality of the person in charge of the State's contrôle scientifique et technique on archives (R.212-14), free text. */
  signatory: string;
};

/** The visa from a request body, checked (400 with a code per field), or null when none was given at all. */
export function eliminationVisaOf(raw: unknown): EliminationVisa | null {
  if (raw === undefined || raw === null) return null;
  const v = (typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' ? x.trim() : '');
  const visa = { reference: text(v.reference), date: text(v.date), signatory: text(v.signatory) };
  if (!visa.reference && !visa.date && !visa.signatory) return null;
  const errors = eliminationVisaErrors(visa);
  if (errors.length) throw new ValidationError(errors);
  return visa;
}

/**
 * Every problem of a visa at once, an empty field included (Code du patrimoine R.212-14: reference,
 * date and signatory are all required): the console shows them together with the confirmation box's.
 */
export function eliminationVisaErrors(raw: { reference?: unknown; date?: unknown; signatory?: unknown }): { field: string; code: string; message: string }[] {
  const text = (x: unknown) => (typeof x === 'string' ? x.trim() : '');
  const visa = { reference: text(raw.reference), date: text(raw.date), signatory: text(raw.signatory) };
  const errors: { field: string; code: string; message: string }[] = [];
  const bad = (s: string, max: number) => s.length < 2 || s.length > max || /[\u0000-\u001f]/.test(s);
  if (bad(visa.reference, 200)) errors.push({ field: 'visa.reference', code: 'PURGE_VISA_REFERENCE_INVALID', message: 'Référence du visa requise (celle du bordereau d’élimination visé), de 2 à 200 caractères.' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(visa.date) || Number.isNaN(Date.parse(`${visa.date}T00:00:00Z`)) || new Date(`${visa.date}T00:00:00Z`).toISOString().slice(0, 10) !== visa.date)
    errors.push({ field: 'visa.date', code: 'PURGE_VISA_DATE_INVALID', message: 'Date du visa attendue au format AAAA-MM-JJ.' });
  else if (visa.date > parisToday()) errors.push({ field: 'visa.date', code: 'PURGE_VISA_DATE_INVALID', message: 'La date du visa ne peut être dans le futur.' });
  if (bad(visa.signatory, 200))
    errors.push({ field: 'visa.signatory', code: 'PURGE_VISA_SIGNATORY_INVALID', message: 'Indiquez le nom et la qualité de la personne qui a donné le visa : celle chargée du contrôle scientifique et technique de l’État sur les archives (art. R.212-14), par exemple la directrice des archives départementales.' });
  return errors;
}

/** The visa in an audit event's payload (flat: the journal keeps scalar values). */
export function visaPayload(visa: EliminationVisa | null | undefined): Record<string, string> {
  return visa ? { eliminationVisaReference: visa.reference, eliminationVisaDate: visa.date, eliminationVisaSignatory: visa.signatory } : {};
}

/** A purge of public archives (L.211-4, 1° or 2°) without the visa: 400, nothing asked (Code du patrimoine R.212-14). */
export const PURGE_ARCHIVES_VISA_REQUIRED_MESSAGE =
  'Les dossiers de l’organisation sont des archives publiques (1° ou 2° de l’article L.211-4 du Code du patrimoine) : leur élimination est interdite sans le visa, sur le bordereau d’élimination, de la personne chargée du contrôle scientifique et technique de l’État sur les archives (art. R.212-14). Indiquez la référence du visa, sa date, le nom et la qualité de son signataire.';
const IN_PROGRESS = ['generating', 'in_signature'];

/** Today in Paris, YYYY-MM-DD (the establishments' legal day). */
export function parisToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
}

/**
 * Retention and legal holds (issue 11 item 4; RGPD art. 5.1.e storage limitation, art. 17.3.e
 * and 18.1.c: data needed for legal claims are kept). A purge never deletes an item under a legal
 * hold (checked here and, again, by the database functions that alone may delete: migration
 * 1763950000000) nor an item still within its retention; it keeps every audit event, appends its
 * own, and writes a tombstone with the SHA-256 of what it deleted.
 */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What RetentionService.recordDeparture recorded: the end of the accompaniment, the date of death, how it ended (null: accompanied). */
export interface RecordedEnd {
  departedOn: string | null;
  deceasedOn: string | null;
  endReason: 'departure' | 'death' | null;
}

const isIsoDay = (d: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;

@Injectable()
export class RetentionService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  async policies(em: EntityManager, organisationId: string): Promise<RetentionPolicyView[]> {
    const rows = (await em.query(`SELECT subject, years FROM retention_policies WHERE organisation_id = $1`, [organisationId])) as { subject: string; years: number }[];
    const custom = new Map(rows.map((r) => [r.subject, Number(r.years)]));
    return RETENTION_SUBJECTS.map((subject) => ({
      subject,
      label: RETENTION_LABELS[subject],
      years: custom.get(subject) ?? RETENTION_DEFAULTS[subject].years,
      defaultYears: RETENTION_DEFAULTS[subject].years,
      basis: RETENTION_DEFAULTS[subject].basis,
      custom: custom.has(subject),
    }));
  }

  /** Changes one duration for the organisation (RGPD art. 5.2: the controller decides); audited. */
  async setPolicy(em: EntityManager, actor: AuditActor, organisationId: string, subject: string, years: unknown): Promise<RetentionPolicyView> {
    if (!isRetentionSubject(subject)) throw new NotFoundError('RETENTION_SUBJECT_UNKNOWN', `Type inconnu : utilisez ${RETENTION_SUBJECTS.join(', ')}.`);
    if (typeof years !== 'number' || !Number.isInteger(years) || years < 1 || years > 100)
      throw new ValidationError([{ field: 'years', code: 'RETENTION_YEARS_INVALID', message: 'Durée en années entières, de 1 à 100.' }]);
    const before = (await this.policies(em, organisationId)).find((p) => p.subject === subject)!;
    const by = auditActorLabel(actor);
    await em.query(
      `INSERT INTO retention_policies (organisation_id, subject, years, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (organisation_id, subject) DO UPDATE SET years = EXCLUDED.years, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [organisationId, subject, years, by],
    );
    await this.audit.append(em, {
      chainId: organisationId,
      actor,
      action: 'retention.policy_changed',
      subject: { type: 'organisation', id: organisationId },
      payload: { subject, years, previousYears: before.years, defaultYears: before.defaultYears },
    });
    return (await this.policies(em, organisationId)).find((p) => p.subject === subject)!;
  }

  async archivesRegime(em: EntityManager, organisationId: string): Promise<ArchivesRegime> {
    const [o] = (await em.query(`SELECT public_law, active_base_months FROM organisations WHERE id = $1`, [organisationId])) as { public_law: boolean; active_base_months: number }[];
    if (!o) throw new NotFoundError('ORGANISATION_NOT_FOUND', 'Organisme introuvable.');
    return { publicLaw: o.public_law, activeBaseMonths: Number(o.active_base_months) };
  }

  /** Changes the organisation's archives regime (public law; active base in months, 0 to 1200); audited with the previous values. */
  async setArchivesRegime(em: EntityManager, actor: AuditActor, organisationId: string, input: { publicLaw?: unknown; activeBaseMonths?: unknown }): Promise<ArchivesRegime> {
    const before = await this.archivesRegime(em, organisationId);
    const errors: { field: string; code: string; message: string }[] = [];
    if (input.publicLaw !== undefined && typeof input.publicLaw !== 'boolean')
      errors.push({ field: 'publicLaw', code: 'ARCHIVES_PUBLIC_LAW_INVALID', message: 'Archives publiques (1° ou 2° de l’article L.211-4 du Code du patrimoine) : oui (true) ou non (false).' });
    const months = input.activeBaseMonths;
    if (months !== undefined && (typeof months !== 'number' || !Number.isInteger(months) || months < 0 || months > 1200))
      errors.push({ field: 'activeBaseMonths', code: 'ACTIVE_BASE_MONTHS_INVALID', message: 'Durée en base active : un nombre entier de mois, de 0 à 1200.' });
    if (errors.length) throw new ValidationError(errors);
    const after: ArchivesRegime = {
      publicLaw: input.publicLaw === undefined ? before.publicLaw : (input.publicLaw as boolean),
      activeBaseMonths: months === undefined ? before.activeBaseMonths : (months as number),
    };
    await em.query(`UPDATE organisations SET public_law = $2, active_base_months = $3 WHERE id = $1`, [organisationId, after.publicLaw, after.activeBaseMonths]);
    await this.audit.append(em, {
      chainId: organisationId,
      actor,
      action: 'retention.archives_regime_changed',
      subject: { type: 'organisation', id: organisationId },
      payload: { ...after, previousPublicLaw: before.publicLaw, previousActiveBaseMonths: before.activeBaseMonths },
    });
    return after;
  }

  /**
   * Opens the intermediate archive of one person for this records manager, for
   * ARCHIVE_GRANT_MINUTES: the reason is required (3 to 500 characters), kept in a write-once grant,
   * and its SHA-256 is in the audit event `archive.opened` (the chain proves the reason unchanged;
   * the reason itself stays out of the journal, as a hold's). Refused for a person whose documents
   * are still in the active base (409 ARCHIVE_NOT_ARCHIVED).
   */
  async openArchive(em: EntityManager, actor: StaffActor, residentId: string, reasonInput: unknown): Promise<{ grantId: string; expiresAt: string }> {
    const [r] = (await em.query(`SELECT id, establishment_id FROM residents WHERE id = $1 AND organisation_id = $2 FOR UPDATE`, [residentId, actor.organisationId])) as {
      id: string;
      establishment_id: string;
    }[];
    requireVisible(actor, r ? { establishmentId: r.establishment_id } : null, new NotFoundError('RESIDENT_NOT_FOUND', 'Personne introuvable.'));
    assertCan(actor, 'records.manage', r.establishment_id);
    const state = await archiveState(em, actor, residentId);
    if (!state.archivedSince) throw new ConflictError('ARCHIVE_NOT_ARCHIVED', 'Les documents de cette personne sont encore en base active : rien à ouvrir.');
    const raw = typeof reasonInput === 'string' ? reasonInput.trim() : '';
    // The shared rule for text that must read as it is (libs/common textProblem, 'name': one line, no
    // control, no bidirectional override that would show the reason otherwise than it was written).
    const problem = raw ? textProblem(raw, 'name') : null;
    if (problem) throw new ValidationError([{ field: 'reason', code: problem.code, message: problem.message }]);
    if (raw.length < 3 || raw.length > HOLD_REASON_MAX)
      throw new ValidationError([{ field: 'reason', code: 'ARCHIVE_REASON_INVALID', message: `Motif requis pour ouvrir l’archive intermédiaire (contentieux, demande de la personne…) : de 3 à ${HOLD_REASON_MAX} caractères.` }]);
    const [g] = (await em.query(
      `INSERT INTO archive_access_grants (organisation_id, resident_id, staff_user_id, reason, granted_at, expires_at)
       VALUES ($1, $2, $3, $4, now(), now() + make_interval(mins => $5)) RETURNING id, expires_at`,
      [actor.organisationId, residentId, actor.userId, raw, ARCHIVE_GRANT_MINUTES],
    )) as { id: string; expires_at: Date }[];
    await this.audit.append(em, {
      chainId: actor.organisationId,
      actor: auditActor(actor),
      action: 'archive.opened',
      subject: { type: 'resident', id: residentId },
      payload: { grantId: g.id, reasonSha256: sha256Hex(raw), archivedSince: state.archivedSince, expiresAt: g.expires_at.toISOString() },
    });
    return { grantId: g.id, expiresAt: g.expires_at.toISOString() };
  }

  /**
   * The end of the accompaniment, from which retention runs, and how it ended (`endReason`): a
   * departure (`date` is its day), or the person's death (`date` is the date of death, recorded as
   * `deceased_on`). A death ends the protection measure (C. civ. 443 al. 1) and the contrat de séjour,
   * made in consideration of her person (CASF L.314-10-1 is only the billing rule: the hébergement
   * delivered before the death, and the socle de prestations at most six days after it while her
   * belongings stay, R.314-149; taking the room's vacating as the « date de sortie » is an analogy
   * with R.314-149 I, which defines it for the deposit's refund); the caller cancels her open signature requests with it
   * (SignatureRequestsService.cancelForDeparture, `death`, with the date of death).
   *
   * The death is not the end of the accompaniment by force (the sector lawyer's review of session 20,
   * migration 1764290000000): a departure already recorded (she left for hospital or another
   * establishment before, or the room was vacated after) stays as it is and only the death is set;
   * with none, the end is the death's date, or `vacatedOn` given with it — the date of the
   * contradictory état des lieux (CASF R.314-149 I: the exit date of an EHPAD, L.311-7-1), not before
   * the death, not in the future. DEATH_BEFORE_ADMISSION and DEATH_IN_FUTURE check the date of death
   * itself; the end of the accompaniment then is a departure already checked, or the death or later.
   *
   * `date` null clears: after a death, only the death (« Effacer la date de décès (saisie par
   * erreur) »): a departure recorded before it as such stays, the end recorded with the death goes
   * with it (`departure_with_death`); without a death, the departure (accompanied again). Audited:
   * `resident.departure_recorded`, both dates, previous and new, and how it ended. Checked before
   * anything is written. Returns what is recorded.
   */
  async recordDeparture(
    em: EntityManager,
    actor: AuditActor,
    organisationId: string,
    residentId: string,
    date: string | null,
    endReason: unknown = 'departure',
    vacatedOn: unknown = null,
  ): Promise<RecordedEnd> {
    const [r] = (await em.query(
      `SELECT admission_date::text AS admission, departed_on::text AS departed, deceased_on::text AS deceased, departure_with_death AS "withDeath"
         FROM residents WHERE id = $1 AND organisation_id = $2 FOR UPDATE`,
      [residentId, organisationId],
    )) as { admission: string; departed: string | null; deceased: string | null; withDeath: boolean }[];
    if (!r) throw new NotFoundError('RESIDENT_NOT_FOUND', 'Personne introuvable.');
    if (!isEndOfStayReason(endReason))
      throw new ValidationError([{ field: 'endReason', code: 'INVALID_END_REASON', message: 'Indiquez comment l’accompagnement a pris fin : départ ou décès.' }]);
    const death = endReason === 'death';
    const today = parisToday();
    if (date !== null) {
      if (!isIsoDay(date)) throw new ValidationError([{ field: 'departedOn', code: 'INVALID_DATE', message: 'Date attendue au format AAAA-MM-JJ.' }]);
      if (date < r.admission)
        throw new ValidationError([
          death
            ? { field: 'departedOn', code: 'DEATH_BEFORE_ADMISSION', message: 'La date du décès ne peut précéder l’admission.' }
            : { field: 'departedOn', code: 'DEPARTURE_BEFORE_ADMISSION', message: 'La fin de l’accompagnement ne peut précéder l’admission.' },
        ]);
      if (date > today)
        throw new ValidationError([
          death
            ? { field: 'departedOn', code: 'DEATH_IN_FUTURE', message: 'La date du décès ne peut être dans le futur.' }
            : { field: 'departedOn', code: 'DEPARTURE_IN_FUTURE', message: 'La fin de l’accompagnement ne peut être dans le futur.' },
        ]);
    }
    // The état des lieux de sortie (CASF R.314-149 I), with a death only; an empty field is none.
    const vacated = vacatedOn === null || vacatedOn === undefined || vacatedOn === '' ? null : vacatedOn;
    // A departure recorded as such before the death (not the end the death itself set).
    const ownDeparture = r.departed !== null && !r.withDeath ? r.departed : null;
    if (vacated !== null) {
      if (!death || date === null)
        throw new ValidationError([{ field: 'vacatedOn', code: 'VACATED_ONLY_WITH_DEATH', message: 'La date de l’état des lieux de sortie ne s’indique qu’avec un décès.' }]);
      if (typeof vacated !== 'string' || !isIsoDay(vacated)) throw new ValidationError([{ field: 'vacatedOn', code: 'INVALID_DATE', message: 'Date attendue au format AAAA-MM-JJ.' }]);
      if (vacated < date) throw new ValidationError([{ field: 'vacatedOn', code: 'VACATED_BEFORE_DEATH', message: 'La date de l’état des lieux de sortie ne peut précéder le décès.' }]);
      if (vacated > today) throw new ValidationError([{ field: 'vacatedOn', code: 'VACATED_IN_FUTURE', message: 'La date de l’état des lieux de sortie ne peut être dans le futur.' }]);
      if (ownDeparture !== null && vacated !== ownDeparture)
        throw new ValidationError([
          {
            field: 'vacatedOn',
            code: 'DEPARTURE_ALREADY_RECORDED',
            message: `La fin de l’accompagnement est déjà enregistrée, le ${formatDateFr(ownDeparture)}, et reste cette date : laissez ce champ vide (pour la corriger, enregistrez d’abord le départ).`,
          },
        ]);
    }
    let next: { departed: string | null; deceased: string | null; withDeath: boolean };
    if (date === null) next = r.deceased !== null && ownDeparture !== null ? { departed: ownDeparture, deceased: null, withDeath: false } : { departed: null, deceased: null, withDeath: false };
    else if (!death) next = { departed: date, deceased: null, withDeath: false };
    else if (ownDeparture !== null) next = { departed: ownDeparture, deceased: date, withDeath: false };
    else next = { departed: (vacated as string | null) ?? date, deceased: date, withDeath: true };
    await em.query(`UPDATE residents SET departed_on = $2, deceased_on = $3, departure_with_death = $4, updated_at = now() WHERE id = $1`, [
      residentId,
      next.departed,
      next.deceased,
      next.withDeath,
    ]);
    const recorded: RecordedEnd = { departedOn: next.departed, deceasedOn: next.deceased, endReason: next.departed === null ? null : next.deceased !== null ? 'death' : 'departure' };
    await this.audit.append(em, {
      chainId: organisationId,
      actor,
      action: 'resident.departure_recorded',
      subject: { type: 'resident', id: residentId },
      payload: {
        departedOn: next.departed,
        previous: r.departed,
        // Which end: the person's death, or a departure (null: the end cleared, accompanied again).
        endReason: recorded.endReason,
        previousEndReason: r.departed === null ? null : r.deceased ? 'death' : 'departure',
        // Both dates, previous and new: the death is not the end of the accompaniment by force (migration 1764290000000).
        deceasedOn: next.deceased,
        previousDeceasedOn: r.deceased,
      },
    });
    return recorded;
  }

  async holds(em: EntityManager, organisationId: string, filter: { activeOnly?: boolean; subjectId?: string | readonly string[] } = {}): Promise<LegalHoldView[]> {
    const subjects = filter.subjectId === undefined ? null : typeof filter.subjectId === 'string' ? [filter.subjectId] : [...filter.subjectId];
    const rows = (await em.query(
      `SELECT id, subject_type, subject_id, reason, placed_by, placed_at, lifted_by, lifted_at, lift_reason FROM legal_holds
        WHERE organisation_id = $1 AND ($2::boolean IS NOT TRUE OR lifted_at IS NULL) AND ($3::uuid[] IS NULL OR subject_id = ANY($3))
        ORDER BY placed_at DESC LIMIT 500`,
      [organisationId, filter.activeOnly ?? false, subjects],
    )) as Record<string, string | Date | null>[];
    return rows.map((h) => ({
      id: h.id as string,
      subjectType: h.subject_type as 'resident' | 'document',
      subjectId: h.subject_id as string,
      reason: h.reason as string,
      placedBy: h.placed_by as string,
      placedAt: (h.placed_at as Date).toISOString(),
      liftedBy: (h.lifted_by as string | null) ?? null,
      liftedAt: h.lifted_at ? (h.lifted_at as Date).toISOString() : null,
      liftReason: (h.lift_reason as string | null) ?? null,
    }));
  }

  /**
   * The organisation's holds an actor may see through the API: those on a person or a document of an
   * establishment where she manages records. The reason is free text about a person (« plainte de la
   * famille… »); an attacker's review of session 17 listed, placed and lifted, as another
   * establishment's administrator, holds on persons whose files answered her 404.
   */
  async holdsManagedBy(em: EntityManager, actor: StaffActor, filter: { activeOnly?: boolean } = {}): Promise<LegalHoldView[]> {
    const holds = await this.holds(em, actor.organisationId, filter);
    if (actor.system || !holds.length) return holds;
    const where = await establishmentsOf(em, actor.organisationId, holds.map((h) => h.subjectId));
    return holds.filter((h) => {
      const e = where.get(h.subjectId);
      return e !== undefined && can(actor, 'records.manage', e);
    });
  }

  /**
   * Before placing a hold through the API: its subject, if it is a person or a document of the
   * organisation, must be seen by the actor (else the 404 an unknown one gets) and in an
   * establishment where she manages records (403). Shapes and existence are the service's
   * (placeHold: HOLD_SUBJECT_INVALID, INVALID_ID, HOLD_SUBJECT_NOT_FOUND).
   */
  async assertManagesHoldSubject(em: EntityManager, actor: StaffActor, subjectType: unknown, subjectId: unknown): Promise<void> {
    if (actor.system || (subjectType !== 'resident' && subjectType !== 'document') || typeof subjectId !== 'string' || !UUID_RE.test(subjectId)) return;
    const table = subjectType === 'resident' ? 'residents' : 'documents';
    const [row] = (await em.query(`SELECT establishment_id AS "establishmentId" FROM ${table} WHERE id = $1 AND organisation_id = $2`, [subjectId.toLowerCase(), actor.organisationId])) as {
      establishmentId: string;
    }[];
    if (!row) return;
    requireVisible(actor, row, () => new NotFoundError('HOLD_SUBJECT_NOT_FOUND', subjectType === 'resident' ? 'Personne introuvable.' : 'Document introuvable.'));
    assertCan(actor, 'records.manage', row.establishmentId);
  }

  /** Before lifting a hold through the API: the same as `assertManagesHoldSubject`, for the hold's subject; a hold on an unseen subject is not found. */
  async assertManagesHold(em: EntityManager, actor: StaffActor, holdId: string): Promise<void> {
    if (actor.system) return;
    const [row] = (await em.query(
      `SELECT COALESCE(r.establishment_id, d.establishment_id) AS "establishmentId" FROM legal_holds h
         LEFT JOIN residents r ON h.subject_type = 'resident' AND r.id = h.subject_id
         LEFT JOIN documents d ON h.subject_type = 'document' AND d.id = h.subject_id
        WHERE h.id = $1 AND h.organisation_id = $2`,
      [holdId, actor.organisationId],
    )) as { establishmentId: string | null }[];
    if (!row || row.establishmentId === null) return; // unknown: liftHold's own 404; a subject since purged: the organisation's
    requireVisible(actor, { establishmentId: row.establishmentId }, () => new NotFoundError('LEGAL_HOLD_NOT_FOUND', 'Gel introuvable.'));
    assertCan(actor, 'records.manage', row.establishmentId);
  }

  /**
   * A legal hold (litigation, an inquiry, a judge's or the person's request: RGPD art. 18.1.c,
   * C. civ. art. 2224 running claims): nothing of the resident or document is deleted until lifted.
   */
  async placeHold(em: EntityManager, actor: AuditActor, organisationId: string, input: { subjectType: unknown; subjectId: unknown; reason: unknown }): Promise<LegalHoldView> {
    if (input.subjectType !== 'resident' && input.subjectType !== 'document')
      throw new ValidationError([{ field: 'subjectType', code: 'HOLD_SUBJECT_INVALID', message: 'Gel sur une personne (resident) ou un document (document).' }]);
    const subjectId = typeof input.subjectId === 'string' ? input.subjectId.toLowerCase() : '';
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(subjectId))
      throw new ValidationError([{ field: 'subjectId', code: 'INVALID_ID', message: 'Identifiant invalide.' }]);
    const reason = reasonOf(input.reason, 'reason');
    const table = input.subjectType === 'resident' ? 'residents' : 'documents';
    const exists = (await em.query(`SELECT 1 FROM ${table} WHERE id = $1 AND organisation_id = $2`, [subjectId, organisationId])) as unknown[];
    if (!exists.length) throw new NotFoundError('HOLD_SUBJECT_NOT_FOUND', input.subjectType === 'resident' ? 'Personne introuvable.' : 'Document introuvable.');
    const active = (await em.query(`SELECT 1 FROM legal_holds WHERE subject_id = $1 AND lifted_at IS NULL FOR UPDATE`, [subjectId])) as unknown[];
    if (active.length) throw new ConflictError('LEGAL_HOLD_EXISTS', 'Un gel est déjà en place sur cet élément.');
    const [row] = (await em.query(
      `INSERT INTO legal_holds (organisation_id, subject_type, subject_id, reason, placed_by, placed_at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
      [organisationId, input.subjectType, subjectId, reason, auditActorLabel(actor)],
    )) as { id: string }[];
    await this.audit.append(em, {
      chainId: organisationId,
      actor,
      action: 'legal_hold.placed',
      subject: { type: input.subjectType, id: subjectId },
      payload: { holdId: row.id, reasonSha256: sha256Hex(reason) },
    });
    return (await this.holds(em, organisationId, { subjectId })).find((h) => h.id === row.id)!;
  }

  /**
   * Lifts a hold with its reason. `subjectId`, when given, is the file or document whose page the
   * hold is lifted from: a hold on anything else is not found there (404), checked under the
   * hold's lock before the reason.
   */
  async liftHold(em: EntityManager, actor: AuditActor, organisationId: string, holdId: string, reasonInput: unknown, subjectId?: string): Promise<LegalHoldView> {
    const [h] = (await em.query(`SELECT subject_type, subject_id, lifted_at FROM legal_holds WHERE id = $1 AND organisation_id = $2 FOR UPDATE`, [holdId, organisationId])) as {
      subject_type: string;
      subject_id: string;
      lifted_at: Date | null;
    }[];
    if (!h || (subjectId !== undefined && h.subject_id !== subjectId)) throw new NotFoundError('LEGAL_HOLD_NOT_FOUND', 'Gel introuvable.');
    const reason = reasonOf(reasonInput, 'reason');
    if (h.lifted_at) throw new ConflictError('LEGAL_HOLD_ALREADY_LIFTED', 'Ce gel a déjà été levé.');
    await em.query(`UPDATE legal_holds SET lifted_by = $2, lifted_at = now(), lift_reason = $3 WHERE id = $1`, [holdId, auditActorLabel(actor), reason]);
    await this.audit.append(em, {
      chainId: organisationId,
      actor,
      action: 'legal_hold.lifted',
      subject: { type: h.subject_type, id: h.subject_id },
      payload: { holdId, reasonSha256: sha256Hex(reason) },
    });
    return (await this.holds(em, organisationId, { subjectId: h.subject_id })).find((x) => x.id === holdId)!;
  }

  /**
   * What a purge on `day` would delete, and what it keeps. Reads only. `establishmentIds`: the
   * establishments it covers — where the actor manages records (DataJobsService.purgeReport), the
   * run's report's (purge) —; absent: the whole organisation (the system, a report drawn before
   * reports recorded them). A document is purged only in a covered establishment, a person only in
   * a covered establishment, and a person keeps her file while one of her documents is kept,
   * elsewhere too (carepact_purge_resident refuses a person with documents left). Kept: what is under
   * a legal hold, and a person with an access request still open (OPEN_ACCESS_REQUEST_SQL) with her
   * documents — the answer is made from them (RGPD art. 15; after a death CSP L.1110-4 V, L.1111-7).
   */
  async plan(em: EntityManager, organisationId: string, day = parisToday(), establishmentIds?: readonly string[]): Promise<PurgeReport> {
    const all = await organisationEstablishmentIds(em, organisationId);
    const covered = establishmentIds ? all.filter((e) => establishmentIds.includes(e)) : all;
    const inScope = new Set(covered);
    const years = new Map((await this.policies(em, organisationId)).map((p) => [p.subject, p.years]));
    const OPEN_REQUEST = (resident: string) =>
      `EXISTS (SELECT 1 FROM data_jobs j WHERE j.organisation_id = $1 AND j.kind = 'access_request' AND j.params->>'residentId' = ${resident}::text AND ${OPEN_ACCESS_REQUEST_SQL})`;
    // The covered establishments' documents, and those elsewhere of the persons they hold (which keep her file).
    const docs = (await em.query(
      `SELECT d.id, d.type, d.status, d.resident_id, d.establishment_id, r.departed_on::text AS departed_on,
              EXISTS (SELECT 1 FROM legal_holds h WHERE h.lifted_at IS NULL AND h.subject_id IN (d.id, d.resident_id)) AS held,
              ${OPEN_REQUEST('d.resident_id')} AS open_request
         FROM documents d JOIN residents r ON r.id = d.resident_id
        WHERE d.organisation_id = $1 AND r.departed_on IS NOT NULL AND (d.establishment_id = ANY($2::uuid[]) OR r.establishment_id = ANY($2::uuid[]))
        ORDER BY r.departed_on, d.id`,
      [organisationId, covered],
    )) as { id: string; type: RetentionSubject; status: string; resident_id: string; establishment_id: string; departed_on: string; held: boolean; open_request: boolean }[];
    // The retention's start, per person (C. civ. 2235: not before majority — or the death of a minor —, nor before the end of a tutelle).
    const residents = (await em.query(
      `SELECT r.id, r.establishment_id, r.departed_on::text AS departed_on, r.birth_date::text AS birth_date, r.admission_date::text AS admission_date, r.deceased_on::text AS deceased_on, ${TUTELLE_ENDING_AFTER_SQL} AS tutelle_ends,
              EXISTS (SELECT 1 FROM legal_holds h WHERE h.lifted_at IS NULL AND h.subject_id = r.id) AS held,
              ${OPEN_REQUEST('r.id')} AS open_request
         FROM residents r WHERE r.organisation_id = $1 AND r.departed_on IS NOT NULL
          AND (r.establishment_id = ANY($2::uuid[]) OR r.id IN (SELECT d.resident_id FROM documents d WHERE d.organisation_id = $1 AND d.establishment_id = ANY($2::uuid[])))
        ORDER BY r.departed_on, r.id`,
      [organisationId, covered],
    )) as { id: string; establishment_id: string; departed_on: string; birth_date: string | null; admission_date: string | null; deceased_on: string | null; tutelle_ends: string | null; held: boolean; open_request: boolean }[];
    const startOf = new Map(residents.map((r) => [r.id, retentionStart(r.departed_on, r.birth_date, r.tutelle_ends, r.deceased_on).day]));
    // A person admitted as a minor: her accompaniment's record is kept until her 18 years (her death, if before) + 20 (C. civ. 2226 al. 2, 2235).
    const minorYears = years.get('accompagnement-mineur') ?? RETENTION_DEFAULTS['accompagnement-mineur'].years;
    const minorEndsOf = new Map(residents.map((r) => [r.id, minorAccompanimentEnds(r.birth_date, r.admission_date, minorYears, r.deceased_on)]));
    const report: PurgeReport = {
      organisationId,
      day,
      establishmentIds: covered,
      documents: [],
      residents: [],
      kept: {
        heldDocuments: 0,
        heldResidents: 0,
        openAccessRequestDocuments: 0,
        openAccessRequestResidents: 0,
        inRetentionDocuments: 0,
        inRetentionResidents: 0,
        inProgressDocuments: 0,
        residentsWithKeptDocuments: 0,
      },
    };
    const kept = report.kept as Required<PurgeReport['kept']>;
    const keptDocsOf = new Set<string>();
    for (const d of docs) {
      // Another establishment's document of a person held here: not this report's to purge nor count; it keeps her file.
      if (!inScope.has(d.establishment_id)) {
        keptDocsOf.add(d.resident_id);
        continue;
      }
      const own = retentionEnds(startOf.get(d.resident_id) ?? d.departed_on, years.get(d.type) ?? RETENTION_DEFAULTS[d.type].years);
      const minor = MINOR_ACCOMPANIMENT_TYPES.includes(d.type) ? minorEndsOf.get(d.resident_id) : null;
      const ends = minor && minor > own ? minor : own;
      if (d.held) kept.heldDocuments++;
      else if (d.open_request) kept.openAccessRequestDocuments++;
      else if (ends >= day) report.kept.inRetentionDocuments++;
      else if (IN_PROGRESS.includes(d.status)) report.kept.inProgressDocuments++;
      else {
        report.documents.push({ id: d.id, residentId: d.resident_id, subject: d.type, departedOn: d.departed_on, retentionEnds: ends, establishmentId: d.establishment_id });
        continue;
      }
      keptDocsOf.add(d.resident_id);
    }
    for (const r of residents) {
      // A person elsewhere, read for the retention's start of her documents here: not this report's.
      if (!inScope.has(r.establishment_id)) continue;
      const ends = retentionEnds(startOf.get(r.id)!, years.get('dossier-resident')!);
      if (r.held) report.kept.heldResidents++;
      else if (r.open_request) kept.openAccessRequestResidents++;
      else if (ends >= day) report.kept.inRetentionResidents++;
      else if (keptDocsOf.has(r.id)) report.kept.residentsWithKeptDocuments++;
      else report.residents.push({ id: r.id, residentId: r.id, subject: 'dossier-resident', departedOn: r.departed_on, retentionEnds: ends, establishmentId: r.establishment_id });
    }
    return report;
  }

  /**
   * Deletes what the dry-run `report` listed AND is still purgeable now (a hold placed or a
   * departure changed since is respected), one item per transaction: documents first, then the
   * residents' files. Each item: the SHA-256 of its rows and blobs, the database function that
   * deletes it (it refuses a held item), a tombstone and an audit event, together.
   */
  async purge(
    organisationId: string,
    runId: string,
    report: PurgeReport,
    actor: AuditActor,
    onProgress: (done: number, total: number) => void = () => undefined,
    visa: EliminationVisa | null = null,
  ): Promise<PurgeOutcome> {
    // Public archives: never eliminated without the archives' visa (Code du patrimoine R.212-14), checked again here.
    if ((await this.archivesRegime(this.tx.manager, organisationId)).publicLaw && !visa) throw new ConflictError('PURGE_ARCHIVES_VISA_REQUIRED', PURGE_ARCHIVES_VISA_REQUIRED_MESSAGE);
    // Planned again now, over the report's establishments only (a report drawn before it recorded them: the organisation's).
    const now = await this.plan(this.tx.manager, organisationId, parisToday(), report.establishmentIds);
    const stillDocs = new Set(now.documents.map((d) => d.id));
    const stillResidents = new Set(now.residents.map((r) => r.id));
    const outcome: PurgeOutcome = { documents: 0, residents: 0, blobs: 0, skipped: 0, exportFiles: 0 };
    const total = report.documents.length + report.residents.length;
    let done = 0;
    for (const d of report.documents) {
      if (!stillDocs.has(d.id)) outcome.skipped++;
      else {
        outcome.blobs += await this.tx.run(async (em) => {
          const content = await documentContent(em, d.id);
          const [{ blobs }] = (await em.query(`SELECT carepact_purge_document($1) AS blobs`, [d.id])) as { blobs: string[] }[];
          await this.tombstone(em, organisationId, runId, 'document', d.id, content, blobs, actor, { type: d.subject, residentId: d.residentId, retentionEnds: d.retentionEnds, visa });
          return blobs.length;
        });
        outcome.documents++;
      }
      onProgress(++done, total);
    }
    for (const r of report.residents) {
      if (!stillResidents.has(r.id)) outcome.skipped++;
      else {
        await this.tx.run(async (em) => {
          const content = await residentContent(em, r.id);
          await em.query(`SELECT carepact_purge_resident($1)`, [r.id]);
          await this.tombstone(em, organisationId, runId, 'resident', r.id, content, [], actor, { type: 'dossier-resident', residentId: r.id, retentionEnds: r.retentionEnds, visa });
          await this.auditRedactions(em, organisationId, actor, runId, await redactAccessRequests(em, organisationId, [r.id]));
        });
        outcome.residents++;
      }
      onProgress(++done, total);
    }
    // The access requests of persons purged before this rule (or by another path): redacted too, each with its event, in one transaction.
    await this.tx.run(async (em) => this.auditRedactions(em, organisationId, actor, runId, await redactAccessRequests(em, organisationId, 'purged')));
    outcome.exportFiles = await this.dropExports(organisationId, [...report.documents.filter((d) => stillDocs.has(d.id)).map((d) => d.id), ...report.residents.filter((r) => stillResidents.has(r.id)).map((r) => r.id)]);
    return outcome;
  }

  /** One `data_job.request_redacted` per access request whose statement went with its person (a state change, in the chain as any other). */
  private async auditRedactions(em: EntityManager, organisationId: string, actor: AuditActor, runId: string, redacted: RedactedJob[]): Promise<void> {
    for (const j of redacted)
      await this.audit.append(em, {
        chainId: organisationId,
        actor,
        action: 'data_job.request_redacted',
        subject: { type: 'data_job', id: j.id },
        payload: { runId, residentId: j.residentId, statementSha256: j.statementSha256, reason: 'purge' },
      });
  }

  /**
   * Zips produced for what was just purged (an access request, a person's or a document's package)
   * would keep the deleted data on disk: they go too, and their jobs say so. An establishment's
   * package over a period is an archive meant to be kept, and is left alone.
   */
  private async dropExports(organisationId: string, ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const rows = (await this.tx.manager.query(
      `SELECT id, result_file FROM data_jobs WHERE organisation_id = $1 AND result_file IS NOT NULL
          AND ((kind = 'access_request' AND params->>'residentId' = ANY ($2)) OR (kind = 'archive_export' AND params->>'scope' IN ('resident', 'document') AND params->>'id' = ANY ($2)))`,
      [organisationId, ids],
    )) as { id: string; result_file: string }[];
    for (const r of rows) {
      rmSync(r.result_file, { force: true });
      await this.tx.manager.query(`UPDATE data_jobs SET result_file = NULL, error = 'Fichier supprimé par la purge (durée de conservation atteinte).' WHERE id = $1`, [r.id]);
    }
    return rows.length;
  }

  private async tombstone(
    em: EntityManager,
    organisationId: string,
    runId: string,
    subjectType: 'document' | 'resident',
    subjectId: string,
    content: unknown,
    blobs: string[],
    actor: AuditActor,
    info: { type: string; residentId: string; retentionEnds: string; visa: EliminationVisa | null },
  ): Promise<void> {
    const contentSha256 = sha256Hex(canonicalJson(content));
    await em.query(
      `INSERT INTO purge_tombstones (organisation_id, run_id, subject_type, subject_id, content_sha256, blob_sha256s, purged_at) VALUES ($1, $2, $3, $4, $5, $6, now())`,
      [organisationId, runId, subjectType, subjectId, contentSha256, blobs],
    );
    await this.audit.append(em, {
      chainId: organisationId,
      actor,
      action: subjectType === 'document' ? 'retention.document_purged' : 'retention.resident_purged',
      subject: { type: subjectType, id: subjectId },
      payload: {
        runId,
        type: info.type,
        residentId: info.residentId,
        retentionEnds: info.retentionEnds,
        contentSha256,
        blobsDeleted: blobs.length,
        ...visaPayload(info.visa),
      },
    });
  }
}

/**
 * The access requests (RGPD art. 15) of a purged person keep, on their job, only what the audit
 * chain refers to: the SHA-256 of the request's statement (`data_job.requested`,
 * `archive.opened_for_access_request`: requestStatementSha256), with `redacted: 'purge'`. Who asked,
 * when, and the request as received (staff's words about her, `params.request`) are personal data
 * of the person purged: they go with her file (RGPD art. 5.1.e and 17; CNIL délibération
 * n° 2021-028). Kept until then: while her file is kept, the request and its answer are the proof
 * that her right was answered, and when (art. 5.2 and 12(3)). `residentIds`: the persons purged in
 * this transaction; `'purged'`: every request of the organisation whose person no longer exists
 * (purged before this rule).
 */
export interface RedactedJob {
  id: string;
  residentId: string;
  statementSha256: string;
}

export async function redactAccessRequests(em: EntityManager, organisationId: string, residentIds: readonly string[] | 'purged'): Promise<RedactedJob[]> {
  const which =
    residentIds === 'purged'
      ? `NOT EXISTS (SELECT 1 FROM residents r WHERE r.id::text = j.params->>'residentId')`
      : `j.params->>'residentId' = ANY ($2::text[])`;
  const rows = (await em.query(
    `UPDATE data_jobs j
        SET params = jsonb_set(j.params, '{request}', jsonb_build_object(
              'statementSha256', encode(sha256(convert_to(j.params->'request'->>'statement', 'UTF8')), 'hex'),
              'redacted', 'purge')),
            -- The answer's staff texts (selection's justification, refusal and its letter: access-answer.ts) go with the person; its state stays.
            answer = CASE WHEN j.answer IS NULL THEN NULL ELSE jsonb_build_object('state', j.answer->>'state', 'redacted', 'purge') END
      WHERE j.organisation_id = $1 AND j.kind = 'access_request' AND j.params->'request' ? 'statement' AND ${which}
      RETURNING j.id, j.params->>'residentId' AS "residentId", j.params->'request'->>'statementSha256' AS "statementSha256"`,
    residentIds === 'purged' ? [organisationId] : [organisationId, [...residentIds]],
  )) as unknown;
  return returnedRows<RedactedJob>(rows);
}

/** The rows an UPDATE … RETURNING gave back (TypeORM answers [rows, count] for an UPDATE on PostgreSQL). */
function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return Array.isArray(result) ? (result as T[]) : [];
}

function reasonOf(raw: unknown, field: string): string {
  const s = typeof raw === 'string' ? raw.trim() : '';
  if (s.length < 3 || s.length > HOLD_REASON_MAX || /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s))
    throw new ValidationError([{ field, code: 'HOLD_REASON_INVALID', message: `Motif requis : de 3 à ${HOLD_REASON_MAX} caractères.` }]);
  return s;
}


/** JSON-safe rows (dates as ISO strings, bytes as hex) for hashing. */
function plain(rows: unknown): unknown {
  return JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('hex') : v)));
}

/** Everything the purge of one document deletes, rows and blob addresses: the tombstone hashes it. */
async function documentContent(em: EntityManager, documentId: string): Promise<unknown> {
  const q = (sql: string) => em.query(sql, [documentId]);
  const req = `SELECT id FROM signature_requests WHERE document_id = $1`;
  return plain({
    document: await q(`SELECT * FROM documents WHERE id = $1`),
    versions: await q(`SELECT * FROM document_versions WHERE document_id = $1 ORDER BY number`),
    renditions: await q(`SELECT r.* FROM renditions r JOIN document_versions v ON v.id = r.version_id WHERE v.document_id = $1 ORDER BY r.id`),
    requests: await q(`SELECT * FROM signature_requests WHERE document_id = $1 ORDER BY id`),
    signers: await q(`SELECT * FROM signature_signers WHERE request_id IN (${req}) ORDER BY id`),
    events: await q(`SELECT * FROM signature_events WHERE request_id IN (${req}) ORDER BY id`),
    views: await q(`SELECT * FROM recorded_views WHERE request_id IN (${req}) ORDER BY id`),
    questions: await q(`SELECT * FROM signer_questions WHERE request_id IN (${req}) ORDER BY id`),
    answers: await q(`SELECT a.* FROM signer_question_answers a JOIN signer_questions x ON x.id = a.question_id WHERE x.request_id IN (${req}) ORDER BY a.id`),
    sealed: await q(`SELECT * FROM sealed_documents WHERE request_id IN (${req}) ORDER BY id`),
    paper: await q(`SELECT * FROM paper_signatures WHERE request_id IN (${req}) ORDER BY id`),
    visas: await q(`SELECT * FROM document_visas WHERE document_id = $1 ORDER BY id`),
    soleSignatureAuthorisations: await q(`SELECT * FROM sole_signature_authorisations WHERE document_id = $1 ORDER BY id`),
    otherParentInformed: await q(`SELECT * FROM other_parent_informed WHERE document_id = $1 ORDER BY id`),
  });
}

async function residentContent(em: EntityManager, residentId: string): Promise<unknown> {
  const q = (sql: string) => em.query(sql, [residentId]);
  return plain({
    resident: await q(`SELECT * FROM residents WHERE id = $1`),
    contacts: await q(`SELECT * FROM contacts WHERE resident_id = $1 ORDER BY id`),
    measures: await q(`SELECT * FROM protection_measures WHERE resident_id = $1 ORDER BY id`),
    holders: await q(`SELECT h.* FROM measure_holders h JOIN protection_measures m ON m.id = h.measure_id WHERE m.resident_id = $1 ORDER BY h.id`),
  });
}

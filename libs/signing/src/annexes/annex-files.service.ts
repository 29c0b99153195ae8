import { Injectable } from '@nestjs/common';
import { AuditService } from '@carepact/audit';
import { BIDI_CONTROLS, DomainError, FieldError, NotFoundError, ValidationError, formatDateFr } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { AnnexFilesRepository, BlobStore, EstablishmentAnnexFileEntity } from '@carepact/documents';
import { EstablishmentEntity, IdentityRepository, StaffActor, assertCan, auditActor } from '@carepact/identity';
import { templates } from '@carepact/rendering';
import { todayIso } from '@carepact/residents';
import { EntityManager } from 'typeorm';
import { InspectedScan, MAX_SCAN_BYTES, MAX_SCAN_PAGES, ScanProblemCode, ScanRefusedError, inspectScan } from '../paper/scan-inspection';

/**
 * The documents handed over with the contract, as files (CASF L.311-4: the livret d'accueil, with
 * the charte des droits et libertés and the règlement de fonctionnement, is handed over with the
 * contrat de séjour or the DIPC; DOMAIN.md: « record the date and version of each annex handed
 * over »). The director or an administrator publishes a PDF for each annex key of the
 * establishment (EstablishmentEntity.annexes); a new version is a new row, the latest in effect is
 * the current one; each contract or DIPC version records the files in force on the day its data say
 * the annexes were handed over (its creation day when they do not say; never a day to come; an
 * avenant only when its data say they were handed over again: DocumentsService, annex-handover.ts,
 * document_versions.annexes) and the evidence of its signature names them, each with the day it
 * took effect and the day it was published.
 *
 * A new version of a key never takes effect before the latest one published for that key
 * (ANNEX_EFFECTIVE_DATE_TOO_EARLY): what was in force on a past day, and so handed over with the
 * documents of that day, is not rewritten afterwards. The first file of a key may be dated back (the
 * livret in force since January, uploaded in December): the evidence and the admin list then show
 * both its effective day and its publication day.
 *
 * The PDF is checked as a paper signature's scan is (scan-inspection.ts: pdf-lib, no JavaScript,
 * action, embedded file, XFA, encryption; 20 MB and 100 pages at most), before anything is
 * written: it is handed to signers through the portal. Refusals answer ANNEX_* codes.
 */

/** 20 MB, as a scan (a livret d'accueil with photographs, exported for print, fits). */
export const MAX_ANNEX_BYTES = MAX_SCAN_BYTES;
export const MAX_ANNEX_PAGES = MAX_SCAN_PAGES;
export const MAX_ANNEX_VERSION_LABEL = 100;

export type AnnexProblemCode =
  | 'ANNEX_FILE_MISSING'
  | 'ANNEX_NOT_PDF'
  | 'ANNEX_TOO_LARGE'
  | 'ANNEX_ENCRYPTED'
  | 'ANNEX_MALFORMED'
  | 'ANNEX_JAVASCRIPT'
  | 'ANNEX_EMBEDDED_FILES'
  | 'ANNEX_XFA'
  | 'ANNEX_ACTIONS'
  | 'ANNEX_TOO_MANY_PAGES';
/** Each refusal of a scan has its annex counterpart (a new scan check fails to compile until it has one). */
const SCAN_TO_ANNEX: Record<ScanProblemCode, AnnexProblemCode> = {
  PAPER_NOT_PDF: 'ANNEX_NOT_PDF',
  PAPER_TOO_LARGE: 'ANNEX_TOO_LARGE',
  PAPER_ENCRYPTED: 'ANNEX_ENCRYPTED',
  PAPER_MALFORMED: 'ANNEX_MALFORMED',
  PAPER_JAVASCRIPT: 'ANNEX_JAVASCRIPT',
  PAPER_EMBEDDED_FILES: 'ANNEX_EMBEDDED_FILES',
  PAPER_XFA: 'ANNEX_XFA',
  PAPER_ACTIONS: 'ANNEX_ACTIONS',
  PAPER_TOO_MANY_PAGES: 'ANNEX_TOO_MANY_PAGES',
};

const MESSAGES: Record<AnnexProblemCode, string> = {
  ANNEX_FILE_MISSING: 'Choisissez le fichier PDF du document.',
  ANNEX_TOO_LARGE: `Le fichier dépasse ${MAX_ANNEX_BYTES / 1024 / 1024} Mo. Enregistrez-le en PDF avec des images compressées (« taille minimale » ou « qualité standard »), puis déposez-le à nouveau.`,
  ANNEX_NOT_PDF: 'Le fichier envoyé n’est pas un PDF. Enregistrez le document au format PDF (« Enregistrer sous » ou « Imprimer » vers PDF), puis déposez-le.',
  ANNEX_ENCRYPTED: 'Le PDF est chiffré ou protégé par un mot de passe. Enregistrez-le à nouveau sans protection.',
  ANNEX_MALFORMED: 'Le PDF est endommagé ou illisible. Enregistrez le document à nouveau au format PDF.',
  ANNEX_JAVASCRIPT: 'Le PDF contient du JavaScript : il est refusé, car il est remis aux signataires. Enregistrez le document en PDF simple (« Imprimer » vers PDF).',
  ANNEX_EMBEDDED_FILES: 'Le PDF contient des fichiers joints : il est refusé. Déposez chaque document à part, sans pièce jointe.',
  ANNEX_XFA: 'Le PDF contient un formulaire XFA : il est refusé. Enregistrez le document en PDF simple (« Imprimer » vers PDF).',
  ANNEX_ACTIONS:
    'Le PDF contient des actions (liens cliquables, ouverture automatique, lancement d’application…) : il est refusé, car il est remis aux signataires. Enregistrez le document en PDF simple (« Imprimer » vers PDF).',
  ANNEX_TOO_MANY_PAGES: `Le document compte plus de ${MAX_ANNEX_PAGES} pages. Déposez-le en plusieurs parties, sous des clés d’annexe distinctes.`,
};

/** An annex file refused before anything is written: a stable code, a French message, what was found (details). */
export class AnnexFileRefusedError extends DomainError {
  constructor(
    override readonly code: AnnexProblemCode,
    details: FieldError[] = [],
  ) {
    super(code === 'ANNEX_TOO_LARGE' ? 'too_large' : 'invalid', code, MESSAGES[code], details);
    this.name = 'AnnexFileRefusedError';
  }
}

/**
 * A new version dated before the one that takes effect last for its key: refused, nothing stored
 * (409). The versions of a key take effect in the order they are published, so that the file in
 * force on a past day, recorded by the documents handed over that day, stays the one in force then.
 */
export class AnnexEffectiveDateTooEarlyError extends DomainError {
  constructor(latest: Pick<EstablishmentAnnexFileEntity, 'versionLabel' | 'effectiveOn' | 'publishedAt'>) {
    const message =
      `La version « ${latest.versionLabel} », publiée le ${formatDateFr(latest.publishedAt)}, est en vigueur à partir du ${formatDateFr(latest.effectiveOn)} : ` +
      `une nouvelle version ne peut pas entrer en vigueur avant cette date. Indiquez le ${formatDateFr(latest.effectiveOn)} ou une date postérieure.`;
    super('conflict', 'ANNEX_EFFECTIVE_DATE_TOO_EARLY', message, [{ field: 'effectiveOn', code: 'ANNEX_EFFECTIVE_DATE_TOO_EARLY', message }]);
    this.name = 'AnnexEffectiveDateTooEarlyError';
  }
}

/** The checks of a paper scan (scan-inspection.ts), answered with the annex's codes and messages. */
export async function inspectAnnexPdf(bytes: Buffer): Promise<InspectedScan> {
  if (!bytes.length) throw new AnnexFileRefusedError('ANNEX_FILE_MISSING');
  if (bytes.length > MAX_ANNEX_BYTES) throw new AnnexFileRefusedError('ANNEX_TOO_LARGE');
  try {
    return await inspectScan(bytes);
  } catch (e) {
    if (!(e instanceof ScanRefusedError)) throw e;
    const code = SCAN_TO_ANNEX[e.code];
    throw new AnnexFileRefusedError(code, e.details.map((d) => ({ ...d, field: 'file', code })));
  }
}

export interface AnnexFileView {
  id: string;
  kind: string;
  versionLabel: string;
  effectiveOn: string;
  sha256: string;
  byteSize: number;
  pageCount: number;
  publishedAt: string;
  publishedBy: { userId: string | null; name: string };
  /** Download (staff with the document-read permission). */
  href: string;
}

/** One annex key of the establishment: its label, its current file, and every file published for it, newest first. */
export interface AnnexKeyView {
  key: string;
  label: string;
  /** Whether the key is among the establishment's annexes today (a file of a key since removed stays listed). */
  inUse: boolean;
  current: AnnexFileView | null;
  files: AnnexFileView[];
}

export interface PublishAnnexInput {
  kind: string;
  versionLabel: string;
  /** YYYY-MM-DD; today (Paris) when absent. */
  effectiveOn?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (s: string) => DAY.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

/** The label of an annex key in the current contrat de séjour template (the words the contract prints), or the key itself. */
export function annexLabel(key: string): string {
  const labels = templates().load('contrat-sejour').content.labels?.annex ?? {};
  return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : key;
}

@Injectable()
export class AnnexFilesService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: AnnexFilesRepository,
    private readonly identity: IdentityRepository,
    private readonly blobs: BlobStore,
    private readonly audit: AuditService,
  ) {}

  /** Before reading an upload: the establishment exists for the actor, who may change its settings (404/403 otherwise). */
  async assertMayPublish(actor: StaffActor, establishmentId: string): Promise<EstablishmentEntity> {
    assertCan(actor, 'establishment.write', establishmentId);
    return this.establishment(this.tx.manager, actor, establishmentId);
  }

  /** Every annex key of the establishment with its files (the admin section, GET /api/establishments/:id/annex-files). */
  async list(actor: StaffActor, establishmentId: string): Promise<AnnexKeyView[]> {
    assertCan(actor, 'establishment.read', establishmentId);
    const em = this.tx.manager;
    const est = await this.establishment(em, actor, establishmentId);
    const rows = await this.repo.all(em, actor.organisationId, est.id);
    const keys = [...new Set([...(est.annexes ?? []), ...rows.map((r) => r.kind)])];
    const current = await this.repo.current(em, est.id, keys, todayIso());
    return keys.map((key) => {
      const files = rows.filter((r) => r.kind === key).map((r) => view(r));
      const now = current.get(key);
      return { key, label: annexLabel(key), inUse: (est.annexes ?? []).includes(key), current: now ? view(now) : null, files };
    });
  }

  /**
   * Publishes a new version of an annex: checked (fields, then the PDF) before anything is
   * written, then the blob, the row and its audit event in one transaction. Never replaces a file.
   */
  async publish(actor: StaffActor, establishmentId: string, input: PublishAnnexInput, pdf: Buffer): Promise<AnnexFileView> {
    // Who may publish is known before the file is read: a file nobody may publish is never parsed.
    const est = await this.assertMayPublish(actor, establishmentId);
    const fields = this.checkFields(est, input);
    const facts = await inspectAnnexPdf(pdf);
    return this.tx.run((em) => this.insert(em, actor, est, fields, pdf, facts));
  }

  /**
   * The same inside the caller's transaction (the demo seed publishes with everything else it
   * loads, all or nothing).
   */
  async publishIn(em: EntityManager, actor: StaffActor, establishmentId: string, input: PublishAnnexInput, pdf: Buffer): Promise<AnnexFileView> {
    assertCan(actor, 'establishment.write', establishmentId);
    const est = await this.establishment(em, actor, establishmentId);
    const fields = this.checkFields(est, input);
    const facts = await inspectAnnexPdf(pdf);
    return this.insert(em, actor, est, fields, pdf, facts);
  }

  /** One stored annex file, for staff who may read documents' metadata (it carries nothing about a person); audited. */
  async download(actor: StaffActor, establishmentId: string, fileId: string): Promise<{ bytes: Buffer; fileName: string; sha256: string }> {
    assertCan(actor, 'document.read', establishmentId);
    return this.tx.run(async (em) => {
      const f = await this.repo.findById(em, actor.organisationId, fileId);
      if (!f || f.establishmentId !== establishmentId) throw new NotFoundError('ANNEX_FILE_NOT_FOUND', 'Fichier introuvable.');
      const bytes = await this.blobs.get(em, f.blobSha256);
      if (!bytes) throw new NotFoundError('ANNEX_FILE_NOT_FOUND', 'Fichier introuvable.');
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: 'annex_file.downloaded',
        subject: { type: 'establishment', id: establishmentId },
        payload: { annexFileId: f.id, kind: f.kind, sha256: f.blobSha256 },
      });
      return { bytes, fileName: annexFileName(f), sha256: f.blobSha256 };
    });
  }

  private async establishment(em: EntityManager, actor: StaffActor, id: string): Promise<EstablishmentEntity> {
    const est = await this.identity.findEstablishment(em, actor.organisationId, id);
    if (!est) throw new NotFoundError('ESTABLISHMENT_NOT_FOUND', 'Établissement introuvable.');
    return est;
  }

  private checkFields(est: EstablishmentEntity, input: PublishAnnexInput): { kind: string; versionLabel: string; effectiveOn: string } {
    const errors: FieldError[] = [];
    const kind = typeof input.kind === 'string' ? input.kind.trim() : '';
    const versionLabel = typeof input.versionLabel === 'string' ? input.versionLabel.trim().replace(/\s+/g, ' ') : '';
    const effectiveOn = typeof input.effectiveOn === 'string' && input.effectiveOn.trim() ? input.effectiveOn.trim() : todayIso();
    if (!(est.annexes ?? []).includes(kind))
      errors.push({
        field: 'kind',
        code: 'ANNEX_KIND_UNKNOWN',
        message: est.annexes?.length
          ? `Choisissez l’un des documents remis avec le contrat : ${est.annexes.join(', ')}.`
          : 'Cet établissement n’a pas encore de documents remis avec le contrat : ajoutez-les d’abord dans ses paramètres.',
      });
    if (!versionLabel) errors.push({ field: 'versionLabel', code: 'ANNEX_VERSION_LABEL_REQUIRED', message: 'Indiquez la version du document, par exemple « Édition 2026 ».' });
    else if (versionLabel.length > MAX_ANNEX_VERSION_LABEL || /[\u0000-\u001f\u007f-\u009f]/.test(versionLabel) || BIDI_CONTROLS.test(versionLabel))
      errors.push({ field: 'versionLabel', code: 'ANNEX_VERSION_LABEL_INVALID', message: `La version tient en ${MAX_ANNEX_VERSION_LABEL} caractères au plus, sans caractère de contrôle.` });
    if (!isDay(effectiveOn)) errors.push({ field: 'effectiveOn', code: 'ANNEX_EFFECTIVE_DATE_INVALID', message: 'Indiquez la date d’entrée en vigueur (AAAA-MM-JJ).' });
    if (errors.length) throw new ValidationError(errors, 'Le document n’a pas été déposé.');
    return { kind, versionLabel, effectiveOn };
  }

  private async insert(
    em: EntityManager,
    actor: StaffActor,
    est: EstablishmentEntity,
    fields: { kind: string; versionLabel: string; effectiveOn: string },
    pdf: Buffer,
    facts: InspectedScan,
  ): Promise<AnnexFileView> {
    // Under the key's lock: two publications of the same key are checked one after the other.
    const latest = await this.repo.latestUnderLock(em, est.id, fields.kind);
    if (latest && fields.effectiveOn < latest.effectiveOn) throw new AnnexEffectiveDateTooEarlyError(latest);
    const sha = await this.blobs.put(em, pdf);
    const row = await this.repo.insert(em, {
      organisationId: est.organisationId,
      establishmentId: est.id,
      kind: fields.kind,
      versionLabel: fields.versionLabel,
      effectiveOn: fields.effectiveOn,
      blobSha256: sha,
      byteSize: facts.byteSize,
      pageCount: facts.pageCount,
      publishedBy: actor.system ? null : actor.userId,
      publishedByName: actor.name,
      publishedAt: new Date(),
    });
    await this.audit.append(em, {
      chainId: est.organisationId,
      actor: auditActor(actor),
      action: 'annex_file.published',
      subject: { type: 'establishment', id: est.id },
      payload: { annexFileId: row.id, kind: row.kind, effectiveOn: row.effectiveOn, sha256: sha, byteSize: row.byteSize, pageCount: row.pageCount },
    });
    return view(row);
  }
}

export function annexFileName(f: Pick<EstablishmentAnnexFileEntity, 'kind' | 'effectiveOn'>): string {
  return `${f.kind.replace(/[^A-Za-z0-9._-]+/g, '-')}-${f.effectiveOn}.pdf`;
}

function view(f: EstablishmentAnnexFileEntity): AnnexFileView {
  return {
    id: f.id,
    kind: f.kind,
    versionLabel: f.versionLabel,
    effectiveOn: f.effectiveOn,
    sha256: f.blobSha256,
    byteSize: f.byteSize,
    pageCount: f.pageCount,
    publishedAt: f.publishedAt.toISOString(),
    publishedBy: { userId: f.publishedBy, name: f.publishedByName },
    href: `/api/establishments/${f.establishmentId}/annex-files/${f.id}/content.pdf`,
  };
}

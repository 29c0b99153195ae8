import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditActor, AuditService, SYSTEM_ACTOR } from '@carepact/audit';
import { NotFoundError, canonicalJson } from '@carepact/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { TransactionRunner } from '@carepact/database';
import { BlobStore, DocumentEntity, DocumentsRepository } from '@carepact/documents';
import { PermanentJobError } from '@carepact/queue';
import { PadesSealer, SealIdentity, SigningRepository, cadesDetachedSignature, sealTimestampOf } from '@carepact/signing';
import { X509Certificate } from 'node:crypto';
import {
  ARCHIVE_FORMAT,
  AUDIT_EVENTS_FILE,
  ArchiveProgress,
  ArchiveScope,
  MANIFEST_FILE,
  MANIFEST_SIGNATURE_FILE,
  Manifest,
  ManifestAudit,
  ManifestPaper,
  ManifestSealed,
  TSA_CERTIFICATES_FILE,
} from './archive.types';
import { certificatesFromPem } from './cms-verify';
import { StreamingZip } from './zip-writer';
import { AnnexPackager, otherParentInformedRecords, soleSignatureRecords } from './annex-package';
import { sealedEditionFiles } from './sealed-editions';
import { EntityManager } from 'typeorm';

const EVENT_BATCH = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ArchiveExportResult {
  file: string;
  organisationId: string;
  documents: number;
  files: number;
  sealed: number;
  /** Annex PDFs (documents handed over with the contracts), each once. */
  annexes: number;
  events: number;
  /** SHA-256 of manifest.json: what the `archive.exported` audit event records. */
  manifestSha256: string;
}

/** The CMS detached signature of a manifest, by the establishment's seal (libs/signing's CMS). */
export function signManifest(manifest: Buffer, identity: SealIdentity): Buffer {
  return cadesDetachedSignature(createHash('sha256').update(manifest).digest(), identity);
}

/** Where the subject of each scope lives, the establishment it belongs to, and what answers when it is not there. */
const ARCHIVE_SUBJECTS = {
  document: { table: 'documents', establishment: 'establishment_id', code: 'DOCUMENT_NOT_FOUND', message: 'Document introuvable.' },
  resident: { table: 'residents', establishment: 'establishment_id', code: 'RESIDENT_NOT_FOUND', message: 'Personne introuvable.' },
  establishment: { table: 'establishments', establishment: 'id', code: 'ESTABLISHMENT_NOT_FOUND', message: 'Établissement introuvable.' },
} as const satisfies Record<ArchiveScope['kind'], { table: string; establishment: string; code: string; message: string }>;

/**
 * The subject of an archive scope (a document, a person, an establishment) if it exists IN this
 * organisation (`WHERE id = $1 AND organisation_id = $2`), with its establishment; null otherwise:
 * another organisation's id is the same as an unknown one (SECURITY-RELIABILITY.md, "Staff access").
 */
export async function archiveSubjectIn(em: EntityManager, kind: ArchiveScope['kind'], id: string, organisationId: string): Promise<{ establishmentId: string } | null> {
  const s = ARCHIVE_SUBJECTS[kind];
  if (!UUID.test(id) || !UUID.test(organisationId)) return null;
  const rows = (await em.query(`SELECT ${s.establishment} AS "establishmentId" FROM ${s.table} WHERE id = $1 AND organisation_id = $2`, [id, organisationId])) as { establishmentId: string }[];
  return rows[0] ?? null;
}

/** The error of an archive subject that is unknown, or another organisation's (the same, on purpose). */
export function archiveSubjectNotFound(kind: ArchiveScope['kind']): NotFoundError {
  const s = ARCHIVE_SUBJECTS[kind];
  return new NotFoundError(s.code, s.message);
}

/**
 * Writes an archive package: every version's renditions and the documents handed over with it
 * (annexes, each PDF once), the sealed PDFs with their evidence, the
 * organisation's audit chain segment that covers the documents with the signed heads that end it,
 * a manifest (SHA-256 of every file) and its CMS signature by the establishment's seal certificate.
 * The zip is streamed to `out`, one entry in memory at a time; `onProgress` lets a job report.
 */
@Injectable()
export class ArchiveExporter {
  private readonly sealer: PadesSealer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly documents: DocumentsRepository,
    private readonly blobs: BlobStore,
    private readonly signing: SigningRepository,
    private readonly audit: AuditService,
  ) {
    this.sealer = new PadesSealer(config);
  }

  /**
   * The organisation whose subject this scope names, looked up across the installation: for
   * operator tools only (the CLI's archive:export). A job passes its own organisation to `export`.
   */
  async organisationOf(scope: ArchiveScope): Promise<string> {
    const { table } = ARCHIVE_SUBJECTS[scope.kind];
    const [row] = UUID.test(scope.id) ? ((await this.tx.manager.query(`SELECT organisation_id FROM ${table} WHERE id = $1`, [scope.id])) as { organisation_id: string }[]) : [];
    if (!row) throw new NotFoundError('ARCHIVE_SCOPE_NOT_FOUND', `Aucun ${scopeLabel(scope)} ${scope.id} dans cette installation.`);
    return row.organisation_id;
  }

  /**
   * Writes the package of `scope`, which must belong to `organisation` (a job's organisation).
   * That is checked first, before any file is written or any event appended: a subject that is
   * unknown or another organisation's fails the same way, for good (PermanentJobError: a job is
   * not retried). Without `organisation` (operator tools, tests) the subject's own is used.
   */
  async export(
    scope: ArchiveScope,
    out: string,
    onProgress: (p: ArchiveProgress) => void = () => undefined,
    actor: AuditActor = SYSTEM_ACTOR,
    organisation?: string,
  ): Promise<ArchiveExportResult> {
    const em = this.tx.manager;
    const organisationId = organisation ?? (await this.organisationOf(scope));
    if (!(await archiveSubjectIn(em, scope.kind, scope.id, organisationId))) {
      const { code, messageFr } = archiveSubjectNotFound(scope.kind);
      throw new PermanentJobError(code, messageFr);
    }
    const identity = await this.sealer.sealIdentity();
    // The subject is this organisation's; its documents are kept within it too (a second wall).
    const docs = (
      await this.documents.archiveDocuments(em, {
        documentId: scope.kind === 'document' ? scope.id : undefined,
        residentId: scope.kind === 'resident' ? scope.id : undefined,
        establishmentId: scope.kind === 'establishment' ? scope.id : undefined,
        createdFrom: scope.kind === 'establishment' ? scope.from : undefined,
        createdTo: scope.kind === 'establishment' ? scope.to : undefined,
      })
    ).filter((d) => d.organisationId === organisationId);

    // The chain's current head is signed first, so that the exported segment ends at a signed head.
    await this.tx.run((t) => this.audit.checkpoint(t));

    const zip = new StreamingZip(out);
    try {
      const relatedIds = new Set<string>(scope.kind === 'resident' ? [scope.id] : []);
      const sealed: ManifestSealed[] = [];
      const paper: ManifestPaper[] = [];
      const annexes = new AnnexPackager(zip, this.blobs, 'annexes');
      const tsaCertificates = new Map<string, X509Certificate>();
      let done = 0;
      for (const doc of docs) {
        await this.addDocument(zip, doc, relatedIds, sealed, paper, annexes, tsaCertificates);
        onProgress({ phase: 'documents', done: ++done, total: docs.length });
      }
      const audit = await this.addAuditSegment(zip, organisationId, scope, [...relatedIds], onProgress);
      await zip.add('certificates/etablissement.pem', Buffer.from([identity.certificate, ...identity.chain].map(pem).join(''), 'utf8'));
      if (tsaCertificates.size) await zip.add(TSA_CERTIFICATES_FILE, Buffer.from(this.tsaChain(tsaCertificates).map((c) => pem(c.raw)).join(''), 'utf8'));
      onProgress({ phase: 'manifest', done: 0, total: 1 });
      const manifest: Manifest = {
        format: ARCHIVE_FORMAT,
        createdAt: new Date().toISOString(),
        organisationId,
        scope: { kind: scope.kind, id: scope.id, ...(scope.kind === 'establishment' ? { from: scope.from.toISOString(), to: scope.to.toISOString() } : {}) },
        documents: docs.length,
        files: zip.files,
        sealed,
        paper,
        annexes: annexes.entries,
        audit,
      };
      const bytes = Buffer.from(JSON.stringify(manifest, null, 1) + '\n', 'utf8');
      const manifestSha256 = createHash('sha256').update(bytes).digest('hex');
      await zip.add(MANIFEST_FILE, bytes, { listed: false });
      await zip.add(MANIFEST_SIGNATURE_FILE, signManifest(bytes, identity), { listed: false });
      await zip.end();
      const result = { file: out, organisationId, documents: docs.length, files: manifest.files.length, sealed: sealed.length, annexes: annexes.files, events: audit.events, manifestSha256 };
      await this.audit.appendAlone(this.tx.manager, {
        chainId: organisationId,
        actor,
        action: 'archive.exported',
        subject: { type: scope.kind, id: scope.id },
        payload: {
          scope: scope.kind,
          from: scope.kind === 'establishment' ? scope.from.toISOString() : null,
          to: scope.kind === 'establishment' ? scope.to.toISOString() : null,
          manifestSha256,
          documents: result.documents,
          files: result.files,
          sealed: result.sealed,
          annexes: result.annexes,
          auditFromSeq: audit.fromSeq,
          auditToSeq: audit.toSeq,
          certificateSha256: new X509Certificate(identity.certificate).fingerprint256.replace(/:/g, '').toLowerCase(),
        },
      });
      onProgress({ phase: 'done', done: 1, total: 1 });
      return result;
    } catch (e) {
      await zip.end().catch(() => undefined);
      throw e;
    }
  }

  /**
   * The certificates of `found` (each B-T seal's TSA certificate and those its token carries) with,
   * for each, its issuers up to a root among SEAL_TSA_CA's — the chain the seal was checked against
   * (timestamp.ts requestTimestamp): TSA_CERTIFICATES_FILE, for a verifier years later.
   */
  private tsaChain(found: Map<string, X509Certificate>): X509Certificate[] {
    const pool = this.config.seal.tsa?.trustedRootsPem ? certificatesFromPem(this.config.seal.tsa.trustedRootsPem) : [];
    const out = new Map(found);
    for (const start of found.values()) {
      let cur = start;
      for (let depth = 0; depth < 8; depth++) {
        const issuer = pool.find((c) => c.fingerprint256 !== cur.fingerprint256 && cur.checkIssued(c) && cur.verify(c.publicKey));
        if (!issuer) break;
        out.set(issuer.fingerprint256, issuer);
        cur = issuer;
      }
    }
    return [...out.values()];
  }

  private async addDocument(
    zip: StreamingZip,
    doc: DocumentEntity,
    related: Set<string>,
    sealed: ManifestSealed[],
    paper: ManifestPaper[],
    annexes: AnnexPackager,
    tsaCertificates: Map<string, X509Certificate>,
  ): Promise<void> {
    const em = this.tx.manager;
    const dir = `documents/${doc.id}`;
    related.add(doc.id);
    const versions = await this.documents.versionsOf(em, doc.id);
    const renditions = await this.documents.renditionsOf(
      em,
      versions.map((v) => v.id),
    );
    const requests = await this.signing.requestsOfDocument(em, doc.id);
    await zip.add(
      `${dir}/document.json`,
      json({
        id: doc.id,
        type: doc.type,
        status: doc.status,
        establishmentId: doc.establishmentId,
        residentId: doc.residentId,
        createdAt: doc.createdAt.toISOString(),
        currentVersionId: doc.currentVersionId,
        versions: versions.map((v) => ({
          id: v.id,
          number: v.number,
          reason: v.reason,
          status: v.status,
          templateId: v.templateId,
          templateVersion: v.templateVersion,
          templateSha256: v.templateHash,
          rendererVersion: v.rendererVersion,
          inputSha256: v.inputHash,
          createdAt: v.createdAt.toISOString(),
          generatedAt: v.generatedAt?.toISOString() ?? null,
          // The documents handed over with it as recorded at its creation (CASF L.311-4), a key without a file included; null for a type that hands nothing over.
          annexes: v.annexes,
        })),
        signatureRequests: requests.map((r) => ({ id: r.id, versionId: r.versionId, status: r.status, createdAt: r.createdAt.toISOString() })),
        // The judge's authorisations for the person to sign alone after a refused assistance (C. civ. 469 al. 3), on which the signature policy relied.
        soleSignatureAuthorisations: await soleSignatureRecords(em, doc.id),
        // That the other parent, without the exercise of parental authority, was informed of it (C. civ. 373-2-1 al. 5).
        otherParentInformed: await otherParentInformedRecords(em, doc.id),
      }),
    );
    for (const v of versions) {
      related.add(v.id);
      for (const r of renditions.filter((x) => x.versionId === v.id)) {
        const bytes = await this.blobs.get(em, r.blobSha256);
        if (!bytes) throw new Error(`rendition ${r.id}: blob ${r.blobSha256} missing`);
        await zip.add(`${dir}/v${v.number}/${r.variant}.${r.format}`, bytes);
      }
      await annexes.addVersion(em, doc.id, v);
    }
    for (const r of requests) {
      related.add(r.id);
      // The scan of a paper signature, as uploaded: the sealed PDF only carries its stamped copy.
      const scan = await this.signing.paperOf(em, r.id);
      if (scan) {
        const bytes = await this.blobs.get(em, scan.originalSha256);
        if (!bytes) throw new Error(`paper signature of request ${r.id}: blob ${scan.originalSha256} missing`);
        const path = `${dir}/signatures/${r.id}/scan-original.pdf`;
        await zip.add(path, bytes);
        paper.push({ requestId: r.id, documentId: doc.id, path, originalSha256: scan.originalSha256 });
      }
      // Every sealed edition, the first first: a DIPC's edition 1, established by the director and
      // handed over to the person, stays in the package with each later countersigned one (CASF D.311 II–III).
      for (const seal of await this.signing.sealsOf(em, r.id)) {
        const pdf = await this.blobs.get(em, seal.blobSha256);
        if (!pdf) throw new Error(`sealed document of request ${r.id} (edition ${seal.edition}): blob ${seal.blobSha256} missing`);
        const files = sealedEditionFiles(seal.edition);
        const path = `${dir}/signatures/${r.id}/${files.pdf}`;
        const evidencePath = `${dir}/signatures/${r.id}/${files.evidence}`;
        await zip.add(path, pdf);
        const ts = sealTimestampOf(pdf);
        if (ts?.ok) for (const c of ts.certificates) tsaCertificates.set(c.fingerprint256, c);
        // The evidence as it was hashed when sealed (canonical JSON): its SHA-256 is the recorded one.
        await zip.add(evidencePath, Buffer.from(canonicalJson(seal.evidence), 'utf8'));
        sealed.push({ requestId: r.id, documentId: doc.id, edition: seal.edition, sealedAt: seal.sealedAt.toISOString(), path, evidencePath, evidenceSha256: seal.evidenceSha256 });
      }
    }
  }

  /**
   * The contiguous segment of the organisation's chain from the first to the last event concerning
   * the package (for an establishment, also every event of the period), extended to the first head
   * a checkpoint signed, so that it ends at a signed head. Events cannot be exported alone: each
   * hash covers the previous one.
   */
  private async addAuditSegment(zip: StreamingZip, chainId: string, scope: ArchiveScope, ids: string[], onProgress: (p: ArchiveProgress) => void): Promise<ManifestAudit> {
    const em = this.tx.manager;
    const period = scope.kind === 'establishment' ? { from: scope.from, to: scope.to } : undefined;
    const range = await this.audit.seqRange(em, chainId, scope.kind === 'establishment' ? [scope.id, ...ids] : ids, period);
    const fromSeq = range?.first ?? 1;
    const lastRelevant = range?.last ?? 0;
    const checkpoints = await this.audit.checkpointsCovering(em, chainId, fromSeq, lastRelevant);
    const cover = checkpoints.length ? checkpoints[checkpoints.length - 1] : null;
    if (!cover || cover.seq < lastRelevant) throw new Error(`audit chain ${chainId}: no signed checkpoint covers seq ${lastRelevant}`);
    const toSeq = cover.seq;
    let firstPrevHash = '';
    let headHash = '';
    let events = 0;
    const total = toSeq - fromSeq + 1;
    const audit = this.audit;
    async function* lines(): AsyncGenerator<string> {
      for (let after = fromSeq - 1; after < toSeq; ) {
        const batch = await audit.eventsBetween(em, chainId, after, toSeq, EVENT_BATCH);
        if (batch.length === 0) break;
        if (events === 0) firstPrevHash = batch[0].prevHash;
        headHash = batch[batch.length - 1].hash;
        events += batch.length;
        after = batch[batch.length - 1].seq;
        onProgress({ phase: 'audit', done: events, total });
        yield batch
          .map(
            (e) =>
              JSON.stringify({
                seq: e.seq,
                prevHash: e.prevHash,
                hash: e.hash,
                chainId: e.chainId,
                actorType: e.actorType,
                actorId: e.actorId,
                action: e.action,
                subjectType: e.subjectType,
                subjectId: e.subjectId,
                payload: e.payload,
                occurredAt: e.occurredAt.toISOString(),
              }) + '\n',
          )
          .join('');
      }
    }
    await zip.add(AUDIT_EVENTS_FILE, lines());
    return {
      chainId,
      file: AUDIT_EVENTS_FILE,
      fromSeq,
      toSeq,
      events,
      firstPrevHash,
      headHash,
      checkpoints: checkpoints.map((c) => ({ seq: c.seq, hash: c.hash, createdAt: c.createdAt.toISOString(), checkpointSeq: c.checkpointSeq, hmac: c.signature })),
    };
  }
}

function scopeLabel(scope: ArchiveScope): string {
  return scope.kind === 'document' ? 'document' : scope.kind === 'resident' ? 'résident' : 'établissement';
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value, null, 1) + '\n', 'utf8');
}

function pem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

import { Inject, Injectable } from '@nestjs/common';
import { AuditEventRow, AuditService, auditEventFromRow, withoutStaffFreeText } from '@carepact/audit';
import { DocumentSubtype, NotFoundError, canonicalJson, sha256Hex } from '@carepact/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { TransactionRunner } from '@carepact/database';
import { BlobStore, DocumentEntity, DocumentsRepository, archiveReadable } from '@carepact/documents';
import { IdentityRepository, StaffActor, assertCan, auditActor, can, visibleEstablishments } from '@carepact/identity';
import { SigningRepository, dateTime, timestampLabel, tsaChainCheck } from '@carepact/signing';
import { EntityManager } from 'typeorm';
import type { X509Certificate } from 'node:crypto';
import { certificatesFromPem } from '../cms-verify';
import { verifyPades } from '../pades-verify';
import { annexCheckName, historyLabel, renditionCheckName, sealCheckName, sealEditionLabel } from './history-labels';

export interface HistoryEntry {
  seq: number;
  at: string;
  action: string;
  label: string;
  actor: { type: string; id: string | null; name: string | null };
  /**
   * The signer the event concerns, in which capacity (from the request's signers): the actor of the
   * signer's own steps (`actor.type` 'signer'), the person concerned by a staff or system step
   * (an answer to their question, an e-mail sent to them).
   */
  signer: { id: string; name: string; capacity: string; role: string } | null;
  versionId: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  /**
   * Why staff cancelled the request (`signature.cancelled`), read from the request's own event (the
   * audit chain keeps its SHA-256); null for a reader without `document.content` (the auditor).
   */
  cancelReason: string | null;
  /** The event's hash in the organisation's audit chain (what `audit:verify` re-computes). */
  hash: string;
}

export interface DocumentHistory {
  /** `subtype`: what an avenant amends (documents.subtype, migration 1764110000000), for its name: documentTitle / documentTypeLabel. */
  document: { id: string; type: string; subtype: DocumentSubtype | null; status: string; residentId: string; establishmentId: string; createdAt: string; currentVersionId: string | null };
  versions: {
    id: string;
    number: number;
    reason: string;
    status: string;
    templateId: string;
    templateVersion: string;
    inputSha256: string;
    createdAt: string;
    generatedAt: string | null;
    renditions: { format: string; variant: string; sha256: string }[];
  }[];
  signatureRequests: {
    id: string;
    versionId: string;
    status: string;
    createdAt: string;
    /** The latest sealed edition: the request's sealed document. */
    sealed: { sha256: string; evidenceSha256: string; sealedAt: string } | null;
    /**
     * Every sealed edition, the first first: a DIPC's edition 1 is established by the director and
     * handed over to the person, a later one records a countersignature (CASF D.311 II–III).
     */
    editions: SealedEditionView[];
  }[];
  /** The resident's other contract-family documents (contrat → avenants, DIPC after a refusal), oldest first. */
  lineage: { id: string; type: string; subtype: DocumentSubtype | null; status: string; createdAt: string; current: boolean }[];
  timeline: HistoryEntry[];
}

export interface SealedEditionView {
  edition: number;
  /** « Exemplaire 1 — établi par la direction le 2 décembre 2026 ». */
  label: string;
  sha256: string;
  evidenceSha256: string;
  sealedAt: string;
}

export interface VerificationCheck {
  what: string;
  ok: boolean;
  detail: string | null;
}

export interface DocumentVerification {
  documentId: string;
  ok: boolean;
  checkedAt: string;
  checks: VerificationCheck[];
}

const LINEAGE_TYPES = new Set(['contrat-sejour', 'avenant', 'dipc']);

/**
 * A document's history for administrators and auditors (issue 11, item 1): every audited event of
 * the document, its versions and its signature requests, in chain order, with who acted and, for a
 * signer's step, their name and capacity; and "verify again": every stored hash re-computed from the
 * bytes, and every sealed PDF's signature checked (byte range, digest, CMS signature, certificate).
 * Metadata only — no rendition content — so auditors may read it (PERMISSIONS 'document.read').
 */
@Injectable()
export class DocumentHistoryService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly documents: DocumentsRepository,
    private readonly signing: SigningRepository,
    private readonly identity: IdentityRepository,
    private readonly blobs: BlobStore,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async history(actor: StaffActor, documentId: string): Promise<DocumentHistory> {
    const em = this.tx.manager;
    const doc = await this.scoped(em, actor, documentId);
    const versions = await this.documents.versionsOf(em, doc.id);
    const renditions = await this.documents.renditionsOf(
      em,
      versions.map((v) => v.id),
    );
    const requests = await this.signing.requestsOfDocument(em, doc.id);
    const editions = await Promise.all(requests.map((r) => this.signing.sealsOf(em, r.id)));
    const established = doc.type === 'dipc';
    const signers = new Map((await Promise.all(requests.map((r) => this.signing.signersOf(em, r.id)))).flat().map((s) => [s.id, s]));
    const subjects = [doc.id, ...versions.map((v) => v.id), ...requests.map((r) => r.id)];
    const rows = (await em.query(`SELECT * FROM audit_events WHERE chain_id = $1 AND subject_id = ANY($2::text[]) ORDER BY seq ASC`, [doc.organisationId, subjects])) as AuditEventRow[];
    const events = rows.map(auditEventFromRow);
    const staff = new Map((await this.identity.usersOfOrganisation(em, doc.organisationId)).map((u) => [u.id, u.name]));
    const versionIds = new Set(versions.map((v) => v.id));
    const requestIds = new Set(requests.map((r) => r.id));
    // Staff's own words (a cancellation's reason, how a document was handed over) are content: the
    // auditor reads that it happened, when and by whom (@carepact/audit STAFF_FREE_TEXT).
    const content = can(actor, 'document.content', doc.establishmentId) && (await archiveReadable(em, actor, doc.residentId));
    const cancelReasons = new Map<string, string>();
    if (content)
      for (const r of requests.filter((x) => x.status === 'cancelled')) {
        const reason = (await this.signing.eventsOf(em, r.id)).find((e) => e.kind === 'cancelled')?.details?.reason;
        if (typeof reason === 'string') cancelReasons.set(r.id, reason);
      }
    const family = LINEAGE_TYPES.has(doc.type) ? (await this.documents.list(em, doc.organisationId, [doc.establishmentId], doc.residentId)).filter((d) => LINEAGE_TYPES.has(d.type)) : [];
    return {
      document: { id: doc.id, type: doc.type, subtype: doc.subtype ?? null, status: doc.status, residentId: doc.residentId, establishmentId: doc.establishmentId, createdAt: doc.createdAt.toISOString(), currentVersionId: doc.currentVersionId },
      versions: versions.map((v) => ({
        id: v.id,
        number: v.number,
        reason: v.reason,
        status: v.status,
        templateId: v.templateId,
        templateVersion: v.templateVersion,
        inputSha256: v.inputHash,
        createdAt: v.createdAt.toISOString(),
        generatedAt: v.generatedAt?.toISOString() ?? null,
        renditions: renditions.filter((r) => r.versionId === v.id).map((r) => ({ format: r.format, variant: r.variant, sha256: r.blobSha256 })),
      })),
      signatureRequests: requests.map((r, i) => {
        const views = editions[i].map((e) => ({
          edition: e.edition,
          label: sealEditionLabel(e.edition, e.sealedAt, established),
          sha256: e.blobSha256,
          evidenceSha256: e.evidenceSha256,
          sealedAt: e.sealedAt.toISOString(),
        }));
        const latest = views[views.length - 1];
        return {
          id: r.id,
          versionId: r.versionId,
          status: r.status,
          createdAt: r.createdAt.toISOString(),
          sealed: latest ? { sha256: latest.sha256, evidenceSha256: latest.evidenceSha256, sealedAt: latest.sealedAt } : null,
          editions: views,
        };
      }),
      lineage: family
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((d) => ({ id: d.id, type: d.type, subtype: d.subtype ?? null, status: d.status, createdAt: d.createdAt.toISOString(), current: d.id === doc.id })),
      timeline: events.map((e) => {
        const signerId = typeof e.payload.signerId === 'string' ? e.payload.signerId : null;
        const signer = signerId ? signers.get(signerId) : undefined;
        const { signerId: _s, ...payload } = e.payload;
        const details = content ? payload : withoutStaffFreeText(e.action, payload);
        const requestId = e.subjectId && requestIds.has(e.subjectId) ? e.subjectId : null;
        const cancelReason =
          e.action === 'signature.cancelled' && content ? ((requestId && cancelReasons.get(requestId)) ?? (typeof payload.reason === 'string' ? payload.reason : null)) : null;
        return {
          seq: e.seq,
          at: e.occurredAt.toISOString(),
          action: e.action,
          label: historyLabel(e.action, e.payload),
          actor: { type: e.actorType, id: e.actorId, name: e.actorType === 'staff' && e.actorId ? (staff.get(e.actorId) ?? null) : null },
          signer: signer ? { id: signer.id, name: `${signer.firstName} ${signer.lastName}`, capacity: signer.capacity, role: signer.role } : null,
          versionId: e.subjectId && versionIds.has(e.subjectId) ? e.subjectId : typeof e.payload.versionId === 'string' ? e.payload.versionId : null,
          requestId,
          details,
          cancelReason,
          hash: e.hash,
        };
      }),
    };
  }

  /**
   * Verify again: each rendition's and sealed PDF's bytes (every sealed edition: a DIPC's first,
   * handed over to the person, and each countersigned one, CASF D.311 II–III) against the SHA-256 they are stored
   * under, each document handed over with a version (CASF L.311-4) against the SHA-256 the version
   * recorded, each seal's evidence against its recorded hash, each sealed PDF's PAdES signature.
   * The result is audited (`document.verified`) with the number of checks and failures.
   */
  async verify(actor: StaffActor, documentId: string): Promise<DocumentVerification> {
    const em = this.tx.manager;
    const doc = await this.scoped(em, actor, documentId);
    const checks: VerificationCheck[] = [];
    const versions = await this.documents.versionsOf(em, doc.id);
    const renditions = await this.documents.renditionsOf(
      em,
      versions.map((v) => v.id),
    );
    const number = new Map(versions.map((v) => [v.id, v.number]));
    // The roots the installation trusts for its time-stamping authority (SEAL_TSA_CA): what `archive:verify` uses by default too.
    const tsaRoots = this.config.seal.tsa?.trustedRootsPem ? certificatesFromPem(this.config.seal.tsa.trustedRootsPem) : null;
    for (const r of renditions) {
      const what = renditionCheckName(number.get(r.versionId), r.format, r.variant);
      const bytes = await this.blobs.unchecked(em, r.blobSha256);
      checks.push(bytes ? hashCheck(what, bytes, r.blobSha256) : { what, ok: false, detail: 'fichier absent' });
    }
    for (const v of versions)
      for (const a of v.annexes ?? []) {
        if (!a.file) continue;
        const what = annexCheckName(v.number, a.label, a.file.versionLabel);
        const bytes = await this.blobs.unchecked(em, a.file.sha256);
        checks.push(bytes ? hashCheck(what, bytes, a.file.sha256) : { what, ok: false, detail: 'fichier absent' });
      }
    for (const r of await this.signing.requestsOfDocument(em, doc.id)) {
      const seals = await this.signing.sealsOf(em, r.id);
      // One seal of another document keeps its former name; a DIPC's editions are named (« Exemplaire 1 — établi par la direction le … »).
      const named = seals.length > 1 || doc.type === 'dipc';
      for (const seal of seals) {
        const what = sealCheckName(r.createdAt, named ? sealEditionLabel(seal.edition, seal.sealedAt, doc.type === 'dipc') : undefined);
        const pdf = await this.blobs.unchecked(em, seal.blobSha256);
        if (!pdf) {
          checks.push({ what, ok: false, detail: 'fichier absent' });
          continue;
        }
        checks.push(hashCheck(`${what} — empreinte`, pdf, seal.blobSha256));
        const pades = verifyPades(pdf);
        checks.push({
          what: `${what} — signature électronique (plage signée, empreinte, signature CMS, certificat)`,
          ok: pades.ok,
          detail: pades.ok ? `certificat : ${pades.signer?.subject.replace(/\n/g, ', ') ?? 'inconnu'}` : pades.reason,
        });
        // The seal's time (PAdES B-T: the TSA's token, checked on its own; B-B: the server's clock only),
        // « qualifié » only when the operator declared the TSA so when it sealed (SEAL_TSA_QUALIFIED, eIDAS art. 42).
        const stampName = timestampLabel(seal.evidence.sealTime?.source === 'tsa' && seal.evidence.sealTime.qualified, 'lower');
        if (pades.ok)
          checks.push(
            pades.timestamp === null
              ? { what: `${what} — horodatage`, ok: true, detail: 'aucun : le cachet ne porte pas d’horodatage qualifié (heure du serveur de l’établissement)' }
              : pades.timestamp.ok
                ? timestampTrustCheck(`${what} — ${stampName}`, pades.timestamp, tsaRoots)
                : { what: `${what} — ${stampName} (jeton RFC 3161 : empreinte de la signature, signature de l’autorité)`, ok: false, detail: `TIMESTAMP_INVALID : ${pades.timestamp.reason}` },
          );
        const evidence = sha256Hex(canonicalJson(seal.evidence));
        checks.push({ what: `${what} — preuve (JSON)`, ok: evidence === seal.evidenceSha256, detail: evidence === seal.evidenceSha256 ? null : `empreinte ${evidence} au lieu de ${seal.evidenceSha256}` });
      }
    }
    const result: DocumentVerification = { documentId: doc.id, ok: checks.every((c) => c.ok), checkedAt: new Date().toISOString(), checks };
    await this.audit.appendAlone(this.tx.manager, {
      chainId: doc.organisationId,
      actor: auditActor(actor),
      action: 'document.verified',
      subject: { type: 'document', id: doc.id },
      payload: { ok: result.ok, checks: checks.length, failures: checks.filter((c) => !c.ok).length },
    });
    return result;
  }

  private async scoped(em: EntityManager, actor: StaffActor, id: string): Promise<DocumentEntity> {
    const doc = await this.documents.findScoped(em, actor.organisationId, visibleEstablishments(actor), id);
    if (!doc) throw new NotFoundError('DOCUMENT_NOT_FOUND', 'Document introuvable.');
    assertCan(actor, 'document.read', doc.establishmentId);
    return doc;
  }
}

/**
 * A valid token's check, with whether its authority chains to the installation's roots (SEAL_TSA_CA),
 * as `archive:verify` reports it: TIMESTAMP_UNTRUSTED when it does not; said « non vérifiée » when no
 * roots are configured. `what`: the seal's name and what the timestamp is called (timestampLabel).
 */
function timestampTrustCheck(what: string, ts: Extract<NonNullable<ReturnType<typeof verifyPades>['timestamp']>, { ok: true }>, roots: X509Certificate[] | null): VerificationCheck {
  const authority = ts.tsaCertificate.subject.replace(/\n/g, ', ');
  const stamped = `horodaté le ${dateTime(ts.genTime.toISOString())} par ${authority}`;
  // The seal's own path rules (tsaChainCheck: CA, keyCertSign, pathLen, validity at the certified time).
  const chain = roots ? tsaChainCheck(ts.tsaCertificate, ts.certificates, roots, ts.genTime) : null;
  const trusted = chain ? chain.ok : null;
  return {
    what: `${what} (jeton RFC 3161 : empreinte de la signature, signature de l’autorité, autorité de confiance)`,
    ok: trusted !== false,
    detail:
      trusted === null
        ? `${stamped} ; autorité non vérifiée : aucune autorité d’horodatage de confiance configurée (SEAL_TSA_CA)`
        : trusted
          ? `${stamped} ; autorité rattachée à une autorité de confiance (SEAL_TSA_CA)`
          : `TIMESTAMP_UNTRUSTED : ${stamped}, une autorité qui ne se rattache à aucune autorité d’horodatage de confiance (SEAL_TSA_CA) : ${chain!.reason}`,
  };
}

function hashCheck(what: string, bytes: Buffer, expected: string): VerificationCheck {
  const actual = sha256Hex(bytes);
  return { what, ok: actual === expected, detail: actual === expected ? null : `empreinte ${actual} au lieu de ${expected}` };
}

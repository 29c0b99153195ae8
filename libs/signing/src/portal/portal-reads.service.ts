import { Injectable } from '@nestjs/common';
import { DomainError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { AnnexFilesRepository, BlobStore, DocumentsRepository, TariffAnnex, VersionAnnex, VersionInput, tariffAnnexOf } from '@carepact/documents';
import { EventContext, EvidenceLog } from '../requests/evidence-log';
import { SigningRepository } from '../requests/signing.repository';
import { signerActor } from './portal-session.service';
import { SignerEntity, SignerQuestionEntity, SignerStatus } from '../requests/signing.entities';
import { In } from 'typeorm';
import { PortalContext, assertCodeGiven, signerHasAnswered } from './portal.types';
import { SignerQuestionAnswerEntity } from '../visa/visa.entities';

/** Another signer of the request, as the recap page names them. */
export interface CoSigner {
  name: string;
  role: SignerEntity['role'];
  status: SignerStatus;
  optional: boolean;
  me: boolean;
}

/** What a signer reads and downloads in the portal; each reading and download is in the evidence. */
/** What the portal lists under « Documents remis avec le contrat »: the version's annex files and its tariff annex. */
export interface HandedOverDocuments {
  files: VersionAnnex[];
  tariffs: TariffAnnex | null;
}

@Injectable()
export class PortalReadsService {
  /** Sessions × variants whose 'viewed' event is known to exist (saves a query per reading). */
  private readonly viewed = new Set<string>();
  /** Signers known to have opened their version (it stays opened: a positive answer is kept). */
  private readonly opened = new Set<string>();

  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: SigningRepository,
    private readonly documents: DocumentsRepository,
    private readonly blobs: BlobStore,
    private readonly log: EvidenceLog,
    private readonly annexFiles: AnnexFilesRepository,
  ) {}

  /** The signer's questions, each with the establishment's answers (the first, then any later one), oldest first. */
  async questionsOf(ctx: PortalContext): Promise<{ message: string; askedAt: Date; answers: { answer: string; at: Date }[] }[]> {
    const em = this.tx.manager;
    const questions = await em.find(SignerQuestionEntity, { where: { signerId: ctx.signer.id, requestId: ctx.request.id }, order: { askedAt: 'ASC' } });
    const later = questions.length ? await em.find(SignerQuestionAnswerEntity, { where: { questionId: In(questions.map((q) => q.id)) }, order: { answeredAt: 'ASC' } }) : [];
    return questions.map((q) => ({
      message: q.message,
      askedAt: q.askedAt,
      answers: [
        ...(q.answer !== null && q.answeredAt ? [{ answer: q.answer, at: q.answeredAt }] : []),
        ...later.filter((a) => a.questionId === q.id).map((a) => ({ answer: a.answer, at: a.answeredAt })),
      ],
    }));
  }

  /** The input snapshot of the version being signed, from which its reading view is rendered. */
  async versionInput(ctx: PortalContext): Promise<VersionInput> {
    assertCodeGiven(ctx);
    const v = await this.documents.versionInput(this.tx.manager, ctx.request.versionId);
    if (!v) throw new DomainError('not_found', 'VERSION_NOT_FOUND', 'Version introuvable.');
    return v;
  }

  /**
   * One 'viewed' event per session and variant: reading again writes nothing. `ev` may be a function,
   * called only when the event is written (the client's address costs something to work out).
   * The event says what was displayed: the reading view is the body of the version's stored HTML
   * rendition of that variant (same tree, same renderer: PortalPages.fragment), so its format and
   * stored SHA-256 are recorded with the variant, and printed in the evidence.
   */
  async markViewed(ctx: PortalContext, variant: string, ev: EventContext | (() => EventContext)): Promise<void> {
    assertCodeGiven(ctx);
    const key = `${ctx.session.id}:${variant}`;
    if (this.viewed.has(key)) return;
    const em = this.tx.manager;
    const seen = (await em.query(
      `SELECT 1 FROM signature_events WHERE request_id = $1 AND signer_id = $2 AND kind = 'viewed' AND details->>'variant' = $3 AND details->>'session' = $4 LIMIT 1`,
      [ctx.request.id, ctx.signer.id, variant, ctx.session.id],
    )) as unknown[];
    if (!seen.length) {
      const shown = await this.documents.findRendition(em, ctx.request.versionId, 'html', variant);
      await this.tx.run((t) =>
        this.log.record(t, ctx.request, 'viewed', signerActor(ctx.signer), {
          signerId: ctx.signer.id,
          ctx: typeof ev === 'function' ? ev() : ev,
          details: { variant, format: 'html', sha256: shown?.blobSha256 ?? null, session: ctx.session.id },
        }),
      );
    }
    // Bounded: a session lives two hours at most, so forgetting everything now and then costs one query each.
    if (this.viewed.size > 100_000) this.viewed.clear();
    this.viewed.add(key);
  }

  /**
   * Whether this signer opened the document they are asked to sign, in any session: its reading
   * view ('viewed') or one of its files ('downloaded'), both in the evidence already. Signing is
   * offered, and accepted, only then (issue 13, item 3).
   */
  async hasRead(ctx: PortalContext): Promise<boolean> {
    const key = `${ctx.request.id}:${ctx.signer.id}`;
    if (this.opened.has(key)) return true;
    const rows = (await this.tx.manager.query(
      `SELECT 1 FROM signature_events WHERE request_id = $1 AND signer_id = $2 AND kind IN ('viewed', 'downloaded') LIMIT 1`,
      [ctx.request.id, ctx.signer.id],
    )) as unknown[];
    if (!rows.length) return false;
    if (this.opened.size > 100_000) this.opened.clear();
    this.opened.add(key);
    return true;
  }

  /** The request's signers and where each stands (the recap's "what happens next"). */
  async coSigners(ctx: PortalContext): Promise<CoSigner[]> {
    const rows = await this.tx.manager.find(SignerEntity, {
      select: { id: true, firstName: true, lastName: true, role: true, status: true, optional: true, orderNo: true },
      where: { requestId: ctx.request.id },
      order: { orderNo: 'ASC', key: 'ASC' },
    });
    return rows.map((s) => ({ name: `${s.firstName} ${s.lastName}`, role: s.role, status: s.status, optional: s.optional, me: s.id === ctx.signer.id }));
  }

  /**
   * Whether the sealed PDF exists: the request is completed and the seal job has run, or the document
   * is established (a DIPC the director signed, CASF D.311 II) and still open to a countersignature.
   */
  async isSealed(ctx: PortalContext): Promise<boolean> {
    return (ctx.request.status === 'completed' || ctx.request.status === 'active') && (await this.repo.sealOf(this.tx.manager, ctx.request.id)) !== null;
  }

  /**
   * The signers whose signature the latest sealed edition holds, or null before any seal: after a
   * countersignature given once the document was established (CASF D.311 II), whether its new edition
   * is sealed yet.
   */
  async sealedSignerIds(ctx: PortalContext): Promise<string[] | null> {
    const seal = await this.repo.sealOf(this.tx.manager, ctx.request.id);
    return seal ? (seal.evidence.signers ?? []).filter((s) => s.status === 'signed').map((s) => s.id) : null;
  }

  async rendition(ctx: PortalContext, format: string, variant: string, ev: EventContext): Promise<{ bytes: Buffer; mediaType: string; fileName: string }> {
    assertCodeGiven(ctx);
    const em = this.tx.manager;
    const r = await this.documents.findRendition(em, ctx.request.versionId, format, variant);
    if (!r) throw new DomainError('not_found', 'RENDITION_NOT_FOUND', 'Ce format n’existe pas pour ce document.');
    const bytes = await this.blobs.get(em, r.blobSha256);
    if (!bytes) throw new DomainError('not_found', 'RENDITION_NOT_FOUND', 'Fichier introuvable.');
    await this.tx.run((t) =>
      this.log.record(t, ctx.request, 'downloaded', signerActor(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { format, variant, sha256: r.blobSha256 } }),
    );
    return { bytes, mediaType: r.mediaType, fileName: `${ctx.document.type}-${variant}.${format}` };
  }

  /**
   * The documents handed over with the version being signed (CASF L.311-4), as the version recorded
   * them when it was created: each with its label and file (null: none was published), and the
   * « Annexe tarifaire » the document lists beside them, written from the establishment's tariffs of
   * the version's input (tariff-annex.ts; no file), as the evidence lists it. Empty for a document
   * that hands nothing over.
   */
  async annexesOf(ctx: PortalContext): Promise<HandedOverDocuments> {
    assertCodeGiven(ctx);
    const em = this.tx.manager;
    const files = await this.annexFiles.ofVersion(em, ctx.request.versionId);
    if (!files) return { files: [], tariffs: null };
    const version = await this.documents.versionInput(em, ctx.request.versionId);
    return { files, tariffs: version ? tariffAnnexOf({ type: ctx.document.type, templateVersion: version.templateVersion, input: version.input }) : null };
  }

  /**
   * One of those files, to a signer of a request on that version only (the session's request names
   * the version; a file the version did not record is not found). The download is in the evidence
   * (`annex_downloaded`, with the file's SHA-256) and the audit chain, as a rendition's is.
   */
  async annexFile(ctx: PortalContext, fileId: string, ev: EventContext): Promise<{ bytes: Buffer; fileName: string }> {
    assertCodeGiven(ctx);
    const em = this.tx.manager;
    const annex = (await this.annexFiles.ofVersion(em, ctx.request.versionId))?.find((a) => a.file?.id === fileId);
    const row = annex ? await this.annexFiles.findById(em, ctx.request.organisationId, fileId) : null;
    const bytes = row && row.blobSha256 === annex!.file!.sha256 ? await this.blobs.get(em, row.blobSha256) : null;
    if (!annex || !bytes) throw new DomainError('not_found', 'ANNEX_FILE_NOT_FOUND', 'Ce document n’est pas remis avec celui que vous signez.');
    await this.tx.run((t) =>
      this.log.record(t, ctx.request, 'annex_downloaded', signerActor(ctx.signer), {
        signerId: ctx.signer.id,
        ctx: ev,
        details: { annexKey: annex.key, annexLabel: annex.label, annexFileId: fileId, format: 'pdf', sha256: annex.file!.sha256 },
      }),
    );
    return { bytes, fileName: `${annex.key.replace(/[^A-Za-z0-9._-]+/g, '-')}.pdf` };
  }

  /**
   * The sealed PDF: to a download session, a session that gave its code, and a signer who has
   * answered (their used link reopens read-only; the completion e-mail to the same address gives
   * the same file without a code, so the code, which guards the act of signing, adds nothing here).
   */
  async sealedPdf(ctx: PortalContext, ev: EventContext): Promise<{ bytes: Buffer; fileName: string }> {
    if (!signerHasAnswered(ctx)) assertCodeGiven(ctx);
    const em = this.tx.manager;
    const seal = await this.repo.sealOf(em, ctx.request.id);
    if (!seal) throw new DomainError('not_found', 'NOT_SEALED', 'Le document signé n’est pas encore disponible.');
    const bytes = (await this.blobs.get(em, seal.blobSha256))!;
    await this.tx.run((t) =>
      this.log.record(t, ctx.request, 'downloaded', signerActor(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { format: 'pdf', variant: 'signed', sha256: seal.blobSha256 } }),
    );
    return { bytes, fileName: `${ctx.document.type}-signe.pdf` };
  }
}

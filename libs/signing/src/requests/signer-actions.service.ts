import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError, calendarDayIn, formatDateFr, ofName, sha256Hex, textProblem } from '@carepact/common';
import { TransactionRunner, returnedRows } from '@carepact/database';
import { assertDocumentResidentNotArchived } from '@carepact/documents';
import { StaffActor, auditActor } from '@carepact/identity';
import { OutboxService } from '@carepact/queue';
import { EntityManager } from 'typeorm';
import { SigningLinks } from '../links/signing-links.service';
import { EvidenceLog } from './evidence-log';
import { RequestAccess } from './request-access';
import { RequestView, RequestViews, handoverRecipients } from './request-views.service';
import { SignatureProgress } from './signature-progress.service';
import { assertOwnMailboxes } from './own-mailbox';
import { SignatureRequestEntity, SignerEntity, SignerQuestionEntity } from './signing.entities';
import { SigningRepository } from './signing.repository';
import { assertResidenceNotDisputed } from './residence-dispute.guard';
import { blockingSigners } from './whose-turn';

export const ACCESS_CODE_MINUTES = 10;

/** A signer whose optional signature lapsed at the person's death (`lapsed_at_death`): nothing more is given to her to sign. */
export const SIGNER_LAPSED_AT_DEATH = 'SIGNER_LAPSED_AT_DEATH';

/**
 * What staff do for one signer of a request in progress: a new link, an in-person session, a
 * witness statement, an access code, the director's countersignature; and what they do about a
 * signer's refusal or question.
 */
@Injectable()
export class SignerActionsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: SigningRepository,
    private readonly access: RequestAccess,
    private readonly views: RequestViews,
    private readonly links: SigningLinks,
    private readonly progress: SignatureProgress,
    private readonly outbox: OutboxService,
    private readonly log: EvidenceLog,
  ) {}

  /** Sends a new link to one signer (optionally to a corrected address): the previous link stops working. */
  async resend(actor: StaffActor, requestId: string, signerId: string, email?: string): Promise<RequestView> {
    return this.tx.run(async (em) => {
      const r = await this.access.lockActive(em, actor, requestId, 'signature.manage');
      await assertDocumentResidentNotArchived(em, r.organisationId, r.documentId); // a new signing act: not in the intermediate archive
      const s = await this.access.signer(em, r, signerId);
      if (s.status !== 'pending') throw new ConflictError('SIGNER_ALREADY_ACTED', 'Cette personne a déjà signé ou refusé.');
      if (s.delivery === 'staff') throw new ConflictError('SIGNER_IS_STAFF', 'La contresignature se fait depuis la console, sans e-mail.');
      await this.assertNotLapsed(em, r, s);
      await this.assertTheirTurn(em, r, s, 'Son lien lui sera envoyé par e-mail automatiquement à son tour.');
      // Resending is by e-mail, also for a signer staff had switched to in person.
      await em.update(SignerEntity, { id: s.id }, { ...(email !== undefined ? { email } : {}), delivery: 'email' });
      if (!(email ?? s.email)) throw new ValidationError([{ field: 'email', code: 'EMAIL_MISSING', message: 'Indiquez une adresse e-mail, ou faites signer en présence.' }]);
      // Not to a mailbox another signer still to act receives links at, unless each has a code (C. civ. 1367).
      const others = (await this.repo.signersOf(em, r.id)).filter((x) => x.id !== s.id && x.status === 'pending');
      assertOwnMailboxes([{ ...s, email: email ?? s.email, delivery: 'email' }, ...others], () => 'email');
      const now = new Date();
      const revoked = await this.links.revokeForSigner(em, s.id, now);
      if (revoked) await this.log.record(em, r, 'revoked', auditActor(actor), { signerId: s.id, details: { links: revoked } });
      await this.outbox.enqueue(em, 'signing.invite', { signerId: s.id, reason: 'resend' }, { key: `${s.id}_${now.getTime()}`, organisationId: r.organisationId });
      await this.log.record(em, r, 'resent', auditActor(actor), { signerId: s.id });
      return this.views.viewFor(em, actor, r);
    });
  }

  /**
   * In-person signing on a tablet: a short link the staff member opens on the device; the signer
   * reads and signs in the same portal. Returns the URL (never emailed, never logged).
   */
  async openInPerson(actor: StaffActor, requestId: string, signerId: string, publicUrl: string): Promise<{ url: string; expiresAt: string }> {
    return this.tx.run(async (em) => {
      const r = await this.access.lockActive(em, actor, requestId, 'signature.manage');
      await assertDocumentResidentNotArchived(em, r.organisationId, r.documentId); // a new signing act: not in the intermediate archive
      const s = await this.access.signer(em, r, signerId);
      if (s.status !== 'pending') throw new ConflictError('SIGNER_ALREADY_ACTED', 'Cette personne a déjà signé ou refusé.');
      if (s.delivery === 'staff') throw new ConflictError('SIGNER_IS_STAFF', 'La contresignature se fait depuis la console.');
      await this.assertNotLapsed(em, r, s);
      await this.assertTheirTurn(em, r, s, 'La session de signature en présence pourra être ouverte à son tour.');
      const now = new Date();
      await this.links.revokeForSigner(em, s.id, now);
      await em.update(SignerEntity, { id: s.id }, { delivery: 'in_person' });
      const { token, link } = await this.links.issue(em, r, s.id, 'in_person', now);
      await this.log.record(em, r, 'in_person_opened', auditActor(actor), { signerId: s.id });
      return { url: `${publicUrl}/s/${token}`, expiresAt: link.expiresAt.toISOString() };
    });
  }

  /**
   * Witness statement for an in-person signature: how the document was explained, who was present.
   * Only while the request is in progress: the evidence of a closed request is final (the seal
   * has printed it, or nobody will sign any more).
   */
  async recordWitness(actor: StaffActor, requestId: string, signerId: string, statement: { explainedHow: string; present: string[] }): Promise<RequestView> {
    return this.tx.run(async (em) => {
      const r = await this.access.lockActive(em, actor, requestId, 'signature.manage');
      await assertDocumentResidentNotArchived(em, r.organisationId, r.documentId); // a new signing act: not in the intermediate archive
      const s = await this.access.signer(em, r, signerId);
      // Before the signature only: a statement added afterwards would make the evidence say the signature was witnessed.
      if (s.status !== 'pending') throw new ConflictError('SIGNER_ALREADY_ACTED', 'Cette personne a déjà signé ou refusé : la déclaration de témoin se fait avant la signature.');
      const witness = { explainedHow: statement.explainedHow, present: statement.present, recordedBy: actor.name, recordedByUserId: actor.userId, recordedAt: new Date().toISOString() };
      await em.update(SignerEntity, { id: s.id }, { witness });
      await this.log.record(em, r, 'witness_recorded', auditActor(actor), { signerId: s.id });
      return this.views.viewFor(em, actor, r);
    });
  }

  /** A code staff give in person or by phone; valid 10 minutes, 5 tries (SECURITY-RELIABILITY.md). */
  async issueAccessCode(actor: StaffActor, requestId: string, signerId: string): Promise<{ code: string; expiresAt: string }> {
    return this.tx.run(async (em) => {
      const r = await this.access.lockActive(em, actor, requestId, 'signature.manage');
      await assertDocumentResidentNotArchived(em, r.organisationId, r.documentId); // a new signing act: not in the intermediate archive
      const s = await this.access.signer(em, r, signerId);
      await this.assertNotLapsed(em, r, s);
      await this.assertTheirTurn(em, r, s, 'Un code pourra lui être donné à son tour (il ne vaut que 10 minutes).');
      const digits = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const expiresAt = new Date(Date.now() + ACCESS_CODE_MINUTES * 60_000);
      await em.update(SignerEntity, { id: s.id }, { accessCodeRequired: true, accessCodeHash: sha256Hex(`${s.id}:${digits}`), accessCodeExpiresAt: expiresAt, accessCodeFailures: 0 });
      await this.log.record(em, r, 'code_issued', auditActor(actor), { signerId: s.id });
      return { code: digits, expiresAt: expiresAt.toISOString() };
    });
  }

  /**
   * 409 SIGNER_LAPSED_AT_DEATH: this optional signature of the person's side was closed « non signé »
   * when her death was recorded (`lapsed_at_death`): no one signs in her name after it (C. civ. 443
   * al. 1) — no new link, in-person session or code.
   */
  private async assertNotLapsed(em: EntityManager, r: SignatureRequestEntity, s: SignerEntity): Promise<void> {
    const died = (await this.repo.lapsedAtDeathOf(em, r.id)).get(s.id);
    if (died)
      throw new ConflictError(
        SIGNER_LAPSED_AT_DEATH,
        `${s.firstName} ${s.lastName} ne peut plus signer : la personne est décédée le ${formatDateFr(died)}, et cette signature facultative, non donnée avant, est close « non signé » (C. civ. art. 443).`,
      );
  }

  /**
   * Sequential mode (« Chacun à son tour ») : no link, in-person session or code for a signer whose
   * turn has not come (NOT_THEIR_TURN). The invitation at their turn is the signal to act: a link
   * given earlier let a later signer record the person's view before the one whose turn it was (the
   * other parent), and the portal refuses them everything but reading and asking anyway
   * (NOT_YOUR_TURN). Under the request's lock, the signers read there are current.
   */
  private async assertTheirTurn(em: EntityManager, r: SignatureRequestEntity, s: SignerEntity, then: string): Promise<void> {
    if (r.mode !== 'sequential' || s.status !== 'pending') return;
    const waiting = blockingSigners(r.mode, await this.repo.signersOf(em, r.id), s.orderNo);
    if (!waiting.length) return;
    throw new ConflictError(
      'NOT_THEIR_TURN',
      `Ce n’est pas encore le tour ${ofName(`${s.firstName} ${s.lastName}`)} : chacun signe à son tour, et sa signature vient après celle de : ${waiting.map((w) => `${w.firstName} ${w.lastName}`).join(', ')}. ${then}`,
    );
  }

  /**
   * The director (or delegate) countersigns from the authenticated console or the API, without any
   * e-mail. A binding signature is never one call (C. civ. 1367: the signature manifests consent to
   * what is signed): the caller states it explicitly, naming the version signed — the console's box
   * « J’ai lu le document et je le contresigne pour l’établissement (version N) », the API's
   * `{ "confirm": true, "version": N }`. Without it COUNTERSIGN_NOT_CONFIRMED; another version than
   * the request's, COUNTERSIGN_VERSION_MISMATCH. Nothing is written then.
   */
  async countersign(
    actor: StaffActor,
    requestId: string,
    ctx: { ip: string | null; userAgent: string | null },
    confirmation: { confirm?: unknown; version?: unknown },
  ): Promise<RequestView> {
    return this.tx.run(async (em) => {
      const r = await this.access.lockActive(em, actor, requestId, 'signature.countersign');
      await assertDocumentResidentNotArchived(em, r.organisationId, r.documentId); // a new signing act: not in the intermediate archive
      const versionNumber = await this.assertCountersignConfirmed(em, r, confirmation);
      await assertResidenceNotDisputed(em, r, 'staff');
      const signers = await this.repo.signersOf(em, r.id);
      const director = signers.find((s) => s.role === 'director' && s.status === 'pending');
      if (!director) throw new ConflictError('NO_COUNTERSIGNATURE_PENDING', 'Aucune contresignature n’est attendue.');
      const blocking = signers.filter((s) => s.id !== director.id && !s.optional && s.status !== 'signed');
      // Optional countersigners (the person on a DIPC) never hold the director back.
      if (blocking.length)
        throw new ConflictError(
          'COUNTERSIGNATURE_TOO_EARLY',
          `La contresignature vient en dernier : il manque encore ${blocking.map((s) => `${s.firstName} ${s.lastName}`).join(', ')}.`,
        );
      const now = new Date();
      const res = returnedRows(
        await em.query(
          // Nothing is typed here: typed_name stays NULL, and the account that signed goes on the event.
          `UPDATE signature_signers SET status = 'signed', acted_at = $2, typed_name = NULL, auth_method = 'staff_session', ip = $3, user_agent = $4
            WHERE id = $1 AND status = 'pending' RETURNING id`,
          [director.id, now, ctx.ip, ctx.userAgent?.slice(0, 400) ?? null],
        ),
      );
      if (!res.length) throw new ConflictError('SIGNER_ALREADY_ACTED', 'La contresignature est déjà faite.');
      await this.log.record(em, r, 'countersigned', auditActor(actor), {
        signerId: director.id,
        ctx,
        // The statement made: the version named and confirmed.
        details: { versionHash: r.versionHash, versionNumber, confirmed: true, byUserId: actor.userId, byAccount: actor.email, byName: actor.name },
      });
      await this.progress.afterSignature(em, r);
      return this.views.viewFor(em, actor, r);
    });
  }

  /** The countersignature's explicit statement (countersign): the version number it names, the request's. */
  private async assertCountersignConfirmed(em: EntityManager, r: SignatureRequestEntity, c: { confirm?: unknown; version?: unknown }): Promise<number> {
    const [{ number }] = (await em.query(`SELECT number FROM document_versions WHERE id = $1`, [r.versionId])) as { number: number }[];
    const statement = `« J’ai lu le document et je le contresigne pour l’établissement (version ${number}) »`;
    if (c.confirm !== true)
      throw new ValidationError(
        [{ field: 'confirm', code: 'COUNTERSIGN_NOT_CONFIRMED', message: `Confirmez que vous signez ce document pour l’établissement : ${statement} (confirm: true).` }],
        'La contresignature n’a pas été enregistrée : elle demande une confirmation explicite.',
        'COUNTERSIGN_NOT_CONFIRMED',
      );
    if (c.version === undefined || c.version === null || c.version === '')
      throw new ValidationError(
        [{ field: 'version', code: 'COUNTERSIGN_NOT_CONFIRMED', message: `Indiquez le numéro de la version que vous contresignez : ${statement} (version: ${number}).` }],
        'La contresignature n’a pas été enregistrée : la confirmation doit nommer la version signée.',
        'COUNTERSIGN_NOT_CONFIRMED',
      );
    if (Number(c.version) !== number)
      throw new ConflictError(
        'COUNTERSIGN_VERSION_MISMATCH',
        `Cette demande porte sur la version ${number} du document, pas sur la version ${String(c.version).slice(0, 20)} : relisez la version ${number} avant de la contresigner.`,
      );
    return number;
  }

  /**
   * CASF D.311 III: the established document is « remis à chaque personne et, le cas échéant, à son
   * représentant légal ». For whoever has no e-mail address (the person under tutelle, a minor) or
   * whose e-mail failed, staff record that they handed it over in person: to whom, on which day,
   * how. Once per recipient; an event in the evidence of any later sealed edition and in the audit
   * chain. The request may be completed or still open to a countersignature; it must be sealed.
   */
  async recordHandover(actor: StaffActor, requestId: string, input: { recipientKey: string; handedOn: string; how: string }): Promise<RequestView> {
    return this.tx.run(async (em) => {
      const found = await this.access.request(em, actor, requestId, 'signature.manage');
      const r = (await this.repo.lockRequest(em, found.id))!;
      const seal = await this.repo.sealOf(em, r.id);
      if (!seal) throw new ConflictError('DOCUMENT_NOT_ESTABLISHED', 'Le document n’est pas encore établi et scellé : il n’y a rien à remettre.');
      const signers = await this.repo.signersOf(em, r.id);
      const events = await this.repo.eventsOf(em, r.id);
      const recipient = handoverRecipients(r, signers, events).find((x) => x.key === input.recipientKey);
      if (!recipient) throw new NotFoundError('HANDOVER_RECIPIENT_NOT_FOUND', 'Cette personne ne reçoit pas ce document.');
      if (recipient.handedOver) throw new ConflictError('HANDOVER_ALREADY_RECORDED', `La remise à ${recipient.name} est déjà enregistrée (le ${recipient.handedOver.on}).`);
      const how = input.how.trim();
      const errors = [];
      const firstSealDay = calendarDayIn((events.find((e) => e.kind === 'sealed')?.at ?? seal.sealedAt));
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.handedOn)) errors.push({ field: 'handedOn', code: 'REQUIRED', message: 'Indiquez la date de la remise.' });
      else if (input.handedOn > calendarDayIn(new Date())) errors.push({ field: 'handedOn', code: 'DATE_IN_FUTURE', message: 'La date de la remise ne peut pas être dans le futur.' });
      else if (input.handedOn < firstSealDay) errors.push({ field: 'handedOn', code: 'BEFORE_ESTABLISHED', message: 'La date de la remise ne peut pas précéder l’établissement du document.' });
      if (how.length < 3) errors.push({ field: 'how', code: 'REQUIRED', message: 'Indiquez comment le document a été remis (par exemple : en main propre, lors de l’entretien).' });
      else if (how.length > 500) errors.push({ field: 'how', code: 'TOO_LONG', message: '500 caractères au plus.' });
      else {
        // The same rule as the API's DTO (@SafeText), for the console's form too: no control character
        // (terminal escapes) in what the evidence and the history keep.
        const problem = textProblem(how, 'text');
        if (problem) errors.push({ field: 'how', ...problem });
      }
      if (errors.length) throw new ValidationError(errors, 'La remise n’a pas été enregistrée.');
      await this.log.record(em, r, 'handed_over', auditActor(actor), {
        signerId: recipient.signerId,
        details: { recipientKey: recipient.key, recipientName: recipient.name, handedOn: input.handedOn, how, edition: seal.edition },
      });
      return this.views.viewFor(em, actor, r);
    });
  }

  async acknowledgeRefusal(actor: StaffActor, requestId: string, signerId: string): Promise<void> {
    await this.tx.run(async (em) => {
      const r = await this.access.request(em, actor, requestId, 'signature.manage');
      const s = await this.access.signer(em, r, signerId);
      if (s.status !== 'refused') throw new ConflictError('NOT_REFUSED', 'Cette personne n’a pas refusé.');
      await em.update(SignerEntity, { id: s.id }, { refusalAcknowledgedAt: new Date() });
      await this.log.record(em, r, 'refusal_acknowledged', auditActor(actor), { signerId: s.id });
    });
  }

  /**
   * The first answer stays the question's answer: the signer may have signed or refused on the
   * strength of it, and what they were told must not change afterwards. A later answer is a new
   * event in the evidence (with the SHA-256 of its text), never an overwrite.
   */
  async answerQuestion(actor: StaffActor, requestId: string, questionId: string, answer: string): Promise<{ notified: boolean }> {
    return this.tx.run(async (em) => {
      const r = await this.access.request(em, actor, requestId, 'signature.manage');
      // An answer goes to the signer, and with it an invitation to sign (a new link): a new act, not a
      // consultation, refused for a person in the intermediate archive even with an opening (RESIDENT_ARCHIVED).
      await assertDocumentResidentNotArchived(em, r.organisationId, r.documentId);
      const q = await em.findOne(SignerQuestionEntity, { where: { id: questionId, requestId: r.id } });
      if (!q) throw new NotFoundError('QUESTION_NOT_FOUND', 'Question introuvable.');
      const first = returnedRows(
        await em.query(`UPDATE signer_questions SET answered_at = $2, answered_by = $3, answer = $4 WHERE id = $1 AND answered_at IS NULL RETURNING id`, [q.id, new Date(), actor.userId, answer]),
      );
      await this.log.record(em, r, 'question_answered', auditActor(actor), {
        signerId: q.signerId,
        details: first.length ? { questionId: q.id } : { questionId: q.id, followUp: true, answerSha256: sha256Hex(answer) },
      });
      if (!first.length) await em.query(`INSERT INTO signer_question_answers (question_id, answer, answered_by, answered_at) VALUES ($1, $2, $3, $4)`, [q.id, answer, actor.userId, new Date()]);
      // The answer reaches the signer (issue 10, item 3): an e-mail with a fresh link to read it in
      // the portal, while they may still sign by e-mail; in person, staff tell them at the tablet.
      const s = await this.access.signer(em, r, q.signerId);
      const notified = r.status === 'active' && s.status === 'pending' && s.delivery === 'email' && !!s.email;
      if (notified)
        await this.outbox.enqueue(em, 'signing.invite', { signerId: s.id, reason: 'answer' }, { key: `${s.id}_answer_${q.id}_${Date.now()}`, organisationId: r.organisationId });
      return { notified };
    });
  }
}

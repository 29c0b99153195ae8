import { Injectable } from '@nestjs/common';
import { BIDI_CONTROLS, ConflictError, DomainError, FieldError, TextProblem, ValidationError, ofName, textProblem } from '@carepact/common';
import { TransactionRunner, returnedRows } from '@carepact/database';
import { DocumentLifecycle } from '@carepact/documents';
import { OutboxService } from '@carepact/queue';
import { EntityManager } from 'typeorm';
import { SigningLinks } from '../links/signing-links.service';
import { EventContext, EvidenceLog } from '../requests/evidence-log';
import { SignatureProgress } from '../requests/signature-progress.service';
import { AuthMethod, EXPRESSIONS, Expression, SignatureRequestEntity, SignerQuestionEntity, ViewAccount } from '../requests/signing.entities';
import { VIEW_EXPRESSION_LABELS } from '../requests/evidence';
import { SigningRepository } from '../requests/signing.repository';
import { consentSentence } from '../policy/consent-sentence';
import { assistsThePerson } from '../policy/assistance-refusal';
import { assertResidenceNotDisputed } from '../requests/residence-dispute.guard';
import { PortalReadsService } from './portal-reads.service';
import { PortalSessionService, isLinkLive, signerActor } from './portal-session.service';
import { PortalContext, PortalSessionExpiredError, assertCodeGiven } from './portal.types';
import { cleanTypedName, normaliseName } from './typed-name';

/** Questions waiting for an answer that one signer may have at once; the next is refused until staff answer. */
export const MAX_UNANSWERED_QUESTIONS = 5;
/** Staff are e-mailed about a signer's questions at most once per period (the console lists them all). */
const QUESTION_NOTICE_PERIOD_MS = 3600_000;

const QUESTIONS_CLOSED = 'Cette demande de signature est close : vous ne pouvez plus poser de question ici. Pour toute question, contactez directement l’établissement.';
const ANSWERED_NO_QUESTIONS = 'Vous avez déjà répondu à cette demande : vous ne pouvez plus poser de question ici. Pour toute question, contactez directement l’établissement.';
const TOO_MANY_QUESTIONS = `Vous avez déjà envoyé ${MAX_UNANSWERED_QUESTIONS} questions qui attendent une réponse. L’établissement va répondre aux questions déjà envoyées ; vous pourrez ensuite en poser d’autres. En cas d’urgence, contactez directement l’établissement.`;

/**
 * What a signer writes for others to read (the view's comment, a refusal's reason, a question): the
 * shared text rule (libs/common `textProblem`, 'text': no control character but tab and line breaks —
 * an ESC would colour a terminal, U+0085 break a line) and no bidirectional control either (U+202E
 * and the others of BIDI_CONTROLS), which would make the words read differently on the console's
 * document page, the other parent's portal and the evidence. Line breaks stay; emojis too (the
 * words are shown, never printed in a document). The staff side's codes and French messages.
 */
export function signerTextProblem(value: string): TextProblem | null {
  const control = textProblem(value, 'text');
  if (control) return control;
  const bidi = BIDI_CONTROLS.exec(value);
  return bidi ? textProblem(bidi[0], 'name') : null;
}

/** A ValidationError for `field` when the signer's text is refused (signerTextProblem); nothing is stored. */
function assertSignerText(value: string | null, field: string, summary: string): void {
  const problem = value ? signerTextProblem(value) : null;
  if (problem) throw new ValidationError([{ field, ...problem }], summary);
}

/**
 * The portal may take a question from this session: a signing session (not a download link's, after
 * the seal) of a pending signer on an active request. ask() checks it again under the request's lock.
 */
export function canAsk(ctx: Pick<PortalContext, 'purpose' | 'signer' | 'request'>): boolean {
  return ctx.purpose === 'sign' && ctx.signer.status === 'pending' && ctx.request.status === 'active';
}

/** Why a session that cannot ask (canAsk) is refused a question. */
function askClosed(ctx: Pick<PortalContext, 'purpose' | 'signer' | 'request'>): ConflictError {
  return ctx.purpose === 'sign' && ctx.request.status === 'active' && ctx.signer.status !== 'pending'
    ? new ConflictError('SIGNER_ALREADY_ACTED', ANSWERED_NO_QUESTIONS)
    : new ConflictError('SIGNATURE_REQUEST_CLOSED', QUESTIONS_CLOSED);
}

/**
 * Sequential mode: this signer's turn has not come (NOT_YOUR_TURN), naming whose signatures come
 * first; `then`, a sentence, says what they may do once it has (record the person's view).
 */
export function notYourTurn(ctx: Pick<PortalContext, 'waitingFor' | 'signer'>, then?: string): ConflictError {
  const byEmail = reachedByEmail(ctx.signer);
  return new ConflictError(
    'NOT_YOUR_TURN',
    `Ce n’est pas encore votre tour : votre signature sera demandée après celle de : ${ctx.waitingFor.join(', ')}. ${byEmail ? WHEN_TURN_BY_EMAIL : WHEN_TURN_IN_PERSON}${then ? ` ${then}` : ''}`,
  );
}

/**
 * How a signer learns their turn has come: the invitation e-mail reaches only a signer invited by
 * e-mail who has an address (SigningJobsService.invite); one who signs in person, or has no address,
 * is asked by the establishment (a session on its tablet) — never promised an e-mail.
 */
export const WHEN_TURN_BY_EMAIL = 'Vous recevrez un e-mail.';
/** Whether the product's e-mails (an invitation, an answer's new link) reach this signer: invited by e-mail, with an address. */
export const reachedByEmail = (signer: Pick<PortalContext['signer'], 'delivery' | 'email'>): boolean => signer.delivery === 'email' && Boolean(signer.email);
export const WHEN_TURN_IN_PERSON = 'L’établissement vous proposera de signer quand ce sera votre tour.';

/** The signer's forms in the portal: record a view, sign, refuse, ask a question. */
@Injectable()
export class PortalActionsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: SigningRepository,
    private readonly sessions: PortalSessionService,
    private readonly reads: PortalReadsService,
    private readonly links: SigningLinks,
    private readonly progress: SignatureProgress,
    private readonly lifecycle: DocumentLifecycle,
    private readonly outbox: OutboxService,
    private readonly log: EvidenceLog,
  ) {}

  /**
   * Records the person's view or, when this signer recorded it already, corrects it: a view stays
   * correctable by the one who recorded it until they sign or refuse (what they sign on is then
   * fixed). A correction is its own event, with the previous answer, in the evidence and the audit chain.
   */
  async recordView(ctx: PortalContext, input: { viewKey: string; expression: string; comment?: string }, ev: EventContext): Promise<void> {
    assertCodeGiven(ctx);
    const view = ctx.views.find((v) => v.key === input.viewKey);
    if (!view) throw new DomainError('forbidden', 'VIEW_NOT_YOURS', 'Vous n’avez pas à recueillir cet avis.');
    // Sequential mode (« Chacun à son tour »): the view is recorded at one's turn, as the signature it
    // goes with — a later signer fixing it first would take the step from the one whose turn it is
    // (the other parent, C. civ. 371-1 al. 4, 388-1). The turn only advances (a signature is never
    // undone), so the context read before the transaction can only be stricter than the row.
    if (ctx.waitingFor.length)
      throw notYourTurn(ctx, `Vous pourrez alors indiquer l’avis ${ofName(`${view.person.firstName} ${view.person.lastName}`)}, s’il n’a pas déjà été enregistré.`);
    if (!EXPRESSIONS.includes(input.expression as Expression))
      throw new ValidationError([{ field: 'expression', code: 'REQUIRED', message: 'Choisissez ce que la personne exprime.' }], 'Choisissez une réponse.');
    const comment = input.comment?.trim() ? input.comment.trim().slice(0, 2000) : null;
    assertSignerText(comment, 'comment', 'L’avis n’a pas été enregistré.');
    await this.tx.run(async (em) => {
      await this.assertActive(em, ctx);
      const res = (await em.query(
        `INSERT INTO recorded_views (request_id, view_key, person_name, expression, comment, recorded_by_signer_id, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (request_id, view_key) DO NOTHING RETURNING id`,
        [ctx.request.id, view.key, `${view.person.firstName} ${view.person.lastName}`, input.expression, comment, ctx.signer.id],
      )) as unknown[];
      if (res.length) {
        await this.log.record(em, ctx.request, 'view_recorded', signerActor(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { viewKey: view.key, expression: input.expression } });
        return;
      }
      await this.correctView(em, ctx, view.key, input.expression, comment, ev);
    });
  }

  /**
   * A later signer who may record the person's view (the second parent…) adds her own account of it
   * when another signer recorded it first (C. civ. 371-1 al. 4: both parents associate the child to
   * the decision, according to her age and maturity; CASF L.311-4: the minor's view is sought). It is
   * hers, beside the first one's, which it never changes (recorded_views.accounts); she may correct it
   * until she signs or refuses, as the view itself. Optional: a disagreement still goes through a
   * question or a refusal. Its own event (`view_account_added`), in the evidence and the audit chain.
   */
  async addViewAccount(ctx: PortalContext, input: { viewKey: string; account?: string }, ev: EventContext): Promise<void> {
    assertCodeGiven(ctx);
    const view = ctx.views.find((v) => v.key === input.viewKey);
    if (!view) throw new DomainError('forbidden', 'VIEW_NOT_YOURS', 'Vous n’avez pas à recueillir cet avis.');
    if (ctx.waitingFor.length) throw notYourTurn(ctx);
    const account = input.account?.trim() ?? '';
    const summary = 'Votre compte rendu n’a pas été enregistré.';
    if (!account) throw new ValidationError([{ field: 'account', code: 'REQUIRED', message: 'Écrivez votre compte rendu, ou signez sans en ajouter : il est facultatif.' }], summary);
    if (account.length > 2000) throw new ValidationError([{ field: 'account', code: 'TOO_LONG', message: 'Votre compte rendu dépasse 2 000 caractères.' }], summary);
    assertSignerText(account, 'account', summary);
    await this.tx.run(async (em) => {
      await this.assertActive(em, ctx);
      const [current] = (await em.query(`SELECT id, recorded_by_signer_id AS "by", accounts FROM recorded_views WHERE request_id = $1 AND view_key = $2 FOR UPDATE`, [
        ctx.request.id,
        view.key,
      ])) as { id: string; by: string | null; accounts: ViewAccount[] }[];
      const person = ofName(`${view.person.firstName} ${view.person.lastName}`);
      if (!current) throw new ConflictError('VIEW_NOT_RECORDED', `L’avis ${person} n’est pas encore enregistré : indiquez-le d’abord, avec ce que vous avez noté.`);
      if (current.by === ctx.signer.id) throw new ConflictError('VIEW_RECORDED_BY_YOU', `Vous avez enregistré l’avis ${person} : corrigez-le, avec ce que vous avez noté, tant que vous n’avez pas signé.`);
      const [signer] = (await em.query(`SELECT status FROM signature_signers WHERE id = $1`, [ctx.signer.id])) as { status: string }[];
      if (signer?.status !== 'pending') throw new ConflictError('VIEW_FIXED_AFTER_SIGNATURE', 'Vous avez déjà répondu : votre compte rendu ne peut plus être modifié.');
      const corrected = current.accounts.some((a) => a.signerId === ctx.signer.id);
      const mine: ViewAccount = { signerId: ctx.signer.id, byName: `${ctx.signer.firstName} ${ctx.signer.lastName}`, comment: account, at: new Date().toISOString() };
      // Hers replaced in place (a correction), else added after the others'.
      const accounts = corrected ? current.accounts.map((a) => (a.signerId === ctx.signer.id ? mine : a)) : [...current.accounts, mine];
      await em.query(`UPDATE recorded_views SET accounts = $2::jsonb WHERE id = $1`, [current.id, JSON.stringify(accounts)]);
      await this.log.record(em, ctx.request, 'view_account_added', signerActor(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { viewKey: view.key, corrected } });
    });
  }

  /** Inside recordView's transaction, the request row locked (a signature waits for it). */
  private async correctView(em: EntityManager, ctx: PortalContext, viewKey: string, expression: string, comment: string | null, ev: EventContext): Promise<void> {
    const [current] = (await em.query(
      `SELECT v.id, v.expression, v.person_name AS "personName", v.recorded_by_signer_id AS "by", b.first_name || ' ' || b.last_name AS "byName"
         FROM recorded_views v LEFT JOIN signature_signers b ON b.id = v.recorded_by_signer_id
        WHERE v.request_id = $1 AND v.view_key = $2 FOR UPDATE OF v`,
      [ctx.request.id, viewKey],
    )) as { id: string; expression: string; personName: string; by: string | null; byName: string | null }[];
    // Another signer (the other parent…) recorded it first: say who and what, and that signing is what remains.
    if (current.by !== ctx.signer.id)
      throw new ConflictError(
        'VIEW_ALREADY_RECORDED',
        `L’avis ${ofName(current.personName)} a déjà été enregistré${current.byName ? ` par ${current.byName}` : ''} : « ${VIEW_EXPRESSION_LABELS[current.expression] ?? current.expression} ». Il n’est pas modifié ; vous pouvez signer.`,
      );
    const [signer] = (await em.query(`SELECT status FROM signature_signers WHERE id = $1`, [ctx.signer.id])) as { status: string }[];
    if (signer.status !== 'pending') throw new ConflictError('VIEW_FIXED_AFTER_SIGNATURE', 'Vous avez déjà répondu : l’avis enregistré ne peut plus être modifié.');
    await em.query(`UPDATE recorded_views SET expression = $2, comment = $3, recorded_at = now() WHERE id = $1`, [current.id, expression, comment]);
    await this.log.record(em, ctx.request, 'view_corrected', signerActor(ctx.signer), {
      signerId: ctx.signer.id,
      ctx: ev,
      details: { viewKey, expression, previousExpression: current.expression },
    });
  }

  /**
   * Signing is a single-use, atomic state change: `UPDATE … WHERE status = 'pending' RETURNING`.
   * Of concurrent submissions exactly one signs; the others are told it is already done.
   */
  async sign(ctx: PortalContext, input: { typedName: string; consent: boolean; drawnSignature?: string | null }, ev: EventContext): Promise<void> {
    assertCodeGiven(ctx);
    // Read first (issue 13, item 3): the sign page offers the form only then, and a form posted
    // without it is refused. Already answered: said by the atomic update below.
    if (ctx.signer.status === 'pending' && !(await this.reads.hasRead(ctx)))
      throw new ConflictError('READ_FIRST', 'Avant de signer, ouvrez le document et lisez-le : le bouton « Lire le document » est sur la page d’accueil.');
    const errors: FieldError[] = [];
    if (!input.consent) errors.push({ field: 'consent', code: 'CONSENT_REQUIRED', message: 'Cochez la case pour confirmer que vous avez lu le document et que vous le signez.' });
    const expected = `${ctx.signer.firstName} ${ctx.signer.lastName}`;
    if (!cleanTypedName(input.typedName ?? '')) errors.push({ field: 'typedName', code: 'REQUIRED', message: `Écrivez votre nom complet : ${expected}.` });
    else if (normaliseName(input.typedName) !== normaliseName(expected))
      errors.push({ field: 'typedName', code: 'NAME_MISMATCH', message: `Le nom écrit doit être celui de la personne qui signe : ${expected}.` });
    if (input.drawnSignature && !/^data:image\/png;base64,[A-Za-z0-9+/=]{20,200000}$/.test(input.drawnSignature))
      errors.push({ field: 'drawnSignature', code: 'INVALID', message: 'La signature dessinée n’a pas pu être lue ; vous pouvez signer sans elle.' });
    if (errors.length) throw new ValidationError(errors, 'La signature n’a pas été enregistrée.');
    const missingView = ctx.views.find((v) => !v.recorded);
    // Whose turn first: a signer whose turn has not come may not give the view either (recordView).
    if (ctx.waitingFor.length) throw notYourTurn(ctx);
    if (missingView)
      throw new ConflictError('VIEW_REQUIRED_FIRST', `Avant de signer, indiquez l’avis ${ofName(`${missingView.person.firstName} ${missingView.person.lastName}`)}.`);
    await this.tx.run(async (em) => {
      const request = await this.assertActive(em, ctx);
      await assertResidenceNotDisputed(em, request, 'signer');
      const now = new Date();
      // « Avec témoin » only when a witness statement was recorded before the signature (C. civ. 1367:
      // the evidence says what happened, nothing more).
      const authMethod: AuthMethod =
        ctx.signer.delivery === 'in_person'
          ? (await this.witnessRecorded(em, ctx.signer.id))
            ? 'in_person_witnessed'
            : 'in_person'
          : ctx.signer.accessCodeRequired
            ? 'email_link+access_code'
            : 'email_link';
      const res = returnedRows(
        await em.query(
          `UPDATE signature_signers SET status = 'signed', acted_at = $2, typed_name = $3, drawn_signature = $4, auth_method = $5, ip = $6, user_agent = $7
            WHERE id = $1 AND status = 'pending' RETURNING id`,
          [ctx.signer.id, now, cleanTypedName(input.typedName), input.drawnSignature ?? null, authMethod, ev.ip ?? null, ev.userAgent?.slice(0, 400) ?? null],
        ),
      );
      if (!res.length) throw new ConflictError('SIGNER_ALREADY_ACTED', 'Votre réponse est déjà enregistrée.');
      if (ctx.link) await this.links.consume(em, ctx.link.id, now);
      await this.log.record(em, request, 'signed', signerActor(ctx.signer), {
        signerId: ctx.signer.id,
        ctx: ev,
        details: {
          versionHash: request.versionHash,
          pdfSha256: request.pdfSha256,
          authMethod,
          drawn: Boolean(input.drawnSignature),
          // The sentence the signer ticked, in their capacity (issue 13, item 2).
          // In easy-to-read French for a FALC reader, as the sign page showed it (portal.views signPage).
          consent: consentSentence(ctx.signer, ctx.residentName, ctx.document.type, { easyToRead: ctx.preferences.easyToRead }),
        },
      });
      await this.progress.afterSignature(em, request);
    });
  }

  /** Read under the request's lock, as staff record it (signer-actions recordWitness). */
  private async witnessRecorded(em: EntityManager, signerId: string): Promise<boolean> {
    const [row] = (await em.query(`SELECT witness IS NOT NULL AS witnessed FROM signature_signers WHERE id = $1`, [signerId])) as { witnessed: boolean }[];
    return Boolean(row?.witnessed);
  }

  /**
   * A refusal by a required signer ends the request; refused before one's turn in sequential mode (NOT_YOUR_TURN). For a contrat de séjour refused by the person
   * or her representative the document is refused and the DIPC is then required (CASF D.311); a
   * curateur's refusal to assist, and any other document, leave the document to be sent again.
   */
  async refuse(ctx: PortalContext, input: { reason?: string }, ev: EventContext): Promise<void> {
    if (this.sessions.needsCode(ctx)) throw new DomainError('forbidden', 'ACCESS_CODE_REQUIRED', 'Saisissez d’abord le code donné par l’établissement.');
    // Sequential mode (« Chacun à son tour »): one answers at one's turn, a refusal as a signature —
    // a later signer refusing first would end the request for the one whose turn it is (the other
    // parent, C. civ. 372) before she was even asked. Whatever link opened the session (one given
    // before the turn rule, an in-person session, an answer's link): the turn is checked here, at
    // the act. The turn only advances (a signature is never undone), so the context read before
    // the transaction can only be stricter than the rows.
    if (ctx.waitingFor.length) throw notYourTurn(ctx);
    const reason = input.reason?.trim() ? input.reason.trim().slice(0, 2000) : null;
    assertSignerText(reason, 'reason', 'Votre réponse n’a pas été enregistrée.');
    await this.tx.run(async (em) => {
      const request = await this.assertActive(em, ctx);
      const now = new Date();
      const res = returnedRows(
        await em.query(
          `UPDATE signature_signers SET status = 'refused', acted_at = $2, refusal_reason = $3, ip = $4, user_agent = $5 WHERE id = $1 AND status = 'pending' RETURNING id`,
          [ctx.signer.id, now, reason, ev.ip ?? null, ev.userAgent?.slice(0, 400) ?? null],
        ),
      );
      if (!res.length) throw new ConflictError('SIGNER_ALREADY_ACTED', 'Votre réponse est déjà enregistrée.');
      if (ctx.link) await this.links.consume(em, ctx.link.id, now);
      const optional = ctx.signer.optional;
      const assistance = assistsThePerson(request.policy, ctx.signer.key);
      if (!optional) {
        // The request is closed: no link of it opens a session any more (openLink wants an active
        // request). The links are not revoked, so that the sessions already open show the signers
        // the outcome ("refused", "closed") instead of ending: nobody can act in them any more.
        await em.update(SignatureRequestEntity, { id: request.id }, { status: 'refused', closedAt: now });
        // CASF D.311: the contract refused by the person or her legal representative gives way to a
        // DIPC. A curateur refusing to assist her is not that (assistance-refusal.ts, C. civ. 469):
        // the contract stays ready, to be sent again (the curateur may change his mind; the judge may
        // authorise her to act alone, which the file does not record yet).
        if (request.policy.documentType === 'contrat-sejour' && !assistance) await this.lifecycle.markRefused(em, request.documentId, now);
        else await this.lifecycle.markReady(em, request.documentId, now);
      }
      await this.log.record(em, request, 'refused', signerActor(ctx.signer), {
        signerId: ctx.signer.id,
        ctx: ev,
        details: { withReason: Boolean(reason), optional, ...(assistance ? { assistanceRefused: true } : {}) },
      });
      await this.outbox.enqueue(em, 'notify.staff', { requestId: request.id, kind: 'refusal', signerId: ctx.signer.id }, { key: `refusal_${ctx.signer.id}`, organisationId: request.organisationId });
      // An optional countersignature declined after the document was established (CASF D.311 II): the window may close.
      if (optional) await this.progress.afterOptionalRefusal(em, request);
    });
  }

  /**
   * A question to the establishment, while the signer may still answer: the request is active, the
   * signer is pending and the session was opened by a signing link (a download link's session, after
   * the seal, only reads). At most MAX_UNANSWERED_QUESTIONS wait for an answer at once, counted under
   * the request's lock (concurrent questions are serialised); staff are e-mailed at most once per
   * signer and hour (the outbox key), the console lists every question. A refusal writes nothing.
   */
  async ask(ctx: PortalContext, message: string, ev: EventContext): Promise<void> {
    assertCodeGiven(ctx);
    if (!canAsk(ctx)) throw askClosed(ctx);
    const text = message?.trim();
    if (!text) throw new ValidationError([{ field: 'message', code: 'REQUIRED', message: 'Écrivez votre question.' }], 'La question est vide.');
    if (text.length > 2000) throw new ValidationError([{ field: 'message', code: 'TOO_LONG', message: 'Votre question dépasse 2 000 caractères.' }], 'La question est trop longue.');
    assertSignerText(text, 'message', 'La question n’a pas été envoyée.');
    await this.tx.run(async (em) => {
      const request = await this.assertActive(em, ctx, QUESTIONS_CLOSED);
      // Under the request's lock, which signing and refusing take too: the signer's status is current.
      const [signer] = (await em.query(`SELECT status FROM signature_signers WHERE id = $1`, [ctx.signer.id])) as { status: string }[];
      if (signer?.status !== 'pending') throw new ConflictError('SIGNER_ALREADY_ACTED', ANSWERED_NO_QUESTIONS);
      const [{ n }] = (await em.query(`SELECT count(*)::int AS n FROM signer_questions WHERE request_id = $1 AND signer_id = $2 AND answered_at IS NULL`, [
        request.id,
        ctx.signer.id,
      ])) as { n: number }[];
      if (n >= MAX_UNANSWERED_QUESTIONS) throw new ConflictError('TOO_MANY_QUESTIONS', TOO_MANY_QUESTIONS);
      const q = em.create(SignerQuestionEntity, { requestId: request.id, signerId: ctx.signer.id, message: text, askedAt: new Date(), answeredAt: null, answeredBy: null, answer: null });
      await em.insert(SignerQuestionEntity, q as never);
      await this.log.record(em, request, 'question', signerActor(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { questionId: q.id } });
      // One e-mail per signer and clock hour: it names the signer, not the question (the console lists them all).
      const hour = Math.floor(Date.now() / QUESTION_NOTICE_PERIOD_MS);
      await this.outbox.enqueue(em, 'notify.staff', { requestId: request.id, kind: 'question', signerId: ctx.signer.id }, { key: `question_${ctx.signer.id}_${hour}`, organisationId: request.organisationId });
    });
  }

  /**
   * Under the request's lock, which every revocation takes too (resend, in-person, cancel, expiry,
   * reminder): the request is still in progress and the session's link was not revoked since the
   * context was loaded.
   */
  private async assertActive(em: EntityManager, ctx: PortalContext, closed = 'Cette demande de signature est close.'): Promise<SignatureRequestEntity> {
    const r = await this.repo.lockRequest(em, ctx.request.id);
    if (!r || r.status !== 'active') throw new ConflictError('SIGNATURE_REQUEST_CLOSED', closed);
    const link = ctx.link && (await this.links.byId(em, ctx.link.id));
    if (ctx.link && (!link || !isLinkLive({ link }))) throw new PortalSessionExpiredError();
    return r;
  }
}

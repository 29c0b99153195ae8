import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { RetentionService } from '@carepact/archive';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DomainError, ForbiddenError, NotFoundError, ValidationError, isoFromFrenchDate } from '@carepact/common';
import { CONTRACT_ALREADY_IN_FORCE, DocumentsService, archiveState, residentArchivedOf } from '@carepact/documents';
import { StaffActor, StaffService, assertCan, auditActor, can } from '@carepact/identity';
import { TransactionRunner } from '@carepact/database';
import { ResidentsService } from '@carepact/residents';
import {
  CONTRACT_SIGNED_FOR_THE_STAY,
  DipcOfferService,
  DocumentVisaService,
  OtherParentService,
  PaperSignaturesService,
  PolicyDecision,
  RequestViews,
  SignatureRequestsService,
  SignerActionsService,
  SoleSignatureService,
} from '@carepact/signing';
import type { Request, Response } from 'express';
import { EntityManager } from 'typeorm';
import { clientIp } from '../../http/client-ip';
import { validateBody } from '../../http/validation';
import { AnswerDto } from '../../signing/signing.controller';
import { VisaDecisionDto } from '../../documents/document-visa.controller';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { FormBody, actorOf, formBody } from '../console-request';
import { Flash, setFlash, takeFlash } from './console-flash';
import { FieldChange, diffData } from './document-diff';
import { ActionError, DocumentPageModel, FLASH_ID, directorSignedMessage, documentPage } from './document-page.views';
import { DISCARD_CONFIRM_FIELD, DiscardPageModel, discardPage } from './discard.views';
import { holdAuthorNames } from '../retention/hold-authors';
import { SOLE_SIGNATURE_FORM } from './sole-signature.views';
import { OTHER_PARENT_FORM } from './other-parent.views';
import { cancelRequestPage } from './cancel-request.views';

/** What the page shows again after a refused action: the message, and the form's values. */
interface Refusal {
  error: ActionError;
  values?: FormBody;
}

/**
 * A document in the console (items 3, 4 and 6 of issue 10): its state and generation, its
 * versions with their differences and files, who will sign and why, the sending, the tracking of
 * each signer and the staff's actions — each action a POST with the console's CSRF token calling
 * the same service as the JSON API (DocumentsService, SignatureRequestsService,
 * SignerActionsService, DipcOfferService), answered by a 303 to this page, or this page again
 * with the service's French message when it refused.
 */
@ApiExcludeController()
@Controller('console/documents/:id')
export class DocumentPageController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly documents: DocumentsService,
    private readonly residents: ResidentsService,
    private readonly requests: SignatureRequestsService,
    private readonly views: RequestViews,
    private readonly signers: SignerActionsService,
    private readonly dipc: DipcOfferService,
    private readonly visa: DocumentVisaService,
    private readonly retention: RetentionService,
    private readonly staff: StaffService,
    private readonly tx: TransactionRunner,
    private readonly sole: SoleSignatureService,
    private readonly otherParent: OtherParentService,
    private readonly paper: PaperSignaturesService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const doc = await this.documents.get(actor, id);
    const flash = takeFlash(req, res, this.config.secrets.session, actor, doc.id);
    await this.render(res, actor, id, 200, { flash });
  }

  @Post('relancer')
  async retry(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.act(req, res, id, async (actor) => {
      await this.documents.retryGeneration(actor, id);
      return { kind: 'done', message: 'La génération a été relancée.' };
    });
  }

  /**
   * « Abandonner ce projet », first this page: why the draft can no longer be concluded, what the
   * abandonment does, its button. A document that is not (or no longer) a draft to abandon — already
   * abandoned, after a back or a refresh — answers a 303 to its page, which says who abandoned it and when.
   */
  @Get('abandonner')
  async discardConfirmation(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const why = await this.discardable(actor, id);
    if (!why) return redirectTo(res, `/console/documents/${id}`);
    await this.discardForm(res, actor, id, 200, why, null);
  }

  /**
   * The confirmation's POST: a draft that can no longer be concluded — a contrat de séjour whose stay
   * has another contract signed (CASF L.311-4, D.311), or any draft of a deceased person (C. civ. 443
   * al. 1) — is closed by the service, audited `document.discarded` (DocumentsService.discardSupersededContract).
   * Without the confirmation page's field, that page again (400): never one click from the document.
   */
  @Post('abandonner')
  async discard(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.act(
      req,
      res,
      id,
      async (actor, body) => {
        if (body[DISCARD_CONFIRM_FIELD] !== 'oui') {
          const why = await this.discardable(actor, id);
          // Nothing to confirm (already abandoned, or still to be concluded): its page says where it stands.
          if (!why) redirectTo(res, `/console/documents/${id}`);
          else await this.discardForm(res, actor, id, 400, why, 'Confirmez l’abandon avec le bouton « Confirmer l’abandon du projet » : rien n’a été modifié.');
          return null;
        }
        const done = await this.documents.discardSupersededContract(actor, id);
        return {
          kind: 'done',
          message: done.contractInForceId
            ? 'Le projet de contrat est abandonné : il reste consultable, mais ne peut plus être corrigé ni envoyé en signature.'
            : 'Le projet est abandonné : il reste consultable, mais ne peut plus être corrigé ni envoyé en signature.',
        };
      },
      'discard',
    );
  }

  /** « Envoyer en signature »: the form's choices as POST /api/documents/:id/signature-requests takes them. */
  @Post('envoyer')
  async send(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.act(
      req,
      res,
      id,
      async (actor, body) => {
        const decision = await this.requests.preview(actor, id);
        const delivery: Record<string, { method?: 'email' | 'in_person'; accessCode?: boolean }> = {};
        for (const s of decision.signers.filter((x) => x.role !== 'director')) {
          const method = body[`method.${s.key}`];
          delivery[s.key] = {
            ...(method === 'email' || method === 'in_person' ? { method } : {}),
            accessCode: body[`code.${s.key}`] === 'oui',
          };
        }
        const deadline = (body.deadline ?? '').trim();
        if (deadline && !/^\d{4}-\d{2}-\d{2}$/.test(deadline))
          throw new ValidationError([{ field: 'deadline', code: 'INVALID_DATE', message: 'Indiquez une date (JJ/MM/AAAA).' }]);
        const reminders = (body.reminderDays ?? '').split(/[\s,;]+/).filter(Boolean);
        if (reminders.some((r) => !/^\d{1,2}$/.test(r)))
          throw new ValidationError([{ field: 'reminderDays', code: 'INVALID', message: 'Indiquez des nombres de jours séparés par des virgules, par exemple « 3, 7 ».' }]);
        await this.requests.create(actor, id, {
          ...(body.lateReason?.trim() ? { lateReason: body.lateReason.trim() } : {}),
          mode: body.mode === 'sequential' ? 'sequential' : 'parallel',
          ...(deadline ? { deadline } : {}),
          reminderDays: reminders.map(Number),
          delivery,
        });
        return { kind: 'done', message: 'Le document est envoyé en signature. Le suivi de chaque signataire est ci-dessous.' };
      },
      'send',
    );
  }

  /** « Annuler la demande de signature »: first this page, which says what is lost and asks why. */
  @Get('demandes/:requestId/annuler')
  async cancelConfirmation(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('requestId', ParseIdPipe) requestId: string): Promise<void> {
    const actor = actorOf(req);
    const r = await this.ownRequest(actor, id, requestId);
    const doc = await this.documents.get(actor, id);
    if (!can(actor, 'signature.manage', doc.establishmentId)) throw new ForbiddenError();
    sendHtml(res, 200, cancelRequestPage({ actor, csrf: consoleCsrfToken(this.config.secrets.session, actor), documentType: doc.type, documentSubtype: doc.subtype, request: r, reason: '', error: null }));
  }

  /** The confirmation's POST: the reason is required here (recorded on the audit event); without it, the confirmation page again (400). */
  @Post('demandes/:requestId/annuler')
  async cancel(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('requestId', ParseIdPipe) requestId: string): Promise<void> {
    await this.act(req, res, id, async (actor, body) => {
      const r = await this.ownRequest(actor, id, requestId);
      try {
        await this.requests.cancel(actor, requestId, { reason: typeof body.reason === 'string' ? body.reason : null, reasonRequired: true });
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        const doc = await this.documents.get(actor, id);
        const error = e.details.find((d) => d.field === 'reason') ?? { field: 'reason', code: e.code, message: e.messageFr };
        const reason = typeof body.reason === 'string' ? body.reason : '';
        sendHtml(res, 400, cancelRequestPage({ actor, csrf: consoleCsrfToken(this.config.secrets.session, actor), documentType: doc.type, documentSubtype: doc.subtype, request: r, reason, error }));
        return null;
      }
      return { kind: 'done', message: 'La demande de signature est annulée : les liens envoyés ne fonctionnent plus. Les personnes qui l’avaient reçue en sont prévenues par e-mail.' };
    });
  }

  /** « Relancer le scellement » after a seal that failed for good (as POST /api/signature-requests/:id/seal-retry). */
  @Post('demandes/:requestId/sceller')
  async retrySeal(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('requestId', ParseIdPipe) requestId: string): Promise<void> {
    await this.act(req, res, id, async (actor) => {
      await this.ownRequest(actor, id, requestId);
      await this.requests.retrySeal(actor, requestId);
      return { kind: 'done', message: 'Le scellement est relancé : le PDF signé sera prêt dans quelques instants.' };
    });
  }

  /** The director's countersignature from the console session (signed by the account, nothing typed). */
  @Post('demandes/:requestId/contresigner')
  async countersign(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('requestId', ParseIdPipe) requestId: string): Promise<void> {
    await this.act(
      req,
      res,
      id,
      async (actor, body) => {
        await this.ownRequest(actor, id, requestId);
        // A binding signature is never one click: the box naming the version must be ticked.
        if (body.confirm !== 'oui')
          throw new ValidationError([{ field: 'confirm', code: 'COUNTERSIGN_NOT_CONFIRMED', message: 'Cochez la case pour confirmer que vous signez ce document pour l’établissement.' }]);
        // The version the box named (its hidden field): the service refuses another than the request's (COUNTERSIGN_VERSION_MISMATCH).
        const after = await this.signers.countersign(actor, requestId, { ip: clientIp(req), userAgent: req.get('user-agent') ?? null }, { confirm: true, version: body.version });
        // A DIPC (or an avenant to it) is established by this signature, not countersigned (CASF D.311 II, VII).
        return { kind: 'done', message: directorSignedMessage((await this.documents.get(actor, id)).type, after) };
      },
      `countersign-${requestId}`,
    );
  }

  /** The established document handed over in person (CASF D.311 III), as POST /api/signature-requests/:id/handover. */
  @Post('demandes/:requestId/remise/:recipientKey')
  async handover(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIdPipe) id: string,
    @Param('requestId', ParseIdPipe) requestId: string,
    @Param('recipientKey') recipientKey: string,
  ): Promise<void> {
    await this.act(
      req,
      res,
      id,
      async (actor, body) => {
        await this.ownRequest(actor, id, requestId);
        await this.signers.recordHandover(actor, requestId, { recipientKey, handedOn: (body.handedOn ?? '').trim(), how: body.how ?? '' });
        return { kind: 'done', message: 'La remise du document est enregistrée.' };
      },
      `handover-${recipientKey}`,
    );
  }

  @Post('demandes/:requestId/signataires/:signerId/renvoyer')
  async resend(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIdPipe) id: string,
    @Param('requestId', ParseIdPipe) requestId: string,
    @Param('signerId', ParseIdPipe) signerId: string,
  ): Promise<void> {
    await this.act(
      req,
      res,
      id,
      async (actor, body) => {
        await this.ownRequest(actor, id, requestId);
        const email = (body.email ?? '').trim();
        if (email && (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)))
          throw new ValidationError([{ field: 'email', code: 'INVALID_EMAIL', message: 'Adresse e-mail non valable.' }]);
        await this.signers.resend(actor, requestId, signerId, email || undefined);
        return { kind: 'done', message: email ? `Un nouveau lien est envoyé à ${email} ; l’ancien ne fonctionne plus.` : 'Un nouveau lien est envoyé ; l’ancien ne fonctionne plus.' };
      },
      `signer-${signerId}`,
    );
  }

  @Post('demandes/:requestId/signataires/:signerId/code')
  async accessCode(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIdPipe) id: string,
    @Param('requestId', ParseIdPipe) requestId: string,
    @Param('signerId', ParseIdPipe) signerId: string,
  ): Promise<void> {
    await this.act(req, res, id, async (actor) => {
      const r = await this.ownRequest(actor, id, requestId);
      const code = await this.signers.issueAccessCode(actor, requestId, signerId);
      return { kind: 'code', signer: r.signers.find((s) => s.id === signerId)?.name ?? 'le signataire', code: code.code, expiresAt: code.expiresAt };
    });
  }

  @Post('demandes/:requestId/signataires/:signerId/en-presence')
  async inPerson(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIdPipe) id: string,
    @Param('requestId', ParseIdPipe) requestId: string,
    @Param('signerId', ParseIdPipe) signerId: string,
  ): Promise<void> {
    await this.act(req, res, id, async (actor) => {
      const r = await this.ownRequest(actor, id, requestId);
      const session = await this.signers.openInPerson(actor, requestId, signerId, this.config.http.publicUrl);
      return { kind: 'in_person', signer: r.signers.find((s) => s.id === signerId)?.name ?? 'le signataire', url: session.url, expiresAt: session.expiresAt };
    });
  }

  /** After a refused contract: the DIPC the law requires (CASF D.311), created from it; 303 to the new document. */
  @Post('demandes/:requestId/dipc')
  async createDipc(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('requestId', ParseIdPipe) requestId: string): Promise<void> {
    const actor = actorOf(req);
    checkConsoleCsrf(this.config.secrets.session, actor, formBody(req)._csrf);
    try {
      await this.ownRequest(actor, id, requestId);
      const created = await this.dipc.createFromRefusal(actor, requestId);
      redirectTo(res, `/console/documents/${created.id}`);
    } catch (e) {
      await this.refuse(res, actor, id, e);
    }
  }

  /** The internal visa (issue 10, item 3): approve, or refuse with a reason, as POST /api/documents/:id/visa. */
  @Post('visa')
  async decideVisa(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.act(
      req,
      res,
      id,
      async (actor, body) => {
        const checked = await validateBody(VisaDecisionDto, { decision: body.decision, ...(body.reason?.trim() ? { reason: body.reason } : {}) });
        if (checked.errors) throw new ValidationError(checked.errors);
        const v = await this.visa.decide(actor, id, checked.dto);
        return { kind: 'done', message: v.state === 'approved' ? 'Visa accordé : le document peut être envoyé en signature.' : 'Visa refusé : votre remarque est affichée sur la page du document.' };
      },
      'visa',
    );
  }

  /**
   * After the curateur refused to assist the person: the judge's ordonnance authorising her to sign
   * alone (C. civ. 469 al. 3), as POST /api/documents/:id/sole-signature-authorisation. The date may
   * be typed JJ/MM/AAAA (a browser without a date picker shows a text field).
   */
  @Post('autorisation-juge')
  async recordSoleSignature(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.act(
      req,
      res,
      id,
      async (actor, body) => {
        await this.sole.record(actor, id, {
          court: body.court,
          decisionDate: isoFromFrenchDate((body.decisionDate ?? '').trim()),
          reference: body.reference,
          note: body.note,
        });
        return { kind: 'done', message: 'L’autorisation du juge est enregistrée : la personne signera seule. Prochaine étape : envoyer le document à la signature.' };
      },
      SOLE_SIGNATURE_FORM,
    );
  }

  /**
   * « Autre parent informé » (C. civ. 373-2-1 al. 5), as POST /api/documents/:id/other-parent-informed:
   * the service checks signature.manage in the document's establishment (404 out of the reader's
   * establishments, 403 without it), that the law calls for it, and each field. The date may be typed
   * JJ/MM/AAAA (a browser without a date picker shows a text field).
   */
  @Post('autre-parent-informe')
  async recordOtherParentInformed(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.act(
      req,
      res,
      id,
      async (actor, body) => {
        await this.otherParent.record(actor, id, {
          informedOn: isoFromFrenchDate((body.informedOn ?? '').trim()),
          how: body.how ?? '',
          note: body.note ?? '',
        });
        return { kind: 'done', message: 'L’information de l’autre parent est enregistrée (C. civ. 373-2-1 al. 5).' };
      },
      OTHER_PARENT_FORM,
    );
  }

  /** Answers a signer's question, as POST /api/signature-requests/:id/questions/:q/answer; a second answer is a new event. */
  @Post('demandes/:requestId/questions/:questionId/repondre')
  async answer(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIdPipe) id: string,
    @Param('requestId', ParseIdPipe) requestId: string,
    @Param('questionId', ParseIdPipe) questionId: string,
  ): Promise<void> {
    await this.act(
      req,
      res,
      id,
      async (actor, body) => {
        await this.ownRequest(actor, id, requestId);
        const checked = await validateBody(AnswerDto, { answer: (body.answer ?? '').trim() || undefined });
        if (checked.errors) throw new ValidationError(checked.errors.map((e) => ({ ...e, message: e.code === 'REQUIRED' ? 'Écrivez la réponse à transmettre.' : e.message })));
        const { notified } = await this.signers.answerQuestion(actor, requestId, questionId, checked.dto.answer);
        return {
          kind: 'done',
          message: notified
            ? 'Réponse enregistrée : un e-mail envoie à la personne un nouveau lien pour la lire avec le document (les liens précédents ne fonctionnent plus).'
            : 'Réponse enregistrée. La personne ne signe pas par e-mail ou a déjà répondu : transmettez-lui la réponse de vive voix ou par téléphone.',
        };
      },
      `question-${questionId}`,
    );
  }

  /** A refusal read and handled (as POST …/acknowledge-refusal): it leaves « À faire ». */
  @Post('demandes/:requestId/signataires/:signerId/refus-traite')
  async acknowledgeRefusal(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIdPipe) id: string,
    @Param('requestId', ParseIdPipe) requestId: string,
    @Param('signerId', ParseIdPipe) signerId: string,
  ): Promise<void> {
    await this.act(req, res, id, async (actor) => {
      await this.ownRequest(actor, id, requestId);
      await this.signers.acknowledgeRefusal(actor, requestId, signerId);
      return { kind: 'done', message: 'Le refus est marqué comme traité : il ne figure plus dans « À faire ».' };
    });
  }

  /**
   * A legal hold on this document (as POST /api/legal-holds with subjectType document; RGPD art.
   * 18.1.c): records.manage, a reason of 3 to 500 characters; the service audits it.
   */
  @Post('gels')
  async placeHold(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.act(
      req,
      res,
      id,
      async (actor, body) => {
        const reason = body.holdReason ?? '';
        await this.holdWrite(actor, id, 'holdReason', (em) => this.retention.placeHold(em, auditActor(actor), actor.organisationId, { subjectType: 'document', subjectId: id, reason }));
        return { kind: 'done', message: 'Le gel a été placé : ce document ne peut pas être supprimé tant qu’il n’est pas levé.' };
      },
      'hold',
    );
  }

  /** Lifts a hold on this document (only one placed on it), with its reason, as POST /api/legal-holds/:id/lift. */
  @Post('gels/:holdId/lever')
  async liftHold(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('holdId', ParseIdPipe) holdId: string): Promise<void> {
    await this.act(
      req,
      res,
      id,
      async (actor, body) => {
        const reason = body.liftReason ?? '';
        await this.holdWrite(actor, id, 'liftReason', (em) => this.retention.liftHold(em, auditActor(actor), actor.organisationId, holdId, reason, id));
        return { kind: 'done', message: 'Le gel a été levé.' };
      },
      'hold',
    );
  }

  // --- internals ---------------------------------------------------------------------------

  /**
   * A hold written in its transaction, as the API checks it: the document visible (404), then
   * records.manage (403); the service's reason error tied to the form's field.
   */
  private async holdWrite(actor: StaffActor, id: string, field: string, write: (em: EntityManager) => Promise<unknown>): Promise<void> {
    // The document's establishment's records manager (as the API and the resident's file): not anyone who manages records somewhere.
    const doc = await this.documents.get(actor, id);
    assertCan(actor, 'records.manage', doc.establishmentId);
    try {
      await this.tx.run(write);
    } catch (e) {
      if (e instanceof ValidationError) throw new ValidationError(e.details.map((d) => ({ ...d, field })), e.messageFr);
      throw e;
    }
  }

  /** `run` answers the flash of the redirect, or null when it has answered itself (a page of its own). */
  private async act(req: Request, res: Response, id: string, run: (actor: StaffActor, body: FormBody) => Promise<Flash | null>, form?: string): Promise<void> {
    const actor = actorOf(req);
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    try {
      const flash = await run(actor, body);
      if (!flash) return;
      setFlash(res, this.config.secrets.session, this.config.http.publicUrl.startsWith('https://'), actor, id, flash);
      // To the message itself, at the top of the page (as the journal's « Vérifier la chaîne »): an anchor lower down scrolled it out of view.
      redirectTo(res, `/console/documents/${id}#${FLASH_ID}`);
    } catch (e) {
      const { _csrf: _token, ...values } = body;
      await this.refuse(res, actor, id, e, form, values);
    }
  }

  /** A refusal of the service (invalid, conflict) shown on the page in French; anything else goes to the error pages. */
  private async refuse(res: Response, actor: StaffActor, id: string, e: unknown, form?: string, values?: FormBody): Promise<void> {
    if (!(e instanceof DomainError) || (e.kind !== 'invalid' && e.kind !== 'conflict')) throw e;
    const status = e.kind === 'invalid' ? 400 : 409;
    await this.render(res, actor, id, status, { refusal: { error: { message: e.messageFr, form, errors: e.details }, values } });
  }

  /** Why this document may be abandoned (the stay's signed contract, the person's death), or null: not a draft, or a living person's draft still to be concluded. */
  private async discardable(actor: StaffActor, id: string): Promise<DiscardPageModel['why'] | null> {
    const doc = await this.documents.get(actor, id);
    if (!can(actor, 'document.write', doc.establishmentId)) throw new ForbiddenError();
    if (doc.status !== 'ready' && doc.status !== 'generation_failed') return null;
    const inForce = await this.documents.contractInForceOver(actor, id);
    if (inForce) return { contractInForceId: inForce.id };
    const deceased = await this.documents.deceasedRefusals(actor, id);
    return deceased ? { deceasedOn: deceased.deceasedOn } : null;
  }

  private async discardForm(res: Response, actor: StaffActor, id: string, status: number, why: DiscardPageModel['why'], error: string | null): Promise<void> {
    const doc = await this.documents.get(actor, id);
    sendHtml(res, status, discardPage({ actor, csrf: consoleCsrfToken(this.config.secrets.session, actor), documentId: doc.id, documentType: doc.type, documentSubtype: doc.subtype, why, error }));
  }

  /** The request, checked to be one of this document's (a request of another document answers 404). */
  private async ownRequest(actor: StaffActor, documentId: string, requestId: string) {
    const r = await this.views.get(actor, requestId);
    if (r.documentId !== documentId) throw new NotFoundError('SIGNATURE_REQUEST_NOT_FOUND', 'Demande de signature introuvable.');
    return r;
  }

  private async render(res: Response, actor: StaffActor, id: string, status: number, extra: { flash?: Flash | null; refusal?: Refusal }): Promise<void> {
    const doc = await this.documents.get(actor, id);
    const archive = await archiveState(this.tx.manager, actor, doc.residentId);
    // In the intermediate archive, opened or not: no new signing act (SignatureRequestsService refuses it: RESIDENT_ARCHIVED).
    const signingClosed = residentArchivedOf(archive);
    const perms = {
      // Past the active base, the content only once the archive is opened (intermediate-archive.ts): the page shows the rest.
      content: can(actor, 'document.content', doc.establishmentId) && (!archive.archivedSince || !!archive.openUntil),
      residentFile: can(actor, 'resident.read', doc.establishmentId),
      write: can(actor, 'document.write', doc.establishmentId),
      manage: can(actor, 'signature.manage', doc.establishmentId),
      countersign: can(actor, 'signature.countersign', doc.establishmentId),
    };
    const resident = perms.residentFile ? await this.residents.get(actor, doc.residentId) : null;
    const residentName = resident ? `${resident.firstName} ${resident.lastName}` : null;
    // Past the legal deadline (CASF D.311), the send form asks why before anything is sent (issue 13, item 1).
    const legalNow = await this.requests.legalDeadlineFor(actor, id);
    const legal = resident ? legalNow : null;
    const lateSince = legal && legal <= new Date() ? legal : null;
    let changes: Map<string, FieldChange[]> | null = null;
    if (perms.content && doc.versions.length > 1) {
      const data = await this.documents.versionData(actor, id);
      changes = new Map(data.slice(1).map((v, i) => [v.versionId, diffData(doc.type, data[i].data, v.data)]));
    }
    const requests = await this.views.listForDocument(actor, id); // newest first
    const visa = await this.visa.view(actor, id);
    // A draft contract whose stay has another contract signed: neither corrected nor sent (CASF L.311-4, D.311), said as such.
    const contractInForce = await this.documents.contractInForceOver(actor, id);
    // After the person's death: what is still refused about this document (resident-deceased.ts), said instead of offered.
    const deceased = await this.documents.deceasedRefusals(actor, id);
    // Who abandoned it and when (its audit event).
    const discarded = doc.status === 'cancelled' ? await this.documents.discardedBy(actor, id) : null;
    let decision: PolicyDecision | null = null;
    // Whether the preview was asked for (null then: the policy refused to route it now).
    let previewed = false;
    let decisionRefusal: string | null = contractInForce && doc.status === 'ready' ? CONTRACT_SIGNED_FOR_THE_STAY : doc.status === 'ready' ? (deceased?.signature ?? null) : null;
    if (!contractInForce && !deceased?.signature && !signingClosed && doc.status === 'ready' && !requests.some((r) => r.status === 'active') && (visa.state === 'none' || visa.state === 'approved')) {
      previewed = true;
      try {
        decision = await this.requests.preview(actor, id);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        // Another contract of the stay is signed: this draft is never sent (CASF L.311-4, D.311), said as such.
        decisionRefusal = e.code === CONTRACT_ALREADY_IN_FORCE ? CONTRACT_SIGNED_FOR_THE_STAY : e.messageFr;
      }
    }
    // A request her death cancelled still takes the paper signed on or before that day (C. civ. 1121,
    // 443 al. 1): asked of the paper service (its `reopen`, from the cancellation it recorded), for whom
    // may deposit it, while nothing else was done with the document (PAPER_DOCUMENT_NOT_READY otherwise).
    const paperAfterDeath = new Map<string, string>();
    if (deceased && perms.manage && !signingClosed && doc.status === 'ready' && !requests.some((r) => r.status === 'active')) {
      for (const r of requests.filter((x) => x.status === 'cancelled' && !x.paper)) {
        const after = await this.paper.afterDeath(actor, r.id);
        if (after?.reopen) paperAfterDeath.set(r.id, after.deceasedOn);
      }
    }
    const dipcOffers = new Map<string, { reason: string; startDate: string | null }>();
    for (const r of requests.filter((x) => x.nextStep?.kind === 'create_dipc')) {
      // The offer carries the contract's content: not past the active base unless the archive is open to this reader (DipcOfferService refuses it too).
      if (!perms.write || (archive.archivedSince && !archive.openUntil)) break;
      const offer = await this.dipc.offer(actor, r.id);
      dipcOffers.set(r.id, { reason: String(offer.data.reason ?? ''), startDate: typeof offer.data.startDate === 'string' ? offer.data.startDate : null });
    }
    // After a curateur's refusal to assist her: the judge's authorisation to sign alone (C. civ. 469 al. 3).
    const soleSignature = requests.some((r) => r.assistanceRefused) ? await this.sole.view(actor, id) : null;
    // C. civ. 373-2-1 al. 5: whether the other parent is to be informed of this document, and the records that he was.
    const otherParent = await this.otherParent.view(actor, id, previewed ? decision : undefined);
    const manageHolds = can(actor, 'records.manage', doc.establishmentId);
    const holds = await this.retention.holds(this.tx.manager, actor.organisationId, { subjectId: [doc.id, doc.residentId], activeOnly: true });
    const documentHolds = holds.filter((h) => h.subjectId === doc.id);
    const personHolds = holds.filter((h) => h.subjectId === doc.residentId);
    const holdNames = manageHolds && documentHolds.length ? await holdAuthorNames(this.staff, actor) : new Map<string, string>();
    const model: DocumentPageModel = {
      doc,
      residentName,
      perms,
      archivedSince: archive.archivedSince && !archive.openUntil ? archive.archivedSince : null,
      signingClosed,
      contentArchived: can(actor, 'document.content', doc.establishmentId) && archive.archivedSince && !archive.openUntil ? archive.archivedSince : null,
      changes,
      decision,
      decisionRefusal,
      contractInForce,
      deceased,
      discarded,
      requests,
      paperAfterDeath,
      dipcOffers,
      flash: extra.flash ?? null,
      error: extra.refusal?.error ?? null,
      sendValues: extra.refusal?.values,
      lateSince,
      legalDeadlineNow: legalNow,
      visa,
      holds: { document: documentHolds, person: personHolds, names: holdNames, manage: manageHolds },
      soleSignature,
      otherParent,
    };
    sendHtml(res, status, documentPage(actor, consoleCsrfToken(this.config.secrets.session, actor), model));
  }
}

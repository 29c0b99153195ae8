import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { StaffActor } from '@carepact/identity';
import { ValidationError } from '@carepact/common';
import {
  DipcOfferService,
  MAX_PAPER_SIGNERS,
  MAX_SCAN_BYTES,
  MAX_SCAN_PAGES,
  PaperSignaturesService,
  RequestViews,
  SealedDownloadService,
  SignatureRequestsService,
  SignerActionsService,
} from '@carepact/signing';
import type { Request, Response } from 'express';
import { contentDisposition } from '../documents/documents.controller';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';
import { IsCalendarDate, IsDeliveryMap, SafeText } from '../http/validators';
import { clientIp } from '../http/client-ip';
import { readPdfBody } from '../http/pdf-body';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `signerIds=a,b` or `signerIds=a&signerIds=b`: the request's signers whose signature is on the paper. */
function signerIdsOf(raw: unknown): string[] {
  const ids = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (!ids.length) throw new ValidationError([{ field: 'signerIds', code: 'PAPER_SIGNERS_MISSING', message: 'Indiquez qui a signé le document papier (signerIds).' }]);
  if (ids.length > MAX_PAPER_SIGNERS || ids.some((id) => !UUID.test(id)))
    throw new ValidationError([{ field: 'signerIds', code: 'INVALID_ID', message: `Identifiants de signataires attendus (au plus ${MAX_PAPER_SIGNERS}), séparés par des virgules.` }]);
  return ids;
}

export class CreateSignatureRequestDto {
  @ApiPropertyOptional({ enum: ['parallel', 'sequential'], default: 'parallel' }) @IsOptional() @IsIn(['parallel', 'sequential'])
  mode?: 'parallel' | 'sequential';
  @ApiPropertyOptional({ description: 'Échéance (AAAA-MM-JJ) ; par défaut 30 jours, jamais au-delà du délai légal.' }) @IsOptional() @IsCalendarDate()
  deadline?: string;
  @ApiPropertyOptional({ type: [Number], default: [3, 7] }) @IsOptional() @IsArray() @ArrayMaxSize(5) @IsInt({ each: true }) @Min(1, { each: true }) @Max(60, { each: true })
  reminderDays?: number[];
  @ApiPropertyOptional({
    description:
      'Par clé de signataire (voir l’aperçu) : { "method": "email" | "in_person", "accessCode": true }. La direction contresigne toujours depuis la console.',
    example: { resident: { method: 'in_person' } },
  })
  @IsOptional()
  @IsDeliveryMap()
  delivery?: Record<string, { method?: 'email' | 'in_person'; accessCode?: boolean }>;
  @ApiPropertyOptional({ type: [String], description: 'Contacts proposés comme signataires : refusés s’ils n’ont pas qualité.' })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsUUID('all', { each: true })
  proposedContactIds?: string[];
  @ApiPropertyOptional({
    description:
      'Obligatoire quand le délai légal est dépassé (contrat de séjour signé dans le mois qui suit l’admission ; DIPC établi, signé par la direction et remis dans les quinze jours, sa contresignature étant facultative et sans délai ; premier avenant dans les six mois ; CASF D.311 II, III et V) : pourquoi la demande part en retard. Sans elle, la demande est refusée (409 SIGNATURE_REQUEST_LATE). La raison est conservée dans la demande et le journal d’audit.',
    example: 'Arrivée en urgence ; la curatrice n’a été nommée que le 20 novembre.',
  })
  @IsOptional() @IsString() @MinLength(3) @MaxLength(1000) @SafeText('text')
  lateReason?: string;
}

export class PreviewDto {
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(10) @IsUUID('all', { each: true })
  proposedContactIds?: string[];
  /** The order shown is the one the request of this mode would have (« chacun à son tour »: one after the other). */
  @ApiPropertyOptional({ enum: ['parallel', 'sequential'], default: 'parallel' }) @IsOptional() @IsIn(['parallel', 'sequential'])
  mode?: 'parallel' | 'sequential';
}

/**
 * The establishment's signature is binding: one call never makes it (C. civ. 1367). The body states
 * it explicitly and names the version signed, as the console's box does (« J’ai lu le document et
 * je le contresigne pour l’établissement (version N) »). Missing: 400 COUNTERSIGN_NOT_CONFIRMED;
 * another version than the request's (`versionNumber` of the request): 409 COUNTERSIGN_VERSION_MISMATCH.
 */
export class CountersignDto {
  @ApiProperty({ example: true, description: 'Obligatoire, `true` : « J’ai lu le document et je le contresigne pour l’établissement ». Absent ou autre : 400 COUNTERSIGN_NOT_CONFIRMED.' })
  @IsOptional() @IsBoolean()
  confirm?: boolean;
  @ApiProperty({ example: 1, description: 'Obligatoire : le numéro de la version contresignée, celle de la demande (`versionNumber`). Absent : 400 COUNTERSIGN_NOT_CONFIRMED ; une autre : 409 COUNTERSIGN_VERSION_MISMATCH.' })
  @IsOptional() @IsInt() @Min(1)
  version?: number;
}

export class ResendDto {
  @ApiPropertyOptional({ description: 'Adresse corrigée (facultatif).' }) @IsOptional() @IsEmail() @MaxLength(254)
  email?: string;
}

export class WitnessDto {
  @ApiProperty({ example: 'Lecture à voix haute de la version facile à lire, avec les pictogrammes.' }) @IsDefined() @IsString() @MinLength(3) @MaxLength(2000) @SafeText('text')
  explainedHow: string;
  @ApiProperty({ type: [String], example: ['Nadia Haddad (admissions)', 'Sylvie Martin (fille)'] })
  @IsDefined() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(200, { each: true }) @SafeText('name', { each: true })
  present: string[];
}

/** CASF D.311 III: the established document handed over in person (to the person under tutelle, a minor, anyone without an e-mail). */
export class HandoverDto {
  @ApiProperty({ example: 'resident', description: 'La clé du destinataire dans « handover.recipients » de la demande.' }) @IsDefined() @IsString() @MaxLength(200)
  recipientKey: string;
  @ApiProperty({ example: '2026-11-20' }) @IsDefined() @IsCalendarDate()
  handedOn: string;
  @ApiProperty({ example: 'En main propre, lors de l’entretien, avec la version facile à lire.' }) @IsDefined() @IsString() @MinLength(3) @MaxLength(500) @SafeText('text')
  how: string;
}

export class AnswerDto {
  @ApiProperty() @IsDefined() @IsString() @MinLength(1) @MaxLength(4000) @SafeText('text')
  answer: string;
}

/** Why a request is cancelled: optional here (programs written before it existed send no body), required by the console. */
export class CancelSignatureRequestDto {
  @ApiPropertyOptional({ description: 'Pourquoi la demande est annulée : enregistré dans le journal d’audit et affiché dans l’historique du document.', example: 'Erreur sur le tarif : le contrat sera corrigé puis renvoyé.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @SafeText('text')
  reason?: string;
}

@ApiTags('Signatures')
@ApiCookieAuth()
@Controller('api')
export class SigningController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly requests: SignatureRequestsService,
    private readonly views: RequestViews,
    private readonly signers: SignerActionsService,
    private readonly dipc: DipcOfferService,
    private readonly sealed: SealedDownloadService,
    private readonly paper: PaperSignaturesService,
  ) {}

  private ctx(req: Request) {
    return { ip: clientIp(req), userAgent: req.get('user-agent') ?? null };
  }

  @Post('documents/:id/signature-requests/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Qui doit signer, en quelle qualité, et pourquoi (politique de signature) — refus motivé sinon' })
  preview(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() dto: PreviewDto) {
    return this.requests.preview(actor, id, dto.proposedContactIds, dto.mode);
  }

  @Post('documents/:id/signature-requests')
  @ApiOperation({ summary: 'Envoyer la version courante en signature (signataires selon la mesure de protection)' })
  create(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() dto: CreateSignatureRequestDto) {
    return this.requests.create(actor, id, dto);
  }

  @Get('documents/:id/signature-requests')
  @ApiOperation({ summary: 'Demandes de signature du document' })
  list(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    return this.views.listForDocument(actor, id);
  }

  @Get('signature-requests/:requestId')
  @ApiOperation({ summary: 'État d’une demande : signataires, avis, questions, chronologie' })
  get(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string) {
    return this.views.get(actor, requestId);
  }

  @Post('signature-requests/:requestId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Annuler la demande (les liens ne fonctionnent plus) — refusé (409) une fois toutes les signatures requises recueillies ; `reason` facultatif, enregistré dans le journal d’audit' })
  cancel(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Body() dto: CancelSignatureRequestDto) {
    return this.requests.cancel(actor, requestId, { reason: dto?.reason ?? null });
  }

  @Post('signature-requests/:requestId/seal-retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Relancer le scellement qui a échoué (toutes les signatures sont là) : un nouveau travail de scellement, audité' })
  retrySeal(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string) {
    return this.requests.retrySeal(actor, requestId);
  }

  @Post('signature-requests/:requestId/signers/:signerId/resend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Renvoyer un lien à un signataire (l’ancien lien est révoqué)' })
  resend(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Param('signerId', ParseIdPipe) signerId: string, @Body() dto: ResendDto) {
    return this.signers.resend(actor, requestId, signerId, dto.email);
  }

  @Post('signature-requests/:requestId/signers/:signerId/in-person')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ouvrir une session de signature en présence (tablette) : renvoie l’adresse à ouvrir sur l’appareil' })
  inPerson(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Param('signerId', ParseIdPipe) signerId: string) {
    return this.signers.openInPerson(actor, requestId, signerId, this.config.http.publicUrl);
  }

  @Post('signature-requests/:requestId/signers/:signerId/witness')
  @HttpCode(200)
  @ApiOperation({ summary: 'Déclaration du témoin : comment le document a été expliqué, qui était présent' })
  witness(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Param('signerId', ParseIdPipe) signerId: string, @Body() dto: WitnessDto) {
    return this.signers.recordWitness(actor, requestId, signerId, dto);
  }

  @Post('signature-requests/:requestId/signers/:signerId/access-code')
  @HttpCode(200)
  @ApiOperation({ summary: 'Créer un code (10 minutes, 5 essais) à donner en personne ou par téléphone' })
  accessCode(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Param('signerId', ParseIdPipe) signerId: string) {
    return this.signers.issueAccessCode(actor, requestId, signerId);
  }

  @Post('signature-requests/:requestId/countersign')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Contresignature de l’établissement (direction), sans e-mail : le corps la confirme explicitement et nomme la version signée, `{ "confirm": true, "version": N }` (400 COUNTERSIGN_NOT_CONFIRMED sans elle, 409 COUNTERSIGN_VERSION_MISMATCH pour une autre version que celle de la demande)',
  })
  countersign(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Req() req: Request, @Body() dto: CountersignDto) {
    return this.signers.countersign(actor, requestId, this.ctx(req), { confirm: dto?.confirm, version: dto?.version });
  }

  @Post('signature-requests/:requestId/handover')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enregistrer la remise en main propre du document établi (CASF D.311 III) : à qui, quel jour, comment' })
  handover(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Body() dto: HandoverDto) {
    return this.signers.recordHandover(actor, requestId, dto);
  }

  @Post('signature-requests/:requestId/paper')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Déposer le scan du document signé sur papier (la demande se termine « signé sur papier » une fois scellée)',
    description:
      'Corps : le PDF du scan, tel quel (Content-Type: application/pdf) — pas de multipart : un seul fichier, dont l’empreinte SHA-256 ' +
      'est celle des octets reçus, envoyé aussi simplement avec curl --data-binary. Query : signerIds, les signataires de la demande ' +
      `dont la signature manuscrite est sur le papier. Au plus ${MAX_SCAN_BYTES / 1024 / 1024} Mo et ${MAX_SCAN_PAGES} pages ; refusés (400, code stable) : ` +
      'PAPER_NOT_PDF, PAPER_MALFORMED, PAPER_ENCRYPTED, PAPER_JAVASCRIPT, PAPER_ACTIONS, PAPER_EMBEDDED_FILES, PAPER_XFA, PAPER_TOO_MANY_PAGES ; ' +
      '413 PAPER_TOO_LARGE. Rien n’est enregistré pour un fichier refusé. Droits : comme la signature en présence ; déclarer la ' +
      'contresignature de la direction sur papier demande aussi le droit de contresigner. Le scan est ensuite tamponné (marge de chaque page) ' +
      'et scellé par l’établissement (PAdES) avec son dossier de preuve ; l’original reste téléchargeable.',
  })
  @ApiConsumes('application/pdf')
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'Le scan, en PDF.' })
  @ApiQuery({ name: 'signerIds', required: true, type: String, description: 'Identifiants des signataires séparés par des virgules (ou répétés).', example: '6f1c…,9a2d…' })
  @ApiQuery({
    name: 'signedOn',
    required: false,
    type: String,
    description:
      'AAAA-MM-JJ : le jour où le papier a été signé. Demandé une fois la personne décédée (400 PAPER_SIGNED_ON_REQUIRED) : le papier ne vaut que signé au plus tard le jour du décès (409 PAPER_SIGNED_AFTER_DEATH, C. civ. art. 443). ' +
      'Une demande annulée au décès reprend pour le papier signé avant lui, si toutes les signatures requises du côté de la personne y sont (409 PAPER_AFTER_DEATH_INCOMPLETE ; journalisé signature.reopened_for_paper) ; annulée pour une autre raison : 409 SIGNATURE_REQUEST_CLOSED.',
  })
  async uploadPaper(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Query('signerIds') signerIds: unknown, @Query('signedOn') signedOn: unknown, @Req() req: Request) {
    const ids = signerIdsOf(signerIds);
    if (signedOn !== undefined && typeof signedOn !== 'string') throw new ValidationError([{ field: 'signedOn', code: 'INVALID_DATE', message: 'Une seule date attendue (AAAA-MM-JJ).' }]);
    // Who may upload is checked before the body is read.
    await this.paper.assertMayUpload(actor, requestId);
    const scan = await readPdfBody(req);
    return this.paper.upload(actor, requestId, scan, ids, this.ctx(req), { signedOn: signedOn ?? null });
  }

  @Get('signature-requests/:requestId/paper/original.pdf')
  @ApiOperation({ summary: 'Télécharger le scan original du document signé sur papier, tel qu’il a été déposé' })
  async paperOriginal(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Res({ passthrough: true }) res: Response) {
    const file = await this.paper.original(actor, requestId);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition(file.fileName));
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(file.bytes);
  }

  @Get('signature-requests/:requestId/dipc')
  @ApiOperation({ summary: 'Après un contrat refusé : le DIPC pré-rempli que la loi impose (CASF D.311)' })
  dipcOffer(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string) {
    return this.dipc.offer(actor, requestId);
  }

  @Post('signature-requests/:requestId/dipc')
  @HttpCode(202)
  @ApiOperation({ summary: 'Créer ce DIPC' })
  createDipc(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string) {
    return this.dipc.createFromRefusal(actor, requestId);
  }

  @Get('signature-inbox')
  @ApiOperation({
    summary: 'Refus et questions en attente de l’équipe (ils restent listés jusqu’à traitement), contresignatures dues, scellements échoués',
    description: 'sealFailures : les demandes dont le scellement a échoué définitivement (code, motif en français, lien de relance POST …/seal-retry), pour qui peut relancer le scellement.',
  })
  inbox(@Actor() actor: StaffActor) {
    return this.views.inbox(actor);
  }

  @Post('signature-requests/:requestId/signers/:signerId/acknowledge-refusal')
  @HttpCode(204)
  @ApiOperation({ summary: 'Marquer un refus comme traité' })
  async acknowledge(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Param('signerId', ParseIdPipe) signerId: string) {
    await this.signers.acknowledgeRefusal(actor, requestId, signerId);
  }

  @Post('signature-requests/:requestId/questions/:questionId/answer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Répondre à une question (la réponse est transmise hors plateforme, par téléphone ou e-mail)' })
  async answer(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Param('questionId', ParseIdPipe) questionId: string, @Body() dto: AnswerDto) {
    await this.signers.answerQuestion(actor, requestId, questionId, dto.answer);
  }

  @Get('signature-requests/:requestId/signed.pdf')
  @ApiOperation({ summary: 'Télécharger le PDF scellé (PAdES) avec son dossier de preuve' })
  async signedPdf(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Res({ passthrough: true }) res: Response) {
    const file = await this.sealed.signedPdf(actor, requestId);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition(file.fileName));
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(file.bytes);
  }

  @Get('signature-requests/:requestId/evidence.json')
  @ApiOperation({ summary: 'Le dossier de preuve (JSON canonique, empreinte SHA-256 enregistrée)' })
  async evidence(@Actor() actor: StaffActor, @Param('requestId', ParseIdPipe) requestId: string, @Res({ passthrough: true }) res: Response) {
    const file = await this.sealed.evidence(actor, requestId);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', contentDisposition(file.fileName));
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(file.bytes);
  }
}

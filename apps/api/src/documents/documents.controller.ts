import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsDefined, IsIn, IsObject, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { NotFoundError } from '@carepact/common';
import { DOCUMENT_TYPES, DocumentType, DocumentView, DocumentsService } from '@carepact/documents';
import { StaffActor } from '@carepact/identity';
import type { Response } from 'express';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';
import { NoControlChars } from '../http/validators';

export class CreateDocumentDto {
  @ApiProperty() @IsDefined() @IsUUID()
  residentId: string;
  @ApiProperty({ enum: DOCUMENT_TYPES, example: 'contrat-sejour' }) @IsDefined() @IsIn(DOCUMENT_TYPES as unknown as string[])
  type: DocumentType;
  @ApiProperty({
    description: 'Données propres au document (objectifs, prestations, participants…), selon le modèle du type.',
    example: {
      objectives: ['Permettre à M. Dupont de vivre en sécurité tout en gardant ses habitudes de promenade quotidienne.'],
      services: ['Hébergement en chambre individuelle', 'Restauration'],
      duration: 'indéterminée',
      participants: ['Marcel Dupont', 'Karim Benaïssa (curateur, UDAF du Val)', 'Nadia Haddad (admissions)'],
    },
  })
  @IsDefined()
  @IsObject()
  data: Record<string, unknown>;
}

export class CreateVersionDto {
  @ApiProperty({ description: 'Données complètes de la nouvelle version.' }) @IsDefined() @IsObject()
  data: Record<string, unknown>;
  @ApiProperty({ example: 'Erreur sur le numéro de chambre' }) @IsDefined() @IsString() @MinLength(3) @MaxLength(500) @NoControlChars()
  reason: string;
}

const FORMATS = ['pdf', 'docx', 'html'];
const VARIANTS = ['standard', 'falc', 'large-print'];

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name; never a user-provided file name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

@ApiTags('Documents')
@ApiCookieAuth()
@Controller('api/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Créer un document pour un résident (généré par le worker : 202 avec son identifiant)',
    description:
      'Un avenant tarifaire (purpose « tarifs ») par résident et date d’effet : si le résident en a déjà un à cette date, ni annulé ni refusé (fait seul ou par une génération groupée), 409 AVENANT_ALREADY_EXISTS, le message nommant l’avenant existant, et pour les programmes error.existing : { id, href } (son identifiant, sa page dans la console). Ses prix partent du prix en vigueur à sa date d’effet : celui du dernier avenant tarifaire signé qui prend effet avant elle, sinon celui du contrat ou du DIPC (le prix de l’hébergement en varie par la revalorisation annuelle des places non habilitées à l’aide sociale, CASF L.342-3 ; pour les places habilitées, le prix arrêté par le président du conseil départemental le remplace, CASF L.314-1). tariffChange.previousPrices laissé vide est rempli avec ce prix ; donné, il doit être ce prix (409 TARIFF_PREVIOUS_PRICE_MISMATCH, le message citant L.342-3 ou L.314-1 selon tariffChange.basis) ; une revalorisation au-delà de son pourcentage sur ce prix : 409 TARIFF_ABOVE_PERCENTAGE ; un avenant tarifaire antérieur encore en attente de signature : 409 TARIFF_AVENANT_PENDING, le nommant (error.pending : { id, href }).',
  })
  create(@Actor() actor: StaffActor, @Body() dto: CreateDocumentDto) {
    return this.documents.create(actor, dto);
  }

  @Get()
  @ApiOperation({
    summary: 'Documents visibles (filtre par résident possible)',
    description:
      'Chaque document, sans ses versions (GET /api/documents/:id les donne). supersededBy : pour un projet de contrat de séjour non envoyé en signature (en génération, prêt, génération échouée) ou abandonné dont le séjour a déjà un autre contrat signé, ce contrat ({ id, href } : son identifiant, sa page dans la console), sinon null. Un contrat par séjour, modifié par avenant (CASF L.311-4, D.311) : un tel projet n’est plus corrigé ni envoyé (409 CONTRACT_ALREADY_IN_FORCE), il peut être abandonné (POST /api/documents/:id/discard). Lu pour toute la liste en une requête.',
  })
  @ApiQuery({ name: 'residentId', required: false })
  list(@Actor() actor: StaffActor, @Query('residentId') residentId?: string): Promise<DocumentView[]> {
    return this.documents.list(actor, residentId ? new ParseIdPipe().transform(residentId) : undefined);
  }

  @Get(':id')
  @ApiOperation({ summary: 'État du document et ses versions', description:
      'Les mêmes champs que la liste, dont supersededBy (le contrat signé du séjour d’un projet de contrat de séjour, sinon null), et ses versions. generationError (génération échouée) : code, message en français, retryable (ce que répondrait retry-generation : false aussi pour un projet de contrat de séjour supplanté ou d’une personne décédée) et, quand les données de la version ne passent plus le contrôle des modèles, fields : pour chacune son chemin (field), son code, son nom en français (label) et le message du contrôle.' })
  get(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string): Promise<DocumentView> {
    return this.documents.get(actor, id);
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'Versions du document, avec modèle, empreinte des données et rendus' })
  async versions(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    return (await this.documents.get(actor, id)).versions;
  }

  @Post(':id/versions')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Nouvelle version (correction avant signature, avec sa raison) ; une version n’est jamais modifiée',
    description:
      'Un avenant tarifaire corrigé vers une date d’effet à laquelle le résident a déjà un autre avenant tarifaire, ni annulé ni refusé : 409 AVENANT_ALREADY_EXISTS, comme à la création (error.existing : { id, href }) ; son prix est vérifié sur le prix en vigueur comme à la création (TARIFF_PREVIOUS_PRICE_MISMATCH, TARIFF_ABOVE_PERCENTAGE, TARIFF_AVENANT_PENDING).',
  })
  addVersion(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() dto: CreateVersionDto) {
    return this.documents.addVersion(actor, id, dto.data, dto.reason);
  }

  @Post(':id/retry-generation')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Relancer la génération échouée de la version courante (après un incident technique) ; 409 DOCUMENT_GENERATION_NOT_FAILED si elle n’a pas échoué, DOCUMENT_GENERATION_NOT_RETRYABLE si ses données sont en cause (créer une nouvelle version), CONTRACT_ALREADY_IN_FORCE pour un projet de contrat de séjour dont le séjour a déjà un contrat signé (un contrat par séjour, modifié par avenant : CASF L.311-4, D.311 ; l’abandonner), RESIDENT_DECEASED si la personne est décédée (rien de nouveau n’est établi pour elle, C. civ. art. 443 : l’abandonner ; seul le compte rendu d’une réunion tenue au plus tard le jour du décès peut encore être généré). GET /api/documents le dit d’avance : generationError.retryable',
  })
  retryGeneration(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    return this.documents.retryGeneration(actor, id);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Abandonner un projet jamais envoyé en signature qui ne peut plus aboutir : un projet de contrat de séjour dont le séjour a déjà un contrat signé (un contrat par séjour, modifié par avenant : CASF L.311-4, D.311), ou tout projet (tout type) d’une personne décédée (C. civ. 443 al. 1) ; le document passe à « cancelled », ses versions conservées, événement d’audit document.discarded ; 409 DOCUMENT_NOT_A_DRAFT s’il a été envoyé en signature (ou est en génération, ou déjà abandonné), CONTRACT_NOT_SUPERSEDED pour le projet d’une personne en vie qui n’est pas un contrat dont le séjour a un contrat signé, RESIDENT_ARCHIVED si la personne est en archive intermédiaire ; 403 sans le droit de modifier les documents de l’établissement ; 404 DOCUMENT_NOT_FOUND',
    description:
      '200 { id, status: « cancelled », contractInForceId, deceasedOn } : contractInForceId le contrat signé du séjour (GET /api/documents le nomme avant, supersededBy), sinon null ; deceasedOn la date du décès de la personne, sinon null. L’événement d’audit document.discarded enregistre l’auteur, le statut précédent, la version, contractInForceId, deceasedOn et le motif. Refus : 409 DOCUMENT_NOT_A_DRAFT (seul un projet prêt, ou dont la génération a échoué, est abandonné), 409 CONTRACT_NOT_SUPERSEDED (la personne est en vie et ce n’est pas un projet de contrat de séjour dont le séjour a déjà un contrat signé : il peut encore être corrigé et envoyé), 409 RESIDENT_ARCHIVED (la personne a quitté l’établissement et son dossier est en archive intermédiaire : plus rien n’y est établi), 403 FORBIDDEN (un rôle sans le droit de modifier les documents, un auditeur par exemple), 404 DOCUMENT_NOT_FOUND (inconnu, ou dans un établissement que l’on ne voit pas). Après un décès, l’abandon reste possible et n’est pas refusé RESIDENT_DECEASED : il n’établit ni n’envoie rien.',
  })
  discard(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    return this.documents.discardSupersededContract(actor, id);
  }

  @Get(':id/versions/:versionId/renditions/:format/:variant')
  @ApiOperation({ summary: 'Télécharger un rendu (pdf, docx, html × standard, falc, large-print) ; chaque téléchargement est journalisé' })
  async download(
    @Actor() actor: StaffActor,
    @Param('id', ParseIdPipe) id: string,
    @Param('versionId', ParseIdPipe) versionId: string,
    @Param('format') format: string,
    @Param('variant') variant: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    if (!FORMATS.includes(format) || !VARIANTS.includes(variant)) throw new NotFoundError('RENDITION_NOT_FOUND', 'Format ou variante inconnus.');
    const file = await this.documents.download(actor, id, versionId, format, variant);
    res.setHeader('Content-Type', file.mediaType);
    res.setHeader('Content-Disposition', contentDisposition(file.fileName));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(file.bytes);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ValidationError } from '@carepact/common';
import type { Response } from 'express';
import { StaffActor, assertCanSomewhere } from '@carepact/identity';
import {
  ContactView,
  MeasureView,
  ProtectionMeasuresService,
  RESIDENT_LIST_LIMITS,
  ResidentContactsService,
  ResidentSummary,
  ResidentView,
  ResidentsService,
} from '@carepact/residents';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';
import { validateBody } from '../http/validation';
import { RawBody, withRuleErrors } from './resident-errors';
import { idParam, intParam, textParam } from '../http/query-params';
import {
  ContactDto,
  CreateResidentDto,
  MeasureDto,
  PersonneDeConfianceDto,
  UpdateContactDto,
  UpdateMeasureDto,
  UpdateResidentDto,
} from './residents.dto';

@ApiTags('Résidents')
@ApiCookieAuth()
@Controller('api/residents')
export class ResidentsController {
  constructor(
    private readonly residents: ResidentsService,
    private readonly contacts: ResidentContactsService,
    private readonly measures: ProtectionMeasuresService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Liste des résidents des établissements de l’utilisateur, par pages',
    description:
      'Par ordre alphabétique (nom, prénom ; majuscules et accents sans importance), par pages de `limit` résidents. La page suivante est dans l’en-tête `Link` (rel="next", RFC 8288) : '
      + 'elle commence après le dernier résident reçu (`after`). Pas de lien : c’est la dernière page. `X-Total-Count` : le nombre de résidents correspondants, toutes pages confondues.',
  })
  @ApiQuery({ name: 'establishmentId', required: false, description: 'Un seul établissement (sinon tous ceux que vous pouvez lire).' })
  @ApiQuery({ name: 'q', required: false, description: 'Mots du nom, du prénom ou du nom de naissance, dans n’importe quel ordre (200 caractères au plus).', example: 'dupont marcel' })
  @ApiQuery({ name: 'after', required: false, description: 'Identifiant du dernier résident de la page précédente (curseur). Inconnu : 400 UNKNOWN_CURSOR.' })
  @ApiQuery({ name: 'limit', required: false, description: `Résidents par page, de 1 à ${RESIDENT_LIST_LIMITS.max} (${RESIDENT_LIST_LIMITS.default} par défaut).` })
  @ApiOkResponse({
    description: 'Une page de résidents.',
    headers: {
      Link: { description: 'La page suivante, `</api/residents?…&after=<id>&limit=<n>>; rel="next"` ; absent sur la dernière page.', schema: { type: 'string' } },
      'X-Total-Count': { description: 'Nombre de résidents correspondants, toutes pages confondues.', schema: { type: 'integer' } },
    },
  })
  async list(
    @Actor() actor: StaffActor,
    @Res({ passthrough: true }) res: Response,
    @Query('establishmentId') establishmentId?: unknown,
    @Query('q') q?: unknown,
    @Query('after') after?: unknown,
    @Query('limit') limit?: unknown,
  ): Promise<ResidentSummary[]> {
    // A role without access to resident files (auditor) is told so rather than shown an empty list.
    assertCanSomewhere(actor, 'resident.read');
    const query = {
      establishmentId: establishmentId ? new ParseIdPipe().transform(establishmentId as string) : undefined,
      q: textParam('q', q)?.trim() || undefined,
      after: idParam('after', after),
      limit: intParam('limit', limit, 1, RESIDENT_LIST_LIMITS.max) ?? RESIDENT_LIST_LIMITS.default,
    };
    const page = await this.residents.list(actor, query);
    res.setHeader('X-Total-Count', String(page.total));
    if (page.nextAfter) {
      const next = new URLSearchParams({
        ...(query.establishmentId ? { establishmentId: query.establishmentId } : {}),
        ...(query.q ? { q: query.q } : {}),
        after: page.nextAfter,
        limit: String(query.limit),
      });
      res.setHeader('Link', `</api/residents?${next.toString()}>; rel="next"`);
    }
    return page.items;
  }

  @Post()
  @ApiOperation({
    summary: 'Créer un dossier de résident',
    description:
      'Avec, au besoin, ses contacts, ses parents (mineurs), sa personne de confiance et sa mesure de protection (type, mode, portée, jugement, dates, titulaires).',
  })
  @ApiBody({ type: CreateResidentDto })
  async create(@Actor() actor: StaffActor, @RawBody() body: unknown): Promise<ResidentView> {
    // The DTO here rather than by the global pipe: its format errors come with the file's rule errors, all at once.
    const checked = await validateBody(CreateResidentDto, body);
    if (checked.errors) throw new ValidationError(await withRuleErrors(body, checked.errors));
    return this.residents.create(actor, checked.dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Dossier complet d’un résident' })
  get(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string): Promise<ResidentView> {
    return this.residents.get(actor, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Modifier l’identité, le séjour ou les préférences' })
  @ApiBody({ type: UpdateResidentDto })
  async update(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @RawBody() body: unknown): Promise<ResidentView> {
    // As for a new file: the patch's format errors with the file's rules on the values that could be read.
    const checked = await validateBody(UpdateResidentDto, body);
    if (checked.errors) throw new ValidationError(await withRuleErrors(body, checked.errors, (readable) => this.residents.patchRuleErrors(actor, id, readable)));
    return this.residents.update(actor, id, checked.dto);
  }

  @Post(':id/contacts')
  @ApiOperation({ summary: 'Ajouter un proche ou un représentant' })
  addContact(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() dto: ContactDto): Promise<ContactView> {
    return this.contacts.addContact(actor, id, dto);
  }

  @Patch(':id/contacts/:contactId')
  @ApiOperation({ summary: 'Modifier un contact' })
  updateContact(
    @Actor() actor: StaffActor,
    @Param('id', ParseIdPipe) id: string,
    @Param('contactId', ParseIdPipe) contactId: string,
    @Body() dto: UpdateContactDto,
  ): Promise<ContactView> {
    return this.contacts.updateContact(actor, id, contactId, dto);
  }

  @Delete(':id/contacts/:contactId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Supprimer un contact (refusé s’il exerce une mesure)' })
  async deleteContact(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Param('contactId', ParseIdPipe) contactId: string): Promise<void> {
    await this.contacts.deleteContact(actor, id, contactId);
  }

  @Put(':id/personne-de-confiance')
  @ApiOperation({ summary: 'Désigner la personne de confiance (CASF L.311-5-1) — jamais signataire' })
  setPdc(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() dto: PersonneDeConfianceDto): Promise<ResidentView> {
    return this.contacts.setPersonneDeConfiance(actor, id, dto);
  }

  @Delete(':id/personne-de-confiance')
  @ApiOperation({ summary: 'Retirer la désignation de la personne de confiance' })
  clearPdc(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string): Promise<ResidentView> {
    return this.contacts.clearPersonneDeConfiance(actor, id);
  }

  @Post(':id/protection-measures')
  @ApiOperation({ summary: 'Enregistrer une mesure de protection' })
  addMeasure(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() dto: MeasureDto): Promise<MeasureView> {
    return this.measures.addMeasure(actor, id, dto);
  }

  @Patch(':id/protection-measures/:measureId')
  @ApiOperation({ summary: 'Modifier une mesure (renouvellement, fin, autorisation du juge…)' })
  updateMeasure(
    @Actor() actor: StaffActor,
    @Param('id', ParseIdPipe) id: string,
    @Param('measureId', ParseIdPipe) measureId: string,
    @Body() dto: UpdateMeasureDto,
  ): Promise<MeasureView> {
    return this.measures.updateMeasure(actor, id, measureId, dto);
  }

  @Delete(':id/protection-measures/:measureId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Supprimer une mesure saisie par erreur' })
  async deleteMeasure(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Param('measureId', ParseIdPipe) measureId: string): Promise<void> {
    await this.measures.deleteMeasure(actor, id, measureId);
  }
}

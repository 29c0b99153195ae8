import { Controller, Get, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { StaffActor } from '@carepact/identity';
import { AnnexFileRefusedError, AnnexFilesService, MAX_ANNEX_BYTES, MAX_ANNEX_PAGES } from '@carepact/signing';
import type { Request, Response } from 'express';
import { contentDisposition } from '../documents/documents.controller';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';
import { readPdfBody } from '../http/pdf-body';

/** The API route whose POST body is the raw PDF (bootstrap.ts leaves it to the handler, after the staff guard). */
export const ANNEX_UPLOAD_API_PATH = /^\/establishments\/[^/]+\/annex-files\/?$/;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The documents handed over with the contract, as files (CASF L.311-4; AnnexFilesService): list
 * and publish with the permission that changes an establishment's settings (direction,
 * administrator; reading: anyone who sees the establishment), download with the document-read one.
 */
@ApiTags('Personnel')
@ApiCookieAuth()
@Controller('api/establishments/:id/annex-files')
export class AnnexFilesController {
  constructor(private readonly annexes: AnnexFilesService) {}

  @Get()
  @ApiOperation({
    summary: 'Documents remis avec le contrat (livret d’accueil, charte, règlement de fonctionnement…) : chaque annexe de l’établissement, son fichier en vigueur et ses versions',
  })
  list(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    return this.annexes.list(actor, id);
  }

  @Post()
  @ApiOperation({
    summary: 'Publier une nouvelle version du fichier d’une annexe (direction, administrateur ; l’ancienne version est conservée)',
    description:
      'Corps : le PDF tel quel (Content-Type: application/pdf). Query : kind (une des annexes de l’établissement), versionLabel (« Édition 2026 »), ' +
      `effectiveOn (AAAA-MM-JJ, aujourd’hui par défaut). Au plus ${MAX_ANNEX_BYTES / 1024 / 1024} Mo et ${MAX_ANNEX_PAGES} pages ; refusés (400, code stable) : ` +
      'ANNEX_NOT_PDF, ANNEX_MALFORMED, ANNEX_ENCRYPTED, ANNEX_JAVASCRIPT, ANNEX_ACTIONS, ANNEX_EMBEDDED_FILES, ANNEX_XFA, ANNEX_TOO_MANY_PAGES, ANNEX_FILE_MISSING, ' +
      'ANNEX_KIND_UNKNOWN, ANNEX_VERSION_LABEL_REQUIRED, ANNEX_EFFECTIVE_DATE_INVALID ; 413 ANNEX_TOO_LARGE ; 409 ANNEX_EFFECTIVE_DATE_TOO_EARLY (une version ' +
      'ne peut pas entrer en vigueur avant la dernière publiée pour la même annexe ; la première peut être antidatée, sa date de publication est alors indiquée à côté). ' +
      'Rien n’est enregistré pour un fichier refusé. ' +
      'Les documents créés ensuite enregistrent le fichier en vigueur ; le dossier de preuve de leur signature en donne l’empreinte SHA-256.',
  })
  @ApiConsumes('application/pdf')
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'Le document, en PDF.' })
  @ApiQuery({ name: 'kind', required: true, type: String, example: 'livret-accueil-2026' })
  @ApiQuery({ name: 'versionLabel', required: true, type: String, example: 'Édition 2026' })
  @ApiQuery({ name: 'effectiveOn', required: false, type: String, example: '2026-01-01' })
  async publish(
    @Actor() actor: StaffActor,
    @Param('id', ParseIdPipe) id: string,
    @Query('kind') kind: unknown,
    @Query('versionLabel') versionLabel: unknown,
    @Query('effectiveOn') effectiveOn: unknown,
    @Req() req: Request,
  ) {
    // Who may publish is checked before the body is read.
    await this.annexes.assertMayPublish(actor, id);
    const pdf = await readPdfBody(req, MAX_ANNEX_BYTES, { tooLarge: () => new AnnexFileRefusedError('ANNEX_TOO_LARGE'), what: 'le document' });
    return this.annexes.publish(actor, id, { kind: str(kind), versionLabel: str(versionLabel), effectiveOn: str(effectiveOn) || undefined }, pdf);
  }

  @Get(':fileId/content.pdf')
  @ApiOperation({ summary: 'Télécharger un fichier d’annexe publié (tel qu’il a été déposé)' })
  async download(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Param('fileId', ParseIdPipe) fileId: string, @Res({ passthrough: true }) res: Response) {
    const file = await this.annexes.download(actor, id, fileId);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition(file.fileName));
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(file.bytes);
  }
}

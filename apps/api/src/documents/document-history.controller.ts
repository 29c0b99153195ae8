import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DocumentHistory, DocumentHistoryService, DocumentVerification } from '@carepact/archive';
import { StaffActor } from '@carepact/identity';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';

/** A document's history and its re-verification (issue 11, item 1): metadata, readable by auditors. */
@ApiTags('Documents')
@ApiCookieAuth()
@Controller('api/documents')
export class DocumentHistoryController {
  constructor(private readonly history: DocumentHistoryService) {}

  @Get(':id/history')
  @ApiOperation({
    summary:
      'Historique d’un document : versions (raison, empreintes), demandes de signature et sceaux, filiation (contrat → avenants → DIPC), et chaque événement du journal d’audit qui le concerne (qui, quand, en quelle qualité)',
  })
  get(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string): Promise<DocumentHistory> {
    return this.history.history(actor, id);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Vérifier à nouveau : empreinte de chaque fichier, preuve et signature électronique (PAdES) de chaque document scellé. La vérification est journalisée.',
  })
  verify(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string): Promise<DocumentVerification> {
    return this.history.verify(actor, id);
  }
}

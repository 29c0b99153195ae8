import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { Public } from '../http/auth.guard';

interface Link {
  href: string;
  title: string;
}

/** What `GET /api` answers: where to start, as links (`_links`), readable without the docs. */
export interface ApiIndex {
  name: string;
  description: string;
  _links: Record<string, Link>;
}

/** `/api`: the API's index, as links. (`/` leads to the console: ConsoleAuthController.) */
@ApiTags('Exploitation')
@Public()
@Controller()
export class HomeController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private devMail(): boolean {
    return this.config.env !== 'production' && this.config.devMailboxPort > 0;
  }

  @Get('api')
  @ApiOperation({ summary: 'Index de l’API : liens vers les ressources principales et la documentation' })
  index(): ApiIndex {
    const l = (href: string, title: string): Link => ({ href, title });
    return {
      name: 'CarePact API',
      description: 'Dossiers des résidents, documents et signatures. Connectez-vous avec POST /api/auth/login (cookie de session).',
      _links: {
        self: l('/api', 'Cet index'),
        login: l('/api/auth/login', 'Connexion du personnel (POST, e-mail et mot de passe)'),
        me: l('/api/me', 'Vos établissements et vos rôles'),
        establishments: l('/api/establishments', 'Établissements'),
        residents: l('/api/residents', 'Résidents'),
        documents: l('/api/documents', 'Documents'),
        signatureInbox: l('/api/signature-inbox', 'Signatures à suivre'),
        auditVerify: l('/api/audit/verify', 'Vérification du journal d’audit'),
        health: l('/health', 'État du service'),
        ...(this.config.http.apiDocs ? { docs: l('/api/docs', 'Documentation de l’API (OpenAPI)'), openapi: l('/api/docs/openapi.json', 'Description OpenAPI (JSON)') } : {}),
        ...(this.devMail() ? { devMail: l('/dev/mail', 'E-mails reçus (développement)') } : {}),
      },
    };
  }
}

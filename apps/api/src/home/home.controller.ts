import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { escapeHtml } from '@carepact/common';
import type { Response } from 'express';
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

/**
 * The first addresses a new user types: `/` (the banner's server) and `/api`. Until the staff
 * console exists, `/` is a small page of links that says so; then it leads to the console's login.
 */
@ApiTags('Exploitation')
@Public()
@Controller()
export class HomeController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private devMail(): boolean {
    return this.config.env !== 'production' && this.config.devMailboxPort > 0;
  }

  @Get()
  @ApiExcludeEndpoint()
  @Header('Cache-Control', 'no-store')
  home(@Res() res: Response): void {
    const links: [string, string, string][] = [
      ['/api', 'Index de l’API', 'les ressources de l’API JSON, en liens'],
      ...(this.config.http.apiDocs ? [['/api/docs', 'Documentation de l’API', 'chaque route, ses champs, et un essai en direct'] as [string, string, string]] : []),
      ['/health', 'État du service', 'PostgreSQL, Redis et le worker'],
      ...(this.devMail() ? [['/dev/mail', 'E-mails reçus (développement)', 'les messages envoyés, avec les liens de signature'] as [string, string, string]] : []),
    ];
    const items = links.map(([href, title, what]) => `<li><a href="${escapeHtml(href)}">${escapeHtml(title)}</a> — ${escapeHtml(what)}</li>`).join('\n');
    res.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CarePact</title>
</head>
<body>
<main>
<h1>CarePact</h1>
<p>Documents, signatures et preuves des établissements sociaux et médico-sociaux.</p>
<p>La console du personnel arrive bientôt. En attendant, le personnel se connecte par l’API
(<code>POST /api/auth/login</code>) ; les personnes qui signent utilisent le lien personnel reçu par e-mail.</p>
<ul>
${items}
</ul>
</main>
</body>
</html>
`);
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

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@carepact/config';
import { PinoNestLogger, createLogger } from '@carepact/common';
import cookieParser from 'cookie-parser';
import express, { Application } from 'express';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { ApiModule } from './api.module';
import { mountQueueBoard } from './console/admin/queue-board';
import { staffCookieName } from './http/auth.guard';
import { useTrustProxy } from './http/client-ip';
import { PAPER_UPLOAD_PATH } from './console/documents/paper-upload.controller';
import { ANNEX_UPLOAD_PATH } from './console/admin/annex-files.controller';
import { ANNEX_UPLOAD_API_PATH } from './staff/annex-files.controller';
import { BULK_RUN_BODY_LIMIT_BYTES, BULK_RUN_PATH, bulkRunTooLarge } from './documents/bulk-runs.controller';
import { refuseControlCharactersInAddress } from './http/control-characters.middleware';
import { consoleFormBody, portalFormBody } from './http/form-body.middleware';
import { jsonBody } from './http/json-body.middleware';
import { securityHeaderList, securityHeaders } from './http/security-headers.middleware';
import { validationPipe } from './http/validation';
import { NodeMiddleware, portalFastPath, servePortalFastPath } from './portal/portal-fast-path';
import { requestLogger } from './http/request-logger';
import { PortalPages } from './portal/portal-pages';

export interface ApiAppOptions {
  /** The portal's fast path (portal-fast-path.ts); off only to compare it with the routes in a test. */
  portalFastPath?: boolean;
}

/** Builds the HTTP app (used by main.ts and by the tests, which call `listen` themselves). */
export async function createApiApp(config: AppConfig, options: ApiAppOptions = {}): Promise<INestApplication> {
  const logger = createLogger(config.log.level, 'api', config.log.format);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(config), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  useTrustProxy(app, config.http.trustProxy);
  app.disable('x-powered-by');
  // The middlewares every request passes first; the portal's fast path runs the same log and cookie parser, and the same headers.
  const requestLog = requestLogger(logger);
  const cookies = cookieParser();
  for (const middleware of [requestLog, securityHeaders(config.http.publicUrl), cookies]) app.use(middleware);
  // A NUL byte or another control character in the address: a 400 for every route at once (the bodies: their parsers below).
  app.use(refuseControlCharactersInAddress());
  // The scan of a paper signature is a raw PDF body, read by its handler after the staff guard (http/pdf-body.ts).
  // A bulk run may name thousands of residents: its own limit, sized by its maximum list (bulk-runs.controller.ts).
  app.use(
    '/api',
    jsonBody(config.http.bodyLimitBytes, {
      rawRoutes: [/^\/signature-requests\/[^/]+\/paper\/?$/, ANNEX_UPLOAD_API_PATH],
      largeRoutes: [{ path: BULK_RUN_PATH, limitBytes: BULK_RUN_BODY_LIMIT_BYTES, tooLarge: bulkRunTooLarge() }],
    }),
  );
  // The portal's forms (a drawn signature can be a few hundred kilobytes of PNG): odd bodies get a 4xx HTML page.
  app.use('/portail', portalFormBody());
  // Bull Board for administrators (its own JSON API and pages), before the console's form parser.
  mountQueueBoard(app, config);
  // The console's forms: the same rules with larger limits, and the console's own error pages.
  for (const path of ['/console', '/connexion', '/deconnexion', '/compte']) {
    const parse = consoleFormBody();
    // The console's one multipart form (a paper signature's scan) is read by its handler after the staff guard (paper-upload.controller.ts).
    app.use(path, (req: express.Request, res: express.Response, next: express.NextFunction) =>
      path === '/console' && req.method === 'POST' && (PAPER_UPLOAD_PATH.test(req.path) || ANNEX_UPLOAD_PATH.test(req.path)) && req.is('multipart/form-data') ? next() : parse(req, res, next),
    );
  }
  app.use('/static', express.static(join(__dirname, 'views', 'static'), { index: false, fallthrough: true, maxAge: '1h' }));
  app.use('/portail/static', express.static(join(__dirname, 'portal', 'static'), { index: false, fallthrough: true, maxAge: '1h' }));
  app.useGlobalPipes(validationPipe());
  // Stop cleanly on SIGTERM (systemd, docker, the tests) and SIGINT (Ctrl-C) only, then exit 0 (the
  // logs and span totals flushed by the 'exit' event). Nest's default list also ends the process on
  // SIGUSR2, SIGHUP…: SIGUSR2 is what a heap snapshot or a profiler may use (docs/SCALE.md, session 15).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT', 'SIGHUP'], { useProcessExit: true });

  // The OpenAPI UI lists every route and field: off in production unless API_DOCS=true.
  if (config.http.apiDocs) {
    const doc = new DocumentBuilder()
      .setTitle('CarePact API')
      .setDescription(
        'Dossiers des résidents, mesures de protection, documents et signatures des établissements sociaux et médico-sociaux. ' +
          'Connectez-vous avec POST /api/auth/login : le cookie de session est ensuite envoyé automatiquement.',
      )
      .setVersion('0.1.0')
      .addCookieAuth(staffCookieName(config.http.publicUrl))
      .build();
    SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), {
      jsonDocumentUrl: 'api/docs/openapi.json',
      swaggerOptions: { withCredentials: true },
    });
  }
  await app.init();
  if (options.portalFastPath !== false) {
    const expressApp = app.getHttpAdapter().getInstance() as Application;
    const fastPath = portalFastPath({
      express: expressApp,
      pages: app.get(PortalPages),
      requestLog,
      cookies: cookies as unknown as NodeMiddleware,
      securityHeaders: (path) => securityHeaderList(config.http.publicUrl, path),
    });
    servePortalFastPath(app.getHttpServer() as Server, expressApp, fastPath);
  }
  return app;
}

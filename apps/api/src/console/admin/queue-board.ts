import { INestApplication } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { AuditService } from '@carepact/audit';
import { AppConfig } from '@carepact/config';
import { TransactionRunner } from '@carepact/database';
import { AuthService, establishmentsWith } from '@carepact/identity';
import { QUEUES, redisOptions } from '@carepact/queue';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { staffCookieOf } from '../../http/auth.guard';
import { consoleErrorPage } from '../console-error.views';

export const QUEUE_BOARD_PATH = '/console/admin/files';

/**
 * The only changes allowed from the board: retry one job, or every failed job of a queue. Adding a
 * job, editing its data, emptying, cleaning, pausing or obliterating a queue would bypass the
 * outbox (ARCHITECTURE.md: every job comes from a state change in PostgreSQL) or lose work.
 */
const ALLOWED_WRITES: RegExp[] = [/^\/api\/queues\/[^/]+\/[^/]+\/retry$/, /^\/api\/queues\/[^/]+\/retry\/failed$/];

/**
 * Bull Board (issue 11 item 8): the jobs of each queue, the failed ones with their error, and retry —
 * for administrators only, with the console's staff session. Anyone else gets the console's login
 * page (no session) or a 403 page (another role); nothing of the board is served to them.
 * Its React UI needs inline styles and a <base> element, so this path alone gets `style-src
 * 'unsafe-inline'` and `base-uri 'self'`; scripts stay `'self'` (the board's bundles are same-origin
 * files) and its link to Google's web fonts stays blocked (no request leaves for a third party).
 * Only retries are allowed (ALLOWED_WRITES); each is an audit event naming the queue and the job.
 */
/**
 * Bull Board's pages carry icon-only buttons without a name, a logo without a text alternative and
 * a key hint below the contrast ratio (axe: button-name, svg-img-alt, color-contrast). Its HTML
 * gets our same-origin script and stylesheet (views/static/queue-board-a11y.*), which name each
 * icon button in French from its icon and raise the hint's contrast: every console page, this one
 * included, passes axe with 0 violations (console-admin.spec.ts).
 */
function withAccessibilityRepair(res: Response): void {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => {
    if (typeof body === 'string' && body.includes('</head>'))
      body = body.replace(
        '</head>',
        '<link rel="stylesheet" href="/static/queue-board-a11y.css"><script src="/static/queue-board-a11y.js" defer></script></head>',
      );
    return send(body);
  }) as Response['send'];
}

export function mountQueueBoard(app: INestApplication, config: AppConfig): void {
  const auth = app.get(AuthService);
  const tx = app.get(TransactionRunner);
  const audit = app.get(AuditService);
  const server = new ExpressAdapter();
  server.setBasePath(QUEUE_BOARD_PATH);
  const board = createBullBoard({
    queues: [],
    serverAdapter: server,
    options: { uiConfig: { boardTitle: 'Files de travaux', locale: { lng: 'fr-FR' }, hideDocsLink: true, miscLinks: [{ text: 'Retour à la console', url: '/console' }] } },
  });
  // The queues' Redis connections open on the first administrator's visit, not in every api process.
  let queues: Queue[] | null = null;
  const openQueues = () => {
    if (queues) return;
    queues = QUEUES.map((name) => {
      const q = new Queue(name, { connection: redisOptions(config.redis.url), prefix: config.redis.prefix });
      // Redis down: the board's requests fail with its own error, and the connection retries; an
      // 'error' event without a listener would end the process (SECURITY-RELIABILITY.md, "Queues and jobs").
      q.on('error', () => undefined);
      return q;
    });
    board.setQueues(queues.map((q) => new BullMQAdapter(q, { allowRetries: true, readOnlyMode: false })));
  };
  // QUEUE_BOARD_ORGANISATION names the operator; without it, only a platform of one organisation.
  const operates = async (organisationId: string): Promise<boolean> => {
    const operator = config.queueBoard.operatorOrganisationId;
    if (operator) return organisationId === operator;
    const [{ n }] = (await tx.manager.query(`SELECT count(*)::int AS n FROM organisations`)) as { n: number }[];
    return n === 1;
  };
  const guard = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const actor = await auth.authenticate(staffCookieOf(req, config.http.publicUrl));
      // Mounted under a path, req.path is relative: the console's error pages are sent here directly.
      res.setHeader('Cache-Control', 'no-store');
      if (!actor) {
        if (req.method === 'GET' && !req.path.startsWith('/api/')) return res.redirect(303, `/connexion?suite=${encodeURIComponent(req.originalUrl)}`);
        res.status(401).type('text/html; charset=utf-8').send(consoleErrorPage('Session expirée', 'Veuillez vous connecter.', 401));
        return;
      }
      if (establishmentsWith(actor, 'user.manage').length === 0) {
        res.status(403).type('text/html; charset=utf-8').send(consoleErrorPage('Accès refusé', 'Les files de travaux sont réservées à l’administration.', 403));
        return;
      }
      // The queues hold every organisation's jobs: only the platform's operator sees them.
      if (!(await operates(actor.organisationId))) {
        res
          .status(403)
          .type('text/html; charset=utf-8')
          .send(
            consoleErrorPage(
              'Accès refusé',
              'Les files de travaux contiennent les travaux de toutes les organisations de la plateforme : elles sont réservées à l’organisation qui l’exploite.',
              403,
            ),
          );
        return;
      }
      openQueues();
      res.setHeader(
        'Content-Security-Policy',
        String(res.getHeader('Content-Security-Policy') ?? '')
          .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
          // Its page locates its bundles with <base href="/console/admin/files/">.
          .replace("base-uri 'none'", "base-uri 'self'"),
      );
      if (req.method === 'GET' && !req.path.startsWith('/api/') && !req.path.startsWith('/static/')) withAccessibilityRepair(res);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        if (req.method !== 'PUT' || !ALLOWED_WRITES.some((r) => r.test(req.path))) {
          res.status(403).json({ error: { code: 'QUEUE_ACTION_NOT_ALLOWED', message: 'Depuis cette page, seule la relance des travaux est permise.' } });
          return;
        }
        res.once('finish', () => {
          if (res.statusCode >= 400) return;
          void audit
            .appendAlone(tx.manager, {
              chainId: actor.organisationId,
              actor: { type: 'staff', id: actor.userId },
              action: 'queue.job_action',
              // The board's API path names the queue, the job and the action (ids only).
              payload: { method: req.method, path: req.path.slice(0, 300) },
            })
            .catch(() => undefined);
        });
      }
      next();
    } catch (e) {
      next(e);
    }
  };
  app.use(QUEUE_BOARD_PATH, guard, server.getRouter());
  // Closed with the HTTP server, each time it closes: a server listened to and closed again (supertest,
  // each request) emits 'close' more than once, and a board opened after the first one must close
  // too, or its Redis connections keep the process alive.
  (app.getHttpServer() as Server).on('close', () => {
    const open = queues ?? [];
    queues = null;
    void Promise.allSettled(open.map((q) => q.close()));
  });
}

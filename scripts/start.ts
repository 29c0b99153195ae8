/**
 * `npm start`: builds (done by the npm script), creates the database if missing, migrates, loads
 * the demo data when the database is empty, then runs the api and the worker together and prints
 * the URLs and the demo logins. Ctrl-C stops both.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { ConfigError, loadConfig, AppConfig, DEFAULT_DEMO_PASSWORD, WORKER_NODE_FLAGS } from '@carepact/config';
import { ensureDatabaseExists, runMigrations } from '@carepact/database';
import { projectRoot } from '@carepact/common';
import { demoAccountLines } from './demo-accounts';

const root = projectRoot();
const children: ChildProcess[] = [];
let stopping = false;

function run(script: string, args: string[], nodeFlags: readonly string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags, join(root, script), ...args], { stdio: 'inherit', env: process.env });
  children.push(child);
  return child;
}

function once(script: string, args: string[]): Promise<number> {
  return new Promise((resolve) => run(script, args).on('exit', (code) => resolve(code ?? 1)));
}

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 8000).unref();
  Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
}

/** The preferred port when free, else any free port. */
function freePort(preferred: number): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => {
      const any = createServer();
      any.listen(0, '127.0.0.1', () => {
        const p = (any.address() as { port: number }).port;
        any.close(() => resolve(p));
      });
    });
    srv.listen(preferred, '127.0.0.1', () => srv.close(() => resolve(preferred)));
  });
}

async function waitForHealth(config: AppConfig): Promise<boolean> {
  const url = `http://127.0.0.1:${config.http.port}/health`;
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(url);
      const body = (await res.json()) as { status: string };
      if (body.status === 'ok') return true;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  process.stdout.write('CarePact : préparation de la base de données…\n');
  try {
    if (await ensureDatabaseExists(config.database.url)) process.stdout.write('  base créée\n');
    const applied = await runMigrations(config);
    process.stdout.write(applied.length ? `  migrations appliquées : ${applied.length}\n` : '  migrations : à jour\n');
  } catch (e) {
    process.stderr.write(
      `Impossible de joindre PostgreSQL (DATABASE_URL) : ${(e as Error).message}\n` +
        'Démarrez PostgreSQL ou réglez DATABASE_URL, puis relancez npm start.\n',
    );
    process.exit(1);
  }
  const seeded = await once('dist/apps/cli/src/main.js', ['seed:demo', '--if-empty']);
  children.length = 0;
  if (seeded !== 0) process.exit(seeded);
  // The demo's IME and its minors (under tutelle, under a delegation of parental authority), in an
  // organisation of their own: loaded once, unless its establishment is already there.
  const seededIme = await once('dist/apps/cli/src/main.js', ['seed:demo', '--if-empty', '--fixture', join(root, 'templates', 'demo', 'establishment-ime-les-sources.json')]);
  children.length = 0;
  if (seededIme !== 0) process.exit(seededIme);

  // No SMTP_URL in development: the api runs a local SMTP server and lists what it receives at
  // /dev/mail, and the worker sends there (docker compose uses Mailpit instead).
  let devMail = false;
  if (!config.smtp.url && config.env === 'development') {
    const port = await freePort(2525);
    process.env.DEV_MAILBOX_PORT = String(port);
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
    devMail = true;
  }
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => stopAll(0));
  for (const [script, flags] of [
    ['dist/apps/api/src/main.js', []],
    ['dist/apps/worker/src/main.js', WORKER_NODE_FLAGS],
  ] as const) {
    run(script, [], flags).on('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`${script} s'est arrêté (code ${code}) : arrêt de CarePact.\n`);
        stopAll(code || 1);
      }
    });
  }
  const healthy = await waitForHealth(config);
  const url = config.http.publicUrl;
  const pw = config.demo.password === DEFAULT_DEMO_PASSWORD ? `${config.demo.password} (par défaut, DEMO_PASSWORD pour le changer)` : '(valeur de DEMO_PASSWORD)';
  process.stdout.write(
    [
      '',
      '──────────────────────────────────────────────────────────────',
      healthy ? ' CarePact est prêt.' : ' CarePact a démarré, mais /health ne répond pas encore « ok ».',
      `  Accueil .............. ${url}/`,
      `  API .................. ${url}/api`,
      `  Documentation API .... ${url}/api/docs`,
      `  État ................. ${url}/health`,
      ...(devMail ? [`  E-mails reçus ........ ${url}/dev/mail  (serveur SMTP local ${process.env.SMTP_URL})`] : []),
      '',
      // From the fixtures the seed loaded: every account it created, none forgotten.
      ' Comptes de démonstration (EHPAD Les Tilleuls) :',
      ...demoAccountLines(join(root, 'templates', 'demo', 'establishment-les-tilleuls.json')),
      ' IME Les Sources (mineurs sous tutelle et sous délégation de l’autorité parentale) :',
      ...demoAccountLines(join(root, 'templates', 'demo', 'establishment-ime-les-sources.json')),
      `  Mot de passe : ${pw}`,
      '',
      ' Ctrl-C pour arrêter.',
      '──────────────────────────────────────────────────────────────',
      '',
    ].join('\n'),
  );
}

void main();

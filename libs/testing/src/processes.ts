import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '@carepact/config';
import { projectRoot } from '@carepact/common';

/** Environment that makes a child process use the same configuration as the test. */
export function envFor(config: AppConfig, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: config.database.url,
    REDIS_URL: config.redis.url,
    QUEUE_PREFIX: config.redis.prefix,
    SESSION_SECRET: config.secrets.session,
    AUDIT_CHECKPOINT_SECRET: config.secrets.auditCheckpoint,
    ...extra,
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run cli -- <args>` the way a user would, against the compiled code (built by jest's global setup). */
export function runCli(config: AppConfig, args: string[], extra: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(projectRoot(), 'dist/apps/cli/src/main.js'), ...args], {
      env: envFor(config, extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface RunningProcess {
  child: import('node:child_process').ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a compiled app (`dist/apps/<name>/src/main.js`) as a child process. With
 * TEST_PROCESS_LOG_DIR set, its output also goes to `<dir>/<name>-<pid>.log` as it comes (with
 * TEST_LOG_LEVEL=info: every request with its time, every job): what the api and the worker did
 * around a test that timed out, which `output()` never shows.
 */
export function startProcess(config: AppConfig, script: string, extra: Record<string, string> = {}): RunningProcess {
  const child = spawn(process.execPath, [join(projectRoot(), script)], { env: envFor(config, extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const dir = process.env.TEST_PROCESS_LOG_DIR;
  const file = dir ? createWriteStream(join(dir, `${script.split('/').at(-3) ?? 'process'}-${child.pid}.log`)) : null;
  file?.on('error', () => undefined);
  child.once('close', () => file?.end());
  const take = (d: Buffer) => {
    out += d.toString();
    file?.write(d);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return {
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if (await check()) return;
    } catch {
      /* not ready */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

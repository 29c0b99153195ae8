import 'reflect-metadata';
import { ConfigError, loadConfig } from '@carepact/config';
import { startWorker } from './bootstrap';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  await startWorker(config);
}

// SIGTERM, SIGINT and SIGHUP (a closed terminal) stop the process cleanly (enableShutdownHooks in
// bootstrap.ts). Without a listener SIGUSR2 would end it at once (its default action): it is noted and
// ignored, free for diagnostics (node --heapsnapshot-signal=SIGUSR2, profilers; docs/SCALE.md session 15).
process.on('SIGUSR2', () => process.stderr.write(JSON.stringify({ level: 'info', msg: 'SIGUSR2 received: ignored (SIGTERM, SIGINT or SIGHUP stops the process)' }) + '\n'));
// A dropped connection surfaces as an error event elsewhere; never let a stray rejection end the worker.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(JSON.stringify({ level: 'error', msg: 'unhandled rejection', reason: String(reason) }) + '\n');
});
// A worker that cannot start (a job without a handler, a bad certificate…) exits instead of
// lingering half-started with its connections open.
main().catch((e: unknown) => {
  process.stderr.write(JSON.stringify({ level: 'fatal', msg: 'worker failed to start', error: e instanceof Error ? e.message : String(e) }) + '\n');
  process.exit(1);
});

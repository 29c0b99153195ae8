import 'reflect-metadata';
import { ConfigError, loadConfig } from '@carepact/config';
import { createApiApp } from './bootstrap';

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
  const app = await createApiApp(config);
  await app.listen(config.http.port, config.http.host);
}

// SIGTERM, SIGINT and SIGHUP (a closed terminal) stop the process cleanly (enableShutdownHooks in
// bootstrap.ts). Without a listener SIGUSR2 would end it at once (its default action): it is noted and
// ignored, free for diagnostics (node --heapsnapshot-signal=SIGUSR2, profilers; docs/SCALE.md session 15).
process.on('SIGUSR2', () => process.stderr.write(JSON.stringify({ level: 'info', msg: 'SIGUSR2 received: ignored (SIGTERM, SIGINT or SIGHUP stops the process)' }) + '\n'));
void main();

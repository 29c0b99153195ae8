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

// A dropped connection surfaces as an error event elsewhere; never let a stray rejection end the worker.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(JSON.stringify({ level: 'error', msg: 'unhandled rejection', reason: String(reason) }) + '\n');
});
void main();

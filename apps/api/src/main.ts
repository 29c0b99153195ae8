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

void main();

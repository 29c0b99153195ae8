import 'reflect-metadata';
import { ConfigError } from '@carepact/config';
import { UsageError } from './command';
import { COMMANDS } from './command-registry';

async function help(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map(([, load]) => load()));
  return [
    'Usage : npm run cli -- <commande> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(20)} ${c.summary}\n  ${''.padEnd(20)} ${c.usage}`),
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help') {
    process.stdout.write(await help());
    return name ? 0 : 2;
  }
  const entry = COMMANDS.find(([n]) => n === name);
  if (!entry) {
    process.stderr.write(`Commande inconnue : ${name}\n\n${await help()}`);
    return 2;
  }
  const command = await entry[1]();
  try {
    return await command.run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\nUsage : npm run cli -- ${command.usage}\n`);
      return 2;
    }
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 78;
    }
    process.stderr.write(`Échec de ${name} : ${(e as Error).message}\n`);
    return 1;
  }
}

/**
 * What a command wrote, flushed before the process exits: stdout and stderr are non-blocking when
 * piped, and process.exit drops what is still queued — falc:lint's 42 kB report reached a piped
 * reader cut short, its summary line lost (the clean-clone CI of session 21). `write('', cb)` calls
 * back once everything written before it is handed to the pipe.
 */
const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.write('', () => resolve())));
const exit = (code: number): Promise<never> => Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code));

main(process.argv.slice(2)).then(
  (code) => exit(code),
  () => exit(1),
);

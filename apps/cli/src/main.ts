import 'reflect-metadata';
import { ConfigError } from '@carepact/config';
import { CliCommand, UsageError } from './command';
import { auditVerify } from './commands/audit-verify';
import { dbMigrate, dbRevert } from './commands/db-migrate';
import { seedDemo } from './commands/seed-demo';
import { userCreate } from './commands/user-create';
import { userDisable } from './commands/user-disable';
import { establishmentCreate, organisationCreate } from './commands/organisation-create';
import { falcLint } from './commands/falc-lint';
import { render } from './commands/render';
import { archiveExport } from './commands/archive-export';
import { archiveVerify } from './commands/archive-verify';
import { holdLift, holdPlace, purge, retentionPolicy } from './commands/retention';

const COMMANDS: CliCommand[] = [dbMigrate, dbRevert, seedDemo, organisationCreate, establishmentCreate, userCreate, userDisable, auditVerify, falcLint, render, archiveExport, archiveVerify, retentionPolicy, holdPlace, holdLift, purge];

function help(): string {
  return [
    'Usage : npm run cli -- <commande> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(20)} ${c.summary}\n  ${''.padEnd(20)} ${c.usage}`),
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help') {
    process.stdout.write(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Commande inconnue : ${name}\n\n${help()}`);
    return 2;
  }
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  () => process.exit(1),
);

import { CliCommand } from './command';

/**
 * Each command's module is loaded only when that command runs (the help loads them all): a command
 * starts with its own libraries, not every command's (issue 12, item 4: audit:verify loaded ~2,000
 * modules, 1.8 s of CPU, before reading a row).
 */
export const COMMANDS: [string, () => Promise<CliCommand>][] = [
  ['db:migrate', async () => (await import('./commands/db-migrate')).dbMigrate],
  ['db:revert', async () => (await import('./commands/db-migrate')).dbRevert],
  ['seed:demo', async () => (await import('./commands/seed-demo')).seedDemo],
  ['organisation:create', async () => (await import('./commands/organisation-create')).organisationCreate],
  ['establishment:create', async () => (await import('./commands/organisation-create')).establishmentCreate],
  ['user:create', async () => (await import('./commands/user-create')).userCreate],
  ['user:disable', async () => (await import('./commands/user-disable')).userDisable],
  ['audit:verify', async () => (await import('./commands/audit-verify')).auditVerify],
  ['falc:lint', async () => (await import('./commands/falc-lint')).falcLint],
  ['render', async () => (await import('./commands/render')).render],
  ['archive:export', async () => (await import('./commands/archive-export')).archiveExport],
  ['archive:verify', async () => (await import('./commands/archive-verify')).archiveVerify],
  ['retention:policy', async () => (await import('./commands/retention')).retentionPolicy],
  ['hold:place', async () => (await import('./commands/retention')).holdPlace],
  ['hold:lift', async () => (await import('./commands/retention')).holdLift],
  ['purge', async () => (await import('./commands/retention')).purge],
];

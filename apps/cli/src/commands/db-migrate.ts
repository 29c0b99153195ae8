import { loadConfig } from '@carepact/config';
import { ensureDatabaseExists, revertLastMigration, runMigrations } from '@carepact/database';
import { CliCommand } from '../command';

export const dbMigrate: CliCommand = {
  name: 'db:migrate',
  summary: 'Crée la base si elle manque et applique les migrations en attente.',
  usage: 'db:migrate',
  async run() {
    const config = loadConfig();
    if (await ensureDatabaseExists(config.database.url)) process.stdout.write('Base de données créée.\n');
    const applied = await runMigrations(config);
    process.stdout.write(applied.length ? `Migrations appliquées : ${applied.join(', ')}\n` : 'Base à jour : aucune migration en attente.\n');
    return 0;
  },
};

export const dbRevert: CliCommand = {
  name: 'db:revert',
  summary: 'Annule la dernière migration appliquée (sa méthode down).',
  usage: 'db:revert',
  async run() {
    await revertLastMigration(loadConfig());
    process.stdout.write('Dernière migration annulée.\n');
    return 0;
  },
};

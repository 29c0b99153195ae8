import { loadConfig } from '@carepact/config';
import { TransactionRunner } from '@carepact/database';
import { loadDemoFixture } from '@carepact/residents';
import { CliCommand } from '../command';
import { withContext } from '../context';
import { loadDemo } from '../seed/load-demo';

export const seedDemo: CliCommand = {
  name: 'seed:demo',
  summary: 'Charge l’organisation, l’établissement, le personnel et les résidents de démonstration (complète un chargement partiel).',
  usage: 'seed:demo [--if-empty]',
  async run(args) {
    const ifEmpty = args.includes('--if-empty');
    // Demo accounts share a published password: never in a production database.
    if (loadConfig().env === 'production') {
      process.stderr.write(
        'seed:demo refusé : NODE_ENV=production. Les comptes de démonstration ont un mot de passe public ; ' +
          'créez les vrais comptes avec user:create.\n',
      );
      return 2;
    }
    const fixture = loadDemoFixture();
    return withContext(async (ctx, config) => {
      if (ifEmpty) {
        const [{ n }] = (await ctx.get(TransactionRunner).manager.query('SELECT count(*)::int AS n FROM organisations')) as { n: number }[];
        if (n > 0) return 0;
      }
      const { created, existing } = await loadDemo(ctx, config, fixture);
      const summary = `${fixture.establishment.name}, ${fixture.staff.length} comptes, ${fixture.residents.length} résidents`;
      if (!created.establishment && created.staff === 0 && created.residents === 0) process.stdout.write('Les données de démonstration sont déjà chargées.\n');
      else if (created.establishment && existing.staff === 0 && existing.residents === 0) process.stdout.write(`Démonstration chargée : ${summary}.\n`);
      else process.stdout.write(`Démonstration complétée : ${summary} (ajoutés : ${created.staff} comptes, ${created.residents} résidents).\n`);
      return 0;
    });
  },
};

import { loadConfig } from '@carepact/config';
import { TransactionRunner } from '@carepact/database';
import { loadDemoFixture } from '@carepact/residents';
import { CliCommand, UsageError, parseArgs } from '../command';
import { withContext } from '../context';
import { loadDemo } from '../seed/load-demo';

export const seedDemo: CliCommand = {
  name: 'seed:demo',
  summary: 'Charge l’organisation, l’établissement, le personnel et les résidents de démonstration (complète un chargement partiel).',
  usage: 'seed:demo [--if-empty] [--fixture <fichier>]',
  /**
   * `--fixture`: another demo file of the same shape (templates/demo/establishment-ime-les-sources.json,
   * the IME and its minors, in an organisation of its own); `--if-empty` then means « unless its
   * establishment (FINESS) is already there ». Without it: Les Tilleuls, and `--if-empty` « unless the
   * database holds an organisation » (`npm start`).
   */
  async run(args) {
    const { flags } = parseArgs(args);
    const unknown = Object.keys(flags).filter((k) => k !== 'if-empty' && k !== 'fixture');
    if (unknown.length) throw new UsageError(`Option inconnue : --${unknown[0]}.`);
    if (flags.fixture === true) throw new UsageError('Option --fixture : indiquez le fichier de données.');
    const ifEmpty = flags['if-empty'] !== undefined;
    const fixturePath = typeof flags.fixture === 'string' ? flags.fixture : undefined;
    // Demo accounts share a published password: never in a production database.
    if (loadConfig().env === 'production') {
      process.stderr.write(
        'seed:demo refusé : NODE_ENV=production. Les comptes de démonstration ont un mot de passe public ; ' +
          'créez les vrais comptes avec user:create.\n',
      );
      return 2;
    }
    let fixture: ReturnType<typeof loadDemoFixture>;
    try {
      fixture = loadDemoFixture(fixturePath);
    } catch (e) {
      process.stderr.write(`Fichier de données illisible (${fixturePath}) : ${(e as Error).message}\n`);
      return 2;
    }
    return withContext(async (ctx, config) => {
      if (ifEmpty) {
        const [{ n }] = (
          fixturePath
            ? await ctx.get(TransactionRunner).manager.query('SELECT count(*)::int AS n FROM establishments WHERE finess = $1', [fixture.establishment.finess])
            : await ctx.get(TransactionRunner).manager.query('SELECT count(*)::int AS n FROM organisations')
        ) as { n: number }[];
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

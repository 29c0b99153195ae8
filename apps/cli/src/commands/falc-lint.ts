import { FalcFinding, formatFalcFinding, lintTemplate, TemplateLoader } from '@carepact/templates';
import { CliCommand, parseArgs } from '../command';

/**
 * `falc:lint`: checks every easy-to-read text of every template version against the
 * machine-checkable rules of ACCESSIBILITY.md. Exit 1 when any error is found, 0 otherwise
 * (warnings are printed but do not fail), 2 on bad usage. No database, no Redis.
 */
export const falcLint: CliCommand = {
  name: 'falc:lint',
  summary: 'Vérifie les textes faciles à lire (FALC) de tous les modèles ; code 1 si une erreur est trouvée.',
  usage: 'falc:lint [--templates <dossier templates/>] [--json] [--errors-only]',
  async run(args) {
    const { flags, positional } = parseArgs(args);
    const unknown = [...Object.keys(flags).filter((k) => !['templates', 'json', 'errors-only'].includes(k)), ...positional];
    if (unknown.length || flags.templates === true) {
      process.stderr.write(`Argument non reconnu : ${unknown.join(', ') || '--templates sans dossier'}\nUsage : ${this.usage}\n`);
      return 2;
    }
    const loader = typeof flags.templates === 'string' ? new TemplateLoader(flags.templates) : new TemplateLoader();
    const findings: FalcFinding[] = [];
    let templates = 0;
    for (const summary of loader.list())
      for (const v of summary.versions) {
        templates++;
        findings.push(...lintTemplate(loader.load(summary.id, v.version).content));
      }
    const shown = flags['errors-only'] ? findings.filter((f) => f.severity === 'error') : findings;
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (flags.json) process.stdout.write(JSON.stringify({ templates, errors, warnings: findings.length - errors, findings: shown }, null, 2) + '\n');
    else {
      for (const f of shown) process.stdout.write(formatFalcFinding(f) + '\n');
      process.stdout.write(`${templates} version(s) de modèle vérifiée(s) : ${errors} erreur(s), ${findings.length - errors} alerte(s).\n`);
    }
    return errors > 0 ? 1 : 0;
  },
};

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ArchiveExporter, ArchiveProgress, ArchiveScope } from '@carepact/archive';
import { startOfDayIn } from '@carepact/common';
import { isCalendarDate } from '@carepact/residents';
import { CliCommand, UsageError, parseArgs } from '../command';
import { withContext } from '../context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A YYYY-MM-DD day of the command line, a real one (UsageError otherwise). */
function dayArg(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new UsageError(`Date invalide : ${day} (attendu AAAA-MM-JJ).`);
  if (!isCalendarDate(day)) throw new UsageError(`Date invalide : ${day}.`);
  return day;
}

export const archiveExport: CliCommand = {
  name: 'archive:export',
  summary:
    'Exporte un paquet d’archive (zip) : versions et rendus, documents remis avec le contrat, PDF scellés, dossiers de preuve, segment de la chaîne d’audit et manifeste signé par le certificat de l’établissement. L’export est journalisé.',
  usage: 'archive:export (--document ID | --resident ID | --establishment ID --from AAAA-MM-JJ --to AAAA-MM-JJ) --out FICHIER.zip',
  async run(args) {
    const { flags, positional } = parseArgs(args);
    const known = ['document', 'resident', 'establishment', 'from', 'to', 'out'];
    const unknown = [...Object.keys(flags).filter((k) => !known.includes(k)), ...positional];
    if (unknown.length) throw new UsageError(`Option inconnue : ${unknown[0]}`);
    const value = (k: string): string | undefined => {
      const v = flags[k];
      if (v === true) throw new UsageError(`--${k} attend une valeur.`);
      return v;
    };
    const kinds = (['document', 'resident', 'establishment'] as const).filter((k) => flags[k] !== undefined);
    if (kinds.length !== 1) throw new UsageError('Indiquez exactement un périmètre : --document, --resident ou --establishment.');
    const kind = kinds[0];
    const id = value(kind)!;
    if (!UUID.test(id)) throw new UsageError(`Identifiant invalide : ${id}`);
    const out = value('out');
    if (!out) throw new UsageError('--out FICHIER.zip est requis.');
    const file = resolve(out);
    if (!existsSync(dirname(file))) throw new UsageError(`Dossier introuvable : ${dirname(file)}`);
    let scope: ArchiveScope;
    if (kind === 'establishment') {
      const from = value('from');
      const to = value('to');
      if (!from || !to) throw new UsageError('--establishment demande --from et --to (dates incluses, heure de Paris).');
      // Whole days at midnight in Paris (the establishments' legal time), `--to` included.
      const start = startOfDayIn(dayArg(from));
      const lastDay = dayArg(to);
      const end = startOfDayIn(new Date(Date.UTC(+lastDay.slice(0, 4), +lastDay.slice(5, 7) - 1, +lastDay.slice(8, 10) + 1)).toISOString().slice(0, 10));
      if (end <= start) throw new UsageError('--to doit suivre --from.');
      scope = { kind, id: id.toLowerCase(), from: start, to: end };
    } else {
      if (flags.from !== undefined || flags.to !== undefined) throw new UsageError('--from et --to ne valent que pour --establishment.');
      scope = { kind, id: id.toLowerCase() };
    }
    return withContext(async (ctx) => {
      let last = 0;
      const exporter = ctx.get(ArchiveExporter);
      // An operator's tool across organisations: the package is of the subject's own organisation.
      const organisationId = await exporter.organisationOf(scope);
      const progress = (p: ArchiveProgress) => {
        if (p.phase === 'documents' && (p.done === p.total || Date.now() - last > 2000)) {
          last = Date.now();
          process.stderr.write(`… ${p.done}/${p.total} documents\n`);
        }
      };
      const result = await exporter.export(scope, file, progress, undefined, organisationId);
      process.stdout.write(
        `Paquet écrit : ${result.file}\n` +
          `  ${result.documents} document(s), ${result.files} fichier(s), ${result.sealed} PDF scellé(s), ${result.annexes} document(s) remis avec le contrat, ${result.events} événement(s) d’audit\n` +
          `  SHA-256 du manifeste : ${result.manifestSha256}\n`,
      );
      return 0;
    });
  },
};

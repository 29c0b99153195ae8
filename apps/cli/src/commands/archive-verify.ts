import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ArchiveUnreadableError, certificatesFromPem, verifyArchive } from '@carepact/archive';
import { CliCommand, UsageError, parseArgs } from '../command';

/** Offline: no configuration, no database, no Redis. Only the zip (and the CA file given). */
export const archiveVerify: CliCommand = {
  name: 'archive:verify',
  summary:
    'Vérifie un paquet d’archive hors ligne : signature du manifeste, empreinte de chaque fichier, chaîne d’audit et points de contrôle, sceau PAdES de chaque PDF. Code 0 si intact, 1 en nommant le premier problème, 2 si illisible.',
  usage: 'archive:verify FICHIER.zip [--trust AC.pem] [--json]',
  async run(args) {
    const { flags, positional } = parseArgs(args);
    const unknown = Object.keys(flags).filter((k) => k !== 'trust' && k !== 'json');
    if (unknown.length) throw new UsageError(`Option inconnue : --${unknown[0]}`);
    if (positional.length !== 1) throw new UsageError('Indiquez un seul paquet à vérifier.');
    if (flags.trust === true) throw new UsageError('--trust attend un fichier PEM.');
    if (flags.json !== undefined && flags.json !== true) throw new UsageError('--json ne prend pas de valeur.');
    const file = resolve(positional[0]);
    if (!existsSync(file)) throw new UsageError(`Paquet introuvable : ${file}`);
    let trusted;
    if (flags.trust) {
      const caFile = resolve(flags.trust);
      if (!existsSync(caFile)) throw new UsageError(`Fichier d’autorité introuvable : ${caFile}`);
      trusted = certificatesFromPem(readFileSync(caFile, 'utf8'));
      if (!trusted.length) throw new UsageError(`Aucun certificat PEM dans ${caFile}`);
    }
    let report;
    try {
      report = await verifyArchive(file, { trusted });
    } catch (e) {
      if (e instanceof ArchiveUnreadableError) {
        process.stderr.write(`${e.message}\n`);
        return 2;
      }
      throw e;
    }
    if (flags.json === true) {
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      return report.ok ? 0 : 1;
    }
    if (!report.ok) {
      const p = report.problem!;
      process.stdout.write(`ÉCHEC  ${p.file} [${p.code}] — ${p.message}\n`);
      return 1;
    }
    const trust =
      report.trusted === null
        ? 'certificat non vérifié auprès d’une autorité de confiance (certificate not checked against a trusted CA : utilisez --trust AC.pem)'
        : 'certificat rattaché à l’autorité de confiance fournie';
    process.stdout.write(
      `OK     ${file}\n` +
        `  manifeste signé par ${report.signer!.subject.replace(/\n/g, ', ')} (SHA-256 ${report.signer!.sha256}) ; ${trust}\n` +
        `  ${report.files} fichier(s) conformes au manifeste, ${report.sealedPdfs} sceau(x) PAdES valides, ${report.events} événement(s) d’audit chaînés jusqu’à une tête signée\n` +
        (report.timestamps.length
          ? report.timestamps.map((t) => `  horodatage : ${t.file} — ${t.genTime} (${t.authority})\n`).join('')
          : report.sealedPdfs
            ? '  aucun sceau horodaté : l’heure des sceaux est celle du serveur (pas d’horodatage qualifié)\n'
            : ''),
    );
    return 0;
  },
};

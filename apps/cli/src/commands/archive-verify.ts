import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ArchiveUnreadableError, certificatesFromPem, verifyArchive } from '@carepact/archive';
import { timestampLabel } from '@carepact/signing';
import { CliCommand, UsageError, parseArgs } from '../command';

/**
 * The roots a time-stamping authority must chain to, from a PEM file (one or more certificates) or
 * a directory of them (*.pem, *.crt, *.cer: PEM or DER). `from` names where the path came from.
 */
export function tsaTrustFrom(path: string, from: string): X509Certificate[] {
  const p = resolve(path);
  if (!existsSync(p)) throw new UsageError(`${from} : fichier ou dossier d’autorités d’horodatage introuvable : ${p}`);
  const files = statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => /\.(pem|crt|cer)$/i.test(f))
        .sort()
        .map((f) => join(p, f))
    : [p];
  const out: X509Certificate[] = [];
  for (const f of files) {
    const bytes = readFileSync(f);
    try {
      const text = bytes.toString('latin1');
      out.push(...(text.includes('-----BEGIN CERTIFICATE-----') ? certificatesFromPem(text) : [new X509Certificate(bytes)]));
    } catch {
      throw new UsageError(`${from} : certificat illisible dans ${f}`);
    }
  }
  if (!out.length) throw new UsageError(`${from} : aucun certificat dans ${p}`);
  return out;
}

/**
 * Offline: no configuration, no database, no Redis. Only the zip (and the CA files given). The time-stamping
 * authorities' roots: `--tsa-trust`, else ARCHIVE_TSA_TRUST, else SEAL_TSA_CA (the installation's own, when it runs there).
 */
export const archiveVerify: CliCommand = {
  name: 'archive:verify',
  summary:
    'Vérifie un paquet d’archive hors ligne : signature du manifeste, empreinte de chaque fichier, chaîne d’audit et points de contrôle, sceau PAdES de chaque PDF. Code 0 si intact, 1 en nommant le premier problème, 2 si illisible.',
  usage: 'archive:verify FICHIER.zip [--trust AC.pem] [--tsa-trust AC-HORODATAGE.pem|DOSSIER] [--json]',
  async run(args) {
    const { flags, positional } = parseArgs(args);
    const unknown = Object.keys(flags).filter((k) => k !== 'trust' && k !== 'tsa-trust' && k !== 'json');
    if (unknown.length) throw new UsageError(`Option inconnue : --${unknown[0]}`);
    if (positional.length !== 1) throw new UsageError('Indiquez un seul paquet à vérifier.');
    if (flags.trust === true) throw new UsageError('--trust attend un fichier PEM.');
    if (flags['tsa-trust'] === true) throw new UsageError('--tsa-trust attend un fichier PEM ou un dossier de certificats.');
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
    const tsaSource =
      typeof flags['tsa-trust'] === 'string'
        ? { path: flags['tsa-trust'], from: '--tsa-trust' }
        : process.env.ARCHIVE_TSA_TRUST?.trim()
          ? { path: process.env.ARCHIVE_TSA_TRUST.trim(), from: 'ARCHIVE_TSA_TRUST' }
          : process.env.SEAL_TSA_CA?.trim()
            ? { path: process.env.SEAL_TSA_CA.trim(), from: 'SEAL_TSA_CA' }
            : null;
    const tsaTrusted = tsaSource ? tsaTrustFrom(tsaSource.path, tsaSource.from) : undefined;
    let report;
    try {
      report = await verifyArchive(file, { trusted, tsaTrusted });
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
    const stamp = (t: (typeof report.timestamps)[number]) =>
      `  ${timestampLabel(t.qualified, 'lower')} : ${t.file} — ${t.genTime} (${t.authority}, jeton n° ${t.serialNumber}) ; ${
        t.trusted === null ? 'autorité d’horodatage non vérifiée (utilisez --tsa-trust)' : t.trusted ? `autorité d’horodatage de confiance (${tsaSource!.from})` : 'autorité d’horodatage NON RECONNUE'
      }\n`;
    if (!report.ok) {
      const p = report.problem!;
      process.stdout.write(`ÉCHEC  ${p.file} [${p.code}] — ${p.message}\n` + (p.code === 'TIMESTAMP_UNTRUSTED' ? report.timestamps.map(stamp).join('') : ''));
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
          ? report.timestamps.map(stamp).join('')
          : report.sealedPdfs
            ? '  aucun sceau horodaté : l’heure des sceaux est celle du serveur (pas d’horodatage qualifié)\n'
            : ''),
    );
    return 0;
  },
};

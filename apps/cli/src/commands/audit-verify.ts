import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AnchorReport, AuditAnchor, AuditModule, AuditVerifier } from '@carepact/audit';
import { DataSource } from 'typeorm';
import { CliCommand, UsageError, parseArgs } from '../command';
import { withContext } from '../context';

export const auditVerify: CliCommand = {
  name: 'audit:verify',
  summary:
    'Vérifie chaque chaîne d’audit et la chaîne des points de contrôle ; avec --anchor, les compare au fichier d’ancre tenu hors de la base. Code 0 si tout est intact, 1 sinon (premier problème nommé).',
  usage: 'audit:verify [--chain ID] [--anchor [FICHIER]] [--json]',
  async run(args) {
    const { flags, positional } = parseArgs(args);
    const unknown = [...Object.keys(flags).filter((k) => k !== 'json' && k !== 'anchor' && k !== 'chain'), ...positional];
    if (unknown.length) throw new UsageError(`Option inconnue : ${unknown[0]}`);
    if (flags.json !== undefined && flags.json !== true) throw new UsageError('--json ne prend pas de valeur.');
    const json = flags.json === true;
    // One organisation's chain (its id) and the checkpoint chain, instead of every chain.
    if (flags.chain !== undefined && (flags.chain === true || !/^[0-9a-f-]{36}$/i.test(flags.chain))) throw new UsageError('--chain attend l’identifiant d’une chaîne (UUID).');
    const chainIds = typeof flags.chain === 'string' ? [flags.chain.toLowerCase()] : undefined;
    return withContext(
      async (ctx) => {
        const em = ctx.get(DataSource).manager;
        const anchor = ctx.get(AuditAnchor);
        // `--anchor` alone: the file this installation's worker writes (AUDIT_ANCHOR_DIR).
        const anchorFile = flags.anchor === undefined ? null : flags.anchor === true ? anchor.file : resolve(flags.anchor);
        if (anchorFile && !existsSync(anchorFile)) throw new UsageError(`Fichier d’ancre introuvable : ${anchorFile}`);
        const report = await ctx.get(AuditVerifier).verifyAll(em, chainIds);
        const anchorReport: AnchorReport | null = anchorFile ? await anchor.verify(em, anchorFile) : null;
        const ok = report.ok && (anchorReport?.ok ?? true);
        if (json) process.stdout.write(JSON.stringify({ ...report, ok, anchor: anchorReport }, null, 2) + '\n');
        else {
          const cc = report.checkpointChain;
          if (cc.ok) process.stdout.write(`OK     points de contrôle : ${cc.checkpoints} chaînés et signés\n`);
          else process.stdout.write(`ROMPUE chaîne des points de contrôle : n° ${cc.firstBroken!.checkpointSeq} [${cc.firstBroken!.reason}] — ${cc.firstBroken!.message}\n`);
          for (const c of report.chains) {
            if (c.ok) process.stdout.write(`OK     chaîne ${c.chainId} : ${c.events} événements, ${c.checkpoints} points de contrôle\n`);
            else
              process.stdout.write(
                `ROMPUE chaîne ${c.chainId} : premier événement rompu n° ${c.firstBroken!.seq}` +
                  `${c.firstBroken!.eventId ? ` (${c.firstBroken!.eventId})` : ''} [${c.firstBroken!.reason}] — ${c.firstBroken!.message}\n`,
              );
          }
          if (report.chains.length === 0) process.stdout.write('Aucune chaîne d’audit.\n');
          if (anchorReport) {
            if (anchorReport.ok)
              process.stdout.write(`OK     ancre ${anchorReport.file} : ${anchorReport.lines} points de contrôle, tous présents et identiques dans la base (${cc.lastSeq} en base)\n`);
            else
              process.stdout.write(
                `ROMPUE ancre ${anchorReport.file} : ` +
                  (anchorReport.firstBroken!.checkpointSeq ? `première divergence au point de contrôle n° ${anchorReport.firstBroken!.checkpointSeq} ` : '') +
                  `[${anchorReport.firstBroken!.reason}] — ${anchorReport.firstBroken!.message}\n`,
              );
          }
        }
        return ok ? 0 : 1;
      },
      undefined,
      // The audit module alone: the command starts without the other libraries (issue 12, item 4).
      [AuditModule],
    );
  },
};

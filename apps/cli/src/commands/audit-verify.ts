import { AuditVerifier } from '@carepact/audit';
import { DataSource } from 'typeorm';
import { CliCommand } from '../command';
import { withContext } from '../context';

export const auditVerify: CliCommand = {
  name: 'audit:verify',
  summary: 'Vérifie chaque chaîne d’audit ; code 0 si tout est intact, 1 sinon (premier événement rompu nommé).',
  usage: 'audit:verify [--json]',
  async run(args) {
    const json = args.includes('--json');
    return withContext(async (ctx) => {
      const report = await ctx.get(AuditVerifier).verifyAll(ctx.get(DataSource).manager);
      if (json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else {
        for (const c of report.chains) {
          if (c.ok) process.stdout.write(`OK     chaîne ${c.chainId} : ${c.events} événements, ${c.checkpoints} points de contrôle\n`);
          else
            process.stdout.write(
              `ROMPUE chaîne ${c.chainId} : premier événement rompu n° ${c.firstBroken!.seq}` +
                `${c.firstBroken!.eventId ? ` (${c.firstBroken!.eventId})` : ''} [${c.firstBroken!.reason}] — ${c.firstBroken!.message}\n`,
            );
        }
        if (report.chains.length === 0) process.stdout.write('Aucune chaîne d’audit.\n');
      }
      return report.ok ? 0 : 1;
    });
  },
};

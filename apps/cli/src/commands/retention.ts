import { INestApplicationContext } from '@nestjs/common';
import { DataJobsService, PurgeReport, RetentionService } from '@carepact/archive';
import { AuditActor } from '@carepact/audit';
import { isDomainError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { systemActor } from '@carepact/identity';
import { CliCommand, UsageError, parseArgs } from '../command';
import { withContext } from '../context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function value(flags: Record<string, string | true>, k: string): string | undefined {
  const v = flags[k];
  if (v === true) throw new UsageError(`--${k} attend une valeur.`);
  return v;
}

function onlyKnown(flags: Record<string, string | true>, positional: string[], known: string[], positionals = 0): void {
  const unknown = [...Object.keys(flags).filter((k) => !known.includes(k)), ...positional.slice(positionals)];
  if (unknown.length) throw new UsageError(`Option inconnue : ${unknown[0]}`);
}

/** `--organisation ID`, or the only organisation of the installation. */
async function organisationOf(ctx: INestApplicationContext, flag: string | undefined): Promise<string> {
  const em = ctx.get(TransactionRunner).manager;
  if (flag !== undefined) {
    if (!UUID.test(flag)) throw new UsageError(`Identifiant d’organisation invalide : ${flag}`);
    const found = (await em.query(`SELECT id FROM organisations WHERE id = $1`, [flag.toLowerCase()])) as { id: string }[];
    if (!found.length) throw new UsageError(`Organisation introuvable : ${flag}`);
    return found[0].id;
  }
  const all = (await em.query(`SELECT id FROM organisations ORDER BY created_at LIMIT 2`)) as { id: string }[];
  if (all.length !== 1) throw new UsageError(all.length ? 'Plusieurs organisations : indiquez --organisation ID.' : 'Aucune organisation.');
  return all[0].id;
}

/** Domain errors (bad input, hold in place…) → their French message, exit 2. */
async function domain(work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (e) {
    if (isDomainError(e)) {
      process.stderr.write(`${e.messageFr}${e.details.length ? ' ' + e.details.map((d) => d.message).join(' ') : ''} (${e.details[0]?.code ?? e.code})\n`);
      return 2;
    }
    throw e;
  }
}

/**
 * The CLI acts for the operator of the installation, as the system (audited `system`,
 * `cli:<command>`), not as a member of staff: it keeps the organisation-wide power the API gives
 * only to an administrator of every establishment — the durations and the archives regime — and a
 * purge over all the organisation's establishments, and the run of any of its reports whoever drew
 * it (DataJobsService.purgeReport, requestPurge; RetentionService.plan).
 */
const CLI_ACTOR = (name: string): AuditActor => ({ type: 'system', id: `cli:${name}` });

export const retentionPolicy: CliCommand = {
  name: 'retention:policy',
  summary: 'Affiche les durées de conservation de l’organisation (défaut, règle) ; --set TYPE=ANNÉES en change une (journalisé).',
  usage: 'retention:policy [--organisation ID] [--set TYPE=ANNÉES]',
  async run(args) {
    const { flags, positional } = parseArgs(args);
    onlyKnown(flags, positional, ['organisation', 'set']);
    const set = value(flags, 'set');
    const m = set === undefined ? null : /^([a-z-]+)=(\d{1,3})$/.exec(set);
    if (set !== undefined && !m) throw new UsageError('--set attend TYPE=ANNÉES, par exemple contrat-sejour=10.');
    return withContext(async (ctx) =>
      domain(async () => {
        const org = await organisationOf(ctx, value(flags, 'organisation'));
        const retention = ctx.get(RetentionService);
        if (m) await ctx.get(TransactionRunner).run((em) => retention.setPolicy(em, CLI_ACTOR('retention:policy'), org, m[1], Number(m[2])));
        for (const p of await retention.policies(ctx.get(TransactionRunner).manager, org))
          process.stdout.write(`${p.subject.padEnd(22)} ${String(p.years).padStart(3)} an(s)${p.custom ? ` (défaut ${p.defaultYears})` : ''}  ${p.label}\n${''.padEnd(29)}${p.basis}\n`);
        return 0;
      }),
    );
  },
};

export const holdPlace: CliCommand = {
  name: 'hold:place',
  summary: 'Place un gel (legal hold) sur une personne ou un document : aucune suppression tant qu’il n’est pas levé (journalisé).',
  usage: 'hold:place (--resident ID | --document ID) --reason "…"',
  async run(args) {
    const { flags, positional } = parseArgs(args);
    onlyKnown(flags, positional, ['resident', 'document', 'reason']);
    const kinds = (['resident', 'document'] as const).filter((k) => flags[k] !== undefined);
    if (kinds.length !== 1) throw new UsageError('Indiquez --resident ou --document.');
    const id = value(flags, kinds[0])!;
    if (!UUID.test(id)) throw new UsageError(`Identifiant invalide : ${id}`);
    return withContext(async (ctx) =>
      domain(async () => {
        const table = kinds[0] === 'resident' ? 'residents' : 'documents';
        const [row] = (await ctx.get(TransactionRunner).manager.query(`SELECT organisation_id FROM ${table} WHERE id = $1`, [id.toLowerCase()])) as { organisation_id: string }[];
        if (!row) throw new UsageError(`${kinds[0] === 'resident' ? 'Personne' : 'Document'} introuvable : ${id}`);
        const hold = await ctx
          .get(TransactionRunner)
          .run((em) => ctx.get(RetentionService).placeHold(em, CLI_ACTOR('hold:place'), row.organisation_id, { subjectType: kinds[0], subjectId: id, reason: flags.reason }));
        process.stdout.write(`Gel placé : ${hold.id} (${hold.subjectType} ${hold.subjectId}, ${hold.placedAt})\n`);
        return 0;
      }),
    );
  },
};

export const holdLift: CliCommand = {
  name: 'hold:lift',
  summary: 'Lève un gel, avec son motif (journalisé).',
  usage: 'hold:lift <ID du gel> --reason "…"',
  async run(args) {
    const { flags, positional } = parseArgs(args);
    onlyKnown(flags, positional, ['reason'], 1);
    const id = positional[0];
    if (!id || !UUID.test(id)) throw new UsageError('Indiquez l’identifiant du gel.');
    return withContext(async (ctx) =>
      domain(async () => {
        const [row] = (await ctx.get(TransactionRunner).manager.query(`SELECT organisation_id FROM legal_holds WHERE id = $1`, [id.toLowerCase()])) as { organisation_id: string }[];
        if (!row) throw new UsageError(`Gel introuvable : ${id}`);
        const hold = await ctx.get(TransactionRunner).run((em) => ctx.get(RetentionService).liftHold(em, CLI_ACTOR('hold:lift'), row.organisation_id, id.toLowerCase(), flags.reason));
        process.stdout.write(`Gel levé : ${hold.id} (${hold.liftedAt})\n`);
        return 0;
      }),
    );
  },
};

function reportText(id: string, r: PurgeReport): string {
  const k = r.kept;
  return [
    `Simulation de purge ${id} (jour ${r.day}) — rien n’a été supprimé.`,
    `Établissements couverts : ${r.establishmentIds ? r.establishmentIds.length : 'tous ceux de l’organisation'}${r.establishmentIds?.length ? ` (${r.establishmentIds.join(', ')})` : ''}.`,
    `À supprimer : ${r.documents.length} document(s), ${r.residents.length} dossier(s) de personne.`,
    ...r.documents.map((d) => `  document ${d.id} (${d.subject}) — fin d’accompagnement ${d.departedOn}, conservation jusqu’au ${d.retentionEnds}`),
    ...r.residents.map((p) => `  personne ${p.id} — fin d’accompagnement ${p.departedOn}, conservation jusqu’au ${p.retentionEnds}`),
    `Gardés : ${k.heldDocuments} document(s) et ${k.heldResidents} personne(s) sous gel ; ` +
      `${k.openAccessRequestDocuments ?? 0} document(s) et ${k.openAccessRequestResidents ?? 0} personne(s) : demande d’accès en cours ; ${k.inRetentionDocuments} document(s) et ${k.inRetentionResidents} personne(s) en conservation ; ` +
      `${k.inProgressDocuments} document(s) en cours ; ${k.residentsWithKeptDocuments} personne(s) dont des documents restent.`,
    `Pour exécuter : npm run cli -- purge --report ${id}`,
    '',
  ].join('\n');
}

export const purge: CliCommand = {
  name: 'purge',
  summary:
    'Purge de ce qui a dépassé sa durée de conservation : --dry-run d’abord (rapport, rien supprimé), puis --report ID l’exécute en tâche (documents, blobs, données personnelles ; pierres tombales et journal d’audit conservés ; jamais ce qui est gelé).',
  usage: 'purge --dry-run [--organisation ID] [--json] | purge --report ID [--visa-reference REF --visa-date AAAA-MM-JJ --visa-signatory "NOM, FONCTION"] [--no-wait]',
  async run(args) {
    const { flags, positional } = parseArgs(args);
    onlyKnown(flags, positional, ['dry-run', 'organisation', 'json', 'report', 'no-wait', 'visa-reference', 'visa-date', 'visa-signatory']);
    // A public organisation's purge: the visa of the archives administration (Code du patrimoine R.212-14), checked by the service.
    const visa = { reference: value(flags, 'visa-reference'), date: value(flags, 'visa-date'), signatory: value(flags, 'visa-signatory') };
    const dry = flags['dry-run'] === true;
    const reportId = value(flags, 'report');
    if (dry === (reportId !== undefined)) throw new UsageError('Indiquez --dry-run (simulation) ou --report ID (exécution d’une simulation).');
    return withContext(async (ctx) =>
      domain(async () => {
        const jobs = ctx.get(DataJobsService);
        if (dry) {
          const org = await organisationOf(ctx, value(flags, 'organisation'));
          // The system: all the organisation's establishments (CLI_ACTOR).
          const job = await jobs.purgeReport(systemActor(org, [], 'cli:purge'));
          // A large report piped: main() flushes stdout before process.exit.
          process.stdout.write(flags.json === true ? JSON.stringify({ id: job.id, report: job.report }, null, 2) + '\n' : reportText(job.id, job.report as PurgeReport));
          return 0;
        }
        if (!UUID.test(reportId!)) throw new UsageError(`Identifiant de rapport invalide : ${reportId}`);
        const [row] = (await ctx.get(TransactionRunner).manager.query(`SELECT organisation_id FROM data_jobs WHERE id = $1`, [reportId!.toLowerCase()])) as { organisation_id: string }[];
        if (!row) throw new UsageError(`Rapport introuvable : ${reportId}`);
        // The system runs any report of the organisation, whoever drew it (CLI_ACTOR).
        const job = await jobs.requestPurge(systemActor(row.organisation_id, [], 'cli:purge'), reportId!.toLowerCase(), visa);
        process.stdout.write(`Purge demandée : tâche ${job.id} (exécutée par le worker).\n`);
        if (flags['no-wait'] === true) return 0;
        let last = '';
        for (;;) {
          const now = (await jobs.get(ctx.get(TransactionRunner).manager, row.organisation_id, job.id))!;
          const line = `… ${now.status} ${now.done}/${now.total}`;
          if (line !== last) process.stderr.write(line + '\n');
          last = line;
          if (now.status === 'done') {
            const o = now.report as { documents: number; residents: number; blobs: number; skipped: number };
            process.stdout.write(`Purge terminée : ${o.documents} document(s), ${o.residents} dossier(s), ${o.blobs} fichier(s) supprimés ; ${o.skipped} élément(s) gardés (gel ou conservation depuis la simulation).\n`);
            return 0;
          }
          if (now.status === 'failed') {
            process.stderr.write(`Purge en échec : ${now.error}\n`);
            return 1;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      }),
    );
  },
};

import { isDomainError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffService } from '@carepact/identity';
import { CliCommand, UsageError, parseArgs } from '../command';
import { withContext } from '../context';

function printDomainError(e: unknown): number {
  if (!isDomainError(e)) throw e;
  process.stderr.write(`${e.messageFr}\n${e.details.map((d) => `  - ${d.field} : ${d.message}`).join('\n')}\n`);
  return 2;
}

/** For the platform operator: a new organisme gestionnaire (its own audit chain starts with it). */
export const organisationCreate: CliCommand = {
  name: 'organisation:create',
  summary: 'Crée une organisation (organisme gestionnaire) ; affiche son identifiant.',
  usage: 'organisation:create --name "<nom>" [--siren <9 chiffres>]',
  async run(args) {
    const { flags } = parseArgs(args);
    const name = typeof flags.name === 'string' ? flags.name.trim() : '';
    if (!name) throw new UsageError('Option --name manquante.');
    const siren = typeof flags.siren === 'string' ? flags.siren.replace(/\s/g, '') : null;
    if (siren !== null && !/^[0-9]{9}$/.test(siren)) throw new UsageError('Le SIREN comporte 9 chiffres.');
    return withContext(async (ctx) => {
      try {
        const org = await ctx.get(TransactionRunner).run((em) => ctx.get(StaffService).createOrganisation(em, { type: 'system', id: 'cli:organisation:create' }, { name, siren }));
        process.stdout.write(`Organisation créée : ${org.name}\nIdentifiant : ${org.id}\n`);
        return 0;
      } catch (e) {
        return printDomainError(e);
      }
    });
  },
};

/** For the platform operator: an establishment of an organisation; then `user:create` gives it an administrator. */
export const establishmentCreate: CliCommand = {
  name: 'establishment:create',
  summary: 'Crée un établissement dans une organisation ; affiche son identifiant.',
  usage:
    'establishment:create --organisation <id> --name "<nom>" --category <EHPAD|FAM|MAS|…> --finess <n°> --address "<adresse>" --director-first-name <prénom> --director-last-name <nom> [--director-email <e-mail>] [--phone <téléphone>]',
  async run(args) {
    const { flags } = parseArgs(args);
    const get = (k: string): string => {
      const v = flags[k];
      if (typeof v !== 'string' || !v.trim()) throw new UsageError(`Option --${k} manquante.`);
      return v.trim();
    };
    const opt = (k: string): string | null => (typeof flags[k] === 'string' && (flags[k] as string).trim() ? (flags[k] as string).trim() : null);
    const organisationId = get('organisation');
    const input = {
      name: get('name'),
      category: get('category'),
      finess: get('finess'),
      address: get('address'),
      directorFirstName: get('director-first-name'),
      directorLastName: get('director-last-name'),
      directorEmail: opt('director-email'),
      phone: opt('phone'),
    };
    return withContext(async (ctx) => {
      const tx = ctx.get(TransactionRunner);
      const rows = (await tx.manager.query(`SELECT id FROM organisations WHERE id::text = $1`, [organisationId])) as { id: string }[];
      if (rows.length !== 1) {
        process.stderr.write('Organisation introuvable (indiquez l’identifiant affiché par organisation:create).\n');
        return 2;
      }
      try {
        const est = await tx.run((em) => ctx.get(StaffService).createEstablishment(em, { type: 'system', id: 'cli:establishment:create' }, rows[0].id, input));
        process.stdout.write(`Établissement créé : ${est.name} (FINESS ${est.finess})\nIdentifiant : ${est.id}\n`);
        process.stdout.write(`Ensuite : npm run cli -- user:create --establishment ${est.finess} --role administrator --email <e-mail> --name "<nom>"\n`);
        return 0;
      } catch (e) {
        return printDomainError(e);
      }
    });
  },
};

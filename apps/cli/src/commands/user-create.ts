import { randomBytes } from 'node:crypto';
import { isDomainError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { STAFF_ROLES, StaffRole, StaffService } from '@carepact/identity';
import { CliCommand, UsageError, parseArgs } from '../command';
import { withContext } from '../context';

export const userCreate: CliCommand = {
  name: 'user:create',
  summary: 'Crée un compte du personnel avec un rôle dans un établissement.',
  usage:
    'user:create --email <e-mail> --name "<nom>" --role <admissions|coordinator|director|auditor|administrator> --establishment <id ou n° FINESS> [--password <mot de passe>]',
  async run(args) {
    const { flags } = parseArgs(args);
    const get = (k: string): string => {
      const v = flags[k];
      if (typeof v !== 'string' || !v) throw new UsageError(`Option --${k} manquante.`);
      return v;
    };
    const email = get('email');
    const name = get('name');
    const role = get('role') as StaffRole;
    if (!STAFF_ROLES.includes(role)) throw new UsageError(`Rôle inconnu : valeurs possibles ${STAFF_ROLES.join(', ')}.`);
    const establishment = get('establishment');
    const generated = typeof flags.password !== 'string';
    const password = generated ? randomBytes(12).toString('base64url') : (flags.password as string);
    return withContext(async (ctx) => {
      const tx = ctx.get(TransactionRunner);
      const rows = (await tx.manager.query(
        `SELECT id, organisation_id FROM establishments WHERE id::text = $1 OR finess = $1`,
        [establishment],
      )) as { id: string; organisation_id: string }[];
      if (rows.length !== 1) {
        process.stderr.write('Établissement introuvable (indiquez son identifiant ou son numéro FINESS).\n');
        return 2;
      }
      try {
        const user = await tx.run((em) =>
          ctx.get(StaffService).createUser(em, { type: 'system', id: 'cli:user:create' }, rows[0].organisation_id, {
            email,
            name,
            password,
            roles: [{ establishmentId: rows[0].id, role }],
          }),
        );
        process.stdout.write(`Compte créé : ${user.email} (${role}).\n`);
        if (generated) process.stdout.write(`Mot de passe initial : ${password}\n`);
        return 0;
      } catch (e) {
        if (isDomainError(e)) {
          process.stderr.write(`${e.messageFr}\n${e.details.map((d) => `  - ${d.field} : ${d.message}`).join('\n')}\n`);
          return 2;
        }
        throw e;
      }
    });
  },
};

import { isDomainError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffService } from '@carepact/identity';
import { CliCommand, UsageError, parseArgs } from '../command';
import { withContext } from '../context';

export const userDisable: CliCommand = {
  name: 'user:disable',
  summary: 'Désactive un compte du personnel : plus de connexion, ses sessions prennent fin aussitôt.',
  usage: 'user:disable <e-mail>',
  async run(args) {
    const { positional, flags } = parseArgs(args);
    if (positional.length !== 1 || Object.keys(flags).length) throw new UsageError('Indiquez une seule adresse e-mail.');
    const email = positional[0];
    return withContext(async (ctx) => {
      const tx = ctx.get(TransactionRunner);
      try {
        const user = await tx.run((em) => ctx.get(StaffService).disableUserByEmail(em, { type: 'system', id: 'cli:user:disable' }, email));
        process.stdout.write(`Compte désactivé : ${user.email}. Ses sessions sont closes.\n`);
        return 0;
      } catch (e) {
        if (isDomainError(e)) {
          process.stderr.write(`${e.messageFr}\n`);
          return 2;
        }
        throw e;
      }
    });
  },
};

import { loadConfig } from '@carepact/config';
import { TransactionRunner } from '@carepact/database';
import { StaffService, systemActor } from '@carepact/identity';
import { ResidentsService, loadDemoFixture, residentInputOf } from '@carepact/residents';
import { CliCommand } from '../command';
import { withContext } from '../context';

export const seedDemo: CliCommand = {
  name: 'seed:demo',
  summary: 'Charge l’organisation, l’établissement, le personnel et les résidents de démonstration.',
  usage: 'seed:demo [--if-empty]',
  async run(args) {
    const ifEmpty = args.includes('--if-empty');
    const config = loadConfig();
    // Demo accounts share a published password: never in a production database.
    if (config.env === 'production') {
      process.stderr.write(
        'seed:demo refusé : NODE_ENV=production. Les comptes de démonstration ont un mot de passe public ; ' +
          'créez les vrais comptes avec user:create.\n',
      );
      return 2;
    }
    const fixture = loadDemoFixture();
    return withContext(async (ctx) => {
      const tx = ctx.get(TransactionRunner);
      const [{ n }] = (await tx.manager.query('SELECT count(*)::int AS n FROM organisations')) as { n: number }[];
      if (ifEmpty && n > 0) return 0;
      const [{ exists }] = (await tx.manager.query('SELECT EXISTS (SELECT 1 FROM staff_users WHERE email = $1) AS exists', [
        fixture.staff[0].email.toLowerCase(),
      ])) as { exists: boolean }[];
      if (exists) {
        process.stdout.write('Les données de démonstration sont déjà chargées.\n');
        return 0;
      }
      const staff = ctx.get(StaffService);
      const system = { type: 'system' as const, id: 'seed:demo' };
      // Organisation, establishment and staff in one transaction: all or nothing.
      const { orgId, estId } = await tx.run(async (em) => {
        const org = await staff.createOrganisation(em, system, { name: fixture.organisation.name, siren: fixture.organisation.siren ?? null });
        const e = fixture.establishment;
        const est = await staff.createEstablishment(em, system, org.id, {
          name: e.name,
          category: e.category,
          finess: e.finess,
          address: e.address,
          phone: e.phone ?? null,
          directorFirstName: e.director.firstName,
          directorLastName: e.director.lastName,
          directorEmail: e.director.email ?? null,
          tariffs: e.tariffs ?? null,
          annexes: e.annexes ?? null,
        });
        for (const s of fixture.staff) {
          await staff.createUser(em, system, org.id, {
            email: s.email,
            name: s.name,
            password: config.demo.password,
            roles: [{ establishmentId: est.id, role: s.role }],
          });
        }
        return { orgId: org.id, estId: est.id };
      });
      const residents = ctx.get(ResidentsService);
      const actor = systemActor(orgId, [estId], 'seed:demo');
      for (const r of fixture.residents) await residents.create(actor, residentInputOf(r, estId));
      process.stdout.write(
        `Démonstration chargée : ${fixture.establishment.name}, ${fixture.staff.length} comptes, ${fixture.residents.length} résidents.\n`,
      );
      return 0;
    }, config);
  },
};

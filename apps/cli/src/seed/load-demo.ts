import { INestApplicationContext } from '@nestjs/common';
import { RetentionService, parisToday } from '@carepact/archive';
import { AppConfig } from '@carepact/config';
import { TransactionRunner } from '@carepact/database';
import { StaffService, systemActor } from '@carepact/identity';
import { DemoFixture, ResidentsService, establishmentInputOf, fixtureDepartureDate, residentInputOf } from '@carepact/residents';
import { publishDemoAnnexes } from './demo-annexes';

/** What one `seed:demo` found already there and what it added. */
export interface DemoLoad {
  organisationId: string;
  establishmentId: string;
  created: { organisation: boolean; establishment: boolean; staff: number; residents: number };
  existing: { staff: number; residents: number };
  /** The PDFs of the documents handed over with the contract (one per annex key): published now, or already there. */
  annexFiles: { created: number; existing: number };
}

const SYSTEM = { type: 'system' as const, id: 'seed:demo' };

/**
 * Loads the demo organisation, establishment, staff and residents in ONE transaction: a failure
 * anywhere leaves nothing written. What is already there (a database half-loaded by an older seed,
 * or some demo rows deleted) is found and kept, and only what is missing is added — never a
 * duplicate. Concurrent seeds queue on an advisory lock, so two of them cannot both add the same rows.
 * Matching: the establishment by FINESS, a staff member by e-mail, a resident by establishment,
 * names and birth date.
 */
export async function loadDemo(ctx: INestApplicationContext, config: AppConfig, fixture: DemoFixture): Promise<DemoLoad> {
  const staff = ctx.get(StaffService);
  return ctx.get(TransactionRunner).run(async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('carepact:seed:demo'))`);
    const e = fixture.establishment;
    const created = { organisation: false, establishment: false, staff: 0, residents: 0 };
    const existing = { staff: 0, residents: 0 };

    let [est] = (await em.query('SELECT id, organisation_id FROM establishments WHERE finess = $1 ORDER BY created_at LIMIT 1', [e.finess])) as {
      id: string;
      organisation_id: string;
    }[];
    let orgId = est?.organisation_id;
    if (!orgId) {
      // An organisation of the demo's name with no establishment yet is the demo's, half-loaded.
      const [org] = (await em.query(
        'SELECT o.id FROM organisations o WHERE o.name = $1 AND NOT EXISTS (SELECT 1 FROM establishments e WHERE e.organisation_id = o.id) ORDER BY o.created_at LIMIT 1',
        [fixture.organisation.name],
      )) as { id: string }[];
      orgId = org?.id ?? (await staff.createOrganisation(em, SYSTEM, { name: fixture.organisation.name, siren: fixture.organisation.siren ?? null })).id;
      created.organisation = !org;
    }
    if (!est) {
      const made = await staff.createEstablishment(em, SYSTEM, orgId, establishmentInputOf(e));
      est = { id: made.id, organisation_id: orgId };
      created.establishment = true;
    }

    for (const s of fixture.staff) {
      const [found] = (await em.query('SELECT 1 FROM staff_users WHERE email = $1', [s.email.trim().toLowerCase()])) as unknown[];
      if (found) {
        existing.staff++;
        continue;
      }
      await staff.createUser(em, SYSTEM, orgId, { email: s.email, name: s.name, password: config.demo.password, roles: [{ establishmentId: est.id, role: s.role }] });
      created.staff++;
    }

    const residents = ctx.get(ResidentsService);
    const actor = systemActor(orgId, [est.id], 'seed:demo');
    const today = parisToday();
    for (const r of fixture.residents) {
      const [found] = (await em.query(
        'SELECT id, departed_on::text AS departed_on FROM residents WHERE establishment_id = $1 AND first_name = $2 AND last_name = $3 AND birth_date = $4',
        [est.id, r.firstName, r.lastName, r.birthDate],
      )) as { id: string; departed_on: string | null }[];
      if (found) existing.residents++;
      const residentId = found?.id ?? (await residents.createIn(em, actor, residentInputOf(r, est.id))).id;
      if (!found) created.residents++;
      // A person who has left (the intermediate archive's demo): her departure, counted back from today,
      // recorded as staff record it (audited); one a half-loaded database lacks is completed, never moved.
      const departedOn = fixtureDepartureDate(r, today);
      if (departedOn && !found?.departed_on) await ctx.get(RetentionService).recordDeparture(em, SYSTEM, orgId, residentId, departedOn);
    }
    // A small real PDF for each document handed over with the contract, so that the demo's contracts name their files.
    const annexFiles = await publishDemoAnnexes(ctx, em, actor, est.id);
    return { organisationId: orgId, establishmentId: est.id, created, existing, annexFiles };
  });
}

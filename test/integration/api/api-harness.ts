import { INestApplication } from '@nestjs/common';
import { TransactionRunner } from '@carepact/database';
import { StaffRole, StaffService } from '@carepact/identity';
import { createTestDatabase, seedOrganisation, SeededOrganisation, TEST_PASSWORD, TestDatabase } from '@carepact/testing';
import { createApiApp } from '../../../apps/api/src/bootstrap';

export interface ApiHarness {
  db: TestDatabase;
  app: INestApplication;
  orgA: SeededOrganisation;
  orgB: SeededOrganisation;
  close(): Promise<void>;
}

/** A fresh database, the real HTTP app on it, and two organisations with one user per role. */
export async function startApiHarness(env: Record<string, string> = {}): Promise<ApiHarness> {
  const db = await createTestDatabase(env);
  const app = await createApiApp(db.config);
  await app.init();
  const orgA = await seedOrganisation(app, 'a');
  const orgB = await seedOrganisation(app, 'b');
  return {
    db,
    app,
    orgA,
    orgB,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/** A further establishment of an organisation (for checks between establishments). */
export async function addEstablishment(app: INestApplication, organisationId: string, tag: string): Promise<string> {
  const system = { type: 'system' as const, id: 'test' };
  return app.get(TransactionRunner).run(async (em) => {
    const est = await app.get(StaffService).createEstablishment(em, system, organisationId, {
      name: `Foyer ${tag}`,
      category: 'FAM',
      finess: String(100000000 + Math.floor(Math.random() * 899999999)).slice(0, 9),
      address: '2 rue du Test, 00000 Testville',
      directorFirstName: 'Directeur',
      directorLastName: tag,
    });
    return est.id;
  });
}

/** A staff account with the given roles (password TEST_PASSWORD), created as the system. */
export async function addUser(
  app: INestApplication,
  organisationId: string,
  email: string,
  roles: { establishmentId: string; role: StaffRole }[],
): Promise<string> {
  const system = { type: 'system' as const, id: 'test' };
  const user = await app
    .get(TransactionRunner)
    .run((em) => app.get(StaffService).createUser(em, system, organisationId, { email, name: email.split('@')[0], password: TEST_PASSWORD, roles }));
  return user.id;
}

import { INestApplication } from '@nestjs/common';
import { createTestDatabase, seedOrganisation, SeededOrganisation, TestDatabase } from '@carepact/testing';
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

import { NestFactory } from '@nestjs/core';
import { dataSourceOptions, revertLastMigration, runMigrations, MIGRATIONS } from '@carepact/database';
import { createTestDatabase, TestDatabase } from '@carepact/testing';
import { DataSource } from 'typeorm';
import { ApiModule } from '../../apps/api/src/api.module';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/** STYLE.md §9: CI fails when the entities and the migrations disagree. */
describe('schema: entities and migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('the migrated database matches every entity of the api and the worker (no pending schema change)', async () => {
    const targets = new Set<unknown>();
    for (const mod of [ApiModule.register(db.config), WorkerModule.register(db.config)]) {
      const ctx = await NestFactory.createApplicationContext(mod, { logger: false });
      // The worker's processors and relay are not started: only the module graph is needed.
      for (const m of ctx.get(DataSource).entityMetadatas) targets.add(m.target);
      await ctx.close();
    }
    const ds = new DataSource(dataSourceOptions(db.config, { as: 'owner', entities: [...targets] as never }));
    await ds.initialize();
    try {
      const log = await ds.driver.createSchemaBuilder().log();
      expect(log.upQueries.map((q) => q.query)).toEqual([]);
      expect(ds.entityMetadatas.map((m) => m.tableName).sort()).toEqual(
        expect.arrayContaining(['audit_events', 'outbox', 'residents', 'protection_measures', 'staff_users']),
      );
    } finally {
      await ds.destroy();
    }
  });

  it('every migration has a working down: all reverted, then re-applied', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await revertLastMigration(db.config);
    const ds = new DataSource(dataSourceOptions(db.config, { as: 'owner' }));
    await ds.initialize();
    const tables = (await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`)) as unknown[];
    await ds.destroy();
    expect(tables).toEqual([]);
    const applied = await runMigrations(db.config);
    expect(applied).toHaveLength(MIGRATIONS.length);
  });
});

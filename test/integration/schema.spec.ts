import { createHash } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { dataSourceOptions, revertLastMigration, runMigrations, MIGRATIONS } from '@carepact/database';
import { createTestDatabase, serialiseQueryRunners, TestDatabase, warningsDuring } from '@carepact/testing';
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
    // TypeORM's schema builder reads the columns concurrently on one client (serial-queries.ts): sent one by one.
    serialiseQueryRunners(ds);
    try {
      const { result: log, warnings } = await warningsDuring(() => ds.driver.createSchemaBuilder().log());
      // pg 8 warns, and pg 9 fails, when a client is sent a query while it runs another.
      expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
      expect(log.upQueries.map((q) => q.query)).toEqual([]);
      expect(ds.entityMetadatas.map((m) => m.tableName).sort()).toEqual(
        expect.arrayContaining(['audit_events', 'outbox', 'residents', 'protection_measures', 'staff_users']),
      );
    } finally {
      await ds.destroy();
    }
  });

  it('blobs are compressed with LZ4 (issue 12: pglz cost 2.5 times the CPU on already compressed renditions) and read back whole', async () => {
    const ds = new DataSource(dataSourceOptions(db.config, { as: 'owner', entities: [] }));
    await ds.initialize();
    try {
      const [{ method }] = (await ds.query(`SELECT attcompression AS method FROM pg_attribute WHERE attrelid = 'blobs'::regclass AND attname = 'content'`)) as { method: string }[];
      expect(method).toBe('l');
      // A compressible content large enough to be compressed: stored with LZ4, read back as written.
      const content = Buffer.from('Contrat de séjour — '.repeat(4000));
      const sha = createHash('sha256').update(content).digest('hex');
      await ds.query(`INSERT INTO blobs (sha256, byte_size, content, created_at) VALUES ($1, $2, $3, now())`, [sha, content.length, content]);
      const [row] = (await ds.query(`SELECT content, pg_column_compression(content) AS method FROM blobs WHERE sha256 = $1`, [sha])) as { content: Buffer; method: string }[];
      expect(row.method).toBe('lz4');
      expect(row.content.equals(content)).toBe(true);
    } finally {
      await ds.destroy();
    }
  });

  it('the purge clears every table that refers to what it deletes: each foreign key into a purged table is ON DELETE CASCADE / SET NULL, or from a table the purge functions name', async () => {
    // A table added later with a RESTRICT key to documents, versions, requests, questions or a
    // resident's file made the retention purge fail (CNIL délibération 2023-095: the data must go):
    // document_visas, bulk_run_items, signer_question_answers. This keeps the next one from doing so.
    const ds = new DataSource(dataSourceOptions(db.config, { as: 'owner', entities: [] }));
    await ds.initialize();
    try {
      const defs = (await ds.query(
        `SELECT pg_get_functiondef(p.oid) AS def FROM pg_proc p WHERE p.proname IN ('carepact_purge_document', 'carepact_purge_resident')`,
      )) as { def: string }[];
      expect(defs).toHaveLength(2);
      const text = defs.map((d) => d.def).join('\n');
      const purged = new Set([...text.matchAll(/DELETE FROM (\w+)/g)].map((m) => m[1]));
      expect([...purged]).toEqual(expect.arrayContaining(['documents', 'document_versions', 'signature_requests', 'residents', 'blobs']));
      const keys = (await ds.query(
        `SELECT conrelid::regclass::text AS source, confrelid::regclass::text AS target, confdeltype AS on_delete, conname AS name FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 4`,
      )) as { source: string; target: string; on_delete: string; name: string }[];
      const named = (table: string) => new RegExp(`\\b${table}\\b`).test(text);
      const unhandled = keys.filter((k) => purged.has(k.target) && !['c', 'n'].includes(k.on_delete) && !named(k.source)).map((k) => `${k.name} (${k.source} → ${k.target})`);
      expect(unhandled).toEqual([]);
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

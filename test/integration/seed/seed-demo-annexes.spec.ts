import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@carepact/database';
import { createTestDatabase, TestDatabase } from '@carepact/testing';
import { loadDemoFixture } from '@carepact/residents';
import { withContext } from '../../../apps/cli/src/context';
import { loadDemo } from '../../../apps/cli/src/seed/load-demo';
import { tempFile, tool } from '../../unit/paper/scan-fixtures';

/** The demo shows the documents handed over with the contract as files: one small real PDF per annex key, published once. */
describe('seed:demo publishes a PDF for each document handed over with the contract', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const fixture = loadDemoFixture();

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.config, { as: 'owner', poolSize: 1 }));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('one file per annex key of the demo establishment, a French PDF that says it is a demonstration, audited as the seed; a second seed adds none', async () => {
    const first = await withContext((ctx, config) => loadDemo(ctx, config, fixture), db.config);
    expect(first.annexFiles).toEqual({ created: fixture.establishment.annexes!.length, existing: 0 });
    const rows = (await ds.query(
      `SELECT f.kind, f.version_label, f.blob_sha256, f.byte_size, f.published_by, b.content FROM establishment_annex_files f JOIN blobs b ON b.sha256 = f.blob_sha256 ORDER BY f.kind`,
    )) as { kind: string; version_label: string; blob_sha256: string; byte_size: number; published_by: string | null; content: Buffer }[];
    expect(rows.map((r) => r.kind).sort()).toEqual([...fixture.establishment.annexes!].sort());
    for (const r of rows) {
      expect(createHash('sha256').update(r.content).digest('hex')).toBe(r.blob_sha256);
      expect(r.published_by).toBeNull();
      const text = tool('pdftotext', [tempFile(`${r.kind}.pdf`, r.content), '-']).stdout.replace(/\s+/g, ' ');
      expect(text).toContain('Document de démonstration');
      expect(text).toContain('EHPAD Les Tilleuls');
    }
    expect(rows.find((r) => r.kind === 'livret-accueil-2026')?.version_label).toBe('Édition 2026');
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'annex_file.published' AND actor_type = 'system'`)) as { n: number }[];
    expect(n).toBe(rows.length);

    // In force on every day the demo's documents say their annexes were handed over: each version records those files.
    const handedOver: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k === 'annexesHandedOverOn' && typeof x === 'string') handedOver.push(x);
          else walk(x);
        }
    };
    walk(fixture);
    expect(handedOver.length).toBeGreaterThan(0);
    const effective = ((await ds.query(`SELECT to_char(effective_on, 'YYYY-MM-DD') AS d FROM establishment_annex_files`)) as { d: string }[]).map((r) => r.d);
    expect(effective.filter((d) => handedOver.some((h) => d > h))).toEqual([]);

    const again = await withContext((ctx, config) => loadDemo(ctx, config, fixture), db.config);
    expect(again.annexFiles).toEqual({ created: 0, existing: rows.length });
    const [{ total }] = (await ds.query(`SELECT count(*)::int AS total FROM establishment_annex_files`)) as { total: number }[];
    expect(total).toBe(rows.length);
  }, 60_000);
});

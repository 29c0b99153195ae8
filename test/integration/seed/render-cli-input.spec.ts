import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { templateInputOf } from '@carepact/documents';
import { EstablishmentEntity } from '@carepact/identity';
import { contentVariantOf, renderOne, resolve, templates } from '@carepact/rendering';
import { DEMO_IME_FIXTURE_PATH, DemoFixture, ResidentEntity, ResidentViews, loadDemoFixture, todayIso } from '@carepact/residents';
import { createTestDatabase, libertyAnnexData, TestDatabase } from '@carepact/testing';
import { withContext } from '../../../apps/cli/src/context';
import { loadDemo } from '../../../apps/cli/src/seed/load-demo';
import { render } from '../../../apps/cli/src/commands/render';

/**
 * The offline `render` command (a sector lawyer's finding): its document is the one the product
 * generates for the same person — the fixture's resident read as `seed:demo` records her and the
 * input built by templateInputOf — not the fixture's own resident block, which under Germaine
 * Faure's divided tutelle gave the tuteur in charge of property a slot in the freedom-of-movement
 * annex and the projet personnalisé, and every holder « en qualité de tuteur » without his mission
 * (C. civ. 447 al. 3-4, DOMAIN.md rule 8).
 */
describe('render CLI: the same input as the product for the seeded resident', () => {
  let db: TestDatabase;
  const on = todayIso();
  const dir = mkdtempSync(join(tmpdir(), 'render-cli-'));
  // Germaine's own data for the annex (purpose « liberte-aller-venir ») and the projet personnalisé
  // (the demo's, written for Lucie Bernard, with Germaine's participants): the fixture has her contract only.
  const tilleuls = loadDemoFixture();
  const projet = { ...(tilleuls.documents!['projet-personnalise'] as Record<string, unknown>) };
  delete projet.resident;
  const withGermaine: DemoFixture = {
    ...tilleuls,
    residents: tilleuls.residents.map((r) =>
      r.key === 'germaine-faure'
        ? ({ ...r, documents: { ...(r as { documents?: object }).documents, avenant: libertyAnnexData(on, '2026-11-02'), 'projet-personnalise': projet } } as typeof r)
        : r,
    ),
  };
  const tilleulsPath = join(dir, 'tilleuls.json');
  writeFileSync(tilleulsPath, JSON.stringify(withGermaine));
  const ime = loadDemoFixture(DEMO_IME_FIXTURE_PATH);

  beforeAll(async () => {
    db = await createTestDatabase();
    await withContext((ctx, config) => loadDemo(ctx, config, withGermaine), db.config);
    await withContext((ctx, config) => loadDemo(ctx, config, ime), db.config);
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
  });

  /** What the product generates for the seeded person: her file's view, templateInputOf (DocumentsService.prepare), the template. */
  const product = async (f: DemoFixture, key: string, type: string) => {
    const person = f.residents.find((r) => r.key === key)!;
    const data = { ...((person as { documents?: Record<string, Record<string, unknown>> }).documents?.[type] ?? (f.documents![type] as Record<string, unknown>)) };
    delete data.resident;
    const { est, view } = await withContext(async (ctx) => {
      const em = ctx.get(DataSource).manager;
      const est = await em.findOneByOrFail(EstablishmentEntity, { finess: f.establishment.finess });
      const row = await em.findOneByOrFail(ResidentEntity, { establishmentId: est.id, firstName: person.firstName, lastName: person.lastName });
      return { est, view: await ctx.get(ResidentViews).resident(em, row) };
    }, db.config);
    const input = templateInputOf(est, view, data, on, type);
    const html = (await renderOne(resolve(templates().load(type), input as never, contentVariantOf('standard')), 'html', 'standard')).toString('utf8');
    return { input, html };
  };

  /** What `render` writes, run as the command runs. */
  const cli = async (path: string, key: string, type: string) => {
    const out = join(dir, `${key}-${type}.html`);
    const write = process.stdout.write;
    process.stdout.write = (() => true) as never;
    try {
      expect(await render.run(['--type', type, '--fixture', path, '--resident', key, '--format', 'html', '--out', out])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    return readFileSync(out, 'utf8');
  };

  it.each([
    ['germaine-faure', 'avenant'],
    ['germaine-faure', 'projet-personnalise'],
    ['germaine-faure', 'contrat-sejour'],
    ['enzo-petit', 'contrat-sejour'],
  ])('Les Tilleuls, %s, %s: the CLI renders what the product renders', async (key, type) => {
    const [mine, theirs] = [await cli(tilleulsPath, key, type), (await product(withGermaine, key, type)).html];
    expect(mine).toBe(theirs);
  });

  it.each([['ines-moreau'], ['noah-lefevre']])('IME Les Sources, %s (a minor: one under tutelle, one under a délégation): the same document', async (key) => {
    expect(await cli(DEMO_IME_FIXTURE_PATH, key, 'contrat-sejour')).toBe((await product(ime, key, 'contrat-sejour')).html);
  });

  it('Germaine’s annex and projet: the tuteur for the person alone, with his mission; no slot for the tuteur in charge of property', async () => {
    for (const type of ['avenant', 'projet-personnalise']) {
      const { input } = await product(withGermaine, 'germaine-faure', type);
      const holders = (input.resident as { protectionMeasure: { holders: { lastName: string; role: string; mission: string[] }[] } }).protectionMeasure.holders;
      expect(holders.map((h) => ({ lastName: h.lastName, mission: h.mission }))).toEqual([{ lastName: 'Faure', mission: ['personne'] }]);
      const html = await cli(tilleulsPath, 'germaine-faure', type);
      expect(html).toContain('Bernard Faure');
      expect(html).not.toMatch(/Sophie Texier/);
    }
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, TransactionRunner } from '@carepact/database';
import { templateInputOf } from '@carepact/documents';
import { EstablishmentEntity } from '@carepact/identity';
import { DEMO_IME_FIXTURE_PATH, ResidentsService, loadDemoFixture } from '@carepact/residents';
import { createTestDatabase, runCli, TestDatabase } from '@carepact/testing';
import { withContext } from '../../../apps/cli/src/context';

/**
 * The demo's minors under tutelle (C. civ. 390, 408) and under a delegation of parental authority
 * (C. civ. 377, 377-1) live in an establishment that takes children: the IME of
 * templates/demo/establishment-ime-les-sources.json, in an organisation of its own. `npm start` loads
 * it after Les Tilleuls (`seed:demo --if-empty --fixture <file>`): the representative is a contact
 * with its minorRole, the decision is on the file, and the template input the seeded file gives is
 * the one the fixture states (what the offline render prints).
 */
describe('seed:demo --fixture: the IME and its minors', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const ime = loadDemoFixture(DEMO_IME_FIXTURE_PATH);
  const count = async (sql: string, params: unknown[] = []) => ((await ds.query(sql, params)) as { n: number }[])[0].n;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.config, { as: 'owner', poolSize: 1 }));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('as npm start runs it: Les Tilleuls, then the IME in its own organisation; a second start adds nothing', async () => {
    expect((await runCli(db.config, ['seed:demo', '--if-empty'])).code).toBe(0);
    const first = await runCli(db.config, ['seed:demo', '--if-empty', '--fixture', DEMO_IME_FIXTURE_PATH]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Démonstration chargée : IME Les Sources, 4 comptes, 2 résidents.');
    expect(first.code).toBe(0);
    const again = await runCli(db.config, ['seed:demo', '--if-empty', '--fixture', DEMO_IME_FIXTURE_PATH]);
    expect(again.code).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM organisations`)).toBe(2);
    expect(await ds.query(`SELECT category FROM establishments ORDER BY category`)).toEqual([{ category: 'EHPAD' }, { category: 'IME' }]);
    const [{ id: imeId, organisation_id: imeOrg }] = (await ds.query(`SELECT id, organisation_id FROM establishments WHERE category = 'IME'`)) as { id: string; organisation_id: string }[];
    expect(await count(`SELECT count(*)::int AS n FROM residents WHERE establishment_id = $1`, [imeId])).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM staff_users WHERE organisation_id = $1`, [imeOrg])).toBe(4);
    const rows = (await ds.query(
      `SELECT r.first_name, r.parental_authority, r.minor_decision_authority, r.minor_decision_reference, r.minor_decision_date::text AS date, r.delegation_extent, c.minor_role, c.last_name
         FROM residents r JOIN contacts c ON c.resident_id = r.id WHERE r.establishment_id = $1 ORDER BY r.first_name`,
      [imeId],
    )) as Record<string, string | null>[];
    expect(rows).toEqual([
      {
        first_name: 'Inès',
        parental_authority: 'tutelle',
        minor_decision_authority: 'Conseil de famille, tribunal judiciaire de Valville',
        minor_decision_reference: 'RG 24/00735',
        date: '2024-06-18',
        delegation_extent: null,
        minor_role: 'tuteur',
        last_name: 'Moreau',
      },
      {
        first_name: 'Noah',
        parental_authority: 'delegation',
        minor_decision_authority: 'Juge aux affaires familiales, tribunal judiciaire de Valville',
        minor_decision_reference: 'RG 25/01102',
        date: '2025-04-07',
        delegation_extent: 'total',
        minor_role: 'delegataire',
        last_name: 'Lefèvre',
      },
    ]);
  });

  it('the seeded files give the template input the fixture states: the minor, the representative, the decision', async () => {
    await withContext(async (ctx) => {
      const em = ctx.get(TransactionRunner).manager;
      const [est] = (await em.query(`SELECT * FROM establishments WHERE category = 'IME'`)) as { id: string; organisation_id: string }[];
      const entity = await em.findOneByOrFail(EstablishmentEntity, { id: est.id });
      for (const f of ime.residents) {
        const [{ id }] = (await em.query(`SELECT id FROM residents WHERE establishment_id = $1 AND first_name = $2`, [est.id, f.firstName])) as { id: string }[];
        const view = (await ctx.get(ResidentsService).getForOrganisation(em, est.organisation_id, id))!;
        const input = templateInputOf(entity, view, {}, f.admissionDate, 'contrat-sejour').resident as Record<string, unknown>;
        expect({ key: f.key, minor: input.minor, minorRepresentation: input.minorRepresentation }).toEqual({
          key: f.key,
          minor: f.minor,
          // The fixture's optional fields, absent, are null in the input: a representative's phone, and the juge des enfants'
          // authorisation (C. civ. 375-7 al. 2), given to every minor from contrat 1.10.0 / avenant 1.10.0 / DIPC 1.8.0 on (null but for a placement).
          minorRepresentation: {
            ...f.minorRepresentation,
            actAuthorisation: f.minorRepresentation!.actAuthorisation ?? null,
            // From contrat 1.11.0 / avenant 1.11.0 / DIPC 1.9.0 on, the délégation named by its form (total, partial, shared; C. civ. 377, 377-1), null for a tutelle.
            delegationForm: f.minorRepresentation!.kind === 'delegation' ? (f.minorRepresentation!.delegationExtent ?? null) : null,
            representatives: f.minorRepresentation!.representatives.map((p) => ({ ...p, phone: p.phone ?? null })),
          },
        });
      }
    }, db.config);
  });

  it('the offline render of each minor’s contract (standard and easy to read, PDF): the representative signs in that capacity, then the IME’s director', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carepact-ime-'));
    // Contrat 1.10.0: the tuteur acts in the minor's name, with no word agreeing with her (C. civ. 408).
    const capacity = (f: (typeof ime.residents)[number]) =>
      f.minorRepresentation!.kind === 'tutelle' ? `en qualité de tuteur, au nom d’${f.firstName} ${f.lastName}` : 'en qualité de délégataire de l’autorité parentale';
    for (const f of ime.residents)
      for (const variant of ['standard', 'falc']) {
        const out = join(dir, `${f.key}-${variant}.pdf`);
        const res = await runCli(db.config, ['render', '--type', 'contrat-sejour', '--fixture', DEMO_IME_FIXTURE_PATH, '--resident', f.key, '--variant', variant, '--format', 'pdf', '--out', out]);
        expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
        const text = execFileSync('pdftotext', ['-enc', 'UTF-8', out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
        const signatures = text.slice(text.lastIndexOf(variant === 'falc' ? 'Les signatures' : 'Signatures'));
        const rep = f.minorRepresentation!.representatives[0];
        expect(signatures).toContain(`${rep.firstName} ${rep.lastName} ${capacity(f)}`);
        expect(signatures).not.toMatch(/du mineur|qui le représente/);
        expect(signatures).toContain('Antoine Delmas pour la direction de l’établissement IME Les Sources');
      }
  }, 120_000);

  it('the easy-to-read contract of the minor under a delegation names the délégataire as the one the judge gave the parental authority to: he does not decide with her (C. civ. 377)', async () => {
    const f = ime.residents.find((r) => r.minorRepresentation?.kind === 'delegation')!;
    const out = join(mkdtempSync(join(tmpdir(), 'carepact-ime-')), `${f.key}-falc.pdf`);
    const res = await runCli(db.config, ['render', '--type', 'contrat-sejour', '--fixture', DEMO_IME_FIXTURE_PATH, '--resident', f.key, '--variant', 'falc', '--format', 'pdf', '--out', out]);
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('votre grand-mère. Le juge lui a confié l’autorité parentale.');
    expect(text).not.toMatch(/décide pour vous avec le juge/);
  }, 120_000);
});

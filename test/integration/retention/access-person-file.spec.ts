import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CONTACT_FIELDS, DataJobsService, HOLDER_FIELDS, MEASURE_FIELDS, RESIDENT_SECTIONS } from '@carepact/archive';
import { ContactEntity, MeasureHolderEntity, ProtectionMeasureEntity, ResidentEntity } from '@carepact/residents';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { readZip } from '../archive/archive-tools';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * The person's file in her access request's zip « sous une forme compréhensible » (RGPD art. 12.1,
 * 15.3): personne.html, French labels and values, every column of her file, its contacts, measures
 * and their holders labelled (a column added to an entity without a French label fails here);
 * personne.json stays, the machine-readable copy (art. 20), and LISEZMOI says which is which.
 */
describe('an access request’s zip: the person’s file in French (personne.html)', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let resident = '';
  let zip: Map<string, Buffer>;
  const entities = [
    [ResidentEntity, Object.assign({}, ...RESIDENT_SECTIONS.map((s) => s.fields)) as Record<string, unknown>],
    [ContactEntity, CONTACT_FIELDS],
    [ProtectionMeasureEntity, MEASURE_FIELDS],
    [MeasureHolderEntity, HOLDER_FIELDS],
  ] as const;

  beforeAll(async () => {
    const exports = mkdtempSync(join(tmpdir(), 'carepact-exports-'));
    h = await startApiHarness({ EXPORTS_DIR: exports });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    resident = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Lisible', admissionDate: '2026-10-15' }).expect(201)).body.id as string;
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: resident, request: { from: 'person', receivedOn: '2026-12-01', statement: 'Courrier de M. Lisible : copie de son dossier' } }).expect(202)).body;
    const [o] = (await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1`, [job.id])) as { id: string }[];
    await h.app.get(DataJobsService).run(o.id, job.id);
    const [row] = (await ds.query(`SELECT result_file FROM data_jobs WHERE id = $1`, [job.id])) as { result_file: string }[];
    zip = await readZip(row.result_file);
    writeFileSync(join(tmpdir(), 'personne-acces.html'), zip.get('personne.html')!);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('every column of the file, its contacts, measures and holders has a French label or is said technical (fails when a column is added without one)', () => {
    const missing = entities.flatMap(([entity, fields]) => ds.getMetadata(entity).columns.map((c) => c.databaseName).filter((name) => !(name in fields)).map((name) => `${ds.getMetadata(entity).tableName}.${name}`));
    expect(missing).toEqual([]);
  });

  it('personne.html: French labels and values, people named, no English key nor raw value; personne.json kept; LISEZMOI says which is which', () => {
    const html = zip.get('personne.html')!.toString('utf8');
    const visible = html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ');
    // Every column's database and property name, as a word (« Téléphone » holds « phone », « Sa mission » is French: single words only when not French).
    const french = new Set(['mission', 'mode', 'type', 'relation', 'id']);
    const word = (w: string) => new RegExp(`(?<![\\p{L}_-])${w}(?![\\p{L}_])`, 'u').test(visible);
    for (const [entity] of entities)
      for (const c of ds.getMetadata(entity).columns)
        for (const key of new Set([c.databaseName, c.propertyName]))
          if (!french.has(key)) expect({ key, inHtml: word(key) }).toEqual({ key, inHtml: false });
    expect(visible).not.toMatch(/\b(true|false|null|undefined|NaN|curatelle_renforcee|personne,biens|Invalid Date)\b/);
    expect(html).toContain('<html lang="fr">');
    for (const t of ['Identité', 'Séjour', 'Préférences de lecture', 'Personne de confiance', 'Fin de l’accompagnement', 'Contacts', 'Mesures de protection et qui les exerce'])
      expect(html).toContain(`>${t}</h2>`);
    expect(visible).toMatch(/Date de naissance\s+2 juillet 1947/);
    expect(visible).toMatch(/Date d’admission\s+15 octobre 2026/);
    expect(visible).toMatch(/Type d’accompagnement\s+hébergement permanent/);
    expect(visible).toMatch(/Documents faciles à lire et à comprendre \(FALC\)\s+oui/);
    expect(visible).toMatch(/Langue\s+français/);
    expect(visible).toContain('Curatelle renforcée');
    expect(visible).toMatch(/Mode\s+assistance/);
    expect(visible).toMatch(/Elle protège\s+la personne ; les biens/);
    expect(visible).toMatch(/Qui l’exerce\s+Karim Benaïssa/);
    expect(visible).toMatch(/En qualité de\s+curateur/);
    expect(visible).toMatch(/Fin de l’accompagnement \(départ ou décès\)\s+la personne est accompagnée/);
    expect(visible).toMatch(new RegExp(`Identifiant technique du dossier\\s+${resident}`));
    expect(JSON.parse(zip.get('personne.json')!.toString('utf8')).personne.search_name).toBeDefined();
    const readme = zip.get('LISEZMOI.txt')!.toString('utf8');
    expect(readme).toContain('personne.html : le dossier, à lire dans un navigateur');
    expect(readme).toContain('personne.json : le même dossier au format informatique, tel qu’il est enregistré (noms de champs\n  techniques), pour le réutiliser ailleurs (portabilité, article 20 du RGPD)');
  });
});

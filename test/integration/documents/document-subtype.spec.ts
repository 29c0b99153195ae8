import request from 'supertest';
import { DataSource, type MigrationInterface } from 'typeorm';
import { MIGRATIONS, dataSourceOptions } from '@carepact/database';
import { TEST_PASSWORD, insertResidentsWithSignedContracts, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { accompanimentAvenantData } from './accompaniment-avenant-data';
import { tariffAvenantDataFor } from './tariff-avenant-data';

/**
 * An avenant is named by what it amends, wherever people read its name: an avenant to a DIPC is
 * « avenant au document individuel de prise en charge (DIPC) » (CASF D.311 VII: « élaborés dans les
 * mêmes conditions »), the annex on the freedom to come and go « annexe au contrat de séjour sur la
 * liberté d’aller et venir » (CASF L.311-4-1 I), a tariff avenant (the new prices per day, CASF
 * L.342-3, L.314-1) « avenant tarifaire au contrat de séjour » (or « … au document individuel de
 * prise en charge (DIPC) »), and only the accompaniment avenant to the contract (objectives and
 * services, CASF L.311-4, D.311) « avenant au contrat de séjour ». The name comes from
 * `documents.subtype`, written with each version from its data (DocumentsService) and, for the
 * documents created before, by migrations 1764110000000 and 1764150000000 from their current
 * version's data. « À faire » titles the director's signatures « Signatures de
 * l’établissement attendues »: a DIPC's is no countersignature (CASF D.311 II).
 */
describe('an avenant named by what it amends (documents.subtype)', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let onDipc: string;
  let onContract: string;
  let both: string;

  const sql = <T = { id: string }>(text: string, params: unknown[] = []) => ds.query(text, params) as Promise<T[]>;
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/\s+/g, ' ');

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    [onDipc, onContract, both] = await insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count: 3, tag: 'Noms' });
    // The first person's signed document is a DIPC (a short stay, or after a refused contract: CASF D.311).
    await sql(`UPDATE documents SET type = 'dipc' WHERE resident_id = $1`, [onDipc]);
  });
  afterAll(async () => {
    await h?.close();
  });

  const createAvenant = async (residentId: string): Promise<string> => {
    const data = await tariffAvenantDataFor(h, ds, residentId, '2027-01-01');
    const res = await admin.post('/api/documents').send({ residentId, type: 'avenant', data });
    expect({ status: res.status, body: res.status === 202 ? null : res.body }).toEqual({ status: 202, body: null });
    return res.body.id as string;
  };

  /** An accompaniment avenant to the contract (objectives and services, CASF L.311-4, D.311). */
  const createAccompaniment = async (residentId: string): Promise<string> => {
    const res = await admin.post('/api/documents').send({ residentId, type: 'avenant', data: accompanimentAvenantData() });
    expect({ status: res.status, body: res.status === 202 ? null : res.body }).toEqual({ status: 202, body: null });
    return res.body.id as string;
  };

  it('created on a DIPC: subtype « avenant-tarifaire-dipc », named so on the document page and in the person’s file; on the contract, « avenant tarifaire au contrat de séjour »', async () => {
    const dipcAvenant = await createAvenant(onDipc);
    const contractAvenant = await createAvenant(onContract);
    expect((await admin.get(`/api/documents/${dipcAvenant}`).expect(200)).body.subtype).toBe('avenant-tarifaire-dipc');
    expect((await admin.get(`/api/documents/${contractAvenant}`).expect(200)).body.subtype).toBe('avenant-tarifaire');

    const page = (await admin.get(`/console/documents/${dipcAvenant}`).expect(200)).text;
    expect(page).toMatch(/<h1>Avenant tarifaire au document individuel de prise en charge \(DIPC\) (de|d’) [^<]+<\/h1>/);
    const file = text((await admin.get(`/console/residents/${onDipc}`).expect(200)).text);
    expect(file).toContain('Avenant tarifaire au document individuel de prise en charge (DIPC) —');
    expect(file).not.toContain('Avenant au contrat de séjour');
    expect((await admin.get(`/console/documents/${contractAvenant}`).expect(200)).text).toMatch(/<h1>Avenant tarifaire au contrat de séjour (de|d’) [^<]+<\/h1>/);
  });

  it('one person’s tariff avenant (CASF L.342-3) and accompaniment avenant (CASF L.311-4, D.311) are two names: in the API, her file, the document pages and the history', async () => {
    const tariff = await createAvenant(both);
    const accompaniment = await createAccompaniment(both);
    expect((await admin.get(`/api/documents/${tariff}`).expect(200)).body.subtype).toBe('avenant-tarifaire');
    expect((await admin.get(`/api/documents/${accompaniment}`).expect(200)).body.subtype).toBeNull();

    const file = text((await admin.get(`/console/residents/${both}`).expect(200)).text);
    expect(file).toContain('Avenant tarifaire au contrat de séjour —');
    expect(file).toContain('Avenant au contrat de séjour —');
    const h1 = async (id: string) => /<h1>([^<]+)<\/h1>/.exec((await admin.get(`/console/documents/${id}`).expect(200)).text)![1];
    const [tariffTitle, accompanimentTitle] = [await h1(tariff), await h1(accompaniment)];
    expect(tariffTitle).toMatch(/^Avenant tarifaire au contrat de séjour (de|d’) /);
    expect(accompanimentTitle).toMatch(/^Avenant au contrat de séjour (de|d’) /);
    expect(tariffTitle).not.toBe(accompanimentTitle);
    const history = text((await admin.get(`/console/documents/${tariff}/historique`).expect(200)).text);
    expect(history).toContain('Avenant tarifaire au contrat de séjour');
  });

  it('« À faire »: « Avenant tarifaire au document individuel de prise en charge (DIPC) à signer par la direction pour l’établir », under « Signatures de l’établissement attendues »', async () => {
    const [avenant] = await sql<{ id: string; current_version_id: string }>(
      `SELECT id, current_version_id FROM documents WHERE resident_id = $1 AND type = 'avenant'`,
      [onDipc],
    );
    await sql(`UPDATE documents SET status = 'in_signature' WHERE id = $1`, [avenant.id]);
    const policy = { documentType: 'avenant', signers: [{ key: 'resident', role: 'resident', optional: true }, { key: 'director', role: 'director', optional: false }], views: [] };
    const [req] = await sql(
      `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
       VALUES ($1, $2, $3, $4, 'h', 'p', 'active', 'parallel', now() + interval '20 days', '{3,7}', $5, now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, avenant.id, avenant.current_version_id, JSON.stringify(policy)],
    );
    for (const [key, role, order, optional, delivery] of [
      ['resident', 'resident', 1, true, 'email'],
      ['director', 'director', 2, false, 'staff'],
    ] as const)
      await sql(
        `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status)
         VALUES ($1, $2, $3, 'Prénom', $2, 'en son nom propre', 'CASF D.311', $4, $5, $6, 'pending') RETURNING id`,
        [req.id, key, role, order, optional, delivery],
      );
    const page = (await admin.get('/console').expect(200)).text;
    const section = /<section class="todo-section" aria-labelledby="countersign-due-[^"]+">([\s\S]*?)<\/section>/.exec(page)?.[1];
    expect(section).toBeDefined();
    const words = text(section!);
    expect(words).toContain('Signatures de l’établissement attendues');
    expect(words).not.toContain('Contresignatures attendues');
    expect(words).toContain('Avenant tarifaire au document individuel de prise en charge (DIPC) à signer par la direction pour l’établir');
  });

  it('migration 1764110000000 names the avenants created before it from their current version’s data (liberty first, then appliesTo); down drops the column', async () => {
    const insert = async (document: Record<string, unknown>) => {
      const [doc] = await sql(
        `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, 'avenant', 'signed', now(), now()) RETURNING id`,
        [h.orgA.organisationId, h.orgA.establishmentId, onContract],
      );
      const [v] = await sql(
        `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
         VALUES ($1, $2, 1, 'Création', 'ready', 'avenant', '1.5.0', 'h', 'r', $3, 'hash', now()) RETURNING id`,
        [h.orgA.organisationId, doc.id, JSON.stringify({ document })],
      );
      await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, v.id]);
      return doc.id;
    };
    const dipc = await insert({ appliesTo: 'dipc', purpose: 'tarifs' });
    const liberty = await insert({ appliesTo: 'contrat-sejour', purpose: 'liberte-aller-venir' });
    const contract = await insert({ appliesTo: 'contrat-sejour', purpose: 'accompagnement' });
    const old = await insert({});
    const Migration = MIGRATIONS.find((x) => x.name === 'DocumentSubtype1764110000000') as unknown as new () => MigrationInterface;
    expect(Migration).toBeDefined();
    const migration = new Migration();
    // The migration runs as the schema's owner, as `npm run migrate` does.
    const owner = new DataSource(dataSourceOptions(h.db.config, { as: 'owner', poolSize: 1 }));
    await owner.initialize();
    const qr = owner.createQueryRunner();
    try {
      await qr.startTransaction();
      await migration.down(qr);
      const gone = (await qr.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'documents' AND column_name = 'subtype'`)) as unknown[];
      expect(gone).toEqual([]);
      await migration.up(qr);
      const rows = (await qr.query(`SELECT id, subtype FROM documents WHERE id = ANY($1)`, [[dipc, liberty, contract, old]])) as { id: string; subtype: string | null }[];
      expect(Object.fromEntries(rows.map((r) => [r.id, r.subtype]))).toEqual({ [dipc]: 'avenant-dipc', [liberty]: 'annexe-liberte-aller-venir', [contract]: null, [old]: null });
      // Only an avenant has one.
      await expect(qr.query(`UPDATE documents SET subtype = 'avenant-dipc' WHERE type = 'dipc'`)).rejects.toThrow(/ck_documents_subtype/);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
      await owner.destroy();
    }
  });

  it('migration 1764150000000 names the tariff avenants created before it from their current version’s data (to the contract, to a DIPC); down names them back as before', async () => {
    // The rows as 1764110000000 and DocumentsService left them: a tariff avenant to a DIPC « avenant-dipc », to the contract null.
    const insert = async (document: Record<string, unknown>, subtype: string | null) => {
      const [doc] = await sql(
        `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, subtype, status, created_at, updated_at) VALUES ($1, $2, $3, 'avenant', $4, 'signed', now(), now()) RETURNING id`,
        [h.orgA.organisationId, h.orgA.establishmentId, onContract, subtype],
      );
      const [v] = await sql(
        `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
         VALUES ($1, $2, 1, 'Création', 'ready', 'avenant', '1.9.0', 'h', 'r', $3, 'hash', now()) RETURNING id`,
        [h.orgA.organisationId, doc.id, JSON.stringify({ document })],
      );
      await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, v.id]);
      return doc.id;
    };
    const tariffDipc = await insert({ appliesTo: 'dipc', purpose: 'tarifs' }, 'avenant-dipc');
    const tariffContract = await insert({ appliesTo: 'contrat-sejour', purpose: 'tarifs' }, null);
    const accompanimentDipc = await insert({ appliesTo: 'dipc', purpose: 'accompagnement' }, 'avenant-dipc');
    const accompaniment = await insert({ appliesTo: 'contrat-sejour', purpose: 'accompagnement' }, null);
    const liberty = await insert({ appliesTo: 'contrat-sejour', purpose: 'liberte-aller-venir' }, 'annexe-liberte-aller-venir');
    const old = await insert({ appliesTo: 'contrat-sejour' }, null);
    const ids = [tariffDipc, tariffContract, accompanimentDipc, accompaniment, liberty, old];
    const before = { [tariffDipc]: 'avenant-dipc', [tariffContract]: null, [accompanimentDipc]: 'avenant-dipc', [accompaniment]: null, [liberty]: 'annexe-liberte-aller-venir', [old]: null };
    const after = { ...before, [tariffDipc]: 'avenant-tarifaire-dipc', [tariffContract]: 'avenant-tarifaire' };
    const Migration = MIGRATIONS.find((x) => x.name === 'TariffAvenantSubtype1764150000000') as unknown as new () => MigrationInterface;
    expect(Migration).toBeDefined();
    const migration = new Migration();
    const owner = new DataSource(dataSourceOptions(h.db.config, { as: 'owner', poolSize: 1 }));
    await owner.initialize();
    const qr = owner.createQueryRunner();
    const subtypes = async () =>
      Object.fromEntries(((await qr.query(`SELECT id, subtype FROM documents WHERE id = ANY($1)`, [ids])) as { id: string; subtype: string | null }[]).map((r) => [r.id, r.subtype]));
    try {
      await qr.startTransaction();
      await migration.down(qr);
      expect(await subtypes()).toEqual(before);
      await migration.up(qr);
      expect(await subtypes()).toEqual(after);
      // The API's tariff avenants too (already named, the same).
      const [{ n }] = (await qr.query(
        `SELECT count(*)::int AS n FROM documents d JOIN document_versions v ON v.id = d.current_version_id WHERE d.type = 'avenant' AND v.input #>> '{document,purpose}' = 'tarifs' AND d.subtype IS DISTINCT FROM CASE WHEN v.input #>> '{document,appliesTo}' = 'dipc' THEN 'avenant-tarifaire-dipc' ELSE 'avenant-tarifaire' END`,
      )) as { n: number }[];
      expect(n).toBe(0);
      // Down: the names of before, under the narrower check, which refuses the tariff subtypes.
      await migration.down(qr);
      expect(await subtypes()).toEqual(before);
      await qr.query('SAVEPOINT narrow');
      await expect(qr.query(`UPDATE documents SET subtype = 'avenant-tarifaire' WHERE id = $1`, [tariffContract])).rejects.toThrow(/ck_documents_subtype/);
      await qr.query('ROLLBACK TO SAVEPOINT narrow');
      await migration.up(qr);
      expect(await subtypes()).toEqual(after);
      // Only an avenant has one.
      await expect(qr.query(`UPDATE documents SET subtype = 'avenant-tarifaire' WHERE type = 'dipc'`)).rejects.toThrow(/ck_documents_subtype/);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
      await owner.destroy();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DocumentsService, RESIDENT_ARCHIVED } from '@carepact/documents';
import { StaffActor, StaffRole } from '@carepact/identity';
import { ARCHIVED_SINCE, TEST_PASSWORD, archiveResident, contractData, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * Every statement sent to PostgreSQL, with the connection that sent it: node-postgres's
 * `Client.query`, under TypeORM's queries and under the audit's prepared appends (which go to the
 * transaction's connection directly, past TypeORM's logger).
 */
class StatementLog {
  private spy: jest.SpyInstance | null = null;
  start(): void {
    this.spy = jest.spyOn(Client.prototype, 'query');
  }
  stop(): void {
    this.spy?.mockRestore();
  }
  get length(): number {
    return this.spy!.mock.calls.length;
  }
  /** The statements of the one transaction begun since `from` (on its own connection: nothing else the app runs meanwhile). */
  transactionSince(from: number): string[] {
    const calls = this.spy!.mock.calls.slice(from).map((args, i) => ({ sql: typeof args[0] === 'string' ? args[0] : String((args[0] as { text: string }).text), client: this.spy!.mock.contexts[from + i] as unknown }));
    const starts = calls.filter((c) => c.sql === 'START TRANSACTION');
    expect(starts).toHaveLength(1);
    return calls.filter((c) => c.client === starts[0].client).map((c) => c.sql);
  }
}

/**
 * Issue 12 (the api's CPU per document created): DocumentsService.create reads the resident's file,
 * her intermediate-archive state and her establishment in ONE statement (libs/residents
 * readResidentFileWith), and inserts the document with a plain INSERT, not TypeORM's builder. The
 * statements of one creation are counted here; the refusal for a person in the intermediate archive
 * (409 RESIDENT_ARCHIVED) and the regularisation of a departed person still in the active base keep
 * their behaviour, and the document's row is what TypeORM's insert wrote.
 */
describe('a document created: its statements', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let documents: DocumentsService;
  const log = new StatementLog();
  const actor = (role: StaffRole): StaffActor => ({
    kind: 'staff',
    userId: h.orgA.users[role].id,
    organisationId: h.orgA.organisationId,
    email: h.orgA.users[role].email,
    name: role,
    sessionId: 's',
    roles: [{ establishmentId: h.orgA.establishmentId, role }],
  });
  let residentId = '';
  let warmUpId = '';
  let archivedId = '';
  let departedId = '';

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    documents = h.app.get(DocumentsService);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const make = async (lastName: string) => (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName }).expect(201)).body.id as string;
    residentId = await make('Compte');
    warmUpId = await make('Premier');
    archivedId = await make('Archivée');
    departedId = await make('Partie');
    // Past the active base (left on 1 January 2020: archived since 2 January 2022).
    await archiveResident(ds, admin, archivedId);
    // Left yesterday: still in the active base, a document may still be made (regularisation).
    await admin
      .put(`/api/residents/${departedId}/departure`)
      .send({ departedOn: new Date(Date.now() - 86400000).toISOString().slice(0, 10) })
      .expect(200);
    log.start();
  }, 120000);
  afterAll(async () => {
    log.stop();
    await h?.close();
  });

  it('a contrat de séjour: START, the resident’s file with her archive state and establishment in one read, 8 more, COMMIT', async () => {
    const admissions = actor('admissions');
    // Once for another resident (the first call builds what is kept per DataSource); then counted.
    await documents.create(admissions, { residentId: warmUpId, type: 'contrat-sejour', data: contractData() });
    const from = log.length;
    const before = new Date();
    const made = await documents.create(admissions, { residentId, type: 'contrat-sejour', data: contractData() });
    const statements = log.transactionSince(from);
    expect(statements[0]).toBe('START TRANSACTION');
    expect(statements.at(-1)).toBe('COMMIT');
    // START, the file, the refused contract (EXISTS), the annex files in force, INSERT document, INSERT
    // version, INSERT outbox, the 2 audit appends, COMMIT (12 before: the archive state and the
    // establishment were read apart).
    expect(statements).toHaveLength(10);
    // The resident, her contacts, measures, holders, establishment and archive state: one statement.
    const reads = statements.filter((s) => /\b(residents|establishments|organisations|archive_access_grants)\b/.test(s) && !/^INSERT|^UPDATE/.test(s));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/FROM residents r JOIN organisations o/);
    expect(reads[0]).toMatch(/FROM establishments e/);
    expect(reads[0]).toMatch(/make_interval\(months => o.active_base_months\)/);
    // The document's INSERT is a plain one (TypeORM's builder quotes the table: INSERT INTO "documents").
    expect(statements.filter((s) => s.startsWith('INSERT INTO documents ('))).toHaveLength(1);
    expect(statements.filter((s) => s.includes('INSERT INTO "'))).toEqual([]);

    // The row is what TypeORM's insert wrote: every column, the id made with the version's.
    const [row] = (await ds.query(`SELECT * FROM documents WHERE id = $1`, [made.id])) as Record<string, unknown>[];
    expect(row).toMatchObject({
      id: made.id,
      organisation_id: h.orgA.organisationId,
      establishment_id: h.orgA.establishmentId,
      resident_id: residentId,
      type: 'contrat-sejour',
      subtype: null,
      status: 'generating',
      current_version_id: made.versionId,
      created_by: h.orgA.users.admissions.id,
    });
    expect(row.created_at).toEqual(row.updated_at);
    expect((row.created_at as Date).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
    expect(made.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The two audit events of the creation, on the document and its version.
    const events = (await ds.query(`SELECT action, subject_id FROM audit_events WHERE subject_id IN ($1, $2) ORDER BY seq`, [made.id, made.versionId])) as { action: string; subject_id: string }[];
    expect(events).toEqual([
      { action: 'document.created', subject_id: made.id },
      { action: 'document_version.requested', subject_id: made.versionId },
    ]);
  });

  it('a person in the intermediate archive: 409 RESIDENT_ARCHIVED, the same message, refused on the one read', async () => {
    const from = log.length;
    await expect(documents.create(actor('admissions'), { residentId: archivedId, type: 'contrat-sejour', data: contractData() })).rejects.toMatchObject({
      code: RESIDENT_ARCHIVED,
      messageFr: expect.stringMatching(/a quitté l’établissement le 1er janvier 2020 .*archive intermédiaire depuis le 2 janvier 2022 : aucun nouveau document ni aucune nouvelle version/),
    });
    expect(ARCHIVED_SINCE).toBe('2022-01-02');
    expect(log.transactionSince(from)).toEqual(['START TRANSACTION', expect.stringMatching(/FROM residents r JOIN organisations o/), 'ROLLBACK']);
    // The preview and the console's list of types say the same.
    await expect(documents.preview(actor('admissions'), { residentId: archivedId, type: 'avenant', data: {} })).rejects.toMatchObject({ code: RESIDENT_ARCHIVED });
    const types = await documents.typesFor(actor('admissions'), archivedId);
    expect(types.every((t) => !t.allowed && t.code === RESIDENT_ARCHIVED && /aucun nouveau document/.test(t.reason ?? ''))).toBe(true);
    expect(Number(((await ds.query(`SELECT count(*) AS n FROM documents WHERE resident_id = $1`, [archivedId])) as { n: string }[])[0].n)).toBe(0);
  });

  it('a departed person still in the active base, an unknown resident, another organisation’s', async () => {
    const made = await documents.create(actor('admissions'), { residentId: departedId, type: 'contrat-sejour', data: contractData() });
    expect(made.status).toBe('generating');
    expect((await documents.typesFor(actor('admissions'), departedId)).every((t) => t.code !== RESIDENT_ARCHIVED)).toBe(true);
    await expect(documents.create(actor('admissions'), { residentId: randomUUID(), type: 'contrat-sejour', data: contractData() })).rejects.toMatchObject({ code: 'RESIDENT_NOT_FOUND' });
    const other: StaffActor = { ...actor('admissions'), organisationId: h.orgB.organisationId, roles: [{ establishmentId: h.orgB.establishmentId, role: 'admissions' }] };
    await expect(documents.create(other, { residentId, type: 'contrat-sejour', data: contractData() })).rejects.toMatchObject({ code: 'RESIDENT_NOT_FOUND' });
  });
});

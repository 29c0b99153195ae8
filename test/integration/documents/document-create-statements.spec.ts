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

  it('a contrat de séjour: START, the resident’s file with her archive state, contract state and establishment in one read, the 3 rows in one INSERT, the 2 audit events in one statement, 6 in all', async () => {
    const admissions = actor('admissions');
    // Once for another resident (the first call builds what is kept per DataSource); then counted.
    await documents.create(admissions, { residentId: warmUpId, type: 'contrat-sejour', data: contractData() });
    const from = log.length;
    const before = new Date();
    const made = await documents.create(admissions, { residentId, type: 'contrat-sejour', data: contractData() });
    const statements = log.transactionSince(from);
    expect(statements[0]).toBe('START TRANSACTION');
    expect(statements.at(-1)).toBe('COMMIT');
    // START, the file with the contract state, the annex files in force, INSERT document + version +
    // outbox, the 2 audit events in one append, COMMIT (7 before session 20: one append per event;
    // 10 before session 19: the refused contract / contract in force read apart, three INSERTs; 12
    // before session 18).
    expect(statements).toHaveLength(6);
    // The two audit events: one statement moving the chain head by two (AuditService.appendMany).
    const appends = statements.filter((s) => s.includes('audit_'));
    expect(appends).toHaveLength(1);
    expect(appends[0]).toMatch(/FOR NO KEY UPDATE/);
    expect(appends[0]).toMatch(/^WITH clock AS .*INSERT INTO audit_events .*UNION ALL SELECT/s);
    // The resident, her contacts, measures, holders, establishment, archive state and contract state: one statement.
    const reads = statements.filter((s) => /\b(residents|establishments|organisations|archive_access_grants|documents)\b/.test(s) && !/^(INSERT|UPDATE|WITH)/.test(s));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/FROM residents r JOIN organisations o/);
    expect(reads[0]).toMatch(/FROM establishments e/);
    expect(reads[0]).toMatch(/make_interval\(months => o.active_base_months\)/);
    expect(reads[0]).toMatch(/status = 'refused'\)\) AS "x_contractRefused"/);
    expect(reads[0]).toMatch(/AS "x_contractInForce"/);
    // The document, its version and its render job: one plain statement (TypeORM's builder quotes the table: INSERT INTO "documents").
    const writes = statements.filter((s) => /^(INSERT|UPDATE|WITH)/.test(s) && !s.includes('audit_'));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^WITH w1 AS \(INSERT INTO documents \(.*\),\nw2 AS \(INSERT INTO document_versions \(.*\)\nINSERT INTO outbox /s);
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
    // Its render job, written in the same statement.
    expect((await ds.query(`SELECT job_name, payload FROM outbox WHERE job_id = $1`, [`documents.render__${made.versionId}`])) as unknown[]).toEqual([
      { job_name: 'documents.render', payload: { versionId: made.versionId } },
    ]);
    // The two audit events of the creation, on the document and its version.
    const events = (await ds.query(`SELECT action, subject_id FROM audit_events WHERE subject_id IN ($1, $2) ORDER BY seq`, [made.id, made.versionId])) as { action: string; subject_id: string }[];
    expect(events).toEqual([
      { action: 'document.created', subject_id: made.id },
      { action: 'document_version.requested', subject_id: made.versionId },
    ]);
  });

  /**
   * A failure after the rows are written leaves none of them: PostgreSQL itself refuses (a trigger
   * put on a table for the time of the call, as the database's owner), in the middle of the one
   * INSERT statement (the outbox's row, after the document's and the version's) and after it (the
   * second audit event, within the one audit append of the two events, the transaction's last
   * statement before COMMIT: the first event is not written either).
   */
  it.each([
    ['the render job, within the INSERT statement', 'outbox', 'TRUE'],
    ['the second audit event, within the audit append after it', 'audit_events', `NEW.action = 'document_version.requested'`],
  ])('a failure at %s: nothing written, no audit event', async (_, table, when) => {
    const su = new Client({ connectionString: h.db.url });
    await su.connect();
    const counts = async () =>
      (
        await su.query(
          `SELECT (SELECT count(*) FROM documents)::int AS documents, (SELECT count(*) FROM document_versions)::int AS versions,
                  (SELECT count(*) FROM outbox)::int AS outbox, (SELECT count(*) FROM audit_events)::int AS audit`,
        )
      ).rows[0] as Record<string, number>;
    try {
      const before = await counts();
      await su.query(`CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test on %', TG_TABLE_NAME; END $$`);
      await su.query(`CREATE TRIGGER test_refuse BEFORE INSERT ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION test_refuse()`);
      const from = log.length;
      await expect(documents.create(actor('admissions'), { residentId, type: 'contrat-sejour', data: contractData() })).rejects.toThrow(`refused for the test on ${table}`);
      const statements = log.transactionSince(from);
      expect(statements.filter((s) => s.startsWith('WITH w1 AS (INSERT INTO documents'))).toHaveLength(1);
      expect(statements.at(-1)).toBe('ROLLBACK');
      // The two events were sent in one statement, refused as a whole.
      if (table === 'audit_events') expect(statements.filter((s) => s.includes('audit_'))).toHaveLength(1);
      expect(await counts()).toEqual(before);
    } finally {
      await su.query(`DROP TRIGGER IF EXISTS test_refuse ON ${table}`);
      await su.query(`DROP FUNCTION IF EXISTS test_refuse()`);
      await su.end();
    }
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

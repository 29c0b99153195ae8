import { TransactionRunner } from '@carepact/database';
import { DocumentsService } from '@carepact/documents';
import { StaffActor, StaffRole } from '@carepact/identity';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent } from '@carepact/testing';
import { DataSource } from 'typeorm';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * A new document starts from the data of the person's latest one (DocumentsService.previousData):
 * that is the content of her documents, so past the active base it is refused until this records
 * manager opens her archive (CNIL délib. n° 2021-028 and n° 2023-095, RGPD art. 5.1.e and 32) —
 * and the archive of the documents read is checked by one query for the set, not one per document.
 */
describe('previousData and the intermediate archive', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let documents: DocumentsService;
  const gone = { id: '', docs: [] as string[] };
  const actor = (role: StaffRole): StaffActor => ({
    kind: 'staff',
    userId: h.orgA.users[role].id,
    organisationId: h.orgA.organisationId,
    email: h.orgA.users[role].email,
    name: role,
    sessionId: 's',
    roles: [{ establishmentId: h.orgA.establishmentId, role }],
  });
  /** The queries on the archive's grants that `work` issues (the application's own EntityManager, watched: every call goes through). */
  const grantQueries = async <T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> => {
    const spy = jest.spyOn(h.app.get(TransactionRunner).manager, 'query');
    try {
      const result = await work();
      return { result, queries: spy.mock.calls.filter(([sql]) => String(sql).includes('archive_access_grants')).length };
    } finally {
      spy.mockRestore();
    }
  };

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    documents = h.app.get(DocumentsService);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    gone.id = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Partie' }).expect(201)).body.id as string;
    // The document and its version (with the data it was asked with) exist from the request on.
    const first = (await admissions.post('/api/documents').send({ residentId: gone.id, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    // Two more of her signed contracts (copies of the first's row: a long history), so that the
    // reading goes through three documents when no purpose matches.
    const copies = (await ds.query(
      `INSERT INTO documents SELECT (jsonb_populate_record(d, jsonb_build_object('id', gen_random_uuid()))).* FROM documents d, generate_series(1, 2) WHERE d.id = $1 RETURNING id`,
      [first],
    )) as { id: string }[];
    gone.docs = [first, ...copies.map((c) => c.id)];
    await ds.query(`UPDATE documents SET status = 'signed' WHERE id = ANY ($1)`, [gone.docs]);
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01' WHERE id = $1`, [gone.id]);
    await admin.put(`/api/residents/${gone.id}/departure`).send({ departedOn: '2020-01-01' }).expect(200);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('past the active base, her data is refused (403 ARCHIVE_INTERMEDIATE_RESTRICTED) to whoever has not opened her archive', async () => {
    for (const role of ['admissions', 'coordinator', 'administrator'] as const) {
      await expect(documents.previousData(actor(role), gone.id, 'contrat-sejour')).rejects.toMatchObject({ code: 'ARCHIVE_INTERMEDIATE_RESTRICTED', messageFr: expect.stringMatching(/depuis le 02\/01\/2022/) });
      await expect(documents.previousData(actor(role), gone.id, 'contrat-sejour', 'liberte-aller-venir')).rejects.toMatchObject({ code: 'ARCHIVE_INTERMEDIATE_RESTRICTED' });
    }
  });

  it('once the administrator has opened it, hers are read, the archive checked by one query for the documents read', async () => {
    const admin = actor('administrator');
    await h.app.get(TransactionRunner).run(async (em) => {
      const { RetentionService } = await import('@carepact/archive');
      await h.app.get(RetentionService).openArchive(em, admin, gone.id, 'Contentieux : demande du tribunal');
    });
    const latest = await grantQueries(() => documents.previousData(admin, gone.id, 'contrat-sejour'));
    expect(latest.result).toMatchObject({ versionNumber: 1, data: expect.objectContaining({}) });
    expect(gone.docs).toContain(latest.result!.documentId);
    expect(latest.queries).toBe(1);
    // No signed contract of that purpose: every one of the three is read, still one query.
    const none = await grantQueries(() => documents.previousData(admin, gone.id, 'contrat-sejour', 'liberte-aller-venir'));
    expect(none).toEqual({ result: null, queries: 1 });
    // Still refused to the others.
    await expect(documents.previousData(actor('admissions'), gone.id, 'contrat-sejour')).rejects.toMatchObject({ code: 'ARCHIVE_INTERMEDIATE_RESTRICTED' });
  });
});

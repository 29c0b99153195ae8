import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, insertResidentsWithSignedContracts, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { tariffAvenantDataFor } from './tariff-avenant-data';

/**
 * One tariff avenant per resident and effective date, made one by one too (review: the bulk run
 * refused a second one, BULK_AVENANT_EXISTS, but `POST /api/documents` and the console's « Nouveau
 * document » made it). The same check as the bulk worker, under the resident's row lock: two
 * simultaneous POSTs cannot both pass. A cancelled or refused avenant does not count.
 */
describe('a tariff avenant created one by one: never two for the same effective date', () => {
  let h: ApiHarness;
  let agent: request.Agent;
  let ds: DataSource;

  beforeAll(async () => {
    h = await startApiHarness();
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    ds = h.app.get(DataSource);
  });
  afterAll(async () => {
    await h?.close();
  });

  const residents = (count: number, tag: string) => insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count, tag });
  const avenantData = (residentId: string, effectiveOn: string) => tariffAvenantDataFor(h, ds, residentId, effectiveOn);
  const post = async (residentId: string, effectiveOn: string) => agent.post('/api/documents').send({ residentId, type: 'avenant', data: await avenantData(residentId, effectiveOn) });
  const avenants = async (residentId: string) =>
    (await ds.query(
      `SELECT d.id, d.status, v.input #>> '{document,tariffChange,effectiveOn}' AS effective_on FROM documents d JOIN document_versions v ON v.id = d.current_version_id
        WHERE d.resident_id = $1 AND d.type = 'avenant' ORDER BY d.created_at`,
      [residentId],
    )) as { id: string; status: string; effective_on: string }[];

  it('a second POST for the same date: 409 AVENANT_ALREADY_EXISTS naming the existing avenant and its date; another date is fine', async () => {
    const [resident] = await residents(1, 'Seul');
    const first = (await (await post(resident, '2027-01-01')).body) as { id: string };
    expect(first.id).toEqual(expect.any(String));

    const second = await post(resident, '2027-01-01');
    expect({ status: second.status, code: second.body.error?.code }).toEqual({ status: 409, code: 'AVENANT_ALREADY_EXISTS' });
    expect(second.body.error.message).toContain('déjà un avenant tarifaire au 1er janvier 2027');
    expect(second.body.error.message).toContain(`/console/documents/${first.id}`);
    expect(second.body.error.details).toEqual([expect.objectContaining({ field: 'data.tariffChange.effectiveOn', code: 'AVENANT_ALREADY_EXISTS' })]);

    expect((await post(resident, '2027-07-01')).status).toBe(202);
    expect((await avenants(resident)).map((a) => a.effective_on)).toEqual(['2027-01-01', '2027-07-01']);
  });

  it('two POSTs at once for the same resident and date: one 202, one 409; one avenant', async () => {
    const [resident] = await residents(1, 'Ensemble');
    const data = await avenantData(resident, '2027-01-01');
    // Really concurrent: both requests are on the wire before either answers.
    const answers = await Promise.all([0, 1].map(() => agent.post('/api/documents').send({ residentId: resident, type: 'avenant', data })));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    const winner = answers.find((a) => a.status === 202)!.body as { id: string };
    expect(answers.find((a) => a.status === 409)!.body.error).toMatchObject({ code: 'AVENANT_ALREADY_EXISTS', message: expect.stringContaining(`/console/documents/${winner.id}`) });
    expect((await avenants(resident)).map((a) => a.id)).toEqual([winner.id]);
  });

  it('a cancelled or refused avenant for the date does not block a new one', async () => {
    const [cancelled, refused] = await residents(2, 'Clos');
    for (const [resident, status] of [
      [cancelled, 'cancelled'],
      [refused, 'refused'],
    ] as const) {
      const made = (await post(resident, '2027-01-01')).body as { id: string };
      await ds.query(`UPDATE documents SET status = $2 WHERE id = $1`, [made.id, status]);
      expect((await post(resident, '2027-01-01')).status).toBe(202);
    }
  });

  it('the console « Nouveau document »: the preview and « Générer » refuse it in French, on the page', async () => {
    const [resident] = await residents(1, 'Console');
    const existing = (await post(resident, '2027-01-01')).body as { id: string };
    const url = `/console/residents/${resident}/documents/nouveau?type=avenant`;
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get(url).expect(200)).text)![1];
    const fields = flatten(await avenantData(resident, '2027-01-01'));
    const preview = await agent.post(url).type('form').send({ _csrf: csrf, _action: 'preview', ...fields });
    expect(preview.status).toBe(409);
    const text = preview.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Ce résident a déjà un avenant tarifaire au 1er janvier 2027');
    expect(preview.text).toContain(`/console/documents/${existing.id}`);
    // « Générer » with a stale preview (posted from an older page): the same refusal.
    const generate = await agent.post(url).type('form').send({ _csrf: csrf, _action: 'generate', _apercu: 'x', ...fields });
    expect(generate.status).toBe(409);
    expect((await avenants(resident)).map((a) => a.id)).toEqual([existing.id]);
    // Another date: the preview is shown.
    expect((await agent.post(url).type('form').send({ _csrf: csrf, _action: 'preview', ...flatten(await avenantData(resident, '2027-07-01')) })).status).toBe(200);
  });
});

/** The form fields the console posts for some document data (dotted paths, as the form names them). */
function flatten(data: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v === null || v === undefined) continue;
    if (typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, name));
    else out[name] = String(v);
  }
  return out;
}

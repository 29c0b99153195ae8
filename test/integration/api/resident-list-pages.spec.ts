import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, curatelleResident, insertResidents, loginAgent } from '@carepact/testing';
import { ApiHarness, addEstablishment, addUser, startApiHarness } from './api-harness';

/**
 * Scale, issue 12: GET /api/residents used to stop silently at 1,000 residents. Now it answers pages
 * (`limit`, 100 by default, 500 at most) in the console list's order, the next one named by the
 * `Link` header (rel="next", after the last resident received) and the whole count by
 * `X-Total-Count`; `q` searches names as the console does; bad parameters are a 400 with a code.
 */
describe('GET /api/residents: pages through more than 1,000 residents', () => {
  let h: ApiHarness;
  let agent: request.Agent;
  let annexe: string;
  let orgBResident: string;
  const db = () => h.app.get(DataSource);

  /** Follows the Link headers from `first` to the last page: each page's ids, and the headers seen. */
  async function walk(first: string): Promise<{ pages: string[][]; totals: string[]; links: string[] }> {
    const pages: string[][] = [];
    const totals: string[] = [];
    const links: string[] = [];
    let next: string | null = first;
    while (next && pages.length < 100) {
      const res: request.Response = await agent.get(next).expect(200);
      pages.push((res.body as { id: string }[]).map((r) => r.id));
      totals.push(res.headers['x-total-count']);
      const link = res.headers['link'] as string | undefined;
      if (link) links.push(link);
      const m = link ? /^<(\/api\/residents\?[^>]+)>; rel="next"$/.exec(link) : null;
      next = m ? m[1] : null;
    }
    return { pages, totals, links };
  }

  const orderedIds = async (where: string, params: unknown[]) =>
    (
      (await db().query(`SELECT id FROM residents r WHERE ${where} ORDER BY carepact_fold(last_name) COLLATE "C", carepact_fold(first_name) COLLATE "C", id`, params)) as {
        id: string;
      }[]
    ).map((r) => r.id);

  beforeAll(async () => {
    h = await startApiHarness();
    const org = h.orgA.organisationId;
    // 1,050 residents in one establishment (one INSERT), one more through the API, 3 in a second establishment.
    await insertResidents(db(), { organisationId: org, establishmentId: h.orgA.establishmentId, count: 1050, tag: 'Lefèvre' });
    annexe = await addEstablishment(h.app, org, 'annexe');
    await insertResidents(db(), { organisationId: org, establishmentId: annexe, count: 3, tag: 'Annexe' });
    [orgBResident] = await insertResidents(db(), { organisationId: h.orgB.organisationId, establishmentId: h.orgB.establishmentId, count: 2, tag: 'Ailleurs' });
    const email = 'direction.deux@example.test';
    await addUser(h.app, org, email, [
      { establishmentId: h.orgA.establishmentId, role: 'director' },
      { establishmentId: annexe, role: 'director' },
    ]);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    await admissions.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201);
    agent = await loginAgent(h.app, email, TEST_PASSWORD);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('pages of 100 by default, through all 1,054 residents of both establishments, each once, in name order', async () => {
    const first = await agent.get('/api/residents').expect(200);
    expect(first.body).toHaveLength(100);
    // The same summaries as before the pages.
    expect(Object.keys(first.body[0]).sort()).toEqual(['admissionDate', 'birthDate', 'establishmentId', 'firstName', 'id', 'lastName', 'room', 'stayType']);
    expect(first.headers['link']).toBe(`</api/residents?after=${first.body[99].id}&limit=100>; rel="next"`);

    const { pages, totals, links } = await walk('/api/residents');
    const seen = pages.flat();
    expect(pages.map((p) => p.length)).toEqual([...Array(10).fill(100), 54]);
    expect(new Set(totals)).toEqual(new Set(['1054']));
    expect(links).toHaveLength(10);
    expect(new Set(seen).size).toBe(1054);
    expect(seen).toEqual(await orderedIds('organisation_id = $1', [h.orgA.organisationId]));
    expect(seen).not.toContain(orgBResident);
  });

  it('limit=500 with one establishment: 500, 500, 51, the Link keeping the filter and the limit', async () => {
    const { pages, totals, links } = await walk(`/api/residents?establishmentId=${h.orgA.establishmentId}&limit=500`);
    expect(pages.map((p) => p.length)).toEqual([500, 500, 51]);
    expect(totals).toEqual(['1051', '1051', '1051']);
    expect(links[0]).toBe(`</api/residents?establishmentId=${h.orgA.establishmentId}&after=${pages[0][499]}&limit=500>; rel="next"`);
    expect(pages.flat()).toEqual(await orderedIds('establishment_id = $1', [h.orgA.establishmentId]));

    const other = await agent.get(`/api/residents?establishmentId=${annexe}`).expect(200);
    expect(other.body.map((r: { lastName: string }) => r.lastName)).toEqual(['Annexe-00001', 'Annexe-00002', 'Annexe-00003']);
    expect(other.headers['x-total-count']).toBe('3');
    expect(other.headers['link']).toBeUndefined();
  });

  it('q finds names as the console does (words in any order, accents and case ignored), in pages too', async () => {
    const { pages, totals, links } = await walk(`/api/residents?q=${encodeURIComponent('0100 LEFEVRE')}&limit=4`);
    // Lefèvre-00100 and Lefèvre-01000 to -01009.
    expect(pages.map((p) => p.length)).toEqual([4, 4, 3]);
    expect(totals).toEqual(['11', '11', '11']);
    expect(links[0]).toMatch(/^<\/api\/residents\?q=0100\+LEFEVRE&after=[0-9a-f-]{36}&limit=4>; rel="next"$/);
    const names = (await agent.get(`/api/residents?q=${encodeURIComponent('lefèvre 0100')}`).expect(200)).body.map((r: { lastName: string }) => r.lastName);
    expect(names).toEqual(['Lefèvre-00100', ...Array.from({ length: 10 }, (_, i) => `Lefèvre-0100${i}`)]);
    const marcel = await agent.get('/api/residents?q=dupont').expect(200);
    expect(marcel.body).toMatchObject([{ firstName: 'Marcel', lastName: 'Dupont' }]);
    expect(marcel.headers['x-total-count']).toBe('1');
    const none = await agent.get('/api/residents?q=personne').expect(200);
    expect(none.body).toEqual([]);
    expect(none.headers['x-total-count']).toBe('0');
  });

  it.each([
    ['limit=0', 'limit', 'INVALID_NUMBER'],
    ['limit=501', 'limit', 'INVALID_NUMBER'],
    ['limit=abc', 'limit', 'INVALID_NUMBER'],
    ['limit=2.5', 'limit', 'INVALID_NUMBER'],
    ['limit=-1', 'limit', 'INVALID_NUMBER'],
    ['limit=10&limit=20', 'limit', 'INVALID_NUMBER'],
    ['after=pas-un-identifiant', 'after', 'INVALID_ID'],
    ['after=<id>&after=<id>', 'after', 'INVALID_ID'],
    ['after=<unknown id>', 'after', 'UNKNOWN_CURSOR'],
    ['q=<201 characters>', 'q', 'INVALID_TEXT'],
    ['q=Dupont%0D%0ALink:%20x', 'q', 'INVALID_TEXT'],
  ])('%s → 400 naming the parameter (%s, %s) in French', async (label, field, code) => {
    const id = '0b7c2f9e-1d2a-4c3b-8e4f-5a6b7c8d9e0f';
    const query = label.replace(/<id>/g, id).replace('<unknown id>', id).replace('<201 characters>', 'a'.repeat(201));
    const res = await agent.get(`/api/residents?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field, code }] });
    expect(res.body.error.details[0].message).toMatch(/^(Doit être un entier entre 1 et 500\.|Identifiant invalide\.|Page inconnue|Texte de 200 caractères)/);
    expect(res.headers['link']).toBeUndefined();
  });

  it('the OpenAPI description names the parameters and the two headers', async () => {
    const docs = await agent.get('/api/docs/openapi.json').expect(200);
    const list = docs.body.paths['/api/residents'].get;
    expect(list.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['after', 'establishmentId', 'limit', 'q']);
    expect(Object.keys(list.responses['200'].headers).sort()).toEqual(['Link', 'X-Total-Count']);
  });

  it('a cursor from another organisation is refused like an unknown one (nothing of it shows)', async () => {
    const res = await agent.get(`/api/residents?after=${orgBResident}`).expect(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'after', code: 'UNKNOWN_CURSOR' })]);
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, insertResidentsWithSignedContracts, loginAgent } from '@carepact/testing';
import { ApiHarness, addEstablishment, addUser, startApiHarness } from '../api/api-harness';

/**
 * The purge is the organisation's (its durations, its regime, its run: README « Retention, legal
 * holds and purge »), but a person's name and file are shown only where one manages records
 * (SECURITY-RELIABILITY.md: a permission is checked in the establishment of the record acted on).
 * The simulation (console page, POST /api/retention/purge-reports, GET /api/data-jobs) showed a
 * records manager of one establishment, by name with their dates, the persons and documents of
 * another she does not manage. Now: hers listed and named; the others only counted, per
 * establishment, without name nor id; the totals (what the purge deletes) unchanged.
 */
describe('the purge simulation: each records manager sees by name only the establishments she manages', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let tilleulsAdmin: request.Agent;
  let chenesAdmin: request.Agent;
  let both: request.Agent;
  let chenes = '';
  let here = '';
  let there = '';
  let thereDoc = '';

  const simulate = async (agent: request.Agent) => {
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/console/conservation').expect(200)).text)![1];
    const posted = await agent.post('/console/conservation/simulations').type('form').send({ _csrf: csrf }).expect(303);
    return posted.headers.location.replace(/\?.*$/, '');
  };
  /** The page's text, tags stripped. */
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    tilleulsAdmin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    chenes = await addEstablishment(h.app, h.orgA.organisationId, 'Chênes');
    await addUser(h.app, h.orgA.organisationId, 'admin@chenes.test', [{ establishmentId: chenes, role: 'administrator' }]);
    chenesAdmin = await loginAgent(h.app, 'admin@chenes.test', TEST_PASSWORD);
    await addUser(h.app, h.orgA.organisationId, 'direction@a.test', [
      { establishmentId: h.orgA.establishmentId, role: 'administrator' },
      { establishmentId: chenes, role: 'administrator' },
    ]);
    both = await loginAgent(h.app, 'direction@a.test', TEST_PASSWORD);
    [here] = await insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count: 1, tag: 'Tilleule', signedOn: '2012-02-01' });
    [there] = await insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: chenes, count: 1, tag: 'Chenaie', signedOn: '2012-02-01' });
    [{ id: thereDoc }] = (await ds.query(`SELECT id FROM documents WHERE resident_id = $1`, [there])) as { id: string }[];
    // Stays that ended in 2013: the contract (5 years) and the file (5 years) are past retention.
    await ds.query(`UPDATE residents SET admission_date = '2012-02-01' WHERE id = ANY($1::uuid[])`, [[here, there]]);
    await tilleulsAdmin.put(`/api/residents/${here}/departure`).send({ departedOn: '2013-06-30' }).expect(200);
    await chenesAdmin.put(`/api/residents/${there}/departure`).send({ departedOn: '2013-06-30' }).expect(200);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  // The report is drawn by who manages both establishments: it covers both, whoever may draw or run one.
  it('the console page: her establishment’s persons named, the other’s counted without a name; the totals are the whole report’s', async () => {
    const url = await simulate(both);
    const all = text((await both.get(url).expect(200)).text);
    expect(all).toContain('Résident Chenaie-00001');
    expect(all).toContain('Résident Tilleule-00001');
    expect(all).not.toContain('dont vous ne gérez pas les archives');
    const page = text((await tilleulsAdmin.get(url).expect(200)).text);
    expect(page).toContain('Résident Tilleule-00001');
    expect(page).not.toContain('Chenaie');
    expect(page).toContain('Dans les établissements dont vous ne gérez pas les archives, sans leurs noms : Foyer Chênes : 1 document, 1 dossier de personne.');
    // What the purge of this report deletes: both establishments'.
    expect(page).toContain('2 documents dont la durée de conservation est écoulée ; 2 dossiers de personnes');
    // The other establishment's records manager: the other way round.
    const theirs = text((await chenesAdmin.get(url).expect(200)).text);
    expect(theirs).toContain('Résident Chenaie-00001');
    expect(theirs).not.toContain('Tilleule');
    expect(theirs).toContain('EHPAD a : 1 document, 1 dossier de personne.');
  });

  it('the API: the report lists her establishment’s items; the other’s only as counts (no id, no date), in the job and the list', async () => {
    const drawn = (await both.post('/api/retention/purge-reports').expect(201)).body;
    const shape = (r: { documents: { residentId: string }[]; residents: { id: string }[]; elsewhere?: unknown }) => ({ documents: r.documents.map((d) => d.residentId).sort(), residents: r.residents.map((p) => p.id).sort(), elsewhere: r.elsewhere });
    // Who manages both: the whole report, nothing counted apart.
    expect(shape(drawn.report)).toEqual({ documents: [here, there].sort(), residents: [here, there].sort(), elsewhere: undefined });
    const one = (await tilleulsAdmin.get(`/api/data-jobs/${drawn.id}`).expect(200)).body;
    expect(shape(one.report)).toEqual({ documents: [here], residents: [here], elsewhere: [{ establishmentId: chenes, establishmentName: 'Foyer Chênes', documents: 1, residents: 1 }] });
    expect(JSON.stringify(one)).not.toContain(there);
    expect(JSON.stringify(one)).not.toContain(thereDoc);
    const list = (await tilleulsAdmin.get('/api/data-jobs').expect(200)).body as { id: string }[];
    expect(list.map((j) => j.id)).toContain(drawn.id);
    expect(JSON.stringify(list)).not.toContain(there);
    expect(JSON.stringify(list)).not.toContain(thereDoc);
    const theirs = (await chenesAdmin.get(`/api/data-jobs/${drawn.id}`).expect(200)).body;
    expect(shape(theirs.report)).toEqual({ documents: [there], residents: [there], elsewhere: [{ establishmentId: h.orgA.establishmentId, establishmentName: 'EHPAD a', documents: 1, residents: 1 }] });
    // The stored report stays whole: the purge runs it.
    const [{ report }] = (await ds.query(`SELECT report FROM data_jobs WHERE id = $1`, [drawn.id])) as { report: { residents: unknown[]; elsewhere?: unknown } }[];
    expect({ residents: report.residents.length, elsewhere: report.elsewhere }).toEqual({ residents: 2, elsewhere: undefined });
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData, curatelleResident, insertResidentsWithSignedContracts, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * A newcomer's finding: « Nouveau document » offered a second contrat de séjour to a person whose
 * contract was signed, and POST /api/documents accepted it. CASF L.311-4 and D.311: the contract is
 * concluded for the stay and then amended by avenant; a second one would leave two contracts in
 * force. Refused (409 CONTRACT_ALREADY_IN_FORCE), the avenant offered instead with the reason; a
 * new admission (another admission date) has its own contract; a contract still in progress is
 * not refused (a draft may be abandoned for another).
 */
describe('no second contrat de séjour for the same admission (CASF L.311-4, D.311)', () => {
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

  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const count = async (residentId: string) => Number((await ds.query(`SELECT count(*) AS n FROM documents WHERE resident_id = $1 AND type = 'contrat-sejour'`, [residentId]))[0].n);

  it('a signed contract: « Nouveau document » offers the avenant, not a contract, and says why; the API refuses a second one with 409 CONTRACT_ALREADY_IN_FORCE', async () => {
    const [residentId] = await insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count: 1, tag: 'second-contract' });
    const page = (await agent.get(`/console/residents/${residentId}/documents/nouveau`).expect(200)).text;
    const offered = /<h2>Documents possibles<\/h2>([\s\S]*?)<h2>/.exec(page)![1];
    expect(offered).toContain(`/console/residents/${residentId}/documents/nouveau?type=avenant`);
    expect(offered).not.toContain('type=contrat-sejour');
    expect(text(page)).toContain('Contrat de séjour : Un contrat de séjour est déjà signé : toute modification se fait par avenant (CASF L.311-4, D.311).');
    // The form itself, reached by its address: refused with the same sentence.
    const direct = await agent.get(`/console/residents/${residentId}/documents/nouveau?type=contrat-sejour`).expect(409);
    expect(text(direct.text)).toContain('toute modification se fait par avenant');

    const res = await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CONTRACT_ALREADY_IN_FORCE', message: 'Un contrat de séjour est déjà signé : toute modification se fait par avenant (CASF L.311-4, D.311).' });
    expect(await count(residentId)).toBe(1);
  });

  it('a new admission (another admission date on the file) has its own contract; a refused contract still leads to the DIPC', async () => {
    const residentId = (await agent.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    const first = await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202);
    await ds.query(`UPDATE documents SET status = 'signed' WHERE id = $1`, [first.body.id]);
    expect((await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() })).body.error.code).toBe('CONTRACT_ALREADY_IN_FORCE');
    const admitted = (await ds.query(`SELECT admission_date::text AS d FROM residents WHERE id = $1`, [residentId]))[0].d as string;
    const readmitted = `${Number(admitted.slice(0, 4)) - 1}${admitted.slice(4)}`;
    await ds.query(`UPDATE residents SET admission_date = $2 WHERE id = $1`, [residentId, readmitted]);
    await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202);

    const other = (await agent.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    const refused = await agent.post('/api/documents').send({ residentId: other, type: 'contrat-sejour', data: contractData() }).expect(202);
    await ds.query(`UPDATE documents SET status = 'refused' WHERE id = $1`, [refused.body.id]);
    expect((await agent.post('/api/documents').send({ residentId: other, type: 'contrat-sejour', data: contractData() })).body.error.code).toBe('CONTRACT_REFUSED_USE_DIPC');
  });
});

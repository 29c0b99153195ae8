import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * CASF D.311: « La participation de la personne admise et, si nécessaire, de sa famille ou de son
 * représentant légal est obligatoirement requise pour l'établissement du contrat ou document, à peine
 * de nullité de celui-ci. » A capable adult has no legal representative (C. civ. 414): a relative
 * who came in her stead cannot make the document hers.
 */
describe('participation: a relative never stands in for a capable adult (CASF D.311, L.311-4)', () => {
  let h: ApiHarness;
  let admissions: request.Agent;

  beforeAll(async () => {
    h = await startApiHarness();
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
  });
  afterAll(async () => {
    await h?.close();
  });

  const daughter = { name: 'Sylvie Martin', capacity: 'proche', role: 'fille', roleFalc: 'votre fille', presence: 'present' };
  const staff = { name: 'Nadia Haddad', capacity: 'professionnel', role: 'admissions', roleFalc: 'l’accueil des nouveaux habitants', presence: 'present' };
  const representedBy = (others: object[]) => contractData({ participation: { person: { presence: 'represente' }, others } });
  const count = async (resident: string) =>
    Number(((await h.app.get(DataSource).query(`SELECT count(*) AS n FROM documents WHERE resident_id = $1`, [resident])) as { n: string }[])[0].n);

  it('a capable adult « représentée » by her daughter: refused, nothing written; present herself, the document is made', async () => {
    const capable = { ...curatelleResident(h.orgA.establishmentId), firstName: 'Jeanne', lastName: 'Martin', protectionMeasure: null };
    const resident = (await admissions.post('/api/residents').send(capable).expect(201)).body.id as string;
    const refused = await admissions.post('/api/documents').send({ residentId: resident, type: 'contrat-sejour', data: representedBy([daughter, staff]) });
    expect(refused.status).toBe(400);
    const detail = (refused.body.error.details as { field: string; code: string; message: string }[]).find((d) => d.code === 'PARTICIPATION_REQUIRED')!;
    expect(detail.field).toBe('data.participation.person.presence');
    expect(detail.message).toContain('Un proche peut l’accompagner, il ne peut pas la remplacer');
    expect(await count(resident)).toBe(0);
    const present = contractData({ participation: { person: { presence: 'present' }, others: [daughter, staff] } });
    expect((await admissions.post('/api/documents').send({ residentId: resident, type: 'contrat-sejour', data: present })).status).toBe(202);
  });

  it('under a curatelle: her daughter is not her representative either; her curateur is', async () => {
    const resident = (await admissions.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    const refused = await admissions.post('/api/documents').send({ residentId: resident, type: 'contrat-sejour', data: representedBy([daughter, staff]) });
    expect(refused.status).toBe(400);
    expect((refused.body.error.details as { field: string; code: string }[]).find((d) => d.code === 'PARTICIPATION_REQUIRED')!.field).toBe('data.participation.others');
    const curateur = { name: 'Karim Benaïssa', capacity: 'representant_legal', role: 'curateur', roleFalc: 'votre curateur', presence: 'present' };
    expect((await admissions.post('/api/documents').send({ residentId: resident, type: 'contrat-sejour', data: representedBy([daughter, curateur, staff]) })).status).toBe(202);
  });
});

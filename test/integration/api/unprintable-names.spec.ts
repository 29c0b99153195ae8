import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from './api-harness';

/**
 * On the running API, a resident named « 王秀英 » was stored, and her contrat de séjour printed « ��� »
 * in her name, in the document she signs: the PDF faces (Atkinson Hyperlegible Next, DejaVu Sans)
 * draw no Han, kana, Hangul, Devanagari, Khmer… nor most emoji. A name, a resident's printed free
 * text and a document's data with a character no face draws are now 400 CHARACTER_NOT_PRINTABLE on
 * the field, with a French message that says what to do, and nothing is written (libs/common
 * printable.ts). A resident stored before keeps her name, but no document can be created for her
 * until it is entered in Latin letters: the same refusal, on `resident.lastName`.
 */
describe('names and printed free text the PDF faces cannot draw: 400 CHARACTER_NOT_PRINTABLE', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let agent: request.Agent;
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const residents = () => count(`SELECT count(*) AS n FROM residents WHERE organisation_id = $1`, [h.orgA.organisationId]);
  const documents = () => count(`SELECT count(*) AS n FROM documents WHERE organisation_id = $1`, [h.orgA.organisationId]);
  const auditEvents = () => count(`SELECT count(*) AS n FROM audit_events`);
  const state = async () => ({ residents: await residents(), documents: await documents(), audit: await auditEvents() });

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  const resident = (over: Record<string, unknown> = {}) => ({ ...curatelleResident(h.orgA.establishmentId), ...over });
  const adult = (over: Record<string, unknown> = {}) => {
    const { protectionMeasure: _m, ...plain } = resident(over);
    return plain;
  };
  const details = (res: request.Response) => (res.body.error?.details ?? []) as { field: string; code: string; message: string }[];

  it('a resident named in Chinese, Hindi, Korean or Khmer: 400 on each name field, the message asks for the Latin spelling of the identity document; nothing written', async () => {
    const before = await state();
    const res = await agent.post('/api/residents').send(adult({ firstName: '秀英', lastName: '王' }));
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(details(res)).toEqual([
      { field: 'firstName', code: 'CHARACTER_NOT_PRINTABLE', message: expect.stringContaining('« 秀 » (U+79C0), « 英 » (U+82F1)') },
      { field: 'lastName', code: 'CHARACTER_NOT_PRINTABLE', message: expect.stringContaining('« 王 » (U+738B)') },
    ]);
    expect(details(res)[1].message).toContain('Saisissez le nom en caractères latins, tel qu’il figure sur la pièce d’identité française ou le titre de séjour (translittération).');
    for (const [firstName, lastName] of [
      ['अनिल', 'Kumar'],
      ['Min-jun', '김'],
      ['សុខា', 'Chan'],
    ]) {
      const r = await agent.post('/api/residents').send(adult({ firstName, lastName }));
      expect({ firstName, status: r.status, codes: details(r).map((d) => `${d.field} ${d.code}`) }).toEqual({
        firstName,
        status: 400,
        codes: [`${firstName === 'Min-jun' ? 'lastName' : 'firstName'} CHARACTER_NOT_PRINTABLE`],
      });
    }
    expect(await state()).toEqual(before);
  });

  it('a measure’s mission (printed in the contract) with an emoji the faces lack: 400 on the field; nothing written', async () => {
    const before = await state();
    const base = resident();
    const res = await agent.post('/api/residents').send(resident({ protectionMeasure: { ...base.protectionMeasure, mission: 'Gérer les comptes 👍🏽' } }));
    expect({ status: res.status, details: details(res).map((d) => `${d.field} ${d.code}`) }).toEqual({ status: 400, details: ['protectionMeasure.mission CHARACTER_NOT_PRINTABLE'] });
    expect(details(res)[0].message).toContain('« 👍 » (U+1F44D), « 🏽 » (U+1F3FD)');
    expect(await state()).toEqual(before);
  });

  it('a contract whose objective holds an emoji or Chinese: 400 on the data’s field, no document', async () => {
    const residentId = (await agent.post('/api/residents').send(adult({ firstName: 'Xiuying', lastName: 'Wang' })).expect(201)).body.id as string;
    const before = await state();
    const res = await agent
      .post('/api/documents')
      .send({ residentId, type: 'contrat-sejour', data: contractData({ objectives: ['Garder ses habitudes 👍', '每天读书'], objectivesFalc: ['Vous gardez vos habitudes.', 'Vous lisez.'] }) });
    expect({ status: res.status, details: details(res).map((d) => `${d.field} ${d.code}`) }).toEqual({
      status: 400,
      details: [expect.stringMatching(/objectives\[0\] CHARACTER_NOT_PRINTABLE$/), expect.stringMatching(/objectives\[1\] CHARACTER_NOT_PRINTABLE$/)],
    });
    expect(await state()).toEqual(before);
  });

  it('a resident stored before the rule with a Chinese name: her contract is refused at creation on resident.lastName, saying what to do, not printed with « � »', async () => {
    const residentId = (await agent.post('/api/residents').send(adult({ firstName: 'Xiuying', lastName: 'Wang' })).expect(201)).body.id as string;
    await ds.query(`UPDATE residents SET last_name = '王' WHERE id = $1`, [residentId]);
    const before = await state();
    const res = await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() });
    expect({ status: res.status, details: details(res).map((d) => `${d.field} ${d.code}`) }).toEqual({ status: 400, details: ['resident.lastName CHARACTER_NOT_PRINTABLE'] });
    expect(details(res)[0].message).toContain('translittération');
    expect(await state()).toEqual(before);
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from './api-harness';

/**
 * On the running API (after the attacker review of session 21), a resident's name or free text with a
 * private-use code point or a noncharacter was stored, then printed as « � » or as DejaVu Sans's own
 * glyph for it on the signature page (libs/common text-safety.ts, UNSUPPORTED). Now 400
 * UNSUPPORTED_CHARACTER on the field, nothing written; a lone surrogate sent as the JSON escape
 * « \ud800 » is 400 INVALID_CHARACTER; real names in the scripts the PDF faces draw still pass (the
 * others, and emoji in printed free text, are CHARACTER_NOT_PRINTABLE: unprintable-names.spec.ts).
 */
describe('private-use characters, noncharacters and lone surrogates in a resident’s file', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let agent: request.Agent;
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const residents = () => count(`SELECT count(*) AS n FROM residents WHERE organisation_id = $1`, [h.orgA.organisationId]);
  const auditEvents = () => count(`SELECT count(*) AS n FROM audit_events`);

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  const resident = (over: Record<string, unknown> = {}) => ({ ...curatelleResident(h.orgA.establishmentId), ...over });
  const refusal = (res: request.Response) => ({ status: res.status, code: res.body.error?.code, details: res.body.error?.details });

  it('a name, a holder’s name or a free text with a private-use character or a noncharacter: 400 UNSUPPORTED_CHARACTER on the field, no resident, no audit event', async () => {
    const before = { residents: await residents(), audit: await auditEvents() };
    const base = resident();
    const cases: [string, Record<string, unknown>][] = [
      ['firstName', { firstName: 'Marcel\uE000' }],
      ['lastName', { lastName: 'Dupon\uF6C5' }], // DejaVu Sans draws U+F6C5 as a Cyrillic letter form
      ['lastName', { lastName: '\u{F0000}\u{F0001}' }],
      ['room', { room: '112\u{10FFFD}' }],
      ['firstName', { firstName: 'Marcel\uFDD0' }],
      ['lastName', { lastName: 'Dupont\u{10FFFF}' }],
      ['protectionMeasure.holders.0.lastName', { protectionMeasure: { ...base.protectionMeasure, holders: [{ ...base.protectionMeasure.holders[0], lastName: 'Bena\uE801ssa' }] } }],
      ['protectionMeasure.mission', { protectionMeasure: { ...base.protectionMeasure, mission: 'Gérer les comptes\u{1FFFE}' } }],
    ];
    for (const [field, over] of cases) {
      const res = await agent.post('/api/residents').send(resident(over));
      expect({ field, ...refusal(res) }).toEqual({
        field,
        status: 400,
        code: 'VALIDATION_FAILED',
        details: [{ field, code: 'UNSUPPORTED_CHARACTER', message: expect.stringMatching(/ne peuvent pas afficher.*Retirez-le, ou retapez le texte au lieu de le coller\.$/) }],
      });
    }
    expect({ residents: await residents(), audit: await auditEvents() }).toEqual(before);
  });

  it('a lone surrogate sent as the JSON escape « \\ud800 »: 400 INVALID_CHARACTER on the field, nothing written', async () => {
    const before = { residents: await residents(), audit: await auditEvents() };
    const body = JSON.stringify(resident({ lastName: 'Dupont' })).replace('"lastName":"Dupont"', '"lastName":"Dupont\\ud800"');
    expect(body).toContain('Dupont\\ud800');
    const res = await agent.post('/api/residents').set('Content-Type', 'application/json').send(body);
    expect(refusal(res)).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'lastName', code: 'INVALID_CHARACTER', message: expect.stringContaining('retirez-le, ou retapez le texte') }],
    });
    expect({ residents: await residents(), audit: await auditEvents() }).toEqual(before);
  });

  it('real names in several scripts are kept; so is a symbol DejaVu Sans draws in printed free text (each creation is audited: the counts above would see a write)', async () => {
    const base = resident();
    const before = { residents: await residents(), audit: await auditEvents() };
    for (const [firstName, lastName] of [
      ['Hélène', 'd’Aubigné-Lefèvre'],
      ['مريم', 'الحسني'],
      ['Ольга', 'Иванова'],
      ['שרה', 'לוי'],
      ['Ωmega', 'Παπαδοπούλου'],
    ]) {
      const res = await agent.post('/api/residents').send(resident({ firstName, lastName }));
      expect({ firstName, status: res.status, details: res.body.error?.details }).toEqual({ firstName, status: 201, details: undefined });
      expect(res.body).toMatchObject({ firstName, lastName });
    }
    const mission = { protectionMeasure: { ...base.protectionMeasure, mission: 'Gérer les comptes ✔ ☺' } };
    expect((await agent.post('/api/residents').send(resident(mission))).status).toBe(201);
    expect(await residents()).toBe(before.residents + 6);
    expect(await auditEvents()).toBeGreaterThanOrEqual(before.audit + 6);
  });
});

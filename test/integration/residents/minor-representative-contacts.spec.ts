import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, loginAgent, minorUnderTutelleResident } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * A minor under tutelle or délégation does not lose, through the contacts, the representative the
 * resident form requires (C. civ. 408: the tuteur represents the minor; C. civ. 377: the délégataire
 * exercises the authority delegated): a contact's role cleared or the contact deleted is refused,
 * 400 with the form's code and message, nothing written; with another representative on file it goes.
 */
describe('a minor’s representative among the contacts', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admissions: request.Agent;
  const contactsOf = async (residentId: string) =>
    (await ds.query(`SELECT id, last_name, minor_role FROM contacts WHERE resident_id = $1 ORDER BY created_at, id`, [residentId])) as { id: string; last_name: string; minor_role: string | null }[];
  const events = async (residentId: string) =>
    Number(((await ds.query(`SELECT count(*) AS n FROM audit_events WHERE action IN ('contact.updated', 'contact.deleted') AND payload->>'residentId' = $1`, [residentId])) as { n: string }[])[0].n);

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('the only tuteur’s role cleared, or the tuteur deleted: 400 MINOR_TUTEUR_REQUIRED, nothing written', async () => {
    const id = (await admissions.post('/api/residents').send(minorUnderTutelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    const before = await contactsOf(id);
    expect(before).toEqual([expect.objectContaining({ last_name: 'Roux', minor_role: 'tuteur' })]);
    const tuteur = before[0].id;

    const cleared = await admissions.patch(`/api/residents/${id}/contacts/${tuteur}`).send({ minorRole: null, relation: 'tante maternelle' }).expect(400);
    expect(cleared.body.error.code).toBe('MINOR_TUTEUR_REQUIRED');
    expect(cleared.body.error.details).toEqual([expect.objectContaining({ field: 'minorRole', code: 'MINOR_TUTEUR_REQUIRED', message: expect.stringMatching(/C\. civ\. 408/) })]);
    const changedRole = await admissions.patch(`/api/residents/${id}/contacts/${tuteur}`).send({ minorRole: 'delegataire' }).expect(400);
    expect(changedRole.body.error.code).toBe('MINOR_TUTEUR_REQUIRED');
    const deleted = await admissions.delete(`/api/residents/${id}/contacts/${tuteur}`).expect(400);
    expect(deleted.body.error.code).toBe('MINOR_TUTEUR_REQUIRED');

    expect(await contactsOf(id)).toEqual(before);
    const [row] = (await ds.query(`SELECT relation FROM contacts WHERE id = $1`, [tuteur])) as { relation: string }[];
    expect(row.relation).toBe('tante');
    expect(await events(id)).toBe(0);
    // What does not touch the role still goes.
    await admissions.patch(`/api/residents/${id}/contacts/${tuteur}`).send({ phone: '0601020304' }).expect(200);
  });

  it('with a second tuteur on file, one tuteur’s role is cleared and the other deleted', async () => {
    const id = (await admissions.post('/api/residents').send(minorUnderTutelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    const [first] = await contactsOf(id);
    const second = (await admissions.post(`/api/residents/${id}/contacts`).send({ firstName: 'Paul', lastName: 'Roux', relation: 'oncle', minorRole: 'tuteur' }).expect(201)).body.id as string;
    expect((await admissions.patch(`/api/residents/${id}/contacts/${first.id}`).send({ minorRole: null }).expect(200)).body.minorRole).toBeNull();
    // Now Paul is the only tuteur left: he stays.
    expect((await admissions.delete(`/api/residents/${id}/contacts/${second}`).expect(400)).body.error.code).toBe('MINOR_TUTEUR_REQUIRED');
    await admissions.patch(`/api/residents/${id}/contacts/${first.id}`).send({ minorRole: 'tuteur' }).expect(200);
    await admissions.delete(`/api/residents/${id}/contacts/${second}`).expect(204);
    expect((await contactsOf(id)).map((c) => [c.last_name, c.minor_role])).toEqual([['Roux', 'tuteur']]);
    expect(await events(id)).toBe(3);
  });

  it('under délégation the only délégataire’s role cleared: 400 DELEGATAIRE_REQUIRED', async () => {
    const input = {
      ...minorUnderTutelleResident(h.orgA.establishmentId),
      lastName: 'Délégué',
      parentalAuthority: 'delegation',
      minorDecision: { authority: 'JAF, TJ de Valville', reference: 'RG 25/00077', date: '2025-04-01', delegationExtent: 'total' },
      contacts: [{ firstName: 'Hélène', lastName: 'Roux', relation: 'tante', minorRole: 'delegataire' }],
    };
    const id = (await admissions.post('/api/residents').send(input).expect(201)).body.id as string;
    const [delegataire] = await contactsOf(id);
    expect((await admissions.patch(`/api/residents/${id}/contacts/${delegataire.id}`).send({ minorRole: null }).expect(400)).body.error.code).toBe('DELEGATAIRE_REQUIRED');
    expect((await admissions.delete(`/api/residents/${id}/contacts/${delegataire.id}`).expect(400)).body.error.code).toBe('DELEGATAIRE_REQUIRED');
    expect(await contactsOf(id)).toEqual([delegataire]);
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from './api-harness';

/**
 * An establishment's legal status, public or private (migration 1764230000000, the sector lawyer's
 * review of session 19): it decides the recourse a refusal of access names. Optional; set by the
 * direction or an administrator through PATCH /api/establishments/:id (null clears it), audited
 * with its old and new values; the database refuses any other value (ck_establishments_legal_status).
 */
describe('an establishment’s legal status', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('not recorded at first; set, cleared, each change audited; another value: 400 in French, nothing written; the database refuses it too', async () => {
    const id = h.orgA.establishmentId;
    const listed = (await admin.get('/api/establishments').expect(200)).body as { id: string; legalStatus: string | null }[];
    expect(listed.find((e) => e.id === id)!.legalStatus).toBeNull();
    expect((await admin.patch(`/api/establishments/${id}`).send({ legalStatus: 'public' }).expect(200)).body.legalStatus).toBe('public');
    const events = async () =>
      ((await ds.query(`SELECT payload FROM audit_events WHERE action = 'establishment.updated' AND subject_id = $1 ORDER BY seq`, [id])) as { payload: Record<string, unknown> }[]).map((e) => e.payload);
    expect((await events()).at(-1)).toEqual({ changedFields: ['legalStatus'], legalStatusFrom: null, legalStatusTo: 'public' });
    const bad = await admin.patch(`/api/establishments/${id}`).send({ legalStatus: 'associatif' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['legalStatus']);
    const n = (await events()).length;
    // The same value again: nothing changes, nothing audited.
    await admin.patch(`/api/establishments/${id}`).send({ legalStatus: 'public' }).expect(200);
    expect((await events()).length).toBe(n);
    await admin.patch(`/api/establishments/${id}`).send({ legalStatus: null }).expect(200);
    expect((await events()).at(-1)).toEqual({ changedFields: ['legalStatus'], legalStatusFrom: 'public', legalStatusTo: null });
    const [{ legal_status }] = (await ds.query(`SELECT legal_status FROM establishments WHERE id = $1`, [id])) as { legal_status: string | null }[];
    expect(legal_status).toBeNull();
    await expect(ds.query(`UPDATE establishments SET legal_status = 'associatif' WHERE id = $1`, [id])).rejects.toThrow(/ck_establishments_legal_status/);
  });
});

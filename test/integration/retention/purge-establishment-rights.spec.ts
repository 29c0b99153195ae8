import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DataJobsService } from '@carepact/archive';
import { TEST_PASSWORD, archiveResident, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, addEstablishment, addUser, startApiHarness } from '../api/api-harness';

/**
 * A security review (H2, M3) on a running copy: an organisation of two establishments, an
 * administrator of one of them only (`adminc`, Chênes).
 * - H2: retention durations, the purge's simulation and its run checked `records.manage`
 *   somewhere in the organisation: adminc, who gets a 404 for a person of the other establishment,
 *   shortened the file's duration (200), drew the organisation's report and ran it: the other
 *   establishment's person was purged. Now (SECURITY-RELIABILITY.md: a permission is checked in the
 *   establishment of the record acted on) the durations and the archives regime are changed only by
 *   an administrator of all the establishments (403 RECORDS_MANAGE_WHOLE_ORGANISATION_REQUIRED); a
 *   report covers the establishments where its author manages records (`establishmentIds`, in its
 *   audit event too); it is run only by its author (403 PURGE_REPORT_NOT_YOURS) while she manages
 *   each of them (403 PURGE_ESTABLISHMENT_NOT_MANAGED), checked again when the worker runs it.
 * - M3: the purge deleted a person whose heir's access request (CSP L.1110-4 V, L.1111-7) was still
 *   open — selection recorded, not delivered. Now she is kept and counted « demande d’accès en cours ».
 * The worker's handler (DataJobsService.run) is called here as the worker calls it.
 */
describe('the purge and the organisation’s durations: each establishment’s records by its own administrators', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let jobs: DataJobsService;
  let tilleulsAdmin: request.Agent;
  let admissions: request.Agent;
  let adminc: request.Agent;
  let both: request.Agent;
  let bothId = '';
  let chenes = '';
  let tilleuls = '';

  const exists = async (id: string) => Number(((await ds.query(`SELECT count(*) AS n FROM residents WHERE id = $1`, [id])) as { n: string }[])[0].n) === 1;
  const runJob = async (jobId: string) => {
    const [{ id: outboxId }] = (await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1 AND done_at IS NULL ORDER BY created_at DESC`, [jobId])) as { id: string }[];
    await jobs.run(outboxId, jobId).catch(() => undefined);
    return ((await ds.query(`SELECT status, error, report FROM data_jobs WHERE id = $1`, [jobId])) as { status: string; error: string | null; report: Record<string, number> | null }[])[0];
  };
  /** A person who left on 1 January 2020 (her file's 5 years are past), created in `establishmentId`. */
  const departed = async (creator: request.Agent, manager: request.Agent, establishmentId: string, lastName: string) => {
    const id = (await creator.post('/api/residents').send({ ...curatelleResident(establishmentId), lastName }).expect(201)).body.id as string;
    await archiveResident(ds, manager, id, '2020-01-01');
    return id;
  };
  /** A page's text, tags stripped. */
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  type Report = { id: string; report: { establishmentIds: string[]; residents: { id: string }[]; kept: Record<string, number> } };

  beforeAll(async () => {
    h = await startApiHarness({ EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    ds = h.app.get(DataSource);
    jobs = h.app.get(DataJobsService);
    tilleuls = h.orgA.establishmentId;
    tilleulsAdmin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    chenes = await addEstablishment(h.app, h.orgA.organisationId, 'Chênes');
    await addUser(h.app, h.orgA.organisationId, 'adminc@chenes.test', [{ establishmentId: chenes, role: 'administrator' }]);
    adminc = await loginAgent(h.app, 'adminc@chenes.test', TEST_PASSWORD);
    bothId = await addUser(h.app, h.orgA.organisationId, 'direction@a.test', [
      { establishmentId: tilleuls, role: 'administrator' },
      { establishmentId: chenes, role: 'administrator' },
    ]);
    both = await loginAgent(h.app, 'direction@a.test', TEST_PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('H2: an administrator of one establishment changes neither the organisation’s durations nor its regime (403, in French, nothing written); an administrator of all does', async () => {
    const odette = await departed(admissions, tilleulsAdmin, tilleuls, 'Renaud');
    await adminc.get(`/api/residents/${odette}`).expect(404);
    const before = Number(((await ds.query(`SELECT count(*) AS n FROM audit_events WHERE action IN ('retention.policy_changed', 'retention.archives_regime_changed')`)) as { n: string }[])[0].n);

    const policy = await adminc.put('/api/retention/policies/dossier-resident').send({ years: 1 });
    expect({ status: policy.status, code: policy.body.error?.code }).toEqual({ status: 403, code: 'RECORDS_MANAGE_WHOLE_ORGANISATION_REQUIRED' });
    expect(policy.body.error.message).toContain('un administrateur de tous les établissements de l’organisation');
    const regime = await adminc.put('/api/retention/archives-regime').send({ activeBaseMonths: 1 });
    expect({ status: regime.status, code: regime.body.error?.code }).toEqual({ status: 403, code: 'RECORDS_MANAGE_WHOLE_ORGANISATION_REQUIRED' });
    // The console: no form, who can said; a form posted anyway refused.
    const page = (await adminc.get('/console/conservation').expect(200)).text;
    expect(page).not.toContain('action="/console/conservation/durees"');
    expect(page).not.toContain('action="/console/conservation/archives"');
    expect(page).toContain('seul un administrateur de tous les établissements de l’organisation peut les changer');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    await adminc.post('/console/conservation/durees').type('form').send({ _csrf: csrf, subject: 'dossier-resident', years: '1' }).expect(403);
    expect((await ds.query(`SELECT count(*) AS n FROM retention_policies WHERE organisation_id = $1`, [h.orgA.organisationId]))[0].n).toBe('0');
    expect(((await ds.query(`SELECT active_base_months AS m FROM organisations WHERE id = $1`, [h.orgA.organisationId])) as { m: number }[])[0].m).toBe(24);
    expect(Number(((await ds.query(`SELECT count(*) AS n FROM audit_events WHERE action IN ('retention.policy_changed', 'retention.archives_regime_changed')`)) as { n: string }[])[0].n)).toBe(before);
    // Reading stays as it was.
    expect((await adminc.get('/api/retention/policies').expect(200)).body.length).toBeGreaterThan(0);

    // The administrator of both establishments: changed, and back.
    expect((await both.put('/api/retention/policies/dossier-resident').send({ years: 30 }).expect(200)).body.years).toBe(30);
    await both.put('/api/retention/archives-regime').send({ activeBaseMonths: 24 }).expect(200);
    const bothPage = (await both.get('/console/conservation').expect(200)).text;
    expect(bothPage).toContain('action="/console/conservation/durees"');
    await both.put('/api/retention/policies/dossier-resident').send({ years: 5 }).expect(200);
  });

  it('H2: her simulation covers her establishment only, and its run purges nothing of the other', async () => {
    const odette = await departed(admissions, tilleulsAdmin, tilleuls, 'Renaud');
    const chenesPerson = await departed(both, adminc, chenes, 'Chênaie');
    const report = (await adminc.post('/api/retention/purge-reports').expect(201)).body as Report;
    expect(JSON.stringify(report)).not.toContain(odette);
    expect(report.report.residents.map((r) => r.id)).toEqual([chenesPerson]);
    expect(report.report.establishmentIds).toEqual([chenes]);
    const [reported] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'retention.purge_reported' AND subject_id = $1`, [report.id])) as { payload: Record<string, unknown> }[];
    expect(reported.payload).toMatchObject({ establishmentIds: [chenes], residents: 1 });

    const run = (await adminc.post(`/api/retention/purge-reports/${report.id}/run`).send({}).expect(202)).body as { id: string };
    const [requested] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'data_job.requested' AND payload->>'jobId' = $1`, [run.id])) as { payload: Record<string, unknown> }[];
    expect(requested.payload).toMatchObject({ kind: 'purge_run', establishmentIds: [chenes] });
    expect((await runJob(run.id)).report).toMatchObject({ residents: 1 });
    expect(await exists(chenesPerson)).toBe(false);
    expect(await exists(odette)).toBe(true);
    // The console's page of her report names the establishment it covers.
    expect(text((await adminc.get(`/console/conservation/simulations/${report.id}`).expect(200)).text)).toContain('Établissement couvert (ceux dont l’auteur de la simulation gère les archives) : Foyer Chênes.');
  });

  it('H2: a report is run by its author only, while she manages each establishment it covers — at the request and again when the worker runs it', async () => {
    const odette = await departed(admissions, tilleulsAdmin, tilleuls, 'Renaud');
    // Another's report: 403, nothing asked, through the API and the console.
    const theirs = (await both.post('/api/retention/purge-reports').expect(201)).body as Report;
    const notYours = await adminc.post(`/api/retention/purge-reports/${theirs.id}/run`).send({});
    expect({ status: notYours.status, code: notYours.body.error?.code }).toEqual({ status: 403, code: 'PURGE_REPORT_NOT_YOURS' });
    expect([...theirs.report.establishmentIds].sort()).toEqual([tilleuls, chenes].sort());
    const page = (await adminc.get(`/console/conservation/simulations/${theirs.id}`).expect(200)).text;
    expect(page).not.toContain(`action="/console/conservation/simulations/${theirs.id}/executer"`);
    expect(page).toContain('Seul l’administrateur qui a lancé cette simulation peut l’exécuter');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    await adminc.post(`/console/conservation/simulations/${theirs.id}/executer`).type('form').send({ _csrf: csrf, confirm: 'oui' }).expect(403);

    // Her own report, after her role in one of its establishments was withdrawn: 403.
    await ds.query(`DELETE FROM staff_roles WHERE user_id = $1 AND establishment_id = $2`, [bothId, tilleuls]);
    const withdrawn = await both.post(`/api/retention/purge-reports/${theirs.id}/run`).send({});
    expect({ status: withdrawn.status, code: withdrawn.body.error?.code }).toEqual({ status: 403, code: 'PURGE_ESTABLISHMENT_NOT_MANAGED' });
    expect((await ds.query(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'purge_run' AND params->>'reportId' = $1`, [theirs.id]))[0].n).toBe('0');

    // Asked while she managed both, withdrawn before the worker ran it: failed, nothing purged, the refusal audited.
    await ds.query(`INSERT INTO staff_roles (user_id, establishment_id, role) VALUES ($1, $2, 'administrator')`, [bothId, tilleuls]);
    const again = (await both.post('/api/retention/purge-reports').expect(201)).body as Report;
    expect(again.report.residents.map((r) => r.id)).toContain(odette);
    const run = (await both.post(`/api/retention/purge-reports/${again.id}/run`).send({}).expect(202)).body as { id: string };
    await ds.query(`DELETE FROM staff_roles WHERE user_id = $1 AND establishment_id = $2`, [bothId, tilleuls]);
    const done = await runJob(run.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^PURGE_ESTABLISHMENT_NOT_MANAGED: /);
    expect(await exists(odette)).toBe(true);
    expect((await ds.query(`SELECT count(*) AS n FROM audit_events WHERE action = 'data_job.refused' AND payload->>'jobId' = $1 AND payload->>'code' = 'PURGE_ESTABLISHMENT_NOT_MANAGED'`, [run.id]))[0].n).toBe('1');
    await ds.query(`INSERT INTO staff_roles (user_id, establishment_id, role) VALUES ($1, $2, 'administrator')`, [bothId, tilleuls]);
  });

  it('M3: a person whose heir’s access request is still open (selection recorded, not delivered) is kept, and counted « demande d’accès en cours »', async () => {
    const odette = await departed(admissions, tilleulsAdmin, tilleuls, 'Renaud');
    const heir = {
      from: 'ayant_droit',
      receivedOn: '2026-11-25',
      statement: 'Courrier de son fils : causes du décès',
      purpose: 'causes_of_death',
      deceasedOn: '2020-01-01',
      deceasedObjection: 'none',
      standingProof: { type: 'acte_notoriete', reference: 'Me Durand, notaire à Lyon, réf. 2026/1187', issuedOn: '2026-10-20' },
    };
    const job = (await tilleulsAdmin.post('/api/data-jobs/access-request').send({ residentId: odette, request: heir }).expect(202)).body as { id: string };
    expect((await runJob(job.id)).status).toBe('done');
    await tilleulsAdmin.post(`/api/data-jobs/${job.id}/selection`).send({ items: ['dossier'], justification: 'Le dossier suffit au motif.' }).expect(200);
    expect((await runJob(job.id)).status).toBe('done');

    const report = (await tilleulsAdmin.post('/api/retention/purge-reports').expect(201)).body as Report;
    expect(report.report.residents.map((r) => r.id)).not.toContain(odette);
    expect(report.report.kept).toMatchObject({ openAccessRequestResidents: 1 });
    const [reported] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'retention.purge_reported' AND subject_id = $1`, [report.id])) as { payload: Record<string, unknown> }[];
    expect(reported.payload).toMatchObject({ openAccessRequestResidents: 1 });
    const page = text((await tilleulsAdmin.get(`/console/conservation/simulations/${report.id}`).expect(200)).text);
    expect(page).toContain('Demande d’accès en cours : 0 document, 1 dossier ;');

    // The purge run (of a report that listed her anyway: one drawn before the request) keeps her too, and her request whole.
    await ds.query(`UPDATE data_jobs SET report = jsonb_set(report, '{residents}', $2::jsonb) WHERE id = $1`, [
      report.id,
      JSON.stringify([{ id: odette, residentId: odette, subject: 'dossier-resident', departedOn: '2020-01-01', retentionEnds: '2025-01-01', establishmentId: tilleuls }]),
    ]);
    const run = (await tilleulsAdmin.post(`/api/retention/purge-reports/${report.id}/run`).send({}).expect(202)).body as { id: string };
    expect((await runJob(run.id)).report).toMatchObject({ residents: 0, skipped: 1 });
    expect(await exists(odette)).toBe(true);
    const [kept] = (await ds.query(`SELECT answer, params FROM data_jobs WHERE id = $1`, [job.id])) as { answer: { state: string; redacted?: string }; params: { request: { statement?: string } } }[];
    expect(kept.answer.state).toBe('selection_recorded');
    expect(kept.answer.redacted).toBeUndefined();
    expect(kept.params.request.statement).toBe(heir.statement);
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RetentionService } from '@carepact/archive';
import { AuditService, AuditVerifier } from '@carepact/audit';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * A sector lawyer's review (session 12), on the real stack:
 * - the intermediate archive (CNIL délib. 2021-028 and 2023-095): past the organisation's active
 *   base after the departure, a person's documents still exist in the lists but their content is
 *   read only by a records manager who opens the archive with a reason (write-once grant, audited);
 * - public archives (Code du patrimoine L.211-4, R.212-14): a public organisation's purge needs the
 *   visa of the archives administration, recorded in the job and in the audit events.
 */
describe('intermediate archive and public archives', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let admin: request.Agent;
  let admissions: request.Agent;
  let coordinator: request.Agent;
  const gone = { id: '', doc: '', version: '' };
  const recent = { id: '', doc: '' };
  const pdf = (agent: request.Agent) => agent.get(`/api/documents/${gone.doc}/versions/${gone.version}/renditions/pdf/standard`);
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    coordinator = await loginAgent(h.app, h.orgA.users.coordinator.email, TEST_PASSWORD);
    for (const [target, lastName] of [[gone, 'Partie'], [recent, 'Récente']] as const) {
      target.id = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName }).expect(201)).body.id as string;
      target.doc = (await admissions.post('/api/documents').send({ residentId: target.id, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
      await waitUntil('the contract generated', async () => (await admissions.get(`/api/documents/${target.doc}`)).body.status === 'ready', 90000);
    }
    gone.version = (await admissions.get(`/api/documents/${gone.doc}`)).body.versions[0].id as string;
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01' WHERE id = $1`, [gone.id]);
  }, 300000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('while the person is accompanied, and in the active base after, her documents are read as before', async () => {
    await pdf(admissions).expect(200);
    expect((await admin.get('/api/retention/archives-regime').expect(200)).body).toEqual({ publicLaw: false, activeBaseMonths: 24 });
    const lastMonth = new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10);
    await admin.put(`/api/residents/${recent.id}/departure`).send({ departedOn: lastMonth }).expect(200);
    const versions = (await admissions.get(`/api/documents/${recent.doc}`)).body.versions as { id: string }[];
    await admissions.get(`/api/documents/${recent.doc}/versions/${versions[0].id}/renditions/pdf/standard`).expect(200);
    expect((await admin.post(`/api/residents/${recent.id}/archive-access`).send({ reason: 'Contentieux' }).expect(409)).body.error.code).toBe('ARCHIVE_NOT_ARCHIVED');
  });

  it('past the active base the content is refused to everyone, the document still listed with its metadata', async () => {
    await admin.put(`/api/residents/${gone.id}/departure`).send({ departedOn: '2020-01-01' }).expect(200);
    for (const agent of [admissions, coordinator, admin]) {
      const refused = (await pdf(agent).expect(403)).body.error;
      expect(refused.code).toBe('ARCHIVE_INTERMEDIATE_RESTRICTED');
      expect(refused.message).toMatch(/archive intermédiaire depuis le 02\/01\/2022/);
    }
    // The data of its versions (the content too) is refused the same way; its existence and metadata are not.
    expect((await admissions.get(`/api/documents/${gone.doc}`).expect(200)).body).toMatchObject({ id: gone.doc, status: 'ready' });
    expect(((await admissions.get(`/api/documents?residentId=${gone.id}`).expect(200)).body as { id: string }[]).map((d) => d.id)).toContain(gone.doc);
    await admissions.get(`/api/documents/${gone.doc}/history`).expect(200);
  });

  it('past the active base, what signers and staff wrote on its requests (a refusal’s reason) is withheld too, as from an auditor', async () => {
    const [req] = (await ds.query(
      `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at, closed_at)
       VALUES ($1, $2, $3, $4, 'h', 'p', 'refused', 'parallel', now(), '{3,7}', '{"signers":[],"views":[]}', '2019-12-01', '2019-12-02') RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, gone.doc, gone.version],
    )) as { id: string }[];
    await ds.query(
      `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status, acted_at, refusal_reason)
       VALUES ($1, 'resident', 'resident', 'Marcel', 'Partie', 'en son nom propre', 'CASF L.311-4', 1, false, 'in_person', 'refused', '2019-12-02', 'Je veux rester près de ma sœur.')`,
      [req.id],
    );
    const view = (await admissions.get(`/api/signature-requests/${req.id}`).expect(200)).body as { contentWithheld: boolean; signers: { refusalReason: string | null }[] };
    expect(view.contentWithheld).toBe(true);
    expect(view.signers[0].refusalReason).toBeNull();
    expect(JSON.stringify((await admissions.get(`/api/documents/${gone.doc}/signature-requests`).expect(200)).body)).not.toContain('ma sœur');
    // The history: why a request was cancelled (kept on its event, the chain holding its SHA-256) is not given either.
    const [cancelled] = (await ds.query(
      `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at, closed_at)
       VALUES ($1, $2, $3, $4, 'h', 'p', 'cancelled', 'parallel', now(), '{3,7}', '{"signers":[],"views":[]}', '2019-11-01', '2019-11-02') RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, gone.doc, gone.version],
    )) as { id: string }[];
    await ds.query(`INSERT INTO signature_events (request_id, kind, at, details) VALUES ($1, 'cancelled', '2019-11-02', $2)`, [cancelled.id, JSON.stringify({ reason: 'Sa fille conteste la mesure.' })]);
    await ds.transaction((em) =>
      h.app.get(AuditService).append(em, { chainId: h.orgA.organisationId, actor: { type: 'system', id: 'test' }, action: 'signature.cancelled', subject: { type: 'signature_request', id: cancelled.id }, payload: { reasonSha256: 'x' } }),
    );
    const history = (await admissions.get(`/api/documents/${gone.doc}/history`).expect(200)).body as { timeline: { action: string; cancelReason: string | null }[] };
    expect(history.timeline.find((e) => e.action === 'signature.cancelled')).toMatchObject({ cancelReason: null });
    expect(JSON.stringify(history)).not.toContain('conteste');
  });

  it('an administrator opens the archive with a reason, recorded write-once and in the audit chain; only for herself', async () => {
    expect((await admissions.post(`/api/residents/${gone.id}/archive-access`).send({ reason: 'Curiosité' }).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await admin.post(`/api/residents/${gone.id}/archive-access`).send({ reason: ' ' }).expect(400)).body.error.details[0].code).toBe('ARCHIVE_REASON_INVALID');
    await admin.post(`/api/residents/00000000-0000-4000-8000-000000000000/archive-access`).send({ reason: 'Contentieux' }).expect(404);
    expect(await count(`SELECT count(*) AS n FROM archive_access_grants`)).toBe(0);
    const reason = 'Réclamation de la fille de Mme Partie (chute du 12/03/2019)';
    const grant = (await admin.post(`/api/residents/${gone.id}/archive-access`).send({ reason }).expect(201)).body as { grantId: string; expiresAt: string };
    const [row] = (await ds.query(`SELECT reason, staff_user_id FROM archive_access_grants WHERE id = $1`, [grant.grantId])) as { reason: string; staff_user_id: string }[];
    expect(row).toEqual({ reason, staff_user_id: h.orgA.users.administrator.id });
    const [event] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'archive.opened' AND subject_id = $1`, [gone.id])) as { payload: Record<string, string> }[];
    expect(event.payload).toMatchObject({ grantId: grant.grantId, reasonSha256: createHash('sha256').update(reason).digest('hex'), archivedSince: '2022-01-02' });
    await pdf(admin).expect(200);
    expect((await pdf(admissions).expect(403)).body.error.code).toBe('ARCHIVE_INTERMEDIATE_RESTRICTED');
    // The grant is write-once; an expired one opens nothing.
    await expect(ds.query(`UPDATE archive_access_grants SET expires_at = now() + interval '1 year' WHERE id = $1`, [grant.grantId])).rejects.toThrow(/write-once|permission denied/);
    expect((await h.app.get(AuditVerifier).verifyAll(ds.manager)).ok).toBe(true);
  });

  it('the active base is the organisation’s setting: longer, the documents are back; bad input refused; audited', async () => {
    expect((await admin.put('/api/retention/archives-regime').send({ activeBaseMonths: -1 }).expect(400)).body.error.details[0].code).toBe('ACTIVE_BASE_MONTHS_INVALID');
    await admissions.put('/api/retention/archives-regime').send({ activeBaseMonths: 1200 }).expect(403);
    await admin.put('/api/retention/archives-regime').send({ activeBaseMonths: 1200 }).expect(200);
    await pdf(admissions).expect(200);
    await admin.put('/api/retention/archives-regime').send({ activeBaseMonths: 24 }).expect(200);
    expect((await pdf(admissions).expect(403)).body.error.code).toBe('ARCHIVE_INTERMEDIATE_RESTRICTED');
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'retention.archives_regime_changed'`)).toBe(2);
  });

  it('a public organisation’s purge needs the archives’ visa (Code du patrimoine R.212-14), recorded in the job and the audit events', async () => {
    const notBoolean = (await admin.put('/api/retention/archives-regime').send({ publicLaw: 'oui' }).expect(400)).body.error.details[0];
    expect(notBoolean.code).toBe('ARCHIVES_PUBLIC_LAW_INVALID');
    // What public_law means now: public archives under 1° or 2° of L.211-4, not « droit public » (column name kept).
    expect(notBoolean.message).toBe('Archives publiques (1° ou 2° de l’article L.211-4 du Code du patrimoine) : oui (true) ou non (false).');
    await admin.put('/api/retention/archives-regime').send({ publicLaw: true }).expect(200);
    const report = (await admin.post('/api/retention/purge-reports').expect(201)).body as { id: string; report: { documents: { id: string }[] } };
    expect(report.report.documents.map((d) => d.id)).toEqual([gone.doc]);
    const refused = (await admin.post(`/api/retention/purge-reports/${report.id}/run`).send({}).expect(400)).body.error;
    expect(refused.code).toBe('PURGE_ARCHIVES_VISA_REQUIRED');
    expect(refused.message).toMatch(/R\.212-14/);
    const bad = (await admin.post(`/api/retention/purge-reports/${report.id}/run`).send({ visa: { reference: 'BE-2026-14', date: '2999-01-01', signatory: '' } }).expect(400)).body.error;
    expect(bad.details.map((d: { code: string }) => d.code).sort()).toEqual(['PURGE_VISA_DATE_INVALID', 'PURGE_VISA_SIGNATORY_INVALID']);
    expect(await count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'purge_run'`)).toBe(0);
    // The worker checks again: a purge of a public organisation without a visa never starts.
    await expect(h.app.get(RetentionService).purge(h.orgA.organisationId, report.id, report.report as never, { type: 'system', id: 'test' })).rejects.toMatchObject({ code: 'PURGE_ARCHIVES_VISA_REQUIRED' });
    expect(await count(`SELECT count(*) AS n FROM documents WHERE id = $1`, [gone.doc])).toBe(1);

    const visa = { reference: 'BE-2026-14', date: '2026-01-15', signatory: 'Mme Durand, directrice des archives départementales' };
    const job = (await admin.post(`/api/retention/purge-reports/${report.id}/run`).send({ visa }).expect(202)).body as { id: string; params: Record<string, unknown> };
    expect(job.params).toMatchObject({ kind: 'purge_run', visa });
    const [requested] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'data_job.requested' AND payload->>'jobId' = $1`, [job.id])) as { payload: Record<string, string> }[];
    expect(requested.payload).toMatchObject({ eliminationVisaReference: visa.reference, eliminationVisaDate: visa.date, eliminationVisaSignatory: visa.signatory });
    await waitUntil('the purge', async () => (await admin.get(`/api/data-jobs/${job.id}`)).body.status === 'done', 90000);
    const [purged] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'retention.document_purged' AND subject_id = $1`, [gone.doc])) as { payload: Record<string, string> }[];
    expect(purged.payload).toMatchObject({ eliminationVisaReference: visa.reference, eliminationVisaDate: visa.date });
    expect((await h.app.get(AuditVerifier).verifyAll(ds.manager)).ok).toBe(true);
  });
});

import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RetentionService, lookupSubjects, verifyDetachedCms } from '@carepact/archive';
import { AuditVerifier } from '@carepact/audit';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { readZip } from '../archive/archive-tools';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * Issue 11 items 4 and 5 on the real stack (PostgreSQL, Redis, the api and the worker in process):
 * retention per type changeable per organisation, legal holds that block every deletion (in the
 * service and in the database), the dry run then the purge job (blobs and personal data deleted,
 * tombstones written, audit events kept, the chains still verify), and the access request zip.
 */
describe('retention, legal holds, purge and access requests', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let admin: request.Agent;
  let admissions: request.Agent;
  const res: Record<'old' | 'held' | 'recent' | 'active', { id: string; doc: string }> = {} as never;
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const blobsOf = async (doc: string) =>
    ((await ds.query(`SELECT DISTINCT r.blob_sha256 AS sha FROM renditions r JOIN document_versions v ON v.id = r.version_id WHERE v.document_id = $1`, [doc])) as { sha: string }[]).map((r) => r.sha);
  const snapshot = async (key: keyof typeof res) => ({
    resident: await count(`SELECT count(*) AS n FROM residents WHERE id = $1`, [res[key].id]),
    contacts: await count(`SELECT count(*) AS n FROM contacts WHERE resident_id = $1`, [res[key].id]),
    documents: await count(`SELECT count(*) AS n FROM documents WHERE id = $1`, [res[key].doc]),
    versions: await count(`SELECT count(*) AS n FROM document_versions WHERE document_id = $1`, [res[key].doc]),
    blobs: await count(`SELECT count(*) AS n FROM blobs WHERE sha256 = ANY ($1)`, [await blobsOf(res[key].doc)]),
  });
  const chainsVerify = async () => (await h.app.get(AuditVerifier).verifyAll(ds.manager)).ok;
  const runJob = async (id: string) => {
    await waitUntil(`data job ${id}`, async () => ['done', 'failed'].includes((await admin.get(`/api/data-jobs/${id}`)).body.status), 90000);
    return (await admin.get(`/api/data-jobs/${id}`)).body as { status: string; report: Record<string, number>; error: string | null; resultSha256: string | null };
  };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    for (const [key, lastName] of [['old', 'Ancien'], ['held', 'Gelé'], ['recent', 'Récent'], ['active', 'Présent']] as const) {
      const id = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName }).expect(201)).body.id as string;
      const doc = (await admissions.post('/api/documents').send({ residentId: id, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
      res[key] = { id, doc };
    }
    for (const key of Object.keys(res) as (keyof typeof res)[])
      await waitUntil('the contract generated', async () => (await admissions.get(`/api/documents/${res[key].doc}`)).body.status === 'ready', 90000);
    // Stays that began long ago (set directly: the resident API refuses such an admission date for a new file).
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01' WHERE id = ANY ($1)`, [[res.old.id, res.held.id, res.recent.id]]);
  }, 300000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('defaults come from the CNIL référentiel rule (5 years after the accompaniment); an organisation changes one, audited; bad input → French error', async () => {
    const list = (await admin.get('/api/retention/policies').expect(200)).body as { subject: string; years: number; custom: boolean; basis: string }[];
    expect(list.find((p) => p.subject === 'contrat-sejour')).toMatchObject({ years: 5, custom: false });
    expect(list.find((p) => p.subject === 'contrat-sejour')!.basis).toMatch(/2224/);
    expect((await admin.put('/api/retention/policies/contrat-sejour').send({ years: 0 }).expect(400)).body.error.details[0].code).toBe('RETENTION_YEARS_INVALID');
    await admin.put('/api/retention/policies/inconnu').send({ years: 5 }).expect(404);
    await admissions.put('/api/retention/policies/contrat-sejour').send({ years: 30 }).expect(403);
    expect((await admin.put('/api/retention/policies/contrat-sejour').send({ years: 30 }).expect(200)).body).toMatchObject({ years: 30, custom: true });
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'retention.policy_changed' AND payload->>'years' = '30'`)).toBe(1);
  });

  it('departures: a date before admission or in the future is refused; then recorded and audited', async () => {
    expect((await admin.put(`/api/residents/${res.old.id}/departure`).send({ departedOn: '2000-01-01' }).expect(400)).body.error.details[0].code).toBe('DEPARTURE_BEFORE_ADMISSION');
    expect((await admin.put(`/api/residents/${res.old.id}/departure`).send({ departedOn: '2999-01-01' }).expect(400)).body.error.details[0].code).toBe('DEPARTURE_IN_FUTURE');
    await admin.put(`/api/residents/${res.old.id}/departure`).send({ departedOn: '2015-06-30' }).expect(200);
    await admin.put(`/api/residents/${res.held.id}/departure`).send({ departedOn: '2015-06-30' }).expect(200);
    const lastMonth = new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10);
    await admin.put(`/api/residents/${res.recent.id}/departure`).send({ departedOn: lastMonth }).expect(200);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'resident.departure_recorded'`)).toBe(3);
  });

  it('a legal hold: who, why, when; a second one on the same subject is refused', async () => {
    expect((await admin.post('/api/legal-holds').send({ subjectType: 'resident', subjectId: res.held.id, reason: '' }).expect(400)).body.error.details[0].code).toBe('HOLD_REASON_INVALID');
    const hold = (await admin.post('/api/legal-holds').send({ subjectType: 'resident', subjectId: res.held.id, reason: 'Contentieux sur la facturation (TJ Valville)' }).expect(201)).body;
    expect(hold).toMatchObject({ subjectType: 'resident', subjectId: res.held.id, reason: 'Contentieux sur la facturation (TJ Valville)', liftedAt: null });
    expect(hold.placedBy).toBe(`staff:${h.orgA.users.administrator.id}`);
    expect((await admin.post('/api/legal-holds').send({ subjectType: 'resident', subjectId: res.held.id, reason: 'Encore' }).expect(409)).body.error.code).toBe('LEGAL_HOLD_EXISTS');
    // Nothing of the held person's file may be deleted: the API says why; the database refuses too.
    const file = (await admissions.get(`/api/residents/${res.held.id}`).expect(200)).body as { contacts: { id: string }[]; protectionMeasures: { id: string }[] };
    const contact = (await admissions.post(`/api/residents/${res.held.id}/contacts`).send({ firstName: 'Lina', lastName: 'Gelé', relation: 'fille' }).expect(201)).body.id as string;
    expect((await admissions.delete(`/api/residents/${res.held.id}/contacts/${contact}`).expect(409)).body.error.code).toBe('LEGAL_HOLD');
    expect((await admissions.delete(`/api/residents/${res.held.id}/protection-measures/${file.protectionMeasures[0].id}`).expect(409)).body.error.code).toBe('LEGAL_HOLD');
    await expect(ds.query(`DELETE FROM contacts WHERE id = $1`, [contact])).rejects.toThrow(/LEGAL_HOLD/);
    // Another organisation's resident does not exist for us.
    await admin.post('/api/legal-holds').send({ subjectType: 'resident', subjectId: '00000000-0000-4000-8000-000000000000', reason: 'Test' }).expect(404);
  });

  it('the database refuses any deletion of a held item or of write-once rows, whoever asks', async () => {
    await expect(ds.query(`SELECT carepact_purge_document($1)`, [res.held.doc])).rejects.toThrow(/LEGAL_HOLD/);
    await expect(ds.query(`SELECT carepact_purge_resident($1)`, [res.held.id])).rejects.toThrow(/LEGAL_HOLD/);
    const [sha] = await blobsOf(res.active.doc);
    await expect(ds.query(`DELETE FROM blobs WHERE sha256 = $1`, [sha])).rejects.toThrow(/permission denied|write-once/);
    // Even the owner, flag set by hand, cannot delete a held document.
    const owner = new DataSource({ type: 'postgres', url: h.db.config.database.url });
    await owner.initialize();
    try {
      await expect(owner.query(`DELETE FROM documents WHERE id = $1`, [res.held.doc])).rejects.toThrow(/LEGAL_HOLD/);
      await expect(owner.query(`DELETE FROM blobs WHERE sha256 = $1`, [sha])).rejects.toThrow(/write-once/);
    } finally {
      await owner.destroy();
    }
  });

  it('the dry run lists only what is past retention and not held, deletes nothing, and is audited', async () => {
    // 30 years for contracts (first test): nothing of 2015 is past retention yet.
    let report = (await admin.post('/api/retention/purge-reports').expect(201)).body.report;
    expect(report.documents).toEqual([]);
    await admin.put('/api/retention/policies/contrat-sejour').send({ years: 5 }).expect(200);
    const before = { old: await snapshot('old'), held: await snapshot('held'), recent: await snapshot('recent'), active: await snapshot('active') };
    const job = (await admin.post('/api/retention/purge-reports').expect(201)).body;
    report = job.report;
    expect(report.documents.map((d: { id: string }) => d.id)).toEqual([res.old.doc]);
    expect(report.documents[0]).toMatchObject({ departedOn: '2015-06-30', retentionEnds: '2020-06-30' });
    expect(report.residents.map((r: { id: string }) => r.id)).toEqual([res.old.id]);
    expect(report.kept).toMatchObject({ heldDocuments: 1, heldResidents: 1, inRetentionDocuments: 1, inRetentionResidents: 1 });
    expect({ old: await snapshot('old'), held: await snapshot('held'), recent: await snapshot('recent'), active: await snapshot('active') }).toEqual(before);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'retention.purge_reported'`)).toBe(2);
  });

  it('the purge job deletes the rows and blobs past retention, keeps held and in-retention data, writes tombstones, keeps every audit event; the chains still verify', async () => {
    const report = (await admin.post('/api/retention/purge-reports').expect(201)).body;
    const before = { held: await snapshot('held'), recent: await snapshot('recent'), active: await snapshot('active') };
    const oldBlobs = await blobsOf(res.old.doc);
    const events = await count(`SELECT count(*) AS n FROM audit_events`);
    const aboutOld = await count(`SELECT count(*) AS n FROM audit_events WHERE subject_id IN ($1, $2)`, [res.old.id, res.old.doc]);
    expect(await chainsVerify()).toBe(true);
    // An access request answered for the person before the purge: its zip must not outlive the data.
    // She is in the intermediate archive: the request answered is stated (DataJobsService.requestAccess).
    const access = (
      await admin
        .post('/api/data-jobs/access-request')
        .send({ residentId: res.old.id, request: { from: 'person', receivedOn: '2026-11-02', statement: 'Courrier de la personne reçu le 2 novembre' } })
        .expect(202)
    ).body;
    expect((await runJob(access.id)).status).toBe('done');
    const [{ result_file: accessFile }] = (await ds.query(`SELECT result_file FROM data_jobs WHERE id = $1`, [access.id])) as { result_file: string }[];
    expect(existsSync(accessFile)).toBe(true);
    // Answered: the zip handed to her (downloaded by whoever asked); a request still open keeps her from the purge (RetentionService.plan).
    await admin.get(`/api/data-jobs/${access.id}/download`).expect(200);
    // Rows of tables added after the purge was written that refer to the document or the person:
    // an internal visa (write-once) and a bulk run's item. They used to make the purge fail on
    // their foreign keys; the visa goes with the document, the item stays for the run's counts
    // without naming either.
    const [{ id: versionId }] = (await ds.query(`SELECT id FROM document_versions WHERE document_id = $1`, [res.old.doc])) as { id: string }[];
    await ds.query(
      `INSERT INTO document_visas (organisation_id, establishment_id, document_id, version_id, approver_role, decision, decided_by, decided_by_name, decided_at)
       SELECT d.organisation_id, d.establishment_id, d.id, $2, 'coordinator', 'approved', $3, 'Coordination', now() FROM documents d WHERE d.id = $1`,
      [res.old.doc, versionId, h.orgA.users.coordinator.id],
    );
    const [{ id: runId }] = (await ds.query(
      `INSERT INTO bulk_runs (organisation_id, establishment_id, kind, document_type, common_data, status, started_by, item_count, created_at, finished_at)
       VALUES ($1, $2, 'avenant-tarifs', 'avenant', '{}', 'completed', $3, 1, now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, h.orgA.users.administrator.id],
    )) as { id: string }[];
    await ds.query(`INSERT INTO bulk_run_items (run_id, position, resident_id, status, document_id, processed_at) VALUES ($1, 0, $2, 'created', $3, now())`, [runId, res.old.id, res.old.doc]);
    const run = (await admin.post(`/api/retention/purge-reports/${report.id}/run`).expect(202)).body;
    const done = await runJob(run.id);
    expect(done).toMatchObject({ status: "done", error: null, report: { documents: 1, residents: 1, skipped: 0, exportFiles: 1 } });
    expect(await count(`SELECT count(*) AS n FROM document_visas WHERE document_id = $1`, [res.old.doc])).toBe(0);
    expect(await ds.query(`SELECT resident_id, document_id, status FROM bulk_run_items WHERE run_id = $1`, [runId])).toEqual([{ resident_id: null, document_id: null, status: 'created' }]);
    expect(existsSync(accessFile)).toBe(false);
    expect((await admin.get(`/api/data-jobs/${access.id}/download`).expect(404)).body.error.code).toBe('DATA_JOB_RESULT_NOT_FOUND');
    expect(done.report.blobs).toBe(oldBlobs.length);
    expect(await snapshot('old')).toEqual({ resident: 0, contacts: 0, documents: 0, versions: 0, blobs: 0 });
    expect(await count(`SELECT count(*) AS n FROM blobs WHERE sha256 = ANY ($1)`, [oldBlobs])).toBe(0);
    expect({ held: await snapshot('held'), recent: await snapshot('recent'), active: await snapshot('active') }).toEqual(before);
    const tombs = (await ds.query(`SELECT subject_type, subject_id, content_sha256, blob_sha256s FROM purge_tombstones WHERE run_id = $1 ORDER BY subject_type`, [run.id])) as {
      subject_type: string;
      subject_id: string;
      content_sha256: string;
      blob_sha256s: string[];
    }[];
    expect(tombs.map((t) => [t.subject_type, t.subject_id])).toEqual([
      ['document', res.old.doc],
      ['resident', res.old.id],
    ]);
    expect(tombs[0].content_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect([...tombs[0].blob_sha256s].sort()).toEqual([...oldBlobs].sort());
    // Every earlier audit event is still there, those about the purged resident included; the purge appended its own.
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE subject_id IN ($1, $2)`, [res.old.id, res.old.doc])).toBeGreaterThan(aboutOld);
    expect(await count(`SELECT count(*) AS n FROM audit_events`)).toBeGreaterThan(events);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'retention.document_purged' AND payload->>'contentSha256' = $1`, [tombs[0].content_sha256])).toBe(1);
    expect(await chainsVerify()).toBe(true);
    // Tombstones are append-only; a report runs once.
    await expect(ds.query(`DELETE FROM purge_tombstones WHERE run_id = $1`, [run.id])).rejects.toThrow();
    expect((await admin.post(`/api/retention/purge-reports/${report.id}/run`).expect(409)).body.error.code).toBe('PURGE_REPORT_USED');
  });

  it('the console names what holds, reports and jobs are about from one lookup: present, purged (with its date), unknown, another organisation’s as unknown', async () => {
    const report = (await ds.query(`SELECT id, params->>'day' AS day FROM data_jobs WHERE kind = 'purge_report' AND organisation_id = $1 ORDER BY created_at LIMIT 1`, [h.orgA.organisationId])) as {
      id: string;
      day: string;
    }[];
    const [tomb] = (await ds.query(`SELECT purged_at FROM purge_tombstones WHERE subject_id = $1`, [res.old.id])) as { purged_at: Date }[];
    const orgB = await loginAgent(h.app, h.orgB.users.admissions.email, TEST_PASSWORD);
    const stranger = (await orgB.post('/api/residents').send(curatelleResident(h.orgB.establishmentId)).expect(201)).body.id as string;
    const s = await lookupSubjects(ds.manager, h.orgA.organisationId, {
      people: [res.held.id, res.old.id, stranger, 'pas-un-id'],
      documents: [res.held.doc, res.old.doc, '00000000-0000-4000-8000-000000000000'],
      establishments: [h.orgA.establishmentId, h.orgB.establishmentId],
      reports: [report[0].id, res.held.doc],
    });
    expect(s.people.get(res.held.id)).toMatchObject({ state: 'present', lastName: 'Gelé', establishmentId: h.orgA.establishmentId });
    expect(s.people.get(res.old.id)).toEqual({ state: 'purged', id: res.old.id, purgedAt: tomb.purged_at.toISOString() });
    expect(s.people.get(stranger)).toEqual({ state: 'unknown', id: stranger });
    expect(s.people.get('pas-un-id')).toEqual({ state: 'unknown', id: 'pas-un-id' });
    expect(s.documents.get(res.held.doc)).toMatchObject({ state: 'present', type: 'contrat-sejour', residentId: res.held.id, residentLastName: 'Gelé' });
    expect(s.documents.get(res.old.doc)).toMatchObject({ state: 'purged' });
    expect(s.documents.get('00000000-0000-4000-8000-000000000000')).toMatchObject({ state: 'unknown' });
    expect([...s.establishments.keys()]).toEqual([h.orgA.establishmentId]);
    expect(s.reports).toEqual(new Map([[report[0].id, report[0].day]]));
  });

  it('a hold placed after the dry run is respected by the run; lifting it is audited, and the next run purges', async () => {
    const lastYear = '2016-01-31';
    await admin.put(`/api/residents/${res.recent.id}/departure`).send({ departedOn: lastYear }).expect(200);
    const report = (await admin.post('/api/retention/purge-reports').expect(201)).body;
    expect(report.report.documents.map((d: { id: string }) => d.id)).toEqual([res.recent.doc]);
    const hold = (await admin.post('/api/legal-holds').send({ subjectType: 'document', subjectId: res.recent.doc, reason: 'Demande du juge des tutelles' }).expect(201)).body;
    const before = await snapshot('recent');
    const done = await runJob((await admin.post(`/api/retention/purge-reports/${report.id}/run`).expect(202)).body.id);
    expect(done.report).toMatchObject({ documents: 0, residents: 0, skipped: 2, exportFiles: 0 });
    expect(await snapshot('recent')).toEqual(before);
    expect((await admin.post(`/api/legal-holds/${hold.id}/lift`).send({ reason: 'Procédure close' }).expect(200)).body).toMatchObject({ liftReason: 'Procédure close' });
    expect((await admin.post(`/api/legal-holds/${hold.id}/lift`).send({ reason: 'Encore' }).expect(409)).body.error.code).toBe('LEGAL_HOLD_ALREADY_LIFTED');
    await expect(ds.query(`UPDATE legal_holds SET reason = 'autre' WHERE id = $1`, [hold.id])).rejects.toThrow(/only ever lifted/);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'legal_hold.lifted' AND subject_id = $1`, [res.recent.doc])).toBe(1);
    const again = (await admin.post('/api/retention/purge-reports').expect(201)).body;
    expect((await runJob((await admin.post(`/api/retention/purge-reports/${again.id}/run`).expect(202)).body.id)).report).toMatchObject({ documents: 1, residents: 1 });
    expect(await snapshot('recent')).toMatchObject({ resident: 0, documents: 0, blobs: 0 });
    expect(await chainsVerify()).toBe(true);
  });

  it('an access request (RGPD art. 15): a job with progress, a zip of everything held about the person, download audited', async () => {
    expect((await admin.post('/api/data-jobs/access-request').send({ residentId: 'x' }).expect(400)).body.error.code).toBeDefined();
    await admissions.post('/api/data-jobs/access-request').send({ residentId: res.active.id }).expect(403);
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: res.active.id }).expect(202)).body;
    expect(job.status).toBe('queued');
    const done = await runJob(job.id);
    expect(done.status).toBe('done');
    const dl = await admin.get(`/api/data-jobs/${job.id}/download`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(dl.status).toBe(200);
    const file = join(mkdtempSync(join(tmpdir(), 'carepact-access-')), 'acces.zip');
    writeFileSync(file, dl.body as Buffer);
    const zip = await readZip(file);
    expect([...zip.keys()]).toEqual(expect.arrayContaining(['LISEZMOI.txt', 'personne.json', `documents/${res.active.doc}/document.json`, `documents/${res.active.doc}/v1/standard.pdf`, 'journal/evenements.jsonl', 'manifeste.json', 'manifeste.json.p7s']));
    // The manifest lists every other file with its SHA-256, and the seal's CMS signature covers it.
    const manifest = JSON.parse(zip.get('manifeste.json')!.toString('utf8')) as { files: { path: string; sha256: string }[] };
    for (const f of manifest.files) expect(createHash('sha256').update(zip.get(f.path)!).digest('hex')).toBe(f.sha256);
    expect(manifest.files.map((f) => f.path).sort()).toEqual([...zip.keys()].filter((k) => !k.startsWith('manifeste.json')).sort());
    expect(verifyDetachedCms(zip.get('manifeste.json.p7s')!, createHash('sha256').update(zip.get('manifeste.json')!).digest()).ok).toBe(true);
    const person = JSON.parse(zip.get('personne.json')!.toString('utf8'));
    expect(person.personne).toMatchObject({ id: res.active.id, last_name: 'Présent' });
    expect(person.mesuresDeProtection).toHaveLength(1);
    const journal = zip.get('journal/evenements.jsonl')!.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string });
    expect(journal.map((e) => e.action)).toEqual(expect.arrayContaining(['data_job.requested']));
    expect(zip.get(`documents/${res.active.doc}/document.json`)!.toString('utf8')).not.toMatch(/access_code_hash|token_hash/);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'rgpd.access_exported' AND subject_id = $1`, [res.active.id])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'data_job.downloaded' AND subject_id = $1`, [job.id])).toBe(1);
  });
  it('C. civ. 2235: the file of a person who left as a minor, or under tutelle, is kept from her majority or the tutelle\'s end', async () => {
    const minor = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Mineure' }).expect(201)).body.id as string;
    const ward = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Tutelle' }).expect(201)).body.id as string;
    // She arrived at 6 and left at 7 (2015); he left in 2015 under a tutelle that ended in June 2024 (set directly: the API checks today's rules).
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01', birth_date = '2008-03-10' WHERE id = $1`, [minor]);
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01' WHERE id = $1`, [ward]);
    await ds.query(`UPDATE protection_measures SET type = 'tutelle', mode = 'representation', judgment_date = '2013-01-10', start_date = NULL, end_date = '2024-06-30' WHERE resident_id = $1`, [ward]);
    for (const id of [minor, ward]) await admin.put(`/api/residents/${id}/departure`).send({ departedOn: '2015-06-30' }).expect(200);
    const retention = h.app.get(RetentionService);
    await admin.put('/api/retention/policies/dossier-resident').send({ years: 5 }).expect(200);
    const listed = async (day: string) => (await retention.plan(ds.manager, h.orgA.organisationId, day)).residents.map((r) => r.id);
    // From the departure, both would have gone on 1 July 2020; the law keeps them until 5 years after majority (10 March 2026 + 5) and the tutelle's end.
    const before = await listed('2020-07-01');
    expect(before).not.toContain(minor);
    expect(before).not.toContain(ward);
    expect(await listed('2031-03-10')).not.toContain(minor);
    const day = await retention.plan(ds.manager, h.orgA.organisationId, '2031-03-11');
    expect(day.residents.find((r) => r.id === minor)).toMatchObject({ departedOn: '2015-06-30', retentionEnds: '2031-03-10' });
    expect(await listed('2029-06-30')).not.toContain(ward);
    const july = await retention.plan(ds.manager, h.orgA.organisationId, '2029-07-01');
    expect(july.residents.find((r) => r.id === ward)).toMatchObject({ retentionEnds: '2029-06-30' });
    expect(july.residents.map((r) => r.id)).not.toContain(minor);
  });

  it('C. civ. 2226 al. 2: the projet personnalisé and comptes rendus of a person admitted as a minor are kept until her 18 years + 20, an adult’s 10 years from the departure', async () => {
    const make = async (lastName: string, admission: string, birth: string, departed: string) => {
      const id = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName }).expect(201)).body.id as string;
      await ds.query(`UPDATE residents SET admission_date = $2, birth_date = $3 WHERE id = $1`, [id, admission, birth]);
      await admin.put(`/api/residents/${id}/departure`).send({ departedOn: departed }).expect(200);
      const docs: Record<string, string> = {};
      for (const type of ['projet-personnalise', 'compte-rendu-synthese', 'dipc'])
        docs[type] = ((await ds.query(
          `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at)
           SELECT organisation_id, establishment_id, id, $2, 'signed', now(), now() FROM residents WHERE id = $1 RETURNING id`,
          [id, type],
        )) as { id: string }[])[0].id;
      return docs;
    };
    // An IME: admitted at 6, left at 7 (majority 10 March 2026). Admitted at 17, left at 25 (majority 1 January 2008). Admitted at 30.
    const child = await make('EnfantIME', '2014-03-01', '2008-03-10', '2015-06-30');
    const teen = await make('AdmiseA17Ans', '2007-06-01', '1990-01-01', '2015-06-30');
    const adult = await make('AdmiseAdulte', '2010-01-01', '1980-01-01', '2015-06-30');
    const retention = h.app.get(RetentionService);
    const ends = async (day: string) => new Map((await retention.plan(ds.manager, h.orgA.organisationId, day)).documents.map((d) => [d.id, d.retentionEnds]));
    const policy = ((await admin.get('/api/retention/policies').expect(200)).body as { subject: string; years: number; basis: string; label: string }[]).find((p) => p.subject === 'accompagnement-mineur')!;
    expect(policy).toMatchObject({ years: 20, label: 'Projet personnalisé et compte rendu de synthèse d’une personne admise mineure' });
    expect(policy.basis).toMatch(/C\. civ\. art\. 2226 al\. 2/);
    expect(policy.basis).toMatch(/2235/);
    expect(policy.basis).toMatch(/CPP art\. 7 al\. 3.*CPP art\. 10 al\. 1.*porter cette durée à 30 ans/);

    // Without the rule, the child's projet would go after 10 March 2036 (majority + 10), the teen's after 30 June 2025.
    const in2036 = await ends('2036-03-11');
    expect(in2036.has(child['projet-personnalise'])).toBe(false);
    expect(in2036.has(child['compte-rendu-synthese'])).toBe(false);
    expect(in2036.get(adult['projet-personnalise'])).toBe('2025-06-30');
    const in2046 = await ends('2046-03-11');
    expect(in2046.get(child['projet-personnalise'])).toBe('2046-03-10');
    expect(in2046.get(child['compte-rendu-synthese'])).toBe('2046-03-10');
    expect(in2046.get(teen['projet-personnalise'])).toBe('2028-01-01');
    // The DIPC (a contract, C. civ. 2224) keeps its own duration: not the minor's 20 years.
    expect((await ends('2040-01-01')).has(child.dipc)).toBe(true);
    // The organisation may change it (RGPD art. 5.2): 25 years.
    await admin.put('/api/retention/policies/accompagnement-mineur').send({ years: 25 }).expect(200);
    expect((await ends('2052-01-01')).get(child['projet-personnalise'])).toBe('2051-03-10');
    await admin.put('/api/retention/policies/accompagnement-mineur').send({ years: 20 }).expect(200);
  });
});

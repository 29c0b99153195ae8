import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHash } from 'node:crypto';
import { calendarDayIn } from '@carepact/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveExporter } from '@carepact/archive';
import { StaffActor } from '@carepact/identity';
import { OtherParentService, SignatureRequestsService } from '@carepact/signing';
import { TEST_PASSWORD, contractData, loginAgent, waitUntil } from '@carepact/testing';
import { readZip } from '../archive/archive-tools';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, addEstablishment, addUser, startApiHarness } from './api-harness';

const TODAY = calendarDayIn(new Date());
const TOMORROW = calendarDayIn(new Date(Date.now() + 86_400_000));

/**
 * C. civ. 373-2-1 al. 5: when one parent alone exercises parental authority by the judge's decision,
 * the other « doit être informé des choix importants relatifs à la vie » of the child. Staff record
 * on the document that he was informed (date, how, a note): several records, each audited
 * (`document.other_parent_informed`, the note as its SHA-256); the form's checks in French with
 * stable codes; whoever manages signatures in the document's establishment records it (404 out of
 * the reader's establishments, 403 without the permission); refused where the law does not call for it.
 */
describe('the other parent informed of a minor’s document (C. civ. 373-2-1 al. 5)', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let admissions: request.Agent;
  let judgmentDoc = '';
  let deceasedDoc = '';
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => h.app.get(DataSource).query(text, params) as Promise<T[]>;
  const minor = (firstName: string, soleAuthority: Record<string, string>) => ({
    establishmentId: h.orgA.establishmentId,
    firstName,
    lastName: 'Petit',
    birthDate: '2014-05-30',
    admissionDate: '2026-09-07',
    stayType: 'permanent',
    parentalAuthority: 'sole',
    parents: [{ firstName: 'Julie', lastName: 'Petit', email: `julie.${firstName.toLowerCase()}@example.org` }],
    soleAuthority,
  });
  const contract = async (residentId: string) =>
    (
      await admissions
        .post('/api/documents')
        .send({ residentId, type: 'contrat-sejour', data: contractData({ minorView: 'Il souhaite rester près de sa mère.', minorViewFalc: 'Tu veux rester près de ta maman.' }) })
        .expect(202)
    ).body.id as string;
  const record = (id: string, body: object, agent = admissions) => agent.post(`/api/documents/${id}/other-parent-informed`).send(body);
  const rows = async (id: string) => Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM other_parent_informed WHERE document_id = $1`, [id]))[0].n);

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const judged = (await admissions.post('/api/residents').send(minor('Enzo', { ground: 'judgment', proofReference: 'Jugement JAF, TJ de Valville, RG 24/01234', proofDate: '2024-03-12' })).expect(201)).body.id as string;
    const deceased = (await admissions.post('/api/residents').send(minor('Hugo', { ground: 'other_parent_deceased', proofReference: 'Acte de décès n° 312', proofDate: '2022-01-04' })).expect(201)).body.id as string;
    judgmentDoc = await contract(judged);
    deceasedDoc = await contract(deceased);
    worker = await startWorker(h.db.config, { probe: false });
    for (const id of [judgmentDoc, deceasedDoc]) await waitUntil('generated', async () => (await admissions.get(`/api/documents/${id}`)).body.status === 'ready', 60_000);
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('the judge entrusted the exercise to one parent: the reminder is due, nothing recorded yet', async () => {
    const view = await admissions.get(`/api/documents/${judgmentDoc}/other-parent-informed`).expect(200);
    expect(view.body).toMatchObject({ documentId: judgmentDoc, records: [], canRecord: true, legalBasis: 'C. civ. 373-2-1 al. 5' });
    expect(view.body.reminder).toContain('doit être informé des choix importants relatifs à sa vie (C. civ. 373-2-1 al. 5)');
  });

  it('each field refused in French with its code, all at once, nothing written nor audited', async () => {
    const audited = await sql(`SELECT seq FROM audit_events WHERE action = 'document.other_parent_informed'`);
    const cases: [object, { field: string; code: string }[]][] = [
      [{ informedOn: TOMORROW, how: 'courrier' }, [{ field: 'informedOn', code: 'DATE_IN_FUTURE' }]],
      [{ informedOn: '2020-01-01', how: 'courrier' }, [{ field: 'informedOn', code: 'INFORMED_BEFORE_DOCUMENT' }]],
      [{ informedOn: '2026-02-30', how: 'pigeon' }, [{ field: 'informedOn', code: 'INVALID_DATE' }, { field: 'how', code: 'NOT_ALLOWED_VALUE' }]],
      [{}, [{ field: 'informedOn', code: 'REQUIRED' }, { field: 'how', code: 'REQUIRED' }]],
      [{ informedOn: TODAY, how: 'courrier', note: 'Courrier\u001b[2J envoyé' }, [{ field: 'note', code: 'CONTROL_CHARACTER' }]],
      [{ informedOn: TODAY, how: 'courrier', note: 'Courrier \u202eRA\u202c envoyé' }, [{ field: 'note', code: 'BIDI_CONTROL' }]],
      [{ informedOn: TODAY, how: 'email', note: 'x'.repeat(501) }, [{ field: 'note', code: 'TOO_LONG' }]],
    ];
    for (const [body, expected] of cases) {
      const res = await record(judgmentDoc, body);
      expect({ body, status: res.status, details: res.body.error?.details?.map((d: { field: string; code: string }) => ({ field: d.field, code: d.code })) }).toEqual({ body, status: 400, details: expected });
      for (const d of res.body.error.details as { message: string }[]) expect(d.message).toMatch(/[àâéèêîôûç’]/);
    }
    expect(await rows(judgmentDoc)).toBe(0);
    expect(await sql(`SELECT seq FROM audit_events WHERE action = 'document.other_parent_informed'`)).toEqual(audited);
  });

  it('records it, with who and when; a second record is allowed; the audit event carries the date, how and the note’s SHA-256 only', async () => {
    const note = 'Courrier recommandé n° 1A 234 567 8901 2.';
    const first = await record(judgmentDoc, { informedOn: TODAY, how: 'courrier', note }).expect(201);
    expect(first.body.records).toEqual([
      expect.objectContaining({ informedOn: TODAY, how: 'courrier', howLabel: 'courrier', note, version: expect.objectContaining({ number: 1 }), recordedBy: { userId: h.orgA.users.admissions.id, name: expect.any(String) } }),
    ]);
    await record(judgmentDoc, { informedOn: TODAY, how: 'entretien' }).expect(201);
    const view = await admissions.get(`/api/documents/${judgmentDoc}/other-parent-informed`).expect(200);
    expect(view.body.records.map((r: { how: string }) => r.how)).toEqual(['entretien', 'courrier']);
    const events = await sql<{ payload: Record<string, unknown>; actor_id: string; subject_type: string }>(
      `SELECT payload, actor_id, subject_type FROM audit_events WHERE action = 'document.other_parent_informed' AND subject_id = $1 ORDER BY seq`,
      [judgmentDoc],
    );
    expect(events).toEqual([
      {
        actor_id: h.orgA.users.admissions.id,
        subject_type: 'document',
        payload: {
          recordId: first.body.records[0].id,
          versionId: first.body.records[0].version.id,
          informedOn: TODAY,
          how: 'courrier',
          legalBasis: 'C. civ. 373-2-1 al. 5',
          noteSha256: createHash('sha256').update(note).digest('hex'),
        },
      },
      { actor_id: h.orgA.users.admissions.id, subject_type: 'document', payload: expect.not.objectContaining({ noteSha256: expect.anything() }) },
    ]);
    // The auditor reads the records, not staff's words (content).
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    const seen = await auditor.get(`/api/documents/${judgmentDoc}/other-parent-informed`).expect(200);
    expect(seen.body.records.map((r: { note: string | null }) => r.note)).toEqual([null, null]);
    expect(seen.body.canRecord).toBe(false);
    // Written once (the write-once trigger): the app's role cannot change it.
    await expect(sql(`UPDATE other_parent_informed SET how = 'autre' WHERE document_id = $1`, [judgmentDoc])).rejects.toThrow();
  });

  // Before the sending below: no e-mail job then appends to the chain after the verification's checkpoint.
  it('the records go with the document into its archive package (document.json), oldest first, with the note', async () => {
    const pkg = join(mkdtempSync(join(tmpdir(), 'other-parent-')), 'package.zip');
    // The package carries the audit chain up to a signed checkpoint: the verification signs one.
    await (await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD)).get('/api/audit/verify').expect(200);
    await h.app.get(ArchiveExporter).export({ kind: 'document', id: judgmentDoc }, pkg);
    const meta = JSON.parse((await readZip(pkg)).get(`documents/${judgmentDoc}/document.json`)!.toString()) as { otherParentInformed: Record<string, unknown>[] };
    expect(meta.otherParentInformed.map((r) => r.how)).toEqual(['courrier', 'entretien']);
    expect(meta.otherParentInformed[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      versionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      informedOn: TODAY,
      how: 'courrier',
      note: expect.any(String),
      legalBasis: 'C. civ. 373-2-1 al. 5',
      recordedBy: { userId: h.orgA.users.admissions.id, name: expect.any(String) },
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('once sent into signature, the reminder stays (the request stored it) and records may still be added', async () => {
    // Admitted on 7 September 2026: past the contract's month (CASF D.311 III), the sending says why.
    const sent = await admissions.post(`/api/documents/${judgmentDoc}/signature-requests`).send({ lateReason: 'Jugement JAF reçu tardivement.' });
    expect({ status: sent.status, error: sent.body.error }).toEqual({ status: 201, error: undefined });
    const view = await admissions.get(`/api/documents/${judgmentDoc}/other-parent-informed`).expect(200);
    expect(view.body.reminder).toContain('373-2-1 al. 5');
    await record(judgmentDoc, { informedOn: TODAY, how: 'email' }).expect(201);
    expect(await rows(judgmentDoc)).toBe(3);
  });

  it('another establishment’s staff: 404 (the document does not exist for them); the auditor of its own: 403; nothing written', async () => {
    const other = await addEstablishment(h.app, h.orgA.organisationId, 'Autre');
    await addUser(h.app, h.orgA.organisationId, 'admissions.autre@example.org', [{ establishmentId: other, role: 'admissions' }]);
    const elsewhere = await loginAgent(h.app, 'admissions.autre@example.org', TEST_PASSWORD);
    const notFound = await record(judgmentDoc, { informedOn: TODAY, how: 'courrier' }, elsewhere);
    expect({ status: notFound.status, code: notFound.body.error?.code }).toEqual({ status: 404, code: 'DOCUMENT_NOT_FOUND' });
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    const forbidden = await record(judgmentDoc, { informedOn: TODAY, how: 'courrier' }, auditor);
    expect(forbidden.status).toBe(403);
    const orgB = await loginAgent(h.app, h.orgB.users.admissions.email, TEST_PASSWORD);
    expect((await record(judgmentDoc, { informedOn: TODAY, how: 'courrier' }, orgB)).status).toBe(404);
    expect(await rows(judgmentDoc)).toBe(3);
  });

  it('the other parent died (C. civ. 373-1): no reminder, and a record is refused 409 OTHER_PARENT_NOT_TO_INFORM', async () => {
    const view = await admissions.get(`/api/documents/${deceasedDoc}/other-parent-informed`).expect(200);
    expect(view.body).toMatchObject({ reminder: null, records: [], canRecord: false });
    const refused = await record(deceasedDoc, { informedOn: TODAY, how: 'courrier' });
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 409, code: 'OTHER_PARENT_NOT_TO_INFORM' });
    expect(refused.body.error.message).toContain('C. civ. 373-2-1 al. 5');
    // The message lists every case the reminder knows, the parent deprived of the exercise only among them (sector lawyer, session 20).
    expect(refused.body.error.message).toContain('autre parent seulement privé de l’exercice');
    expect(await rows(deceasedDoc)).toBe(0);
  });

  it('a policy decision the caller already has is taken as it is (the console page asks for it once): null, the policy refused it, reads the latest request’s reminder', async () => {
    const [sent] = await sql<{ id: string }>(`SELECT id FROM signature_requests WHERE document_id = $1 AND status = 'active'`, [judgmentDoc]);
    await admissions.post(`/api/signature-requests/${sent.id}/cancel`).send({}).expect(200);
    expect((await admissions.get(`/api/documents/${judgmentDoc}`)).body.status).toBe('ready');
    const actor: StaffActor = {
      kind: 'staff',
      userId: h.orgA.users.admissions.id,
      organisationId: h.orgA.organisationId,
      email: h.orgA.users.admissions.email,
      name: 'admissions',
      sessionId: 's',
      roles: [{ establishmentId: h.orgA.establishmentId, role: 'admissions' }],
    };
    const otherParent = h.app.get(OtherParentService);
    const decision = await h.app.get(SignatureRequestsService).preview(actor, judgmentDoc);
    const [{ policy }] = await sql<{ policy: { otherParentReminder: string } }>(`SELECT policy FROM signature_requests WHERE id = $1`, [sent.id]);
    expect([decision.otherParentReminder, policy.otherParentReminder]).toEqual([expect.stringContaining('373-2-1 al. 5'), expect.stringContaining('373-2-1 al. 5')]);
    // Ready again, nothing in signature: the next sending's decision, asked for here or given.
    expect((await otherParent.view(actor, judgmentDoc)).reminder).toBe(decision.otherParentReminder);
    expect((await otherParent.view(actor, judgmentDoc, decision)).reminder).toBe(decision.otherParentReminder);
    // Refused by the policy: what the cancelled request stored.
    expect((await otherParent.view(actor, judgmentDoc, null)).reminder).toBe(policy.otherParentReminder);
    expect((await otherParent.view(actor, deceasedDoc, null)).reminder).toBeNull();

    // The console's document page passes the decision it asked for: the reminder is due, the form is there; it reads JJ/MM/AAAA.
    const page = await admissions.get(`/console/documents/${judgmentDoc}`).expect(200);
    expect(page.text).toContain(`action="/console/documents/${judgmentDoc}/autre-parent-informe"`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const form = (day: string) =>
      admissions
        .post(`/console/documents/${judgmentDoc}/autre-parent-informe`)
        .type('form')
        .send({ _csrf: csrf, informedOn: day.split('-').reverse().join('/'), how: 'courrier', note: '' });
    const future = await form(TOMORROW);
    expect(future.status).toBe(400);
    expect(future.text).toContain('<p class="field-error" id="informedOn-erreur">La date ne peut pas être dans le futur');
    expect((await form(TODAY)).status).toBe(303);
    expect(await sql(`SELECT informed_on::text AS "informedOn", how FROM other_parent_informed WHERE document_id = $1 ORDER BY recorded_at DESC LIMIT 1`, [judgmentDoc])).toEqual([
      { informedOn: TODAY, how: 'courrier' },
    ]);
  });
});

import { AuthService, StaffActor } from '@carepact/identity';
import { DocumentHistoryService } from '@carepact/archive';
import { RequestViews, SignatureRequestsService, SignerActionsService } from '@carepact/signing';
import { ValidationError, calendarDayIn, isDomainError, sha256Hex } from '@carepact/common';
import { TEST_PASSWORD, loginAgent } from '@carepact/testing';
import { STAFF_FREE_TEXT_WITHHELD } from '@carepact/audit';
import { DataSource } from 'typeorm';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { insertSealedRequest } from '../worklist/worklist-fixtures';

/**
 * What staff type on a request — how the established document was handed over, why a request was
 * cancelled (security review, session 15):
 * - F2: the console's forms reached the services without the API's text rule (@SafeText): a control
 *   character (terminal escape) was stored, sealed into the evidence and written to the audit chain.
 *   The services now refuse it, whichever way it comes (400 CONTROL_CHARACTER, nothing recorded).
 * - F1: the auditor (no `document.content`) read those words in the request view, evidence.json, the
 *   history and the audit chain, which is never purged. The chain now keeps their SHA-256; the
 *   views give them to readers with `document.content` only (SECURITY-RELIABILITY.md: audit
 *   payloads hold « ids, hashes and actions — never care details »).
 */
describe('staff’s free text on a request: no control character, and not for the auditor', () => {
  let h: ApiHarness;
  let admissions: StaffActor;
  let auditor: StaffActor;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => h.app.get(DataSource).query(text, params) as Promise<T[]>;
  const actorOf = async (email: string) => {
    const auth = h.app.get(AuthService);
    return (await auth.authenticate((await auth.login(email, TEST_PASSWORD, '127.0.0.1')).token))!;
  };
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      if (e instanceof ValidationError) return e.details.map((d) => [d.field, d.code]);
      if (isDomainError(e)) return [e.code];
      throw e;
    }
    throw new Error('accepted');
  };

  /** A new resident's DIPC version and its document. */
  const dipc = async (status: string) => {
    const [res] = await sql<{ id: string }>(
      `INSERT INTO residents (organisation_id, establishment_id, first_name, last_name, birth_date, admission_date, stay_type, created_at, updated_at)
       VALUES ($1, $2, 'Louise', 'Remise', '1940-04-04', $3, 'permanent', now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, calendarDayIn(new Date(Date.now() - 5 * 86400_000))],
    );
    const [doc] = await sql<{ id: string }>(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, 'dipc', $4, now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, res.id, status],
    );
    const [v] = await sql<{ id: string }>(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', 'ready', 'dipc', '1.5.0', 'h', 'r', '{"document":{}}', $3, now()) RETURNING id`,
      [h.orgA.organisationId, doc.id, `hash-${doc.id}`],
    );
    await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, v.id]);
    return { documentId: doc.id, versionId: v.id };
  };
  /** A DIPC sealed yesterday: the person signed in person, without e-mail (to hand over in person). */
  const sealedDocument = async () => {
    const doc = await dipc('signed');
    const requestId = await insertSealedRequest(h.app.get(DataSource), { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, today: calendarDayIn(new Date()) }, doc, [
      { key: 'resident', role: 'resident', firstName: 'Louise', lastName: 'Remise' },
      { key: 'director', role: 'director', firstName: 'Claire', lastName: 'Direction' },
    ]);
    return { documentId: doc.documentId, requestId };
  };
  /** An active request on a DIPC in signature, nobody has signed yet. */
  const activeRequest = async () => {
    const doc = await dipc('in_signature');
    const [req] = await sql<{ id: string }>(
      `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
       VALUES ($1, $2, $3, $4, 'h', 'p', 'active', 'parallel', now() + interval '20 days', '{3,7}', '{"signers":[],"views":[]}', now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, doc.documentId, doc.versionId],
    );
    await sql(
      `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status)
       VALUES ($1, 'director', 'director', 'Claire', 'Direction', 'pour l’établissement', 'CASF D.311', 1, false, 'staff', 'pending')`,
      [req.id],
    );
    return { documentId: doc.documentId, requestId: req.id };
  };
  const audit = (action: string, requestId: string) => sql<{ payload: Record<string, unknown> }>(`SELECT payload FROM audit_events WHERE action = $1 AND subject_id = $2`, [action, requestId]);

  beforeAll(async () => {
    h = await startApiHarness();
    admissions = await actorOf(h.orgA.users.admissions.email);
    auditor = await actorOf(h.orgA.users.auditor.email);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('F2: a control character in how it was handed over, or in why it is cancelled, is refused; nothing is recorded', async () => {
    const sealed = await sealedDocument();
    const handover = h.app.get(SignerActionsService).recordHandover(admissions, sealed.requestId, { recipientKey: 'resident', handedOn: calendarDayIn(new Date()), how: 'Remis en main \u001b[31m propre' });
    expect(await refusal(handover)).toEqual([['how', 'CONTROL_CHARACTER']]);
    expect(await sql(`SELECT 1 FROM signature_events WHERE request_id = $1 AND kind = 'handed_over'`, [sealed.requestId])).toHaveLength(0);

    const active = await activeRequest();
    const cancel = h.app.get(SignatureRequestsService).cancel(admissions, active.requestId, { reason: 'Erreur \u001b[2J tarif', reasonRequired: true });
    expect(await refusal(cancel)).toEqual([['reason', 'CONTROL_CHARACTER']]);
    expect((await sql<{ status: string }>(`SELECT status FROM signature_requests WHERE id = $1`, [active.requestId]))[0].status).toBe('active');
  });

  it('F1: the audit chain keeps the SHA-256 of those words; the auditor reads that it happened, not what staff wrote', async () => {
    const how = 'Remis lors de l’entretien avec sa fille, qui l’aide pour ses papiers.';
    const sealed = await sealedDocument();
    await h.app.get(SignerActionsService).recordHandover(admissions, sealed.requestId, { recipientKey: 'resident', handedOn: calendarDayIn(new Date()), how });
    const [handed] = await audit('signature.handed_over', sealed.requestId);
    expect(handed.payload).toMatchObject({ recipientKey: 'resident', howSha256: sha256Hex(how) });
    expect(JSON.stringify(handed.payload)).not.toContain('entretien');

    const views = h.app.get(RequestViews);
    const recipientFor = async (actor: StaffActor) => (await views.get(actor, sealed.requestId)).handover!.recipients.find((x) => x.key === 'resident')!.handedOver!;
    expect((await recipientFor(admissions)).how).toBe(how);
    expect(await recipientFor(auditor)).toMatchObject({ how: '', on: calendarDayIn(new Date()) });
    // Why a request was sent late: the same (the chain keeps lateReasonSha256).
    await sql(`UPDATE signature_requests SET late_reason = 'Curatrice nommée le 20 novembre.' WHERE id = $1`, [sealed.requestId]);
    expect((await views.get(admissions, sealed.requestId)).sentLate).toEqual({ reason: 'Curatrice nommée le 20 novembre.' });
    expect((await views.get(auditor, sealed.requestId)).sentLate).toEqual({ reason: '' });

    const reason = 'Erreur sur le tarif hébergement : son aide sociale n’était pas encore notifiée.';
    const active = await activeRequest();
    await h.app.get(SignatureRequestsService).cancel(admissions, active.requestId, { reason, reasonRequired: true });
    const [cancelled] = await audit('signature.cancelled', active.requestId);
    expect(cancelled.payload).toEqual(expect.objectContaining({ reasonSha256: sha256Hex(reason) }));
    expect(cancelled.payload).not.toHaveProperty('reason');
    const history = h.app.get(DocumentHistoryService);
    const cancelEntry = async (actor: StaffActor) => (await history.history(actor, active.documentId)).timeline.find((e) => e.action === 'signature.cancelled')!;
    expect((await cancelEntry(admissions)).cancelReason).toBe(reason);
    expect(await cancelEntry(auditor)).toMatchObject({ cancelReason: null });
    expect(JSON.stringify(await history.history(auditor, active.documentId))).not.toContain('aide sociale');
  });

  it('F1: an event the chain recorded before, with the text itself, is given to the auditor without it', async () => {
    const active = await activeRequest();
    // As the chain recorded cancellations before: the reason in the payload (the chain is never rewritten).
    await sql(`INSERT INTO signature_events (request_id, kind, at, details) VALUES ($1, 'cancelled', now(), $2)`, [active.requestId, JSON.stringify({ reason: 'Hospitalisée en urgence.' })]);
    await sql(`UPDATE signature_requests SET status = 'cancelled', closed_at = now() WHERE id = $1`, [active.requestId]);
    const { AuditService } = await import('@carepact/audit');
    await h.app.get(DataSource).transaction((em) =>
      h.app.get(AuditService).append(em, { chainId: h.orgA.organisationId, actor: { type: 'staff', id: admissions.userId }, action: 'signature.cancelled', subject: { type: 'signature_request', id: active.requestId }, payload: { reason: 'Hospitalisée en urgence.' } }),
    );
    const history = h.app.get(DocumentHistoryService);
    expect(JSON.stringify(await history.history(auditor, active.documentId))).not.toContain('Hospitalisée');
    // Nor the audit journal: its JSON, its CSV export (the stored row is unchanged: the chain still verifies).
    const auditorAgent = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    const events = (await auditorAgent.get(`/api/audit/events?action=signature.cancelled`).expect(200)).body as { subjectId: string; payload: Record<string, unknown> }[];
    const mine = events.find((e) => e.subjectId === active.requestId)!;
    expect(mine.payload.reason).toBe(STAFF_FREE_TEXT_WITHHELD);
    const csv = (await auditorAgent.get(`/api/audit/events.csv?action=signature.cancelled`).expect(200)).text;
    expect(csv).not.toContain('Hospitalisée');
    expect(csv).toContain('retiré du journal');
    expect(JSON.stringify(await sql(`SELECT payload FROM audit_events WHERE subject_id = $1`, [active.requestId]))).toContain('Hospitalisée');
    expect((await history.history(admissions, active.documentId)).timeline.find((e) => e.action === 'signature.cancelled')!.cancelReason).toBe('Hospitalisée en urgence.');
  });
});

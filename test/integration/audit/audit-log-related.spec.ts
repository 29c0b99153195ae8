import { TransactionRunner } from '@carepact/database';
import { EvidenceLog, SignatureEventKind } from '@carepact/signing';
import { AuditService } from '@carepact/audit';
import { TEST_PASSWORD, loginAgent } from '@carepact/testing';
import { DataSource } from 'typeorm';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { WorklistFixture, seedWorklist } from '../worklist/worklist-fixtures';

interface EventView {
  seq: number;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
}

/** The ~22 steps of one request's life, as EvidenceLog appends them (subject: the request, no resident or document id). */
const FLOW: SignatureEventKind[] = [
  'created',
  'email_sent',
  'email_sent',
  'link_opened',
  'code_issued',
  'code_failed',
  'code_issued',
  'code_ok',
  'viewed',
  'downloaded',
  'question',
  'question_answered',
  'reminder',
  'view_recorded',
  'signed',
  'countersign_notified',
  'link_opened',
  'code_issued',
  'code_ok',
  'countersigned',
  'completion_sent',
  'downloaded',
];

/**
 * The journal's resident and document filters find every event about them (the user walkthrough:
 * `signature.*` by resident found nothing, by document only `signature.created`): the document's,
 * its versions' and its signature requests' events, for a resident those of all her documents —
 * through the live tables, in the reader's organisation only.
 */
describe('audit log: resident and document filters reach versions and signature requests', () => {
  let h: ApiHarness;
  let a: WorklistFixture;
  let b: WorklistFixture;
  const run = (fn: Parameters<TransactionRunner['run']>[0]) => h.app.get(TransactionRunner).run(fn);
  const sql = (text: string, params: unknown[]) => h.app.get(DataSource).query(text, params) as Promise<Record<string, string>[]>;
  const flow = (organisationId: string, requestId: string, kinds: SignatureEventKind[]) =>
    run(async (em) => {
      for (const kind of kinds) await h.app.get(EvidenceLog).record(em, { id: requestId, organisationId }, kind, { type: 'system', id: 'test' });
    });
  const events = async (query: string): Promise<EventView[]> => {
    const agent = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    return (await agent.get(`/api/audit/events?limit=500&${query}`).expect(200)).body as EventView[];
  };
  const signatureSeqs = async (organisationId: string, requestIds: string[]) =>
    (
      await sql(`SELECT seq FROM audit_events WHERE chain_id = $1 AND subject_id = ANY($2::text[]) AND action LIKE 'signature.%' ORDER BY seq`, [organisationId, requestIds])
    ).map((r) => Number(r.seq));

  beforeAll(async () => {
    h = await startApiHarness();
    a = await seedWorklist(h.app, h.orgA.users.administrator, h.orgA.establishmentId, h.orgA.organisationId);
    b = await seedWorklist(h.app, h.orgB.users.administrator, h.orgB.establishmentId, h.orgB.organisationId, { tag: 'B' });
    // The countersign resident's request goes through a whole flow; a second request on the same
    // document (sent again after a correction); another resident's and another organisation's too.
    await flow(h.orgA.organisationId, a.requests.countersign, FLOW);
    const [version] = await sql(`SELECT current_version_id AS id FROM documents WHERE id = $1`, [a.documents.countersign]);
    const [again] = await sql(
      `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
       VALUES ($1, $2, $3, $4, 'h', 'p', 'cancelled', 'parallel', now(), '{3,7}', '{"signers":[],"views":[]}', now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, a.documents.countersign, version.id],
    );
    a.requests.countersignAgain = again.id;
    await flow(h.orgA.organisationId, again.id, ['created', 'revoked']);
    await run((em) =>
      h.app.get(AuditService).append(em, {
        chainId: h.orgA.organisationId,
        actor: { type: 'system', id: 'test' },
        action: 'document_version.generated',
        subject: { type: 'document_version', id: version.id },
        payload: {},
      }),
    );
    await flow(h.orgA.organisationId, a.requests.awaiting, ['created', 'email_sent', 'signed']);
    await flow(h.orgB.organisationId, b.requests.countersign, FLOW);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('`signature.*` by resident and by document: every signature event of the document, none of another resident or organisation', async () => {
    const expected = await signatureSeqs(h.orgA.organisationId, [a.requests.countersign, a.requests.countersignAgain]);
    expect(expected).toHaveLength(FLOW.length + 2);

    const byResident = await events(`action=signature.*&residentId=${a.residents.countersign}`);
    expect(byResident.map((e) => e.seq)).toEqual(expected);
    expect(byResident.filter((e) => e.action === 'signature.signed')).toHaveLength(1);
    expect(byResident.every((e) => e.subjectType === 'signature_request')).toBe(true);

    const byDocument = await events(`action=signature.*&documentId=${a.documents.countersign}`);
    expect(byDocument.map((e) => e.seq)).toEqual(expected);
    expect(byDocument.map((e) => e.action)).toEqual([...FLOW, 'created', 'revoked'].map((k) => `signature.${k}`));

    // Another resident's document: hers only.
    const other = await events(`action=signature.*&residentId=${a.residents.awaiting}`);
    expect(other.map((e) => e.seq)).toEqual(await signatureSeqs(h.orgA.organisationId, [a.requests.awaiting]));
    // Another organisation's resident and document: nothing, though their chain has a whole flow.
    expect(await signatureSeqs(h.orgB.organisationId, [b.requests.countersign])).toHaveLength(FLOW.length);
    expect(await events(`action=signature.*&residentId=${b.residents.countersign}`)).toEqual([]);
    expect(await events(`documentId=${b.documents.countersign}`)).toEqual([]);
  });

  it('without an action: the document’s versions and requests, the resident’s own events', async () => {
    const byDocument = await events(`documentId=${a.documents.countersign}`);
    expect(new Set(byDocument.map((e) => e.subjectType))).toEqual(new Set(['document_version', 'signature_request']));
    expect(byDocument.map((e) => e.action)).toContain('document_version.generated');

    const byResident = await events(`residentId=${a.residents.countersign}`);
    expect(byResident.map((e) => e.action)).toEqual(expect.arrayContaining(['resident.created', 'document_version.generated', 'signature.signed']));
    const ids = new Set([a.residents.countersign, a.documents.countersign, a.requests.countersign, a.requests.countersignAgain]);
    const [version] = await sql(`SELECT current_version_id AS id FROM documents WHERE id = $1`, [a.documents.countersign]);
    ids.add(version.id);
    expect(byResident.every((e) => ids.has(e.subjectId!))).toBe(true);
  });
});

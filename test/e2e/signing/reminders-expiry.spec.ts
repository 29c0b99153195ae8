import { PortalClient, contractData, waitUntil } from '@carepact/testing';
import { SigningHarness, startSigningHarness } from './signing-harness';

/**
 * Issue 4 §9: reminders and expiry are delayed jobs through the outbox. Time is moved forward by
 * making the delayed outbox rows due now (the relay enqueues rows whose `available_at` has passed).
 */
describe('reminders and expiry', () => {
  let h: SigningHarness;
  beforeAll(async () => {
    h = await startSigningHarness();
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  const due = async (requestId: string, jobName: string) => {
    await h.ds.query(`UPDATE outbox SET available_at = now() - interval '1 second' WHERE job_name = $1 AND payload->>'requestId' = $2`, [jobName, requestId]);
  };

  it('a reminder brings a fresh link (the previous one stops working); expiry closes the request and tells staff', async () => {
    const docId = await h.document('Seán', 'contrat-sejour', contractData({ objectives: ['Accompagner M. O’Brien-Nuñez dans ses sorties.'] }));
    const staff = await h.staff('admissions@les-tilleuls.example');
    const created = (await (await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.', reminderDays: [3] }) })).json()) as {
      id: string;
      deadline: string;
    };
    const [invitation] = await h.waitForMail('sean.obrien@example.org', 1);
    expect(invitation.subject).toContain('contrat de séjour');
    expect(invitation.text).toContain("Seán O'Brien-Nuñez");
    const first = PortalClient.linksIn(invitation.text, h.base)[0];

    await due(created.id, 'signing.remind');
    const mails = await h.waitForMail('sean.obrien@example.org', 2);
    const reminder = mails.find((m) => m.id !== invitation.id)!;
    expect(reminder.subject).toMatch(/rappel|relance/i);
    const second = PortalClient.linksIn(reminder.text, h.base)[0];
    expect(second).not.toBe(first);
    expect((await new PortalClient(h.base).open(first)).status).toBe(404);
    expect((await new PortalClient(h.base).open(second)).status).toBe(303);

    // The deadline passes.
    await h.ds.query(`UPDATE signature_requests SET deadline = now() - interval '1 minute' WHERE id = $1`, [created.id]);
    await due(created.id, 'signing.expire');
    await waitUntil('expiry', async () => ((await (await staff(`/api/signature-requests/${created.id}`)).json()) as { status: string }).status === 'expired');
    expect((await new PortalClient(h.base).open(second)).status).toBe(404);
    const doc = (await (await staff(`/api/documents/${docId}`)).json()) as { status: string };
    expect(doc.status).toBe('ready');
    await h.waitForMail('direction@les-tilleuls.example', 1, /expir/i);
    const events = ((await (await staff(`/api/signature-requests/${created.id}`)).json()) as { events: { kind: string }[] }).events.map((e) => e.kind);
    expect(events).toEqual(expect.arrayContaining(['created', 'email_sent', 'reminder', 'link_opened', 'expired']));
    const audit = ((await h.ds.query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq`, [created.id])) as { action: string }[]).map((r) => r.action);
    expect(audit).toEqual(expect.arrayContaining(['signature.created', 'signature.email_sent', 'signature.reminder', 'signature.expired']));
  });

  it('a question reaches staff and stays listed until answered', async () => {
    const docId = await h.document('Marcel', 'contrat-sejour');
    const staff = await h.staff('admissions@les-tilleuls.example');
    const created = (await (await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.' }) })).json()) as { id: string };
    const [mail] = await h.waitForMail('marcel.dupont@example.org', 1);
    const p = new PortalClient(h.base);
    await p.open(PortalClient.linksIn(mail.text, h.base)[0]);
    await p.get('/portail');
    expect((await p.post('/portail/question', { message: '' })).status).toBe(400);
    expect((await p.post('/portail/question', { message: 'Puis-je garder mon fauteuil ?' })).status).toBe(303);
    const inbox = (await (await staff('/api/signature-inbox')).json()) as { questions: { id: string; message: string; request_id: string }[] };
    const q = inbox.questions.find((x) => x.request_id === created.id)!;
    expect(q.message).toBe('Puis-je garder mon fauteuil ?');
    await h.waitForMail('direction@les-tilleuls.example', 1, /question/i);
    const answered = await staff(`/api/signature-requests/${created.id}/questions/${q.id}/answer`, { method: 'POST', body: JSON.stringify({ answer: 'Oui, bien sûr.' }) });
    expect(answered.status).toBe(204);
    const after = (await (await staff('/api/signature-inbox')).json()) as { questions: { id: string }[] };
    expect(after.questions.map((x) => x.id)).not.toContain(q.id);
  });
});

import { formatDateFr, sha256Hex } from '@carepact/common';
import { PortalClient, waitUntil, countersignFetch } from '@carepact/testing';
import { SigningHarness, startSigningHarness } from './signing-harness';

interface RequestView {
  id: string;
  documentId: string;
  status: string;
  deadline: string;
  legalDeadline: string | null;
  sentLate: { reason: string } | null;
  signers: { id: string; role: string; status: string }[];
  nextStep: { kind: string; href: string } | null;
}

/**
 * Issue 13, item 1 (one legal deadline everywhere; staff warned before sending late, and say why)
 * and issue 10 (the director is told when the countersignature is due: nextStep, the signature
 * inbox, one e-mail over real SMTP with its audit event). Marcel Dupont arrived on 15 October 2026:
 * his contract was due signed by 15 November (CASF D.311).
 */
describe('legal deadline and countersignature due', () => {
  let h: SigningHarness;
  beforeAll(async () => {
    h = await startSigningHarness();
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  const admissions = () => h.staff('admissions@les-tilleuls.example');
  const get = async (requestId: string): Promise<RequestView> => (await (await (await admissions())(`/api/signature-requests/${requestId}`)).json()) as RequestView;
  const linkFor = async (address: string) => {
    const mails = await h.waitForMail(address, 1, /signature est demandée/i);
    return PortalClient.linksIn(mails[0].text, h.base)[0];
  };
  const sign = async (link: string, name: string) => {
    const p = new PortalClient(h.base);
    expect((await p.open(link)).status).toBe(303);
    expect((await p.get('/portail')).status).toBe(200);
    const landing = p.lastHtml;
    expect((await p.get('/portail/document')).status).toBe(200);
    await p.get('/portail');
    expect((await p.post('/portail/signer', { consent: 'oui', typedName: name })).headers.get('location')).toBe('/portail/recapitulatif');
    return landing;
  };

  it('a late request is refused until staff say why; the reason is kept; every place shows the same dates; the director is told once', async () => {
    const staff = await admissions();
    const docId = await h.document('Marcel', 'contrat-sejour');

    // Past the legal deadline: a stable code and a French message naming the day; nothing is sent.
    const late = await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: '{}' });
    expect(late.status).toBe(409);
    const err = ((await late.json()) as { error: { code: string; message: string; details: { field: string }[] } }).error;
    expect(err.code).toBe('SIGNATURE_REQUEST_LATE');
    expect(err.message).toContain('Le délai légal de signature est dépassé depuis le 15 novembre 2026');
    expect(err.message).toContain('CASF D.311');
    expect(err.details).toEqual([expect.objectContaining({ field: 'lateReason' })]);
    expect(await h.sql(`SELECT id FROM signature_requests WHERE document_id = $1`, [docId])).toEqual([]);

    const reason = 'Curatrice nommée le 20 novembre ; contrat envoyé dès sa nomination.';
    const res = await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: reason }) });
    expect(res.status).toBe(201);
    const created = (await res.json()) as RequestView;
    // The legal deadline: the end of 15 November in Paris, fixed now and read back everywhere.
    expect(created.legalDeadline).toBe('2026-11-15T22:59:59.000Z');
    expect(created.sentLate).toEqual({ reason });
    expect(created.nextStep).toBeNull();
    const [audit] = await h.sql<{ payload: Record<string, unknown> }>(`SELECT payload FROM audit_events WHERE action = 'signature.created' AND subject_id = $1`, [created.id]);
    // The reason is on the request; the audit chain, never purged, keeps its SHA-256 (security review, session 15).
    expect(audit.payload).toMatchObject({ sentLate: true, lateReasonSha256: sha256Hex(reason), legalDeadline: '2026-11-15T22:59:59.000Z' });
    expect(audit.payload).not.toHaveProperty('lateReason');
    expect(await get(created.id)).toMatchObject({ legalDeadline: created.legalDeadline, deadline: created.deadline, sentLate: { reason } });

    // The request's own deadline: a day that ends at midnight in Paris, the same day in the e-mail and the portal.
    const deadline = new Date(created.deadline);
    expect(deadline.toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris' })).toBe('23:59:59');
    const invitation = (await h.waitForMail('marcel.dupont@example.org', 1, /signature est demandée/i))[0];
    expect(invitation.text).toContain(`À signer jusqu’au ${formatDateFr(deadline, { weekday: true })} à 23 h 59.`);

    const landing = await sign(await linkFor('marcel.dupont@example.org'), 'Marcel Dupont');
    expect(landing).toContain(`<strong>Date limite :</strong> ${formatDateFr(deadline)}`);
    // One signer missing: no countersignature yet, no e-mail to the director.
    expect((await get(created.id)).nextStep).toBeNull();
    await sign(await linkFor('k.benaissa@udaf-val.example'), 'Karim Benaïssa');

    // Every required signer has signed: nextStep, the inbox and one e-mail say the countersignature is due.
    await waitUntil('nextStep countersign', async () => (await get(created.id)).nextStep?.kind === 'countersign', 30000);
    expect((await get(created.id)).nextStep).toEqual({ kind: 'countersign', href: `/api/signature-requests/${created.id}/countersign` });
    const director = await h.staff('direction@les-tilleuls.example');
    const inbox = (await (await director('/api/signature-inbox')).json()) as { countersignatures: { request_id: string; document_id: string; legal_deadline: string }[] };
    expect(inbox.countersignatures).toEqual([expect.objectContaining({ request_id: created.id, document_id: docId, legal_deadline: '2026-11-15T22:59:59.000Z' })]);
    // Admissions cannot countersign: their inbox does not list it as theirs.
    expect(((await (await staff('/api/signature-inbox')).json()) as { countersignatures: unknown[] }).countersignatures).toEqual([]);

    const mails = await h.waitForMail('direction@les-tilleuls.example', 1, /Contresignature attendue/);
    expect(mails[0].subject).toBe('Contresignature attendue : contrat de séjour — EHPAD Les Tilleuls');
    expect(mails[0].text).toContain('le contrat de séjour de Marcel Dupont');
    expect(mails[0].text).toContain('Délai prévu par la loi pour la signature : dimanche 15 novembre 2026 (CASF, article D. 311).');
    expect(mails[0].text).toContain(`avant le ${formatDateFr(deadline, { weekday: true })} à 23 h 59`);
    expect(mails[0].text).toContain(`${h.base}/console/documents/${docId}`);
    await waitUntil(
      'the audit event of the e-mail',
      async () => (await h.sql(`SELECT 1 FROM audit_events WHERE action = 'signature.countersign_notified' AND subject_id = $1`, [created.id])).length === 1,
      15000,
    );

    // The countersignature's answer carries the same legal deadline as GET (it used to say null).
    const cs = await countersignFetch(director, created.id);
    expect(cs.status).toBe(200);
    const after = (await cs.json()) as RequestView;
    expect(after).toMatchObject({ legalDeadline: '2026-11-15T22:59:59.000Z', deadline: created.deadline, sentLate: { reason }, nextStep: null });
    await waitUntil('the seal', async () => (await get(created.id)).status === 'completed', 60000);
    expect((await get(created.id)).legalDeadline).toBe(after.legalDeadline);
    // Told once: no second e-mail, one audit event.
    expect(h.mailsTo('direction@les-tilleuls.example').filter((m) => /Contresignature attendue/.test(m.subject))).toHaveLength(1);
    expect(await h.sql(`SELECT 1 FROM audit_events WHERE action = 'signature.countersign_notified' AND subject_id = $1`, [created.id])).toHaveLength(1);
  });

  it('a request still within its legal deadline needs no reason and records none', async () => {
    const staff = await admissions();
    // Hélène arrived on 10 November 2026: her contract is due signed by 10 December.
    const docId = await h.document('Hélène', 'contrat-sejour');
    const res = await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Sans objet' }) });
    expect(res.status).toBe(201);
    const created = (await res.json()) as RequestView;
    expect(created.legalDeadline).toBe('2026-12-10T22:59:59.000Z');
    // Recorded only when the request really is late (the demo's dates pass with the calendar).
    const late = Date.now() > Date.parse('2026-12-10T22:59:59Z');
    expect(created.sentLate).toEqual(late ? { reason: 'Sans objet' } : null);
    if (!late) expect(new Date(created.deadline).getTime()).toBeLessThanOrEqual(new Date(created.legalDeadline!).getTime());
  });
});

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PortalClient, launchChromium, waitUntil, countersignFetch } from '@carepact/testing';
import { projectRoot } from '@carepact/common';
import { SigningHarness, startSigningHarness } from './signing-harness';

interface RequestView {
  id: string;
  status: string;
  signers: { id: string; key: string; role: string; name: string; optional: boolean; status: string; delivery: string }[];
  sealed: { href: string; sealedAt: string; edition: number } | null;
  countersignUntil: string | null;
  handover: {
    establishedAt: string;
    recipients: { key: string; signerId: string | null; name: string; channel: 'email' | 'in_hand'; sentAt: string | null; handedOver: { on: string; how: string } | null }[];
  } | null;
}

/** Screenshots for a human to look at, when asked (DIPC_SCREENSHOTS=<dir>). */
const SHOTS = process.env.DIPC_SCREENSHOTS;

/**
 * CASF D.311 II: the DIPC « est établi et signé par le directeur … Il peut être contresigné par la
 * personne accueillie ou son représentant légal » — after the director. D.311 III: it is « remis à
 * chaque personne et, le cas échéant, à son représentant légal ». End to end (api, worker, real SMTP):
 * the director's signature establishes the DIPC, which is sealed and handed over at once; the
 * person keeps her link to countersign until the request's deadline, and her countersignature is
 * sealed as a second edition. Under tutelle, the person without an e-mail gets it in hand, and
 * staff record it from the console.
 */
describe('DIPC: established by the director, countersigned after, handed over (CASF D.311 II and III)', () => {
  let h: SigningHarness;
  beforeAll(async () => {
    h = await startSigningHarness();
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  const LATE = { lateReason: 'Test : délai légal de la personne de démonstration dépassé.' };
  const state = async (requestId: string): Promise<RequestView> => {
    const staff = await h.staff('admissions@les-tilleuls.example');
    return (await (await staff(`/api/signature-requests/${requestId}`)).json()) as RequestView;
  };
  const downloadMails = (address: string) => h.mailsTo(address).filter((m) => m.text.includes('/s/') && /Télécharger le document/.test(m.text));
  const audit = async (requestId: string, action: string) => (await h.sql(`SELECT 1 FROM audit_events WHERE action = $1 AND subject_id = $2`, [action, requestId])).length;

  it('a capable adult: the director signs, she receives the established DIPC and can still countersign; her countersignature is sealed as a second edition', async () => {
    const docId = await h.document('Ahmed', 'dipc');
    const admissions = await h.staff('admissions@les-tilleuls.example');
    const created = (await (await admissions(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify(LATE) })).json()) as RequestView;
    const person = created.signers.find((s) => s.role === 'resident')!;
    expect(person.optional).toBe(true);
    const invitation = (await h.waitForMail('ahmed.benali@example.org', 1, /signer|signature/i))[0];
    const signLink = PortalClient.linksIn(invitation.text, h.base)[0];

    const director = await h.staff('direction@les-tilleuls.example');
    expect((await countersignFetch(director, created.id)).status).toBe(200);

    // Established: sealed once, in force, and still open to her countersignature.
    await waitUntil('established and sealed', async () => (await state(created.id)).sealed !== null, 60000);
    const established = await state(created.id);
    expect(established.status).toBe('active');
    expect(established.sealed!.edition).toBe(1);
    expect(established.countersignUntil).not.toBeNull();
    expect((await admissions(`/api/documents/${docId}`).then((r) => r.json())).status).toBe('signed');

    // D.311 III: handed over at once, though she has not countersigned: a link to the sealed PDF.
    await waitUntil('the established DIPC e-mailed to her', async () => downloadMails('ahmed.benali@example.org').length === 1, 30000);
    const handedOver = downloadMails('ahmed.benali@example.org')[0];
    expect(handedOver.subject).toMatch(/^Document établi/);
    expect(handedOver.text).toContain('a été établi et signé par l’établissement');
    expect(handedOver.text).toContain('Vous pouvez aussi le contresigner');
    expect(handedOver.text).not.toContain('toutes les personnes concernées');
    const download = new PortalClient(h.base);
    expect((await download.open(PortalClient.linksIn(downloadMails('ahmed.benali@example.org')[0].text, h.base)[0])).status).toBe(303);
    expect((await download.get('/portail')).status).toBe(200);
    expect(download.lastHtml).toContain('Le document est établi');
    const pdf = await download.get('/portail/document-signe.pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect((await state(created.id)).handover!.recipients).toEqual([expect.objectContaining({ key: 'resident', channel: 'email', sentAt: expect.any(String) })]);

    // Her invitation link still works: the landing says the DIPC applies already, offers it, and the countersignature.
    const portal = new PortalClient(h.base);
    expect((await portal.open(signLink)).status).toBe(303);
    expect((await portal.get('/portail')).status).toBe(200);
    expect(portal.lastHtml).toContain('Vous pouvez aussi le contresigner');
    expect(portal.lastHtml).toContain('/portail/document-signe.pdf');
    if (SHOTS) await screenshot(signLink, join(SHOTS, 'portal-countersign-landing.png'));
    const countersigned = await portal.sign({ consent: 'oui', typedName: 'Ahmed Benali' });
    expect({ status: countersigned.status, page: countersigned.status === 303 ? 'ok' : portal.lastHtml.slice(0, 1500) }).toEqual({ status: 303, page: 'ok' });

    // Sealed again, with her signature; the window closes (nobody else may countersign).
    await waitUntil('countersigned and sealed', async () => (await state(created.id)).status === 'completed', 60000);
    const done = await state(created.id);
    expect(done.sealed!.edition).toBe(2);
    expect(done.countersignUntil).toBeNull();
    const seals = await h.sql<{ edition: number; evidence: { signers: { id: string; status: string }[] } }>(`SELECT edition, evidence FROM sealed_documents WHERE request_id = $1 ORDER BY edition`, [created.id]);
    expect(seals.map((s) => [s.edition, s.evidence.signers.find((x) => x.id === person.id)!.status])).toEqual([
      [1, 'pending'],
      [2, 'signed'],
    ]);
    // The countersigned edition goes to her too; every step is in the audit chain.
    await waitUntil('the countersigned DIPC e-mailed to her', async () => downloadMails('ahmed.benali@example.org').length === 2, 30000);
    // The mailbox lists the newest first: the countersigned edition is signed by everyone concerned.
    expect(downloadMails('ahmed.benali@example.org').map((m) => m.subject.split(' :')[0])).toEqual(['Document signé', 'Document établi']);
    expect(downloadMails('ahmed.benali@example.org')[0].text).toContain('Toutes les personnes concernées ont signé');
    expect(await audit(created.id, 'signature.sealed')).toBe(2);
    expect(await audit(created.id, 'signature.countersign_window_closed')).toBe(1);
    // The worker records `completion_sent` once the SMTP server has taken the message: the mailbox may see it first (seen in a clean-clone CI under load).
    const completionSent = async () => (await h.sql(`SELECT 1 FROM signature_events WHERE request_id = $1 AND kind = 'completion_sent' AND signer_id = $2`, [created.id, person.id])).length;
    await waitUntil('both hand-overs recorded', async () => (await completionSent()) >= 2, 30000);
    expect(await completionSent()).toBe(2);
  }, 240000);

  it('she declines to countersign the established DIPC: the window closes, the established edition stays the document, nothing is sealed again', async () => {
    const admissions = await h.staff('admissions@les-tilleuls.example');
    const [{ id: establishmentId }] = await h.sql<{ id: string }>(`SELECT establishment_id AS id FROM residents WHERE first_name = 'Ahmed'`);
    const resident = await admissions('/api/residents', {
      method: 'POST',
      body: JSON.stringify({
        establishmentId,
        firstName: 'Yasmine',
        lastName: 'Haddou',
        birthDate: '1951-06-01',
        admissionDate: '2026-11-16',
        plannedEndDate: '2026-12-10',
        stayType: 'temporary',
        room: '8',
        email: 'yasmine.haddou@example.org',
        preferences: { largePrint: false, easyToRead: false, language: 'fr' },
      }),
    });
    expect(resident.status).toBe(201);
    const docId = await h.document('Yasmine', 'dipc');
    const created = (await (await admissions(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify(LATE) })).json()) as RequestView;
    const signLink = PortalClient.linksIn((await h.waitForMail('yasmine.haddou@example.org', 1, /signer|signature/i))[0].text, h.base)[0];
    const director = await h.staff('direction@les-tilleuls.example');
    expect((await countersignFetch(director, created.id)).status).toBe(200);
    await waitUntil('established and sealed', async () => (await state(created.id)).sealed !== null, 60000);
    expect((await state(created.id)).status).toBe('active');

    const portal = new PortalClient(h.base);
    await portal.open(signLink);
    await portal.get('/portail/refuser');
    expect((await portal.post('/portail/refuser', { reason: '' })).status).toBe(303);
    const done = await state(created.id);
    expect(done.status).toBe('completed');
    expect(done.countersignUntil).toBeNull();
    expect(done.sealed!.edition).toBe(1);
    const [closed] = await h.sql<{ details: Record<string, unknown> }>(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'countersign_window_closed'`, [created.id]);
    expect(closed.details).toMatchObject({ reason: 'answered', edition: 1 });
    expect(await audit(created.id, 'signature.countersign_window_closed')).toBe(1);
    // She still has the established DIPC (D.311 III), though she did not countersign.
    await waitUntil('the established DIPC e-mailed to her', async () => downloadMails('yasmine.haddou@example.org').length === 1, 30000);
    expect((await h.sql(`SELECT 1 FROM sealed_documents WHERE request_id = $1`, [created.id])).length).toBe(1);
  }, 240000);

  it('a person under tutelle without an e-mail: the DIPC goes to her tuteur by e-mail, and her handover in person is recorded from the console', async () => {
    const fixture = JSON.parse(readFileSync(join(projectRoot(), 'templates/demo/establishment-les-tilleuls.json'), 'utf8'));
    const { resident: _r, ...dipc } = fixture.documents.dipc;
    const admissions = await h.staff('admissions@les-tilleuls.example');
    // A short stay (the DIPC, CASF D.311 I) of a person under tutelle, who has no e-mail; her tuteur has one.
    const [{ id: establishmentId }] = await h.sql<{ id: string }>(`SELECT establishment_id AS id FROM residents WHERE first_name = 'Ahmed'`);
    const resident = await admissions('/api/residents', {
      method: 'POST',
      body: JSON.stringify({
        establishmentId,
        firstName: 'Inès',
        lastName: 'Moreau',
        birthDate: '1979-04-12',
        admissionDate: '2026-11-16',
        plannedEndDate: '2026-12-10',
        stayType: 'temporary',
        room: '7',
        preferences: { largePrint: false, easyToRead: true, language: 'fr' },
        protectionMeasure: {
          type: 'tutelle',
          mode: 'representation',
          scope: ['personne', 'biens'],
          court: 'Tribunal judiciaire de Valville',
          judgmentReference: 'RG 24/00990',
          judgmentDate: '2024-03-05',
          endDate: '2034-03-05',
          holders: [{ role: 'tuteur', firstName: 'Paul', lastName: 'Moreau', email: 'paul.moreau@example.org' }],
        },
      }),
    });
    expect({ status: resident.status, body: resident.status === 201 ? null : await resident.text() }).toEqual({ status: 201, body: null });
    const docId = await h.document('Inès', 'dipc', { ...dipc, residenceChoice: { agrees: true, recordedOn: '2026-11-16' } });
    const res = await admissions(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify(LATE) });
    const created = (await res.json()) as RequestView;
    expect(res.status).toBe(201);
    // The tuteur's countersignature is optional on a DIPC; Inès herself has no e-mail.
    expect(created.signers.filter((s) => s.role !== 'director').every((s) => s.optional)).toBe(true);

    const director = await h.staff('direction@les-tilleuls.example');
    expect((await countersignFetch(director, created.id)).status).toBe(200);
    await waitUntil('established and sealed', async () => (await state(created.id)).sealed !== null, 60000);
    await waitUntil('the established DIPC e-mailed to the tuteur', async () => downloadMails('paul.moreau@example.org').length >= 1, 30000);
    const established = await state(created.id);
    const ines = established.handover!.recipients.find((x) => x.name === 'Inès Moreau')!;
    expect(ines).toMatchObject({ channel: 'in_hand', handedOver: null });
    expect(established.handover!.recipients.find((x) => x.name === 'Paul Moreau')).toMatchObject({ channel: 'email', sentAt: expect.any(String) });

    // The console shows « À remettre en main propre » with its form; staff record the handover there.
    const cookie = await consoleCookie('admissions@les-tilleuls.example');
    const page = await fetch(`${h.base}/console/documents/${docId}`, { headers: { Cookie: cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('À remettre en main propre');
    if (SHOTS) await consoleScreenshot(cookie, `/console/documents/${docId}#remise-${created.id}`, join(SHOTS, 'console-handover-to-record.png'));
    const action = `/console/documents/${docId}/demandes/${created.id}/remise/${encodeURIComponent(ines.key)}`;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const today = new Date().toISOString().slice(0, 10);
    const post = (fields: Record<string, string>) =>
      fetch(h.base + action, { method: 'POST', redirect: 'manual', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, ...fields }).toString() });
    // Said in French, nothing recorded, when how it was handed over is missing.
    const refused = await post({ handedOn: today, how: '' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Indiquez comment le document a été remis');
    expect(await audit(created.id, 'signature.handed_over')).toBe(0);
    const recorded = await post({ handedOn: today, how: 'En main propre, lors de l’entretien, avec la version facile à lire.' });
    expect(recorded.status).toBe(303);

    const after = await state(created.id);
    expect(after.handover!.recipients.find((x) => x.key === ines.key)!.handedOver).toMatchObject({ on: today, how: 'En main propre, lors de l’entretien, avec la version facile à lire.' });
    expect(await audit(created.id, 'signature.handed_over')).toBe(1);
    const [event] = await h.sql<{ details: Record<string, unknown> }>(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'handed_over'`, [created.id]);
    expect(event.details).toMatchObject({ recipientKey: ines.key, recipientName: 'Inès Moreau', handedOn: today, edition: 1, byAccount: 'admissions@les-tilleuls.example' });
    // Once only.
    expect((await post({ handedOn: today, how: 'Encore.' })).status).toBe(409);
    const shown = await (await fetch(`${h.base}/console/documents/${docId}`, { headers: { Cookie: cookie } })).text();
    expect(shown).toContain('remis en main propre le');
    if (SHOTS) await consoleScreenshot(cookie, `/console/documents/${docId}#remise-${created.id}`, join(SHOTS, 'console-handover-recorded.png'));
  }, 240000);

  /** A console session cookie (the login API sets the same session the console reads). */
  async function consoleCookie(email: string): Promise<string> {
    const { DEFAULT_DEMO_PASSWORD } = await import('@carepact/config');
    const res = await fetch(`${h.base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: DEFAULT_DEMO_PASSWORD }) });
    return (res.headers.get('set-cookie') ?? '').split(';')[0];
  }

  async function screenshot(link: string, path: string): Promise<void> {
    mkdirSync(join(path, '..'), { recursive: true });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      await page.goto(link);
      await page.screenshot({ path, fullPage: true });
    } finally {
      await browser.close();
    }
  }

  async function consoleScreenshot(cookie: string, path: string, file: string): Promise<void> {
    mkdirSync(join(file, '..'), { recursive: true });
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
      await context.addCookies([{ name, value, url: h.base }]);
      const page = await context.newPage();
      await page.goto(h.base + path);
      const section = page.locator('section.handover').first();
      await section.screenshot({ path: file });
      await page.screenshot({ path: file.replace('.png', '-page.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortalClient, contractData, waitUntil } from '@carepact/testing';
import { SigningHarness, startSigningHarness } from './signing-harness';

interface RequestView {
  id: string;
  status: string;
  signers: { id: string; role: string; delivery: string; status: string; lastEmailStatus: string | null }[];
  sealed: { href: string; evidenceHref: string } | null;
}

/**
 * Issue 4 §3 and §6: an e-mail that cannot be delivered is retried and visible to staff, never lost;
 * a resident without e-mail signs in person on a staff-opened session, with a witness statement
 * that goes into the evidence.
 */
describe('in-person signing and e-mail delivery', () => {
  let h: SigningHarness;
  beforeAll(async () => {
    h = await startSigningHarness({ mailboxDown: true });
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('the SMTP server is down: the invitation is retried, staff see it, and it arrives once the server is back', async () => {
    const docId = await h.document('Seán', 'contrat-sejour', contractData({ objectives: ['Accompagner M. O’Brien-Nuñez dans ses sorties.'] }));
    const staff = await h.staff('admissions@les-tilleuls.example');
    const created = (await (await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.' }) })).json()) as RequestView;
    const state = async () => (await (await staff(`/api/signature-requests/${created.id}`)).json()) as RequestView;
    await waitUntil('a failed attempt to show', async () => (await state()).signers[0].lastEmailStatus === 'retrying', 30000);
    const [{ last_error }] = (await h.ds.query(`SELECT last_error FROM outbox WHERE job_name = 'signing.invite' AND payload->>'signerId' = $1`, [created.signers[0].id])) as {
      last_error: string | null;
    }[];
    expect(last_error).toBeTruthy();
    await h.mailbox.start(h.smtpPort);
    const mails = await h.waitForMail('sean.obrien@example.org', 1);
    await waitUntil('delivery recorded', async () => (await state()).signers[0].lastEmailStatus === 'sent', 30000);
    // The failed attempts' links were revoked; the one delivered works.
    expect(mails).toHaveLength(1);
    expect((await new PortalClient(h.base).open(PortalClient.linksIn(mails[0].text, h.base)[0])).status).toBe(303);
  }, 120000);

  it('Jeanne Martin (no e-mail) signs in person; the witness statement is in the sealed evidence', async () => {
    const docId = await h.document('Jeanne', 'contrat-sejour');
    const staff = await h.staff('admissions@les-tilleuls.example');
    const created = (await (await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.' }) })).json()) as RequestView;
    const jeanne = created.signers.find((s) => s.role === 'resident')!;
    expect(jeanne.delivery).toBe('in_person');
    const opened = (await (await staff(`/api/signature-requests/${created.id}/signers/${jeanne.id}/in-person`, { method: 'POST' })).json()) as { url: string };
    const witness = await staff(`/api/signature-requests/${created.id}/signers/${jeanne.id}/witness`, {
      method: 'POST',
      body: JSON.stringify({ explainedHow: 'Lecture à voix haute de la version en gros caractères', present: ['Nadia Haddad (admissions)', 'Sylvie Martin (fille, personne de confiance)'] }),
    });
    expect(witness.status).toBe(200);
    const p = new PortalClient(h.base);
    expect((await p.open(opened.url)).status).toBe(303);
    await p.get('/portail/document');
    expect(p.lastHtml).toContain('aria-current="true">Gros caractères'); // her preference, chosen by default
    await p.get('/portail');
    expect((await p.sign({ consent: 'oui', typedName: 'jeanne martin' })).status).toBe(303);
    const director = await h.staff('direction@les-tilleuls.example');
    expect((await director(`/api/signature-requests/${created.id}/countersign`, { method: 'POST' })).status).toBe(200);
    await waitUntil('sealed', async () => ((await (await staff(`/api/signature-requests/${created.id}`)).json()) as RequestView).status === 'completed', 60000);
    const done = (await (await staff(`/api/signature-requests/${created.id}`)).json()) as RequestView;
    const evidence = (await (await director(done.sealed!.evidenceHref)).json()) as { signers: { name: string; authentication: string; witness: { explainedHow: string; present: string[] } | null }[] };
    const resident = evidence.signers.find((s) => s.name === 'Jeanne Martin')!;
    expect(resident.authentication).toBe('in_person_witnessed');
    expect(resident.witness).toMatchObject({ explainedHow: 'Lecture à voix haute de la version en gros caractères', present: ['Nadia Haddad (admissions)', 'Sylvie Martin (fille, personne de confiance)'] });
    const dir = mkdtempSync(join(tmpdir(), 'carepact-inperson-'));
    writeFileSync(join(dir, 'signed.pdf'), Buffer.from(await (await director(done.sealed!.href)).arrayBuffer()));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'signed.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('déclaration du témoin');
    expect(text).toContain('Lecture à voix haute');
  }, 120000);
  it('signed in person with no witness statement: the evidence does not say « avec témoin », and no statement can be added afterwards', async () => {
    const docId = await h.document('Jeanne', 'contrat-sejour');
    const staff = await h.staff('admissions@les-tilleuls.example');
    const created = (await (await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.' }) })).json()) as RequestView;
    const jeanne = created.signers.find((s) => s.role === 'resident')!;
    const opened = (await (await staff(`/api/signature-requests/${created.id}/signers/${jeanne.id}/in-person`, { method: 'POST' })).json()) as { url: string };
    const p = new PortalClient(h.base);
    expect((await p.open(opened.url)).status).toBe(303);
    await p.get('/portail/document');
    await p.get('/portail');
    expect((await p.sign({ consent: 'oui', typedName: 'Jeanne Martin' })).status).toBe(303);
    // A statement written after the signature would back-date a witness: refused, nothing recorded.
    const late = await staff(`/api/signature-requests/${created.id}/signers/${jeanne.id}/witness`, {
      method: 'POST',
      body: JSON.stringify({ explainedHow: 'Lecture à voix haute', present: ['Nadia Haddad (admissions)'] }),
    });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('SIGNER_ALREADY_ACTED');
    const director = await h.staff('direction@les-tilleuls.example');
    expect((await director(`/api/signature-requests/${created.id}/countersign`, { method: 'POST' })).status).toBe(200);
    await waitUntil('sealed', async () => ((await (await staff(`/api/signature-requests/${created.id}`)).json()) as RequestView).status === 'completed', 60000);
    const done = (await (await staff(`/api/signature-requests/${created.id}`)).json()) as RequestView;
    const evidence = (await (await director(done.sealed!.evidenceHref)).json()) as { signers: { name: string; authentication: string; witness: unknown }[] };
    expect(evidence.signers.find((s) => s.name === 'Jeanne Martin')).toMatchObject({ authentication: 'in_person', witness: null });
    const dir = mkdtempSync(join(tmpdir(), 'carepact-inperson-'));
    writeFileSync(join(dir, 'signed.pdf'), Buffer.from(await (await director(done.sealed!.href)).arrayBuffer()));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'signed.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('sans déclaration de témoin');
    expect(text).not.toContain('avec témoin');
  }, 120000);
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortalClient, contractData, waitUntil, countersignFetch } from '@carepact/testing';
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
    const displayed = /<article class="cp-doc cp-large-print"[\s\S]*?<\/article>/.exec(p.lastHtml)![0];
    await p.get('/portail/signer');
    // Before the consent: what is signed is the complete version, the large-print one helps to read it.
    const said = p.lastHtml.indexOf('Ce que vous signez');
    expect(said).toBeGreaterThan(0);
    expect(said).toBeLessThan(p.lastHtml.indexOf('name="consent"'));
    expect(p.lastHtml).toContain('seule la version complète fait foi');
    await p.get('/portail');
    expect((await p.sign({ consent: 'oui', typedName: 'jeanne martin' })).status).toBe(303);
    const director = await h.staff('direction@les-tilleuls.example');
    expect((await countersignFetch(director, created.id)).status).toBe(200);
    await waitUntil('sealed', async () => ((await (await staff(`/api/signature-requests/${created.id}`)).json()) as RequestView).status === 'completed', 60000);
    const done = (await (await staff(`/api/signature-requests/${created.id}`)).json()) as RequestView;
    const evidenceRes = await director(done.sealed!.evidenceHref);
    const evidenceJson = await evidenceRes.text();
    const evidence = JSON.parse(evidenceJson) as {
      document: { signedPdfSha256: string };
      signers: { id: string; name: string; authentication: string; witness: { explainedHow: string; present: string[] } | null }[];
      events: { kind: string; signerId: string | null; details?: Record<string, unknown> }[];
      signatureLevel?: { level: string; statement: string };
    };
    const resident = evidence.signers.find((s) => s.name === 'Jeanne Martin')!;
    expect(resident.authentication).toBe('in_person_witnessed');
    expect(resident.witness).toMatchObject({ explainedHow: 'Lecture à voix haute de la version en gros caractères', present: ['Nadia Haddad (admissions)', 'Sylvie Martin (fille, personne de confiance)'] });
    // What she was shown: the large-print reading view, which is the body of the version's stored
    // HTML rendition of that variant; its stored SHA-256 is on the 'viewed' event.
    const [shown] = await h.sql<{ sha: string; content: Buffer }>(
      `SELECT r.blob_sha256 AS sha, b.content FROM renditions r JOIN blobs b ON b.sha256 = r.blob_sha256
        WHERE r.version_id = (SELECT version_id FROM signature_requests WHERE id = $1) AND r.format = 'html' AND r.variant = 'large-print'`,
      [created.id],
    );
    expect(shown.content.toString('utf8')).toContain(displayed);
    const mine = (kind: string) => evidence.events.filter((e) => e.kind === kind && e.signerId === resident.id);
    expect(mine('viewed').map((e) => e.details)).toEqual([{ variant: 'large-print', format: 'html', sha256: shown.sha }]);
    // What she agreed to: the sentence she ticked, the version and the complete version's PDF.
    expect(mine('signed')[0].details).toMatchObject({ consent: 'J’ai lu le document et je le signe en mon nom.', pdfSha256: evidence.document.signedPdfSha256, authMethod: 'in_person_witnessed' });
    // Who acted for the establishment: the staff member's account, on each of their steps.
    const nadia = { byName: 'Nadia Haddad', byAccount: 'admissions@les-tilleuls.example' };
    expect(mine('in_person_opened')[0].details).toMatchObject(nadia);
    expect(mine('witness_recorded')[0].details).toMatchObject(nadia);
    // No session id, token or code in the evidence.
    expect(evidenceJson).not.toMatch(/"session"|"token"|"code"/);
    expect(evidence.signatureLevel).toMatchObject({ level: 'simple' });
    expect(evidence.signatureLevel!.statement).toContain('Ce n’est ni une signature électronique avancée ni une signature qualifiée');
    const dir = mkdtempSync(join(tmpdir(), 'carepact-inperson-'));
    writeFileSync(join(dir, 'signed.pdf'), Buffer.from(await (await director(done.sealed!.href)).arrayBuffer()));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'signed.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('déclaration du témoin');
    expect(text).toContain('Lecture à voix haute');
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Ce que chaque personne a vu et accepté');
    expect(flat).toContain(`a lu à l’écran la version en gros caractères (contenu du fichier HTML de cette version, SHA-256 ${shown.sha})`);
    expect(flat).toContain('a coché « J’ai lu le document et je le signe en mon nom. » et signé');
    expect(flat).toContain('session de signature en présence ouverte par Nadia Haddad (compte admissions@les-tilleuls.example)');
    expect(flat).toContain('déclaration du témoin enregistrée par Nadia Haddad (compte admissions@les-tilleuls.example)');
    expect(flat).toContain(`Document signé : la version complète ; empreinte SHA-256 de son PDF : ${evidence.document.signedPdfSha256}`);
    expect(flat).not.toContain('présenté et signé');
    expect(flat).toContain('Type de signature');
    expect(flat).toContain('Signature électronique simple, au sens du règlement eIDAS');
  }, 120000);
  it('signed in person with no witness statement: the evidence does not say « avec témoin », and no statement can be added afterwards', async () => {
    // Her contract was signed in the test above, and no second contract is made for one admission: another story, as a new admission.
    await h.readmit('Jeanne');
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
    expect((await countersignFetch(director, created.id)).status).toBe(200);
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

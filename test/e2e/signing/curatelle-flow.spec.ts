import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortalClient, waitUntil, countersignFetch } from '@carepact/testing';
import { calendarDayIn, formatDateFr, formatDateTimeFr, projectRoot } from '@carepact/common';
import { SigningHarness, startSigningHarness } from './signing-harness';

interface RequestView {
  id: string;
  status: string;
  signers: { id: string; key: string; role: string; name: string; capacity: string; order: number; status: string; delivery: string }[];
  views: { key: string; recorded: unknown }[];
  sealed: { href: string; evidenceHref: string } | null;
  nextStep: { kind: string; href: string } | null;
  residenceDispute: { person: string; recordedAt: string; recordedBy: string | null } | null;
  assistanceRefused: boolean;
}

/**
 * Issue 4, end to end with the worker and a real SMTP server: the right signers for each protection
 * measure, links by email, signatures through the portal, countersignature, one seal that pdfsig
 * validates, and the evidence naming each capacity.
 */
describe('signature routing end to end', () => {
  let h: SigningHarness;
  beforeAll(async () => {
    h = await startSigningHarness();
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  const request = async (documentId: string, body: object = {}) => {
    const staff = await h.staff('admissions@les-tilleuls.example');
    const res = await staff(`/api/documents/${documentId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.', ...body }) });
    const json = (await res.json()) as RequestView & { error?: { code: string } };
    return { status: res.status, json };
  };
  const state = async (requestId: string): Promise<RequestView> => {
    const staff = await h.staff('admissions@les-tilleuls.example');
    return (await (await staff(`/api/signature-requests/${requestId}`)).json()) as RequestView;
  };
  const signWithLink = async (link: string, name: string, view?: { expression: string; comment?: string }) => {
    const p = new PortalClient(h.base);
    const opened = await p.open(link);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/portail');
    expect((await p.get('/portail')).status).toBe(200);
    expect((await p.get('/portail/document')).status).toBe(200);
    if (view) {
      await p.get('/portail/avis');
      const viewKey = /name="viewKey" value="([^"]+)"/.exec(p.lastHtml)![1];
      const recorded = await p.post('/portail/avis', { viewKey, expression: view.expression, comment: view.comment ?? '' });
      expect(recorded.status).toBe(303);
      expect(recorded.headers.get('location')).toBe('/portail/signer?fait=avis');
    }
    expect((await p.get('/portail/signer')).status).toBe(200);
    const signed = await p.post('/portail/signer', { consent: 'oui', typedName: name });
    expect({ status: signed.status, page: signed.status === 303 ? 'ok' : p.lastHtml.slice(0, 2000) }).toEqual({ status: 303, page: 'ok' });
    expect(signed.headers.get('location')).toBe('/portail/recapitulatif');
    return p;
  };
  /** The link of this request's invitation to this address (the mailbox holds earlier tests' mails too). */
  const newLinkFor = async (address: string, requestId: string) => {
    const [signer] = await h.sql<{ id: string }>(`SELECT id FROM signature_signers WHERE request_id = $1 AND email = $2`, [requestId, address]);
    await waitUntil('the invitation sent', async () => (await h.sql(`SELECT 1 FROM signature_events WHERE signer_id = $1 AND kind = 'email_sent'`, [signer.id])).length > 0, 30000);
    return linkFor(address);
  };
  const linkFor = async (address: string, nth = 1) => {
    const mails = await h.waitForMail(address, nth, /signer|signature/i);
    const links = PortalClient.linksIn(mails[nth - 1].text, h.base);
    expect(links).toHaveLength(1);
    return links[0];
  };

  it('curatelle renforcée: the resident and the curateur receive links and sign; the director countersigns; one seal that pdfsig validates', async () => {
    const docId = await h.document('Marcel', 'contrat-sejour');
    const created = await request(docId);
    expect(created.status).toBe(201);
    expect(created.json.signers.map((s) => [s.role, s.delivery])).toEqual([
      ['resident', 'email'],
      ['curateur', 'email'],
      ['director', 'staff'],
    ]);
    expect(created.json.signers[1].capacity).toContain('curateur');
    const residentLink = await linkFor('marcel.dupont@example.org');
    const curateurLink = await linkFor('k.benaissa@udaf-val.example');
    const mail = h.mailsTo('k.benaissa@udaf-val.example')[0];
    expect(mail.html).toContain('lang="fr"');
    expect(mail.text).toContain('EHPAD Les Tilleuls');

    await signWithLink(residentLink, 'Marcel Dupont');
    await signWithLink(curateurLink, 'Karim Benaïssa');

    const director = await h.staff('direction@les-tilleuls.example');
    const early = await state(created.json.id);
    expect(early.signers.filter((s) => s.status === 'signed').map((s) => s.role)).toEqual(['resident', 'curateur']);
    const cs = await countersignFetch(director, created.json.id);
    expect(cs.status).toBe(200);

    await waitUntil('the seal', async () => (await state(created.json.id)).status === 'completed', 60000);
    const done = await state(created.json.id);
    expect(done.sealed).not.toBeNull();
    const [{ n }] = (await h.ds.query(`SELECT count(*)::int AS n FROM sealed_documents WHERE request_id = $1`, [done.id])) as { n: number }[];
    expect(n).toBe(1);

    // The auditor reads the evidence (who signed, how) but not the signed contract itself (issue 7, item 14).
    const auditor = await h.staff('audit@jardins-du-val.example');
    expect((await auditor(done.sealed!.href)).status).toBe(403);
    expect((await auditor(done.sealed!.evidenceHref)).status).toBe(200);

    const pdf = Buffer.from(await (await director(done.sealed!.href)).arrayBuffer());
    const dir = mkdtempSync(join(tmpdir(), 'carepact-sealed-'));
    writeFileSync(join(dir, 'signed.pdf'), pdf);
    let pdfsig = '';
    try {
      pdfsig = execFileSync('pdfsig', [join(dir, 'signed.pdf')], { encoding: 'utf8' });
    } catch (e) {
      pdfsig = String((e as { stdout?: string }).stdout ?? '');
    }
    expect(pdfsig).toContain('Signature is Valid');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'signed.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Dossier de preuve');
    expect(text).toContain('Karim Benaïssa');
    // Each party's line says how they signed; the director typed nothing, so no typed name is claimed (issue 13, item 9).
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Claire Morel : signature depuis sa session personnelle de la console (compte direction@les-tilleuls.example)');
    expect(flat).toContain('Karim Benaïssa : a écrit son nom : Karim Benaïssa');
    expect(flat).not.toMatch(/nom écrit : Claire Morel|a écrit son nom : Claire Morel/);
    const evidence = (await (await director(done.sealed!.evidenceHref)).json()) as {
      signers: { name: string; capacity: string; authentication: string; measure: unknown; typedName: string | null; signedHow: Record<string, unknown> }[];
    };
    expect(evidence.signers[2].typedName).toBeNull();
    expect(evidence.signers[2].signedHow).toMatchObject({ method: 'staff_session', account: 'direction@les-tilleuls.example' });
    expect(evidence.signers[0].signedHow).toEqual({ method: 'typed_name', typedName: 'Marcel Dupont', witnessed: false });
    expect(evidence.signers.map((s) => s.name)).toEqual(['Marcel Dupont', 'Karim Benaïssa', 'Claire Morel']);
    expect(evidence.signers[1].capacity).toMatch(/curateur/);
    expect(evidence.signers[1].measure).toMatchObject({ type: 'curatelle_renforcee', judgmentReference: 'RG 25/00412' });
    expect(evidence.signers.map((s) => s.authentication)).toEqual(['email_link', 'email_link', 'staff_session']);

    // Every party with an email gets the completion message with a download link (never an attachment).
    const completion = await h.waitForMail('k.benaissa@udaf-val.example', 1, /signé/i);
    const download = PortalClient.linksIn(completion[0].text, h.base)[0];
    const p = new PortalClient(h.base);
    expect((await p.open(download)).status).toBe(303);
    expect((await p.get('/portail')).status).toBe(200);
    const file = await p.get('/portail/document-signe.pdf');
    expect(file.headers.get('content-type')).toBe('application/pdf');
  });

  it('the minor: both parents sign, the minor’s view is recorded by a parent', async () => {
    const docId = await h.document('Enzo', 'contrat-sejour');
    const created = await request(docId);
    expect(created.status).toBe(201);
    expect(created.json.signers.map((s) => s.role)).toEqual(['parent', 'parent', 'director']);
    expect(created.json.views).toHaveLength(1);
    await signWithLink(await linkFor('julie.petit@example.org'), 'Julie Petit', { expression: 'accord_partiel', comment: 'Enzo veut bien, sauf le bus.' });
    await signWithLink(await linkFor('thomas.petit@example.org'), 'Thomas Petit');
    const s = await state(created.json.id);
    expect(s.views[0].recorded).toMatchObject({ expression: 'accord_partiel' });
    expect(s.signers.filter((x) => x.status === 'signed')).toHaveLength(2);
  });

  it('« Chacun à son tour »: the second parent is invited only once the first has signed (both parents were invited at once before)', async () => {
    const docId = await h.document('Enzo', 'contrat-sejour');
    const created = await request(docId, { mode: 'sequential' });
    expect(created.status).toBe(201);
    const [first, second, director] = [...created.json.signers].sort((a, b) => a.order - b.order);
    expect([first.role, second.role, director.role, first.order, second.order, director.order]).toEqual(['parent', 'parent', 'director', 1, 2, 3]);
    const invited = async () =>
      (await h.sql<{ signer_id: string }>(`SELECT payload->>'signerId' AS signer_id FROM outbox WHERE job_name = 'signing.invite' AND payload->>'signerId' = ANY($1)`, [[first.id, second.id]])).map((r) => r.signer_id);
    expect(await invited()).toEqual([first.id]);
    const address = (x: { name: string }) => (x.name.startsWith('Julie') ? 'julie.petit@example.org' : 'thomas.petit@example.org');
    await signWithLink(await newLinkFor(address(first), created.json.id), first.name, { expression: 'accord', comment: 'Enzo est d’accord, il demande à garder ses <crayons>.' });
    await waitUntil('the second parent invited', async () => (await invited()).includes(second.id), 30000);
    // Enzo's view, recorded by the first parent: the second reads who recorded what, and an answer of
    // their own is refused with both named (it was « L’avis de la personne est déjà enregistré. »).
    const link = await newLinkFor(address(second), created.json.id);
    const p = new PortalClient(h.base);
    await p.open(link);
    await p.get('/portail/document');
    await p.get('/portail/avis');
    // With when, as stored (recorded_at, Paris time), and what the first parent noted, escaped.
    const [{ at }] = await h.sql<{ at: Date }>(`SELECT recorded_at AS at FROM recorded_views WHERE request_id = $1`, [created.json.id]);
    const shown = p.lastHtml.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(shown).toContain(`Avis d’Enzo Petit, enregistré par ${first.name} le ${formatDateTimeFr(new Date(at))} : Accord.`);
    expect(shown).toContain(`Ce que ${first.name} a noté : « Enzo est d’accord, il demande à garder ses &lt;crayons>. »`);
    const [{ view_key }] = await h.sql<{ view_key: string }>(`SELECT view_key FROM recorded_views WHERE request_id = $1`, [created.json.id]);
    const again = await p.post('/portail/avis', { viewKey: view_key, expression: 'desaccord', comment: '' });
    expect(again.status).toBe(409);
    expect(p.lastHtml).toContain(`L’avis d’Enzo Petit a déjà été enregistré par ${first.name} : « accord ». Il n’est pas modifié ; vous pouvez signer.`);
    await signWithLink(link, second.name);
    expect((await state(created.json.id)).signers.filter((x) => x.status === 'signed')).toHaveLength(2);
  });

  it('the person under tutelle: the tuteur signs and records the person’s view', async () => {
    const docId = await h.document('Lucie', 'contrat-sejour');
    const created = await request(docId);
    expect(created.json.signers.map((s) => s.role)).toEqual(['tuteur', 'director']);
    const link = await linkFor('alain.bernard@example.org');
    const p = new PortalClient(h.base);
    await p.open(link);
    await p.get('/portail/document');
    // Signing before the view step is refused with a clear message.
    const tooEarly = await p.post('/portail/signer', { consent: 'oui', typedName: 'Alain Bernard' });
    expect(tooEarly.status).toBe(409);
    expect(p.lastHtml).toContain('Avant de signer, indiquez l’avis de Lucie Bernard');
    await signWithLink(link, 'Alain Bernard', { expression: 'accord_partiel', comment: 'Lucie veut bien, sauf le repas du soir à 18 h.' });
    const s = await state(created.json.id);
    expect(s.views[0].recorded).toMatchObject({ expression: 'accord_partiel' });
    expect(s.signers.find((x) => x.role === 'tuteur')!.status).toBe('signed');
  });

  it('the person under tutelle disagrees with living here: the tuteur cannot sign the contract until the judge has decided (C. civ. 459-2, DOMAIN rule 2)', async () => {
    const docId = await h.document('Lucie', 'contrat-sejour');
    const created = await request(docId);
    const link = await newLinkFor('alain.bernard@example.org', created.json.id);
    const p = new PortalClient(h.base);
    expect((await p.open(link)).status).toBe(303);
    await p.get('/portail/document');
    await p.get('/portail/avis');
    const viewKey = /name="viewKey" value="([^"]+)"/.exec(p.lastHtml)![1];
    expect((await p.post('/portail/avis', { viewKey, expression: 'desaccord', comment: 'Lucie préfère rester chez son père.' })).status).toBe(303);
    // The portal does not offer « Signer » and says why (the policy's rule, read into the session's context)…
    expect((await p.get('/portail/signer?fait=avis')).status).toBe(200);
    expect(p.lastHtml).not.toContain('action="/portail/signer"');
    expect(p.lastHtml).toContain('Ce document ne peut pas être signé pour le moment.');
    expect(p.lastHtml).toContain('c’est le juge des contentieux de la protection qui décide où Lucie Bernard va vivre');
    expect(p.lastHtml).toContain('href="/portail/question"');
    await p.get('/portail/document');
    expect(p.lastHtml).not.toContain('href="/portail/signer">Signer le document');
    // …and a signature sent anyway is still refused (defence in depth).
    const refused = await p.post('/portail/signer', { consent: 'oui', typedName: 'Alain Bernard' });
    expect(refused.status).toBe(409);
    expect(p.lastHtml).toContain('Lucie Bernard n’est pas d’accord pour vivre dans l’établissement');
    expect(p.lastHtml).toContain('C. civ. 459-2');
    const s = await state(created.json.id);
    expect(s.status).toBe('active');
    expect(s.signers.find((x) => x.role === 'tuteur')!.status).toBe('pending');
    expect(await h.sql(`SELECT 1 FROM signature_events WHERE request_id = $1 AND kind = 'signed'`, [created.json.id])).toEqual([]);
    // Staff are told through the request's view: who disagrees, recorded by whom and when.
    expect(s.residenceDispute).toEqual({ person: 'Lucie Bernard', recordedBy: 'Alain Bernard', recordedAt: expect.any(String) });

    // The judge decided: the contract records the decision (a new document here), and the tuteur signs it.
    const staff = await h.staff('admissions@les-tilleuls.example');
    expect((await staff(`/api/signature-requests/${created.json.id}/cancel`, { method: 'POST' })).status).toBe(200);
    const demo = JSON.parse(readFileSync(join(projectRoot(), 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as { residents: { firstName: string; documents?: Record<string, Record<string, unknown>> }[] };
    const { resident: _key, ...data } = demo.residents.find((r) => r.firstName === 'Lucie')!.documents!['contrat-sejour'];
    const decided = await h.document('Lucie', 'contrat-sejour', {
      ...data,
      residenceChoice: { agrees: false, recordedOn: '2026-08-25', judgeDecision: { authority: 'Juge des contentieux de la protection', reference: 'RG 26/00077', date: '2026-08-28' } },
    });
    const second = await request(decided);
    const p2 = new PortalClient(h.base);
    expect((await p2.open(await newLinkFor('alain.bernard@example.org', second.json.id))).status).toBe(303);
    await p2.get('/portail/document');
    await p2.get('/portail/avis');
    const key2 = /name="viewKey" value="([^"]+)"/.exec(p2.lastHtml)![1];
    expect((await p2.post('/portail/avis', { viewKey: key2, expression: 'desaccord' })).status).toBe(303);
    await p2.get('/portail/signer');
    expect(p2.lastHtml).toContain('action="/portail/signer"');
    expect(p2.lastHtml).not.toContain('ne peut pas être signé');
    expect((await state(second.json.id)).residenceDispute).toBeNull(); // the version cites the judge's decision
    expect((await p2.post('/portail/signer', { consent: 'oui', typedName: 'Alain Bernard' })).status).toBe(303);
    expect((await state(second.json.id)).signers.find((x) => x.role === 'tuteur')!.status).toBe('signed');
  });

  it('the expired curatelle: the document itself is refused with its code and a French explanation (issue 8: no rendition names the former curateur)', async () => {
    // Rose's own contract data from the fixture: only the expired measure stands in the way.
    await expect(h.document('Rose', 'contrat-sejour')).rejects.toThrow(/409 .*"code":"PROTECTION_MEASURE_EXPIRED".*a pris fin le/);
  });

  it('the curateur refuses to assist: the request ends, but the contract is not refused by the person and no DIPC is offered (CASF D.311, C. civ. 469)', async () => {
    // Marcel's contract was signed in the first test, and no second contract is made for one admission: another story of his contract, as a new admission.
    await h.readmit('Marcel');
    const docId = await h.document('Marcel', 'contrat-sejour');
    const created = await request(docId);
    const p = new PortalClient(h.base);
    expect((await p.open(await newLinkFor('k.benaissa@udaf-val.example', created.json.id))).status).toBe(303);
    await p.get('/portail/document');
    await p.get('/portail/refuser');
    expect(p.lastHtml).toContain('Vous assistez Marcel Dupont. Si vous refusez votre assistance');
    expect(p.lastHtml).toContain('article 469 du Code civil');
    expect(p.lastHtml).not.toContain('document individuel de prise en charge');
    expect((await p.post('/portail/refuser', { reason: 'Le tarif n’est pas celui convenu.' })).status).toBe(303);
    const s = await state(created.json.id);
    expect(s.status).toBe('refused');
    expect(s.assistanceRefused).toBe(true);
    expect(s.nextStep).toBeNull();
    expect(await h.sql(`SELECT status FROM documents WHERE id = $1`, [docId])).toEqual([{ status: 'ready' }]);
    const staff = await h.staff('admissions@les-tilleuls.example');
    const offer = await staff(`/api/signature-requests/${created.json.id}/dipc`);
    expect(offer.status).toBe(409);
    expect(await offer.text()).toContain('C. civ. 469');
  });

  it('after the curateur’s refusal the judge authorises Marcel to sign alone (C. civ. 469 al. 3): the next request goes to him alone, he signs in the portal, the evidence cites the ordonnance', async () => {
    // Still the admission of the test above: its contract was not signed (the curateur refused to assist).
    const docId = await h.document('Marcel', 'contrat-sejour');
    const first = await request(docId);
    const c = new PortalClient(h.base);
    expect((await c.open(await newLinkFor('k.benaissa@udaf-val.example', first.json.id))).status).toBe(303);
    await c.get('/portail/document');
    expect((await c.post('/portail/refuser', { reason: 'Le tarif n’est pas celui convenu.' })).status).toBe(303);
    const staff = await h.staff('admissions@les-tilleuls.example');
    // Dated on the day of the refusal (Paris), not before it: she asks the judge after the refusal (C. civ. 469 al. 3).
    const today = calendarDayIn(new Date());
    expect((await staff(`/api/documents/${docId}/sole-signature-authorisation`, { method: 'POST', body: JSON.stringify({ court: 'TJ de Valville', decisionDate: calendarDayIn(new Date(Date.now() - 86_400_000)), reference: 'RG 26/00123' }) })).status).toBe(400);
    const ordonnance = { court: 'Juge des contentieux de la protection, tribunal judiciaire de Valville', decisionDate: today, reference: 'RG 26/00123' };
    const recorded = await staff(`/api/documents/${docId}/sole-signature-authorisation`, { method: 'POST', body: JSON.stringify(ordonnance) });
    expect(recorded.status).toBe(201);
    expect((await state(first.json.id)).nextStep).toMatchObject({ kind: 'send' });

    const second = await request(docId);
    expect(second.status).toBe(201);
    expect(second.json.signers.map((s) => [s.role, s.delivery])).toEqual([
      ['resident', 'email'],
      ['director', 'staff'],
    ]);
    const p = new PortalClient(h.base);
    expect((await p.open(await newLinkFor('marcel.dupont@example.org', second.json.id))).status).toBe(303);
    await p.get('/portail/document');
    await p.get('/portail/signer');
    // He ticks his own capacity: alone, with the judge's authorisation, not « avec l’assistance de mon curateur ».
    expect(p.lastHtml).toContain('je le signe en mon nom, avec l’autorisation du juge, sans l’assistance de mon curateur');
    expect((await p.post('/portail/signer', { consent: 'oui', typedName: 'Marcel Dupont' })).status).toBe(303);
    const director = await h.staff('direction@les-tilleuls.example');
    expect((await countersignFetch(director, second.json.id)).status).toBe(200);
    await waitUntil('the seal', async () => (await state(second.json.id)).status === 'completed', 60000);
    const done = await state(second.json.id);
    const evidence = (await (await director(done.sealed!.evidenceHref)).json()) as { signers: { name: string; capacity: string; legalBasis: string; measure: { type: string } | null }[] };
    expect(evidence.signers.map((s) => s.name)).toEqual(['Marcel Dupont', 'Claire Morel']);
    expect(evidence.signers[0].capacity).toBe('en son nom propre, sur autorisation du juge (C. civ. 469), sans l’assistance de son curateur');
    expect(evidence.signers[0].legalBasis).toContain(`C. civ. 469 al. 3 (ordonnance : ${ordonnance.court}, ${formatDateFr(today)}, réf. RG 26/00123)`);
    expect(evidence.signers[0].measure).toMatchObject({ type: 'curatelle_renforcee' });
  });

  it('a contract refused in person: staff see it, the DIPC the law then requires is offered pre-filled and can be created', async () => {
    const docId = await h.document('Jeanne', 'contrat-sejour');
    const created = await request(docId);
    expect(created.json.signers.map((s) => [s.role, s.delivery])).toEqual([
      ['resident', 'in_person'],
      ['director', 'staff'],
    ]);
    const staff = await h.staff('admissions@les-tilleuls.example');
    const resident = created.json.signers[0];
    const opened = (await (await staff(`/api/signature-requests/${created.json.id}/signers/${resident.id}/in-person`, { method: 'POST' })).json()) as { url: string };
    const p = new PortalClient(h.base);
    expect((await p.open(opened.url)).status).toBe(303);
    await p.get('/portail');
    expect((await p.post('/portail/refuser', { reason: 'Je veux réfléchir avec ma fille.' })).status).toBe(303);
    const s = await state(created.json.id);
    expect(s.status).toBe('refused');
    expect(s.nextStep).toMatchObject({ kind: 'create_dipc' });
    const inbox = (await (await staff('/api/signature-inbox')).json()) as { refusals: { signer_id: string }[] };
    expect(inbox.refusals.map((r) => r.signer_id)).toContain(resident.id);
    const offer = (await (await staff(s.nextStep!.href)).json()) as { type: string; data: { contractRefused: { reasonGiven: string }; objectives: string[] } };
    expect(offer.type).toBe('dipc');
    expect(offer.data.contractRefused.reasonGiven).toBe('Je veux réfléchir avec ma fille.');
    // The offer is the contract's content: not for the auditor, who reads metadata and evidence only.
    const auditor = await h.staff('audit@jardins-du-val.example');
    const refused = await auditor(s.nextStep!.href);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('réfléchir');
    expect((await auditor(s.nextStep!.href, { method: 'POST' })).status).toBe(403);
    // Nor does the request's view or the inbox give the auditor the refusal's reason (the console hides it too).
    const seen = (await (await auditor(`/api/signature-requests/${created.json.id}`)).json()) as { contentWithheld: boolean; signers: { status: string; refusalReason: string | null }[] };
    expect(seen.contentWithheld).toBe(true);
    expect(seen.signers.find((x) => x.status === 'refused')!.refusalReason).toBeNull();
    expect(JSON.stringify(seen)).not.toContain('réfléchir');
    expect(JSON.stringify(await (await auditor(`/api/documents/${docId}/signature-requests`)).json())).not.toContain('réfléchir');
    expect(JSON.stringify(await (await auditor('/api/signature-inbox')).json())).not.toContain('réfléchir');
    expect(((await (await staff(`/api/signature-requests/${created.json.id}`)).json()) as { contentWithheld: boolean }).contentWithheld).toBe(false);
    const dipc = await staff(s.nextStep!.href, { method: 'POST' });
    expect(dipc.status).toBe(202);
    await h.waitForMail('direction@les-tilleuls.example', 1, /refus/i);
  });
});

import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ArchiveExporter, Manifest, verifyArchive } from '@carepact/archive';
import { calendarDayIn, formatDateFr } from '@carepact/common';
import { PortalClient, TEST_PASSWORD, contractData, curatelleResident, launchChromium, loginAgent, waitUntil, countersignRequest } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { demoAnnexPdf } from '../../../apps/cli/src/seed/demo-annexes';
import { tempFile, tool } from '../../unit/paper/scan-fixtures';
import { readZip } from '../archive/archive-tools';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { tariffAvenantDataFor } from '../documents/tariff-avenant-data';

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const day = (offset: number) => calendarDayIn(new Date(Date.now() + offset * 86_400_000));
const TODAY = day(0);
const ORDONNANCE = { court: 'Juge des contentieux de la protection, tribunal judiciaire de Valville', decisionDate: TODAY, reference: 'RG 26/00123' };
/** The judgment of Marcel's curatelle renforcée (curatelleResident): its reference, and its date and end as the policy writes them. */
const JUDGMENT = 'RG 25/00412';
/** Where the pictures go: `DOCS_SCREENSHOTS=docs/screenshots` regenerates those of the README; /tmp otherwise. */
const SHOTS = process.env.DOCS_SCREENSHOTS ?? join(tmpdir(), 'carepact-documents-remis');

interface SignerView {
  id: string;
  role: string;
}
type Evidence = Record<string, unknown> & {
  signers: { name: string; legalBasis: string; measure: Record<string, unknown> | null }[];
  annexes?: unknown;
  fileReferencesWithheld?: string;
  viewCommentsWithheld?: string;
  views: unknown[];
};

/**
 * The documents handed over with the contract (CASF L.311-4) are handed over with the contrat de
 * séjour or the DIPC, not with an avenant: an avenant records none unless its data say they were
 * handed over again (`annexesHandedOverOn`), and then its sealed evidence (JSON and PDF) and the
 * portal say nothing of documents handed over; the archive package and its verification agree. The
 * sealed evidence downloaded by a reader without `resident.read` (the auditor) leaves out the
 * judgment references of the person's file (the measure's judgment, the judge's ordonnance), as the
 * document page does. The real stack: api, worker, seal.
 */
describe('an avenant hands no documents over; the evidence as each reader may read it', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let est: string;
  let admissions: request.Agent;
  let director: request.Agent;
  let auditor: request.Agent;
  let residentId: string;
  let contractId: string;
  let contractRequestId: string;

  const publish = (body: Buffer, q: Record<string, string>) =>
    director.post(`/api/establishments/${est}/annex-files?${new URLSearchParams(q).toString()}`).set('Content-Type', 'application/pdf').send(body).expect(201);
  const ready = (documentId: string) => waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 90_000);
  const inPerson = async (requestId: string, role: string): Promise<PortalClient> => {
    const view = (await admissions.get(`/api/signature-requests/${requestId}`).expect(200)).body as { signers: SignerView[] };
    const signer = view.signers.find((s) => s.role === role)!;
    const { url } = (await admissions.post(`/api/signature-requests/${requestId}/signers/${signer.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    return portal;
  };
  const send = async (documentId: string) =>
    ((await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' }).expect(201)).body as { id: string; signers: SignerView[] });
  const sealed = async (requestId: string) => {
    expect((await countersignRequest(director, requestId)).status).toBe(200);
    await waitUntil('sealed', async () => (await director.get(`/api/signature-requests/${requestId}`)).body.status === 'completed', 90_000);
  };
  const evidenceAs = async (agent: request.Agent, requestId: string) => {
    const res = await agent.get(`/api/signature-requests/${requestId}/evidence.json`).expect(200);
    return { raw: res.text, json: JSON.parse(res.text) as Evidence };
  };
  const sealedPdf = async (requestId: string) => {
    const pdf = (await director.get(`/api/signature-requests/${requestId}/signed.pdf`).buffer(true).parse(binary).expect(200)).body as Buffer;
    return tempFile('sealed.pdf', pdf);
  };
  const pdfText = (file: string) => tool('pdftotext', ['-layout', file, '-']).stdout.replace(/\s+/g, ' ');

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    est = h.orgA.establishmentId;
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    // The establishment's documents handed over with the contract: a livret with a former edition, a règlement; the charte has no file.
    await publish(await demoAnnexPdf('livret-accueil-2025', 'EHPAD A'), { kind: 'livret-accueil-2026', versionLabel: 'Édition 2025', effectiveOn: '2025-01-01' });
    await publish(await demoAnnexPdf('livret-accueil-2026', 'EHPAD A'), { kind: 'livret-accueil-2026', versionLabel: 'Édition 2026', effectiveOn: '2026-01-01' });
    await publish(await demoAnnexPdf('reglement-fonctionnement-2025', 'EHPAD A'), { kind: 'reglement-fonctionnement-2025', versionLabel: 'Version 2025', effectiveOn: '2025-06-01' });

    // Marcel, under curatelle renforcée: his curateur refuses to assist him, the judge authorises him to sign alone (C. civ. 469 al. 3), sealed.
    residentId = (await admissions.post('/api/residents').send(curatelleResident(est)).expect(201)).body.id as string;
    contractId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ annexesHandedOverOn: TODAY }) }).expect(202)).body.id as string;
    await ready(contractId);
    const refused = await send(contractId);
    const curateur = await inPerson(refused.id, 'curateur');
    await curateur.get('/portail/document');
    expect((await curateur.post('/portail/refuser', { reason: 'Le tarif n’est pas celui convenu.' })).status).toBe(303);
    await admissions.post(`/api/documents/${contractId}/sole-signature-authorisation`).send(ORDONNANCE).expect(201);
    contractRequestId = (await send(contractId)).id;
    expect((await (await inPerson(contractRequestId, 'resident')).sign({ consent: 'oui', typedName: 'Marcel Dupont' })).status).toBe(303);
    await sealed(contractRequestId);
  }, 300_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('a tariff avenant records no documents handed over: none in its version, its audit event, the portal, the sealed evidence (JSON and PDF); the archive package and its verification agree', async () => {
    const avenantId = (await admissions.post('/api/documents').send({ residentId, type: 'avenant', data: await tariffAvenantDataFor(h, ds, residentId, '2027-01-01') }).expect(202)).body
      .id as string;
    await ready(avenantId);
    const [version] = (await ds.query(`SELECT v.id, v.annexes FROM document_versions v WHERE v.document_id = $1`, [avenantId])) as { id: string; annexes: unknown }[];
    expect(version.annexes).toBeNull();
    const [event] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'document_version.requested' AND subject_id = $1`, [version.id])) as { payload: Record<string, unknown> }[];
    expect(event.payload.annexes).toBeNull();

    // The person and her curateur sign it (the judge's ordonnance was for the contract), the director countersigns.
    const request = await send(avenantId);
    expect(request.signers.map((s) => s.role)).toEqual(['resident', 'curateur', 'director']);
    const person = await inPerson(request.id, 'resident');
    await person.get('/portail/document');
    const signPage = await (await person.get('/portail/signer')).text();
    expect(signPage).toContain('Signer : avenant tarifaire au contrat de séjour');
    expect(signPage).not.toContain('Documents remis');
    expect(signPage).not.toContain('documents-remis');
    expect((await person.sign({ consent: 'oui', typedName: 'Marcel Dupont' })).status).toBe(303);
    expect((await (await inPerson(request.id, 'curateur')).sign({ consent: 'oui', typedName: 'Karim Benaïssa' })).status).toBe(303);
    await sealed(request.id);

    const { json } = await evidenceAs(director, request.id);
    expect(json).not.toHaveProperty('annexes');
    const text = pdfText(await sealedPdf(request.id));
    expect(text).toContain('Dossier de preuve de la signature');
    expect(text).not.toMatch(/Documents remis|aucun fichier déposé|Date de remise/);

    // The contract's evidence still lists them (the avenant changed nothing there).
    expect((await evidenceAs(director, contractRequestId)).json.annexes).toMatchObject({ handedOverOn: TODAY, files: [{ key: 'livret-accueil-2026' }, { key: 'reglement-fonctionnement-2025' }, { key: 'charte-droits-libertes' }] });

    // The resident's archive package: the contract's files only, the avenant's version with none; it verifies.
    const pkg = join(mkdtempSync(join(tmpdir(), 'carepact-avenant-annexes-')), 'resident.zip');
    await h.app.get(ArchiveExporter).export({ kind: 'resident', id: residentId }, pkg);
    const entries = await readZip(pkg);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as Manifest;
    expect(manifest.annexes!.length).toBeGreaterThan(0);
    expect(new Set(manifest.annexes!.map((a) => a.documentId))).toEqual(new Set([contractId]));
    const meta = JSON.parse(entries.get(`documents/${avenantId}/document.json`)!.toString()) as { versions: { annexes: unknown }[] };
    expect(meta.versions.map((v) => v.annexes)).toEqual([null]);
    const report = await verifyArchive(pkg);
    expect({ ok: report.ok, problem: report.problem }).toEqual({ ok: true, problem: null });
  }, 240_000);

  it('evidence.json: the director (resident.read) reads the measure’s judgment and the ordonnance’s reference; the auditor (document.read only) reads neither, and is told so', async () => {
    const full = await evidenceAs(director, contractRequestId);
    expect(full.raw).toContain(ORDONNANCE.reference);
    expect(full.raw).toContain(JUDGMENT);
    expect(full.json.fileReferencesWithheld).toBeUndefined();
    const marcel = full.json.signers.find((s) => s.name === 'Marcel Dupont')!;
    expect(marcel.measure).toMatchObject({ judgmentReference: JUDGMENT, judgmentDate: '2025-05-20', endDate: '2030-05-20', court: 'Tribunal judiciaire de Valville' });
    expect(marcel.legalBasis).toContain(`(ordonnance : ${ORDONNANCE.court}, ${formatDateFr(TODAY)}, réf. ${ORDONNANCE.reference})`);
    // admissions reads the person's file too.
    expect((await evidenceAs(admissions, contractRequestId)).raw).toContain(ORDONNANCE.reference);

    const audited = await evidenceAs(auditor, contractRequestId);
    expect(audited.raw).not.toContain(ORDONNANCE.reference);
    expect(audited.raw).not.toContain('26/00123');
    expect(audited.raw).not.toContain(JUDGMENT);
    expect(audited.raw).not.toContain('25/00412');
    const seen = audited.json.signers.find((s) => s.name === 'Marcel Dupont')!;
    // The court and the date of the ordonnance stay, as on the document page; the measure's kind and court stay, its judgment goes.
    expect(seen.legalBasis).toContain(`(ordonnance : ${ORDONNANCE.court}, ${formatDateFr(TODAY)}) ;`);
    expect(seen.measure).toMatchObject({ type: 'curatelle_renforcee', court: 'Tribunal judiciaire de Valville', judgmentReference: null, judgmentDate: null, endDate: null });
    expect(audited.json.fileReferencesWithheld).toContain('références du dossier de la personne');
    // Everything else is the same evidence.
    // (The auditor reads no comment of the person's recorded views either: tariff-annex-view-comments.spec.ts.)
    const { signers: _a, fileReferencesWithheld: _w, viewCommentsWithheld: _c, views: _v, ...restAudited } = audited.json;
    const { signers: _b, views: _x, ...restFull } = full.json;
    expect(restAudited).toEqual(restFull);
    // The download is in the request's events, each reader's with what they were given.
    const details = (await ds.query(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'downloaded' ORDER BY at`, [contractRequestId])) as { details: Record<string, unknown> }[];
    expect(details.map((d) => d.details.fileReferencesWithheld === true)).toEqual([...details.slice(1).map(() => false), true]);
  });

  it('docs: the evidence page of « Documents remis avec le contrat » and the console section, as the product shows them now', async () => {
    mkdirSync(SHOTS, { recursive: true });
    // A plain contract (no measure), signed in person and countersigned: its evidence page with the documents handed over.
    const { protectionMeasure: _m, ...adult } = curatelleResident(est);
    const plain = (await admissions.post('/api/residents').send(adult).expect(201)).body.id as string;
    const doc = (await admissions.post('/api/documents').send({ residentId: plain, type: 'contrat-sejour', data: contractData({ annexesHandedOverOn: TODAY }) }).expect(202)).body.id as string;
    await ready(doc);
    const requestId = (await send(doc)).id;
    expect((await (await inPerson(requestId, 'resident')).sign({ consent: 'oui', typedName: 'Marcel Dupont' })).status).toBe(303);
    await sealed(requestId);
    const file = await sealedPdf(requestId);
    const pageText = (p: number) => tool('pdftotext', ['-f', String(p), '-l', String(p), '-layout', file, '-']).stdout.replace(/\s+/g, ' ');
    const pages = Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [file]).stdout)![1]);
    // The evidence's section (the contract itself has one of that name too): its page, and the next when its list goes on there.
    const first = Array.from({ length: pages }, (_, i) => i + 1).find((p) => pageText(p).includes('(date indiquée dans le document ; CASF L.311-4)'))!;
    const shown = pageText(first).includes('Annexe tarifaire en vigueur au') ? [first] : [first, first + 1];
    const onPages = shown.map(pageText).join(' ');
    expect(onPages).toContain(`Remis le ${formatDateFr(TODAY)} (date indiquée dans le document ; CASF L.311-4). Fichiers en vigueur à cette date, avec leur date de publication et leur empreinte SHA-256`);
    expect(onPages).toContain(`version « Édition 2026 », en vigueur depuis le 1er janvier 2026, publiée le ${formatDateFr(TODAY)}`);
    expect(onPages).toContain('Charte des droits et libertés de la personne accueillie : aucun fichier déposé');
    const work = mkdtempSync(join(tmpdir(), 'carepact-evidence-pages-'));
    const images = shown.map((p) => {
      const prefix = join(work, `page-${p}`);
      expect(tool('pdftoppm', ['-png', '-r', '80', '-f', String(p), '-l', String(p), '-singlefile', file, prefix]).status).toBe(0);
      return readFileSync(`${prefix}.png`).toString('base64');
    });

    const browser = await launchChromium();
    try {
      // The page(s) side by side, as one picture.
      const sheet = await (await browser.newContext({ viewport: { width: 700 * images.length, height: 960 } })).newPage();
      await sheet.setContent(
        `<body style="margin:0;background:#ccc"><div id="pages" style="display:inline-flex;gap:8px;padding:8px">${images.map((b) => `<img src="data:image/png;base64,${b}" style="border:1px solid #999;background:#fff">`).join('')}</div></body>`,
      );
      await sheet.locator('#pages').screenshot({ path: join(SHOTS, 'evidence-documents-remis.png') });

      // The console's section, as the director sees it.
      const context = await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width: 1120, height: 900 } });
      const tab = await context.newPage();
      await tab.goto('/connexion');
      await tab.getByLabel('Adresse e-mail').fill(h.orgA.users.director.email);
      await tab.getByLabel('Mot de passe').fill(TEST_PASSWORD);
      await Promise.all([tab.waitForNavigation(), tab.getByRole('button', { name: 'Se connecter' }).click()]);
      await tab.goto(`/console/admin/etablissements/${est}#documents-remis`);
      const section = tab.locator('#documents-remis-section');
      const shown = ((await section.textContent()) ?? '').replace(/\s+/g, ' ');
      expect(shown).toContain('Chaque contrat de séjour ou DIPC enregistre le fichier en vigueur le jour de la remise indiquée dans le document (à défaut, le jour de sa création)');
      expect(shown).toContain('« Édition 2025 », ancienne version, en vigueur le 1er janvier 2025');
      expect(shown).toContain('Aucun fichier déposé');
      await section.screenshot({ path: join(SHOTS, 'console-admin-documents-remis.png') });
    } finally {
      await browser.close();
    }
    expect(readFileSync(join(SHOTS, 'evidence-documents-remis.png')).subarray(1, 4).toString()).toBe('PNG');
  }, 240_000);
});

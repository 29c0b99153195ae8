import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { calendarDayIn, canonicalJson, sha256Hex } from '@carepact/common';
import { PortalClient, TEST_PASSWORD, contractData, launchChromium, loginAgent, tutelleResident, waitUntil, countersignRequest } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { demoAnnexPdf } from '../../../apps/cli/src/seed/demo-annexes';
import { tempFile, tool } from '../../unit/paper/scan-fixtures';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const TODAY = calendarDayIn(new Date());
/** Where the pictures go. */
const SHOTS = process.env.DOCS_SCREENSHOTS ?? join(tmpdir(), 'handed-over');
const COMMENT = 'Elle voudrait garder son fauteuil et une chambre côté jardin.';
const TARIFF_LINE = 'Annexe tarifaire en vigueur au 1er janvier 2026';
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const visible = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

type Evidence = {
  annexes?: { files: { key: string }[]; tariffs?: { label: string; effectiveFrom: string | null; source: string; sha256: string; reproducedIn: string | null } };
  views: { person: string; expression: string; comment: string | null; at: string }[];
  fileReferencesWithheld?: string;
  viewCommentsWithheld?: string;
};

/**
 * The contrat de séjour lists, among the documents handed over with it (CASF L.311-4), the
 * « Annexe tarifaire en vigueur au … » beside the establishment's annex files: the portal and the
 * sealed evidence (JSON and PDF) list it too — no file, the establishment's tariffs of the version's
 * input, with the SHA-256 of their canonical JSON and the section of the contract that prints them.
 * The person's view recorded by her tuteur, with a comment: the director reads the comment in
 * evidence.json, the auditor (no `document.content`) does not, as in the request views, and is told
 * so. The real stack: api, worker, seal, Chromium, poppler.
 */
describe('the tariff annex handed over with the contract; the view comments in evidence.json by reader', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admissions: request.Agent;
  let director: request.Agent;
  let auditor: request.Agent;
  let contractId: string;
  let requestId: string;
  let signPageHtml = '';

  const evidenceAs = async (agent: request.Agent) => {
    const res = await agent.get(`/api/signature-requests/${requestId}/evidence.json`).expect(200);
    return { raw: res.text, json: JSON.parse(res.text) as Evidence };
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    const est = h.orgA.establishmentId;
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    await director
      .post(`/api/establishments/${est}/annex-files?${new URLSearchParams({ kind: 'livret-accueil-2026', versionLabel: 'Édition 2026', effectiveOn: '2026-01-01' }).toString()}`)
      .set('Content-Type', 'application/pdf')
      .send(await demoAnnexPdf('livret-accueil-2026', 'EHPAD A'))
      .expect(201);

    // Yvonne, under tutelle: her tuteur records her view (with a comment) and signs in person, the director countersigns.
    const residentId = (await admissions.post('/api/residents').send(tutelleResident(est)).expect(201)).body.id as string;
    contractId = (
      await admissions
        .post('/api/documents')
        .send({
          residentId,
          type: 'contrat-sejour',
          data: contractData({
            annexesHandedOverOn: TODAY,
            participation: { person: { presence: 'present' }, others: [{ name: 'Olivier Marchal', capacity: 'representant_legal', role: 'tuteur', roleFalc: 'votre tuteur', presence: 'present' }] },
            residenceChoice: { agrees: true, recordedOn: '2026-10-20' },
          }),
        })
        .expect(202)
    ).body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${contractId}`)).body.status === 'ready', 90_000);
    const created = (await admissions.post(`/api/documents/${contractId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' }).expect(201)).body as {
      id: string;
      signers: { id: string; role: string }[];
    };
    requestId = created.id;
    const tuteur = created.signers.find((s) => s.role === 'tuteur')!;
    const { url } = (await admissions.post(`/api/signature-requests/${requestId}/signers/${tuteur.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    await portal.get('/portail/document');
    await portal.get('/portail/avis');
    const viewKey = /name="viewKey" value="([^"]+)"/.exec(portal.lastHtml)![1];
    expect((await portal.post('/portail/avis', { viewKey, expression: 'accord_partiel', comment: COMMENT })).status).toBe(303);
    signPageHtml = await (await portal.get('/portail/signer')).text();
    const signed = await portal.sign({ consent: 'oui', typedName: 'Olivier Marchal' });
    expect({ status: signed.status, page: signed.status === 303 ? 'ok' : portal.lastHtml.slice(0, 1500) }).toEqual({ status: 303, page: 'ok' });
    expect((await countersignRequest(director, requestId)).status).toBe(200);
    await waitUntil('sealed', async () => (await director.get(`/api/signature-requests/${requestId}`)).body.status === 'completed', 90_000);
  }, 300_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('portal « Documents remis avec le contrat »: the livret to download and the tariff annex, written from the tariffs and printed in the contract (Chromium picture)', async () => {
    const section = /<section aria-labelledby="documents-remis">[\s\S]*?<\/section>/.exec(signPageHtml)?.[0] ?? '';
    const items = [...section.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => visible(m[1]).trim());
    expect(items).toEqual([
      // The label names the edition already: not read twice (annexFileNote).
      'Livret d’accueil, édition 2026 (PDF)',
      expect.stringMatching(/^Règlement de fonctionnement.*: l’établissement vous le remet sur papier\.$/),
      expect.stringMatching(/^Charte des droits et libertés.*: l’établissement vous le remet sur papier\.$/),
      ...items.slice(3, -1),
      `${TARIFF_LINE} : établie à partir des tarifs de l’établissement, reproduite dans le document que vous signez (partie « Participation financière et facturation »).`,
    ]);
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width: 900, height: 900 } })).newPage();
      await page.goto('/portail/lien-invalide');
      await page.setContent(signPageHtml, { waitUntil: 'load' });
      const shown = page.locator('section[aria-labelledby="documents-remis"]');
      expect(((await shown.textContent()) ?? '').replace(/\s+/g, ' ')).toContain(`${TARIFF_LINE} : établie à partir des tarifs de l’établissement`);
      await shown.screenshot({ path: join(SHOTS, 'portal-documents-remis.png') });
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('evidence (JSON and PDF): the tariff annex with the SHA-256 of the canonical tariffs the version recorded, and the contract prints them in the section named', async () => {
    const [version] = (await ds.query(`SELECT v.input FROM document_versions v JOIN documents d ON d.current_version_id = v.id WHERE d.id = $1`, [contractId])) as { input: { establishment: { tariffs: unknown } } }[];
    const { json } = await evidenceAs(director);
    expect(json.annexes?.tariffs).toEqual({
      label: TARIFF_LINE,
      effectiveFrom: '2026-01-01',
      source: 'establishment.tariffs',
      sha256: sha256Hex(canonicalJson(version.input.establishment.tariffs)),
      reproducedIn: 'Participation financière et facturation',
    });
    const pdf = (await director.get(`/api/signature-requests/${requestId}/signed.pdf`).buffer(true).parse(binary).expect(200)).body as Buffer;
    const file = tempFile('sealed.pdf', pdf);
    const pages = Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [file]).stdout)![1]);
    const pageText = (p: number) => tool('pdftotext', ['-f', String(p), '-l', String(p), '-layout', file, '-']).stdout.replace(/\s+/g, ' ');
    const texts = Array.from({ length: pages }, (_, i) => pageText(i + 1));
    // The contract itself: its section and table print the tariffs it lists as an annex.
    const all = texts.join(' ');
    expect(all).toContain('Participation financière et facturation');
    expect(all).toContain('Tarifs journaliers applicables au 1er janvier 2026');
    expect(all).toMatch(/Hébergement 72,50/);
    // The evidence page.
    const at = texts.findIndex((t) => t.includes(`${TARIFF_LINE} : établie à partir des tarifs de l’établissement (ce n’est pas un fichier déposé)`));
    expect(at).toBeGreaterThan(-1);
    expect(texts[at]).toContain('reproduite dans le document signé (partie « Participation financière et facturation ») ; empreinte SHA-256 des tarifs enregistrés avec la version (JSON canonique) :');
    expect(texts[at].replace(/ /g, '')).toContain(json.annexes!.tariffs!.sha256);
    const prefix = join(mkdtempSync(join(tmpdir(), 'carepact-tariff-annex-')), 'evidence');
    expect(tool('pdftoppm', ['-png', '-r', '80', '-f', String(at + 1), '-l', String(at + 1), '-singlefile', file, prefix]).status).toBe(0);
    copyFileSync(`${prefix}.png`, join(SHOTS, 'evidence-documents-remis-tarifs.png'));
    expect(readFileSync(join(SHOTS, 'evidence-documents-remis-tarifs.png')).subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);

  it('evidence.json: the director reads the comment of the person’s recorded view; the auditor reads the view without it, as in the request view, and is told so', async () => {
    const full = await evidenceAs(director);
    expect(full.json.views).toEqual([expect.objectContaining({ person: 'Yvonne Marchal', expression: 'accord_partiel', comment: COMMENT })]);
    expect(full.json.viewCommentsWithheld).toBeUndefined();

    const audited = await evidenceAs(auditor);
    expect(audited.raw).not.toContain('côté jardin');
    expect(audited.json.views).toEqual([{ ...full.json.views[0], comment: null }]);
    expect(audited.json.viewCommentsWithheld).toBe(
      'Copie du dossier de preuve sans les commentaires écrits avec les avis recueillis de la personne (l’avis lui-même, qui l’a recueilli et sa date restent), que votre rôle ne permet pas de consulter. Le dossier de preuve scellé, dont l’empreinte SHA-256 est enregistrée, les contient.',
    );
    // The same as the request view shows the auditor.
    const view = (await auditor.get(`/api/signature-requests/${requestId}`).expect(200)).body as { contentWithheld: boolean; views: { recorded: { comment: string | null } | null }[] };
    expect({ withheld: view.contentWithheld, comments: view.views.map((v) => v.recorded?.comment) }).toEqual({ withheld: true, comments: [null] });
    // Each download in the request's events, with what its reader was given.
    const details = (await ds.query(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'downloaded' AND details->>'variant' = 'evidence' ORDER BY at`, [requestId])) as {
      details: Record<string, unknown>;
    }[];
    expect(details.map((d) => d.details.viewCommentsWithheld === true)).toEqual([...details.slice(0, -1).map(() => false), true]);
  });
});

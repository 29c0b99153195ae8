import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { calendarDayIn, formatDateFr } from '@carepact/common';
import { PortalClient, TEST_PASSWORD, axeViolations, launchChromium, loginAgent, pageBasics, tutelleResident, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const DEMO = JSON.parse(readFileSync(join(__dirname, '../../../templates/demo/establishment-les-tilleuls.json'), 'utf8')) as { documents: Record<string, Record<string, unknown>> };
/** The demo's projet personnalisé, without the demo person it names: her tuteur signs, she may sign beside him (optional), the director last. */
const projet = (): Record<string, unknown> => {
  const { resident: _r, ...data } = DEMO.documents['projet-personnalise'];
  return data;
};
const day = (offset: number) => calendarDayIn(new Date(Date.now() + offset * 86_400_000));
/** Where the pages are left for a person to look at. */
const SHOTS = process.env.DEATH_SHOTS ?? join(tmpdir(), 'death-console-page');
const LINK = 'Déposer le papier signé avant le décès';

/** The text of the page's main, tags removed, as a reader sees it. */
const textOf = (html: string) =>
  (/<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/**
 * The console's document page after the person's death (C. civ. 443 al. 1, 1121), through the real
 * controller and services: a request kept for the director's countersignature shows her own optional
 * signature closed « Non signé — décès de la personne le … » (the `lapsed_at_death` event), without
 * a link, a code nor a session for her; a request her death cancelled leads whom may deposit a paper
 * to the form for the paper signed before the death — not the auditor, not a request cancelled by
 * staff for another reason.
 */
describe('console document page after the death', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admin: request.Agent;
  let admissions: request.Agent;
  let director: request.Agent;
  let auditor: request.Agent;
  const requestStatus = async (id: string) => ((await ds.query(`SELECT status FROM signature_requests WHERE id = $1`, [id])) as { status: string }[])[0].status;

  /** Her projet sent; `tuteurSigns`: her tuteur signs in person, her own optional signature and the director's pending. */
  const sent = async (lastName: string, tuteurSigns: boolean) => {
    const residentId = (await admissions.post('/api/residents').send({ ...tutelleResident(h.orgA.establishmentId), lastName }).expect(201)).body.id as string;
    const documentId = (await admissions.post('/api/documents').send({ residentId, type: 'projet-personnalise', data: projet() }).expect(202)).body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 90_000);
    const view = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({}).expect(201)).body as { id: string; signers: { id: string; role: string; optional: boolean }[] };
    const tuteur = view.signers.find((s) => s.role === 'tuteur')!;
    const self = view.signers.find((s) => s.role === 'resident')!;
    if (tuteurSigns) {
      const { url } = (await admissions.post(`/api/signature-requests/${view.id}/signers/${tuteur.id}/in-person`).expect(200)).body as { url: string };
      const portal = new PortalClient(base);
      await portal.open(base + new URL(url).pathname);
      expect((await portal.post('/portail/avis', { viewKey: 'resident', expression: 'accord', comment: '' })).status).toBe(303);
      expect((await portal.sign({ consent: 'oui', typedName: 'Olivier Marchal' })).status).toBe(303);
      await admissions.post(`/api/signature-requests/${view.id}/signers/${self.id}/in-person`).expect(200);
    }
    return { residentId, documentId, requestId: view.id, selfId: self.id };
  };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
  }, 120000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('kept at the death: her optional signature reads « Non signé — décès de la personne le … », no action for her; the countersignature is offered', async () => {
    const p = await sent('Gardee', true);
    await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: day(0), endReason: 'death' }).expect(200);
    expect(await requestStatus(p.requestId)).toBe('active');
    const route = `/console/documents/${p.documentId}/demandes/${p.requestId}`;
    for (const agent of [admissions, director]) {
      const html = (await agent.get(`/console/documents/${p.documentId}`).expect(200)).text;
      const text = textOf(html);
      expect(text).toContain(`Non signé — décès de la personne le ${formatDateFr(day(0))} : signature facultative, elle ne peut plus être donnée`);
      for (const action of ['renvoyer', 'code', 'en-presence']) expect(html).not.toContain(`${route}/signataires/${p.selfId}/${action}`);
    }
    const html = (await director.get(`/console/documents/${p.documentId}`).expect(200)).text;
    expect(html).toContain(`${route}/contresigner`);
    expect(textOf(html)).toContain('Les signatures requises sont là ; celle');
    expect(textOf(html)).not.toContain('Toutes les signatures sont là');
    await shoot(html, 'demande-maintenue-deces');
  }, 300_000);

  it('cancelled by the death: « Déposer le papier signé avant le décès » to its paper form, with the day; not for the auditor', async () => {
    const p = await sent('Annulee', false);
    const died = day(-1);
    await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: died, endReason: 'death' }).expect(200);
    expect(await requestStatus(p.requestId)).toBe('cancelled');
    const html = (await admissions.get(`/console/documents/${p.documentId}`).expect(200)).text;
    const path = `/console/documents/${p.documentId}/demandes/${p.requestId}/papier`;
    expect(html).toMatch(new RegExp(`<a href="${path}"[^>]*>\\s*${LINK}\\s*</a>`));
    expect(textOf(html)).toContain(`Un papier signé au plus tard le ${formatDateFr(died)}, jour du décès, peut encore être déposé`);
    // The link leads to the form, which asks the day the paper was signed.
    expect((await admissions.get(path).expect(200)).text).toContain('Date à laquelle le papier a été signé');
    await shoot(html, 'demande-annulee-deces');
    expect(textOf((await auditor.get(`/console/documents/${p.documentId}`).expect(200)).text)).not.toContain(LINK);
  }, 300_000);

  it('a request cancelled by staff before the death: no way to the paper', async () => {
    const p = await sent('Autre', false);
    await admissions.post(`/api/signature-requests/${p.requestId}/cancel`).send({ reason: 'Erreur de tarif' }).expect(200);
    await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: day(-1), endReason: 'death' }).expect(200);
    const html = (await admissions.get(`/console/documents/${p.documentId}`).expect(200)).text;
    expect(textOf(html)).not.toContain(LINK);
    expect(html).not.toContain(`/demandes/${p.requestId}/papier`);
  }, 300_000);

  /** The page at 1280 and 320 px wide, in SHOTS: no axe violation, one h1, French, nothing wider than 320 px. */
  async function shoot(html: string, name: string): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      for (const width of [1280, 320]) {
        const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width, height: width < 600 ? 1400 : 900 } })).newPage();
        // A page of the same origin first: the console's stylesheet (a same-origin path) then loads.
        await page.goto('/portail/lien-invalide');
        await page.setContent(html, { waitUntil: 'load' });
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
        expect(await axeViolations(page)).toEqual([]);
        expect(await pageBasics(page)).toMatchObject({ lang: 'fr', h1: 1, overflowX: false });
      }
    } finally {
      await browser.close();
    }
  }
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  TEST_PASSWORD,
  archiveResident,
  contractData,
  archivedResidentWithRefusedContract,
  launchChromium,
  loginAgent,
  residentWithContract,
  waitForReady,
  type ArchivedResidentWithRefusedContract,
  type ResidentWithContract,
} from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/** Where the pages of this spec are left for a person to look at (1280 and 320 px wide). */
const SHOTS = process.env.ARCHIVE_NEW_DOCUMENTS_SHOTS ?? join(tmpdir(), 'archive-new-documents');

/**
 * The intermediate archive (libs/documents intermediate-archive.ts) against new documents: an
 * administrator who opened a person's archive reads it (a dispute, her request), she does not
 * establish anything new in it. Every path that creates a document or a version — the replacement
 * DIPC after a refused contract, a new document of any type (an avenant included), a correction
 * (new version), their previews — answers 409 RESIDENT_ARCHIVED with a French message, by the API
 * and the console; the console offers none of them and says why in their place. A departed person
 * still in the active base may still have one (regularisation).
 */
describe('intermediate archive: no new document nor version, opening or not', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admin: request.Agent;
  let admissions: request.Agent;
  /** Her contract refused by her tuteur, then archived. */
  let refused: ArchivedResidentWithRefusedContract;
  /** Her contract ready, never sent. */
  let ready: ResidentWithContract;
  const REASON = 'Le tarif hébergement est contesté';
  const CONTRACT = contractData({ residenceChoice: { agrees: true, recordedOn: '2026-10-20' } });
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
  const count = async (sql: string, params: unknown[]) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const refusedArchived = (res: request.Response) => {
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'RESIDENT_ARCHIVED' });
    expect(res.body.error.message).toMatch(/a quitté l’établissement le 1er janvier 2020 .*archive intermédiaire depuis le 2 janvier 2022 : aucun nouveau document ni aucune nouvelle version/);
  };

  const shoot = async (html: string, name: string, selector?: string) => {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, `${name}.html`), html);
    const browser = await launchChromium();
    try {
      for (const width of [1280, 320]) {
        const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width, height: 900 } })).newPage();
        await page.goto('/connexion');
        await page.setContent(html, { waitUntil: 'load' });
        const path = join(SHOTS, `${name}-${width}.png`);
        if (selector) await page.locator(selector).first().screenshot({ path });
        else await page.screenshot({ path, fullPage: true });
      }
    } finally {
      await browser.close();
    }
  };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    refused = await archivedResidentWithRefusedContract({ ds, admin, admissions, establishmentId: h.orgA.establishmentId, base, reason: REASON, lastName: 'Refus' });
    ready = await residentWithContract(admissions, h.orgA.establishmentId, { lastName: 'Correction', ready: true });
    // The administrator opens both archives (a dispute): she reads them, she creates nothing in them.
    for (const id of [refused.residentId, ready.residentId]) {
      if (id === ready.residentId) {
        // Departed on 30 November 2026, within the 24-month active base until 2028: a correction is still possible (regularisation).
        await admin.put(`/api/residents/${id}/departure`).send({ departedOn: '2026-11-30' }).expect(200);
        await admissions.post(`/api/documents/${ready.documentId}/versions`).send({ data: CONTRACT, reason: 'Régularisation après le départ' }).expect(202);
        await waitForReady(admissions, ready.documentId);
        await archiveResident(ds, admin, id);
      }
      await admin.post(`/api/residents/${id}/archive-access`).send({ reason: 'Contentieux : courrier de l’avocat du 12/11/2026' }).expect(201);
    }
  }, 300000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('« Créer le DIPC » after the refused contract: the opening lets her read the offer, not create it (API and console, 409 RESIDENT_ARCHIVED)', async () => {
    const { requestId, documentId, residentId } = refused;
    // Consultation: the offer (the contract's content) is read with the opening.
    const offer = (await admin.get(`/api/signature-requests/${requestId}/dipc`).expect(200)).body as { residentId: string; type: string; data: Record<string, unknown> };
    // The request's view offers no next step.
    expect((await admin.get(`/api/signature-requests/${requestId}`).expect(200)).body).toMatchObject({ status: 'refused', contentWithheld: false, nextStep: null });
    refusedArchived(await admin.post(`/api/signature-requests/${requestId}/dipc`));
    // The same document by the generic route.
    refusedArchived(await admin.post('/api/documents').send({ residentId, type: 'dipc', data: offer.data }));
    // The console: a sentence in place of the button; the form, posted anyway, refused in French.
    const page = (await admin.get(`/console/documents/${documentId}`).expect(200)).text;
    expect(page).not.toContain('Créer le DIPC');
    expect(page).toContain(`id="demande-${requestId}-dipc-archive"`);
    expect(page).toMatch(/Pas de DIPC de remplacement : la personne a quitté l’établissement le 1er janvier 2020/);
    const posted = await admin.post(`/console/documents/${documentId}/demandes/${requestId}/dipc`).type('form').send({ _csrf: csrfOf(page) });
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('aucun nouveau document ni aucune nouvelle version');
    expect(await count(`SELECT count(*) AS n FROM documents WHERE resident_id = $1 AND type = 'dipc'`, [residentId])).toBe(0);
    await shoot(page, 'dipc-archived', `section[data-request-id="${requestId}"]`);
  });

  it('a new document of any type (an avenant too) and its preview: refused; the file offers « Nouveau document » no more, its page lists every type refused with the reason', async () => {
    const { residentId } = refused;
    for (const type of ['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise'])
      refusedArchived(await admin.post('/api/documents').send({ residentId, type, data: { objectives: ['Garder sa promenade'] } }));
    const file = (await admin.get(`/console/residents/${residentId}`).expect(200)).text;
    expect(file).not.toContain(`/console/residents/${residentId}/documents/nouveau`);
    expect(file).toContain('id="documents-archive"');
    const choose = await admin.get(`/console/residents/${residentId}/documents/nouveau`).expect(200);
    expect(choose.text).toContain('Aucun document ne peut être établi pour le moment.');
    expect(choose.text).toContain('aucun nouveau document ni aucune nouvelle version');
    expect(choose.text).not.toContain(`/documents/nouveau?type=`);
    // Nothing to act on (an expired measure's notice links to the measures): no link.
    expect(choose.text).not.toContain('Voir les mesures de protection');
    const dipcForm = await admin.get(`/console/residents/${residentId}/documents/nouveau?type=dipc`);
    expect(dipcForm.status).toBe(409);
    expect(dipcForm.text).toContain('archive intermédiaire');
    // The form posted anyway (a preview): refused in French.
    const preview = await admin.post(`/console/residents/${residentId}/documents/nouveau?type=contrat-sejour`).type('form').send({ _csrf: csrfOf(file), _action: 'preview' });
    expect(preview.status).toBe(409);
    expect(preview.text).toContain('aucun nouveau document ni aucune nouvelle version');
    expect(await count(`SELECT count(*) AS n FROM documents WHERE resident_id = $1`, [residentId])).toBe(1);
    await shoot(file, 'resident-file-archived');
    await shoot(choose.text, 'new-document-archived');
  });

  it('« Corriger » a ready document: no new version by the API or the console (409); the page says why in place of the button', async () => {
    const { documentId } = ready;
    const versions = await count(`SELECT count(*) AS n FROM document_versions WHERE document_id = $1`, [documentId]);
    expect(versions).toBe(2); // the regularisation, while she was still in the active base
    refusedArchived(await admin.post(`/api/documents/${documentId}/versions`).send({ data: CONTRACT, reason: 'Correction du tarif' }));
    const page = (await admin.get(`/console/documents/${documentId}`).expect(200)).text;
    expect(page).not.toContain(`/console/documents/${documentId}/corriger`);
    expect(page).toContain('id="versions-archive"');
    const form = await admin.get(`/console/documents/${documentId}/corriger`);
    expect(form.status).toBe(409);
    expect(form.text).toContain('aucun nouveau document ni aucune nouvelle version');
    const posted = await admin.post(`/console/documents/${documentId}/corriger`).type('form').send({ _csrf: csrfOf(page), _action: 'preview', _raisonVersion: 'Correction du tarif' });
    expect(posted.status).toBe(409);
    expect(await count(`SELECT count(*) AS n FROM document_versions WHERE document_id = $1`, [documentId])).toBe(versions);
    await shoot(page, 'versions-archived', '#versions-archive');
    await shoot(page, 'document-ready-archived');
  });
});

import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { calendarDayIn } from '@carepact/common';
import { PortalClient, TEST_PASSWORD, contractData, launchChromium, libertyAnnexData, loginAgent, tutelleResident, waitUntil, countersignRequest } from '@carepact/testing';
import { TemplateLoader } from '@carepact/templates';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { tempFile, tool } from '../../unit/paper/scan-fixtures';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const TODAY = calendarDayIn(new Date());
/** Where the pictures go: `DOCS_SCREENSHOTS=…` elsewhere; /tmp otherwise. */
const SHOTS = process.env.DOCS_SCREENSHOTS ?? join(tmpdir(), 'carepact-liberte');

/** Document data as the console's form posts it: `a.b[0].c` → value (nulls left out). */
function formFields(data: unknown, path = '', out: Record<string, string> = {}): Record<string, string> {
  if (data === null || data === undefined) return out;
  if (Array.isArray(data)) data.forEach((v, i) => formFields(v, `${path}[${i}]`, out));
  else if (typeof data === 'object') for (const [k, v] of Object.entries(data)) formFields(v, path ? `${path}.${k}` : k, out);
  else out[path] = String(data);
  return out;
}
/** The error summary's links: [field id, what the link says before « : »]. */
const summary = (html: string) => [...(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '').matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2].split(' : ')[0]]);
const visibleText = (html: string) => html.replace(/<[^>]+>/g, ' ');
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/**
 * The annex to the contrat de séjour on the freedom to come and go (avenant 1.5.0, purpose
 * « liberte-aller-venir », CASF L.311-4-1 I) through the API, the worker and the portal, for a
 * person under tutelle in an EHPAD: refused while the contract is not signed; generated in its 9
 * renditions once it is; signed by the signers of the contract, the tuteur (who records her view)
 * and the director; refused with its code when the next review is too far or the establishment is
 * not a home for older people.
 */
describe('annex on the freedom to come and go, through the API (EHPAD, tutelle)', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admissions: request.Agent;
  let director: request.Agent;
  let residentId: string;
  let contractId: string;

  const ready = (documentId: string) => waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 90_000);
  /** Sends the document for signature; the tuteur signs in person after recording her view, the director countersigns; the request, completed. */
  const signedByTuteurAndDirector = async (documentId: string) => {
    const created = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' }).expect(201)).body as {
      id: string;
      signers: { id: string; role: string }[];
    };
    const tuteur = created.signers.find((s) => s.role === 'tuteur')!;
    const { url } = (await admissions.post(`/api/signature-requests/${created.id}/signers/${tuteur.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    await portal.get('/portail/document');
    await portal.get('/portail/avis');
    const viewKey = /name="viewKey" value="([^"]+)"/.exec(portal.lastHtml)![1];
    expect((await portal.post('/portail/avis', { viewKey, expression: 'accord', comment: '' })).status).toBe(303);
    const signed = await portal.sign({ consent: 'oui', typedName: 'Olivier Marchal' });
    expect({ status: signed.status, page: signed.status === 303 ? 'ok' : portal.lastHtml.slice(0, 1500) }).toEqual({ status: 303, page: 'ok' });
    expect((await countersignRequest(director, created.id)).status).toBe(200);
    await waitUntil('sealed', async () => (await director.get(`/api/signature-requests/${created.id}`)).body.status === 'completed', 90_000);
    return created;
  };
  const detailsOf = (res: request.Response) => (res.body.error?.details ?? []) as { field: string; code: string; message: string }[];

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    residentId = (await admissions.post('/api/residents').send(tutelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    contractId = (
      await admissions
        .post('/api/documents')
        .send({
          residentId,
          type: 'contrat-sejour',
          data: contractData({
            participation: { person: { presence: 'present' }, others: [{ name: 'Olivier Marchal', capacity: 'representant_legal', role: 'tuteur', roleFalc: 'votre tuteur', presence: 'present' }] },
            residenceChoice: { agrees: true, recordedOn: '2026-10-20' },
          }),
        })
        .expect(202)
    ).body.id as string;
    await ready(contractId);
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('refused while the contract is not signed (an annex completes a concluded contract, CASF L.311-4, L.311-4-1 I)', async () => {
    const res = await admissions.post('/api/documents').send({ residentId, type: 'avenant', data: libertyAnnexData(TODAY, TODAY) });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'AVENANT_WITHOUT_SIGNED_CONTRACT' });
  });

  it('once the contract is signed: generated by the latest avenant template (1.5.0 on) in its 9 renditions; the tuteur (tutelle of the person and the property) and the director sign it', async () => {
    const contractRequest = await signedByTuteurAndDirector(contractId);
    expect(contractRequest.signers.map((s) => s.role)).toEqual(['tuteur', 'director']);

    const created = await admissions.post('/api/documents').send({ residentId, type: 'avenant', data: libertyAnnexData(TODAY, TODAY) });
    expect({ status: created.status, body: created.status === 202 ? 'ok' : created.body }).toEqual({ status: 202, body: 'ok' });
    const annexId = created.body.id as string;
    await ready(annexId);
    const doc = (await admissions.get(`/api/documents/${annexId}`).expect(200)).body as { type: string; versions: { id: string; renditions: { format: string; variant: string }[] }[] };
    expect(doc.type).toBe('avenant');
    const [version] = doc.versions;
    expect(version.renditions).toHaveLength(9);
    expect(new Set(version.renditions.map((r) => `${r.format}/${r.variant}`))).toEqual(
      new Set(['pdf', 'docx', 'html'].flatMap((f) => ['standard', 'falc', 'large-print'].map((v) => `${f}/${v}`))),
    );
    const [row] = (await ds.query(`SELECT template_id, template_version, input #>> '{document,purpose}' AS purpose FROM document_versions WHERE document_id = $1`, [annexId])) as Record<string, string>[];
    expect(row).toEqual({ template_id: 'avenant', template_version: new TemplateLoader().load('avenant').content.version, purpose: 'liberte-aller-venir' });
    expect(row.template_version.localeCompare('1.5.0', undefined, { numeric: true })).toBeGreaterThanOrEqual(0);

    // What the person and her tuteur read: the annex's clauses, with their legal basis.
    const pdfOf = async (variant: string) => {
      const bytes = (await admissions.get(`/api/documents/${annexId}/versions/${version.id}/renditions/pdf/${variant}`).buffer(true).parse(binary).expect(200)).body as Buffer;
      return tool('pdftotext', [tempFile(`annexe-${variant}.pdf`, bytes), '-']).stdout.replace(/\s+/g, ' ');
    };
    const standard = await pdfOf('standard');
    expect(standard).toContain('Annexe au contrat de séjour — mesures particulières pour la sécurité et la liberté d’aller et venir');
    expect(standard).toContain('article L.311-4-1 du code de l’action sociale et des familles');
    expect(standard).toContain('Pourquoi elle n’est pas disproportionnée');
    expect(await pdfOf('falc')).toContain('Aller et venir en sécurité');

    const annexRequest = await signedByTuteurAndDirector(annexId);
    expect(annexRequest.signers.map((s) => s.role)).toEqual(['tuteur', 'director']);
    // The policy read the annex's purpose from the version: a decision relating to the person (C. civ. 459), not a residence one (459-2).
    const [{ policy }] = (await ds.query(`SELECT policy FROM signature_requests WHERE id = $1`, [annexRequest.id])) as { policy: { explanation: string; views: { legalBasis: string }[] } }[];
    expect(policy.explanation).toContain('une mesure qui porte gravement atteinte à l’intimité de sa vie privée demande l’autorisation du juge (C. civ. 459 al. 3)');
    expect(policy.views.map((v) => v.legalBasis)).toEqual(['C. civ. 457-1, 459 al. 2 ; CASF L.311-4-1 I']);
    expect((await admissions.get(`/api/documents/${annexId}`).expect(200)).body.status).toBe('signed');
  }, 300_000);

  it('a next review more than six months after the collegial procedure is refused with LIBERTY_REVIEW_TOO_LATE; nothing is written', async () => {
    const before = (await ds.query(`SELECT count(*)::int AS n FROM documents WHERE resident_id = $1`, [residentId]))[0].n as number;
    const tooLate = libertyAnnexData(TODAY, TODAY);
    const [y, m, d] = TODAY.split('-').map(Number);
    tooLate.nextReview = new Date(Date.UTC(y, m - 1 + 7, Math.min(d, 28))).toISOString().slice(0, 10);
    const res = await admissions.post('/api/documents').send({ residentId, type: 'avenant', data: tooLate });
    expect(res.status).toBe(400);
    expect(detailsOf(res)).toEqual([expect.objectContaining({ field: 'data.nextReview', code: 'LIBERTY_REVIEW_TOO_LATE', message: expect.stringContaining('six mois') })]);
    expect((await ds.query(`SELECT count(*)::int AS n FROM documents WHERE resident_id = $1`, [residentId]))[0].n).toBe(before);
  });

  it('console « Nouveau document » (avenant): the purpose offered in French; chosen, one refusal names every field of the annex by its French label; filled, the preview', async () => {
    const url = `/console/residents/${residentId}/documents/nouveau?type=avenant`;
    const page = (await admissions.get(url).expect(200)).text;
    // Prefilled from the resident's latest avenant (the annex just signed): its purpose chosen.
    expect(page).toContain('<option value="liberte-aller-venir" selected>annexe au contrat de séjour : sécurité et liberté d’aller et venir (CASF L.311-4-1)</option>');
    expect(page).toContain('Sécurité et liberté d’aller et venir (annexe au contrat de séjour seulement)');
    // That purpose chosen, the annex's fields are required now, each beside its French label.
    expect(page).toContain('<label for="nextReview">Prochaine révision<span class="required"> (obligatoire)</span></label>');
    expect(page).toContain('<label for="libertyAnnex-examination-on">Date de l’examen<span class="required"> (obligatoire)</span></label>');
    expect(page).toContain('<legend>Mesures particulières<span class="required"> (obligatoire)</span></legend>');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const post = (fields: Record<string, string>) => admissions.post(url).type('form').send({ _csrf: csrf, _action: 'preview', ...fields });
    const data = libertyAnnexData(TODAY, TODAY);
    const { libertyAnnex: _a, issuedOn: _i, nextReview: _n, ...head } = data;

    const refused = await post(formFields(head));
    expect(refused.status).toBe(400);
    const listed = summary(refused.text);
    expect(listed).toEqual(
      expect.arrayContaining([
        ['issuedOn', 'Date d’établissement du document'],
        ['nextReview', 'Prochaine révision'],
        ['libertyAnnex-examination-on', 'Annexe sur la sécurité et la liberté d’aller et venir › Examen de la personne › Date de l’examen'],
        ['libertyAnnex-collegialProcedure-initiatedBy', 'Annexe sur la sécurité et la liberté d’aller et venir › Procédure collégiale › Engagée à l’initiative du'],
        ['libertyAnnex-residentOpinion-expression', 'Annexe sur la sécurité et la liberté d’aller et venir › Avis de la personne › Son avis sur les mesures'],
        ['libertyAnnex-measures', 'Annexe sur la sécurité et la liberté d’aller et venir › Mesures particulières'],
      ]),
    );
    for (const [id] of listed) expect(refused.text).toContain(`id="${id}-erreur"`);
    expect(visibleText(refused.text)).not.toMatch(/libertyAnnex|collegialProcedure|residentOpinion|« (on|by|measures) »/);

    const preview = await post(formFields(data));
    expect({ status: preview.status, summary: summary(preview.text) }).toEqual({ status: 200, summary: [] });
    expect(preview.text).toContain('Aperçu avant génération');
    expect(preview.text).toContain('Annexe au contrat de séjour — mesures particulières pour la sécurité et la liberté d’aller et venir');

    // A review too far: refused beside its field, with the rule.
    const [y, m, d] = TODAY.split('-').map(Number);
    const tooLate = await post(formFields({ ...data, nextReview: new Date(Date.UTC(y, m - 1 + 7, Math.min(d, 28))).toISOString().slice(0, 10) }));
    expect(summary(tooLate.text)).toEqual([['nextReview', 'Prochaine révision']]);
    expect(tooLate.text).toMatch(/<p class="field-error" id="nextReview-erreur">L’établissement réévalue cette annexe au plus tard six mois après la procédure collégiale \(règle de l’établissement ; CASF L\.311-4-1 I : révisable à tout moment\)/);
  });

  it('docs: the form’s annex step, refused then previewed, in Chromium (pictures in /tmp)', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width: 1100, height: 900 } })).newPage();
      await page.goto('/connexion');
      await page.getByLabel('Adresse e-mail').fill(h.orgA.users.admissions.email);
      await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Se connecter' }).click()]);
      const url = `/console/residents/${residentId}/documents/nouveau?type=avenant`;
      await page.goto(url);
      await page.locator('#etape-liberte-titre').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'annexe-formulaire.png') });
      // What the form posts (as the browser does, without JavaScript): the head only, then everything.
      const submit = async (data: Record<string, unknown>) => {
        const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
        await Promise.all([
          page.waitForNavigation(),
          page.evaluate(
            ({ action, f }) => {
              const form = document.createElement('form');
              form.method = 'post';
              form.action = action;
              for (const [name, value] of Object.entries(f)) {
                const input = document.createElement('input');
                input.type = 'hidden';
                input.name = name;
                input.value = value;
                form.append(input);
              }
              document.body.append(form);
              form.submit();
            },
            { action: url, f: { _csrf: csrf, _action: 'preview', ...formFields(data) } },
          ),
        ]);
      };
      const { libertyAnnex: _a, issuedOn: _i, nextReview: _n, ...head } = libertyAnnexData(TODAY, TODAY);
      await submit(head);
      expect(await page.locator('.error-summary').innerText()).toContain('Examen de la personne');
      await page.locator('.error-summary').screenshot({ path: join(SHOTS, 'annexe-formulaire-refus.png') });
      await page.locator('#libertyAnnex-measures').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'annexe-formulaire-etape.png') });
      await submit(libertyAnnexData(TODAY, TODAY));
      expect(await page.locator('body').innerText()).toContain('Aperçu avant génération');
      await page.screenshot({ path: join(SHOTS, 'annexe-apercu.png') });
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('refused outside a home for older people (a FAM): LIBERTY_ANNEX_NOT_ELDERLY_CARE on the purpose', async () => {
    await director.patch(`/api/establishments/${h.orgA.establishmentId}`).send({ category: 'FAM' }).expect(200);
    try {
      const res = await admissions.post('/api/documents').send({ residentId, type: 'avenant', data: libertyAnnexData(TODAY, TODAY) });
      expect(res.status).toBe(400);
      expect(detailsOf(res)).toEqual([expect.objectContaining({ field: 'data.purpose', code: 'LIBERTY_ANNEX_NOT_ELDERLY_CARE', message: expect.stringContaining('L.311-4-1') })]);
    } finally {
      await director.patch(`/api/establishments/${h.orgA.establishmentId}`).send({ category: 'EHPAD' }).expect(200);
    }
  });
});

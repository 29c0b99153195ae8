import { formatDateFr } from '@carepact/common';
import { DocumentsService } from '@carepact/documents';
import { AuthService, StaffActor } from '@carepact/identity';
import { todayIso } from '@carepact/residents';
import { WorklistService, addDaysIso } from '@carepact/signing';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { DataSource } from 'typeorm';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * After the person's death nothing new is established nor sent for her (409 RESIDENT_DECEASED, C. civ.
 * 443 al. 1, resident-deceased.ts), the minutes of a meeting held on or before the death excepted.
 * Two dead ends found after session 20: POST /api/documents/:id/retry-generation rendered a deceased
 * person's failed draft again (a new rendering of a document for her), and « À faire » still listed her
 * drafts as a generation to retry or a visa to give. Here: the retry is refused as her draft's new
 * version is (the same rule, the same message; the minutes of a meeting before the death still retried),
 * GET /api/documents says so beforehand (`retryable`), the console page offers « Abandonner ce projet »
 * instead and a direct POST gets its 409 page; « À faire » lists each such draft once, to abandon, and
 * no more once abandoned (the page cache follows the audited discard). Documents written in SQL.
 */
describe('a deceased person’s failed generations and drafts: no retry, nothing to send in « À faire »', () => {
  let h: ApiHarness;
  const sql = (text: string, params: unknown[] = []) => h.app.get(DataSource).query(text, params) as Promise<Record<string, string>[]>;
  const agent = (role: 'admissions' | 'administrator' | 'director') => loginAgent(h.app, h.orgA.users[role].email, TEST_PASSWORD);
  const actorOf = async (role: 'admissions' | 'director'): Promise<StaffActor> => {
    const auth = h.app.get(AuthService);
    return (await auth.authenticate((await auth.login(h.orgA.users[role].email, TEST_PASSWORD, '127.0.0.1')).token))!;
  };
  const resident = async (lastName: string) => {
    const res = await (await agent('admissions')).post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), firstName: 'Odette', lastName, email: null });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  /** A document of `type` in `status` (a failed one: its version pending, retries exhausted), its version's data `data`. */
  const document = async (residentId: string, type: string, status: string, data: Record<string, unknown> = {}) => {
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, residentId, type, status],
    );
    const failed = status === 'generation_failed';
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, error_code, created_at)
       VALUES ($1, $2, 1, 'Création', $3, $4, '1.0.0', 'h', 'r', $5, $6, $7, now()) RETURNING id`,
      [h.orgA.organisationId, doc.id, failed ? 'pending' : 'ready', type, JSON.stringify({ document: data }), `hash-${doc.id}`, failed ? 'GENERATION_RETRIES_EXHAUSTED' : null],
    );
    await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, v.id]);
    return doc.id;
  };
  const status = async (id: string) => (await sql(`SELECT status FROM documents WHERE id = $1`, [id]))[0].status;
  const retried = async (id: string) => (await sql(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'document.generation_retried'`, [id]))[0].n;
  const renderJobs = async (id: string) =>
    (await sql(`SELECT count(*)::int AS n FROM outbox o JOIN documents d ON d.current_version_id::text = o.payload->>'versionId' WHERE d.id = $1`, [id]))[0].n;
  const items = async (category: string) =>
    (await h.app.get(WorklistService).forActor(await actorOf('director'))).establishments
      .flatMap((e) => e.sections.filter((s) => s.category === category).flatMap((s) => s.items))
      .map((i) => i.documentId);
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

  const died = addDaysIso(todayIso(), -3);
  const diedFr = formatDateFr(died);
  const refusal = `La personne est décédée le ${diedFr} : aucun nouveau document ni aucune nouvelle version ne peut être établi pour elle (le pouvoir de ceux qui la représentaient a pris fin avec elle : mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur).`;
  let odette: string;
  let failedProjet: string;
  let readyProjet: string;
  let failedMinutesBefore: string;
  let failedMinutesAfter: string;
  let readyMinutesBefore: string;
  let livingFailed: string;

  beforeAll(async () => {
    h = await startApiHarness();
    // The projet and the minutes wait for the coordinator's visa (the director may give it too).
    for (const type of ['projet-personnalise', 'compte-rendu-synthese'])
      expect((await (await agent('director')).put(`/api/establishments/${h.orgA.establishmentId}/visa-rules/${type}`).send({ approverRole: 'coordinator' })).status).toBe(200);
    odette = await resident('Deces');
    failedProjet = await document(odette, 'projet-personnalise', 'generation_failed');
    readyProjet = await document(odette, 'projet-personnalise', 'ready');
    failedMinutesBefore = await document(odette, 'compte-rendu-synthese', 'generation_failed', { date: addDaysIso(died, -2) });
    failedMinutesAfter = await document(odette, 'compte-rendu-synthese', 'generation_failed', { date: addDaysIso(died, 1) });
    readyMinutesBefore = await document(odette, 'compte-rendu-synthese', 'ready', { date: addDaysIso(died, -1) });
    await (await agent('administrator')).put(`/api/residents/${odette}/departure`).send({ departedOn: died, endReason: 'death' }).expect(200);
    livingFailed = await document(await resident('Vivante'), 'projet-personnalise', 'generation_failed');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('« À faire »: a deceased person’s drafts are neither visas to give nor generations to retry, but each a draft to abandon; the minutes of a meeting before the death stay what they were', async () => {
    const failed = await items('generation_failed');
    expect(failed).toEqual(expect.arrayContaining([livingFailed, failedMinutesBefore]));
    expect(failed).not.toContain(failedProjet);
    expect(failed).not.toContain(failedMinutesAfter);
    const visas = await items('visa_due');
    expect(visas).toContain(readyMinutesBefore);
    expect(visas).not.toContain(readyProjet);
    expect((await items('deceased_draft')).sort()).toEqual([failedProjet, readyProjet, failedMinutesAfter].sort());

    const home = (await (await agent('director')).get('/console').expect(200)).text;
    expect(home).toContain('Projets d’une personne décédée, à abandonner');
    expect(home).toContain(`href="/console/documents/${readyProjet}"`);
    expect(home).not.toMatch(new RegExp(`href="/console/documents/${readyProjet}">[^<]*visa demandé`));
  });

  it('POST /api/documents/:id/retry-generation: 409 RESIDENT_DECEASED with the message of her new version, nothing changed; the minutes of a meeting before the death are retried; GET /api/documents says it beforehand', async () => {
    const admissions = await agent('admissions');
    const list = (await admissions.get(`/api/documents?residentId=${odette}`).expect(200)).body as { id: string; generationError: { retryable: boolean; message: string } | null }[];
    const of = (id: string) => list.find((d) => d.id === id)!.generationError!;
    expect(of(failedProjet)).toMatchObject({ retryable: false, message: expect.stringContaining(`elle ne peut plus être relancée, la personne étant décédée le ${diedFr}`) });
    expect(of(failedMinutesAfter).retryable).toBe(false);
    expect(of(failedMinutesBefore).retryable).toBe(true);
    expect((await admissions.get(`/api/documents/${failedProjet}`).expect(200)).body.generationError.retryable).toBe(false);

    const res = await admissions.post(`/api/documents/${failedProjet}/retry-generation`);
    expect({ status: res.status, code: res.body.error?.code, message: res.body.error?.message }).toEqual({ status: 409, code: 'RESIDENT_DECEASED', message: refusal });
    expect([await status(failedProjet), await retried(failedProjet), await renderJobs(failedProjet)]).toEqual(['generation_failed', 0, 0]);
    // The same words as « Corriger » gets (deceasedRefusals, addVersion).
    expect((await h.app.get(DocumentsService).deceasedRefusals(await actorOf('admissions'), failedProjet))?.newVersion).toBe(refusal);
    const after = await admissions.post(`/api/documents/${failedMinutesAfter}/retry-generation`);
    expect({ status: after.status, code: after.body.error?.code }).toEqual({ status: 409, code: 'RESIDENT_DECEASED' });
    expect(after.body.error.message).toBe((await h.app.get(DocumentsService).deceasedRefusals(await actorOf('admissions'), failedMinutesAfter))?.newVersion);

    // The minutes of a meeting before the death: its page still offers the retry.
    expect((await admissions.get(`/console/documents/${failedMinutesBefore}`).expect(200)).text).toContain(`action="/console/documents/${failedMinutesBefore}/relancer"`);
    const before = await admissions.post(`/api/documents/${failedMinutesBefore}/retry-generation`);
    expect({ status: before.status, body: before.body }).toEqual({ status: 202, body: { id: failedMinutesBefore, versionId: expect.any(String), status: 'generating' } });
    expect([await retried(failedMinutesBefore), await renderJobs(failedMinutesBefore)]).toEqual([1, 1]);
    expect((await admissions.post(`/api/documents/${livingFailed}/retry-generation`)).status).toBe(202);
  });

  it('the console page offers « Abandonner ce projet », not « Relancer la génération »; a direct POST …/relancer gets the 409 page, nothing changed', async () => {
    const admissions = await agent('admissions');
    const page = (await admissions.get(`/console/documents/${failedProjet}`).expect(200)).text;
    expect(page).not.toContain(`action="/console/documents/${failedProjet}/relancer"`);
    expect(page).not.toContain('Relancer la génération');
    expect(page).toContain(`href="/console/documents/${failedProjet}/abandonner"`);
    expect(page).toContain('Sa génération ne peut plus être relancée, ni ce projet corrigé ou envoyé en signature');
    const res = await admissions.post(`/console/documents/${failedProjet}/relancer`).type('form').send({ _csrf: csrfOf(page) });
    expect(res.status).toBe(409);
    expect(res.text).toContain(`La personne est décédée le ${diedFr} : aucun nouveau document ni aucune nouvelle version ne peut être établi pour elle`);
    expect([await status(failedProjet), await retried(failedProjet)]).toEqual(['generation_failed', 0]);
  });

  it('abandoned, a draft leaves « À faire » at once (the cached page follows the audited discard)', async () => {
    const director = await agent('director');
    expect((await director.get('/console').expect(200)).text).toContain(`href="/console/documents/${readyProjet}"`);
    expect((await (await agent('admissions')).post(`/api/documents/${readyProjet}/discard`)).status).toBe(200);
    const home = (await director.get('/console').expect(200)).text;
    expect(home).not.toContain(`href="/console/documents/${readyProjet}"`);
    expect(home).toContain(`href="/console/documents/${failedProjet}"`);
  });
});

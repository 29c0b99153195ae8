import { DocumentsService } from '@carepact/documents';
import { AuthService, StaffActor } from '@carepact/identity';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * After the person's death nothing new is established nor sent for her (409 RESIDENT_DECEASED, C. civ.
 * 443 al. 1), but the minutes of a meeting held on or before the death (resident-deceased.ts). The
 * outside review of session 20 found a dead end: the file's « Nouveau document » listed every type as
 * possible, the document page offered « Corriger » (the correction form opened, only its submit got
 * 409), and a draft never sent stayed « prêt » for ever (its discard: 409 CONTRACT_NOT_SUPERSEDED).
 * Here: the chooser lists only the minutes, the correction form's address is refused before it opens,
 * any never-sent draft of a deceased person may be abandoned (audited `document.discarded`), after a
 * confirmation page; GET …/abandonner once abandoned goes back to the document, whose page says who
 * abandoned it and when. Documents written in SQL (the db tier has no worker), as in the worklist fixtures.
 */
describe('a deceased person’s drafts: what may still be made, and abandoning the rest', () => {
  let h: ApiHarness;
  const sql = (text: string, params: unknown[] = []) => h.app.get(DataSource).query(text, params) as Promise<Record<string, string>[]>;
  const agent = (role: 'admissions' | 'administrator' | 'auditor') => loginAgent(h.app, h.orgA.users[role].email, TEST_PASSWORD);
  const actorOf = async (role: 'admissions'): Promise<StaffActor> => {
    const auth = h.app.get(AuthService);
    return (await auth.authenticate((await auth.login(h.orgA.users[role].email, TEST_PASSWORD, '127.0.0.1')).token))!;
  };
  const resident = async (lastName: string) => {
    const res = await (await agent('admissions')).post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), firstName: 'Odette', lastName, email: null });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  /** A document of `type` in `status`, its version's data `data`. */
  const document = async (residentId: string, type: string, status: string, data: Record<string, unknown> = {}) => {
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, residentId, type, status],
    );
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', $3, $4, '1.0.0', 'h', 'r', $5, $6, now()) RETURNING id`,
      [h.orgA.organisationId, doc.id, status === 'generation_failed' ? 'pending' : 'ready', type, JSON.stringify({ document: data }), `hash-${doc.id}`],
    );
    await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, v.id]);
    return doc.id;
  };
  const status = async (id: string) => (await sql(`SELECT status FROM documents WHERE id = $1`, [id]))[0].status;
  const discarded = async (id: string) => sql(`SELECT actor_type, actor_id, payload FROM audit_events WHERE subject_id = $1 AND action = 'document.discarded'`, [id]);
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

  let odette: string;
  let projet: string;
  let failedContract: string;
  let minutes: string;
  let living: string;
  let livingDraft: string;

  beforeAll(async () => {
    h = await startApiHarness();
    odette = await resident('Deces');
    projet = await document(odette, 'projet-personnalise', 'ready');
    failedContract = await document(odette, 'contrat-sejour', 'generation_failed');
    minutes = await document(odette, 'compte-rendu-synthese', 'ready', { date: '2026-11-20' });
    await (await agent('administrator')).put(`/api/residents/${odette}/departure`).send({ departedOn: '2026-11-30', endReason: 'death' }).expect(200);
    living = await resident('Vivante');
    livingDraft = await document(living, 'projet-personnalise', 'ready');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('« Nouveau document » after the death: only the minutes (of a meeting held on or before it) are possible; every other type says why (RESIDENT_DECEASED)', async () => {
    const types = await h.app.get(DocumentsService).typesFor(await actorOf('admissions'), odette);
    expect(types.filter((t) => t.allowed).map((t) => t.type)).toEqual(['compte-rendu-synthese']);
    for (const t of types.filter((x) => !x.allowed)) {
      expect(t.code).toBe('RESIDENT_DECEASED');
      expect(t.reason).toContain('La personne est décédée le 30 novembre 2026');
    }
    const page = await (await agent('admissions')).get(`/console/residents/${odette}/documents/nouveau`).expect(200);
    expect(page.text).toContain(`href="/console/residents/${odette}/documents/nouveau?type=compte-rendu-synthese"`);
    expect(page.text).not.toContain(`documents/nouveau?type=projet-personnalise"`);
    expect(page.text).not.toContain(`documents/nouveau?type=contrat-sejour"`);
    // A living person's chooser is unchanged.
    expect((await h.app.get(DocumentsService).typesFor(await actorOf('admissions'), living)).find((t) => t.type === 'projet-personnalise')?.allowed).toBe(true);
  });

  it('the correction form’s address is refused before it opens (409 RESIDENT_DECEASED), as for CONTRACT_ALREADY_IN_FORCE; the page offers no « Corriger » and says why', async () => {
    const admissions = await agent('admissions');
    const form = await admissions.get(`/console/documents/${projet}/corriger`);
    expect(form.status).toBe(409);
    expect(form.text).toContain('La personne est décédée le 30 novembre 2026');
    expect(form.text).not.toContain('name="_action"');
    const page = await admissions.get(`/console/documents/${projet}`).expect(200);
    expect(page.text).not.toContain(`/console/documents/${projet}/corriger`);
    expect(page.text).not.toContain('Prêt à envoyer en signature');
    expect(page.text).toContain('Prêt, non envoyé en signature : la personne est décédée le 30 novembre 2026');
    expect(page.text).toContain(`href="/console/documents/${projet}/abandonner"`);
    // The minutes of a meeting before the death may still be corrected.
    expect((await admissions.get(`/console/documents/${minutes}`).expect(200)).text).toContain(`/console/documents/${minutes}/corriger`);
  });

  it('POST /api/documents/:id/discard: any never-sent draft of a deceased person, any type, audited with the day of the death; a living person’s draft still 409 CONTRACT_NOT_SUPERSEDED', async () => {
    const admissions = await agent('admissions');
    const alive = await admissions.post(`/api/documents/${livingDraft}/discard`);
    expect({ status: alive.status, code: alive.body.error?.code }).toEqual({ status: 409, code: 'CONTRACT_NOT_SUPERSEDED' });
    expect(await status(livingDraft)).toBe('ready');
    expect((await (await agent('auditor')).post(`/api/documents/${failedContract}/discard`)).status).toBe(403);

    const res = await admissions.post(`/api/documents/${failedContract}/discard`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { id: failedContract, status: 'cancelled', contractInForceId: null, deceasedOn: '2026-11-30' } });
    expect(await status(failedContract)).toBe('cancelled');
    expect(await discarded(failedContract)).toEqual([
      {
        actor_type: 'staff',
        actor_id: h.orgA.users.admissions.id,
        payload: { previousStatus: 'generation_failed', versionId: expect.any(String), contractInForceId: null, deceasedOn: '2026-11-30', reason: expect.stringContaining('décédée le 30 novembre 2026') },
      },
    ]);
    // Once.
    expect((await admissions.post(`/api/documents/${failedContract}/discard`)).body.error.code).toBe('DOCUMENT_NOT_A_DRAFT');
  });

  it('« Abandonner ce projet » in the console: a confirmation page first; the POST without it changes nothing; confirmed, the message at the top; GET …/abandonner afterwards goes back to the page, which says who and when', async () => {
    const admissions = await agent('admissions');
    const confirm = await admissions.get(`/console/documents/${projet}/abandonner`).expect(200);
    expect(confirm.text).toContain('Confirmer l’abandon du projet');
    expect(confirm.text).toContain('la personne est décédée le 30 novembre 2026');
    const csrf = csrfOf(confirm.text);

    const unconfirmed = await admissions.post(`/console/documents/${projet}/abandonner`).type('form').send({ _csrf: csrf });
    expect(unconfirmed.status).toBe(400);
    expect([await status(projet), (await discarded(projet)).length]).toEqual(['ready', 0]);

    const done = await admissions.post(`/console/documents/${projet}/abandonner`).type('form').send({ _csrf: csrf, confirm: 'oui' });
    expect(done.status).toBe(303);
    // To the message itself, at the top of the page.
    expect(done.headers.location).toBe(`/console/documents/${projet}#message`);
    expect((await discarded(projet)).map((e) => e.payload)).toEqual([expect.objectContaining({ previousStatus: 'ready', deceasedOn: '2026-11-30' })]);
    const page = await admissions.get(`/console/documents/${projet}`).expect(200);
    expect(page.text).toMatch(/<div id="message">[\s\S]*Le projet est abandonné/);
    expect(page.text.indexOf('id="message"')).toBeLessThan(page.text.indexOf('id="etat"'));

    // After a back or a refresh: no 404, the document's page.
    const again = await admissions.get(`/console/documents/${projet}/abandonner`);
    expect({ status: again.status, location: again.headers.location }).toEqual({ status: 303, location: `/console/documents/${projet}` });
    const after = (await admissions.get(`/console/documents/${projet}`).expect(200)).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const name = (await sql(`SELECT name FROM staff_users WHERE id = $1`, [h.orgA.users.admissions.id]))[0].name;
    expect(after).toMatch(new RegExp(`Abandonné le \\d{1,2}(er)? \\S+ \\d{4} à \\d{1,2} h \\d{2} par ${name} — motif : La personne est décédée le 30 novembre 2026`));
    expect(after).toContain('Projet abandonné : la personne est décédée le 30 novembre 2026');
  });

  it('a living person’s draft has nothing to confirm: GET …/abandonner goes back to its page', async () => {
    const res = await (await agent('admissions')).get(`/console/documents/${livingDraft}/abandonner`);
    expect({ status: res.status, location: res.headers.location }).toEqual({ status: 303, location: `/console/documents/${livingDraft}` });
  });

  it('the OpenAPI description says who may abandon what, and what a living person’s draft gets', async () => {
    const docs = (await request(h.app.getHttpServer()).get('/api/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { summary?: string; description?: string }>> };
    const op = docs.paths['/api/documents/{id}/discard'].post;
    const said = `${op.summary ?? ''} ${op.description ?? ''}`;
    expect(said).toContain('personne décédée');
    expect(said).toContain('CONTRACT_NOT_SUPERSEDED (la personne est en vie');
  });
});

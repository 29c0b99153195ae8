import { AuthService, StaffActor } from '@carepact/identity';
import { DataSource } from 'typeorm';
import { SignatureRequestsService, Worklist, WorklistItem, WorklistService, addDaysIso, firstAvenantDay } from '@carepact/signing';
import { endOfDayIn } from '@carepact/common';
import { TEST_PASSWORD, loginAgent } from '@carepact/testing';
import { ApiHarness, addEstablishment, addUser, startApiHarness } from '../api/api-harness';
import { WorklistFixture, seedWorklist } from './worklist-fixtures';

/**
 * Issue 10, « À faire »: the WorklistService on a real PostgreSQL, each category from the rows that
 * make it, scoped to the establishments (and organisation) of the person, and nothing for the auditor.
 */
describe('worklist (À faire)', () => {
  let h: ApiHarness;
  let f: WorklistFixture;
  let otherEstablishment: string;
  let worklist: WorklistService;

  const actorOf = async (email: string): Promise<StaffActor> => {
    const res = await h.app.get(AuthService).login(email, TEST_PASSWORD, '127.0.0.1');
    const actor = await h.app.get(AuthService).authenticate(res.token);
    if (!actor) throw new Error(`no actor for ${email}`);
    return actor;
  };
  const items = (w: Worklist, establishmentId?: string): WorklistItem[] =>
    w.establishments.filter((e) => !establishmentId || e.establishmentId === establishmentId).flatMap((e) => e.sections.flatMap((s) => s.items));
  const item = (w: Worklist, key: string) => items(w).find((i) => i.key === key);

  beforeAll(async () => {
    h = await startApiHarness();
    worklist = h.app.get(WorklistService);
    f = await seedWorklist(h.app, h.orgA.users.administrator, h.orgA.establishmentId, h.orgA.organisationId);
    // Another establishment of the same organisation, and the other organisation, each with a resident without contract.
    otherEstablishment = await addEstablishment(h.app, h.orgA.organisationId, 'A2');
    await addUser(h.app, h.orgA.organisationId, 'admin.a2@example.test', [{ establishmentId: otherEstablishment, role: 'administrator' }]);
    await addUser(h.app, h.orgA.organisationId, 'coord.both@example.test', [
      { establishmentId: h.orgA.establishmentId, role: 'coordinator' },
      { establishmentId: otherEstablishment, role: 'coordinator' },
    ]);
    const a2 = await loginAgent(h.app, 'admin.a2@example.test', TEST_PASSWORD);
    const zoe = await a2.post('/api/residents').send({ establishmentId: otherEstablishment, firstName: 'Zoé', lastName: 'Ailleurs', birthDate: '1940-01-01', admissionDate: addDaysIso(f.today, -20), stayType: 'permanent' });
    expect(zoe.status).toBe(201);
    f.residents.zoe = zoe.body.id;
    const b = await loginAgent(h.app, h.orgB.users.administrator.email, TEST_PASSWORD);
    const yves = await b.post('/api/residents').send({ establishmentId: h.orgB.establishmentId, firstName: 'Yves', lastName: 'Autreorg', birthDate: '1940-01-01', admissionDate: addDaysIso(f.today, -20), stayType: 'permanent' });
    expect(yves.status).toBe(201);
    f.residents.yves = yves.body.id;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('lists each category with its dates and link, overdue first', async () => {
    const w = await worklist.forActor(await actorOf(h.orgA.users.admissions.email));
    expect(w.today).toBe(f.today);
    expect(w.establishments.map((e) => e.establishmentId)).toEqual([h.orgA.establishmentId]);

    // No contract 20 days after admission: not handed over within 15 days (CASF D.311), overdue.
    expect(item(w, `missing_contract:${f.residents.noContractLate}`)).toMatchObject({
      title: 'Contrat de séjour à établir',
      overdue: true,
      href: `/console/residents/${f.residents.noContractLate}`,
      dates: [
        { label: 'Arrivée le', value: addDaysIso(f.today, -20) },
        { label: 'À remettre avant le', value: addDaysIso(f.today, -5) },
        { label: 'À signer avant le', value: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
      ],
    });
    expect(item(w, `missing_contract:${f.residents.noContractNew}`)).toMatchObject({ overdue: false, dueDay: addDaysIso(f.today, 12) });
    // A refused contract: the DIPC is to be drawn up (CASF D.311), and the refusal is to be handled.
    expect(item(w, `missing_contract:${f.residents.refused}`)).toMatchObject({ title: 'DIPC à établir (contrat de séjour refusé)', overdue: true });
    expect(item(w, `refusal:${f.signers['refused.resident']}`)).toMatchObject({ title: 'Contrat de séjour refusé', href: `/console/documents/${f.documents.refused}`, requestId: f.requests.refused });
    // A contract drawn up but never handed over.
    expect(item(w, `contract_late:${f.documents.notHandedOver}`)).toMatchObject({ title: 'Contrat de séjour à remettre', overdue: true, detail: expect.stringContaining('Non remis dans les 15 jours') });
    // Requests in progress: the signer whose turn it is (not the director); the countersignature once it is all that remains.
    expect(item(w, `awaiting_signer:${f.signers['awaiting.resident']}`)).toMatchObject({
      title: 'Contrat de séjour : signature de Denis Attente',
      overdue: false,
      href: `/console/documents/${f.documents.awaiting}`,
      dates: [{ label: 'Attendue depuis le', value: expect.stringContaining(addDaysIso(f.today, -2)) }, { label: 'Échéance de la demande' }, { label: 'Délai légal' }],
    });
    expect(item(w, `awaiting_signer:${f.signers['awaiting.director']}`)).toBeUndefined();
    expect(item(w, `countersign_due:${f.requests.countersign}`)).toMatchObject({ title: 'Contrat de séjour à contresigner', dates: [{ label: 'Prêt depuis le', value: expect.stringContaining(addDaysIso(f.today, -1)) }, {}, {}] });
    expect(item(w, `awaiting_signer:${f.signers['countersign.director']}`)).toBeUndefined();
    expect(item(w, `question:${f.questions.question}`)).toMatchObject({ title: 'Question sur le contrat de séjour', detail: expect.stringContaining('Gaston Question') });
    expect(item(w, `awaiting_signer:${f.signers['question.resident']}`)?.detail).toContain('Signature en présence à organiser.');
    // The question's text is for the document page, not the list.
    expect(JSON.stringify(w)).not.toContain('Puis-je garder mon chat');
    // Measures: ending within 90 days, expired; a renewed one is not listed.
    expect(item(w, `measure_expiring:${f.measures.measureSoon}`)).toMatchObject({ title: 'Curatelle renforcée : arrive à échéance', overdue: false, dueDay: addDaysIso(f.today, 30) });
    expect(item(w, `measure_expiring:${f.measures.measureExpired}`)).toMatchObject({ title: 'Curatelle renforcée : échue', overdue: true });
    expect(items(w).filter((i) => i.residentId === f.residents.measureRenewed)).toEqual([]);
    // First avenant within six months (CASF D.311): soon, and overdue.
    expect(item(w, `avenant_due:${f.residents.avenantSoon}`)).toMatchObject({ overdue: false, title: 'Premier avenant à conclure' });
    // Louis's signed tariff avenant (CASF L.342-3) is not the first avenant: it is still to be concluded.
    expect(item(w, `avenant_due:${f.residents.avenantLate}`)).toMatchObject({ overdue: true, title: 'Premier avenant à conclure', documentId: null });
    // Projet personnalisé: never formalised, a year old, a review date set earlier by the projet itself; not one reviewed recently.
    expect(item(w, `review_due:${f.residents.avenantLate}`)).toMatchObject({ title: 'Projet personnalisé à formaliser', overdue: true });
    expect(item(w, `review_due:${f.residents.projetOld}`)).toMatchObject({ title: 'Révision du projet personnalisé', overdue: true, href: `/console/documents/${f.documents.projetOldProjet}` });
    expect(item(w, `review_due:${f.residents.projetSoon}`)).toMatchObject({ overdue: false, dueDay: addDaysIso(f.today, 20) });
    expect(item(w, `review_due:${f.residents.projetFine}`)).toBeUndefined();
    expect(item(w, `review_due:${f.residents.avenantSoon}`)).toBeUndefined();
    // The annex on the freedom to come and go: re-evaluated by its nextReview (CASF L.311-4-1 I), overdue past it.
    expect(item(w, `liberty_review:${f.documents.measureSoonLiberty}`)).toMatchObject({ overdue: false, dueDay: addDaysIso(f.today, 12), href: `/console/residents/${f.residents.measureSoon}/documents/nouveau?type=avenant&objet=liberte-aller-venir` });
    expect(item(w, `liberty_review:${f.documents.measureExpiredLiberty}`)).toMatchObject({ overdue: true });
    // An established contract to hand over in person to Hugo, who has no e-mail (CASF D.311 III).
    expect(item(w, `handover_due:${f.requests.handover}:resident`)).toMatchObject({ title: 'Contrat de séjour : à remettre en main propre à Hugo Mesure', href: `/console/documents/${f.documents.measureSoonContract}#remise-${f.requests.handover}` });
    // A generation that failed, with its French reason.
    expect(item(w, `generation_failed:${f.documents.failed}`)).toMatchObject({ title: 'Contrat de séjour : génération échouée', detail: expect.stringContaining('Relancez la génération') });
    // Residents whose file is in order are not listed.
    expect(items(w).filter((i) => i.residentId === f.residents.projetFine)).toEqual([]);

    // Sections with something overdue come first; within each, overdue items first.
    const e = w.establishments[0];
    const firstCalm = e.sections.findIndex((s) => s.overdue === 0);
    expect(e.sections.slice(firstCalm).every((s) => s.overdue === 0)).toBe(true);
    for (const s of e.sections) {
      const flags = s.items.map((i) => i.overdue);
      expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
      expect(s.total).toBe(s.items.length);
    }
    expect(e.overdue).toBe(items(w).filter((i) => i.overdue).length);
    expect(e.sections.map((s) => s.category)).toEqual(expect.arrayContaining(['countersign_due', 'refusal', 'question', 'missing_contract', 'contract_late', 'awaiting_signer', 'measure_expiring', 'avenant_due', 'review_due', 'generation_failed']));
  });

  it('answers from a handful of queries, whatever the number of residents', async () => {
    const actor = await actorOf(h.orgA.users.coordinator.email);
    // Every query outside a transaction takes a query runner of its own.
    const spy = jest.spyOn(h.app.get(DataSource), 'createQueryRunner');
    let n: number;
    try {
      await worklist.forActor(actor);
      n = spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
    // establishments, residents, measures, requests, refusals, questions, failed generations, visas to give, disagreements,
    // avenants to review, documents to hand over (the few refusals with a judge's authorisation read a few rows more each: none here),
    // the drafts of deceased persons, to abandon rather than visa, retry or send (one query for all),
    // and the persons of all these in the intermediate archive, left out (one query whatever their number).
    expect(n).toBeLessThanOrEqual(13);
  });

  it('scopes to the establishments where the person works, and to their organisation', async () => {
    const a2 = await worklist.forActor(await actorOf('admin.a2@example.test'));
    expect(a2.establishments.map((e) => e.establishmentId)).toEqual([otherEstablishment]);
    expect(items(a2).map((i) => i.residentId)).toEqual([f.residents.zoe]);

    const both = await worklist.forActor(await actorOf('coord.both@example.test'));
    expect(both.establishments.map((e) => e.establishmentId).sort()).toEqual([h.orgA.establishmentId, otherEstablishment].sort());
    expect(items(both, otherEstablishment).map((i) => i.residentId)).toEqual([f.residents.zoe]);
    expect(items(both, h.orgA.establishmentId).map((i) => i.residentId)).not.toContain(f.residents.zoe);

    const orgB = await worklist.forActor(await actorOf(h.orgB.users.director.email));
    expect(items(orgB).map((i) => i.key)).toEqual([`missing_contract:${f.residents.yves}`]);
    const orgA = await worklist.forActor(await actorOf(h.orgA.users.director.email));
    expect(items(orgA).map((i) => i.residentId)).not.toContain(f.residents.yves);
  });

  it('gives the auditor nothing: no resident, no care detail (PERMISSIONS)', async () => {
    const auditor = await actorOf(h.orgA.users.auditor.email);
    expect(WorklistService.hasWorklist(auditor)).toBe(false);
    expect(await worklist.forActor(auditor)).toEqual({ today: f.today, establishments: [] });
    // The console's landing page says what the auditor may do, and names no resident.
    const agent = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    const page = await agent.get('/console').expect(200);
    expect(page.text).toContain('journal d’audit');
    expect(page.text).toContain('href="/console/journal"');
    for (const name of ['Sanscontrat', 'Attente', 'Curatelle', 'Refus']) expect(page.text).not.toContain(name);
  });
  it('a disagreement with living here not yet decided by the judge (C. civ. 459-2): listed as such, its signers not « awaited »; not once the version cites the decision, nor on an act that does not decide where she lives', async () => {
    const sql = (text: string, params: unknown[]) => h.app.get(DataSource).query(text, params) as Promise<{ id: string }[]>;
    const agent = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const views = (basis: string) => ({ signers: [], views: [{ key: 'resident', person: { firstName: 'Paule', lastName: 'Désaccord' }, reason: 'avis', legalBasis: basis, recordedBy: ['tuteur'] }] });
    const disputed = async (lastName: string, type: string, basis: string, residenceChoice: object | null) => {
      const r = await agent.post('/api/residents').send({ establishmentId: h.orgA.establishmentId, firstName: 'Paule', lastName, birthDate: '1940-01-01', admissionDate: addDaysIso(f.today, -5), stayType: 'permanent' });
      expect(r.status).toBe(201);
      const [doc] = await sql(
        `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, $4, 'in_signature', now(), now()) RETURNING id`,
        [h.orgA.organisationId, h.orgA.establishmentId, r.body.id, type],
      );
      const [v] = await sql(
        `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
         VALUES ($1, $2, 1, 'Création', 'ready', $3, '1.3.0', 'h', 'r', $4, 'hash', now()) RETURNING id`,
        [h.orgA.organisationId, doc.id, type, JSON.stringify({ document: residenceChoice ? { residenceChoice } : {} })],
      );
      await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1 RETURNING id`, [doc.id, v.id]);
      const [req] = await sql(
        `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
         VALUES ($1, $2, $3, $4, 'h', 'p', 'active', 'parallel', now() + interval '20 days', '{3,7}', $5, now()) RETURNING id`,
        [h.orgA.organisationId, h.orgA.establishmentId, doc.id, v.id, JSON.stringify(views(basis))],
      );
      const [tuteur] = await sql(
        `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status)
         VALUES ($1, 'tuteur', 'tuteur', 'Alain', 'Tuteur', 'en qualité de tuteur', 'C. civ. 459-2', 1, false, 'email', 'pending') RETURNING id`,
        [req.id],
      );
      await sql(
        `INSERT INTO recorded_views (request_id, view_key, person_name, expression, recorded_by_signer_id, recorded_at) VALUES ($1, 'resident', $2, 'desaccord', $3, now()) RETURNING id`,
        [req.id, `Paule ${lastName}`, tuteur.id],
      );
      return { requestId: req.id, documentId: doc.id, tuteurId: tuteur.id };
    };
    const open = await disputed('Désaccord', 'contrat-sejour', 'C. civ. 457-1, 459-2 ; CASF L.311-4', { agrees: false, recordedOn: f.today });
    const decided = await disputed('Décidé', 'contrat-sejour', 'C. civ. 457-1, 459-2 ; CASF L.311-4', {
      agrees: false,
      recordedOn: f.today,
      judgeDecision: { authority: 'Juge des contentieux de la protection', reference: 'RG 26/00077', date: f.today },
    });
    const projet = await disputed('Projet', 'projet-personnalise', 'C. civ. 457-1 ; CASF L.311-3', null);

    const w = await worklist.forActor(await actorOf(h.orgA.users.admissions.email));
    expect(item(w, `residence_dispute:${open.requestId}`)).toMatchObject({
      title: 'Contrat de séjour : désaccord sur le lieu de vie',
      detail: expect.stringContaining('Avis consigné par Alain Tuteur. Le juge des contentieux de la protection'),
      href: `/console/documents/${open.documentId}#demande-${open.requestId}`,
      dates: [{ label: 'Avis consigné le' }],
    });
    expect(item(w, `awaiting_signer:${open.tuteurId}`)).toBeUndefined();
    const section = w.establishments[0].sections.find((x) => x.category === 'residence_dispute')!;
    expect(section.basis).toContain('C. civ. 459-2');
    for (const other of [decided, projet]) {
      expect(item(w, `residence_dispute:${other.requestId}`)).toBeUndefined();
      expect(item(w, `awaiting_signer:${other.tuteurId}`)).toBeDefined();
    }
  });

  it('a curateur who refused to assist: « assistance refusée », the judge may authorise her alone (C. civ. 469); no DIPC to draw up (CASF D.311)', async () => {
    const sql = (text: string, params: unknown[]) => h.app.get(DataSource).query(text, params) as Promise<{ id: string }[]>;
    const agent = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const r = await agent.post('/api/residents').send({ establishmentId: h.orgA.establishmentId, firstName: 'Marc', lastName: 'Assisté', birthDate: '1940-01-01', admissionDate: addDaysIso(f.today, -5), stayType: 'permanent' });
    expect(r.status).toBe(201);
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, 'contrat-sejour', 'ready', now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, r.body.id],
    );
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', 'ready', 'contrat-sejour', '1.3.0', 'h', 'r', '{"document":{}}', 'hash', now()) RETURNING id`,
      [h.orgA.organisationId, doc.id],
    );
    const policy = { signers: [{ key: 'curateur:k', role: 'curateur', measure: { mode: 'assistance' } }], views: [] };
    const [req] = await sql(
      `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
       VALUES ($1, $2, $3, $4, 'h', 'p', 'refused', 'parallel', now() + interval '20 days', '{3,7}', $5, now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, doc.id, v.id, JSON.stringify(policy)],
    );
    const [k] = await sql(
      `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status, acted_at)
       VALUES ($1, 'curateur:k', 'curateur', 'Karim', 'Benaïssa', 'en qualité de curateur', 'C. civ. 467', 1, false, 'email', 'refused', now()) RETURNING id`,
      [req.id],
    );
    const w = await worklist.forActor(await actorOf(h.orgA.users.admissions.email));
    expect(item(w, `refusal:${k.id}`)).toMatchObject({ title: 'Contrat de séjour : assistance refusée', detail: expect.stringContaining('C. civ. 469') });
    expect(item(w, `refusal:${k.id}`)!.detail).not.toContain('DIPC');
    expect(item(w, `missing_contract:${r.body.id}`)).toBeUndefined();
  });

  it('the six-month deadline is the first accompaniment avenant\'s only: not a tariff avenant\'s, not once one is signed (CASF D.311)', async () => {
    const actor = await actorOf(h.orgA.users.admissions.email);
    const requests = h.app.get(SignatureRequestsService);
    const sql = (text: string, params: unknown[]) => h.app.get(DataSource).query(text, params) as Promise<{ id: string }[]>;
    const avenant = async (residentId: string, purpose: string | null) => {
      const [doc] = await sql(
        `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, 'avenant', 'ready', now(), now()) RETURNING id`,
        [h.orgA.organisationId, h.orgA.establishmentId, residentId],
      );
      const [v] = await sql(
        `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
         VALUES ($1, $2, 1, 'Création', 'ready', 'avenant', '1.3.0', 'h', 'r', $3, 'hash', now()) RETURNING id`,
        [h.orgA.organisationId, doc.id, JSON.stringify({ document: purpose ? { purpose } : {} })],
      );
      await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1 RETURNING id`, [doc.id, v.id]);
      return doc.id;
    };
    const [louis] = (await h.app.get(DataSource).query(`SELECT admission_date::text AS d FROM residents WHERE id = $1`, [f.residents.avenantLate])) as { d: string }[];
    // Louis has only a signed tariff avenant: his first accompaniment avenant keeps the six-month deadline, past.
    const sixMonths = endOfDayIn(firstAvenantDay(louis.d));
    expect(await requests.legalDeadlineFor(actor, await avenant(f.residents.avenantLate, 'accompagnement'))).toEqual(sixMonths);
    // A version written before the avenant had a purpose (template < 1.3.0) was an accompaniment one.
    expect(await requests.legalDeadlineFor(actor, await avenant(f.residents.avenantLate, null))).toEqual(sixMonths);
    // A tariff avenant has no such deadline: it is sent without a late reason.
    expect(await requests.legalDeadlineFor(actor, await avenant(f.residents.avenantLate, 'tarifs'))).toBeNull();
    // Marie signed her first avenant long ago: the next one has no legal deadline.
    expect(await requests.legalDeadlineFor(actor, await avenant(f.residents.projetOld, 'accompagnement'))).toBeNull();
  });
});

import request from 'supertest';
import { AuthService, StaffActor } from '@carepact/identity';
import { DataSource } from 'typeorm';
import { Worklist, WorklistItem, WorklistService, addDaysIso } from '@carepact/signing';
import { formatDateFr } from '@carepact/common';
import { addMonthsIso, todayIso } from '@carepact/residents';
import { TEST_PASSWORD, loginAgent } from '@carepact/testing';
import { ApiHarness, addEstablishment, addUser, startApiHarness } from '../api/api-harness';
import { SealedSigner, insertSealedRequest } from './worklist-fixtures';

/**
 * « À faire » follows what comes after a document is signed:
 * - the annex on the freedom to come and go (avenant, purpose « liberte-aller-venir », CASF L.311-4-1 I):
 *   its measures are re-evaluated by the same collegial procedure at the latest on its
 *   `document.nextReview`; done once a later annex is SIGNED;
 * - the accompaniment avenant's yearly « réactualisation » (CASF D.311), or its own earlier nextReview;
 * - the established document handed over in person to whoever has no e-mail (CASF D.311 III), until
 *   the handover is recorded (POST /api/signature-requests/:id/handover).
 * Rows written in SQL (the db tier has no worker), the handover recorded through the API.
 */
describe('« À faire »: the liberty annex to re-evaluate, the avenant to update, the document to hand over', () => {
  let h: ApiHarness;
  let worklist: WorklistService;
  let actor: StaffActor;
  let agent: request.Agent;
  let establishmentId: string;
  const today = todayIso();
  const r: Record<string, string> = {};
  const d: Record<string, string> = {};
  const q: Record<string, string> = {};
  const sql = (text: string, params: unknown[] = []) => h.app.get(DataSource).query(text, params) as Promise<Record<string, string>[]>;
  const items = (w: Worklist): WorklistItem[] => w.establishments.flatMap((e) => e.sections.flatMap((s) => s.items));
  const item = (w: Worklist, key: string) => items(w).find((i) => i.key === key);

  const resident = async (key: string, lastName: string) => {
    const res = await agent
      .post('/api/residents')
      .send({ establishmentId, firstName: 'Rose', lastName, birthDate: '1935-01-01', admissionDate: addDaysIso(today, -900), stayType: 'permanent' });
    expect(res.status).toBe(201);
    r[key] = res.body.id;
  };
  const document = async (key: string, residentKey: string, type: string, status: string, createdOn: string, input: object) => {
    const at = `${createdOn}T09:00:00Z`;
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
      [h.orgA.organisationId, establishmentId, r[residentKey], type, status, at],
    );
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', 'ready', $3, '1.4.0', 'h', 'r', $4, $5, $6) RETURNING id`,
      [h.orgA.organisationId, doc.id, type, JSON.stringify({ document: input }), `hash-${key}`, at],
    );
    await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, v.id]);
    d[key] = doc.id;
    return { documentId: doc.id, versionId: v.id };
  };
  const liberty = (nextReview: string) => ({ purpose: 'liberte-aller-venir', kind: 'annexe', appliesTo: 'contrat-sejour', nextReview, libertyAnnex: { measures: [{ measure: 'Porte à code' }] } });
  /** A request sealed yesterday (completed), its signers without e-mail unless given. */
  const sealed = async (key: string, doc: { documentId: string; versionId: string }, signers: SealedSigner[], views: Parameters<typeof insertSealedRequest>[4] = []) => {
    q[key] = await insertSealedRequest(h.app.get(DataSource), { organisationId: h.orgA.organisationId, establishmentId, today }, doc, signers, views);
  };

  beforeAll(async () => {
    h = await startApiHarness();
    worklist = h.app.get(WorklistService);
    establishmentId = await addEstablishment(h.app, h.orgA.organisationId, 'Suivis');
    await addUser(h.app, h.orgA.organisationId, 'admin.suivis@example.test', [{ establishmentId, role: 'administrator' }]);
    agent = await loginAgent(h.app, 'admin.suivis@example.test', TEST_PASSWORD);
    const res = await h.app.get(AuthService).login('admin.suivis@example.test', TEST_PASSWORD, '127.0.0.1');
    actor = (await h.app.get(AuthService).authenticate(res.token))!;

    // Each resident has a signed contract and a signed first avenant (nothing else due but what is tested).
    for (const [key, name] of [
      ['soon', 'Annexe-proche'],
      ['late', 'Annexe-échue'],
      ['underWay', 'Annexe-en-cours'],
      ['done', 'Annexe-révisée'],
      ['far', 'Annexe-lointaine'],
      ['yearly', 'Avenant-annuel'],
      ['earlier', 'Avenant-plus-tôt'],
      ['tutelle', 'Sous-tutelle'],
    ] as const) {
      await resident(key, name);
      await document(`${key}Contract`, key, 'contrat-sejour', 'signed', addDaysIso(today, -880), {});
      await document(`${key}Projet`, key, 'projet-personnalise', 'signed', addDaysIso(today, -30), { nextReview: addDaysIso(today, 300) });
    }
    // Annexes on the freedom to come and go: due in 10 days; due 5 days ago; due in 20 days with a
    // new one in signature; revised (a later one signed); due in 100 days.
    await document('soonAnnex', 'soon', 'avenant', 'signed', addDaysIso(today, -170), liberty(addDaysIso(today, 10)));
    await document('lateAnnex', 'late', 'avenant', 'signed', addDaysIso(today, -185), liberty(addDaysIso(today, -5)));
    // A tariff avenant signed since is not a re-evaluation.
    await document('lateTariff', 'late', 'avenant', 'signed', addDaysIso(today, -10), { purpose: 'tarifs', kind: 'tarifs', appliesTo: 'contrat-sejour' });
    await document('underWayAnnex', 'underWay', 'avenant', 'signed', addDaysIso(today, -160), liberty(addDaysIso(today, 20)));
    await document('underWayNext', 'underWay', 'avenant', 'in_signature', addDaysIso(today, -2), liberty(addMonthsIso(today, 6)));
    await document('doneAnnex', 'done', 'avenant', 'signed', addDaysIso(today, -185), liberty(addDaysIso(today, -5)));
    await document('doneNext', 'done', 'avenant', 'signed', addDaysIso(today, -3), liberty(addDaysIso(today, 170)));
    await document('farAnnex', 'far', 'avenant', 'signed', addDaysIso(today, -80), liberty(addDaysIso(today, 100)));
    // Accompaniment avenants: signed 11 months ago (yearly in a month); signed 2 months ago with a review set in 15 days.
    for (const k of ['soon', 'late', 'underWay', 'done', 'far', 'tutelle'])
      await document(`${k}Avenant`, k, 'avenant', 'signed', addDaysIso(today, -100), { purpose: 'accompagnement', kind: 'avenant', appliesTo: 'contrat-sejour' });
    await document('yearlyAvenant', 'yearly', 'avenant', 'signed', addMonthsIso(addDaysIso(today, 30), -12), { purpose: 'accompagnement', kind: 'avenant à six mois', appliesTo: 'contrat-sejour' });
    await document('earlierAvenant', 'earlier', 'avenant', 'signed', addDaysIso(today, -60), { purpose: 'accompagnement', kind: 'avenant', appliesTo: 'contrat-sejour', nextReview: addDaysIso(today, 15) });

    // Handovers: a contract signed by a person without e-mail, and one with e-mail; a document under
    // tutelle, signed by the tuteur (with e-mail), handed to the person who does not sign.
    const noMail = await document('noMailDoc', 'soon', 'dipc', 'signed', addDaysIso(today, -4), {});
    await sealed('noMail', noMail, [
      { key: 'resident', role: 'resident', firstName: 'Rose', lastName: 'Annexe-proche' },
      { key: 'director', role: 'director', firstName: 'Directrice', lastName: 'Test' },
    ]);
    const mail = await document('mailDoc', 'far', 'dipc', 'signed', addDaysIso(today, -4), {});
    await sealed('mail', mail, [
      { key: 'resident', role: 'resident', firstName: 'Rose', lastName: 'Annexe-lointaine', email: 'rose@example.test' },
      { key: 'director', role: 'director', firstName: 'Directrice', lastName: 'Test' },
    ]);
    const tutelle = await document('tutelleDoc', 'tutelle', 'avenant', 'signed', addDaysIso(today, -4), { purpose: 'tarifs', kind: 'tarifs', appliesTo: 'contrat-sejour' });
    await sealed(
      'tutelle',
      tutelle,
      [
        { key: 'tuteur:t', role: 'tuteur', firstName: 'Marc', lastName: 'Tuteur', email: 'marc@example.test' },
        { key: 'director', role: 'director', firstName: 'Directrice', lastName: 'Test' },
      ],
      [{ key: 'resident', person: { firstName: 'Rose', lastName: 'Sous-tutelle', contactId: null }, reason: 'C. civ. 457-1' }],
    );
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the liberty annex: « Réévaluer … avant le … » from its nextReview, overdue first, a link to the revision; gone once a later annex is signed', async () => {
    const w = await worklist.forActor(actor);
    const section = w.establishments[0].sections.find((s) => s.category === 'liberty_review')!;
    expect(section).toMatchObject({ title: 'Annexes liberté d’aller et venir à réévaluer', total: 3, overdue: 1 });
    expect(section.basis).toContain('CASF L.311-4-1 I');
    // Six months is the establishment's rule, not the law's: L.311-4-1 I sets no period (the annex « peut être révisé à tout moment »).
    expect(section.basis).toContain('l’établissement réévalue cette annexe au plus tard six mois après la procédure (règle de l’établissement ; CASF L.311-4-1 I : révisable à tout moment)');
    expect(section.basis).not.toMatch(/six mois au plus après la procédure \(CASF/);
    expect(section.items.map((i) => i.residentId)).toEqual([r.late, r.soon, r.underWay]);
    expect(item(w, `liberty_review:${d.soonAnnex}`)).toMatchObject({
      title: `Réévaluer l’annexe liberté d’aller et venir avant le ${formatDateFr(addDaysIso(today, 10))}`,
      overdue: false,
      dueDay: addDaysIso(today, 10),
      // The new-document form for an annex, prefilled from the annex in force (the latest signed one), not the latest avenant.
      href: `/console/residents/${r.soon}/documents/nouveau?type=avenant&objet=liberte-aller-venir`,
      dates: [{ label: 'Annexe du', value: expect.stringContaining(addDaysIso(today, -170)) }, { label: 'À réévaluer avant le', value: addDaysIso(today, 10) }],
    });
    // Overdue; a tariff avenant signed since changes nothing.
    expect(item(w, `liberty_review:${d.lateAnnex}`)).toMatchObject({ overdue: true, dueDay: addDaysIso(today, -5) });
    // A new annex in signature: still due (the annex in force is the signed one), the link goes to the new one.
    expect(item(w, `liberty_review:${d.underWayAnnex}`)).toMatchObject({ href: `/console/documents/${d.underWayNext}`, detail: expect.stringContaining('Nouvelle version en cours (en signature)') });
    // Revised (a later annex signed, reviewed in 170 days), or not due within 30 days: not listed.
    expect(items(w).filter((i) => i.category === 'liberty_review' && [r.done, r.far].includes(i.residentId))).toEqual([]);
  });

  it('the accompaniment avenant: its yearly « réactualisation » (CASF D.311), or its own earlier review date', async () => {
    const w = await worklist.forActor(actor);
    const yearly = addMonthsIso(addMonthsIso(addDaysIso(today, 30), -12), 12);
    expect(item(w, `avenant_review:${d.yearlyAvenant}`)).toMatchObject({
      title: `Réactualiser l’avenant (objectifs et prestations) avant le ${formatDateFr(yearly)}`,
      dueDay: yearly,
      overdue: false,
      href: `/console/residents/${r.yearly}/documents/nouveau?type=avenant&objet=accompagnement`,
    });
    expect(item(w, `avenant_review:${d.earlierAvenant}`)).toMatchObject({ dueDay: addDaysIso(today, 15) });
    // Signed 100 days ago, no earlier date: not due within 60 days.
    expect(item(w, `avenant_review:${d.soonAvenant}`)).toBeUndefined();
    // The first avenant is signed: not « Premier avenant à conclure ».
    expect(items(w).filter((i) => i.category === 'avenant_due')).toEqual([]);
  });

  it('« Réactualiser » opens the form prefilled from the latest SIGNED accompaniment avenant, not from a tariff avenant made since (CASF D.311 VII)', async () => {
    await document('yearlyObjectives', 'yearly', 'avenant', 'signed', addDaysIso(today, -200), {
      purpose: 'accompagnement',
      kind: 'avenant',
      appliesTo: 'contrat-sejour',
      objectives: [{ objective: 'Marcher jusqu’au jardin chaque jour' }],
    });
    await document('yearlyTariff', 'yearly', 'avenant', 'signed', addDaysIso(today, -20), { purpose: 'tarifs', kind: 'avenant tarifaire', appliesTo: 'contrat-sejour' });
    const page = (await agent.get(`/console/residents/${r.yearly}/documents/nouveau?type=avenant&objet=accompagnement`).expect(200)).text;
    expect(page).toContain('Réactualisation : prérempli avec le dernier avenant d’accompagnement signé');
    expect(page).not.toMatch(/<option[^>]*value="tarifs"[^>]*selected/);
    // Without « objet », the latest avenant of any purpose, as before (the tariff one).
    expect((await agent.get(`/console/residents/${r.yearly}/documents/nouveau?type=avenant`).expect(200)).text).toMatch(/<option[^>]*value="tarifs"[^>]*selected/);
  });

  it('a document to hand over in person: who, which document, since when, a link to the handover block; gone once recorded', async () => {
    const w = await worklist.forActor(actor);
    const section = w.establishments[0].sections.find((s) => s.category === 'handover_due')!;
    expect(section.title).toBe('Documents à remettre en main propre');
    expect(section.basis).toContain('CASF D.311 III');
    expect(item(w, `handover_due:${q.noMail}:resident`)).toMatchObject({
      title: 'Document individuel de prise en charge (DIPC) : à remettre en main propre à Rose Annexe-proche',
      detail: expect.stringContaining('En son nom propre.'),
      href: `/console/documents/${d.noMailDoc}#remise-${q.noMail}`,
      // A DIPC: « remis … au plus tard dans les quinze jours qui suivent l’admission » (D.311 III), 900 days ago.
      dates: [
        { label: 'Établi le', value: expect.stringContaining(addDaysIso(today, -1)) },
        { label: 'À remettre avant le', value: addDaysIso(addDaysIso(today, -900), 15) },
      ],
      overdue: true,
    });
    // Under tutelle: the person, who does not sign, receives it in person; the tuteur by e-mail.
    expect(item(w, `handover_due:${q.tutelle}:resident`)).toMatchObject({ title: expect.stringMatching(/à remettre en main propre à Rose Sous-tutelle$/), detail: expect.stringContaining('La personne accueillie.') });
    expect(item(w, `handover_due:${q.tutelle}:tuteur:t`)).toBeUndefined();
    // By e-mail: nothing to hand over.
    expect(items(w).filter((i) => i.requestId === q.mail)).toEqual([]);

    // The completion e-mail failed: to be handed over in person too (« l’e-mail n’a pas pu être remis »).
    const [rose] = await sql(`SELECT id FROM signature_signers WHERE request_id = $1 AND key = 'resident'`, [q.mail]);
    await sql(`INSERT INTO signature_events (request_id, signer_id, kind, at, details) VALUES ($1, $2, 'email_failed', now(), '{"kind":"signature-completed"}')`, [q.mail, rose.id]);
    expect(item(await worklist.forActor(actor), `handover_due:${q.mail}:resident`)?.detail).toContain('L’e-mail avec le document n’a pas pu être remis.');

    const res = await agent.post(`/api/signature-requests/${q.noMail}/handover`).send({ recipientKey: 'resident', handedOn: today, how: 'En main propre, lors de l’entretien.' });
    expect(res.status).toBeLessThan(300);
    const after = await worklist.forActor(actor);
    expect(item(after, `handover_due:${q.noMail}:resident`)).toBeUndefined();
    expect(item(after, `handover_due:${q.tutelle}:resident`)).toBeDefined();
  });
});

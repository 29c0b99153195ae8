import request from 'supertest';
import { AuthService, StaffActor } from '@carepact/identity';
import { DataSource } from 'typeorm';
import { WorklistItem, WorklistService, addDaysIso } from '@carepact/signing';
import { todayIso } from '@carepact/residents';
import { TEST_PASSWORD, loginAgent } from '@carepact/testing';
import { ApiHarness, addEstablishment, addUser, startApiHarness } from '../api/api-harness';
import { insertSealedRequest } from './worklist-fixtures';

/**
 * « À faire » after a departure, and the DIPC handed over in person:
 * - a resident whose accompaniment has ended (`departed_on`, recorded on the day or before) has no
 *   deadline left: no contract to sign, no measure to renew — as the reviews already did;
 * - the DIPC « est remis … au plus tard dans les quinze jours qui suivent l’admission » (CASF D.311
 *   III): the in-person handover of an established DIPC is due on that day and overdue after it; a
 *   contract's sealed copy has no such day.
 * Rows written in SQL (the db tier has no worker).
 */
describe('« À faire »: nothing for a departed resident; the DIPC handover due 15 days after admission', () => {
  let h: ApiHarness;
  let worklist: WorklistService;
  let actor: StaffActor;
  let agent: request.Agent;
  let establishmentId: string;
  const today = todayIso();
  const r: Record<string, string> = {};
  const q: Record<string, string> = {};
  const sql = (text: string, params: unknown[] = []) => h.app.get(DataSource).query(text, params) as Promise<Record<string, string>[]>;
  const items = async (): Promise<WorklistItem[]> => (await worklist.forActor(actor)).establishments.flatMap((e) => e.sections.flatMap((s) => s.items));

  const resident = async (key: string, lastName: string, admittedDaysAgo: number) => {
    const res = await agent
      .post('/api/residents')
      .send({ establishmentId, firstName: 'Paul', lastName, birthDate: '1938-02-02', admissionDate: addDaysIso(today, -admittedDaysAgo), stayType: 'permanent' });
    expect(res.status).toBe(201);
    r[key] = res.body.id;
  };
  const measureEndingIn = (key: string, days: number) =>
    sql(
      `INSERT INTO protection_measures (organisation_id, resident_id, type, mode, scope, acts, court, judgment_reference, judgment_date, end_date, created_at, updated_at)
       VALUES ($1, $2, 'curatelle', 'assistance', '{personne,biens}', '{}', 'Tribunal judiciaire de Valville', 'RG 21/7', '2021-03-01', $3, now(), now())`,
      [h.orgA.organisationId, r[key], addDaysIso(today, days)],
    );
  /** A signed document of `type`, sealed yesterday; its person signed in person, without e-mail. */
  const sealedWithoutEmail = async (key: string, residentKey: string, type: string) => {
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, $4, 'signed', now() - interval '4 days', now()) RETURNING id`,
      [h.orgA.organisationId, establishmentId, r[residentKey], type],
    );
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', 'ready', $3, '1.5.0', 'h', 'r', '{"document":{}}', $4, now() - interval '4 days') RETURNING id`,
      [h.orgA.organisationId, doc.id, type, `hash-${key}`],
    );
    await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, v.id]);
    q[key] = await insertSealedRequest(h.app.get(DataSource), { organisationId: h.orgA.organisationId, establishmentId, today }, { documentId: doc.id, versionId: v.id }, [
      { key: 'resident', role: 'resident', firstName: 'Paul', lastName: 'Sans-courriel' },
      { key: 'director', role: 'director', firstName: 'Paul', lastName: 'Test' },
    ]);
  };

  beforeAll(async () => {
    h = await startApiHarness();
    worklist = h.app.get(WorklistService);
    establishmentId = await addEstablishment(h.app, h.orgA.organisationId, 'Départs');
    await addUser(h.app, h.orgA.organisationId, 'admin.departs@example.test', [{ establishmentId, role: 'administrator' }]);
    agent = await loginAgent(h.app, 'admin.departs@example.test', TEST_PASSWORD);
    const res = await h.app.get(AuthService).login('admin.departs@example.test', TEST_PASSWORD, '127.0.0.1');
    actor = (await h.app.get(AuthService).authenticate(res.token))!;

    // Admitted 10 days ago, no contract yet, a curatelle ending in 20 days: one stays, one has left.
    await resident('staying', 'Reste', 10);
    await resident('departed', 'Parti', 10);
    await measureEndingIn('staying', 20);
    await measureEndingIn('departed', 20);
    await sql(`UPDATE residents SET departed_on = $2 WHERE id = $1`, [r.departed, addDaysIso(today, -1)]);

    // Established DIPCs without e-mail: admitted 20 days ago (handover was due 5 days ago), 3 days ago
    // (due in 12 days); a contract admitted 20 days ago (its sealed copy has no such day).
    await resident('lateDipc', 'Dipc-tardif', 20);
    await sealedWithoutEmail('lateDipc', 'lateDipc', 'dipc');
    await resident('freshDipc', 'Dipc-recent', 3);
    await sealedWithoutEmail('freshDipc', 'freshDipc', 'dipc');
    await resident('contract', 'Contrat', 20);
    await sealedWithoutEmail('contract', 'contract', 'contrat-sejour');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('a DIPC awaiting the director: « à signer par la direction pour l’établir », not « à contresigner » (CASF D.311 II: the person’s side may countersign after)', async () => {
    await resident('dipcActive', 'Dipc-direction', 2);
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, 'dipc', 'in_signature', now(), now()) RETURNING id`,
      [h.orgA.organisationId, establishmentId, r.dipcActive],
    );
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', 'ready', 'dipc', '1.5.0', 'h', 'r', '{"document":{}}', 'hash-dipc-active', now()) RETURNING id`,
      [h.orgA.organisationId, doc.id],
    );
    const [req] = await sql(
      `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
       VALUES ($1, $2, $3, $4, 'h', 'p', 'active', 'parallel', now() + interval '20 days', '{3,7}', '{"signers":[],"views":[]}', now()) RETURNING id`,
      [h.orgA.organisationId, establishmentId, doc.id, v.id],
    );
    for (const [role, optional, order] of [
      ['resident', true, 1],
      ['director', false, 2],
    ] as const)
      await sql(
        `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status)
         VALUES ($1, $2, $2, 'Paul', 'Dipc-direction', 'x', 'CASF D.311', $3, $4, $5, 'pending')`,
        [req.id, role, order, optional, role === 'director' ? 'staff' : 'in_person'],
      );
    const due = (await items()).find((i) => i.key === `countersign_due:${req.id}`);
    expect(due).toMatchObject({ title: 'Document individuel de prise en charge (DIPC) à signer par la direction pour l’établir' });
    expect(due!.detail).toContain('sa signature établit le document');
    expect(due!.detail).not.toContain('toutes les autres signatures sont là');
  });

  it('a departed resident has no contract to sign and no measure to renew; the one who stays has both', async () => {
    const all = await items();
    const of = (key: string) => all.filter((i) => i.residentId === r[key]).map((i) => i.category);
    expect(of('staying')).toEqual(expect.arrayContaining(['missing_contract', 'measure_expiring']));
    expect(of('departed')).toEqual([]);
  });

  it('the DIPC to hand over in person is due 15 days after admission (CASF D.311 III), overdue after; a contract’s copy is not', async () => {
    const all = await items();
    const handover = (key: string) => all.find((i) => i.key === `handover_due:${q[key]}:resident`);
    const late = addDaysIso(addDaysIso(today, -20), 15);
    expect(handover('lateDipc')).toMatchObject({
      dueDay: late,
      overdue: true,
      dates: [{ label: 'Établi le', value: expect.stringContaining(addDaysIso(today, -1)) }, { label: 'À remettre avant le', value: late }],
    });
    expect(handover('freshDipc')).toMatchObject({ dueDay: addDaysIso(addDaysIso(today, -3), 15), overdue: false });
    expect(handover('contract')).toMatchObject({ dueDay: addDaysIso(today, -1), overdue: false, dates: [{ label: 'Établi le', value: expect.any(String) }] });
  });
});

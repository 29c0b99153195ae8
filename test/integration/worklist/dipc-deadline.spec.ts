import { AuthService, StaffActor } from '@carepact/identity';
import { DataSource } from 'typeorm';
import { SignatureRequestsService, Worklist, WorklistItem, WorklistService, addDaysIso } from '@carepact/signing';
import { endOfDayIn } from '@carepact/common';
import { todayIso } from '@carepact/residents';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * CASF D.311 II and III: the DIPC is « établi et signé par le directeur » and handed over « au plus
 * tard dans les quinze jours qui suivent l'admission »; « Le contrat est signé dans le mois qui suit
 * l'admission » concerns the contract only, and the DIPC's countersignature (« Il peut être
 * contresigné ») has no deadline. The « À faire » worklist and the request's legal deadline say so.
 */
describe('the DIPC’s deadline: drawn up, signed by the director and handed over within 15 days (CASF D.311)', () => {
  let h: ApiHarness;
  let actor: StaffActor;
  const today = todayIso();
  const ids: Record<string, string> = {};
  const docs: Record<string, string> = {};
  const item = (w: Worklist, key: string): WorklistItem | undefined => w.establishments.flatMap((e) => e.sections.flatMap((s) => s.items)).find((i) => i.key === key);

  beforeAll(async () => {
    h = await startApiHarness();
    const admin = h.orgA.users.administrator;
    const res = await h.app.get(AuthService).login(admin.email, TEST_PASSWORD, '127.0.0.1');
    actor = (await h.app.get(AuthService).authenticate(res.token))!;
    const agent = await loginAgent(h.app, admin.email, TEST_PASSWORD);
    const sql = (text: string, params: unknown[] = []) => h.app.get(DataSource).query(text, params) as Promise<Record<string, string>[]>;
    // A short stay (two months or less): the document is the DIPC (CASF D.311).
    const resident = async (key: string, admittedDaysAgo: number) => {
      const admissionDate = addDaysIso(today, -admittedDaysAgo);
      const body = { ...curatelleResident(h.orgA.establishmentId), firstName: 'Dipc', lastName: `Court-séjour ${key}`, email: null, admissionDate, stayType: 'temporary', plannedEndDate: addDaysIso(admissionDate, 40) };
      const r = await agent.post('/api/residents').send(body);
      expect(r.status).toBe(201);
      ids[key] = r.body.id;
    };
    const document = async (key: string, residentKey: string, type: 'dipc' | 'avenant', input: object) => {
      const [doc] = await sql(
        `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, $4, 'ready', now(), now()) RETURNING id`,
        [h.orgA.organisationId, h.orgA.establishmentId, ids[residentKey], type],
      );
      const [version] = await sql(
        `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
         VALUES ($1, $2, 1, 'Création', 'ready', $3, '1.0.0', 'h', 'r', $4, $5, now()) RETURNING id`,
        [h.orgA.organisationId, doc.id, type, JSON.stringify(input), `hash-${key}`],
      );
      await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, version.id]);
      docs[key] = doc.id;
    };
    const dipc = (key: string) => document(key, key, 'dipc', { document: {} });
    await resident('none', 10);
    await resident('late', 20);
    await dipc('late');
    await resident('soon', 8);
    await dipc('soon');
    await document('avenantDipc', 'soon', 'avenant', { document: { purpose: 'accompagnement', appliesTo: 'dipc' } });
    await document('avenantContract', 'soon', 'avenant', { document: { purpose: 'accompagnement', appliesTo: 'contrat-sejour' } });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('« DIPC à établir »: one date, 15 days after admission — no « À signer avant le » a month on', async () => {
    const w = await h.app.get(WorklistService).forActor(actor);
    const it = item(w, `missing_contract:${ids.none}`)!;
    expect(it).toMatchObject({ title: 'DIPC à établir', dueDay: addDaysIso(today, 5), overdue: false });
    expect(it.dates).toEqual([
      { label: 'Arrivée le', value: addDaysIso(today, -10) },
      { label: 'À établir, signer par la direction et remettre avant le', value: addDaysIso(today, 5) },
    ]);
  });

  it('a DIPC drawn up but not signed by the director nor handed over: late at 15 days, whatever the countersignature', async () => {
    const w = await h.app.get(WorklistService).forActor(actor);
    const late = item(w, `contract_late:${docs.late}`)!;
    expect(late).toMatchObject({ title: 'DIPC à signer par la direction et à remettre', dueDay: addDaysIso(today, -5), overdue: true });
    expect(late.detail).toBe('Non établi, signé par la direction et remis dans les 15 jours qui suivent l’admission (CASF D.311).');
    expect(late.dates.map((d) => d.label)).toEqual(['Arrivée le', 'À établir, signer par la direction et remettre avant le']);
    const soon = item(w, `contract_late:${docs.soon}`)!;
    expect(soon).toMatchObject({ dueDay: addDaysIso(today, 7), overdue: false, detail: null });
    for (const i of [late, soon]) expect(JSON.stringify(i)).not.toContain('mois');
  });

  it('the request’s legal deadline is the 15th day, not the contract’s month', async () => {
    const legal = await h.app.get(SignatureRequestsService).legalDeadlineFor(actor, docs.soon);
    expect(legal!.toISOString()).toBe(endOfDayIn(addDaysIso(today, 7)).toISOString());
  });

  it('an avenant to the DIPC is signed as the DIPC: the person and her curateur may countersign, the director signs (CASF D.311 II and VII)', async () => {
    const requests = h.app.get(SignatureRequestsService);
    const shape = (d: { signers: { key: string; order: number; optional: boolean }[] }) => d.signers.map((s) => `${s.key.split(':')[0]}:${s.order}${s.optional ? '?' : ''}`);
    const toDipc = await requests.preview(actor, docs.avenantDipc);
    expect(shape(toDipc)).toEqual(['resident:1?', 'curateur:1?', 'director:2']);
    expect(toDipc.explanation).toContain('Avenant au DIPC');
    // The version's data decides: an avenant to the contract stays required.
    expect(shape(await requests.preview(actor, docs.avenantContract))).toEqual(['resident:1', 'curateur:1', 'director:2']);
  });
});

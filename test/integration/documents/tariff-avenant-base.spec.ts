import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { FIXTURE_CONTRACT_PRICES, TEST_PASSWORD, insertResidentsWithSignedContracts, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { formFieldsOf } from './form-fields';
import { TARIFF_COMMON, insertTariffAvenant, tariffAvenantDataFor } from './tariff-avenant-data';

/** Where the rendered pages are left for a person to look at. */
const SHOTS = process.env.TARIFF_BASE_SHOTS ?? '/tmp/tariff-base';

/**
 * CASF L.342-3: the prices « varient ensuite dans la limite d'un pourcentage fixé chaque année par
 * arrêté ». Each year's variation is on the price in force — the resident's last SIGNED tariff
 * avenant taking effect before the new one (by effective date), else the contract — not on the
 * contract's year-0 price. The fixture contract: 72,50 € hébergement + 6,50 € GIR 5-6 = 79,00 €.
 * Year 1 (1er janvier 2026, +2,5 %): 74,31 € + 6,50 € = 80,81 €, signed. Year 2 (1er janvier 2027,
 * +2 %): at most 74,31 × 1,02 = 75,80 € (not 72,50 × 1,02 = 73,95 €), 82,30 € in all, « Pour
 * mémoire, le total par jour était de 80,81 € » (not 79,00 €).
 */
describe('a tariff avenant varies from the price in force: the last signed tariff avenant, else the contract (CASF L.342-3)', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let agent: request.Agent;
  let ds: DataSource;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    worker = await startWorker(h.db.config, { probe: false });
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    ds = h.app.get(DataSource);
  });
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  const YEAR1 = { percentage: 2.5 };
  const YEAR1_PRICES = { hebergementPerDay: 74.31, dependanceGir56PerDay: 6.5, totalPerDay: 80.81 };
  const YEAR2 = { ...TARIFF_COMMON, effectiveOn: '2027-01-01', percentage: 2, basisReference: 'arrêté du 18 décembre 2026' };
  const residents = (count: number, tag: string) => insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count, tag });
  /** Residents whose 2026 tariff avenant (+2,5 % on the contract) is signed. */
  const withYear1 = async (count: number, tag: string, status = 'signed') => {
    const ids = await residents(count, tag);
    const avenants = [];
    for (const id of ids) avenants.push((await insertTariffAvenant(h, ds, id, '2026-01-01', { common: YEAR1, status })).id);
    return { ids, avenants };
  };
  /** The 2027 avenant as a person types it one by one: the new prices, the « before » left empty unless given. */
  const typed = (prices: { hebergementPerDay: number; dependanceGir56PerDay: number; totalPerDay: number }, previousPrices?: unknown) => ({
    purpose: 'tarifs',
    kind: 'avenant tarifaire au 1er janvier 2027',
    appliesTo: 'contrat-sejour',
    contractSignedOn: '2024-02-01',
    tariffChange: {
      effectiveOn: YEAR2.effectiveOn,
      basis: YEAR2.basis,
      basisReference: YEAR2.basisReference,
      percentage: YEAR2.percentage,
      cvsConsultedOn: YEAR2.cvsConsultedOn,
      prices,
      ...(previousPrices !== undefined ? { previousPrices } : {}),
    },
  });
  const post = (residentId: string, data: Record<string, unknown>) => agent.post('/api/documents').send({ residentId, type: 'avenant', data });
  const tariffChangeOf = async (documentId: string) =>
    ((await ds.query(`SELECT v.input #> '{document,tariffChange}' AS tc FROM documents d JOIN document_versions v ON v.id = d.current_version_id WHERE d.id = $1`, [documentId]))[0] as {
      tc: { prices: Record<string, number>; previousPrices: Record<string, number> | null };
    }).tc;

  describe('one by one (POST /api/documents, purpose « tarifs »)', () => {
    it('the 2027 avenant’s « before » prices are the signed 2026 avenant’s: filled when left empty; the contract’s are refused, naming the price in force', async () => {
      const { ids } = await withYear1(2, 'UnParUn');
      const created = await post(ids[0], typed({ hebergementPerDay: 75.8, dependanceGir56PerDay: 6.5, totalPerDay: 82.3 }));
      expect(created.status).toBe(202);
      expect((await tariffChangeOf(created.body.id)).previousPrices).toEqual(YEAR1_PRICES);

      // The contract's prices typed as « before » (what the product printed from year 2): refused.
      const stale = await post(ids[1], typed({ hebergementPerDay: 75.8, dependanceGir56PerDay: 6.5, totalPerDay: 82.3 }, FIXTURE_CONTRACT_PRICES));
      expect({ status: stale.status, code: stale.body.error?.code }).toEqual({ status: 409, code: 'TARIFF_PREVIOUS_PRICE_MISMATCH' });
      expect(stale.body.error.message).toContain('avenant tarifaire signé au 1er janvier 2026');
      expect(stale.body.error.message).toContain('80,81 €');
      expect(stale.body.error.details).toEqual([expect.objectContaining({ field: 'data.tariffChange.previousPrices.totalPerDay' })]);
      // The data the bulk run would build (tariffAvenantDataFor): the same « before » prices, accepted.
      const built = await tariffAvenantDataFor(h, ds, ids[1], '2027-01-01', { percentage: 2 });
      expect((built.tariffChange as { previousPrices: unknown; prices: unknown }).previousPrices).toEqual(YEAR1_PRICES);
      expect((built.tariffChange as { prices: unknown }).prices).toEqual({ hebergementPerDay: 75.8, dependanceGir56PerDay: 6.5, totalPerDay: 82.3 });
      expect((await post(ids[1], built)).status).toBe(202);
    });

    it('TARIFF_ABOVE_PERCENTAGE is computed on the 2026 avenant’s price: 75,80 € is lawful at 2 %, 75,81 € is not', async () => {
      const { ids } = await withYear1(2, 'Plafond');
      const above = await post(ids[0], typed({ hebergementPerDay: 75.81, dependanceGir56PerDay: 6.5, totalPerDay: 82.31 }));
      expect({ status: above.status, code: above.body.error?.code }).toEqual({ status: 409, code: 'TARIFF_ABOVE_PERCENTAGE' });
      expect(above.body.error.message).toContain('L.342-3');
      expect(above.body.error.message).toContain('74,31 €');
      expect(above.body.error.details).toEqual([expect.objectContaining({ field: 'data.tariffChange.prices.hebergementPerDay', message: expect.stringContaining('75,80 €') })]);
      expect((await ds.query(`SELECT count(*)::int AS n FROM documents WHERE resident_id = $1 AND type = 'avenant'`, [ids[0]]))[0].n).toBe(1);
      expect((await post(ids[1], typed({ hebergementPerDay: 75.8, dependanceGir56PerDay: 6.5, totalPerDay: 82.3 }))).status).toBe(202);
    });

    it('the base is the avenant with the latest effective date, not the latest made', async () => {
      const [r] = await residents(1, 'Ordre');
      await insertTariffAvenant(h, ds, r, '2026-01-01', { common: YEAR1, createdAt: '2025-12-10T10:00:00Z' });
      // Made later, for an earlier date (a catch-up, refused since TARIFF_LATER_AVENANT_EXISTS but possible in older files), with another price: not the price in force in 2027.
      await insertTariffAvenant(h, ds, r, '2025-07-01', {
        common: { basis: 'arrete_departemental', percentage: null, basisReference: 'arrêté du président du conseil départemental', hebergementPerDay: 90 },
        createdAt: '2026-03-01T10:00:00Z',
      });
      const created = await post(r, typed({ hebergementPerDay: 75.8, dependanceGir56PerDay: 6.5, totalPerDay: 82.3 }));
      expect(created.status).toBe(202);
      expect((await tariffChangeOf(created.body.id)).previousPrices).toEqual(YEAR1_PRICES);
    });

    it('an earlier tariff avenant awaiting signature: 409 TARIFF_AVENANT_PENDING naming it; refused, the resident stays at the price before it', async () => {
      const { ids } = await withYear1(1, 'Attente');
      const [r] = ids;
      // July 2026, +1 % on 2026's, still in signature: the 2027 price cannot be built on it nor without it.
      const july = await insertTariffAvenant(h, ds, r, '2026-07-01', { common: { percentage: 1 }, status: 'in_signature' });
      const data = typed({ hebergementPerDay: 75.8, dependanceGir56PerDay: 6.5, totalPerDay: 82.3 });
      const refused = await post(r, data);
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 409, code: 'TARIFF_AVENANT_PENDING' });
      expect(refused.body.error.message).toContain('L’avenant tarifaire au 1er juillet 2026 de ce résident');
      expect(refused.body.error.message).toContain('n’est pas encore signé');
      expect(refused.body.error.message).toContain(`/console/documents/${july.id}`);
      expect(refused.body.error.pending).toEqual({ id: july.id, href: `/console/documents/${july.id}` });
      // The console's form says it at the top, with a link to the avenant to have signed (or cancelled).
      const url = `/console/residents/${r}/documents/nouveau?type=avenant`;
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get(url).expect(200)).text)![1];
      const page = await agent.post(url).type('form').send({ _csrf: csrf, _action: 'preview', ...formFieldsOf(data) });
      expect(page.status).toBe(409);
      const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(page.text)![0];
      expect(text(summary)).toContain('L’avenant tarifaire au 1er juillet 2026 de ce résident');
      expect(summary).toContain(`<a href="/console/documents/${july.id}">Ouvrir l’avenant tarifaire au 1er juillet 2026</a> pour le faire signer ou l’annuler.`);
      writeFileSync(join(SHOTS, 'console-pending.html'), page.text);

      // The resident refuses the July avenant: it never took effect, the 2026 price is still in force.
      await ds.query(`UPDATE documents SET status = 'refused' WHERE id = $1`, [july.id]);
      const created = await post(r, data);
      expect(created.status).toBe(202);
      expect((await tariffChangeOf(created.body.id)).previousPrices).toEqual(YEAR1_PRICES);
    });

    it('an older avenant left unsigned, superseded by a later signed one, does not block', async () => {
      const [r] = await residents(1, 'Ancien');
      await insertTariffAvenant(h, ds, r, '2025-01-01', { common: { percentage: 1 }, status: 'ready' });
      await insertTariffAvenant(h, ds, r, '2026-01-01', { common: YEAR1 });
      const created = await post(r, typed({ hebergementPerDay: 75.8, dependanceGir56PerDay: 6.5, totalPerDay: 82.3 }));
      expect(created.status).toBe(202);
      expect((await tariffChangeOf(created.body.id)).previousPrices).toEqual(YEAR1_PRICES);
    });

    it('an avenant dated before one already signed or in signature: 409 TARIFF_LATER_AVENANT_EXISTS naming it (its « Pour mémoire » would be wrong after the fact); cancelled, it can be made', async () => {
      const { ids } = await withYear1(1, 'Posterieur');
      const [r] = ids;
      // 2027's (+2 % on 2026's 80,81 €) awaits its signature; then a July 2026 change is typed.
      const later = await insertTariffAvenant(h, ds, r, '2027-01-01', { common: { percentage: 2 }, status: 'in_signature' });
      const july = typed({ hebergementPerDay: 75.05, dependanceGir56PerDay: 6.5, totalPerDay: 81.55 });
      const jt = july.tariffChange as Record<string, unknown>;
      Object.assign(july, { kind: 'avenant tarifaire au 1er juillet 2026' });
      // The percentage is 2026's, over the price on 31 December 2025 (the contract's 72,50 €): 75,05 € is 3,52 % above it, within 3,6 % (CASF L.342-3).
      Object.assign(jt, { effectiveOn: '2026-07-01', percentage: 3.6, basisReference: 'arrêté du 30 juin 2026' });
      const refused = await post(r, july);
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 409, code: 'TARIFF_LATER_AVENANT_EXISTS' });
      expect(refused.body.error.message).toContain('Ce résident a déjà un avenant tarifaire au 1er janvier 2027 (en cours), postérieur au 1er juillet 2026');
      expect(refused.body.error.message).toContain('CASF L.342-3');
      expect(refused.body.error.later).toEqual({ id: later.id, href: `/console/documents/${later.id}` });
      // Signed, the same.
      await ds.query(`UPDATE documents SET status = 'signed' WHERE id = $1`, [later.id]);
      expect((await post(r, july)).body.error?.code).toBe('TARIFF_LATER_AVENANT_EXISTS');
      // A bulk run for that date lists the resident as left out, with the code.
      const candidates = await agent.get(`/api/bulk-runs/candidates?establishmentId=${h.orgA.establishmentId}&kind=avenant-tarifs&effectiveOn=2026-07-01`);
      if (candidates.status === 200) {
        const mine = (candidates.body.candidates ?? candidates.body).find((c: { residentId: string }) => c.residentId === r);
        expect(mine).toMatchObject({ eligible: false, code: 'TARIFF_LATER_AVENANT_EXISTS' });
      }
      // Cancelled (it never took effect): the July change can be made, on 2026's price.
      await ds.query(`UPDATE documents SET status = 'cancelled' WHERE id = $1`, [later.id]);
      const created = await post(r, july);
      expect(created.status).toBe(202);
      expect((await tariffChangeOf(created.body.id)).previousPrices).toEqual(YEAR1_PRICES);
    });

    it('the console’s form, carried over from the 2026 avenant, does not carry its « before » prices; its preview recalls 80,81 €', async () => {
      const { ids } = await withYear1(1, 'Console');
      const [r] = ids;
      const url = `/console/residents/${r}/documents/nouveau?type=avenant`;
      const page = (await agent.get(url).expect(200)).text;
      // Carried over: the 2026 avenant's new prices, for staff to update…
      expect(page).toMatch(/name="tariffChange\.prices\.totalPerDay"[^>]*value="80[.,]81"/);
      // …but not its « before » (the contract's 79 €, in force before 2026 only).
      expect(page).not.toMatch(/name="tariffChange\.previousPrices\.totalPerDay"[^>]*value="/);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
      const fields = formFieldsOf(typed({ hebergementPerDay: 75.8, dependanceGir56PerDay: 6.5, totalPerDay: 82.3 }));
      const preview = await agent.post(url).type('form').send({ _csrf: csrf, _action: 'preview', ...fields });
      expect(preview.status).toBe(200);
      expect(text(preview.text)).toMatch(/Pour mémoire, le total par jour était de 80,81\s€/);
    });
  });

  /**
   * The percentage is yearly (CASF L.342-3; the arrêté: « ne peut augmenter de plus de … % au cours
   * de l'année … par rapport à l'année précédente »): two revalorisations in 2027 add up within it,
   * from the price in force on 31 December 2026 (the contract's 72,50 €: at most 73,95 € at 2 %).
   */
  describe('two signed avenants in one year: the year’s rises add up within the yearly percentage', () => {
    const Y2027 = { ...TARIFF_COMMON, basisReference: 'arrêté du 18 décembre 2026', percentage: 2 };
    /** A resident whose 1 January 2027 (+1 % → 73,23 €) and 1 July 2027 (→ 73,60 €, within 2 % of 72,50 €) avenants are signed. */
    const twoIn2027 = async (tag: string) => {
      const [r] = await residents(1, tag);
      await insertTariffAvenant(h, ds, r, '2027-01-01', { common: { ...Y2027, percentage: 1 } });
      await insertTariffAvenant(h, ds, r, '2027-07-01', { common: { ...Y2027, hebergementPerDay: 73.6 } });
      return r;
    };
    const october = (hebergementPerDay: number) => ({
      purpose: 'tarifs',
      kind: 'avenant tarifaire au 1er octobre 2027',
      appliesTo: 'contrat-sejour',
      contractSignedOn: '2024-02-01',
      tariffChange: {
        effectiveOn: '2027-10-01',
        basis: 'revalorisation_annuelle',
        basisReference: Y2027.basisReference,
        percentage: 2,
        prices: { hebergementPerDay, dependanceGir56PerDay: 6.5, totalPerDay: Math.round((hebergementPerDay + 6.5) * 100) / 100 },
      },
    });

    it('one by one: 73,60 × 1,02 = 75,07 € is refused, naming 72,50 €, its source and the 2 %; 73,95 € is accepted, « Pour mémoire » 80,10 €', async () => {
      const r = await twoIn2027('DeuxEnUnAn');
      const above = await post(r, october(75.07));
      expect({ status: above.status, code: above.body.error?.code }).toEqual({ status: 409, code: 'TARIFF_ABOVE_PERCENTAGE' });
      expect(above.body.error.message).toContain('au plus 2 % sur l’année par rapport au prix en vigueur au 31 décembre 2026, celui du contrat de séjour (72,50 € par jour)');
      expect(above.body.error.message).toContain('Un avenant tarifaire a déjà pris effet le 1er juillet 2027 (73,60 € par jour)');
      expect(above.body.error.details).toEqual([expect.objectContaining({ field: 'data.tariffChange.prices.hebergementPerDay', message: expect.stringContaining('73,95 €') })]);
      expect(await ds.query(`SELECT count(*)::int AS n FROM documents WHERE resident_id = $1 AND type = 'avenant'`, [r])).toEqual([{ n: 2 }]);
      const ok = await post(r, october(73.95));
      expect(ok.status).toBe(202);
      expect((await tariffChangeOf(ok.body.id)).previousPrices).toEqual({ hebergementPerDay: 73.6, dependanceGir56PerDay: 6.5, totalPerDay: 80.1 });
      // Avenant 1.9.0 prints the base of the yearly percentage: computed from the contract, never typed.
      expect((await tariffChangeOf(ok.body.id)) as unknown).toMatchObject({ yearBase: { on: '2026-12-31', from: 'fin_annee', hebergementPerDay: 72.5 } });
    });

    it('the bulk run: the resident’s item fails the same way (TARIFF_ABOVE_PERCENTAGE); the computed price is the year’s cap, 73,95 €', async () => {
      const a = await twoIn2027('DeuxEnUnAnLotA');
      const b = await twoIn2027('DeuxEnUnAnLotB');
      const start = async (commonData: Record<string, unknown>, residentIds: string[]) => {
        const id = (await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData, residentIds }).expect(202)).body.id as string;
        await waitUntil('the bulk run to finish', async () => !(await agent.get(`/api/bulk-runs/${id}`)).body.inProgress, 60000);
        return (await agent.get(`/api/bulk-runs/${id}`).expect(200)).body as { counts: Record<string, number>; problems: { residentId: string; code: string; message: string }[] };
      };
      const typedForAll = await start({ ...Y2027, effectiveOn: '2027-10-01', hebergementPerDay: 75.07 }, [a]);
      expect(typedForAll.counts).toMatchObject({ created: 0, failed: 1 });
      expect(typedForAll.problems).toEqual([expect.objectContaining({ residentId: a, code: 'TARIFF_ABOVE_PERCENTAGE', message: expect.stringContaining('(72,50 € par jour)') })]);
      const computed = await start({ ...Y2027, effectiveOn: '2027-10-01' }, [b]);
      expect(computed.counts).toMatchObject({ created: 1, failed: 0 });
      const [row] = (await ds.query(
        `SELECT v.input #> '{document,tariffChange}' AS tc FROM documents d JOIN document_versions v ON v.id = d.current_version_id
          WHERE d.resident_id = $1 AND d.type = 'avenant' AND v.input #>> '{document,tariffChange,effectiveOn}' = '2027-10-01'`,
        [b],
      )) as { tc: { prices: Record<string, number>; previousPrices: Record<string, number> } }[];
      expect(row.tc.prices).toEqual({ hebergementPerDay: 73.95, dependanceGir56PerDay: 6.5, totalPerDay: 80.45 });
      expect(row.tc.previousPrices).toEqual({ hebergementPerDay: 73.6, dependanceGir56PerDay: 6.5, totalPerDay: 80.1 });

      // Avenant 1.9.0: the 2 % is the year's rate over 72,50 € (31 December 2026), not a rise over the 73,60 € recalled
      // « Pour mémoire » (+0,48 %): both printed, each saying what it is (CASF L.342-3).
      const [doc] = (await ds.query(
        `SELECT d.id, d.current_version_id AS version_id, v.template_version FROM documents d JOIN document_versions v ON v.id = d.current_version_id
          WHERE d.resident_id = $1 AND d.type = 'avenant' AND v.input #>> '{document,tariffChange,effectiveOn}' = '2027-10-01'`,
        [b],
      )) as { id: string; version_id: string; template_version: string }[];
      expect(doc.template_version).toBe('1.14.0');
      const dir = mkdtempSync(join(tmpdir(), 'tariff-year-'));
      for (const variant of ['standard', 'large-print', 'falc'] as const) {
        const pdf = (await agent.get(`/api/documents/${doc.id}/versions/${doc.version_id}/renditions/pdf/${variant}`).buffer(true).parse(binary).expect(200)).body as Buffer;
        const file = join(dir, `avenant-2027-10-${variant}.pdf`);
        writeFileSync(file, pdf);
        const pdfText = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
        if (variant !== 'falc') {
          expect(pdfText).toContain('Taux annuel de revalorisation : 2 %, par rapport au prix en vigueur au 31 décembre 2026 (72,50 € par jour pour l’hébergement) ; plusieurs hausses la même année ne dépassent pas, ensemble, ce taux (CASF L.342-3).');
          expect(pdfText).not.toContain('Taux de revalorisation appliqué');
          expect(pdfText).toContain('Pour mémoire, le total par jour était de 80,10 €.');
        } else {
          expect(pdfText).toContain('Cette limite se compte à partir de votre prix du 31 décembre 2026.');
          expect(pdfText).toContain('Avant, vous payiez 80,10 € pour 1 jour.');
        }
        const pages = Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout)![1]);
        const page = Array.from({ length: pages }, (_, i) => i + 1).find((p) => spawnSync('pdftotext', ['-f', String(p), '-l', String(p), file, '-'], { encoding: 'utf8' }).stdout.includes(variant !== 'falc' ? 'Pour mémoire' : 'Avant, vous payiez'))!;
        expect(spawnSync('pdftoppm', ['-png', '-r', '80', '-f', String(page), '-l', String(page), '-singlefile', file, join(SHOTS, `avenant-2027-10-taux-annuel-${variant}`)]).status).toBe(0);
      }
    });
  });

  describe('the bulk run (apps/worker: BulkRunsService.processChunk)', () => {
    const finished = async (id: string) => {
      await waitUntil('the bulk run to finish and its documents to be generated', async () => !(await agent.get(`/api/bulk-runs/${id}`)).body.inProgress, 60000);
      return (await agent.get(`/api/bulk-runs/${id}`).expect(200)).body as { counts: Record<string, number>; problems: { residentId: string; status: string; code: string; message: string }[] };
    };
    const run = async (commonData: Record<string, unknown>, residentIds: string[]) =>
      finished((await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData, residentIds }).expect(202)).body.id);
    const avenantOf = async (residentId: string) =>
      (await ds.query(
        `SELECT d.id, d.current_version_id AS version_id, v.input #> '{document,tariffChange}' AS tc FROM documents d JOIN document_versions v ON v.id = d.current_version_id
          WHERE d.resident_id = $1 AND d.type = 'avenant' AND v.input #>> '{document,tariffChange,effectiveOn}' = '2027-01-01'`,
        [residentId],
      )) as { id: string; version_id: string; tc: { prices: Record<string, number>; previousPrices: Record<string, number> } }[];

    it('2027 is built on the signed 2026 avenant; a price lawful from it is accepted; a resident whose 2026 avenant awaits signature is left out (TARIFF_AVENANT_PENDING); the PDF recalls 80,81 €', async () => {
      const signed = await withYear1(2, 'LotSigne');
      const waiting = await withYear1(1, 'LotAttente', 'ready');
      const [a, b] = signed.ids;
      const [c] = waiting.ids;

      const candidates = new Map(
        ((await agent.get(`/api/bulk-runs/candidates?establishmentId=${h.orgA.establishmentId}&effectiveOn=2027-01-01`).expect(200)).body as { residentId: string; eligible: boolean; code: string | null; reason: string | null }[]).map(
          (x) => [x.residentId, x],
        ),
      );
      expect(candidates.get(a)).toMatchObject({ eligible: true, code: null });
      expect(candidates.get(c)).toMatchObject({ eligible: false, code: 'TARIFF_AVENANT_PENDING', reason: expect.stringContaining('au 1er janvier 2026 de ce résident') });

      // The percentage on the price in force: 74,31 × 1,02 = 75,7962 → 75,80 €.
      const first = await run(YEAR2, [a, c]);
      expect(first.counts).toMatchObject({ created: 1, skipped: 1, failed: 0 });
      expect(first.problems).toEqual([expect.objectContaining({ residentId: c, status: 'skipped', code: 'TARIFF_AVENANT_PENDING' })]);
      const [made] = await avenantOf(a);
      expect(made.tc.prices).toEqual({ hebergementPerDay: 75.8, dependanceGir56PerDay: 6.5, totalPerDay: 82.3 });
      expect(made.tc.previousPrices).toEqual(YEAR1_PRICES);

      // A price typed for everyone, lawful from 2026's (at most 75,80 €), above 2 % on the contract's (73,95 €): created.
      const second = await run({ ...YEAR2, hebergementPerDay: 75.8 }, [b]);
      expect(second.counts).toMatchObject({ created: 1, failed: 0 });
      expect((await avenantOf(b))[0].tc.previousPrices).toEqual(YEAR1_PRICES);

      // The standard PDF of the 2027 avenant: « Pour mémoire, le total par jour était de 80,81 € ».
      const pdf = (await agent.get(`/api/documents/${made.id}/versions/${made.version_id}/renditions/pdf/standard`).buffer(true).parse(binary).expect(200)).body as Buffer;
      const dir = mkdtempSync(join(tmpdir(), 'tariff-base-'));
      const file = join(dir, 'avenant-2027.pdf');
      writeFileSync(file, pdf);
      const pdfText = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
      expect(pdfText).toMatch(/Pour mémoire, le total par jour était de 80,81 €/);
      expect(pdfText).not.toMatch(/était de 79,00 €/);
      const pages = Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout)![1]);
      const page = Array.from({ length: pages }, (_, i) => i + 1).find((p) => spawnSync('pdftotext', ['-f', String(p), '-l', String(p), file, '-'], { encoding: 'utf8' }).stdout.includes('Pour mémoire'))!;
      expect(spawnSync('pdftoppm', ['-png', '-r', '80', '-f', String(page), '-l', String(page), '-singlefile', file, join(SHOTS, 'avenant-2027-pour-memoire')]).status).toBe(0);
    });

    it('a refused tariff avenant never took effect: the 2027 run starts from the price before it (the signed January 2026 avenant’s, or the contract’s)', async () => {
      // January 2026 signed (80,81 €), then July 2026 (+1 %) refused by the resident.
      const { ids: [afterJanuary] } = await withYear1(1, 'LotRefusJuillet');
      const july = await insertTariffAvenant(h, ds, afterJanuary, '2026-07-01', { common: { percentage: 1 }, status: 'refused' });
      // Only a January 2026 avenant, refused: the contract's prices are still in force.
      const { ids: [onlyRefused], avenants } = await withYear1(1, 'LotRefus', 'refused');
      expect(july.id).toEqual(expect.any(String));
      expect(avenants).toHaveLength(1);

      const done = await run(YEAR2, [afterJanuary, onlyRefused]);
      expect(done.counts).toMatchObject({ created: 2, failed: 0 });
      const [fromJanuary] = await avenantOf(afterJanuary);
      expect(fromJanuary.tc.previousPrices).toEqual(YEAR1_PRICES);
      expect(fromJanuary.tc.prices).toEqual({ hebergementPerDay: 75.8, dependanceGir56PerDay: 6.5, totalPerDay: 82.3 });
      const [fromContract] = await avenantOf(onlyRefused);
      // 72,50 × 1,02 = 73,95 €.
      expect(fromContract.tc.previousPrices).toEqual(FIXTURE_CONTRACT_PRICES);
      expect(fromContract.tc.prices).toEqual({ hebergementPerDay: 73.95, dependanceGir56PerDay: 6.5, totalPerDay: 80.45 });
    });
  });
});

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  (res as unknown as NodeJS.ReadableStream).on('data', (c: Buffer) => chunks.push(c));
  (res as unknown as NodeJS.ReadableStream).on('end', () => cb(null, Buffer.concat(chunks)));
}
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, '’')
    .replace(/&nbsp;|\u00a0|\u202f/g, ' ')
    .replace(/\s+/g, ' ');

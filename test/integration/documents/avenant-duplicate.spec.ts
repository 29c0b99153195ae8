import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, insertResidentsWithSignedContracts, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { formFieldsOf } from './form-fields';
import { insertTariffAvenant, tariffAvenantDataFor } from './tariff-avenant-data';

/**
 * One tariff avenant per resident and effective date (409 AVENANT_ALREADY_EXISTS), under the
 * resident's row lock so that two simultaneous requests cannot both pass. A cancelled or refused
 * avenant does not count. The 409 names the existing avenant for programs (`existing: { id, href }`)
 * and the console links to it.
 */
describe('a tariff avenant: never two for the same resident and effective date', () => {
  let h: ApiHarness;
  let agent: request.Agent;
  let ds: DataSource;

  beforeAll(async () => {
    h = await startApiHarness();
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    ds = h.app.get(DataSource);
  });
  afterAll(async () => {
    await h?.close();
  });

  const residents = (count: number, tag: string) => insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count, tag });
  const resident = async (tag: string) => (await residents(1, tag))[0];
  const avenantData = (residentId: string, effectiveOn: string) => tariffAvenantDataFor(h, ds, residentId, effectiveOn);
  const post = async (residentId: string, effectiveOn: string) => agent.post('/api/documents').send({ residentId, type: 'avenant', data: await avenantData(residentId, effectiveOn) });
  const create = async (residentId: string, effectiveOn: string) => {
    const res = await post(residentId, effectiveOn);
    expect(res.status).toBe(202);
    return (res.body as { id: string }).id;
  };
  const correct = async (documentId: string, residentId: string, effectiveOn: string) =>
    agent.post(`/api/documents/${documentId}/versions`).send({ data: await avenantData(residentId, effectiveOn), reason: 'Date d’effet corrigée' });
  /** Each of the resident's avenants with its current version's number and effective date, oldest first. */
  const avenants = async (residentId: string) =>
    (await ds.query(
      `SELECT d.id, d.status, v.number, v.input #>> '{document,tariffChange,effectiveOn}' AS effective_on FROM documents d JOIN document_versions v ON v.id = d.current_version_id
        WHERE d.resident_id = $1 AND d.type = 'avenant' ORDER BY d.created_at`,
      [residentId],
    )) as { id: string; status: string; number: number; effective_on: string }[];

  describe('created one by one (the bulk run refused a second one, BULK_AVENANT_EXISTS, but `POST /api/documents` and « Nouveau document » made it)', () => {
    it('a second POST for the same date: 409 AVENANT_ALREADY_EXISTS naming the existing avenant and its date; another date is fine', async () => {
      const [resident] = await residents(1, 'Seul');
      const first = (await (await post(resident, '2027-01-01')).body) as { id: string };
      expect(first.id).toEqual(expect.any(String));

      const second = await post(resident, '2027-01-01');
      expect({ status: second.status, code: second.body.error?.code }).toEqual({ status: 409, code: 'AVENANT_ALREADY_EXISTS' });
      expect(second.body.error.message).toContain('déjà un avenant tarifaire au 1er janvier 2027');
      expect(second.body.error.message).toContain(`/console/documents/${first.id}`);
      expect(second.body.error.details).toEqual([expect.objectContaining({ field: 'data.tariffChange.effectiveOn', code: 'AVENANT_ALREADY_EXISTS' })]);

      // An earlier date would change the price January's recalls (TARIFF_LATER_AVENANT_EXISTS), a later one waits for
      // January's signature (TARIFF_AVENANT_PENDING, tariff-avenant-base.spec.ts); once January's is signed, a later date is fine.
      expect((await post(resident, '2026-07-01')).body.error?.code).toBe('TARIFF_LATER_AVENANT_EXISTS');
      await ds.query(`UPDATE documents SET status = 'signed' WHERE id = $1`, [first.id]);
      expect((await post(resident, '2027-07-01')).status).toBe(202);
      expect((await avenants(resident)).map((a) => a.effective_on)).toEqual(['2027-01-01', '2027-07-01']);
    });

    it('two POSTs at once for the same resident and date: one 202, one 409; one avenant', async () => {
      const [resident] = await residents(1, 'Ensemble');
      const data = await avenantData(resident, '2027-01-01');
      // Really concurrent: both requests are on the wire before either answers.
      const answers = await Promise.all([0, 1].map(() => agent.post('/api/documents').send({ residentId: resident, type: 'avenant', data })));
      expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
      const winner = answers.find((a) => a.status === 202)!.body as { id: string };
      expect(answers.find((a) => a.status === 409)!.body.error).toMatchObject({ code: 'AVENANT_ALREADY_EXISTS', message: expect.stringContaining(`/console/documents/${winner.id}`) });
      expect((await avenants(resident)).map((a) => a.id)).toEqual([winner.id]);
    });

    it('a cancelled or refused avenant for the date does not block a new one', async () => {
      const [cancelled, refused] = await residents(2, 'Clos');
      for (const [resident, status] of [
        [cancelled, 'cancelled'],
        [refused, 'refused'],
      ] as const) {
        const made = (await post(resident, '2027-01-01')).body as { id: string };
        await ds.query(`UPDATE documents SET status = $2 WHERE id = $1`, [made.id, status]);
        expect((await post(resident, '2027-01-01')).status).toBe(202);
      }
    });

    it('the console « Nouveau document »: the preview and « Générer » refuse it in French, on the page', async () => {
      const [resident] = await residents(1, 'Console');
      const existing = (await post(resident, '2027-01-01')).body as { id: string };
      const url = `/console/residents/${resident}/documents/nouveau?type=avenant`;
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get(url).expect(200)).text)![1];
      const fields = formFieldsOf(await avenantData(resident, '2027-01-01'));
      const preview = await agent.post(url).type('form').send({ _csrf: csrf, _action: 'preview', ...fields });
      expect(preview.status).toBe(409);
      expect(text(preview.text)).toContain('Ce résident a déjà un avenant tarifaire au 1er janvier 2027');
      expect(preview.text).toContain(`/console/documents/${existing.id}`);
      // « Générer » with a stale preview (posted from an older page): the same refusal.
      const generate = await agent.post(url).type('form').send({ _csrf: csrf, _action: 'generate', _apercu: 'x', ...fields });
      expect(generate.status).toBe(409);
      expect((await avenants(resident)).map((a) => a.id)).toEqual([existing.id]);
      // Another date, once January's is signed: the preview is shown.
      await ds.query(`UPDATE documents SET status = 'signed' WHERE id = $1`, [existing.id]);
      expect((await agent.post(url).type('form').send({ _csrf: csrf, _action: 'preview', ...formFieldsOf(await avenantData(resident, '2027-07-01')) })).status).toBe(200);
    });
  });

  describe('corrected onto another’s date (a new version of another avenant could move its effective date onto the first one’s; the avenant being corrected is not its own duplicate)', () => {
    it('API: moving an avenant onto another’s date is refused, naming that one (message and `existing`); its own date or a free one is fine', async () => {
      const r = await resident('Correction');
      // January's signed (July's varies from it), then July's.
      const january = await create(r, '2027-01-01');
      await ds.query(`UPDATE documents SET status = 'signed' WHERE id = $1`, [january]);
      const july = await create(r, '2027-07-01');

      const refused = await correct(july, r, '2027-01-01');
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 409, code: 'AVENANT_ALREADY_EXISTS' });
      expect(refused.body.error.message).toContain('Ce résident a déjà un avenant tarifaire au 1er janvier 2027');
      expect(refused.body.error.message).toContain(`/console/documents/${january}`);
      expect(refused.body.error.existing).toEqual({ id: january, href: `/console/documents/${january}` });
      expect(refused.body.error.details).toEqual([expect.objectContaining({ field: 'data.tariffChange.effectiveOn', code: 'AVENANT_ALREADY_EXISTS' })]);
      // Nothing was stored: July's avenant is still at its version 1, in July.
      expect((await avenants(r)).map(({ id, number, effective_on }) => ({ id, number, effective_on }))).toEqual([
        { id: january, number: 1, effective_on: '2027-01-01' },
        { id: july, number: 1, effective_on: '2027-07-01' },
      ]);

      // Its own date (a correction of something else): the avenant is not its own duplicate.
      expect((await correct(july, r, '2027-07-01')).status).toBe(202);
      // A date nobody has, after January's: fine. Before it: January's « Pour mémoire » would change after the fact.
      expect((await correct(july, r, '2027-10-01')).status).toBe(202);
      expect((await correct(july, r, '2026-10-01')).body.error?.code).toBe('TARIFF_LATER_AVENANT_EXISTS');
      expect((await avenants(r)).map(({ id, number, effective_on }) => ({ id, number, effective_on }))).toEqual([
        { id: january, number: 1, effective_on: '2027-01-01' },
        { id: july, number: 3, effective_on: '2027-10-01' },
      ]);
    });

    it('a cancelled avenant at that date does not block the correction', async () => {
      const r = await resident('Annule');
      const cancelled = await create(r, '2027-01-01');
      await ds.query(`UPDATE documents SET status = 'cancelled' WHERE id = $1`, [cancelled]);
      const july = await create(r, '2027-07-01');
      expect((await correct(july, r, '2027-01-01')).status).toBe(202);
    });

    it('two avenants awaiting signature, as older files may hold: neither can be moved past or before the other (each recalls the price in force before it); at once, nothing is stored', async () => {
      const r = await resident('Ensemble');
      // Made before TARIFF_LATER_AVENANT_EXISTS: January's and July's both awaiting signature.
      const b = (await insertTariffAvenant(h, ds, r, '2027-01-01', { status: 'ready' })).id;
      const a = (await insertTariffAvenant(h, ds, r, '2027-07-01', { status: 'ready' })).id;
      // Really concurrent: July's moved before January's, January's moved after July's.
      const answers = await Promise.all([
        correct(a, r, '2026-07-01'),
        correct(b, r, '2027-10-01'),
      ]);
      expect(answers.map((x) => [x.status, x.body.error?.code])).toEqual([
        [409, 'TARIFF_LATER_AVENANT_EXISTS'],
        [409, 'TARIFF_AVENANT_PENDING'],
      ]);
      expect((await avenants(r)).map(({ id, number, effective_on }) => ({ id, number, effective_on }))).toEqual([
        { id: b, number: 1, effective_on: '2027-01-01' },
        { id: a, number: 1, effective_on: '2027-07-01' },
      ]);
    });

    it('a creation and a correction at once onto the same date: one passes', async () => {
      const r = await resident('Croise');
      const july = await create(r, '2027-07-01');
      const data = await avenantData(r, '2027-01-01');
      const answers = await Promise.all([
        agent.post('/api/documents').send({ residentId: r, type: 'avenant', data }),
        agent.post(`/api/documents/${july}/versions`).send({ data, reason: 'Nouvelle date d’effet' }),
      ]);
      expect(answers.map((x) => x.status).sort()).toEqual([202, 409]);
      expect((await avenants(r)).filter((x) => x.effective_on === '2027-01-01')).toHaveLength(1);
    });

    it('the console’s correction form: the preview and « Générer » refuse it, the message at the top with a link to the existing avenant, and by the date field', async () => {
      const r = await resident('Console');
      const january = await create(r, '2027-01-01');
      await ds.query(`UPDATE documents SET status = 'signed' WHERE id = $1`, [january]);
      const july = await create(r, '2027-07-01');
      const url = `/console/documents/${july}/corriger`;
      const page = await agent.get(url).expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const fields = { _csrf: csrf, _raisonVersion: 'Date d’effet corrigée', ...formFieldsOf(await avenantData(r, '2027-01-01')) };

      const preview = await agent.post(url).type('form').send({ ...fields, _action: 'preview' });
      expect(preview.status).toBe(409);
      const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(preview.text)![0];
      expect(text(summary)).toContain('Ce résident a déjà un avenant tarifaire au 1er janvier 2027');
      // A link to the existing avenant, not its path written out.
      expect(summary).toContain(`<a href="/console/documents/${january}">Ouvrir l’avenant tarifaire au 1er janvier 2027</a>`);
      expect(text(summary)).not.toContain(`/console/documents/${january}`);
      // By the field: the date input says why, and the summary links to it.
      expect(preview.text).toMatch(/<input[^>]*id="tariffChange-effectiveOn"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*tariffChange-effectiveOn-erreur/);
      expect(preview.text).toContain('<p class="field-error" id="tariffChange-effectiveOn-erreur">Un avenant tarifaire existe déjà au 1er janvier 2027 pour ce résident.</p>');
      expect(summary).toContain('href="#tariffChange-effectiveOn"');

      // « Générer » with a stale preview (posted from an older page): the same refusal, nothing stored.
      const generate = await agent.post(url).type('form').send({ ...fields, _action: 'generate', _apercu: 'x' });
      expect(generate.status).toBe(409);
      expect(generate.text).toContain(`<a href="/console/documents/${january}">`);
      expect((await avenants(r)).map((x) => [x.id, x.number])).toEqual([
        [january, 1],
        [july, 1],
      ]);

      // Its own date: the preview is shown.
      expect((await agent.post(url).type('form').send({ ...fields, ...formFieldsOf(await avenantData(r, '2027-07-01')), _action: 'preview' })).status).toBe(200);
    });

    it('the console’s new document form links to the existing avenant too', async () => {
      const r = await resident('Nouveau');
      const january = await create(r, '2027-01-01');
      const url = `/console/residents/${r}/documents/nouveau?type=avenant`;
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get(url).expect(200)).text)![1];
      const preview = await agent.post(url).type('form').send({ _csrf: csrf, _action: 'preview', ...formFieldsOf(await avenantData(r, '2027-01-01')) });
      expect(preview.status).toBe(409);
      const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(preview.text)![0];
      expect(summary).toContain(`<a href="/console/documents/${january}">Ouvrir l’avenant tarifaire au 1er janvier 2027</a>`);
      expect(text(summary)).not.toContain(`/console/documents/${january}`);
    });
  });
});

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, '’')
    .replace(/\s+/g, ' ');

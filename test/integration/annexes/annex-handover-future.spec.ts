import request from 'supertest';
import { DataSource } from 'typeorm';
import { calendarDayIn, formatDateFr } from '@carepact/common';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/** A calendar day in Paris, `offset` days from today (the service's days are Paris days). */
const day = (offset: number) => calendarDayIn(new Date(Date.now() + offset * 86_400_000));

/**
 * CASF L.311-4: the livret d'accueil, the charte and the règlement de fonctionnement are handed over
 * with the contract, and each version records the files in force on the day its data say they were
 * handed over (`annexesHandedOverOn`). A day still to come (Europe/Paris) is no handing over: it would
 * record as handed over files that are only planned. Refused (400 ANNEX_HANDOVER_IN_FUTURE, the French
 * message beside `data.annexesHandedOverOn`), nothing written — at creation and for a new version.
 * No worker: nothing is generated, the refusal comes first.
 */
describe('annexes handed over on a day still to come: refused, nothing written', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admissions: request.Agent;
  let residentId: string;

  /** What a refusal must leave as it was. */
  const state = async () => {
    const [row] = (await ds.query(
      `SELECT (SELECT count(*)::int FROM documents WHERE resident_id = $1) AS documents,
              (SELECT count(*)::int FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.resident_id = $1) AS versions,
              (SELECT count(*)::int FROM outbox) AS outbox,
              (SELECT count(*)::int FROM audit_events) AS audit`,
      [residentId],
    )) as Record<string, number>[];
    return row;
  };
  const refusedAsFuture = (res: request.Response, on: string) => {
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('ANNEX_HANDOVER_IN_FUTURE');
    expect(res.body.error.details).toEqual([
      {
        field: 'data.annexesHandedOverOn',
        code: 'ANNEX_HANDOVER_IN_FUTURE',
        message: expect.stringContaining('La date de remise du livret d’accueil, de la charte et du règlement de fonctionnement ne peut pas être dans le futur'),
      },
    ]);
    expect(res.body.error.details[0].message).toContain(`(ici le ${formatDateFr(on)})`);
  };

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    residentId = (await admissions.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a contract whose documents are handed over tomorrow: 400 ANNEX_HANDOVER_IN_FUTURE naming the field, no document, no job, no audit event', async () => {
    const before = await state();
    refusedAsFuture(await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ annexesHandedOverOn: day(1) }) }), day(1));
    refusedAsFuture(await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ annexesHandedOverOn: day(40) }) }), day(40));
    expect(await state()).toEqual(before);
  });

  it('today and a past day are accepted; a new version handed over tomorrow is refused, the document keeps its one version', async () => {
    expect((await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ annexesHandedOverOn: day(-3) }) })).status).toBe(202);
    const created = await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ annexesHandedOverOn: day(0) }) });
    expect(created.status).toBe(202);
    const documentId = (created.body as { id: string }).id;
    const before = await state();
    refusedAsFuture(await admissions.post(`/api/documents/${documentId}/versions`).send({ data: contractData({ annexesHandedOverOn: day(1) }), reason: 'Remise prévue demain.' }), day(1));
    expect(await state()).toEqual(before);
    expect(((await ds.query(`SELECT count(*)::int AS n FROM document_versions WHERE document_id = $1`, [documentId])) as { n: number }[])[0].n).toBe(1);
  });

  it('the console’s « Nouveau document » form: 400, the message beside the date field and in the summary, nothing written', async () => {
    const url = `/console/residents/${residentId}/documents/nouveau?type=contrat-sejour`;
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await admissions.get(url).expect(200)).text)![1];
    const tomorrow = day(1);
    const before = await state();
    const res = await admissions
      .post(url)
      .type('form')
      .send({
        _csrf: csrf,
        _action: 'preview',
        'objectives[0]': 'Permettre à M. Dupont de garder ses promenades.',
        'objectivesFalc[0]': 'Vous gardez votre promenade chaque jour.',
        'services[0]': 'Hébergement en chambre individuelle',
        'servicesFalc[0]': 'Une chambre pour vous seul',
        duration: 'indéterminée',
        durationFalc: 'Ce contrat n’a pas de date de fin.',
        annexesHandedOverOn: tomorrow.split('-').reverse().join('/'),
        'participation.person.presence': 'present',
        'consentInterview.on': '20/10/2026',
        'consentInterview.outcome': 'consent',
        'consentInterview.noticeGivenOn': '09/10/2026',
        'consentInterview.attestationSignedOn': '09/10/2026',
        entryInventoryOn: '15/10/2026',
        financialContribution: 'aucune',
        'signing.place': 'Valville',
        'signing.mode': 'electronic',
      });
    expect(res.status).toBe(400);
    const beside = /<p class="field-error" id="annexesHandedOverOn-erreur">([^<]*)<\/p>/.exec(res.text)?.[1];
    expect(beside).toContain(`ne peut pas être dans le futur (ici le ${formatDateFr(tomorrow)})`);
    expect(res.text).toContain('<a href="#annexesHandedOverOn">');
    expect(await state()).toEqual(before);
  });

  it('the schema’s own errors come with it, each beside its field (one answer lists them all)', async () => {
    const res = await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ annexesHandedOverOn: day(2), duration: '' }) });
    expect(res.status).toBe(400);
    const fields = (res.body.error.details as { field: string; code: string }[]).map((d) => [d.field, d.code]);
    expect(fields).toContainEqual(['data.annexesHandedOverOn', 'ANNEX_HANDOVER_IN_FUTURE']);
    expect(fields.some(([f]) => f === 'data.duration')).toBe(true);
  });
});

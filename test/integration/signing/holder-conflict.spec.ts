import { mkdirSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData, loginAgent, tutelleResident, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

interface Signer {
  id: string;
  role: string;
  name: string;
  capacity: string;
}

/**
 * The judge may appoint the establishment's préposé as tuteur (C. civ. 451 al. 2). The contract is
 * an act between the person and the establishment: the tuteur's interests are opposed to hers, so
 * the subrogé tuteur represents her (C. civ. 454 al. 5), or a tuteur ad hoc (C. civ. 455). With
 * neither recorded, the request is refused with HOLDER_CONFLICT_OF_INTEREST; with a subrogé
 * recorded (an audited measure edit), the subrogé signs instead of the préposé.
 */
describe('a tuteur who is the establishment’s préposé does not sign the contract with his own establishment', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let admissions: request.Agent;
  let residentId = '';
  let measureId = '';
  let subrogeId = '';
  let documentId = '';
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[]) => h.app.get(DataSource).query(text, params) as Promise<T[]>;

  beforeAll(async () => {
    h = await startApiHarness();
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const base = tutelleResident(h.orgA.establishmentId);
    const created = await admissions
      .post('/api/residents')
      .send({
        ...base,
        lastName: 'Préposé',
        contacts: [{ firstName: 'Nadia', lastName: 'Roux', relation: 'nièce', email: 'nadia.roux@example.org' }],
        protectionMeasure: {
          ...base.protectionMeasure,
          holderEstablishmentEmployee: true,
          holders: [{ role: 'tuteur', firstName: 'Hervé', lastName: 'Lenoir', organisationName: 'EHPAD de test', email: 'h.lenoir@ehpad.example' }],
        },
      })
      .expect(201);
    residentId = created.body.id as string;
    measureId = created.body.protectionMeasures[0].id as string;
    expect(created.body.protectionMeasures[0]).toMatchObject({ holderEstablishmentEmployee: true, subroge: null, adHoc: null });
    subrogeId = (created.body.contacts as { id: string; lastName: string }[]).find((c) => c.lastName === 'Roux')!.id;
    documentId = (
      await admissions
        .post('/api/documents')
        .send({ residentId, type: 'contrat-sejour', data: contractData({ residenceChoice: { agrees: true, recordedOn: '2026-10-20' } }) })
        .expect(202)
    ).body.id as string;
    worker = await startWorker(h.db.config, { probe: false });
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 60_000);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('no subrogé nor ad hoc: the request is refused with HOLDER_CONFLICT_OF_INTEREST, in French, citing C. civ. 454 al. 5 and 455; nothing is sent', async () => {
    const refused = await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'HOLDER_CONFLICT_OF_INTEREST', message: expect.stringContaining('C. civ. 454 al. 5') });
    expect(refused.body.error.message).toContain('C. civ. 455');
    expect(await sql(`SELECT id FROM signature_requests WHERE document_id = $1`, [documentId])).toEqual([]);
  });

  it('a subrogé tuteur recorded (audited): the subrogé signs in the tuteur’s place, then the director', async () => {
    const patched = await admissions.patch(`/api/residents/${residentId}/protection-measures/${measureId}`).send({ subrogeContactId: subrogeId }).expect(200);
    expect(patched.body.subroge).toMatchObject({ contactId: subrogeId, firstName: 'Nadia', lastName: 'Roux' });
    const [audit] = await sql<{ payload: { changedFields: string[] } }>(
      `SELECT payload FROM audit_events WHERE action = 'measure.updated' AND subject_id = $1 ORDER BY seq DESC LIMIT 1`,
      [measureId],
    );
    expect(audit.payload.changedFields).toEqual(['subrogeContactId']);

    const sent = await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' });
    expect({ status: sent.status, error: sent.body.error }).toEqual({ status: 201, error: undefined });
    const signers = sent.body.signers as Signer[];
    expect(signers.map((s) => [s.role, s.name])).toEqual([
      ['tuteur', 'Nadia Roux'],
      ['director', expect.any(String)],
    ]);
    expect(signers[0].capacity).toContain('subrogé tuteur');
    expect(signers.some((s) => s.name.includes('Lenoir'))).toBe(false);
  });

  it('console: the measure form shows the préposé box, the subrogé and the ad hoc appointment; an incomplete ad hoc appointment is refused beside its field, a complete one recorded', async () => {
    const path = `/console/residents/${residentId}/mesures/${measureId}/modifier`;
    const page = await admissions.get(path).expect(200);
    const html = page.text;
    mkdirSync('/tmp/holder-conflict', { recursive: true });
    writeFileSync('/tmp/holder-conflict/measure-form.html', html);
    expect(html).toContain('préposé de l’établissement, ou salarié de l’établissement ou de son organisme gestionnaire (C. civ. 451 al. 2)');
    expect(html).toMatch(/name="holderEstablishmentEmployee" value="oui"[^>]*checked|checked[^>]*name="holderEstablishmentEmployee"/);
    expect(html).toContain('Subrogé curateur ou subrogé tuteur (C. civ. 454)');
    expect(html).toMatch(new RegExp(`<option value="${subrogeId}" selected`));
    expect(html).toContain('Curateur ou tuteur ad hoc désigné par le juge (C. civ. 455)');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const measure = {
      _csrf: csrf,
      type: 'tutelle',
      mode: 'representation',
      'scope.personne': 'oui',
      'scope.biens': 'oui',
      general: 'oui',
      court: 'Tribunal judiciaire de Valville',
      judgmentReference: 'RG 24/00981',
      judgmentDate: '2024-03-14',
      endDate: '2029-03-14',
      holderEstablishmentEmployee: 'oui',
      subrogeContactId: subrogeId,
      adHocContactId: subrogeId,
      adHocJudgmentReference: 'RG 26/00981',
    };
    const incomplete = await admissions.post(path).type('form').send(measure).expect(400);
    expect(incomplete.text).toContain('Indiquez la date de la décision du juge désignant le titulaire ad hoc.');
    expect((await admissions.get(`/api/residents/${residentId}`).expect(200)).body.protectionMeasures[0].adHoc).toBeNull();
    await admissions.post(path).type('form').send({ ...measure, adHocJudgmentDate: '2026-09-14' }).expect(303);
    const saved = (await admissions.get(`/api/residents/${residentId}`).expect(200)).body.protectionMeasures[0];
    expect(saved).toMatchObject({ holderEstablishmentEmployee: true, subroge: { contactId: subrogeId }, adHoc: { contactId: subrogeId, judgmentReference: 'RG 26/00981', judgmentDate: '2026-09-14' } });
    const file = (await admissions.get(`/console/residents/${residentId}`).expect(200)).text;
    expect(file).toContain('Titulaire préposé de l’établissement (C. civ. 451 al. 2)');
    expect(file).toMatch(/Subrogé \(C\. civ\. 454\)<\/dt>\s*<dd>Nadia Roux<\/dd>/);
    expect(file).toContain('Nadia Roux, décision RG 26/00981 du 14 septembre 2026');
    writeFileSync('/tmp/holder-conflict/resident-file.html', file);
    // Unticked, the préposé flag is cleared (an audited edit like the others).
    await admissions.post(path).type('form').send({ ...measure, holderEstablishmentEmployee: '', adHocJudgmentDate: '2026-09-14' }).expect(303);
    expect((await admissions.get(`/api/residents/${residentId}`).expect(200)).body.protectionMeasures[0].holderEstablishmentEmployee).toBe(false);
    const [audit] = await sql<{ payload: { changedFields: string[] } }>(
      `SELECT payload FROM audit_events WHERE action = 'measure.updated' AND subject_id = $1 ORDER BY seq DESC LIMIT 1`,
      [measureId],
    );
    expect(audit.payload.changedFields).toEqual(['holderEstablishmentEmployee']);
    // The subrogé and the ad hoc holder stay in the file while the measure names them.
    const gone = await admissions.delete(`/api/residents/${residentId}/contacts/${subrogeId}`);
    expect({ status: gone.status, code: gone.body.error?.code }).toEqual({ status: 409, code: 'CONTACT_IS_MEASURE_HOLDER' });
  });
});

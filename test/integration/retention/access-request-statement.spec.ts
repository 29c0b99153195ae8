import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditVerifier } from '@carepact/audit';
import { DataJobsService } from '@carepact/archive';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];

/**
 * A person's access request (RGPD art. 15) exports her documents from the intermediate archive
 * without an opening of it: her right. But the archive is read only for a specific need (CNIL délib.
 * n° 2021-028 and n° 2023-095): for an archived person, staff record the request they answer — who
 * made it (she or her representative), the day it was received (the answer is due a month later,
 * RGPD art. 12(3)) and the request as received. Without it 400 ACCESS_REQUEST_STATEMENT_REQUIRED,
 * nothing recorded; with it, the audit chain keeps the statement's SHA-256 only and an
 * `archive.opened_for_access_request` event says the archive's content is exported for art. 15.
 * A person still in the active base: the request may be given, is not required.
 */
describe('an access request (RGPD art. 15) for a person in the intermediate archive', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let admissions: request.Agent;
  let gone = '';
  let present = '';
  const statement = 'Courrier recommandé de sa fille, tutrice, réf. AR 1A 234 567 : copie de tous les documents du séjour';
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const written = async () => ({
    jobs: await count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'access_request'`),
    events: await count(`SELECT count(*) AS n FROM audit_events WHERE action IN ('data_job.requested', 'archive.opened_for_access_request', 'archive.opened_for_heir_request')`),
    outbox: await count(`SELECT count(*) AS n FROM outbox WHERE job_name = 'data.run'`),
  });

  beforeAll(async () => {
    h = await startApiHarness({ EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    gone = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Partie' }).expect(201)).body.id as string;
    await admissions.post('/api/documents').send({ residentId: gone, type: 'contrat-sejour', data: contractData() }).expect(202);
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01' WHERE id = $1`, [gone]);
    await admin.put(`/api/residents/${gone}/departure`).send({ departedOn: '2020-01-01' }).expect(200);
    present = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Présente' }).expect(201)).body.id as string;
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('without the request it answers: 400 ACCESS_REQUEST_STATEMENT_REQUIRED in French, nothing recorded, queued or audited', async () => {
    const before = await written();
    const refused = await admin.post('/api/data-jobs/access-request').send({ residentId: gone });
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 400, code: 'ACCESS_REQUEST_STATEMENT_REQUIRED' });
    expect(refused.body.error.message).toMatch(/archive intermédiaire : indiquez la demande d’accès à laquelle vous répondez/);
    // Blank fields are no request.
    expect((await admin.post('/api/data-jobs/access-request').send({ residentId: gone, request: { from: '', receivedOn: ' ', statement: '' } })).body.error.code).toBe(
      'ACCESS_REQUEST_STATEMENT_REQUIRED',
    );
    expect(await written()).toEqual(before);
  });

  it('a request badly stated: each field’s code, nothing recorded', async () => {
    const before = await written();
    const tomorrow = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ from: 'voisin', receivedOn: '2026-10-01', statement }, 'request.from', 'ACCESS_REQUEST_FROM_INVALID'],
      [{ from: 'person', receivedOn: '2026-02-30', statement }, 'request.receivedOn', 'ACCESS_REQUEST_DATE_INVALID'],
      [{ from: 'person', receivedOn: tomorrow, statement }, 'request.receivedOn', 'ACCESS_REQUEST_DATE_IN_FUTURE'],
      [{ from: 'person', receivedOn: '2026-10-01', statement: 'ok' }, 'request.statement', 'ACCESS_REQUEST_STATEMENT_INVALID'],
      [{ from: 'person', receivedOn: '2026-10-01', statement: 'x'.repeat(501) }, 'request.statement', 'ACCESS_REQUEST_STATEMENT_INVALID'],
      // A bidirectional override would make the statement read otherwise than it is.
      [{ from: 'person', receivedOn: '2026-10-01', statement: 'Courrier \u202ezedrac ud' }, 'request.statement', 'BIDI_CONTROL'],
    ];
    for (const [req, field, code] of cases) {
      const refused = await admin.post('/api/data-jobs/access-request').send({ residentId: gone, request: req });
      expect({ status: refused.status, details: refused.body.error?.details?.map((d: { field: string; code: string }) => [d.field, d.code]) }).toEqual({ status: 400, details: [[field, code]] });
    }
    expect(await written()).toEqual(before);
  });

  it('with the request: accepted; the statement stays on the job, the chain keeps its SHA-256 and says the archive’s content is exported for art. 15', async () => {
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: gone, request: { from: 'representative', receivedOn: '2026-10-31', statement: ` ${statement} ` } }).expect(202))
      .body;
    // RGPD art. 12(3): a month after receipt; 31 October → 30 November.
    expect(job.params).toEqual({ kind: 'access_request', residentId: gone, request: { from: 'representative', receivedOn: '2026-10-31', answerDue: '2026-11-30', statement } });
    const sha = createHash('sha256').update(statement, 'utf8').digest('hex');
    const request = { requestFrom: 'representative', requestReceivedOn: '2026-10-31', requestAnswerDue: '2026-11-30', requestStatementSha256: sha };
    const [requested] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'data_job.requested' AND payload->>'jobId' = $1`, [job.id])) as { payload: unknown }[];
    expect(requested.payload).toEqual({ jobId: job.id, kind: 'access_request', ...request });
    const opened = (await ds.query(`SELECT actor_type, actor_id, subject_type, subject_id, payload FROM audit_events WHERE action = 'archive.opened_for_access_request'`)) as unknown[];
    expect(opened).toEqual([
      {
        actor_type: 'staff',
        actor_id: h.orgA.users.administrator.id,
        subject_type: 'resident',
        subject_id: gone,
        payload: { jobId: job.id, legalBasis: 'RGPD art. 15', archivedSince: '2022-01-02', contentExported: true, ...request },
      },
    ]);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE payload::text LIKE '%recommandé%'`)).toBe(0);
    expect((await h.app.get(AuditVerifier).verifyAll(ds.manager)).ok).toBe(true);
  });

  it('a person still in the active base: no request needed (her right), none recorded as an archive export', async () => {
    await admin.post('/api/data-jobs/access-request').send({ residentId: present }).expect(202);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.opened_for_access_request' AND subject_id = $1`, [present])).toBe(0);
  });

  it('the console’s form: the request’s fields with their hints; refused without them, beside the field (400), accepted with them (303)', async () => {
    const page = (await admin.get(`/console/archives?personne-acces=Partie`).expect(200)).text;
    for (const id of ['requestFrom', 'requestReceivedOn', 'requestStatement']) expect(page).toMatch(new RegExp(`id="${id}"[^>]*aria-describedby="${id}-aide"`));
    expect(page).toContain('RGPD, article 12.3');
    const before = await written();
    const base = { _csrf: csrfOf(page), accessResidentId: gone, 'personne-acces': 'Partie' };
    const refused = await admin.post('/console/archives/acces').type('form').send(base);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('indiquez la demande d’accès à laquelle vous répondez');
    expect(refused.text).toMatch(/id="requestFrom"[^>]*aria-invalid="true"/);
    const late = await admin.post('/console/archives/acces').type('form').send({ ...base, requestFrom: 'person', requestReceivedOn: '2099-01-01', requestStatement: statement });
    expect(late.status).toBe(400);
    expect(late.text).toMatch(/id="requestReceivedOn"[^>]*aria-invalid="true"/);
    expect(await written()).toEqual(before);
    const ok = await admin.post('/console/archives/acces').type('form').send({ ...base, requestFrom: 'person', requestReceivedOn: '2026-11-20', requestStatement: statement });
    expect(ok.status).toBe(303);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.opened_for_access_request' AND payload->>'requestReceivedOn' = '2026-11-20'`)).toBe(1);
  });

  /**
   * A deceased person (RGPD recital 27; her protection measure ended, C. civ. 443): her ayant droit,
   * concubin or partenaire de PACS is answered under the CSP (L.1110-4 V, L.1111-7), for one of its
   * three purposes and unless she objected; within eight days, two months for information more than
   * five years old.
   */
  const heirRequest = { from: 'ayant_droit', receivedOn: '2026-11-25', statement: 'Courrier de son fils, acte de notoriété joint : causes du décès', purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'none', standingProof: { type: 'acte_notoriete', reference: 'Me Durand, réf. 2026/1187', issuedOn: '2026-10-20' } };

  it('an ayant droit whose deceased objected: 400 HEIR_ACCESS_OBJECTED_BY_DECEASED in French, nothing recorded', async () => {
    const before = await written();
    const refused = await admin.post('/api/data-jobs/access-request').send({ residentId: gone, request: { ...heirRequest, deceasedObjection: 'recorded' } });
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 400, code: 'HEIR_ACCESS_OBJECTED_BY_DECEASED' });
    expect(refused.body.error.message).toMatch(/opposée, de son vivant/);
    const badly = await admin.post('/api/data-jobs/access-request').send({ residentId: gone, request: { ...heirRequest, purpose: '', deceasedObjection: undefined } });
    expect(badly.body.error.details.map((d: { code: string }) => d.code)).toEqual(['HEIR_REQUEST_PURPOSE_INVALID', 'HEIR_REQUEST_OBJECTION_REQUIRED']);
    expect(await written()).toEqual(before);
  });

  it('an ayant droit for a person whose file shows her still accompanied: 400 HEIR_REQUEST_PERSON_ACCOMPANIED, nothing recorded', async () => {
    const before = await written();
    const refused = await admin.post('/api/data-jobs/access-request').send({ residentId: present, request: heirRequest });
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 400, code: 'HEIR_REQUEST_PERSON_ACCOMPANIED' });
    expect(await written()).toEqual(before);
  });

  it('an ayant droit stating a death before the person’s admission: 400 HEIR_REQUEST_DEATH_BEFORE_ADMISSION, nothing recorded', async () => {
    const before = await written();
    const refused = await admin.post('/api/data-jobs/access-request').send({ residentId: gone, request: { ...heirRequest, deceasedOn: '1990-01-01' } });
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 400, code: 'HEIR_REQUEST_DEATH_BEFORE_ADMISSION' });
    expect(refused.body.error.message).toMatch(/précède l’admission/);
    expect(await written()).toEqual(before);
  });

  it('an ayant droit’s request: accepted under the CSP — its own event, purpose, day of the death, eight days and two months, the statement’s SHA-256 only', async () => {
    // A version constituted more than five years before the request (R.1111-1): two months for it; the others are recent: eight days.
    await ds.query(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       SELECT organisation_id, document_id, number + 100, reason, 'failed', template_id, template_version, template_hash, renderer_version, input, input_hash, '2015-02-01T10:00:00Z'
         FROM document_versions WHERE document_id = (SELECT id FROM documents WHERE resident_id = $1 LIMIT 1) ORDER BY number LIMIT 1`,
      [gone],
    );
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: gone, request: heirRequest }).expect(202)).body;
    expect(job.params.request).toEqual({
      from: 'ayant_droit',
      receivedOn: '2026-11-25',
      answerDue: '2026-12-03',
      answerDueOlderInformation: '2027-01-25',
      statement: heirRequest.statement,
      heir: { purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'none', standingProof: heirRequest.standingProof, communication: 'direct' },
      // CSP L.1111-7 al. 2: 48 hours after the end of the day of receipt (Paris), at the latest.
      notBefore: '2026-11-27T23:00:00.000Z',
      // She left on 1 January 2020 and died after: her file records no death, and has none to record.
      warnings: [
        {
          code: 'HEIR_REQUEST_NO_DEATH_RECORDED',
          message:
            'Le dossier de la personne enregistre un départ le 1er janvier 2020, mais pas de décès : vérifiez le décès sur l’acte de décès (les délais et, pour un mineur, son âge en dépendent), puis enregistrez-le depuis le dossier de la personne (« Fin de l’accompagnement et conservation » : « Enregistrer son décès » ; la date de départ est gardée).',
        },
      ],
    });
    const sha = createHash('sha256').update(heirRequest.statement, 'utf8').digest('hex');
    const stated = {
      requestFrom: 'ayant_droit',
      requestReceivedOn: '2026-11-25',
      requestAnswerDue: '2026-12-03',
      requestAnswerDueOlderInformation: '2027-01-25',
      requestStatementSha256: sha,
      requestPurpose: 'causes_of_death',
      requestDeceasedOn: '2026-10-02',
      requestDeceasedObjection: 'none',
      requestStandingProofType: 'acte_notoriete',
      requestStandingProofIssuedOn: '2026-10-20',
      requestStandingProofReferenceSha256: createHash('sha256').update(heirRequest.standingProof.reference, 'utf8').digest('hex'),
      requestCommunication: 'direct',
      requestNotBefore: '2026-11-27T23:00:00.000Z',
      requestWarnings: 'HEIR_REQUEST_NO_DEATH_RECORDED',
    };
    const events = (await ds.query(`SELECT action, payload FROM audit_events WHERE payload->>'jobId' = $1 ORDER BY action`, [job.id])) as { action: string; payload: unknown }[];
    expect(events).toEqual([
      { action: 'archive.opened_for_heir_request', payload: { jobId: job.id, legalBasis: 'CSP L.1110-4 V, L.1111-7', archivedSince: '2022-01-02', contentExported: true, ...stated } },
      { action: 'data_job.requested', payload: { jobId: job.id, kind: 'access_request', ...stated } },
    ]);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE payload::text LIKE '%notoriété%'`)).toBe(0);
    // Run as the worker would: the export's event says the archive's content went out under the CSP, not art. 15.
    const [{ id: outboxId }] = (await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1`, [job.id])) as { id: string }[];
    await h.app.get(DataJobsService).run(outboxId, job.id);
    const [exported] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'rgpd.access_exported' AND subject_id = $1 ORDER BY seq DESC LIMIT 1`, [gone])) as { payload: Record<string, unknown> }[];
    expect(exported.payload).toMatchObject({ intermediateArchiveSince: '2022-01-02', archiveContentIncludedFor: 'CSP L.1110-4 V, L.1111-7' });
    expect((await h.app.get(AuditVerifier).verifyAll(ds.manager)).ok).toBe(true);
  });

  it('the console’s form: who asked offers the ayant droit; the CSP’s fields with their hints; an objection refused beside its field; accepted', async () => {
    const page = (await admin.get(`/console/archives?personne-acces=Partie`).expect(200)).text;
    expect(page).toContain('Ayant droit, concubin ou partenaire de PACS d’une personne décédée');
    for (const label of ['Connaître les causes de la mort', 'Défendre la mémoire du défunt', 'Faire valoir ses droits']) expect(page).toContain(label);
    expect(page).toMatch(/id="requestDeceasedOn"[^>]*aria-describedby="requestDeceasedOn-aide"/);
    expect(page).toMatch(/<fieldset id="requestPurpose"[^>]*aria-describedby="requestPurpose-aide"/);
    expect(page).toMatch(/<fieldset id="requestDeceasedObjection"[^>]*aria-describedby="requestDeceasedObjection-aide"/);
    expect(page).toContain('art. L.1111-7');
    const base = {
      _csrf: csrfOf(page),
      accessResidentId: gone,
      'personne-acces': 'Partie',
      requestFrom: 'ayant_droit',
      requestReceivedOn: '2026-11-26',
      requestStatement: 'Courriel de sa partenaire de PACS : défendre sa mémoire',
      requestDeceasedOn: '2026-10-02',
      requestPurpose: 'defend_memory',
      requestStandingProofType: 'acte_pacs',
      requestStandingProofReference: 'Acte de PACS, mairie de Lyon, n° 2019-44',
      requestStandingProofIssuedOn: '2019-05-04',
    };
    const before = await written();
    const refused = await admin.post('/console/archives/acces').type('form').send({ ...base, requestDeceasedObjection: 'recorded' });
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/<fieldset id="requestDeceasedObjection"[^>]*aria-invalid="true"/);
    expect(refused.text).toContain('id="requestDeceasedObjection-erreur"');
    expect(refused.text).toContain('opposée, de son vivant');
    expect(await written()).toEqual(before);
    const ok = await admin.post('/console/archives/acces').type('form').send({ ...base, requestDeceasedObjection: 'none' });
    expect(ok.status).toBe(303);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.opened_for_heir_request' AND payload->>'requestPurpose' = 'defend_memory'`)).toBe(1);
    expect((await admin.get('/console/archives').expect(200)).text).toContain('Demande d’un ayant droit (Code de la santé publique, art. L.1110-4 V)');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { TransactionRunner } from '@carepact/database';
import { StaffService } from '@carepact/identity';
import { ABSENCE_RULES, TEST_PASSWORD, contractData, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, addUser, startApiHarness } from '../api/api-harness';

/**
 * CASF D.311-0-4 (for L.311-4 al. 5): eight days at least before the consent interview, the
 * director informs the person (and her legal representative, if any) that she may designate a
 * personne de confiance, with the notice of annexe 4-10; the delivery is attested by a document
 * dated and signed by the director or his representative and the person (and her legal
 * representative). Not owed to a person who has already designated one. Template contrat de
 * séjour 1.5.0: through the API, a notice given three days before the interview is refused
 * (NOTICE_TOO_LATE on data.consentInterview.noticeGivenOn, the article named); eight days pass;
 * a resident with a personne de confiance needs no notice. Before 1.5.0 every one was accepted
 * (or, with a personne de confiance, the notice was demanded anyway).
 */
describe('the personne de confiance notice before the consent interview (CASF D.311-0-4), through the API', () => {
  let h: ApiHarness;
  let staff: request.Agent;
  let alone: string;
  let withTrustedPerson: string;
  let designatedAfter: string;
  let designatedUndated: string;

  const resident = (firstName: string, extra: Record<string, unknown> = {}) =>
    staff
      .post('/api/residents')
      .send({ establishmentId: h.orgA.establishmentId, firstName, lastName: 'Girard', birthDate: '1939-05-11', admissionDate: '2026-10-15', stayType: 'permanent', ...extra })
      .expect(201)
      .then((r) => r.body.id as string);
  const create = (residentId: string, consentInterview: Record<string, unknown>, over: Record<string, unknown> = {}) =>
    staff.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ consentInterview, ...over }) });
  const interview = (noticeGivenOn: string, attestationSignedOn = noticeGivenOn) => ({ on: '2026-10-20', outcome: 'consent', noticeGivenOn, attestationSignedOn });

  beforeAll(async () => {
    h = await startApiHarness();
    staff = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    alone = await resident('Odette');
    withTrustedPerson = await resident('Simone', { personneDeConfiance: { firstName: 'Paul', lastName: 'Girard', relation: 'fils', designatedOn: '2026-09-01' } });
    // Designated after the interview (often because of the notice itself), or on a day the file does not know:
    // she had not « déjà désigné » one before it, so the notice was owed.
    designatedAfter = await resident('Lucienne', { personneDeConfiance: { firstName: 'Marc', lastName: 'Girard', relation: 'fils', designatedOn: '2026-10-25' } });
    designatedUndated = await resident('Henriette', { personneDeConfiance: { firstName: 'Anne', lastName: 'Girard', relation: 'fille' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a notice given 3 days (or 7) before the interview is refused, on the notice’s field, with the article and a stable code', async () => {
    const res = await create(alone, interview('2026-10-17')).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([
      {
        field: 'data.consentInterview.noticeGivenOn',
        code: 'NOTICE_TOO_LATE',
        message:
          'La notice d’information sur la personne de confiance est remise huit jours au moins avant l’entretien de recherche du consentement (CASF D.311-0-4) : indiquez une date de remise antérieure d’au moins huit jours à celle de l’entretien. Ce délai cesse de s’appliquer si la personne a désigné sa personne de confiance avant l’entretien (al. 3) : la date de cette désignation s’enregistre dans son dossier.',
      },
    ]);
    const seven = await create(alone, interview('2026-10-13')).expect(400);
    expect(seven.body.error.details.map((d: { field: string; code: string }) => `${d.field}:${d.code}`)).toEqual(['data.consentInterview.noticeGivenOn:NOTICE_TOO_LATE']);
    // Nothing was created.
    expect((await staff.get(`/api/documents?residentId=${alone}`).expect(200)).body).toEqual([]);
  });

  it('eight days before passes (202)', async () => {
    await create(alone, interview('2026-10-12')).expect(202);
  });

  it('every problem at once: the late notice beside a missing objective; the attestation dated before the notice', async () => {
    const res = await create(alone, interview('2026-10-18', '2026-10-10'), { objectives: [] }).expect(400);
    expect(res.body.error.details.map((d: { field: string; code: string }) => `${d.field}:${d.code}`).sort()).toEqual([
      'data.consentInterview.attestationSignedOn:ATTESTATION_BEFORE_NOTICE',
      'data.consentInterview.noticeGivenOn:NOTICE_TOO_LATE',
      'data.objectives:TOO_SHORT',
    ]);
  });

  it('without a personne de confiance the notice and the attestation’s date are required (D.311-0-4)', async () => {
    const res = await create(alone, { on: '2026-10-20', outcome: 'consent' }).expect(400);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ field: 'data.consentInterview.noticeGivenOn', code: 'REQUIRED', message: expect.stringContaining('(CASF D.311-0-4)') }),
      expect.objectContaining({ field: 'data.consentInterview.attestationSignedOn', code: 'REQUIRED', message: expect.stringContaining('(CASF D.311-0-4)') }),
    ]);
  });

  it('a resident who designated a personne de confiance before the interview needs no notice (202), and is not held to its eight days', async () => {
    await create(withTrustedPerson, { on: '2026-10-20', outcome: 'consent' }).expect(202);
    await create(withTrustedPerson, interview('2026-10-17')).expect(202);
  });

  it('a personne de confiance designated after the interview, or on no recorded day, does not spare the notice (D.311-0-4)', async () => {
    for (const id of [designatedAfter, designatedUndated]) {
      const res = await create(id, { on: '2026-10-20', outcome: 'consent' }).expect(400);
      expect(res.body.error.details.map((d: { field: string; code: string }) => `${d.field}:${d.code}`)).toEqual([
        'data.consentInterview.noticeGivenOn:REQUIRED',
        'data.consentInterview.attestationSignedOn:REQUIRED',
      ]);
      const late = await create(id, interview('2026-10-17')).expect(400);
      expect(late.body.error.details.map((d: { field: string; code: string }) => `${d.field}:${d.code}`)).toEqual(['data.consentInterview.noticeGivenOn:NOTICE_TOO_LATE']);
    }
  });
});

/**
 * Template 1.6.0: CASF D.311-0-4 whole, through the API and the worker. 1.5.0 spared the notice and
 * its attestation whenever the designation was dated before the interview — also the day before
 * it, also after a notice (al. 3 keeps the attestation owed; 1° only spares a designation made
 * before the information was due, eight days before the interview) —, knew neither the information
 * delivered by another establishment or service (2°) nor by the OFII (3°), and asked nothing
 * outside homes for older people (L.311-5-1 and L.311-4 al. 5: every adult, every contrat de séjour).
 * The PDF of the contract prints the clause that says which rule applied.
 */
describe('contrat de séjour 1.6.0: the exemptions of CASF D.311-0-4 (1° to 3°) and its al. 3, through the API', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let staff: request.Agent;
  let fam: request.Agent;
  let famId: string;
  const ids: Record<string, string> = {};

  const resident = (agent: request.Agent, establishmentId: string, firstName: string, designatedOn?: string) =>
    agent
      .post('/api/residents')
      .send({
        establishmentId,
        firstName,
        lastName: 'Leroy',
        birthDate: '1950-02-03',
        admissionDate: '2026-10-15',
        stayType: 'permanent',
        ...(designatedOn ? { personneDeConfiance: { firstName: 'Hugo', lastName: 'Leroy', relation: 'fils', designatedOn } } : {}),
      })
      .expect(201)
      .then((r) => r.body.id as string);
  const create = (agent: request.Agent, residentId: string, consentInterview: Record<string, unknown> | undefined) =>
    agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ consentInterview }) });
  const codes = (res: request.Response) => (res.body.error?.details ?? []).map((d: { field: string; code: string }) => `${d.field}:${d.code}`);
  /** The text of the standard PDF the worker made for document `id`, on one line. */
  const pdfText = async (id: string): Promise<string> => {
    await waitUntil('the version to be generated', async () => (await staff.get(`/api/documents/${id}`)).body.versions?.[0]?.status === 'ready');
    const doc = (await staff.get(`/api/documents/${id}`).expect(200)).body;
    expect(doc.versions[0].template).toMatchObject({ id: 'contrat-sejour', version: '1.14.0' });
    const pdf = doc.versions[0].renditions.find((r: { format: string; variant: string }) => r.format === 'pdf' && r.variant === 'standard');
    const res = await staff.get(pdf.href).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const dir = mkdtempSync(join(tmpdir(), 'carepact-trust-'));
    writeFileSync(join(dir, 'c.pdf'), res.body as Buffer);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' }).replace(/[\s\u00a0\u202f]+/g, ' ');
  };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    worker = await startWorker(h.db.config, { probe: false });
    staff = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const est = h.orgA.establishmentId;
    ids.designatedLongBefore = await resident(staff, est, 'Albertine', '2026-10-12');
    ids.designatedFiveDaysBefore = await resident(staff, est, 'Berthe', '2026-10-15');
    ids.designatedAfterNotice = await resident(staff, est, 'Colette', '2026-10-18');
    ids.noDesignation = await resident(staff, est, 'Denise');
    // A foyer d'accueil médicalisé with its tariffs and the annexes its contracts list.
    famId = await h.app.get(TransactionRunner).run(async (em) => {
      const est = await h.app.get(StaffService).createEstablishment(em, { type: 'system', id: 'test' }, h.orgA.organisationId, {
        name: 'FAM Les Aulnes',
        category: 'FAM',
        finess: '330000471',
        address: '4 rue des Aulnes, 00000 Testville',
        directorFirstName: 'Inès',
        directorLastName: 'Morel',
        tariffs: { effectiveFrom: '2026-01-01', hebergementPerDay: 95, absenceRule: 'Selon le règlement départemental d’aide sociale.', ...ABSENCE_RULES, depositEuros: 0 },
        annexes: ['livret-accueil-2026', 'reglement-fonctionnement-2025', 'charte-droits-libertes'],
      });
      return est.id;
    });
    await addUser(h.app, h.orgA.organisationId, 'admissions.d3110@example.test', [{ establishmentId: famId, role: 'administrator' }]);
    fam = await loginAgent(h.app, 'admissions.d3110@example.test', TEST_PASSWORD);
    ids.inFam = await resident(fam, famId, 'Edith');
  });
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('(a) 1°: designated eight days before the interview, no notice: 202, and the PDF says the article did not apply', async () => {
    const res = await create(staff, ids.designatedLongBefore, { on: '2026-10-20', outcome: 'consent' }).expect(202);
    expect(await pdfText(res.body.id)).toContain(
      'Albertine Leroy avait désigné une personne de confiance, nommée ci-dessous, le 12 octobre 2026, soit au moins huit jours avant l’entretien de recherche du consentement : l’information préalable sur la personne de confiance, sa notice et l’attestation de sa délivrance n’étaient donc pas dues.',
    );
  });

  it('(a) designated five days before the interview, no notice: the information was due, 400 with the notice and the attestation asked for (1.5.0: 202)', async () => {
    const res = await create(staff, ids.designatedFiveDaysBefore, { on: '2026-10-20', outcome: 'consent' }).expect(400);
    expect(codes(res)).toEqual(['data.consentInterview.noticeGivenOn:REQUIRED', 'data.consentInterview.attestationSignedOn:REQUIRED']);
    expect(res.body.error.details[0].message).toContain('le délai de huit jours a cessé de s’appliquer avec la désignation (CASF D.311-0-4 al. 1 à 3)');
  });

  it('(b) al. 3: a notice three days before, then the designation: no NOTICE_TOO_LATE, but the attestation is owed (1.5.0: 202 without it); the PDF says why the eight days stopped', async () => {
    const without = await create(staff, ids.designatedAfterNotice, { on: '2026-10-20', outcome: 'consent', noticeGivenOn: '2026-10-17' }).expect(400);
    expect(codes(without)).toEqual(['data.consentInterview.attestationSignedOn:REQUIRED']);
    const after = await create(staff, ids.designatedAfterNotice, { on: '2026-10-20', outcome: 'consent', noticeGivenOn: '2026-10-21', attestationSignedOn: '2026-10-21' }).expect(400);
    expect(codes(after)).toEqual(['data.consentInterview.noticeGivenOn:NOTICE_AFTER_INTERVIEW']);
    const res = await create(staff, ids.designatedAfterNotice, { on: '2026-10-20', outcome: 'consent', noticeGivenOn: '2026-10-17', attestationSignedOn: '2026-10-17' }).expect(202);
    expect(await pdfText(res.body.id)).toContain(
      'La notice d’information sur la personne de confiance a été remise à Colette Leroy le 17 octobre 2026, avant l’entretien de recherche du consentement ; Colette Leroy ayant désigné sa personne de confiance le 18 octobre 2026, le délai de huit jours avant cet entretien ne s’appliquait plus ; l’attestation de sa délivrance, datée du 17 octobre 2026 et signée par le directeur ou son représentant, par Colette Leroy, est jointe au contrat.',
    );
  });

  it('(c) 2°: the information delivered before by another establishment: 202, the PDF says by whom and when; dated on the interview’s day: 400 PRIOR_INFORMATION_AFTER_INTERVIEW', async () => {
    const late = await create(staff, ids.noDesignation, { on: '2026-10-20', outcome: 'consent', priorInformation: { by: 'etablissement', name: 'EHPAD Les Glycines', on: '2026-10-20' } }).expect(400);
    expect(late.body.error.details).toEqual([
      {
        field: 'data.consentInterview.priorInformation.on',
        code: 'PRIOR_INFORMATION_AFTER_INTERVIEW',
        message:
          'L’information sur la personne de confiance délivrée par un autre établissement ou service, ou par l’OFII, ne dispense de la notice que si elle l’a été avant l’entretien de recherche du consentement (CASF D.311-0-4, 2° et 3°) : indiquez une date antérieure à celle de l’entretien, sinon la notice et l’attestation sont dues ici.',
      },
    ]);
    const res = await create(staff, ids.noDesignation, { on: '2026-10-20', outcome: 'consent', priorInformation: { by: 'etablissement', name: 'EHPAD Les Glycines', on: '2026-09-15' } }).expect(202);
    expect(await pdfText(res.body.id)).toContain(
      'L’information sur la personne de confiance avait déjà été délivrée à Denise Leroy le 15 septembre 2026 par EHPAD Les Glycines, établissement ou service social ou médico-social, qui lui avait remis la notice d’information dans les conditions de l’article D.311-0-4 du code de l’action sociale et des familles',
    );
  });

  it('(d) 3°: an asylum seeker informed by the OFII with the notice: 202', async () => {
    await create(staff, ids.noDesignation, { on: '2026-10-20', outcome: 'consent', priorInformation: { by: 'ofii', on: '2026-09-30' } }).expect(202);
  });

  it('(e) in a FAM too: the consent interview and the notice are asked of an adult (1.5.0: 202 without either)', async () => {
    const none = await create(fam, ids.inFam, undefined).expect(400);
    expect(codes(none)).toEqual(['data.consentInterview:REQUIRED']);
    const noNotice = await create(fam, ids.inFam, { on: '2026-10-20', outcome: 'consent' }).expect(400);
    expect(codes(noNotice)).toEqual(['data.consentInterview.noticeGivenOn:REQUIRED', 'data.consentInterview.attestationSignedOn:REQUIRED']);
    await create(fam, ids.inFam, { on: '2026-10-20', outcome: 'consent', noticeGivenOn: '2026-10-09', attestationSignedOn: '2026-10-09' }).expect(202);
  });
});

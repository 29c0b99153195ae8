import request from 'supertest';
import { TEST_PASSWORD, contractData, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

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
        message: 'La notice d’information sur la personne de confiance est remise huit jours au moins avant l’entretien de recherche du consentement (CASF D.311-0-4) : indiquez une date de remise antérieure d’au moins huit jours à celle de l’entretien.',
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

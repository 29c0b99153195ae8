import request from 'supertest';
import { TEST_PASSWORD, contractData, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * CASF L.311-4: the director seeks the person's consent to be admitted (the consent interview the
 * contract records). A contract that records her refusal is generated as the record it is, but not
 * sent for signature as if she had agreed (ADMISSION_CONSENT_REFUSED), until a new interview or the
 * judge's decision (C. civ. 459-2) is in a new version.
 */
describe('a contract recording a refused admission is not sent for signature', () => {
  let h: ApiHarness;
  let staff: request.Agent;
  const contract = async (residentId: string, outcome: string) => {
    const res = await staff.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ consentInterview: { on: '2026-10-20', outcome, noticeGivenOn: '2026-10-09', attestationSignedOn: '2026-10-09' } }) });
    if (res.status !== 202) throw new Error(JSON.stringify(res.body));
    return res.body.id as string;
  };

  beforeAll(async () => {
    h = await startApiHarness();
    staff = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refusal: 409 with the article and the way out; consent: the signers', async () => {
    const residentId = (await staff.post('/api/residents').send({ establishmentId: h.orgA.establishmentId, firstName: 'Jeanne', lastName: 'Martin', birthDate: '1938-04-02', admissionDate: '2026-10-15', stayType: 'permanent' }).expect(201)).body.id as string;
    const refused = await staff.post(`/api/documents/${await contract(residentId, 'refusal')}/signature-requests/preview`).send({}).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'ADMISSION_CONSENT_REFUSED', message: expect.stringContaining('CASF L.311-4') });
    expect(refused.body.error.details).toEqual([expect.objectContaining({ field: 'document.consentInterview.outcome' })]);
    const agreed = await staff.post(`/api/documents/${await contract(residentId, 'consent')}/signature-requests/preview`).send({}).expect(200);
    expect(agreed.body.signers.map((s: { role: string }) => s.role)).toEqual(['resident', 'director']);
  });
});

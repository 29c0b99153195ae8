import request from 'supertest';
import { loadDemoFixture } from '@carepact/residents';
import { TEST_PASSWORD, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * Compte rendu de réunion de synthèse 1.4.0, through the API: the minutes name their recipients,
 * and one outside the équipe de soins receives them only with the person's prior consent (CSP
 * L.1110-4 III al. 2; within the team, L.1110-12, the person informed and able to object, IV). A
 * recipient outside the team without consent is refused (400, OUTSIDE_RECIPIENT_WITHOUT_CONSENT beside
 * that recipient, the article named), nothing created; with the date and the means of the consent,
 * accepted (202) once what the person was told before consenting is recorded too (compte rendu 1.6.0, CSP
 * D.1110-3-1: categories of information and of professionals, nature of the media, security measures). And the
 * next review of the projet, within twelve months of the meeting (the yearly updating of the objectives, CASF
 * D.311, and of the projet that carries them, L.311-3 7°). Before 1.4.0 the minutes had a list of names only, and
 * any review date passed.
 */
describe('the recipients of the minutes and the consent to sharing outside the team (CSP L.1110-4), through the API', () => {
  let h: ApiHarness;
  let staff: request.Agent;
  let residentId: string;
  const fixture = loadDemoFixture() as unknown as { documents: Record<string, Record<string, unknown>> };

  /** The demo minutes (Enzo Petit's), for an adult without measure: no representative among the recipients. */
  const minutes = (edit: (d: Record<string, unknown> & { recipients: Record<string, unknown>[] }) => void = () => {}) => {
    const { resident: _key, ...d } = structuredClone(fixture.documents['compte-rendu-synthese']) as Record<string, unknown> & { recipients: Record<string, unknown>[] };
    d.recipients = d.recipients.filter((r) => r.circle !== 'representant');
    edit(d);
    return d;
  };
  const TOLD = ['informationCategories', 'professionalCategories', 'media', 'security'];
  const told = Object.fromEntries(TOLD.map((k) => [k, true]));
  const outsider = { name: 'Dr Anne Roux', function: 'orthophoniste', functionFalc: 'votre orthophoniste', organisation: 'cabinet libéral', circle: 'hors_equipe' };
  const create = (data: Record<string, unknown>) => staff.post('/api/documents').send({ residentId, type: 'compte-rendu-synthese', data });
  const codes = (res: request.Response) => (res.body.error.details as { field: string; code: string }[]).map((d) => `${d.field}:${d.code}`);

  beforeAll(async () => {
    h = await startApiHarness();
    staff = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    residentId = (
      await staff
        .post('/api/residents')
        .send({ establishmentId: h.orgA.establishmentId, firstName: 'Odette', lastName: 'Perrin', birthDate: '1941-03-02', admissionDate: '2026-10-15', stayType: 'permanent' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('an outside recipient without consent: 400, beside that recipient, with the article; nothing created', async () => {
    const res = await create(minutes((d) => d.recipients.push(outsider))).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const n = minutes().recipients.length;
    expect(codes(res)).toEqual([
      `data.recipients[${n}].consentOn:OUTSIDE_RECIPIENT_WITHOUT_CONSENT`,
      `data.recipients[${n}].consentHow:OUTSIDE_RECIPIENT_WITHOUT_CONSENT`,
      ...TOLD.map((k) => `data.recipients[${n}].consentInformed.${k}:CONSENT_INFORMATION_MISSING`),
    ]);
    expect(res.body.error.details[0].message).toContain('CSP L.1110-4 III al. 2');
    expect((await staff.get(`/api/documents?residentId=${residentId}`).expect(200)).body).toEqual([]);
  });

  it('a parent named as « représentant légal » of an adult without representation is refused (RECIPIENT_NOT_REPRESENTATIVE)', async () => {
    const res = await create(minutes((d) => d.recipients.push({ name: 'Paul Perrin', function: 'fils', functionFalc: 'votre fils', circle: 'representant' }))).expect(400);
    expect(codes(res)).toEqual([`data.recipients[${minutes().recipients.length}].circle:RECIPIENT_NOT_REPRESENTATIVE`]);
  });

  it('a review of the projet two years after the meeting is refused (NEXT_REVIEW_TOO_LATE)', async () => {
    const res = await create(minutes((d) => (d.nextReview = '2028-11-18'))).expect(400);
    expect(codes(res)).toEqual(['data.nextReview:NEXT_REVIEW_TOO_LATE']);
    // Compte rendu 1.10.0: the projet's yearly review under the ANESM recommendations, the objectives' yearly updating under CASF D.311, V.
    expect(res.body.error.details[0].message).toContain('le projet personnalisé est révisé au moins une fois par an et à chaque changement de situation (recommandations de l’ANESM');
    expect(res.body.error.details[0].message).toContain('est réactualisée chaque année (CASF D.311, V)');
    expect(res.body.error.details[0].message).not.toContain('D.311 VII');
  });

  it('the date and the means of the consent without what the person was told: 400, each point beside its field (CSP D.1110-3-1); nothing created', async () => {
    const n = minutes().recipients.length;
    const res = await create(minutes((d) => d.recipients.push({ ...outsider, consentOn: '2026-11-12', consentHow: 'accord écrit, joint au dossier', consentInformed: { ...told, security: false } }))).expect(400);
    expect(codes(res)).toEqual([`data.recipients[${n}].consentInformed.security:CONSENT_INFORMATION_MISSING`]);
    expect(res.body.error.details[0].message).toContain('des mesures prises pour en préserver la sécurité (CSP D.1110-3-1)');
    expect((await staff.get(`/api/documents?residentId=${residentId}`).expect(200)).body).toEqual([]);
  });

  it('the same recipient with the date, the means and the four points told: accepted (202)', async () => {
    await create(minutes((d) => d.recipients.push({ ...outsider, consentOn: '2026-11-12', consentHow: 'accord écrit, joint au dossier', consentInformed: told }))).expect(202);
    const docs = (await staff.get(`/api/documents?residentId=${residentId}`).expect(200)).body as { type: string }[];
    expect(docs.map((d) => d.type)).toEqual(['compte-rendu-synthese']);
  });
});

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditVerifier } from '@carepact/audit';
import { DataJobsService } from '@carepact/archive';
import { canonicalJson } from '@carepact/common';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent } from '@carepact/testing';
import { readZip } from '../archive/archive-tools';
import { ApiHarness, addUser, startApiHarness } from '../api/api-harness';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];

/**
 * A request after the death (CSP L.1110-4 V, L.1111-7), answered as the law asks (the sector
 * lawyer's review): a deceased minor's parents have their own right, whole and without purpose (al.
 * 2), checked from her birth date; the requester's standing is proven and recorded; an ayant droit
 * receives only what the purpose needs — staff record what they keep and why, and the zip handed over
 * holds that only; a refusal is reasoned, with its letter; nothing goes out before 48 hours.
 */
describe('a request after the death: parents of a deceased minor, standing, sorting, refusal, 48 hours', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let other: request.Agent;
  let adult = '';
  let minor = '';
  let docIds: string[] = [];
  const proof = { type: 'acte_notoriete', reference: 'Me Durand, notaire à Lyon, réf. 2026/1187', issuedOn: '2026-10-20' };
  const heirRequest = { from: 'ayant_droit', receivedOn: '2026-11-25', statement: 'Courrier de son fils : causes du décès', purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'none', standingProof: proof };
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const written = async () => ({
    jobs: await count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'access_request'`),
    events: await count(`SELECT count(*) AS n FROM audit_events WHERE action LIKE 'access_request.%' OR action IN ('data_job.requested', 'archive.opened_for_heir_request')`),
  });
  const runJob = async (id: string) => {
    const rows = (await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1 AND done_at IS NULL ORDER BY created_at DESC`, [id])) as { id: string }[];
    await h.app.get(DataJobsService).run(rows[0].id, id);
  };

  beforeAll(async () => {
    h = await startApiHarness({ EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    adult = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Défunte' }).expect(201)).body.id as string;
    for (let i = 0; i < 2; i++) docIds.push((await admissions.post('/api/documents').send({ residentId: adult, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string);
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01', birth_date = '1941-03-02' WHERE id = $1`, [adult]);
    await admin.put(`/api/residents/${adult}/departure`).send({ departedOn: '2026-10-02' }).expect(200);
    minor = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Mineur' }).expect(201)).body.id as string;
    // Born 3 October 2008: 17 on 2 October 2026, 18 the next day.
    await ds.query(`UPDATE residents SET admission_date = '2020-01-06', birth_date = '2008-10-03' WHERE id = $1`, [minor]);
    await admin.put(`/api/residents/${minor}/departure`).send({ departedOn: '2026-10-02' }).expect(200);
    await addUser(h.app, h.orgA.organisationId, 'autre-admin@a.test', [{ establishmentId: h.orgA.establishmentId, role: 'administrator' }]);
    other = await loginAgent(h.app, 'autre-admin@a.test', TEST_PASSWORD);
    docIds = docIds.sort();
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('an ayant droit without the proof of his standing: 400 with each field’s code in French, nothing recorded', async () => {
    const before = await written();
    const { standingProof: _none, ...without } = heirRequest;
    const refused = await admin.post('/api/data-jobs/access-request').send({ residentId: adult, request: without });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d: { field: string; code: string }) => `${d.field} ${d.code}`)).toEqual([
      'request.standingProof.type HEIR_STANDING_PROOF_REQUIRED',
      'request.standingProof.reference HEIR_STANDING_PROOF_REFERENCE_INVALID',
      'request.standingProof.issuedOn HEIR_STANDING_PROOF_DATE_INVALID',
    ]);
    expect(refused.body.error.details[0].message).toMatch(/acte de notoriété.*livret de famille/);
    const physician = await admin.post('/api/data-jobs/access-request').send({ residentId: adult, request: { ...heirRequest, communication: 'physician' } });
    expect(physician.body.error.details.map((d: { code: string }) => d.code)).toEqual(['ACCESS_REQUEST_PHYSICIAN_REQUIRED']);
    expect(await written()).toEqual(before);
  });

  it('a parent of a person who was an adult at her death: 400 PARENT_REQUEST_NOT_MINOR_AT_DEATH, nothing recorded', async () => {
    const before = await written();
    const parent = { from: 'parental_authority', receivedOn: '2026-11-25', statement: 'Courrier de sa mère', deceasedOn: '2026-10-02', standingProof: { type: 'livret_famille', reference: 'Livret de famille, mairie de Lyon 3e', issuedOn: '1970-05-01' }, notEmancipated: true };
    const refused = await admin.post('/api/data-jobs/access-request').send({ residentId: adult, request: parent });
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 400, code: 'PARENT_REQUEST_NOT_MINOR_AT_DEATH' });
    expect(refused.body.error.message).toMatch(/majeure à la date du décès/);
    // The day she turned 18 she was no longer a minor.
    const next = await admin.post('/api/data-jobs/access-request').send({ residentId: minor, request: { ...parent, deceasedOn: '2026-10-03' } });
    expect(next.body.error?.code).toBe('PARENT_REQUEST_NOT_MINOR_AT_DEATH');
    expect(await written()).toEqual(before);
  });

  it('the parents of a deceased minor: no purpose asked, the whole, the minor’s secret reminded (L.1110-4 V al. 2, L.1111-5); 48 hours on the job; the working copy never handed over: a selection first', async () => {
    const parent = { from: 'parental_authority', receivedOn: '2026-11-25', statement: 'Courrier de ses parents', deceasedOn: '2026-10-02', standingProof: { type: 'livret_famille', reference: 'Livret de famille, mairie de Lyon 3e', issuedOn: '2007-06-01' }, communication: 'physician', physician: 'Dr Martin, Lyon', notEmancipated: true };
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: minor, request: parent }).expect(202)).body;
    expect(job.params.request).toMatchObject({ from: 'parental_authority', heir: { deceasedOn: '2026-10-02', standingProof: parent.standingProof, communication: 'physician', physician: 'Dr Martin, Lyon' } });
    expect(job.params.request.heir.purpose).toBeUndefined();
    // Received on 25 November: 48 hours after the end of that day in Paris (the hour of receipt is not recorded).
    expect(job.params.request.notBefore).toBe('2026-11-27T23:00:00.000Z');
    const [requested] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'data_job.requested' AND payload->>'jobId' = $1`, [job.id])) as { payload: Record<string, unknown> }[];
    expect(requested.payload).toMatchObject({ requestFrom: 'parental_authority', requestStandingProofType: 'livret_famille', requestStandingProofReferenceSha256: sha(parent.standingProof.reference), requestCommunication: 'physician', requestNotBefore: '2026-11-27T23:00:00.000Z' });
    expect(requested.payload).not.toHaveProperty('requestPurpose');
    await runJob(job.id);
    const [{ result_file }] = (await ds.query(`SELECT result_file FROM data_jobs WHERE id = $1`, [job.id])) as { result_file: string }[];
    const readme = (await readZip(result_file)).get('LISEZMOI.txt')!.toString('utf8');
    expect(readme).toMatch(/^Demande d’accès des titulaires de l’autorité parentale d’un mineur décédé/);
    expect(readme).toContain('la totalité des informations médicales');
    expect(readme).toContain('articles L.1111-5 et L.1111-5-1');
    expect(readme).toContain('retirez-en les éléments');
    expect(readme).toContain('article 85 de la loi Informatique et Libertés');
    expect(readme).toContain('par l’intermédiaire d’un médecin : Dr Martin, Lyon');
    expect(readme).not.toContain('motif indiqué :');
    // The working copy (« retirez-en … ») is never handed over: the parents' delivery needs a selection too (L.1111-5).
    const early = await admin.post(`/api/data-jobs/${job.id}/delivery`);
    expect({ status: early.status, code: early.body.error?.code }).toEqual({ status: 409, code: 'ACCESS_SELECTION_REQUIRED' });
    expect(early.body.error.message).toMatch(/parents d’un mineur décédé.*L\.1111-5/);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'access_request.delivered' AND payload->>'jobId' = $1`, [job.id])).toBe(0);
    await admin.post(`/api/data-jobs/${job.id}/selection`).send({ items: ['dossier', 'journal'], justification: 'Tout sauf la consultation que le mineur a gardée secrète.' }).expect(200);
    await runJob(job.id);
    const [{ result_file: sorted }] = (await ds.query(`SELECT result_file FROM data_jobs WHERE id = $1`, [job.id])) as { result_file: string }[];
    expect((await readZip(sorted)).get('LISEZMOI.txt')!.toString('utf8')).not.toContain('retirez-en les éléments');
    // Delivered (the 48 hours passed long ago).
    const delivered = (await admin.post(`/api/data-jobs/${job.id}/delivery`).expect(200)).body;
    expect(delivered.answer).toMatchObject({ state: 'delivered', delivery: { resultSha256: delivered.resultSha256 } });
    expect((await admin.post(`/api/data-jobs/${job.id}/delivery`)).body.error.code).toBe('ACCESS_REQUEST_ALREADY_DELIVERED');
  });

  it('the parents of a deceased minor cannot be refused for the deceased’s objection nor a purpose (L.1110-4 V al. 2): 400 ACCESS_REFUSAL_REASON_NOT_FOR_PARENTS, nothing recorded; their form offers neither', async () => {
    const parent = { from: 'parental_authority', receivedOn: '2026-11-24', statement: 'Courrier de son père', deceasedOn: '2026-10-02', standingProof: { type: 'livret_famille', reference: 'Livret de famille n° 31', issuedOn: '2007-06-01' }, notEmancipated: true };
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: minor, request: parent }).expect(202)).body;
    await runJob(job.id);
    for (const reason of ['deceased_objected', 'purpose_not_established']) {
      const refused = await admin.post(`/api/data-jobs/${job.id}/refusal`).send({ reason, explanation: 'Elle s’y était opposée de son vivant.' });
      expect({ status: refused.status, details: refused.body.error?.details?.map((d: { field: string; code: string }) => `${d.field} ${d.code}`) }).toEqual({ status: 400, details: ['reason ACCESS_REFUSAL_REASON_NOT_FOR_PARENTS'] });
    }
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'access_request.refused' AND payload->>'jobId' = $1`, [job.id])).toBe(0);
    const page = (await admin.get(`/console/archives/${job.id}/reponse`).expect(200)).text;
    expect(page).not.toContain('value="deceased_objected"');
    expect(page).not.toContain('value="purpose_not_established"');
    expect(page).toContain('value="minor_secret"');
    // The console's POST of a reason the form does not offer: refused the same way, beside the reasons.
    const posted = await admin.post(`/console/archives/${job.id}/refus`).type('form').send({ _csrf: csrfOf(page), reason: 'deceased_objected', explanation: 'Elle s’y était opposée de son vivant.' });
    expect(posted.status).toBe(400);
    expect(posted.text).toContain('la « volonté contraire » du défunt ne leur est pas opposable');
    const done = (await admin.post(`/api/data-jobs/${job.id}/refusal`).send({ reason: 'minor_secret', explanation: 'Le mineur a gardé secrètes de ses parents les consultations demandées.' }).expect(200)).body;
    expect(done.answer.refusal.letter).not.toContain('nouvelle demande');
  });

  it('an ayant droit: delivery refused without the selection; the selection recorded and audited; the zip remade with the kept items only; delivered', async () => {
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: adult, request: heirRequest }).expect(202)).body;
    expect(job.params.request.heir.standingProof).toEqual(proof);
    expect((await admin.post(`/api/data-jobs/${job.id}/selection`).send({ items: ['dossier'], justification: 'Le dossier suffit au motif.' })).body.error.code).toBe('DATA_JOB_NOT_DONE');
    await runJob(job.id);
    const [{ result_file: working }] = (await ds.query(`SELECT result_file FROM data_jobs WHERE id = $1`, [job.id])) as { result_file: string }[];
    const all = await readZip(working);
    expect(all.has('personne.json') && all.has('journal/evenements.jsonl')).toBe(true);
    expect(all.get('LISEZMOI.txt')!.toString('utf8')).toContain('À NE PAS REMETTRE AU DEMANDEUR');
    const early = await admin.post(`/api/data-jobs/${job.id}/delivery`);
    expect({ status: early.status, code: early.body.error?.code }).toEqual({ status: 409, code: 'ACCESS_SELECTION_REQUIRED' });
    expect(early.body.error.message).toMatch(/L\.1110-4 V/);

    const bad = await admin.post(`/api/data-jobs/${job.id}/selection`).send({ items: [`document:${docIds[0]}`, 'document:00000000-0000-4000-8000-000000000000'], justification: 'court' });
    expect(bad.body.error.details.map((d: { field: string; code: string }) => `${d.field} ${d.code}`)).toEqual(['items ACCESS_SELECTION_ITEM_UNKNOWN', 'justification ACCESS_SELECTION_JUSTIFICATION_INVALID']);
    expect((await admin.post(`/api/data-jobs/${job.id}/selection`).send({ items: [], justification: 'Rien à transmettre ici.' })).body.error.details[0].code).toBe('ACCESS_SELECTION_ITEMS_REQUIRED');
    // Another records manager cannot sort a zip she does not hold.
    expect((await other.post(`/api/data-jobs/${job.id}/selection`).send({ items: ['dossier'], justification: 'Le dossier suffit au motif.' })).body.error.code).toBe('DATA_JOB_NOT_YOURS');

    const justification = 'Le contrat de séjour établit la date d’entrée et les soins prévus : utile pour connaître les causes de la mort. Le reste ne l’est pas.';
    const kept = [`document:${docIds[0]}`, 'journal'];
    const recorded = (await admin.post(`/api/data-jobs/${job.id}/selection`).send({ items: [...kept].reverse(), justification }).expect(200)).body;
    const selectionSha = sha(canonicalJson({ items: kept, justification }));
    expect(recorded.answer).toMatchObject({ state: 'selection_recorded', selection: { items: kept, justification, sha256: selectionSha } });
    expect(recorded.status).toBe('queued');
    const [event] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'access_request.selection_recorded' AND payload->>'jobId' = $1`, [job.id])) as { payload: unknown }[];
    expect(event.payload).toEqual({ jobId: job.id, requestFrom: 'ayant_droit', selectionSha256: selectionSha, justificationSha256: sha(justification), items: 2, documents: 1, includesDossier: false, includesJournal: true });
    await runJob(job.id);
    const [{ result_file }] = (await ds.query(`SELECT result_file FROM data_jobs WHERE id = $1`, [job.id])) as { result_file: string }[];
    const zip = await readZip(result_file);
    const names = [...zip.keys()];
    expect(names).not.toContain('personne.json');
    expect(names.filter((n) => n.startsWith('documents/') && n.endsWith('document.json'))).toEqual([`documents/${docIds[0]}/document.json`]);
    expect(names).toContain('journal/evenements.jsonl');
    const journal = zip.get('journal/evenements.jsonl')!.toString('utf8');
    expect(journal).not.toContain(docIds[1]);
    const readme = zip.get('LISEZMOI.txt')!.toString('utf8');
    expect(readme).toContain('ne contient que les éléments que l’établissement a retenus comme nécessaires au motif indiqué');
    expect(readme).toMatch(/Contrat de séjour créé le/);
    expect(readme).toContain('pas avant le');
    expect(readme).toContain('acte de notoriété (notaire), référence « Me Durand, notaire à Lyon, réf. 2026/1187 »');
    expect(readme).not.toContain('À NE PAS REMETTRE');
    // The justification is staff's: not in the heir's package, its SHA-256 only in the chain.
    expect(readme).not.toContain('Le reste ne l’est pas');
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE payload::text LIKE '%Le reste ne l%'`)).toBe(0);
    const delivered = (await admin.post(`/api/data-jobs/${job.id}/delivery`).expect(200)).body;
    const [{ result_sha256 }] = (await ds.query(`SELECT result_sha256 FROM data_jobs WHERE id = $1`, [job.id])) as { result_sha256: string }[];
    const [deliveredEvent] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'access_request.delivered' AND payload->>'jobId' = $1`, [job.id])) as { payload: unknown }[];
    expect(deliveredEvent.payload).toEqual({ jobId: job.id, requestFrom: 'ayant_droit', resultSha256: result_sha256, selectionSha256: selectionSha, notBefore: '2026-11-27T23:00:00.000Z' });
    expect(delivered.answer.state).toBe('delivered');
    // Closed: neither a new selection nor a refusal.
    expect((await admin.post(`/api/data-jobs/${job.id}/refusal`).send({ reason: 'other', explanation: 'Trop tard pour refuser.' })).body.error.code).toBe('ACCESS_REQUEST_ALREADY_DELIVERED');
    expect((await h.app.get(AuditVerifier).verifyAll(ds.manager)).ok).toBe(true);
  });

  it('not before 48 hours (CSP L.1111-7 al. 2): a request received today cannot be delivered, 409 ACCESS_REQUEST_TOO_EARLY « pas avant le … »', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const before = Date.now();
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: minor, request: { from: 'parental_authority', receivedOn: today, statement: 'Courrier de son père', deceasedOn: '2026-10-02', standingProof: { type: 'livret_famille', reference: 'Livret de famille n° 12', issuedOn: '2007-06-01' }, notEmancipated: true } }).expect(202)).body;
    // Recorded now, received today at the latest now: 48 hours from now.
    const notBefore = Date.parse(job.params.request.notBefore);
    expect(notBefore).toBeGreaterThanOrEqual(before + 48 * 3600_000);
    expect(notBefore).toBeLessThanOrEqual(Date.now() + 48 * 3600_000);
    await runJob(job.id);
    await admin.post(`/api/data-jobs/${job.id}/selection`).send({ items: ['dossier'], justification: 'Tout sauf ce que le mineur a gardé secret.' }).expect(200);
    await runJob(job.id);
    const early = await admin.post(`/api/data-jobs/${job.id}/delivery`);
    expect({ status: early.status, code: early.body.error?.code }).toEqual({ status: 409, code: 'ACCESS_REQUEST_TOO_EARLY' });
    expect(early.body.error.message).toMatch(/quarante-huit heures.*pas avant le \d+ \S+ \d{4} à \d+ h/);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'access_request.delivered' AND payload->>'jobId' = $1`, [job.id])).toBe(0);
    // The same delivery 48 hours later goes through (the service's clock given).
    const actor = { kind: 'staff' as const, userId: h.orgA.users.administrator.id, organisationId: h.orgA.organisationId, email: h.orgA.users.administrator.email, name: 'Admin', sessionId: 'test', roles: [{ establishmentId: h.orgA.establishmentId, role: 'administrator' as const }] };
    await expect(h.app.get(DataJobsService).recordDelivery(actor, job.id, new Date(notBefore - 1000))).rejects.toMatchObject({ code: 'ACCESS_REQUEST_TOO_EARLY' });
    const later = await h.app.get(DataJobsService).recordDelivery(actor, job.id, new Date(notBefore + 1000));
    expect(later.answer?.state).toBe('delivered');
  });

  it('a reasoned refusal: reason and explanation required; the letter on the job, the working zip deleted, audited; nothing else after', async () => {
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: adult, request: { ...heirRequest, purpose: 'assert_rights' } }).expect(202)).body;
    await runJob(job.id);
    const [{ result_file }] = (await ds.query(`SELECT result_file FROM data_jobs WHERE id = $1`, [job.id])) as { result_file: string }[];
    const bad = await admin.post(`/api/data-jobs/${job.id}/refusal`).send({ reason: 'parce que', explanation: '' });
    expect(bad.body.error.details.map((d: { code: string }) => d.code)).toEqual(['ACCESS_REFUSAL_REASON_INVALID', 'ACCESS_REFUSAL_EXPLANATION_INVALID']);
    const explanation = 'L’acte de notoriété produit ne désigne pas le demandeur parmi les héritiers.';
    // A public establishment (its legal status recorded through the API, audited): the letter names the CADA, not the judicial court.
    await admin.patch(`/api/establishments/${h.orgA.establishmentId}`).send({ legalStatus: 'public' }).expect(200);
    const refused = (await admin.post(`/api/data-jobs/${job.id}/refusal`).send({ reason: 'standing_not_proven', explanation }).expect(200)).body;
    await admin.patch(`/api/establishments/${h.orgA.establishmentId}`).send({ legalStatus: null }).expect(200);
    expect(refused.answer).toMatchObject({ state: 'refused', refusal: { reason: 'standing_not_proven', explanation } });
    const letter = refused.answer.refusal.letter as string;
    expect(letter).toContain('Vous nous avez adressé, le 25 novembre 2026, une demande de communication');
    expect(letter).toContain('La qualité du demandeur n’est pas établie par les pièces produites.');
    expect(letter).toContain(explanation);
    expect(letter).toContain('articles L.1110-4 V et L.1111-7 du Code de la santé publique');
    expect(letter).toContain('Vous pouvez saisir la Commission d’accès aux documents administratifs (CADA, 20 avenue de Ségur');
    expect(letter).not.toContain('tribunal judiciaire');
    expect(letter).toContain('Vous pouvez nous adresser une nouvelle demande accompagnée des pièces qui établissent votre qualité.');
    const [event] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'access_request.refused' AND payload->>'jobId' = $1`, [job.id])) as { payload: unknown }[];
    expect(event.payload).toEqual({ jobId: job.id, requestFrom: 'ayant_droit', reason: 'standing_not_proven', explanationSha256: sha(explanation), letterSha256: sha(letter), legalStatus: 'public', publicLaw: false, recourseKind: 'public' });
    expect(existsSync(result_file)).toBe(false);
    expect((await admin.get(`/api/data-jobs/${job.id}/download`)).status).toBe(404);
    expect((await admin.post(`/api/data-jobs/${job.id}/delivery`)).body.error.code).toBe('ACCESS_REQUEST_REFUSED');
    expect((await admin.post(`/api/data-jobs/${job.id}/selection`).send({ items: ['dossier'], justification: 'Le dossier suffit au motif.' })).body.error.code).toBe('ACCESS_REQUEST_REFUSED');
  });

  it('the zip made of the selection failed for good: still open (« À faire », duplicates), delivery 409 ACCESS_SELECTION_REBUILD_FAILED, the selection recorded again retries it', async () => {
    const request = { ...heirRequest, receivedOn: '2026-11-27', purpose: 'defend_memory' };
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: adult, request }).expect(202)).body;
    await runJob(job.id);
    const [{ result_file: working }] = (await ds.query(`SELECT result_file FROM data_jobs WHERE id = $1`, [job.id])) as { result_file: string }[];
    const selection = { items: ['dossier'], justification: 'Le dossier suffit à défendre sa mémoire.' };
    await admin.post(`/api/data-jobs/${job.id}/selection`).send(selection).expect(200);
    // The zip cannot be written (a directory in its place): the run fails, and the worker marks the job failed for good as it does after its retries (data.processor.ts).
    rmSync(working, { force: true });
    mkdirSync(working);
    await expect(runJob(job.id)).rejects.toThrow();
    await ds.transaction((em) => h.app.get(DataJobsService).failed(em, job.id, 'EISDIR: illegal operation on a directory'));
    expect((await admin.get(`/api/data-jobs/${job.id}`)).body.status).toBe('failed');
    // The request is still to be answered (the CSP deadline runs): in « À faire », and the same request again is a duplicate.
    const home = (await admin.get('/console').expect(200)).text;
    expect(home).toContain(`/console/archives/${job.id}/reponse`);
    expect(home).toContain('La préparation du fichier trié a échoué : enregistrez de nouveau le tri pour la relancer.');
    expect((await admin.post('/api/data-jobs/access-request').send({ residentId: adult, request })).body.error?.code).toBe('ACCESS_REQUEST_DUPLICATE');
    const late = await admin.post(`/api/data-jobs/${job.id}/delivery`);
    expect({ status: late.status, code: late.body.error?.code, message: late.body.error?.message }).toEqual({
      status: 409,
      code: 'ACCESS_SELECTION_REBUILD_FAILED',
      message: 'La préparation du fichier trié a échoué : enregistrez de nouveau le tri pour la relancer.',
    });
    expect((await admin.get(`/console/archives/${job.id}/reponse`).expect(200)).text).toContain('La préparation du fichier trié a échoué');
    // Recorded again: made again, then delivered.
    rmSync(working, { recursive: true, force: true });
    const again = (await admin.post(`/api/data-jobs/${job.id}/selection`).send(selection).expect(200)).body;
    expect({ status: again.status, error: again.error }).toEqual({ status: 'queued', error: null });
    await runJob(job.id);
    expect((await admin.get(`/api/data-jobs/${job.id}`)).body.status).toBe('done');
    expect((await admin.post(`/api/data-jobs/${job.id}/delivery`).expect(200)).body.answer.state).toBe('delivered');
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'access_request.selection_recorded' AND payload->>'jobId' = $1`, [job.id])).toBe(2);
  });

  it('the person’s own request (RGPD art. 15) has no such answer: 409 ACCESS_ANSWER_NOT_CSP', async () => {
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: adult, request: { from: 'person', receivedOn: '2026-09-01', statement: 'Courrier de la personne' } }).expect(202)).body;
    expect(job.params.request.notBefore).toBeUndefined();
    expect((await admin.post(`/api/data-jobs/${job.id}/delivery`)).body.error.code).toBe('ACCESS_ANSWER_NOT_CSP');
  });

  it('the console: the parents’ kind and the proof of standing on the form; the answer page sorts, with the 48 hours beside the deadline', async () => {
    const page = (await admin.get(`/console/archives?personne-acces=Mineur`).expect(200)).text;
    expect(page).toContain('Titulaire de l’autorité parentale d’un mineur décédé');
    expect(page).toMatch(/id="requestStandingProofType"[^>]*aria-describedby="requestStandingProofType-aide"/);
    const base = {
      _csrf: csrfOf(page),
      accessResidentId: minor,
      'personne-acces': 'Mineur',
      requestFrom: 'parental_authority',
      requestReceivedOn: '2026-11-26',
      requestStatement: 'Courrier de sa mère',
      requestDeceasedOn: '2026-10-02',
      requestNotEmancipated: 'oui',
    };
    const refused = await admin.post('/console/archives/acces').type('form').send(base);
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/id="requestStandingProofType"[^>]*aria-invalid="true"/);
    const ok = await admin
      .post('/console/archives/acces')
      .type('form')
      .send({ ...base, requestStandingProofType: 'livret_famille', requestStandingProofReference: 'Livret de famille n° 7', requestStandingProofIssuedOn: '2007-06-01' });
    expect(ok.status).toBe(303);
    const id = /demande=([0-9a-f-]+)/.exec(ok.headers.location)![1];
    const list = (await admin.get('/console/archives').expect(200)).text;
    expect(list).toContain('Demande des parents d’un mineur décédé (Code de la santé publique, art. L.1110-4 V)');
    expect(list).toMatch(/Réponse due au plus tard le 4 décembre 2026 ; communication à partir du 29 novembre 2026 \(48 heures/);
    await runJob(id);
    const answer = (await admin.get(`/console/archives/${id}/reponse`).expect(200)).text;
    expect(answer).toContain('sauf les éléments relatifs aux décisions médicales pour lesquelles le mineur s’est opposé à l’obtention de leur consentement');
    const csrf = csrfOf(answer);
    const bad = await admin.post(`/console/archives/${id}/tri`).type('form').send({ _csrf: csrf, justification: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/<fieldset id="selection-items" aria-invalid="true"/);
    expect(bad.text).toMatch(/id="justification"[^>]*aria-invalid="true"/);
    const sorted = await admin.post(`/console/archives/${id}/tri`).type('form').send({ _csrf: csrf, 'element-dossier': 'oui', justification: 'Tout sauf la consultation que le mineur a gardée secrète.' });
    expect(sorted.status).toBe(303);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'access_request.selection_recorded' AND payload->>'jobId' = $1`, [id])).toBe(1);
  });

  it('the refusal letter: public archives (CRPA L.300-2) name the CADA for a private establishment; no personne qualifiée; signed with the name and function of who records it (CRPA L.212-1)', async () => {
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: adult, request: { ...heirRequest, receivedOn: '2026-11-29', standingProof: { ...proof, reference: 'Me Blanc, réf. 2026/2929' } } }).expect(202)).body;
    await runJob(job.id);
    await admin.patch(`/api/establishments/${h.orgA.establishmentId}`).send({ legalStatus: 'private' }).expect(200);
    await ds.query(`UPDATE organisations SET public_law = true WHERE id = $1`, [h.orgA.organisationId]);
    const page = (await admin.get(`/console/archives/${job.id}/reponse`).expect(200)).text;
    const refused = (await admin.post(`/api/data-jobs/${job.id}/refusal`).send({ reason: 'standing_not_proven', explanation: 'L’acte de notoriété produit ne désigne pas le demandeur.' }).expect(200)).body;
    await ds.query(`UPDATE organisations SET public_law = false WHERE id = $1`, [h.orgA.organisationId]);
    await admin.patch(`/api/establishments/${h.orgA.establishmentId}`).send({ legalStatus: null }).expect(200);
    expect(page).toContain('Les archives de l’organisation sont des archives publiques');
    expect(page).not.toContain('personne qualifiée');
    const letter = refused.answer.refusal.letter as string;
    expect(letter).toContain('Vous pouvez saisir la Commission d’accès aux documents administratifs');
    expect(letter).not.toContain('tribunal judiciaire');
    expect(letter).not.toMatch(/personne qualifiée|L\.311-5/);
    const [{ name }] = (await ds.query(`SELECT name FROM staff_users WHERE email = $1`, [h.orgA.users.administrator.email])) as { name: string }[];
    expect(letter.split('\n').at(-1)).toBe(`${name}, administration de l’établissement`);
    // The audit event says why the letter named the CADA: the organisation's public archives, not the establishment's status.
    const [event] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'access_request.refused' AND payload->>'jobId' = $1`, [job.id])) as { payload: Record<string, unknown> }[];
    expect(event.payload).toMatchObject({ legalStatus: 'private', publicLaw: true, recourseKind: 'public' });
  });
});

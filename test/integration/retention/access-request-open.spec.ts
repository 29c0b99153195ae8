import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DataJobsService } from '@carepact/archive';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, addUser, startApiHarness } from '../api/api-harness';

/**
 * An access request not yet answered: in « À faire » for the establishment's records managers with
 * its due date (« pas avant le … » after a death), late marked as other items, gone once answered;
 * the same request recorded twice refused (409 ACCESS_REQUEST_DUPLICATE naming the open one), a
 * second heir's own request the same day accepted; an
 * heir's death date before the end of the accompaniment recorded accepted with a warning (HEIR_REQUEST_DEATH_BEFORE_DEPARTURE).
 */
describe('open access requests: « À faire », duplicates, the death before the departure', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let other: request.Agent;
  let admissions: request.Agent;
  let gone = '';
  let living = '';
  let minor = '';
  const heir = { from: 'ayant_droit', receivedOn: '2026-11-02', statement: 'Courrier de son fils : causes du décès', purpose: 'causes_of_death', deceasedOn: '2026-10-25', deceasedObjection: 'none', standingProof: { type: 'acte_notoriete', reference: 'Me Durand, réf. 2026/1187', issuedOn: '2026-10-20' } };
  const count = async () => Number(((await ds.query(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'access_request'`)) as { n: string }[])[0].n);
  const runJob = async (id: string) => {
    const rows = (await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1 AND done_at IS NULL ORDER BY created_at DESC`, [id])) as { id: string }[];
    await h.app.get(DataJobsService).run(rows[0].id, id);
  };
  /** The « À faire » section of access requests, as text (tags stripped), or '' when there is none. */
  const todo = async (agent: request.Agent) => {
    const html = (await agent.get('/console').expect(200)).text;
    const start = html.indexOf('Demandes d’accès aux informations à satisfaire');
    if (start < 0) return '';
    const end = html.indexOf('</section>', start);
    return html.slice(start, end).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  };

  beforeAll(async () => {
    h = await startApiHarness({ EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    await addUser(h.app, h.orgA.organisationId, 'collegue-admin@a.test', [{ establishmentId: h.orgA.establishmentId, role: 'administrator' }]);
    other = await loginAgent(h.app, 'collegue-admin@a.test', TEST_PASSWORD);
    gone = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Décédée' }).expect(201)).body.id as string;
    await admissions.post('/api/documents').send({ residentId: gone, type: 'contrat-sejour', data: contractData() }).expect(202);
    await ds.query(`UPDATE residents SET admission_date = '2024-03-01' WHERE id = $1`, [gone]);
    // The file: accompanied until 25 October 2026.
    await admin.put(`/api/residents/${gone}/departure`).send({ departedOn: '2026-10-25' }).expect(200);
    living = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Vivante' }).expect(201)).body.id as string;
    minor = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Enfant' }).expect(201)).body.id as string;
    await ds.query(`UPDATE residents SET admission_date = '2020-01-06', birth_date = '2012-10-03' WHERE id = $1`, [minor]);
    await admin.put(`/api/residents/${minor}/departure`).send({ departedOn: '2026-11-15' }).expect(200);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('a death stated before the end of the stay recorded is possible (the room vacated days later, CASF L.314-10-1): accepted with the warning HEIR_REQUEST_DEATH_BEFORE_DEPARTURE kept on the request, audited, shown on its page; for an ayant droit and for a minor’s parents', async () => {
    // Her own resident (the other tests read « the » request about `gone`): accompanied until 25 October 2026.
    const vacated = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Chambre' }).expect(201)).body.id as string;
    await ds.query(`UPDATE residents SET admission_date = '2024-03-01' WHERE id = $1`, [vacated]);
    await admin.put(`/api/residents/${vacated}/departure`).send({ departedOn: '2026-10-25' }).expect(200);
    const before = await count();
    const accepted = await admin
      .post('/api/data-jobs/access-request')
      .send({ residentId: vacated, request: { ...heir, receivedOn: '2026-11-04', deceasedOn: '2026-10-20', standingProof: { ...heir.standingProof, reference: 'Me Martin, réf. 2026/0001' } } });
    expect({ status: accepted.status, code: accepted.body.error?.code }).toEqual({ status: 202, code: undefined });
    // Her file records the departure but no death (deceased_on null): HEIR_REQUEST_NO_DEATH_RECORDED too (the next tests).
    const [warning, noDeath] = accepted.body.params.request.warnings as { code: string; message: string }[];
    expect([warning.code, noDeath.code]).toEqual(['HEIR_REQUEST_DEATH_BEFORE_DEPARTURE', 'HEIR_REQUEST_NO_DEATH_RECORDED']);
    expect(warning.message).toContain('La date du décès indiquée (20 octobre 2026) précède la fin de l’accompagnement enregistrée dans le dossier (25 octobre 2026)');
    // L.314-10-1 is the billing rule after a death in establishments for older people, not a stay extended (the sector lawyer's review of session 20).
    expect(warning.message).toContain('la date de sortie enregistrée peut être celle de la libération de la chambre');
    // Session 22's review: the socle de prestations may be billed up to six days after the death while her belongings stay (R.314-149).
    expect(warning.message).toContain('dans un établissement pour personnes âgées, seules les prestations d’hébergement délivrées avant le décès sont facturées ; si ses objets personnels n’ont pas été retirés, le socle de prestations peut l’être au plus six jours après le décès, Code de l’action sociale et des familles, art. L.314-10-1 et R.314-149');
    const [event] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'data_job.requested' AND payload->>'jobId' = $1`, [accepted.body.id])) as { payload: Record<string, unknown> }[];
    expect(event.payload.requestWarnings).toBe('HEIR_REQUEST_DEATH_BEFORE_DEPARTURE,HEIR_REQUEST_NO_DEATH_RECORDED');
    expect((await admin.get(`/console/archives/${accepted.body.id}/reponse`).expect(200)).text).toContain('précède la fin de l’accompagnement enregistrée dans le dossier (25 octobre 2026)');
    const parent = { from: 'parental_authority', receivedOn: '2026-11-20', statement: 'Courrier de sa mère', deceasedOn: '2026-11-01', standingProof: { type: 'livret_famille', reference: 'Livret n° 99', issuedOn: '2012-11-01' }, notEmancipated: true };
    const parents = (await admin.post('/api/data-jobs/access-request').send({ residentId: minor, request: parent }).expect(202)).body;
    expect(parents.params.request.warnings.map((w: { code: string }) => w.code)).toEqual(['HEIR_REQUEST_DEATH_BEFORE_DEPARTURE', 'HEIR_REQUEST_NO_DEATH_RECORDED']);
    expect(await count()).toBe(before + 2);
    // A death on the day of the departure, or after it (she died after leaving): not before the departure — only that her file records no death.
    const onTheDay = (await admin.post('/api/data-jobs/access-request').send({ residentId: minor, request: { ...parent, deceasedOn: '2026-11-15', standingProof: { ...parent.standingProof, reference: 'Livret n° 12' } } }).expect(202)).body;
    expect(onTheDay.params.request.warnings.map((w: { code: string }) => w.code)).toEqual(['HEIR_REQUEST_NO_DEATH_RECORDED']);
    // The two with a warning are not the other tests' requests: closed (a failed job is no longer open: « À faire », duplicates); the last one stays open, as before.
    await ds.query(`UPDATE data_jobs SET status = 'failed' WHERE id = ANY($1)`, [[accepted.body.id, parents.id]]);
  });

  it('the same request recorded again while the first is open: 409 ACCESS_REQUEST_DUPLICATE naming it, nothing recorded; another day or another requester: accepted', async () => {
    const first = (await admin.post('/api/data-jobs/access-request').send({ residentId: gone, request: heir }).expect(202)).body;
    const before = await count();
    for (const agent of [admin, other]) {
      const again = await agent.post('/api/data-jobs/access-request').send({ residentId: gone, request: { ...heir, statement: 'Le même courrier, saisi une seconde fois' } });
      expect({ status: again.status, code: again.body.error?.code, existing: again.body.error?.existingJobId }).toEqual({ status: 409, code: 'ACCESS_REQUEST_DUPLICATE', existing: first.id });
      expect(again.body.error.message).toMatch(/^Cette demande est déjà enregistrée et n’a pas encore reçu de réponse : même personne, même demandeur \(ayant droit, .*\), reçue le 2 novembre 2026 — enregistrée le .* par /);
      expect(again.body.error.existingJobHref).toBe(`/console/archives#demande-${first.id}`);
    }
    // Three at once: one passes at most (serialised per person).
    const burst = await Promise.all([0, 1, 2].map(() => admin.post('/api/data-jobs/access-request').send({ residentId: living, request: { from: 'person', receivedOn: '2026-11-30', statement: 'Courrier de Mme Vivante' } })));
    expect(burst.map((r) => r.status).sort()).toEqual([202, 409, 409]);
    expect(await count()).toBe(before + 1);
    await admin.post('/api/data-jobs/access-request').send({ residentId: living, request: { from: 'representative', receivedOn: '2026-11-30', statement: 'Courrier de son curateur' } }).expect(202);
    await admin.post('/api/data-jobs/access-request').send({ residentId: living, request: { from: 'person', receivedOn: '2026-11-29', statement: 'Un autre courrier' } }).expect(202);
  });

  it('after a death each heir has her own right (CSP L.1110-4 V, L.1111-7): a second heir the same day, with her own proof, is accepted; the same heir entered again, her proof written otherwise, is refused', async () => {
    const deceased = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Héritage' }).expect(201)).body.id as string;
    await admin.put(`/api/residents/${deceased}/departure`).send({ departedOn: '2026-10-25' }).expect(200);
    const son = { ...heir, receivedOn: '2026-11-03', statement: 'Courrier de son fils : causes du décès', standingProof: { type: 'acte_notoriete', reference: 'Me Durand, réf. 2026/1187', issuedOn: '2026-10-20' } };
    const daughter = { ...son, statement: 'Courrier de sa fille : causes du décès', standingProof: { type: 'acte_notoriete', reference: 'Me Lefèvre, réf. 2026/2210', issuedOn: '2026-10-22' } };
    const first = (await admin.post('/api/data-jobs/access-request').send({ residentId: deceased, request: son }).expect(202)).body;
    const second = await admin.post('/api/data-jobs/access-request').send({ residentId: deceased, request: daughter });
    expect({ status: second.status, code: second.body.error?.code }).toEqual({ status: 202, code: undefined });
    const before = await count();
    // The same son, his acte typed with other case, accents, punctuation and spaces: the same requester.
    const again = await other.post('/api/data-jobs/access-request').send({ residentId: deceased, request: { ...son, statement: 'Le courrier du fils, saisi de nouveau', standingProof: { ...son.standingProof, reference: 'ME  DURAND ref 2026-1187' } } });
    expect({ status: again.status, code: again.body.error?.code, existing: again.body.error?.existingJobId }).toEqual({ status: 409, code: 'ACCESS_REQUEST_DUPLICATE', existing: first.id });
    expect(again.body.error.message).toMatch(/^Cette demande est déjà enregistrée et n’a pas encore reçu de réponse : même personne, même demandeur \(ayant droit, .*\) qui produit la même pièce \(« ME {2}DURAND ref 2026-1187 »\), reçue le 3 novembre 2026 — enregistrée le .* par /);
    const hers = await admin.post('/api/data-jobs/access-request').send({ residentId: deceased, request: { ...daughter, standingProof: { ...daughter.standingProof, reference: 'me lefevre réf 2026 2210' } } });
    expect({ status: hers.status, existing: hers.body.error?.existingJobId }).toEqual({ status: 409, existing: second.body.id });
    expect(await count()).toBe(before);
  });

  it('« À faire »: each open request with its due date (late marked, « pas avant le … » after a death), for the establishment’s records managers; gone once refused or downloaded', async () => {
    const mine = await todo(admin);
    expect(mine).toContain('Demande d’accès d’un ayant droit après le décès (CSP, art. L.1110-4 V)');
    // Received on 2 November (eight days: 10 November) — today is later: late.
    expect(mine).toMatch(/En retard .{0,40}Décédée — Demande d’accès d’un ayant droit/);
    expect(mine).toContain('Réponse due au plus tard le 10 novembre 2026');
    // The 48 hours long past: not said any more. A parents' request received today: « pas avant » two days on.
    expect(mine).not.toContain('Pas avant le 5 novembre 2026');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const parents = (await admin.post('/api/data-jobs/access-request').send({ residentId: minor, request: { from: 'parental_authority', receivedOn: today, statement: 'Courrier de son père', deceasedOn: '2026-11-15', standingProof: { type: 'livret_famille', reference: 'Livret n° 12', issuedOn: '2012-11-01' }, notEmancipated: true } }).expect(202)).body;
    const notBefore = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(parents.params.request.notBefore)).replace(/^1 /, '1er ');
    expect(await todo(admin)).toContain(`Pas avant le ${notBefore} à`);
    expect(mine).toContain('Demande d’accès de la personne à ses informations (RGPD, art. 15)');
    expect(mine).toContain('Réponse due au plus tard le 30 décembre 2026');
    expect(mine).toContain('Demande d’accès des parents d’un mineur décédé');
    // Her colleague (records manager of the same establishment) sees them; admissions (no records.manage) do not.
    expect(await todo(other)).toContain('Décédée — Demande d’accès d’un ayant droit');
    expect(await todo(admissions)).toBe('');

    // The ayant droit's: refused with reasons → answered, gone.
    const [heirJob] = (await ds.query(`SELECT id FROM data_jobs WHERE params->>'residentId' = $1`, [gone])) as { id: string }[];
    await runJob(heirJob.id);
    await admin.post(`/api/data-jobs/${heirJob.id}/refusal`).send({ reason: 'purpose_not_established', explanation: 'Le motif indiqué n’est pas établi par les pièces produites.' }).expect(200);
    expect(await todo(admin)).not.toContain('Décédée');
    // Answered: the same request may now be recorded again (a new one).
    await admin.post('/api/data-jobs/access-request').send({ residentId: gone, request: heir }).expect(202);

    // The person's own (art. 15): answered by her zip, once downloaded by whoever recorded it.
    const own = (await ds.query(`SELECT id FROM data_jobs WHERE params->>'residentId' = $1 AND params->'request'->>'from' = 'person' AND params->'request'->>'receivedOn' = '2026-11-30'`, [living])) as { id: string }[];
    expect(own).toHaveLength(1);
    await runJob(own[0].id);
    expect(await todo(admin)).toContain('Paquet prêt');
    await admin.get(`/api/data-jobs/${own[0].id}/download`).expect(200);
    expect((await todo(admin)).match(/Vivante — Demande d’accès de la personne/g)).toHaveLength(1);
  });

  it('the file records the death (residents.deceased_on): another date stated is accepted with the warning HEIR_REQUEST_DEATH_DATE_DIFFERS in French; the same date, no warning', async () => {
    const dead = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Registre' }).expect(201)).body.id as string;
    await ds.query(`UPDATE residents SET admission_date = '2024-03-01' WHERE id = $1`, [dead]);
    await admin.put(`/api/residents/${dead}/departure`).send({ departedOn: '2026-10-25' }).expect(200);
    await ds.query(`UPDATE residents SET deceased_on = departed_on WHERE id = $1`, [dead]);
    const other = await admin
      .post('/api/data-jobs/access-request')
      .send({ residentId: dead, request: { ...heir, receivedOn: '2026-11-05', deceasedOn: '2026-10-24', standingProof: { ...heir.standingProof, reference: 'Me Roux, réf. 2026/0424' } } });
    expect({ status: other.status, code: other.body.error?.code }).toEqual({ status: 202, code: undefined });
    expect(other.body.params.request.warnings).toEqual([
      {
        code: 'HEIR_REQUEST_DEATH_DATE_DIFFERS',
        message:
          'La date du décès indiquée avec la demande (24 octobre 2026) diffère de celle enregistrée dans le dossier de la personne (25 octobre 2026) : vérifiez-la sur l’acte de décès et corrigez celle qui est erronée ; les délais et, pour un mineur, son âge en dépendent.',
      },
    ]);
    const same = (await admin.post('/api/data-jobs/access-request').send({ residentId: dead, request: { ...heir, receivedOn: '2026-11-06', standingProof: { ...heir.standingProof, reference: 'Me Roux, réf. 2026/0425' } } }).expect(202)).body;
    expect(same.params.request.warnings).toBeUndefined();
    await ds.query(`UPDATE data_jobs SET status = 'failed' WHERE id = ANY($1)`, [[other.body.id, same.id]]);
  });

  it('two heirs who produce the same acte de notoriété are two requesters when their names are recorded (requesterName); the same name written otherwise, the same requester; the name audited as its SHA-256, masked to other staff', async () => {
    const family = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Succession' }).expect(201)).body.id as string;
    await admin.put(`/api/residents/${family}/departure`).send({ departedOn: '2026-10-25', endReason: 'death' }).expect(200);
    const acte = { type: 'acte_notoriete', reference: 'Me Garnier, réf. 2026/3300', issuedOn: '2026-10-28' };
    const son = { ...heir, receivedOn: '2026-11-08', statement: 'Courrier de son fils', standingProof: acte, requesterName: 'Paul Succession' };
    const first = (await admin.post('/api/data-jobs/access-request').send({ residentId: family, request: son }).expect(202)).body;
    expect(first.params.request.heir.requesterName).toBe('Paul Succession');
    const before = await count();
    const daughter = await admin.post('/api/data-jobs/access-request').send({ residentId: family, request: { ...son, statement: 'Courrier de sa fille', requesterName: 'Léa Succession' } });
    expect({ status: daughter.status, code: daughter.body.error?.code }).toEqual({ status: 202, code: undefined });
    const again = await other.post('/api/data-jobs/access-request').send({ residentId: family, request: { ...son, requesterName: 'PAUL  succession' } });
    expect({ status: again.status, code: again.body.error?.code, existing: again.body.error?.existingJobId }).toEqual({ status: 409, code: 'ACCESS_REQUEST_DUPLICATE', existing: first.id });
    expect(again.body.error.message).toContain('sous le même nom (« PAUL  succession »)');
    expect(await count()).toBe(before + 1);
    const invalid = await admin.post('/api/data-jobs/access-request').send({ residentId: family, request: { ...son, requesterName: 'P' } });
    expect({ status: invalid.status, fields: invalid.body.error?.details?.map((d: { field: string; code: string }) => [d.field, d.code]) }).toEqual({ status: 400, fields: [['request.requesterName', 'HEIR_REQUESTER_NAME_INVALID']] });
    const [event] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'data_job.requested' AND payload->>'jobId' = $1`, [first.id])) as { payload: Record<string, unknown> }[];
    expect(event.payload.requestRequesterNameSha256).toBe(createHash('sha256').update('Paul Succession', 'utf8').digest('hex'));
    expect(JSON.stringify(event.payload)).not.toContain('Paul Succession');
    const seen = (await other.get(`/api/data-jobs/${first.id}`).expect(200)).body;
    expect(seen.params.request.heir.requesterName).toBe('masqué');
    // The console's form sends it.
    const page = (await admin.get('/console/archives?personne-acces=Succession').expect(200)).text;
    expect(page).toContain('Nom et prénom du demandeur (facultatif)');
    const form = {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1],
      accessResidentId: family,
      'personne-acces': 'Succession',
      requestFrom: 'ayant_droit',
      requestReceivedOn: '2026-11-08',
      requestStatement: 'Courrier de sa petite-fille',
      requestPurpose: 'causes_of_death',
      requestDeceasedOn: '2026-10-25',
      requestDeceasedObjection: 'none',
      requestStandingProofType: 'acte_notoriete',
      requestStandingProofReference: acte.reference,
      requestStandingProofIssuedOn: acte.issuedOn,
      requestRequesterName: 'Zoé Succession',
    };
    const posted = await admin.post('/console/archives/acces').type('form').send(form);
    expect(posted.status).toBe(303);
    const third = (await ds.query(`SELECT id, params FROM data_jobs WHERE params->>'residentId' = $1 ORDER BY created_at DESC LIMIT 1`, [family])) as { id: string; params: { request: { heir: { requesterName?: string } } } }[];
    expect(third[0].params.request.heir.requesterName).toBe('Zoé Succession');
    expect((await admin.get(`/console/archives/${third[0].id}/reponse`).expect(200)).text).toMatch(/<dt>Demandeur<\/dt><dd>Zoé Succession<\/dd>/);
    expect((await other.get(`/console/archives/${third[0].id}/reponse`).expect(200)).text).toMatch(/<dt>Demandeur<\/dt><dd>masqué<\/dd>/);
    await ds.query(`UPDATE data_jobs SET status = 'failed' WHERE id = ANY($1)`, [[first.id, daughter.body.id, third[0].id]]);
  });

  it('the file records a departure but no death (deceased_on null): accepted with the warning HEIR_REQUEST_NO_DEATH_RECORDED in French, kept on the request, audited, shown on its page; the death recorded, none', async () => {
    const left = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Partie' }).expect(201)).body.id as string;
    await ds.query(`UPDATE residents SET admission_date = '2024-03-01' WHERE id = $1`, [left]);
    await admin.put(`/api/residents/${left}/departure`).send({ departedOn: '2026-10-25' }).expect(200);
    const before = await count();
    const accepted = await admin
      .post('/api/data-jobs/access-request')
      .send({ residentId: left, request: { ...heir, receivedOn: '2026-11-07', standingProof: { ...heir.standingProof, reference: 'Me Blanc, réf. 2026/0707' } } });
    expect({ status: accepted.status, code: accepted.body.error?.code }).toEqual({ status: 202, code: undefined });
    expect(await count()).toBe(before + 1);
    expect(accepted.body.params.request.warnings).toEqual([
      {
        code: 'HEIR_REQUEST_NO_DEATH_RECORDED',
        message:
          'Le dossier de la personne enregistre un départ le 25 octobre 2026, mais pas de décès : vérifiez le décès sur l’acte de décès (les délais et, pour un mineur, son âge en dépendent), puis enregistrez-le depuis le dossier de la personne (« Fin de l’accompagnement et conservation » : « Enregistrer son décès » ; la date de départ est gardée).',
      },
    ]);
    const [event] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'data_job.requested' AND payload->>'jobId' = $1`, [accepted.body.id])) as { payload: Record<string, unknown> }[];
    expect(event.payload.requestWarnings).toBe('HEIR_REQUEST_NO_DEATH_RECORDED');
    const page = (await admin.get(`/console/archives/${accepted.body.id}/reponse`).expect(200)).text;
    expect(page).toContain('enregistre un départ le 25 octobre 2026, mais pas de décès');
    // The death recorded from her file (endReason death): the same request from another heir, no warning.
    await admin.put(`/api/residents/${left}/departure`).send({ departedOn: '2026-10-25', endReason: 'death' }).expect(200);
    const recorded = (await admin.post('/api/data-jobs/access-request').send({ residentId: left, request: { ...heir, receivedOn: '2026-11-07', standingProof: { ...heir.standingProof, reference: 'Me Blanc, réf. 2026/0708' } } }).expect(202)).body;
    expect(recorded.params.request.warnings).toBeUndefined();
    await ds.query(`UPDATE data_jobs SET status = 'failed' WHERE id = ANY($1)`, [[accepted.body.id, recorded.id]]);
  });

  it('the person has no departure at all: 400 HEIR_REQUEST_PERSON_ACCOMPANIED (a refusal, not a warning), nothing recorded', async () => {
    const here = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Présente' }).expect(201)).body.id as string;
    const before = await count();
    const refused = await admin.post('/api/data-jobs/access-request').send({ residentId: here, request: { ...heir, standingProof: { ...heir.standingProof, reference: 'Me Noir, réf. 1' } } });
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 400, code: 'HEIR_REQUEST_PERSON_ACCOMPANIED' });
    expect(await count()).toBe(before);
  });

  it('the parents confirm she was not emancipated only when she was 16 or over at the death (C. civ. 413-2: no emancipation before): 400 PARENT_REQUEST_EMANCIPATION_UNCONFIRMED then; a younger child, not asked', async () => {
    const parent = { from: 'parental_authority', receivedOn: '2026-11-21', statement: 'Courrier de sa mère', deceasedOn: '2026-11-15', standingProof: { type: 'livret_famille', reference: 'Livret n° 55', issuedOn: '2012-11-01' } };
    // Born 3 October 2012: 14 at the death.
    const young = await admin.post('/api/data-jobs/access-request').send({ residentId: minor, request: parent });
    expect({ status: young.status, code: young.body.error?.code }).toEqual({ status: 202, code: undefined });
    expect(young.body.params.request.heir.notEmancipated).toBeUndefined();
    const teen = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Adolescent' }).expect(201)).body.id as string;
    // Born 15 November 2010: 16 on the day of the death.
    await ds.query(`UPDATE residents SET admission_date = '2020-01-06', birth_date = '2010-11-15' WHERE id = $1`, [teen]);
    await admin.put(`/api/residents/${teen}/departure`).send({ departedOn: '2026-11-15' }).expect(200);
    const before = await count();
    const unconfirmed = await admin.post('/api/data-jobs/access-request').send({ residentId: teen, request: parent });
    expect({ status: unconfirmed.status, code: unconfirmed.body.error?.code, fields: unconfirmed.body.error?.details?.map((d: { field: string }) => d.field) }).toEqual({
      status: 400,
      code: 'PARENT_REQUEST_EMANCIPATION_UNCONFIRMED',
      fields: ['request.notEmancipated'],
    });
    expect(unconfirmed.body.error.message).toMatch(/seize ans ou plus.*n’était pas émancipée/);
    expect(await count()).toBe(before);
    const confirmed = (await admin.post('/api/data-jobs/access-request').send({ residentId: teen, request: { ...parent, notEmancipated: true } }).expect(202)).body;
    expect(confirmed.params.request.heir.notEmancipated).toBe(true);
    await ds.query(`UPDATE data_jobs SET status = 'failed' WHERE id = ANY($1)`, [[young.body.id, confirmed.id]]);
  });
});

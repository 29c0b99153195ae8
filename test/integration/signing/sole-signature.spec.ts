import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHash } from 'node:crypto';
import { calendarDayIn, formatDateFr } from '@carepact/common';
import { PortalClient, TEST_PASSWORD, contractData, curatelleResident, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

interface Signer {
  id: string;
  key: string;
  role: string;
  capacity: string;
  legalBasis: string;
  status: string;
}
interface RequestView {
  id: string;
  versionId: string;
  status: string;
  explanation: string;
  signers: Signer[];
  assistanceRefused: boolean;
  nextStep: { kind: string; href: string } | null;
  soleSignatureAuthorisation: { court: string; decisionDate: string; reference: string | null; recordedBy: string } | null;
}

/** The refusals below are made today (Paris): the ordonnance that answers them is dated today (C. civ. 469 al. 3: she asks the judge after the refusal). */
const TODAY = calendarDayIn(new Date());
const TODAY_FR = formatDateFr(TODAY);
const TODAY_JJMMAAAA = TODAY.split('-').reverse().join('/');
const YESTERDAY = calendarDayIn(new Date(Date.now() - 86_400_000));
const ORDONNANCE = { court: 'Juge des contentieux de la protection, tribunal judiciaire de Valville', decisionDate: TODAY, reference: 'RG 26/00123', note: 'Ordonnance reçue par courrier.' };

/**
 * C. civ. 469 al. 3: after the curateur refused to assist the person, the judge may authorise her to
 * sign alone. The authorisation is recorded on the document (only after a refusal of assistance on
 * it, only under a measure of assistance), audited; the next request goes to her alone (and the
 * director), her legal basis citing the ordonnance; « À faire » and the request views say so.
 */
describe('the judge’s authorisation to sign alone after the curateur’s refusal (C. civ. 469)', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let base = '';
  let admissions: request.Agent;
  let auditor: request.Agent;
  let documentId = '';
  let refusedRequestId = '';
  let refusedVersionId = '';
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[]) => h.app.get(DataSource).query(text, params) as Promise<T[]>;
  const record = (body: object = ORDONNANCE, agent = admissions) => agent.post(`/api/documents/${documentId}/sole-signature-authorisation`).send(body);

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    const residentId = (await admissions.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    worker = await startWorker(h.db.config, { probe: false });
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 60_000);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('without a refusal of assistance on the document: 409 ASSISTANCE_NOT_REFUSED in French, nothing recorded', async () => {
    const res = await record();
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'ASSISTANCE_NOT_REFUSED', message: expect.stringContaining('C. civ. 469 al. 3') });
    expect(await sql(`SELECT id FROM sole_signature_authorisations WHERE document_id = $1`, [documentId])).toEqual([]);
    // Nothing changes for the signers: the person and her curateur, then the director (C. civ. 467).
    const preview = await admissions.post(`/api/documents/${documentId}/signature-requests/preview`).send({}).expect(200);
    expect(preview.body.signers.map((s: Signer) => s.role)).toEqual(['resident', 'curateur', 'director']);
  });

  it('the curateur refuses to assist her; the authorisation is then recorded (bad input: a French message per field), audited, and the next step is to send', async () => {
    const sent = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' }).expect(201)).body as RequestView;
    refusedRequestId = sent.id;
    refusedVersionId = sent.versionId;
    const curateur = sent.signers.find((s) => s.role === 'curateur')!;
    const { url } = (await admissions.post(`/api/signature-requests/${sent.id}/signers/${curateur.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    await portal.get('/portail/document');
    expect((await portal.post('/portail/refuser', { reason: 'Le tarif n’est pas celui convenu.' })).status).toBe(303);
    const refused = (await admissions.get(`/api/signature-requests/${sent.id}`).expect(200)).body as RequestView;
    expect(refused).toMatchObject({ status: 'refused', assistanceRefused: true, nextStep: null, soleSignatureAuthorisation: null });

    const bad = await record({ court: '  ', decisionDate: '2999-01-01', reference: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      { field: 'court', code: 'REQUIRED', message: expect.stringContaining('Indiquez la juridiction') },
      { field: 'decisionDate', code: 'DATE_IN_FUTURE', message: expect.stringContaining('ne peut pas être dans le futur') },
      { field: 'reference', code: 'REQUIRED', message: expect.stringContaining('Indiquez la référence de l’ordonnance') },
    ]);
    expect((await record({ ...ORDONNANCE, decisionDate: '2026-02-30' })).body.error.details).toEqual([expect.objectContaining({ field: 'decisionDate', code: 'INVALID_DATE' })]);
    // C. civ. 469 al. 3: she asks the judge after the refusal; an ordonnance dated the day before it answers something else.
    const early = await record({ ...ORDONNANCE, decisionDate: YESTERDAY });
    expect(early.status).toBe(400);
    expect(early.body.error.details).toEqual([
      { field: 'decisionDate', code: 'DECISION_BEFORE_REFUSAL', message: `L’ordonnance ne peut pas être antérieure au refus d’assistance auquel elle répond (${TODAY_FR}) : la personne saisit le juge après ce refus. Vérifiez la date qui figure sur la décision.` },
    ]);
    expect(await sql(`SELECT id FROM sole_signature_authorisations WHERE document_id = $1`, [documentId])).toEqual([]);
    // The auditor reads documents, he does not manage signatures; another organisation does not see the document.
    expect((await record(ORDONNANCE, auditor)).status).toBe(403);
    const other = await loginAgent(h.app, h.orgB.users.admissions.email, TEST_PASSWORD);
    expect((await record(ORDONNANCE, other)).status).toBe(404);
    expect((await other.get(`/api/documents/${documentId}/sole-signature-authorisation`)).status).toBe(404);

    // The console's form on the document page: the same rules, each message beside its field; JJ/MM/AAAA read.
    const page = await admissions.get(`/console/documents/${documentId}`).expect(200);
    expect(page.text).toContain('La personne peut demander au juge des contentieux de la protection l’autorisation de signer seule (C. civ. 469).');
    expect(page.text).toContain('Enregistrer l’autorisation du juge (C. civ. 469)');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const form = (fields: Record<string, string>) => admissions.post(`/console/documents/${documentId}/autorisation-juge`).type('form').send({ _csrf: csrf, ...fields });
    const refusedForm = await form({ court: ORDONNANCE.court, decisionDate: '01/01/2999', reference: '' });
    expect(refusedForm.status).toBe(400);
    expect(refusedForm.text).toContain('<p class="field-error" id="decisionDate-erreur">La date de l’ordonnance ne peut pas être dans le futur');
    expect(refusedForm.text).toContain('<p class="field-error" id="reference-erreur">Indiquez la référence de l’ordonnance');
    expect(refusedForm.text).toContain(`value="${ORDONNANCE.court}"`);
    const earlyForm = await form({ court: ORDONNANCE.court, decisionDate: YESTERDAY.split('-').reverse().join('/'), reference: 'RG 26/0012' });
    expect(earlyForm.status).toBe(400);
    expect(earlyForm.text).toContain('<p class="field-error" id="decisionDate-erreur">L’ordonnance ne peut pas être antérieure au refus d’assistance auquel elle répond');
    expect((await form({ court: ORDONNANCE.court, decisionDate: TODAY_JJMMAAAA, reference: 'RG 26/0012' })).status).toBe(303);
    const recordedPage = await admissions.get(`/console/documents/${documentId}`).expect(200);
    expect(recordedPage.text).toContain('Autorisation du juge enregistrée');
    expect(recordedPage.text).toContain(`${TODAY_FR}, réf. RG 26/0012`);
    expect(recordedPage.text).toContain('<a href="#qui-signe">Envoyer à la signature</a>');

    // A correction (through the API) is a new record; the latest applies.
    const ok = await record();
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      authorisation: { court: ORDONNANCE.court, decisionDate: TODAY, reference: 'RG 26/00123', note: ORDONNANCE.note, refusedRequestId: sent.id, version: { id: sent.versionId, number: 1 } },
      setAside: null,
      refusal: { requestId: sent.id, signerName: 'Karim Benaïssa' },
      nextStep: { kind: 'send', href: `/api/documents/${documentId}/signature-requests` },
      legalBasis: 'C. civ. 469 al. 3',
    });
    const events = await sql<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM audit_events WHERE action = 'document.sole_signature_authorised' AND subject_id = $1 ORDER BY seq`,
      [documentId],
    );
    // Ids only, as the measure events: a court reference has so few possible values that a plain hash of it gives it back to the auditor.
    const [{ measure_id: measureId }] = await sql<{ measure_id: string }>(`SELECT measure_id FROM sole_signature_authorisations WHERE id = $1`, [ok.body.authorisation.id]);
    expect(events.map((e) => e.payload)).toEqual([
      { authorisationId: expect.any(String), refusedRequestId: sent.id, versionId: sent.versionId, measureId, legalBasis: 'C. civ. 469 al. 3' },
      { authorisationId: ok.body.authorisation.id, refusedRequestId: sent.id, versionId: sent.versionId, measureId, legalBasis: 'C. civ. 469 al. 3', replaces: events[0].payload.authorisationId },
    ]);
    const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');
    for (const leaked of ['26/0012', sha256('RG 26/0012'), sha256('RG 26/00123')]) expect(JSON.stringify(events)).not.toContain(leaked);

    const after = (await admissions.get(`/api/signature-requests/${sent.id}`).expect(200)).body as RequestView;
    expect(after.nextStep).toEqual({ kind: 'send', href: `/api/documents/${documentId}/signature-requests` });
    expect(after.soleSignatureAuthorisation).toMatchObject({ court: ORDONNANCE.court, decisionDate: TODAY, reference: 'RG 26/00123' });
    // Without resident.read, the reference is withheld like the judgment references of her file.
    const audited = (await auditor.get(`/api/signature-requests/${sent.id}`).expect(200)).body as RequestView;
    expect(audited.soleSignatureAuthorisation).toMatchObject({ court: ORDONNANCE.court, reference: null });
    const auditedView = (await auditor.get(`/api/documents/${documentId}/sole-signature-authorisation`).expect(200)).body;
    expect(auditedView.authorisation).toMatchObject({ reference: null, note: null });
    expect(auditedView.canRecord).toBe(false);

    // « À faire »: the refusal says the judge authorised her and that the next step is to send.
    const home = await admissions.get('/console').expect(200);
    expect(home.text).toContain('Contrat de séjour : assistance refusée, autorisation du juge enregistrée');
    expect(home.text).toContain('Prochaine étape : Envoyer à la signature');
  });

  it('the new request goes to the person alone (and the director), her legal basis citing the ordonnance; no correction while it is out', async () => {
    const preview = (await admissions.post(`/api/documents/${documentId}/signature-requests/preview`).send({}).expect(200)).body as { signers: Signer[]; soleSignatureAuthorisation: unknown };
    expect(preview.signers.map((s) => s.role)).toEqual(['resident', 'director']);
    const created = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' }).expect(201)).body as RequestView;
    expect(created.signers.map((s) => [s.key, s.status])).toEqual([
      ['resident', 'pending'],
      ['director', 'pending'],
    ]);
    const person = created.signers[0];
    expect(person.capacity).toBe('en son nom propre, sur autorisation du juge (C. civ. 469), sans l’assistance de son curateur');
    expect(person.legalBasis).toContain(`C. civ. 469 al. 3 (ordonnance : ${ORDONNANCE.court}, ${TODAY_FR}, réf. RG 26/00123)`);
    expect(created.explanation).toContain('le juge a autorisé la personne à signer seule le contrat de séjour');
    const [{ policy }] = await sql<{ policy: { soleSignatureAuthorisation: unknown } }>(`SELECT policy FROM signature_requests WHERE id = $1`, [created.id]);
    expect(policy.soleSignatureAuthorisation).toEqual({ court: ORDONNANCE.court, date: TODAY, reference: 'RG 26/00123', authorisationId: expect.any(String), versionId: refusedVersionId });
    // The auditor reads the court and the date of the ordonnance, not its reference.
    const audited = (await auditor.get(`/api/signature-requests/${created.id}`).expect(200)).body as RequestView;
    expect(audited.signers[0].legalBasis).toContain(`(ordonnance : Juge des contentieux de la protection, tribunal judiciaire de Valville, ${TODAY_FR}) ;`);
    expect(JSON.stringify(audited)).not.toContain('26/00123');

    const busy = await record({ ...ORDONNANCE, reference: 'RG 26/00124' });
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('SOLE_SIGNATURE_DOCUMENT_NOT_READY');
    // The refused request no longer offers to send: the document is out.
    expect(((await admissions.get(`/api/signature-requests/${refusedRequestId}`).expect(200)).body as RequestView).nextStep).toBeNull();
  });

  /** A new resident's contract, generated, sent, and her curateur's assistance refused in the portal: the document, its refused request and the resident. */
  const refusedContract = async (): Promise<{ doc: string; requestId: string; versionId: string; residentId: string }> => {
    const residentId = (await admissions.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    const doc = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${doc}`)).body.status === 'ready', 60_000);
    const sent = (await admissions.post(`/api/documents/${doc}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' }).expect(201)).body as RequestView;
    const curateur = sent.signers.find((x) => x.role === 'curateur')!;
    const { url } = (await admissions.post(`/api/signature-requests/${sent.id}/signers/${curateur.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    await portal.get('/portail/document');
    expect((await portal.post('/portail/refuser', { reason: 'Le tarif n’est pas celui convenu.' })).status).toBe(303);
    return { doc, requestId: sent.id, versionId: sent.versionId, residentId };
  };
  const preview = async (doc: string) => (await admissions.post(`/api/documents/${doc}/signature-requests/preview`).send({}).expect(200)).body as { signers: Signer[]; explanation: string; soleSignatureAuthorisation?: unknown };

  it('the judge authorised the version refused, not a later one (another price): the curateur is asked again, the page and the API say why', async () => {
    const { doc, requestId, versionId } = await refusedContract();
    expect((await admissions.post(`/api/documents/${doc}/sole-signature-authorisation`).send(ORDONNANCE)).status).toBe(201);
    expect((await preview(doc)).signers.map((x) => x.role)).toEqual(['resident', 'director']);

    // Another price, while the document is ready: a new version, which the judge never saw.
    await admissions.post(`/api/documents/${doc}/versions`).send({ data: contractData({ pricing: { gir: 4, dependancePerDay: 6.5, totalPerDay: 95 } }), reason: 'Nouveau prix de journée.' }).expect(202);
    await waitUntil('version 2', async () => {
      const d = (await admissions.get(`/api/documents/${doc}`)).body as { status: string; versions: { number: number }[] };
      return d.status === 'ready' && d.versions.length === 2;
    }, 60_000);
    const why =
      'L’autorisation du juge porte sur la version 1 du contrat de séjour, celle dont le curateur a refusé l’assistance ; pour une nouvelle version (ici la version 2), ' +
      'le curateur est de nouveau appelé à assister la personne et signe avec elle ; s’il refuse, la personne peut saisir de nouveau le juge (C. civ. 469 al. 3).';
    const decision = await preview(doc);
    expect(decision.signers.map((x) => x.role)).toEqual(['resident', 'curateur', 'director']);
    expect(decision.soleSignatureAuthorisation).toBeUndefined();
    expect(decision.explanation).toContain(why);

    const view = (await admissions.get(`/api/documents/${doc}/sole-signature-authorisation`).expect(200)).body;
    expect(view).toMatchObject({ authorisation: { version: { id: versionId, number: 1 } }, setAside: { code: 'SOLE_SIGNATURE_OTHER_VERSION', message: why }, canRecord: false });
    const [row] = await sql<{ version_input_hash: string; version_template_hash: string }>(`SELECT version_input_hash, version_template_hash FROM sole_signature_authorisations WHERE document_id = $1`, [doc]);
    const [v1] = await sql<{ input_hash: string; template_hash: string }>(`SELECT input_hash, template_hash FROM document_versions WHERE id = $1`, [versionId]);
    expect(row).toEqual({ version_input_hash: v1.input_hash, version_template_hash: v1.template_hash });
    // The page says it where it said she signs alone, and in « Qui signera et pourquoi ».
    const page = await admissions.get(`/console/documents/${doc}`).expect(200);
    expect(page.text).toContain(`Non retenue pour le prochain envoi :</strong> ${why}`);
    expect(page.text).not.toContain('La personne signe seule ;');
    // The refused request no longer offers to send for her alone; an ordonnance for version 1 is not recorded again.
    expect(((await admissions.get(`/api/signature-requests/${requestId}`).expect(200)).body as RequestView).nextStep).toBeNull();
    const again = await admissions.post(`/api/documents/${doc}/sole-signature-authorisation`).send({ ...ORDONNANCE, reference: 'RG 26/00125' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'SOLE_SIGNATURE_OTHER_VERSION', message: expect.stringContaining('Le curateur a refusé son assistance sur la version 1 du contrat de séjour ; le document en est à la version 2') });

    const created = (await admissions.post(`/api/documents/${doc}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' }).expect(201)).body as RequestView;
    expect(created.signers.map((x) => x.role)).toEqual(['resident', 'curateur', 'director']);
    expect(created.signers[0].capacity).toBe('en son nom propre, avec l’assistance de son curateur');
  });

  it('a new judgment since is not the measure it was given under: a new curateur is asked; a curateur since authorised alone (C. civ. 472) signs alone', async () => {
    // A new curatelle renforcée, another curateur: she was never refused by him.
    const a = await refusedContract();
    expect((await admissions.post(`/api/documents/${a.doc}/sole-signature-authorisation`).send(ORDONNANCE)).status).toBe(201);
    await admissions
      .post(`/api/residents/${a.residentId}/protection-measures`)
      .send({
        ...curatelleResident(h.orgA.establishmentId).protectionMeasure,
        judgmentReference: 'RG 26/00900',
        judgmentDate: TODAY,
        holders: [{ role: 'curateur', firstName: 'Sophie', lastName: 'Lemaire', organisationName: 'ATI du Val', email: 's.lemaire@ati-val.example' }],
      })
      .expect(201);
    const renewed = await preview(a.doc);
    expect(renewed.signers.map((x) => x.role)).toEqual(['resident', 'curateur', 'director']);
    expect(JSON.stringify(renewed.signers[1])).toContain('Lemaire');
    expect(renewed.explanation).toContain(
      'L’autorisation du juge a été enregistrée sous une autre mesure de protection que celle en vigueur (curatelle renforcée) : elle n’est plus retenue. Le curateur que désigne la mesure en vigueur est appelé à assister la personne ; s’il refuse, la personne peut saisir de nouveau le juge (C. civ. 469 al. 3).',
    );
    expect((await admissions.get(`/api/documents/${a.doc}/sole-signature-authorisation`).expect(200)).body.setAside).toMatchObject({ code: 'SOLE_SIGNATURE_MEASURE_CHANGED' });

    // The same measure, now with the judge's authorisation for the curateur to sign alone (C. civ. 472): her own no longer removes him.
    const b = await refusedContract();
    expect((await admissions.post(`/api/documents/${b.doc}/sole-signature-authorisation`).send(ORDONNANCE)).status).toBe(201);
    const [{ id: measureId }] = await sql<{ id: string }>(`SELECT id FROM protection_measures WHERE resident_id = $1`, [b.residentId]);
    await admissions.patch(`/api/residents/${b.residentId}/protection-measures/${measureId}`).send({ judgeAuthorisesHolderAlone: true, authorisationReference: 'Ord. 26/0042' }).expect(200);
    const authorisedAlone = await preview(b.doc);
    expect(authorisedAlone.signers.map((x) => x.role)).toEqual(['curateur', 'director']);
    expect(authorisedAlone.explanation).toContain('L’autorisation du juge enregistrée n’est pas retenue : le juge a autorisé le curateur à signer seul ce document (C. civ. 472)');
    const sent = (await admissions.post(`/api/documents/${b.doc}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' }).expect(201)).body as RequestView;
    expect(sent.signers.map((x) => x.role)).toEqual(['curateur', 'director']);
  });

  it('the retention purge takes the authorisations with their document (write-once otherwise)', async () => {
    // No worker from here: the invitation of the request just sent would write its events while the document is purged.
    await worker?.close();
    worker = undefined;
    expect((await sql(`SELECT id FROM sole_signature_authorisations WHERE document_id = $1`, [documentId])).length).toBe(2);
    const owner = new Client({ connectionString: h.db.url });
    await owner.connect();
    try {
      // Out of the purge, even the owner cannot delete one.
      await expect(owner.query(`DELETE FROM sole_signature_authorisations WHERE document_id = $1`, [documentId])).rejects.toThrow(/write-once/);
      await owner.query(`SELECT carepact_purge_document($1)`, [documentId]);
    } finally {
      await owner.end();
    }
    expect(await sql(`SELECT id FROM sole_signature_authorisations WHERE document_id = $1`, [documentId])).toEqual([]);
    expect(await sql(`SELECT id FROM documents WHERE id = $1`, [documentId])).toEqual([]);
  });

  it('not under a measure of representation: 409 SOLE_SIGNATURE_NOT_APPLICABLE', async () => {
    const tutelle = curatelleResident(h.orgA.establishmentId);
    const residentId = (
      await admissions
        .post('/api/residents')
        .send({
          ...tutelle,
          firstName: 'Alice',
          protectionMeasure: { ...tutelle.protectionMeasure, type: 'tutelle', mode: 'representation', holders: tutelle.protectionMeasure.holders.map((x) => ({ ...x, role: 'tuteur' })) },
        })
        .expect(201)
    ).body.id as string;
    const [doc] = await sql<{ id: string }>(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, 'contrat-sejour', 'ready', now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, residentId],
    );
    const res = await admissions.post(`/api/documents/${doc.id}/sole-signature-authorisation`).send(ORDONNANCE);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'SOLE_SIGNATURE_NOT_APPLICABLE', message: expect.stringContaining('n’est pas une mesure d’assistance') });
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource, type MigrationInterface } from 'typeorm';
import { MIGRATIONS, dataSourceOptions } from '@carepact/database';
import { TEST_PASSWORD, contractData, loginAgent, tutelleResident, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

interface Signer {
  id: string;
  role: string;
  name: string;
  capacity: string;
}
interface Holder {
  contactId: string;
  lastName: string;
  firstName: string;
  establishmentEmployee: boolean;
}

const LATE = { lateReason: 'Essai : envoi après le délai légal.' };
const CONTRACT = () => contractData({ residenceChoice: { agrees: true, recordedOn: '2026-10-20' } });
/** The console's « Nouveau document » form for a contract, as the browser posts it (annex-handover-future.spec.ts). */
const CONSOLE_CONTRACT = {
  _action: 'preview',
  'objectives[0]': 'Permettre à Mme Marchal de garder ses promenades.',
  'objectivesFalc[0]': 'Vous gardez votre promenade chaque jour.',
  'services[0]': 'Hébergement en chambre individuelle',
  'servicesFalc[0]': 'Une chambre pour vous seule',
  duration: 'indéterminée',
  durationFalc: 'Ce contrat n’a pas de date de fin.',
  annexesHandedOverOn: '15/10/2026',
  'participation.person.presence': 'present',
  'consentInterview.on': '20/10/2026',
  'consentInterview.outcome': 'consent',
  'consentInterview.noticeGivenOn': '09/10/2026',
  'consentInterview.attestationSignedOn': '09/10/2026',
  'residenceChoice.agrees': 'oui',
  'residenceChoice.recordedOn': '20/10/2026',
  entryInventoryOn: '15/10/2026',
  financialContribution: 'aucune',
  'signing.place': 'Valville',
  'signing.mode': 'electronic',
};

/**
 * The judge may appoint the establishment's préposé as tuteur (C. civ. 451 al. 2). The contract is
 * an act between the person and the establishment: the tuteur's interests are opposed to hers, so
 * the subrogé tuteur represents her (C. civ. 454 al. 5), or a tuteur ad hoc (C. civ. 455). The tie
 * is each holder's own (migration 1764100000000): beside a co-tuteur free of the conflict, only the
 * préposé stands aside, the other tuteur signs (C. civ. 447 al. 2-3). With nobody to act in his
 * place, the contract is refused at generation (API and console preview) with the request's
 * HOLDER_CONFLICT_OF_INTEREST — and still at the request, for a document generated before the tie
 * was recorded.
 */
describe('a tuteur who is the establishment’s préposé does not sign the contract with his own establishment', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let admissions: request.Agent;
  let ds: DataSource;
  let residentId = '';
  let measureId = '';
  let preposeId = '';
  let subrogeId = '';
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => ds.query(text, params) as Promise<T[]>;
  const written = async (rid: string) =>
    (
      await sql<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM documents WHERE resident_id = $1) AS documents, (SELECT count(*)::int FROM outbox) AS outbox, (SELECT count(*)::int FROM audit_events) AS audit`,
        [rid],
      )
    )[0];
  /** The text of the PDF rendition `variant` of the document's current version, as people read it (pdftotext), on one line. */
  const pdfText = async (id: string, variant: string, header: string): Promise<string> => {
    const doc = (await admissions.get(`/api/documents/${id}`).expect(200)).body;
    expect(doc.versions[0].template).toMatchObject({ id: 'contrat-sejour', version: '1.14.0' });
    const pdf = doc.versions[0].renditions.find((r: { format: string; variant: string }) => r.format === 'pdf' && r.variant === variant);
    const res = await admissions.get(pdf.href).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const dir = mkdtempSync(join(tmpdir(), 'carepact-holder-conflict-'));
    writeFileSync(join(dir, 'c.pdf'), res.body as Buffer);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' }).replace(/[\s\u00a0\u202f]+/g, ' ');
    // Without the running footer and header (the version, « Page n sur N », the person and the title), which a paragraph cut by a page break encloses.
    return text.replace(/ ?Version [0-9a-f-]{36}/g, '').replace(/ ?Page \d+ sur \d+/g, '').split(` ${header}`).join('');
  };
  const generated = async (rid: string) => {
    const id = (await admissions.post('/api/documents').send({ residentId: rid, type: 'contrat-sejour', data: CONTRACT() }).expect(202)).body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${id}`)).body.status === 'ready', 60_000);
    return id;
  };

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
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
          holders: [{ role: 'tuteur', firstName: 'Hervé', lastName: 'Lenoir', organisationName: 'EHPAD de test', email: 'h.lenoir@ehpad.example', establishmentEmployee: true }],
        },
      })
      .expect(201);
    residentId = created.body.id as string;
    measureId = created.body.protectionMeasures[0].id as string;
    expect(created.body.protectionMeasures[0]).toMatchObject({ subroge: null, adHoc: null, holders: [{ lastName: 'Lenoir', establishmentEmployee: true }] });
    preposeId = created.body.protectionMeasures[0].holders[0].contactId as string;
    subrogeId = (created.body.contacts as { id: string; lastName: string }[]).find((c) => c.lastName === 'Roux')!.id;
    worker = await startWorker(h.db.config, { probe: false });
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('no subrogé nor ad hoc: the contract is refused at generation (409 HOLDER_CONFLICT_OF_INTEREST, French, C. civ. 454 al. 5 and 455); no document, job nor audit event', async () => {
    const before = await written(residentId);
    const refused = await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: CONTRACT() });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'HOLDER_CONFLICT_OF_INTEREST', message: expect.stringContaining('C. civ. 454 al. 5') });
    expect(refused.body.error.message).toContain('C. civ. 455');
    expect(refused.body.error.message).toContain('Le tuteur est préposé de l’établissement ou lié à lui (C. civ. 451 al. 2) : pour le contrat de séjour');
    expect(await written(residentId)).toEqual(before);
  });

  it('console: the preview is refused with the same code’s French message, before any document exists', async () => {
    const url = `/console/residents/${residentId}/documents/nouveau?type=contrat-sejour`;
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await admissions.get(url).expect(200)).text)![1];
    const before = await written(residentId);
    const res = await admissions.post(url).type('form').send({ _csrf: csrf, ...CONSOLE_CONTRACT });
    expect(res.status).toBe(409);
    expect(res.text).toContain('préposé de l’établissement ou lié à lui (C. civ. 451 al. 2)');
    expect(res.text).toContain('C. civ. 455');
    expect(await written(residentId)).toEqual(before);
  });

  it('a contract generated before the tie was recorded: the request is still refused with HOLDER_CONFLICT_OF_INTEREST; nothing is sent', async () => {
    await admissions.patch(`/api/residents/${residentId}/protection-measures/${measureId}`).send({ establishmentEmployeeContactIds: [] }).expect(200);
    const documentId = await generated(residentId);
    const flagged = await admissions.patch(`/api/residents/${residentId}/protection-measures/${measureId}`).send({ establishmentEmployeeContactIds: [preposeId] }).expect(200);
    expect((flagged.body.holders as Holder[]).map((x) => [x.lastName, x.establishmentEmployee])).toEqual([['Lenoir', true]]);
    const [audit] = await sql<{ payload: { changedFields: string[]; establishmentEmployeeContactIds: string[] } }>(
      `SELECT payload FROM audit_events WHERE action = 'measure.updated' AND subject_id = $1 ORDER BY seq DESC LIMIT 1`,
      [measureId],
    );
    expect(audit.payload).toMatchObject({ changedFields: ['establishmentEmployeeContactIds'], establishmentEmployeeContactIds: [preposeId] });
    const refused = await admissions.post(`/api/documents/${documentId}/signature-requests`).send(LATE);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'HOLDER_CONFLICT_OF_INTEREST', message: expect.stringContaining('C. civ. 454 al. 5') });
    expect(await sql(`SELECT id FROM signature_requests WHERE document_id = $1`, [documentId])).toEqual([]);
    // A contact who is not a holder of this measure cannot be flagged.
    const notHolder = await admissions.patch(`/api/residents/${residentId}/protection-measures/${measureId}`).send({ establishmentEmployeeContactIds: [subrogeId] });
    expect({ status: notHolder.status, code: notHolder.body.error?.details?.[0]?.code }).toEqual({ status: 400, code: 'NOT_A_HOLDER' });
  });

  it('a subrogé tuteur recorded (audited): the contract is generated, the subrogé signs in the tuteur’s place, then the director', async () => {
    const patched = await admissions.patch(`/api/residents/${residentId}/protection-measures/${measureId}`).send({ subrogeContactId: subrogeId }).expect(200);
    expect(patched.body.subroge).toMatchObject({ contactId: subrogeId, firstName: 'Nadia', lastName: 'Roux' });
    const [audit] = await sql<{ payload: { changedFields: string[] } }>(
      `SELECT payload FROM audit_events WHERE action = 'measure.updated' AND subject_id = $1 ORDER BY seq DESC LIMIT 1`,
      [measureId],
    );
    expect(audit.payload.changedFields).toEqual(['subrogeContactId']);

    const documentId = await generated(residentId);
    const sent = await admissions.post(`/api/documents/${documentId}/signature-requests`).send(LATE);
    expect({ status: sent.status, error: sent.body.error }).toEqual({ status: 201, error: undefined });
    const signers = sent.body.signers as Signer[];
    expect(signers.map((s) => [s.role, s.name])).toEqual([
      ['tuteur', 'Nadia Roux'],
      ['director', expect.any(String)],
    ]);
    expect(signers[0].capacity).toContain('subrogé tuteur');
    expect(signers.some((s) => s.name.includes('Lenoir'))).toBe(false);
  });

  it('co-tuteurs, one of them the préposé: the contract is generated, the other tuteur alone represents her (C. civ. 447 al. 2-3); the document’s slots agree', async () => {
    const base = tutelleResident(h.orgA.establishmentId);
    const created = await admissions
      .post('/api/residents')
      .send({
        ...base,
        lastName: 'Cotutelle',
        protectionMeasure: {
          ...base.protectionMeasure,
          holders: [
            { role: 'tuteur', firstName: 'Hervé', lastName: 'Lenoir', organisationName: 'EHPAD de test', email: 'h.lenoir@ehpad.example', establishmentEmployee: true },
            { role: 'tuteur', firstName: 'Marie', lastName: 'Cotutelle', relation: 'fille', email: 'marie.cotutelle@example.org' },
          ],
        },
      })
      .expect(201);
    const rid = created.body.id as string;
    const holders = created.body.protectionMeasures[0].holders as Holder[];
    expect(Object.fromEntries(holders.map((x) => [x.lastName, x.establishmentEmployee]))).toEqual({ Lenoir: true, Cotutelle: false });
    const [createdAudit] = await sql<{ payload: { establishmentEmployeeContactIds: string[] } }>(
      `SELECT payload FROM audit_events WHERE action = 'measure.created' AND subject_id = $1`,
      [created.body.protectionMeasures[0].id],
    );
    expect(createdAudit.payload.establishmentEmployeeContactIds).toEqual([holders.find((x) => x.lastName === 'Lenoir')!.contactId]);

    const documentId = await generated(rid);
    const doc = (await admissions.get(`/api/documents/${documentId}`).expect(200)).body as { currentVersionId: string };
    const [version] = await sql<{ input: { resident: { protectionMeasure: { holders: { lastName: string }[]; holderConflict: { substitute: unknown; holders: { lastName: string }[] } } } } }>(
      `SELECT input FROM document_versions WHERE id = $1`,
      [doc.currentVersionId],
    );
    // The published contract templates (1.6.0 on) give each listed holder a slot: the préposé is listed apart.
    expect(version.input.resident.protectionMeasure.holders.map((x) => x.lastName)).toEqual(['Cotutelle']);
    // The measure paragraph's words (template input, for the acts with the establishment): who does not sign, who signs instead.
    expect(version.input.resident.protectionMeasure.holderConflict).toEqual({
      substitute: null,
      holders: [expect.objectContaining({ lastName: 'Lenoir' })],
      sentence:
        'Hervé Lenoir, tuteur, est préposé de l’établissement ou lié à lui (C. civ. 451 al. 2) : pour ce contrat de séjour, acte conclu avec l’établissement, ses intérêts sont en opposition avec ceux de la personne ; il ne le signe pas. Marie Cotutelle, qui exerce la mesure avec lui, le signe (C. civ. 447 al. 2 et 3).',
      sentenceFalc: ['Hervé Lenoir travaille pour l’établissement.', 'Hervé Lenoir ne signe pas ce contrat.', 'Marie Cotutelle signe ce contrat.'],
    });
    // … printed in the measure paragraph from contrat de séjour 1.9.0 (up to 1.8.0 the préposé silently disappeared from the document):
    // standard and large print in full, easy-to-read in its three short lines.
    const said = (version.input.resident.protectionMeasure as unknown as { holderConflict: { sentence: string } }).holderConflict.sentence;
    const header = `${base.firstName} Cotutelle — Contrat de séjour`;
    for (const variant of ['standard', 'large-print']) {
      const text = await pdfText(documentId, variant, header);
      expect({ variant, printed: text.includes(said) }).toEqual({ variant, printed: true });
      expect(text).toContain('Tuteur : Marie Cotutelle, fille.');
    }
    const falc = await pdfText(documentId, 'falc', `${base.firstName} Cotutelle — Votre contrat de séjour`);
    for (const line of ['Hervé Lenoir travaille pour l’établissement.', 'Hervé Lenoir ne signe pas ce contrat.', 'Marie Cotutelle signe ce contrat.']) expect(falc).toContain(line);
    const sent = await admissions.post(`/api/documents/${documentId}/signature-requests`).send(LATE);
    expect({ status: sent.status, error: sent.body.error }).toEqual({ status: 201, error: undefined });
    expect((sent.body.signers as Signer[]).map((s) => [s.role, s.name])).toEqual([
      ['tuteur', 'Marie Cotutelle'],
      ['director', expect.any(String)],
    ]);
  });

  it('console: one box per holder in the measure form (two holders, one ticked); ticking the other one moves the tie, audited', async () => {
    const base = tutelleResident(h.orgA.establishmentId);
    const created = await admissions
      .post('/api/residents')
      .send({
        ...base,
        lastName: 'Formulaire',
        contacts: [{ firstName: 'Nadia', lastName: 'Roux', relation: 'nièce', email: 'nadia.roux@example.org' }],
        protectionMeasure: {
          ...base.protectionMeasure,
          holders: [
            { role: 'tuteur', firstName: 'Hervé', lastName: 'Lenoir', organisationName: 'EHPAD de test', email: 'h.lenoir@ehpad.example', establishmentEmployee: true },
            { role: 'tuteur', firstName: 'Marie', lastName: 'Formulaire', relation: 'fille', email: 'marie.formulaire@example.org' },
          ],
        },
      })
      .expect(201);
    const rid = created.body.id as string;
    const m = created.body.protectionMeasures[0] as { id: string; holders: Holder[] };
    const herve = m.holders.find((x) => x.lastName === 'Lenoir')!;
    const marie = m.holders.find((x) => x.lastName === 'Formulaire')!;
    const path = `/console/residents/${rid}/mesures/${m.id}/modifier`;
    const html = (await admissions.get(path).expect(200)).text;
    mkdirSync('/tmp/holder-conflict', { recursive: true });
    writeFileSync('/tmp/holder-conflict/measure-form-two-holders.html', html);
    expect(html).toContain('<legend>Titulaires préposés de l’établissement (C. civ. 451 al. 2)</legend>');
    const box = (contactId: string) => new RegExp(`<input type="checkbox" id="[^"]+" name="establishmentEmployee\\.${contactId}" value="oui"( checked)?`).exec(html);
    expect(box(herve.contactId)?.[1]).toBe(' checked');
    expect(box(marie.contactId)).not.toBeNull();
    expect(box(marie.contactId)?.[1]).toBeUndefined();
    expect(html).toContain(`<label for="establishmentEmployee-${herve.contactId}">Hervé Lenoir, tuteur</label>`);
    expect(html).toContain(`<label for="establishmentEmployee-${marie.contactId}">Marie Formulaire, tuteur</label>`);
    expect(html).toContain('Subrogé curateur ou subrogé tuteur (C. civ. 454)');
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
    };
    await admissions
      .post(path)
      .type('form')
      .send({ ...measure, [`establishmentEmployee.${marie.contactId}`]: 'oui' })
      .expect(303);
    const saved = (await admissions.get(`/api/residents/${rid}`).expect(200)).body.protectionMeasures[0] as { holders: Holder[] };
    expect(Object.fromEntries(saved.holders.map((x) => [x.lastName, x.establishmentEmployee]))).toEqual({ Lenoir: false, Formulaire: true });
    const [audit] = await sql<{ payload: { changedFields: string[] } }>(
      `SELECT payload FROM audit_events WHERE action = 'measure.updated' AND subject_id = $1 ORDER BY seq DESC LIMIT 1`,
      [m.id],
    );
    expect(audit.payload.changedFields).toEqual(['establishmentEmployeeContactIds']);
    const file = (await admissions.get(`/console/residents/${rid}`).expect(200)).text;
    expect(file).toMatch(/Titulaire préposé de l’établissement \(C\. civ\. 451 al\. 2\)<\/dt>\s*<dd>Marie Formulaire<\/dd>/);
    // The ad hoc appointment: incomplete, refused beside its field; nothing saved.
    const incomplete = await admissions
      .post(path)
      .type('form')
      .send({ ...measure, adHocContactId: herve.contactId, adHocJudgmentReference: 'RG 26/00981' })
      .expect(400);
    expect(incomplete.text).toContain('Indiquez la date de la décision du juge désignant le titulaire ad hoc.');
    const after = (await admissions.get(`/api/residents/${rid}`).expect(200)).body.protectionMeasures[0].holders as Holder[];
    expect(Object.fromEntries(after.map((x) => [x.lastName, x.establishmentEmployee]))).toEqual({ Lenoir: false, Formulaire: true });
  });

  it('the console’s new measure form: a box in each holder’s block, saved on that holder only', async () => {
    const base = tutelleResident(h.orgA.establishmentId);
    const rid = (await admissions.post('/api/residents').send({ ...base, lastName: 'Nouvelle', protectionMeasure: undefined }).expect(201)).body.id as string;
    const url = `/console/residents/${rid}/mesures/nouvelle`;
    const html = (await admissions.get(url).expect(200)).text;
    expect(html).toMatch(/name="holders\.0\.establishmentEmployee" value="oui"/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const posted = await admissions
      .post(url)
      .type('form')
      .send({
        _csrf: csrf,
        type: 'curatelle',
        mode: 'assistance',
        'scope.personne': 'oui',
        'scope.biens': 'oui',
        general: 'oui',
        court: 'Tribunal judiciaire de Valville',
        judgmentReference: 'RG 25/00042',
        judgmentDate: '2025-02-10',
        endDate: '2030-02-10',
        'holders.0.role': 'curateur',
        'holders.0.firstName': 'Paul',
        'holders.0.lastName': 'Martin',
        'holders.1.role': 'curateur',
        'holders.1.firstName': 'Hervé',
        'holders.1.lastName': 'Lenoir',
        'holders.1.establishmentEmployee': 'oui',
      });
    expect({ status: posted.status, errors: posted.text.match(/class="field-error"[^>]*>[^<]*/g) }).toEqual({ status: 303, errors: null });
    const saved = (await admissions.get(`/api/residents/${rid}`).expect(200)).body.protectionMeasures[0] as { holders: Holder[] };
    expect(Object.fromEntries(saved.holders.map((x) => [x.lastName, x.establishmentEmployee]))).toEqual({ Martin: false, Lenoir: true });
  });

  it('migration 1764100000000 carries the old measure flag over: one holder → that holder; several → every holder (the prudent reading); down restores the measure flag', async () => {
    // Two measures as the old schema had them: flagged with one holder, flagged with two.
    const base = tutelleResident(h.orgA.establishmentId);
    const one = (await admissions.post('/api/residents').send({ ...base, lastName: 'Migration-un' }).expect(201)).body.protectionMeasures[0].id as string;
    const two = (
      await admissions
        .post('/api/residents')
        .send({
          ...base,
          lastName: 'Migration-deux',
          protectionMeasure: {
            ...base.protectionMeasure,
            holders: [
              { role: 'tuteur', firstName: 'Luc', lastName: 'Un' },
              { role: 'tuteur', firstName: 'Léa', lastName: 'Deux' },
            ],
          },
        })
        .expect(201)
    ).body.protectionMeasures[0].id as string;
    const Migration = MIGRATIONS.find((x) => x.name === 'HolderEstablishmentEmployee1764100000000') as unknown as new () => MigrationInterface;
    const migration = new Migration();
    // The migration runs as the schema's owner, as `npm run migrate` does.
    const owner = new DataSource(dataSourceOptions(h.db.config, { as: 'owner', poolSize: 1 }));
    await owner.initialize();
    const qr = owner.createQueryRunner();
    try {
      await qr.startTransaction();
      await migration.down(qr);
      await qr.query(`UPDATE protection_measures SET holder_establishment_employee = true WHERE id = ANY($1)`, [[one, two]]);
      await migration.up(qr);
      const flags = (await qr.query(`SELECT measure_id, establishment_employee FROM measure_holders WHERE measure_id = ANY($1) ORDER BY measure_id, id`, [[one, two]])) as {
        measure_id: string;
        establishment_employee: boolean;
      }[];
      expect(flags.filter((f) => f.measure_id === one).map((f) => f.establishment_employee)).toEqual([true]);
      expect(flags.filter((f) => f.measure_id === two).map((f) => f.establishment_employee)).toEqual([true, true]);
      // Down: the measure is flagged when any holder is.
      await qr.query(`UPDATE measure_holders SET establishment_employee = false WHERE measure_id = $1`, [one]);
      await migration.down(qr);
      const measures = (await qr.query(`SELECT id, holder_establishment_employee AS flagged FROM protection_measures WHERE id = ANY($1)`, [[one, two]])) as { id: string; flagged: boolean }[];
      expect(Object.fromEntries(measures.map((x) => [x.id, x.flagged]))).toEqual({ [one]: false, [two]: true });
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
      await owner.destroy();
    }
    const columns = (await sql<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'measure_holders' AND column_name = 'establishment_employee'`)).map(
      (c) => c.column_name,
    );
    expect(columns).toEqual(['establishment_employee']);
  });
});

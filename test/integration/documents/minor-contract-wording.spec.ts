import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TransactionRunner } from '@carepact/database';
import { StaffService } from '@carepact/identity';
import { TEST_PASSWORD, contractData, loginAgent, minorUnderTutelleResident, tutelleResident, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, addUser, startApiHarness } from '../api/api-harness';

/**
 * Contrat de séjour 1.8.0 after the sector lawyer's review, through the API, the worker and the PDFs
 * (standard, easy-to-read, large print) as people read them (pdftotext):
 * - a minor under tutelle in an IME: the easy-to-read contract says his tuteur signs for him and asks
 *   his view (C. civ. 390, 408, 371-1 al. 4, 388-1), not « Vos parents signent »; the decision that
 *   organised the tutelle is printed with its authority, reference and date (as an adult's judgment
 *   is), also among the prior decisions (CASF D.311); no personne de confiance notice (L.311-5-1:
 *   « toute personne majeure »). The reference comes from the resident's file (minorDecision), as the
 *   version's input snapshot holds it. The annexes recorded with the version (the evidence's list of
 *   the documents handed over) do not name the notice either (template-input.ts).
 * - an adult under a tutelle of her property only: the notice was given to her and to her legal
 *   representative (CASF D.311-0-4 does not restrict him to a representation of the person).
 * Contract 1.7.0 printed « Vos parents signent ce contrat pour vous. », « Aucune décision
 * administrative, judiciaire… », the notice among the documents handed over to the minor, and the
 * notice to the person alone under a tutelle of property.
 */
describe('contrat de séjour 1.8.0: a minor under tutelle, an adult under tutelle of her property, in the PDFs', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let staff: request.Agent;
  let ime: request.Agent;
  let imeId: string;

  const pdfText = async (agent: request.Agent, id: string, variant: string): Promise<string> => {
    await waitUntil('the version to be generated', async () => (await agent.get(`/api/documents/${id}`)).body.versions?.[0]?.status === 'ready', 60_000);
    const doc = (await agent.get(`/api/documents/${id}`).expect(200)).body;
    expect(doc.versions[0].template).toMatchObject({ id: 'contrat-sejour', version: '1.14.0' });
    const pdf = doc.versions[0].renditions.find((r: { format: string; variant: string }) => r.format === 'pdf' && r.variant === variant);
    const res = await agent.get(pdf.href).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const dir = mkdtempSync(join(tmpdir(), 'carepact-minor-'));
    writeFileSync(join(dir, 'c.pdf'), res.body as Buffer);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' }).replace(/[\s\u00a0\u202f]+/g, ' ');
  };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    worker = await startWorker(h.db.config, { probe: false });
    staff = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    // A minor is admitted to an institut médico-éducatif, not to a home for older people.
    imeId = await h.app.get(TransactionRunner).run(async (em) => {
      const est = await h.app.get(StaffService).createEstablishment(em, { type: 'system', id: 'test' }, h.orgA.organisationId, {
        name: 'IME Les Saules',
        category: 'IME',
        finess: '330000489',
        address: '6 rue des Saules, 00000 Testville',
        directorFirstName: 'Inès',
        directorLastName: 'Morel',
        annexes: ['livret-accueil-2026', 'reglement-fonctionnement-2025', 'charte-droits-libertes', 'notice-personne-de-confiance'],
      });
      return est.id;
    });
    await addUser(h.app, h.orgA.organisationId, 'admissions.ime@example.test', [{ establishmentId: imeId, role: 'administrator' }]);
    ime = await loginAgent(h.app, 'admissions.ime@example.test', TEST_PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('a minor under tutelle: his tuteur signs for him and asks his view; the decision is printed; no personne de confiance notice', async () => {
    const resident = (await ime.post('/api/residents').send(minorUnderTutelleResident(imeId)).expect(201)).body.id as string;
    const data = contractData({
      minorView: 'Enzo souhaite garder son club de football.',
      minorViewFalc: 'Vous voulez garder votre club de football.',
      consentInterview: undefined,
      entryInventoryOn: undefined,
      financialContribution: 'aucune',
      pricing: undefined,
    });
    const res = await ime.post('/api/documents').send({ residentId: resident, type: 'contrat-sejour', data });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 202, error: undefined });
    const id = res.body.id as string;

    const falc = await pdfText(ime, id, 'falc');
    expect(falc).toContain('Votre tuteur signe pour vous. Il vous demande votre avis. La décision sur votre tutelle date du 3 mars 2025.');
    expect(falc).toContain('Votre tuteur signe ce contrat pour vous.');
    expect(falc).not.toContain('Vos parents');
    expect(falc).not.toContain('décide avec vous');
    expect(falc).toContain('La décision sur votre tutelle, le 3 mars 2025');
    expect(falc).not.toMatch(/personne de confiance/i);

    for (const variant of ['standard', 'large-print']) {
      const text = await pdfText(ime, id, variant);
      expect(text).toContain(
        // Contrat 1.11.0: no civility recorded for him, so no pronoun (1.10.0 printed « Placée sous tutelle…, elle » for a boy).
        'Enzo Petit est une personne mineure. Sous tutelle, par décision du 3 mars 2025 (Conseil de famille, TJ de Valville, référence RG 25/00042), la personne est représentée par son tuteur :',
      );
      expect(text).not.toContain('Placée sous tutelle');
      expect(text).toContain('Tutelle du mineur : décision du 3 mars 2025 (Conseil de famille, TJ de Valville, référence RG 25/00042)');
      expect(text).not.toContain('Aucune décision administrative');
      expect(text).toContain('Charte des droits et libertés de la personne accueillie');
      expect(text).not.toMatch(/personne de confiance/i);
    }
    // Nor do the annexes recorded with the version (the evidence's « documents remis ») name the notice.
    const [version] = (await h.app
      .get(DataSource)
      .query(`SELECT v.annexes FROM document_versions v JOIN documents d ON d.current_version_id = v.id WHERE d.id = $1`, [id])) as { annexes: { key: string }[] }[];
    expect(version.annexes.map((a) => a.key)).toEqual(['livret-accueil-2026', 'reglement-fonctionnement-2025', 'charte-droits-libertes']);
  });

  it('an adult under a tutelle of her property only: the notice was given to her and to her legal representative', async () => {
    const body = tutelleResident(h.orgA.establishmentId);
    const resident = (await staff.post('/api/residents').send({ ...body, protectionMeasure: { ...body.protectionMeasure, scope: ['biens'] } }).expect(201)).body.id as string;
    const res = await staff.post('/api/documents').send({ residentId: resident, type: 'contrat-sejour', data: contractData() });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 202, error: undefined });
    const standard = await pdfText(staff, res.body.id as string, 'standard');
    expect(standard).toContain('La notice d’information sur la personne de confiance a été remise à Yvonne Marchal et à son représentant légal (tuteur) le 9 octobre 2026');
    expect(standard).toContain('par Yvonne Marchal et par son représentant légal (tuteur), est jointe au contrat');
    const falc = await pdfText(staff, res.body.id as string, 'falc');
    expect(falc).toContain('Votre tuteur a aussi reçu cette feuille.');
    expect(falc).toContain('Votre tuteur a aussi signé ce papier.');
  });
});

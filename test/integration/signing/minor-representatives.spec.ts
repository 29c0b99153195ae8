import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData, loginAgent, minorUnderTutelleResident, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

interface Signer {
  role: string;
  name: string;
  capacity: string;
  legalBasis?: string;
}

const LATE = { lateReason: 'Essai : envoi après le délai légal.' };
const CONTRACT = () => contractData({ minorView: 'Enzo souhaite garder son club de football.', minorViewFalc: 'Tu veux garder ton club de football.' });

/**
 * A minor's representatives other than the parents, through the API and the worker: the tutelle of
 * a minor (C. civ. 390, 408: the tuteur represents the minor) and the delegation of parental
 * authority by judgment (C. civ. 377, 377-1: total, the délégataire signs; partial or shared, the
 * parent signs with him). The file refuses a tutelle without its tuteur or decision, a delegation
 * without its judgment, with stable codes; the generated contract's signature slots are the signers
 * the request plans.
 */
describe('minor under tutelle or delegation: who signs the contract', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let admissions: request.Agent;
  let ds: DataSource;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => ds.query(text, params) as Promise<T[]>;
  const decision = { authority: 'Conseil de famille, TJ de Valville', reference: 'RG 25/00042', date: '2025-03-03' };
  const minor = (over: Record<string, unknown> = {}) => ({
    establishmentId: h.orgA.establishmentId,
    firstName: 'Enzo',
    lastName: 'Petit',
    birthDate: '2014-05-30',
    admissionDate: '2026-09-07',
    stayType: 'permanent',
    ...over,
  });
  const generated = async (residentId: string) => {
    const res = await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: CONTRACT() });
    if (res.status !== 202) throw new Error(JSON.stringify(res.body));
    const id = res.body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${id}`)).body.status === 'ready', 60_000);
    return id;
  };
  /** The signature slots the generated PDF prints (the version's resolved signature block), as role | name. */
  const slotsOf = async (documentId: string) => {
    const doc = (await admissions.get(`/api/documents/${documentId}`).expect(200)).body as { currentVersionId: string };
    const pdf = await admissions.get(`/api/documents/${documentId}/versions/${doc.currentVersionId}/renditions/pdf/standard`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    return { pdf: pdf.body as Buffer, status: pdf.status, versionId: doc.currentVersionId };
  };

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    worker = await startWorker(h.db.config, { probe: false });
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('a tutelle without its tuteur or decision, a delegation without its judgment: refused in French with stable codes, nothing written', async () => {
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM residents`);
    const tutelle = await admissions.post('/api/residents').send(minor({ parentalAuthority: 'tutelle' })).expect(400);
    expect(tutelle.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'minorDecision', code: 'MINOR_DECISION_REQUIRED', message: expect.stringContaining('conseil de famille') }),
        expect.objectContaining({ field: 'parentalAuthority', code: 'MINOR_TUTEUR_REQUIRED', message: expect.stringContaining('C. civ. 408') }),
      ]),
    );
    const delegation = await admissions
      .post('/api/residents')
      .send(minor({ parentalAuthority: 'delegation', contacts: [{ firstName: 'Hélène', lastName: 'Roux', minorRole: 'delegataire' }] }))
      .expect(400);
    expect(delegation.body.error.details).toEqual([expect.objectContaining({ field: 'minorDecision', code: 'DELEGATION_JUDGMENT_REQUIRED' })]);
    const badRole = await admissions.post('/api/residents').send(minor({ parentalAuthority: 'tutelle', minorDecision: decision, contacts: [{ firstName: 'A', lastName: 'B', minorRole: 'oncle' }] })).expect(400);
    expect(badRole.body.error.details[0].field).toBe('contacts.0.minorRole');
    expect(await sql<{ n: number }>(`SELECT count(*)::int AS n FROM residents`)).toEqual(before);
  });

  it('under tutelle the tuteur signs the contract for the minor; the PDF prints his slot, no parent’s; the minor’s view is recorded', async () => {
    const created = await admissions.post('/api/residents').send(minorUnderTutelleResident(h.orgA.establishmentId)).expect(201);
    expect(created.body).toMatchObject({ parentalAuthority: 'tutelle', minorDecision: { ...decision, wardOfState: false, delegationExtent: null, actAuthorisation: null } });
    expect(created.body.contacts).toEqual([expect.objectContaining({ lastName: 'Roux', minorRole: 'tuteur', holdsParentalAuthority: false })]);
    const [audit] = await sql<{ payload: { minorRole: string } }>(`SELECT payload FROM audit_events WHERE action = 'contact.created' AND payload->>'residentId' = $1`, [created.body.id]);
    expect(audit.payload.minorRole).toBe('tuteur');

    const documentId = await generated(created.body.id as string);
    const sent = await admissions.post(`/api/documents/${documentId}/signature-requests`).send(LATE);
    expect({ status: sent.status, error: sent.body.error }).toEqual({ status: 201, error: undefined });
    const signers = sent.body.signers as Signer[];
    expect(signers.map((s) => [s.role, s.name])).toEqual([
      ['tuteur', 'Hélène Roux'],
      ['director', expect.any(String)],
    ]);
    expect(signers[0].capacity).toBe('en qualité de tuteur, au nom d’Enzo Petit');
    // C. civ. 371-1 al. 4, 388-1: the minor's view is to be recorded by the tuteur's step (or staff), without blocking.
    expect(sent.body.views).toEqual([expect.objectContaining({ key: 'resident', person: 'Enzo Petit', reason: 'minor', recorded: null })]);

    const { pdf, status } = await slotsOf(documentId);
    expect(status).toBe(200);
    mkdirSync('/tmp/minor-representatives', { recursive: true });
    writeFileSync('/tmp/minor-representatives/contrat-tutelle.pdf', pdf);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString().replace(/\s+/g, ' ');
    expect(text).toContain('Hélène Roux en qualité de tuteur, au nom d’Enzo Petit');
    expect(text).not.toContain('en qualité de parent');
    const [version] = await sql<{ input: { resident: { minor: unknown; minorRepresentation: { kind: string; representatives: { lastName: string; role: string }[] } } } }>(
      `SELECT v.input FROM document_versions v JOIN documents d ON d.current_version_id = v.id WHERE d.id = $1`,
      [documentId],
    );
    expect(version.input.resident.minor).toEqual({ parentalAuthority: 'tutelle', parents: [] });
    expect(version.input.resident.minorRepresentation).toMatchObject({ kind: 'tutelle', representatives: [{ lastName: 'Roux', role: 'tuteur' }] });
  });

  it('delegation: total, the délégataire signs alone; shared, the parent signs with him (C. civ. 377-1 al. 2)', async () => {
    const created = await admissions
      .post('/api/residents')
      .send(
        minor({
          firstName: 'Léa',
          parentalAuthority: 'delegation',
          minorDecision: { ...decision, authority: 'JAF, TJ de Valville', delegationExtent: 'total' },
          contacts: [
            { firstName: 'Hélène', lastName: 'Roux', relation: 'tante', email: 'helene.roux@example.org', minorRole: 'delegataire' },
            { firstName: 'Julie', lastName: 'Petit', email: 'julie.petit@example.org', holdsParentalAuthority: true },
          ],
        }),
      )
      .expect(201);
    const id = created.body.id as string;
    const total = await admissions.post(`/api/documents/${await generated(id)}/signature-requests`).send(LATE);
    expect({ status: total.status, error: total.body.error }).toEqual({ status: 201, error: undefined });
    expect((total.body.signers as Signer[]).map((s) => [s.role, s.name])).toEqual([
      ['delegataire', 'Hélène Roux'],
      ['director', expect.any(String)],
    ]);

    // The extent changes by an edit (audited); the next contract asks the parent too.
    await admissions.patch(`/api/residents/${id}`).send({ minorDecision: { ...decision, authority: 'JAF, TJ de Valville', delegationExtent: 'shared' } }).expect(200);
    const [event] = await sql<{ payload: { changedFields: string[] } }>(`SELECT payload FROM audit_events WHERE action = 'resident.updated' AND subject_id = $1 ORDER BY seq DESC LIMIT 1`, [id]);
    expect(event.payload.changedFields).toEqual(['delegationExtent']);
    const docId = await generated(id);
    const preview = await admissions.post(`/api/documents/${docId}/signature-requests/preview`).send({}).expect(200);
    // The preview is the policy's decision: each signer's person.
    expect((preview.body.signers as { role: string; person: { firstName: string; lastName: string } }[]).map((s) => [s.role, `${s.person.firstName} ${s.person.lastName}`])).toEqual([
      ['delegataire', 'Hélène Roux'],
      ['parent', 'Julie Petit'],
      ['director', expect.any(String)],
    ]);
    const { pdf } = await slotsOf(docId);
    writeFileSync('/tmp/minor-representatives/contrat-delegation-partielle.pdf', pdf);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString().replace(/\s+/g, ' ');
    expect(text).toContain('Hélène Roux en qualité de délégataire de l’autorité parentale, pour Léa Petit (délégation partagée)');
    // The contract's versions up to 1.10.0 printed « (délégation partielle ou partagée) »: 1.11.0 names the délégation by its form (C. civ. 377-1 al. 2).
    expect(text).not.toContain('partielle ou partagée');
    expect(text).toContain('Julie Petit en qualité de parent titulaire de l’autorité parentale, pour Léa Petit');
  });
});

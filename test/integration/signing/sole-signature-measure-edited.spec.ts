import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, loginAgent } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { ORDONNANCE, refusedThenAuthorised } from './sole-signature-flow';

interface Signer {
  id: string;
  role: string;
}


/**
 * C. civ. 469 al. 3: the judge's authorisation for the person to sign alone answers her curateur's
 * refusal under one judgment. The product edits a protection measure in place (PATCH, same row id):
 * a judgment whose reference, date, court or kind is changed on that row is another judgment as far
 * as the file can tell, and the authorisation recorded under the first one is set aside
 * (SOLE_SIGNATURE_MEASURE_CHANGED): the curateur is asked again. The comparison is against the
 * measure as the refused request recorded it (signature_requests.policy, written once). A change
 * that does not touch the judgment (its end date, a proof's reference) leaves it in force.
 */
describe('the judge’s authorisation to sign alone, after the measure’s judgment is edited in place', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let base = '';
  let admissions: request.Agent;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[]) => h.app.get(DataSource).query(text, params) as Promise<T[]>;

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    worker = await startWorker(h.db.config, { probe: false });
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  /** A new resident's contract, generated, sent, her curateur's assistance refused in the portal, and the judge's ordonnance recorded. */
  /** The curateur's assistance refused and the judge's ordonnance recorded (sole-signature-flow.ts): she signs alone. */
  const authorisedAlone = async (): Promise<{ doc: string; residentId: string; measureId: string }> => {
    const { doc, residentId } = await refusedThenAuthorised(admissions, base, h.orgA.establishmentId);
    const [{ id: measureId }] = await sql<{ id: string }>(`SELECT id FROM protection_measures WHERE resident_id = $1`, [residentId]);
    expect(await roles(doc)).toEqual(['resident', 'director']);
    return { doc, residentId, measureId };
  };
  const preview = async (doc: string) => (await admissions.post(`/api/documents/${doc}/signature-requests/preview`).send({}).expect(200)).body as { signers: Signer[]; explanation: string; soleSignatureAuthorisation?: unknown };
  const roles = async (doc: string) => (await preview(doc)).signers.map((x) => x.role);
  const edit = (a: { residentId: string; measureId: string }, patch: Record<string, unknown>) => admissions.patch(`/api/residents/${a.residentId}/protection-measures/${a.measureId}`).send(patch).expect(200);

  const WHY =
    'L’autorisation du juge n’est plus retenue : le jugement de la mesure de protection en vigueur (curatelle renforcée) a été modifié au dossier depuis le refus d’assistance (sa référence, sa date, sa juridiction ou la nature de la mesure). ' +
    'Le curateur que désigne la mesure en vigueur est appelé à assister la personne ; s’il refuse, la personne peut saisir de nouveau le juge (C. civ. 469 al. 3).';

  it.each([
    ['reference', { judgmentReference: 'RG 26/00901' }],
    ['date', { judgmentDate: '2026-06-01' }],
    ['court', { court: 'Tribunal judiciaire de Montval' }],
  ])('the judgment’s %s changed on the same row: the curateur is asked again, the API and the page say why; the ordonnance cannot be recorded again on that refusal', async (_what, patch) => {
    const a = await authorisedAlone();
    await edit(a, patch);
    const decision = await preview(a.doc);
    expect(decision.signers.map((x) => x.role)).toEqual(['resident', 'curateur', 'director']);
    expect(decision.soleSignatureAuthorisation).toBeUndefined();
    expect(decision.explanation).toContain(WHY);
    const view = (await admissions.get(`/api/documents/${a.doc}/sole-signature-authorisation`).expect(200)).body;
    expect(view).toMatchObject({ setAside: { code: 'SOLE_SIGNATURE_MEASURE_CHANGED', message: WHY }, canRecord: false });
    const page = await admissions.get(`/console/documents/${a.doc}`).expect(200);
    expect(page.text).toContain(`Non retenue pour le prochain envoi :</strong> ${WHY}`);
    const again = await admissions.post(`/api/documents/${a.doc}/sole-signature-authorisation`).send({ ...ORDONNANCE, reference: 'RG 26/00124' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'SOLE_SIGNATURE_MEASURE_CHANGED', message: expect.stringContaining('Le jugement de la mesure de protection a été modifié au dossier depuis le refus d’assistance') });
    // The request sent now goes to the curateur too.
    const sent = (await admissions.post(`/api/documents/${a.doc}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' }).expect(201)).body as { signers: Signer[] };
    expect(sent.signers.map((x) => x.role)).toEqual(['resident', 'curateur', 'director']);
  });

  it('the measure’s kind changed on the same row (curatelle renforcée → curatelle simple): set aside too', async () => {
    const a = await authorisedAlone();
    await edit(a, { type: 'curatelle' });
    const decision = await preview(a.doc);
    expect(decision.signers.map((x) => x.role)).toEqual(['resident', 'curateur', 'director']);
    expect(decision.explanation).toContain('le jugement de la mesure de protection en vigueur (curatelle simple) a été modifié au dossier depuis le refus d’assistance');
  });

  it('a change that is not the judgment (its end date, the proof on file): the authorisation still applies, she signs alone', async () => {
    const a = await authorisedAlone();
    await edit(a, { endDate: '2031-05-20', proofDocumentRef: 'Copie du jugement, classeur 3' });
    const decision = await preview(a.doc);
    expect(decision.signers.map((x) => x.role)).toEqual(['resident', 'director']);
    expect(decision.soleSignatureAuthorisation).toMatchObject({ reference: ORDONNANCE.reference });
    expect((await admissions.get(`/api/documents/${a.doc}/sole-signature-authorisation`).expect(200)).body.setAside).toBeNull();
  });
});

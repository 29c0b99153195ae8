import type request from 'supertest';
import { PortalClient, contractData, curatelleResident, waitUntil } from '@carepact/testing';
import type { ApiHarness } from '../api/api-harness';

/**
 * A contract generated for an adult without a protection measure (Marcel's file without his
 * curatelle), by the worker the caller starts: its document id.
 */
export async function generatedAdultContract(h: ApiHarness, admissions: request.Agent, startWorker: () => Promise<unknown>): Promise<string> {
  const { protectionMeasure: _m, ...adult } = curatelleResident(h.orgA.establishmentId);
  const residentId = (await admissions.post('/api/residents').send(adult).expect(201)).body.id as string;
  const documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
  await startWorker();
  await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 60_000);
  return documentId;
}

/** Sends the contract for signature, has the person sign it in person (the tablet's portal) and the director countersign: the request's id. */
export async function signedInPersonAndCountersigned(admissions: request.Agent, director: request.Agent, documentId: string, base: string): Promise<string> {
  const view = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai' }).expect(201)).body as {
    id: string;
    signers: { id: string; role: string }[];
  };
  const resident = view.signers.find((s) => s.role === 'resident')!;
  const { url } = (await admissions.post(`/api/signature-requests/${view.id}/signers/${resident.id}/in-person`).expect(200)).body as { url: string };
  const portal = new PortalClient(base);
  await portal.open(base + new URL(url).pathname);
  const signed = await portal.sign({ consent: 'oui', typedName: 'Marcel Dupont' });
  if (signed.status !== 303) throw new Error(`in-person signature: ${signed.status}`);
  await director.post(`/api/signature-requests/${view.id}/countersign`).send({}).expect(200);
  return view.id;
}

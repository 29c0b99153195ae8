import type request from 'supertest';

/**
 * The establishment's countersignature through the API, as a program makes it: the request's
 * version read first (`versionNumber`), then the explicit statement naming it,
 * `{ "confirm": true, "version": N }` (COUNTERSIGN_NOT_CONFIRMED without it).
 */
export async function countersignRequest(director: request.Agent, requestId: string): Promise<request.Response> {
  const view = await director.get(`/api/signature-requests/${requestId}`);
  if (view.status !== 200) throw new Error(`request ${requestId}: ${view.status} ${JSON.stringify(view.body)}`);
  return director.post(`/api/signature-requests/${requestId}/countersign`).send({ confirm: true, version: (view.body as { versionNumber: number }).versionNumber });
}

/** The same with the fetch of a running api (SigningHarness.staff, which sends JSON). */
export async function countersignFetch(director: (path: string, init?: RequestInit) => Promise<Response>, requestId: string): Promise<Response> {
  const view = await director(`/api/signature-requests/${requestId}`);
  if (view.status !== 200) throw new Error(`request ${requestId}: ${view.status} ${await view.text()}`);
  const { versionNumber } = (await view.json()) as { versionNumber: number };
  return director(`/api/signature-requests/${requestId}/countersign`, { method: 'POST', body: JSON.stringify({ confirm: true, version: versionNumber }) });
}

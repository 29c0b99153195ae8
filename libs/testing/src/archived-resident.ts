import request from 'supertest';
import { DataSource } from 'typeorm';
import { contractData, curatelleResident, tutelleResident } from './factories';
import { PortalClient } from './portal-client';
import { waitUntil } from './processes';

/**
 * The archived-resident fixture of the intermediate archive's specs (libs/documents
 * intermediate-archive.ts): a person admitted on 1 March 2014 who left on 1 January 2020 is, with
 * the organisation's default active base (24 months), in the intermediate archive since
 * 2 January 2022. Built through the API as staff would (the resident, her contract, the send, the
 * portal's refusal), the admission date alone set in the database (the resident API refuses such an
 * old admission for a new file).
 */
export const ARCHIVED_ADMISSION_DATE = '2014-03-01';
export const ARCHIVED_DEPARTURE_DATE = '2020-01-01';
/** The first day of the archive for ARCHIVED_DEPARTURE_DATE with the default active base (24 months). */
export const ARCHIVED_SINCE = '2022-01-02';

export interface ResidentWithContract {
  residentId: string;
  documentId: string;
}

/**
 * A resident (under tutelle by default, or curatelle) and her contrat de séjour, created by
 * `admissions`; `ready`: waits until its version is generated (needed to send it).
 */
export async function residentWithContract(
  admissions: request.Agent,
  establishmentId: string,
  opts: { measure?: 'tutelle' | 'curatelle'; lastName?: string; data?: Record<string, unknown>; ready?: boolean } = {},
): Promise<ResidentWithContract> {
  const person = opts.measure === 'curatelle' ? curatelleResident(establishmentId) : tutelleResident(establishmentId);
  const residentId = (await admissions.post('/api/residents').send(opts.lastName ? { ...person, lastName: opts.lastName } : person).expect(201)).body.id as string;
  const data = opts.data ?? contractData(opts.measure === 'curatelle' ? {} : { residenceChoice: { agrees: true, recordedOn: '2026-10-20' } });
  const documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data }).expect(202)).body.id as string;
  if (opts.ready) await waitForReady(admissions, documentId);
  return { residentId, documentId };
}

export async function waitForReady(admissions: request.Agent, documentId: string): Promise<void> {
  await waitUntil(`document ${documentId} generated`, async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 90000);
}

export interface SentToTuteur {
  requestId: string;
  tuteurId: string;
  /** The tuteur's in-person link, on `base` (what a tablet opens). */
  link: string;
}

/** Sends the ready document (late: the legal deadline of a test person has passed) and opens the tuteur's in-person session. */
export async function sendToTuteurInPerson(admissions: request.Agent, base: string, documentId: string): Promise<SentToTuteur> {
  const sent = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Envoi après le délai légal : la famille était absente.' }).expect(201)).body as {
    id: string;
    signers: { id: string; role: string }[];
  };
  const tuteur = sent.signers.find((s) => s.role === 'tuteur')!;
  const { url } = (await admissions.post(`/api/signature-requests/${sent.id}/signers/${tuteur.id}/in-person`).expect(200)).body as { url: string };
  return { requestId: sent.id, tuteurId: tuteur.id, link: base + new URL(url).pathname };
}

/** On the portal: the tuteur reads the document, asks `question` when given, then refuses it with `reason`. */
export async function refuseOnPortal(base: string, link: string, opts: { question?: string; reason: string }): Promise<void> {
  const portal = new PortalClient(base);
  await portal.open(link);
  await portal.get('/portail/document');
  if (opts.question && (await portal.post('/portail/question', { message: opts.question })).status !== 303) throw new Error('the question was not posted');
  if ((await portal.post('/portail/refuser', { reason: opts.reason })).status !== 303) throw new Error('the refusal was not posted');
}

/**
 * Past the active base: admitted on ARCHIVED_ADMISSION_DATE, her departure on `departedOn`
 * (ARCHIVED_DEPARTURE_DATE by default) recorded by `admin` through the API (audited, as staff do).
 */
export async function archiveResident(ds: DataSource, admin: request.Agent, residentId: string, departedOn = ARCHIVED_DEPARTURE_DATE): Promise<void> {
  await ds.query(`UPDATE residents SET admission_date = $2 WHERE id = $1`, [residentId, ARCHIVED_ADMISSION_DATE]);
  await admin.put(`/api/residents/${residentId}/departure`).send({ departedOn }).expect(200);
}

export interface ArchivedResidentWithRefusedContract extends ResidentWithContract, SentToTuteur {}

/**
 * A person under tutelle whose contrat de séjour was sent to her tuteur, who asked `question` (when
 * given) and refused it with `reason` on the portal; then, unless `archive: false`, her departure on
 * 1 January 2020: in the intermediate archive since 2 January 2022.
 */
export async function archivedResidentWithRefusedContract(o: {
  ds: DataSource;
  admin: request.Agent;
  admissions: request.Agent;
  establishmentId: string;
  /** The api's address (the portal's links are opened on it). */
  base: string;
  reason: string;
  question?: string;
  lastName?: string;
  archive?: boolean;
}): Promise<ArchivedResidentWithRefusedContract> {
  const made = await residentWithContract(o.admissions, o.establishmentId, { lastName: o.lastName, ready: true });
  const sent = await sendToTuteurInPerson(o.admissions, o.base, made.documentId);
  await refuseOnPortal(o.base, sent.link, { question: o.question, reason: o.reason });
  await waitUntil('the request refused', async () => (await o.admissions.get(`/api/signature-requests/${sent.requestId}`)).body.status === 'refused', 10000);
  if (o.archive !== false) await archiveResident(o.ds, o.admin, made.residentId);
  return { ...made, ...sent };
}

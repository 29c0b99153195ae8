import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent, runCli, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * Issue 11 item 4 from the operator's side: the compiled CLI (`retention:policy`, `hold:place`,
 * `hold:lift`, `purge --dry-run`, `purge --report`) against the real database, the worker running
 * the purge job, and `audit:verify` exiting 0 before and after.
 */
describe('CLI: retention, holds, purge; audit:verify after a purge', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let admissions: request.Agent;
  let residentId: string;
  let documentId: string;
  let org: string;
  const cli = (...args: string[]) => runCli(h.db.config, args);
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    org = h.orgA.organisationId;
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    residentId = (await admissions.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    await waitUntil('the contract generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 90000);
    // A stay that ended in 2016 (set directly, as if recorded then).
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01', departed_on = '2016-02-29' WHERE id = $1`, [residentId]);
  }, 240000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('retention:policy shows the durations with their rule; a bad value exits 2 with a French message', async () => {
    const shown = await cli('retention:policy', '--organisation', org);
    expect(shown).toMatchObject({ code: 0 });
    expect(shown.stdout).toMatch(/contrat-sejour\s+5 an\(s\)/);
    expect(shown.stdout).toMatch(/C\. civ\. art\. 2224/);
    const bad = await cli('retention:policy', '--organisation', org, '--set', 'contrat-sejour=0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Durée en années entières, de 1 à 100/);
    expect((await cli('retention:policy')).code).toBe(2); // two organisations: --organisation required
  });

  it('a hold keeps the resident out of the dry run; lifted, the dry run lists them; the run purges; audit:verify exits 0 before and after', async () => {
    expect(await cli('audit:verify')).toMatchObject({ code: 0 });
    const placed = await cli('hold:place', '--resident', residentId, '--reason', 'Réclamation de la famille en cours');
    expect(placed).toMatchObject({ code: 0 });
    const holdId = /Gel placé : ([0-9a-f-]{36})/.exec(placed.stdout)![1];
    const held = JSON.parse((await cli('purge', '--dry-run', '--organisation', org, '--json')).stdout) as { id: string; report: { documents: unknown[]; kept: Record<string, number> } };
    expect(held.report.documents).toEqual([]);
    expect(held.report.kept).toMatchObject({ heldDocuments: 1, heldResidents: 1 });
    // The held report runs, and deletes nothing.
    expect((await cli('purge', '--report', held.id)).stdout).toMatch(/Purge terminée : 0 document\(s\), 0 dossier\(s\)/);
    expect(await count(`SELECT count(*) AS n FROM documents WHERE id = $1`, [documentId])).toBe(1);

    expect(await cli('hold:lift', holdId, '--reason', 'Réclamation close')).toMatchObject({ code: 0 });
    const dry = await cli('purge', '--dry-run', '--organisation', org);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/À supprimer : 1 document\(s\), 1 dossier\(s\) de personne/);
    // Beside the holds, what an open access request keeps (RetentionService.plan); the system's report covers the whole organisation.
    expect(dry.stdout).toContain('0 document(s) et 0 personne(s) : demande d’accès en cours');
    expect(dry.stdout).toMatch(/Établissements couverts : 1 \([0-9a-f-]{36}\)\./);
    expect(dry.stdout).toContain(`document ${documentId} (contrat-sejour) — fin d’accompagnement 2016-02-29, conservation jusqu’au 2021-02-28`);
    expect(await count(`SELECT count(*) AS n FROM documents WHERE id = $1`, [documentId])).toBe(1);
    const reportId = /purge --report ([0-9a-f-]{36})/.exec(dry.stdout)![1];

    const run = await cli('purge', '--report', reportId);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/Purge terminée : 1 document\(s\), 1 dossier\(s\), 9 fichier\(s\) supprimés/);
    expect(await count(`SELECT count(*) AS n FROM documents WHERE id = $1`, [documentId])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM residents WHERE id = $1`, [residentId])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM purge_tombstones WHERE subject_id IN ($1, $2)`, [documentId, residentId])).toBe(2);

    const verify = await cli('audit:verify');
    expect(verify).toMatchObject({ code: 0 });
    expect(verify.stdout).not.toMatch(/ROMPUE/);
    const again = await cli('purge', '--report', reportId);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/déjà été exécuté/);
  }, 120000);

  it('a public organisation: purge --report needs the archives’ visa (Code du patrimoine R.212-14), then records it', async () => {
    await ds.query(`UPDATE organisations SET public_law = true WHERE id = $1`, [org]);
    const reportId = /purge --report ([0-9a-f-]{36})/.exec((await cli('purge', '--dry-run', '--organisation', org)).stdout)![1];
    const refused = await cli('purge', '--report', reportId);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/R\.212-14.*\(PURGE_ARCHIVES_VISA_REQUIRED\)/s);
    expect(await count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'purge_run' AND params->>'reportId' = $1`, [reportId])).toBe(0);
    const run = await cli('purge', '--report', reportId, '--visa-reference', 'BE-2026-7', '--visa-date', '2026-11-02', '--visa-signatory', 'M. Roux, directeur des archives départementales');
    expect(run).toMatchObject({ code: 0 });
    const [job] = (await ds.query(`SELECT params FROM data_jobs WHERE kind = 'purge_run' AND params->>'reportId' = $1`, [reportId])) as { params: { visa: unknown } }[];
    expect(job.params.visa).toEqual({ reference: 'BE-2026-7', date: '2026-11-02', signatory: 'M. Roux, directeur des archives départementales' });
  }, 120000);
});

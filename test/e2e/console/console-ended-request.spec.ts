import { DataSource } from 'typeorm';
import { TEST_PASSWORD, loginAgent, refuseOnPortal, residentWithContract, sendToTuteurInPerson, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { checkConsolePage, ConsoleHarness, startConsoleHarness } from './console-harness';

/**
 * The console's request page for a request that ended — refused, expired — says what happened to
 * each signer: who refused « A refusé de signer le … », the others « Non signé — demande refusée
 * par … le … » / « Non signé — demande expirée le … » (« Non contresigné » for the establishment),
 * never « En attente de l’envoi », « … pas encore signé » nor « Contresignature attendue » (a
 * director read an expired request's signers as still awaited). axe, one h1, 320 px.
 */
describe('console: the signers of an ended request', () => {
  let h: ConsoleHarness;
  let worker: WorkerHandle;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  const ds = () => h.app.get(DataSource);
  beforeAll(async () => {
    h = await startConsoleHarness();
    worker = await startWorker(h.db.config, { probe: false });
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  const cards = async (documentId: string, name: string) => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.director.email);
    await page.goto(`/console/documents/${documentId}`);
    const states = await page.locator('.signer-card').evaluateAll((cs) => cs.map((c) => [c.querySelector('h4')!.textContent!.trim(), c.querySelector('.signer-state')!.textContent!.trim()]));
    const title = (await page.title()).replace(/ — CarePact$/, '');
    await checkConsolePage(page, title);
    const section = page.locator('section[data-request-id]').first();
    await section.screenshot({ path: `${shots}/console-request-${name}-1280.png` });
    await page.setViewportSize({ width: 320, height: 640 });
    await section.screenshot({ path: `${shots}/console-request-${name}-320.png` });
    expect(page.problems).toEqual([]);
    await page.context().close();
    return states as [string, string][];
  };

  it('refused by the tuteur: « A refusé de signer le … », the others « Non signé — demande refusée par … »', async () => {
    const admissions = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    const { documentId } = await residentWithContract(admissions, h.org.establishmentId, { lastName: 'Refusée', ready: true });
    const sent = await sendToTuteurInPerson(admissions, h.url, documentId);
    await refuseOnPortal(h.url, sent.link, { reason: 'Le tarif ne correspond pas.' });
    await waitUntil('the refusal', async () => (await h.count(`SELECT count(*) AS n FROM signature_requests WHERE id = $1 AND status = 'refused'`, [sent.requestId])) === 1);
    const states = await cards(documentId, 'refused');
    const text = states.map(([, s]) => s).join('\n');
    expect(text).not.toMatch(/En attente|pas encore|attendue/);
    const refuser = states.find(([, s]) => s.startsWith('A refusé de signer le '));
    expect(refuser).toBeDefined();
    for (const [who, s] of states.filter((x) => x !== refuser)) expect(`${who}: ${s}`).toMatch(new RegExp(`^${who}: Non (contre)?signé — demande refusée par ${refuser![0]} le \\d{1,2}(er)? \\S+ \\d{4}`));
  }, 180_000);

  it('expired: « Non signé — demande expirée le … » with how far each had gone', async () => {
    const admissions = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    const { documentId } = await residentWithContract(admissions, h.org.establishmentId, { lastName: 'Expirée', ready: true });
    const sent = await sendToTuteurInPerson(admissions, h.url, documentId);
    await ds().query(`UPDATE signature_requests SET deadline = now() - interval '1 minute' WHERE id = $1`, [sent.requestId]);
    await ds().query(`UPDATE outbox SET available_at = now() - interval '1 second' WHERE job_name = 'signing.expire' AND payload->>'requestId' = $1`, [sent.requestId]);
    await waitUntil('the expiry', async () => (await h.count(`SELECT count(*) AS n FROM signature_requests WHERE id = $1 AND status = 'expired'`, [sent.requestId])) === 1, 60_000);
    const states = await cards(documentId, 'expired');
    expect(states.map(([, s]) => s).join('\n')).not.toMatch(/En attente|pas encore|attendue/);
    for (const [, s] of states) expect(s).toMatch(/^Non (contre)?signé — demande expirée le \d{1,2}(er)? \S+ \d{4}/);
  }, 180_000);
});

import { Queue } from 'bullmq';
import { QUEUES } from '@carepact/queue';
import { TEST_PASSWORD, loginAgent, waitUntil } from '@carepact/testing';
import { ApiHarness, startApiHarness } from './api-harness';

/**
 * Issue 11 item 8: the queues are the platform's, shared by every organisation, and Bull Board shows
 * (and retries) every organisation's jobs. On a platform of several organisations an administrator
 * of one of them must not open it: only the operator's (QUEUE_BOARD_ORGANISATION).
 */
describe('Bull Board: only the platform operator when several organisations share it', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const board = async (email: string, path = '/console/admin/files') => (await loginAgent(h.app, email, TEST_PASSWORD)).get(path);

  it('two organisations, no operator named: each administrator gets a 403 page, and the board’s API too', async () => {
    for (const org of [h.orgA, h.orgB]) {
      const page = await board(org.users.administrator.email);
      expect(page.status).toBe(403);
      expect(page.text).toContain('réservées à l’organisation qui l’exploite');
      expect((await board(org.users.administrator.email, '/console/admin/files/api/queues')).status).toBe(403);
    }
  });

  it('QUEUE_BOARD_ORGANISATION names the operator: its administrator opens the board, the other organisation’s does not', async () => {
    h.db.config.queueBoard.operatorOrganisationId = h.orgA.organisationId;
    // The board's queues (their Redis connections) are closed with the HTTP server, also when it was
    // listened to and closed before (supertest, each request): left open, they kept jest's worker alive.
    const closed = jest.spyOn(Queue.prototype, 'close');
    try {
      const operator = await board(h.orgA.users.administrator.email);
      expect(operator.status).toBe(200);
      // The page is Bull Board's, with our accessibility repair (named icon buttons, key hint contrast).
      expect(operator.text).toContain('/static/queue-board-a11y.js');
      expect((await board(h.orgB.users.administrator.email)).status).toBe(403);
      // Another role of the operator's organisation: still refused.
      expect((await board(h.orgA.users.director.email)).status).toBe(403);
      await waitUntil('the board’s queues closed with the server', async () => closed.mock.calls.length >= QUEUES.length, 30_000);
    } finally {
      closed.mockRestore();
      h.db.config.queueBoard.operatorOrganisationId = null;
    }
  });
});

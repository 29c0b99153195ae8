import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { TransactionRunner, dataSourceOptions } from '@carepact/database';
import { OutboxEntity, OutboxService } from '@carepact/queue';
import { createTestDatabase, TestDatabase } from '@carepact/testing';
import { randomUUID } from 'node:crypto';

/** Every statement the DataSource sends, in order. */
class StatementLog extends AbstractLogger {
  readonly statements: string[] = [];
  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[]): void {
    if (level !== 'query') return;
    for (const m of Array.isArray(message) ? message : [message]) this.statements.push(String(m.message));
  }
}

/**
 * Issue 12 (CPU per document beside the render): a job's work runs once, in one transaction with the
 * outbox row marked done, and the row costs one statement — not a SELECT … FOR UPDATE before the
 * work and an UPDATE after it.
 */
describe('OutboxService.runOnce: the work once, the row marked done with it, in one statement', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let outbox: OutboxService;
  let tx: TransactionRunner;
  const log = new StatementLog(['query']);
  const organisationId = randomUUID();

  const enqueue = async (): Promise<string> => {
    const key = randomUUID();
    await tx.run((em) => outbox.enqueue(em, 'audit.checkpoint', { chainId: organisationId }, { key, organisationId }));
    const [{ id }] = (await ds.query(`SELECT id FROM outbox WHERE job_id LIKE '%' || $1`, [key])) as { id: string }[];
    return id;
  };
  const rowOf = async (id: string) => ((await ds.query(`SELECT done_at, last_error FROM outbox WHERE id = $1`, [id])) as { done_at: Date | null; last_error: string | null }[])[0];

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ ...dataSourceOptions(db.config, { as: 'app', entities: [OutboxEntity] }), logging: ['query'], logger: log });
    await ds.initialize();
    tx = new TransactionRunner(ds);
    outbox = new OutboxService(tx);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('sends START, one statement for the row, the work and COMMIT', async () => {
    const id = await enqueue();
    log.statements.length = 0;
    await outbox.runOnce(id, (em) => em.query('SELECT 1'));
    expect(log.statements).toHaveLength(4);
    expect(log.statements[0]).toBe('START TRANSACTION');
    expect(log.statements[1]).toMatch(/^UPDATE outbox SET done_at/);
    expect(log.statements.slice(2)).toEqual(['SELECT 1', 'COMMIT']);
  });

  it('hands the work its row, marks it done with the work, and runs it never again', async () => {
    const id = await enqueue();
    await ds.query(`UPDATE outbox SET last_error = 'une erreur passée' WHERE id = $1`, [id]);
    const seen: { organisationId: string | null; jobName: string; payload: Record<string, unknown> }[] = [];
    const first = await outbox.runOnce(id, async (_em, row) => {
      seen.push({ organisationId: row.organisationId, jobName: row.jobName, payload: row.payload });
      return 'fait';
    });
    expect(first).toEqual({ ran: true, result: 'fait' });
    expect(seen).toEqual([{ organisationId, jobName: 'audit.checkpoint', payload: { chainId: organisationId } }]);
    const done = await rowOf(id);
    expect(done.done_at).toBeInstanceOf(Date);
    expect(done.last_error).toBeNull();

    const again = await outbox.runOnce(id, async () => {
      seen.push({ organisationId: null, jobName: 'again', payload: {} });
      return 'encore';
    });
    expect(again).toEqual({ ran: false });
    expect(seen).toHaveLength(1);
    expect(await outbox.complete(id)).toBe(false);
    expect((await outbox.runOnce(randomUUID(), async () => 'absent')).ran).toBe(false);
  });

  it('leaves the row to do when the work fails: the mark rolls back with it', async () => {
    const id = await enqueue();
    await expect(outbox.runOnce(id, async () => Promise.reject(new Error('panne')))).rejects.toThrow('panne');
    expect((await rowOf(id)).done_at).toBeNull();
    expect(await outbox.complete(id)).toBe(true);
    expect((await rowOf(id)).done_at).toBeInstanceOf(Date);
  });

  it('a second delivery waiting for the row while the first works finds it done and skips it', async () => {
    const id = await enqueue();
    let release!: () => void;
    const holding = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const isStarted = new Promise<void>((r) => (started = r));
    const first = outbox.runOnce(id, async () => {
      started();
      await holding;
      return 1;
    });
    await isStarted;
    const second = outbox.runOnce(id, async () => 2);
    // The second statement waits for the first transaction's row lock; let it reach PostgreSQL first.
    await new Promise((r) => setTimeout(r, 200));
    release();
    expect(await first).toEqual({ ran: true, result: 1 });
    expect(await second).toEqual({ ran: false });
  });
});

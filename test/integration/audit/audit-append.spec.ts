import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AUDIT_ENTITIES, AuditService, AuditVerifier, eventHash } from '@carepact/audit';
import { TransactionRunner, dataSourceOptions } from '@carepact/database';
import { TestDatabase, createTestDatabase } from '@carepact/testing';

/**
 * Issue 12, item 4: an audit append is one statement, prepared once per connection; an event that
 * goes with no other write is its own transaction. The chain stays what it was: consecutive seqs,
 * times that never go back, hashes that verify, nothing left behind by a rolled-back append.
 */
describe('AuditService.append: one prepared statement', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let audit: AuditService;
  let tx: TransactionRunner;
  /** What node-postgres sends while `recording`: the statement's name when prepared, else its text. */
  const sent: string[] = [];
  let recording = false;
  /** Append statements sent and not yet answered, and the most there were at once. */
  let inFlight = 0;
  let mostInFlight = 0;
  const query = Client.prototype.query;
  const actor = { type: 'system' as const, id: 'test' };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource(dataSourceOptions(db.config, { as: 'app', poolSize: 1, entities: AUDIT_ENTITIES })).initialize();
    audit = new AuditService(db.config);
    tx = new TransactionRunner(ds);
    jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const q = args[0] as string | { name?: string; text: string };
      if (recording) sent.push(typeof q === 'string' ? q : (q.name ?? q.text));
      const result = (query as (...a: unknown[]) => unknown).apply(this, args);
      if (typeof q === 'object' && q.name === 'carepact_audit_append_1' && result instanceof Promise) {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        void result.finally(() => inFlight--).catch(() => undefined);
      }
      return result;
    } as typeof query);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await ds?.destroy();
    await db?.drop();
  });
  const record = async <T>(f: () => Promise<T>): Promise<T> => {
    sent.length = 0;
    recording = true;
    try {
      return await f();
    } finally {
      recording = false;
    }
  };

  it('in a transaction: START, the prepared append, COMMIT — and the connection keeps the statement prepared', async () => {
    const chainId = randomUUID();
    // The chain's first event also creates its head.
    await record(() => tx.run((em) => audit.append(em, { chainId, actor, action: 'test.first' })));
    expect(sent).toEqual(['START TRANSACTION', 'carepact_audit_append_1', 'carepact_audit_head_1', 'carepact_audit_append_1', 'COMMIT']);
    const second = await record(() => tx.run((em) => audit.append(em, { chainId, actor, action: 'test.second', payload: { n: 2 } })));
    expect(sent).toEqual(['START TRANSACTION', 'carepact_audit_append_1', 'COMMIT']);
    expect(second.seq).toBe(2);
    // Ids made later sort after (UUID v7): the primary key's index grows at its right end.
    expect(second.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const [{ id }] = (await ds.query(`SELECT id FROM audit_events WHERE chain_id = $1 AND seq = 2`, [chainId])) as { id: string }[];
    expect(id).toBe(second.id);
    // One connection in the pool: it is the one that appended.
    const prepared = (await ds.query(`SELECT name FROM pg_prepared_statements ORDER BY name`)) as { name: string }[];
    expect(prepared.map((p) => p.name)).toEqual(['carepact_audit_append_1', 'carepact_audit_head_1']);
  });

  it('appendAlone: one statement, committed by itself', async () => {
    const chainId = randomUUID();
    await audit.appendAlone(ds.manager, { chainId, actor, action: 'test.first' });
    const e = await record(() => audit.appendAlone(ds.manager, { chainId, actor, action: 'test.verified', subject: { type: 'document', id: 'd1' }, payload: { ok: true } }));
    expect(sent).toEqual(['carepact_audit_append_1']);
    const [row] = (await ds.query(`SELECT seq, hash, prev_hash FROM audit_events WHERE id = $1`, [e.id])) as { seq: string; hash: string; prev_hash: string }[];
    expect({ seq: Number(row.seq), hash: row.hash, prevHash: row.prev_hash }).toEqual({ seq: 2, hash: e.hash, prevHash: e.prevHash });
    const [head] = (await ds.query(`SELECT seq, hash, prev_hash FROM audit_chain_heads WHERE chain_id = $1`, [chainId])) as { seq: string; hash: string; prev_hash: string }[];
    expect(head).toEqual({ seq: '2', hash: e.hash, prev_hash: e.prevHash });
  });

  it('standalone appends of one process to one chain go one at a time, in the order they were made', async () => {
    const many = await new DataSource(dataSourceOptions(db.config, { as: 'app', poolSize: 8, entities: AUDIT_ENTITIES })).initialize();
    try {
      const chainId = randomUUID();
      await audit.appendAlone(many.manager, { chainId, actor, action: 'test.first' });
      mostInFlight = 0;
      const events = await Promise.all(Array.from({ length: 20 }, (_, i) => audit.appendAlone(many.manager, { chainId, actor, action: 'test.read', payload: { i } })));
      // Eight connections free, yet never two statements waiting on the chain head in PostgreSQL.
      expect(mostInFlight).toBe(1);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      // A failed append does not stop the next.
      await expect(audit.appendAlone(many.manager, { chainId, actor, action: 'test.bad', payload: { x: 'x'.repeat(300) } })).rejects.toThrow('too long');
      expect((await audit.appendAlone(many.manager, { chainId, actor, action: 'test.after' })).seq).toBe(22);
    } finally {
      await many.destroy();
    }
  });

  it('a rolled-back append leaves no event and does not move the head', async () => {
    const chainId = randomUUID();
    const first = await audit.appendAlone(ds.manager, { chainId, actor, action: 'test.first' });
    await expect(
      tx.run(async (em) => {
        await audit.append(em, { chainId, actor, action: 'test.lost' });
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    const next = await audit.appendAlone(ds.manager, { chainId, actor, action: 'test.next' });
    expect(next.seq).toBe(2);
    expect(next.prevHash).toBe(first.hash);
  });

  it('appends from concurrent transactions on one chain: consecutive seqs, times in order, a chain that verifies', async () => {
    const many = await new DataSource(dataSourceOptions(db.config, { as: 'app', poolSize: 8, entities: AUDIT_ENTITIES })).initialize();
    try {
      const chainId = randomUUID();
      const runner = new TransactionRunner(many);
      await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          for (let i = 0; i < 10; i++)
            await runner.run(async (em) => {
              await audit.append(em, { chainId, actor, action: 'test.concurrent', payload: { w, i } });
              // Holds the head's lock a little, so that the others wait for it and append on the row it leaves.
              await em.query(`SELECT pg_sleep(0.002)`);
            });
        }),
      );
      const rows = (await many.query(`SELECT * FROM audit_events WHERE chain_id = $1 ORDER BY seq`, [chainId])) as {
        seq: string;
        prev_hash: string;
        hash: string;
        actor_type: string;
        actor_id: string;
        action: string;
        subject_type: null;
        subject_id: null;
        payload: Record<string, unknown>;
        occurred_at: Date;
      }[];
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
      let prev = '0'.repeat(64);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        if (i > 0) expect(r.occurred_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1].occurred_at.getTime());
        expect(r.prev_hash).toBe(prev);
        const fields = { chainId, seq: i + 1, actorType: r.actor_type, actorId: r.actor_id, action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, payload: r.payload, occurredAt: r.occurred_at };
        expect(r.hash).toBe(eventHash(prev, fields));
        prev = r.hash;
      }
      const report = await new AuditVerifier(db.config).verifyChain(many.manager, chainId);
      expect(report.events).toBe(80);
      expect(report.ok).toBe(true);
    } finally {
      await many.destroy();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { AUDIT_ENTITIES, AuditAppend, AuditService, AuditVerifier, GENESIS_HASH, eventHash } from '@carepact/audit';
import { TransactionRunner, dataSourceOptions } from '@carepact/database';
import { TestDatabase, createTestDatabase, runCli } from '@carepact/testing';

interface EventRow {
  seq: string;
  prev_hash: string;
  hash: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

/**
 * Issue 12: a new document's two audit events (`document.created`, `document_version.requested`)
 * are appended in ONE statement (AuditService.appendMany): the chain head is locked once and moves
 * by two. The chain it writes is, hash by hash, the one two single appends write, so audit:verify
 * and the chains already written are unchanged; one refused row leaves nothing.
 */
describe('AuditService.appendMany: several events of one chain in one statement', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let su: Client;
  let audit: AuditService;
  let tx: TransactionRunner;
  const sent: string[] = [];
  let recording = false;
  const query = Client.prototype.query;
  const actor = { type: 'staff' as const, id: randomUUID() };
  const created = (chainId: string, docId: string): AuditAppend => ({
    chainId,
    actor,
    action: 'document.created',
    subject: { type: 'document', id: docId },
    payload: { residentId: randomUUID(), type: 'contrat-sejour' },
  });
  const requested = (chainId: string, docId: string): AuditAppend => ({
    chainId,
    actor,
    action: 'document_version.requested',
    subject: { type: 'document_version', id: randomUUID() },
    // Keys that are also the envelope's (seq, occurredAt) and a text to escape: the body's slots are the top-level ones.
    payload: { documentId: docId, number: 1, seq: 'x', occurredAt: '"\u2028é', annexes: ['a', 'b'], inputHash: null },
  });
  const eventsOf = async (em: EntityManager | DataSource, chainId: string): Promise<EventRow[]> =>
    (await em.query(`SELECT * FROM audit_events WHERE chain_id = $1 ORDER BY seq`, [chainId])) as EventRow[];
  const headOf = async (chainId: string) =>
    (await su.query(`SELECT seq::int, hash, prev_hash, updated_at FROM audit_chain_heads WHERE chain_id = $1`, [chainId])).rows[0] as {
      seq: number;
      hash: string;
      prev_hash: string;
      updated_at: Date;
    };
  /** The whole chain re-hashed with eventHash (what audit:verify checks): consecutive seqs, each prev_hash the hash before. */
  const expectChainVerifies = (chainId: string, rows: EventRow[]) => {
    let prev = GENESIS_HASH;
    rows.forEach((r, i) => {
      expect(Number(r.seq)).toBe(i + 1);
      expect(r.prev_hash).toBe(prev);
      if (i > 0) expect(r.occurred_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1].occurred_at.getTime());
      const fields = { chainId, seq: i + 1, actorType: r.actor_type, actorId: r.actor_id, action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, payload: r.payload, occurredAt: r.occurred_at };
      expect(r.hash).toBe(eventHash(prev, fields));
      prev = r.hash;
    });
  };
  class Rollback extends Error {}
  /** Runs `f` in a transaction, returns what it read, and rolls the transaction back. */
  const andRollBack = async <T>(f: (em: EntityManager) => Promise<T>): Promise<T> => {
    let out: T | undefined;
    await expect(
      tx.run(async (em) => {
        out = await f(em);
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    return out as T;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource(dataSourceOptions(db.config, { as: 'app', poolSize: 2, entities: AUDIT_ENTITIES })).initialize();
    su = new Client({ connectionString: db.url });
    await su.connect();
    audit = new AuditService(db.config);
    tx = new TransactionRunner(ds);
    jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const q = args[0] as string | { name?: string; text: string };
      if (recording) sent.push(typeof q === 'string' ? q : (q.name ?? q.text));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query);
  }, 60000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await su?.end();
    await ds?.destroy();
    await db?.drop();
  });

  it('writes, hash by hash, the chain two single appends write for the same events — in one statement', async () => {
    const chainId = randomUUID();
    await tx.run((em) => audit.append(em, { chainId, actor, action: 'test.first' }));
    // The head's time a little ahead: both ways take it as the events' time (never before the previous event's), so they can be compared.
    await su.query(`UPDATE audit_chain_heads SET updated_at = date_trunc('milliseconds', now()) + interval '5 minutes' WHERE chain_id = $1`, [chainId]);
    const head = await headOf(chainId);
    const docId = randomUUID();
    const events = [created(chainId, docId), requested(chainId, docId)];

    sent.length = 0;
    recording = true;
    const many = await andRollBack(async (em) => ({ returned: await audit.appendMany(em, events), rows: await eventsOf(em, chainId) }));
    recording = false;
    // One statement for the two events: START, the append, the read, ROLLBACK.
    expect(sent.filter((s) => s.startsWith('carepact_audit'))).toEqual(['carepact_audit_append_many_2_1']);
    expect(await headOf(chainId)).toEqual(head);
    const singles = await andRollBack(async (em) => {
      for (const e of events) await audit.append(em, e);
      return eventsOf(em, chainId);
    });

    const key = (r: EventRow) => ({ seq: r.seq, prev_hash: r.prev_hash, hash: r.hash, occurred_at: r.occurred_at, action: r.action, payload: r.payload, subject_id: r.subject_id });
    expect(many.rows).toHaveLength(3);
    expect(many.rows.map(key)).toEqual(singles.map(key));
    expect(many.rows[2].occurred_at).toEqual(head.updated_at);
    expectChainVerifies(chainId, many.rows);
    // What appendMany returns is what it wrote, in the order given.
    expect(many.returned.map((e) => [e.seq, e.action, e.prevHash, e.hash, e.occurredAt.getTime()])).toEqual(
      many.rows.slice(1).map((r) => [Number(r.seq), r.action, r.prev_hash, r.hash, r.occurred_at.getTime()]),
    );
  });

  it('a chain mixing single appends and appendMany (a new chain included) verifies, with audit:verify too; the head is its last event', async () => {
    const chainId = randomUUID();
    // The chain's first events: appendMany creates its head.
    const first = await tx.run((em) => audit.appendMany(em, [created(chainId, 'd1'), requested(chainId, 'd1')]));
    expect(first.map((e) => [e.seq, e.prevHash === GENESIS_HASH])).toEqual([
      [1, true],
      [2, false],
    ]);
    await tx.run((em) => audit.append(em, { chainId, actor, action: 'test.between' }));
    await tx.run((em) => audit.appendMany(em, [created(chainId, 'd2'), requested(chainId, 'd2'), { chainId, actor, action: 'test.third' }]));
    await audit.appendAlone(ds.manager, { chainId, actor, action: 'test.alone' });
    await tx.run((em) => audit.appendMany(em, [created(chainId, 'd3'), requested(chainId, 'd3')]));
    const rows = await eventsOf(ds, chainId);
    expect(rows.map((r) => r.action)).toEqual([
      'document.created',
      'document_version.requested',
      'test.between',
      'document.created',
      'document_version.requested',
      'test.third',
      'test.alone',
      'document.created',
      'document_version.requested',
    ]);
    expectChainVerifies(chainId, rows);
    const last = rows.at(-1)!;
    expect(await headOf(chainId)).toMatchObject({ seq: 9, hash: last.hash, prev_hash: last.prev_hash });
    expect((await new AuditVerifier(db.config).verifyChain(ds.manager, chainId)).ok).toBe(true);
    const res = await runCli(db.config, ['audit:verify']);
    expect(res.stdout).toContain(`OK     chaîne ${chainId}`);
    expect(res.code).toBe(0);
  }, 60000);

  it('a row refused in the one statement: no event written, the head where it was, the next append follows the old head', async () => {
    const chainId = randomUUID();
    const before = await tx.run((em) => audit.append(em, { chainId, actor, action: 'test.first' }));
    const head = await headOf(chainId);
    await su.query(`CREATE FUNCTION test_refuse_many() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await su.query(`CREATE TRIGGER test_refuse_many BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.action = 'document_version.requested') EXECUTE FUNCTION test_refuse_many()`);
    try {
      await expect(tx.run((em) => audit.appendMany(em, [created(chainId, 'd'), requested(chainId, 'd')]))).rejects.toThrow('refused for the test');
    } finally {
      await su.query(`DROP TRIGGER IF EXISTS test_refuse_many ON audit_events`);
      await su.query(`DROP FUNCTION IF EXISTS test_refuse_many()`);
    }
    expect((await eventsOf(ds, chainId)).map((r) => r.action)).toEqual(['test.first']);
    expect(await headOf(chainId)).toEqual(head);
    const next = await tx.run((em) => audit.append(em, { chainId, actor, action: 'test.next' }));
    expect([next.seq, next.prevHash]).toEqual([2, before.hash]);
  });

  it('refuses events of two chains, and outside a transaction', async () => {
    await expect(tx.run((em) => audit.appendMany(em, [created(randomUUID(), 'd'), created(randomUUID(), 'd')]))).rejects.toThrow('events of one chain only');
    await expect(audit.appendMany(ds.manager, [created(randomUUID(), 'd')])).rejects.toThrow('inside a transaction');
  });

  it('transactions appending at once on 10 chains (bench:audit’s pattern), pairs and singles mixed: every chain gapless and verified', async () => {
    const many = await new DataSource(dataSourceOptions(db.config, { as: 'app', poolSize: 10, entities: AUDIT_ENTITIES })).initialize();
    try {
      const chains = Array.from({ length: 10 }, () => randomUUID());
      const runner = new TransactionRunner(many);
      await Promise.all(
        chains.flatMap((chainId) =>
          Array.from({ length: 4 }, async (_, w) => {
            for (let i = 0; i < 6; i++)
              await runner.run(async (em) => {
                if ((w + i) % 3 === 0) await audit.append(em, { chainId, actor, action: 'test.single', payload: { w, i } });
                else await audit.appendMany(em, [created(chainId, `${w}-${i}`), requested(chainId, `${w}-${i}`)]);
                // Holds the head's lock a little, so that the others wait for it and append on the row it leaves.
                await em.query(`SELECT pg_sleep(0.001)`);
              });
          }),
        ),
      );
      const verifier = new AuditVerifier(db.config);
      for (const chainId of chains) {
        const rows = await eventsOf(many, chainId);
        // 4 writers × 6 transactions: 8 single appends, 16 pairs.
        expect(rows).toHaveLength(8 + 16 * 2);
        expectChainVerifies(chainId, rows);
        // A pair's two events are consecutive.
        rows.forEach((r, i) => {
          if (r.action === 'document_version.requested') expect(rows[i - 1]).toMatchObject({ action: 'document.created', subject_id: r.payload.documentId });
        });
        expect((await verifier.verifyChain(many.manager, chainId)).ok).toBe(true);
      }
    } finally {
      await many.destroy();
    }
  }, 60000);
});

import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { GENESIS_HASH, RowStream, eventHash, pgRowStream, scanRange } from '@carepact/audit';
import { TestDatabase, createTestDatabase } from '@carepact/testing';

const EVENTS = 1000;
const WINDOW = 64;

/**
 * Issue 12, item 4: audit:verify reads a chain in flat memory. scanRange is given each row only
 * for its turn: here every row is revoked as soon as the next one arrives (and the last at the end
 * of its query), so a scan that kept rows — a window of them, as before — and read them later
 * would throw. It must still recompute every hash and name the first broken event.
 */
describe('scanRange streams a chain, keeping no row after its turn', () => {
  let db: TestDatabase;
  let su: Client;
  const chainId = randomUUID();
  const hashes: string[] = [];

  /** pgRowStream, each row handed out as a revocable proxy: the previous one is revoked when a row arrives. */
  const oneRowAtATime = (): RowStream => {
    const stream = pgRowStream(su);
    return <R extends unknown[]>(text: string, values: unknown[], onRow: (row: R) => void) => {
      let previous: { revoke(): void } | null = null;
      return stream<R>(text, values, (row) => {
        previous?.revoke();
        const p = Proxy.revocable(row, {});
        previous = p;
        onRow(p.proxy);
      }).finally(() => (previous as { revoke(): void } | null)?.revoke());
    };
  };
  const tamper = async (sql: string, params: unknown[]) => {
    await su.query('BEGIN');
    await su.query(`SET LOCAL session_replication_role = replica`); // the append-only triggers
    await su.query(sql, params);
    await su.query('COMMIT');
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    su = new Client({ connectionString: db.url, options: '-c TimeZone=UTC' });
    await su.connect();
    let prev = GENESIS_HASH;
    const rows: unknown[][] = [];
    for (let seq = 1; seq <= EVENTS; seq++) {
      const e = {
        chainId,
        seq,
        actorType: 'staff',
        actorId: seq % 3 ? `u${seq}` : null,
        action: 'document.created',
        subjectType: seq % 5 ? 'document' : null,
        subjectId: seq % 5 ? randomUUID() : null,
        payload: { n: seq, note: 'é"\\', list: [1, { b: 2, a: null }] },
        occurredAt: new Date(Date.UTC(2025, 0, 1) + seq * 1234),
      };
      const hash = eventHash(prev, e);
      hashes.push(hash);
      rows.push([seq, prev, hash, e.actorType, e.actorId, e.action, e.subjectType, e.subjectId, JSON.stringify(e.payload), e.occurredAt.toISOString()]);
      prev = hash;
    }
    const col = (i: number) => rows.map((r) => r[i]);
    await su.query(
      `INSERT INTO audit_events (chain_id, seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload, occurred_at)
       SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::jsonb[], $11::timestamptz[])`,
      [chainId, ...Array.from({ length: 10 }, (_, i) => col(i))],
    );
  }, 120_000);
  afterAll(async () => {
    await su?.end();
    await db?.drop();
  });

  it('an intact chain: every event hashed, one row at a time, across windows', async () => {
    const r = await scanRange(oneRowAtATime(), chainId, 1, Infinity, new Set([100, EVENTS]), WINDOW);
    expect(r).toEqual({
      count: EVENTS,
      first: { seq: 1, prevHash: GENESIS_HASH },
      last: { seq: EVENTS, hash: hashes[EVENTS - 1] },
      broken: null,
      signed: [
        [100, hashes[99]],
        [EVENTS, hashes[EVENTS - 1]],
      ],
    });
  });

  it('a range starting inside the chain, with a whole window missing: the gap is named', async () => {
    const saved = (await su.query(`SELECT * FROM audit_events WHERE chain_id = $1 AND seq >= 300 AND seq < 300 + $2`, [chainId, 2 * WINDOW])).rows as Record<string, unknown>[];
    await tamper(`DELETE FROM audit_events WHERE chain_id = $1 AND seq >= 300 AND seq < 300 + $2`, [chainId, 2 * WINDOW]);
    try {
      const r = await scanRange(oneRowAtATime(), chainId, 201, Infinity, new Set(), WINDOW);
      expect(r.first).toEqual({ seq: 201, prevHash: hashes[199] });
      expect(saved).toHaveLength(2 * WINDOW);
    expect(r.broken).toEqual({ reason: 'SEQ_GAP', seq: 300 + 2 * WINDOW, expectedSeq: 300 });
      expect(r.last).toEqual({ seq: 299, hash: hashes[298] });
      expect(r.count).toBe(EVENTS - 200 - 2 * WINDOW);
    } finally {
      for (const row of saved)
        await tamper(
          `INSERT INTO audit_events (id, chain_id, seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload, occurred_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
          [row.id, row.chain_id, row.seq, row.prev_hash, row.hash, row.actor_type, row.actor_id, row.action, row.subject_type, row.subject_id, JSON.stringify(row.payload), row.occurred_at],
        );
    }
  });

  it('an edited payload: the first broken event is named, the scan still counts every row', async () => {
    const [row] = (await su.query(`SELECT id, payload FROM audit_events WHERE chain_id = $1 AND seq = 777`, [chainId])).rows as { id: string; payload: unknown }[];
    await tamper(`UPDATE audit_events SET payload = jsonb_set(payload, '{n}', '778') WHERE id = $1`, [row.id]);
    try {
      const r = await scanRange(oneRowAtATime(), chainId, 1, Infinity, new Set(), WINDOW);
      expect(r.broken).toEqual({ reason: 'HASH_MISMATCH', seq: 777, expectedSeq: 777 });
      expect(r.last).toEqual({ seq: 776, hash: hashes[775] });
      expect(r.count).toBe(EVENTS);
    } finally {
      await tamper(`UPDATE audit_events SET payload = $2::jsonb WHERE id = $1`, [row.id, JSON.stringify(row.payload)]);
    }
  });

  it('a scan that keeps rows for later reads a revoked row and fails: the check can fail', async () => {
    const stream = oneRowAtATime();
    const kept: unknown[][] = [];
    await expect(stream<unknown[]>('SELECT seq, hash FROM audit_events WHERE chain_id = $1 AND seq <= 3 ORDER BY seq', [chainId], (r) => kept.push(r))).resolves.toBe(3);
    expect(() => kept[0][1]).toThrow(TypeError);
  });
});

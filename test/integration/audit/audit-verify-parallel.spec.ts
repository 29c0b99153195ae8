import { availableParallelism } from 'node:os';
import { Client } from 'pg';
import { AuditService } from '@carepact/audit';
import { TransactionRunner } from '@carepact/database';
import { runCli } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * Issue 12, item 4: audit:verify cuts a long chain into seq ranges verified by worker threads,
 * then joins them. Forced on a short chain (AUDIT_VERIFY_PARALLEL_MIN=1), its report must be the
 * single pass's, word for word, intact or tampered at and around the ranges' boundaries.
 */
describe('audit:verify in worker threads gives the single pass’s report', () => {
  let h: ApiHarness;
  let su: Client;
  let orgId: string;
  let boundary: number;
  const verify = async (parallel: boolean) => {
    const res = await runCli(h.db.config, ['audit:verify', '--chain', orgId, '--json'], parallel ? { AUDIT_VERIFY_PARALLEL_MIN: '1' } : { AUDIT_VERIFY_PARALLEL_MIN: '100000000' });
    return { code: res.code, report: JSON.parse(res.stdout) as { ok: boolean; chains: { events: number; firstBroken: unknown }[] } };
  };
  const tamper = async (sql: string, params: unknown[]) => {
    await su.query('BEGIN');
    await su.query(`SET LOCAL session_replication_role = replica`);
    await su.query(sql, params);
    await su.query('COMMIT');
  };
  const same = async () => {
    const [one, many] = [await verify(false), await verify(true)];
    expect(many).toEqual(one);
    return one;
  };

  beforeAll(async () => {
    h = await startApiHarness();
    orgId = h.orgA.organisationId;
    const audit = h.app.get(AuditService);
    const tx = h.app.get(TransactionRunner);
    for (let i = 0; i < 1200; i++)
      await tx.run((em) => audit.append(em, { chainId: orgId, actor: { type: 'system', id: null }, action: 'test.filler', payload: { n: i, s: ['a', 'é'] } }));
    su = new Client({ connectionString: h.db.url });
    await su.connect();
    const [{ max }] = (await su.query(`SELECT max(seq)::int AS max FROM audit_events WHERE chain_id = $1`, [orgId])).rows;
    // As the verifier cuts it: as many ranges as cores, 2 to 4.
    boundary = 1 + Math.ceil(max / Math.max(2, Math.min(4, availableParallelism())));
  }, 180_000);
  afterAll(async () => {
    await su?.end();
    await h?.close();
  });

  it('an intact chain: the same report, exit 0', async () => {
    const r = await same();
    expect(r.code).toBe(0);
    expect(r.report.chains[0].events).toBeGreaterThan(1200);
  });

  it.each([
    ['the first event of a range edited', 0, 'edit'],
    ['the last event before a range edited', -1, 'edit'],
    ['the first event of a range deleted', 0, 'delete'],
    ['an event inside a range deleted', 7, 'delete'],
    ['an event inside the first range edited', -300, 'edit'],
  ] as const)('%s: the same first broken event, exit 1', async (_label, offset, how) => {
    const seq = boundary + offset;
    const [row] = (await su.query(`SELECT * FROM audit_events WHERE chain_id = $1 AND seq = $2`, [orgId, seq])).rows;
    try {
      if (how === 'edit') await tamper(`UPDATE audit_events SET payload = '{"n": -1}' WHERE id = $1`, [row.id]);
      else await tamper(`DELETE FROM audit_events WHERE id = $1`, [row.id]);
      const r = await same();
      expect(r.code).toBe(1);
      expect(r.report.chains[0].firstBroken).toMatchObject({ seq, reason: how === 'edit' ? 'HASH_MISMATCH' : 'SEQ_GAP' });
    } finally {
      await tamper(`DELETE FROM audit_events WHERE id = $1`, [row.id]);
      await tamper(
        `INSERT INTO audit_events (id, chain_id, seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload, occurred_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
        [row.id, row.chain_id, row.seq, row.prev_hash, row.hash, row.actor_type, row.actor_id, row.action, row.subject_type, row.subject_id, JSON.stringify(row.payload), row.occurred_at],
      );
    }
  });
});

import { mkdtempSync, readFileSync, rmSync, appendFileSync, writeFileSync } from 'node:fs';
import { FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ANCHOR_FILE, AnchorDisagreementError, AuditAnchor, AuditService } from '@carepact/audit';
import { TransactionRunner } from '@carepact/database';
import { TEST_PASSWORD, loginAgent, runCli, waitUntil } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { startWorker } from '../../../apps/worker/src/bootstrap';
import { CheckpointScheduler } from '../../../apps/worker/src/checkpoint-scheduler';

const AUDIT_TABLES = ['audit_events', 'audit_chain_heads', 'audit_checkpoints', 'audit_platform_checkpoints'];
type Snapshot = Record<string, unknown[]>;

/**
 * Issue 7, item 15: audit history must not vanish unseen. The database owner (triggers disabled)
 * deletes the last events with the checkpoint above them, or a whole organisation's chain, or the
 * database is restored to an older state: `audit:verify` (with `--anchor` for the last) says so.
 */
describe('audit: chained checkpoints and the anchor outside the database', () => {
  let h: ApiHarness;
  let su: Client; // the database owner: the attacker with full access
  let anchorDir: string;
  let anchorFile: string;
  let orgA: string;
  let orgB: string;
  let clean: Snapshot;

  const verify = (...args: string[]) => runCli(h.db.config, ['audit:verify', ...args], { AUDIT_ANCHOR_DIR: anchorDir });
  const tx = () => h.app.get(TransactionRunner);
  const append = (chainId: string, n: number) =>
    tx().run(async (em) => {
      for (let i = 0; i < n; i++) await h.app.get(AuditService).append(em, { chainId, actor: { type: 'system', id: null }, action: 'test.event', payload: { i } });
    });
  const checkpoint = () => tx().run((em) => h.app.get(AuditService).checkpoint(em));
  const anchor = () => h.app.get(AuditAnchor);
  const tamper = async (sql: string, params: unknown[] = []) => {
    await su.query('BEGIN');
    await su.query(`SET LOCAL session_replication_role = replica`); // disables the append-only triggers
    await su.query(sql, params);
    await su.query('COMMIT');
  };
  const snapshot = async (): Promise<Snapshot> => {
    const s: Snapshot = {};
    for (const t of AUDIT_TABLES) s[t] = (await su.query(`SELECT * FROM ${t}`)).rows;
    return s;
  };
  /** Puts the audit tables back as they were: what restoring a backup of the database does to them. */
  const restore = async (s: Snapshot) => {
    await su.query('BEGIN');
    await su.query(`SET LOCAL session_replication_role = replica`);
    for (const t of AUDIT_TABLES) {
      await su.query(`DELETE FROM ${t}`);
      await su.query(`INSERT INTO ${t} SELECT * FROM json_populate_recordset(NULL::${t}, $1)`, [JSON.stringify(s[t])]);
    }
    await su.query('COMMIT');
  };
  const anchorLines = () =>
    readFileSync(anchorFile, 'utf8')
      .split('\n')
      .filter((l) => l)
      .map((l) => JSON.parse(l) as { seq: number; hash: string; prevHash: string; chains: number });

  beforeAll(async () => {
    anchorDir = mkdtempSync(join(tmpdir(), 'carepact-anchor-'));
    anchorFile = join(anchorDir, ANCHOR_FILE);
    h = await startApiHarness({ AUDIT_ANCHOR_DIR: anchorDir });
    orgA = h.orgA.organisationId;
    orgB = h.orgB.organisationId;
    su = new Client({ connectionString: h.db.url });
    await su.connect();
    clean = await snapshot();
  });
  afterAll(async () => {
    await su?.end();
    await h?.close();
    rmSync(anchorDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await restore(clean);
    rmSync(anchorFile, { force: true });
  });

  it('each checkpoint signs the previous one and the head of every chain; the anchor gets one fsynced JSON line per checkpoint; verify --anchor exits 0', async () => {
    await append(orgA, 3);
    const first = await checkpoint();
    expect(first).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), chains: 2, moved: 2 });
    expect(await checkpoint()).toBeNull(); // nothing moved: idempotent

    // Every write reaches the disk before sync() returns.
    const probe: FileHandle = await open(join(anchorDir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    // spyOn calls through: the real write and fsync happen, in this order, before sync() returns.
    const write = jest.spyOn(proto, 'write');
    const sync = jest.spyOn(proto, 'sync');
    let result;
    try {
      result = await anchor().sync();
      expect(write).toHaveBeenCalledTimes(1);
      expect(sync).toHaveBeenCalled();
      expect(Math.max(...sync.mock.invocationCallOrder)).toBeGreaterThan(write.mock.invocationCallOrder[0]);
    } finally {
      write.mockRestore();
      sync.mockRestore();
    }
    expect(result).toEqual({ file: anchorFile, appended: 1 });

    await append(orgB, 2);
    const second = await checkpoint();
    expect(second).toMatchObject({ seq: 2, prevHash: first!.hash, chains: 2, moved: 1 }); // A did not move, and is signed all the same
    expect((await anchor().sync()).appended).toBe(1);
    expect((await anchor().sync()).appended).toBe(0);

    const db = (await su.query(`SELECT seq, hash, prev_hash FROM audit_platform_checkpoints ORDER BY seq`)).rows;
    expect(anchorLines().map((l) => [l.seq, l.hash, l.prevHash])).toEqual(db.map((r) => [Number(r.seq), r.hash, r.prev_hash]));

    const res = await verify('--anchor', anchorFile);
    expect(res.stdout).toContain('OK     points de contrôle : 2 chaînés et signés');
    expect(res.stdout).toContain(`OK     ancre ${anchorFile} : 2 points de contrôle`);
    expect(res.code).toBe(0);
    // `--anchor` alone reads this installation's file (AUDIT_ANCHOR_DIR).
    expect((await verify('--anchor')).code).toBe(0);
  });

  it('deleting the last events of a chain, the checkpoint above them and rolling back the head is reported', async () => {
    await append(orgA, 5);
    await checkpoint();
    const events = (await su.query(`SELECT seq, hash FROM audit_events WHERE chain_id = $1 ORDER BY seq`, [orgA])).rows;
    const keep = events.length - 3;
    await append(orgB, 1);
    await checkpoint(); // a later checkpoint, as the worker writes when another organisation moves

    await tamper(`DELETE FROM audit_events WHERE chain_id = $1 AND seq > $2`, [orgA, keep]);
    await tamper(`DELETE FROM audit_checkpoints WHERE chain_id = $1 AND seq > $2`, [orgA, keep]);
    await tamper(`UPDATE audit_chain_heads SET seq = $2, hash = $3 WHERE chain_id = $1`, [orgA, keep, events[keep - 1].hash]);
    let res = await verify();
    expect(res.stdout).toContain('ROMPUE chaîne des points de contrôle : n° 1 [CHECKPOINT_SIGNATURE_INVALID]');
    expect(res.code).toBe(1);

    // The thorough attacker also deletes the platform checkpoint that signed them: the next one no longer follows.
    await tamper(`DELETE FROM audit_platform_checkpoints WHERE seq = 1`);
    await tamper(`DELETE FROM audit_checkpoints WHERE checkpoint_seq = 1`);
    res = await verify();
    expect(res.stdout).toContain('ROMPUE chaîne des points de contrôle : n° 1 [CHECKPOINT_CHAIN_BROKEN]');
    expect(res.code).toBe(1);

    // The organisation's auditor sees it too.
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    const api = await auditor.get('/api/audit/verify').expect(200);
    expect(api.body).toMatchObject({ chainId: orgA, ok: false, checkpointChain: { ok: false, firstBroken: { checkpointSeq: 1, reason: 'CHECKPOINT_CHAIN_BROKEN' } } });
  });

  it("deleting an organisation's whole chain is reported, naming the organisation", async () => {
    await checkpoint();
    await tamper(`DELETE FROM audit_events WHERE chain_id = $1`, [orgB]);
    await tamper(`DELETE FROM audit_chain_heads WHERE chain_id = $1`, [orgB]);
    let res = await verify();
    expect(res.stdout).toMatch(new RegExp(`ROMPUE chaîne ${orgB} : .*\\[ORGANISATION_CHAIN_MISSING\\]`));
    expect(res.code).toBe(1);

    // Its signed heads deleted too: the checkpoint that signed them no longer verifies, and the
    // organisation still exists without a chain.
    await tamper(`DELETE FROM audit_checkpoints WHERE chain_id = $1`, [orgB]);
    res = await verify();
    expect(res.stdout).toContain('[CHECKPOINT_SIGNATURE_INVALID]');
    expect(res.stdout).toMatch(new RegExp(`ROMPUE chaîne ${orgB} : .*\\[ORGANISATION_CHAIN_MISSING\\]`));
    expect(res.stdout).toContain(`OK     chaîne ${orgA}`);
    expect(res.code).toBe(1);
  });

  it('a database restored to an older state is visible with --anchor, naming the first checkpoint it lacks or that differs; the worker stops anchoring', async () => {
    await append(orgA, 2);
    await checkpoint();
    await anchor().sync();
    const backup = await snapshot();
    await append(orgA, 4);
    await checkpoint();
    await anchor().sync();

    await restore(backup);
    // The older database is consistent in itself: only the copy outside it shows what was lost.
    expect((await verify()).code).toBe(0);
    let res = await verify('--anchor', anchorFile);
    expect(res.stdout).toContain(`ROMPUE ancre ${anchorFile} : première divergence au point de contrôle n° 2 [CHECKPOINT_MISSING]`);
    expect(res.code).toBe(1);

    // Life goes on in the restored database: its checkpoint n° 2 is another one.
    await append(orgB, 1);
    await checkpoint();
    res = await verify('--anchor', anchorFile);
    expect(res.stdout).toContain('première divergence au point de contrôle n° 2 [CHECKPOINT_ANCHOR_MISMATCH]');
    expect(res.code).toBe(1);
    const before = readFileSync(anchorFile, 'utf8');
    await expect(anchor().sync()).rejects.toBeInstanceOf(AnchorDisagreementError);
    expect(readFileSync(anchorFile, 'utf8')).toBe(before);
  });

  it('a line torn by a crash mid-write is no claim: verify ignores it, the next sync cuts it and appends after', async () => {
    await append(orgA, 1);
    await checkpoint();
    await anchor().sync();
    appendFileSync(anchorFile, '{"seq":2,"hash":"ab');
    expect((await verify('--anchor', anchorFile)).code).toBe(0);
    await append(orgA, 1);
    await checkpoint();
    expect((await anchor().sync()).appended).toBe(1);
    expect(anchorLines().map((l) => l.seq)).toEqual([1, 2]);
    expect((await verify('--anchor', anchorFile)).code).toBe(0);

    writeFileSync(anchorFile, 'not json\n');
    const res = await verify('--anchor', anchorFile);
    expect(res.stdout).toContain("[ANCHOR_UNREADABLE] — La ligne 1 du fichier d'ancre est illisible.");
    expect(res.code).toBe(1);
  });

  it('the worker writes each checkpoint through the outbox and appends it to the anchor', async () => {
    await append(orgA, 1);
    const worker = await startWorker(h.db.config, { probe: false });
    try {
      expect(await worker.app.get(CheckpointScheduler).schedule()).toBe(1);
      await waitUntil('the checkpoint to be anchored', async () => anchorLines().length === 1, 20000);
      const [row] = (await su.query(`SELECT seq, hash FROM audit_platform_checkpoints`)).rows;
      expect(anchorLines()[0]).toMatchObject({ seq: Number(row.seq), hash: row.hash, chains: 2 });
      expect(await worker.app.get(CheckpointScheduler).schedule()).toBe(0); // nothing moved since
    } finally {
      await worker.close();
    }
  });
});

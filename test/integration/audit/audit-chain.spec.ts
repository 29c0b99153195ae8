import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditService } from '@carepact/audit';
import { TransactionRunner } from '@carepact/database';
import { TEST_PASSWORD, curatelleResident, loginAgent, runCli } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

interface Row {
  id: string;
  seq: string;
  payload: unknown;
  [k: string]: unknown;
}

/**
 * SECURITY-RELIABILITY.md, "Audit chain": editing, deleting, swapping rows (as superuser) and
 * truncating the tail are each detected; the application role cannot change audit rows.
 */
describe('audit chain', () => {
  let h: ApiHarness;
  let su: Client; // database superuser: the attacker with full access
  let orgId: string;

  const verify = async () => runCli(h.db.config, ['audit:verify']);
  const events = async (): Promise<Row[]> => (await su.query(`SELECT * FROM audit_events WHERE chain_id = $1 ORDER BY seq`, [orgId])).rows;
  const tamper = async (sql: string, params: unknown[] = []) => {
    await su.query('BEGIN');
    await su.query(`SET LOCAL session_replication_role = replica`); // disables the append-only triggers
    await su.query(sql, params);
    await su.query('COMMIT');
  };
  const restore = async (rows: Row[]) => {
    await tamper(`DELETE FROM audit_events WHERE chain_id = $1`, [orgId]);
    for (const r of rows)
      await tamper(
        `INSERT INTO audit_events (id, chain_id, seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload, occurred_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
        [r.id, r.chain_id, r.seq, r.prev_hash, r.hash, r.actor_type, r.actor_id, r.action, r.subject_type, r.subject_id, JSON.stringify(r.payload), r.occurred_at],
      );
  };
  let original: Row[];

  beforeAll(async () => {
    h = await startApiHarness();
    orgId = h.orgA.organisationId;
    const admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const r = await admin.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201);
    await admin.patch(`/api/residents/${r.body.id}`).send({ room: '114' }).expect(200);
    su = new Client({ connectionString: h.db.url });
    await su.connect();
    original = await events();
  });
  afterAll(async () => {
    await su?.end();
    await h?.close();
  });
  afterEach(async () => {
    await restore(original);
  });

  it('an untouched chain verifies: audit:verify exits 0', async () => {
    expect(original.length).toBeGreaterThan(10);
    const res = await verify();
    expect(res.stdout).toContain(`OK     chaîne ${orgId}`);
    expect(res.code).toBe(0);
  });

  it('editing a payload is detected and the event named', async () => {
    const target = original[6];
    await tamper(`UPDATE audit_events SET payload = '{"changedFields":["nothing"]}' WHERE id = $1`, [target.id]);
    const res = await verify();
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`premier événement rompu n° ${target.seq} (${target.id}) [HASH_MISMATCH]`);
  });

  it('deleting a row is detected at the missing sequence number', async () => {
    const target = original[4];
    await tamper(`DELETE FROM audit_events WHERE id = $1`, [target.id]);
    const res = await verify();
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`premier événement rompu n° ${target.seq}`);
    expect(res.stdout).toContain('[SEQ_GAP]');
  });

  it('swapping two rows is detected at the first of them', async () => {
    const [a, b] = [original[2], original[7]];
    await tamper(`UPDATE audit_events SET seq = -1 WHERE id = $1`, [a.id]);
    await tamper(`UPDATE audit_events SET seq = $2 WHERE id = $1`, [b.id, a.seq]);
    await tamper(`UPDATE audit_events SET seq = $2 WHERE id = $1`, [a.id, b.seq]);
    const res = await verify();
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`premier événement rompu n° ${a.seq} (${b.id})`);
  });

  it('truncating the tail (head row tidied too) is detected against the last signed checkpoint', async () => {
    const tx = h.app.get(TransactionRunner);
    const cp = await tx.run((em) => h.app.get(AuditService).checkpoint(em));
    expect(cp?.seq).toBe(1);
    const [row] = await su.query(`SELECT seq FROM audit_checkpoints WHERE chain_id = $1 AND checkpoint_seq = 1`, [orgId]).then((r) => r.rows);
    expect(Number(row.seq)).toBe(original.length);
    const keep = original.length - 3;
    await tamper(`DELETE FROM audit_events WHERE chain_id = $1 AND seq > $2`, [orgId, keep]);
    await tamper(`UPDATE audit_chain_heads SET seq = $2, hash = $3 WHERE chain_id = $1`, [orgId, keep, original[keep - 1].hash]);
    const res = await verify();
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`premier événement rompu n° ${keep + 1}`);
    expect(res.stdout).toContain('[TAIL_TRUNCATED]');
    await tamper(`UPDATE audit_chain_heads SET seq = $2, hash = $3 WHERE chain_id = $1`, [orgId, original.length, original[original.length - 1].hash]);
  });

  it('a forged checkpoint of one chain (wrong signature, as written before issue 7) is detected', async () => {
    await tamper(`INSERT INTO audit_checkpoints (chain_id, seq, hash, signature, created_at) VALUES ($1, 1, $2, $3, now())`, [orgId, original[0].hash, 'ab'.repeat(32)]);
    const res = await verify();
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('[CHECKPOINT_SIGNATURE_INVALID]');
    await tamper(`DELETE FROM audit_checkpoints WHERE chain_id = $1 AND seq = 1`, [orgId]);
  });

  it('the application role cannot UPDATE, DELETE or TRUNCATE audit rows (grants), nor can the owner (triggers)', async () => {
    const app = new Client({ connectionString: h.db.url, options: '-c role=carepact_app' });
    await app.connect();
    try {
      for (const sql of [
        `UPDATE audit_events SET action = 'x'`,
        `DELETE FROM audit_events`,
        `TRUNCATE audit_events`,
        `UPDATE audit_checkpoints SET seq = 0`,
        `DELETE FROM audit_checkpoints`,
        `TRUNCATE audit_checkpoints`,
      ]) {
        await expect(app.query(sql)).rejects.toMatchObject({ code: '42501' });
      }
      // Reading and appending are what the application does.
      await expect(app.query('SELECT count(*) FROM audit_events')).resolves.toBeTruthy();
    } finally {
      await app.end();
    }
    for (const sql of [`UPDATE audit_events SET action = 'x'`, `DELETE FROM audit_events`, `TRUNCATE audit_events`]) {
      await expect(su.query(sql)).rejects.toThrow(/append-only/);
    }
    expect(await events()).toHaveLength(original.length);
  });

  it('auditors verify at GET /api/audit/verify; reading the log is itself audited; other roles get 403', async () => {
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    const res = await auditor.get('/api/audit/verify').expect(200);
    expect(res.body).toMatchObject({ chainId: orgId, ok: true, firstBroken: null });
    const log = await auditor.get('/api/audit/events?limit=500').expect(200);
    expect(log.body.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['resident.created', 'measure.created', 'audit.verified']));
    const actions = ((await h.app.get(DataSource).query(`SELECT action FROM audit_events WHERE chain_id = $1 ORDER BY seq DESC LIMIT 2`, [orgId])) as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['audit.read', 'audit.verified']);
    const coordinator = await loginAgent(h.app, h.orgA.users.coordinator.email, TEST_PASSWORD);
    await coordinator.get('/api/audit/events').expect(403);
    await request(h.app.getHttpServer()).get('/api/audit/verify').expect(401);
    original = await events();
  });
});

import { Inject, Injectable } from '@nestjs/common';
import { addSpan, since, uuidv7 } from '@carepact/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { EntityManager } from 'typeorm';
import { AuditCheckpointEntity, AuditEventEntity, AuditPlatformCheckpointEntity } from './audit.entities';
import {
  GENESIS_HASH,
  SignedHead,
  checkpointSignature,
  eventBodyParts,
  eventHashFromParts,
  platformCheckpointBody,
  platformCheckpointHash,
  platformCheckpointSignature,
} from './audit-hash';

export type AuditActorType = 'staff' | 'signer' | 'system' | 'anonymous';
export interface AuditActor {
  type: AuditActorType;
  id: string | null;
}

/** An actor as the tables that name who did something store it (data_jobs.requested_by, legal_holds.placed_by…): « staff:<id> ». */
export function auditActorLabel(actor: AuditActor): string {
  return `${actor.type}:${actor.id ?? ''}`;
}
export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null };

/**
 * Payloads hold ids, hashes, counts and action names: never care details, tokens or codes.
 * The type keeps free-form objects out; values are short scalars or lists of them.
 */
export type AuditPayloadValue = string | number | boolean | null | string[];
export type AuditPayload = Record<string, AuditPayloadValue>;

export interface AuditAppend {
  chainId: string;
  actor: AuditActor;
  action: string;
  subject?: { type: string; id: string };
  payload?: AuditPayload;
}

const MAX_PAYLOAD_STRING = 256;

/** The node-postgres connection under a TypeORM query runner: named (prepared) statements are only reachable there. */
interface PgConnection {
  query<R>(statement: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

interface AppendedRow {
  id: string;
  seq: string;
  prev_hash: string;
  hash: string;
  occurred_at: Date;
}

/**
 * One audit append in one statement (issue 12, item 4), prepared once per connection under this
 * name. The UPDATE moves the chain's head — seq + 1, and the hash SHA-256(prev_hash ‖ body), the
 * canonical body built by the application (audit-hash.ts, `eventBodyParts`) around the two values
 * only the locked head knows, the time and the seq — and the INSERT writes the event from what it
 * returns. The time is the statement's, truncated to the millisecond as JavaScript keeps it, and
 * never before the previous event's: when the UPDATE waited for another append's lock, PostgreSQL
 * evaluates the SET again on the row that append left (READ COMMITTED), so seq and time stay in order.
 * No row when the chain has no head yet (HEAD_SQL creates it).
 */
const APPEND_STATEMENT = 'carepact_audit_append_1';
const APPEND_SQL = `WITH clock AS (SELECT date_trunc('milliseconds', clock_timestamp()) AS at),
head AS (
  UPDATE audit_chain_heads h
     SET seq = h.seq + 1,
         prev_hash = h.hash,
         updated_at = greatest(clock.at, h.updated_at),
         hash = encode(sha256(convert_to(
           h.hash || $8::text || to_char(greatest(clock.at, h.updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || $9::text || (h.seq + 1)::text || $10::text,
           'UTF8')), 'hex')
    FROM clock
   WHERE h.chain_id = $1::uuid
  RETURNING h.seq, h.prev_hash, h.hash, h.updated_at)
INSERT INTO audit_events (id, chain_id, seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload, occurred_at)
SELECT $11::uuid, $1::uuid, head.seq, head.prev_hash, head.hash, $2::text, $3::text, $4::text, $5::text, $6::text, $7::jsonb, head.updated_at FROM head
RETURNING id, seq, prev_hash, hash, occurred_at`;
/**
 * Several events of one chain in one statement (`appendMany`): the head moves by n — seq + 1 …
 * seq + n, each event's hash over the one before it, the same canonical body and the same time
 * for all (the statement's, never before the previous event's) — and the n events are inserted.
 * The bytes hashed are those of APPEND_SQL, event by event: the chain is the one n single appends
 * at that time would write. PostgreSQL 15 cannot return a row's old values from an UPDATE, and the
 * first event needs the head's hash before the move (its prev_hash): the head is read and locked
 * first (`FOR NO KEY UPDATE`, the UPDATE's own lock mode, waited for once; in READ COMMITTED the
 * latest version is the one returned), the hashes are computed from it, then the UPDATE writes
 * them. No row when the chain has no head yet. Prepared once per connection and per n.
 */
const MAX_APPEND_MANY = 16;
const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
function appendManySql(n: number): string {
  const p = (k: number, i: number) => `$${2 + k * 10 + i}`; // per event: actor type, actor id, action, subject type, subject id, payload, head, mid, tail, id
  const ctes = [
    `clock AS (SELECT date_trunc('milliseconds', clock_timestamp()) AS at)`,
    `old AS MATERIALIZED (SELECT h.seq, h.hash, h.updated_at FROM audit_chain_heads h WHERE h.chain_id = $1::uuid FOR NO KEY UPDATE)`,
    `at AS MATERIALIZED (SELECT x.at, to_char(x.at AT TIME ZONE 'UTC', ${ISO_MS}) AS iso FROM (SELECT greatest(clock.at, old.updated_at) AS at FROM clock, old) x)`,
  ];
  for (let k = 0; k < n; k++) {
    const prev = k === 0 ? 'old' : `e${k}`;
    ctes.push(
      `e${k + 1} AS MATERIALIZED (SELECT ${prev}.seq + 1 AS seq, ${prev}.hash AS prev_hash, encode(sha256(convert_to(
         ${prev}.hash || ${p(k, 6)}::text || at.iso || ${p(k, 7)}::text || (${prev}.seq + 1)::text || ${p(k, 8)}::text,
         'UTF8')), 'hex') AS hash FROM ${prev}, at)`,
    );
  }
  ctes.push(
    `head AS (UPDATE audit_chain_heads h SET seq = e${n}.seq, prev_hash = e${n}.prev_hash, hash = e${n}.hash, updated_at = at.at FROM e${n}, at WHERE h.chain_id = $1::uuid RETURNING h.seq)`,
  );
  const rows = Array.from(
    { length: n },
    (_, k) =>
      `SELECT ${p(k, 9)}::uuid, $1::uuid, e${k + 1}.seq, e${k + 1}.prev_hash, e${k + 1}.hash, ${p(k, 0)}::text, ${p(k, 1)}::text, ${p(k, 2)}::text, ${p(k, 3)}::text, ${p(k, 4)}::text, ${p(k, 5)}::jsonb, at.at FROM e${k + 1}, at, head`,
  );
  return `WITH ${ctes.join(',\n')}
INSERT INTO audit_events (id, chain_id, seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload, occurred_at)
${rows.join('\nUNION ALL ')}
RETURNING id, seq, prev_hash, hash, occurred_at`;
}
const appendManyStatements = new Map<number, { name: string; text: string }>();
function appendManyStatement(n: number): { name: string; text: string } {
  let s = appendManyStatements.get(n);
  if (!s) appendManyStatements.set(n, (s = { name: `carepact_audit_append_many_${n}_1`, text: appendManySql(n) }));
  return s;
}
const HEAD_STATEMENT = 'carepact_audit_head_1';
const HEAD_SQL = `INSERT INTO audit_chain_heads (chain_id, seq, hash, updated_at) VALUES ($1::uuid, 0, $2::text, date_trunc('milliseconds', now())) ON CONFLICT (chain_id) DO NOTHING`;
/** pg_advisory_xact_lock key serialising checkpoint writers (any constant unique to this use). */
const CHECKPOINT_LOCK = 7_150_001;

export interface PlatformCheckpoint {
  seq: number;
  prevHash: string;
  hash: string;
  /** Chain heads signed (every chain). */
  chains: number;
  /** Chains whose head moved since the previous checkpoint. */
  moved: number;
  signature: string;
  createdAt: Date;
}

@Injectable()
export class AuditService {
  /** Per chain, the end of this process's last standalone append (appendAlone). */
  private readonly aloneQueues = new Map<string, Promise<void>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * Appends one event in the caller's transaction: it commits (or not) with the state change.
   * One prepared statement (APPEND_SQL): the UPDATE of the chain head locks it until the commit, so
   * appends to one chain are serialised. The returned hash is re-computed here: a server that hashed
   * other bytes than `eventHash` would make the append fail, never a chain that does not verify.
   */
  async append(em: EntityManager, input: AuditAppend): Promise<AuditEventEntity> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('AuditService.append must run inside a transaction');
    return this.appendOn((await em.queryRunner.connect()) as PgConnection, input);
  }

  /**
   * Appends several events of one chain, in this order, in the caller's transaction and in ONE
   * statement (issue 12: a new document's `document.created` and `document_version.requested`): the
   * chain head is locked once and moves by n, the chain written is the one n `append`s would write
   * at that instant (same canonical bodies, consecutive seqs, each hash over the one before, one
   * time for all). All or nothing: a refused row leaves no event and the head where it was. Each
   * returned hash is re-computed here, as `append` does.
   */
  async appendMany(em: EntityManager, inputs: AuditAppend[]): Promise<AuditEventEntity[]> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('AuditService.appendMany must run inside a transaction');
    if (inputs.length === 0) return [];
    const chainId = inputs[0].chainId;
    if (inputs.some((i) => i.chainId !== chainId)) throw new Error('AuditService.appendMany: events of one chain only');
    if (inputs.length > MAX_APPEND_MANY) throw new Error(`AuditService.appendMany: at most ${MAX_APPEND_MANY} events`);
    const db = (await em.queryRunner.connect()) as PgConnection;
    if (inputs.length === 1) return [await this.appendOn(db, inputs[0])];
    const events = inputs.map((input) => {
      const payload = sanitizePayload(input.payload ?? {});
      const fields = {
        chainId,
        actorType: input.actor.type,
        actorId: input.actor.id,
        action: input.action,
        subjectType: input.subject?.type ?? null,
        subjectId: input.subject?.id ?? null,
        payload,
      };
      return { fields, parts: eventBodyParts(fields), id: uuidv7() };
    });
    const values: unknown[] = [chainId];
    for (const { fields: f, parts, id } of events)
      values.push(f.actorType, f.actorId, f.action, f.subjectType, f.subjectId, JSON.stringify(f.payload), parts.head, parts.mid, parts.tail, id);
    const statement = { ...appendManyStatement(inputs.length), values };
    const t0 = performance.now();
    let { rows } = await db.query<AppendedRow>(statement);
    if (rows.length === 0) {
      await db.query({ name: HEAD_STATEMENT, text: HEAD_SQL, values: [chainId, GENESIS_HASH] });
      ({ rows } = await db.query<AppendedRow>(statement));
    }
    addSpan('audit append (chain head lock wait included)', since(t0));
    if (rows.length !== events.length) throw new Error(`audit append: chain ${chainId} has no head`);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return events.map(({ fields, parts, id }, k) => {
      const row = byId.get(id);
      const seq = Number(row?.seq);
      const previous = k === 0 ? null : byId.get(events[k - 1].id);
      if (!row || (previous && (Number(previous.seq) + 1 !== seq || previous.hash !== row.prev_hash)))
        throw new Error(`audit append: the events of chain ${chainId} were not written one after the other`);
      if (eventHashFromParts(row.prev_hash, parts, seq, row.occurred_at) !== row.hash)
        throw new Error(`audit append: the database hashed event ${seq} of chain ${chainId} differently`);
      return Object.assign(new AuditEventEntity(), { ...fields, id, seq, occurredAt: row.occurred_at, prevHash: row.prev_hash, hash: row.hash });
    });
  }

  /**
   * Appends an event that goes with no other write (a verification, an export, a queue action):
   * the statement is its own transaction — one round trip instead of START, append, COMMIT.
   * `em` is any manager of the DataSource; a connection of its pool is used for the statement.
   *
   * This process's standalone appends to one chain go one after the other, in the order they were
   * called: a second statement sent meanwhile would only wait in PostgreSQL for the chain head's row
   * lock, and that wait costs CPU there (bench:audit, 4 at once per chain on this project's machine:
   * 507 → 923 µs of PostgreSQL CPU per append), where waiting here for a promise costs nothing.
   */
  appendAlone(em: EntityManager, input: AuditAppend): Promise<AuditEventEntity> {
    const run = () => this.appendAloneNow(em, input);
    const previous = this.aloneQueues.get(input.chainId);
    const appended = previous ? previous.then(run) : run();
    const settled = appended.then(
      () => undefined,
      () => undefined,
    );
    this.aloneQueues.set(input.chainId, settled);
    void settled.then(() => {
      if (this.aloneQueues.get(input.chainId) === settled) this.aloneQueues.delete(input.chainId);
    });
    return appended;
  }

  private async appendAloneNow(em: EntityManager, input: AuditAppend): Promise<AuditEventEntity> {
    const runner = em.connection.createQueryRunner();
    try {
      return await this.appendOn((await runner.connect()) as PgConnection, input);
    } finally {
      await runner.release();
    }
  }

  private async appendOn(db: PgConnection, input: AuditAppend): Promise<AuditEventEntity> {
    const payload = sanitizePayload(input.payload ?? {});
    const fields = {
      chainId: input.chainId,
      actorType: input.actor.type,
      actorId: input.actor.id,
      action: input.action,
      subjectType: input.subject?.type ?? null,
      subjectId: input.subject?.id ?? null,
      payload,
    };
    const parts = eventBodyParts(fields);
    const values = [fields.chainId, fields.actorType, fields.actorId, fields.action, fields.subjectType, fields.subjectId, JSON.stringify(payload), parts.head, parts.mid, parts.tail, uuidv7()];
    // bench:pipeline: the statement waits for the chain head lock, so this span includes that wait.
    const t0 = performance.now();
    let { rows } = await db.query<AppendedRow>({ name: APPEND_STATEMENT, text: APPEND_SQL, values });
    if (rows.length === 0) {
      // The chain's first event: its head starts at seq 0 (a concurrent first append may create it too).
      await db.query({ name: HEAD_STATEMENT, text: HEAD_SQL, values: [fields.chainId, GENESIS_HASH] });
      ({ rows } = await db.query<AppendedRow>({ name: APPEND_STATEMENT, text: APPEND_SQL, values }));
    }
    addSpan('audit append (chain head lock wait included)', since(t0));
    const [row] = rows;
    if (!row) throw new Error(`audit append: chain ${input.chainId} has no head`);
    const seq = Number(row.seq);
    if (eventHashFromParts(row.prev_hash, parts, seq, row.occurred_at) !== row.hash)
      throw new Error(`audit append: the database hashed event ${seq} of chain ${input.chainId} differently`);
    return Object.assign(new AuditEventEntity(), { ...fields, id: row.id, seq, occurredAt: row.occurred_at, prevHash: row.prev_hash, hash: row.hash });
  }

  /**
   * Writes the next platform checkpoint: its number, the previous checkpoint's hash and the head of
   * every chain, moved or not, signed together; one `audit_checkpoints` row per chain that moved.
   * Returns null when no head moved since the last one (idempotent under redelivery). A head that
   * went back or vanished is never signed: the last signed one is carried forward, so the loss
   * stays visible to `audit:verify`. The anchor file is written after the commit (AuditAnchor.sync).
   */
  async checkpoint(em: EntityManager): Promise<PlatformCheckpoint | null> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('AuditService.checkpoint must run inside a transaction');
    // One writer at a time across worker processes: each checkpoint chains onto the previous one.
    await em.query(`SELECT pg_advisory_xact_lock($1)`, [CHECKPOINT_LOCK]);
    const [last] = (await em.query(`SELECT seq, hash FROM audit_platform_checkpoints ORDER BY seq DESC LIMIT 1`)) as { seq: string; hash: string }[];
    const heads = await this.signedHeads(em);
    const current = (await em.query(`SELECT chain_id, seq, hash FROM audit_chain_heads WHERE seq > 0`)) as { chain_id: string; seq: string; hash: string }[];
    const moved: { chainId: string; seq: number; hash: string }[] = [];
    for (const h of current) {
      const signed = heads.get(h.chain_id);
      if (signed && Number(h.seq) <= signed.seq) continue;
      moved.push({ chainId: h.chain_id, seq: Number(h.seq), hash: h.hash });
      heads.set(h.chain_id, { seq: Number(h.seq), hash: h.hash });
    }
    if (moved.length === 0) return null;
    const seq = last ? Number(last.seq) + 1 : 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const createdAt = new Date();
    const body = platformCheckpointBody({ seq, prevHash, heads, createdAt });
    const secret = this.config.secrets.auditCheckpoint;
    const cp = { seq, prevHash, hash: platformCheckpointHash(body), chains: heads.size, signature: platformCheckpointSignature(secret, body), createdAt };
    await em.insert(AuditPlatformCheckpointEntity, cp);
    await em.insert(
      AuditCheckpointEntity,
      moved.map((m) => ({ ...m, signature: checkpointSignature(secret, { ...m, createdAt }), createdAt, checkpointSeq: seq })),
    );
    return { ...cp, moved: moved.length };
  }

  /**
   * The head of each chain as the latest platform checkpoint signed it: per chain, its last row
   * (a row is written only when the head moved forward, so the highest seq is the latest). The
   * chains are found by a skip scan of the (chain_id, seq) index: one probe per chain, not per row.
   */
  async signedHeads(em: EntityManager): Promise<Map<string, SignedHead>> {
    const rows = (await em.query(
      `WITH RECURSIVE chains AS (
         (SELECT chain_id FROM audit_checkpoints WHERE checkpoint_seq IS NOT NULL ORDER BY chain_id LIMIT 1)
         UNION ALL
         SELECT (SELECT c.chain_id FROM audit_checkpoints c WHERE c.checkpoint_seq IS NOT NULL AND c.chain_id > chains.chain_id ORDER BY c.chain_id LIMIT 1)
           FROM chains WHERE chains.chain_id IS NOT NULL
       )
       SELECT chains.chain_id, last.seq, last.hash FROM chains
        CROSS JOIN LATERAL (SELECT c.seq, c.hash FROM audit_checkpoints c
                             WHERE c.chain_id = chains.chain_id AND c.checkpoint_seq IS NOT NULL ORDER BY c.seq DESC LIMIT 1) last`,
    )) as { chain_id: string; seq: string; hash: string }[];
    return new Map(rows.map((r) => [r.chain_id, { seq: Number(r.seq), hash: r.hash }]));
  }

  // ---- reads for archive packages (libs/archive) ------------------------------------------------

  /** The chain (organisation) of the first event about this subject: where its creation was recorded. */
  async chainOfSubject(em: EntityManager, subjectType: string, subjectId: string): Promise<string | null> {
    const [row] = (await em.query(`SELECT chain_id FROM audit_events WHERE subject_type = $1 AND subject_id = $2 ORDER BY occurred_at LIMIT 1`, [
      subjectType,
      subjectId,
    ])) as { chain_id: string }[];
    return row?.chain_id ?? null;
  }

  /**
   * First and last seq of the chain's events concerning these ids (as subject, or named in the
   * payload as residentId / documentId), and of those that occurred in [from, to) when given.
   */
  async seqRange(em: EntityManager, chainId: string, ids: string[], period?: { from: Date; to: Date }): Promise<{ first: number; last: number } | null> {
    const [row] = (await em.query(
      `SELECT min(seq) AS first, max(seq) AS last FROM audit_events
        WHERE chain_id = $1 AND (subject_id = ANY($2) OR payload->>'documentId' = ANY($2) OR payload->>'residentId' = ANY($2)
              OR ($3::timestamptz IS NOT NULL AND occurred_at >= $3 AND occurred_at < $4))`,
      [chainId, ids, period?.from ?? null, period?.to ?? null],
    )) as { first: string | null; last: string | null }[];
    return row.first === null ? null : { first: Number(row.first), last: Number(row.last) };
  }

  /** Events of a chain with afterSeq < seq ≤ throughSeq, in order, at most `limit` (read in batches). */
  async eventsBetween(em: EntityManager, chainId: string, afterSeq: number, throughSeq: number, limit: number): Promise<AuditEventEntity[]> {
    return em
      .createQueryBuilder(AuditEventEntity, 'e')
      .where('e.chain_id = :chainId AND e.seq > :afterSeq AND e.seq <= :throughSeq', { chainId, afterSeq, throughSeq })
      .orderBy('e.seq', 'ASC')
      .take(limit)
      .getMany();
  }

  /** The chain's signed heads with fromSeq ≤ seq, in order, up to the first one at or after `throughSeq`. */
  async checkpointsCovering(em: EntityManager, chainId: string, fromSeq: number, throughSeq: number): Promise<AuditCheckpointEntity[]> {
    return em
      .createQueryBuilder(AuditCheckpointEntity, 'c')
      .where('c.chain_id = :chainId AND c.seq >= :fromSeq', { chainId, fromSeq })
      .andWhere('c.seq <= (SELECT min(x.seq) FROM audit_checkpoints x WHERE x.chain_id = :chainId AND x.seq >= :throughSeq)', { throughSeq })
      .orderBy('c.seq', 'ASC')
      .addOrderBy('c.created_at', 'ASC')
      .getMany();
  }

  async listChains(em: EntityManager): Promise<string[]> {
    const rows = (await em.query(
      `SELECT chain_id FROM audit_chain_heads UNION SELECT DISTINCT chain_id FROM audit_checkpoints ORDER BY 1`,
    )) as { chain_id: string }[];
    return rows.map((r) => r.chain_id);
  }
}

function sanitizePayload(payload: AuditPayload): AuditPayload {
  const out: AuditPayload = {};
  for (const [k, v] of Object.entries(payload)) {
    if (v === undefined) continue;
    if (typeof v === 'string' && v.length > MAX_PAYLOAD_STRING) throw new Error(`audit payload ${k}: too long`);
    if (Array.isArray(v) && v.some((x) => typeof x !== 'string' || x.length > MAX_PAYLOAD_STRING))
      throw new Error(`audit payload ${k}: only short strings in lists`);
    out[k] = v;
  }
  return out;
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { safeEqualHex } from '@carepact/common';
import { EntityManager } from 'typeorm';
import { GENESIS_HASH, SignedHead, checkpointSignature, eventHashOfRow, platformCheckpointBody, platformCheckpointHash, platformCheckpointSignature } from './audit-hash';

export type ChainBreakReason =
  | 'SEQ_GAP'
  | 'PREV_HASH_MISMATCH'
  | 'HASH_MISMATCH'
  | 'TAIL_TRUNCATED'
  | 'CHECKPOINT_MISMATCH'
  | 'CHECKPOINT_SIGNATURE_INVALID'
  /** An organisation (or a chain a checkpoint signed) has no events and no head left. */
  | 'ORGANISATION_CHAIN_MISSING';

/** Problems of the chain of platform checkpoints itself, or of its copy outside the database. */
export type CheckpointBreakReason =
  /** A checkpoint is missing between two others, or does not follow the previous one. */
  | 'CHECKPOINT_CHAIN_BROKEN'
  /** The checkpoint, recomputed from the heads stored for it, is not what this installation signed. */
  | 'CHECKPOINT_SIGNATURE_INVALID'
  /** The anchor file holds a checkpoint the database lacks (an older database restored, a deleted tail). */
  | 'CHECKPOINT_MISSING'
  /** The database holds another checkpoint under the same number as the anchor file. */
  | 'CHECKPOINT_ANCHOR_MISMATCH'
  | 'ANCHOR_UNREADABLE';

export interface CheckpointBreak {
  checkpointSeq: number;
  reason: CheckpointBreakReason;
  message: string;
}

export interface CheckpointChainReport {
  checkpoints: number;
  lastSeq: number;
  ok: boolean;
  firstBroken: CheckpointBreak | null;
}

export interface AnchorReport {
  file: string;
  /** Checkpoints listed in the file (a torn last line, left by a crash mid-write, is not counted). */
  lines: number;
  ok: boolean;
  firstBroken: CheckpointBreak | null;
}

export interface ChainBreak {
  seq: number;
  eventId: string | null;
  reason: ChainBreakReason;
  message: string;
}

export interface ChainReport {
  chainId: string;
  events: number;
  checkpoints: number;
  ok: boolean;
  firstBroken: ChainBreak | null;
}

/** One organisation's chain and the checkpoint chain that vouches for it (GET /api/audit/verify). */
export interface OrganisationReport extends ChainReport {
  checkpointChain: CheckpointChainReport;
}

export interface VerifyReport {
  ok: boolean;
  checkpointChain: CheckpointChainReport;
  chains: ChainReport[];
}

const BATCH = 5000;

/** One audit event as the verifier reads it: seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload, occurred_at (ISO text). */
type EventCells = [string, string, string, string, string | null, string, string | null, string | null, Record<string, unknown>, string];

/** The part of node-postgres's client the verifier uses (TypeORM's QueryRunner.connect() returns it). */
interface PgClient {
  query<R extends unknown[]>(q: { text: string; values: unknown[]; rowMode: 'array' }): Promise<{ rows: R[] }>;
}
const CHECKPOINT_BATCH = 500;

/**
 * Walks each chain, recomputes every hash and reports the first broken event; then checks every
 * signed checkpoint against the chain, which reveals a truncated tail. The chain of platform
 * checkpoints is checked link by link: deleting a checkpoint, or the head of one chain it signed,
 * breaks it. Only a copy outside the database (the anchor file) reveals a database restored whole
 * to an older state: see AuditAnchor.verify.
 */
@Injectable()
export class AuditVerifier {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async verifyAll(em: EntityManager, chainIds?: string[]): Promise<VerifyReport> {
    // Every organisation gets its first event in the transaction that creates it, so an
    // organisation without a chain lost it.
    const ids =
      chainIds ??
      ((await em.query(
        `SELECT chain_id FROM audit_chain_heads UNION SELECT chain_id FROM audit_events UNION SELECT chain_id FROM audit_checkpoints
         UNION SELECT id FROM organisations ORDER BY 1`,
      )) as { chain_id: string }[]).map((r) => r.chain_id);
    const checkpointChain = await this.verifyCheckpointChain(em);
    const chains: ChainReport[] = [];
    for (const id of ids) chains.push(await this.checkChain(em, id));
    return { ok: checkpointChain.ok && chains.every((c) => c.ok), checkpointChain, chains };
  }

  /** One organisation's chain, and the checkpoint chain (shared by every organisation). */
  async verifyChain(em: EntityManager, chainId: string): Promise<OrganisationReport> {
    const checkpointChain = await this.verifyCheckpointChain(em);
    const chain = await this.checkChain(em, chainId);
    return { ...chain, ok: chain.ok && checkpointChain.ok, checkpointChain };
  }

  /**
   * Recomputes each platform checkpoint from the heads stored for it (carrying forward the heads
   * that did not move), checks its signature and that it follows the previous one.
   */
  async verifyCheckpointChain(em: EntityManager): Promise<CheckpointChainReport> {
    const secret = this.config.secrets.auditCheckpoint;
    const heads = new Map<string, SignedHead>();
    let prev: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
    let count = 0;
    const broken = (checkpointSeq: number, reason: CheckpointBreakReason, message: string): CheckpointChainReport => ({
      checkpoints: count,
      lastSeq: prev.seq,
      ok: false,
      firstBroken: { checkpointSeq, reason, message },
    });
    for (;;) {
      const cps = (await em.query(
        `SELECT seq, prev_hash, hash, signature, created_at FROM audit_platform_checkpoints WHERE seq > $1 ORDER BY seq ASC LIMIT ${CHECKPOINT_BATCH}`,
        [prev.seq],
      )) as { seq: string; prev_hash: string; hash: string; signature: string; created_at: Date }[];
      if (cps.length === 0) break;
      const rows = (await em.query(
        `SELECT checkpoint_seq, chain_id, seq, hash FROM audit_checkpoints WHERE checkpoint_seq > $1 AND checkpoint_seq <= $2`,
        [prev.seq, cps[cps.length - 1].seq],
      )) as { checkpoint_seq: string; chain_id: string; seq: string; hash: string }[];
      const moved = new Map<number, typeof rows>();
      for (const r of rows) moved.set(Number(r.checkpoint_seq), [...(moved.get(Number(r.checkpoint_seq)) ?? []), r]);
      for (const cp of cps) {
        const seq = Number(cp.seq);
        if (seq !== prev.seq + 1)
          return broken(prev.seq + 1, 'CHECKPOINT_CHAIN_BROKEN', `Le point de contrôle n° ${prev.seq + 1} a été supprimé : le n° ${seq} suit le n° ${prev.seq}.`);
        if (cp.prev_hash !== prev.hash)
          return broken(seq, 'CHECKPOINT_CHAIN_BROKEN', `Le point de contrôle n° ${seq} ne suit pas le n° ${prev.seq}.`);
        for (const r of moved.get(seq) ?? []) heads.set(r.chain_id, { seq: Number(r.seq), hash: r.hash });
        const body = platformCheckpointBody({ seq, prevHash: cp.prev_hash, heads, createdAt: new Date(cp.created_at) });
        if (platformCheckpointHash(body) !== cp.hash || !safeEqualHex(platformCheckpointSignature(secret, body), cp.signature))
          return broken(
            seq,
            'CHECKPOINT_SIGNATURE_INVALID',
            `Le point de contrôle n° ${seq} ne correspond pas à sa signature : une tête de chaîne qu'il atteste a été supprimée ou modifiée, ou il n'a pas été signé par cette installation.`,
          );
        prev = { seq, hash: cp.hash };
        count++;
      }
    }
    const [orphan] = (await em.query(`SELECT checkpoint_seq FROM audit_checkpoints WHERE checkpoint_seq > $1 ORDER BY checkpoint_seq LIMIT 1`, [prev.seq])) as {
      checkpoint_seq: string;
    }[];
    if (orphan)
      return broken(
        Number(orphan.checkpoint_seq),
        'CHECKPOINT_CHAIN_BROKEN',
        `Le point de contrôle n° ${orphan.checkpoint_seq} a été supprimé : des têtes de chaîne qu'il signait sont encore là.`,
      );
    return { checkpoints: count, lastSeq: prev.seq, ok: true, firstBroken: null };
  }

  private async checkChain(em: EntityManager, chainId: string): Promise<ChainReport> {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let count = 0;
    // Streaming (issue 12, item 4): only the hashes a signed checkpoint names are kept, not one per
    // event (a 1,000,000-event chain held 657 MB that way).
    const checkpoints = (await em.query(
      `SELECT seq, hash, signature, created_at FROM audit_checkpoints WHERE chain_id = $1 ORDER BY seq ASC`,
      [chainId],
    )) as { seq: string; hash: string; signature: string; created_at: Date }[];
    const signedSeqs = new Set(checkpoints.map((c) => Number(c.seq)));
    const hashesBySeq = new Map<number, string>();
    let firstBroken: ChainBreak | null = null;
    let lastSeq = 0;
    // Issue 12, item 4 (1,000,000 events ≤ 10 s): rows as arrays on the connection's own client (no
    // object per row), the time as its ISO text (no Date parsed then formatted again), the id only
    // when an event is named, and the next window asked for before this one is hashed, so
    // PostgreSQL reads and sends it while this process hashes.
    const runner = em.queryRunner ?? em.connection.createQueryRunner();
    const client = (await runner.connect()) as PgClient;
    const window = (from: number) =>
      client.query<EventCells>({
        text: `SELECT seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload,
                      to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                 FROM audit_events WHERE chain_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq ASC`,
        values: [chainId, from, from + BATCH],
        rowMode: 'array',
      });
    const idOf = async (seq: number): Promise<string | null> => {
      const [row] = (await (runner.isReleased ? em : runner).query(`SELECT id FROM audit_events WHERE chain_id = $1 AND seq = $2 LIMIT 1`, [chainId, seq])) as { id: string }[];
      return row?.id ?? null;
    };
    try {
      // Windows of BATCH consecutive numbers (seq ≥ from AND seq < from + BATCH): each read is an index
      // range whatever the chain's length and the table's statistics (`seq >= $2 … LIMIT` was planned as
      // a scan of the whole rest of the chain plus a sort once the statistics were stale: quadratic).
      // An empty window (a gap) jumps to the next number present.
      let from = 1;
      let pending = window(from);
      for (;;) {
        const { rows } = await pending;
        if (rows.length === 0) {
          const [{ next }] = (await runner.query(`SELECT min(seq) AS next FROM audit_events WHERE chain_id = $1 AND seq >= $2`, [chainId, from + BATCH])) as { next: string | null }[];
          if (next === null) break;
          from = Number(next);
          pending = window(from);
          continue;
        }
        from += BATCH;
        pending = window(from);
        // Rows whose seq was moved below the cursor (a swap) are caught by the hash check below.
        for (const r of rows) {
          const seq = Number(r[0]);
          count++;
          if (firstBroken) continue;
          if (seq !== expectedSeq) {
            const id = await idOf(seq);
            firstBroken = { seq: expectedSeq, eventId: id, reason: 'SEQ_GAP', message: `Événement n° ${expectedSeq} manquant : la chaîne passe au n° ${seq} (${id}).` };
          } else if (r[1] !== prevHash) {
            const id = await idOf(seq);
            firstBroken = { seq, eventId: id, reason: 'PREV_HASH_MISMATCH', message: `L'événement n° ${seq} (${id}) ne suit pas l'événement précédent.` };
          } else if (eventHashOfRow(r[1], chainId, seq, r[3], r[4], r[5], r[6], r[7], r[8], r[9]) !== r[2]) {
            const id = await idOf(seq);
            firstBroken = { seq, eventId: id, reason: 'HASH_MISMATCH', message: `L'événement n° ${seq} (${id}) a été modifié après son enregistrement.` };
          }
          if (signedSeqs.has(seq)) hashesBySeq.set(seq, r[2]);
          prevHash = r[2];
          expectedSeq = seq + 1;
          lastSeq = seq;
        }
      }
      // A window asked for ahead is always awaited before the loop ends (the loop only stops on an empty answer).
    } finally {
      if (!em.queryRunner) await runner.release();
    }
    // Rows whose seq was moved below an earlier one are still counted.
    const [{ total }] = (await em.query(`SELECT count(*)::int AS total FROM audit_events WHERE chain_id = $1`, [
      chainId,
    ])) as { total: number }[];
    if (!firstBroken && total !== count) {
      firstBroken = {
        seq: 1,
        eventId: null,
        reason: 'SEQ_GAP',
        message: `La chaîne contient ${total} événements mais ${count} se suivent.`,
      };
    }

    const [head] = (await em.query(`SELECT seq FROM audit_chain_heads WHERE chain_id = $1`, [chainId])) as { seq: string }[];
    if (!firstBroken && count === 0 && !head) {
      const signed = checkpoints.length ? Math.max(...checkpoints.map((c) => Number(c.seq))) : 0;
      const [org] = (await em.query(`SELECT 1 FROM organisations WHERE id = $1`, [chainId])) as unknown[];
      if (signed > 0 || org)
        firstBroken = {
          seq: 1,
          eventId: null,
          reason: 'ORGANISATION_CHAIN_MISSING',
          message:
            signed > 0
              ? `La chaîne d'audit de l'organisation ${chainId} a disparu : un point de contrôle signé en attestait ${signed} événements, il n'en reste aucun.`
              : `L'organisation ${chainId} n'a plus aucun événement d'audit : sa chaîne a été supprimée.`,
        };
    }
    for (const cp of checkpoints) {
      if (firstBroken) break;
      const seq = Number(cp.seq);
      const expected = checkpointSignature(this.config.secrets.auditCheckpoint, {
        chainId,
        seq,
        hash: cp.hash,
        createdAt: new Date(cp.created_at),
      });
      if (!safeEqualHex(expected, cp.signature)) {
        firstBroken = {
          seq,
          eventId: null,
          reason: 'CHECKPOINT_SIGNATURE_INVALID',
          message: `Le point de contrôle n° ${seq} n'est pas signé par cette installation.`,
        };
        break;
      }
      if (seq > lastSeq) {
        firstBroken = {
          seq: lastSeq + 1,
          eventId: null,
          reason: 'TAIL_TRUNCATED',
          message: `La fin de la chaîne a été supprimée : le point de contrôle signé atteste ${seq} événements, il en reste ${lastSeq}. Premier événement manquant : n° ${lastSeq + 1}.`,
        };
        break;
      }
      const hash = hashesBySeq.get(seq);
      if (hash === undefined || hash !== cp.hash) {
        firstBroken = {
          seq,
          eventId: hash === undefined ? null : await idOf(seq),
          reason: 'CHECKPOINT_MISMATCH',
          message: `L'événement n° ${seq} ne correspond pas au point de contrôle signé.`,
        };
      }
    }
    if (!firstBroken) {
      if (head && Number(head.seq) > lastSeq) {
        firstBroken = {
          seq: lastSeq + 1,
          eventId: null,
          reason: 'TAIL_TRUNCATED',
          message: `La fin de la chaîne a été supprimée : la tête de chaîne indique ${head.seq} événements, il en reste ${lastSeq}.`,
        };
      }
    }
    return { chainId, events: count, checkpoints: checkpoints.length, ok: !firstBroken, firstBroken };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { safeEqualHex } from '@carepact/common';
import { EntityManager } from 'typeorm';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PgClient, RangeScan, pgRowStream, scanRange } from './audit-chain-scan';
import type { RangeJob } from './audit-verify-worker';
import { GENESIS_HASH, SignedHead, checkpointSignature, platformCheckpointBody, platformCheckpointHash, platformCheckpointSignature } from './audit-hash';

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

  /**
   * The chain's events as seq ranges, in order: one range read here, or — a chain of at least
   * AUDIT_VERIFY_PARALLEL_MIN events (default 100,000), from the compiled code — one range per
   * core (2 to 4): the first read here, each other by a worker thread on its own connection. Every
   * range streams its rows (scanRange): memory does not grow with the chain.
   */
  private async scanChain(em: EntityManager, chainId: string, signedSeqs: Set<number>): Promise<RangeScan[]> {
    const [{ max }] = (await em.query(`SELECT max(seq) AS max FROM audit_events WHERE chain_id = $1`, [chainId])) as { max: string | null }[];
    const highest = max === null ? 0 : Number(max);
    const workerFile = join(__dirname, 'audit-verify-worker.js');
    const parallel = highest >= parallelMin() && existsSync(workerFile) && __filename.endsWith('.js');
    const count = parallel ? Math.max(2, Math.min(4, availableParallelism())) : 1;
    const size = Math.ceil(highest / count);
    const range = (i: number) => ({ from: 1 + i * size, to: i === count - 1 ? Infinity : 1 + (i + 1) * size });
    // The workers start first: they load their modules and connect while this thread reads range 0.
    const others = Array.from({ length: count - 1 }, (_, i) =>
      runWorker(workerFile, { url: this.config.database.url, appRole: this.config.database.appRole, chainId, ...range(i + 1), signed: [...signedSeqs] }),
    );
    const runner = em.queryRunner ?? em.connection.createQueryRunner();
    try {
      const here = scanRange(pgRowStream((await runner.connect()) as PgClient), chainId, range(0).from, range(0).to, signedSeqs);
      // Every range settled before the connection goes back to the pool, even if one failed.
      const settled = await Promise.allSettled([here, ...others]);
      return settled.map((s) => {
        if (s.status === 'rejected') throw s.reason;
        return s.value;
      });
    } finally {
      if (!em.queryRunner) await runner.release();
    }
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
    const idOf = async (seq: number): Promise<string | null> => {
      const [row] = (await em.query(`SELECT id FROM audit_events WHERE chain_id = $1 AND seq = $2 LIMIT 1`, [chainId, seq])) as { id: string }[];
      return row?.id ?? null;
    };
    // Issue 12, item 4 (1,000,000 events ≤ 10 s): rows as arrays (no object per row), the time as its
    // ISO text, the id only for an event named, the next window asked for while this one is hashed
    // (audit-chain-scan.ts); a long chain is cut into seq ranges verified at once by worker threads,
    // each on its own connection, then joined in order here: the report is the one a single pass
    // would give (test/integration/audit/audit-verify-parallel.spec.ts).
    const ranges = await this.scanChain(em, chainId, signedSeqs);
    for (const r of ranges) {
      count += r.count;
      if (firstBroken || !r.first) continue;
      if (r.first.seq !== expectedSeq) {
        const id = await idOf(r.first.seq);
        firstBroken = { seq: expectedSeq, eventId: id, reason: 'SEQ_GAP', message: `Événement n° ${expectedSeq} manquant : la chaîne passe au n° ${r.first.seq} (${id}).` };
      } else if (r.first.prevHash !== prevHash) {
        const id = await idOf(r.first.seq);
        firstBroken = { seq: r.first.seq, eventId: id, reason: 'PREV_HASH_MISMATCH', message: `L'événement n° ${r.first.seq} (${id}) ne suit pas l'événement précédent.` };
      } else if (r.broken) {
        const b = r.broken;
        const id = await idOf(b.seq);
        firstBroken =
          b.reason === 'SEQ_GAP'
            ? { seq: b.expectedSeq, eventId: id, reason: 'SEQ_GAP', message: `Événement n° ${b.expectedSeq} manquant : la chaîne passe au n° ${b.seq} (${id}).` }
            : b.reason === 'PREV_HASH_MISMATCH'
              ? { seq: b.seq, eventId: id, reason: 'PREV_HASH_MISMATCH', message: `L'événement n° ${b.seq} (${id}) ne suit pas l'événement précédent.` }
              : { seq: b.seq, eventId: id, reason: 'HASH_MISMATCH', message: `L'événement n° ${b.seq} (${id}) a été modifié après son enregistrement.` };
      } else {
        for (const [seq, hash] of r.signed) hashesBySeq.set(seq, hash);
        prevHash = r.last!.hash;
        expectedSeq = r.last!.seq + 1;
        lastSeq = r.last!.seq;
      }
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

/**
 * Chains from this many events are verified by worker threads too (AUDIT_VERIFY_PARALLEL_MIN; tests
 * set it low). A worker costs ~0.15 s of CPU to start and ~20 MB; 100,000 events are ~0.5 s of
 * hashing per core, so from there the split pays, and the memory is the same for longer chains.
 */
function parallelMin(): number {
  const raw = Number(process.env.AUDIT_VERIFY_PARALLEL_MIN);
  return Number.isInteger(raw) && raw > 0 ? raw : 100_000;
}

function runWorker(file: string, job: RangeJob): Promise<RangeScan> {
  return new Promise((resolve, reject) => {
    // The rows die young (scanRange keeps none): a small nursery is enough, and keeps the thread's memory small.
    const worker = new Worker(file, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    worker.once('message', (m: { result?: RangeScan; error?: string }) => (m.result ? resolve(m.result) : reject(new Error(`audit:verify worker: ${m.error}`))));
    worker.once('error', reject);
    worker.once('exit', (code) => (code !== 0 ? reject(new Error(`audit:verify worker exited with ${code}`)) : undefined));
  });
}

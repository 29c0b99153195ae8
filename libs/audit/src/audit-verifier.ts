import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { safeEqualHex } from '@carepact/common';
import { EntityManager } from 'typeorm';
import { GENESIS_HASH, checkpointSignature, eventHash } from './audit-hash';

export type ChainBreakReason =
  | 'SEQ_GAP'
  | 'PREV_HASH_MISMATCH'
  | 'HASH_MISMATCH'
  | 'TAIL_TRUNCATED'
  | 'CHECKPOINT_MISMATCH'
  | 'CHECKPOINT_SIGNATURE_INVALID';

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

export interface VerifyReport {
  ok: boolean;
  chains: ChainReport[];
}

interface RawEvent {
  id: string;
  chain_id: string;
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

const BATCH = 2000;

/**
 * Walks each chain, recomputes every hash and reports the first broken event; then checks every
 * signed checkpoint against the chain, which reveals a truncated tail.
 */
@Injectable()
export class AuditVerifier {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async verifyAll(em: EntityManager, chainIds?: string[]): Promise<VerifyReport> {
    const ids =
      chainIds ??
      ((await em.query(
        `SELECT chain_id FROM audit_chain_heads UNION SELECT chain_id FROM audit_events UNION SELECT chain_id FROM audit_checkpoints ORDER BY 1`,
      )) as { chain_id: string }[]).map((r) => r.chain_id);
    const chains: ChainReport[] = [];
    for (const id of ids) chains.push(await this.verifyChain(em, id));
    return { ok: chains.every((c) => c.ok), chains };
  }

  async verifyChain(em: EntityManager, chainId: string): Promise<ChainReport> {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let count = 0;
    const hashesBySeq = new Map<number, { hash: string; id: string }>();
    let firstBroken: ChainBreak | null = null;
    let lastSeq = 0;
    for (;;) {
      const rows = (await em.query(
        `SELECT * FROM audit_events WHERE chain_id = $1 AND seq >= $2 ORDER BY seq ASC LIMIT ${BATCH}`,
        [chainId, expectedSeq],
      )) as RawEvent[];
      // Rows whose seq was moved below the cursor (a swap) are caught by the hash check below.
      for (const r of rows) {
        const seq = Number(r.seq);
        count++;
        if (!firstBroken && seq !== expectedSeq) {
          firstBroken = {
            seq: expectedSeq,
            eventId: r.id,
            reason: 'SEQ_GAP',
            message: `Événement n° ${expectedSeq} manquant : la chaîne passe au n° ${seq} (${r.id}).`,
          };
        }
        if (!firstBroken && r.prev_hash !== prevHash) {
          firstBroken = {
            seq,
            eventId: r.id,
            reason: 'PREV_HASH_MISMATCH',
            message: `L'événement n° ${seq} (${r.id}) ne suit pas l'événement précédent.`,
          };
        }
        const recomputed = eventHash(r.prev_hash, {
          chainId: r.chain_id,
          seq,
          actorType: r.actor_type,
          actorId: r.actor_id,
          action: r.action,
          subjectType: r.subject_type,
          subjectId: r.subject_id,
          payload: r.payload,
          occurredAt: new Date(r.occurred_at),
        });
        if (!firstBroken && recomputed !== r.hash) {
          firstBroken = {
            seq,
            eventId: r.id,
            reason: 'HASH_MISMATCH',
            message: `L'événement n° ${seq} (${r.id}) a été modifié après son enregistrement.`,
          };
        }
        hashesBySeq.set(seq, { hash: r.hash, id: r.id });
        prevHash = r.hash;
        expectedSeq = seq + 1;
        lastSeq = seq;
      }
      if (rows.length < BATCH) break;
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

    const checkpoints = (await em.query(
      `SELECT seq, hash, signature, created_at FROM audit_checkpoints WHERE chain_id = $1 ORDER BY seq ASC`,
      [chainId],
    )) as { seq: string; hash: string; signature: string; created_at: Date }[];
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
      const ev = hashesBySeq.get(seq);
      if (!ev || ev.hash !== cp.hash) {
        firstBroken = {
          seq,
          eventId: ev?.id ?? null,
          reason: 'CHECKPOINT_MISMATCH',
          message: `L'événement n° ${seq} ne correspond pas au point de contrôle signé.`,
        };
      }
    }
    if (!firstBroken) {
      const [head] = (await em.query(`SELECT seq FROM audit_chain_heads WHERE chain_id = $1`, [chainId])) as {
        seq: string;
      }[];
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

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { EntityManager } from 'typeorm';
import { AuditChainHeadEntity, AuditCheckpointEntity, AuditEventEntity } from './audit.entities';
import { GENESIS_HASH, checkpointSignature, eventHash } from './audit-hash';

export type AuditActorType = 'staff' | 'signer' | 'system' | 'anonymous';
export interface AuditActor {
  type: AuditActorType;
  id: string | null;
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

@Injectable()
export class AuditService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * Appends one event in the caller's transaction. The chain head row is locked FOR UPDATE, so
   * appends to one chain are serialised and the event commits (or not) with the state change.
   */
  async append(em: EntityManager, input: AuditAppend): Promise<AuditEventEntity> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('AuditService.append must run inside a transaction');
    const payload = sanitizePayload(input.payload ?? {});
    await em.query(
      `INSERT INTO audit_chain_heads (chain_id, seq, hash, updated_at) VALUES ($1, 0, $2, now()) ON CONFLICT (chain_id) DO NOTHING`,
      [input.chainId, GENESIS_HASH],
    );
    const [head] = (await em.query(`SELECT seq, hash FROM audit_chain_heads WHERE chain_id = $1 FOR UPDATE`, [
      input.chainId,
    ])) as { seq: string; hash: string }[];
    const seq = Number(head.seq) + 1;
    const occurredAt = new Date();
    const fields = {
      chainId: input.chainId,
      seq,
      actorType: input.actor.type,
      actorId: input.actor.id,
      action: input.action,
      subjectType: input.subject?.type ?? null,
      subjectId: input.subject?.id ?? null,
      payload,
      occurredAt,
    };
    const hash = eventHash(head.hash, fields);
    const event = em.create(AuditEventEntity, { ...fields, prevHash: head.hash, hash });
    await em.getRepository(AuditEventEntity).insert(event as never);
    await em.update(AuditChainHeadEntity, { chainId: input.chainId }, { seq, hash, updatedAt: occurredAt });
    return event;
  }

  /**
   * Signs the current head of a chain. Idempotent: a head already checkpointed is not signed
   * twice. Returns the checkpoint, or null when the chain is empty or unchanged.
   */
  async checkpoint(em: EntityManager, chainId: string): Promise<AuditCheckpointEntity | null> {
    const [head] = (await em.query(`SELECT seq, hash FROM audit_chain_heads WHERE chain_id = $1 FOR UPDATE`, [
      chainId,
    ])) as { seq: string; hash: string }[];
    if (!head || Number(head.seq) === 0) return null;
    const seq = Number(head.seq);
    const existing = await em.findOne(AuditCheckpointEntity, { where: { chainId, seq } });
    if (existing) return null;
    const createdAt = new Date();
    const signature = checkpointSignature(this.config.secrets.auditCheckpoint, { chainId, seq, hash: head.hash, createdAt });
    const cp = em.create(AuditCheckpointEntity, { chainId, seq, hash: head.hash, signature, createdAt });
    await em.insert(AuditCheckpointEntity, cp);
    return cp;
  }

  async listChains(em: EntityManager): Promise<string[]> {
    const rows = (await em.query(
      `SELECT chain_id FROM audit_chain_heads UNION SELECT DISTINCT chain_id FROM audit_checkpoints ORDER BY 1`,
    )) as { chain_id: string }[];
    return rows.map((r) => r.chain_id);
  }

  async listEvents(
    em: EntityManager,
    chainId: string,
    opts: { afterSeq?: number; limit?: number; subjectId?: string },
  ): Promise<AuditEventEntity[]> {
    const qb = em
      .createQueryBuilder(AuditEventEntity, 'e')
      .where('e.chain_id = :chainId', { chainId })
      .andWhere('e.seq > :after', { after: opts.afterSeq ?? 0 })
      .orderBy('e.seq', 'ASC')
      .take(Math.min(opts.limit ?? 100, 500));
    if (opts.subjectId) qb.andWhere('e.subject_id = :sid', { sid: opts.subjectId });
    return qb.getMany();
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

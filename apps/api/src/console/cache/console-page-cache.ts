import { Injectable } from '@nestjs/common';
import { auditChainStamp } from '@carepact/audit';
import { TransactionRunner } from '@carepact/database';
import type { StaffActor } from '@carepact/identity';
import { StampedCache } from './stamped-cache';

/**
 * Longest reuse of a cached page part whatever the stamp says: a change made outside the product
 * (an operator's SQL) shows within this delay.
 */
export const CONSOLE_CACHE_MAX_AGE_MS = 30_000;

/** Whom a page part is for: the organisation and the roles it was computed for (its scope). */
function scopeOf(actor: StaffActor): string {
  return `${actor.organisationId}|${actor.roles
    .map((r) => `${r.role}@${r.establishmentId}`)
    .sort()
    .join(',')}`;
}

/**
 * Page parts that cost a lot to compute and are the same for everyone with the same roles (the
 * « À faire » worklist of 2,000 residents: ~80 ms of queries and rendering), kept until the
 * organisation's audit chain moves (auditChainStamp: one primary-key read per request). Each API
 * process has its own; the stamp is in PostgreSQL, so a change made through any process or the
 * worker is seen by all on their next request.
 */
@Injectable()
export class ConsolePageCache {
  private readonly parts = new StampedCache<string>(500, CONSOLE_CACHE_MAX_AGE_MS);

  constructor(private readonly tx: TransactionRunner) {}

  /** `part` names what is computed and whatever else it depends on (e.g. the day). */
  async get(actor: StaffActor, part: string, compute: () => Promise<string>): Promise<string> {
    const stamp = await auditChainStamp(this.tx.manager, actor.organisationId);
    return this.parts.get(`${part}|${scopeOf(actor)}`, stamp, compute);
  }

  get stats(): { hits: number; misses: number } {
    return { hits: this.parts.hits, misses: this.parts.misses };
  }
}

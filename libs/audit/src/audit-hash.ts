import { canonicalJson, hmacSha256Hex, sha256Hex } from '@carepact/common';

export const GENESIS_HASH = '0'.repeat(64);
/** Chain for events that belong to no organisation (a login with an unknown email). */
export const PLATFORM_CHAIN_ID = '00000000-0000-0000-0000-000000000000';

export interface HashedEventFields {
  chainId: string;
  seq: number;
  actorType: string;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

export function eventHash(prevHash: string, e: HashedEventFields): string {
  const body = canonicalJson({
    chainId: e.chainId,
    seq: e.seq,
    actorType: e.actorType,
    actorId: e.actorId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    payload: e.payload,
    occurredAt: e.occurredAt.toISOString(),
  });
  return sha256Hex(prevHash + body);
}

export function checkpointSignature(
  secret: string,
  c: { chainId: string; seq: number; hash: string; createdAt: Date },
): string {
  return hmacSha256Hex(
    secret,
    canonicalJson({ chainId: c.chainId, seq: c.seq, hash: c.hash, createdAt: c.createdAt.toISOString() }),
  );
}

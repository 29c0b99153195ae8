import { canonicalJson, hmacSha256Hex, sha256Hex } from '@carepact/common';
import * as crypto from 'node:crypto';

/**
 * One-shot SHA-256 (node ≥ 20.12: no Hash object per call; the verifier hashes a million events), else createHash.
 */
const oneShotSha256: (data: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (data) => (crypto as unknown as { hash(alg: string, data: string, enc: 'hex'): string }).hash('sha256', data, 'hex')
    : sha256Hex;

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

/** What an event's hash covers: every field but the hashes (the chain format: never change it). */
function hashedEnvelope(e: Omit<HashedEventFields, 'seq' | 'occurredAt'>, seq: number | string, occurredAt: string): Record<string, unknown> {
  return {
    chainId: e.chainId,
    seq,
    actorType: e.actorType,
    actorId: e.actorId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    payload: e.payload,
    occurredAt,
  };
}

export function eventHash(prevHash: string, e: HashedEventFields): string {
  return sha256Hex(prevHash + canonicalJson(hashedEnvelope(e, e.seq, e.occurredAt.toISOString())));
}

/** `eventHash` of one event read as a row; see eventRowHasher. */
export type RowHasher = (
  prevHash: string,
  seq: number,
  actorType: string,
  actorId: string | null,
  action: string,
  subjectType: string | null,
  subjectId: string | null,
  payload: Record<string, unknown>,
  occurredAtIso: string,
) => string;

/**
 * `eventHash` for the verifier's hot loop over one chain (issue 12, item 4): the same bytes — the
 * envelope's nine keys written in canonicalJson's sorted order, the payload through canonicalJson —
 * without the generic walk of the envelope, with the chain's part written once, and with
 * `occurredAt` already as its ISO string (read as text). audit-hash.spec.ts checks it equals `eventHash`.
 */
export function eventRowHasher(chainId: string): RowHasher {
  const chainPart = ',"chainId":' + JSON.stringify(chainId) + ',"occurredAt":';
  return (prevHash, seq, actorType, actorId, action, subjectType, subjectId, payload, occurredAtIso) =>
    oneShotSha256(
      prevHash +
        '{"action":' +
        JSON.stringify(action) +
        ',"actorId":' +
        JSON.stringify(actorId) +
        ',"actorType":' +
        JSON.stringify(actorType) +
        chainPart +
        JSON.stringify(occurredAtIso) +
        ',"payload":' +
        canonicalJson(payload) +
        ',"seq":' +
        JSON.stringify(seq) +
        ',"subjectId":' +
        JSON.stringify(subjectId) +
        ',"subjectType":' +
        JSON.stringify(subjectType) +
        '}',
    );
}

/** The placeholders as canonical JSON writes them (JSON.stringify escapes U+0001 and U+0002). */
const OCCURRED_AT_SLOT = '"occurredAt":"\\u0001"';
const SEQ_SLOT = '"seq":"\\u0002"';

/**
 * The canonical body of an event (what `eventHash` hashes after the previous hash) cut around the
 * two values only the locked chain head gives — the time and the seq — so the database can finish
 * it in one statement (AuditService, `APPEND_SQL`): body = head ‖ occurredAt ‖ mid ‖ seq ‖ tail.
 * `occurredAt` is the first key after four escaped strings, `seq` the last but two before two
 * escaped strings, so the slots found are the top-level ones even if the payload reuses the names.
 */
export function eventBodyParts(e: Omit<HashedEventFields, 'seq' | 'occurredAt'>): { head: string; mid: string; tail: string } {
  const body = canonicalJson(hashedEnvelope(e, '\u0002', '\u0001'));
  const a = body.indexOf(OCCURRED_AT_SLOT);
  const b = body.lastIndexOf(SEQ_SLOT);
  if (a < 0 || b < a) throw new Error('eventBodyParts: slots not found');
  return {
    head: body.slice(0, a) + '"occurredAt":"',
    mid: '"' + body.slice(a + OCCURRED_AT_SLOT.length, b) + '"seq":',
    tail: body.slice(b + SEQ_SLOT.length),
  };
}

/** `eventHash` from the parts: the same bytes as canonicalJson of the whole event. */
export function eventHashFromParts(prevHash: string, parts: { head: string; mid: string; tail: string }, seq: number, occurredAt: Date): string {
  return sha256Hex(prevHash + parts.head + occurredAt.toISOString() + parts.mid + String(seq) + parts.tail);
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

/** Head of one chain as a checkpoint signs it. */
export interface SignedHead {
  seq: number;
  hash: string;
}

/**
 * What a platform checkpoint signs: its number, the previous checkpoint's hash (GENESIS_HASH for
 * the first) and the head of every chain, moved or not. `hash` is SHA-256 of this body, the
 * signature an HMAC of it.
 */
export function platformCheckpointBody(c: { seq: number; prevHash: string; heads: Map<string, SignedHead>; createdAt: Date }): string {
  const heads: Record<string, [number, string]> = {};
  for (const [chainId, h] of c.heads) heads[chainId] = [h.seq, h.hash];
  return canonicalJson({ kind: 'carepact.audit.checkpoint.v2', seq: c.seq, prevHash: c.prevHash, heads, createdAt: c.createdAt.toISOString() });
}

export function platformCheckpointHash(body: string): string {
  return sha256Hex(body);
}

export function platformCheckpointSignature(secret: string, body: string): string {
  return hmacSha256Hex(secret, body);
}

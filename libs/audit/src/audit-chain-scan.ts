import { eventHashOfRow } from './audit-hash';

/** One audit event as the verifier reads it: seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload, occurred_at (ISO text). */
export type EventCells = [string, string, string, string, string | null, string, string | null, string | null, Record<string, unknown>, string];

/** Seq numbers per read: an index range of the (chain_id, seq) index. */
export const SCAN_WINDOW = 5000;

/** The columns, in EventCells' order; the time as the ISO text `eventHash` hashes (milliseconds, UTC). */
export const EVENT_CELLS_SQL = `SELECT seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload,
       to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  FROM audit_events WHERE chain_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq ASC`;

/** The part of node-postgres's client the scan uses (TypeORM's QueryRunner.connect() returns one too). */
export interface PgClient {
  query<R extends unknown[]>(q: { text: string; values: unknown[]; rowMode: 'array' }): Promise<{ rows: R[] }>;
}

/** What one seq range of a chain holds: enough for the caller to join ranges in order (see joinRanges). */
export interface RangeScan {
  count: number;
  /** The range's first event: its seq and prev_hash are checked against the previous range. */
  first: { seq: number; prevHash: string } | null;
  last: { seq: number; hash: string } | null;
  /** The first problem inside the range (its first event's seq and prev_hash excepted). */
  broken: { reason: 'SEQ_GAP' | 'PREV_HASH_MISMATCH' | 'HASH_MISMATCH'; seq: number; expectedSeq: number } | null;
  /** Hashes of the events a signed checkpoint names. */
  signed: [number, string][];
}

/**
 * Reads the events of `chainId` with from ≤ seq < to in windows of SCAN_WINDOW numbers (an empty
 * window, a gap, jumps to the next number present), asking for the next window before hashing
 * this one so that PostgreSQL reads and sends it meanwhile, and recomputes each hash.
 */
export async function scanRange(client: PgClient, chainId: string, from: number, to: number, signedSeqs: ReadonlySet<number>): Promise<RangeScan> {
  const out: RangeScan = { count: 0, first: null, last: null, broken: null, signed: [] };
  const windowEnd = (s: number) => Math.min(s + SCAN_WINDOW, to);
  const read = (s: number) => client.query<EventCells>({ text: EVENT_CELLS_SQL, values: [chainId, s, windowEnd(s)], rowMode: 'array' });
  let expectedSeq = 0;
  let prevHash = '';
  let start = from;
  if (start >= to) return out;
  let pending: Promise<{ rows: EventCells[] }> | null = read(start);
  while (pending) {
    const { rows }: { rows: EventCells[] } = await pending;
    const end = windowEnd(start);
    pending = null;
    if (rows.length === 0) {
      if (end >= to) break;
      const bounded = Number.isFinite(to);
      const { rows: next } = await client.query<[string | null]>({
        text: `SELECT min(seq) FROM audit_events WHERE chain_id = $1 AND seq >= $2${bounded ? ' AND seq < $3' : ''}`,
        values: bounded ? [chainId, end, to] : [chainId, end],
        rowMode: 'array',
      });
      if (next[0][0] === null) break;
      start = Number(next[0][0]);
      pending = read(start);
      continue;
    }
    start = end;
    if (start < to) pending = read(start);
    for (const r of rows) {
      out.count++;
      if (out.broken) continue;
      const seq = Number(r[0]);
      if (out.first === null) out.first = { seq, prevHash: r[1] };
      else if (seq !== expectedSeq) {
        out.broken = { reason: 'SEQ_GAP', seq, expectedSeq };
        continue;
      } else if (r[1] !== prevHash) {
        out.broken = { reason: 'PREV_HASH_MISMATCH', seq, expectedSeq };
        continue;
      }
      if (eventHashOfRow(r[1], chainId, seq, r[3], r[4], r[5], r[6], r[7], r[8], r[9]) !== r[2]) {
        out.broken = { reason: 'HASH_MISMATCH', seq, expectedSeq };
        continue;
      }
      if (signedSeqs.has(seq)) out.signed.push([seq, r[2]]);
      prevHash = r[2];
      expectedSeq = seq + 1;
      out.last = { seq, hash: r[2] };
    }
  }
  return out;
}

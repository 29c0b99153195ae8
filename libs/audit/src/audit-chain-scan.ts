import { Query, QueryArrayConfig } from 'pg';
import { eventRowHasher } from './audit-hash';

/** One audit event as the verifier reads it: seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload, occurred_at (ISO text). */
export type EventCells = [string, string, string, string, string | null, string, string | null, string | null, Record<string, unknown>, string];

/**
 * Seq numbers per query: an index range of the (chain_id, seq) index, so that PostgreSQL walks the
 * index in order instead of sorting a whole chain. The rows stream (see RowStream): memory does not
 * depend on this size.
 */
export const SCAN_WINDOW = 50_000;

/** The columns, in EventCells' order; the time as the ISO text `eventHash` hashes (milliseconds, UTC). */
export const EVENT_CELLS_SQL = `SELECT seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload,
       to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  FROM audit_events WHERE chain_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq ASC`;

/**
 * Runs one query and hands its rows, as arrays, to `onRow` one at a time as they arrive; resolves
 * with their number. A row is not to be kept after `onRow` returns: that is what keeps the memory
 * of a scan flat, whatever the chain's length.
 */
export type RowStream = <R extends unknown[]>(text: string, values: unknown[], onRow: (row: R) => void) => Promise<number>;

/** The part of node-postgres's client the scan uses (TypeORM's QueryRunner.connect() returns one too). */
export interface PgClient {
  query(q: Query): Query;
}

/**
 * RowStream over a node-postgres client: a `Query` with a 'row' listener, which node-postgres does
 * not accumulate; the socket is read no faster than the rows are handled, so at most one chunk of
 * it waits, while PostgreSQL fills the next.
 */
export function pgRowStream(client: PgClient): RowStream {
  return <R extends unknown[]>(text: string, values: unknown[], onRow: (row: R) => void) =>
    new Promise<number>((resolve, reject) => {
      // Query's declared constructor omits rowMode, which it honours.
      const config: QueryArrayConfig = { text, values, rowMode: 'array' };
      const q = new Query(config);
      let n = 0;
      let failed: unknown = null;
      q.on('row', (row: R) => {
        n++;
        if (failed === null)
          try {
            onRow(row);
          } catch (e) {
            failed = e;
          }
      });
      q.on('error', reject);
      q.on('end', () => (failed === null ? resolve(n) : reject(failed)));
      client.query(q);
    });
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
 * Reads the events of `chainId` with from ≤ seq < to in windows of `window` seq numbers (an empty
 * window, a gap, jumps to the next number present) and recomputes each hash as its row arrives:
 * no row is kept after its turn (issue 12, item 4: a 1,000,000-event chain in flat memory; the
 * windows of 5,000 rows held before cost more in garbage collection than the hashing itself).
 */
export async function scanRange(
  rows: RowStream,
  chainId: string,
  from: number,
  to: number,
  signedSeqs: ReadonlySet<number>,
  window = SCAN_WINDOW,
): Promise<RangeScan> {
  const out: RangeScan = { count: 0, first: null, last: null, broken: null, signed: [] };
  const hashOf = eventRowHasher(chainId);
  let expectedSeq = 0;
  let prevHash = '';
  let verified = false;
  const onRow = (r: EventCells) => {
    out.count++;
    if (out.broken) return;
    const seq = Number(r[0]);
    if (out.first === null) out.first = { seq, prevHash: r[1] };
    else if (seq !== expectedSeq) {
      out.broken = { reason: 'SEQ_GAP', seq, expectedSeq };
      return;
    } else if (r[1] !== prevHash) {
      out.broken = { reason: 'PREV_HASH_MISMATCH', seq, expectedSeq };
      return;
    }
    const hash = r[2];
    if (hashOf(r[1], seq, r[3], r[4], r[5], r[6], r[7], r[8], r[9]) !== hash) {
      out.broken = { reason: 'HASH_MISMATCH', seq, expectedSeq };
      return;
    }
    if (signedSeqs.has(seq)) out.signed.push([seq, hash]);
    prevHash = hash;
    expectedSeq = seq + 1;
    verified = true;
  };
  let start = from;
  while (start < to) {
    const end = Math.min(start + window, to);
    const n = await rows<EventCells>(EVENT_CELLS_SQL, [chainId, start, end], onRow);
    if (n > 0 || end >= to) {
      start = end;
      continue;
    }
    let next: string | null = null;
    const bounded = Number.isFinite(to);
    await rows<[string | null]>(
      `SELECT min(seq) FROM audit_events WHERE chain_id = $1 AND seq >= $2${bounded ? ' AND seq < $3' : ''}`,
      bounded ? [chainId, end, to] : [chainId, end],
      (r) => (next = r[0]),
    );
    if (next === null) break;
    start = Number(next);
  }
  // The last event whose hash was recomputed (every one up to the range's end if nothing broke).
  if (verified) out.last = { seq: expectedSeq - 1, hash: prevHash };
  return out;
}

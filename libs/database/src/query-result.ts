/**
 * Rows an `UPDATE … RETURNING` (or `DELETE … RETURNING`) changed. TypeORM's `query()` answers
 * UPDATE and DELETE with `[rows, rowCount]` but INSERT and SELECT with the rows alone: checking
 * `.length` on the raw result of an UPDATE is always 2, and a single-use guard built on it would
 * let every concurrent request through.
 */
export function returnedRows(res: unknown): unknown[] {
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number') return res[0] as unknown[];
  return Array.isArray(res) ? res : [];
}

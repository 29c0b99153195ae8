/**
 * A small in-process cache of computed values (rendered page parts), each valid while the change
 * stamp it was computed under has not moved (auditChainStamp: every state change is audited) and
 * for at most `maxAgeMs` — the bound on staleness should anything change a table outside the
 * product (an operator's SQL, a restore). Concurrent requests for the same key and stamp share one
 * computation (single flight), so a burst of page views costs one computation, not one per request
 * holding a database connection each. Least recently used entries go first beyond `maxEntries`.
 */
export class StampedCache<V> {
  private readonly entries = new Map<string, { stamp: string; at: number; value: Promise<V> }>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get(key: string, stamp: string, compute: () => Promise<V>): Promise<V> {
    const now = this.clock();
    const entry = this.entries.get(key);
    if (entry && entry.stamp === stamp && now - entry.at <= this.maxAgeMs) {
      // Most recently used last (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.hits++;
      return entry.value;
    }
    this.misses++;
    const value = compute();
    const fresh = { stamp, at: now, value };
    this.entries.delete(key);
    this.entries.set(key, fresh);
    // A failure is not remembered: the next request computes again.
    value.catch(() => {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * A bounded cache that keeps what keeps being used: two generations of at most `limit` entries.
 * New entries go to the young one; a hit in the old one moves the entry back to the young one;
 * when the young one is full it becomes the old one and the previous old one is dropped. A
 * template's own texts, read by every document, stay; a person's name or a version id, read by one
 * document, leaves after two generations. Before, render caches were cleared only at 10,000 to
 * 40,000 entries, so a long-running render thread's memory grew with every new name (issue 12:
 * worker memory flat over a bulk run, peak RSS ≤ 300 MB).
 */
export class GenerationalCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(readonly limit: number) {}

  get(key: K): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) {
      this.old.delete(key);
      this.set(key, o);
    }
    return o;
  }

  set(key: K, value: V): void {
    if (this.young.size >= this.limit) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  /** The values held now, young generation first (read-only: a read through here moves nothing). */
  *values(): IterableIterator<V> {
    yield* this.young.values();
    yield* this.old.values();
  }

  /** Entries held now (at most 2 × limit). */
  get size(): number {
    return this.young.size + this.old.size;
  }
}

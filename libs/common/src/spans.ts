import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

/**
 * Where the time goes, for the benches (bench:pipeline): named spans added up per process —
 * count, wall milliseconds and, for synchronous spans, CPU milliseconds. Off (one branch per
 * span) unless CAREPACT_SPANS_DIR names a directory; then the process writes its totals there,
 * as spans-<pid>.json, every second and when it exits. Never read by the application itself.
 * With them, heap-<pid>.json: each V8 isolate's heap as last seen (the main thread's at each
 * write, a render thread's with each of its results), for bench:bulk's memory by isolate.
 */
export interface SpanTotal {
  count: number;
  ms: number;
}

const dir = process.env.CAREPACT_SPANS_DIR;
const totals = new Map<string, SpanTotal>();
let flushing: NodeJS.Timeout | null = null;

/** One isolate's V8 heap, in bytes: committed (total_heap_size) and used, garbage included. */
export interface HeapGauge {
  committed: number;
  used: number;
}

const heaps = new Map<string, HeapGauge>();

/** This isolate's heap now (v8.getHeapStatistics: a few microseconds). */
export function heapGauge(): HeapGauge {
  const h = getHeapStatistics();
  return { committed: h.total_heap_size, used: h.used_heap_size };
}

/** Records an isolate's heap under `name` (the main thread records its own at each write); null forgets it (a thread that ended). */
export function setHeapGauge(name: string, gauge: HeapGauge | null): void {
  if (!dir) return;
  if (gauge) heaps.set(name, gauge);
  else heaps.delete(name);
}

export const spansEnabled = (): boolean => Boolean(dir);

function flush(): void {
  if (!dir || !isMainThread) return;
  try {
    writeFileSync(join(dir, `spans-${process.pid}.json`), JSON.stringify(Object.fromEntries(totals)));
    if (heaps.size) writeFileSync(join(dir, `heap-${process.pid}.json`), JSON.stringify({ main: heapGauge(), ...Object.fromEntries(heaps) }));
  } catch {
    /* a bench helper: never fails the process */
  }
}

/** Adds one occurrence of `name` that took `ms` milliseconds. */
export function addSpan(name: string, ms: number): void {
  if (!dir) return;
  const t = totals.get(name);
  if (t) {
    t.count++;
    t.ms += ms;
  } else totals.set(name, { count: 1, ms });
  if (!flushing && isMainThread) {
    flushing = setInterval(flush, 1000);
    flushing.unref();
    process.once('exit', flush);
  }
}

/** Runs `f`, adding its wall time to span `name` (nothing measured when spans are off). */
export async function timed<T>(name: string, f: () => Promise<T>): Promise<T> {
  if (!dir) return f();
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    addSpan(name, performance.now() - t0);
  }
}

/** Milliseconds since `t0` (performance.now()), for spans measured across callbacks. */
export const since = (t0: number): number => performance.now() - t0;

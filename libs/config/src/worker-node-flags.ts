/**
 * Node flags the worker process is started with (package.json `start:worker`, scripts/start.ts,
 * docker-compose.yml, the benches; test/unit/repo/worker-flags.spec.ts checks they agree).
 *
 * `--max-semi-space-size=4`: the main thread's young generation stays at 4 MB semi-spaces instead
 * of growing to 16 MB ones. That thread waits on PostgreSQL, Redis and the render threads and
 * allocates little; grown semi-spaces were 24 MB of resident memory kept for nothing. It is a
 * process-wide V8 flag (V8 cannot size the main thread alone at run time; a flag set from code is
 * undone when a thread starts): render threads keep their own 12 MB young generations (4 MB
 * semi-spaces, RenderPool's resourceLimits), which the flag does not shrink. Measured with
 * `bench:pipeline 500` on a quiet machine: worker peak RSS 301 → 253 MB, throughput and CPU per
 * document unchanged (issue 12: worker peak RSS ≤ 300 MB).
 *
 * `--heap-growing-percent=100`: after a full collection, a heap may grow to twice its live size
 * before the next one. V8 otherwise lets a heap whose limit is under 256 MB grow by only 1.3 times:
 * a render thread (64 MB limit, some 23 MB live) ran a full mark-compact every 3 to 4 bundles, and
 * the collections' background marking cost as much CPU as the worker's own bookkeeping. Measured
 * with 2 render threads × 300 bundles in one process (4 alternating runs, quiet machine): 97 → 57
 * mark-compacts, CPU per bundle (every thread, V8's helpers included) 55.9–61.2 → 49.1–52.2 ms,
 * peak RSS 193–198 → 212–217 MB. Also process-wide; the main thread's heap is small either way.
 *
 * `--interrupt-budget=540672` (8 times V8's default): a function is optimised after eight times as
 * much of its bytecode has run. V8 keeps a function's optimised code only while one of its closures
 * lives; a callback made per call (`rows.map((r) => …)` inside a function run once per document)
 * dies with the call, so after each full collection its next closure was optimised again —
 * 4 to 5 TurboFan compilations per bundle in steady state, on V8's helper threads. With the larger
 * budget only the really hot code is optimised again. 2 render threads × 400 bundles, 2 alternating
 * pairs: 1,738–1,981 → 617–655 compilations, process CPU per bundle 44.7–48.4 → 41.1–45.6 ms. The
 * hottest such callbacks were also rewritten as loops or methods (text layout, HTML, glossaries).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--heap-growing-percent=100', '--interrupt-budget=540672'];

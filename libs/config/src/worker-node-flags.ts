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
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

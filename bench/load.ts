import { existsSync, readFileSync } from 'node:fs';

/** The part of autocannon's API the benches use (it ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  /** Response bytes (headers and bodies). */
  throughput: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export interface LoadResult {
  result: AutocannonResult;
  latencies: number[];
  statuses: Map<number, number>;
}

/**
 * `connections` clients requesting `url` back to back for `seconds`; each request carries the next
 * cookie of `cookies` in turn (one session, or many staff sessions). Every response's latency and
 * status is kept.
 */
export function load(url: string, o: { connections: number; seconds: number; cookies: string[] }): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let turn = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: o.connections,
        duration: o.seconds,
        timeout: 10,
        ...(o.cookies.length === 1
          ? { headers: { cookie: o.cookies[0] } }
          : { requests: [{ setupRequest: (req: { headers?: Record<string, string> }) => ({ ...req, headers: { ...req.headers, cookie: o.cookies[turn++ % o.cookies.length] } }) }] }),
      },
      (err, result) => (err ? reject(err) : resolve({ result, latencies, statuses })),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
}

/** Errors of a run: transport errors, timeouts and non-2xx answers. */
export function loadErrors(r: LoadResult): number {
  return r.result.errors + r.result.timeouts + r.result.non2xx;
}

/**
 * CPU time a process used (user + system, ms), from /proc: on a machine shared with other work,
 * CPU per request compares two builds where latency cannot. Null where /proc is absent.
 */
export function cpuMs(pid: number | undefined): number | null {
  const file = `/proc/${pid}/stat`;
  if (!pid || !existsSync(file)) return null;
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';

/** Small helpers shared by the benchmark scripts (they print figures; they assert nothing). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function ms(n: number): string {
  return `${n.toFixed(1).padStart(7)} ms`;
}

export async function timeRuns(runs: number, warmup: number, f: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await f();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}

/**
 * Like timeRuns, with each run's CPU time (process.cpuUsage: user + system, every thread of the
 * process, so collection work is counted): a figure other processes on the machine barely move,
 * where wall time doubles when another job shares the core.
 */
export async function timeRunsCpu(runs: number, warmup: number, f: () => Promise<unknown>): Promise<{ wall: number[]; cpu: number[] }> {
  for (let i = 0; i < warmup; i++) await f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await f();
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall, cpu };
}

/** "goal … : met" or "not met", printed beside a figure (benches assert nothing and exit 0). */
export function goal(text: string, met: boolean): string {
  return `goal ${text}: ${met ? 'met' : 'NOT met'}`;
}

/** A CLI command as its own process: wall time, peak RSS (VmHWM polled from /proc), exit code, output. */
export async function peakRun(args: string[], env: NodeJS.ProcessEnv): Promise<{ seconds: number; peakMb: number; cpuSeconds: number; code: number; out: string }> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [join(projectRoot(), 'dist/apps/cli/src/main.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  let peak = 0;
  let cpuSeconds = 0;
  // VmHWM is the high-water mark: polling it until the end reads the peak. CPU (user + system) is
  // read the same way: the last reading, at most 50 ms before the end (wall time is noisy on a
  // shared machine, CPU time much less).
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      cpuSeconds = Math.max(cpuSeconds, procCpuSeconds(child.pid!));
    } catch {
      /* exited */
    }
  }, 50);
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));
  clearInterval(poll);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMb: peak, cpuSeconds, code, out };
}

/** User + system CPU seconds of a process so far (/proc/<pid>/stat, clock ticks of 1/100 s). */
export function procCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * A CLI command: `npm run cli -- <name> [args…]`. `run` returns the process exit code:
 * 0 success, 1 a check failed (e.g. audit:verify found a broken chain), 2 bad usage or input.
 * Messages for people are French; they go to stderr for errors, stdout for results.
 */
export interface CliCommand {
  name: string;
  /** One line of French help. */
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

/** Minimal `--key value` / `--flag` parser; unknown keys are reported by the command. */
export function parseArgs(args: string[]): { flags: Record<string, string | true>; positional: string[] } {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
      else if (i + 1 < args.length && !args[i + 1].startsWith('--')) flags[a.slice(2)] = args[++i];
      else flags[a.slice(2)] = true;
    } else positional.push(a);
  }
  return { flags, positional };
}

export class UsageError extends Error {}

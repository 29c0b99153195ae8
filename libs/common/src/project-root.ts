import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | null = null;

/**
 * The project's root (where templates/ lives), found from this file whether it runs compiled
 * (dist/libs/common/src) or from source (libs/common/src, under jest).
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'carepact') return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('project root not found');
    dir = up;
  }
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDatabase, createTestDatabase, runCli } from '@carepact/testing';

/**
 * Issue 12, item 4: audit:verify starts with the audit library only — the CLI loads a command's
 * module when it runs, and the command's Nest context holds the configuration, the database and
 * the audit module — instead of every library (~2,000 modules, 1.8 s of CPU, before a row).
 */
describe('audit:verify loads only what it needs', () => {
  let db: TestDatabase;
  let dir: string;
  const OTHER_LIBS = /\/libs\/(archive|identity|residents|rendering|documents|signing|templates)\//;

  /** Runs the CLI; returns its exit code and the compiled files of other libraries it had loaded at exit. */
  const loadedBy = async (args: string[]) => {
    const out = join(dir, `loaded-${args[0]}.json`);
    const preload = join(dir, 'preload.js');
    writeFileSync(
      preload,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache).filter((f) => ${OTHER_LIBS}.test(f)))));`,
    );
    const res = await runCli(db.config, args, { NODE_OPTIONS: `--require ${preload}` });
    return { code: res.code, others: JSON.parse(readFileSync(out, 'utf8')) as string[] };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'carepact-cli-startup-'));
  }, 60_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('audit:verify: no other library loaded, exit 0', async () => {
    const r = await loadedBy(['audit:verify']);
    expect(r.code).toBe(0);
    expect(r.others).toEqual([]);
  });

  it('the help, which lists every command, does load them: the check can fail', async () => {
    const r = await loadedBy(['help']);
    expect(r.code).toBe(0);
    expect(r.others.length).toBeGreaterThan(0);
  });
});

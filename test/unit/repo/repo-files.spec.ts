import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Issue 9, "Seed and lockfile": the repository's own files stay complete. */
const root = join(__dirname, '../../..');

describe('nest-cli.json', () => {
  it('lists every app and every lib, with its index as entry', () => {
    const nest = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')) as { projects: Record<string, { type: string; root: string; sourceRoot: string }> };
    for (const lib of readdirSync(join(root, 'libs'))) {
      expect({ lib, ...nest.projects[lib] }).toMatchObject({ lib, type: 'library', root: `libs/${lib}`, sourceRoot: `libs/${lib}/src` });
      expect(readdirSync(join(root, 'libs', lib, 'src'))).toContain('index.ts');
    }
    for (const app of readdirSync(join(root, 'apps'))) expect({ app, ...nest.projects[app] }).toMatchObject({ app, type: 'application', root: `apps/${app}` });
  });
});

describe('package-lock.json (scripts/check-lockfile.js, run by CI)', () => {
  const check = (file?: string) => spawnSync(process.execPath, [join(root, 'scripts/check-lockfile.js'), ...(file ? [file] : [])], { encoding: 'utf8' });

  it('every package of the lockfile has resolved and integrity', () => {
    const r = check();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the check fails, naming the package, when an entry lacks resolved or integrity', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
    delete lock.packages['node_modules/pg'].resolved;
    delete lock.packages['node_modules/ioredis'].integrity;
    const file = join(mkdtempSync(join(tmpdir(), 'carepact-lock-')), 'package-lock.json');
    writeFileSync(file, JSON.stringify(lock));
    const r = check(file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('node_modules/pg@');
    expect(r.stderr).toContain('no resolved');
    expect(r.stderr).toContain('node_modules/ioredis@');
    expect(r.stderr).toContain('no integrity');
  });

  it('complete-lockfile writes nothing new on a complete lockfile (offline: no registry call needed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'carepact-lock-'));
    const file = join(dir, 'package-lock.json');
    const before = readFileSync(join(root, 'package-lock.json'), 'utf8');
    writeFileSync(file, before);
    const out = execFileSync(process.execPath, [join(root, 'scripts/complete-lockfile.js'), file], { encoding: 'utf8' });
    expect(out).toContain('0 platform package(s) added, 0 tarball address(es) written, 0 resolved/integrity pair(s)');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('complete-lockfile gives an entry that has its integrity the registry tarball address npm would write', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
    const expected = lock.packages['node_modules/@nestjs/core'].resolved;
    delete lock.packages['node_modules/@nestjs/core'].resolved;
    delete lock.packages['node_modules/string-width-cjs'].resolved; // an alias: the tarball is string-width's
    const file = join(mkdtempSync(join(tmpdir(), 'carepact-lock-')), 'package-lock.json');
    writeFileSync(file, JSON.stringify(lock));
    execFileSync(process.execPath, [join(root, 'scripts/complete-lockfile.js'), file], { encoding: 'utf8' });
    const done = JSON.parse(readFileSync(file, 'utf8')) as typeof lock;
    expect(done.packages['node_modules/@nestjs/core'].resolved).toBe(expected);
    expect(expected).toMatch(/^https:\/\/registry\.npmjs\.org\/@nestjs\/core\/-\/core-[0-9.]+\.tgz$/);
    expect(done.packages['node_modules/string-width-cjs'].resolved).toMatch(/^https:\/\/registry\.npmjs\.org\/string-width\/-\/string-width-[0-9.]+\.tgz$/);
    expect(check(file).status).toBe(0);
  });
});

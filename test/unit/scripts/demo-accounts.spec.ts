import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';
import { demoAccountLines } from '../../../scripts/demo-accounts';

/** `npm start` printed 2 of the IME's 4 accounts (the newcomer): every account the seed creates is printed, once. */
describe('npm start: the demo accounts printed', () => {
  const fixture = (name: string) => join(projectRoot(), 'templates', 'demo', name);
  it.each(['establishment-les-tilleuls.json', 'establishment-ime-les-sources.json'])('%s: every account of the fixture, with its role in French', (name) => {
    const staff = (JSON.parse(readFileSync(fixture(name), 'utf8')) as { staff: { email: string }[] }).staff;
    const lines = demoAccountLines(fixture(name));
    expect(lines).toHaveLength(staff.length);
    for (const s of staff) expect(lines.filter((l) => l.includes(` ${s.email} `))).toHaveLength(1);
    for (const l of lines) expect(l).toMatch(/ (administrateur|admissions|coordination|direction|audit)$/);
  });
  it('the IME: coordination@ime-les-sources.example and admin@sources-du-val.example among them; npm start prints them from both fixtures', () => {
    const text = demoAccountLines(fixture('establishment-ime-les-sources.json')).join('\n');
    expect(text).toMatch(/coordination@ime-les-sources\.example \.+ coordination/);
    expect(text).toMatch(/admin@sources-du-val\.example \.+ administrateur/);
    const start = readFileSync(join(projectRoot(), 'scripts', 'start.ts'), 'utf8');
    expect(start).toContain("...demoAccountLines(join(root, 'templates', 'demo', 'establishment-ime-les-sources.json'))");
    expect(start).not.toContain("'  direction@ime-les-sources.example");
  });
});

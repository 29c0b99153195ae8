import { readFileSync } from 'node:fs';

/** The roles as `npm start` prints them (French, for people trying the demo). */
const ROLE_WORDS: Readonly<Record<string, string>> = {
  administrator: 'administrateur',
  admissions: 'admissions',
  coordinator: 'coordination',
  director: 'direction',
  auditor: 'audit',
};

/**
 * The demo accounts of a fixture (templates/demo/*.json, its `staff`), one line each, as `npm start`
 * prints them: read from the fixture the seed loads, so the printout names every account it created.
 */
export function demoAccountLines(fixturePath: string): string[] {
  const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as { staff?: { email: string; role: string }[] };
  const staff = fixture.staff ?? [];
  const width = Math.max(0, ...staff.map((s) => s.email.length)) + 4;
  return staff.map((s) => `  ${s.email} ${'.'.repeat(Math.max(2, width - s.email.length))} ${ROLE_WORDS[s.role] ?? s.role}`);
}

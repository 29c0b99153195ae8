import { RETENTION_DEFAULTS, RETENTION_LABELS, RETENTION_SUBJECTS, RetentionPolicyView, retentionStart } from '@carepact/archive';
import { residentRetentionSection } from './resident-retention.views';

const policies: RetentionPolicyView[] = RETENTION_SUBJECTS.map((subject) => ({
  subject,
  label: RETENTION_LABELS[subject],
  years: 5,
  defaultYears: 5,
  basis: RETENTION_DEFAULTS[subject].basis,
  custom: false,
}));
const kept = (html: string) => /<dt>Conservation du dossier<\/dt>\s*<dd>([\s\S]*?)<\/dd>/.exec(html)![1].replace(/\s+/g, ' ').trim();
const section = (departedOn: string, birthDate: string, tutelleEndsOn: string | null) =>
  residentRetentionSection({ residentId: '00000000-0000-4000-8000-000000000001', departedOn, start: retentionStart(departedOn, birthDate, tutelleEndsOn), policies, holds: [], names: new Map(), manage: false, csrf: 'c' });

/** The file's retention line says from when it counts when the law moves it past the departure (C. civ. 2235). */
describe('resident file: how long the file is kept', () => {
  it('an adult: five years after the departure, nothing more said', () => {
    expect(kept(section('2026-01-15', '1940-05-02', null))).toBe('jusqu’au 15 janvier 2031 inclus');
  });
  it('a child who left at 8: five years after her majority, and why', () => {
    expect(kept(section('2026-01-15', '2018-01-01', null))).toBe('jusqu’au 1er janvier 2041 inclus, comptée depuis ses 18 ans : la prescription ne court pas contre un mineur (C. civ. 2235)');
  });
  it('a child who left at 7 and died at 8: five years after her death, and why (C. civ. 2235: the suspension ends with her)', () => {
    const start = retentionStart('2015-06-30', '2008-03-10', null, '2017-01-15');
    const html = residentRetentionSection({ residentId: '00000000-0000-4000-8000-000000000001', departedOn: '2015-06-30', deceasedOn: '2017-01-15', start, policies, holds: [], names: new Map(), manage: false, csrf: 'c' });
    expect(kept(html)).toBe(
      'jusqu’au 15 janvier 2022 inclus, comptée depuis son décès, survenu avant ses 18 ans : la prescription, qui ne court pas contre un mineur (C. civ. 2235), court dès lors contre ses héritiers',
    );
  });
  it('a person under tutelle when she left: five years after the tutelle’s end, and why', () => {
    expect(kept(section('2026-01-15', '1950-01-01', '2028-06-30'))).toBe(
      'jusqu’au 30 juin 2033 inclus, comptée depuis la fin de sa tutelle : la prescription ne court pas contre un majeur en tutelle (C. civ. 2235)',
    );
  });
});

/** The intermediate archive on the file (CNIL délib. 2021-028, 2023-095): when, who reads, the administrator's form. */
describe('resident file: intermediate archive', () => {
  const archive = (a: { since: string | null; openUntil: string | null }, manage: boolean, departedOn: string | null = '2020-01-01') =>
    residentRetentionSection({ residentId: '00000000-0000-4000-8000-000000000001', departedOn, policies, holds: [], names: new Map(), manage, csrf: 'c', archive: { ...a, activeBaseMonths: 24 } });
  it('before: from when her documents will go, after the departure and the active base', () => {
    const html = archive({ since: null, openUntil: null }, true, '2026-01-15');
    expect(html).toContain('À partir du 16 janvier 2028 (2 ans après la fin de l’accompagnement), ses documents passeront en archive intermédiaire');
    expect(html).not.toContain('/archive/ouvrir');
    expect(archive({ since: null, openUntil: null }, true, null)).not.toContain('Archive intermédiaire');
  });
  it('archived: said to everyone; the form (a reason) only for records.manage; once open, until when', () => {
    const staff = archive({ since: '2022-01-02', openUntil: null }, false);
    expect(staff).toContain('Depuis le 2 janvier 2022 (2 ans après la fin de l’accompagnement), ses documents sont en archive intermédiaire');
    expect(staff).not.toContain('/archive/ouvrir');
    const admin = archive({ since: '2022-01-02', openUntil: null }, true);
    expect(admin).toContain('action="/console/residents/00000000-0000-4000-8000-000000000001/archive/ouvrir"');
    expect(admin).toContain('name="archiveReason"');
    const open = archive({ since: '2022-01-02', openUntil: '2026-12-03T09:30:00.000Z' }, true);
    expect(open).toContain('Archive ouverte pour vous jusqu’à 10 h 30.');
    expect(open).not.toContain('/archive/ouvrir');
  });
});

/** The button that clears the recorded end: after a death it undoes an entry made by mistake, it does not bring the person back. */
describe('resident file: clearing the recorded end of the accompaniment', () => {
  const managed = (departedOn: string, deceasedOn: string | null) =>
    residentRetentionSection({ residentId: '00000000-0000-4000-8000-000000000001', departedOn, deceasedOn, civility: 'madame', policies, holds: [], names: new Map(), manage: true, csrf: 'c' });
  const clearButton = (html: string) => /action="[^"]*\/fin-accompagnement\/effacer"[\s\S]*?<button[^>]*>([\s\S]*?)<\/button>/.exec(html)![1].replace(/\s+/g, ' ').trim();
  it('a death recorded: « Effacer la date de décès (saisie par erreur) », never « de nouveau accompagnée »', () => {
    const html = managed('2026-11-30', '2026-11-30');
    expect(clearButton(html)).toBe('Effacer la date de décès (saisie par erreur)');
    expect(html).not.toContain('de nouveau accompagnée');
  });
  it('a departure recorded: the departure wording stays', () => {
    expect(clearButton(managed('2026-11-30', null))).toBe('Effacer la date : la personne est de nouveau accompagnée');
  });
});

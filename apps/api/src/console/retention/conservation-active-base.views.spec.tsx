import { viewActor } from '@carepact/testing';
import { RETENTION_DEFAULTS, RETENTION_LABELS, RETENTION_SUBJECTS, type RetentionPolicyView, type Subjects } from '@carepact/archive';
import { conservationPage } from './conservation.views';

const actor = viewActor('director');
const subjects: Subjects = { people: new Map(), documents: new Map(), establishments: new Map(), reports: new Map() };
const policies: RetentionPolicyView[] = RETENTION_SUBJECTS.map((subject) => ({
  subject,
  label: RETENTION_LABELS[subject],
  years: RETENTION_DEFAULTS[subject].years,
  defaultYears: RETENTION_DEFAULTS[subject].years,
  basis: RETENTION_DEFAULTS[subject].basis,
  custom: false,
}));
const page = (activeBaseMonths: number) =>
  conservationPage(actor, 'csrf', { policies, regime: { publicLaw: false, activeBaseMonths }, holds: [], subjects, staff: new Map() }).replace(/&#x27;/g, '’');
const rowOf = (html: string, subject: string) => {
  const label = RETENTION_LABELS[subject as keyof typeof RETENTION_LABELS];
  return new RegExp(`<th scope="row">${label}</th>(.*?)</tr>`, 's').exec(html)?.[1] ?? '';
};

/**
 * The Conservation page after the active base was set to 2 months (CNIL référentiel, délib. n° 2023-095:
 * « 2 ans à compter du dernier contact »): the rules say the organisation's value, a warning says why
 * 24 months is the reference; the minor's row counts from majority (C. civ. 2235).
 */
describe('Conservation page: the organisation’s active base and the minor’s row', () => {
  it('2 months: no rule reads « base active de 2 ans », each reads 2 months, and a warning (not a refusal) gives the reason', () => {
    const html = page(2);
    expect(html).not.toContain('base active de 2 ans');
    expect(rowOf(html, 'contrat-sejour')).toContain('base active de 2 mois (choix de l’organisation ; 2 ans dans le référentiel CNIL) puis archivage intermédiaire');
    expect(html).toContain('La base active est de 2 mois, moins que les 2 ans à compter du dernier contact du référentiel CNIL');
    expect(html).toContain('sans qu’un administrateur ouvre l’archive en indiquant un motif');
  });
  it('24 months: the rules as written, no warning; 36 months: « 3 ans », no warning', () => {
    expect(page(24)).toContain('base active de 2 ans puis archivage intermédiaire');
    expect(page(24)).not.toContain('La base active est de');
    expect(page(36)).toContain('base active de 3 ans (choix de l’organisation');
    expect(page(36)).not.toContain('La base active est de');
  });
  it('the minor’s row: 20 years after majority, and the change form says the count starts there', () => {
    const html = page(24);
    expect(rowOf(html, 'accompagnement-mineur')).toMatch(/20 ans après ses 18 ans/);
    expect(html).toContain('pour les documents d’une personne admise mineure, de 1 à 100 ans après ses 18 ans (la prescription ne court pas pendant la minorité, C. civ. art. 2235)');
  });
});

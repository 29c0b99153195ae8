import { HOLDER_ROLE_LABELS, agreeWithCivility, nameWithCivility } from '@carepact/common';
import { DEMO_FIXTURE_PATH, DEMO_IME_FIXTURE_PATH, loadDemoFixture, residentInputOf } from './demo-fixture';
import { residentFileOf } from './resident-input-rows';
import { residentViewOf } from './resident-views';

/**
 * The demo's people carry the civility their first name implies, and the fixture's mapping (the seed's,
 * the offline render's: residentInputOf → residentFileOf) keeps it for the resident, her personne de
 * confiance, a minor's parents and representatives, and a measure's holders — so the titles agree
 * (@carepact/common civility.ts): Sophie Texier « tutrice chargée de la gestion patrimoniale », not « tuteur ».
 */
const ON = '2026-12-03';
const filesOf = (path: string) =>
  loadDemoFixture(path).residents.map((r) => residentViewOf(residentFileOf(residentInputOf(r, 'e'), { id: r.key, organisationId: 'o' }, new Date(`${ON}T00:00:00.000Z`)), ON));

describe('demo fixtures: every person’s civility reaches the resident file', () => {
  const files = [...filesOf(DEMO_FIXTURE_PATH), ...filesOf(DEMO_IME_FIXTURE_PATH)];
  it('each resident, contact, personne de confiance and holder has one', () => {
    const people = files.flatMap((f) => [f, ...f.contacts, ...(f.personneDeConfiance ? [f.personneDeConfiance] : []), ...f.protectionMeasures.flatMap((m) => m.holders)]);
    expect(people.filter((p) => !p.civility).map((p) => `${p.firstName} ${p.lastName}`)).toEqual([]);
    expect(people.length).toBeGreaterThan(20);
  });
  it('as their first names imply', () => {
    const named = new Map(files.flatMap((f) => [f, ...f.contacts]).map((p) => [`${p.firstName} ${p.lastName}`, nameWithCivility(p)]));
    expect(named.get('Odette Renaud')).toBe('Madame Odette Renaud');
    expect(named.get('Marcel Dupont')).toBe('Monsieur Marcel Dupont');
    expect(named.get('Françoise Renaud')).toBe('Madame Françoise Renaud');
    expect(named.get('Catherine Moreau')).toBe('Madame Catherine Moreau');
    expect(named.get('Monique Lefèvre')).toBe('Madame Monique Lefèvre');
    expect(named.get('Thomas Petit')).toBe('Monsieur Thomas Petit');
  });
  it('Germaine Faure’s co-tutors: « tuteur » and « tutrice »', () => {
    const germaine = files.find((f) => f.firstName === 'Germaine')!;
    const titles = germaine.protectionMeasures[0].holders.map((h) => `${h.firstName} ${h.lastName}, ${agreeWithCivility(HOLDER_ROLE_LABELS[h.role], h.civility)}`);
    expect(titles).toEqual(['Bernard Faure, tuteur', 'Sophie Texier, tutrice']);
  });
});

import { loadDemoFixture, residentInputOf, validateResident, type FixtureResident } from '@carepact/residents';
import { residentViewFromFixture } from './testing/resident-view.builder';

/**
 * The demo fixture reaches the code by two paths: `seed:demo` (residentInputOf → ResidentsService)
 * and the policy tests (residentViewFromFixture). Both read it with one loader and one holder-role
 * map; before, the seed fell back to « curateur » for a holder without a known role and the
 * builder to the measure's own role, so a tutelle's holder was a tuteur for the policy tests and a
 * curateur (refused by the resident file) for the seed.
 */
describe('demo fixture: the seed and the policy builder read it alike', () => {
  const ON = '2026-11-20';
  const holdersByInput = (f: FixtureResident) =>
    (residentInputOf(f, 'establishment-1').protectionMeasure?.holders ?? []).map((h) => ({ firstName: h.firstName, lastName: h.lastName, role: h.role }));
  const holdersByView = (f: FixtureResident) =>
    residentViewFromFixture(f, ON).protectionMeasures.flatMap((m) => m.holders.map((h) => ({ firstName: h.firstName, lastName: h.lastName, role: h.role })));

  it.each(loadDemoFixture().residents.map((r) => [r.key, r] as const))('%s: same holders, roles, parents and personne de confiance', (_key, f) => {
    expect(holdersByInput(f)).toEqual(holdersByView(f));
    const input = residentInputOf(f, 'establishment-1');
    const view = residentViewFromFixture(f, ON);
    expect(input.protectionMeasure?.type ?? null).toBe(view.protectionMeasures[0]?.type ?? null);
    expect((input.parents ?? []).map((p) => p.lastName)).toEqual(view.contacts.filter((c) => c.holdsParentalAuthority).map((c) => c.lastName));
    expect(input.personneDeConfiance?.lastName ?? null).toBe(view.personneDeConfiance?.lastName ?? null);
  });

  it('a holder whose role is missing or misspelled gets the role the measure gives, on both paths', () => {
    const f: FixtureResident = {
      key: 'test-tutelle',
      firstName: 'Louise',
      lastName: 'Garnier',
      birthDate: '1940-03-02',
      admissionDate: '2026-10-01',
      stay: 'permanent',
      protectionMeasure: {
        type: 'tutelle',
        mode: 'representation',
        scope: ['personne', 'biens'],
        judgment: { court: 'Tribunal judiciaire de Valville', reference: 'RG 24/00077', date: '2024-04-04' },
        endDate: '2029-04-04',
        holders: [
          { firstName: 'Alain', lastName: 'Garnier' },
          { firstName: 'Inès', lastName: 'Garnier', role: 'Tutrice' },
        ],
      },
    };
    expect(holdersByInput(f).map((h) => h.role)).toEqual(['tuteur', 'tuteur']);
    expect(holdersByView(f)).toEqual(holdersByInput(f));
    // And the seed's input is one the resident file accepts (ROLE_INCOMPATIBLE before).
    expect(validateResident(residentInputOf(f, 'establishment-1'), ON)).toEqual([]);
  });

  it('the whole demo fixture is valid input for the resident file', () => {
    for (const f of loadDemoFixture().residents) expect({ key: f.key, errors: validateResident(residentInputOf(f, 'establishment-1'), ON) }).toEqual({ key: f.key, errors: [] });
  });
});

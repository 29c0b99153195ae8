import { decideSigners } from './signature-policy';
import { SignaturePolicyError } from './signature-policy.errors';
import type { PolicyDocumentType } from './policy.types';
import { DEMO_IME_FIXTURE_PATH, loadDemoFixture } from '@carepact/residents';
import { residentViewFromFixture } from './testing/resident-view.builder';

/**
 * Every resident of the demo establishment states who must sign their document: the policy must
 * yield exactly those roles (the e2e scenarios of issue 4 rely on them).
 */
const fixture = loadDemoFixture();
const establishment = {
  name: fixture.establishment.name,
  directorFirstName: fixture.establishment.director.firstName,
  directorLastName: fixture.establishment.director.lastName,
  directorEmail: fixture.establishment.director.email ?? null,
};

/** The IME's minors (C. civ. 390, 408; 377, 377-1): who signs is stated the same way, the IME's director last. */
const ime = loadDemoFixture(DEMO_IME_FIXTURE_PATH);

describe('signature policy on the IME of the demo (minors under tutelle and under a delegation of parental authority)', () => {
  it('has one minor of each, each with an expectation', () => {
    expect(ime.establishment.category).toBe('IME');
    expect(ime.residents.map((r) => r.minorRepresentation?.kind).sort()).toEqual(['delegation', 'tutelle']);
  });

  it.each(ime.residents.map((r) => [r.key, r] as const))('%s', (_key, f) => {
    const on = f.admissionDate;
    const e = ime.establishment;
    const d = decideSigners({
      documentType: 'contrat-sejour',
      resident: residentViewFromFixture(f, on),
      establishment: { name: e.name, directorFirstName: e.director.firstName, directorLastName: e.director.lastName, directorEmail: e.director.email ?? null },
      on,
    });
    expect(d.signers.filter((s) => !s.optional).map((s) => s.role).sort()).toEqual([...(f.expectedSigners ?? [])].sort());
    expect(d.views.map((v) => v.key.split(':')[0]).sort()).toEqual([...(f.expectedViews ?? [])].sort());
    const rep = f.minorRepresentation!.representatives[0];
    expect(d.signers[0].person).toMatchObject({ firstName: rep.firstName, lastName: rep.lastName });
    expect(d.signers[d.signers.length - 1].capacity).toBe('pour la direction de l’établissement IME Les Sources');
  });
});

describe('signature policy on the demo fixture', () => {
  it('covers every resident of the fixture, each with an expectation', () => {
    expect(fixture.residents.length).toBeGreaterThanOrEqual(8);
    for (const r of fixture.residents) expect(r.expectedSigners ?? r.expectedBlock).toBeDefined();
  });

  it.each(fixture.residents.map((r) => [r.key, r] as const))('%s', (_key, f) => {
    // The document is drawn up at admission: the measure and the age are checked on that day.
    const on = f.admissionDate;
    const documentType = (f.expectedDocument ?? 'contrat-sejour') as PolicyDocumentType;
    const input = { documentType, resident: residentViewFromFixture(f, on), establishment, on };

    if (f.expectedBlock) {
      expect(() => decideSigners(input)).toThrow(SignaturePolicyError);
      try {
        decideSigners(input);
      } catch (e) {
        expect((e as SignaturePolicyError).code).toBe(f.expectedBlock);
      }
      return;
    }

    const d = decideSigners(input);
    const roles = (optional: boolean) => d.signers.filter((s) => s.optional === optional).map((s) => s.role).sort();
    expect(roles(false)).toEqual([...(f.expectedSigners ?? [])].sort());
    expect(roles(true)).toEqual([...(f.optionalCountersigners ?? [])].sort());
    expect(d.views.map((v) => v.key.split(':')[0]).sort()).toEqual([...(f.expectedViews ?? [])].sort());
    // The establishment's representative always signs last (rule 5).
    const director = d.signers.find((s) => s.role === 'director')!;
    expect(director.capacity).toBe('pour la direction de l’établissement EHPAD Les Tilleuls');
    for (const s of d.signers) if (s !== director) expect(s.order).toBeLessThan(director.order);
  });

  it('names each capacity of the demo contracts in French, without gendered titles', () => {
    const on = '2026-11-20';
    const capacities = (key: string) => {
      const f = fixture.residents.find((r) => r.key === key)!;
      return decideSigners({ documentType: 'contrat-sejour', resident: residentViewFromFixture(f, on), establishment, on }).signers.map((s) => [s.role, s.capacity]);
    };
    expect(capacities('marcel-dupont')).toEqual([
      ['resident', 'en son nom propre, avec l’assistance de son curateur'],
      ['curateur', 'en qualité de curateur, qui assiste Marcel Dupont'],
      ['director', 'pour la direction de l’établissement EHPAD Les Tilleuls'],
    ]);
    expect(capacities('lucie-bernard')[0]).toEqual(['tuteur', 'en qualité de tuteur, qui représente Lucie Bernard']);
    expect(capacities('helene-roux')[0]).toEqual(['habilite', 'en qualité de personne habilitée, qui représente Hélène Roux']);
    expect(capacities('enzo-petit').slice(0, 2)).toEqual([
      ['parent', 'en qualité de parent titulaire de l’autorité parentale d’Enzo Petit'],
      ['parent', 'en qualité de parent titulaire de l’autorité parentale d’Enzo Petit'],
    ]);
    expect(capacities('sean-obrien')[0]).toEqual(['resident', 'en son nom propre']);
  });
});

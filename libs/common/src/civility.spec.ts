import { CIVILITIES, CIVILITY_LABELS, agreeWithCivility, isCivility, nameWithCivility } from './civility';
import { HOLDER_ROLE_LABELS } from './fr-fr';

describe('civility: titles agreed with the person (« tutrice », « curatrice »)', () => {
  it('a woman: the roles of a measure and of a minor’s representative agree', () => {
    const f = (t: string) => agreeWithCivility(t, 'madame');
    expect(f('tuteur')).toBe('tutrice');
    expect(f('curateur')).toBe('curatrice');
    expect(f('subrogé tuteur')).toBe('subrogée tutrice');
    expect(f('subrogé curateur')).toBe('subrogée curatrice');
    expect(f('tuteur chargé de la protection de la personne')).toBe('tutrice chargée de la protection de la personne');
    expect(f('curateur chargé de la gestion des biens')).toBe('curatrice chargée de la gestion des biens');
    expect(f('tuteur du mineur')).toBe('tutrice du mineur');
    expect(f('curateur ad hoc')).toBe('curatrice ad hoc');
    expect(f('tuteur ad hoc désigné par le juge')).toBe('tutrice ad hoc désignée par le juge');
    expect(f('mandataire spécial')).toBe('mandataire spéciale');
    expect(f('présent')).toBe('présente');
    expect(f('Subrogé')).toBe('Subrogée');
  });

  it('épicène words and « personne habilitée » stay as they are', () => {
    const f = (t: string) => agreeWithCivility(t, 'madame');
    expect(f('mandataire')).toBe('mandataire');
    expect(f('mandataire de protection future')).toBe('mandataire de protection future');
    expect(f('délégataire de l’autorité parentale')).toBe('délégataire de l’autorité parentale');
    expect(f('personne habilitée')).toBe('personne habilitée');
    expect(f('personne habilitée chargée de la gestion des biens')).toBe('personne habilitée chargée de la gestion des biens');
  });

  it('a man or an unknown civility: the masculine generic, unchanged', () => {
    for (const c of ['monsieur', null, undefined] as const) {
      for (const label of Object.values(HOLDER_ROLE_LABELS)) expect(agreeWithCivility(label, c)).toBe(label);
      expect(agreeWithCivility('subrogé tuteur chargé de la protection de la personne', c)).toBe('subrogé tuteur chargé de la protection de la personne');
    }
  });

  it('« Madame Jeanne Durand »; no civility, the name alone', () => {
    expect(nameWithCivility({ firstName: 'Jeanne', lastName: 'Durand', civility: 'madame' })).toBe('Madame Jeanne Durand');
    expect(nameWithCivility({ firstName: 'Paul', lastName: 'Roux', civility: 'monsieur' })).toBe('Monsieur Paul Roux');
    expect(nameWithCivility({ firstName: 'Paul', lastName: 'Roux' })).toBe('Paul Roux');
  });

  it('the values the column’s CHECK accepts', () => {
    expect(CIVILITIES).toEqual(['madame', 'monsieur']);
    expect(CIVILITY_LABELS).toEqual({ madame: 'Madame', monsieur: 'Monsieur' });
    expect(isCivility('madame')).toBe(true);
    expect(isCivility('Madame')).toBe(false);
    expect(isCivility('mademoiselle')).toBe(false);
    expect(isCivility(null)).toBe(false);
  });
});

import type { ContactView, MeasureScope, MeasureType, MeasureView, ResidentView } from '@carepact/residents';
import { consentSentence } from './consent-sentence';
import { decideSigners } from './signature-policy';
import type { PolicyDecision, PolicyDocumentType } from './policy.types';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

/**
 * The signers' capacities agree with the holder's civility (@carepact/common civility.ts; migration
 * 1764160000000): « en qualité de tutrice », « curatrice », « subrogée tutrice »; without a civility,
 * the masculine generic, as before.
 */
const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const decide = (r: ResidentView, documentType: PolicyDocumentType = 'contrat-sejour'): PolicyDecision => decideSigners({ documentType, resident: r, establishment, on: ON });
const jeanne = aContact('jeanne', { firstName: 'Jeanne', lastName: 'Durand', relation: 'fille', email: 'jeanne.durand@example.org', civility: 'madame' });
const paul = aContact('paul', { firstName: 'Paul', lastName: 'Roux', email: 'paul.roux@example.org', civility: 'monsieur' });
const unknown = aContact('anon', { firstName: 'Camille', lastName: 'Roux', email: 'camille.roux@example.org' });

function adult(type: MeasureType, holders: (ContactView & { establishmentEmployee?: boolean; mission?: MeasureScope[] })[], over: Partial<Omit<MeasureView, 'holders'>> = {}, contacts: ContactView[] = holders): ResidentView {
  return aResident({ contacts, protectionMeasures: [aMeasure(type, holders, over, ON)] });
}

describe('capacities agreed with the holder’s civility', () => {
  it('a tutelle held by a woman: « en qualité de tutrice »; her consent sentence too', () => {
    const s = decide(adult('tutelle', [jeanne])).signers[0];
    expect(s.capacity).toMatch(/^en qualité de tutrice, /);
    expect(consentSentence(s, 'Marcel Dupont')).toContain('en qualité de tutrice : je représente Marcel Dupont');
  });

  it('a curatelle held by a woman: « curatrice »', () => {
    const d = decide(adult('curatelle_renforcee', [jeanne]));
    const s = d.signers.find((x) => x.key === 'curateur:jeanne')!;
    expect(s.capacity).toMatch(/^en qualité de curatrice, /);
    expect(consentSentence(s, 'Marcel Dupont')).toContain('en qualité de curatrice : j’assiste Marcel Dupont');
  });

  it('a divided tutelle: « tutrice chargée de la protection de la personne », beside « tuteur chargé de la gestion patrimoniale »', () => {
    const d = decide(adult('tutelle', [{ ...jeanne, mission: ['personne'] }, { ...paul, mission: ['biens'] }]));
    expect(d.signers.find((x) => x.key === 'tuteur:jeanne')!.capacity).toMatch(/^en qualité de tutrice chargée de la protection de la personne, /);
    expect(d.signers.find((x) => x.key === 'tuteur:paul')!.capacity).toMatch(/^en qualité de tuteur chargé de la gestion patrimoniale, /);
    expect(d.explanation).toContain('la tutrice chargée de la protection de la personne');
  });

  it('the subrogée tutrice who signs in place of a holder tied to the establishment (C. civ. 454 al. 5)', () => {
    const prepose = aContact('prepose', { firstName: 'Hervé', lastName: 'Lenoir', organisationName: 'EHPAD Les Tilleuls', email: 'h.lenoir@example.org' });
    const d = decide(adult('tutelle', [{ ...prepose, establishmentEmployee: true }], { subroge: { ...jeanne, contactId: jeanne.id } }, [prepose, jeanne]));
    expect(d.signers[0].key).toBe('tuteur:jeanne');
    expect(d.signers[0].capacity).toMatch(/^en qualité de subrogée tutrice, /);
    expect(consentSentence(d.signers[0], 'Marcel Dupont')).toContain('en qualité de tutrice : je représente Marcel Dupont');
  });

  it('a minor’s tutrice: « en qualité de tutrice, au nom d’Enzo Petit »', () => {
    const tutrice = aContact('helene', { firstName: 'Hélène', lastName: 'Roux', relation: 'tante', email: 'h.roux@example.org', minorRole: 'tuteur', civility: 'madame' });
    const r = aResident(
      {
        firstName: 'Enzo',
        lastName: 'Petit',
        birthDate: '2014-05-30',
        parentalAuthority: 'tutelle',
        minorDecision: { authority: 'Conseil de famille, TJ de Valville', reference: 'RG 25/00042', date: '2025-03-03' },
        contacts: [tutrice],
      },
      ON,
    );
    const s = decide(r).signers[0];
    expect(s.capacity).toBe('en qualité de tutrice, au nom d’Enzo Petit');
    expect(consentSentence(s, 'Enzo Petit')).toContain('en qualité de tutrice : je représente Enzo Petit');
  });

  it('a man, or no civility recorded: the masculine generic, unchanged; a woman mandataire spécial: « mandataire spéciale »', () => {
    expect(decide(adult('tutelle', [paul])).signers[0].capacity).toMatch(/^en qualité de tuteur, /);
    expect(decide(adult('tutelle', [unknown])).signers[0].capacity).toMatch(/^en qualité de tuteur, /);
    expect(decide(adult('sauvegarde_justice', [{ ...jeanne }], { acts: ['contrat de séjour'], general: false })).signers.map((s) => s.capacity).join(' | ')).toContain(
      'en qualité de mandataire spéciale',
    );
  });
});

import type { MeasureScope, MeasureType, ResidentView } from '@carepact/residents';
import { decideSigners } from './signature-policy';
import { SignaturePolicyError } from './signature-policy.errors';
import type { PolicyDocumentType, PolicyInput } from './policy.types';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

/**
 * C. civ. 447 al. 3: the judge may divide a curatelle or a tutelle between a holder in charge of the
 * person and a holder in charge of the property; unless he decided otherwise they are independent,
 * each within his own mission (al. 4). Who signs each document under such a measure, and who takes
 * the place of one who is the establishment's préposé (C. civ. 451 al. 2, 454 al. 5, 455).
 */
const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const aPerson = aContact('a-la-personne', { firstName: 'Paul', lastName: 'Girard', email: 'p.girard@example.org' });
const ofGoods = aContact('aux-biens', { firstName: 'Sophie', lastName: 'Texier', organisationName: 'ATMP du Val', email: 's.texier@atmp.example' });
const subroge = aContact('subroge', { firstName: 'Nadia', lastName: 'Roux', email: 'n.roux@example.org' });

type Holder = Parameters<typeof aMeasure>[1][number];
const toPerson = (over: Partial<Holder> = {}): Holder => ({ ...aPerson, mission: ['personne'] as MeasureScope[], ...over });
const toGoods = (over: Partial<Holder> = {}): Holder => ({ ...ofGoods, mission: ['biens'] as MeasureScope[], ...over });

function resident(type: MeasureType, holders: Holder[], over: Parameters<typeof aMeasure>[2] = {}): ResidentView {
  return aResident({ contacts: [aPerson, ofGoods, subroge], protectionMeasures: [aMeasure(type, holders, over, ON)] }, ON);
}

function decide(r: ResidentView, documentType: PolicyDocumentType, avenantPurpose?: string) {
  const input: PolicyInput = { documentType, resident: r, establishment, on: ON, ...(avenantPurpose ? { avenantPurpose } : {}) };
  return decideSigners(input);
}

/** The holders' side: « capacity » of each signer other than the person and the director. */
function holderSide(r: ResidentView, documentType: PolicyDocumentType, avenantPurpose?: string): string[] {
  return decide(r, documentType, avenantPurpose)
    .signers.filter((s) => s.role !== 'resident' && s.role !== 'director')
    .map((s) => `${s.person.lastName} — ${s.capacity}`);
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof SignaturePolicyError) return e.code;
    throw e;
  }
  return 'routed';
}

describe('divided tutelle (C. civ. 447 al. 3): the holder of each mission the document concerns signs', () => {
  const r = resident('tutelle', [toPerson(), toGoods()]);

  it('the contrat de séjour decides where she lives and what she pays: both tuteurs sign, each named with his mission', () => {
    expect(holderSide(r, 'contrat-sejour')).toEqual([
      'Girard — en qualité de tuteur chargé de la protection de la personne, qui représente Marcel Dupont',
      'Texier — en qualité de tuteur chargé de la gestion patrimoniale, qui représente Marcel Dupont',
    ]);
    expect(decide(r, 'contrat-sejour').explanation).toContain(
      'Mesure divisée par le juge (C. civ. 447 al. 3) : le contrat de séjour concerne sa personne et ses biens ; le tuteur chargé de la protection de la personne et le tuteur chargé de la gestion patrimoniale signent, chacun pour sa mission (C. civ. 447 al. 4).',
    );
  });

  it('an avenant to the contract and the DIPC: both too (the DIPC’s countersignature stays optional, CASF D.311 II)', () => {
    expect(holderSide(r, 'avenant').map((s) => s.split(' — ')[0])).toEqual(['Girard', 'Texier']);
    const dipc = decide(r, 'dipc');
    expect(dipc.signers.filter((s) => s.role === 'tuteur').map((s) => [s.person.lastName, s.optional])).toEqual([
      ['Girard', true],
      ['Texier', true],
    ]);
  });

  it('the tariff avenant only changes the price: the tuteur in charge of the property alone', () => {
    expect(holderSide(r, 'avenant', 'tarifs')).toEqual(['Texier — en qualité de tuteur chargé de la gestion patrimoniale, qui représente Marcel Dupont']);
    expect(decide(r, 'avenant', 'tarifs').explanation).toContain('le tuteur chargé de la protection de la personne, dont la mission ne couvre pas cet acte, n’est pas signataire (C. civ. 447 al. 4)');
  });

  it('the annex on the freedom to come and go and the projet personnalisé concern her person: the tuteur in charge of the person alone (C. civ. 459, 457-1)', () => {
    expect(holderSide(r, 'avenant', 'liberte-aller-venir')).toEqual(['Girard — en qualité de tuteur chargé de la protection de la personne, qui représente Marcel Dupont']);
    expect(holderSide(r, 'projet-personnalise')).toEqual(['Girard — en qualité de tuteur chargé de la protection de la personne, qui représente Marcel Dupont']);
  });

  it('a holder of the whole measure beside one of the property signs every document, the other only what concerns the property', () => {
    const both = resident('tutelle', [toPerson({ mission: ['personne', 'biens'] }), toGoods()]);
    expect(holderSide(both, 'projet-personnalise')).toEqual(['Girard — en qualité de tuteur, qui représente Marcel Dupont']);
    expect(holderSide(both, 'avenant', 'tarifs').map((s) => s.split(' — ')[0])).toEqual(['Girard', 'Texier']);
  });

  it('a mission nobody holds (a file recorded before the other holder): refused, MEASURE_HOLDER_MISSING', () => {
    const goodsOnly = resident('tutelle', [toGoods()]);
    expect(refusal(() => decide(goodsOnly, 'contrat-sejour'))).toBe('MEASURE_HOLDER_MISSING');
    expect(refusal(() => decide(goodsOnly, 'avenant', 'tarifs'))).toBe('routed');
  });

  it('a divided curatelle: the person signs with the curateur of each mission the act concerns (C. civ. 467, 447 al. 3)', () => {
    const c = resident('curatelle', [toPerson(), toGoods()]);
    expect(decide(c, 'contrat-sejour').signers.map((s) => s.role)).toEqual(['resident', 'curateur', 'curateur', 'director']);
    expect(holderSide(c, 'avenant', 'tarifs')).toEqual(['Texier — en qualité de curateur chargé de la gestion patrimoniale, qui assiste Marcel Dupont']);
  });

  it('a measure not divided is routed as before: every holder, named by his role only', () => {
    const joint = resident('tutelle', [toPerson({ mission: undefined }), toGoods({ mission: undefined })]);
    expect(holderSide(joint, 'avenant', 'tarifs')).toEqual([
      'Girard — en qualité de tuteur, qui représente Marcel Dupont',
      'Texier — en qualité de tuteur, qui représente Marcel Dupont',
    ]);
  });
});

describe('divided tutelle: a holder who is the establishment’s préposé is replaced only within his mission (C. civ. 447 al. 3-4, 451 al. 2, 454 al. 5)', () => {
  it('the tuteur in charge of the person is the préposé: the tuteur of the property cannot act for her person; without a subrogé the contract is refused', () => {
    const r = resident('tutelle', [toPerson({ establishmentEmployee: true }), toGoods()]);
    expect(refusal(() => decide(r, 'contrat-sejour'))).toBe('HOLDER_CONFLICT_OF_INTEREST');
    expect(() => decide(r, 'contrat-sejour')).toThrow(
      'La mesure est divisée par le juge (C. civ. 447 al. 3) : la mission de l’autre titulaire ne couvre pas ce que le tuteur faisait pour cet acte, il ne peut pas signer à sa place (C. civ. 447 al. 4).',
    );
    expect(refusal(() => decide(r, 'avenant', 'liberte-aller-venir'))).toBe('HOLDER_CONFLICT_OF_INTEREST');
    // The tariff avenant is not his to sign: his tie to the establishment does not stop it.
    expect(holderSide(r, 'avenant', 'tarifs')).toEqual(['Texier — en qualité de tuteur chargé de la gestion patrimoniale, qui représente Marcel Dupont']);
  });

  it('with a subrogé: he takes the préposé’s place for the person, the tuteur of the property still signs for hers', () => {
    const r = resident('tutelle', [toPerson({ establishmentEmployee: true }), toGoods()], { subroge: { ...subroge, contactId: subroge.id } });
    expect(holderSide(r, 'contrat-sejour')).toEqual([
      'Roux — en qualité de subrogé tuteur, qui représente Marcel Dupont',
      'Texier — en qualité de tuteur chargé de la gestion patrimoniale, qui représente Marcel Dupont',
    ]);
    expect(decide(r, 'contrat-sejour').explanation).toContain('le subrogé tuteur la représente et signe à sa place (C. civ. 454 al. 5)');
    expect(holderSide(r, 'avenant', 'liberte-aller-venir')).toEqual(['Roux — en qualité de subrogé tuteur, qui représente Marcel Dupont']);
  });

  it('the tuteur of the property is the préposé and the other holds the whole measure: the other signs alone (C. civ. 447 al. 2-3)', () => {
    const r = resident('tutelle', [toPerson({ mission: ['personne', 'biens'] }), toGoods({ establishmentEmployee: true })]);
    expect(holderSide(r, 'contrat-sejour')).toEqual(['Girard — en qualité de tuteur, qui représente Marcel Dupont']);
    expect(holderSide(r, 'avenant', 'tarifs')).toEqual(['Girard — en qualité de tuteur, qui représente Marcel Dupont']);
  });

  it('the tuteur of the property is the préposé: the projet personnalisé is not an act with the establishment, nor his; the tuteur of the person signs it', () => {
    const r = resident('tutelle', [toPerson(), toGoods({ establishmentEmployee: true })]);
    expect(holderSide(r, 'projet-personnalise').map((s) => s.split(' — ')[0])).toEqual(['Girard']);
    expect(refusal(() => decide(r, 'avenant', 'tarifs'))).toBe('HOLDER_CONFLICT_OF_INTEREST');
    expect(holderSide(r, 'avenant', 'liberte-aller-venir').map((s) => s.split(' — ')[0])).toEqual(['Girard']);
  });
});

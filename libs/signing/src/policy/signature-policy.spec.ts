import { DomainError } from '@carepact/common';
import type { ContactView, MeasureType, MeasureView, ResidentView } from '@carepact/residents';
import { decideSigners, listsAct } from './signature-policy';
import { SignaturePolicyError } from './signature-policy.errors';
import type { PolicyDecision, PolicyDocumentType, PolicyInput, PolicyRefusalCode } from './policy.types';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const ALL_TYPES: PolicyDocumentType[] = ['contrat-sejour', 'avenant', 'dipc', 'projet-personnalise', 'compte-rendu-synthese'];

function decide(resident: ResidentView, documentType: PolicyDocumentType = 'contrat-sejour', over: Partial<PolicyInput> = {}): PolicyDecision {
  return decideSigners({ documentType, resident, establishment, on: ON, ...over });
}

function refusal(resident: ResidentView, documentType: PolicyDocumentType = 'contrat-sejour', over: Partial<PolicyInput> = {}): SignaturePolicyError {
  try {
    decide(resident, documentType, over);
  } catch (e) {
    if (e instanceof SignaturePolicyError) return e;
    throw e;
  }
  throw new Error('expected a refusal, got a decision');
}

/** Compact view of a decision: `key:order[?]` per signer (`?` = optional), in order. */
function shape(d: PolicyDecision): string[] {
  return d.signers.map((s) => `${s.key}:${s.order}${s.optional ? '?' : ''}`);
}

const curateur = aContact('karim', { firstName: 'Karim', lastName: 'Benaïssa', email: 'k.benaissa@udaf-val.example' });
const tuteur = aContact('alain', { firstName: 'Alain', lastName: 'Bernard' });
const habilite = aContact('olivier', { firstName: 'Olivier', lastName: 'Roux' });
const mandataire = aContact('paul', { firstName: 'Paul', lastName: 'Roux' });
const mother = aContact('julie', { firstName: 'Julie', lastName: 'Petit', holdsParentalAuthority: true });
const father = aContact('thomas', { firstName: 'Thomas', lastName: 'Petit', holdsParentalAuthority: true });
const confidant = aContact('sylvie', { firstName: 'Sylvie', lastName: 'Martin', relation: 'fille' });
const niece = aContact('nina', { firstName: 'Nina', lastName: 'Dupont', relation: 'nièce' });

function withMeasure(type: MeasureType, holders: ContactView[], over: Partial<Omit<MeasureView, 'holders'>> = {}, resident: Partial<ResidentView> = {}): ResidentView {
  return aResident({ ...resident, contacts: [...holders, ...(resident.contacts ?? [])], protectionMeasures: [aMeasure(type, holders, over, ON)] });
}

function minor(parentalAuthority: ResidentView['parentalAuthority'], parents: ContactView[], soleAuthority: ResidentView['soleAuthority'] = null): ResidentView {
  return aResident({ firstName: 'Enzo', lastName: 'Petit', birthDate: '2014-05-30', parentalAuthority, soleAuthority, contacts: parents }, ON);
}

/** The proof of sole exercise as the resident file records it (C. civ. 373-2-1). */
const JAF_JUDGMENT: ResidentView['soleAuthority'] = { ground: 'judgment', proofReference: 'Jugement JAF, TJ de Valville, RG 24/01234', proofDate: '2024-03-12' };

describe('signature policy — DOMAIN.md table, row by row', () => {
  describe('none (capable adult)', () => {
    const r = aResident({ firstName: 'Jeanne', lastName: 'Martin' });

    it('contract and avenant: the person, then the director', () => {
      for (const t of ['contrat-sejour', 'avenant'] as const) {
        const d = decide(r, t);
        expect(shape(d)).toEqual(['resident:1', 'director:2']);
        expect(d.signers[0].capacity).toBe('en son nom propre');
        expect(d.signers[0].measure).toBeNull();
        expect(d.views).toEqual([]);
        expect(d.sameVersionRequired).toBe(true);
      }
    });

    it('DIPC: established and signed by the director; the person may countersign (D.311)', () => {
      const d = decide(r, 'dipc');
      expect(shape(d)).toEqual(['resident:1?', 'director:2']);
      expect(d.signers[1].legalBasis).toContain('D.311');
      expect(d.explanation).toContain('peut le contresigner');
    });

    it('projet personnalisé: the person signs, the director commits the establishment last', () => {
      expect(shape(decide(r, 'projet-personnalise'))).toEqual(['resident:1', 'director:2']);
    });

    it('compte rendu de synthèse: the director signs, the person may acknowledge', () => {
      const d = decide(r, 'compte-rendu-synthese');
      expect(shape(d)).toEqual(['resident:1?', 'director:2']);
      expect(d.views).toEqual([]);
    });
  });

  describe('sauvegarde de justice', () => {
    it('without a mandataire spécial, the person keeps their rights and signs (C. civ. 435)', () => {
      const r = aResident({ protectionMeasures: [aMeasure('sauvegarde_justice', [], { mode: 'assistance' }, ON)] });
      for (const t of ALL_TYPES) expect(decide(r, t).signers[0].key).toBe('resident');
      expect(decide(r).explanation).toContain('C. civ. 435');
    });

    it('the mandataire spécial signs only within the acts of the mission (C. civ. 437)', () => {
      const inMission = withMeasure('sauvegarde_justice', [mandataire], { mode: 'representation', general: false, acts: ['Contrat de séjour'], mission: 'Conclure le contrat de séjour' });
      const d = decide(inMission);
      // C. civ. 435 al. 1: she keeps the exercise of her rights; 459-2 al. 1: where she lives is hers.
      expect(shape(d)).toEqual(['resident:1', 'mandataire_special:paul:1', 'director:2']);
      expect(d.signers[1].capacity).toBe('en qualité de mandataire spécial, qui représente Marcel Dupont');
      expect(d.views).toEqual([]);

      const outside = withMeasure('sauvegarde_justice', [mandataire], { mode: 'representation', general: false, acts: ['vente-immobiliere'] });
      expect(shape(decide(outside))).toEqual(['resident:1', 'director:2']);
      // …and then the mandataire spécial has no standing for this document.
      expect(refusal(outside, 'contrat-sejour', { proposedContactIds: ['paul'] }).code).toBe('SIGNER_WITHOUT_STANDING');
    });

    it('a mission covering the contract (its price): the mandataire spécial signs AND the person, whose residence choice it is (C. civ. 437 al. 2, 435, 459-2 al. 1)', () => {
      for (const scope of [['biens'], ['personne', 'biens']] as const) {
        const r = withMeasure('sauvegarde_justice', [mandataire], { mode: 'representation', general: false, acts: ['Contrat de séjour'], scope: [...scope] });
        for (const t of ['contrat-sejour', 'avenant'] as const) {
          const d = decide(r, t);
          expect(shape(d)).toEqual(['resident:1', 'mandataire_special:paul:1', 'director:2']);
          expect(d.signers[0]).toMatchObject({ capacity: 'en son nom propre, pour le choix de son lieu de résidence', measure: null });
          expect(d.signers[0].legalBasis).toContain('C. civ. 435 al. 1, 459-2 al. 1');
          expect(d.signers[1].legalBasis).toContain('C. civ. 433, 435, 437');
          expect(d.explanation).toContain('le choix du lieu de résidence lui appartient, elle signe aussi (C. civ. 459-2 al. 1)');
        }
        expect(shape(decide(r, 'dipc'))).toEqual(['resident:1?', 'mandataire_special:paul:1?', 'director:2']);
        // A disagreement recorded in the document is the judge's to settle first (459-2 al. 2).
        expect(refusal(r, 'contrat-sejour', { residence: { agrees: false } }).code).toBe('RESIDENCE_DISAGREEMENT_NEEDS_JUDGE');
      }
    });

    it('a mission naming the contract does not reach the projet nor the minutes: she signs them alone (C. civ. 437 al. 2, 459 al. 1)', () => {
      const r = withMeasure('sauvegarde_justice', [mandataire], { mode: 'representation', general: false, acts: ['Contrat de séjour', 'admission'] });
      expect(shape(decide(r, 'projet-personnalise'))).toEqual(['resident:1', 'director:2']);
      expect(shape(decide(r, 'compte-rendu-synthese'))).toEqual(['resident:1?', 'director:2']);
      expect(refusal(r, 'projet-personnalise', { proposedContactIds: ['paul'] }).code).toBe('SIGNER_WITHOUT_STANDING');
      // A mission naming the projet but limited to property does not reach it either (459 al. 1).
      const biens = withMeasure('sauvegarde_justice', [mandataire], { mode: 'representation', general: false, acts: ['projet personnalisé'], scope: ['biens'] });
      const d = decide(biens, 'projet-personnalise');
      expect(shape(d)).toEqual(['resident:1', 'director:2']);
      expect(d.signers[0].legalBasis).toContain('C. civ. 459 al. 1');
    });

    it('a "general" flag is no mission: acts must be named', () => {
      const r = withMeasure('sauvegarde_justice', [mandataire], { mode: 'representation', general: true, acts: [] });
      expect(decide(r).signers[0].key).toBe('resident');
    });
  });

  describe('curatelle (simple)', () => {
    const r = withMeasure('curatelle', [curateur]);

    it('contract and avenant: the person AND the curateur, in parallel, on the same version (C. civ. 467)', () => {
      for (const t of ['contrat-sejour', 'avenant'] as const) {
        const d = decide(r, t);
        expect(shape(d)).toEqual(['resident:1', 'curateur:karim:1', 'director:2']);
        expect(d.sameVersionRequired).toBe(true);
        expect(d.signers[0].capacity).toBe('en son nom propre, avec l’assistance de son curateur');
        expect(d.signers[1].capacity).toBe('en qualité de curateur, qui assiste Marcel Dupont');
        expect(d.signers[1].measure).toMatchObject({ measureId: 'measure-curatelle', type: 'curatelle', mode: 'assistance', judgmentReference: 'RG 25/00001' });
        expect(d.signers[1].legalBasis).toContain('C. civ. 440, 467');
        expect(d.views).toEqual([]);
      }
    });

    it('the curateur never signs in the person’s place, even for the DIPC countersignature', () => {
      expect(shape(decide(r, 'dipc'))).toEqual(['resident:1?', 'curateur:karim:1?', 'director:2']);
      expect(shape(decide(r, 'projet-personnalise'))).toEqual(['resident:1', 'curateur:karim:1', 'director:2']);
      expect(shape(decide(r, 'compte-rendu-synthese'))).toEqual(['resident:1?', 'curateur:karim:1?', 'director:2']);
    });

    it('a curatelle limited to property still needs the curateur on the contract (it commits the person’s money)', () => {
      const biens = withMeasure('curatelle', [curateur], { scope: ['biens'] });
      expect(shape(decide(biens))).toEqual(['resident:1', 'curateur:karim:1', 'director:2']);
      expect(shape(decide(biens, 'avenant'))).toEqual(['resident:1', 'curateur:karim:1', 'director:2']);
    });
  });

  describe('curatelle renforcée', () => {
    it('without the judge’s authorisation: as curatelle', () => {
      const r = withMeasure('curatelle_renforcee', [curateur]);
      expect(shape(decide(r))).toEqual(['resident:1', 'curateur:karim:1', 'director:2']);
      expect(decide(r).signers[1].legalBasis).toContain('472');
    });

    it('with the judge’s authorisation: the curateur signs the accommodation agreement alone, the person’s view is recorded (C. civ. 472)', () => {
      const r = withMeasure('curatelle_renforcee', [curateur], { judgeAuthorisesHolderAlone: true, authorisationReference: 'Ord. 26/0042' });
      for (const t of ['contrat-sejour', 'avenant'] as const) {
        const d = decide(r, t);
        expect(shape(d)).toEqual(['curateur:karim:1', 'director:2']);
        expect(d.signers[0].capacity).toBe('en qualité de curateur, sur autorisation du juge (C. civ. 472), pour Marcel Dupont');
        expect(d.signers[0].measure).toMatchObject({ judgeAuthorisesHolderAlone: true, authorisationReference: 'Ord. 26/0042' });
        expect(d.views).toEqual([expect.objectContaining({ key: 'resident', recordedBy: ['curateur:karim'], reason: 'curatelle_renforcee_autorisation_juge' })]);
      }
      // The authorisation covers the accommodation agreement only: the projet is still signed by both.
      expect(shape(decide(r, 'projet-personnalise'))).toEqual(['resident:1', 'curateur:karim:1', 'director:2']);
    });

    it('with the judge’s authorisation, where she lives is still her choice: a disagreement without the judge’s decision stops the sending (C. civ. 472 al. 3, 459-2)', () => {
      const r = withMeasure('curatelle_renforcee', [curateur], { judgeAuthorisesHolderAlone: true, authorisationReference: 'Ord. 26/0042' });
      for (const t of ['contrat-sejour', 'avenant', 'dipc'] as const)
        expect(() => decide(r, t, { residence: { agrees: false, judgeDecision: null } })).toThrow(expect.objectContaining({ code: 'RESIDENCE_DISAGREEMENT_NEEDS_JUDGE' }));
      const decided = decide(r, 'contrat-sejour', { residence: { agrees: false, judgeDecision: { authority: 'Juge des contentieux de la protection', reference: 'RG 26/00077', date: '2026-11-10' } } });
      expect(shape(decided)).toEqual(['curateur:karim:1', 'director:2']);
      expect(decide(r, 'contrat-sejour', { residence: { agrees: true } }).explanation).toContain('Le choix du lieu de résidence reste le sien');
      // The projet personnalisé does not decide where she lives: both sign, whatever she says of it.
      expect(shape(decide(r, 'projet-personnalise', { residence: { agrees: false, judgeDecision: null } }))).toEqual(['resident:1', 'curateur:karim:1', 'director:2']);
    });

    it('an authorisation without its reference is not relied on: both sign', () => {
      const r = withMeasure('curatelle_renforcee', [curateur], { judgeAuthorisesHolderAlone: true, authorisationReference: null });
      const d = decide(r);
      expect(shape(d)).toEqual(['resident:1', 'curateur:karim:1', 'director:2']);
      expect(d.explanation).toContain('sans référence');
    });
  });

  describe('tutelle', () => {
    const r = withMeasure('tutelle', [tuteur], {}, { firstName: 'Lucie', lastName: 'Bernard' });

    it('contract, avenant, projet: the tuteur signs; the person’s view is recorded (C. civ. 457-1)', () => {
      for (const t of ['contrat-sejour', 'avenant', 'projet-personnalise'] as const) {
        const d = decide(r, t);
        expect(shape(d).filter((k) => !k.startsWith('resident'))).toEqual(['tuteur:alain:1', 'director:2']);
        if (t === 'projet-personnalise') continue;
        expect(d.signers[0].capacity).toBe('en qualité de tuteur, qui représente Lucie Bernard');
        expect(d.views).toEqual([
          expect.objectContaining({ key: 'resident', reason: 'tutelle', recordedBy: ['tuteur:alain'], person: expect.objectContaining({ firstName: 'Lucie', contactId: null }) }),
        ]);
        expect(d.views[0].legalBasis).toContain('457-1');
        expect(d.signers.some((s) => s.role === 'resident')).toBe(false);
        // 459-2 is about where the person lives: never cited for the view « not blocking ».
        expect(d.explanation).not.toContain('ne bloque pas');
      }
      // The residence choice belongs to the acts that decide where she lives, not to the projet.
      expect(decide(r, 'contrat-sejour').views[0].legalBasis).toContain('459-2');
      expect(decide(r, 'projet-personnalise').views[0].legalBasis).not.toContain('459-2');
    });

    it('projet personnalisé: her own place to sign it when she can, beside the tuteur, never blocking (C. civ. 459, CASF L.311-3)', () => {
      const d = decide(r, 'projet-personnalise');
      expect(shape(d)).toEqual(['resident:1?', 'tuteur:alain:1', 'director:2']);
      const own = d.signers.find((s) => s.role === 'resident')!;
      expect(own).toEqual(expect.objectContaining({ optional: true, capacity: 'en son nom propre, pour son projet personnalisé', measure: null }));
      expect(own.legalBasis).toContain('459');
      expect(own.legalBasis).toContain('L.311-3');
      // The tuteur's signature stays required: hers adds to it.
      expect(d.signers.find((s) => s.role === 'tuteur')!.optional).toBe(false);
      expect(d.explanation).toContain('peut le signer lorsqu’elle le peut');
      // Not on the acts deciding where she lives, where she is represented (her agreement is recorded instead).
      expect(decide(r, 'contrat-sejour').signers.some((s) => s.role === 'resident')).toBe(false);
      // Nor on the minutes (acknowledgement only).
      expect(decide(r, 'compte-rendu-synthese').signers.some((s) => s.role === 'resident')).toBe(false);
    });

    it('C. civ. 459-2: a disagreement with living there blocks the contract, avenant and DIPC until the judge’s decision is recorded', () => {
      const disagrees = { residence: { agrees: false, judgeDecision: null } };
      for (const t of ['contrat-sejour', 'avenant', 'dipc'] as const) expect(refusal(r, t, disagrees).code).toBe('RESIDENCE_DISAGREEMENT_NEEDS_JUDGE');
      // Not an act deciding where she lives: the projet personnalisé goes on.
      expect(shape(decide(r, 'projet-personnalise', disagrees))).toEqual(['resident:1?', 'tuteur:alain:1', 'director:2']);
      const decided = decide(r, 'contrat-sejour', { residence: { agrees: false, judgeDecision: { authority: 'Juge des contentieux de la protection', reference: 'RG 26/00077', date: '2026-11-10' } } });
      expect(shape(decided)).toEqual(['tuteur:alain:1', 'director:2']);
      expect(decided.explanation).toContain('RG 26/00077');
      expect(decide(r, 'contrat-sejour', { residence: { agrees: true } }).explanation).toContain('accord pour vivre dans l’établissement');
      // Habilitation familiale in representation: the same rule (the person keeps the choice).
      const helene = withMeasure('habilitation_familiale', [habilite], { mode: 'representation' });
      expect(refusal(helene, 'contrat-sejour', disagrees).code).toBe('RESIDENCE_DISAGREEMENT_NEEDS_JUDGE');
      // Curatelle: the person signs herself, her refusal is simply not signing.
      const curatelle = withMeasure('curatelle', [curateur]);
      expect(shape(decide(curatelle, 'contrat-sejour', disagrees))).toEqual(['resident:1', 'curateur:karim:1', 'director:2']);
    });

    it('DIPC: the tuteur may countersign; minutes: acknowledgement without a separate view', () => {
      expect(shape(decide(r, 'dipc'))).toEqual(['tuteur:alain:1?', 'director:2']);
      expect(decide(r, 'dipc').views).toHaveLength(1);
      expect(decide(r, 'compte-rendu-synthese').views).toEqual([]);
    });

    it('a tutelle of the person only covers the projet, not the contract (which commits property too)', () => {
      const personne = withMeasure('tutelle', [tuteur], { scope: ['personne'] });
      expect(shape(decide(personne, 'projet-personnalise'))).toEqual(['resident:1?', 'tuteur:alain:1', 'director:2']);
      expect(refusal(personne, 'contrat-sejour').code).toBe('MEASURE_SCOPE_EXCLUDES_ACT');
    });
  });

  describe('personal documents under a measure of property only (C. civ. 459 al. 1, 425 al. 2)', () => {
    const cases: [MeasureType, ContactView, Partial<Omit<MeasureView, 'holders'>>][] = [
      ['curatelle', curateur, {}],
      ['curatelle_renforcee', curateur, {}],
      ['tutelle', tuteur, {}],
      ['habilitation_familiale', habilite, { mode: 'representation' }],
      ['habilitation_familiale', habilite, { mode: 'assistance' }],
      ['mandat_protection_future', mandataire, { endDate: null }],
    ];

    it.each(cases)('%s aux biens: she signs her projet and the minutes alone, the establishment signs', (type, holder, over) => {
      const r = withMeasure(type, [holder], { ...over, scope: ['biens'] });
      const projet = decide(r, 'projet-personnalise');
      expect(shape(projet)).toEqual(['resident:1', 'director:2']);
      expect(projet.signers[0]).toMatchObject({ capacity: 'en son nom propre', measure: null });
      expect(projet.signers[0].legalBasis).toContain('C. civ. 459 al. 1');
      expect(projet.explanation).toContain('la mesure ne porte que sur les biens (C. civ. 425 al. 2)');
      expect(projet.explanation).toContain('elle décide et signe seule');
      expect(projet.views).toEqual([]);
      expect(shape(decide(r, 'compte-rendu-synthese'))).toEqual(['resident:1?', 'director:2']);
      // The holder has no standing on it.
      expect(refusal(r, 'projet-personnalise', { proposedContactIds: [holder.id] }).code).toBe('SIGNER_WITHOUT_STANDING');
    });

    it('the contract under a representation of property only: the representative signs for the money, she signs for where she lives (C. civ. 459-2 al. 1)', () => {
      for (const [type, holder, over] of [cases[2], cases[3], cases[5]]) {
        const r = withMeasure(type, [holder], { ...over, scope: ['biens'] });
        const d = decide(r);
        expect(shape(d)).toEqual(['resident:1', `${d.signers[1].role}:${holder.id}:1`, 'director:2']);
        expect(d.signers[0].capacity).toBe('en son nom propre, pour le choix de son lieu de résidence');
        expect(d.signers[0].legalBasis).toContain('C. civ. 459 al. 1, 459-2 al. 1');
        expect(d.signers[1].legalBasis).toContain('C. civ. 425 al. 2');
        expect(d.views).toEqual([]);
      }
    });

    it('a special habilitation naming the contract does not reach the projet: she signs it alone (C. civ. 494-8 al. 1)', () => {
      const r = withMeasure('habilitation_familiale', [habilite], { mode: 'representation', general: false, acts: ['Contrat de séjour'] });
      expect(shape(decide(r, 'avenant'))).toEqual(['habilite:olivier:1', 'director:2']);
      const d = decide(r, 'projet-personnalise');
      expect(shape(d)).toEqual(['resident:1', 'director:2']);
      expect(d.explanation).toContain('494-8 al. 1');
      // Named, it does.
      const named = withMeasure('habilitation_familiale', [habilite], { mode: 'representation', general: false, acts: ['projet personnalisé'] });
      expect(shape(decide(named, 'projet-personnalise'))).toEqual(['resident:1?', 'habilite:olivier:1', 'director:2']);
    });
  });

  describe('avenant to a DIPC (CASF D.311 II and VII)', () => {
    it('follows the DIPC: the director signs, the person’s side may countersign', () => {
      const cases: [ResidentView, string[]][] = [
        [aResident(), ['resident:1?', 'director:2']],
        [withMeasure('curatelle', [curateur]), ['resident:1?', 'curateur:karim:1?', 'director:2']],
        [withMeasure('tutelle', [tuteur]), ['tuteur:alain:1?', 'director:2']],
      ];
      for (const [r, expected] of cases) {
        const d = decide(r, 'avenant', { appliesTo: 'dipc' });
        expect(shape(d)).toEqual(expected);
        expect(d.signers[0].legalBasis).toContain('D.311 VII');
        expect(d.signers.at(-1)!.legalBasis).toContain('D.311 II et VII');
        expect(d.explanation).toContain('Avenant au DIPC');
      }
    });

    it('an avenant to the contract (or saying nothing) stays required', () => {
      for (const appliesTo of ['contrat-sejour', null, undefined] as const) expect(shape(decide(aResident(), 'avenant', { appliesTo }))).toEqual(['resident:1', 'director:2']);
    });
  });

  describe('habilitation familiale', () => {
    it('representation: the habilitated relative signs, the person’s view is recorded', () => {
      const r = withMeasure('habilitation_familiale', [habilite], { mode: 'representation' }, { firstName: 'Hélène', lastName: 'Roux' });
      const d = decide(r);
      expect(shape(d)).toEqual(['habilite:olivier:1', 'director:2']);
      expect(d.signers[0].capacity).toBe('en qualité de personne habilitée, qui représente Hélène Roux');
      expect(d.views.map((v) => [v.key, v.reason])).toEqual([['resident', 'representation']]);
    });

    it('assistance: the person and the relative both sign', () => {
      const r = withMeasure('habilitation_familiale', [habilite], { mode: 'assistance' }, { firstName: 'Hélène', lastName: 'Roux' });
      const d = decide(r);
      expect(shape(d)).toEqual(['resident:1', 'habilite:olivier:1', 'director:2']);
      expect(d.signers[0].capacity).toBe('en son nom propre, avec l’assistance de la personne habilitée');
      expect(d.signers[1].capacity).toBe('en qualité de personne habilitée, qui assiste Hélène Roux');
      expect(d.views).toEqual([]);
    });

    it('special habilitation: signs only the listed acts (C. civ. 494-6)', () => {
      const listed = withMeasure('habilitation_familiale', [habilite], { general: false, acts: ['Contrat de séjour'] });
      expect(shape(decide(listed, 'avenant'))).toEqual(['habilite:olivier:1', 'director:2']);
      const other = withMeasure('habilitation_familiale', [habilite], { general: false, acts: ['vente du logement'] });
      const e = refusal(other);
      expect(e.code).toBe('MEASURE_SCOPE_EXCLUDES_ACT');
      expect(e.messageFr).toContain('494-6');
    });
  });

  describe('mandat de protection future', () => {
    it('in effect and covering the act: the mandataire signs, the person’s view is recorded', () => {
      const r = withMeasure('mandat_protection_future', [mandataire], { endDate: null, mandateEffectiveDate: '2025-03-01' });
      const d = decide(r);
      expect(shape(d)).toEqual(['mandataire:paul:1', 'director:2']);
      expect(d.signers[0].capacity).toBe('en qualité de mandataire de protection future, qui représente Marcel Dupont');
      expect(d.signers[0].legalBasis).toContain('C. civ. 477, 481');
      expect(d.views.map((v) => v.key)).toEqual(['resident']);
    });

    it('not yet visa’d by the court clerk: refused (C. civ. 481)', () => {
      const r = withMeasure('mandat_protection_future', [mandataire], { endDate: null, mandateEffectiveDate: null });
      const e = refusal(r);
      expect(e.code).toBe('PROTECTION_MEASURE_NOT_STARTED');
      expect(e.messageFr).toContain('C. civ. 481');
    });

    it('a mandate that does not cover the act: refused', () => {
      const r = withMeasure('mandat_protection_future', [mandataire], { endDate: null, general: false, acts: ['gestion-des-comptes'] });
      expect(refusal(r).code).toBe('MEASURE_SCOPE_EXCLUDES_ACT');
      // A mandate of the person only cannot commit her money.
      const personne = withMeasure('mandat_protection_future', [mandataire], { endDate: null, scope: ['personne'] });
      expect(refusal(personne).code).toBe('MEASURE_SCOPE_EXCLUDES_ACT');
    });
  });

  describe('minor, shared parental authority', () => {
    const r = minor('shared', [mother, father]);

    it('both parents sign (admission is not an everyday act) and the minor’s view is recorded', () => {
      for (const t of ['contrat-sejour', 'avenant', 'projet-personnalise'] as const) {
        const d = decide(r, t).signers.filter((x) => x.role !== 'resident');
        expect(d.map((x) => `${x.key}:${x.order}`)).toEqual(['parent:julie:1', 'parent:thomas:1', 'director:2']);
        // Elision: « l’autorité parentale d’Enzo Petit ».
        expect(d[0].capacity).toBe('en qualité de parent titulaire de l’autorité parentale d’Enzo Petit');
        expect(d[0].legalBasis).toContain('C. civ. 371-1, 372');
        expect(decide(r, t).views).toEqual([expect.objectContaining({ key: 'resident', reason: 'minor', recordedBy: ['parent:julie', 'parent:thomas'] })]);
      }
      // C. civ. 371-1 al. 4: the projet is the child's own; he may sign it too, optionally.
      expect(shape(decide(r, 'projet-personnalise'))).toEqual(['resident:1?', 'parent:julie:1', 'parent:thomas:1', 'director:2']);
      expect(shape(decide(r, 'contrat-sejour'))).toEqual(['parent:julie:1', 'parent:thomas:1', 'director:2']);
      expect(decide(r).explanation).toContain('372-2');
    });

    it('DIPC: both parents may countersign', () => {
      expect(shape(decide(r, 'dipc'))).toEqual(['parent:julie:1?', 'parent:thomas:1?', 'director:2']);
    });

    it('age is taken on the request date: on the 18th birthday the person signs alone', () => {
      const adult = aResident({ birthDate: '2008-11-20', parentalAuthority: 'shared', contacts: [mother, father] });
      expect(shape(decide(adult))).toEqual(['resident:1', 'director:2']);
      expect(shape(decide(adult, 'contrat-sejour', { on: '2026-11-19' }))).toEqual(['parent:julie:1', 'parent:thomas:1', 'director:2']);
      const e = refusal(adult, 'contrat-sejour', { proposedContactIds: ['julie'] });
      expect(e.code).toBe('SIGNER_WITHOUT_STANDING');
      expect(e.messageFr).toContain('majorité');
    });

    it('an adult measure opened in the last year of minority does not displace the parents (C. civ. 429)', () => {
      const r2 = minor('shared', [mother, father, tuteur]);
      r2.protectionMeasures = [aMeasure('tutelle', [tuteur], { judgmentDate: '2026-06-01', startDate: '2032-05-30' }, ON)];
      expect(shape(decide(r2))).toEqual(['parent:julie:1', 'parent:thomas:1', 'director:2']);
    });
  });

  describe('minor, sole parental authority', () => {
    it('the one parent signs, with the proof of sole exercise on file, cited in the basis and the explanation', () => {
      const d = decide(minor('sole', [mother], JAF_JUDGMENT));
      expect(shape(d)).toEqual(['parent:julie:1', 'director:2']);
      expect(d.signers[0].capacity).toBe('en qualité de parent exerçant l’autorité parentale exclusive d’Enzo Petit');
      expect(d.signers[0].legalBasis).toMatch(/^C\. civ\. 373-2-1 \(décision du juge confiant l’exercice à ce seul parent ; pièce : Jugement JAF, TJ de Valville, RG 24\/01234 du 12 mars 2024\) ; /);
      expect(d.explanation).toContain('C. civ. 373-2-1 ; pièce : Jugement JAF, TJ de Valville, RG 24/01234 du 12 mars 2024');
      expect(d.views.map((v) => v.recordedBy)).toEqual([['parent:julie']]);
    });

    it('each ground cites its own article: death (373-1), filiation (372 al. 2)', () => {
      const death = decide(minor('sole', [mother], { ground: 'other_parent_deceased', proofReference: 'Acte de décès n° 312', proofDate: '2022-01-04' }));
      expect(death.signers[0].legalBasis).toMatch(/^C\. civ\. 373-1 \(décès de l’autre parent ; pièce : Acte de décès n° 312 du 4 janvier 2022\)/);
      const filiation = decide(minor('sole', [mother], { ground: 'filiation', proofReference: 'Acte de naissance intégral', proofDate: '2025-09-01' }));
      expect(filiation.signers[0].legalBasis).toMatch(/^C\. civ\. 372 al\. 2 /);
    });

    it('SOLE_AUTHORITY_PROOF_MISSING: one parent alone, no proof on file — joint exercise is the rule (C. civ. 372)', () => {
      for (const t of ['contrat-sejour', 'avenant', 'dipc', 'projet-personnalise', 'compte-rendu-synthese'] as const) {
        const e = refusal(minor('sole', [mother]), t);
        expect(e.code).toBe('SOLE_AUTHORITY_PROOF_MISSING');
        expect(e.kind).toBe('conflict');
        expect(e.messageFr).toMatch(/C\. civ\. 372 al\. 2, 373, 373-1, 373-2-1/);
        expect(e.messageFr).not.toMatch(/Enzo|Petit|Julie/); // errors may be logged: no names
        expect(e.details).toEqual([expect.objectContaining({ field: 'resident.soleAuthority', code: 'SOLE_AUTHORITY_PROOF_MISSING' })]);
      }
    });
  });

  describe('minor under a court measure', () => {
    const r = minor('court_measure', [mother, father]);

    it('DIPC (and its avenant, projet, minutes): the director signs, parents may countersign, the minor’s view is recorded', () => {
      for (const t of ['dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese'] as const) {
        const d = decide(r, t);
        // The projet is the child's own: he may sign it too (C. civ. 371-1 al. 4), optionally.
        expect(shape(d)).toEqual([...(t === 'projet-personnalise' ? ['resident:1?'] : []), 'parent:julie:1?', 'parent:thomas:1?', 'director:2']);
        expect(d.signers.filter((s) => !s.optional).map((s) => s.role)).toEqual(['director']);
      }
      expect(decide(r, 'dipc').views.map((v) => [v.key, v.reason])).toEqual([['resident', 'minor']]);
    });

    it('with parental authority withdrawn (no parent on file): the director alone', () => {
      expect(shape(decide(minor('court_measure', []), 'dipc'))).toEqual(['director:1']);
    });
  });
});

describe('signature policy — refusals, one per code', () => {
  function expectRefusal(e: SignaturePolicyError, code: PolicyRefusalCode, article: RegExp) {
    expect(e).toBeInstanceOf(DomainError);
    expect(e.kind).toBe('conflict');
    expect(e.code).toBe(code);
    expect(e.messageFr).toMatch(article);
    // The message is for people and may be logged: it names roles, never the people.
    expect(e.messageFr).not.toMatch(/Karim|Benaïssa|Sylvie|Nina|Julie/);
  }

  it('PROTECTION_MEASURE_EXPIRED: an expired measure and no active one blocks, for every document', () => {
    const r = withMeasure('curatelle', [curateur], { judgmentDate: '2016-06-01', endDate: '2021-06-01' });
    for (const t of ALL_TYPES) expectRefusal(refusal(r, t), 'PROTECTION_MEASURE_EXPIRED', /C\. civ\. 441/);
    // Dates in full, as the evidence and the documents write them (was « 01/06/2021 »).
    expect(refusal(r).messageFr).toContain('a pris fin le 1er juin 2021');
  });

  it('…but an active measure next to an expired one is used', () => {
    const r = aResident({
      contacts: [curateur, tuteur],
      protectionMeasures: [
        aMeasure('curatelle', [curateur], { id: 'old', judgmentDate: '2016-06-01', endDate: '2021-06-01' }, ON),
        aMeasure('tutelle', [tuteur], { id: 'new', judgmentDate: '2021-05-20', endDate: '2031-05-20' }, ON),
      ],
    });
    const d = decide(r);
    expect(shape(d)).toEqual(['tuteur:alain:1', 'director:2']);
    expect(d.signers[0].measure?.measureId).toBe('new');
  });

  it('the status is computed on the request date, not taken from the view', () => {
    const m = aMeasure('curatelle', [curateur], { endDate: '2026-12-31' }, ON);
    const r = aResident({ contacts: [curateur], protectionMeasures: [{ ...m, status: 'active' }] });
    expect(refusal(r, 'contrat-sejour', { on: '2027-01-05' }).code).toBe('PROTECTION_MEASURE_EXPIRED');
  });

  it('PROTECTION_MEASURE_NOT_STARTED: a measure that only starts later', () => {
    const r = withMeasure('tutelle', [tuteur], { judgmentDate: '2026-11-01', startDate: '2026-12-15' });
    expectRefusal(refusal(r), 'PROTECTION_MEASURE_NOT_STARTED', /ne prend effet que le 15 décembre 2026/);
  });

  it('MEASURE_SCOPE_EXCLUDES_ACT: a tutelle of the person only cannot sign the contract (it commits her money)', () => {
    const r = withMeasure('tutelle', [tuteur], { scope: ['personne'] });
    expectRefusal(refusal(r), 'MEASURE_SCOPE_EXCLUDES_ACT', /C\. civ\. 425 al\. 2/);
  });

  it('MEASURE_HOLDER_MISSING: assistance or representation without anyone to exercise it', () => {
    for (const type of ['curatelle', 'curatelle_renforcee', 'tutelle', 'habilitation_familiale', 'mandat_protection_future'] as const)
      expectRefusal(refusal(withMeasure(type, [], { endDate: type === 'mandat_protection_future' ? null : '2030-01-10' })), 'MEASURE_HOLDER_MISSING', /C\. civ\./);
  });

  it('ADMISSION_CONSENT_REFUSED: the document records that she refused to be admitted (CASF L.311-4); not once the judge decided, nor for a consent, an inability to express it, or a projet', () => {
    const jeanne = aResident({ firstName: 'Jeanne', lastName: 'Martin' });
    const tutelle = withMeasure('tutelle', [tuteur]);
    for (const r of [jeanne, tutelle])
      for (const t of ['contrat-sejour', 'avenant', 'dipc'] as const) {
        const e = refusal(r, t, { admissionConsent: 'refusal' });
        expect(e.code).toBe('ADMISSION_CONSENT_REFUSED');
        expect(e.messageFr).toMatch(/CASF L\.311-4.*C\. civ\. 459-2/);
        expect(e.details).toEqual([expect.objectContaining({ field: 'document.consentInterview.outcome' })]);
      }
    const judged = { agrees: false, judgeDecision: { authority: 'Juge des contentieux de la protection', reference: 'RG 26/00077', date: '2026-11-10' } };
    expect(shape(decide(tutelle, 'contrat-sejour', { admissionConsent: 'refusal', residence: judged }))).toEqual(['tuteur:alain:1', 'director:2']);
    for (const outcome of ['consent', 'unable', null] as const) expect(shape(decide(jeanne, 'contrat-sejour', { admissionConsent: outcome }))).toEqual(['resident:1', 'director:2']);
    expect(shape(decide(jeanne, 'projet-personnalise', { admissionConsent: 'refusal' }))).toEqual(['resident:1', 'director:2']);
  });

  it('PARENT_MISSING: shared authority with one parent on file, or sole authority with none', () => {
    expectRefusal(refusal(minor('shared', [mother])), 'PARENT_MISSING', /C\. civ\. 372/);
    expectRefusal(refusal(minor('sole', [])), 'PARENT_MISSING', /C\. civ\. 373-2-1/);
    // A contact who is not flagged as holding parental authority does not count as a parent.
    expect(refusal(minor('shared', [mother, { ...father, holdsParentalAuthority: false }])).code).toBe('PARENT_MISSING');
  });

  it('PARENTAL_AUTHORITY_UNKNOWN: a minor whose file does not say who holds authority, or contradicts itself', () => {
    expectRefusal(refusal(minor(null, [mother, father])), 'PARENTAL_AUTHORITY_UNKNOWN', /C\. civ\. 371-1/);
    expect(refusal(minor('sole', [mother, father])).code).toBe('PARENTAL_AUTHORITY_UNKNOWN');
  });

  it('SIGNER_WITHOUT_STANDING: the personne de confiance is never a signatory (rule 4)', () => {
    const r = aResident({ contacts: [confidant], personneDeConfiance: { ...confidant, contactId: 'sylvie', designatedOn: null } });
    expect(decide(r).explanation).toContain('personne de confiance peut accompagner');
    expectRefusal(refusal(r, 'contrat-sejour', { proposedContactIds: ['sylvie'] }), 'SIGNER_WITHOUT_STANDING', /CASF L\.311-5-1/);
  });

  it('SIGNER_WITHOUT_STANDING: a relative without mandate, or someone not in the file', () => {
    const r = withMeasure('curatelle', [curateur], {}, { contacts: [niece] });
    expect(shape(decide(r, 'contrat-sejour', { proposedContactIds: ['karim'] }))).toEqual(['resident:1', 'curateur:karim:1', 'director:2']);
    const e = refusal(r, 'contrat-sejour', { proposedContactIds: ['karim', 'nina', 'stranger'] });
    expectRefusal(e, 'SIGNER_WITHOUT_STANDING', /CASF L\.311-4/);
    expect(e.details.map((d) => d.field)).toEqual(['proposedContactIds.1', 'proposedContactIds.2']);
  });

  it('the personne de confiance who is also the tuteur signs as tuteur', () => {
    const both = aContact('alain', { firstName: 'Alain', lastName: 'Bernard' });
    const r = withMeasure('tutelle', [both], {}, { personneDeConfiance: { ...both, contactId: 'alain', designatedOn: null } });
    expect(shape(decide(r, 'contrat-sejour', { proposedContactIds: ['alain'] }))).toEqual(['tuteur:alain:1', 'director:2']);
  });

  it('SIGNER_EMAIL_INVALID: an address that cannot receive the link (or would inject a header)', () => {
    const r = aResident({ email: 'marcel.dupont@example' });
    expectRefusal(refusal(r), 'SIGNER_EMAIL_INVALID', /e-mail/);
    expect(refusal(r).details.map((d) => d.field)).toEqual(['signers.resident.email']);
    const injected = refusal(aResident(), 'contrat-sejour', { establishment: { ...establishment, directorEmail: 'direction@les-tilleuls.example\r\nBcc: x@y.z' } });
    expect(injected.code).toBe('SIGNER_EMAIL_INVALID');
    // No email at all is fine: the person signs in person.
    expect(shape(decide(aResident({ email: null })))).toEqual(['resident:1', 'director:2']);
  });

  it('DOCUMENT_TYPE_NOT_APPLICABLE: no contrat de séjour for a minor under a court measure (D.311)', () => {
    expectRefusal(refusal(minor('court_measure', [mother, father])), 'DOCUMENT_TYPE_NOT_APPLICABLE', /CASF D\.311/);
  });
});

describe('signature policy — invariants', () => {
  const residents: [string, ResidentView][] = [
    ['capable', aResident()],
    ['curatelle', withMeasure('curatelle', [curateur])],
    ['tutelle', withMeasure('tutelle', [tuteur])],
    ['minor', minor('shared', [mother, father])],
  ];

  it.each(residents)('%s: the director signs last and once, every document, same version required', (_name, r) => {
    for (const t of ALL_TYPES) {
      const d = decide(r, t);
      const directors = d.signers.filter((s) => s.role === 'director');
      expect(directors).toHaveLength(1);
      expect(directors[0].optional).toBe(false);
      expect(Math.max(...d.signers.map((s) => s.order))).toBe(directors[0].order);
      expect(d.signers.filter((s) => s.order === directors[0].order)).toHaveLength(1);
      expect(new Set(d.signers.map((s) => s.key)).size).toBe(d.signers.length);
      expect(d.sameVersionRequired).toBe(true);
      for (const v of d.views) for (const k of v.recordedBy) expect(d.signers.map((s) => s.key)).toContain(k);
    }
  });

  it('acts are matched after normalising case, accents and spacing', () => {
    expect(listsAct(['  CONTRAT DE SÉJOUR '], 'contrat-sejour')).toBe(true);
    expect(listsAct(['contrat_sejour'], 'avenant')).toBe(true);
    expect(listsAct(['admission'], 'dipc')).toBe(true);
    expect(listsAct(['projet personnalisé'], 'contrat-sejour')).toBe(false);
    expect(listsAct([], 'compte-rendu-synthese')).toBe(false);
  });

  it('a mission covers the acts it names: the contract does not stand for the projet or the minutes (C. civ. 437 al. 2)', () => {
    for (const act of ['contrat de séjour', 'admission']) {
      expect(listsAct([act], 'avenant')).toBe(true);
      expect(listsAct([act], 'projet-personnalise')).toBe(false);
      expect(listsAct([act], 'compte-rendu-synthese')).toBe(false);
    }
    expect(listsAct(['projet personnalisé'], 'compte-rendu-synthese')).toBe(false);
    expect(listsAct(['compte rendu de synthèse'], 'compte-rendu-synthese')).toBe(true);
  });

  it('several active measures: the most protective is used and the explanation says so', () => {
    const r = aResident({
      contacts: [mandataire, tuteur],
      protectionMeasures: [
        aMeasure('sauvegarde_justice', [mandataire], { id: 'sauvegarde', mode: 'representation', general: false, acts: ['contrat-sejour'] }, ON),
        aMeasure('tutelle', [tuteur], { id: 'tutelle' }, ON),
      ],
    });
    const d = decide(r);
    expect(shape(d)).toEqual(['tuteur:alain:1', 'director:2']);
    expect(d.explanation).toContain('Plusieurs mesures sont en cours');
  });

  it('the establishment’s name is optional in the input', () => {
    const { name: _name, ...anonymous } = establishment;
    expect(decide(aResident(), 'contrat-sejour', { establishment: anonymous }).signers[1].capacity).toBe('pour la direction de l’établissement');
  });
});

import type { MeasureScope, ResidentView, SoleAuthorityGround } from '@carepact/residents';
import { decideSigners } from './signature-policy';
import type { PolicyDocumentType, PolicyInput } from './policy.types';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

/**
 * What « Qui signera et pourquoi » says, where it said more than the law: a divided measure's holders
 * on the documents whose person's side is optional (C. civ. 447 al. 3-4; CASF D.311 II), the tariff
 * avenant (no residence choice, C. civ. 459-2), the placed minor's projet personnalisé (CASF L.311-3
 * 7°, not D.311), and the other parent's right to be informed (C. civ. 373-2-1 al. 5).
 */
const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const aPerson = aContact('p', { firstName: 'Paul', lastName: 'Girard' });
const ofGoods = aContact('g', { firstName: 'Sophie', lastName: 'Texier' });
const divided = aResident(
  {
    contacts: [aPerson, ofGoods],
    protectionMeasures: [aMeasure('tutelle', [{ ...aPerson, mission: ['personne'] as MeasureScope[] }, { ...ofGoods, mission: ['biens'] as MeasureScope[] }], {}, ON)],
  },
  ON,
);
const decide = (r: ResidentView, documentType: PolicyDocumentType, over: Partial<PolicyInput> = {}) => decideSigners({ documentType, resident: r, establishment, on: ON, ...over });

describe('divided measure (C. civ. 447 al. 3-4): the holders of an optional side « peuvent », they do not « signent »', () => {
  it('DIPC: both tuteurs may countersign, each for his mission; their countersignature is not required (CASF D.311 II)', () => {
    const x = decide(divided, 'dipc').explanation;
    expect(x).toContain(
      'le tuteur chargé de la protection de la personne et le tuteur chargé de la gestion patrimoniale peuvent le contresigner, chacun pour sa mission ; leur contresignature n’est pas requise (CASF D.311 II) (C. civ. 447 al. 4).',
    );
    expect(x).not.toContain('signent, chacun pour sa mission');
  });

  it('minutes: the tuteur in charge of the person may acknowledge them; he does not « signe »', () => {
    const x = decide(divided, 'compte-rendu-synthese').explanation;
    expect(x).toContain('le tuteur chargé de la protection de la personne peut en prendre connaissance par une signature simple, qui n’est pas requise ;');
    expect(x).not.toMatch(/protection de la personne signe/);
  });

  it('contract: unchanged, both sign', () => {
    expect(decide(divided, 'contrat-sejour').explanation).toContain('signent, chacun pour sa mission (C. civ. 447 al. 4).');
  });

  it('tariff avenant: « l’avenant tarifaire », and nothing about the residence choice (C. civ. 459-2)', () => {
    const d = decide(divided, 'avenant', { avenantPurpose: 'tarifs' });
    expect(d.explanation).toContain('l’avenant tarifaire au contrat de séjour concerne ses biens ; le tuteur chargé de la gestion patrimoniale signe');
    expect(d.explanation).not.toContain('459-2');
    expect(d.explanation).not.toContain('lieu de résidence');
    expect(d.explanation).not.toContain('l’avenant au contrat de séjour');
    expect(d.views.map((v) => v.legalBasis).join(' ')).not.toContain('459-2');
    // The tariff avenant to a DIPC is named as such.
    expect(decide(divided, 'avenant', { avenantPurpose: 'tarifs', appliesTo: 'dipc' }).explanation).toContain('l’avenant tarifaire au document individuel de prise en charge (DIPC) concerne ses biens');
  });

  it('an avenant on the accompaniment keeps the residence choice', () => {
    expect(decide(divided, 'avenant').explanation).toContain('Le choix du lieu de résidence appartient à la personne (C. civ. 459-2)');
  });
});

describe('tariff avenant under a representation of the property only: no residence choice', () => {
  it('the person signs in her own name, not « pour le choix de son lieu de résidence »', () => {
    const r = aResident({ contacts: [ofGoods], protectionMeasures: [aMeasure('tutelle', [ofGoods], { scope: ['biens'] }, ON)] }, ON);
    const d = decide(r, 'avenant', { avenantPurpose: 'tarifs' });
    expect(d.signers.find((s) => s.role === 'resident')?.capacity).toBe('en son nom propre');
    expect(d.explanation).not.toContain('459-2');
    expect(d.explanation).toContain('l’avenant tarifaire au contrat de séjour se concluant dans les mêmes conditions que le document qu’il modifie (CASF L.311-4, D.311 VII)');
  });
});

describe('placed minor (C. civ. 375-7), projet personnalisé: CASF L.311-3 7°, not D.311', () => {
  const julie = aContact('julie', { firstName: 'Julie', lastName: 'Petit', holdsParentalAuthority: true });
  const enzo = aResident({ firstName: 'Enzo', lastName: 'Petit', birthDate: '2014-05-30', parentalAuthority: 'court_measure', contacts: [julie] }, ON);

  it('the parent’s basis and the explanation cite L.311-3 7°; the child’s signature, like the parents’, is optional', () => {
    const d = decide(enzo, 'projet-personnalise');
    const parent = d.signers.find((s) => s.role === 'parent')!;
    expect(parent.legalBasis).toBe('C. civ. 375-7 ; CASF L.311-3 7° (participation au projet ; signature facultative)');
    expect(parent.optional).toBe(true);
    expect(d.explanation).not.toContain('D.311');
    expect(d.explanation).toContain('la direction signe et engage l’établissement sur les actions du projet (CASF L.311-3 7°)');
    expect(d.explanation).toContain('sa signature, comme celle de ses parents, est facultative et ne bloque pas la demande');
    expect(d.explanation).not.toContain('remplace');
  });

  it('the DIPC keeps D.311', () => {
    const d = decide(enzo, 'dipc');
    expect(d.signers.find((s) => s.role === 'parent')!.legalBasis).toBe('C. civ. 375-7 ; CASF D.311 (contresignature facultative)');
    expect(d.explanation).toContain('la direction signe (CASF D.311)');
  });
});

describe('one parent alone: the other parent’s right to be informed (C. civ. 373-2-1 al. 5)', () => {
  const julie = aContact('julie', { firstName: 'Julie', lastName: 'Petit', holdsParentalAuthority: true });
  const sole = (ground: SoleAuthorityGround) =>
    aResident(
      { firstName: 'Enzo', lastName: 'Petit', birthDate: '2014-05-30', parentalAuthority: 'sole', soleAuthority: { ground, proofReference: 'Pièce n° 1', proofDate: '2024-03-12' }, contacts: [julie] },
      ON,
    );
  const INFORMED = 'doit être informé des choix importants relatifs à sa vie (C. civ. 373-2-1 al. 5)';

  it('the judge entrusted the exercise to one parent: the other is to be informed of the admission and the contract, not to sign', () => {
    const d = decide(sole('judgment'), 'contrat-sejour');
    expect(d.explanation).toContain(`L’autre parent n’exerce pas l’autorité parentale et ne signe pas ; il garde le droit et le devoir de surveiller l’entretien et l’éducation de l’enfant et ${INFORMED}. Informez-le de l’admission et du document, sans lui demander de signer.`);
    expect(d.signers.map((s) => s.key)).toEqual(['parent:julie', 'director']);
    expect(decide(sole('judgment'), 'projet-personnalise').explanation).toContain('Informez-le du document, sans lui demander de signer.');
    // Any judicial decision may forbid telling him where the child lives — criminal court, JAF (C. civ. 515-11), juge des enfants (375-7): staff read it first (review of session 20).
    expect(decide(sole('judgment'), 'projet-personnalise').explanation).toContain(
      'Informez-le du document, sans lui demander de signer. Sauf décision judiciaire contraire — juge pénal, juge aux affaires familiales (ordonnance de protection, C. civ. 515-11), juge des enfants (anonymat du lieu d’accueil, C. civ. 375-7) : lisez la décision et suivez-la.',
    );
  });

  it('filiation: only if it is established towards the other parent too', () => {
    expect(decide(sole('filiation'), 'contrat-sejour').explanation).toContain('Si la filiation de l’enfant est établie aussi à l’égard de l’autre parent : l’autre parent n’exerce pas');
  });

  it('not when the other parent died or cannot express his will; deprived of the exercise only he keeps it, a withdrawal takes it: said as a condition', () => {
    for (const g of ['other_parent_deceased', 'other_parent_unable'] as const) expect(decide(sole(g), 'contrat-sejour').explanation).not.toContain('373-2-1 al. 5');
    expect(decide(sole('other_parent_deprived'), 'contrat-sejour').explanation).toContain(
      'Si l’autre parent est seulement privé de l’exercice de l’autorité parentale (C. civ. 373-1), et non par un retrait de l’autorité parentale ou de son exercice prononcé par un juge (C. civ. 378 s.), ni par la suspension de plein droit de l’exercice de l’autorité parentale (C. civ. 378-2 : notamment le parent poursuivi par le ministère public ou mis en examen pour un crime sur l’autre parent, ou pour une agression sexuelle incestueuse ou un crime sur l’enfant, jusqu’à la décision du juge ; condamné, le juge pénal se prononce sur le retrait, C. civ. 378) : l’autre parent n’exerce pas',
    );
  });
});

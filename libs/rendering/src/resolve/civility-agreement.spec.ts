import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templateInputOf } from '@carepact/documents';
import type { EstablishmentEntity } from '@carepact/identity';
import type { ContactView, MeasureView, ResidentView } from '@carepact/residents';
import { lintFalcText, TemplateLoader } from '@carepact/templates';
import type { ContentVariant, DocumentTree } from '../tree';
import { type TemplateInput, templateInputFromFixture } from './fixture-input';
import { resolve, validateTemplateInput } from './resolve';

/**
 * Contrat de séjour 1.11.0, avenant 1.11.0, DIPC 1.9.0, projet personnalisé 1.9.0, compte rendu 1.8.0
 * (the versions before them are kept as they were):
 *
 * 1. Titles agree with the person's civility (@carepact/common agreeWithCivility, the `agree` formatter):
 *    « Tutrice chargée de la gestion patrimoniale », « présente », « sa tutrice »; unknown civility: as before.
 * 2. The resident's pronoun: agreed with the civility (« Placé sous tutelle, il… », « lui-même »); without
 *    one, no gendered pronoun (« La personne signe son projet lorsqu’elle le peut »).
 * 3. Easy-to-read: who signs the contract within the month when the person does not sign it.
 * 4. Sole parental authority: the ground recorded, its article and the proof (C. civ. 372 al. 2, 373, 373-1, 373-2-1).
 * 5. Tariff avenant: the new prices apply without the person's consent (CASF L.342-3, L.314-1); the signature
 *    acknowledges receipt.
 */
const tilleuls = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const ime = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-ime-les-sources.json'), 'utf8'));
const loader = new TemplateLoader();
const ON = '2026-11-20';
type Kind = 'contrat-sejour' | 'avenant' | 'dipc' | 'projet-personnalise' | 'compte-rendu-synthese';
const OLD: Record<Kind, string> = { 'contrat-sejour': '1.10.0', avenant: '1.10.0', dipc: '1.8.0', 'projet-personnalise': '1.8.0', 'compte-rendu-synthese': '1.7.0' };
const NEW: Record<Kind, string> = { 'contrat-sejour': '1.11.0', avenant: '1.11.0', dipc: '1.9.0', 'projet-personnalise': '1.9.0', 'compte-rendu-synthese': '1.8.0' };
const PARTIES: Kind[] = ['contrat-sejour', 'avenant', 'dipc', 'projet-personnalise'];

const flat = (runs: { text: string }[]) => runs.map((r) => r.text).join('');
function lines(tree: DocumentTree): string[] {
  const out: string[] = [];
  for (const b of tree.blocks) {
    if (b.kind === 'heading' || b.kind === 'paragraph') out.push(flat(b.text));
    if (b.kind === 'list') b.items.forEach((i) => out.push(flat(i)));
    if (b.kind === 'table') out.push(b.header.join(' | '), ...b.rows.map((r) => r.map(flat).join(' | ')));
    if (b.kind === 'signatures') out.push(b.heading, ...b.slots.map((s) => `${s.name} — ${s.capacity}`));
  }
  return out;
}
const text = (type: Kind, version: string, input: TemplateInput, variant: ContentVariant) => lines(resolve(loader.load(type, version), input, variant));

const estOf = (f: typeof tilleuls, category: string) =>
  ({
    name: f.establishment.name,
    category,
    finess: f.establishment.finess,
    address: f.establishment.address,
    phone: f.establishment.phone,
    directorFirstName: f.establishment.director.firstName,
    directorLastName: f.establishment.director.lastName,
    directorEmail: f.establishment.director.email,
    tariffs: f.establishment.tariffs,
    annexes: f.establishment.annexes,
  }) as unknown as EstablishmentEntity;
const tilleulsEst = estOf(tilleuls, tilleuls.establishment.category);
const imeEst = estOf(ime, 'IME');
const contact = (id: string, firstName: string, lastName: string, over: Partial<ContactView> = {}): ContactView =>
  ({ id, firstName, lastName, relation: null, organisationName: null, email: null, phone: null, address: null, holdsParentalAuthority: false, ...over }) as ContactView;
function file(over: Partial<ResidentView>): ResidentView {
  return {
    id: 'r',
    establishmentId: 'e',
    firstName: 'Enzo',
    lastName: 'Petit',
    birthName: null,
    birthDate: '2013-02-11',
    admissionDate: '2026-09-01',
    stayType: 'permanent',
    plannedEndDate: null,
    departedOn: null,
    room: 'B02',
    preferences: { largePrint: false, easyToRead: true, language: 'fr' },
    email: null,
    phone: null,
    minor: true,
    parentalAuthority: 'tutelle',
    soleAuthority: null,
    minorDecision: { authority: 'Juge des tutelles des mineurs, tribunal judiciaire de Valville', reference: 'RG 24/00412', date: '2024-03-12', delegationExtent: null, delegationCoversStay: null },
    personneDeConfiance: null,
    contacts: [contact('lea', 'Léa', 'Marchand', { minorRole: 'tuteur', relation: 'tante' })],
    protectionMeasures: [],
    createdAt: '2026-09-01T00:00:00.000Z',
    updatedAt: '2026-09-01T00:00:00.000Z',
    ...over,
  } as ResidentView;
}
const minorData = (type: Kind): Record<string, unknown> => {
  if (type === 'contrat-sejour') {
    const { minorView: _v, minorViewFalc: _f, ...rest } = templateInputFromFixture(ime, 'contrat-sejour', 'ines-moreau').document;
    return { ...rest, minorView: 'Il a dit oui.', minorViewFalc: 'Vous avez dit oui.' };
  }
  if (type === 'dipc') {
    const { pricing: _p, ...dipc } = templateInputFromFixture(tilleuls, 'dipc').document;
    return { ...dipc, financialContribution: 'aucune' };
  }
  return templateInputFromFixture(tilleuls, type).document;
};
const minorInput = (type: Kind, r: ResidentView) => templateInputOf(imeEst, r, JSON.parse(JSON.stringify(minorData(type))), ON, type) as unknown as TemplateInput;
const tutrice = (civility?: 'madame' | 'monsieur') => [contact('lea', 'Léa', 'Marchand', { minorRole: 'tuteur', relation: 'tante', ...(civility ? { civility } : {}) })];

/** Germaine Faure (the Tilleuls demo): a tutelle the judge divided, her son for her person, Sophie Texier (ATMP) for her property. */
const germaine = (civ: { sophie?: 'madame'; germaine?: 'madame' } = {}): ResidentView => {
  const holder = (contactId: string, firstName: string, lastName: string, mission: string[], extra: Record<string, unknown>) => ({
    contactId,
    role: 'tuteur',
    mission,
    firstName,
    lastName,
    relation: null,
    organisationName: null,
    email: null,
    phone: null,
    ...extra,
  });
  const measure = {
    id: 'm',
    type: 'tutelle',
    mode: 'representation',
    scope: ['personne', 'biens'],
    general: true,
    mission: null,
    acts: [],
    court: 'Tribunal judiciaire de Valville',
    judgmentReference: 'RG 25/00733',
    judgmentDate: '2025-09-04',
    startDate: '2025-09-04',
    endDate: '2030-09-04',
    judgeAuthorisesHolderAlone: false,
    holders: [
      holder('bernard', 'Bernard', 'Faure', ['personne'], { relation: 'fils', civility: 'monsieur' }),
      holder('sophie', 'Sophie', 'Texier', ['biens'], { organisationName: 'ATMP du Val', ...(civ.sophie ? { civility: civ.sophie } : {}) }),
    ],
  } as unknown as MeasureView;
  return file({
    firstName: 'Germaine',
    lastName: 'Faure',
    birthDate: '1938-05-02',
    minor: false,
    parentalAuthority: null,
    minorDecision: null,
    ...(civ.germaine ? { civility: civ.germaine } : {}),
    contacts: [contact('bernard', 'Bernard', 'Faure', { relation: 'fils' }), contact('sophie', 'Sophie', 'Texier', { organisationName: 'ATMP du Val' })],
    protectionMeasures: [measure],
  });
};
const adultData = (type: Kind): Record<string, unknown> =>
  type === 'contrat-sejour' || type === 'projet-personnalise'
    ? templateInputFromFixture(tilleuls, type, type === 'contrat-sejour' ? 'germaine-faure' : undefined).document
    : { ...templateInputFromFixture(tilleuls, type).document, residenceChoice: { agrees: true, recordedOn: '2026-10-27' } };
const adultInput = (type: Kind, r: ResidentView) => templateInputOf(tilleulsEst, r, JSON.parse(JSON.stringify(adultData(type))), ON, type) as unknown as TemplateInput;

describe('holders’ titles agree with their civility', () => {
  it.each(PARTIES)('%s: « Tutrice chargée de la gestion patrimoniale » for Madame Texier; unknown civility prints as before; the old version did not agree', (type) => {
    const withCiv = adultInput(type, germaine({ sophie: 'madame', germaine: 'madame' }));
    expect(validateTemplateInput(loader.load(type, NEW[type]), withCiv)).toEqual([]);
    expect(validateTemplateInput(loader.load(type, OLD[type]), withCiv)).toEqual([]);
    const holders = (withCiv.resident as { protectionMeasure: { holders: unknown[] } }).protectionMeasure.holders.length;
    const std = text(type, NEW[type], withCiv, 'standard');
    expect(std).toContain('Tuteur chargé de la protection de la personne : Bernard Faure, fils.');
    if (holders > 1) {
      expect(std).toContain('Tutrice chargée de la gestion patrimoniale : Sophie Texier, ATMP du Val.');
      expect(text(type, OLD[type], withCiv, 'standard')).toContain('Tuteur chargé de la gestion patrimoniale : Sophie Texier, ATMP du Val.');
      expect(text(type, NEW[type], adultInput(type, germaine()), 'standard')).toContain('Tuteur chargé de la gestion patrimoniale : Sophie Texier, ATMP du Val.');
    }
  });

  it('the participation table: « présente » for Madame, a named participant’s presence agreed; « Qui est-ce » in easy-to-read', () => {
    const data = adultData('contrat-sejour') as { participation: { person: { presence: string }; others: Record<string, unknown>[] } };
    data.participation = { person: { presence: 'present' }, others: [{ name: 'Sophie Texier', capacity: 'representant_legal', role: null, presence: 'represente', civility: 'madame' }] };
    const input = templateInputOf(tilleulsEst, germaine({ germaine: 'madame', sophie: 'madame' }), data, ON, 'contrat-sejour') as unknown as TemplateInput;
    expect(validateTemplateInput(loader.load('contrat-sejour'), input)).toEqual([]);
    const std = text('contrat-sejour', NEW['contrat-sejour'], input, 'standard');
    expect(std).toEqual(expect.arrayContaining(['Germaine Faure | personne accueillie | présente', 'Sophie Texier | représentant légal | représentée']));
    expect(text('contrat-sejour', NEW['contrat-sejour'], input, 'falc')).toContain('Nom | Qui est-ce | Présent ou pas');
    const old = text('contrat-sejour', OLD['contrat-sejour'], { ...input, document: { ...input.document, participation: { ...data.participation, others: [] } } }, 'standard');
    expect(old).toContain('Germaine Faure | personne accueillie | présent');
  });
});

describe('the resident’s pronoun: agreed, or none', () => {
  const TUTELLE = 'par décision du 12 mars 2024 (Juge des tutelles des mineurs, tribunal judiciaire de Valville, référence RG 24/00412)';
  it.each(['contrat-sejour', 'avenant', 'dipc'] as Kind[])('%s: « Placé sous tutelle…, il est représenté par sa tutrice »; « Sous tutelle…, la personne est représentée » without a civility', (type) => {
    const r = (c?: 'monsieur') => file({ ...(c ? { civility: c } : {}), contacts: tutrice('madame') });
    expect(text(type, NEW[type], minorInput(type, r('monsieur')), 'standard')).toContain(`Enzo Petit est une personne mineure. Placé sous tutelle, ${TUTELLE}, il est représenté par sa tutrice :`);
    expect(text(type, NEW[type], minorInput(type, r()), 'standard')).toContain(`Enzo Petit est une personne mineure. Sous tutelle, ${TUTELLE}, la personne est représentée par sa tutrice :`);
    expect(text(type, OLD[type], minorInput(type, r('monsieur')), 'standard')).toContain(`Enzo Petit est une personne mineure. Placée sous tutelle, ${TUTELLE}, elle est représentée par son tuteur :`);
  });

  it('projet personnalisé: « s’exprime lui-même… Il signe » for Monsieur; « La personne signe » without a civility', () => {
    const projet = (r: ResidentView, v: string) => text('projet-personnalise', v, minorInput('projet-personnalise', r), 'standard').join('\n');
    expect(projet(file({ civility: 'monsieur' }), NEW['projet-personnalise'])).toContain(
      'Enzo Petit s’exprime lui-même sur son projet, ci-dessus, à part de son tuteur : son avis est recueilli (C. civ. 371-1 al. 4 ; CASF L.311-4). Il signe son projet lorsqu’il le peut ;',
    );
    expect(projet(file({}), NEW['projet-personnalise'])).toContain('Enzo Petit donne son propre avis sur son projet, ci-dessus, à part de son tuteur');
    expect(projet(file({}), NEW['projet-personnalise'])).toContain('La personne signe son projet lorsqu’elle le peut ;');
    expect(projet(file({ civility: 'monsieur' }), OLD['projet-personnalise'])).toContain('Enzo Petit s’exprime elle-même sur son projet');
  });
});

describe('easy-to-read: who signs the contract within the month', () => {
  it('a minor under tutelle: « Votre tutrice le signe… »; the old version told him he signs it', () => {
    const input = minorInput('contrat-sejour', file({ contacts: tutrice('madame') }));
    const falc = text('contrat-sejour', NEW['contrat-sejour'], input, 'falc');
    const expected = ['Votre tutrice le signe 1 mois au plus après votre arrivée.', 'Si ce contrat n’est pas signé, nous écrivons un autre document : le DIPC.', 'Votre tutrice signe pour vous.', 'Elle vous demande votre avis.'];
    expect(falc).toEqual(expect.arrayContaining(expected));
    expect(falc).not.toContain('Vous le signez 1 mois au plus après votre arrivée.');
    expect(expected.flatMap((l) => lintFalcText(l, loader.load('contrat-sejour').content.glossary.map((g) => g.term)).filter((f) => f.severity === 'error'))).toEqual([]);
    expect(text('contrat-sejour', OLD['contrat-sejour'], input, 'falc')).toContain('Vous le signez 1 mois au plus après votre arrivée.');
    // Unknown civility: the masculine generic, as before.
    expect(text('contrat-sejour', NEW['contrat-sejour'], minorInput('contrat-sejour', file({})), 'falc')).toEqual(
      expect.arrayContaining(['Votre tuteur le signe 1 mois au plus après votre arrivée.', 'Il vous demande votre avis.']),
    );
  });

  it('an adult under a tutelle divided between two tuteurs: they sign it, by name', () => {
    expect(text('contrat-sejour', NEW['contrat-sejour'], adultInput('contrat-sejour', germaine()), 'falc')).toContain(
      'Bernard Faure et Sophie Texier le signent 1 mois au plus après votre arrivée.',
    );
  });
});

describe('sole parental authority: the ground recorded and its proof (C. civ. 372 al. 2, 373, 373-1, 373-2-1)', () => {
  const sole = file({
    parentalAuthority: 'sole',
    minorDecision: null,
    soleAuthority: { ground: 'other_parent_deceased', proofReference: 'Acte de décès n° 312, mairie de Valville', proofDate: '2024-03-03' },
    contacts: [contact('claire', 'Claire', 'Petit', { holdsParentalAuthority: true, relation: 'mère' })],
  });
  it.each(PARTIES)('%s: the ground’s article and the proof; the old version printed every article', (type) => {
    const input = minorInput(type, sole);
    expect(validateTemplateInput(loader.load(type, NEW[type]), input)).toEqual([]);
    expect(text(type, NEW[type], input, 'standard')).toContain(
      'Enzo Petit est une personne mineure. Autorité parentale exercée par un seul parent (décès de l’autre parent, C. civ. 373-1 ; justificatif : Acte de décès n° 312, mairie de Valville du 3 mars 2024) :',
    );
    expect(text(type, OLD[type], input, 'standard')).toContain('Enzo Petit est une personne mineure. Autorité parentale exercée par un seul parent (C. civ. 372 al. 2, 373, 373-1, 373-2-1) :');
    // None recorded: the articles, as before.
    expect(text(type, NEW[type], minorInput(type, { ...sole, soleAuthority: null }), 'standard')).toContain(
      'Enzo Petit est une personne mineure. Autorité parentale exercée par un seul parent (C. civ. 372 al. 2, 373, 373-1, 373-2-1) :',
    );
  });
});

describe('tariff avenant: the new prices apply without the person’s consent (CASF L.342-3, L.314-1)', () => {
  const tariffChange = {
    effectiveOn: '2027-01-01',
    basis: 'revalorisation_annuelle',
    basisReference: 'arrêté du 18 décembre 2026',
    percentage: 2.5,
    cvsConsultedOn: '2026-11-20',
    prices: { hebergementPerDay: 74.31, dependanceGir56PerDay: 6.66, totalPerDay: 80.97 },
  };
  const base = templateInputFromFixture(tilleuls, 'avenant', 'marcel-dupont');
  const input = (basis: string) =>
    ({
      ...base,
      document: { purpose: 'tarifs', kind: 'avenant tarifaire au 1er janvier 2027', appliesTo: 'contrat-sejour', contractSignedOn: '2026-10-29', tariffChange: { ...tariffChange, basis } },
    }) as TemplateInput;
  it('standard and easy-to-read say the signature acknowledges receipt; the old version did not', () => {
    expect(validateTemplateInput(loader.load('avenant', NEW.avenant), input('revalorisation_annuelle'))).toEqual([]);
    const std = text('avenant', NEW.avenant, input('revalorisation_annuelle'), 'standard').join('\n');
    expect(std).toContain('Ces prix s’appliquent à compter du 1er janvier 2027 sans que l’accord de Marcel Dupont soit requis : la revalorisation annuelle reste dans la limite du pourcentage fixé par arrêté ministériel (article L.342-3 du code de l’action sociale et des familles).');
    expect(std).toContain('La signature du présent avenant atteste que les nouveaux prix ont été communiqués ; elle ne conditionne pas leur application.');
    expect(text('avenant', NEW.avenant, input('arrete_departemental'), 'standard').join('\n')).toContain('le tarif est arrêté par le président du conseil départemental (article L.314-1 du code de l’action sociale et des familles)');
    const falc = text('avenant', NEW.avenant, input('revalorisation_annuelle'), 'falc');
    const expected = ['Votre signature montre que vous avez reçu ces nouveaux prix.', 'Les prix s’appliquent même sans votre signature.'];
    expect(falc).toEqual(expect.arrayContaining(expected));
    expect(expected.flatMap((l) => lintFalcText(l, loader.load('avenant').content.glossary.map((g) => g.term)).filter((f) => f.severity === 'error'))).toEqual([]);
    expect(text('avenant', OLD.avenant, input('revalorisation_annuelle'), 'standard').join('\n')).not.toContain('sans que l’accord');
    // The source note cites the avenant rule where it is (CASF L.311-4, D.311), not L.342-2.
    expect(JSON.stringify(loader.load('avenant', NEW.avenant).content.body[1])).not.toContain('L.342-2');
  });
});

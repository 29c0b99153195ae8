import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templateInputOf } from '@carepact/documents';
import type { EstablishmentEntity } from '@carepact/identity';
import { delegationLeavesStayToParents, type MeasureView, type ResidentView } from '@carepact/residents';
import { lintFalcText, TemplateLoader } from '@carepact/templates';
import type { ContentVariant, DocumentTree } from '../tree';
import { type TemplateInput, templateInputFromFixture } from './fixture-input';
import { resolve, validateTemplateInput } from './resolve';
import { contactView } from './testing/parties.builder';

/**
 * Contrat de séjour 1.11.0, avenant 1.11.0, DIPC 1.9.0, projet personnalisé 1.9.0, compte rendu 1.8.0
 * (the versions before them are kept as they were, for the documents made with them):
 *
 * 1. The délégation of parental authority is named by its form (C. civ. 377 al. 1, 377-1): the template
 *    input's `delegationExtent` only knew « total » (which also stood for a partial délégation covering
 *    the stay) and « partial » (which meant shared); `delegationForm` carries the form the judgment
 *    pronounced, and the parties and the délégataire's slot print it — in easy-to-read words too.
 * 2. Under a divided measure (C. civ. 447 al. 3) the easy-to-read parties say what each holder takes care of.
 * 3. The minor's view is recorded with its text, CASF L.311-4, in the standard variant.
 */
const tilleuls = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const ime = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-ime-les-sources.json'), 'utf8'));
const loader = new TemplateLoader();
const ON = '2026-11-20';

type Kind = 'contrat-sejour' | 'avenant' | 'dipc' | 'projet-personnalise' | 'compte-rendu-synthese';
const KINDS: Kind[] = ['contrat-sejour', 'avenant', 'dipc', 'projet-personnalise', 'compte-rendu-synthese'];
const OLD: Record<Kind, string> = { 'contrat-sejour': '1.10.0', avenant: '1.10.0', dipc: '1.8.0', 'projet-personnalise': '1.8.0', 'compte-rendu-synthese': '1.7.0' };
const NEW: Record<Kind, string> = { 'contrat-sejour': '1.11.0', avenant: '1.11.0', dipc: '1.9.0', 'projet-personnalise': '1.9.0', 'compte-rendu-synthese': '1.8.0' };
/** The documents with a parties section (the compte rendu names the délégataire in its slot only). */
const PARTIES: Kind[] = ['contrat-sejour', 'avenant', 'dipc', 'projet-personnalise'];

const flat = (runs: { text: string }[]) => runs.map((r) => r.text).join('');
function lines(tree: DocumentTree): string[] {
  const out: string[] = [];
  for (const b of tree.blocks) {
    if (b.kind === 'heading' || b.kind === 'paragraph') out.push(flat(b.text));
    if (b.kind === 'list') b.items.forEach((i) => out.push(flat(i)));
    if (b.kind === 'signatures') out.push(b.heading, ...b.slots.map((s) => `${s.name} — ${s.capacity}`));
  }
  return out;
}
const text = (type: Kind, version: string, input: TemplateInput, variant: ContentVariant) => lines(resolve(loader.load(type, version), input, variant));

const est = {
  name: 'IME Les Sources',
  category: 'IME',
  finess: ime.establishment.finess,
  address: ime.establishment.address,
  phone: ime.establishment.phone,
  directorFirstName: ime.establishment.director.firstName,
  directorLastName: ime.establishment.director.lastName,
  directorEmail: ime.establishment.director.email,
  annexes: ime.establishment.annexes,
} as unknown as EstablishmentEntity;
const contact = contactView;
function file(over: Partial<ResidentView>): ResidentView {
  return {
    id: 'r',
    establishmentId: 'e',
    firstName: 'Noah',
    lastName: 'Lefèvre',
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
    parentalAuthority: 'delegation',
    soleAuthority: null,
    minorDecision: null,
    personneDeConfiance: null,
    contacts: [],
    protectionMeasures: [],
    createdAt: '2026-09-01T00:00:00.000Z',
    updatedAt: '2026-09-01T00:00:00.000Z',
    ...over,
  } as ResidentView;
}
function dataFor(type: Kind): Record<string, unknown> {
  if (type === 'contrat-sejour') {
    const { minorView: _v, minorViewFalc: _f, ...rest } = templateInputFromFixture(ime, 'contrat-sejour', 'ines-moreau').document;
    return { ...rest, minorView: 'Il a dit oui.', minorViewFalc: 'Vous avez dit oui.' };
  }
  if (type === 'dipc') {
    const { pricing: _p, ...dipc } = templateInputFromFixture(tilleuls, 'dipc').document;
    return { ...dipc, financialContribution: 'aucune' };
  }
  return templateInputFromFixture(tilleuls, type).document;
}
const inputOf = (type: Kind, r: ResidentView): TemplateInput =>
  templateInputOf(est, r, JSON.parse(JSON.stringify(dataFor(type))) as Record<string, unknown>, ON, type) as unknown as TemplateInput;

/** Monique Lefèvre, the grandmother, délégataire by the JAF's judgment (C. civ. 377); the parents on file. */
const JUDGMENT = { authority: 'Juge aux affaires familiales, tribunal judiciaire de Valville', reference: 'RG 25/01102', date: '2025-04-07' };
const contacts = [
  contact('monique', 'Monique', 'Lefèvre', { relation: 'grand-mère', minorRole: 'delegataire' }),
  contact('anne', 'Anne', 'Lefèvre', { holdsParentalAuthority: true }),
  contact('marc', 'Marc', 'Lefèvre', { holdsParentalAuthority: true }),
];
const noah = (delegationExtent: 'total' | 'partial' | 'shared', delegationCoversStay: boolean | null = null) =>
  file({ minorDecision: { ...JUDGMENT, delegationExtent, delegationCoversStay }, contacts });

const DECISION = 'Par jugement du 7 avril 2025 (Juge aux affaires familiales, tribunal judiciaire de Valville, référence RG 25/01102)';
const NO_DECISION = 'Par jugement'; // the projet personnalisé prints no decision words (it never did)

describe('the délégation of parental authority named by its form (C. civ. 377 al. 1, 377-1)', () => {
  it('these versions are the ones new documents are made with; every input here is valid for the old and the new ones', () => {
    // (contrat 1.12.0, avenant 1.12.0, DIPC 1.10.0, projet 1.10.0 and compte rendu 1.9.0 follow them: the divided measure's mission in the words of C. civ. 447 al. 3, « autorité parentale » in the glossary)
    const LATEST: Record<Kind, string> = { 'contrat-sejour': '1.14.0', avenant: '1.14.0', dipc: '1.12.0', 'projet-personnalise': '1.12.0', 'compte-rendu-synthese': '1.10.0' };
    for (const type of KINDS) expect([type, loader.load(type).content.version]).toEqual([type, LATEST[type]]);
    for (const type of KINDS)
      for (const r of [noah('total'), noah('partial', true), noah('shared'), noah('partial', false)])
        for (const v of [OLD[type], NEW[type]]) expect([type, v, validateTemplateInput(loader.load(type, v), inputOf(type, r))]).toEqual([type, v, []]);
  });

  it('template input: `delegationForm` is the judgment’s form; `delegationExtent` keeps its meaning for the published versions', () => {
    const rep = (r: ResidentView) => (inputOf('dipc', r).resident as { minorRepresentation: Record<string, unknown> | null }).minorRepresentation;
    expect(rep(noah('total'))).toMatchObject({ delegationForm: 'total', delegationExtent: 'total' });
    expect(rep(noah('partial', true))).toMatchObject({ delegationForm: 'partial', delegationExtent: 'total' });
    expect(rep(noah('shared'))).toMatchObject({ delegationForm: 'shared', delegationExtent: 'partial' });
    // Not covering the stay: the parents sign as without it — the one rule the signature policy reads too.
    expect(delegationLeavesStayToParents(noah('partial', false))).toBe(true);
    expect([noah('total'), noah('partial', true), noah('shared'), noah('partial', null)].map(delegationLeavesStayToParents)).toEqual([false, false, false, false]);
    expect(rep(noah('partial', false))).toBeNull();
    expect((inputOf('dipc', noah('partial', false)).resident as { minor: { parentalAuthority: string } }).minor.parentalAuthority).toBe('shared');
  });

  it.each(PARTIES)('%s, standard (and large print): partial covering the stay, total, shared — each named; the old version said none of it', (type) => {
    const words = type === 'projet-personnalise' ? NO_DECISION : DECISION;
    const partial = text(type, NEW[type], inputOf(type, noah('partial', true)), 'standard');
    expect(partial).toContain(
      `Noah Lefèvre est une personne mineure. ${words}, le juge a prononcé une délégation partielle de l’autorité parentale (C. civ. 377 al. 1), qui couvre l’accueil dans l’établissement ; ses parents gardent l’exercice de ce qui n’est pas délégué ; délégataire :`,
    );
    expect(partial.find((l) => l.startsWith('Monique Lefèvre — '))).toMatch(/en qualité de délégataire de l’autorité parentale, pour Noah Lefèvre \(délégation partielle\)$/);
    expect(text(type, NEW[type], inputOf(type, noah('total')), 'standard')).toContain(
      `Noah Lefèvre est une personne mineure. ${words}, le juge a prononcé une délégation totale de l’autorité parentale (C. civ. 377 al. 1, 377-1 al. 1) ; délégataire :`,
    );
    const shared = text(type, NEW[type], inputOf(type, noah('shared')), 'standard');
    expect(shared).toContain(
      `Noah Lefèvre est une personne mineure. ${words}, le juge a prononcé une délégation de l’autorité parentale que le délégataire partage avec ses parents (C. civ. 377-1 al. 2) ; délégataire :`,
    );
    expect(shared.find((l) => l.startsWith('Monique Lefèvre — '))).toMatch(/\(délégation partagée\)$/);
    // The previous version printed a partial délégation covering the stay as a total one, and « en partie ou en partage » for a shared one.
    const old = text(type, OLD[type], inputOf(type, noah('partial', true)), 'standard').join('\n');
    expect(old).not.toContain('délégation partielle');
    expect(old).toContain('L’autorité parentale a été déléguée par jugement');
    expect(text(type, OLD[type], inputOf(type, noah('shared')), 'standard').join('\n')).toContain('en partie ou en partage avec ses parents');
  });

  it.each(PARTIES)('%s, easy to read: short sentences, no article number, that pass the FALC rules', (type) => {
    const terms = loader.load(type).content.glossary.map((g) => g.term);
    const cases: [ResidentView, string[]][] = [
      // Who holds the authority, by name; who decides for the child; the child gives a view (C. civ. 371-1 al. 4) — no co-decider « avec vous ».
      [noah('partial', true), ['Le juge a confié à Monique Lefèvre une partie de l’autorité parentale.', 'Monique Lefèvre décide pour votre vie ici, et vous donnez votre avis.', 'Vos parents décident le reste.']],
      [noah('total'), ['Le juge a confié à Monique Lefèvre l’autorité parentale.', 'Monique Lefèvre décide pour vous, et vous donnez votre avis.']],
      [noah('shared'), ['Le juge a dit que Monique Lefèvre partage l’autorité parentale avec vos parents.', 'Vos parents et Monique Lefèvre décident pour vous, et vous donnez votre avis.']],
    ];
    for (const [r, expected] of cases) {
      const falc = text(type, NEW[type], inputOf(type, r), 'falc');
      expect(falc).toEqual(expect.arrayContaining(expected));
      expect(expected.flatMap((l) => lintFalcText(l, terms).filter((f) => f.severity === 'error'))).toEqual([]);
      expect(text(type, OLD[type], inputOf(type, r), 'falc')).not.toContain(expected[0]);
    }
  });

  it('the contract’s prior decisions name the form too', () => {
    const decisions = (r: ResidentView, v: string) => text('contrat-sejour', v, inputOf('contrat-sejour', r), 'standard');
    const item = (form: string) => `${form} : décision du 7 avril 2025 (Juge aux affaires familiales, tribunal judiciaire de Valville, référence RG 25/01102)`;
    expect(decisions(noah('partial', true), NEW['contrat-sejour'])).toContain(item('Délégation partielle de l’autorité parentale'));
    expect(decisions(noah('shared'), NEW['contrat-sejour'])).toContain(item('Délégation de l’autorité parentale partagée avec les parents'));
    expect(decisions(noah('total'), NEW['contrat-sejour'])).toContain(item('Délégation totale de l’autorité parentale'));
    expect(decisions(noah('partial', true), OLD['contrat-sejour'])).toContain(item('Délégation de l’autorité parentale'));
  });

  it('the compte rendu names the form in the délégataire’s slot', () => {
    const slot = (r: ResidentView, v: string) => text('compte-rendu-synthese', v, inputOf('compte-rendu-synthese', r), 'standard').find((l) => l.startsWith('Monique Lefèvre — '));
    expect(slot(noah('partial', true), NEW['compte-rendu-synthese'])).toMatch(/\(délégation partielle\)$/);
    expect(slot(noah('shared'), NEW['compte-rendu-synthese'])).toMatch(/\(délégation partagée\)$/);
    expect(slot(noah('partial', true), OLD['compte-rendu-synthese'])).not.toContain('délégation partielle');
  });
});

/** Germaine Faure (the Tilleuls demo): a tutelle the judge divided, her son for her person, the ATMP for her property. */
const germaine = (): ResidentView => {
  const g = tilleuls.residents.find((r: { key: string }) => r.key === 'germaine-faure');
  const bernard = contact('bernard', 'Bernard', 'Faure', { relation: 'fils' });
  const sophie = contact('sophie', 'Sophie', 'Texier', { organisationName: 'ATMP du Val' });
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
      { contactId: 'bernard', role: 'tuteur', mission: ['personne'], firstName: 'Bernard', lastName: 'Faure', relation: 'fils', organisationName: null, email: null, phone: null },
      { contactId: 'sophie', role: 'tuteur', mission: ['biens'], firstName: 'Sophie', lastName: 'Texier', relation: null, organisationName: 'ATMP du Val', email: null, phone: null },
    ],
  } as unknown as MeasureView;
  return file({ firstName: g.firstName, lastName: g.lastName, birthDate: g.birthDate, minor: false, parentalAuthority: null, contacts: [bernard, sophie], protectionMeasures: [measure] });
};
const tilleulsEst = {
  name: tilleuls.establishment.name,
  category: tilleuls.establishment.category,
  finess: tilleuls.establishment.finess,
  address: tilleuls.establishment.address,
  phone: tilleuls.establishment.phone,
  directorFirstName: tilleuls.establishment.director.firstName,
  directorLastName: tilleuls.establishment.director.lastName,
  directorEmail: tilleuls.establishment.director.email,
  tariffs: tilleuls.establishment.tariffs,
  annexes: tilleuls.establishment.annexes,
} as unknown as EstablishmentEntity;
const adultData = (type: Kind): Record<string, unknown> =>
  type === 'contrat-sejour' || type === 'projet-personnalise'
    ? templateInputFromFixture(tilleuls, type, type === 'contrat-sejour' ? 'germaine-faure' : undefined).document
    : // C. civ. 459-2: her agreement to live here, as her contract records it.
      { ...templateInputFromFixture(tilleuls, type).document, residenceChoice: { agrees: true, recordedOn: '2026-10-27' } };

describe('a divided measure (C. civ. 447 al. 3): who takes care of what', () => {
  it.each(PARTIES)('%s: the easy-to-read parties say it per holder; the standard names each mission; the old easy-to-read did not', (type) => {
    const input = templateInputOf(tilleulsEst, germaine(), JSON.parse(JSON.stringify(adultData(type))), ON, type) as unknown as TemplateInput;
    expect(validateTemplateInput(loader.load(type), input)).toEqual([]);
    const falc = text(type, NEW[type], input, 'falc');
    const holders = (input.resident as { protectionMeasure: { holders: unknown[] } }).protectionMeasure.holders.length;
    // The projet personnalisé concerns the person only (C. civ. 447 al. 3, holdersForAct): the tuteur for the property is not among its holders.
    expect(falc).toContain('Bernard Faure s’occupe de vos choix de vie.');
    if (holders > 1) expect(falc).toContain('Sophie Texier s’occupe de votre argent.');
    expect(text(type, NEW[type], input, 'standard')).toContain('Tuteur chargé de la protection de la personne : Bernard Faure, fils.');
    expect(text(type, OLD[type], input, 'falc')).not.toContain('Bernard Faure s’occupe de vos choix de vie.');
    // No legal title in the easy-to-read sentences (the mission rides in the holder's role); the signature slots keep the legal capacity.
    expect(falc.filter((l) => !l.includes(' — ')).join('\n')).not.toContain('chargé de la');
  });

  it('who signs, in easy-to-read: both tuteurs by name for the contract and the DIPC (each for his mission), the tuteur for the person for the projet', () => {
    const falc = (type: Kind, v: string) => text(type, v, templateInputOf(tilleulsEst, germaine(), JSON.parse(JSON.stringify(adultData(type))), ON, type) as unknown as TemplateInput, 'falc');
    expect(falc('contrat-sejour', NEW['contrat-sejour'])).toEqual(expect.arrayContaining(['Bernard Faure et Sophie Texier signent ce contrat pour vous.', 'Bernard Faure et Sophie Texier le font pour vous.']));
    expect(falc('dipc', NEW.dipc)).toContain('Bernard Faure et Sophie Texier peuvent aussi signer ce document.');
    expect(falc('projet-personnalise', NEW['projet-personnalise'])).toContain('Votre tuteur signe aussi.');
    // The previous versions printed the holder's legal title: « Votre tuteur chargé de la protection de la personne signe ce contrat pour vous. »
    expect(falc('contrat-sejour', OLD['contrat-sejour'])).toContain('Votre tuteur chargé de la protection de la personne signe ce contrat pour vous.');
    expect(falc('dipc', OLD.dipc)).toContain('Votre tuteur chargé de la protection de la personne peut aussi signer ce document.');
  });
});

describe('the minor’s view cites CASF L.311-4 (standard)', () => {
  it('the contract and the projet personnalisé; not the old versions', () => {
    const r = noah('total');
    expect(text('contrat-sejour', NEW['contrat-sejour'], inputOf('contrat-sejour', r), 'standard')).toContain('Avis de Noah Lefèvre, recueilli lors de l’élaboration du contrat (CASF L.311-4) : Il a dit oui.');
    expect(text('contrat-sejour', OLD['contrat-sejour'], inputOf('contrat-sejour', r), 'standard').join('\n')).not.toContain('contrat (CASF L.311-4)');
    const projet = (v: string) => text('projet-personnalise', v, inputOf('projet-personnalise', r), 'standard').join('\n');
    expect(projet(NEW['projet-personnalise'])).toContain(
      // No civility on file: no gendered pronoun (civility-agreement.spec.ts).
      'Noah Lefèvre donne son propre avis sur son projet, ci-dessus, à part du délégataire de l’autorité parentale : son avis est recueilli (C. civ. 371-1 al. 4 ; CASF L.311-4). La personne signe son projet lorsqu’elle le peut ; sa signature s’ajoute à celle du délégataire de l’autorité parentale et ne la remplace pas.',
    );
    // The previous version wrote « à part de le délégataire ».
    expect(projet(OLD['projet-personnalise'])).toContain('à part de le délégataire');
    expect(projet(OLD['projet-personnalise'])).not.toContain('CASF L.311-4)');
  });
});

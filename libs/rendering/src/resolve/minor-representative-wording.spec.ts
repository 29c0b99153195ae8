import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateLoader } from '@carepact/templates';
import type { ContentVariant, DocumentTree } from '../tree';
import { type TemplateInput, templateInputFromFixture } from './fixture-input';
import { resolve, validateTemplateInput } from './resolve';

/**
 * Contrat de séjour 1.8.0 and avenant 1.7.0, after the sector lawyer's review (1.7.0 / 1.6.0 are
 * kept as they were, for the documents made with them):
 *
 * 1. The easy-to-read text says who signs for a minor as the signature block does: under a tutelle
 *    the tuteur (C. civ. 390, 408), under a total délégation the délégataire alone, under a partial or
 *    shared one the délégataire with the parents (C. civ. 377, 377-1), under a placement the direction,
 *    the parents and — with the juge des enfants' authorisation — the service may countersign
 *    (C. civ. 375-7; CASF D.311). 1.7.0 / 1.6.0 said « Vos parents signent » for every minor.
 * 2. A minor's tuteur represents the minor and consults him (C. civ. 408, 371-1 al. 4, 388-1): « Votre
 *    tuteur signe pour vous. Il vous demande votre avis. », not « Votre tuteur décide avec vous. ».
 *    An adult's curateur still acts « avec vous » (C. civ. 467).
 * 3. The decision behind a minor's representative (authority, reference, date) is printed, as the
 *    judgment of an adult's measure is; the « Décisions préalables » (CASF D.311) list it.
 * 4. The personne de confiance notice (CASF D.311-0-4) goes to the representative under a tutelle or
 *    curatelle of her property only too; a minor is given no personne de confiance notice (L.311-5-1:
 *    « toute personne majeure »).
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();

const flat = (runs: { text: string }[]) => runs.map((r) => r.text).join('');
function allText(tree: DocumentTree): string {
  const parts: string[] = [];
  for (const b of tree.blocks) {
    if (b.kind === 'heading' || b.kind === 'paragraph') parts.push(flat(b.text));
    if (b.kind === 'list') b.items.forEach((i) => parts.push(flat(i)));
    if (b.kind === 'table') parts.push(b.caption, ...b.header, ...b.rows.flat().map(flat));
  }
  return parts.join('\n');
}
const text = (type: string, version: string, input: TemplateInput, variant: ContentVariant): string => allText(resolve(loader.load(type, version), input, variant));

const DECISION = { authority: 'Conseil de famille, Tribunal judiciaire de Valville', reference: 'RG 25/00042', date: '2025-03-03' };
const JUDGMENT = { authority: 'Juge aux affaires familiales, Tribunal judiciaire de Valville', reference: 'RG 24/01234', date: '2024-11-18' };
const PARENTS = [
  { firstName: 'Julie', lastName: 'Petit' },
  { firstName: 'Thomas', lastName: 'Petit' },
];
const TUTEUR = { firstName: 'Hélène', lastName: 'Roux', relation: 'tante', role: 'tuteur' };
const DELEGATAIRE = { firstName: 'Sophie', lastName: 'Garnier', organisation: 'ASE du Val', role: 'delegataire' };
const SERVICE = { firstName: 'Sophie', lastName: 'Garnier', organisation: 'ASE du Val', role: 'service_gardien' };

type Situation = 'tutelle' | 'delegation totale' | 'delegation partielle' | 'placement autorise' | 'parents';
/** Enzo Petit (the demo's minor), in an IME (a minor is not admitted to an EHPAD), represented as `s` says. */
function enzo(s: Situation, type: 'contrat-sejour' | 'avenant' = 'contrat-sejour'): TemplateInput {
  const base = templateInputFromFixture(fixture, 'contrat-sejour', 'enzo-petit');
  const minor =
    s === 'tutelle'
      ? { minor: { parentalAuthority: 'tutelle', parents: [] }, minorRepresentation: { kind: 'tutelle', representatives: [TUTEUR], decision: DECISION, delegationExtent: null, wardOfState: false, actAuthorised: false } }
      : s === 'delegation totale' || s === 'delegation partielle'
        ? {
            minor: { parentalAuthority: 'delegation', parents: s === 'delegation partielle' ? PARENTS : [] },
            minorRepresentation: { kind: 'delegation', representatives: [DELEGATAIRE], decision: JUDGMENT, delegationExtent: s === 'delegation totale' ? 'total' : 'partial', wardOfState: false, actAuthorised: false },
          }
        : s === 'placement autorise'
          ? {
              minor: { parentalAuthority: 'court_measure', parents: PARENTS },
              minorRepresentation: { kind: 'court_measure', representatives: [SERVICE], decision: { ...JUDGMENT, authority: 'Juge des enfants, Tribunal judiciaire de Valville' }, delegationExtent: null, wardOfState: false, actAuthorised: true },
            }
          : { minor: { parentalAuthority: 'shared', parents: PARENTS }, minorRepresentation: null };
  const establishment = { ...base.establishment, name: 'IME Les Tilleuls', category: 'IME' };
  const resident = { ...base.resident, ...minor };
  if (type === 'avenant') {
    // The demo's avenant to a contract (Marcel Dupont's), for Enzo.
    const avenant = templateInputFromFixture(fixture, 'avenant');
    return { establishment, resident, document: avenant.document };
  }
  const document = {
    ...base.document,
    financialContribution: 'aucune',
    pricing: undefined,
    termination: {
      byPerson: 'Par écrit, à tout moment, avec un préavis d’un mois.',
      byEstablishment: 'En cas d’inadaptation de l’accompagnement, après avis de la CDAPH, avec un préavis d’un mois.',
      byPersonFalc: 'Votre représentant peut arrêter le contrat. Il prévient 1 mois avant.',
      byEstablishmentFalc: 'Nous pouvons arrêter le contrat si nous ne pouvons plus bien vous aider.',
    },
  };
  return { establishment, resident, document: JSON.parse(JSON.stringify(document)) as Record<string, unknown> };
}

/** Lucie Bernard (the demo's adult under tutelle), her measure of `type` limited to `scope`. */
function lucie(scope: string[], over: Record<string, unknown> = {}): TemplateInput {
  const input = templateInputFromFixture(fixture, 'contrat-sejour', 'lucie-bernard');
  const measure = input.resident.protectionMeasure as Record<string, unknown>;
  return { ...input, resident: { ...input.resident, protectionMeasure: { ...measure, scope, ...over } } };
}
const curatelle = (scope: string[]) => lucie(scope, { type: 'curatelle', mode: 'assistance', holders: [{ firstName: 'Karim', lastName: 'Haddad', role: 'curateur' }] });

const OLD = { 'contrat-sejour': '1.7.0', avenant: '1.6.0' } as const;
const NEW = { 'contrat-sejour': '1.8.0', avenant: '1.7.0' } as const;

describe('contrat de séjour 1.8.0, avenant 1.7.0: a minor’s representative and the personne de confiance notice', () => {
  it('are the versions new documents are made with (contrat 1.9.0 and avenant 1.8.0 follow them, adding only the holder préposé of the establishment: holder-conflict-sentence.spec.ts; avenant 1.9.0 the yearly base of a revalorisation: tariff-avenant.spec.ts; contrat and avenant 1.10.0 a one-parent authority and the tuteur’s capacity: minor-parties-wording.spec.ts)', () => {
    expect(loader.load('contrat-sejour').content.version).toBe('1.14.0');
    expect(loader.load('avenant').content.version).toBe('1.14.0');
  });

  it('every input here is valid for the old and the new versions', () => {
    for (const s of ['tutelle', 'delegation totale', 'delegation partielle', 'placement autorise', 'parents'] as const)
      for (const type of ['contrat-sejour', 'avenant'] as const)
        for (const version of [OLD[type], NEW[type]]) expect([s, type, version, validateTemplateInput(loader.load(type, version), enzo(s, type))]).toEqual([s, type, version, []]);
    for (const input of [lucie(['biens']), curatelle(['biens']), curatelle(['personne', 'biens'])]) expect(validateTemplateInput(loader.load('contrat-sejour', '1.8.0'), input)).toEqual([]);
  });

  it.each([
    ['tutelle', 'Votre tuteur signe ce contrat pour vous.', 'Votre tuteur signe cet avenant pour vous.'],
    ['delegation totale', 'La personne choisie par le juge signe ce contrat pour vous.', 'La personne choisie par le juge signe cet avenant pour vous.'],
    ['delegation partielle', 'Vos parents et la personne choisie par le juge signent ce contrat pour vous.', 'Vos parents et la personne choisie par le juge signent cet avenant pour vous.'],
    ['placement autorise', 'La direction signe ce contrat. Vos parents et le service qui s’occupe de vous peuvent aussi le signer.', 'La direction signe cet avenant. Vos parents et le service qui s’occupe de vous peuvent aussi le signer.'],
    ['parents', 'Vos parents signent ce contrat pour vous.', 'Vos parents signent cet avenant pour vous.'],
  ] as const)('1. easy to read, %s: « %s »', (s, contract, avenant) => {
    expect(text('contrat-sejour', '1.8.0', enzo(s), 'falc').split('\n')).toContain(contract);
    expect(text('avenant', '1.7.0', enzo(s, 'avenant'), 'falc').split('\n')).toContain(avenant);
    if (s !== 'parents') {
      // The old versions said the parents sign, for every minor.
      expect(text('contrat-sejour', '1.7.0', enzo(s), 'falc').split('\n')).toContain('Vos parents signent ce contrat pour vous.');
      expect(text('avenant', '1.6.0', enzo(s, 'avenant'), 'falc').split('\n')).toContain('Vos parents signent cet avenant pour vous.');
      for (const t of [text('contrat-sejour', '1.8.0', enzo(s), 'falc'), text('avenant', '1.7.0', enzo(s, 'avenant'), 'falc')]) expect(t).not.toMatch(/Vos parents signent (ce contrat|cet avenant)/);
    }
  });

  it('2. a minor’s tuteur « signe pour vous » and asks the minor’s view; an adult’s curateur still acts with her', () => {
    for (const type of ['contrat-sejour', 'avenant'] as const) {
      const falc = text(type, NEW[type], enzo('tutelle', type), 'falc');
      expect(falc).toContain('Votre tuteur signe pour vous.\nIl vous demande votre avis.');
      expect(falc).not.toContain('décide avec vous');
      expect(text(type, OLD[type], enzo('tutelle', type), 'falc')).toContain('Votre tuteur décide avec vous.');
    }
    // Délégation and parents: unchanged (they exercise parental authority, with the minor, C. civ. 371-1 al. 4).
    expect(text('contrat-sejour', '1.8.0', enzo('delegation totale'), 'falc')).toContain('Le juge a choisi une personne qui décide avec vous.');
    expect(text('contrat-sejour', '1.8.0', enzo('parents'), 'falc')).toContain('Vos parents décident avec vous.');
    const assisted = text('contrat-sejour', '1.8.0', curatelle(['personne', 'biens']), 'falc');
    expect(assisted).toContain('Vous signez ce contrat avec votre curateur.');
    expect(assisted).toContain('Vous le faites avec votre curateur.');
    expect(assisted).not.toContain('Votre curateur signe');
  });

  it('3. the decision behind the tuteur or the délégataire: authority, reference and date, in the parties and the prior decisions', () => {
    for (const type of ['contrat-sejour', 'avenant'] as const) {
      const standard = text(type, NEW[type], enzo('tutelle', type), 'standard');
      expect(standard).toContain(
        'Enzo Petit est une personne mineure. Placée sous tutelle, par décision du 3 mars 2025 (Conseil de famille, Tribunal judiciaire de Valville, référence RG 25/00042), elle est représentée par son tuteur :',
      );
      expect(text(type, OLD[type], enzo('tutelle', type), 'standard')).not.toContain('RG 25/00042');
      expect(text(type, NEW[type], enzo('tutelle', type), 'falc')).toContain('La décision sur votre tutelle date du 3 mars 2025.');
      expect(text(type, NEW[type], enzo('delegation totale', type), 'standard')).toContain(
        'L’autorité parentale a été déléguée par jugement du 18 novembre 2024 (Juge aux affaires familiales, Tribunal judiciaire de Valville, référence RG 24/01234) ; délégataire :',
      );
      expect(text(type, NEW[type], enzo('delegation totale', type), 'falc')).toContain('Le juge a décidé cela le 18 novembre 2024.');
    }
    const contract = text('contrat-sejour', '1.8.0', enzo('tutelle'), 'standard');
    expect(contract).toContain('Le présent contrat tient compte des décisions suivantes :\nTutelle du mineur : décision du 3 mars 2025 (Conseil de famille, Tribunal judiciaire de Valville, référence RG 25/00042)');
    expect(contract).not.toContain('Aucune décision administrative, judiciaire');
    expect(text('contrat-sejour', '1.7.0', enzo('tutelle'), 'standard')).toContain('Aucune décision administrative, judiciaire, médicale ou d’orientation préalable n’est mentionnée.');
    expect(text('contrat-sejour', '1.8.0', enzo('tutelle'), 'falc')).toContain('La décision sur votre tutelle, le 3 mars 2025');
    // Minors whose parents exercise their authority: no decision, as before.
    expect(text('contrat-sejour', '1.8.0', enzo('parents'), 'standard')).toContain('Aucune décision administrative, judiciaire, médicale ou d’orientation préalable n’est mentionnée.');
  });

  it('4. the notice goes to the person first and to her tuteur or curateur of her property only too', () => {
    const tuteur = text('contrat-sejour', '1.8.0', lucie(['biens']), 'standard');
    expect(tuteur).toContain('La notice d’information sur la personne de confiance a été remise à Lucie Bernard et à son représentant légal (tuteur) le 14 août 2026');
    expect(tuteur).toContain('par Lucie Bernard et par son représentant légal (tuteur), est jointe au contrat');
    expect(text('contrat-sejour', '1.7.0', lucie(['biens']), 'standard')).toContain('La notice d’information sur la personne de confiance a été remise à Lucie Bernard le 14 août 2026');
    expect(text('contrat-sejour', '1.8.0', lucie(['biens']), 'falc')).toContain('Votre tuteur a aussi reçu cette feuille.');
    expect(text('contrat-sejour', '1.7.0', lucie(['biens']), 'falc')).not.toContain('Votre tuteur a aussi reçu cette feuille.');
    const curateur = text('contrat-sejour', '1.8.0', curatelle(['biens']), 'standard');
    expect(curateur).toContain('a été remise à Lucie Bernard et à la personne chargée de sa mesure de protection (curateur) le 14 août 2026');
    expect(text('contrat-sejour', '1.7.0', curatelle(['biens']), 'standard')).toContain('a été remise à Lucie Bernard le 14 août 2026');
    // Under a tutelle of the person: her legal representative, as 1.7.0 said.
    expect(text('contrat-sejour', '1.8.0', lucie(['personne', 'biens']), 'standard')).toContain('remise à Lucie Bernard et à son représentant légal (tuteur) le 14 août 2026');
  });

  it.each(['tutelle', 'delegation totale', 'delegation partielle', 'parents'] as const)('4. a minor’s contract (%s) carries no personne de confiance notice nor clause, in either variant', (s) => {
    for (const variant of ['standard', 'falc'] as const) {
      const t = text('contrat-sejour', '1.8.0', enzo(s), variant);
      expect(t).not.toMatch(/personne de confiance/i);
      expect(text('contrat-sejour', '1.7.0', enzo(s), variant)).toContain('Notice d’information sur la personne de confiance');
    }
    // The other documents handed over are still listed.
    expect(text('contrat-sejour', '1.8.0', enzo(s), 'standard')).toContain('Charte des droits et libertés de la personne accueillie');
    // An adult is still given it.
    expect(text('contrat-sejour', '1.8.0', lucie(['personne', 'biens']), 'standard')).toContain('Notice d’information sur la personne de confiance');
  });
});

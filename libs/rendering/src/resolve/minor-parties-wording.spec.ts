import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templateInputOf } from '@carepact/documents';
import type { ResidentView } from '@carepact/residents';
import { lintFalcText, TemplateLoader } from '@carepact/templates';
import type { ContentVariant } from '../tree';
import { type TemplateInput, templateInputFromFixture } from './fixture-input';
import { resolve, validateTemplateInput } from './resolve';
// The minors' files (sole: C. civ. 373-2-1; shared; Inès under tutelle, C. civ. 390, 408): testing/parties.builder.ts.
import {
  contactView as contact,
  establishmentOf,
  inesUnderTutelle as ines,
  minorFile,
  sharedParentsMinor as shared,
  soleParentMinor as sole,
  treeLines as lines,
} from './testing/parties.builder';

/**
 * Contrat de séjour 1.10.0, avenant 1.10.0 and DIPC 1.8.0, after the sector lawyer's review of
 * session 16 (contrat 1.9.0, avenant 1.9.0 and DIPC 1.7.0 are kept as they were, for the documents
 * made with them):
 *
 * 1. One parent alone exercises parental authority (C. civ. 372 al. 2, 373, 373-1, 373-2-1; the file
 *    records it, `parentalAuthority: 'sole'` with its proof): the easy-to-read text names who signs —
 *    « Votre mère » / « Votre père » when the file's relation says so, otherwise « Votre parent » and
 *    the parent's name —, never « Vos parents signent ce contrat pour vous ».
 * 2. A placed minor (C. civ. 375-3, 375-7): the parties print the placement's decision and the juge
 *    des enfants' authorisation for the service gardien to sign (C. civ. 375-7 al. 2: reference, date),
 *    as the decisions behind the other minors' representatives are printed since contrat 1.8.0
 *    (CASF D.311). Avenant and DIPC only: no contrat de séjour is made for a placed minor
 *    (CONTRACT_NOT_APPLICABLE_COURT_MEASURE).
 * 4. The tuteur's capacity said « en qualité de tuteur du mineur X, qui le représente »: wrong for a
 *    girl, and the file holds no gender. Now « en qualité de tuteur, au nom de X » (C. civ. 408: the
 *    tuteur represents the minor, he acts in the minor's name), with no word agreeing with the minor.
 */
const tilleuls = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const ime = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-ime-les-sources.json'), 'utf8'));
const loader = new TemplateLoader();
const ON = '2026-11-20';

type Act = 'contrat-sejour' | 'avenant' | 'dipc';
const OLD: Record<Act, string> = { 'contrat-sejour': '1.9.0', avenant: '1.9.0', dipc: '1.7.0' };
const NEW: Record<Act, string> = { 'contrat-sejour': '1.10.0', avenant: '1.10.0', dipc: '1.8.0' };
// Large print is the standard text in a larger face (ContentVariant): its PDF is checked with pdftotext.
const VARIANTS: ContentVariant[] = ['standard', 'falc'];

const text = (type: Act, version: string, input: TemplateInput, variant: ContentVariant) => lines(resolve(loader.load(type, version), input, variant));

// The IME's establishment, with the documents handed over with the contract (testing/parties.builder.ts).
const est = establishmentOf(ime, { withAnnexes: true });

/** The document data: Inès Moreau's contract (the IME demo), the demo's accompaniment avenant and DIPC, for a minor in an IME. */
function dataFor(type: Act): Record<string, unknown> {
  if (type === 'contrat-sejour') {
    const { minorView: _v, minorViewFalc: _f, ...rest } = templateInputFromFixture(ime, 'contrat-sejour', 'ines-moreau').document;
    return { ...rest, minorView: 'Elle a dit oui.', minorViewFalc: 'Vous avez dit oui.' };
  }
  if (type === 'avenant') return templateInputFromFixture(tilleuls, 'avenant').document;
  const { pricing: _p, ...dipc } = templateInputFromFixture(tilleuls, 'dipc').document;
  return { ...dipc, financialContribution: 'aucune' };
}
const inputOf = (type: Act, file: ResidentView, data: Record<string, unknown> = dataFor(type)): TemplateInput =>
  templateInputOf(est, file, JSON.parse(JSON.stringify(data)) as Record<string, unknown>, ON, type) as unknown as TemplateInput;


const ase = contact('ase', 'Sophie', 'Garnier', { organisationName: 'ASE du Val', minorRole: 'service_gardien' });
const PLACEMENT = { authority: 'Juge des enfants, tribunal judiciaire de Valville', reference: 'RG 26/00311', date: '2026-08-20' };
/** C. civ. 375-3, 375-7: Sami, entrusted to the ASE; the juge des enfants authorised it to sign (al. 2), or not. */
const placed = (authorised: boolean) =>
  minorFile({
    firstName: 'Sami',
    lastName: 'Benali',
    parentalAuthority: 'court_measure',
    minorDecision: { ...PLACEMENT, actAuthorisation: authorised ? { reference: 'Ordonnance JE 26/0012', date: '2026-10-02' } : null },
    contacts: [ase, contact('nora', 'Nora', 'Benali', { holdsParentalAuthority: true }), contact('karim', 'Karim', 'Benali', { holdsParentalAuthority: true })],
  });

const falcErrors = (type: Act, all: string[]) => {
  const terms = loader.load(type).content.glossary.map((g) => g.term);
  return all.flatMap((l) => lintFalcText(l, terms).filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.excerpt}`));
};

describe('contrat de séjour 1.10.0, avenant 1.10.0, DIPC 1.8.0: a minor’s parties', () => {
  it('were the versions new documents are made with (contrat 1.11.0, avenant 1.11.0 and DIPC 1.9.0 follow them, naming the délégation’s form: delegation-forms-wording.spec.ts)', () => {
    // Contrat 1.12.0, avenant 1.12.0 and DIPC 1.10.0 then say « gestion patrimoniale » (C. civ. 447 al. 3) and explain « autorité parentale ».
    const latest: Record<Act, string> = { 'contrat-sejour': '1.14.0', avenant: '1.14.0', dipc: '1.12.0' };
    for (const type of ['contrat-sejour', 'avenant', 'dipc'] as const) expect([type, loader.load(type).content.version, loader.load(type, NEW[type]).published?.sha256]).toEqual([type, latest[type], loader.load(type, NEW[type]).sha256]);
  });

  it('every input here is valid for the old and the new versions', () => {
    const files = [sole('mère'), sole(null), shared(), ines(), ines(true)];
    for (const type of ['contrat-sejour', 'avenant', 'dipc'] as const)
      for (const file of type === 'contrat-sejour' ? files : [...files, placed(true), placed(false)])
        for (const version of [OLD[type], NEW[type]]) expect([type, version, file.firstName, validateTemplateInput(loader.load(type, version), inputOf(type, file))]).toEqual([type, version, file.firstName, []]);
  });

  describe('1. one parent alone exercises parental authority (C. civ. 372 al. 2, 373-2-1)', () => {
    it.each([
      ['mère', 'Votre mère'],
      ['Père', 'Votre père'],
      [null, 'Votre parent Claire Martin'],
      ['tante par alliance', 'Votre parent Claire Martin'],
    ] as const)('relation %s: « %s signe … pour vous », in the contract and the avenant; the DIPC « … peut aussi signer »', (relation, who) => {
      const file = sole(relation);
      const title = who.startsWith('Votre parent') ? 'Votre parent' : who;
      expect(text('contrat-sejour', NEW['contrat-sejour'], inputOf('contrat-sejour', file), 'falc')).toEqual(
        expect.arrayContaining([`${title} décide avec vous.`, `${title} est :`, 'Claire Martin', `${who} signe ce contrat pour vous.`]),
      );
      expect(text('avenant', NEW.avenant, inputOf('avenant', file), 'falc')).toEqual(expect.arrayContaining([`${title} décide avec vous.`, `${who} signe cet avenant pour vous.`]));
      expect(text('dipc', NEW.dipc, inputOf('dipc', file), 'falc')).toEqual(expect.arrayContaining([`${title} décide avec vous.`, `${who} peut aussi signer ce document.`]));
      for (const type of ['contrat-sejour', 'avenant', 'dipc'] as const) {
        const falc = text(type, NEW[type], inputOf(type, file), 'falc');
        expect(falc.join('\n')).not.toMatch(/Vos parents/);
        // The new sentences pass the FALC rules (the establishment's name « IME » and the like are data, checked by falc-renditions.spec).
        expect(falcErrors(type, falc.filter((l) => l.startsWith(title)))).toEqual([]);
      }
      // The previous versions said the parents, for one parent as for two.
      expect(text('contrat-sejour', OLD['contrat-sejour'], inputOf('contrat-sejour', file), 'falc')).toContain('Vos parents signent ce contrat pour vous.');
      expect(text('avenant', OLD.avenant, inputOf('avenant', file), 'falc')).toContain('Vos parents signent cet avenant pour vous.');
      expect(text('dipc', OLD.dipc, inputOf('dipc', file), 'falc')).toContain('Vos parents peuvent aussi signer ce document.');
    });

    it('standard: the parties say one parent exercises it, and the slot says so (as the signature policy does)', () => {
      const variant = 'standard';
      for (const type of ['contrat-sejour', 'avenant', 'dipc'] as const) {
        const all = text(type, NEW[type], inputOf(type, sole('mère')), variant);
        expect(all).toContain('Léa Martin est une personne mineure. Autorité parentale exercée par un seul parent (C. civ. 372 al. 2, 373, 373-1, 373-2-1) :');
        expect(all.find((l) => l.startsWith('Claire Martin — '))).toMatch(/en qualité de parent exerçant l’autorité parentale exclusive, pour Léa Martin$/);
        expect(all.join('\n')).not.toContain('Titulaires de l’autorité parentale');
      }
    });

    it('two parents: unchanged, « Vos parents signent ce contrat pour vous »', () => {
      for (const type of ['contrat-sejour', 'avenant', 'dipc'] as const)
        for (const variant of VARIANTS)
          expect([type, variant, text(type, NEW[type], inputOf(type, shared()), variant)]).toEqual([
            type,
            variant,
            // Avenant 1.10.0 says « avenant » once in its opening (avenant-accompaniment-opening.spec.ts); the rest is unchanged.
            text(type, OLD[type], inputOf(type, shared()), variant).map((l) => l.replace('Le présent avenant, avenant à six mois, complète', 'Le présent avenant, établi dans les six mois suivant l’admission, complète')),
          ]);
      expect(text('contrat-sejour', NEW['contrat-sejour'], inputOf('contrat-sejour', shared()), 'falc')).toContain('Vos parents signent ce contrat pour vous.');
    });
  });

  describe('2. a placed minor: the placement and the juge des enfants’ authorisation in the parties (C. civ. 375-7 al. 2)', () => {
    it('the template input carries the authorisation (reference, date), for the placement only', () => {
      expect((inputOf('dipc', placed(true)).resident as { minorRepresentation: unknown }).minorRepresentation).toMatchObject({
        kind: 'court_measure',
        actAuthorised: true,
        actAuthorisation: { reference: 'Ordonnance JE 26/0012', date: '2026-10-02' },
      });
      expect((inputOf('dipc', placed(false)).resident as { minorRepresentation: unknown }).minorRepresentation).toMatchObject({ actAuthorised: false, actAuthorisation: null });
      expect((inputOf('dipc', ines()).resident as { minorRepresentation: unknown }).minorRepresentation).toMatchObject({ actAuthorisation: null });
    });

    it.each([
      ['dipc', 'ce document'],
      ['avenant', 'cet avenant'],
    ] as const)('%s: the decision and the authorisation in the standard text (large print: its PDF); the old version printed neither', (type, act) => {
      const data = type === 'avenant' ? { ...dataFor('avenant'), appliesTo: 'dipc', contractSignedOn: '2026-10-05' } : dataFor('dipc');
      for (const variant of ['standard'] as const) {
        const all = text(type, NEW[type], inputOf(type, placed(true), data), variant);
        const at = all.indexOf(
          'Accueil au titre d’une mesure d’assistance éducative, par décision du 20 août 2026 (Juge des enfants, tribunal judiciaire de Valville, référence RG 26/00311). Service ou établissement à qui l’enfant est confié :',
        );
        expect(at).toBeGreaterThan(0);
        expect(all.slice(at + 1, at + 3)).toEqual([
          'Sophie Garnier (ASE du Val)',
          `Autorisation du juge des enfants du 2 octobre 2026 (référence Ordonnance JE 26/0012) : ce service peut signer ${act} pour l’enfant, acte relevant de l’autorité parentale (C. civ. 375-7 al. 2).`,
        ]);
        const old = text(type, OLD[type], inputOf(type, placed(true), data), variant).join('\n');
        expect(old).not.toContain('Ordonnance JE 26/0012');
        expect(old).not.toContain('RG 26/00311');
        // Without the authorisation: the decision, and no authorisation line.
        const without = text(type, NEW[type], inputOf(type, placed(false), data), variant);
        expect(without.join('\n')).toContain('par décision du 20 août 2026 (Juge des enfants, tribunal judiciaire de Valville, référence RG 26/00311)');
        expect(without.join('\n')).not.toContain('Autorisation du juge des enfants');
      }
      const falc = text(type, NEW[type], inputOf(type, placed(true), data), 'falc');
      const at = falc.indexOf('Un juge s’occupe de votre protection.');
      expect(falc.slice(at, at + 7)).toEqual([
        'Un juge s’occupe de votre protection.',
        'Il a choisi un service pour s’occuper de vous.',
        'Le juge a décidé cela le 20 août 2026.',
        'Ce service est :',
        'Sophie Garnier (ASE du Val)',
        `Le juge a dit que ce service peut signer ${type === 'dipc' ? 'ce document' : 'cet avenant'}.`,
        'Le juge a décidé cela le 2 octobre 2026.',
      ]);
      expect(falcErrors(type, [...falc.slice(at, at + 4), ...falc.slice(at + 5, at + 7)])).toEqual([]);
    });

    it('the DIPC prints the decision behind a tuteur or a délégataire too (the contract does since 1.8.0)', () => {
      expect(text('dipc', NEW.dipc, inputOf('dipc', ines()), 'standard')).toContain(
        'Inès Moreau est une personne mineure. Placée sous tutelle, par décision du 18 juin 2024 (Conseil de famille, tribunal judiciaire de Valville, référence RG 24/00735), elle est représentée par son tuteur :',
      );
      expect(text('dipc', OLD.dipc, inputOf('dipc', ines()), 'standard').join('\n')).not.toContain('RG 24/00735');
    });
  });

  describe('4. the tuteur’s capacity names no gender (C. civ. 408)', () => {
    it.each(['contrat-sejour', 'avenant', 'dipc'] as const)('%s: « en qualité de tuteur, au nom d’Inès Moreau », in every variant; the old one said « du mineur …, qui le représente »', (type) => {
      for (const variant of VARIANTS) {
        const all = text(type, NEW[type], inputOf(type, ines()), variant);
        expect(all.find((l) => l.startsWith('Catherine Moreau — '))).toMatch(/en qualité de tuteur, au nom d’Inès Moreau$/);
        expect(all.join('\n')).not.toMatch(/qui le représente|du mineur Inès/);
        expect(text(type, NEW[type], inputOf(type, ines(true)), variant).find((l) => l.startsWith('Catherine Moreau — '))).toMatch(/en qualité de tuteur, au nom d’Inès Moreau, pupille de l’État$/);
        expect(text(type, OLD[type], inputOf(type, ines()), variant).find((l) => l.startsWith('Catherine Moreau — '))).toMatch(/en qualité de tuteur du mineur Inès Moreau, qui le représente$/);
      }
    });
  });
});

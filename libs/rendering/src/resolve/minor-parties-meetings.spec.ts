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
  establishmentOf,
  inesUnderTutelle as ines,
  sharedParentsMinor as shared,
  soleParentMinor as sole,
  treeLines as lines,
} from './testing/parties.builder';

/**
 * Projet personnalisé 1.8.0 and compte rendu de synthèse 1.7.0: the wording of contrat de séjour
 * 1.10.0, avenant 1.10.0 and DIPC 1.8.0 for a minor's parties (minor-parties-wording.spec.ts), from
 * the same template input (templateInputOf: `parentalAuthority: 'sole'`, the parent's relation):
 *
 * 1. One parent alone exercises parental authority (C. civ. 372 al. 2, 373, 373-1, 373-2-1): the
 *    easy-to-read text names him — « Votre mère », « Votre père », else « Votre parent » and his
 *    name —, never « Vos parents »; the standard text says one parent exercises it, and so does
 *    his signature slot.
 * 2. The tuteur's capacity said « en qualité de tuteur du mineur X, qui le représente », wrong for a
 *    girl (the file holds no gender): now « en qualité de tuteur, au nom de X » (C. civ. 408).
 *
 * Projet 1.7.0 and compte rendu 1.6.0 are kept as they were, for the documents made with them.
 */
const tilleuls = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const ime = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-ime-les-sources.json'), 'utf8'));
const loader = new TemplateLoader();
const ON = '2026-11-20';

type Kind = 'projet-personnalise' | 'compte-rendu-synthese';
const KINDS: Kind[] = ['projet-personnalise', 'compte-rendu-synthese'];
const OLD: Record<Kind, string> = { 'projet-personnalise': '1.7.0', 'compte-rendu-synthese': '1.6.0' };
const NEW: Record<Kind, string> = { 'projet-personnalise': '1.8.0', 'compte-rendu-synthese': '1.7.0' };
const VARIANTS: ContentVariant[] = ['standard', 'falc'];

// The IME's establishment, with the documents handed over with the contract (testing/parties.builder.ts).
const est = establishmentOf(ime, { withAnnexes: true });

/** The demo projet and compte rendu (Les Tilleuls), for this minor; the compte rendu sent to the person and the team only (the parents and the outside doctor are Enzo Petit's). */
function dataFor(kind: Kind): Record<string, unknown> {
  const doc = templateInputFromFixture(tilleuls, kind).document as Record<string, unknown>;
  return kind === 'compte-rendu-synthese' ? { ...doc, recipients: (doc.recipients as { circle: string }[]).filter((r) => r.circle === 'personne' || r.circle === 'equipe') } : doc;
}
const inputOf = (kind: Kind, file: ResidentView): TemplateInput =>
  templateInputOf(est, file, JSON.parse(JSON.stringify(dataFor(kind))) as Record<string, unknown>, ON, kind) as unknown as TemplateInput;
const text = (kind: Kind, version: string, file: ResidentView, variant: ContentVariant) => lines(resolve(loader.load(kind, version), inputOf(kind, file), variant));
const falcErrors = (kind: Kind, all: string[]) => {
  const terms = loader.load(kind).content.glossary.map((g) => g.term);
  return all.flatMap((l) => lintFalcText(l, terms).filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.excerpt}`));
};

describe('projet personnalisé 1.8.0, compte rendu de synthèse 1.7.0: a minor’s parties', () => {
  it('are published and pinned (projet 1.9.0 and compte rendu 1.8.0 follow them, naming the délégation’s form: delegation-forms-wording.spec.ts)', () => {
    const latest: Record<Kind, string> = { 'projet-personnalise': '1.12.0', 'compte-rendu-synthese': '1.10.0' };
    for (const kind of KINDS) {
      const t = loader.load(kind, NEW[kind]);
      expect([kind, loader.load(kind).content.version, t.published?.sha256]).toEqual([kind, latest[kind], t.sha256]);
    }
  });

  it('every input here is valid for the old and the new versions', () => {
    for (const kind of KINDS)
      for (const file of [sole('mère'), sole(null), shared(), ines(), ines(true)])
        for (const version of [OLD[kind], NEW[kind]])
          expect([kind, version, file.firstName, validateTemplateInput(loader.load(kind, version), inputOf(kind, file))]).toEqual([kind, version, file.firstName, []]);
  });

  describe('1. one parent alone exercises parental authority (C. civ. 372 al. 2, 373-2-1)', () => {
    it.each([
      ['mère', 'Votre mère', 'sa mère'],
      ['Père', 'Votre père', 'son père'],
      [null, 'Votre parent Claire Martin', 'son parent Claire Martin'],
    ] as const)('relation %s: « %s », never « Vos parents »', (relation, who, owner) => {
      const file = sole(relation);
      const title = who.startsWith('Votre parent') ? 'Votre parent' : who;
      const projet = text('projet-personnalise', NEW['projet-personnalise'], file, 'falc');
      expect(projet).toEqual(expect.arrayContaining([`${title} décide avec vous.`, `${title} est :`, 'Claire Martin', `${who} signe aussi.`]));
      expect(text('projet-personnalise', NEW['projet-personnalise'], file, 'standard').join('\n')).toContain(
        `Léa Martin s’exprime elle-même sur son projet, ci-dessus, à part de ${owner}. Elle signe son projet lorsqu’elle le peut ; sa signature s’ajoute à celle de ${owner} et ne la remplace pas.`,
      );
      const minutes = text('compte-rendu-synthese', NEW['compte-rendu-synthese'], file, 'falc');
      expect(minutes.join('\n')).toContain(`nous avons parlé avec ${who.replace('Votre', 'votre')} des informations sur vous.`);
      for (const kind of KINDS) {
        const falc = text(kind, NEW[kind], file, 'falc');
        // The demo's own texts (informedHowFalc « nous avons parlé avec vos parents… ») are data, not the template's words.
        expect(falc.filter((l) => /Vos parents|avec vos parents des/.test(l))).toEqual([]);
        expect(falcErrors(kind, falc.filter((l) => l.includes(title) || l.includes(who.replace('Votre', 'votre'))))).toEqual([]);
      }
      // The previous versions said the parents, for one parent as for two.
      expect(text('projet-personnalise', OLD['projet-personnalise'], file, 'falc')).toContain('Vos parents signent aussi.');
      expect(text('compte-rendu-synthese', OLD['compte-rendu-synthese'], file, 'falc').join('\n')).toContain('nous avons parlé avec vos parents des informations sur vous.');
    });

    it('standard: the parties and the slot say one parent exercises it (as the signature policy does)', () => {
      for (const kind of KINDS) {
        const all = text(kind, NEW[kind], sole('mère'), 'standard');
        expect(all.find((l) => l.startsWith('Claire Martin — '))).toMatch(/en qualité de parent exerçant l’autorité parentale exclusive, pour Léa Martin$/);
        expect(all.join('\n')).not.toContain('Titulaires de l’autorité parentale');
      }
      expect(text('projet-personnalise', NEW['projet-personnalise'], sole('mère'), 'standard')).toContain(
        'Léa Martin est une personne mineure. Autorité parentale exercée par un seul parent (C. civ. 372 al. 2, 373, 373-1, 373-2-1) :',
      );
      expect(text('compte-rendu-synthese', NEW['compte-rendu-synthese'], sole('mère'), 'standard').join('\n')).toContain(
        'a été délivrée au parent qui exerce seul l’autorité parentale (',
      );
    });

    it('two parents: unchanged', () => {
      for (const kind of KINDS)
        for (const variant of VARIANTS) expect([kind, variant, text(kind, NEW[kind], shared(), variant)]).toEqual([kind, variant, text(kind, OLD[kind], shared(), variant)]);
    });
  });

  describe('2. the tuteur’s capacity names no gender (C. civ. 408)', () => {
    it.each(KINDS)('%s: « en qualité de tuteur, au nom d’Inès Moreau », in every variant; the old one said « du mineur …, qui le représente »', (kind) => {
      for (const variant of VARIANTS) {
        const all = text(kind, NEW[kind], ines(), variant);
        expect(all.find((l) => l.startsWith('Catherine Moreau — '))).toMatch(/en qualité de tuteur, au nom d’Inès Moreau$/);
        expect(all.join('\n')).not.toMatch(/qui le représente|du mineur Inès/);
        expect(text(kind, NEW[kind], ines(true), variant).find((l) => l.startsWith('Catherine Moreau — '))).toMatch(/en qualité de tuteur, au nom d’Inès Moreau, pupille de l’État$/);
        expect(text(kind, OLD[kind], ines(), variant).find((l) => l.startsWith('Catherine Moreau — '))).toMatch(/en qualité de tuteur du mineur Inès Moreau, qui le représente$/);
      }
    });
  });
});

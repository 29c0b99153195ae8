import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintTemplate, TemplateLoader } from '@carepact/templates';
import { resolve, validateTemplateInput } from './resolve';
import type { DocumentTree } from '../tree';
import { templateInputFromFixture } from './fixture-input';

/**
 * A sector lawyer's review of projet personnalisé 1.11.0 against the text of CASF D.311, V: « Un avenant
 * précise dans le délai maximum de six mois les objectifs et les prestations adaptées à la personne. Chaque
 * année, la définition des objectifs et des prestations est réactualisée. » (VI applies it to the DIPC).
 * D.311 says nothing of the projet itself: that it is formalised within those six months and reviewed at
 * least once a year and at each change of situation comes from the ANESM recommendations of December 2008.
 * Projet 1.11.0 printed « Il est formalisé dans les six mois qui suivent l’admission, délai dans lequel un
 * avenant […] (article D.311 du même code), puis révisé au moins une fois par an […] », and its review date's
 * description and NEXT_REVIEW_TOO_LATE tied the projet's yearly review to D.311 and L.311-3 7°; compte rendu
 * 1.9.0 the same. The six months and the yearly updating were cited « D.311 » without their paragraph, the
 * avenant itself said « réactualisé ». Fixed in projet 1.12.0, compte rendu 1.10.0, contrat 1.14.0,
 * avenant 1.14.0 and DIPC 1.12.0 (published versions unchanged).
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
const LATEST = { 'contrat-sejour': '1.14.0', avenant: '1.14.0', dipc: '1.12.0', 'projet-personnalise': '1.12.0', 'compte-rendu-synthese': '1.10.0' } as const;
const KINDS = Object.keys(LATEST) as (keyof typeof LATEST)[];
const SENTENCE =
  'Un avenant au contrat de séjour ou au document individuel de prise en charge (DIPC) précise, dans le délai maximum de six mois, les objectifs et les prestations adaptées à la personne, dont la définition est réactualisée chaque année (CASF D.311, V) ; le projet qui les porte est formalisé dans ce délai et révisé au moins une fois par an et à chaque changement de situation (recommandations de l’ANESM, décembre 2008).';

const lines = (tree: DocumentTree) =>
  tree.blocks.flatMap((b) =>
    b.kind === 'heading' || b.kind === 'paragraph' ? [b.text.map((r) => r.text).join('')] : b.kind === 'list' ? b.items.map((i) => i.map((r) => r.text).join('')) : [],
  );

/** Every string of a template, with the path it sits at. */
function strings(node: unknown, path = ''): { path: string; s: string }[] {
  if (typeof node === 'string') return [{ path, s: node }];
  if (Array.isArray(node)) return node.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

/** « D.311 » cited as the article, without a paragraph (not D.311-0-4 and the like). */
const BARE_D311 = /D\.311(?![-\s,]*(?:[IVX]+\b|-))/;

describe('the latest published templates are the reviewed ones', () => {
  it.each(KINDS)('%s: the latest published version, pinned in published.json', (kind) => {
    const t = loader.load(kind);
    expect([kind, t.content.version, t.published?.sha256]).toEqual([kind, LATEST[kind], t.sha256]);
  });
});

describe('the projet personnalisé: the six months and the yearly updating under CASF D.311, V; the projet’s own review under the ANESM recommendations', () => {
  const projet = loader.load('projet-personnalise');
  const input = templateInputFromFixture(fixture, 'projet-personnalise');

  it('the standard projet prints the lawyer’s sentence, not the old one', () => {
    const std = lines(resolve(projet, input, 'standard')).join('\n');
    expect(std).toContain(SENTENCE);
    expect(std).not.toContain('délai dans lequel un avenant');
    expect(std).not.toContain('article D.311 du même code');
    expect(std).not.toMatch(/tous les six mois/);
  });

  it('the easy-to-read projet says the same in short sentences, without « avenant »', () => {
    const falc = lines(resolve(projet, input, 'falc'));
    const i = falc.indexOf('Ce projet parle de vous et de ce que vous voulez.');
    expect(falc.slice(i, i + 6)).toEqual([
      'Ce projet parle de vous et de ce que vous voulez.',
      'Nous l’écrivons avec vous en 6 mois au plus.',
      'Il dit vos objectifs et ce que nous faisons pour vous.',
      'Nous les écrivons dans votre contrat ou document de prise en charge.',
      'Nous revoyons tout cela avec vous au moins 1 fois par an.',
      'Nous revoyons aussi le projet quand votre situation change.',
    ]);
    expect(lintTemplate(projet.content).filter((f) => f.field.startsWith('body[1].'))).toEqual([]);
  });

  it.each(['projet-personnalise', 'compte-rendu-synthese'] as const)('%s: the review date’s description and NEXT_REVIEW_TOO_LATE give the projet’s yearly review to the ANESM, the objectives’ to D.311, V', (kind) => {
    const t = loader.load(kind);
    const description = (t.content.inputSchema as { properties: { document: { properties: { nextReview: { description: string } } } } }).properties.document.properties.nextReview.description;
    const message = validateTemplateInput(t, { ...templateInputFromFixture(fixture, kind), document: { ...templateInputFromFixture(fixture, kind).document, nextReview: '2029-01-01' } }).find((e) => e.code === 'NEXT_REVIEW_TOO_LATE')?.message;
    for (const s of [description, message]) {
      expect(s).toMatch(/révisé au moins une fois par an et à chaque changement de situation \(recommandations de l’ANESM/);
      expect(s).toMatch(/réactualisée chaque année \(CASF D\.311, V\)/);
      expect(s).not.toMatch(BARE_D311);
      expect(s).not.toMatch(/qui les porte avec eux|avec eux le projet/);
    }
  });
});

describe('the latest templates: a text on the six months or the yearly updating cites D.311 with its paragraph', () => {
  it.each(KINDS)('%s: no bare « D.311 » beside « six mois » or « réactualis… », no « tous les six mois »', (kind) => {
    const all = strings(loader.load(kind).content);
    const bare = all.filter(({ s }) => /six mois|réactualis/.test(s) && BARE_D311.test(s)).map(({ path }) => path);
    expect(bare).toEqual([]);
    expect(all.filter(({ s }) => /tous les six mois|tous les 6 mois/.test(s)).map(({ path }) => path)).toEqual([]);
  });

  it.each(['contrat-sejour', 'avenant', 'dipc'] as const)('%s: the source of the six-month avenant says what D.311, V says: the definition of the objectives and prestations is réactualisée each year', (kind) => {
    const sources = strings(loader.load(kind).content).filter(({ path, s }) => path.endsWith('.source') && /six mois/.test(s) && /D\.311/.test(s));
    expect(sources.length).toBeGreaterThanOrEqual(1);
    for (const { s } of sources) {
      expect(s).toMatch(/D\.311, V/);
      expect(s).toContain('dans le délai maximum de six mois les objectifs et les prestations adaptées à la personne');
      expect(s).toContain('leur définition est réactualisée');
    }
  });
});

describe('the printed texts say what D.311, V says: the definition of the objectives and services is updated each year, not the avenant', () => {
  it.each(['contrat-sejour', 'dipc'] as const)('%s: no « avenant … réactualisé » printed', (kind) => {
    const all = strings(loader.load(kind).content).filter(({ path }) => !path.endsWith('.source') && !path.endsWith('.description'));
    expect(all.filter(({ s }) => /Cet avenant est réactualisé|il est réactualisé chaque année/.test(s)).map(({ path }) => path)).toEqual([]);
    expect(all.some(({ s }) => /définition est réactualisée chaque année|définition de ces objectifs et prestations est réactualisée chaque année/.test(s))).toBe(true);
  });

  it('the projet spells out the DIPC the first time it names it', () => {
    const printed = strings(loader.load('projet-personnalise').content).filter(({ s }) => /\bDIPC\b/.test(s) && !/document individuel de prise en charge/.test(s));
    expect(printed.filter(({ path }) => !path.endsWith('.source') && !path.endsWith('.description') && !path.endsWith('.message')).map(({ path }) => path)).toEqual([]);
  });
});

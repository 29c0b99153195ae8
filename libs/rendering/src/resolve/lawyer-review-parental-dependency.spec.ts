import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintTemplate, TemplateLoader } from '@carepact/templates';
import { resolve } from './resolve';
import type { DocumentTree } from '../tree';
import { templateInputFromFixture } from './fixture-input';

/**
 * A sector lawyer's review of avenant 1.12.0, contrat de séjour 1.12.0, DIPC 1.10.0, projet personnalisé 1.10.0
 * and compte rendu de synthèse 1.9.0; the fixes are avenant 1.13.0, contrat 1.13.0, DIPC 1.11.0, projet 1.11.0:
 * 1. the daily dependency tariffs are not in CASF R.314-172 alone (it defines the forfait global relatif à la
 *    dépendance paid to the establishment; the tariffs follow it): « L.314-2 et R.314-172 et suivants »;
 * 2. C. civ. 371-1: the parents « associent l'enfant aux décisions qui le concernent, selon son âge et son
 *    degré de maturité »: the easy-to-read « autorité parentale » no longer says « Ils décident pour lui »;
 * 3. CASF L.311-3 7°: « la participation directe ou avec l'aide de son représentant légal à la conception et à
 *    la mise en œuvre du projet d'accueil et d'accompagnement qui la concerne », said whole where it is cited.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
/** The versions this review produced; the next review's (projet 1.12.0…, CASF D.311, V) is lawyer-review-d311.spec.ts. */
const REVIEWED = { 'contrat-sejour': '1.13.0', avenant: '1.13.0', dipc: '1.11.0', 'projet-personnalise': '1.11.0', 'compte-rendu-synthese': '1.9.0' } as const;
const KINDS = Object.keys(REVIEWED) as (keyof typeof REVIEWED)[];
const DEFINITION = 'L’autorité parentale, ce sont les droits et les devoirs des parents. Les parents protègent leur enfant jusqu’à ses 18 ans. Ils prennent les décisions importantes pour lui. Ils lui demandent son avis.';

const lines = (tree: DocumentTree) =>
  tree.blocks.flatMap((b) =>
    b.kind === 'heading' || b.kind === 'paragraph'
      ? [b.text.map((r) => r.text).join('')]
      : b.kind === 'list'
        ? b.items.map((i) => i.map((r) => r.text).join(''))
        : b.kind === 'table'
          ? [b.caption, ...b.rows.flat().map((c) => c.map((r) => r.text).join(''))]
          : [],
  );

/** Every string of a template, with the path it sits at. */
function strings(node: unknown, path = ''): { path: string; s: string }[] {
  if (typeof node === 'string') return [{ path, s: node }];
  if (Array.isArray(node)) return node.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

/** The easy-to-read strings: under a `falc` key or a label table whose name ends in `Falc`. */
function falcStrings(node: unknown, inFalc = false): string[] {
  if (typeof node === 'string') return inFalc ? [node] : [];
  if (Array.isArray(node)) return node.flatMap((v) => falcStrings(v, inFalc));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => falcStrings(v, inFalc || k === 'falc' || k.endsWith('Falc')));
  return [];
}

const tariffAvenant = (dependanceGir56PerDay: number | null) => ({
  ...templateInputFromFixture(fixture, 'avenant', 'marcel-dupont'),
  document: {
    purpose: 'tarifs',
    kind: 'avenant tarifaire au 1er janvier 2027',
    appliesTo: 'contrat-sejour',
    contractSignedOn: '2026-10-29',
    tariffChange: {
      effectiveOn: '2027-01-01',
      basis: 'revalorisation_annuelle',
      basisReference: 'arrêté du 18 décembre 2026',
      percentage: 2.5,
      cvsConsultedOn: '2026-11-20',
      prices: { hebergementPerDay: 74.31, dependanceGir56PerDay, totalPerDay: 74.31 + (dependanceGir56PerDay ?? 0) },
      previousPrices: { hebergementPerDay: 72.5, dependanceGir56PerDay: dependanceGir56PerDay == null ? null : 6.5, totalPerDay: dependanceGir56PerDay == null ? 72.5 : 79 },
    },
  },
});

describe('the reviewed templates are published', () => {
  it.each(KINDS)('%s: the reviewed version, pinned in published.json', (kind) => {
    const t = loader.load(kind, REVIEWED[kind]);
    expect([kind, t.content.version, t.published?.sha256]).toEqual([kind, REVIEWED[kind], t.sha256]);
  });
});

describe('the dependency tariff: CASF L.314-2 and R.314-172 et suivants, not R.314-172 alone', () => {
  it.each(KINDS)('%s: every citation of R.314-172 reads « R.314-172 et suivants »', (kind) => {
    const cited = strings(loader.load(kind, REVIEWED[kind]).content).filter(({ s }) => s.includes('R.314-172'));
    for (const { path, s } of cited) expect([path, s.match(/R\.314-172(?! et suivants)/g)]).toEqual([path, null]);
  });

  it('the avenant cites it in its data descriptions, sources and printed text (9 places), each with L.314-2', () => {
    const cited = strings(loader.load('avenant', REVIEWED.avenant).content).filter(({ s }) => s.includes('R.314-172 et suivants'));
    expect(cited).toHaveLength(9);
    for (const { path, s } of cited) expect([path, /L\.314-2 et R\.314-172 et suivants/.test(s)]).toEqual([path, true]);
  });

  it('the standard tariff avenant prints « articles L.314-2 et R.314-172 et suivants » twice; without a dependency price, not at all', () => {
    const std = lines(resolve(loader.load('avenant', REVIEWED.avenant), tariffAvenant(6.66), 'standard')).join('\n');
    expect(std).toContain('Le tarif dépendance est celui arrêté par le président du conseil départemental (articles L.314-2 et R.314-172 et suivants du code de l’action sociale et des familles).');
    expect(std).toContain('le tarif dépendance est arrêté par le président du conseil départemental (articles L.314-2 et R.314-172 et suivants du même code)');
    expect(std).not.toMatch(/R\.314-172(?! et suivants)/);
    expect(lines(resolve(loader.load('avenant', REVIEWED.avenant), tariffAvenant(null), 'standard')).join('\n')).not.toContain('R.314-172');
  });
});

describe('« autorité parentale » in easy-to-read: the parents decide with the child, asking what the child thinks (C. civ. 371-1)', () => {
  it.each(KINDS)('%s: the glossary entry, where an easy-to-read text uses the term, says the parents ask the child', (kind) => {
    const t = loader.load(kind, REVIEWED[kind]);
    expect(JSON.stringify(t.content)).not.toContain('Ils décident pour lui');
    const entry = t.content.glossary.find((g) => g.term === 'autorité parentale');
    if (falcStrings(t.content).some((s) => s.includes('autorité parentale'))) expect(entry?.definition).toBe(DEFINITION);
    else expect(entry).toBeUndefined();
  });

  it.each(KINDS)('%s: the entry follows the easy-to-read rules (no finding of falc:lint, warnings included)', (kind) => {
    const t = loader.load(kind, REVIEWED[kind]);
    const i = t.content.glossary.findIndex((g) => g.term === 'autorité parentale');
    const findings = lintTemplate(t.content).filter((f) => f.field.startsWith(`glossary[${i}]`));
    expect(i < 0 ? [] : findings).toEqual([]);
  });

  it('the easy-to-read contrat of Enzo Petit, a minor of the demo, prints the entry', () => {
    const tree = resolve(loader.load('contrat-sejour', REVIEWED['contrat-sejour']), templateInputFromFixture(fixture, 'contrat-sejour', 'enzo-petit'), 'falc');
    expect(lines(tree)).toContain(`autorité parentale : ${DEFINITION}`);
  });
});

describe('the projet personnalisé cites CASF L.311-3 7° whole: « directement ou avec l’aide de son représentant légal »', () => {
  const projet = loader.load('projet-personnalise', REVIEWED['projet-personnalise']);

  it('every string citing L.311-3 7° says the participation is direct or with the help of the legal representative', () => {
    const cited = strings(projet.content).filter(({ s }) => /L\.311-3 (3° et )?7°/.test(s));
    expect(cited.length).toBeGreaterThanOrEqual(7);
    for (const { path, s } of cited) expect([path, /direct(e|ement) ou avec l’aide de son représentant légal/.test(s)]).toEqual([path, true]);
  });

  it('the standard projet prints the participation as the article says it', () => {
    const std = lines(resolve(projet, templateInputFromFixture(fixture, 'projet-personnalise'), 'standard')).join('\n');
    expect(std).toContain(
      'Établi avec la personne accueillie, qui participe, directement ou avec l’aide de son représentant légal, à la conception et à la mise en œuvre de son projet d’accueil et d’accompagnement (article L.311-3 7° du code de l’action sociale et des familles), selon la recommandation de l’ANESM de décembre 2008.',
    );
    expect(std).not.toContain('qui participe à sa conception et à sa mise en œuvre (article L.311-3 7°');
  });
});

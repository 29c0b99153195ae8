import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateLoader } from '@carepact/templates';
import { resolve } from './resolve';
import type { DocumentTree } from '../tree';
import { templateInputFromFixture } from './fixture-input';

/**
 * A sector lawyer's review of the document templates (avenant 1.12.0, projet personnalisé 1.10.0,
 * contrat de séjour 1.12.0, DIPC 1.10.0, compte rendu de synthèse 1.9.0):
 * 1. the dependency price is fixed by arrêté of the président du conseil départemental (CASF L.314-2,
 *    R.314-172), whatever the place's habilitation; L.342-3 governs the yearly revision of the
 *    hébergement price of non-habilitated places only;
 * 2. the six months of the projet personnalisé come from CASF D.311 (the avenant specifying the
 *    objectives and prestations within six months); L.311-3 7° is the person's participation;
 * 3. a divided measure's second mission is « gestion patrimoniale » (C. civ. 447 al. 3);
 * 4. « autorité parentale », used in the easy-to-read texts, is explained in the glossary.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
const KINDS = ['contrat-sejour', 'avenant', 'dipc', 'projet-personnalise', 'compte-rendu-synthese'] as const;
/** The versions this review produced; the next review's (avenant 1.13.0…) is lawyer-review-parental-dependency.spec.ts. */
const REVIEWED: Record<(typeof KINDS)[number], string> = { 'contrat-sejour': '1.12.0', avenant: '1.12.0', dipc: '1.10.0', 'projet-personnalise': '1.10.0', 'compte-rendu-synthese': '1.9.0' };

const text = (tree: DocumentTree) =>
  tree.blocks
    .flatMap((b) => (b.kind === 'heading' || b.kind === 'paragraph' ? [b.text.map((r) => r.text).join('')] : b.kind === 'table' ? [b.caption, ...b.rows.flat().map((c) => c.map((r) => r.text).join(''))] : []))
    .join('\n');

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

function tariffAvenant(tariffChange: Record<string, unknown>): Record<string, unknown> {
  const base = templateInputFromFixture(fixture, 'avenant', 'marcel-dupont');
  return { ...base, document: { purpose: 'tarifs', kind: 'avenant tarifaire au 1er janvier 2027', appliesTo: 'contrat-sejour', contractSignedOn: '2026-10-29', tariffChange } };
}
const revalorisation = {
  effectiveOn: '2027-01-01',
  basis: 'revalorisation_annuelle',
  basisReference: 'arrêté du 18 décembre 2026',
  percentage: 2.5,
  cvsConsultedOn: '2026-11-20',
  prices: { hebergementPerDay: 74.31, dependanceGir56PerDay: 6.66, totalPerDay: 80.97 },
  previousPrices: { hebergementPerDay: 72.5, dependanceGir56PerDay: 6.5, totalPerDay: 79 },
};

describe('the tariff avenant’s dependency price: arrêté of the président du conseil départemental (CASF L.314-2, R.314-172), not L.342-3', () => {
  const avenant = loader.load('avenant', REVIEWED.avenant);

  it('avenant 1.12.0 cites L.314-2 and R.314-172 for the dependency price, in the text and in the sources', () => {
    const all = strings(avenant.content);
    const dependency = all.filter(({ s }) => /tarif dépendance/.test(s) && /R\.314-172/.test(s));
    expect(dependency.length).toBeGreaterThanOrEqual(3);
    for (const { s } of dependency) expect(s).toMatch(/L\.314-2/);
  });

  it('where avenant 1.12.0 cites L.342-3, it is for the hébergement price: in its sources and in the text it prints', () => {
    const sources = strings(avenant.content).filter(({ path, s }) => path.endsWith('.source') && s.includes('L.342-3'));
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const { path, s } of sources) expect([path, s.includes('hébergement')]).toEqual([path, true]);
    const lines = text(resolve(avenant, tariffAvenant(revalorisation), 'standard'))
      .split('\n')
      .filter((l) => l.includes('L.342-3'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    // « les prix de journée » under L.342-3 took in the dependency price: each line names the hébergement price.
    for (const l of lines) expect([l, l.includes('hébergement')]).toEqual([l, true]);
  });

  it('a revalorisation with a dependency price: the hébergement price follows L.342-3, the dependency price the département’s arrêté', () => {
    const std = text(resolve(avenant, tariffAvenant(revalorisation), 'standard'));
    expect(std).toContain('À compter du 1er janvier 2027, le prix de l’hébergement est fixé selon : revalorisation annuelle, pour les places non habilitées à l’aide sociale, dans la limite du pourcentage fixé par arrêté ministériel (article L.342-3 du code de l’action sociale et des familles)');
    expect(std).toContain('Le tarif dépendance est celui arrêté par le président du conseil départemental (articles L.314-2 et R.314-172 du code de l’action sociale et des familles).');
    expect(std).toContain('le tarif dépendance est arrêté par le président du conseil départemental (articles L.314-2 et R.314-172 du même code)');
    expect(std).not.toContain('les prix de journée sont fixés selon');
    const falc = text(resolve(avenant, tariffAvenant(revalorisation), 'falc'));
    expect(falc).toContain('Chaque année, l’État dit de combien le prix du logement et des repas peut monter.');
    expect(falc).toContain('Le département décide du prix de l’aide pour la vie de tous les jours.');
  });

  it('without a dependency price (no GIR tariff), the avenant says nothing of it', () => {
    const none = { ...revalorisation, prices: { hebergementPerDay: 74.31, dependanceGir56PerDay: null, totalPerDay: 74.31 }, previousPrices: null };
    for (const variant of ['standard', 'falc'] as const) expect(text(resolve(avenant, tariffAvenant(none), variant))).not.toMatch(/R\.314-172|aide pour la vie de tous les jours/);
  });
});

describe('the projet personnalisé: « formalisé dans les six mois » under CASF D.311; L.311-3 7° for the person’s participation', () => {
  const projet = loader.load('projet-personnalise', REVIEWED['projet-personnalise']);
  const std = text(resolve(projet, templateInputFromFixture(fixture, 'projet-personnalise'), 'standard'));

  it('the six months cite D.311 (the avenant specifying the objectives and prestations within six months)', () => {
    const sentence = std.split('\n').find((l) => l.includes('six mois'));
    expect(sentence).toBeDefined();
    expect(sentence).toMatch(/six mois qui suivent l’admission, délai dans lequel un avenant au contrat de séjour ou au document individuel de prise en charge précise les objectifs et les prestations adaptées à la personne \(article D\.311 du même code\)/);
  });

  it('L.311-3 7° is cited for the participation in the conception and implementation of her projet, not for the six months', () => {
    expect(std).toContain('Établi avec la personne accueillie, qui participe à sa conception et à sa mise en œuvre (article L.311-3 7° du code de l’action sociale et des familles)');
    for (const l of std.split('\n').filter((x) => x.includes('six mois'))) expect(l.split('six mois')[0]).not.toMatch(/L\.311-3 7° du code de l’action sociale et des familles et/);
  });
});

describe('the reviewed templates: « gestion patrimoniale » (C. civ. 447 al. 3), and « autorité parentale » in the glossary where the easy-to-read text uses it', () => {
  it.each(KINDS)('%s: no « gestion des biens », the holders’ easy-to-read titles keyed by « gestion patrimoniale »', (kind) => {
    const t = loader.load(kind, REVIEWED[kind]);
    expect(JSON.stringify(t.content)).not.toContain('gestion des biens');
    const falc = (t.content.labels as Record<string, Record<string, string>>).holderRoleFalc;
    expect(falc['tuteur chargé de la gestion patrimoniale']).toBe('tuteur');
    expect(falc['personne habilitée chargée de la gestion patrimoniale']).toBe('personne habilitée');
  });

  it.each(KINDS)('%s: « autorité parentale » has a plain-language glossary entry when an easy-to-read text uses it', (kind) => {
    const t = loader.load(kind, REVIEWED[kind]);
    const uses = falcStrings(t.content).some((s) => s.includes('autorité parentale'));
    const entry = t.content.glossary.find((g) => g.term === 'autorité parentale');
    if (uses) expect(entry?.definition).toBe('L’autorité parentale, ce sont les droits et les devoirs des parents. Les parents protègent leur enfant jusqu’à ses 18 ans. Ils décident pour lui.');
    else expect(entry).toBeUndefined();
  });

  it('the easy-to-read avenant of a minor under a délégation totale prints the entry in its glossary', () => {
    // Enzo Petit, a minor of the demo, with the demo's accompaniment avenant.
    const enzo = templateInputFromFixture(fixture, 'contrat-sejour', 'enzo-petit') as { resident: Record<string, unknown> };
    const base = templateInputFromFixture(fixture, 'avenant', 'lucie-bernard');
    const input = {
      ...base,
      resident: {
        ...enzo.resident,
        minorRepresentation: {
          kind: 'delegation',
          delegationForm: 'total',
          delegationExtent: 'total',
          representatives: [{ firstName: 'Claire', lastName: 'Vidal', civility: 'madame', role: 'délégataire de l’autorité parentale' }],
          decision: { authority: 'tribunal judiciaire de Lyon', reference: 'RG 26/00042', date: '2026-03-03' },
        },
      },
    };
    const tree = resolve(loader.load('avenant', REVIEWED.avenant), input, 'falc');
    const all = tree.blocks.flatMap((b) => (b.kind === 'list' ? b.items.map((i) => i.map((r) => r.text).join('')) : b.kind === 'paragraph' ? [b.text.map((r) => r.text).join('')] : []));
    expect(all).toContain('Le juge a confié à Claire Vidal l’autorité parentale.');
    expect(all).toContain('autorité parentale : L’autorité parentale, ce sont les droits et les devoirs des parents. Les parents protègent leur enfant jusqu’à ses 18 ans. Ils décident pour lui.');
  });
});

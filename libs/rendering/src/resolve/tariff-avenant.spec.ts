import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintFalcText, TemplateLoader } from '@carepact/templates';
import { resolve, validateTemplateInput } from './resolve';
import type { DocumentTree } from '../tree';
import { templateInputFromFixture } from './fixture-input';


/**
 * Avenant 1.3.0, `purpose: 'tarifs'`: the new prices per day from a date, on their legal basis
 * (CASF L.342-3 annual revalorisation of non-habilitated places, or the departmental tariff of
 * CASF L.314-1), in the three variants; objectives and services are not asked for.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();

function tariffInput(tariffChange: Record<string, unknown>): Record<string, unknown> {
  const base = templateInputFromFixture(fixture, 'avenant', 'marcel-dupont');
  return {
    ...base,
    document: { purpose: 'tarifs', kind: 'avenant tarifaire au 1er janvier 2027', appliesTo: 'contrat-sejour', contractSignedOn: '2026-10-29', tariffChange },
  };
}
const text = (tree: DocumentTree) =>
  tree.blocks
    .flatMap((b) => (b.kind === 'heading' || b.kind === 'paragraph' ? [b.text.map((r) => r.text).join('')] : b.kind === 'table' ? [b.caption, ...b.rows.flat().map((c) => c.map((r) => r.text).join(''))] : []))
    .join('\n');

const revalorisation = {
  effectiveOn: '2027-01-01',
  basis: 'revalorisation_annuelle',
  basisReference: 'arrêté du 18 décembre 2026',
  percentage: 2.5,
  cvsConsultedOn: '2026-11-20',
  prices: { hebergementPerDay: 74.31, dependanceGir56PerDay: 6.66, totalPerDay: 80.97 },
  previousPrices: { hebergementPerDay: 72.5, dependanceGir56PerDay: 6.5, totalPerDay: 79 },
};

describe('tariff avenant (avenant 1.3.0, purpose « tarifs »)', () => {
  const template = loader.load('avenant');

  it('is still made by the latest published avenant (1.4.0 adds the annex of CASF L.311-4-1, 1.5.0 its own signers, 1.6.0 a minor’s tuteur or délégataire, 1.7.0 who signs for him in easy-to-read and the decision, 1.8.0 a holder préposé of the establishment); 1.3.0 and 1.2.0 stay loadable', () => {
    expect(template.content.version).toBe('1.8.0');
    expect(loader.load('avenant', '1.3.0').content.version).toBe('1.3.0');
    expect(loader.load('avenant', '1.2.0').content.version).toBe('1.2.0');
  });

  it('needs the tariff change, not objectives or services; the percentage for a revalorisation', () => {
    expect(validateTemplateInput(template, tariffInput(revalorisation))).toEqual([]);
    const { percentage: _p, ...noPercentage } = revalorisation;
    expect(validateTemplateInput(template, tariffInput(noPercentage)).map((e) => e.field)).toEqual(['document.tariffChange.percentage']);
    const noChange = tariffInput(revalorisation);
    delete (noChange.document as Record<string, unknown>).tariffChange;
    expect(validateTemplateInput(template, noChange).map((e) => e.field)).toEqual(['document.tariffChange']);
    const accompaniment = tariffInput(revalorisation);
    (accompaniment.document as Record<string, unknown>).purpose = 'accompagnement';
    expect(validateTemplateInput(template, accompaniment).map((e) => e.field).sort()).toEqual(['document.objectives', 'document.participation', 'document.services']);
  });

  it('prints the prices, basis and reference; no objectives section', () => {
    const standard = text(resolve(template, tariffInput(revalorisation), 'standard'));
    expect(standard).toContain('à compter du 1er janvier 2027');
    expect(standard).toContain('L.342-3');
    expect(standard).toContain('arrêté du 18 décembre 2026');
    expect(standard).toMatch(/74,31\s€/);
    expect(standard).toMatch(/80,97\s€/);
    expect(standard).toContain('Le conseil de la vie sociale a été consulté le 20 novembre 2026');
    expect(standard).not.toContain('Objectifs et actions');
    const departmental = text(resolve(template, tariffInput({ ...revalorisation, basis: 'arrete_departemental', percentage: null, prices: { hebergementPerDay: 70, dependanceGir56PerDay: null, totalPerDay: 70 } }), 'standard'));
    expect(departmental).toContain('L.314-1');
    expect(departmental).not.toContain('Dépendance');
  });

  it('the easy-to-read rendition passes falc:lint and carry the prices', () => {
    const terms = template.content.glossary.map((g) => g.term);
    const falc = resolve(template, tariffInput(revalorisation), 'falc');
    const lines = text(falc).split('\n');
    expect(lines.flatMap((l) => lintFalcText(l, terms).filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
    expect(text(falc)).toContain('Vos nouveaux prix');
    expect(text(falc)).toMatch(/80,97\s€/);
  });
});

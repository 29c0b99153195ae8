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

  it('is still made by the latest published avenant (1.4.0 adds the annex of CASF L.311-4-1, 1.5.0 its own signers, 1.6.0 a minor’s tuteur or délégataire, 1.7.0 who signs for him in easy-to-read and the decision, 1.8.0 a holder préposé of the establishment, 1.9.0 the yearly base of a revalorisation, 1.10.0 a minor’s parties); 1.3.0 and 1.2.0 stay loadable', () => {
    expect(template.content.version).toBe('1.14.0');
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

  describe('two revalorisations in one year (CASF L.342-3: the percentage is yearly, over the price in force on 31 December)', () => {
    // Contract 72,50 € on 31 December 2026. January 2027: +1 % → 73,23 €. July 2027: at the year's 2 % → 73,95 €, i.e. +0,98 % over 73,23 €.
    const july = {
      effectiveOn: '2027-07-01',
      basis: 'revalorisation_annuelle',
      basisReference: 'arrêté du 18 décembre 2026',
      percentage: 2,
      prices: { hebergementPerDay: 73.95, dependanceGir56PerDay: 6.5, totalPerDay: 80.45 },
      previousPrices: { hebergementPerDay: 73.23, dependanceGir56PerDay: 6.5, totalPerDay: 79.73 },
    };
    const yearBase = { on: '2026-12-31', from: 'fin_annee', hebergementPerDay: 72.5 };
    const rate = (t: string) => t.split('\n').filter((l) => /aux (annuel )?de revalorisation|Pour mémoire/.test(l));

    it('1.8.0 says « Taux de revalorisation appliqué : 2 % » right after the price before it (73,23 €): false, the rise over it is 0,98 %', () => {
      const old = text(resolve(loader.load('avenant', '1.8.0'), tariffInput(july), 'standard'));
      expect(old).toContain('Taux de revalorisation appliqué : 2 %.');
      // 1.8.0 refuses the new field (its schema predates it): the data builder gives it to the latest template only.
      expect(validateTemplateInput(loader.load('avenant', '1.8.0'), tariffInput({ ...july, yearBase })).map((e) => e.field)).toEqual(['document.tariffChange.yearBase']);
    });

    for (const version of ['1.8.0', '1.9.0']) {
      const ok = version === '1.9.0' ? it : it.failing;
      ok(`avenant ${version}: the yearly rate with its base date and price, the « Pour mémoire » line unchanged (only 1.9.0 passes)`, () => {
        const t = loader.load('avenant', version);
        const input = tariffInput(version === '1.9.0' ? { ...july, yearBase } : july);
        expect(validateTemplateInput(t, input)).toEqual([]);
        const standard = text(resolve(t, input, 'standard'));
        expect(standard).not.toContain('Taux de revalorisation appliqué');
        expect(rate(standard)).toEqual([
          'Taux annuel de revalorisation : 2 %, par rapport au prix en vigueur au 31 décembre 2026 (72,50 € par jour pour l’hébergement) ; les hausses d’une même année s’additionnent dans ce taux (CASF L.342-3).',
          'Pour mémoire, le total par jour était de 79,73 €.',
        ].map((l) => expect.stringMatching(new RegExp('^' + l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ €/g, '\\s€') + '$'))));
        const terms = t.content.glossary.map((g) => g.term);
        const falc = text(resolve(t, input, 'falc'));
        expect(falc.split('\n').flatMap((l) => lintFalcText(l, terms).filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
        expect(falc).toContain('Cette limite se compte à partir de votre prix du 31 décembre 2026.');
        expect(falc).toMatch(/Pour le logement et les repas, ce prix était de 72,50\s€ pour 1 jour\./);
        expect(falc).toMatch(/Avant, vous payiez 79,73\s€ pour 1 jour\./);
      });
    }

    it('1.9.0, a contract signed during the year: the base is the price set at its signature; without a known base, the rate alone', () => {
      const t = loader.load('avenant', '1.9.0');
      const signed = tariffInput({ ...july, yearBase: { on: '2027-03-15', from: 'signature', hebergementPerDay: 72.5 } });
      expect(validateTemplateInput(t, signed)).toEqual([]);
      expect(text(resolve(t, signed, 'standard'))).toMatch(/Taux annuel de revalorisation : 2 %, par rapport au prix fixé à la signature du contrat de séjour, le 15 mars 2027 \(72,50\s€ par jour pour l’hébergement\)/);
      expect(text(resolve(t, signed, 'falc'))).toContain('Cette limite se compte à partir du prix de votre contrat de séjour, le 15 mars 2027.');
      const unknown = tariffInput({ ...july, yearBase: null });
      expect(validateTemplateInput(t, unknown)).toEqual([]);
      expect(rate(text(resolve(t, unknown, 'standard')))[0]).toBe('Taux annuel de revalorisation : 2 % (CASF L.342-3).');
      const departmental = text(resolve(t, tariffInput({ ...july, basis: 'arrete_departemental', percentage: null }), 'standard'));
      expect(departmental).not.toContain('Taux');
    });
  });
});

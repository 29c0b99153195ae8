import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintFalcText, TemplateLoader } from '@carepact/templates';
import { type TemplateInput, templateInputFromFixture } from './fixture-input';
import { resolve, validateTemplateInput } from './resolve';
import { proseLines as text } from './testing/parties.builder';

/**
 * Avenant 1.10.0, after a sector lawyer's and a family's reading (avenant 1.9.0 is kept as it was,
 * for the documents made with it):
 *
 * 1. The annex on the freedom to come and go: CASF L.311-4-1 I sets no six-month limit — the annex
 *    « peut être révisé à tout moment »; the six months attributed to R.311-0-9 / annexe 3-9-1 could
 *    not be verified. The refusal says it is the establishment's own rule (`reviewMaxMonths`, still 6)
 *    and cites L.311-4-1 I only for « à tout moment ».
 * 2. The tariff avenant: « les hausses d’une même année s’additionnent dans ce taux » is jargon → « plusieurs
 *    hausses la même année ne dépassent pas, ensemble, ce taux (CASF L.342-3) »; its opening said
 *    « Le présent avenant, avenant tarifaire au … » → « Le présent avenant tarifaire complète … ».
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
const NEW = loader.load('avenant', '1.10.0');
const OLD = loader.load('avenant', '1.9.0');


/** Lucie Bernard's annex (the demo), its next review a day past six months after the collegial procedure. */
function lateAnnex(): TemplateInput {
  const input = structuredClone(templateInputFromFixture(fixture, 'avenant', 'lucie-bernard')) as TemplateInput & { document: { nextReview: string; libertyAnnex: { collegialProcedure: { on: string } } } };
  const [y, m, d] = input.document.libertyAnnex.collegialProcedure.on.split('-').map(Number);
  input.document.nextReview = new Date(Date.UTC(y, m - 1 + 7, Math.min(d, 28))).toISOString().slice(0, 10);
  return input;
}

/** A revalorisation in July over the price of 31 December (the second rise of 2027), as the bulk run builds it. */
function tariffInput(yearBase: boolean): TemplateInput {
  const base = templateInputFromFixture(fixture, 'avenant', 'marcel-dupont');
  return {
    ...base,
    document: {
      purpose: 'tarifs',
      kind: 'avenant tarifaire au 1er juillet 2027',
      appliesTo: 'contrat-sejour',
      contractSignedOn: '2026-10-29',
      tariffChange: {
        effectiveOn: '2027-07-01',
        basis: 'revalorisation_annuelle',
        basisReference: 'arrêté du 18 décembre 2026',
        percentage: 2,
        ...(yearBase ? { yearBase: { on: '2026-12-31', from: 'fin_annee', hebergementPerDay: 72.5 } } : {}),
        prices: { hebergementPerDay: 73.95, dependanceGir56PerDay: 6.5, totalPerDay: 80.45 },
        previousPrices: { hebergementPerDay: 73.23, dependanceGir56PerDay: 6.5, totalPerDay: 79.73 },
      },
    },
  } as TemplateInput;
}

describe('avenant 1.10.0: the annex’s review period is the establishment’s rule (CASF L.311-4-1 I: révisable à tout moment)', () => {
  it('the refusal of a review too far says so, and no longer presents six months as law', () => {
    const [error] = validateTemplateInput(NEW, lateAnnex());
    expect(error).toMatchObject({ field: 'document.nextReview', code: 'LIBERTY_REVIEW_TOO_LATE' });
    expect(error.message).toBe(
      'L’établissement réévalue cette annexe au plus tard six mois après la procédure collégiale (règle de l’établissement ; CASF L.311-4-1 I : révisable à tout moment) : fixez la prochaine réévaluation à cette date au plus tard.',
    );
    expect(error.message).not.toMatch(/au moins tous les six mois|annexe 3-9-1/);
    // The period itself is unchanged and still one setting of the template.
    expect(NEW.content.define?.find((d) => d.name === 'reviewMaxMonths')?.value).toBe('6');
    // 1.9.0 kept its words.
    expect(validateTemplateInput(OLD, lateAnnex())[0].message).toContain('sont réévaluées au moins tous les six mois');
  });
});

describe('avenant 1.10.0: the tariff avenant as a family reads it', () => {
  const rateLine = (t: ReturnType<typeof loader.load>, yearBase: boolean) => text(resolve(t, tariffInput(yearBase), 'standard')).find((l) => l.startsWith('Taux annuel de revalorisation'));

  it('the yearly rate: several rises the same year stay, together, within it (CASF L.342-3)', () => {
    expect(rateLine(NEW, true)).toBe(
      'Taux annuel de revalorisation : 2 %, par rapport au prix en vigueur au 31 décembre 2026 (72,50 € par jour pour l’hébergement) ; plusieurs hausses la même année ne dépassent pas, ensemble, ce taux (CASF L.342-3).'.replace(/ €/g, '\u00a0€'),
    );
    expect(rateLine(OLD, true)).toContain('les hausses d’une même année s’additionnent dans ce taux');
    expect(rateLine(NEW, false)).toBe('Taux annuel de revalorisation : 2 % (CASF L.342-3).');
  });

  it('the opening says « avenant » once', () => {
    const opening = (t: ReturnType<typeof loader.load>) => text(resolve(t, tariffInput(true), 'standard')).find((l) => l.includes('complète le contrat de séjour'));
    expect(opening(NEW)).toBe('Le présent avenant tarifaire complète le contrat de séjour signé le 29 octobre 2026. Il fixe les prix de journée applicables à Marcel Dupont à compter du 1er juillet 2027.');
    expect(opening(OLD)).toMatch(/^Le présent avenant, avenant tarifaire au 1er juillet 2027, complète/);
  });

  it.each([true, false])('easy to read (year base %s): the rises of one year together stay within the limit, in words that pass falc:lint', (yearBase) => {
    const falc = text(resolve(NEW, tariffInput(yearBase), 'falc'));
    expect(falc.join('\n')).not.toMatch(/on compte toutes les hausses ensemble|s’additionnent/);
    expect(falc).toContain(
      yearBase ? 'Si le prix monte plusieurs fois dans l’année, toutes les hausses ensemble restent dans cette limite.' : 'Si le prix monte plusieurs fois dans l’année, toutes les hausses ensemble restent dans la limite fixée par l’État.',
    );
    const terms = NEW.content.glossary.map((g) => g.term);
    expect(falc.flatMap((l) => lintFalcText(l, terms).filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
  });
});

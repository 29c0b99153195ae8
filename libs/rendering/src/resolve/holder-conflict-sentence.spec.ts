import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templateInputOf } from '@carepact/documents';
import type { MeasureView, ResidentView } from '@carepact/residents';
import { lintFalcText, TemplateLoader } from '@carepact/templates';
import type { ContentVariant } from '../tree';
import { type TemplateInput, templateInputFromFixture } from './fixture-input';
import { resolve, validateTemplateInput } from './resolve';
import { contactView as contact, establishmentOf, treeLines as lines } from './testing/parties.builder';

/**
 * Contrat de séjour 1.9.0, avenant 1.8.0, DIPC 1.7.0: the measure paragraph says which holder does
 * not sign the act and who signs instead (C. civ. 451 al. 2, 454 al. 5, 455; 447 al. 2 et 3), in the
 * words of the template input (`holderConflict.sentence`, `sentenceFalc`: @carepact/documents
 * template-input, after @carepact/residents resolveHolderConflict). Up to contrat 1.8.0, avenant
 * 1.7.0 and DIPC 1.6.0, a co-tutelle with one préposé listed only the other tuteur: the préposé
 * silently disappeared from the document (kept as they were, for the documents made with them).
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
const ON = '2026-11-20';
const TYPES = ['contrat-sejour', 'avenant', 'dipc'] as const;
type Act = (typeof TYPES)[number];
const OLD: Record<Act, string> = { 'contrat-sejour': '1.8.0', avenant: '1.7.0', dipc: '1.6.0' };

const est = establishmentOf(fixture);
const alain = contact('alain', 'Alain', 'Bernard', { relation: 'père' });
const herve = contact('herve', 'Hervé', 'Lenoir', { organisationName: 'EHPAD Les Tilleuls' });

/** Lucie Bernard's tutelle (the demo's), exercised by her father and Hervé Lenoir, préposé of the EHPAD (C. civ. 447 al. 2, 451 al. 2). */
function coTutelle(holders: MeasureView['holders']): MeasureView {
  return {
    id: 'm',
    type: 'tutelle',
    mode: 'representation',
    scope: ['personne', 'biens'],
    general: true,
    acts: [],
    mission: null,
    court: 'Tribunal judiciaire de Valville',
    judgmentReference: 'RG 21/01877',
    judgmentDate: '2021-02-10',
    startDate: null,
    endDate: '2031-02-10',
    mandateEffectiveDate: null,
    judgeAuthorisesHolderAlone: false,
    authorisationReference: null,
    proofDocumentRef: null,
    status: 'active',
    holders,
    subroge: null,
    adHoc: null,
  };
}
const PREPOSE_AND_FATHER: MeasureView['holders'] = [
  { ...herve, contactId: 'herve', role: 'tuteur', establishmentEmployee: true },
  { ...alain, contactId: 'alain', role: 'tuteur' },
];

/** Lucie Bernard's file (the demo's), under the co-tutelle `holders`. */
function residentOf(holders: MeasureView['holders']): ResidentView {
  const base = templateInputFromFixture(fixture, 'contrat-sejour', 'lucie-bernard');
  return {
    firstName: base.resident.firstName,
    lastName: base.resident.lastName,
    birthDate: base.resident.birthDate,
    admissionDate: base.resident.admissionDate,
    stayType: base.resident.stay,
    minor: false,
    parentalAuthority: null,
    personneDeConfiance: null,
    contacts: [herve, alain],
    protectionMeasures: [coTutelle(holders)],
  } as unknown as ResidentView;
}

/**
 * The demo's input for `type` (Lucie Bernard's contract and avenant, the demo's DIPC), its measure as
 * the API describes it (templateInputOf) for the co-tutelle `holders`.
 */
function input(type: Act, holders: MeasureView['holders']): TemplateInput & { resident: { protectionMeasure: Record<string, unknown> } } {
  const base = type === 'dipc' ? templateInputFromFixture(fixture, 'dipc') : templateInputFromFixture(fixture, type, 'lucie-bernard');
  // Under a tutelle of the person, her agreement to live here is recorded (C. civ. 459-2), as in her contract.
  if (type === 'dipc') base.document = { ...base.document, residenceChoice: { agrees: true, recordedOn: '2026-08-25' } };
  const api = templateInputOf(est, residentOf(holders), base.document, ON, type).resident as { protectionMeasure: Record<string, unknown> };
  return { ...base, resident: { ...base.resident, protectionMeasure: api.protectionMeasure } };
}

describe('contrat de séjour 1.9.0, avenant 1.8.0, DIPC 1.7.0: a co-tuteur préposé of the establishment, in the measure paragraph', () => {
  it('are the versions made for new documents (avenant 1.9.0 follows 1.8.0, changing only the tariff page: tariff-avenant.spec.ts; contrat 1.10.0, avenant 1.10.0 and DIPC 1.8.0 a minor’s parties: minor-parties-wording.spec.ts)', () => {
    const latest: Record<Act, string> = { 'contrat-sejour': '1.14.0', avenant: '1.14.0', dipc: '1.12.0' };
    for (const type of TYPES) expect([type, loader.load(type).content.version]).toEqual([type, latest[type]]);
  });

  it.each(TYPES)('%s: says that Hervé Lenoir, préposé, does not sign it and that Alain Bernard does (standard and large print)', (type) => {
    const i = input(type, PREPOSE_AND_FATHER);
    const conflict = i.resident.protectionMeasure.holderConflict as { sentence: string; sentenceFalc: string[] };
    expect(conflict.sentence).toContain('Hervé Lenoir');
    expect(validateTemplateInput(loader.load(type), i)).toEqual([]);
    const now = lines(resolve(loader.load(type), i, 'standard'));
    // Right after the holders listed (only the father, who signs): the préposé is named, and why he does not sign.
    const at = now.indexOf(conflict.sentence);
    expect(at).toBeGreaterThan(0);
    expect(now[at - 1]).toBe('Tuteur : Alain Bernard, père.');
    // Lucie Bernard's avenant is the demo's annex on the freedom to come and go (CASF L.311-4-1 I): « cette annexe », « la ».
    const [act, it] = type === 'avenant' ? ['cette annexe', 'la'] : [type === 'dipc' ? 'ce document individuel de prise en charge' : 'ce contrat de séjour', 'le'];
    expect(conflict.sentence).toBe(
      `Hervé Lenoir, tuteur, est préposé de l’établissement ou lié à lui (C. civ. 451 al. 2) : pour ${act}, acte conclu avec l’établissement, ses intérêts sont en opposition avec ceux de la personne ; il ne ${it} signe pas. Alain Bernard, qui exerce la mesure avec lui, ${it} signe (C. civ. 447 al. 2 et 3).`,
    );
    expect(now.filter((l) => l.includes('Hervé Lenoir'))).toEqual([conflict.sentence]);
    // The older version (kept for the documents made with it) never named him.
    expect(lines(resolve(loader.load(type, OLD[type]), i, 'standard')).join('\n')).not.toContain('Hervé Lenoir');
  });

  it.each(TYPES)('%s: in easy-to-read, three short lines that pass the FALC rules', (type) => {
    const i = input(type, PREPOSE_AND_FATHER);
    const falc = (i.resident.protectionMeasure.holderConflict as { sentenceFalc: string[] }).sentenceFalc;
    // The annex is « ce document » in easy-to-read, as the avenant template calls it (`thisFalc`).
    const what = { 'contrat-sejour': 'ce contrat', avenant: 'ce document', dipc: 'ce document' }[type];
    expect(falc).toEqual(['Hervé Lenoir travaille pour l’établissement.', `Hervé Lenoir ne signe pas ${what}.`, `Alain Bernard signe ${what}.`]);
    const template = loader.load(type);
    const tree = resolve(template, i, 'falc');
    const all = lines(tree);
    const at = all.indexOf(falc[0]);
    expect(at).toBeGreaterThan(0);
    expect(all.slice(at, at + 3)).toEqual(falc);
    expect(all[at - 1]).toBe('Votre tuteur est Alain Bernard.');
    const terms = template.content.glossary.map((g) => g.term);
    expect(all.flatMap((l) => lintFalcText(l, terms).filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
    expect(lines(resolve(loader.load(type, OLD[type]), i, 'falc')).join('\n')).not.toContain('Hervé Lenoir');
  });

  it('the annex on the freedom to come and go is « cette annexe » (« il ne la signe pas »), an accompaniment avenant still « cet avenant » (documents.subtype, CASF L.311-4-1 I)', () => {
    const annex = input('avenant', PREPOSE_AND_FATHER);
    expect(annex.document.purpose).toBe('liberte-aller-venir');
    const annexSentence = (annex.resident.protectionMeasure.holderConflict as { sentence: string }).sentence;
    expect(annexSentence).toContain('pour cette annexe, acte conclu avec l’établissement');
    expect(annexSentence).toContain('il ne la signe pas. Alain Bernard, qui exerce la mesure avec lui, la signe');
    expect(annexSentence).not.toContain('avenant');
    expect(lines(resolve(loader.load('avenant'), annex, 'standard'))).toContain(annexSentence);
    // The same measure, for the demo's accompaniment avenant (Marcel Dupont's data, given to Lucie).
    const r = templateInputOf(est, residentOf(PREPOSE_AND_FATHER), templateInputFromFixture(fixture, 'avenant').document, ON, 'avenant').resident as { protectionMeasure: { holderConflict: { sentence: string; sentenceFalc: string[] } } };
    expect(r.protectionMeasure.holderConflict.sentence).toContain('pour cet avenant, acte conclu avec l’établissement');
    expect(r.protectionMeasure.holderConflict.sentence).toContain('il ne le signe pas.');
    expect(r.protectionMeasure.holderConflict.sentenceFalc[1]).toBe('Hervé Lenoir ne signe pas ce papier.');
  });

  it.each(TYPES)('%s: without a préposé, the document reads as the previous version did', (type) => {
    const i = input(type, [{ ...alain, contactId: 'alain', role: 'tuteur' }, { ...herve, contactId: 'herve', role: 'tuteur' }]);
    expect(i.resident.protectionMeasure.holderConflict).toBeNull();
    // The demo's residents carry a civility, which only the new versions agree with (« présente », « elle a exprimé »:
    // civility-agreement.spec.ts); without it, the comparison with the previous version is about the préposé alone.
    delete (i.resident as { civility?: string }).civility;
    // Contrat 1.11.0, avenant 1.11.0, DIPC 1.9.0 (civility-agreement.spec.ts): no gendered pronoun for a resident without a
    // civility, a clearer easy-to-read column header, who signs within the month; the rest reads as before.
    const since = (t: string) =>
      t
        .replace(', elle a exprimé son accord', ', la personne a exprimé son accord')
        .replace(/^Pour qui$/, 'Qui est-ce')
        .replace(/^Vous le signez 1 mois au plus après votre arrivée\.$/, 'Votre tuteur le signe 1 mois au plus après votre arrivée.')
        .replace(/^Si vous ne voulez pas signer, nous écrivons un autre document : le DIPC\.$/, 'Si ce contrat n’est pas signé, nous écrivons un autre document : le DIPC.')
        // Contrat 1.14.0, DIPC 1.12.0 (lawyer-review-d311.spec.ts): D.311, V updates the definition of the objectives and services, not the avenant.
        .replace(/ Cet avenant est réactualisé chaque année\.$/, ' La définition de ces objectifs et prestations est réactualisée chaque année.')
        .replace(/ ; il est réactualisé chaque année\.$/, ' ; leur définition est réactualisée chaque année.');
    for (const variant of ['standard', 'falc'] as ContentVariant[])
      expect(lines(resolve(loader.load(type), i, variant))).toEqual(lines(resolve(loader.load(type, OLD[type]), i, variant)).map(since));
  });
});

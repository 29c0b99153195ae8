import { JARGON, falcTextLinter, lintFalcText, lintTemplate } from './falc-lint';
import type { TemplateContent } from './template.types';

const rules = (text: string, glossary: string[] = []) => lintFalcText(text, glossary).map((f) => `${f.severity}:${f.rule}`);

describe('lintFalcText', () => {
  it('accepts a short, plain sentence', () => {
    expect(rules('Vous avez 15 jours pour changer d’avis.')).toEqual([]);
  });
  it('warns above 12 words and fails above 20', () => {
    expect(rules('Un deux mots ici pour faire une phrase qui dépasse bien la limite conseillée.'.replace('deux', 'de'))).toEqual(['warning:sentence-length']);
    expect(rules(Array.from({ length: 21 }, () => 'mot').join(' ') + '.')).toEqual(['error:sentence-length']);
  });
  it('counts "M." as an abbreviation, not the end of a sentence', () => {
    expect(rules('M. Dupont signe.')).toEqual([]);
  });
  it('flags two sentences on one line as a warning', () => {
    expect(rules('Vous signez. La direction signe.')).toEqual(['warning:one-sentence-per-line']);
  });
  it('flags acronyms unless they are in the glossary', () => {
    expect(rules('Le GIR mesure l’aide.')).toEqual(['error:acronym']);
    expect(rules('Le GIR mesure l’aide.', ['GIR'])).toEqual([]);
  });
  it('flags words in capitals, Roman numerals, spelled-out numbers and percentages', () => {
    expect(rules('Lisez ATTENTIVEMENT ce texte.')).toEqual(['error:capitals']);
    expect(rules('Le chapitre IV parle de vous.')).toEqual(['error:roman-numeral']);
    expect(rules('Au XXe siècle.')).toEqual(['error:roman-numeral']);
    expect(rules('Vous avez quinze jours.')).toEqual(['error:number-word']);
    expect(rules('Vous payez 10 % du prix.')).toEqual(['error:percentage']);
    expect(rules('Une chambre neuve, un lit neuf.')).toEqual(['warning:number-word']);
  });
  it('flags numeric dates, italics, underline and hard punctuation', () => {
    expect(rules('Rendez-vous le 12/03/2026.')).toEqual(['error:numeric-date', 'warning:forbidden-character']);
    expect(rules('Un mot *penché* ici.')).toEqual(['error:italic']);
    expect(rules('Un mot __souligné__ ici.')).toEqual(['error:underline']);
    expect(rules('Vous signez ; la direction aussi.')).toEqual(['error:forbidden-character']);
    expect(rules('Votre chambre (numéro 12) est prête.')).toEqual(['error:forbidden-character', 'error:forbidden-character']);
    expect(rules('Le mot **important** est en gras.')).toEqual([]);
  });
  it('requires a glossary entry for legal jargon', () => {
    expect(rules('Votre curatrice vous aide.')).toEqual(['error:jargon']);
    expect(rules('Votre curatrice vous aide.', ['curateur'])).toEqual([]);
  });
  it('knows every form of every jargon word, in any case, and the glossary term in any case', () => {
    const jargon = (text: string, glossary: string[] = []) => lintFalcText(text, glossary).filter((f) => f.rule === 'jargon').map((f) => `${f.excerpt} ${f.message}`);
    for (const j of JARGON) {
      const forms = [j, `${j}s`, j.replace(/eur$/, 'rice'), j.replace(/eur$/, 'rices')];
      for (const form of forms) {
        const upper = form[0].toUpperCase() + form.slice(1);
        expect(jargon(`Voici ${upper} ici.`)).toEqual([`${upper} Mot difficile « ${j} » : l’ajouter au glossaire du modèle.`]);
        expect(jargon(`Voici ${form} ici.`, [j[0].toUpperCase() + j.slice(1)])).toEqual([]);
      }
      // Not a form: the word inside another, or another ending.
      expect(jargon(`Voici ${j}x et pré${j} ici.`)).toEqual([]);
    }
    expect(jargon('Le tuteur et la curatrice.')).toEqual([
      'tuteur Mot difficile « tuteur » : l’ajouter au glossaire du modèle.',
      'curatrice Mot difficile « curateur » : l’ajouter au glossaire du modèle.',
    ]);
  });
  it('lower-cases French as toLocaleLowerCase(\'fr-FR\') does, for every cased code point and the contextual final sigma', () => {
    const differ: string[] = [];
    let cased = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      // Only a character with a case mapping can be tailored (SpecialCasing.txt; and U+0307, the dot Lithuanian keeps).
      if (c.toLowerCase() === c && c.toUpperCase() === c && cp !== 0x307) continue;
      cased++;
      if (c.toLowerCase() !== c.toLocaleLowerCase('fr-FR')) differ.push(cp.toString(16));
    }
    expect(cased).toBeGreaterThan(2500);
    expect(differ).toEqual([]);
    for (const w of ['ΟΔΟΣ', 'ΣΑΣ ΣΟΦΟΣ.', 'İSTANBUL', 'ÉCOLE Ÿ Œ ß ẞ'])
      expect(w.toLowerCase()).toBe(w.toLocaleLowerCase('fr-FR'));
  });
  it('a template’s linter, its glossary prepared once, finds what lintFalcText finds', () => {
    const glossary = ['GIR', 'Tuteur', 'CVS'];
    const lint = falcTextLinter(glossary);
    const texts = ['Le GIR et le CVS.', 'Votre TUTEUR et votre curatrice.', 'Lisez ATTENTIVEMENT.\nVous signez. La direction signe.', 'Le chapitre IV, 10 % ; le 12/03/2026.', 'Une phrase de plus de vingt mots pour voir si la limite est bien vue par le linter de ce modèle ici même.'];
    for (const t of texts) {
      expect(lint(t)).toEqual(lintFalcText(t, glossary));
      expect(lint(t, { oneSentencePerLine: false })).toEqual(lintFalcText(t, glossary, { oneSentencePerLine: false }));
    }
    expect(lint(texts[1]).map((f) => `${f.rule} ${f.excerpt}`)).toEqual(['acronym TUTEUR', 'jargon curatrice']);
  });
});

describe('lintTemplate', () => {
  const template = (body: TemplateContent['body']): TemplateContent => ({
    id: 'essai', version: '1.0.0', documentType: 'essai', title: { standard: 'Essai', falc: 'Essai' }, issuedAt: "'2026-01-01'", falcReview: null, glossary: [],
    inputSchema: { type: 'object', properties: {} }, body,
  });
  it('lints the FALC text only, with its place in the file, holes counting as one word', () => {
    const findings = lintTemplate(template([
      { heading: 1, text: 'Essai' },
      { paragraph: { standard: 'Texte standard (long ; avec CDAPH).', falc: ['Bonjour {{ resident.firstName }}.', 'Le contrat dure deux ans.'] } },
      { only: 'standard', paragraph: 'Seulement en standard : CDAPH.' },
    ]));
    expect(findings.map((f) => `${f.field}:${f.rule}`)).toEqual(['body[1].paragraph.falc[1]:number-word']);
  });
  it('requires a pictogram in each level-2 section', () => {
    const findings = lintTemplate(template([
      { heading: 1, text: 'Essai' },
      { heading: 2, text: 'Avec pictogramme' },
      { figure: { asset: 'house', alt: 'Une maison' } },
      { heading: 2, text: 'Sans pictogramme' },
      { paragraph: 'Texte.' },
    ]));
    expect(findings.map((f) => `${f.field}:${f.rule}`)).toEqual(['body[3]:pictogram']);
  });
});

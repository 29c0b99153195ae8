import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintFalcText, TemplateLoader } from '@carepact/templates';
import type { ContentVariant, DocumentTree } from '../tree';
import { type TemplateInput, templateInputFromFixture } from './fixture-input';
import { resolve } from './resolve';

/**
 * The APA is only for GIR 1 to 4 (CASF L.232-2); in an establishment the person's own share of the
 * dependence tariff depends on her income (L.232-8). Templates contrat de séjour and DIPC 1.4.0:
 * GIR 5 and 6 pay the GIR 5–6 tariff (« ticket modérateur ») themselves, without APA; GIR 1 to 4
 * read that the APA may cover part of it and, since the data records no APA granted, that the
 * amount is « le cas échéant, après déduction de l’APA accordée par le département ». 1.3.0
 * printed « Après déduction de l’allocation personnalisée d’autonomie » and « L’APA paie une
 * partie de votre aide. » whatever the GIR.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();

const lines = (tree: DocumentTree): string[] =>
  tree.blocks.flatMap((b) => (b.kind === 'heading' || b.kind === 'paragraph' ? [b.text.map((r) => r.text).join('')] : b.kind === 'list' ? b.items.map((i) => i.map((r) => r.text).join('')) : []));

/** The person's data with another GIR (the demo's DIPC is Ahmed Benali's, GIR 5). */
function withGir(input: TemplateInput, gir: number): TemplateInput {
  const document = input.document as { pricing: Record<string, unknown> };
  return { ...input, document: { ...document, pricing: { ...document.pricing, gir } } };
}

/** Data of a contract made before 1.5.0: `attestationSigned: true` where 1.5.0 records the attestation's date (CASF D.311-0-4). */
function withAttestationFlag(input: TemplateInput): TemplateInput {
  const document = input.document as { consentInterview?: Record<string, unknown> };
  if (!document.consentInterview) return input;
  const { attestationSignedOn, ...interview } = document.consentInterview;
  return { ...input, document: { ...document, consentInterview: { ...interview, ...(attestationSignedOn ? { attestationSigned: true } : {}) } } };
}

const render = (type: string, input: TemplateInput, variant: ContentVariant) => resolve(loader.load(type), input, variant);
/** Normalises the no-break spaces Intl writes in amounts (6,50 €). */
const text = (tree: DocumentTree) => lines(tree).join('\n').replace(/[\u00a0\u202f]/g, ' ');

const CASES: [string, string, TemplateInput, TemplateInput][] = [
  ['contrat-sejour', 'Ahmed Benali (GIR 5) and Jeanne Martin (GIR 2)', templateInputFromFixture(fixture, 'contrat-sejour', 'ahmed-benali'), templateInputFromFixture(fixture, 'contrat-sejour', 'jeanne-martin')],
  ['dipc', 'Ahmed Benali (GIR 5, then GIR 2)', templateInputFromFixture(fixture, 'dipc'), withGir(templateInputFromFixture(fixture, 'dipc'), 2)],
];

describe.each(CASES)('%s 1.4.0: the APA by GIR (CASF L.232-2, L.232-8) — %s', (type, _who, gir5, gir2) => {
  it('is the latest published version (contrat de séjour: 1.6.0, the personne de confiance notice under CASF D.311-0-4 whole, with the same APA text)', () => {
    // DIPC 1.5.0 changed only the signature slots (signature policy, C. civ. 435, 437, 459-2): the APA text is 1.4.0's.
    // Contrat 1.7.0, DIPC 1.6.0 add a minor's tuteur, délégataire or service gardien (C. civ. 375-7, 377, 408): the APA text is unchanged.
    // Contrat 1.8.0: who signs for a minor, the decision behind the representative, the personne de confiance notice (lawyer's review): the APA text is unchanged.
    // Contrat 1.9.0, DIPC 1.7.0: a holder préposé of the establishment in the measure paragraph (C. civ. 451 al. 2): the APA text is unchanged.
    // Contrat 1.10.0, DIPC 1.8.0: a minor's parties (minor-parties-wording.spec.ts): the APA text is unchanged.
    expect(loader.load(type).content.version).toBe(type === 'contrat-sejour' ? '1.14.0' : '1.12.0');
    expect((gir5.document as { pricing: { gir: number } }).pricing.gir).toBe(5);
    expect((gir2.document as { pricing: { gir: number } }).pricing.gir).toBe(2);
  });

  it('GIR 5: the GIR 5–6 tariff (ticket modérateur) is the person’s, no APA and no deduction', () => {
    const standard = text(render(type, gir5, 'standard'));
    expect(standard).toContain(
      'Le GIR d’Ahmed Benali est le GIR 5. Le tarif dépendance des GIR 5 et 6 (« ticket modérateur ») est à la charge d’Ahmed Benali : l’allocation personnalisée d’autonomie est réservée aux GIR 1 à 4 et ne s’applique pas (CASF L.232-2). Ahmed Benali paie 6,50 € par jour pour la dépendance, soit 79,00 € par jour avec l’hébergement.',
    );
    expect(standard).not.toMatch(/déduction de l’(allocation personnalisée d’autonomie|APA)/);
    expect(standard).not.toMatch(/autonomie en couvre une partie/);
    const falc = text(render(type, gir5, 'falc'));
    expect(falc).toContain(['Votre GIR est le GIR 5.', 'L’APA est seulement pour le GIR 1, 2, 3 ou 4.', 'L’APA ne paie pas votre aide.', 'Pour l’aide, vous payez 6,50 € par jour.', 'En tout, vous payez 79,00 € par jour.'].join('\n'));
    expect(falc).not.toMatch(/L’APA paie une partie|L’APA peut payer|Elle paie une partie/);
  });

  it('GIR 2: the APA may cover part of the tariff, the share depends on income, the deduction only « le cas échéant »', () => {
    const name = type === 'dipc' ? 'Ahmed Benali' : 'Jeanne Martin';
    const de = type === 'dipc' ? 'd’Ahmed Benali' : 'de Jeanne Martin';
    const standard = text(render(type, gir2, 'standard'));
    expect(standard).toContain(
      `Le GIR ${de} est le GIR 2. L’allocation personnalisée d’autonomie (APA) peut couvrir une partie du tarif dépendance ; la part qui reste à la charge ${de} dépend de ses ressources (CASF L.232-8). Le cas échéant, après déduction de l’APA accordée par le département, ${name} paie 6,50 € par jour pour la dépendance, soit 79,00 € par jour avec l’hébergement.`,
    );
    expect(standard).not.toMatch(/Après déduction de l’allocation personnalisée d’autonomie|ticket modérateur/);
    const falc = text(render(type, gir2, 'falc'));
    expect(falc).toContain(
      ['Votre GIR est le GIR 2.', 'L’APA peut payer une partie de votre aide.', 'Ce que vous payez pour l’aide dépend de votre argent.', 'Pour l’aide, vous payez 6,50 € par jour.', 'Si vous avez l’APA, elle est déjà enlevée de ce prix.', 'En tout, vous payez 79,00 € par jour.'].join('\n'),
    );
    expect(falc).not.toMatch(/L’APA paie une partie|L’APA ne paie pas/);
  });

  it('the easy-to-read texts pass the FALC rules, with no warning either', () => {
    const template = loader.load(type);
    const terms = template.content.glossary.map((g) => g.term);
    for (const input of [gir5, gir2]) {
      const falc = lines(render(type, input, 'falc'));
      const from = falc.findIndex((l) => l.startsWith('Votre GIR est'));
      const to = falc.findIndex((l, i) => i > from && l.startsWith('En tout, vous payez'));
      expect(from).toBeGreaterThan(0);
      expect(to).toBeGreaterThan(from);
      expect(falc.slice(from, to + 1).flatMap((l) => lintFalcText(l, terms))).toEqual([]);
    }
    const apa = template.content.glossary.find((g) => g.term === 'APA')!;
    expect(apa.definition).toBe('L’APA est une aide du département. Elle est seulement pour le GIR 1, 2, 3 ou 4. Elle peut payer une partie de l’aide dont vous avez besoin.');
    expect(lintFalcText(apa.definition, terms).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('documents already generated from 1.3.0 keep their text (1.3.0 is unchanged)', () => {
    // Their data were of their version's shape: before 1.5.0 the attestation was a yes/no, not its date.
    const old = text(resolve(loader.load(type, '1.3.0'), withAttestationFlag(gir5), 'standard'));
    expect(old).toContain('Après déduction de l’allocation personnalisée d’autonomie, Ahmed Benali paie 6,50 €');
  });
});

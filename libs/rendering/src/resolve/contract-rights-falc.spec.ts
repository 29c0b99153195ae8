import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateLoader } from '@carepact/templates';
import type { ContentVariant, DocumentTree } from '../tree';
import { type TemplateInput, templateInputFromFixture } from './fixture-input';
import { resolve, validateTemplateInput } from './resolve';

/**
 * Contrat de séjour 1.7.0: what the contract tells the person of her rights follows who signs it.
 * Under a tutelle limited to her property (C. civ. 459-2 al. 1: she chooses where she lives; the
 * tuteur signs for the money, she signs too — the signature policy and the slots already said so),
 * 1.6.0's easy-to-read text still said « Votre tuteur le fait pour vous » of the withdrawal and the
 * termination, « Nous vous demandons votre avis avant », and its personne de confiance clause gave the
 * notice « à son représentant légal » (CASF D.311-0-4 speaks of the legal representative of the
 * person; a tuteur to her property is not hers for that). Under a tutelle of the person, unchanged.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();

const lines = (tree: DocumentTree): string[] => tree.blocks.flatMap((b) => (b.kind === 'heading' || b.kind === 'paragraph' ? [b.text.map((r) => r.text).join('')] : []));
const text = (version: string, input: TemplateInput, variant: ContentVariant): string => lines(resolve(loader.load('contrat-sejour', version), input, variant)).join('\n');

/** Lucie Bernard's contract (tutelle), her measure limited to `scope`. */
function lucie(scope: string[]): TemplateInput {
  const input = templateInputFromFixture(fixture, 'contrat-sejour', 'lucie-bernard');
  const measure = input.resident.protectionMeasure as Record<string, unknown>;
  return { ...input, resident: { ...input.resident, protectionMeasure: { ...measure, scope } } };
}

describe('contrat de séjour 1.7.0: her rights as she exercises them, under a tutelle of her property only', () => {
  it('the input is valid for both versions', () => {
    for (const version of ['1.6.0', '1.7.0']) expect(validateTemplateInput(loader.load('contrat-sejour', version), lucie(['biens']))).toEqual([]);
  });

  it('1.7.0: « Vous le faites avec votre tuteur », nobody acts for her, no « représentant légal » in the notice clause', () => {
    const falc = text('1.7.0', lucie(['biens']), 'falc');
    expect(falc).toContain('Vous le faites avec votre tuteur.');
    expect(falc).not.toContain('Votre tuteur le fait pour vous.');
    expect(falc).not.toContain('Nous vous demandons votre avis avant.');
    expect(text('1.7.0', lucie(['biens']), 'standard')).not.toContain('et à son représentant légal');
    // 1.6.0 said otherwise (kept as it was, for the documents made with it).
    expect(text('1.6.0', lucie(['biens']), 'falc')).toContain('Votre tuteur le fait pour vous.');
  });

  it('under a tutelle of the person: her tuteur acts for her, after asking her view, and receives the notice', () => {
    const falc = text('1.7.0', lucie(['personne', 'biens']), 'falc');
    expect(falc).toContain('Votre tuteur le fait pour vous.');
    expect(falc).toContain('Nous vous demandons votre avis avant.');
    expect(text('1.7.0', lucie(['personne', 'biens']), 'standard')).toContain('et à son représentant légal');
  });
});

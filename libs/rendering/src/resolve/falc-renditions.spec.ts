import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '@carepact/common';
import { lintFalcText, TemplateLoader } from '@carepact/templates';
import type { DocumentTree } from '../tree';
import { templateInputFromFixture } from './fixture-input';
import { resolve } from './resolve';

/**
 * Issue 8 C: not only the template texts but the easy-to-read renditions themselves pass the
 * FALC rules (acronyms, numbers in digits, sentence length…), data included: every document type
 * × every resident of the demo fixture that has data for it, in the FALC variant.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
const TYPES = ['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese'];

function linesOf(tree: DocumentTree): string[] {
  const t = (runs: { text: string }[]) => runs.map((r) => r.text).join('');
  const out: string[] = [];
  for (const b of tree.blocks) {
    if (b.kind === 'heading' || b.kind === 'paragraph') out.push(t(b.text));
    if (b.kind === 'list') b.items.forEach((i) => out.push(t(i)));
    if (b.kind === 'table') out.push(b.caption, ...b.header, ...b.rows.flat().map(t));
    if (b.kind === 'figure') out.push(b.alt);
    if (b.kind === 'signatures') out.push(b.heading, ...b.slots.map((s) => s.capacity));
  }
  return out;
}

const cases: [string, string][] = [];
for (const type of TYPES)
  for (const r of fixture.residents as { key: string; documents?: Record<string, unknown> }[])
    if (r.documents?.[type] || fixture.documents[type]?.resident === r.key) cases.push([type, r.key]);

describe('FALC renditions of the demo fixture pass falc:lint', () => {
  it('covers every type, and several residents', () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(TYPES));
    expect(new Set(cases.map((c) => c[1])).size).toBeGreaterThanOrEqual(7);
  });

  it.each(cases)('%s for %s: no FALC error in the rendition, each pictogram beside a sentence', (type, key) => {
    const template = loader.load(type);
    // The projet personnalisé (participants with their capacity and presence, CASF L.311-3 7°) is at 1.3.0; the avenant at 1.4.0 (the annex on the freedom to come and go, CASF L.311-4-1 I);
    // the DIPC at 1.4.0 (the APA by GIR, CASF L.232-2, L.232-8); the contrat de séjour at 1.6.0 (the personne de confiance notice and its exemptions, CASF D.311-0-4).
    // Projet personnalisé 1.4.0, compte rendu 1.3.0, DIPC 1.5.0: the signature slots of the signature policy (C. civ. 435, 437, 459, 459-2).
    // Compte rendu 1.4.0: its recipients and the sharing of information (CSP L.1110-4); projet personnalisé 1.5.0: the next review within twelve months (the yearly réactualisation of CASF D.311).
    // Avenant 1.5.0: the annex on the freedom to come and go has its own signers (C. civ. 457-1, 459).
    // Contrat 1.7.0, DIPC, avenant and projet 1.6.0, compte rendu 1.5.0: a minor's tuteur, délégataire or service gardien (C. civ. 375-7, 377, 408).
    // Compte rendu 1.6.0: what the person was told before consenting to an outside recipient (CSP D.1110-3-1); projet 1.7.0: « La personne signe elle-même » dropped.
    // Contrat 1.8.0, avenant 1.7.0: who signs for a minor, the decision behind the representative (minor-representative-wording.spec.ts).
    // Contrat 1.9.0, avenant 1.8.0, DIPC 1.7.0: a holder préposé of the establishment, who does not sign, and who signs instead (holder-conflict-sentence.spec.ts).
    // Contrat 1.10.0, avenant 1.10.0, DIPC 1.8.0: a one-parent authority, a placed minor's authorisation, the tuteur's capacity (minor-parties-wording.spec.ts).
    // Compte rendu 1.7.0, projet 1.8.0: the same one-parent authority and tuteur's capacity (minor-parties-wording.spec.ts).
    expect(template.content.version).toBe(type === 'contrat-sejour' ? '1.14.0' : type === 'avenant' ? '1.14.0' : type === 'compte-rendu-synthese' ? '1.10.0' : type === 'projet-personnalise' ? '1.12.0' : '1.12.0');
    let tree: DocumentTree;
    try {
      tree = resolve(template, templateInputFromFixture(fixture, type, key), 'falc');
    } catch (e) {
      // A contract the law does not allow for this person is refused elsewhere (CLI, API): not a rendition.
      if (e instanceof ValidationError) throw new Error(JSON.stringify(e.details));
      throw e;
    }
    const terms = template.content.glossary.map((g) => g.term);
    const errors = linesOf(tree).flatMap((line) => lintFalcText(line, terms).filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.excerpt}`));
    expect(errors).toEqual([]);
    // A pictogram is drawn beside the sentence it illustrates (PDF: figureBeside), never alone.
    tree.blocks.forEach((b, i) => {
      if (b.kind === 'figure') expect(['paragraph', 'list', 'table', 'signatures', 'heading']).toContain(tree.blocks[i + 1]?.kind);
    });
    // … and the sentence beside « Les personnes » is about people, not the establishment's address (issue 8 C: one meaning per pictogram).
    tree.blocks.forEach((b, i) => {
      const next = tree.blocks[i + 1];
      if (b.kind === 'figure' && b.asset === 'people' && next?.kind === 'paragraph')
        expect({ beside: next.text.map((r) => r.text).join('') }).toEqual({ beside: expect.stringMatching(/^(Vous êtes|Ces personnes|Les personnes|.*\bparticip|Nous .* avec vous)/) });
    });
    // Second person: the person is never named in the third person by the easy-to-read text.
    const text = linesOf(tree).join('\n');
    expect(text).not.toMatch(/Ce contrat est entre vous/);
    expect(text).not.toMatch(/\bde [AEIOUÉH][a-zé]+ [A-Z]/);
  });

  it('under tutelle the contract says who signs for her, under curatelle « avec votre curateur », for a minor « vos parents »', () => {
    const falc = (key: string) => linesOf(resolve(loader.load('contrat-sejour'), templateInputFromFixture(fixture, 'contrat-sejour', key), 'falc')).join('\n');
    expect(falc('lucie-bernard')).toContain('Votre tuteur signe ce contrat pour vous.');
    expect(falc('lucie-bernard')).toContain('Votre tuteur le fait pour vous.');
    expect(falc('marcel-dupont')).toContain('Vous signez ce contrat avec votre curateur.');
    expect(falc('marcel-dupont')).toContain('Vous le faites avec votre curateur.');
    expect(falc('enzo-petit')).toContain('Vos parents signent ce contrat pour vous.');
    expect(falc('jeanne-martin')).toContain('Vous signez ce contrat avec la direction de l’établissement.');
    // Elision and articles: « dans l’établissement EHPAD Les Tilleuls », « l’autorité parentale d’Enzo Petit ».
    expect(falc('jeanne-martin')).toContain('dans l’établissement EHPAD Les Tilleuls');
    expect(falc('enzo-petit')).not.toContain(' de Enzo');
  });

  it('reads the easy-to-read wording of each free text; the standard rendition keeps the original', () => {
    const input = templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont');
    const standard = linesOf(resolve(loader.load('contrat-sejour'), input, 'standard')).join('\n');
    const falc = linesOf(resolve(loader.load('contrat-sejour'), input, 'falc')).join('\n');
    expect(standard).toContain('RG 25/00412');
    expect(falc).not.toContain('RG');
    expect(falc).not.toContain('UDAF');
    expect(falc).toContain('Le juge a décidé votre curatelle le 20 mai 2025.');
    expect(standard).not.toContain('Le juge a décidé votre curatelle');
  });

  it('refuses a free text without its easy-to-read wording, or a wording that breaks the FALC rules', () => {
    const input = templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont') as { document: Record<string, unknown> };
    const { objectivesFalc: _o, ...doc } = input.document;
    const fields = (data: unknown) => {
      try {
        resolve(loader.load('contrat-sejour'), data, 'standard');
        return [];
      } catch (e) {
        return (e as ValidationError).details.map((d) => `${d.field}:${d.code}`);
      }
    };
    expect(fields({ ...input, document: doc })).toEqual(['document.objectivesFalc:REQUIRED']);
    expect(fields({ ...input, document: { ...doc, objectivesFalc: ['Une seule'] } })).toEqual(['document.objectivesFalc:INVALID_TYPE']);
    expect(fields({ ...input, document: { ...doc, objectivesFalc: ['Vous allez au club avec l’UDAF (le jeudi).', 'Vous gardez deux promenades.'] } })).toEqual([
      'document.objectivesFalc[0]:FALC_TEXT',
      'document.objectivesFalc[1]:FALC_TEXT',
    ]);
    // Older versions stay loadable and unchanged: 1.1.0 needs no counterpart (and knows only its own).
    const KNOWN_TO_1_1 = ['minorViewFalc', 'byPersonFalc', 'byEstablishmentFalc'];
    const strip = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(strip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => !k.endsWith('Falc') || KNOWN_TO_1_1.includes(k)).map(([k, x]) => [k, strip(x)])) : v;
    // …and their data of their shape (before 1.5.0 the attestation was a yes/no, not its date).
    const { attestationSignedOn: _on, ...interview } = input.document.consentInterview as Record<string, unknown>;
    const before150 = { ...input, document: { ...input.document, consentInterview: { ...interview, attestationSigned: true } } };
    const old = resolve(loader.load('contrat-sejour', '1.1.0'), strip(before150), 'falc');
    expect(old.meta.templateVersion).toBe('1.1.0');
    expect(linesOf(old).join('\n')).toContain('Ce contrat est entre vous');
  });
});

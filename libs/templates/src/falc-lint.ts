import { textForLint } from './template-text';
import type { BodyNode, ContentNode, ItemNode, RowNode, SlotNode, TemplateContent, Text, TextSource } from './template.types';

/**
 * Machine-checkable easy-to-read (FALC) rules of ACCESSIBILITY.md (Inclusion Europe / Unapei),
 * applied to every FALC text of a template. People still have to review the text: passing the
 * lint is necessary, not sufficient (see `falcReview` in the template).
 *
 * Choices, rule by rule:
 * - sentence-length: more than 12 words is a warning, more than 20 an error. A `{{ hole }}`
 *   counts as one word; "M.", "Mme", "Dr" do not end a sentence.
 * - one-sentence-per-line: two sentences on one line is a warning (write them as separate lines).
 * - acronym: a word with two or more capitals is an error unless it is in the glossary (the
 *   glossary is printed in the FALC rendition, so the acronym is explained there).
 * - capitals: a word written in capitals (longer than 6 letters) is an error.
 * - roman-numeral: II, IV, XXe… are errors (numbers in digits).
 * - number-word: a number spelled out (deux, trois… cent, mille) is an error; "un/une" are
 *   articles and stay; "neuf" is only a warning because it also means "new".
 * - percentage: "%" or "pour cent" is an error.
 * - numeric-date: 12/03/2026 or 2026-03-12 is an error (dates written in full, via `| date`).
 * - italic / underline: `*x*`, `_x_`, `__x__`, <i>, <em>, <u> are errors (bold `**x**` is the only emphasis).
 * - forbidden-character: ";" "…" "(" ")" "[" "]" are errors (they hide a second idea or a
 *   subordinate clause); "/" and "&" are warnings ("et/ou" is hard to read).
 * - jargon: a legal term from JARGON used without a glossary entry is an error.
 * - pictogram: each level-2 heading (main idea) must be followed by a pictogram in its section.
 */
export type FalcSeverity = 'error' | 'warning';
export type FalcRule =
  | 'sentence-length'
  | 'one-sentence-per-line'
  | 'acronym'
  | 'capitals'
  | 'roman-numeral'
  | 'number-word'
  | 'percentage'
  | 'numeric-date'
  | 'italic'
  | 'underline'
  | 'forbidden-character'
  | 'jargon'
  | 'pictogram';

export interface FalcTextFinding {
  rule: FalcRule;
  severity: FalcSeverity;
  message: string;
  /** The sentence or word concerned. */
  excerpt: string;
}

export interface FalcFinding extends FalcTextFinding {
  templateId: string;
  version: string;
  /** Where in the template file, e.g. `body[12].paragraph.falc[1]`. */
  field: string;
}

export const SENTENCE_WARN_WORDS = 12;
export const SENTENCE_MAX_WORDS = 20;

const NUMBER_WORDS = new Set([
  'zéro',
  'deux',
  'trois',
  'quatre',
  'cinq',
  'six',
  'sept',
  'huit',
  'dix',
  'onze',
  'douze',
  'treize',
  'quatorze',
  'quinze',
  'seize',
  'vingt',
  'vingts',
  'trente',
  'quarante',
  'cinquante',
  'soixante',
  'cent',
  'cents',
  'mille',
]);

/** Legal words a FALC reader cannot be expected to know: allowed only with a glossary entry. */
export const JARGON = [
  'avenant',
  'curatelle',
  'curateur',
  'tutelle',
  'tuteur',
  'habilitation',
  'mandataire',
  'résiliation',
  'rétractation',
  'préavis',
  'contresigner',
  'contresignature',
];

const ROMAN = /^(?=[IVXLCDM]{2,})M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/;
const ROMAN_ORDINAL = /^([IVXLC]{2,}(e|ème)|I(er|re))$/;
const ABBREVIATIONS = /\b(M|Mme|Mlle|Dr|Me|St|Ste)\./g;

function sentencesOf(line: string): string[] {
  const masked = line.replace(ABBREVIATIONS, (m) => m.slice(0, -1) + '\u0000');
  return masked
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.replace(/\u0000/g, '.').trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

function wordsOf(sentence: string): string[] {
  return sentence.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/**
 * Lower case for French: `toLowerCase`, which is `toLocaleLowerCase('fr-FR')` (Unicode tailors the
 * lower case of Lithuanian, Turkish and Azeri only; falc-lint.spec.ts checks every code point)
 * without resolving the locale on each word (issue 12: the lint of a document's easy-to-read texts
 * spent most of its time there).
 */
const lowerFr = (t: string): string => t.toLowerCase();

function normalizeTerm(t: string): string {
  return lowerFr(t);
}

/**
 * Each form of a JARGON word the lint recognises (the word, its plural, and for -eur its feminine
 * -rice and plural), with the words it is a form of in JARGON's order: built once, not per word read.
 */
const JARGON_FORMS: ReadonlyMap<string, readonly string[]> = (() => {
  const forms = new Map<string, string[]>();
  for (const j of JARGON)
    for (const form of new Set([j, j + 's', j.replace(/eur$/, 'rice'), j.replace(/eur$/, 'rices')])) {
      const words = forms.get(form) ?? [];
      words.push(j);
      forms.set(form, words);
    }
  return forms;
})();

/** Lints one FALC line (holes already replaced by a neutral word). */
export interface FalcTextOptions {
  /** False for a glossary definition: it is one list item, read as a short paragraph. */
  oneSentencePerLine?: boolean;
}

export function lintFalcText(text: string, glossaryTerms: readonly string[] = [], options: FalcTextOptions = {}): FalcTextFinding[] {
  return falcTextLinter(glossaryTerms)(text, options);
}

/**
 * `lintFalcText` for one glossary, its terms prepared once: a template version's linter, kept for
 * its texts and for every document's data (libs/rendering easyToReadErrors caches it per version).
 */
export function falcTextLinter(glossaryTerms: readonly string[]): (text: string, options?: FalcTextOptions) => FalcTextFinding[] {
  const glossary = new Set(glossaryTerms.map(normalizeTerm));
  const glossaryRaw = new Set(glossaryTerms);
  return (text, options = {}) => lintWith(text, glossary, glossaryRaw, options);
}

function lintWith(text: string, glossary: ReadonlySet<string>, glossaryRaw: ReadonlySet<string>, options: FalcTextOptions): FalcTextFinding[] {
  const findings: FalcTextFinding[] = [];
  const add = (rule: FalcRule, severity: FalcSeverity, message: string, excerpt: string) => findings.push({ rule, severity, message, excerpt });

  for (const line of text.split('\n')) {
    const sentences = sentencesOf(line);
    if (sentences.length > 1 && options.oneSentencePerLine !== false) add('one-sentence-per-line', 'warning', 'Une seule phrase par ligne.', line);
    for (const s of sentences) {
      const n = wordsOf(s).length;
      if (n > SENTENCE_MAX_WORDS) add('sentence-length', 'error', `Phrase trop longue : ${n} mots (au plus ${SENTENCE_MAX_WORDS}).`, s);
      else if (n > SENTENCE_WARN_WORDS) add('sentence-length', 'warning', `Phrase longue : ${n} mots (conseillé : ${SENTENCE_WARN_WORDS} au plus).`, s);
    }
  }

  const tokens = text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
  for (const token of tokens) {
    for (const part of token.split(/['’-]/)) {
      const caps = (part.match(/\p{Lu}/gu) ?? []).length;
      if (ROMAN.test(part) || ROMAN_ORDINAL.test(part)) {
        if (!glossaryRaw.has(part)) add('roman-numeral', 'error', 'Pas de chiffres romains : écrire le nombre en chiffres.', part);
      } else if (caps >= 2 && !glossaryRaw.has(part)) {
        if (part === part.toLocaleUpperCase('fr-FR') && part.length > 6) add('capitals', 'error', 'Pas de mot en majuscules.', part);
        else add('acronym', 'error', 'Sigle non expliqué : l’ajouter au glossaire du modèle ou l’écrire en entier.', part);
      }
      const lower = lowerFr(part);
      if (NUMBER_WORDS.has(lower)) add('number-word', 'error', 'Écrire les nombres en chiffres.', part);
      else if (lower === 'neuf') add('number-word', 'warning', 'Si « neuf » est un nombre, l’écrire en chiffres.', part);
    }
    for (const j of JARGON_FORMS.get(lowerFr(token)) ?? []) if (!glossary.has(j)) add('jargon', 'error', `Mot difficile « ${j} » : l’ajouter au glossaire du modèle.`, token);
  }

  if (/%/.test(text) || /\bpour ?cent\b|pourcentage/i.test(text)) add('percentage', 'error', 'Pas de pourcentage.', text);
  if (/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b/.test(text)) add('numeric-date', 'error', 'Écrire les dates en entier (14 mars 2026).', text);
  if (/<\s*(i|em)\b/i.test(text) || /(^|[^*])\*(?!\*)[^*\n]+\*(?!\*)/.test(text) || /(^|\s)_[^_\s][^_]*_(\s|$|[.,!?])/.test(text))
    add('italic', 'error', 'Pas d’italique.', text);
  if (/<\s*u\b/i.test(text) || /__[^_]+__/.test(text)) add('underline', 'error', 'Pas de soulignement.', text);
  for (const ch of [';', '…', '(', ')', '[', ']']) if (text.includes(ch)) add('forbidden-character', 'error', `Caractère à éviter « ${ch} » : faire une autre phrase.`, text);
  for (const ch of ['/', '&']) if (text.includes(ch)) add('forbidden-character', 'warning', `Caractère à éviter « ${ch} ».`, text);
  return findings;
}

interface FalcTextRef {
  field: string;
  text: string;
}

/** Every text that a reader of the FALC variant reads, with where it is in the template file. */
export function falcTextsOf(content: TemplateContent): FalcTextRef[] {
  const out: FalcTextRef[] = [];
  const source = (field: string, s: TextSource) => {
    if (Array.isArray(s)) s.forEach((line, i) => out.push({ field: `${field}[${i}]`, text: line }));
    else out.push({ field, text: s });
  };
  const text = (field: string, t: Text) => (typeof t === 'string' || Array.isArray(t) ? source(field, t) : source(`${field}.falc`, t.falc));
  text('title', content.title);
  content.glossary.forEach((g, i) => out.push({ field: `glossary[${i}].definition`, text: g.definition }));

  function control<N>(f: string, n: unknown, visit: (f: string, n: N) => void): boolean {
    const r = n as Record<string, unknown>;
    if (typeof n !== 'object' || n === null || Array.isArray(n)) return false;
    if (r.only === 'standard') return true;
    if ('if' in r) {
      (r.then as N[]).forEach((x, i) => visit(`${f}.then[${i}]`, x));
      ((r.else as N[] | undefined) ?? []).forEach((x, i) => visit(`${f}.else[${i}]`, x));
      return true;
    }
    if ('each' in r) {
      (r.do as N[]).forEach((x, i) => visit(`${f}.do[${i}]`, x));
      return true;
    }
    return false;
  }
  const item = (f: string, n: ItemNode): void => {
    if (!control<ItemNode>(f, n, item)) text(f, n as Text);
  };
  const row = (f: string, n: RowNode): void => {
    if (!control<RowNode>(f, n, row)) (n as { cells: Text[] }).cells.forEach((c, i) => text(`${f}.cells[${i}]`, c));
  };
  const slot = (f: string, n: SlotNode): void => {
    if (!control<SlotNode>(f, n, slot)) out.push({ field: `${f}.slot.capacity`, text: (n as { slot: { capacity: string } }).slot.capacity });
  };
  const body = (f: string, node: BodyNode): void => {
    if (control<BodyNode>(f, node, body)) return;
    const n = node as ContentNode;
    if ('heading' in n) text(`${f}.text`, n.text);
    else if ('paragraph' in n) text(`${f}.paragraph`, n.paragraph);
    else if ('list' in n) n.list.items.forEach((x, i) => item(`${f}.list.items[${i}]`, x));
    else if ('table' in n) {
      text(`${f}.table.caption`, n.table.caption);
      n.table.header.forEach((h, i) => text(`${f}.table.header[${i}]`, h));
      n.table.rows.forEach((x, i) => row(`${f}.table.rows[${i}]`, x));
    } else if ('figure' in n) text(`${f}.figure.alt`, n.figure.alt);
    else if ('signatures' in n) {
      text(`${f}.signatures.heading`, n.signatures.heading);
      n.signatures.slots.forEach((x, i) => slot(`${f}.signatures.slots[${i}]`, x));
    } else if ('glossary' in n) text(`${f}.glossary.heading`, n.glossary.heading);
  };
  content.body.forEach((n, i) => body(`body[${i}]`, n));
  return out;
}

/** Level-2 headings of the FALC variant whose section has no pictogram. */
function missingPictograms(content: TemplateContent): { field: string; heading: string }[] {
  type Flat = { field: string; kind: 'h2' | 'figure' | 'other'; heading?: string };
  const flat: Flat[] = [];
  const walk = (f: string, n: BodyNode): void => {
    const r = n as unknown as Record<string, unknown>;
    if (r.only === 'standard') return;
    if ('if' in n) {
      n.then.forEach((x: BodyNode, i: number) => walk(`${f}.then[${i}]`, x));
      (n.else ?? []).forEach((x: BodyNode, i: number) => walk(`${f}.else[${i}]`, x));
    } else if ('each' in n) n.do.forEach((x: BodyNode, i: number) => walk(`${f}.do[${i}]`, x));
    else if ('heading' in n && n.heading === 2) {
      const t = typeof n.text === 'string' || Array.isArray(n.text) ? n.text : n.text.falc;
      flat.push({ field: f, kind: 'h2', heading: Array.isArray(t) ? t.join(' ') : t });
    } else if ('figure' in n) flat.push({ field: f, kind: 'figure' });
    else flat.push({ field: f, kind: 'other' });
  };
  content.body.forEach((n, i) => walk(`body[${i}]`, n));
  const missing: { field: string; heading: string }[] = [];
  flat.forEach((node, i) => {
    if (node.kind !== 'h2') return;
    let j = i + 1;
    let found = false;
    while (j < flat.length && flat[j].kind !== 'h2') if (flat[j++].kind === 'figure') found = true;
    if (!found) missing.push({ field: node.field, heading: node.heading ?? '' });
  });
  return missing;
}

export function lintTemplate(content: TemplateContent): FalcFinding[] {
  const lint = falcTextLinter(content.glossary.map((g) => g.term));
  const base = { templateId: content.id, version: content.version };
  const findings: FalcFinding[] = [];
  for (const ref of falcTextsOf(content))
    for (const f of lint(textForLint(ref.text), { oneSentencePerLine: !ref.field.startsWith('glossary[') }))
      findings.push({ ...base, field: ref.field, ...f });
  for (const m of missingPictograms(content))
    findings.push({
      ...base,
      field: m.field,
      rule: 'pictogram',
      severity: 'error',
      message: 'Chaque idée principale (titre de niveau 2) a un pictogramme dans sa partie.',
      excerpt: m.heading,
    });
  return findings;
}

/** One line per finding, in French: `ERREUR contrat-sejour@1.0.0 body[3].paragraph.falc [acronym] …`. */
export function formatFalcFinding(f: FalcFinding): string {
  return `${f.severity === 'error' ? 'ERREUR ' : 'ALERTE '} ${f.templateId}@${f.version} ${f.field} [${f.rule}] ${f.message} « ${f.excerpt} »`;
}

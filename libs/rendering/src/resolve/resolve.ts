import { canonicalJson, FieldError, sha256Hex, ValidationError } from '@carepact/common';
import {
  BodyNode,
  ContentNode,
  describeValue,
  easyToReadTexts,
  easyToReadView,
  evaluate,
  EvalContext,
  ExpressionError,
  isTruthy,
  isValidIsoDate,
  ItemNode,
  JsonValue,
  LoadedTemplate,
  parseExpression,
  parseLoop,
  parseTemplateText,
  PictogramLibrary,
  RowNode,
  SlotNode,
  TemplateRenderError,
  Text,
  TextSource,
  validateInput,
  Value,
} from '@carepact/templates';
import { FR_FORMATTERS, formatDateLong, formatNumber, isoDateToInstant } from '../format';
import type { Block, ContentVariant, DocumentTree, Inline, SignatureSlot, TextRun } from '../tree';
import { templateValidation } from './validation-cache';

export interface ResolveOptions {
  /** Where figure assets are checked; defaults to the repository's pictogram library. */
  pictograms?: { has(id: string): boolean };
}

let defaultPictograms: PictogramLibrary | null = null;
function pictogramsOrDefault(options: ResolveOptions): { has(id: string): boolean } {
  if (options.pictograms) return options.pictograms;
  defaultPictograms ??= new PictogramLibrary();
  return defaultPictograms;
}

/**
 * Template + data → plain document tree, for one content variant. Validates the data against the
 * template's schema (ValidationError with one FieldError per field), evaluates every expression,
 * formats values for fr-FR once, and checks the heading outline. Data values become text runs and
 * are never parsed: `{{constructor}}`, `<script>` or U+202E come out exactly as given.
 */
export function resolve(template: LoadedTemplate, data: unknown, contentVariant: ContentVariant, options: ResolveOptions = {}): DocumentTree {
  return resolveChecked(template, data, contentVariant, options, checkInput(template, data));
}

/** The data passed validateTemplateInput; their hash, recorded in the tree's meta. */
export interface CheckedInput {
  inputHash: string;
}

/** Validates the data once for every variant resolved from them (ValidationError otherwise). */
export function checkInput(template: LoadedTemplate, data: unknown): CheckedInput {
  const t = template.content;
  const errors = validateTemplateInput(template, data);
  if (errors.length) throw new ValidationError(errors, `Les données du document « ${t.id} » sont invalides ou incomplètes.`);
  return { inputHash: sha256Hex(canonicalJson(data)) };
}

/**
 * `resolve` for data already checked by `checkInput`: a bundle resolves two content variants of
 * the same data, validated (schema, easy-to-read lint, requirements) and hashed once.
 */
export function resolveChecked(template: LoadedTemplate, data: unknown, contentVariant: ContentVariant, options: ResolveOptions, checked: CheckedInput): DocumentTree {
  const t = template.content;
  const ref = `${t.id}@${t.version}`;
  // Issue 8 C: the easy-to-read rendition reads each free text in its easy-to-read wording.
  const input = (contentVariant === 'falc' ? easyToReadView(t.inputSchema, data) : data) as { [key: string]: JsonValue };
  const pictograms = pictogramsOrDefault(options);

  const fail = (where: string, message: string): never => {
    throw new TemplateRenderError(ref, where, message);
  };
  const guard = <T>(where: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ExpressionError || e instanceof RangeError) return fail(where, e.message);
      throw e;
    }
  };

  const vars = new Map<string, Value>();
  for (const key of Object.keys(t.inputSchema.properties ?? {}))
    vars.set(key, Object.prototype.hasOwnProperty.call(input, key) ? input[key] : undefined);
  const ctxOf = (v: ReadonlyMap<string, Value>): EvalContext => ({ vars: v, formatters: FR_FORMATTERS, labels: t.labels ?? {} });
  for (const [i, d] of (t.define ?? []).entries())
    vars.set(d.name, guard(`define[${i}]`, () => evaluate(parseExpression(d.value), ctxOf(vars), d.value)));

  const evalExpr = (where: string, src: string, scope: ReadonlyMap<string, Value>): Value =>
    guard(where, () => evaluate(parseExpression(src), ctxOf(scope), src));

  const valueText = (where: string, v: Value, src: string): string => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return formatNumber(v);
    if (typeof v === 'boolean') return v ? 'oui' : 'non';
    return fail(where, `« {{ ${src} }} » donne ${describeValue(v)}, pas un texte`);
  };

  const inline = (where: string, src: string, scope: ReadonlyMap<string, Value>): Inline => {
    const runs: TextRun[] = [];
    for (const seg of guard(where, () => parseTemplateText(src))) {
      const text = seg.kind === 'literal' ? seg.text : valueText(where, evalExpr(where, seg.source, scope), seg.source);
      if (text === '') continue;
      const last = runs[runs.length - 1];
      if (last && !!last.strong === seg.strong) last.text += text;
      else runs.push(seg.strong ? { text, strong: true } : { text });
    }
    return runs;
  };
  const isBlank = (runs: Inline): boolean => plainText(runs).trim() === '';

  const pick = (x: Text): TextSource => (typeof x === 'string' || Array.isArray(x) ? x : x[contentVariant]);
  const lines = (where: string, x: Text, scope: ReadonlyMap<string, Value>): Inline[] => {
    const s = pick(x);
    return (Array.isArray(s) ? s : [s]).map((line, i) => inline(Array.isArray(s) ? `${where}[${i}]` : where, line, scope)).filter((r) => !isBlank(r));
  };
  const oneLine = (where: string, x: Text, scope: ReadonlyMap<string, Value>): Inline => {
    const s = pick(x);
    return inline(where, Array.isArray(s) ? s.join(' ') : s, scope);
  };

  const visible = (node: unknown, defaultOnly?: ContentVariant): boolean => {
    const only = (node as { only?: ContentVariant }).only ?? defaultOnly;
    return only === undefined || only === contentVariant;
  };

  /** if/each shared by every node kind; returns null when the node is not a control node. */
  function control<N, R>(where: string, node: N, scope: ReadonlyMap<string, Value>, visit: (w: string, n: N, s: ReadonlyMap<string, Value>) => R[]): R[] | null {
    if (typeof node !== 'object' || node === null) return null;
    const n = node as Record<string, unknown>;
    if ('if' in n) {
      const key = isTruthy(evalExpr(`${where}.if`, n.if as string, scope)) ? 'then' : 'else';
      const branch = key === 'then' ? (n.then as N[]) : ((n.else as N[] | undefined) ?? []);
      return branch.flatMap((x, i) => visit(`${where}.${key}[${i}]`, x, scope));
    }
    if ('each' in n) {
      const loop = guard(`${where}.each`, () => parseLoop(n.each as string));
      const list = guard(`${where}.each`, () => evaluate(loop.source, ctxOf(scope), n.each as string));
      if (list === undefined || list === null) return [];
      if (!Array.isArray(list)) return fail(`${where}.each`, `« ${n.each as string} » n’est pas une liste`);
      return list.flatMap((item, k) => {
        const inner = new Map(scope);
        inner.set(loop.variable, item);
        if (loop.counter) inner.set(loop.counter, k + 1);
        return (n.do as N[]).flatMap((x, i) => visit(`${where}.do[${i}]`, x, inner));
      });
    }
    return null;
  }

  const items = (where: string, node: ItemNode, scope: ReadonlyMap<string, Value>): Inline[] => {
    if (!visible(node)) return [];
    const c = control<ItemNode, Inline>(where, node, scope, items);
    if (c) return c;
    const runs = oneLine(where, node as Text, scope);
    return isBlank(runs) ? [] : [runs];
  };
  const rows = (where: string, node: RowNode, scope: ReadonlyMap<string, Value>): Inline[][] => {
    if (!visible(node)) return [];
    const c = control<RowNode, Inline[]>(where, node, scope, rows);
    if (c) return c;
    return [(node as { cells: Text[] }).cells.map((cell, i) => oneLine(`${where}.cells[${i}]`, cell, scope))];
  };
  const slots = (where: string, node: SlotNode, scope: ReadonlyMap<string, Value>): SignatureSlot[] => {
    if (!visible(node)) return [];
    const c = control<SlotNode, SignatureSlot>(where, node, scope, slots);
    if (c) return c;
    const s = (node as { slot: { role: string; name: string; capacity: string } }).slot;
    const slot = {
      role: plainText(inline(`${where}.slot.role`, s.role, scope)),
      name: plainText(inline(`${where}.slot.name`, s.name, scope)),
      capacity: plainText(inline(`${where}.slot.capacity`, s.capacity, scope)),
    };
    if (!slot.role.trim() || !slot.name.trim()) fail(where, 'signataire sans rôle ou sans nom');
    return [slot];
  };

  const body = (where: string, bodyNode: BodyNode, scope: ReadonlyMap<string, Value>): Block[] => {
    if (!visible(bodyNode, 'figure' in bodyNode ? 'falc' : undefined)) return [];
    const c = control<BodyNode, Block>(where, bodyNode, scope, body);
    if (c) return c;
    const node = bodyNode as ContentNode;
    if ('heading' in node) {
      const text = oneLine(`${where}.text`, node.text, scope);
      if (isBlank(text)) fail(where, 'titre vide');
      return [{ kind: 'heading', level: node.heading, text }];
    }
    if ('paragraph' in node) return lines(`${where}.paragraph`, node.paragraph, scope).map((text) => ({ kind: 'paragraph', text }));
    if ('list' in node) {
      const list = node.list.items.flatMap((x, i) => items(`${where}.list.items[${i}]`, x, scope));
      return list.length ? [{ kind: 'list', ordered: node.list.ordered === true, items: list }] : [];
    }
    if ('table' in node) {
      const header = node.table.header.map((h, i) => plainText(oneLine(`${where}.table.header[${i}]`, h, scope)));
      const body = node.table.rows.flatMap((r, i) => rows(`${where}.table.rows[${i}]`, r, scope));
      body.forEach((r, i) => {
        if (r.length !== header.length) fail(`${where}.table.rows`, `la ligne ${i + 1} a ${r.length} cellules pour ${header.length} colonnes`);
      });
      if (body.length === 0) return [];
      return [{ kind: 'table', caption: plainText(oneLine(`${where}.table.caption`, node.table.caption, scope)), header, rowHeaders: node.table.rowHeaders === true, rows: body }];
    }
    if ('figure' in node) {
      if (!pictograms.has(node.figure.asset)) fail(`${where}.figure.asset`, `pictogramme inconnu « ${node.figure.asset} »`);
      const alt = plainText(oneLine(`${where}.figure.alt`, node.figure.alt, scope));
      if (!alt.trim()) fail(`${where}.figure.alt`, 'texte de remplacement vide');
      return [{ kind: 'figure', asset: node.figure.asset, alt }];
    }
    if ('signatures' in node) {
      const list = node.signatures.slots.flatMap((x, i) => slots(`${where}.signatures.slots[${i}]`, x, scope));
      if (list.length === 0) fail(where, 'aucun signataire');
      return [{ kind: 'signatures', heading: plainText(oneLine(`${where}.signatures.heading`, node.signatures.heading, scope)), slots: list }];
    }
    if ('glossary' in node) {
      if (t.glossary.length === 0) return [];
      // The entries are chosen once the whole document is resolved (see glossaryFor).
      const heading: Block = { kind: 'heading', level: node.glossary.level, text: oneLine(`${where}.glossary.heading`, node.glossary.heading, scope) };
      glossaryHeadings.add(heading);
      return [heading, { kind: 'list', ordered: false, items: [] }];
    }
    return fail(where, 'bloc inconnu');
  };

  const glossaryHeadings = new Set<Block>();
  const blocks = placeGlossaries(
    t.body.flatMap((n, i) => body(`body[${i}]`, n, vars)),
    glossaryHeadings,
    t.glossary,
  );
  const review = currentFalcReview(template);
  if (contentVariant === 'falc') blocks.push({ kind: 'paragraph', text: [{ text: falcReviewNote(review) }] });
  checkOutline(blocks, (m) => fail('body', m));

  const issuedOn = evalExpr('issuedAt', t.issuedAt, vars);
  if (typeof issuedOn !== 'string' || !isValidIsoDate(issuedOn)) fail('issuedAt', `date AAAA-MM-JJ attendue, reçu ${describeValue(issuedOn)}`);
  const title = plainText(oneLine('title', t.title, vars));
  const establishmentName = (input.establishment as { name?: unknown } | undefined)?.name;
  const resident = input.resident as { firstName?: unknown; lastName?: unknown } | undefined;
  const personName = [resident?.firstName, resident?.lastName].filter((x): x is string => typeof x === 'string' && x.trim() !== '').join(' ');

  return {
    lang: 'fr-FR',
    title,
    contentVariant,
    meta: {
      documentType: t.documentType,
      templateId: t.id,
      templateVersion: t.version,
      templateHash: template.sha256,
      inputHash: checked.inputHash,
      issuedAt: isoDateToInstant(issuedOn as string),
      falcReview: review ? { by: review.by, on: review.on } : null,
      establishmentName: typeof establishmentName === 'string' ? establishmentName : '',
      personName,
    },
    blocks,
  };
}

/**
 * The easy-to-read review a rendition cites: the latest one recorded beside the published version
 * (published.json, outside the hashed content), else the one written in the template, else none.
 */
export function currentFalcReview(template: LoadedTemplate): { by: string; on: string; readers?: string } | null {
  const recorded = [...(template.published?.falcReviews ?? [])].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  return recorded[recorded.length - 1] ?? template.content.falcReview ?? null;
}

/** A value counts as given unless it is missing, null, a blank text or an empty list. */
function isGiven(v: Value): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/**
 * The whole check a document's data must pass before anything is rendered or stored: the schema,
 * then the template's situational requirements (`requires`: the minor's view for a minor, the
 * consent interview in a home for older people…) and its rules between values (`checks`: the
 * notice eight days before the interview…). Used by resolve and by document creation, so
 * the API refuses at once what the worker would refuse later.
 */
export function validateTemplateInput(template: LoadedTemplate, data: unknown): FieldError[] {
  const t = template.content;
  // Every stage at once, so that a form (the console's) or a client learns everything missing in
  // one refusal: the schema, the easy-to-read wordings, the template's situational rules.
  const errors = validateInput(t.inputSchema, data);
  const schemaValid = errors.length === 0;
  const has = (field: string) => errors.some((e) => e.field === field);
  // The easy-to-read wordings the data gives are printed as they are: they pass the same
  // machine-checkable FALC rules as the template's own texts (falc:lint), the glossary included.
  for (const e of easyToReadErrors(template, data)) if (!has(e.field)) errors.push(e);
  if (!t.requires?.length && !t.checks?.length) return errors;
  const ref = `${t.id}@${t.version}`;
  const evaluateIn = (ctx: EvalContext, where: string, src: string): Value => {
    try {
      return evaluate(parseExpression(src), ctx, src);
    } catch (e) {
      // Data the schema refused may not fit an expression (a text where a list is expected): that
      // rule is undecided, the schema's error says what to fix. On valid data it is the template's fault.
      if (!schemaValid) return undefined;
      if (e instanceof ExpressionError || e instanceof RangeError) throw new TemplateRenderError(ref, where, e.message);
      throw e;
    }
  };
  const ctx = templateContext(template, data, (where, src, c) => evaluateIn(c, where, src));
  const run = (where: string, src: string): Value => evaluateIn(ctx, where, src);
  for (const [i, r] of (t.requires ?? []).entries()) {
    if (!isTruthy(run(`requires[${i}].when`, r.when))) continue;
    for (const field of r.fields)
      if (!isGiven(run(`requires[${i}].fields`, field)) && !has(field) && !errors.some((e) => e.field.startsWith(`${field}.`) || field.startsWith(`${e.field}.`)))
        errors.push({ field, code: 'REQUIRED', message: r.message });
  }
  // Rules between the values given (a notice at least eight days before the interview, CASF
  // D.311-0-4): undecided (undefined) on data the schema refused; a field already refused keeps its error.
  for (const [i, c] of (t.checks ?? []).entries()) {
    if (c.each !== undefined) {
      // Once per item of a list (the recipients of the minutes…), each refusal beside its item.
      const loop = parseLoop(c.each);
      // The template validator made the list a plain path of the data (template-validator.ts).
      if (loop.source.kind !== 'path') throw new TemplateRenderError(ref, `checks[${i}].each`, 'la liste doit être un chemin des données');
      const list = evaluate(loop.source, ctx, c.each);
      if (!Array.isArray(list)) continue;
      const listPath = [loop.source.root, ...loop.source.members].join('.');
      list.forEach((item, k) => {
        const vars = new Map(ctx.vars);
        vars.set(loop.variable, item);
        if (loop.counter) vars.set(loop.counter, k + 1);
        const inner: EvalContext = { ...ctx, vars };
        if (!isTruthy(evaluateIn(inner, `checks[${i}].when`, c.when))) return;
        const holds = evaluateIn(inner, `checks[${i}].check`, c.check);
        if (holds === undefined || isTruthy(holds)) return;
        for (const f of c.fields) {
          const field = f.startsWith(`${loop.variable}.`) ? `${listPath}[${k}]${f.slice(loop.variable.length)}` : f;
          if (!has(field)) errors.push({ field, code: c.code, message: c.message });
        }
      });
      continue;
    }
    if (!isTruthy(run(`checks[${i}].when`, c.when))) continue;
    const holds = run(`checks[${i}].check`, c.check);
    if (holds === undefined || isTruthy(holds)) continue;
    for (const field of c.fields) if (!has(field)) errors.push({ field, code: c.code, message: c.message });
  }
  return errors;
}

/**
 * A template's expression context for an input: its variables (the input schema's top-level
 * properties), then its definitions, each evaluated by `valueOf`, which decides what an expression
 * error does (the validation's stages, the console's form).
 */
export function templateContext(template: LoadedTemplate, input: unknown, valueOf: (where: string, src: string, ctx: EvalContext) => Value): EvalContext {
  const t = template.content;
  const data = (input ?? {}) as { [key: string]: JsonValue };
  const vars = new Map<string, Value>();
  for (const key of Object.keys(t.inputSchema.properties ?? {})) vars.set(key, Object.prototype.hasOwnProperty.call(data, key) ? data[key] : undefined);
  const ctx: EvalContext = { vars, formatters: FR_FORMATTERS, labels: t.labels ?? {} };
  for (const [i, d] of (t.define ?? []).entries()) vars.set(d.name, valueOf(`define[${i}]`, d.value, ctx));
  return ctx;
}

/** The easy-to-read wordings the data gives that break the FALC rules (errors only), one per field, in French. */
export function easyToReadErrors(template: LoadedTemplate, data: unknown): FieldError[] {
  const t = template.content;
  // The version's linter, its glossary prepared once per process (validation-cache.ts); the data's texts linted on every call.
  const { lintFalc } = templateValidation(t);
  const out: FieldError[] = [];
  for (const { field, text } of easyToReadTexts(t.inputSchema, data)) {
    const problems = lintFalc(text).filter((f) => f.severity === 'error');
    if (problems.length)
      out.push({ field, code: 'FALC_TEXT', message: `Texte facile à lire à reprendre : ${problems.map((f) => `${f.message} (« ${f.excerpt.length > 60 ? f.excerpt.slice(0, 57) + '…' : f.excerpt} »)`).join(' ')}` });
  }
  return out;
}

/**
 * Glossaries: only the terms the document uses (in its text, its pictograms' alternatives, its
 * signers' capacities), plus those that the chosen definitions use, so a person under tutelle
 * does not get curatelle explained. A glossary left empty is dropped with its heading and its
 * pictogram. The pictogram placed just before a glossary in the template introduces it: it moves
 * after the glossary's heading, so it is read in the glossary's section, not the previous one.
 */
function placeGlossaries(blocks: Block[], headings: ReadonlySet<Block>, glossary: readonly { term: string; definition: string }[]): Block[] {
  if (headings.size === 0) return blocks;
  const texts: string[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (!headings.has(b) && !(i > 0 && headings.has(blocks[i - 1]))) texts.push(blockText(b));
  }
  const text = lower(texts.join('\n'));
  const used = new Set(glossary.filter((g) => mentions(text, g.term)));
  const definitions = new Map(glossary.map((g) => [g, lower(g.definition)]));
  for (let grew = true; grew; ) {
    grew = false;
    for (const g of glossary) {
      if (used.has(g)) continue;
      if ([...used].some((u) => mentions(definitions.get(u)!, g.term))) {
        used.add(g);
        grew = true;
      }
    }
  }
  const items: Inline[] = glossary.filter((g) => used.has(g)).map((g) => [{ text: g.term, strong: true }, { text: ` : ${g.definition}` }]);
  const out: Block[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (!headings.has(b)) {
      out.push(b);
      continue;
    }
    const figure = out[out.length - 1]?.kind === 'figure' ? (out.pop() as Block) : null;
    i++; // the glossary's (empty) list
    if (items.length === 0) continue;
    out.push(b);
    if (figure) out.push(figure);
    out.push({ kind: 'list', ordered: false, items });
  }
  return out;
}

/** The text of runs without their marks (titles, captions, alt texts, glossary search). */
function plainText(runs: Inline): string {
  let out = '';
  for (const r of runs) out += r.text;
  return out;
}

function blockText(b: Block): string {
  switch (b.kind) {
    case 'heading':
    case 'paragraph':
      return plainText(b.text);
    case 'list':
      return b.items.map(plainText).join('\n');
    case 'table':
      return [b.caption, ...b.header, ...b.rows.flatMap((r) => r.map(plainText))].join('\n');
    case 'figure':
      return b.alt;
    case 'signatures':
      return [b.heading, ...b.slots.flatMap((s) => [s.name, s.capacity])].join('\n');
    default:
      return '';
  }
}

/** Forms of one word counted as the glossary term: plural, feminine, conjugated (-er verbs). */
function wordForms(word: string): string[] {
  const forms = new Set([word, `${word}s`, `${word}x`, `${word}e`, `${word}es`]);
  if (/[sx]$/.test(word)) forms.add(word.slice(0, -1));
  if (/eur$/.test(word)) for (const end of ['rice', 'rices', 'euse', 'euses']) forms.add(word.replace(/eur$/, end));
  if (/er$/.test(word)) for (const end of ['e', 'es', 'ez', 'ent', 'ons', 'é', 'ée', 'és', 'ées']) forms.add(word.replace(/er$/, end));
  return [...forms].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const lower = (text: string): string => text.toLocaleLowerCase('fr-FR');

/** Each glossary term's pattern, compiled once per process (a few dozen terms across the templates). */
const termPatterns = new Map<string, RegExp | null>();
function termPattern(term: string): RegExp | null {
  let re = termPatterns.get(term);
  if (re !== undefined) return re;
  const words = lower(term).trim().split(/\s+/).filter(Boolean);
  const pattern = words.map((w) => `(?:${wordForms(w).map(escapeRegExp).join('|')})`).join('\\s+');
  re = words.length === 0 ? null : new RegExp(`(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`, 'u');
  if (termPatterns.size >= 1000) termPatterns.clear();
  termPatterns.set(term, re);
  return re;
}

/** Whether `lowerText` (already lower-cased, see `lower`) uses `term` (or a simple inflection of it) as whole words, whatever the case. */
function mentions(lowerText: string, term: string): boolean {
  return termPattern(term)?.test(lowerText) ?? false;
}

/**
 * The last words of an easy-to-read rendition, addressed to the person who reads it (issue 13,
 * item 8). Reviewed by people concerned (ACCESSIBILITY.md): who and when. Not yet reviewed: that
 * fact is for staff (the tree's `meta.falcReview` is null); the person is told what helps them,
 * in short sentences: whom to ask when a word is not clear.
 */
export const FALC_HELP_NOTE = 'Un mot ou une phrase n’est pas clair ? Demandez à l’établissement de vous l’expliquer. Une personne de votre choix peut aussi vous aider.';

export function falcReviewNote(review: { by: string; on: string } | null): string {
  return review ? `Ce texte facile à lire a été relu par ${review.by} le ${formatDateLong(review.on)}.` : FALC_HELP_NOTE;
}

/** H1 first, exactly one H1, and no skipped level going down (PDF/UA, WCAG 1.3.1). */
export function checkOutline(blocks: Block[], fail: (message: string) => never): void {
  let previous = 0;
  let h1 = 0;
  for (const b of blocks) {
    if (b.kind !== 'heading') continue;
    if (previous === 0 && b.level !== 1) fail(`le premier titre doit être de niveau 1, pas ${b.level}`);
    if (b.level === 1 && ++h1 > 1) fail('un seul titre de niveau 1 (le titre du document)');
    if (b.level > previous + 1) fail(`niveau de titre sauté : ${previous} puis ${b.level} (« ${b.text.map((r) => r.text).join('')} »)`);
    previous = b.level;
  }
  if (h1 === 0) fail('le document n’a pas de titre de niveau 1');
}

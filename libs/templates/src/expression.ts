import { agreeWithCivility, isCalendarDate, isCivility } from '@carepact/common';

/**
 * The template expression language: a small, side-effect-free language written here on purpose
 * (no eval, no Function, no general template engine). Templates come from the repository; data
 * values are only ever *read* by these expressions and are never parsed as expressions, so a
 * resident called `{{constructor}}` stays a name.
 *
 * Grammar (lowest precedence first):
 *   expr     := coalesce ('?' expr ':' expr)?
 *   coalesce := or ('??' or)*
 *   or       := and ('or' and)*
 *   and      := not ('and' not)*
 *   not      := 'not' not | cmp
 *   cmp      := concat (('=='|'!='|'<'|'<='|'>'|'>='|'in') concat)?
 *   concat   := pipe ('+' pipe)*                       (text concatenation only)
 *   pipe     := primary ('|' NAME ('(' expr (',' expr)* ')')?)*
 *   primary  := STRING | NUMBER | true | false | null | path | '(' expr ')'
 *   path     := NAME ('.' NAME | '[' NUMBER ']')*
 *
 * `a | daysUntil(b)` counts the calendar days from date `a` to date `b` (AAAA-MM-JJ; negative when
 * `b` comes first), so a rule can say how long before something was done (`notice | daysUntil(on) >= 8`).
 * `a | addMonths(n)` is date `a` n calendar months later (AAAA-MM-JJ), on the same day of the month,
 * or the last day of that month when it has no such day (31 August + 6 months → 28 or 29 February):
 * how a time limit in months runs, so a rule can say « six months at most » (`review <= on | addMonths(6)`).
 * `title | agree(civility)` agrees a masculine-generic title or word with a person's civility
 * (« tuteur chargé de la gestion patrimoniale » | agree('madame') → « tutrice chargée de la gestion
 * patrimoniale », « présent » → « présente »: @carepact/common agreeWithCivility); any other civility, or
 * none (null, absent), leaves it unchanged — a file without civilities prints as before.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** What an expression may yield: JSON data, or undefined for a missing member. */
export type Value = JsonValue | undefined;

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'and' | 'or' | '??' | '+';

export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'path'; root: string; members: (string | number)[] }
  | { kind: 'not'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'conditional'; test: Expr; then: Expr; otherwise: Expr }
  | { kind: 'pipe'; input: Expr; formatter: string; args: Expr[] };

/** Formatters a template may use. `upper` does not exist on purpose: FALC forbids words in capitals. */
export const FORMATTER_NAMES = [
  'date',
  'euros',
  'number',
  'andList',
  'join',
  'length',
  'lower',
  'capitalize',
  'label',
  'de',
  'daysUntil',
  'addMonths',
  'agree',
] as const;
export type FormatterName = (typeof FORMATTER_NAMES)[number];

/** Member names that could reach the prototype chain: refused in templates, never read from data. */
const FORBIDDEN_MEMBERS = new Set(['__proto__', 'constructor', 'prototype']);

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly source: string,
  ) {
    super(`${message} — dans « ${source} »`);
    this.name = 'ExpressionError';
  }
}

type Token =
  | { t: 'name'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'op'; v: string }
  | { t: 'end' };

const OPERATORS = ['==', '!=', '<=', '>=', '??', '<', '>', '?', ':', '.', '[', ']', '(', ')', '|', ',', '+'];

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let out = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          out += src[j + 1];
          j += 2;
        } else out += src[j++];
      }
      if (j >= src.length) throw new ExpressionError('chaîne non terminée', src);
      tokens.push({ t: 'string', v: out });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      tokens.push({ t: 'number', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      tokens.push({ t: 'name', v: m[0] });
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(`caractère inattendu « ${c} »`, src);
    tokens.push({ t: 'op', v: op });
    i += op.length;
  }
  tokens.push({ t: 'end' });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
  ) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }
  private next(): Token {
    return this.tokens[this.pos++];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private isName(v: string): boolean {
    const t = this.peek();
    return t.t === 'name' && t.v === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new ExpressionError(`« ${v} » attendu`, this.src);
    this.pos++;
  }
  private fail(msg: string): never {
    throw new ExpressionError(msg, this.src);
  }

  parseAll(): Expr {
    const e = this.expr();
    if (this.peek().t !== 'end') this.fail('fin de l’expression attendue');
    return e;
  }

  private expr(): Expr {
    const test = this.coalesce();
    if (this.isOp('?')) {
      this.pos++;
      const then = this.expr();
      this.expectOp(':');
      const otherwise = this.expr();
      return { kind: 'conditional', test, then, otherwise };
    }
    return test;
  }
  private coalesce(): Expr {
    let left = this.or();
    while (this.isOp('??')) {
      this.pos++;
      left = { kind: 'binary', op: '??', left, right: this.or() };
    }
    return left;
  }
  private or(): Expr {
    let left = this.and();
    while (this.isName('or')) {
      this.pos++;
      left = { kind: 'binary', op: 'or', left, right: this.and() };
    }
    return left;
  }
  private and(): Expr {
    let left = this.not();
    while (this.isName('and')) {
      this.pos++;
      left = { kind: 'binary', op: 'and', left, right: this.not() };
    }
    return left;
  }
  private not(): Expr {
    if (this.isName('not')) {
      this.pos++;
      return { kind: 'not', operand: this.not() };
    }
    return this.cmp();
  }
  private cmp(): Expr {
    const left = this.concat();
    const t = this.peek();
    const op = t.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v) ? t.v : t.t === 'name' && t.v === 'in' ? 'in' : null;
    if (!op) return left;
    this.pos++;
    return { kind: 'binary', op: op as BinaryOp, left, right: this.concat() };
  }
  private concat(): Expr {
    let left = this.pipe();
    while (this.isOp('+')) {
      this.pos++;
      left = { kind: 'binary', op: '+', left, right: this.pipe() };
    }
    return left;
  }
  private pipe(): Expr {
    let input = this.primary();
    while (this.isOp('|')) {
      this.pos++;
      const name = this.next();
      if (name.t !== 'name') this.fail('nom de formateur attendu après « | »');
      if (!(FORMATTER_NAMES as readonly string[]).includes(name.v)) this.fail(`formateur inconnu « ${name.v} »`);
      const args: Expr[] = [];
      if (this.isOp('(')) {
        this.pos++;
        if (!this.isOp(')')) {
          args.push(this.expr());
          while (this.isOp(',')) {
            this.pos++;
            args.push(this.expr());
          }
        }
        this.expectOp(')');
      }
      input = { kind: 'pipe', input, formatter: name.v, args };
    }
    return input;
  }
  private primary(): Expr {
    const t = this.next();
    if (t.t === 'string' || t.t === 'number') return { kind: 'literal', value: t.v };
    if (t.t === 'op' && t.v === '(') {
      const e = this.expr();
      this.expectOp(')');
      return e;
    }
    if (t.t === 'name') {
      if (t.v === 'true' || t.v === 'false') return { kind: 'literal', value: t.v === 'true' };
      if (t.v === 'null') return { kind: 'literal', value: null };
      if (['and', 'or', 'not', 'in'].includes(t.v)) this.fail(`mot réservé « ${t.v} » inattendu`);
      this.checkMember(t.v);
      const members: (string | number)[] = [];
      for (;;) {
        if (this.isOp('.')) {
          this.pos++;
          const m = this.next();
          if (m.t !== 'name') this.fail('nom de champ attendu après « . »');
          this.checkMember(m.v);
          members.push(m.v);
        } else if (this.isOp('[')) {
          this.pos++;
          const n = this.next();
          if (n.t !== 'number' || !Number.isInteger(n.v)) this.fail('indice entier attendu');
          members.push(n.v);
          this.expectOp(']');
        } else break;
      }
      return { kind: 'path', root: t.v, members };
    }
    return this.fail('valeur attendue');
  }
  private checkMember(name: string): void {
    if (FORBIDDEN_MEMBERS.has(name)) this.fail(`nom de champ interdit « ${name} »`);
  }
}

/**
 * Parsed expressions, once per process for each source: a template's expressions are evaluated for
 * every document (twice per bundle: standard and easy-to-read trees), and tokenizing them again was
 * the largest allocation of a resolve. Trees are frozen, so no caller can change a shared one.
 * Bounded: templates hold a few hundred expressions; a process seeing more starts over.
 */
const parsed = new Map<string, Expr>();
const PARSED_MAX = 20_000;

export function parseExpression(src: string): Expr {
  let e = parsed.get(src);
  if (!e) {
    e = deepFreeze(new Parser(tokenize(src), src).parseAll());
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(src, e);
  }
  return e;
}

/** The value and everything it holds, frozen (parsed trees are plain objects and arrays). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Locale-dependent formatters, given by the caller (libs/rendering/src/format for fr-FR). */
export interface LocaleFormatters {
  date(isoDate: string): string;
  euros(amount: number): string;
  number(value: number): string;
  andList(items: string[]): string;
}

export interface EvalContext {
  /** Variables: data roots, definitions, loop variables. Looked up by own property only. */
  vars: ReadonlyMap<string, Value>;
  formatters: LocaleFormatters;
  /** The template's label tables, for `| label('table')`. */
  labels: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export function isTruthy(v: Value): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function isPlainObject(v: Value): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a member of data: own properties only, so nothing reaches Object.prototype. */
function member(v: Value, m: string | number): Value {
  if (typeof m === 'number') return Array.isArray(v) && m >= 0 && m < v.length ? v[m] : undefined;
  if (FORBIDDEN_MEMBERS.has(m)) return undefined;
  if (isPlainObject(v) && Object.prototype.hasOwnProperty.call(v, m)) return v[m];
  return undefined;
}

export function describeValue(v: Value): string {
  if (v === undefined) return 'absent';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'liste';
  return typeof v === 'object' ? 'objet' : typeof v;
}

export function evaluate(e: Expr, ctx: EvalContext, src = ''): Value {
  const ev = (x: Expr): Value => evaluate(x, ctx, src);
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'path': {
      let v: Value = ctx.vars.has(e.root) ? ctx.vars.get(e.root) : undefined;
      if (!ctx.vars.has(e.root)) throw new ExpressionError(`variable inconnue « ${e.root} »`, src);
      for (const m of e.members) v = member(v, m);
      return v;
    }
    case 'not':
      return !isTruthy(ev(e.operand));
    case 'conditional':
      return isTruthy(ev(e.test)) ? ev(e.then) : ev(e.otherwise);
    case 'binary': {
      if (e.op === 'and') return isTruthy(ev(e.left)) && isTruthy(ev(e.right));
      if (e.op === 'or') return isTruthy(ev(e.left)) || isTruthy(ev(e.right));
      const l = ev(e.left);
      if (e.op === '??') return l === undefined || l === null ? ev(e.right) : l;
      const r = ev(e.right);
      switch (e.op) {
        case '==':
          return l === r || (l === undefined && r === null) || (l === null && r === undefined);
        case '!=':
          return !(l === r || (l === undefined && r === null) || (l === null && r === undefined));
        case 'in':
          if (!Array.isArray(r)) throw new ExpressionError('« in » attend une liste à droite', src);
          return r.some((x) => x === l);
        case '+':
          if (typeof l !== 'string' || typeof r !== 'string')
            throw new ExpressionError(`« + » assemble du texte, pas ${describeValue(l)} et ${describeValue(r)}`, src);
          return l + r;
        default: {
          // Ordering compares numbers with numbers and text with text (ISO dates order as text).
          if (!((typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string')))
            throw new ExpressionError(`comparaison impossible entre ${describeValue(l)} et ${describeValue(r)}`, src);
          if (e.op === '<') return l < r;
          if (e.op === '<=') return l <= r;
          if (e.op === '>') return l > r;
          return l >= r;
        }
      }
    }
    case 'pipe':
      return applyFormatter(e.formatter as FormatterName, ev(e.input), e.args.map(ev), ctx, src);
  }
}

function applyFormatter(name: FormatterName, v: Value, args: Value[], ctx: EvalContext, src: string): Value {
  const fail = (what: string): never => {
    throw new ExpressionError(`le formateur « ${name} » attend ${what}, reçu ${describeValue(v)}`, src);
  };
  switch (name) {
    case 'date':
      if (typeof v !== 'string') return fail('une date');
      return ctx.formatters.date(v);
    case 'euros':
      if (typeof v !== 'number') return fail('un nombre');
      return ctx.formatters.euros(v);
    case 'number':
      if (typeof v !== 'number') return fail('un nombre');
      return ctx.formatters.number(v);
    case 'andList':
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return fail('une liste de textes');
      return ctx.formatters.andList(v as string[]);
    case 'join': {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return fail('une liste de textes');
      const sep = args[0] ?? ', ';
      if (typeof sep !== 'string') throw new ExpressionError('le séparateur de « join » doit être un texte', src);
      return (v as string[]).join(sep);
    }
    case 'length':
      if (Array.isArray(v) || typeof v === 'string') return v.length;
      if (v === undefined || v === null) return 0;
      return fail('une liste ou un texte');
    case 'lower':
      if (typeof v !== 'string') return fail('un texte');
      return v.toLocaleLowerCase('fr-FR');
    case 'capitalize':
      if (typeof v !== 'string') return fail('un texte');
      return v.length === 0 ? v : v[0].toLocaleUpperCase('fr-FR') + v.slice(1);
    case 'de':
      // French elision before a vowel or a mute h: « l’avis d’Enzo », « l’avis de Marcel ».
      if (typeof v !== 'string') return fail('un texte');
      return /^[aeiouyhàâäéèêëîïôöùûüœæ]/i.test(v.normalize('NFC')) ? `d’${v}` : `de ${v}`;
    case 'daysUntil': {
      // Calendar days, not durations: both ends are dates without a time (no time zone, no DST).
      const from = typeof v === 'string' ? isoDateDay(v) : undefined;
      if (from === undefined) return fail('une date AAAA-MM-JJ');
      const to = typeof args[0] === 'string' ? isoDateDay(args[0]) : undefined;
      if (to === undefined) throw new ExpressionError(`« daysUntil » attend une date AAAA-MM-JJ entre parenthèses, reçu ${describeValue(args[0])}`, src);
      return to - from;
    }
    case 'addMonths': {
      const from = typeof v === 'string' ? isoDateDay(v) : undefined;
      if (from === undefined) return fail('une date AAAA-MM-JJ');
      const n = args[0];
      if (typeof n !== 'number' || !Number.isInteger(n)) throw new ExpressionError(`« addMonths » attend un nombre entier de mois entre parenthèses, reçu ${describeValue(n)}`, src);
      const [y, m, d] = (v as string).split('-').map(Number);
      const month = m - 1 + n;
      // The last day of the target month, when the day does not exist there (day 0 of the next month).
      const last = new Date(Date.UTC(y, month + 1, 0)).getUTCDate();
      return new Date(Date.UTC(y, month, Math.min(d, last))).toISOString().slice(0, 10);
    }
    case 'agree': {
      if (typeof v !== 'string') return fail('un texte');
      const c = args[0];
      return agreeWithCivility(v, isCivility(c) ? c : null);
    }
    case 'label': {
      const table = args[0];
      if (typeof table !== 'string' || !Object.prototype.hasOwnProperty.call(ctx.labels, table))
        throw new ExpressionError(`table de libellés inconnue « ${String(table)} »`, src);
      if (typeof v !== 'string') return fail('un texte');
      const labels = ctx.labels[table];
      // An unknown key shows as itself: it is text from the data, and a missing label is visible.
      return Object.prototype.hasOwnProperty.call(labels, v) ? labels[v] : v;
    }
  }
}

/** Days since 1970-01-01 of a real calendar date written AAAA-MM-JJ, else undefined (2026-02-30 is not a date). */
function isoDateDay(s: string): number | undefined {
  if (!isCalendarDate(s)) return undefined;
  const [y, mo, d] = s.split('-').map(Number);
  return Date.UTC(y, mo - 1, d) / 86_400_000;
}

/** Every path root an expression reads (to check that templates only read declared variables). */
export function pathRoots(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'path':
      out.add(e.root);
      break;
    case 'not':
      pathRoots(e.operand, out);
      break;
    case 'binary':
      pathRoots(e.left, out);
      pathRoots(e.right, out);
      break;
    case 'conditional':
      pathRoots(e.test, out);
      pathRoots(e.then, out);
      pathRoots(e.otherwise, out);
      break;
    case 'pipe':
      pathRoots(e.input, out);
      e.args.forEach((a) => pathRoots(a, out));
      break;
    case 'literal':
      break;
  }
  return out;
}

/** `item in list` or `item, n in list` (n counts from 1): the loop header of `each`. */
export interface LoopHeader {
  variable: string;
  counter?: string;
  source: Expr;
}

export function parseLoop(src: string): LoopHeader {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:,\s*([A-Za-z_][A-Za-z0-9_]*)\s*)?\s+in\s+([\s\S]+)$/.exec(src);
  if (!m) throw new ExpressionError('boucle attendue sous la forme « élément in liste » ou « élément, n in liste »', src);
  if (FORBIDDEN_MEMBERS.has(m[1]) || (m[2] && FORBIDDEN_MEMBERS.has(m[2]))) throw new ExpressionError('nom de variable interdit', src);
  return { variable: m[1], counter: m[2], source: parseExpression(m[3]) };
}

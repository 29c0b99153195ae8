import type { FieldError } from '@carepact/common';
import { easyToReadErrors, templateContext } from '@carepact/rendering';
import {
  EvalContext,
  Expr,
  LoadedTemplate,
  Value,
  evaluate,
  inputFieldLabel,
  isTruthy,
  parseExpression,
} from '@carepact/templates';
import { Data, FieldRequirement, FormSchema, choiceCondition, isFilled, requiredLeaves, schemaAt, valueAt } from './schema-form';

/**
 * What the template requires beyond its schema, for this person in this establishment (its
 * `requires`: the consent interview in a home for older people, the GIR where the dependence
 * tariff applies, the minor's view…), known before anything is typed: the form marks those fields
 * from its first display, with the template's reason, and a refusal lists every field still
 * missing at once.
 *
 * Why here: the service's refusal (libs/rendering validateTemplateInput, every stage at once) names
 * the fields of the data as given; the form also marks, before anything is typed, what a rule will
 * ask for and under which answer, and names a group left blank by each of its required fields. The
 * service stays the judge (nothing is previewed or stored that it refuses); the form only completes
 * the list it shows, with the same rules and messages.
 */

/** The template's input as DocumentsService builds it (templateInputOf): `{ establishment, resident, document }`. */
export type TemplateSnapshot = Record<string, unknown>;

const DOCUMENT = 'document.';

/** The paths of the document data an expression reads (`document.pricing.gir` → `pricing.gir`). */
function documentPaths(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'path': {
      if (e.root !== 'document') break;
      const names: string[] = [];
      for (const m of e.members) {
        if (typeof m !== 'string') break;
        names.push(m);
      }
      if (names.length) out.add(names.join('.'));
      break;
    }
    case 'not':
      documentPaths(e.operand, out);
      break;
    case 'binary':
      documentPaths(e.left, out);
      documentPaths(e.right, out);
      break;
    case 'conditional':
      documentPaths(e.test, out);
      documentPaths(e.then, out);
      documentPaths(e.otherwise, out);
      break;
    case 'pipe':
      documentPaths(e.input, out);
      e.args.forEach((a) => documentPaths(a, out));
      break;
    case 'literal':
      break;
  }
  return out;
}

/** The template's variables for this input (as resolve does), its definitions evaluated; one that cannot be evaluated is absent. */
function contextOf(template: LoadedTemplate, input: TemplateSnapshot): EvalContext {
  return templateContext(template, input, (_where, src, ctx) => attempt(() => evaluate(parseExpression(src), ctx, src)));
}

/** Data not yet valid may make an expression fail (a text where a list is expected): undecided, not an error of the form. */
function attempt(f: () => Value): Value {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function withDocumentValue(input: TemplateSnapshot, path: string, value: unknown): TemplateSnapshot {
  const document = structuredClone((input.document ?? {}) as Data);
  const names = path.split('.');
  let cur: Data = document;
  for (const n of names.slice(0, -1)) {
    if (cur[n] === null || typeof cur[n] !== 'object' || Array.isArray(cur[n])) cur[n] = {};
    cur = cur[n] as Data;
  }
  cur[names.at(-1)!] = value;
  return { ...input, document };
}

/**
 * Which answers make a rule apply, when it depends on one: the values of a choice (`enum`, oui/non)
 * that make `when` true, the others held as they are (« si vous choisissez « les tarifs… » pour
 * « Participation financière » »); « si le champ … est rempli » for a rule that is the field itself.
 * Undefined when no single answer decides it.
 */
function conditionOf(type: string, fs: FormSchema, template: LoadedTemplate, input: TemplateSnapshot, when: Expr, whenSrc: string): string | undefined {
  for (const path of documentPaths(when)) {
    const s = schemaAt(fs, path);
    if (!s) continue;
    const choices: unknown[] | undefined = s.enum ? s.enum.filter((v) => v !== null) : (Array.isArray(s.type) ? s.type : [s.type]).includes('boolean') ? [true, false] : undefined;
    if (!choices) {
      if (whenSrc.trim() === `${DOCUMENT}${path}`) return `si le champ « ${inputFieldLabel(type, path)} » est rempli`;
      continue;
    }
    const making = choices.filter((v) => isTruthy(attempt(() => evaluate(when, contextOf(template, withDocumentValue(input, path, v)), whenSrc))));
    if (making.length && making.length < choices.length) return choiceCondition(type, path, making);
  }
  return undefined;
}

/**
 * The template's rules for this input, by form path: required now (with the answers given), or
 * under the condition that makes them apply; a group that holds a required field is required in
 * the same way (so its own required members are marked too). Rules that depend on no answer and
 * do not apply to this person are left out: the form does not ask for a minor's view of an adult.
 */
export function templateRequirements(type: string, fs: FormSchema, template: LoadedTemplate, input: TemplateSnapshot): Map<string, FieldRequirement> {
  const out = new Map<string, FieldRequirement>();
  const ctx = contextOf(template, input);
  const set = (path: string, r: FieldRequirement) => {
    const had = out.get(path);
    if (!had || (r.now && !had.now)) out.set(path, r);
  };
  for (const rule of template.content.requires ?? []) {
    const when = parseExpression(rule.when);
    // An answer not given yet that decides the rule: the field is shown with its condition.
    const undecided = [...documentPaths(when)].some((p) => !isFilled(valueAt((input.document ?? {}) as Data, p)) && schemaAt(fs, p)?.enum);
    const condition = conditionOf(type, fs, template, input, when, rule.when);
    const now = !(undecided && condition) && isTruthy(attempt(() => evaluate(when, ctx, rule.when)));
    if (!now && !condition) continue;
    for (const field of rule.fields) {
      if (!field.startsWith(DOCUMENT)) continue;
      const path = field.slice(DOCUMENT.length);
      const r: FieldRequirement = now ? { now: true, reason: rule.message } : { now: false, condition, reason: rule.message };
      set(path, r);
      const names = path.split('.');
      for (let i = names.length - 1; i > 0; i--) set(names.slice(0, i).join('.'), r);
    }
  }
  return out;
}

/**
 * Every problem of the data at once, each on a field the form draws: the service's refusal, then
 * what its later stages would refuse next (the template's rules that apply now, the easy-to-read
 * wordings given that break the FALC rules), a group left blank named by each of its required
 * fields. In French, naming fields by their labels (the summary prefixes them).
 */
export function completeErrors(type: string, fs: FormSchema, template: LoadedTemplate, input: TemplateSnapshot, reported: FieldError[]): FieldError[] {
  const document = (input.document ?? {}) as Data;
  const out: FieldError[] = [...reported];
  const has = (field: string) => out.some((e) => e.field === field);
  // A group that holds a required field is required too: left blank, its own required members are named below.
  for (const [path, r] of templateRequirements(type, fs, template, input))
    if (r.now && !isFilled(valueAt(document, path)) && !has(path)) out.push({ field: path, code: 'REQUIRED', message: r.reason });
  // The easy-to-read wordings given, as the service checks them (it reports them with the schema's errors since validateTemplateInput checks every stage at once).
  for (const e of easyToReadErrors(template, input)) {
    const path = e.field.startsWith(DOCUMENT) ? e.field.slice(DOCUMENT.length) : e.field;
    if (!has(path)) out.push({ ...e, field: path });
  }
  const expanded = out.flatMap((e) => {
    if (e.code !== 'REQUIRED' || !e.field) return [e];
    const leaves = requiredLeaves(fs, e.field);
    return leaves.length === 1 && leaves[0] === e.field ? [e] : leaves.map((field) => ({ field, code: 'REQUIRED', message: 'Ce champ est obligatoire.' }));
  });
  return expanded.filter((e, i) => expanded.findIndex((x) => x.field === e.field) === i).map((e) => ({ ...e, message: inFormWords(e) }));
}

/** Messages written for the API's callers, said as the form shows things. */
function inFormWords(e: FieldError): string {
  switch (e.code) {
    // A list offers only allowed values: a value no longer offered (carried over from an older version) is to choose again.
    case 'NOT_ALLOWED_VALUE':
      return 'Cette valeur n’est plus proposée : choisissez-en une dans la liste.';
    case 'INVALID_DATE':
      return 'Date inconnue ou mal écrite : écrivez-la au format JJ/MM/AAAA, par exemple 15/10/2026.';
    default:
      return e.message;
  }
}

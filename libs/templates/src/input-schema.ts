import { FieldError, isCalendarDate, textProblem } from '@carepact/common';
import { fieldNameForMessage, inputEnumLabel } from './input-labels';

/**
 * The subset of JSON Schema a template uses to declare its input data. Written here rather than
 * taken from a library: it is small, its error messages are French and name the exact field, and
 * it refuses what no document should contain (control characters, which are not even valid in
 * the XML of a DOCX).
 */
export type SchemaType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface InputSchema {
  type?: SchemaType | SchemaType[];
  /** French description, shown to whoever fills the data in. */
  description?: string;
  properties?: Record<string, InputSchema>;
  required?: string[];
  /** false: unknown members are errors; true (default): allowed and ignored. */
  additionalProperties?: boolean;
  items?: InputSchema;
  enum?: (string | number | boolean | null)[];
  /** `date`: a calendar date YYYY-MM-DD that exists; `email`: a plausible address. */
  format?: 'date' | 'email';
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  /** `#/$defs/<name>`: a definition of the same schema. */
  $ref?: string;
  $defs?: Record<string, InputSchema>;
  /** Not JSON Schema: members required when another member has a given value (e.g. a refused
   * request needs its reason). Kept tiny on purpose instead of if/then/else. */
  requiredIf?: { property: string; equals: string | number | boolean; required: string[] }[];
  /**
   * Not JSON Schema: this free text (a string, or a list of strings) is printed in the easy-to-read
   * rendition, so the data gives its easy-to-read wording in the sibling member `<name>Falc`, of
   * the same shape (as many items), required whenever the member has a value. The FALC rendition
   * reads the counterpart in its place (easyToReadView); the standard and large-print ones never
   * see it. The counterpart need not be declared in `properties`.
   */
  easyToRead?: boolean;
}

/** The member that holds the easy-to-read wording of `name`. */
export const falcCounterpartOf = (name: string): string => `${name}Falc`;

const KNOWN_KEYWORDS = new Set([
  'type',
  'description',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'format',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  '$ref',
  '$defs',
  'requiredIf',
  'easyToRead',
]);

/** Checks that a schema only uses the supported keywords and that every $ref resolves. */
export function checkSchema(schema: InputSchema, path = 'inputSchema', root: InputSchema = schema): string[] {
  const problems: string[] = [];
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [`${path} : schéma attendu`];
  for (const k of Object.keys(schema)) if (!KNOWN_KEYWORDS.has(k)) problems.push(`${path} : mot-clé non pris en charge « ${k} »`);
  if (schema.$ref !== undefined && !resolveRef(root, schema.$ref)) problems.push(`${path} : référence introuvable « ${schema.$ref} »`);
  for (const [k, s] of Object.entries(schema.properties ?? {})) problems.push(...checkSchema(s, `${path}.properties.${k}`, root));
  for (const [k, s] of Object.entries(schema.$defs ?? {})) problems.push(...checkSchema(s, `${path}.$defs.${k}`, root));
  if (schema.items) problems.push(...checkSchema(schema.items, `${path}.items`, root));
  for (const r of schema.required ?? [])
    if (!schema.properties || !Object.prototype.hasOwnProperty.call(schema.properties, r)) problems.push(`${path} : « ${r} » requis mais non décrit`);
  for (const rule of schema.requiredIf ?? [])
    for (const r of [rule.property, ...rule.required])
      if (!schema.properties || !Object.prototype.hasOwnProperty.call(schema.properties, r)) problems.push(`${path} : « ${r} » (requiredIf) non décrit`);
  if (schema.easyToRead) {
    const t = (x: InputSchema | undefined) => (x ? (Array.isArray(x.type) ? x.type : [x.type])  : []);
    const text = t(schema).includes('string') || (t(schema).includes('array') && t(schema.items).includes('string'));
    if (!text) problems.push(`${path} : easyToRead ne s’applique qu’à un texte ou une liste de textes`);
  }
  return problems;
}

function resolveRef(root: InputSchema, ref: string): InputSchema | undefined {
  const m = /^#\/\$defs\/([A-Za-z0-9_-]+)$/.exec(ref);
  if (!m || !root.$defs || !Object.prototype.hasOwnProperty.call(root.$defs, m[1])) return undefined;
  return root.$defs[m[1]];
}

function typeOf(v: unknown): SchemaType | 'undefined' | 'other' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'object') return typeof v as SchemaType;
  return v === undefined ? 'undefined' : 'other';
}

const TYPE_FR: Record<SchemaType, string> = {
  object: 'un objet',
  array: 'une liste',
  string: 'un texte',
  number: 'un nombre',
  integer: 'un nombre entier',
  boolean: 'oui ou non (booléen)',
  null: 'la valeur null',
};

/** A real calendar date `YYYY-MM-DD` (@carepact/common `isCalendarDate`). */
export function isValidIsoDate(s: string): boolean {
  return isCalendarDate(s);
}

/** Validates data against a schema; returns every error, each naming its field (`a.b[2].c`). */
/** The API's stable codes (the same words as request validation), so callers see one vocabulary. */
const API_CODES: Record<string, string> = {
  required: 'REQUIRED',
  type: 'INVALID_TYPE',
  enum: 'NOT_ALLOWED_VALUE',
  unknown_field: 'UNKNOWN_FIELD',
  forbidden_key: 'FORBIDDEN_KEY',
  format_date: 'INVALID_DATE',
  min_length: 'TOO_SHORT',
  max_length: 'TOO_LONG',
  min_items: 'TOO_SHORT',
  max_items: 'TOO_LONG',
};

export function validateInput(schema: InputSchema, data: unknown): FieldError[] {
  const errors: FieldError[] = [];
  visit(schema, data, '', schema, errors);
  return errors.map((e) => ({ ...e, code: API_CODES[e.code] ?? e.code.toUpperCase() }));
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * A schema node as the validation reads it, prepared once per node of a schema (issue 12: merging
 * the `$ref`s, listing the members and finding their easy-to-read counterparts again for every
 * object of every document's data was a fifth of validateTemplateInput). Kept per root schema and
 * node object, held weakly: a template version's schema is one deep-frozen object for the life of
 * the process (TemplateLoader), another version another object.
 */
interface PreparedNode {
  /** The node with its `$ref`s merged (deref); still with a `$ref` when that one is not found. */
  schema: InputSchema;
  /** The `$ref` not found, which validation refuses (visit): null when every one resolves. */
  unresolved: string | null;
  properties: readonly [string, InputSchema][];
  /** The members marked `easyToRead` (their definition merged). */
  easyToRead: ReadonlySet<string>;
  /** `<name>Falc` → `name`, for the members marked `easyToRead` whose counterpart is not declared. */
  counterparts: ReadonlyMap<string, string>;
}

const preparedNodes = new WeakMap<InputSchema, WeakMap<InputSchema, PreparedNode>>();

function prepared(node: InputSchema, root: InputSchema): PreparedNode {
  let byNode = preparedNodes.get(root);
  if (!byNode) preparedNodes.set(root, (byNode = new WeakMap()));
  let p = byNode.get(node);
  if (p) return p;
  const schema = deref(node, root);
  const properties = Object.entries(schema.properties ?? {});
  const props = schema.properties ?? {};
  const easyToRead = new Set(properties.filter(([, sub]) => deref(sub, root).easyToRead).map(([key]) => key));
  const counterparts = new Map<string, string>();
  for (const [key] of properties) if (easyToRead.has(key) && !has(props, falcCounterpartOf(key))) counterparts.set(falcCounterpartOf(key), key);
  p = { schema, unresolved: schema.$ref ?? null, properties, easyToRead, counterparts };
  byNode.set(node, p);
  return p;
}

function visit(schemaIn: InputSchema, v: unknown, path: string, root: InputSchema, errors: FieldError[]): void {
  // Keywords next to $ref refine the definition (e.g. `type: ['object', 'null']` makes it optional): deref merges them.
  const node = prepared(schemaIn, root);
  if (node.unresolved !== null) throw new Error(`schéma invalide : référence introuvable ${node.unresolved}`);
  const schema = node.schema;
  const field = path || '(racine)';
  const push = (code: string, message: string) => errors.push({ field, code, message });

  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(v);
    const ok = allowed.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    if (!ok) {
      if (actual === 'undefined') push('required', 'Ce champ est obligatoire.');
      else push('type', `Ce champ doit être ${allowed.map((t) => TYPE_FR[t]).join(' ou ')}.`);
      return;
    }
  }
  if (schema.enum && !schema.enum.some((e) => e === v)) {
    push('enum', `Valeur non prévue. Valeurs possibles : ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}.`);
    return;
  }
  if (typeof v === 'string') {
    // The same rule as the API's validators (libs/common text-safety): what one accepts, the other renders;
    // 'printed': every text of the data may be printed, so none holds a character the PDF faces lack (printable.ts).
    const problem = textProblem(v, 'printed');
    if (problem) push(problem.code, problem.message);
    const length = schema.minLength !== undefined || schema.maxLength !== undefined ? codePoints(v) : 0;
    if (schema.minLength !== undefined && length < schema.minLength)
      push('min_length', schema.minLength === 1 ? 'Ce champ ne doit pas être vide.' : `Au moins ${schema.minLength} caractères.`);
    if (schema.maxLength !== undefined && length > schema.maxLength) push('max_length', `Au plus ${schema.maxLength} caractères.`);
    if (schema.format === 'date' && !isValidIsoDate(v)) push('format_date', 'Date attendue au format AAAA-MM-JJ (date existante).');
    if (schema.format === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) push('format_email', 'Adresse électronique invalide.');
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) push('type', 'Nombre invalide.');
    if (schema.minimum !== undefined && v < schema.minimum) push('minimum', `Valeur minimale : ${schema.minimum}.`);
    if (schema.maximum !== undefined && v > schema.maximum) push('maximum', `Valeur maximale : ${schema.maximum}.`);
  }
  if (Array.isArray(v)) {
    if (schema.minItems !== undefined && v.length < schema.minItems)
      push('min_items', schema.minItems === 1 ? 'Cette liste ne doit pas être vide.' : `Au moins ${schema.minItems} éléments.`);
    if (schema.maxItems !== undefined && v.length > schema.maxItems) push('max_items', `Au plus ${schema.maxItems} éléments.`);
    if (schema.items) v.forEach((item, i) => visit(schema.items!, item, `${path}[${i}]`, root, errors));
  }
  if (typeOf(v) === 'object') {
    const obj = v as Record<string, unknown>;
    const props = schema.properties ?? {};
    const counterparts = node.counterparts;
    for (const key of Object.keys(obj)) {
      // Keys that reach the prototype chain are refused everywhere, whatever the schema says.
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        errors.push({ field: join(path, key), code: 'forbidden_key', message: 'Nom de champ interdit.' });
      } else if (!Object.prototype.hasOwnProperty.call(props, key) && !counterparts.has(key) && schema.additionalProperties === false) {
        errors.push({ field: join(path, key), code: 'unknown_field', message: 'Champ non prévu pour ce document.' });
      }
    }
    for (const req of schema.required ?? []) {
      if (!Object.prototype.hasOwnProperty.call(obj, req) || obj[req] === undefined)
        errors.push({ field: join(path, req), code: 'required', message: 'Ce champ est obligatoire.' });
    }
    for (const rule of schema.requiredIf ?? []) {
      if (obj[rule.property] !== rule.equals) continue;
      for (const req of rule.required)
        if (!Object.prototype.hasOwnProperty.call(obj, req) || obj[req] === undefined || obj[req] === null)
          errors.push({ field: join(path, req), code: 'required', message: requiredWhenMessage(join(path, rule.property), rule.equals) });
    }
    for (const [key, sub] of node.properties) {
      if (Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined) visit(sub, obj[key], join(path, key), root, errors);
      if (node.easyToRead.has(key)) checkCounterpart(obj, key, path, errors);
    }
  }
}

/**
 * Named as the person filling the form reads them (« Mode de signature », « sur papier »), not
 * by the data's keys and values (« mode », « paper »).
 */
function requiredWhenMessage(property: string, equals: string | number | boolean): string {
  const value = typeof equals === 'boolean' ? (equals ? 'oui' : 'non') : inputEnumLabel(property, equals);
  return `Ce champ est obligatoire quand « ${fieldNameForMessage(property)} » est « ${value} ».`;
}

/** The length in characters (code points), as `[...v].length`, without the array. */
function codePoints(v: string): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    // A high surrogate followed by a low one is one character; a lone surrogate counts as one, as the spread does.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < v.length) {
      const d = v.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function has(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function deref(schema: InputSchema, root: InputSchema): InputSchema {
  let s = schema;
  while (s.$ref) {
    const target = resolveRef(root, s.$ref);
    if (!target) return s;
    const { $ref: _ref, ...siblings } = s;
    s = { ...target, ...siblings };
  }
  return s;
}

const givenText = (v: unknown): boolean => (typeof v === 'string' ? v.trim() !== '' : Array.isArray(v) && v.length > 0);

/**
 * `<key>Falc` must be given whenever `<key>` is (issue 8 C: the easy-to-read rendition prints no
 * text written for other readers), with the same shape: a text for a text, a list of as many
 * texts for a list.
 */
function checkCounterpart(obj: Record<string, unknown>, key: string, path: string, errors: FieldError[]): void {
  const v = obj[key];
  const name = falcCounterpartOf(key);
  const field = join(path, name);
  const f = has(obj, name) ? obj[name] : undefined;
  if (!givenText(v)) return;
  if (f === undefined || f === null || !givenText(f)) {
    errors.push({ field, code: 'required', message: `La version facile à lire de « ${fieldNameForMessage(join(path, key))} » est obligatoire : la version facile à lire du document l’imprime à sa place.` });
    return;
  }
  if (typeof v === 'string') {
    if (typeof f !== 'string') errors.push({ field, code: 'type', message: 'Ce champ doit être un texte.' });
    else {
      const problem = textProblem(f, 'printed');
      if (problem) errors.push({ field, code: problem.code, message: problem.message });
    }
    return;
  }
  const list = v as unknown[];
  if (!Array.isArray(f) || f.length !== list.length) {
    errors.push({ field, code: 'type', message: `Ce champ doit être une liste de ${list.length} texte${list.length > 1 ? 's' : ''}, un par élément de « ${fieldNameForMessage(join(path, key))} », dans le même ordre.` });
    return;
  }
  f.forEach((x, i) => {
    if (typeof x !== 'string' || x.trim() === '') errors.push({ field: `${field}[${i}]`, code: 'required', message: 'Ce texte facile à lire ne doit pas être vide.' });
    else {
      const problem = textProblem(x, 'printed');
      if (problem) errors.push({ field: `${field}[${i}]`, code: problem.code, message: problem.message });
    }
  });
}

/**
 * The data as the easy-to-read rendition reads it: every member marked `easyToRead` replaced by
 * its `<name>Falc` counterpart (validated data has one whenever the member has a value). A copy;
 * the snapshot stored with the version is the data itself.
 */
export function easyToReadView(schema: InputSchema, data: unknown, root: InputSchema = schema): unknown {
  const s = deref(schema, root);
  if (Array.isArray(data)) return s.items ? data.map((x) => easyToReadView(s.items!, x, root)) : data;
  if (typeOf(data) !== 'object') return data;
  const obj = data as Record<string, unknown>;
  const props = s.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    const sub = has(props, key) ? props[key] : undefined;
    out[key] = sub ? easyToReadView(sub, obj[key], root) : obj[key];
  }
  for (const [key, sub] of Object.entries(props)) {
    const name = falcCounterpartOf(key);
    if (deref(sub, root).easyToRead && has(obj, name) && givenText(obj[name])) out[key] = obj[name];
  }
  return out;
}

/** Every easy-to-read counterpart given in the data, with its field: what falc:lint checks of the data. */
export function easyToReadTexts(schema: InputSchema, data: unknown, path = '', root: InputSchema = schema): { field: string; text: string }[] {
  const node = prepared(schema, root);
  const s = node.schema;
  const out: { field: string; text: string }[] = [];
  if (Array.isArray(data)) {
    if (s.items) data.forEach((x, i) => out.push(...easyToReadTexts(s.items!, x, `${path}[${i}]`, root)));
    return out;
  }
  if (typeOf(data) !== 'object') return out;
  const obj = data as Record<string, unknown>;
  for (const [key, sub] of node.properties) {
    if (!has(obj, key)) continue;
    out.push(...easyToReadTexts(sub, obj[key], join(path, key), root));
    const name = falcCounterpartOf(key);
    if (!node.easyToRead.has(key) || !has(obj, name)) continue;
    const f = obj[name];
    if (typeof f === 'string') out.push({ field: join(path, name), text: f });
    else if (Array.isArray(f)) f.forEach((x, i) => typeof x === 'string' && out.push({ field: `${join(path, name)}[${i}]`, text: x }));
  }
  return out;
}

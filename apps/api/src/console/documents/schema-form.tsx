import { type FieldError, isoFromFrenchDate } from '@carepact/common';
import { InputSchema, inputEnumLabel, inputFieldHint, inputFieldLabel, inputItemName, isValidIsoDate, labelPath } from '@carepact/templates';
import type { VNode } from 'preact';
import { FieldMessage, fieldId } from '../../views';

/**
 * A document's form, generated from its template's input schema (`inputSchema.properties.document`):
 * one field per schema member, in the schema's order, each easy-to-read counterpart (`…Falc`)
 * right after its free text; lists with « Ajouter une ligne » and « Retirer » buttons that are
 * plain submit buttons (no JavaScript: the page comes back with one row more or less). Field
 * names are the data paths (`participation.others[1].name`), so the API's errors, which name
 * `data.<path>`, land beside their field. The data are validated only by DocumentsService.
 * Every field says whether it is required, and when a rule makes it required only in some cases
 * (another answer, a text given that needs its easy-to-read wording, the person's situation:
 * form-requirements.ts), the label says so from the first display, so nothing new turns up
 * required after a submission.
 */

export type Data = Record<string, unknown>;

/** The document part of a template's schema, with $ref resolved against the whole schema. */
export interface FormSchema {
  root: InputSchema;
  document: InputSchema;
}

export function formSchemaOf(inputSchema: InputSchema): FormSchema {
  return { root: inputSchema, document: deref(inputSchema.properties!.document, inputSchema) };
}

function deref(s: InputSchema, root: InputSchema): InputSchema {
  let out = s;
  while (out.$ref) {
    const { $ref, ...rest } = out;
    out = { ...root.$defs![$ref.split('/').pop()!], ...rest };
  }
  return withEasyToReadTwins(out);
}

/**
 * Templates from 1.2.0 mark a free text `easyToRead` (issue 8 C) instead of declaring its
 * counterpart: the data then carry `<name>Falc`, of the same shape, required once the text is
 * given (libs/templates input-schema.ts). The form shows that counterpart as a member of its own.
 */
function withEasyToReadTwins(s: InputSchema): InputSchema {
  const props = s.properties;
  if (!props || !Object.values(props).some((p) => p.easyToRead)) return s;
  const out: Record<string, InputSchema> = {};
  for (const [k, p] of Object.entries(props)) {
    out[k] = p;
    if (p.easyToRead && !props[`${k}Falc`]) {
      const { easyToRead: _e, description: _d, ...shape } = p;
      out[`${k}Falc`] = shape;
    }
  }
  return { ...s, properties: out };
}

function types(s: InputSchema): string[] {
  return s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
}

function kindOf(s: InputSchema): 'object' | 'array' | 'boolean' | 'number' | 'enum' | 'date' | 'long' | 'text' {
  const t = types(s);
  if (t.includes('object')) return 'object';
  if (t.includes('array')) return 'array';
  if (s.enum) return 'enum';
  if (t.includes('boolean')) return 'boolean';
  if (t.includes('number') || t.includes('integer')) return 'number';
  if (s.format === 'date') return 'date';
  return s.maxLength !== undefined && s.maxLength <= 300 ? 'text' : 'long';
}

/**
 * Members shown in the form: the demo fixture's key is not data; an avenant's `tariffChange.yearBase`
 * (avenant 1.9.0, the base of the yearly percentage, CASF L.342-3) is computed by DocumentsService
 * from the contract and the signed avenants, never typed.
 */
const HIDDEN = new Set(['resident', 'yearBase']);

/** The schema's members in the order shown: each `xFalc` right after `x`. */
function orderedKeys(s: InputSchema): string[] {
  const keys = Object.keys(s.properties ?? {}).filter((k) => !HIDDEN.has(k));
  const out: string[] = [];
  for (const k of keys) {
    if (k.endsWith('Falc') && keys.includes(k.slice(0, -4))) continue;
    out.push(k);
    if (keys.includes(`${k}Falc`)) out.push(`${k}Falc`);
  }
  return out;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

// --- form body → data ---------------------------------------------------------------------

/**
 * Reads the form's fields back into data of the schema's shape. `keepEmpty`: keep blank rows
 * (the form is shown again after « Ajouter une ligne »); otherwise blank rows and blank optional
 * groups are dropped and a blank field is absent, so the validation speaks of what is missing.
 */
export function parseForm(fs: FormSchema, body: Record<string, string | undefined>, keepEmpty = false): Data {
  return (parseValue(fs.document, fs.root, '', body, keepEmpty) as Data | undefined) ?? {};
}

function parseValue(schemaIn: InputSchema, root: InputSchema, path: string, body: Record<string, string | undefined>, keepEmpty: boolean): unknown {
  const s = deref(schemaIn, root);
  switch (kindOf(s)) {
    case 'object': {
      const out: Data = {};
      for (const k of Object.keys(s.properties ?? {})) {
        if (HIDDEN.has(k)) continue;
        const v = parseValue(s.properties![k], root, join(path, k), body, keepEmpty);
        if (v !== undefined) out[k] = v;
      }
      return Object.keys(out).length ? out : undefined;
    }
    case 'array': {
      const prefix = `${path}[`;
      const indexes = [
        ...new Set(
          Object.keys(body)
            .filter((k) => k.startsWith(prefix))
            .map((k) => Number(/^\[(\d+)\]/.exec(k.slice(path.length))?.[1]))
            .filter((n) => Number.isInteger(n) && n < 500),
        ),
      ].sort((a, b) => a - b);
      const item = deref(s.items ?? {}, root);
      const items = indexes.map((i) => parseValue(item, root, `${path}[${i}]`, body, keepEmpty));
      if (keepEmpty) return items.map((v) => v ?? (kindOf(item) === 'object' ? {} : ''));
      const kept = items.filter((v) => v !== undefined);
      return kept.length ? kept : undefined;
    }
    case 'boolean': {
      const v = body[path];
      return v === 'oui' ? true : v === 'non' ? false : undefined;
    }
    case 'number': {
      const v = (body[path] ?? '').trim();
      if (!v) return undefined;
      const n = Number(v.replace(/\s/g, '').replace(',', '.'));
      // Not a number: kept as typed, so the validation says so beside the field and the value stays.
      return Number.isFinite(n) ? n : v;
    }
    case 'date': {
      const v = (body[path] ?? '').trim();
      // The page says dates may be written JJ/MM/AAAA (a browser without a date picker shows a text field).
      const iso = isoFromFrenchDate(v);
      return v ? (isValidIsoDate(iso) ? iso : v) : undefined;
    }
    default: {
      const v = body[path];
      if (v === undefined) return undefined;
      const trimmed = v.replace(/\r\n/g, '\n').trim();
      return trimmed ? trimmed : undefined;
    }
  }
}

// --- list rows: add and remove ------------------------------------------------------------

type Token = string | number;

function tokens(path: string): Token[] {
  const out: Token[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m || m[1] === '__proto__' || m[1] === 'constructor' || m[1] === 'prototype') return [];
    out.push(m[1]);
    for (const i of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(i[1]));
  }
  return out;
}

export function schemaAt(fs: FormSchema, path: string): InputSchema | undefined {
  let s: InputSchema | undefined = fs.document;
  const ts = tokens(path);
  if (!ts.length) return undefined;
  for (const t of ts) {
    if (!s) return undefined;
    s = deref(s, fs.root);
    s = typeof t === 'number' ? s.items : s.properties && Object.prototype.hasOwnProperty.call(s.properties, t) ? s.properties[t] : undefined;
  }
  return s ? deref(s, fs.root) : undefined;
}

/**
 * The fields a group left blank lacks, as the form draws them: `signing` → `signing.place`,
 * `signing.mode` (its required members, those of its required subgroups in turn); the path itself
 * when it is not a group or has no required member. A refusal then names each field to fill
 * instead of the group, and nothing new turns up once the group is started.
 */
export function requiredLeaves(fs: FormSchema, path: string): string[] {
  const s = schemaAt(fs, path);
  if (!s || kindOf(s) !== 'object') return [path];
  const out = (s.required ?? []).filter((k) => !HIDDEN.has(k)).flatMap((k) => requiredLeaves(fs, join(path, k)));
  return out.length ? out : [path];
}

/** The value at a form path (`participation.others[0].name`) in the data; undefined when absent. */
export function valueAt(data: Data, path: string): unknown {
  const ts = tokens(path);
  if (!ts.length) return undefined;
  let cur: unknown = data;
  for (const t of ts) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, t)) return undefined;
    cur = (cur as Record<string | number, unknown>)[t];
  }
  return cur;
}

/** Something was written there: a text not blank, a choice, a list or group with something in it. */
export function isFilled(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.some(isFilled);
  if (typeof v === 'object') return Object.values(v).some(isFilled);
  return true;
}

function containerAt(data: Data, path: string, create: boolean): unknown[] | undefined {
  const ts = tokens(path);
  if (!ts.length) return undefined;
  let cur: unknown = data;
  for (const [i, t] of ts.entries()) {
    const last = i === ts.length - 1;
    const holder = cur as Record<string | number, unknown>;
    if (holder === null || typeof holder !== 'object') return undefined;
    if (holder[t] === undefined && create) holder[t] = last || typeof ts[i + 1] === 'number' ? [] : {};
    cur = holder[t];
  }
  return Array.isArray(cur) ? cur : undefined;
}

/**
 * `add:<list path>` or `remove:<list path>[<index>]` from a form button: the data with one blank
 * row more (whose path is returned, to put the focus on it) or one row less. Unknown paths change nothing.
 */
export function applyRowAction(fs: FormSchema, data: Data, action: string): { data: Data; focus?: string } {
  const add = /^add:([A-Za-z0-9_.[\]]{1,200})$/.exec(action);
  if (add) {
    const s = schemaAt(fs, add[1]);
    if (!s || kindOf(s) !== 'array') return { data };
    const list = containerAt(data, add[1], true);
    if (!list) return { data };
    if (s.maxItems !== undefined && list.length >= s.maxItems) return { data };
    if (!list.length) list.push(blank(fs, s));
    list.push(blank(fs, s));
    // Its easy-to-read counterpart has one item per item, in the same order (libs/templates easyToRead).
    const twin = schemaAt(fs, `${add[1]}Falc`);
    const twinList = twin && kindOf(twin) === 'array' ? containerAt(data, `${add[1]}Falc`, true) : null;
    while (twinList && twin && twinList.length < list.length) twinList.push(blank(fs, twin));
    return { data, focus: `${add[1]}[${list.length - 1}]` };
  }
  const remove = /^remove:([A-Za-z0-9_.[\]]{1,200})\[(\d+)\]$/.exec(action);
  if (remove) {
    const list = containerAt(data, remove[1], false);
    if (list && Number(remove[2]) < list.length) {
      list.splice(Number(remove[2]), 1);
      const twinList = containerAt(data, `${remove[1]}Falc`, false);
      if (twinList && Number(remove[2]) < twinList.length) twinList.splice(Number(remove[2]), 1);
    }
    // WCAG 2.4.3: the focus goes to the row that took the removed one's place (the one before when
    // the last was removed), or to the list's group when no row is left — never back to the page's top.
    const left = list?.length ?? 0;
    return { data, focus: left ? `${remove[1]}[${Math.min(Number(remove[2]), left - 1)}]` : remove[1] };
  }
  return { data };
}

function blank(fs: FormSchema, list: InputSchema): unknown {
  return kindOf(deref(list.items ?? {}, fs.root)) === 'object' ? {} : '';
}

// --- data → form --------------------------------------------------------------------------

export interface RenderContext {
  documentType: string;
  errors: FieldError[];
  /** Paths of the fields drawn: the summary links only to those. */
  drawn: Set<string>;
  /** The field to focus (the row just added). */
  focus?: string;
  /** The words of a list's « add » button (« Ajouter un objectif »), by its path without indexes; « Ajouter une ligne » otherwise. */
  addLabel?: (listPath: string) => string | undefined;
  /** The template's rules (`requires`) for this person and these answers, by path without indexes (form-requirements.ts). */
  requirements?: ReadonlyMap<string, FieldRequirement>;
  /** The reasons already printed (each once, on the first field it concerns). */
  reasonsShown?: Set<string>;
}

/** A field the template requires in some situations (form-requirements.ts). */
export interface FieldRequirement {
  /** Required now: for this person, in this establishment, with the answers given. */
  now: boolean;
  /** Otherwise, when it becomes required: « si vous choisissez « les tarifs… » pour « Participation financière » ». */
  condition?: string;
  /** The template's sentence that says why (with its article of law). */
  reason: string;
}

/** The form's fields (without <form>, so the page puts its buttons around them). */
export function renderFields(fs: FormSchema, data: Data, ctx: RenderContext): VNode[] {
  return fieldsOf(fs, fs.document, '', data, ctx);
}

/**
 * Some members of the document part only, in the order given, in the schema's shapes (each
 * easy-to-read counterpart right after its text): the dedicated editors (meeting-editors.tsx) arrange the members in the
 * order of the meeting and draw each with these.
 */
export function renderMembers(fs: FormSchema, keys: string[], data: Data, ctx: RenderContext): VNode[] {
  const all = orderedKeys(fs.document);
  const shown = keys.flatMap((k) => [k, `${k}Falc`]).filter((k, i, a) => all.includes(k) && a.indexOf(k) === i);
  return shown.map((k) => field(fs, fs.document.properties![k], k, data[k], needOf(ctx, fs.document, '', k, data, false), ctx));
}

/** The members of the document part a form shows (the demo key left out), in the schema's order. */
export function memberKeys(fs: FormSchema): string[] {
  return orderedKeys(fs.document);
}

/** `inOptional`: the members of a group that may be left out entirely are required only when it is filled. */
function fieldsOf(fs: FormSchema, s: InputSchema, path: string, value: Data | undefined, ctx: RenderContext, inOptional = false): VNode[] {
  // A group already started is no longer optional: its required members are required now.
  const optional = inOptional && !isFilled(value);
  return orderedKeys(s).map((k) => field(fs, s.properties![k], join(path, k), value?.[k], needOf(ctx, s, path, k, value, optional), ctx));
}

/** Whether a field is required: `true` now; `if-group` when its group is filled; `{ condition }` when another answer makes it so. */
type Required = boolean | 'if-group' | { condition: string };

interface Need {
  required: Required;
  /** Why the template requires it in this situation, or when. */
  reason?: string;
}

/**
 * Whether member `key` of the group `s` at `path` (whose value is `value`) is required: by the
 * template's rules for this situation (ctx.requirements), by the schema (`required`,
 * `requiredIf` on another member), or as the easy-to-read wording of a text given (`…Falc`).
 */
function needOf(ctx: RenderContext, s: InputSchema, path: string, key: string, value: Data | undefined, inOptional: boolean): Need {
  const rule = ctx.requirements?.get(labelPath(join(path, key)));
  const reason = rule?.reason;
  const member = (): Required => (inOptional ? 'if-group' : true);
  if (rule?.now) return { required: true, reason };
  if (s.required?.includes(key)) return { required: member(), reason };
  for (const r of s.requiredIf ?? []) {
    if (!r.required.includes(key)) continue;
    if (value?.[r.property] === r.equals) return { required: member(), reason };
    return { required: { condition: choiceCondition(ctx.documentType, join(path, r.property), [r.equals]) }, reason };
  }
  const text = key.endsWith('Falc') ? key.slice(0, -4) : '';
  if (text && s.properties?.[text]?.easyToRead) {
    if (isFilled(value?.[text])) return { required: member() };
    return { required: { condition: `si le champ « ${inputFieldLabel(ctx.documentType, join(path, text))} » est rempli` } };
  }
  if (rule?.condition) return { required: { condition: rule.condition }, reason };
  return { required: false };
}

/** « si vous choisissez « sur papier » pour « Mode de signature » ». */
export function choiceCondition(documentType: string, path: string, values: unknown[]): string {
  const words = values.map((v) => `« ${v === true ? 'Oui' : v === false ? 'Non' : inputEnumLabel(path, v)} »`).join(' ou ');
  return `si vous choisissez ${words} pour « ${inputFieldLabel(documentType, path)} »`;
}

function errorOf(ctx: RenderContext, path: string): FieldError | undefined {
  return ctx.errors.find((e) => e.field === path);
}

function requiredMark(required: Required) {
  if (required === 'if-group') return <span class="required"> (obligatoire si cette partie est remplie)</span>;
  if (typeof required === 'object') return <span class="required"> (obligatoire {required.condition})</span>;
  return required ? <span class="required"> (obligatoire)</span> : null;
}

function labelOf(ctx: RenderContext, path: string, required: Required) {
  return (
    <>
      {inputFieldLabel(ctx.documentType, path)}
      {requiredMark(required)}
    </>
  );
}

function describedBy(id: string, hint: boolean, error: boolean, reason = false): string | undefined {
  const ids = [hint ? `${id}-aide` : '', reason ? `${id}-pourquoi` : '', error ? `${id}-erreur` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** The template's reason, printed once (on the group rather than on each of its fields). */
function reasonToShow(ctx: RenderContext, reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  ctx.reasonsShown ??= new Set();
  if (ctx.reasonsShown.has(reason)) return undefined;
  ctx.reasonsShown.add(reason);
  return reason;
}

function Reason(props: { id: string; reason?: string }) {
  return props.reason ? (
    <p class="hint requirement" id={`${props.id}-pourquoi`}>
      {props.reason}
    </p>
  ) : null;
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return String(v).replace('.', ',');
  return typeof v === 'string' ? v : '';
}

function field(fs: FormSchema, schemaIn: InputSchema, path: string, value: unknown, need: Need, ctx: RenderContext, label?: string): VNode {
  const s = deref(schemaIn, fs.root);
  const id = fieldId(path);
  const error = errorOf(ctx, path);
  ctx.drawn.add(path);
  const hint = s.description && !label ? (inputFieldHint(path) ?? s.description) : undefined;
  const reason = label ? undefined : reasonToShow(ctx, need.reason);
  const name = label ?? labelOf(ctx, path, need.required);
  const kind = kindOf(s);
  const focus = ctx.focus === path;

  if (kind === 'object' || kind === 'array') {
    const body =
      kind === 'object'
        ? fieldsOf(fs, s, path, value && typeof value === 'object' ? (value as Data) : undefined, ctx, need.required !== true)
        : rows(fs, s, path, Array.isArray(value) ? value : [], ctx);
    return (
      <fieldset id={id} class={`group${error ? ' has-error' : ''}`} aria-describedby={describedBy(id, !!hint, !!error, !!reason)} tabIndex={error || focus ? -1 : undefined} autoFocus={focus || undefined} key={path}>
        <legend>{name}</legend>
        {hint ? (
          <p class="hint" id={`${id}-aide`}>
            {hint}
          </p>
        ) : null}
        <Reason id={id} reason={reason} />
        <FieldMessage id={id} error={error} />
        {body}
      </fieldset>
    );
  }

  const common = {
    id,
    name: path,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy(id, !!hint, !!error, !!reason),
    autoFocus: focus || undefined,
  };
  if (kind === 'boolean') {
    const v = value === true ? 'oui' : value === false ? 'non' : '';
    return (
      <fieldset id={id} class="group inline-choices" aria-describedby={describedBy(id, !!hint, !!error, !!reason)} key={path}>
        <legend>{name}</legend>
        {hint ? (
          <p class="hint" id={`${id}-aide`}>
            {hint}
          </p>
        ) : null}
        <Reason id={id} reason={reason} />
        <FieldMessage id={id} error={error} />
        {(
          [
            ['oui', 'Oui'],
            ['non', 'Non'],
          ] as const
        ).map(([val, lab]) => (
          <div class="choice" key={val}>
            <input type="radio" id={`${id}-${val}`} name={path} value={val} checked={v === val} aria-invalid={error ? 'true' : undefined} />
            <label for={`${id}-${val}`}>{lab}</label>
          </div>
        ))}
      </fieldset>
    );
  }
  let control: VNode;
  if (kind === 'enum') {
    control = (
      <select {...common}>
        <option value="">Choisir…</option>
        {s.enum!
          .filter((e) => e !== null)
          .map((e) => (
            <option key={String(e)} value={String(e)} selected={String(e) === text(value)}>
              {inputEnumLabel(path, e)}
            </option>
          ))}
      </select>
    );
  } else if (kind === 'long') {
    control = <textarea {...common} rows={3} value={text(value)} />;
  } else {
    control = (
      <input
        {...common}
        type={kind === 'date' ? 'date' : 'text'}
        inputMode={kind === 'number' ? (types(s).includes('integer') ? 'numeric' : 'decimal') : undefined}
        value={text(value)}
        class={kind === 'number' ? 'short' : undefined}
      />
    );
  }
  return (
    <div class="field" key={path}>
      <label for={id}>{name}</label>
      {hint ? (
        <p class="hint" id={`${id}-aide`}>
          {hint}
        </p>
      ) : null}
      <Reason id={id} reason={reason} />
      {control}
      <FieldMessage id={id} error={error} />
    </div>
  );
}

function rows(fs: FormSchema, s: InputSchema, path: string, values: unknown[], ctx: RenderContext): VNode[] {
  const item = deref(s.items ?? {}, fs.root);
  const list = values.length ? values : [kindOf(item) === 'object' ? {} : ''];
  const out = list.map((v, i) => {
    const p = `${path}[${i}]`;
    const label = inputItemName(ctx.documentType, path, i);
    const remove = (
      <button type="submit" name="_action" value={`remove:${p}`} class="secondary small">
        Retirer<span class="visually-hidden"> : {label}</span>
      </button>
    );
    if (kindOf(item) === 'object') {
      ctx.drawn.add(p);
      const error = errorOf(ctx, p);
      return (
        <fieldset id={fieldId(p)} class="row" key={p} tabIndex={ctx.focus === p ? -1 : undefined} autoFocus={ctx.focus === p || undefined} aria-describedby={error ? `${fieldId(p)}-erreur` : undefined}>
          <legend>{label}</legend>
          <FieldMessage id={fieldId(p)} error={error} />
          {fieldsOf(fs, item, p, v && typeof v === 'object' ? (v as Data) : undefined, ctx, true)}
          {remove}
        </fieldset>
      );
    }
    return (
      <div class="row" key={p}>
        {field(fs, item, p, v, { required: false }, ctx, label)}
        {remove}
      </div>
    );
  });
  const full = s.maxItems !== undefined && list.length >= s.maxItems;
  if (!full)
    out.push(
      <p key={`${path}-add`}>
        <button type="submit" name="_action" value={`add:${path}`} class="secondary small">
          {ctx.addLabel?.(path.replace(/\[\d+\]/g, '')) ?? 'Ajouter une ligne'}
          <span class="visually-hidden"> : {inputFieldLabel(ctx.documentType, path)}</span>
        </button>
      </p>,
    );
  return out;
}

import type { FieldError } from '@carepact/common';
import type { ComponentChildren } from 'preact';

/**
 * Form parts shared by the portal and the console: every form posts with the session's CSRF token,
 * every field carries its error next to it (aria-invalid + aria-describedby) and the summary at the
 * top links to each field (WCAG 3.3.1, 3.3.3).
 */
export interface FormState {
  errors?: FieldError[];
  errorMessage?: string;
  values?: Record<string, string>;
}

export function errorFor(errors: FieldError[] | undefined, field: string): FieldError | undefined {
  return errors?.find((e) => e.field === field);
}

/** A POST form with its CSRF token; `novalidate` so the server's French messages are the ones shown. */
export function PostForm(props: { action: string; csrf: string; children: ComponentChildren; id?: string; class?: string }) {
  return (
    <form method="post" action={props.action} id={props.id} class={props.class} noValidate>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.children}
    </form>
  );
}

/** The heading of the summary of a refused form: nothing of it was saved. */
export const NOTHING_SAVED = 'Rien n’a été enregistré : corrigez les champs signalés';

/**
 * The summary of a refused form on a page that holds several forms: each message starts with the
 * name of its field (« Motif du gel : … »), so that it reads alone in the list (WCAG 3.3.1).
 */
export function RefusedFormSummary(props: { errors?: FieldError[]; labels: Record<string, string> }) {
  const errors = props.errors?.map((e) => ({ ...e, message: `${props.labels[e.field] ?? e.field} : ${e.message}` }));
  return <ErrorSummary errors={errors} message={errors?.length ? NOTHING_SAVED : undefined} />;
}

/**
 * The summary at the top of a form that failed. autofocus (no script needed): keyboard and
 * screen-reader users land on it, and its links lead to each field.
 */
export function ErrorSummary(props: { errors?: FieldError[]; message?: string }) {
  const errors = props.errors ?? [];
  if (!errors.length && !props.message) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="erreurs-titre" tabIndex={-1} id="erreurs" autoFocus>
      <h2 id="erreurs-titre">{props.message ?? 'Il y a un problème'}</h2>
      {errors.length ? (
        <ul>
          {errors.map((e) => (
            <li key={e.field}>
              <a href={`#${fieldId(e.field)}`}>{e.message}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** An id usable in a URL fragment and a CSS selector for a field path such as `contacts[0].email`. */
export function fieldId(field: string): string {
  return field.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'champ';
}

export function FieldMessage(props: { id: string; error?: FieldError }) {
  return props.error ? (
    <p class="field-error" id={`${props.id}-erreur`}>
      {props.error.message}
    </p>
  ) : null;
}

/** aria-describedby of a field: its hint and its error, when it has them. */
function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-aide` : '', error ? `${id}-erreur` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

interface FieldProps {
  name: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  errors?: FieldError[];
  value?: string;
  required?: boolean;
  /** The error key when it differs from the field's name (nested paths). */
  errorKey?: string;
}

/** The frame every single-control field shares: label (with « obligatoire »), hint, the control, its error. */
function FieldFrame(props: { id: string; label: ComponentChildren; required?: boolean; hint?: ComponentChildren; error?: FieldError; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>
        {props.label}
        {props.required ? <span class="required"> (obligatoire)</span> : null}
      </label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-aide`}>
          {props.hint}
        </p>
      ) : null}
      {props.children}
      <FieldMessage id={props.id} error={props.error} />
    </div>
  );
}

export function TextField(
  props: FieldProps & {
    type?: 'text' | 'email' | 'tel' | 'date' | 'password' | 'number' | 'search';
    autocomplete?: string;
    inputMode?: 'numeric' | 'decimal' | 'tel' | 'email' | 'text';
    autoFocus?: boolean;
    /** The id of the form it belongs to when that is not the one around it (HTML `form` attribute). */
    form?: string;
  },
) {
  const id = fieldId(props.name);
  const error = errorFor(props.errors, props.errorKey ?? props.name);
  return (
    <FieldFrame id={id} label={props.label} required={props.required} hint={props.hint} error={error}>
      <input
        // preact's typings tie ARIA roles to each input type; these are all plain text-like inputs.
        type={(props.type ?? 'text') as 'text'}
        id={id}
        form={props.form}
        name={props.name}
        value={props.value ?? ''}
        autoComplete={props.autocomplete}
        inputMode={props.inputMode}
        autoFocus={props.autoFocus}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, !!props.hint, !!error)}
      />
    </FieldFrame>
  );
}

export function TextArea(props: FieldProps & { rows?: number }) {
  const id = fieldId(props.name);
  const error = errorFor(props.errors, props.errorKey ?? props.name);
  return (
    <FieldFrame id={id} label={props.label} required={props.required} hint={props.hint} error={error}>
      <textarea id={id} name={props.name} rows={props.rows} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(id, !!props.hint, !!error)} value={props.value ?? ''} />
    </FieldFrame>
  );
}

export function SelectField(props: FieldProps & { options: [value: string, label: string][]; emptyLabel?: string }) {
  const id = fieldId(props.name);
  const error = errorFor(props.errors, props.errorKey ?? props.name);
  return (
    <FieldFrame id={id} label={props.label} required={props.required} hint={props.hint} error={error}>
      <select id={id} name={props.name} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(id, !!props.hint, !!error)}>
        {props.emptyLabel !== undefined ? <option value="">{props.emptyLabel}</option> : null}
        {props.options.map(([value, label]) => (
          <option key={value} value={value} selected={value === props.value}>
            {label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** Radio buttons in a fieldset whose legend is the question; the error is tied to the fieldset. */
export function RadioGroup(props: FieldProps & { options: [value: string, label: string][] }) {
  const id = fieldId(props.name);
  const error = errorFor(props.errors, props.errorKey ?? props.name);
  return (
    <>
      <fieldset id={id} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(id, !!props.hint, !!error)}>
        <legend>{props.label}</legend>
        {props.hint ? (
          <p class="hint" id={`${id}-aide`}>
            {props.hint}
          </p>
        ) : null}
        {props.options.map(([value, label], i) => (
          <div class="choice" key={value}>
            <input type="radio" id={`${id}-${i}`} name={props.name} value={value} checked={props.value === value} />
            <label for={`${id}-${i}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <FieldMessage id={id} error={error} />
    </>
  );
}

export function Checkbox(props: FieldProps & { checked?: boolean; valueWhenChecked?: string }) {
  const id = fieldId(props.name);
  const error = errorFor(props.errors, props.errorKey ?? props.name);
  return (
    <>
      <div class="choice">
        <input
          type="checkbox"
          id={id}
          name={props.name}
          value={props.valueWhenChecked ?? 'oui'}
          checked={props.checked}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-erreur` : undefined}
        />
        <label for={id}>{props.label}</label>
      </div>
      <FieldMessage id={id} error={error} />
    </>
  );
}

export function Notice(props: { kind?: 'success' | 'warning' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`notice${props.kind && props.kind !== 'info' ? ` ${props.kind}` : ''}`} role="status">
      {props.children}
    </div>
  );
}

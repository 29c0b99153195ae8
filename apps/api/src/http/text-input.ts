import { DomainError, ValidationError, textProblem } from '@carepact/common';

/**
 * Text that reaches the application, whatever carries it. A NUL byte is refused everywhere with its
 * own code, NUL_BYTE (PostgreSQL cannot store it in text: the query would fail with a 500). Beyond
 * it, each carrier refuses what its readers cannot use:
 * - a JSON body: anything the shared text rule refuses (libs/common `textProblem`: controls other
 *   than tab, CR and LF, U+0085, lone surrogates), as the templates do;
 * - an address (path segments, query parameters): the ASCII controls other than tab, CR and LF, which
 *   a URL can only carry percent-encoded (the parameters that are one line, such as the API's `q`,
 *   refuse CR and LF themselves: http/query-params.ts);
 * - a console or portal form: the NUL byte only; the forms' own validation shows any other control
 *   character beside its field, with the form as typed.
 * `field` names where it was (a body path, a parameter's name); the value itself is never quoted.
 */
export type TextRule = 'json' | 'address' | 'form';

const ADDRESS_CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function nulByte(field: string, message = 'Un texte contient un caractère nul (\\u0000), refusé.'): DomainError {
  return new DomainError('invalid', 'NUL_BYTE', message, [{ field, code: 'NUL_BYTE', message: 'Caractère nul interdit.' }]);
}

export function textInputProblem(value: string, field: string, rule: TextRule = 'json'): DomainError | null {
  if (value.includes('\u0000')) return nulByte(field, rule === 'address' ? 'Un paramètre de l’adresse contient un caractère nul (\\u0000), refusé.' : undefined);
  if (rule === 'form') return null;
  if (rule === 'address')
    return ADDRESS_CONTROL.test(value) ? new ValidationError([{ field, code: 'CONTROL_CHARACTER', message: 'Caractère de contrôle interdit dans l’adresse.' }]) : null;
  const problem = textProblem(value, 'text');
  return problem ? new ValidationError([{ field, ...problem }]) : null;
}

/**
 * The first problem in a parsed query or form (strings, arrays of them for a name given twice,
 * objects of them): the names are checked as well as the values.
 */
export function firstTextProblem(value: unknown, field: string, rule: TextRule, depth = 0): DomainError | null {
  if (typeof value === 'string') return textInputProblem(value, field || '(racine)', rule);
  if (depth > 32 || !value || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const p = firstTextProblem(item, field, rule, depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const p = textInputProblem(key, '(nom de paramètre)', rule) ?? firstTextProblem(item, field ? `${field}.${key}` : key, rule, depth + 1);
    if (p) return p;
  }
  return null;
}

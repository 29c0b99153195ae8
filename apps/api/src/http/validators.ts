import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';
import { TextKind, amountProblem, isCalendarDate, textProblem } from '@carepact/common';

/**
 * Validators whose failure carries its own stable code, French message and, when the value is an
 * object, the sub-path at fault: their message is this JSON, which `flattenErrors` unpacks.
 */
export interface StructuredFailure {
  code: string;
  message: string;
  /** Appended to the property's path, e.g. `resident.method` under `delivery`. */
  path?: string;
}
export const STRUCTURED_CONSTRAINTS = new Set(['safeText', 'amount', 'deliveryMap', 'languageCode']);

function structured(name: string, check: (value: unknown) => StructuredFailure | null, options?: ValidationOptions) {
  // With `each`, class-validator validates items one by one but builds one message for the list.
  const firstFailure = (value: unknown): StructuredFailure | null => {
    if (!options?.each || !Array.isArray(value)) return check(value);
    for (let i = 0; i < value.length; i++) {
      const f = check(value[i]);
      if (f) return { ...f, path: f.path ? `${i}.${f.path}` : String(i) };
    }
    return null;
  };
  return (object: object, propertyName: string) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options: { ...options, message: (args: ValidationArguments) => JSON.stringify(firstFailure(args.value) ?? { code: 'INVALID', message: 'Valeur invalide.' }) },
      validator: {
        validate: (value: unknown) => check(value) === null,
      },
    });
}

/** A language as its two-letter code (ISO 639-1, lower case): « français » typed in full is said so, with an example. */
export function IsLanguageCode(options?: ValidationOptions) {
  return structured(
    'languageCode',
    (v) => (typeof v === 'string' && /^[a-z]{2}$/.test(v) ? null : { code: 'INVALID_LANGUAGE', message: 'Indiquez un code de langue à deux lettres, par exemple fr pour le français ou ar pour l’arabe.' }),
    options,
  );
}

/** A real calendar date `YYYY-MM-DD` (29 February only in leap years). */
export function IsCalendarDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          return isCalendarDate(value);
        },
      },
    });
}

/** One-line fields: the shared text rule (libs/common), and no CR/LF (they never reach an e-mail header). */
export function NoControlChars(options?: ValidationOptions) {
  return SafeText('line', options);
}

/**
 * The shared text rule (libs/common `textProblem`) — the same the templates apply, so what the
 * API stores can always be put in a document. `name` for text that identifies a person, `printed`
 * for free text printed in the documents (a measure's mission, the tariff's absence rules): both
 * refuse what the PDF faces cannot draw (CHARACTER_NOT_PRINTABLE, libs/common printable.ts).
 */
export function SafeText(kind: TextKind, options?: ValidationOptions) {
  return structured('safeText', (value) => (typeof value === 'string' ? textProblem(value, kind) : null), options);
}

/** Euros: 0 ≤ x ≤ 100 000, cents at most (libs/common `amountProblem`). */
export function IsAmount(options?: ValidationOptions) {
  return structured('amount', (value) => amountProblem(value), options);
}

/** Ways a signer other than the director may receive the document (the director signs from the console: `staff`). */
export const DELIVERY_METHODS = ['email', 'in_person'] as const;
const DELIVERY_FIELDS = new Set(['method', 'accessCode']);
const SIGNER_KEY = /^[A-Za-z0-9_:.-]{1,100}$/;

/**
 * `delivery` of a signature request: `{ [signerKey]: { method?: 'email' | 'in_person', accessCode?: boolean } }`.
 * Checked here, field by field, because a value the database refuses (an unknown method, a string
 * where a boolean is meant) would otherwise surface as a 500, and `staff` — the director's
 * console countersignature — must never be chosen for a resident or a relative.
 */
export function deliveryProblem(value: unknown): StructuredFailure | null {
  if (value === undefined) return null;
  if (!isPlainObject(value)) return { code: 'INVALID_TYPE', message: 'Doit être un objet : { "<signataire>": { "method": "email" | "in_person", "accessCode": true } }.' };
  const entries = Object.entries(value);
  if (entries.length > 20) return { code: 'TOO_LONG', message: 'Trop de signataires (20 au plus).' };
  for (const [key, choice] of entries) {
    if (!SIGNER_KEY.test(key)) return { path: key, code: 'UNKNOWN_SIGNER', message: 'Clé de signataire invalide (voir l’aperçu de la demande).' };
    if (!isPlainObject(choice)) return { path: key, code: 'INVALID_TYPE', message: 'Doit être un objet : { "method": "email" | "in_person", "accessCode": true }.' };
    for (const field of Object.keys(choice))
      if (!DELIVERY_FIELDS.has(field)) return { path: `${key}.${field}`, code: 'UNKNOWN_FIELD', message: 'Champ inconnu : il n’est pas accepté ici.' };
    const { method, accessCode } = choice as { method?: unknown; accessCode?: unknown };
    if (method === 'staff')
      return {
        path: `${key}.method`,
        code: 'STAFF_DELIVERY_NOT_ALLOWED',
        message: 'La signature depuis la console (« staff ») est réservée à la direction : un résident ou un proche signe par e-mail ou en présence.',
      };
    if (method !== undefined && !(DELIVERY_METHODS as readonly unknown[]).includes(method))
      return { path: `${key}.method`, code: 'NOT_ALLOWED_VALUE', message: `Valeur non autorisée. Valeurs possibles : ${DELIVERY_METHODS.join(', ')}.` };
    if (accessCode !== undefined && typeof accessCode !== 'boolean') return { path: `${key}.accessCode`, code: 'INVALID_TYPE', message: 'Doit être vrai ou faux.' };
  }
  return null;
}

export function IsDeliveryMap(options?: ValidationOptions) {
  return structured('deliveryMap', deliveryProblem, options);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

import { ValidationError } from '@carepact/common';

/**
 * Query-string parameters of the JSON API, checked by hand (a query is not a DTO body): a bad value
 * is a 400 VALIDATION_FAILED naming the parameter, with a stable code and a French message. A
 * parameter given twice (`?limit=1&limit=2`) or as an object (`?after[x]=…`) is not a string: bad too.
 */

export function intParam(name: string, raw: unknown, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new ValidationError([{ field: name, code: 'INVALID_NUMBER', message: `Doit être un entier entre ${min} et ${max}.` }]);
  return Number(raw);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not a UUID is a bad request (it names nothing); empty is absent. */
export function idParam(name: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !UUID.test(raw)) throw new ValidationError([{ field: name, code: 'INVALID_ID', message: 'Identifiant invalide.' }]);
  return raw.toLowerCase();
}

export function textParam(name: string, raw: unknown, max = 200): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > max || /[\u0000-\u001f]/.test(raw))
    throw new ValidationError([{ field: name, code: 'INVALID_TEXT', message: `Texte de ${max} caractères au plus, sans caractère de contrôle.` }]);
  return raw;
}

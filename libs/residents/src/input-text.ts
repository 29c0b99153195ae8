/** Input normalisation shared by the resident file's services (not exported from the lib). */

/** `undefined` (not given) becomes null; anything else is kept. */
export const nn = <T>(v: T | undefined | null): T | null => (v === undefined ? null : v);

/** Trimmed text, or null for missing or blank text. */
export const trimOrNull = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' ? null : v.trim());

/** Field errors of a nested validation (`contact.email`) as the flat endpoint reports them (`email`). */
export function withoutPrefix<E extends { field: string }>(errors: E[], prefix: string): E[] {
  return errors.map((e) => ({ ...e, field: e.field.replace(new RegExp(`^${prefix}\\.`), '') }));
}

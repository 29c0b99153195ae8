/**
 * A plausible e-mail address for the people CarePact writes to: one @, a dot in the domain, no
 * spaces, brackets, quotes, commas or semicolons (nothing that could add a recipient or a header).
 */
const EMAIL = /^[^\s@<>()",;:\\]+@[^\s@<>()",;:\\]+\.[^\s@<>()",;:\\]+$/;

export function isPlausibleEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

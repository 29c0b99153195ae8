/**
 * Invisible format characters (Unicode category Cf): zero-width space, non-joiner and joiner
 * (U+200B–U+200D), word joiner (U+2060), byte order mark (U+FEFF), soft hyphen (U+00AD), and the
 * bidirectional marks. They come with a copy-paste or a phone keyboard, show nothing, and must
 * neither make a correctly typed name fail nor make two different-looking names compare equal.
 */
const INVISIBLE = /\p{Cf}/gu;

/** The typed name as kept in the evidence and printed on the sealed PDF: no invisible characters. */
export function cleanTypedName(s: string): string {
  return s.normalize('NFC').replace(INVISIBLE, '').trim();
}

/**
 * The form in which the typed name is compared with the signer's name: no invisible characters,
 * no accents, apostrophes and hyphens as spaces, one space between words, lower case.
 */
export function normaliseName(s: string): string {
  return s
    .normalize('NFD')
    .replace(INVISIBLE, '')
    .replace(/\p{M}/gu, '')
    .replace(/[’'`-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

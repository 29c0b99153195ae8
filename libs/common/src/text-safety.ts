/**
 * What text CarePact accepts, in one place: the API's validators and the templates' input
 * validation both call `textProblem`, so the API never stores text that no document could then
 * be generated from (issue 7, item 13).
 *
 * - `text` (any text, multi-line free text included): no C0 control other than tab, LF and CR,
 *   no DEL, no C1 control (U+0080–U+009F, U+0085 "next line" included), no U+FFFE/U+FFFF, no
 *   lone surrogate. None of these is valid in the XML 1.0 of a DOCX, and none can be drawn. No
 *   invisible character either (INVISIBLE: U+00AD, U+034F, U+115F, U+1160, U+17B4, U+17B5, U+180E,
 *   U+200B, U+2028, U+2029, U+2060–U+2064, U+206A–U+206F, U+3164, U+FEFF, U+FFA0, U+FFF9–U+FFFB,
 *   U+1BCA0–U+1BCA3, U+1D173–U+1D17A, U+E0000–U+E007F); the zero-width joiner and the variation
 *   selectors stay (emoji).
 * - `line` (one-line fields: references, phone numbers): as `text`, and no tab, CR or LF either
 *   (a line break in a name would reach an e-mail header or break a table cell).
 * - `name` (text that identifies a person: names, room, relation, address): as `line`, plus
 *   - no bidirectional control (BIDI_CONTROLS): no embedding, override or isolate (U+202A–U+202E,
 *     U+2066–U+2069), which make a name display differently from what it is (a signer could not
 *     check it is theirs), and no implicit mark either (U+200E, U+200F, U+061C): invisible, they
 *     still move the punctuation, parentheses and separators around them, make two names that
 *     look the same differ, and the e-mails (libs/notifications email-values.ts) already count
 *     them as bidi controls — one rule for both. No French text needs them, and a right-to-left
 *     name (Arabic, Hebrew) is written without them;
 *   - no emoji: the PDF faces (Atkinson Hyperlegible Next, DejaVu Sans) draw none of most of them
 *     (DejaVu Sans has 76 of the 2,048 code points of U+1F300–U+1FAFF, in monochrome), so the
 *     signed contract would show U+FFFD where the name was.
 */
export type TextKind = 'text' | 'line' | 'name';

export interface TextProblem {
  /** Stable code, the same in the API and in template validation. */
  code: 'CONTROL_CHARACTER' | 'INVALID_CHARACTER' | 'BIDI_CONTROL' | 'EMOJI_NOT_ALLOWED';
  /** French, for people; never quotes the value. */
  message: string;
}

const CONTROL_ANY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
const CONTROL_LINE = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
/**
 * Invisible characters that are neither controls nor bidi marks but hide text or make two strings
 * that look the same differ (the security review of session 19), refused in every kind of text as
 * CONTROL_CHARACTER: the line and paragraph separators U+2028, U+2029 (a line break that is not one:
 * split a line in the browser, not in a DOCX), the zero-width space U+200B, the word joiner U+2060,
 * the soft hyphen U+00AD, the deprecated format characters U+206A–U+206F and the tag characters
 * U+E0000–U+E007F (invisible text); and the other format characters that draw nothing: the zero-width
 * no-break space U+FEFF (a byte order mark when it leads pasted text: refused there too, as everywhere —
 * this module checks text, it never rewrites it, and the message says to remove it), the invisible
 * operators U+2061–U+2064 (function application, invisible times, separator, plus), the Mongolian
 * vowel separator U+180E (a space of no width since Unicode 6.3; the PDF faces draw no Mongolian
 * script anyway) and the interlinear annotation characters U+FFF9–U+FFFB (anchor, separator,
 * terminator: text meant to be shown apart, or not at all). And the characters that are not format
 * characters but draw nothing all the same (Unicode's Default_Ignorable_Code_Point, or blank letters):
 * the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0 (letters, so a name of fillers alone looks
 * blank yet is not empty), the combining grapheme joiner U+034F, the Khmer inherent vowels U+17B4,
 * U+17B5, the shorthand format controls U+1BCA0–U+1BCA3 and the musical symbol format characters
 * U+1D173–U+1D17A. The zero-width joiner U+200D and the variation selectors stay: they build emoji
 * (👨‍👩‍👧, ❤️) in free text, where emoji are welcome; so do the skin tones U+1F3FB–U+1F3FF (visible).
 */
// U+034F, U+17B4 and U+17B5 are combining marks: alternatives of their own, not in a class (no-misleading-character-class).
const INVISIBLE =
  /[\u00AD\u115F\u1160\u180E\u200B\u2028\u2029\u2060-\u2064\u206A-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]|\u034F|\u17B4|\u17B5|[\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E007F}]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * The bidirectional controls: the implicit marks (ARABIC LETTER MARK U+061C, LEFT-TO-RIGHT and
 * RIGHT-TO-LEFT MARK U+200E, U+200F), the embeddings and overrides (U+202A–U+202E) and the isolates
 * (U+2066–U+2069) — every character of Unicode's Bidi_Control property. The one definition: the
 * API's and the templates' rule for names (`textProblem`), the e-mails' isolation of a value
 * (libs/notifications email-values.ts `inline`) and the annexes' version label use it.
 */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
// Extended_Pictographic minus the few that are ordinary text (©, ®, ‼, ⁉, ™, ℹ and the like are
// in the Basic Multilingual Plane's letterlike and punctuation blocks), plus the emoji
// presentation selector and the keycap combiner that only ever build emoji.
const EMOJI = /(?![\u00A9\u00AE\u203C\u2049\u2122\u2139])\p{Extended_Pictographic}|\uFE0F|\u20E3/u;

export function textProblem(value: string, kind: TextKind = 'text'): TextProblem | null {
  if ((kind === 'text' ? CONTROL_ANY : CONTROL_LINE).test(value))
    return {
      code: 'CONTROL_CHARACTER',
      message:
        kind === 'text'
          ? 'Ce texte contient un caractère de contrôle interdit.'
          : 'Caractère de contrôle interdit (retour à la ligne, tabulation…).',
    };
  if (INVISIBLE.test(value))
    return {
      code: 'CONTROL_CHARACTER',
      message: 'Ce texte contient un caractère invisible interdit (espace sans largeur, trait d’union conditionnel, séparateur de ligne ou de paragraphe, caractère d’étiquette…) : retirez-le.',
    };
  if (LONE_SURROGATE.test(value)) return { code: 'INVALID_CHARACTER', message: 'Ce texte contient un caractère Unicode invalide (moitié de paire de substitution).' };
  if (kind !== 'name') return null;
  if (BIDI_CONTROLS.test(value))
    return {
      code: 'BIDI_CONTROL',
      message: 'Ce texte contient un caractère invisible qui change le sens d’affichage (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) : retirez-le.',
    };
  if (EMOJI.test(value)) return { code: 'EMOJI_NOT_ALLOWED', message: 'Les émojis ne sont pas acceptés ici : les documents ne peuvent pas les imprimer.' };
  return null;
}

export interface AmountProblem {
  code: 'INVALID_AMOUNT' | 'AMOUNT_OUT_OF_RANGE' | 'AMOUNT_TOO_PRECISE';
  message: string;
}

/** Highest amount in euros a tariff, price or deposit may hold (a day of EHPAD care is ~100 €). */
export const MAX_AMOUNT_EUROS = 100_000;

/** Amounts in euros: a finite number, 0 ≤ x ≤ 100 000, at most two decimals (cents). */
export function amountProblem(value: unknown): AmountProblem | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { code: 'INVALID_AMOUNT', message: 'Doit être un montant en euros (nombre).' };
  if (value < 0 || value > MAX_AMOUNT_EUROS) return { code: 'AMOUNT_OUT_OF_RANGE', message: `Le montant doit être compris entre 0 et ${MAX_AMOUNT_EUROS.toLocaleString('fr-FR')} €.` };
  // Cents, not fractions of a cent: 72.5 and 72.55 pass, 72.555 does not (float-safe comparison).
  if (Math.abs(value * 100 - Math.round(value * 100)) > 1e-6) return { code: 'AMOUNT_TOO_PRECISE', message: 'Au plus deux décimales (centimes).' };
  return null;
}

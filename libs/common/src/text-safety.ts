import { describeCharacters, unprintableCharacters } from './printable';

/**
 * What text CarePact accepts, in one place: the API's validators and the templates' input
 * validation both call `textProblem`, so the API never stores text that no document could then
 * be generated from (issue 7, item 13).
 *
 * - `text` (any text, multi-line free text included): no C0 control other than tab, LF and CR,
 *   no DEL, no C1 control (U+0080–U+009F, U+0085 "next line" included), no U+FFFE/U+FFFF, no
 *   lone surrogate. None of these is valid in the XML 1.0 of a DOCX, and none can be drawn. No
 *   invisible character either (INVISIBLE: every format character but the joiners and the bidi
 *   controls, every default-ignorable code point but the variation selectors, U+2028, U+2029, U+2800,
 *   U+FFFC, U+1D159); the joiners and the variation selectors only right after a visible character
 *   (emoji sequences, Persian, Indic scripts, Han variants). No private-use code point and no
 *   noncharacter either (UNSUPPORTED below: UNSUPPORTED_CHARACTER): no document can show them as
 *   what they are. Unassigned code points are accepted (see UNSUPPORTED).
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
 *   - no variation selector (U+FE00–U+FE0F, U+E0100–U+E01EF), and the joiners only after a letter
 *     of a script that joins (not Latin, Greek, Cyrillic);
 *   - no emoji: the PDF faces (Atkinson Hyperlegible Next, DejaVu Sans) draw none of most of them
 *     (DejaVu Sans has 76 of the 2,048 code points of U+1F300–U+1FAFF, in monochrome), so the
 *     signed contract would show U+FFFD where the name was;
 *   - no character the PDF faces cannot print (CHARACTER_NOT_PRINTABLE, libs/common printable.ts):
 *     Han, kana, Hangul, Devanagari, Thai, Khmer, Mongolian… printed as « � » in the name a person
 *     signs. A name is entered in Latin letters, as on the French identity document or residence
 *     permit (translittération).
 * - `printed` (free text printed in a document: the templates' input data, a resident's free text):
 *   as `text`, and no character the PDF faces cannot print (CHARACTER_NOT_PRINTABLE), emoji beyond
 *   the few DejaVu Sans draws (❤, ☺, ✌…) included. Text that never reaches a document (the portal's
 *   messages, e-mails) stays `text` and keeps them.
 */
export type TextKind = 'text' | 'line' | 'name' | 'printed';

export interface TextProblem {
  /** Stable code, the same in the API and in template validation. */
  code: 'CONTROL_CHARACTER' | 'INVALID_CHARACTER' | 'UNSUPPORTED_CHARACTER' | 'BIDI_CONTROL' | 'EMOJI_NOT_ALLOWED' | 'CHARACTER_NOT_PRINTABLE';
  /** French, for people; never quotes the value. */
  message: string;
}

const CONTROL_ANY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
const CONTROL_LINE = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
/**
 * Characters that draw nothing, refused in every kind of text as CONTROL_CHARACTER: they hide text,
 * make a field that looks empty not empty, or make two strings that look the same differ (the
 * security reviews of sessions 19 and 20, the attacker review of session 21). The rule is Unicode's,
 * not a list that an attacker completes one character at a time:
 * - every format character (general category Cf: U+00AD soft hyphen, U+0600–U+0605, U+06DD, U+070F,
 *   U+0890–U+0891, U+08E2, U+110BD, U+110CD prepended concatenation marks, U+180E, U+200B, U+2060–U+2064,
 *   U+206A–U+206F, U+FEFF byte order mark — refused where it leads pasted text too: this module checks,
 *   it never rewrites —, U+FFF9–U+FFFB interlinear annotations, U+13430–U+1343F hieroglyph format
 *   controls, U+1BCA0–U+1BCA3, U+1D173–U+1D17A, the tags U+E0001, U+E0020–U+E007F…), except the two
 *   joiners (MISPLACED_JOINER below) and the bidirectional controls (BIDI_CONTROLS: names refuse them with
 *   their own code, BIDI_CONTROL; free text keeps them);
 * - every other Default_Ignorable_Code_Point (the Hangul fillers U+115F, U+1160, U+3164, U+FFA0 —
 *   letters, so a name of fillers alone looks blank —, the combining grapheme joiner U+034F, the Khmer
 *   inherent vowels U+17B4, U+17B5, U+FFF0–U+FFF8, U+E0000–U+E0FFF outside the variation selectors),
 *   except the variation selectors (MISPLACED_VARIATION_SELECTOR below);
 * - and what is neither but draws nothing all the same: the line and paragraph separators U+2028,
 *   U+2029 (a line break that is not one: splits a line in the browser, not in a DOCX), the Braille
 *   blank U+2800 (a name « \u2800\u2800 » looks empty), the object replacement character U+FFFC (stands for an
 *   object the text does not hold) and the musical null notehead U+1D159.
 * `\p{Cf}` and `\p{Default_Ignorable_Code_Point}` follow the Unicode version of the running Node
 * (`process.versions.unicode`: 17.0 for Node 20.20, ICU 78): a format character Unicode adds is
 * refused without a change here.
 */
const INVISIBLE =
  /(?![\u061C\u200C-\u200F\u202A-\u202E\u2066-\u2069]|\p{Variation_Selector})[\p{Cf}\p{Default_Ignorable_Code_Point}]|[\u2028\u2029\u2800\uFFFC\u{1D159}]/u;
/**
 * The zero-width non-joiner U+200C and joiner U+200D: real text needs them (Persian « می\u200Cخواهم »,
 * Hindi half forms « क्\u200Dष », Malayalam chillus, emoji families 👨\u200D👩\u200D👧), so they stay right after a
 * visible character — never alone, at the start, after a space or another joiner, where they only
 * hide (a name « \u200C » looks empty). In a name, only after a letter or mark of a script that joins
 * (not Latin, Greek or Cyrillic: « Du\u200Cpont » would look like « Dupont » and differ from it); a name's
 * emoji are refused anyway.
 */
const MISPLACED_JOINER = /(?<![\p{L}\p{N}\p{P}\p{S}\p{M}])[\u200C\u200D]/u;
const NAME_JOINER = /(?<![\p{L}\p{M}])[\u200C\u200D]|(?<=[\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}])[\u200C\u200D]/u;
/**
 * The variation selectors U+FE00–U+FE0F, U+E0100–U+E01EF choose how the character before them is
 * drawn: an emoji's colour (❤\uFE0F) or text form (✌\uFE0E), a Han ideograph's variant (葛\u{E0100}). In free text
 * (`text`, `line`) they stay right after a visible character they can vary — never alone, at the
 * start, after a space or another selector, where they only hide. A name refuses them: its emoji are
 * refused, the PDF faces draw no variation sequence, so a selector would change nothing on the signed
 * contract and only make two names that look the same differ. The Mongolian free variation
 * selectors U+180B–U+180D, U+180F are part of the spelling of Mongolian (which form of a letter is
 * written): accepted right after a Mongolian letter, in names too, refused anywhere else.
 */
const MISPLACED_VARIATION_SELECTOR = /(?<![\p{L}\p{N}\p{P}\p{S}])[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;
const VARIATION_SELECTOR = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;
const MISPLACED_MONGOLIAN_SELECTOR = /(?<!\p{L})[\u180B-\u180D\u180F]|(?<!\p{sc=Mongolian})[\u180B-\u180D\u180F]/u;
const INVISIBLE_MESSAGE =
  'Ce texte contient un caractère invisible interdit (espace sans largeur, trait d’union conditionnel, séparateur de ligne ou de paragraphe, caractère d’étiquette ou de mise en forme, blanc braille…) : retirez-le.';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_MESSAGE =
  'Ce texte contient un caractère Unicode invalide (moitié de paire de substitution), souvent venu d’un copier-coller ou d’un logiciel : retirez-le, ou retapez le texte au lieu de le coller.';
/**
 * Code points that no document can show as what they are, refused in every kind of text as
 * UNSUPPORTED_CHARACTER (they were still accepted after the attacker review of session 21):
 * - private use (general category Co: U+E000–U+F8FF, U+F0000–U+FFFFD, U+100000–U+10FFFD): their
 *   meaning is a font's or a program's own. Atkinson Hyperlegible Next draws none, so the PDF shows
 *   U+FFFD where they were — a name of them is a row of « � » on the signature page; DejaVu Sans, the
 *   fallback face (libs/rendering pdf-fonts.ts), draws 97 of them with glyphs of its own (U+EF00–U+EF19
 *   tone letters, U+F000–U+F003, U+F400–U+F441, U+F6C5 a Cyrillic letter form): « Dupont » with one
 *   of those looks like another name than the one stored, extracted and compared. The console and the
 *   e-mails, in the reader's own fonts, show yet something else: two identities that look different
 *   for one text, or the same for two;
 * - noncharacters (Noncharacter_Code_Point: U+FDD0–U+FDEF and the last two code points of every plane,
 *   U+1FFFE, U+1FFFF … U+10FFFE, U+10FFFF): reserved for a program's internal use, never for text
 *   that is exchanged (Unicode chapter 23.7), drawn by no face. U+FFFE and U+FFFF, which no XML 1.0
 *   (so no DOCX) can hold either, stay CONTROL_CHARACTER above, their code since issue 7.
 * Both sets are fixed by Unicode's stability policy: no Unicode version adds or removes one, so this
 * rule does not move with Node's. Lone surrogates keep their own code, INVALID_CHARACTER: not a code
 * point of any text (JSON can still carry one: "\ud800" parses to it).
 *
 * Unassigned code points (\p{Cn}) are accepted, deliberately. Which ones are unassigned depends on the
 * Unicode version of the running Node's ICU, which lags the phones and keyboards that send text: an
 * emoji of the next Unicode version typed by a family in a question or a refusal's reason would be
 * refused until Node is upgraded, and the same text accepted by one deployment refused by another.
 * What they risk is already covered: in a name, the code points reserved for future emoji are
 * Extended_Pictographic (EMOJI_NOT_ALLOWED below), and no PDF face draws an unassigned code point,
 * so a name or a printed text refuses it as CHARACTER_NOT_PRINTABLE, as any script the faces lack
 * (printable.ts); free text never printed keeps it.
 */
const UNSUPPORTED = /[\p{Co}\p{Noncharacter_Code_Point}]/u;
const UNSUPPORTED_MESSAGE =
  'Ce texte contient un caractère que les documents ne peuvent pas afficher (caractère à usage privé d’une police ou d’un logiciel, U+E000–U+F8FF ou U+F0000–U+10FFFD, ou non-caractère Unicode) : il y apparaîtrait comme un carré, un autre signe ou rien. Retirez-le, ou retapez le texte au lieu de le coller.';
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
  const multiLine = kind === 'text' || kind === 'printed';
  if ((multiLine ? CONTROL_ANY : CONTROL_LINE).test(value))
    return {
      code: 'CONTROL_CHARACTER',
      message:
        multiLine
          ? 'Ce texte contient un caractère de contrôle interdit.'
          : 'Caractère de contrôle interdit (retour à la ligne, tabulation…).',
    };
  if (INVISIBLE.test(value) || MISPLACED_JOINER.test(value) || MISPLACED_VARIATION_SELECTOR.test(value) || MISPLACED_MONGOLIAN_SELECTOR.test(value))
    return { code: 'CONTROL_CHARACTER', message: INVISIBLE_MESSAGE };
  if (LONE_SURROGATE.test(value)) return { code: 'INVALID_CHARACTER', message: LONE_SURROGATE_MESSAGE };
  if (UNSUPPORTED.test(value)) return { code: 'UNSUPPORTED_CHARACTER', message: UNSUPPORTED_MESSAGE };
  if (kind === 'printed') return printableProblem(value, kind);
  if (kind !== 'name') return null;
  if (BIDI_CONTROLS.test(value))
    return {
      code: 'BIDI_CONTROL',
      message: 'Ce texte contient un caractère invisible qui change le sens d’affichage (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) : retirez-le.',
    };
  if (EMOJI.test(value)) return { code: 'EMOJI_NOT_ALLOWED', message: 'Les émojis ne sont pas acceptés ici : les documents ne peuvent pas les imprimer.' };
  // After the emoji check: « Jo ❤\uFE0F » is an emoji (EMOJI_NOT_ALLOWED), « Dupont\uFE00 » an invisible character.
  if (VARIATION_SELECTOR.test(value) || NAME_JOINER.test(value)) return { code: 'CONTROL_CHARACTER', message: INVISIBLE_MESSAGE };
  return printableProblem(value, kind);
}

/**
 * CHARACTER_NOT_PRINTABLE (libs/common printable.ts): the characters are named (at most five, with
 * their code points) so that the person finds them in a long text; a name is to be entered as on
 * the identity document.
 */
function printableProblem(value: string, kind: 'name' | 'printed'): TextProblem | null {
  const chars = unprintableCharacters(value);
  if (chars.length === 0) return null;
  const which = describeCharacters(chars);
  return {
    code: 'CHARACTER_NOT_PRINTABLE',
    message:
      kind === 'name'
        ? `Les documents ne peuvent pas imprimer ${chars.length > 1 ? 'ces caractères' : 'ce caractère'} : ${which} (ils apparaîtraient comme « � » sur le document signé). Saisissez le nom en caractères latins, tel qu’il figure sur la pièce d’identité française ou le titre de séjour (translittération).`
        : `Les documents ne peuvent pas imprimer ${chars.length > 1 ? 'ces caractères' : 'ce caractère'} : ${which} (ils apparaîtraient comme « � »). Retirez-les ou remplacez-les : un émoji par des mots, une écriture non latine par sa translittération en caractères latins.`,
  };
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

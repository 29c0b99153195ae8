import { BIDI_CONTROLS, amountProblem, textProblem } from './text-safety';

describe('textProblem', () => {
  const code = (s: string, kind?: 'text' | 'line' | 'name') => textProblem(s, kind)?.code ?? null;

  it('refuses C0/C1 controls (U+0085 included), DEL, U+FFFE/U+FFFF and lone surrogates in any text', () => {
    for (const s of ['a\u0000', 'a\u0007', 'a\u007F', 'Marcel\u0085', 'a\u009F', 'a\uFFFE', 'a\uFFFF']) expect(code(s)).toBe('CONTROL_CHARACTER');
    for (const s of ['a\uD800', '\uDC00b', 'x\uDBFFy']) expect(code(s)).toBe('INVALID_CHARACTER');
  });

  it('keeps ordinary text: accents, line breaks in free text, paired surrogates, RTL marks', () => {
    for (const s of ['Benaïssa', 'Œdipe', 'ligne 1\nligne 2\tfin\r\n', '𝔄 (U+1D504)', 'Ali\u200F', 'مريم', '王秀英', 'O’Connor-Ñúñez']) expect(code(s)).toBeNull();
  });

  it('one-line fields also refuse tab, CR and LF', () => {
    expect(code('Dupont\r\nBcc: x', 'line')).toBe('CONTROL_CHARACTER');
    expect(code('a\tb', 'line')).toBe('CONTROL_CHARACTER');
    expect(code('RG 25/00412', 'line')).toBeNull();
  });

  it('names refuse bidi embeddings, overrides and isolates, and emoji; plain text keeps them', () => {
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(code(`Dupont${c}evil`, 'name')).toBe('BIDI_CONTROL');
      expect(code(`Dupont${c}evil`, 'text')).toBeNull();
    }
    for (const e of ['Marcel 🙂', '👍', 'Léa😀', 'Jo ❤️', '⭐', '1️⃣']) expect(code(e, 'name')).toBe('EMOJI_NOT_ALLOWED');
    expect(code('Marcel 🙂', 'text')).toBeNull();
    for (const ok of ['Chambre 112 ©', 'Jean-Pierre', 'Ali']) expect(code(ok, 'name')).toBeNull();
    expect(textProblem('a\u202E', 'name')!.message).toMatch(/sens d’affichage/);
  });

  it('names refuse the implicit bidi marks too (U+200E, U+200F, U+061C), as the e-mails count them: one rule (BIDI_CONTROLS)', () => {
    for (const c of ['\u200E', '\u200F', '\u061C']) {
      expect(code(`Ali${c}`, 'name')).toBe('BIDI_CONTROL');
      expect(code(`RG 25/${c}00412`, 'name')).toBe('BIDI_CONTROL');
      // Free text keeps them (refusal reasons, comments: never printed as who signs).
      expect(code(`Ali${c}`, 'text')).toBeNull();
    }
    expect(textProblem('Ali\u200F', 'name')!.message).toContain('U+200F');
    // The e-mails isolate exactly what names refuse.
    for (const c of ['\u061C', '\u200E', '\u200F', '\u202A', '\u202E', '\u2066', '\u2069']) expect(BIDI_CONTROLS.test(c)).toBe(true);
  });

  it('French text is not hurt: no-break and narrow no-break spaces, curly apostrophes, non-breaking hyphen, guillemets, ligatures, right-to-left names', () => {
    const french = [
      'Résidence « Les Tilleuls »',
      'Résidence\u00A0«\u202FLes Tilleuls\u202F»',
      'Jugement JAF, TJ de Valville, RG\u00A024/01234',
      'Conseil de famille, TJ de Valville',
      'Hélène d’Aubigné-Lefèvre',
      'Jean\u2011Pierre Œuvray',
      'Chambre n°\u00A012, 2ᵉ étage',
      'Maître Benaïssa – UDAF du Val…',
      'مريم الحسني',
      'שרה לוי',
    ];
    for (const s of french) expect({ s, problem: code(s, 'name') }).toEqual({ s, problem: null });
  });
});

describe('amountProblem', () => {
  it('accepts euros and cents between 0 and 100 000', () => {
    for (const x of [0, 72.5, 24.1, 15.3, 6.55, 0.01, 100000, 1234.99]) expect(amountProblem(x)).toBeNull();
  });
  it('refuses negative, huge, non-finite, non-numeric and sub-cent amounts', () => {
    expect(amountProblem(-0.01)?.code).toBe('AMOUNT_OUT_OF_RANGE');
    expect(amountProblem(100000.01)?.code).toBe('AMOUNT_OUT_OF_RANGE');
    expect(amountProblem(1e308)?.code).toBe('AMOUNT_OUT_OF_RANGE');
    expect(amountProblem(72.555)?.code).toBe('AMOUNT_TOO_PRECISE');
    expect(amountProblem(Number.NaN)?.code).toBe('INVALID_AMOUNT');
    expect(amountProblem(Infinity)?.code).toBe('INVALID_AMOUNT');
    expect(amountProblem('72.5')?.code).toBe('INVALID_AMOUNT');
  });
});

describe('invisible characters (the security review of session 19)', () => {
  const invisible = ['\u2028', '\u2029', '\u200B', '\u2060', '\u00AD', '\u206A', '\u206B', '\u206C', '\u206D', '\u206E', '\u206F', '\u{E0000}', '\u{E0001}', '\u{E0041}', '\u{E007F}'];
  it('are refused in every kind of text as CONTROL_CHARACTER, with a French message that names no value', () => {
    for (const c of invisible)
      for (const kind of ['text', 'line', 'name'] as const) expect({ c: c.codePointAt(0)!.toString(16), kind, code: textProblem(`Le dossier${c} suffit`, kind)?.code ?? null }).toEqual({ c: c.codePointAt(0)!.toString(16), kind, code: 'CONTROL_CHARACTER' });
    expect(textProblem('a\u200Bb')!.message).toMatch(/caractère invisible/);
  });
  it('emoji sequences stay in free text: the zero-width joiner of a family, a skin tone, a variation selector', () => {
    for (const e of ['Merci 👨\u200D👩\u200D👧\u200D👦', 'Bien reçu 👍🏽', 'Avec ❤️', 'ligne 1\nligne 2']) expect(textProblem(e, 'text')).toBeNull();
  });
});

describe('more invisible characters: the byte order mark, the interlinear annotations, the Mongolian vowel separator, the invisible operators', () => {
  // U+FEFF (zero-width no-break space, or byte order mark), U+FFF9–U+FFFB (interlinear annotation
  // anchor, separator, terminator: they hide the annotation's text), U+180E (Mongolian vowel
  // separator, a space of no width since Unicode 6.3), U+2061–U+2064 (function application,
  // invisible times, separator and plus): format characters (Cf) that draw nothing.
  const more = ['\uFEFF', '\uFFF9', '\uFFFA', '\uFFFB', '\u180E', '\u2061', '\u2062', '\u2063', '\u2064'];
  const hex = (c: string) => c.codePointAt(0)!.toString(16);
  it('are refused inside any kind of text as CONTROL_CHARACTER', () => {
    for (const c of more)
      for (const kind of ['text', 'line', 'name'] as const)
        expect({ c: hex(c), kind, code: textProblem(`Marcel${c} Dupont`, kind)?.code ?? null }).toEqual({ c: hex(c), kind, code: 'CONTROL_CHARACTER' });
  });
  it('a leading byte order mark (text pasted from a file) is refused too, not stripped: textProblem checks, it never rewrites', () => {
    for (const kind of ['text', 'line', 'name'] as const) expect(textProblem('\uFEFFRésidence « Les Tilleuls »', kind)).toMatchObject({ code: 'CONTROL_CHARACTER', message: expect.stringMatching(/caractère invisible/) });
    expect(textProblem('Fin du texte collé\uFEFF')?.code).toBe('CONTROL_CHARACTER');
  });
  it('an interlinear annotation (U+FFF9 annotated text U+FFFA annotation U+FFFB) in a name is refused', () => {
    expect(textProblem('Jean\uFFF9Paul\uFFFAx\uFFFB', 'name')?.code).toBe('CONTROL_CHARACTER');
  });
  it('their visible neighbours stay: no-break spaces, Mongolian letters, mathematical signs', () => {
    for (const s of ['Résidence\u00A0«\u202FLes Tilleuls\u202F»', '2 × 3 + 1 = 7', 'f(x)', 'Chambre n°\u00A012']) expect({ s, problem: textProblem(s, 'name') }).toEqual({ s, problem: null });
    // Mongolian script: free text only, the PDF faces draw none of it (a name: CHARACTER_NOT_PRINTABLE, printable.ts).
    expect(textProblem('ᠮᠣᠩᠭᠣᠯ', 'text')).toBeNull();
  });
});

describe('characters that draw nothing though not format characters: Hangul fillers, combining grapheme joiner, Khmer inherent vowels, shorthand and musical format controls', () => {
  // A name made of Hangul fillers (U+3164, U+FFA0, U+115F, U+1160) looks blank yet is not empty;
  // U+034F, U+17B4, U+17B5, U+1BCA0–U+1BCA3 and U+1D173–U+1D17A are default-ignorable: invisible.
  const blank = ['\u115F', '\u1160', '\u3164', '\uFFA0', '\u034F', '\u17B4', '\u17B5', '\u{1BCA0}', '\u{1BCA1}', '\u{1BCA2}', '\u{1BCA3}', '\u{1D173}', '\u{1D176}', '\u{1D17A}'];
  const hex = (c: string) => c.codePointAt(0)!.toString(16);
  it('are refused inside any kind of text as CONTROL_CHARACTER, with the invisible-character message', () => {
    for (const c of blank)
      for (const kind of ['text', 'line', 'name'] as const)
        expect({ c: hex(c), kind, problem: textProblem(`Marcel${c} Dupont`, kind) }).toEqual({
          c: hex(c),
          kind,
          problem: { code: 'CONTROL_CHARACTER', message: expect.stringMatching(/caractère invisible interdit/) },
        });
  });
  it('a name of Hangul fillers only, which looks blank, is refused', () => {
    expect(textProblem('\u3164\u3164\u3164', 'name')?.code).toBe('CONTROL_CHARACTER');
    expect(textProblem('\uFFA0', 'line')?.code).toBe('CONTROL_CHARACTER');
  });
  it('their visible neighbours stay: Hangul syllables and jamo, Khmer, musical symbols; and the emoji builders (zero-width joiner, variation selectors, skin tones)', () => {
    for (const s of ['김민준', '\u1100\u1161', '\u3131\u314F', '\uFFA1', 'សុខា', '\u{1D11E} \u{1D172} \u{1D17B}', 'Merci 👨\u200D👩\u200D👧', 'Bien reçu 👍🏻👍🏿', 'Avec ❤️ ✌︎', '葛\u{E0100}城'])
      expect({ s, problem: textProblem(s, 'text') }).toEqual({ s, problem: null });
  });
});

describe('the rule is Unicode’s: every format character (Cf) and default-ignorable code point, blank-looking symbols (the attacker review of session 21)', () => {
  const hex = (c: string) => c.codePointAt(0)!.toString(16);
  const kinds = ['text', 'line', 'name'] as const;
  const code = (s: string, kind: 'text' | 'line' | 'name') => textProblem(s, kind)?.code ?? null;
  // Accepted by session 20's list, reproduced on POST /api/residents.
  const found = [
    '\u2800', // Braille pattern blank (So): « \u2800\u2800 » looks empty
    '\uFFFC', // object replacement character
    '\uFFF0', '\uFFF4', '\uFFF8', // unassigned specials, default-ignorable
    '\u{13430}', '\u{13438}', '\u{1343F}', // Egyptian hieroglyph format controls
    '\u0600', '\u0601', '\u0602', '\u0603', '\u0604', '\u0605', '\u06DD', '\u070F', '\u08E2', '\u{110BD}', '\u{110CD}', // prepended concatenation marks
    '\u0890', '\u0891', // Arabic pound and piastre marks above (Cf)
    '\u{1D159}', // musical null notehead: draws nothing
    '\u{E0002}', '\u{E0FFF}', // default-ignorable, unassigned
  ];
  it('are refused inside every kind of text as CONTROL_CHARACTER, with the invisible-character message', () => {
    for (const c of found)
      for (const kind of kinds)
        expect({ c: hex(c), kind, problem: textProblem(`Marcel${c} Dupont`, kind) }).toEqual({
          c: hex(c),
          kind,
          problem: { code: 'CONTROL_CHARACTER', message: expect.stringMatching(/caractère invisible interdit/) },
        });
  });
  it('a name of Braille blanks, which looks empty, is refused', () => {
    expect(textProblem('\u2800\u2800', 'name')?.code).toBe('CONTROL_CHARACTER');
    expect(textProblem('\u2800', 'text')?.code).toBe('CONTROL_CHARACTER');
  });
  it('every format character of the running Unicode is refused but the two joiners and the bidi controls (their own code in names)', () => {
    const kept = new Set([0x200c, 0x200d, 0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);
    const passed: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      if (!/\p{Cf}/u.test(c) || kept.has(cp)) continue;
      if (textProblem(`Marcel${c}Dupont`, 'text')?.code !== 'CONTROL_CHARACTER') passed.push(hex(c));
    }
    expect(passed).toEqual([]);
  });
  it('variation selectors alone, at the start, after a space or another selector are refused in free text; in a name always', () => {
    for (const s of ['\uFE00', '\uFE0F\uFE0F', ' \uFE0E', 'Marcel \u{E0100}', 'a\uFE00\uFE01', '\u{E01EF}Dupont']) expect({ s, code: code(s, 'text') }).toEqual({ s, code: 'CONTROL_CHARACTER' });
    for (const s of ['Dupont\uFE00', 'Dupon\uFE0Et', '葛\u{E0100}城', 'Marcel\u{E01EF}']) expect({ s, code: code(s, 'name') }).toEqual({ s, code: 'CONTROL_CHARACTER' });
    // An emoji in a name is still an emoji.
    expect(code('Jo ❤️', 'name')).toBe('EMOJI_NOT_ALLOWED');
  });
  it('Mongolian free variation selectors only right after a Mongolian letter', () => {
    for (const c of ['\u180B', '\u180C', '\u180D', '\u180F'])
      for (const kind of kinds) {
        expect({ c: hex(c), kind, code: code(`Marcel${c}`, kind) }).toEqual({ c: hex(c), kind, code: 'CONTROL_CHARACTER' });
        expect({ c: hex(c), kind, code: code(`${c}${c}`, kind) }).toEqual({ c: hex(c), kind, code: 'CONTROL_CHARACTER' });
        expect({ c: hex(c), kind, code: code(`ᠮᠣᠩᠭᠣᠯ ${c}`, kind) }).toEqual({ c: hex(c), kind, code: 'CONTROL_CHARACTER' });
        // Well placed; a name in Mongolian script is refused all the same, the PDF faces draw none of it.
        expect({ c: hex(c), kind, code: code(`ᠨ${c}ᠠ`, kind) }).toEqual({ c: hex(c), kind, code: kind === 'name' ? 'CHARACTER_NOT_PRINTABLE' : null });
      }
  });
  it('the joiners: never alone, at the start, after a space or another joiner; in a name not after a Latin, Greek or Cyrillic letter', () => {
    for (const s of ['\u200C', '\u200D\u200D', 'Marcel \u200C', '\u200DDupont', 'a\u200C\u200Cb'])
      for (const kind of kinds) expect({ s, kind, code: code(s, kind) }).toEqual({ s, kind, code: 'CONTROL_CHARACTER' });
    for (const s of ['Du\u200Cpont', 'Du\u200Dpont', 'Ива\u200Dнов', 'Νίκ\u200Cος']) {
      expect({ s, code: code(s, 'name') }).toEqual({ s, code: 'CONTROL_CHARACTER' });
      expect({ s, code: code(s, 'text') }).toEqual({ s, code: null });
    }
  });
  it('real text stays in names in the scripts the PDF faces draw: French, Vietnamese, Greek, Cyrillic, Armenian, Georgian, Arabic, Hebrew, Persian with its non-joiner', () => {
    const names = [
      'Hélène d’Aubigné-Lefèvre',
      'Nguyễn Thị Hương',
      'Résidence\u00A0«\u202FLes Tilleuls\u202F»',
      'Ελένη Παπαδοπούλου',
      'Ольга Иванова',
      'Անի Հակոբյան',
      'ნინო ბერიძე',
      'مريم الحسني',
      'שרה לוי',
      'مریم کاظم\u200Cزاده',
      'می\u200Cخواهم',
    ];
    for (const s of names) expect({ s, problem: textProblem(s, 'name') }).toEqual({ s, problem: null });
  });
  it('a name in a script the PDF faces do not draw (Hindi with its joiner, Malayalam, Chinese, Korean, Khmer, Mongolian): CHARACTER_NOT_PRINTABLE, to be entered in Latin letters; still valid free text', () => {
    for (const s of ['अनिल कुमार', 'क्\u200Dष', 'ന്\u200D', '王秀英', '김민준', 'សុខា ចាន់', 'ᠮᠣᠩᠭᠣᠯ', 'ᠨ\u180Bᠠ']) {
      expect({ s, problem: textProblem(s, 'name') }).toEqual({ s, problem: { code: 'CHARACTER_NOT_PRINTABLE', message: expect.stringContaining('translittération') } });
      expect({ s, problem: textProblem(s, 'text') }).toEqual({ s, problem: null });
    }
  });
  it('real text and emoji stay in free text: emoji sequences, text presentation, keycaps, flags, Han variants, scripts with joiners', () => {
    const texts = [
      'Merci 👨\u200D👩\u200D👧\u200D👦',
      'Bien reçu 👍🏽 👍🏻👍🏿',
      'Avec ❤️ et ✌︎',
      '❤️\u200D🔥 🏳️\u200D🌈',
      'Appuyez sur 1️⃣ ou #️⃣',
      '葛\u{E0100}城',
      'می\u200Cخواهم بیایم',
      'क्\u200Dष और हिन्दी',
      'ᠨ\u180Bᠠ ᠮᠣᠩᠭᠣᠯ',
      'مريم الحسني\u200F (الأم)',
      'La fille\u00A0: «\u202FElle s’y était opposée.\u202F»\nSignature.',
      '王秀英的女儿',
      '김민준의 딸',
      'សុខា',
    ];
    for (const s of texts) expect({ s, problem: textProblem(s, 'text') }).toEqual({ s, problem: null });
  });
});

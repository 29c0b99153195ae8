import { textProblem } from '@carepact/common';
import { signerTextProblem } from '@carepact/signing';

/**
 * After the attacker review of session 21, private-use code points and noncharacters were accepted in
 * names and free text. No PDF face draws them as what they are (Atkinson Hyperlegible Next draws
 * none: U+FFFD on the page; DejaVu Sans, the fallback, draws U+F6C5, U+F400–U+F441… with glyphs of its
 * own), so a name with them is unreadable on the signature page or looks like another one. Refused
 * in every kind of text as UNSUPPORTED_CHARACTER; lone surrogates stay INVALID_CHARACTER, both with a
 * French message that says what to do; unassigned code points stay accepted (libs/common
 * text-safety.ts, UNSUPPORTED).
 */
const kinds = ['text', 'line', 'name'] as const;
const hex = (c: string) => c.codePointAt(0)!.toString(16);

describe('private-use code points and noncharacters: UNSUPPORTED_CHARACTER', () => {
  // The ends of the three private-use areas, DejaVu Sans's own glyphs (U+EF00, U+F000, U+F400, U+F6C5).
  const privateUse = ['\uE000', '\uE801', '\uEF00', '\uF000', '\uF400', '\uF441', '\uF6C5', '\uF8FF', '\u{F0000}', '\u{FFFFD}', '\u{100000}', '\u{10FFFD}'];
  // U+FDD0–U+FDEF and the last two code points of the planes above the first.
  const noncharacters = ['\uFDD0', '\uFDE5', '\uFDEF', '\u{1FFFE}', '\u{1FFFF}', '\u{EFFFF}', '\u{10FFFE}', '\u{10FFFF}'];

  it('are refused inside every kind of text, with a French message that says what to do and quotes nothing', () => {
    for (const c of [...privateUse, ...noncharacters])
      for (const kind of kinds)
        expect({ c: hex(c), kind, problem: textProblem(`Marcel${c} Dupont`, kind) }).toEqual({
          c: hex(c),
          kind,
          problem: { code: 'UNSUPPORTED_CHARACTER', message: expect.stringMatching(/ne peuvent pas afficher.*Retirez-le, ou retapez le texte/) },
        });
    expect(textProblem('Marcel\uF6C5')!.message).not.toContain('Marcel');
  });

  it('a name of private-use characters only (a row of boxes on the signature page) is refused', () => {
    expect(textProblem('\uE000\uE001\uE002', 'name')?.code).toBe('UNSUPPORTED_CHARACTER');
    expect(textProblem('\u{F0000}', 'line')?.code).toBe('UNSUPPORTED_CHARACTER');
  });

  it('every private-use code point and every noncharacter is refused (but U+FFFE, U+FFFF: CONTROL_CHARACTER, their code since issue 7)', () => {
    const passed: string[] = [];
    let checked = 0;
    for (let cp = 0xe000; cp <= 0x10ffff; cp++) {
      const privateArea = cp <= 0xf8ff || cp >= 0xf0000;
      const nonchar = (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
      if (!(privateArea || nonchar) || cp === 0xfffe || cp === 0xffff) continue;
      checked++;
      if (textProblem(`a${String.fromCodePoint(cp)}b`, 'text')?.code !== 'UNSUPPORTED_CHARACTER') passed.push(cp.toString(16));
    }
    expect({ checked, passed }).toEqual({ checked: 6400 + 65534 * 2 + 32 + 2 * 16, passed: [] });
    for (const c of ['\uFFFE', '\uFFFF']) for (const kind of kinds) expect(textProblem(`a${c}`, kind)?.code).toBe('CONTROL_CHARACTER');
  });

  it('a signer’s free text (a question, a refusal’s reason) refuses them too', () => {
    expect(signerTextProblem('Je ne signe pas\uE000 ce contrat')?.code).toBe('UNSUPPORTED_CHARACTER');
    expect(signerTextProblem('Pourquoi ?\u{10FFFF}')?.code).toBe('UNSUPPORTED_CHARACTER');
  });

  it('their neighbours stay: CJK compatibility ideographs, Arabic ligatures around U+FDD0–U+FDEF, the replacement character, supplementary letters and emoji', () => {
    const kept = ['\uF900', '\uFA0E', '\uFDCF', '\uFDF0', '\uFDFA', '\uFFFD', '\uD7FB', '𝔄', '\u{20000}', '\u{2FA1D}', 'Ω'];
    for (const c of kept) expect({ c: hex(c), problem: textProblem(`Nom ${c}`, 'line') }).toEqual({ c: hex(c), problem: null });
    // In a name, those the PDF faces do not draw (the ideographs, Hangul) are refused for that, not as unsupported (printable.ts).
    for (const c of kept) expect({ c: hex(c), code: textProblem(`Nom ${c}`, 'name')?.code ?? null }).toEqual({ c: hex(c), code: expect.not.stringMatching(/UNSUPPORTED/) });
    for (const s of ['Merci 👨\u200D👩\u200D👧\u200D👦', 'Bien reçu 👍🏽', 'Avec ❤️', '🫩 \u{1FAE9}']) expect({ s, problem: textProblem(s, 'text') }).toEqual({ s, problem: null });
  });
});

describe('lone surrogates: INVALID_CHARACTER, as the JSON escape « \\ud800 » yields them', () => {
  it('are refused in every kind of text, from a parsed JSON string too, with a message that says what to do', () => {
    const parsed = JSON.parse('{"lastName": "Dupont\\ud800", "firstName": "\\udc00Marcel"}') as { lastName: string; firstName: string };
    expect(parsed.lastName).toHaveLength(7);
    for (const s of [parsed.lastName, parsed.firstName, 'a\uDBFF', 'x\uDFFFy'])
      for (const kind of kinds)
        expect({ s: [...s].map(hex).join(' '), kind, problem: textProblem(s, kind) }).toEqual({
          s: [...s].map(hex).join(' '),
          kind,
          problem: { code: 'INVALID_CHARACTER', message: expect.stringMatching(/moitié de paire de substitution.*retirez-le, ou retapez le texte/) },
        });
  });
});

describe('unassigned code points (\\p{Cn}) stay accepted in free text: Node’s Unicode lags the phones that send text', () => {
  it('an unassigned code point of the running Unicode passes in free text; in a name, one reserved for future emoji is an emoji', () => {
    // U+1FAFA: unassigned (Unicode 17), reserved for emoji (Extended_Pictographic); U+0378, U+1FFFD, U+3FFFD: unassigned.
    const unassigned = ['\u{1FAFA}', '\u0378', '\u{1FFFD}', '\u{3FFFD}'];
    for (const c of unassigned) {
      expect(/\p{Cn}/u.test(c)).toBe(true);
      expect({ c: hex(c), problem: textProblem(`Bien reçu ${c}`, 'text') }).toEqual({ c: hex(c), problem: null });
    }
    expect(textProblem('Marcel \u{1FAFA}', 'name')?.code).toBe('EMOJI_NOT_ALLOWED');
    // No face draws an unassigned code point: in a name (printed on the contract) it would be « � ».
    expect(textProblem('Marcel\u0378', 'name')?.code).toBe('CHARACTER_NOT_PRINTABLE');
  });
});

import { signerTextProblem } from '@carepact/signing';
import { accessRefusalOf } from '@carepact/archive';

/**
 * The free text a signer writes (a question, a refusal's reason: signerTextProblem) and staff's
 * free text (a refusal's explanation: access-answer.ts) refuse the invisible characters (the security
 * review of session 19): line and paragraph separators, zero-width space, word joiner, soft hyphen,
 * deprecated format characters, tag characters. Emoji sequences stay (a signer's « 👍🏽 »).
 */
describe('free text: invisible characters refused, emoji kept', () => {
  const invisible = ['\u2028', '\u2029', '\u200B', '\u2060', '\u00AD', '\u206A', '\u206F', '\u{E0001}', '\u{E0067}', '\u{E007F}'];
  it('a signer’s words: CONTROL_CHARACTER for each; an emoji family and « 👍🏽 » pass', () => {
    for (const c of invisible) expect({ c: c.codePointAt(0)!.toString(16), code: signerTextProblem(`Je ne signe pas${c} ce contrat`)?.code ?? null }).toEqual({ c: c.codePointAt(0)!.toString(16), code: 'CONTROL_CHARACTER' });
    expect(signerTextProblem('Merci 👨\u200D👩\u200D👧\u200D👦')).toBeNull();
    expect(signerTextProblem('👍🏽')).toBeNull();
    expect(signerTextProblem('Ligne un\nLigne deux ❤️')).toBeNull();
    // The bidi controls are still BIDI_CONTROL.
    expect(signerTextProblem('a\u202Eb')?.code).toBe('BIDI_CONTROL');
  });
  it('staff’s explanation of a refusal: explanation CONTROL_CHARACTER', () => {
    for (const c of invisible) {
      let codes: string[] = [];
      try {
        accessRefusalOf({ reason: 'other', explanation: `Les raisons sont${c} données ici.` }, 'ayant_droit');
      } catch (e) {
        codes = (e as { details: { field: string; code: string }[] }).details.map((d) => `${d.field} ${d.code}`);
      }
      expect(codes).toEqual(['explanation CONTROL_CHARACTER']);
    }
  });
});

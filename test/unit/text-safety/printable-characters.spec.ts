import { textProblem } from '@carepact/common';
import { validateInput } from '@carepact/templates';

/**
 * The PDF faces (Atkinson Hyperlegible Next, DejaVu Sans fallback) draw no Han, kana, Hangul,
 * Devanagari, Thai, Khmer, Mongolian… nor most emoji; the renderer printed U+FFFD in their place, so
 * a contrat de séjour for « 王秀英 » showed « ��� » in the name the person signs. Text that goes into
 * a document is now checked against what the faces draw (libs/common printable.ts): a name (`name`)
 * or a printed free text (`printed`: the templates' input data, a resident's free text) with a
 * character no face draws is refused as CHARACTER_NOT_PRINTABLE, with a French message that names
 * the characters and says what to do. Free text never printed (`text`: the portal's messages) keeps them.
 */
describe('CHARACTER_NOT_PRINTABLE: text that goes into a document holds only what the PDF faces draw', () => {
  it('a name in Chinese: refused, the characters named, to be entered in Latin letters as on the identity document', () => {
    expect(textProblem('王秀英', 'name')).toEqual({
      code: 'CHARACTER_NOT_PRINTABLE',
      message:
        'Les documents ne peuvent pas imprimer ces caractères : « 王 » (U+738B), « 秀 » (U+79C0), « 英 » (U+82F1) (ils apparaîtraient comme « � » sur le document signé). Saisissez le nom en caractères latins, tel qu’il figure sur la pièce d’identité française ou le titre de séjour (translittération).',
    });
  });

  it('names in Japanese, Korean, Hindi, Tamil, Thai, Khmer, Amharic, and one Latin name with a Han character: refused', () => {
    for (const s of ['さくら', '김민준', 'अनिल कुमार', 'முருகன்', 'สมชาย', 'សុខា', 'አበበ', 'Wang 秀英'])
      expect({ s, code: textProblem(s, 'name')?.code }).toEqual({ s, code: 'CHARACTER_NOT_PRINTABLE' });
  });

  it('names in the scripts the faces draw pass: French, Vietnamese, Greek, Cyrillic, Armenian, Georgian, Arabic, Hebrew, Persian', () => {
    for (const s of ['Hélène d’Aubigné-Lefèvre', 'Nguyễn Thị Hương', 'Παπαδοπούλου', 'Иванова', 'Հակոբյան', 'ბერიძე', 'مريم الحسني', 'שרה לוי', 'کاظم\u200Cزاده', 'Wang Xiuying'])
      expect({ s, problem: textProblem(s, 'name') }).toEqual({ s, problem: null });
  });

  it('printed free text: emoji the faces lack and other scripts are refused, the first five characters named; ❤, ✌, ☺ (DejaVu Sans) and line breaks pass', () => {
    expect(textProblem('Merci 👍🏽\nà bientôt', 'printed')).toEqual({
      code: 'CHARACTER_NOT_PRINTABLE',
      message:
        'Les documents ne peuvent pas imprimer ces caractères : « 👍 » (U+1F44D), « 🏽 » (U+1F3FD) (ils apparaîtraient comme « � »). Retirez-les ou remplacez-les : un émoji par des mots, une écriture non latine par sa translittération en caractères latins.',
    });
    expect(textProblem('每天读书一小时', 'printed')?.message).toContain('« 每 » (U+6BCF), « 天 » (U+5929), « 读 » (U+8BFB), « 书 » (U+4E66), « 一 » (U+4E00) et 2 autres');
    for (const s of ['Merci 👨\u200D👩\u200D👧', '葛\u{E0100}城', 'ᠮᠣᠩᠭᠣᠯ']) expect({ s, code: textProblem(s, 'printed')?.code }).toEqual({ s, code: 'CHARACTER_NOT_PRINTABLE' });
    for (const s of ['Avec ❤️ et ✌︎ ☺', 'ligne 1\nligne 2', 'Lire « Le Monde »\u202F!', 'القراءة كل يوم']) expect({ s, problem: textProblem(s, 'printed') }).toEqual({ s, problem: null });
  });

  it('free text that is never printed (the portal’s messages, `text`) keeps emoji and every script', () => {
    for (const s of ['Merci 👍🏽', '王秀英的女儿', 'सुखा']) expect({ s, problem: textProblem(s, 'text') }).toEqual({ s, problem: null });
  });

  it('the templates’ input check refuses a document’s text the faces cannot draw, on its field', () => {
    const schema = { type: 'object' as const, properties: { name: { type: 'string' as const }, notes: { type: 'array' as const, items: { type: 'string' as const } } } };
    expect(validateInput(schema, { name: '王秀英', notes: ['ok', 'Merci 👍'] }).map((e) => [e.field, e.code])).toEqual([
      ['name', 'CHARACTER_NOT_PRINTABLE'],
      ['notes[1]', 'CHARACTER_NOT_PRINTABLE'],
    ]);
    expect(validateInput(schema, { name: 'Wang Xiuying', notes: ['Avec ❤'] })).toEqual([]);
  });
});

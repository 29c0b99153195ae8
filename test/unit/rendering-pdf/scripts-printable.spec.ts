/**
 * Real text in many scripts, through the real pipeline (demo fixture → templateInputFromFixture →
 * the templates' input check → resolve → renderPdf), read back with poppler's pdftotext.
 *
 * The PDF faces (Atkinson Hyperlegible Next, DejaVu Sans fallback, libs/rendering pdf-fonts.ts) draw
 * no Han, kana, Hangul, Devanagari, Thai, Khmer, Mongolian, Ethiopic… nor most emoji: a contrat de
 * séjour for « 王秀英 » printed « ��� » in the resident's name, in the document the person signs. The
 * input check (libs/common printable.ts, CHARACTER_NOT_PRINTABLE) now refuses what the faces cannot
 * draw; whatever it accepts prints, and comes back from the text layer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPdf, resolve, templateInputFromFixture, templates, validateTemplateInput } from '@carepact/rendering';
import { pdftotext, writeTemp } from './pdf-tools';

const FIXTURE_FILE = join(__dirname, '../../../templates/demo/establishment-les-tilleuls.json');

/** Samples: [script, a last name, a free text (an objective of the contract)]. */
const PRINTED: [string, string, string][] = [
  ['Latin (French, Vietnamese)', 'd’Aubigné-Lefèvre Nguyễn', 'Garder ses habitudes, lire « Le Monde »'],
  ['Greek', 'Παπαδοπούλου', 'Να διαβάζει κάθε μέρα'],
  ['Cyrillic', 'Иванова', 'Читать каждый день'],
  ['Armenian', 'Հակոբյան', 'Կարդալ ամեն օր'],
  ['Georgian', 'ბერიძე', 'ყოველდღე კითხვა'],
  ['Arabic', 'مريم الحسني', 'القراءة كل يوم'],
  ['Hebrew', 'שרה לוי', 'לקרוא כל יום'],
  ['Persian, with its non-joiner', 'کاظم\u200Cزاده', 'می\u200Cخواهم بخوانم'],
  ['symbols DejaVu Sans draws', 'Martin', 'Avec ❤ et ✌ ☺'],
];
const REFUSED: [string, string, string][] = [
  ['Han', '王秀英', '每天读书'],
  ['Japanese kana', 'さくら', 'まいにち よむ'],
  ['Hangul', '김민준', '매일 읽기'],
  ['Devanagari, with its joiner', 'अनिल कुमार', 'क्\u200Dष और हिन्दी'],
  ['Bengali', 'রবি', 'প্রতিদিন পড়া'],
  ['Tamil', 'முருகன்', 'தினமும் படி'],
  ['Malayalam', 'മോഹൻ', 'ന്\u200D'],
  ['Thai', 'สมชาย', 'อ่านทุกวัน'],
  ['Khmer', 'សុខា ចាន់', 'អានរាល់ថ្ងៃ'],
  ['Mongolian', 'ᠮᠣᠩᠭᠣᠯ', 'ᠨ\u180Bᠠ'],
  ['Ethiopic', 'አበበ', 'በየቀኑ ማንበብ'],
  ['emoji', 'Martin', 'Merci 👍🏽 👨\u200D👩\u200D👧'],
];

type Fixture = { residents: ({ key: string } & Record<string, unknown>)[] } & Record<string, unknown>;

/** The demo contract for Jeanne Martin, her last name and her first objective replaced. */
function contractData(lastName: string, objective: string): unknown {
  const fixture = JSON.parse(readFileSync(FIXTURE_FILE, 'utf8')) as Fixture;
  const resident = fixture.residents.find((r) => r.key === 'jeanne-martin') as unknown as { lastName: string; documents: { 'contrat-sejour': { objectives: string[] } } };
  resident.lastName = lastName;
  resident.documents['contrat-sejour'].objectives[0] = objective;
  return templateInputFromFixture(fixture, 'contrat-sejour', 'jeanne-martin');
}

/**
 * The words of `text` as pdftotext gives them back: compatibility-normalised (Arabic comes back as
 * its presentation forms), split at spaces and joiners (a right-to-left line comes back in visual
 * order, the parts around a non-joiner swapped).
 */
const pieces = (text: string): string[] =>
  text
    .normalize('NFKC')
    .split(/\s+|\u200C|\u200D|[\u202A-\u202E]/)
    .filter(Boolean);

describe('real text in many scripts: what the input check accepts prints, the rest is refused', () => {
  const template = templates().load('contrat-sejour');

  it.each(PRINTED)('%s: accepted, printed in the name and the free text, given back by pdftotext with no U+FFFD', async (_script, lastName, objective) => {
    const data = contractData(lastName, objective);
    expect(validateTemplateInput(template, data)).toEqual([]);
    const text = pdftotext(writeTemp(await renderPdf(resolve(template, data as never, 'standard'), 'standard'), 'scripts')).normalize('NFKC');
    expect(text).not.toContain('\uFFFD');
    for (const piece of [...pieces(lastName), ...pieces(objective)]) expect({ piece, found: text.includes(piece) }).toEqual({ piece, found: true });
  });

  it.each(REFUSED)('%s: the faces draw it not, so the input check refuses the name and the free text (CHARACTER_NOT_PRINTABLE) instead of printing « � »', (_script, lastName, objective) => {
    const errors = validateTemplateInput(template, contractData(lastName, objective)).filter((e) => e.code === 'CHARACTER_NOT_PRINTABLE');
    expect(errors.map((e) => e.field).sort()).toEqual(
      expect.arrayContaining([...(lastName !== 'Martin' ? ['resident.lastName'] : []), 'document.objectives[0]']),
    );
  });
});

import { Document, LevelFormat, Packer, Paragraph, TextRun } from 'docx';
import { paragraphXml, runXml, type ParagraphXmlOptions } from './body-xml';

/** The body of document.xml as docx 9 writes it for these paragraphs (with its own object model). */
function docxBody(children: Paragraph[]): string {
  const doc = new Document({
    numbering: { config: [{ reference: 'cp-bullets', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•' }] }] },
    sections: [{ children }],
  });
  const compiler = (Packer as unknown as { compiler: { compile(file: Document): Map<string, string | Uint8Array> } }).compiler;
  const xml = compiler.compile(doc).get('word/document.xml') as string;
  return xml.slice(xml.indexOf('<w:body>') + '<w:body>'.length, xml.indexOf('<w:sectPr'));
}

const TEXTS: { text: string; strong?: boolean }[][] = [
  [],
  [{ text: '' }],
  [{ text: 'Vous êtes ' }, { text: "Seán O'Brien & <fils>", strong: true }, { text: ' « 72,50\u00a0€ »' }],
  [{ text: 'guillemets "droits", tabulation\tet retour\nà la ligne, caractères de contrôle \u0001\u0008\u001f ôtés' }],
];

const OPTIONS: ParagraphXmlOptions[] = [
  {},
  { keepNext: true },
  { style: 'Heading1' },
  { style: 'Heading4' },
  { style: 'Caption', keepNext: true },
  { style: 'ListParagraph', numId: 2 },
  { style: 'ListParagraph', keepNext: true, numId: 2 },
  { spacingAfter: 360 },
];

describe('body-xml writes the XML docx writes', () => {
  for (const o of OPTIONS)
    for (const [t, text] of TEXTS.entries())
      it(`${JSON.stringify(o)}, text ${t}`, () => {
        const ours = paragraphXml(o, text.map((r) => runXml(r.text, r.strong === true)).join(''));
        const theirs = docxBody([
          new Paragraph({
            style: o.style && !o.style.startsWith('Heading') && o.style !== 'ListParagraph' ? o.style : undefined,
            heading: o.style?.startsWith('Heading') ? (o.style as 'Heading1') : undefined,
            keepNext: o.keepNext,
            spacing: o.spacingAfter === undefined ? undefined : { after: o.spacingAfter },
            numbering: o.numId === undefined ? undefined : { reference: 'cp-bullets', level: 0, instance: 1 },
            children: text.map((r) => new TextRun({ text: r.text, bold: r.strong || undefined })),
          }),
        ]);
        expect(ours).toBe(theirs);
      });
});

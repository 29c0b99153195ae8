import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { PictogramLibrary } from '@carepact/templates';
import { A4, pdfStyleFor } from '../pdf/pdf-style';
import { contentVariantOf, type Block, type DocumentTree, type Inline, type Variant } from '../tree';
import { rewriteZip } from './zip-normalize';

/**
 * DOCX adapter (npm `docx` v9): real Heading 1…4 styles (Word's navigation pane shows the
 * outline), `w:lang` fr-FR in the default run properties, the title in the core properties,
 * table header rows marked to repeat on each page, alt text on every pictogram (SVG with its PNG
 * fallback). Like the PDF: its faces declared (Atkinson Hyperlegible Next, DejaVu Sans for what
 * it lacks, a sans-serif fallback where neither is installed), its margins per variant, a header
 * naming the person and the document, a footer "Page n sur N" with the version. Reproducible: dates come from `meta.issuedAt` and the package is re-zipped with a
 * fixed timestamp, so the same tree gives the same bytes.
 */
export interface DocxRenderOptions {
  pictograms?: Pick<PictogramLibrary, 'get'>;
}

let defaultLibrary: PictogramLibrary | null = null;
function library(options: DocxRenderOptions): Pick<PictogramLibrary, 'get'> {
  if (options.pictograms) return options.pictograms;
  defaultLibrary ??= new PictogramLibrary();
  return defaultLibrary;
}

/** Sizes in half-points. FALC body ≥ 14 pt and large print 18 pt (ACCESSIBILITY.md). */
const PROFILES: Record<Variant, { body: number; h: [number, number, number, number]; picto: number }> = {
  standard: { body: 24, h: [36, 30, 26, 24], picto: 56 },
  falc: { body: 28, h: [40, 34, 30, 28], picto: 72 },
  'large-print': { body: 36, h: [48, 42, 38, 36], picto: 96 },
};
/**
 * The PDF's faces (pdf-fonts.ts). They are declared, not embedded: embedding adds some 200 KB of
 * obfuscated TTF to each file. Where a face is missing, fontTable.xml says what to use instead
 * (see FONT_TABLE).
 */
const FONT = 'Atkinson Hyperlegible Next';
const FALLBACK_FONT = 'DejaVu Sans';
const RUN_FONTS = { ascii: FONT, hAnsi: FONT, cs: FALLBACK_FONT, eastAsia: FALLBACK_FONT };
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4];
/**
 * 1.5 line spacing: 240 is single spacing with lineRule "auto" (a multiple of the font's line).
 * The rule is written out: LibreOffice reads a bare w:line as a fixed height in twips (18 pt),
 * which drew 18 pt large print on 18 pt lines and cut the pictograms.
 */
const LINE_1_5 = { line: 360, lineRule: LineRuleType.AUTO };
/** PDF points → twips. */
const twips = (pt: number): number => Math.round(pt * 20);

function runs(text: Inline, extra: { bold?: boolean } = {}): TextRun[] {
  return text.map((r) => new TextRun({ text: r.text, bold: r.strong || extra.bold || undefined }));
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '4A4A4A' };
const CELL_BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER };

export async function renderDocx(tree: DocumentTree, variant: Variant, options: DocxRenderOptions = {}): Promise<Buffer> {
  if (contentVariantOf(variant) !== tree.contentVariant)
    throw new Error(`variante ${variant} demandée pour un arbre ${tree.contentVariant}`);
  const profile = PROFILES[variant];
  const pictos = library(options);
  const children: (Paragraph | Table)[] = [];
  let listInstance = 0;
  let drawingId = 0;

  // The last clause before the signatures is kept with them (keepNext chains it to the heading
  // and the first signer), as in the PDF: a signature block is never alone on a page.
  let lastClause = false;
  const add = (b: Block): void => {
    switch (b.kind) {
      case 'heading':
        children.push(new Paragraph({ heading: HEADINGS[b.level - 1], children: runs(b.text) }));
        return;
      case 'paragraph':
        children.push(new Paragraph({ keepNext: lastClause || undefined, children: runs(b.text) }));
        return;
      case 'list': {
        const instance = ++listInstance;
        b.items.forEach((item, k) =>
          children.push(
            new Paragraph({
              keepNext: (lastClause && k === b.items.length - 1) || undefined,
              children: runs(item),
              numbering: { reference: b.ordered ? 'cp-numbers' : 'cp-bullets', level: 0, instance },
            }),
          ),
        );
        return;
      }
      case 'table': {
        // DOCX has no table caption element Word reads reliably: a Caption paragraph kept with the table.
        children.push(new Paragraph({ style: 'Caption', keepNext: true, children: [new TextRun({ text: b.caption })] }));
        const header = new TableRow({
          tableHeader: true,
          cantSplit: true,
          children: b.header.map(
            (h) => new TableCell({ borders: CELL_BORDERS, shading: { type: ShadingType.CLEAR, fill: 'E8EEF5', color: 'auto' }, children: [new Paragraph({ keepNext: true, children: [new TextRun({ text: h, bold: true })] })] }),
          ),
        });
        const rows = b.rows.map(
          (row) =>
            new TableRow({
              cantSplit: true,
              children: row.map((cell, i) => new TableCell({ borders: CELL_BORDERS, children: [new Paragraph({ children: runs(cell, { bold: i === 0 && b.rowHeaders }) })] })),
            }),
        );
        children.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] }));
        children.push(new Paragraph({ children: [] }));
        return;
      }
      case 'figure': {
        const p = pictos.get(b.asset);
        const id = ++drawingId;
        children.push(
          new Paragraph({
            keepNext: true,
            children: [
              new ImageRun({
                type: 'svg',
                data: Buffer.from(p.svg, 'utf8'),
                fallback: { type: 'png', data: p.png },
                transformation: { width: profile.picto, height: profile.picto },
                // Fixed ids: docx otherwise numbers drawings with a process-wide counter.
                altText: { id: String(id), name: `Pictogramme ${id}`, title: b.alt, description: b.alt },
              }),
            ],
          }),
        );
        return;
      }
      case 'signatures': {
        children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: b.heading })] }));
        // The section's pictogram follows its heading (see the loop below).
        if (pendingFigure) add(pendingFigure);
        pendingFigure = null;
        for (const s of b.slots) {
          children.push(new Paragraph({ keepNext: true, children: [new TextRun({ text: s.name, bold: true })] }));
          children.push(new Paragraph({ keepNext: true, children: [new TextRun({ text: s.capacity })] }));
          const status = s.signedOn ? `Signé le ${s.signedOn}${s.method ? `, ${s.method}` : ''}.` : 'Date : ……………………    Signature : ……………………………………';
          children.push(new Paragraph({ spacing: { after: 360 }, children: [new TextRun({ text: status })] }));
        }
        return;
      }
    }
  };
  let pendingFigure: Block | null = null;
  tree.blocks.forEach((b, i) => {
    const next = tree.blocks[i + 1];
    lastClause = next?.kind === 'signatures' || (next?.kind === 'figure' && tree.blocks[i + 2]?.kind === 'signatures');
    // A pictogram just before the signatures belongs to that section: it is written after its heading.
    if (b.kind === 'figure' && tree.blocks[i + 1]?.kind === 'signatures') pendingFigure = b;
    else add(b);
  });

  const heading = (i: number) => ({
    run: { font: RUN_FONTS, size: profile.h[i], bold: true, italics: false, color: '1A1A1A' },
    paragraph: { spacing: { before: i === 0 ? 0 : 360, after: 160, ...LINE_1_5 }, keepNext: true, keepLines: true },
  });
  // Margins, header and footer as in the PDF of the same variant (large print: 3 cm and 2.5 cm).
  const pdf = pdfStyleFor(variant);
  const running = { size: pdf.runningSize * 2, color: '1A1A1A' };
  const runningLine = pdf.runningSize * 1.3;
  const meta = tree.meta;
  const who = meta.personName || meta.establishmentName;
  const header = new Header({
    children: [
      new Paragraph({
        spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO },
        border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: '545454', space: 2 } },
        children: [new TextRun({ ...running, text: who ? `${who} — ${tree.title}` : tree.title })],
      }),
    ],
  });
  const footer = new Footer({
    children: [
      new Paragraph({
        spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO },
        children: [new TextRun({ ...running, children: ['Page ', PageNumber.CURRENT, ' sur ', PageNumber.TOTAL_PAGES] })],
      }),
      new Paragraph({
        spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO },
        children: [new TextRun({ ...running, text: meta.versionId ? `Version ${meta.versionId}` : 'Aperçu, non versionné' })],
      }),
    ],
  });
  const doc = new Document({
    title: tree.title,
    subject: `${tree.meta.templateId} ${tree.meta.templateVersion}`,
    creator: tree.meta.establishmentName || 'CarePact',
    lastModifiedBy: 'CarePact',
    description: `Modèle ${tree.meta.templateId} ${tree.meta.templateVersion} (${tree.meta.templateHash}), données ${tree.meta.inputHash}, variante ${variant}.`,
    revision: 1,
    styles: {
      default: {
        document: {
          run: { font: RUN_FONTS, size: profile.body, language: { value: 'fr-FR', eastAsia: 'fr-FR', bidirectional: 'ar-SA' } },
          paragraph: { spacing: { ...LINE_1_5, after: 160 }, alignment: AlignmentType.LEFT },
        },
        heading1: heading(0),
        heading2: heading(1),
        heading3: heading(2),
        heading4: heading(3),
        caption: { run: { font: RUN_FONTS, size: profile.body, bold: true, italics: false, color: '1A1A1A' }, paragraph: { spacing: { after: 120, ...LINE_1_5 } } },
        listParagraph: { run: { font: RUN_FONTS, size: profile.body } },
      },
    },
    numbering: {
      config: [
        { reference: 'cp-bullets', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 720, hanging: 360 } } } }] },
        { reference: 'cp-numbers', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 720, hanging: 360 } } } }] },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: twips(A4[0]), height: twips(A4[1]) },
            margin: {
              top: twips(pdf.margins.top),
              bottom: twips(pdf.margins.bottom),
              left: twips(pdf.margins.left),
              right: twips(pdf.margins.right),
              // Where the PDF draws its running header and footer: two running lines inside the margin.
              header: twips(pdf.margins.top - 2 * runningLine),
              footer: twips(pdf.margins.bottom - 3 * runningLine),
            },
          },
        },
        headers: { default: header },
        footers: { default: footer },
        children,
      },
    ],
  });
  const packed = await Packer.toBuffer(doc);
  return normalizeDocx(packed, tree.meta.issuedAt);
}

/**
 * The fonts the runs name, each with its fallback: the `docx` package writes an empty font table,
 * and a word processor that lacks a face then picks any. Family "swiss" and variable pitch ask for
 * a proportional sans-serif; altName names the one to use first (Arial, or its metric twin
 * Liberation Sans on Linux).
 */
const FONT_TABLE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
  [FONT, FALLBACK_FONT, 'Arial']
    .map((name) => `<w:font w:name="${name}">${name === 'Arial' ? '' : '<w:altName w:val="Arial"/>'}<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>`)
    .join('') +
  '</w:fonts>';

/**
 * Fixes the core-properties dates and the zip timestamps to `issuedAt` (reproducible bytes) and
 * writes the font table (FONT_TABLE); the other parts keep the bytes `docx` compressed them to.
 */
export function normalizeDocx(docx: Buffer, issuedAt: string): Buffer {
  const stamp = new Date(issuedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return rewriteZip(docx, issuedAt, (name, data) => {
    if (name === 'word/fontTable.xml') return Buffer.from(FONT_TABLE, 'utf8');
    if (name !== 'docProps/core.xml') return null;
    return Buffer.from(data().toString('utf8').replace(/(<dcterms:(created|modified)[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${stamp}$3`), 'utf8');
  });
}

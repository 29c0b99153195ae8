import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
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
import { randomBytes } from 'node:crypto';
import { PictogramLibrary } from '@carepact/templates';
import { A4, pdfStyleFor } from '../pdf/pdf-style';
import { contentVariantOf, type Block, type DocumentTree, type Inline, type Variant } from '../tree';
import { paragraphXml, runXml } from './body-xml';
import { type ZipPart, zipParts } from './zip-normalize';

/**
 * TEST ONLY: the DOCX renderer as it was before the package was written as strings
 * (docx-renderer.ts), kept so that docx-renderer.spec.ts can check that every part of every
 * package is still byte for byte what docx's object model writes. Not exported from the lib.
 *
 * DOCX adapter (npm `docx` v9): real Heading 1…4 styles (Word's navigation pane shows the
 * outline), `w:lang` fr-FR in the default run properties, the title in the core properties,
 * table header rows marked to repeat on each page, alt text on every pictogram (SVG with its PNG
 * fallback). Like the PDF: its faces declared (Atkinson Hyperlegible Next, DejaVu Sans for what
 * it lacks, a sans-serif fallback where neither is installed), its margins per variant, a header
 * naming the person and the document, a footer "Page n sur N" with the version. Reproducible:
 * dates come from `meta.issuedAt` and the package is zipped with a fixed timestamp, so the same
 * tree gives the same bytes. Text paragraphs are written as XML strings (body-xml.ts) and the
 * package is zipped here (packDocx); docx builds the rest (styles, numbering, tables, pictograms,
 * header and footer).
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

/** Each pictogram's SVG as bytes, once per process: the same object each time lets zipParts reuse its compressed form. */
const svgCache = new WeakMap<object, Buffer>();
function svgBytes(p: { svg: string }): Buffer {
  let b = svgCache.get(p);
  if (!b) svgCache.set(p, (b = Buffer.from(p.svg, 'utf8')));
  return b;
}

/**
 * A pictogram's paragraph, built once per process for each pictogram, size, drawing id and alt
 * text: docx hashes the image bytes (SHA-1 in JavaScript) for every ImageRun it constructs, and
 * an easy-to-read document holds dozens. docx only reads these objects when it writes a package.
 */
const figureCache = new Map<string, Paragraph>();
function figureParagraph(pictos: Pick<PictogramLibrary, 'get'>, asset: string, alt: string, size: number, id: number): Paragraph {
  const key = `${asset}\n${size}\n${id}\n${alt}`;
  const cached = pictos === defaultLibrary ? figureCache.get(key) : undefined;
  if (cached) return cached;
  const p = pictos.get(asset);
  const paragraph = new Paragraph({
    keepNext: true,
    children: [
      new ImageRun({
        type: 'svg',
        data: svgBytes(p),
        fallback: { type: 'png', data: p.png },
        transformation: { width: size, height: size },
        // Fixed ids: docx otherwise numbers drawings with a process-wide counter.
        altText: { id: String(id), name: `Pictogramme ${id}`, title: alt, description: alt },
      }),
    ],
  });
  if (pictos === defaultLibrary) {
    if (figureCache.size >= 2000) figureCache.clear();
    figureCache.set(key, paragraph);
  }
  return paragraph;
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

export async function renderDocxReference(tree: DocumentTree, variant: Variant, options: DocxRenderOptions = {}): Promise<Buffer> {
  if (contentVariantOf(variant) !== tree.contentVariant)
    throw new Error(`variante ${variant} demandée pour un arbre ${tree.contentVariant}`);
  const profile = PROFILES[variant];
  const pictos = library(options);
  // The body in document order: text paragraphs as XML strings (body-xml.ts), tables and
  // pictograms as docx objects. Each run of strings becomes one placeholder paragraph for docx,
  // replaced by the strings once docx has compiled the package (see packDocx).
  const body: (string | Paragraph | Table)[] = [];
  const lists: string[] = [];
  let drawingId = 0;

  const text = (inline: Inline, bold = false): string => inline.map((r) => runXml(r.text, r.strong || bold)).join('');
  // The last clause before the signatures is kept with them (keepNext chains it to the heading
  // and the first signer), as in the PDF: a signature block is never alone on a page.
  let lastClause = false;
  const add = (b: Block): void => {
    switch (b.kind) {
      case 'heading':
        body.push(paragraphXml({ style: `Heading${b.level}` }, text(b.text)));
        return;
      case 'paragraph':
        body.push(paragraphXml({ keepNext: lastClause }, text(b.text)));
        return;
      case 'list': {
        lists.push(b.ordered ? 'cp-numbers' : 'cp-bullets');
        const listInstance = lists.length;
        b.items.forEach((item, k) => body.push(paragraphXml({ style: 'ListParagraph', keepNext: lastClause && k === b.items.length - 1, numId: listMarker(listInstance) }, text(item))));
        return;
      }
      case 'table': {
        // DOCX has no table caption element Word reads reliably: a Caption paragraph kept with the table.
        body.push(paragraphXml({ style: 'Caption', keepNext: true }, runXml(b.caption, false)));
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
        body.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] }));
        body.push(paragraphXml({}, ''));
        return;
      }
      case 'figure': {
        const id = ++drawingId;
        body.push(figureParagraph(pictos, b.asset, b.alt, profile.picto, id));
        return;
      }
      case 'signatures': {
        body.push(paragraphXml({ style: 'Heading2' }, runXml(b.heading, false)));
        // The section's pictogram follows its heading (see the loop below).
        if (pendingFigure) add(pendingFigure);
        pendingFigure = null;
        for (const s of b.slots) {
          body.push(paragraphXml({ keepNext: true }, runXml(s.name, true)));
          body.push(paragraphXml({ keepNext: true }, runXml(s.capacity, false)));
          const status = s.signedOn ? `Signé le ${s.signedOn}${s.method ? `, ${s.method}` : ''}.` : 'Date : ……………………    Signature : ……………………………………';
          body.push(paragraphXml({ spacingAfter: 360 }, runXml(status, false)));
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

  // Runs of XML strings → one placeholder paragraph each (its text is replaced after compiling).
  const children: (Paragraph | Table)[] = [];
  const placed: string[] = [];
  for (let i = 0; i < body.length; ) {
    const item = body[i];
    if (typeof item !== 'string') {
      children.push(item);
      i++;
      continue;
    }
    let xml = '';
    for (; i < body.length && typeof body[i] === 'string'; i++) xml += body[i] as string;
    children.push(new Paragraph({ children: [new TextRun({ text: placeholder(placed.length) })] }));
    placed.push(xml);
  }

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
  return packDocx(doc, tree.meta.issuedAt, placed, lists);
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

/** A placeholder paragraph's text: a per-process nonce, so that no document text can look like one. */
const NONCE = randomBytes(8).toString('hex');
const placeholder = (k: number): string => `cp-body-${NONCE}-${k}`;
const PLACEHOLDER = new RegExp(`<w:p><w:r><w:t xml:space="preserve">cp-body-${NONCE}-(\\d+)</w:t></w:r></w:p>`, 'g');
const LIST_MARKER = /\u0001(\d+)\u0001/g;
/** The marker of a list instance's numbering id in a paragraph, replaced once docx has numbered the lists (control characters, which escaped text never holds). */
const listMarker = (instance: number): string => `\u0001${instance}\u0001`;

/** document.xml with each placeholder paragraph replaced by its XML, the list markers by their numbering ids. */
function fillPlaceholders(xml: string, placed: string[], listIds: (number | undefined)[]): string {
  let filled = 0;
  const out = xml.replace(PLACEHOLDER, (_m, k: string) => {
    filled++;
    return placed[Number(k)].replace(LIST_MARKER, (_l, n: string) => {
      const id = listIds[Number(n) - 1];
      if (id === undefined) throw new Error(`DOCX : numérotation de la liste ${n} introuvable`);
      return String(id);
    });
  });
  if (filled !== placed.length) throw new Error(`DOCX : ${filled} paragraphes remplacés sur ${placed.length}`);
  return out;
}

/** docx's own compiler (the one `Packer` uses): the package's parts, in the order Packer zips them. */
const compiler = (Packer as unknown as { compiler: { compile(file: Document): Map<string, string | Uint8Array> } }).compiler;
/** The parts that change with each document; every other part (styles, numbering, theme, pictograms…) is the same across documents of a variant. */
const PER_DOCUMENT = /^(word\/(document|header\d+|footer\d+)\.xml|docProps\/core\.xml)$/;

/**
 * Zips the parts docx compiles, as `Packer.toBuffer` would, with three differences: node:zlib
 * instead of docx's JavaScript deflate, the parts shared across documents compressed once per
 * process (see zipParts), and reproducible bytes — the core-properties dates and every zip
 * timestamp are `issuedAt`, and the font table is FONT_TABLE.
 */
function packDocx(doc: Document, issuedAt: string, placed: string[], lists: string[]): Buffer {
  const stamp = new Date(issuedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  // The lists' concrete numbering instances, created in document order as docx would while
  // compiling their paragraphs; their ids go where the paragraphs carry a marker.
  lists.forEach((reference, k) => doc.Numbering.createConcreteNumberingInstance(reference, k + 1));
  const numIds = new Map(doc.Numbering.ConcreteNumbering.map((c) => [`${c.reference}/${String(c.instance)}`, c.numId]));
  const listIds = lists.map((reference, k) => numIds.get(`${reference}/${k + 1}`));
  const parts: ZipPart[] = [];
  for (const [name, data] of compiler.compile(doc)) {
    if (name === 'word/fontTable.xml') parts.push({ name, data: FONT_TABLE, shared: true });
    else if (name === 'word/document.xml' && typeof data === 'string') parts.push({ name, data: fillPlaceholders(data, placed, listIds) });
    else if (name === 'docProps/core.xml' && typeof data === 'string')
      parts.push({ name, data: data.replace(/(<dcterms:(created|modified)[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${stamp}$3`) });
    else parts.push({ name, data, shared: !PER_DOCUMENT.test(name) });
  }
  return zipParts(parts, issuedAt);
}

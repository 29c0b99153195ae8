import { AlignmentType, BorderStyle, Document, Footer, Header, LevelFormat, LineRuleType, Packer, PageNumber, Paragraph, TextRun } from 'docx';
import { createHash } from 'node:crypto';
import { PictogramLibrary } from '@carepact/templates';
import { A4, pdfStyleFor } from '../pdf/pdf-style';
import { contentVariantOf, type Block, type DocumentTree, type Inline, type Variant } from '../tree';
import { escapeXml, paragraphXml, pictogramXml, runXml, tableXml } from './body-xml';
import { compressPart, type RawEntry, writeRawZip } from './zip-normalize';

/**
 * DOCX adapter: real Heading 1…4 styles (Word's navigation pane shows the outline), `w:lang`
 * fr-FR in the default run properties, the title in the core properties, table header rows
 * marked to repeat on each page, alt text on every pictogram (SVG with its PNG fallback). Like
 * the PDF: its faces declared (Atkinson Hyperlegible Next, DejaVu Sans for what it lacks, a
 * sans-serif fallback where neither is installed), its margins per variant, a header naming the
 * person and the document, a footer "Page n sur N" with the version. Reproducible: dates come
 * from `meta.issuedAt` and the package is zipped with a fixed timestamp, so the same tree gives
 * the same bytes.
 *
 * The package is written as strings, the XML npm `docx` v9 writes for the same options: docx's
 * compiler built and walked an object model of the whole package for every rendition (most of
 * a DOCX rendition's time and allocations). docx compiles, once per process and variant, a
 * package without content (see variantPackage): its parts that are the same for every document
 * (styles, settings, theme, notes, content types…), compressed once, and the beginning and end
 * of the parts that change (document, header, footer, numbering, relationships). Each rendition
 * writes its body (body-xml.ts), numbering instances, image relationships and core properties
 * between them. docx-renderer.spec.ts checks every part, byte for byte, against the former
 * object-model renderer (docx-reference.ts) for every demo document and variant.
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
/**
 * 1.5 line spacing: 240 is single spacing with lineRule "auto" (a multiple of the font's line).
 * The rule is written out: LibreOffice reads a bare w:line as a fixed height in twips (18 pt),
 * which drew 18 pt large print on 18 pt lines and cut the pictograms.
 */
const LINE_1_5 = { line: 360, lineRule: LineRuleType.AUTO };
/** PDF points → twips. */
const twips = (pt: number): number => Math.round(pt * 20);

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

/** The list definitions. docx numbers abstract numberings from 1, its own default bullets, then these in this order. */
const LISTS = {
  'cp-bullets': { abstractNumId: 2, format: LevelFormat.BULLET, text: '•' },
  'cp-numbers': { abstractNumId: 3, format: LevelFormat.DECIMAL, text: '%1.' },
} as const;
/** numId 1 is docx's default bullet list: the document's lists are numbered from 2, in order. */
const FIRST_LIST_NUM_ID = 2;

/** What the skeleton package holds where each rendition writes its own text (see variantPackage). */
const MARK = 'cp-skeleton-text';
const IMAGE_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image';
const FONT_TABLE_REL = /<Relationship Id="rId(\d+)" Type="[^"]*\/fontTable" Target="fontTable\.xml"\/>/;
const CORE_HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"' +
  ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">';

/** A part written for each document: the text before and after what the document puts in it. */
interface Frame {
  head: string;
  tail: string;
}

/** Parts of a variant's packages, from docx once per process (see variantPackage). */
interface VariantPackage {
  /** Every part in the order docx zips them, before the media: a shared part compressed once, or the name of a per-document part. */
  order: (RawEntry | string)[];
  /** document.xml around the body (the tail is the section properties: page size, margins, header and footer references). */
  document: Frame;
  /** header1.xml and footer1.xml around their one line of text (the header's title, the footer's version). */
  header: Frame;
  footer: Frame;
  /** numbering.xml up to its end tag: the list definitions and docx's default list instance. */
  numberingHead: string;
  /** document.xml.rels: the relationships before the images, the first image's rId, and the rest after the font table's. */
  relsHead: string;
  firstImageRel: number;
  relsTail: string;
  /** The section's text width in twips (table grids). */
  textWidth: number;
}

/** docx's own compiler (the one `Packer` uses): the package's parts, in the order Packer zips them. */
const compiler = (Packer as unknown as { compiler: { compile(file: Document): Map<string, string | Uint8Array> } }).compiler;

/** Splits a skeleton part around the one place that holds MARK. */
function frame(xml: string, around: string): Frame {
  const at = xml.indexOf(around);
  if (at < 0 || xml.indexOf(around, at + 1) >= 0) throw new Error(`DOCX : repère du squelette introuvable ou répété (${around})`);
  return { head: xml.slice(0, at), tail: xml.slice(at + around.length) };
}

const variantPackages = new Map<Variant, VariantPackage>();

/**
 * Compiles with docx, once per process and variant, a package with the styles, numbering,
 * section, header and footer of that variant and MARK where each document writes its text, and
 * keeps its parts: those no document changes compressed once, the others cut around MARK.
 */
function variantPackage(variant: Variant): VariantPackage {
  const cached = variantPackages.get(variant);
  if (cached) return cached;
  const profile = PROFILES[variant];
  const heading = (i: number) => ({
    run: { font: RUN_FONTS, size: profile.h[i], bold: true, italics: false, color: '1A1A1A' },
    paragraph: { spacing: { before: i === 0 ? 0 : 360, after: 160, ...LINE_1_5 }, keepNext: true, keepLines: true },
  });
  // Margins, header and footer as in the PDF of the same variant (large print: 3 cm and 2.5 cm).
  const pdf = pdfStyleFor(variant);
  const running = { size: pdf.runningSize * 2, color: '1A1A1A' };
  const runningLine = pdf.runningSize * 1.3;
  const runningSpacing = { after: 0, line: 240, lineRule: LineRuleType.AUTO };
  const header = new Header({
    children: [
      new Paragraph({
        spacing: runningSpacing,
        border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: '545454', space: 2 } },
        children: [new TextRun({ ...running, text: MARK })],
      }),
    ],
  });
  const footer = new Footer({
    children: [
      new Paragraph({ spacing: runningSpacing, children: [new TextRun({ ...running, children: ['Page ', PageNumber.CURRENT, ' sur ', PageNumber.TOTAL_PAGES] })] }),
      new Paragraph({ spacing: runningSpacing, children: [new TextRun({ ...running, text: MARK })] }),
    ],
  });
  const page = {
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
  };
  const doc = new Document({
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
      config: Object.entries(LISTS).map(([reference, l]) => ({
        reference,
        levels: [{ level: 0, format: l.format, text: l.text, alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 720, hanging: 360 } } } }],
      })),
    },
    sections: [{ properties: { page }, headers: { default: header }, footers: { default: footer }, children: [new Paragraph({ children: [new TextRun(MARK)] })] }],
  });
  const parts = compiler.compile(doc);
  const text = (name: string): string => {
    const data = parts.get(name);
    if (typeof data !== 'string') throw new Error(`DOCX : partie ${name} absente du squelette`);
    return data;
  };
  const rels = text('word/_rels/document.xml.rels');
  const fontTableRel = FONT_TABLE_REL.exec(rels);
  if (!fontTableRel) throw new Error('DOCX : relation de la table des polices absente du squelette');
  const numbering = text('word/numbering.xml');
  const markRun = `<w:t xml:space="preserve">${MARK}</w:t>`;
  const PER_DOCUMENT = new Set(['word/_rels/document.xml.rels', 'word/document.xml', 'docProps/core.xml', 'word/header1.xml', 'word/footer1.xml', 'word/numbering.xml']);
  const built: VariantPackage = {
    order: [...parts].map(([name, data]) => {
      if (PER_DOCUMENT.has(name)) return name;
      if (name.startsWith('word/media/')) throw new Error(`DOCX : image inattendue dans le squelette (${name})`);
      return compressPart({ name, data: name === 'word/fontTable.xml' ? FONT_TABLE : data, shared: true });
    }),
    document: frame(text('word/document.xml'), `<w:p><w:r>${markRun}</w:r></w:p>`),
    header: frame(text('word/header1.xml'), MARK),
    footer: frame(text('word/footer1.xml'), MARK),
    numberingHead: numbering.slice(0, numbering.lastIndexOf('</w:numbering>')),
    relsHead: rels.slice(0, fontTableRel.index),
    firstImageRel: Number(fontTableRel[1]),
    relsTail: rels.slice(fontTableRel.index + fontTableRel[0].length),
    textWidth: page.size.width - page.margin.left - page.margin.right,
  };
  if (!numbering.endsWith('</w:numbering>') || !built.relsTail.startsWith('</Relationships>')) throw new Error('DOCX : squelette inattendu');
  variantPackages.set(variant, built);
  return built;
}

/** Each pictogram's SVG as bytes, once per process: the same object each time lets compressPart reuse its compressed form. */
const svgCache = new WeakMap<object, Buffer>();
function svgBytes(p: { svg: string }): Buffer {
  let b = svgCache.get(p);
  if (!b) svgCache.set(p, (b = Buffer.from(p.svg, 'utf8')));
  return b;
}
/** A PNG's identity by content, once per process: an image used twice is stored once, as docx stores it. */
const pngKeys = new WeakMap<Uint8Array, string>();
function pngKey(png: Uint8Array): string {
  let k = pngKeys.get(png);
  if (!k) pngKeys.set(png, (k = createHash('sha1').update(png).digest('hex')));
  return k;
}

/**
 * The package's images in the order the document first uses them, each with its relationship
 * id and its file name (image1.svg, image1.png, image2.svg… numbered per type), as docx names
 * them.
 */
class Media {
  readonly entries: { name: string; data: Uint8Array }[] = [];
  private readonly rels = new Map<string, string>();
  private readonly counts = { svg: 0, png: 0 };
  constructor(private readonly firstRel: number) {}

  /** The relationship id of an image, added at first use. */
  rel(key: string, type: 'svg' | 'png', data: Uint8Array): string {
    let rel = this.rels.get(key);
    if (rel === undefined) {
      rel = `rId${this.firstRel + this.entries.length}`;
      this.rels.set(key, rel);
      this.entries.push({ name: `image${++this.counts[type]}.${type}`, data });
    }
    return rel;
  }
}

export async function renderDocx(tree: DocumentTree, variant: Variant, options: DocxRenderOptions = {}): Promise<Buffer> {
  if (contentVariantOf(variant) !== tree.contentVariant)
    throw new Error(`variante ${variant} demandée pour un arbre ${tree.contentVariant}`);
  const profile = PROFILES[variant];
  const pictos = library(options);
  const pkg = variantPackage(variant);
  const media = new Media(pkg.firstImageRel);
  const lists: (keyof typeof LISTS)[] = [];
  let body = '';
  let drawingId = 0;

  const text = (inline: Inline, bold = false): string => {
    let xml = '';
    for (const r of inline) xml += runXml(r.text, r.strong || bold);
    return xml;
  };
  // The last clause before the signatures is kept with them (keepNext chains it to the heading
  // and the first signer), as in the PDF: a signature block is never alone on a page.
  let lastClause = false;
  const add = (b: Block): void => {
    switch (b.kind) {
      case 'heading':
        body += paragraphXml({ style: `Heading${b.level}` }, text(b.text));
        return;
      case 'paragraph':
        body += paragraphXml({ keepNext: lastClause }, text(b.text));
        return;
      case 'list': {
        lists.push(b.ordered ? 'cp-numbers' : 'cp-bullets');
        const numId = FIRST_LIST_NUM_ID + lists.length - 1;
        b.items.forEach((item, k) => (body += paragraphXml({ style: 'ListParagraph', keepNext: lastClause && k === b.items.length - 1, numId }, text(item))));
        return;
      }
      case 'table':
        // DOCX has no table caption element Word reads reliably: a Caption paragraph kept with the table.
        body += paragraphXml({ style: 'Caption', keepNext: true }, runXml(b.caption, false));
        body += tableXml({ header: b.header, rowHeaders: b.rowHeaders, rows: b.rows, textWidth: pkg.textWidth });
        body += paragraphXml({}, '');
        return;
      case 'figure': {
        const p = pictos.get(b.asset);
        // The SVG's relationship first: docx adds an SVG image, then its fallback.
        const svgRel = media.rel(`svg:${p.svg}`, 'svg', svgBytes(p));
        const pngRel = media.rel(`png:${pngKey(p.png)}`, 'png', p.png);
        body += pictogramXml({ id: ++drawingId, alt: b.alt, size: profile.picto, pngRel, svgRel });
        return;
      }
      case 'signatures': {
        body += paragraphXml({ style: 'Heading2' }, runXml(b.heading, false));
        // The section's pictogram follows its heading (see the loop below).
        if (pendingFigure) add(pendingFigure);
        pendingFigure = null;
        for (const s of b.slots) {
          body += paragraphXml({ keepNext: true }, runXml(s.name, true));
          body += paragraphXml({ keepNext: true }, runXml(s.capacity, false));
          const status = s.signedOn ? `Signé le ${s.signedOn}${s.method ? `, ${s.method}` : ''}.` : 'Date : ……………………    Signature : ……………………………………';
          body += paragraphXml({ spacingAfter: 360 }, runXml(status, false));
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

  const meta = tree.meta;
  const who = meta.personName || meta.establishmentName;
  const stamp = new Date(meta.issuedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let numbering = pkg.numberingHead;
  lists.forEach((reference, k) => {
    numbering += `<w:num w:numId="${FIRST_LIST_NUM_ID + k}"><w:abstractNumId w:val="${LISTS[reference].abstractNumId}"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>`;
  });
  let rels = pkg.relsHead;
  media.entries.forEach((m, i) => (rels += `<Relationship Id="rId${pkg.firstImageRel + i}" Type="${IMAGE_TYPE}" Target="media/${m.name}"/>`));
  const perDocument: Record<string, string> = {
    'word/_rels/document.xml.rels': `${rels}<Relationship Id="rId${pkg.firstImageRel + media.entries.length}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>${pkg.relsTail}`,
    'word/document.xml': pkg.document.head + body + pkg.document.tail,
    'docProps/core.xml': coreXml(tree, variant, stamp),
    'word/header1.xml': pkg.header.head + escapeXml(who ? `${who} — ${tree.title}` : tree.title) + pkg.header.tail,
    'word/footer1.xml': pkg.footer.head + escapeXml(meta.versionId ? `Version ${meta.versionId}` : 'Aperçu, non versionné') + pkg.footer.tail,
    'word/numbering.xml': `${numbering}</w:numbering>`,
  };
  const entries = pkg.order.map((part) =>
    // Numbering and relationships differ only with the lists and pictograms: few distinct ones, compressed once each.
    typeof part === 'string' ? compressPart({ name: part, data: perDocument[part], shared: part === 'word/numbering.xml' || part === 'word/_rels/document.xml.rels' }) : part,
  );
  for (const m of media.entries) entries.push(compressPart({ name: `word/media/${m.name}`, data: m.data, shared: true }));
  return writeRawZip(entries, meta.issuedAt);
}

/** The core properties (title, template, data hash, variant), dated `issuedAt`: never the clock. */
function coreXml(tree: DocumentTree, variant: Variant, stamp: string): string {
  const m = tree.meta;
  const element = (name: string, value: string): string => (value ? `<${name}>${escapeXml(value)}</${name}>` : '');
  const date = (name: string): string => `<${name} xsi:type="dcterms:W3CDTF">${stamp}</${name}>`;
  return (
    CORE_HEAD +
    element('dc:title', tree.title) +
    element('dc:subject', `${m.templateId} ${m.templateVersion}`) +
    element('dc:creator', m.establishmentName || 'CarePact') +
    element('dc:description', `Modèle ${m.templateId} ${m.templateVersion} (${m.templateHash}), données ${m.inputHash}, variante ${variant}.`) +
    element('cp:lastModifiedBy', 'CarePact') +
    element('cp:revision', '1') +
    `${date('dcterms:created')}${date('dcterms:modified')}</cp:coreProperties>`
  );
}

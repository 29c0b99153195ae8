/**
 * The scan of a paper signature, made ready for the establishment's seal (issue 11 §6), with pdf-lib
 * — the library chosen for PDFs that come from outside (the generated ones are PDFKit's):
 *
 * - only the pages are kept: they are copied into a new document, so that nothing of the scan's
 *   catalog (outlines, names, forms, metadata) comes along; their annotations are dropped too (a
 *   paper has none);
 * - every page gets a margin strip added below its visible area (the page grows: the stamp is never
 *   drawn over the scanned content), with two lines of small text naming the document, the person,
 *   the version, the upload date and the page; the strip follows /Rotate so it is at the bottom as
 *   the page is shown;
 * - one last page prints the evidence (who uploaded, when, the SHA-256 of the original scan, the
 *   version signed, who signed on paper), stamped like the others;
 * - an invisible signature field is prepared exactly as PDFKit prepares it for the generated PDFs
 *   (libs/rendering signature-field.ts): the signature dictionary's /ByteRange and /Contents
 *   placeholders first, one cross-reference table, so that signPdf (libs/signing/src/seal) seals
 *   this file as it seals the others.
 *
 * The scan is an image: the sealed copy cannot be PDF/UA. The accessible renditions of the version
 * signed stay listed (with their SHA-256) in the evidence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type * as FontkitModule from 'fontkit';
import type * as PdfLib from 'pdf-lib';
import { projectRoot } from '@carepact/common';
/** pdf-lib's own declaration of the font engine it takes (not re-exported from its index). */
type Fontkit = Parameters<PdfLib.PDFDocument['registerFontkit']>[0];
type PDFDocument = PdfLib.PDFDocument;
type PDFFont = PdfLib.PDFFont;
type PDFPage = PdfLib.PDFPage;
import { BYTE_RANGE_PLACEHOLDER, DEFAULT_SIGNATURE_CONTENTS_BYTES } from '@carepact/rendering';
import { loadInspectedScan, pdfLib } from './scan-inspection';

export interface ScanSealPreparation {
  /** The two lines printed in the bottom margin of page `page` (1-based) of `pages`. */
  stampLines(page: number, pages: number): [string, string];
  /** The evidence page: a title and its lines (wrapped to the page width). */
  evidence: { title: string; lines: string[] };
  /** Document title (metadata, shown by readers instead of the file name). */
  title: string;
  signingTime: Date;
  signature: { fieldName: string; tooltip: string; signerName: string; reason: string; location: string; contentsBytes?: number };
}

/** Height of the strip added below each page, in points: two lines of 6.5 pt text and their spacing. */
export const STAMP_STRIP = 24;
const STAMP_SIZE = 6.5;
const MIN_STAMP_SIZE = 4;

let fontkitModule: typeof FontkitModule | undefined;
/** fontkit, loaded at the first paper scan rather than with the signing library (some 5 MB of resident memory in the api and the worker). */
function fontkit(): typeof FontkitModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (fontkitModule ??= require('fontkit') as typeof FontkitModule);
}

/**
 * pdf-lib's font embedding expects @pdf-lib/fontkit (fontkit 1): the project's fontkit 2 differs
 * only in how a subset is written (`encode()` instead of a stream), adapted here.
 */
const fontkitForPdfLib: Fontkit = {
  create(data: Uint8Array) {
    const font = fontkit().create(Buffer.from(data)) as FontkitModule.FontkitFont & { createSubset(): { encode(): Uint8Array; encodeStream?: () => Readable } };
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => {
      const subset = createSubset();
      subset.encodeStream = () => Readable.from([subset.encode()]);
      return subset;
    };
    // fontkit 2 has every member pdf-lib reads; its declarations here (fontkit.d.ts) list only the renderer's.
    return font as unknown as ReturnType<Fontkit['create']>;
  },
};

function fontBytes(text: string, fontsDir: string): Buffer {
  // Atkinson Hyperlegible Next (the documents' face) when it has every character; DejaVu Sans otherwise.
  const atkinson = readFileSync(join(fontsDir, 'AtkinsonHyperlegibleNext-Regular.ttf'));
  const font = fontkit().create(atkinson);
  const all = [...new Set(text)].filter((c) => c.trim() !== '');
  return all.every((c) => font.hasGlyphForCodePoint(c.codePointAt(0)!)) ? atkinson : readFileSync(join(fontsDir, 'DejaVuSans.ttf'));
}

/** Text in a PDF text string: UTF-16BE with its byte order mark, as a hex string. */
const pdfText = (s: string): string => `<FEFF${Buffer.from(s, 'utf16le').swap16().toString('hex').toUpperCase()}>`;

/** D:YYYYMMDDHHmmSSZ (ISO 32000-1 7.9.4), in UTC. */
const pdfDate = (d: Date): string => `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

function fitSize(font: PDFFont, text: string, width: number): number {
  const natural = font.widthOfTextAtSize(text, STAMP_SIZE);
  return natural <= width ? STAMP_SIZE : Math.max(MIN_STAMP_SIZE, (STAMP_SIZE * width) / natural);
}

/**
 * Grows the page by STAMP_STRIP on the side that is shown at the bottom and writes `lines` there,
 * reading left to right as the page is shown.
 */
function stampPage(page: PDFPage, font: PDFFont, lines: [string, string]): void {
  const { degrees, rgb } = pdfLib();
  const rotation = (((page.getRotation().angle % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  const media = page.getMediaBox();
  const crop = page.getCropBox();
  // The visible area: the crop box inside the media box.
  const x0 = Math.max(media.x, crop.x);
  const y0 = Math.max(media.y, crop.y);
  const x1 = Math.min(media.x + media.width, crop.x + crop.width);
  const y1 = Math.min(media.y + media.height, crop.y + crop.height);
  const S = STAMP_STRIP;
  const grown = { 0: [x0, y0 - S, x1, y1], 90: [x0, y0, x1 + S, y1], 180: [x0, y0, x1, y1 + S], 270: [x0 - S, y0, x1, y1] }[rotation];
  const [gx0, gy0, gx1, gy1] = grown;
  page.setMediaBox(gx0, gy0, gx1 - gx0, gy1 - gy0);
  page.setCropBox(gx0, gy0, gx1 - gx0, gy1 - gy0);
  // (u along the text, v up from the shown bottom edge) → page coordinates.
  const shownWidth = rotation % 180 === 0 ? x1 - x0 : y1 - y0;
  const at = (u: number, v: number): { x: number; y: number } =>
    ({
      0: { x: gx0 + u, y: gy0 + v },
      90: { x: gx1 - v, y: gy0 + u },
      180: { x: gx1 - u, y: gy1 - v },
      270: { x: gx0 + v, y: gy1 - u },
    })[rotation];
  const margin = 14;
  // A white strip, so that what the scanner left at the very edge never runs under the stamp.
  const corner = at(0, 0);
  page.drawRectangle({ ...corner, width: shownWidth, height: S, rotate: degrees(rotation), color: rgb(1, 1, 1) });
  lines.forEach((line, i) => {
    const size = fitSize(font, line, shownWidth - 2 * margin);
    page.drawText(line, { ...at(margin, S - 9 - i * 8.5), size, font, color: rgb(0.1, 0.1, 0.1), rotate: degrees(rotation) });
  });
}

function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
    else {
      out.push(line);
      line = word;
    }
  }
  if (line) out.push(line);
  // A word longer than the line (a hash): cut it.
  return out.flatMap((l) => {
    if (font.widthOfTextAtSize(l, size) <= width) return [l];
    const parts: string[] = [];
    let cur = '';
    for (const ch of l) {
      if (font.widthOfTextAtSize(cur + ch, size) > width) {
        parts.push(cur);
        cur = '';
      }
      cur += ch;
    }
    return [...parts, cur];
  });
}

function addEvidencePage(doc: PDFDocument, font: PDFFont, evidence: ScanSealPreparation['evidence']): void {
  const [W, H] = [595.28, 841.89]; // A4
  const left = 56;
  const width = W - 2 * left;
  let page = doc.addPage([W, H]);
  let y = H - 64;
  page.drawText(evidence.title, { x: left, y, size: 15, font });
  y -= 28;
  for (const text of evidence.lines) {
    for (const line of wrap(font, text, 9.5, width)) {
      if (y < 56) {
        page = doc.addPage([W, H]);
        y = H - 64;
      }
      page.drawText(line, { x: left, y, size: 9.5, font });
      y -= 13;
    }
    y -= 4;
  }
}

/** The stamped copy of the scan with its signature field prepared, ready for signPdf. */
export async function prepareScanForSeal(scan: Buffer, prep: ScanSealPreparation, fontsDir = join(projectRoot(), 'templates', 'assets', 'fonts')): Promise<Buffer> {
  // The scan is checked again: the worker never trusts what it reads back.
  const { doc: source, facts } = await loadInspectedScan(scan);
  const { PDFDocument, PDFHexString, PDFInvalidObject, PDFName, PDFNumber } = pdfLib();
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkitForPdfLib);
  const pages = await doc.copyPages(source, source.getPageIndices());
  for (const p of pages) {
    p.node.delete(PDFName.of('Annots'));
    doc.addPage(p);
  }
  const total = facts.pageCount + 1;
  const allText = [...Array.from({ length: total }, (_, i) => prep.stampLines(i + 1, total).join(' ')), prep.evidence.title, ...prep.evidence.lines].join(' ');
  const font = await doc.embedFont(fontBytes(allText, fontsDir), { subset: true });
  addEvidencePage(doc, font, prep.evidence);
  doc.getPages().forEach((p, i) => stampPage(p, font, prep.stampLines(i + 1, doc.getPageCount())));

  doc.setTitle(prep.title, { showInWindowTitleBar: true });
  doc.setLanguage('fr-FR');
  doc.setProducer('CarePact (pdf-lib)');
  doc.setCreator('CarePact');
  doc.setCreationDate(prep.signingTime);
  doc.setModificationDate(prep.signingTime);

  // The signature dictionary, written byte for byte as signPdf expects it (its two placeholders first).
  const s = prep.signature;
  const contents = '0'.repeat(2 * (s.contentsBytes ?? DEFAULT_SIGNATURE_CONTENTS_BYTES));
  const sigText =
    `<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n/ByteRange ${BYTE_RANGE_PLACEHOLDER}\n/Contents <${contents}>\n` +
    `/M (${pdfDate(prep.signingTime)})\n/Name ${pdfText(s.signerName)}\n/Reason ${pdfText(s.reason)}\n/Location ${pdfText(s.location)}\n>>`;
  const sigRef = doc.context.register(PDFInvalidObject.of(Buffer.from(sigText, 'latin1')));
  const first = doc.getPage(0);
  const widget = doc.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFHexString.fromText(s.fieldName),
    TU: PDFHexString.fromText(s.tooltip),
    F: 4 | 128, // Print, Locked
    Rect: [0, 0, 0, 0],
    P: first.ref,
    V: sigRef,
  });
  const widgetRef = doc.context.register(widget);
  first.node.set(PDFName.of('Annots'), doc.context.obj([widgetRef]));
  doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [widgetRef], SigFlags: PDFNumber.of(3) }));
  // One classic cross-reference table, as signPdf reads it.
  return Buffer.from(await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false }));
}

/**
 * The signature field a sealed document is prepared with (issue 4 §8), written by PDFKit in the
 * document's single revision so the accessible structure stays whole (pdf-lib would lose it):
 *
 * - a signature dictionary (/Type /Sig, /Filter /Adobe.PPKLite, /SubFilter /ETSI.CAdES.detached,
 *   /M the signing time) whose /ByteRange and /Contents are fixed-width placeholders that the
 *   signer fills in place (libs/signing: signPdf);
 * - one merged field + widget annotation (/FT /Sig, /T, /TU the French accessible name), invisible
 *   (/Rect [0 0 0 0]), listed in the catalog's /AcroForm with /SigFlags 3;
 * - a `Form` structure element whose only child is an OBJR to the widget (veraPDF 7.18.4-1/-2),
 *   the widget's /StructParent and its ParentTree entry; the page already has /Tabs /S (7.18.3-1).
 *
 * No action of any kind is written (no /A, /AA, JavaScript or OpenAction).
 */
import type { PdfDoc, StructElem } from './pdfkit-internals';

export interface PdfSignatureField {
  /** Field name (/T); no period: periods separate the parts of a qualified field name. */
  name: string;
  /** Accessible name (/TU), in French: what assistive technology announces for the field. */
  tooltip: string;
  /** /M of the signature dictionary. PAdES puts the claimed time here, never in the CMS. */
  signingTime: Date;
  /** /Name: who signs (the establishment). */
  signerName?: string;
  /** /Reason, e.g. « Scellement du document signé par toutes les parties ». */
  reason?: string;
  /** /Location. */
  location?: string;
  /** Bytes reserved for the CMS in /Contents (written as twice as many hex digits). */
  contentsBytes?: number;
}

/** Ten digits each: any offset of a file under 10 GB fits without moving a byte. */
export const BYTE_RANGE_PLACEHOLDER = '[0 9999999999 9999999999 9999999999]';
export const DEFAULT_SIGNATURE_CONTENTS_BYTES = 8192;
const MIN_CONTENTS = 2048;
const MAX_CONTENTS = 65536;

/**
 * A token written as is. PDFKit serialises objects whose Object.prototype.toString tag is not
 * "Object" with their own toString (the tag makes it skip the dictionary branch).
 */
class RawPdfToken {
  constructor(private readonly text: string) {}
  get [Symbol.toStringTag](): string {
    return 'RawPdfToken';
  }
  toString(): string {
    return this.text;
  }
}

/** A PDF text string: PDFKit writes String objects as literal or UTF-16BE strings, escaped. */
const pdfText = (s: string): string => new String(s) as unknown as string;

export function checkSignatureField(field: PdfSignatureField): void {
  const bad = (why: string): never => {
    throw new Error(`renderPdf: signatureField ${why}`);
  };
  if (!field.name || field.name.length > 64 || !/^[A-Za-z0-9_-]+$/.test(field.name)) bad('name must be 1–64 of A–Z a–z 0–9 _ -');
  if (!field.tooltip.trim()) bad('tooltip (/TU, the accessible name) must not be empty');
  if (!(field.signingTime instanceof Date) || Number.isNaN(field.signingTime.getTime())) bad('signingTime is not a date');
  const bytes = field.contentsBytes ?? DEFAULT_SIGNATURE_CONTENTS_BYTES;
  if (!Number.isInteger(bytes) || bytes < MIN_CONTENTS || bytes > MAX_CONTENTS) bad(`contentsBytes must be an integer in [${MIN_CONTENTS}, ${MAX_CONTENTS}]`);
}

/**
 * Writes the field on the current page, tagged under `parent`. Call while the page is current and
 * before `parent` ends: the Form element is flushed at once so its OBJR names this page.
 */
export function addSignatureField(doc: PdfDoc, parent: StructElem, field: PdfSignatureField): void {
  const sig = doc.ref({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
    // The two placeholders come first, before any caller text: signPdf reads them right after
    // /Type /Sig at the object's xref offset, so no string in the document can impersonate them.
    ByteRange: new RawPdfToken(BYTE_RANGE_PLACEHOLDER),
    Contents: Buffer.alloc(field.contentsBytes ?? DEFAULT_SIGNATURE_CONTENTS_BYTES),
    M: field.signingTime,
    Name: field.signerName === undefined ? undefined : pdfText(field.signerName),
    Reason: field.reason === undefined ? undefined : pdfText(field.reason),
    Location: field.location === undefined ? undefined : pdfText(field.location),
  });
  sig.end();

  const form = doc.struct('Form');
  parent.add(form);
  // (0, page height) with zero size is Rect [0 0 0 0] through PDFKit's top-down page transform.
  doc.annotate(0, doc.page.height, 0, 0, {
    structParent: form,
    Subtype: 'Widget',
    FT: 'Sig',
    T: pdfText(field.name),
    TU: pdfText(field.tooltip),
    F: 4 | 128, // Print, Locked
    C: [], // no colour (PDFKit would add black)
    P: doc.page.dictionary,
    V: sig,
  });
  const widget = doc.page.annotations[doc.page.annotations.length - 1];
  form.end();

  const acroForm = doc.ref({ Fields: [widget], SigFlags: 3 /* SignaturesExist | AppendOnly */ });
  doc._root.data.AcroForm = acroForm;
  doc.endAcroForm = () => {
    acroForm.end();
    return doc;
  };
}

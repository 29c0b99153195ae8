/**
 * What a scan of a paper signature must be before anything is stored (issue 11 §6): a PDF that
 * pdf-lib reads, not encrypted, not malformed, with no JavaScript, no action, no embedded file, no
 * XFA form, at most MAX_SCAN_BYTES and MAX_SCAN_PAGES. pdf-lib parses leniently and refuses none of
 * these by itself: the object graph is walked here (every indirect object, and every dictionary
 * nested in it, so that a JavaScript action hidden in an unreferenced object or in an object stream
 * is found too), and the first problem by severity is answered with a stable code and a French message.
 */
import type * as PdfLib from 'pdf-lib';
import { DomainError, FieldError, sha256Hex } from '@carepact/common';

/**
 * 20 MB: a colour scan at 300 dpi costs 0.3–0.8 MB a page, so a contrat de séjour with its annexes
 * (règlement de fonctionnement, livret d’accueil: 20–40 pages) fits; pdf-lib holds the file and
 * its parsed objects in memory (a few times its size), which stays near 100 MB on the 2-core
 * machine the API shares with the worker; larger files are almost always uncompressed images a
 * scanner setting can fix.
 */
export const MAX_SCAN_BYTES = 20 * 1024 * 1024;
/** 100 pages: the longest document with its annexes; past that, the scan is not one signed document. */
export const MAX_SCAN_PAGES = 100;

export type ScanProblemCode =
  | 'PAPER_NOT_PDF'
  | 'PAPER_TOO_LARGE'
  | 'PAPER_ENCRYPTED'
  | 'PAPER_MALFORMED'
  | 'PAPER_JAVASCRIPT'
  | 'PAPER_EMBEDDED_FILES'
  | 'PAPER_XFA'
  | 'PAPER_ACTIONS'
  | 'PAPER_TOO_MANY_PAGES';

const MESSAGES: Record<ScanProblemCode, string> = {
  PAPER_NOT_PDF: 'Le fichier envoyé n’est pas un PDF. Numérisez le document signé au format PDF.',
  PAPER_TOO_LARGE: `Le scan dépasse ${MAX_SCAN_BYTES / 1024 / 1024} Mo. Numérisez en 300 ppp, en niveaux de gris ou en couleur compressée (JPEG).`,
  PAPER_ENCRYPTED: 'Le PDF est chiffré ou protégé par un mot de passe. Numérisez à nouveau le document sans protection.',
  PAPER_MALFORMED: 'Le PDF est endommagé ou illisible. Numérisez à nouveau le document signé.',
  PAPER_JAVASCRIPT: 'Le PDF contient du JavaScript : il est refusé. Envoyez le PDF produit directement par le scanner.',
  PAPER_EMBEDDED_FILES: 'Le PDF contient des fichiers joints : il est refusé. Envoyez le PDF produit directement par le scanner.',
  PAPER_XFA: 'Le PDF contient un formulaire XFA : il est refusé. Envoyez le PDF produit directement par le scanner.',
  PAPER_ACTIONS: 'Le PDF contient des actions (ouverture automatique, lien, lancement d’application…) : il est refusé. Envoyez le PDF produit directement par le scanner.',
  PAPER_TOO_MANY_PAGES: `Le scan compte plus de ${MAX_SCAN_PAGES} pages. Envoyez seulement le document signé.`,
};

/** Most severe first: the code answered is the first one found in this order. */
const SEVERITY: ScanProblemCode[] = ['PAPER_ENCRYPTED', 'PAPER_MALFORMED', 'PAPER_JAVASCRIPT', 'PAPER_EMBEDDED_FILES', 'PAPER_XFA', 'PAPER_ACTIONS', 'PAPER_TOO_MANY_PAGES'];

export class ScanRefusedError extends DomainError {
  constructor(
    override readonly code: ScanProblemCode,
    details: FieldError[] = [],
  ) {
    super(code === 'PAPER_TOO_LARGE' ? 'too_large' : 'invalid', code, MESSAGES[code], details);
    this.name = 'ScanRefusedError';
  }
}

export interface InspectedScan {
  sha256: string;
  byteSize: number;
  pageCount: number;
  /** From the header, e.g. "1.4". */
  pdfVersion: string;
}

interface Finding {
  code: ScanProblemCode;
  where: string;
}

/**
 * Action types (ISO 32000-1 table 198). A dictionary is an action when its /S is one of them (/S
 * also names structure types, transparency groups, masks, border styles: those never clash). /GoTo
 * only moves inside the document: harmless, and dropped from the sealed copy anyway.
 */
const ACTION_TYPES = new Set(
  ['GoToR', 'GoToE', 'Launch', 'Thread', 'URI', 'Sound', 'Movie', 'Hide', 'Named', 'SubmitForm', 'ResetForm', 'ImportData', 'SetOCGState', 'Rendition', 'Trans', 'GoTo3DView', 'RichMediaExecute'].map((n) => `/${n}`),
);
/** Annotation types that carry active or multimedia content. */
const ACTIVE_ANNOTATIONS = new Set(['/Movie', '/Sound', '/Screen', '/RichMedia', '/3D']);
const MAX_DEPTH = 64;

type PDFObject = PdfLib.PDFObject;

let pdfLibModule: typeof PdfLib | undefined;
/**
 * pdf-lib (3.7 MB of JavaScript heap once loaded), loaded at the first paper scan rather than with
 * the signing library, which the api and the worker's main thread import at start (issue 12:
 * worker memory over a bulk run, where no scan is read).
 */
export function pdfLib(): typeof PdfLib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (pdfLibModule ??= require('pdf-lib') as typeof PdfLib);
}

const name = (o: PDFObject | undefined): string | null => (o instanceof pdfLib().PDFName ? o.asString() : null);

/**
 * Walks one object (an indirect object's value) and every direct object inside it. References are
 * not followed: every indirect object is walked on its own, once.
 */
function walk(obj: PDFObject, where: string, out: Finding[], depth = 0): void {
  const { PDFArray, PDFBool, PDFDict, PDFName, PDFStream } = pdfLib();
  if (depth > MAX_DEPTH) {
    out.push({ code: 'PAPER_MALFORMED', where: `${where} (imbrication trop profonde)` });
    return;
  }
  if (obj instanceof PDFArray) {
    obj.asArray().forEach((x, i) => walk(x, `${where}[${i}]`, out, depth + 1));
    return;
  }
  const dict = obj instanceof PDFStream ? obj.dict : obj instanceof PDFDict ? obj : null;
  if (!dict) return;
  const get = (key: string): PDFObject | undefined => dict.get(PDFName.of(key));
  const type = name(get('Type'));
  const subtype = name(get('Subtype'));
  const action = name(get('S'));

  if (get('JS') !== undefined || action === '/JavaScript') out.push({ code: 'PAPER_JAVASCRIPT', where });
  if (get('JavaScript') !== undefined) out.push({ code: 'PAPER_JAVASCRIPT', where: `${where} /JavaScript` });
  if (get('EmbeddedFiles') !== undefined) out.push({ code: 'PAPER_EMBEDDED_FILES', where: `${where} /EmbeddedFiles` });
  if (get('EF') !== undefined || type === '/EmbeddedFile' || subtype === '/FileAttachment') out.push({ code: 'PAPER_EMBEDDED_FILES', where });
  if (get('XFA') !== undefined || get('NeedsRendering') instanceof PDFBool) out.push({ code: 'PAPER_XFA', where: `${where} /XFA` });
  if (get('AA') !== undefined) out.push({ code: 'PAPER_ACTIONS', where: `${where} /AA` });
  // An /OpenAction that is a destination (an array: which page to show) is not an action.
  const open = get('OpenAction');
  if (open !== undefined && !(open instanceof PDFArray)) out.push({ code: 'PAPER_ACTIONS', where: `${where} /OpenAction` });
  if (action !== null && ACTION_TYPES.has(action)) out.push({ code: 'PAPER_ACTIONS', where: `${where} /S ${action}` });
  if (subtype && ACTIVE_ANNOTATIONS.has(subtype)) out.push({ code: 'PAPER_ACTIONS', where: `${where} /Subtype ${subtype}` });

  for (const [key, value] of dict.entries()) walk(value, `${where} ${key.asString()}`, out, depth + 1);
}

function refuse(code: ScanProblemCode, findings: Finding[] = []): never {
  const details = findings
    .filter((f) => f.code === code)
    .slice(0, 5)
    .map((f) => ({ field: 'pdf', code: f.code, message: `Trouvé : ${f.where}` }));
  throw new ScanRefusedError(code, details);
}

/**
 * Loads the scan with pdf-lib and refuses it unless it is a plain document: the checks above, in
 * order of severity. Returns the document for callers that go on with it (stamping), and the facts
 * stored with it.
 */
export async function loadInspectedScan(bytes: Buffer): Promise<{ doc: PdfLib.PDFDocument; facts: InspectedScan }> {
  const { PDFDict, PDFDocument, PDFName, PDFRef } = pdfLib();
  if (bytes.length > MAX_SCAN_BYTES) refuse('PAPER_TOO_LARGE');
  // The header opens the file (ISO 32000-1 7.5.2); a scanner never writes anything before it.
  const header = /^%PDF-(\d\.\d)/.exec(bytes.toString('latin1', 0, 16));
  if (!header) refuse('PAPER_NOT_PDF');
  // The last line of the file is %%EOF (7.5.5): a truncated upload has none.
  if (!bytes.toString('latin1', Math.max(0, bytes.length - 1024)).includes('%%EOF')) refuse('PAPER_MALFORMED', [{ code: 'PAPER_MALFORMED', where: 'fin de fichier %%EOF absente' }]);

  // Encryption first, from the bytes: pdf-lib cannot parse an encrypted file's object streams, and
  // « malformed » would be the wrong answer. `/Encrypt n g R` names the encryption dictionary in
  // the trailer or the cross-reference stream (ISO 32000-1 7.5.5, 7.5.8); it cannot appear
  // elsewhere outside a string or a compressed stream.
  if (/\/Encrypt\s*(\d+\s+\d+\s+R|<<)/.test(bytes.toString('latin1'))) refuse('PAPER_ENCRYPTED');

  let doc: PdfLib.PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, throwOnInvalidObject: true, updateMetadata: false });
  } catch (e) {
    return refuse('PAPER_MALFORMED', [{ code: 'PAPER_MALFORMED', where: `lecture : ${(e as Error).message.slice(0, 200)}` }]);
  }
  if (doc.isEncrypted || doc.context.trailerInfo.Encrypt !== undefined) refuse('PAPER_ENCRYPTED');
  if (!(doc.context.trailerInfo.Root instanceof PDFRef) || !(doc.context.lookup(doc.context.trailerInfo.Root) instanceof PDFDict))
    refuse('PAPER_MALFORMED', [{ code: 'PAPER_MALFORMED', where: 'pas de catalogue (/Root)' }]);

  const findings: Finding[] = [];
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) walk(obj, `objet ${ref.objectNumber}`, findings);
  for (const key of ['Root', 'Info'] as const) {
    const value = doc.context.trailerInfo[key];
    if (value !== undefined && !(value instanceof PDFRef)) walk(value, `trailer /${key}`, findings);
  }

  let pageCount = 0;
  try {
    if (!(doc.catalog.get(PDFName.of('Pages')) instanceof PDFRef)) throw new Error('pas d’arbre des pages');
    const pages = doc.getPages();
    pageCount = pages.length;
    if (pageCount === 0) throw new Error('aucune page');
    for (const page of pages) {
      const { width, height } = page.getMediaBox();
      if (!(width > 0 && height > 0 && width < 14400 && height < 14400)) throw new Error(`page de ${width} × ${height} points`);
    }
  } catch (e) {
    // A cyclic page tree overflows the stack: a RangeError, caught here like any other.
    findings.push({ code: 'PAPER_MALFORMED', where: (e as Error).message.slice(0, 200) });
  }
  if (pageCount > MAX_SCAN_PAGES) findings.push({ code: 'PAPER_TOO_MANY_PAGES', where: `${pageCount} pages` });

  for (const code of SEVERITY) if (findings.some((f) => f.code === code)) refuse(code, findings);
  return { doc, facts: { sha256: sha256Hex(bytes), byteSize: bytes.length, pageCount, pdfVersion: header![1] } };
}

/** The checks alone (the API, before anything is written). */
export async function inspectScan(bytes: Buffer): Promise<InspectedScan> {
  return (await loadInspectedScan(bytes)).facts;
}

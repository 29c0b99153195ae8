/**
 * The plain document tree: what `resolve` produces from a template and its data, and the only
 * input of the PDF, DOCX and HTML adapters. No expressions are left; every value is already
 * formatted for fr-FR and is plain text (never markup, never template syntax).
 */

/** Content variant: the easy-to-read (FALC) text or the standard text of each block. */
export type ContentVariant = 'standard' | 'falc';
/** Rendition variant: content variant + style profile (large print = standard text, large style). */
export type Variant = 'standard' | 'falc' | 'large-print';
export const VARIANTS: readonly Variant[] = ['standard', 'falc', 'large-print'];
export type RenditionFormat = 'pdf' | 'docx' | 'html';
export const FORMATS: readonly RenditionFormat[] = ['pdf', 'docx', 'html'];

export function contentVariantOf(v: Variant): ContentVariant {
  return v === 'falc' ? 'falc' : 'standard';
}

/** A run of text; `strong` is the only emphasis (FALC: bold only for emphasis, no italics). */
export interface TextRun {
  text: string;
  strong?: boolean;
}
export type Inline = TextRun[];

export interface HeadingBlock {
  kind: 'heading';
  /** 1 is the document title; levels never skip (checked when resolving). */
  level: 1 | 2 | 3 | 4;
  text: Inline;
}

export interface ParagraphBlock {
  kind: 'paragraph';
  text: Inline;
}

export interface ListBlock {
  kind: 'list';
  ordered: boolean;
  items: Inline[];
}

export interface TableBlock {
  kind: 'table';
  /** Short description, read before the table (PDF Caption, HTML caption, DOCX title). */
  caption: string;
  /** Column headers (TH scope Column). */
  header: string[];
  /** When true, the first cell of each row is a row header (TH scope Row). */
  rowHeaders: boolean;
  rows: Inline[][];
}

export interface FigureBlock {
  kind: 'figure';
  /** Pictogram id in templates/assets/pictograms (`<id>.svg`). */
  asset: string;
  /** Alternative text (French). Never empty for a meaningful pictogram. */
  alt: string;
}

/** One signer's block: filled after sealing (issue 4); before that, the lines to fill. */
export interface SignatureSlot {
  /** Role key (resident, curateur, tuteur, parent, habilite, mandataire, director…). */
  role: string;
  /** Full name of the signer, e.g. "Karim Benaïssa". */
  name: string;
  /** Capacity wording, e.g. "en qualité de curateur, assistant M. Marcel Dupont". */
  capacity: string;
  /** Filled once signed: date in full (fr-FR) and method ("signature électronique par lien…"). */
  signedOn?: string;
  method?: string;
}

export interface SignaturesBlock {
  kind: 'signatures';
  heading: string;
  slots: SignatureSlot[];
}

/** A region that begins with a pictogram in the easy-to-read variant (one main idea). */
export type Block = HeadingBlock | ParagraphBlock | ListBlock | TableBlock | FigureBlock | SignaturesBlock;

export interface DocumentMeta {
  /** contrat-sejour, dipc, avenant, projet-personnalise, compte-rendu-synthese */
  documentType: string;
  templateId: string;
  templateVersion: string;
  /** SHA-256 of the template's canonical content. */
  templateHash: string;
  /** SHA-256 of the canonical input snapshot. */
  inputHash: string;
  /** Fixed date used for PDF CreationDate/ModDate, DOCX core properties: never the clock. */
  issuedAt: string; // ISO 8601, e.g. "2026-11-02T00:00:00.000Z"
  /** FALC review of the template text: who and when, or null ("not yet reviewed"). */
  falcReview: { by: string; on: string } | null;
  establishmentName: string;
  /** The person the document is about ("Marcel Dupont"): the running header of PDF and DOCX pages. */
  personName?: string;
  /**
   * Id of the stored document version the renditions belong to, printed in the page footer so a
   * printed page can be matched to its version. Absent in an offline render (no version exists).
   */
  versionId?: string;
}

export interface DocumentTree {
  lang: 'fr-FR';
  /** Document title (PDF dc:title + DisplayDocTitle, DOCX title, HTML <title>). */
  title: string;
  contentVariant: ContentVariant;
  meta: DocumentMeta;
  blocks: Block[];
}

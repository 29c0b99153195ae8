import type { InputSchema } from './input-schema';

/**
 * The template model: a template is data (templates/documents/<id>/<version>.json), one semantic
 * source per document type. Every text a person reads has a standard and an easy-to-read (FALC)
 * wording; a bare string is the same text for both, and is then linted as FALC text too.
 *
 * Texts hold `{{ expression }}` holes and `**bold**` markers (see template-text.ts). A paragraph
 * text may be a list of lines: each line becomes its own paragraph (FALC: one sentence per line).
 */
export type TextSource = string | string[];
export type Text = TextSource | { standard: TextSource; falc: TextSource };

/** Keeps a node in one content variant only. Figures (pictograms) are FALC-only by default. */
export type Only = 'standard' | 'falc';

interface NodeBase {
  only?: Only;
  /** The legal source of the rule this node implements (CASF article…), for reviewers. */
  source?: string;
  /** Note for template authors; ignored by resolve (but part of the content hash). */
  note?: string;
}

export interface IfNode<N> extends NodeBase {
  if: string;
  then: N[];
  else?: N[];
}

export interface EachNode<N> extends NodeBase {
  /** `item in list` or `item, n in list` (n counts from 1). */
  each: string;
  do: N[];
}


export interface HeadingNode extends NodeBase {
  heading: 1 | 2 | 3 | 4;
  text: Text;
}
export interface ParagraphNode extends NodeBase {
  paragraph: Text;
}
export type ItemNode = Text | IfNode<ItemNode> | EachNode<ItemNode>;
export interface ListNode extends NodeBase {
  list: { ordered?: boolean; items: ItemNode[] };
}
export interface RowSpec extends NodeBase {
  cells: Text[];
}
export type RowNode = RowSpec | IfNode<RowNode> | EachNode<RowNode>;
export interface TableNode extends NodeBase {
  table: { caption: Text; header: Text[]; rowHeaders?: boolean; rows: RowNode[] };
}
export interface FigureNode extends NodeBase {
  /** Pictogram id (templates/assets/pictograms/<asset>.svg) and its alternative text. */
  figure: { asset: string; alt: Text };
}
export interface SlotSpec extends NodeBase {
  /** Each field is a template text (holes allowed), resolved to plain text. */
  slot: { role: string; name: string; capacity: string };
}
export type SlotNode = SlotSpec | IfNode<SlotNode> | EachNode<SlotNode>;
export interface SignaturesNode extends NodeBase {
  signatures: { heading: Text; slots: SlotNode[] };
}
/** The template's glossary as a list, under a heading of the given level and text. */
export interface GlossaryNode extends NodeBase {
  glossary: { heading: Text; level: 2 | 3 | 4 };
}

/** A body node that is not a control node (if/each). */
export type ContentNode = HeadingNode | ParagraphNode | ListNode | TableNode | FigureNode | SignaturesNode | GlossaryNode;
export type BodyNode = ContentNode | IfNode<BodyNode> | EachNode<BodyNode>;

export interface GlossaryEntry {
  /** The word or acronym as it appears in the text (acronyms are allowed in FALC once here). */
  term: string;
  /** Its explanation, in easy-to-read French. */
  definition: string;
}

export interface FalcReview {
  /** Who reviewed the easy-to-read text (people concerned, e.g. a self-advocacy group). */
  by: string;
  /** Date of the review, YYYY-MM-DD. */
  on: string;
  /** Who the readers were (e.g. « 4 travailleurs d’ESAT, groupe d’autoreprésentants »); recorded beside a published version. */
  readers?: string;
}

/**
 * Data a document needs only in some situations (the minor's view for a minor, the consent
 * interview in a home for older people…): the schema cannot say it, so the template does. When
 * `when` holds and a field is missing, null, empty or an empty list, the data is refused with
 * REQUIRED on that field: a rendition never invents what was not recorded.
 */
export interface RequiredWhen {
  /** Expression over the template's variables and definitions. */
  when: string;
  /** Paths (`document.minorView`) that must then be given. */
  fields: string[];
  /** French message shown beside each missing field. */
  message: string;
}

/**
 * A rule between data a template cannot state as « required »: a date at least so many days
 * before another (the notice on the personne de confiance eight days before the consent
 * interview, CASF D.311-0-4)… When `when` holds, `check` must hold too; otherwise the data is
 * refused with `code` and `message` beside each of `fields`. `when` says when the check can be
 * decided (the values it reads given): a missing value is the business of `requires`.
 */
export interface CheckWhen {
  /**
   * Optional: `item in list` (or `item, n in list`), the list a plain path of the data
   * (`document.recipients`): the check runs once per item, with `item` (and `n`, from 1) among the
   * variables of `when` and `check`, and a field written `item.member` is refused beside that item
   * (`document.recipients[2].consentOn`). A rule about every recipient of the minutes (CSP
   * L.1110-4 III: the consent of each one outside the équipe de soins) thus lands on the row at fault.
   */
  each?: string;
  /** Expression over the template's variables and definitions: when the check applies. */
  when: string;
  /** Expression that must then hold. */
  check: string;
  /** Paths (`document.consentInterview.noticeGivenOn`) the message is shown beside. */
  fields: string[];
  /** Stable UPPER_SNAKE code for programs (`NOTICE_TOO_LATE`). */
  code: string;
  /** French message naming the rule's source (the article of law). */
  message: string;
}

/** The content of one template version file. Its SHA-256 (canonical JSON) identifies it. */
export interface TemplateContent {
  id: string;
  version: string;
  /** contrat-sejour, dipc, avenant, projet-personnalise, compte-rendu-synthese */
  documentType: string;
  /** Document title per variant (holes allowed). */
  title: Text;
  /** Expression giving the document date (YYYY-MM-DD): fixes issuedAt, never the clock. */
  issuedAt: string;
  falcReview: FalcReview | null;
  glossary: GlossaryEntry[];
  /** Label tables for `| label('table')`, e.g. measure types. */
  labels?: Record<string, Record<string, string>>;
  /** Named expressions evaluated once, in order, before the body. */
  define?: { name: string; value: string }[];
  /** Data required in some situations only (see RequiredWhen). */
  requires?: RequiredWhen[];
  /** Rules between the data given (see CheckWhen). */
  checks?: CheckWhen[];
  /** Schema of the input data; its top-level properties are the variables of the body. */
  inputSchema: InputSchema;
  body: BodyNode[];
}

export interface PublishedEntry {
  version: string;
  sha256: string;
  publishedOn: string;
  /**
   * Easy-to-read reviews recorded after publication, beside the version (published.json), so
   * recording one never changes the version's hash. The latest is the one the rendition cites.
   */
  falcReviews?: FalcReview[];
}

/** templates/documents/<id>/published.json: the hash of each published version, never rewritten. */
export interface PublishedManifest {
  id: string;
  versions: PublishedEntry[];
}

export interface LoadedTemplate {
  content: TemplateContent;
  /** SHA-256 hex of canonicalJson(content). */
  sha256: string;
  published: PublishedEntry | null;
}

export interface TemplateSummary {
  id: string;
  documentType: string;
  versions: { version: string; sha256: string; published: boolean; publishedOn: string | null }[];
  latestPublished: string | null;
}

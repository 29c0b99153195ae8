import type { MeasureReference } from '../policy/policy.types';
import { withoutFileReferences } from '../policy/file-references';
import type { Evidence } from './evidence';

/**
 * Said in the copy of the evidence given to a reader without `resident.read`, so that nobody takes
 * it for the sealed file itself.
 */
export const FILE_REFERENCES_WITHHELD =
  'Copie du dossier de preuve sans les références du dossier de la personne (jugement de la mesure de protection, référence de l’ordonnance du juge, pièces), ' +
  'que votre rôle ne permet pas de consulter. Le dossier de preuve scellé, dont l’empreinte SHA-256 est enregistrée, les contient.';

/**
 * Said in the copy of the evidence given to a reader without `document.content` (the auditor), who
 * reads the person's recorded views without their comment in the request views (requestViewFor).
 */
export const VIEW_COMMENTS_WITHHELD =
  'Copie du dossier de preuve sans les commentaires écrits avec les avis recueillis de la personne (l’avis lui-même, qui l’a recueilli et sa date restent), ' +
  'que votre rôle ne permet pas de consulter. Le dossier de preuve scellé, dont l’empreinte SHA-256 est enregistrée, les contient.';

export const HANDOVER_NOTES_WITHHELD =
  'Copie du dossier de preuve sans la manière dont le document a été remis en main propre, telle que l’a écrite l’établissement (à qui, quand et par qui restent), ' +
  'que votre rôle ne permet pas de consulter. Le dossier de preuve scellé, dont l’empreinte SHA-256 est enregistrée, la contient.';

/** A signer's measure without its judgment's details: the kind, the mode and the court stay. */
export type WithheldMeasure = Omit<MeasureReference, 'judgmentReference' | 'judgmentDate' | 'endDate' | 'proofDocumentRef' | 'authorisationReference'> & {
  judgmentReference: null;
  judgmentDate: null;
  endDate: null;
  proofDocumentRef: null;
  authorisationReference: null;
};

export type EvidenceForReader = Omit<Evidence, 'signers'> & {
  signers: (Omit<Evidence['signers'][number], 'measure'> & { measure: MeasureReference | WithheldMeasure | null })[];
  /** Present on the copy without the person's file references (FILE_REFERENCES_WITHHELD). */
  fileReferencesWithheld?: string;
  /** Present on the copy without the comments of the person's recorded views (VIEW_COMMENTS_WITHHELD); their `comment` is null. */
  viewCommentsWithheld?: string;
  /** Present on the copy without how staff handed the document over (HANDOVER_NOTES_WITHHELD); the `how` of those steps is null. */
  handoverNotesWithheld?: string;
};

/**
 * The evidence as this reader may read it. With `resident.read`, the file as sealed. Without it (the
 * auditor, who reads documents' metadata and evidence but not the person's file), the judgment
 * references of her file are left out the way the document page and the request views leave them
 * out (policy/file-references.ts, request-views.service.ts requestViewFor): each signer's legal basis
 * without « jugement … du … », « réf. » of the judge's ordonnance (C. civ. 469 al. 3: its court and
 * date stay), « autorisation … » (C. civ. 472) and « pièce : … »; each signer's measure without its
 * judgment's reference, date and end, proof and authorisation references (its kind, mode and court
 * stay). Without `document.content` (the auditor again), the comments written with the person's
 * recorded views (« avis recueillis ») are left out, as the request views leave them out. Everything
 * else is the sealed evidence; the copy says what it leaves out.
 */
export function evidenceForReader(e: Evidence, reader: { residentFile: boolean; content: boolean }): EvidenceForReader {
  if (reader.residentFile && reader.content) return e;
  let out: EvidenceForReader = e;
  if (!reader.residentFile)
    out = {
      ...out,
      signers: e.signers.map((s) => ({
        ...s,
        legalBasis: typeof s.legalBasis === 'string' && s.legalBasis ? withoutFileReferences(s.legalBasis) : s.legalBasis,
        measure: s.measure ? withoutJudgment(s.measure) : null,
      })),
      fileReferencesWithheld: FILE_REFERENCES_WITHHELD,
    };
  // What the person said in her own words is content, as in the request views (requestViewFor):
  // the auditor reads that a view was recorded, which one, by whom and when, not its comment.
  if (!reader.content) out = { ...out, views: e.views.map((v) => ({ ...v, comment: null })), viewCommentsWithheld: VIEW_COMMENTS_WITHHELD };
  // How staff handed it over (« remis lors de l’entretien avec sa fille ») is their words about the
  // person, as the request views leave it out: to whom, on which day and by whom stay.
  if (!reader.content && e.events.some((ev) => typeof ev.details?.how === 'string'))
    out = {
      ...out,
      events: e.events.map((ev) => (typeof ev.details?.how === 'string' ? { ...ev, details: { ...ev.details, how: null } } : ev)),
      handoverNotesWithheld: HANDOVER_NOTES_WITHHELD,
    };
  return out;
}

function withoutJudgment(m: MeasureReference): WithheldMeasure {
  return { ...m, judgmentReference: null, judgmentDate: null, endDate: null, proofDocumentRef: null, authorisationReference: null };
}

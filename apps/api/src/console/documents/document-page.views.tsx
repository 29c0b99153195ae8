import { FieldError, calendarDayIn, documentTitle, documentTypeLabel, formatDateFr, formatDateTimeFr, formatTimeFr, ofName } from '@carepact/common';
import type { LegalHoldView } from '@carepact/archive';
import { dataFailureParts } from '@carepact/documents';
import type { DocumentView, RenditionView, VersionView } from '@carepact/documents';
import type { StaffActor } from '@carepact/identity';
import { VIEW_EXPRESSION_LABELS, blockingSigners, declinedCountersignature, emailSkippedLabel, inSigningOrder, isOptionalCountersigner, legalDeadlineRule, withoutFileReferences } from '@carepact/signing';
import type { OtherParentView, PolicyDecision, RequestView, SignerView, SoleSignatureView, VisaView } from '@carepact/signing';
import type { ComponentChildren } from 'preact';
import { ConsolePage } from '../console-layout';
import { Notice, PostForm, fieldId, renderPage } from '../../views';
import type { Flash } from './console-flash';
import type { FieldChange } from './document-diff';
import { Questions, RefusalHandling, VisaHoldsSending, VisaSection } from './document-visa.views';
import { DOCUMENT_STYLESHEETS, typeTitle } from './new-document.views';
import { HoldsBlock } from '../retention/holds.views';
import { AssistanceRefused, SOLE_SIGNATURE_FORM } from './sole-signature.views';
import { OTHER_PARENT_FIELDS, OTHER_PARENT_FIELD_LABELS, OTHER_PARENT_FORM, OtherParentReminder, OtherParentSection } from './other-parent.views';

export const DOCUMENT_STATUS_LABELS: Record<DocumentView['status'], string> = {
  generating: 'Génération en cours',
  ready: 'Prêt à envoyer en signature',
  generation_failed: 'La génération a échoué',
  in_signature: 'En cours de signature',
  signed: 'Signé',
  refused: 'Refusé',
  cancelled: 'Annulé',
};

const REQUEST_STATUS_LABELS: Record<RequestView['status'], string> = {
  active: 'en cours',
  completed: 'terminée : tout le monde a signé',
  refused: 'refusée',
  cancelled: 'annulée',
  expired: 'expirée (échéance dépassée)',
};

const VARIANT_LABELS: Record<RenditionView['variant'], string> = { standard: 'version complète', falc: 'facile à lire', 'large-print': 'gros caractères' };
const FORMAT_LABELS: Record<RenditionView['format'], string> = { pdf: 'PDF', docx: 'Word (DOCX)', html: 'page web (HTML)' };
const DELIVERY_LABELS: Record<SignerView['delivery'], string> = { email: 'par e-mail', in_person: 'en présence, sur une tablette', staff: 'depuis la console (compte de la direction)' };

/** Events that tell a signer's progress, in words (the request's chronology, per signer). */
const EVENT_LABELS: Record<string, string> = {
  email_sent: 'Lien envoyé par e-mail (accepté par le serveur d’envoi)',
  email_failed: 'E-mail non distribué : vérifiez l’adresse',
  resent: 'Nouveau lien envoyé',
  revoked: 'Ancien lien désactivé',
  link_opened: 'Lien ouvert',
  in_person_opened: 'Session en présence ouverte',
  code_issued: 'Code d’accès remis',
  code_ok: 'Code d’accès accepté',
  code_failed: 'Code d’accès erroné',
  code_locked: 'Code d’accès bloqué (trop d’essais)',
  viewed: 'Document lu',
  downloaded: 'Document téléchargé',
  view_recorded: 'Avis recueilli',
  view_account_added: 'Compte rendu de l’avis ajouté',
  question: 'Question posée',
  question_answered: 'Question répondue',
  reminder: 'Relance envoyée',
  reminder_skipped: 'Relance non envoyée : dossier en archive intermédiaire',
  email_skipped: 'E-mail non envoyé : dossier en archive intermédiaire',
  signed: 'Signé',
  countersigned: 'Contresigné',
  refused: 'Refusé',
};

/** Where a signer stands, in one phrase: sent, opened, read, signed, refused, e-mail failed. */
export function signerState(
  s: SignerView,
  events: RequestView['events'],
  doc?: {
    type: string;
    signers: readonly SignerView[];
    mode?: RequestView['mode'];
    status?: RequestView['status'];
    cancellation?: RequestView['cancellation'];
    /** The day of the person's death, when recorded: the date of a signature that lapsed at it. */
    deceasedOn?: string | null;
  },
): string {
  // CASF D.311 II (VII for an avenant to it): the DIPC « est établi et signé par le directeur … Il peut
  // être contresigné par la personne accueillie ou son représentant légal »: the director's signature
  // is the one awaited; the others countersign, or not.
  const dipcRule = Boolean(doc && (doc.type === 'dipc' || doc.type === 'avenant') && doc.signers.some(isOptionalCountersigner));
  const countersigner = dipcRule && isOptionalCountersigner(s);
  if (s.status === 'signed') return `${countersigner ? 'Contresigné' : 'Signé'} le ${formatDateTimeFr(s.actedAt!)}`;
  if (s.status === 'refused') return countersigner ? `A choisi de ne pas contresigner le ${formatDateTimeFr(s.actedAt!)} (facultatif : le document s’applique sans)` : `A refusé de signer le ${formatDateTimeFr(s.actedAt!)}`;
  // Her optional signature closed at the person's death (`lapsed_at_death`; the row stays `pending`):
  // nobody signs in her name after it (C. civ. 443 al. 1) — whatever the request's state, not awaited.
  if (lapsedAtDeath(s, events)) {
    const on = doc?.deceasedOn ? ` le ${formatDateFr(doc.deceasedOn)}` : '';
    return countersigner
      ? `Non contresigné — décès de la personne${on} : contresignature facultative, elle ne peut plus être donnée`
      : `Non signé — décès de la personne${on} : signature facultative, elle ne peut plus être donnée`;
  }
  // A request that ended (cancelled, expired, refused, completed without her) waits for nobody: what
  // happened, not what was awaited — never « En attente … » nor « pas encore signé ».
  if (doc?.status && doc.status !== 'active') return closedSignerState(s, events, dipcRule ? !countersigner : s.delivery !== 'staff', { ...doc, status: doc.status });
  if (s.delivery === 'staff') return dipcRule ? 'Signature attendue : c’est elle qui établit le document (CASF D.311)' : 'Contresignature attendue après les autres signatures';
  const state = pendingSignerState(s, events, doc);
  return countersigner ? `Contresignature facultative — ${state.charAt(0).toLowerCase()}${state.slice(1).replace('pas encore signé', 'pas encore contresigné')}` : state;
}

/** Her optional signature lapsed at the person's death: a `lapsed_at_death` event names her (signature-requests.service.ts lapseSignersAtDeath). */
export function lapsedAtDeath(s: Pick<SignerView, 'id' | 'status'>, events: RequestView['events']): boolean {
  return s.status === 'pending' && events.some((e) => e.kind === 'lapsed_at_death' && e.signerId === s.id);
}

/**
 * A signer who had not answered when the request ended: « Non signé — demande annulée le … » (with
 * the death or the departure when that was the reason, CASF / C. civ. 443 al. 1), « — demande
 * expirée le … », « — demande refusée par … le … » (« Non contresigné » for a countersigner), with
 * how far she had gone — read, opened, sent — or that nothing had reached her. On a completed
 * request, an optional signature not given.
 */
function closedSignerState(
  s: SignerView,
  events: RequestView['events'],
  signs: boolean,
  r: { type: string; signers: readonly SignerView[]; status: Exclude<RequestView['status'], 'active'>; cancellation?: RequestView['cancellation'] },
): string {
  const not = signs ? 'Non signé' : 'Non contresigné';
  if (r.status === 'completed') return `${not} (facultatif : le document s’applique sans)`;
  const day = (at: string | null | undefined) => (at ? ` le ${formatDateFr(new Date(at))}` : '');
  const at = (kind: string) => events.find((e) => e.kind === kind && e.signerId === null)?.at ?? events.find((e) => e.kind === kind)?.at;
  let why: string;
  if (r.status === 'cancelled') {
    // The reason is shown here only when the system wrote it with the end of the accompaniment (« Décès / Départ de la personne le … »); staff's own reason is in the notice above.
    const reason = r.cancellation?.reason ?? '';
    const end = /^(Décès|Départ) de la personne le \d{1,2}(er)? \p{L}+ \d{4}/u.exec(reason)?.[0];
    why = `demande annulée${day(r.cancellation?.at ?? at('cancelled'))}${end ? ` (${end.charAt(0).toLowerCase()}${end.slice(1)})` : ''}`;
  } else if (r.status === 'expired') {
    why = `demande expirée${day(at('expired'))}`;
  } else {
    const by = r.signers.find((x) => x.status === 'refused' && !declinedCountersignature(x, r.type));
    why = `demande refusée${by ? ` par ${by.name}${day(by.actedAt)}` : ''}`;
  }
  const head = `${not} — ${why}`;
  const mine = events.filter((e) => e.signerId === s.id).map((e) => e.kind);
  if (mine.includes('viewed')) return `${head} : avait lu le document`;
  if (mine.includes('link_opened') || mine.includes('in_person_opened')) return `${head} : avait ouvert le lien, sans lire le document`;
  if (mine.includes('email_sent') || mine.includes('resent') || mine.includes('reminder')) return `${head} : avait reçu le lien, sans l’ouvrir`;
  if (s.delivery === 'staff') return head;
  return `${head} : aucun lien ne lui avait été envoyé`;
}

function pendingSignerState(s: SignerView, events: RequestView['events'], doc?: { signers: readonly SignerView[]; mode?: RequestView['mode'] }): string {
  const mine = events.filter((e) => e.signerId === s.id).map((e) => e.kind);
  if (s.lastEmailStatus === 'failed') return 'E-mail non distribué : corrigez l’adresse ou faites signer en présence';
  if (mine.includes('viewed')) return 'A lu le document, pas encore signé';
  if (mine.includes('link_opened') || mine.includes('in_person_opened')) return 'A ouvert le lien, pas encore lu';
  if (mine.includes('email_sent')) return 'Lien envoyé, pas encore ouvert';
  if (s.delivery === 'in_person') return 'Signera en présence : ouvrez la session sur une tablette';
  if (!doc?.mode) return 'En attente de son tour ou de l’envoi';
  // Sequential mode: the link goes out at the signer's turn, once every required signer before has signed.
  const waiting = blockingSigners(doc.mode, inSigningOrder(doc.signers).map((x) => ({ ...x, orderNo: x.order })), s.order);
  return waiting.length ? `En attente de son tour (après ${waiting.map((x) => x.name).join(', ')})` : 'En attente de l’envoi';
}

export interface DocumentPagePerms {
  /** `document.content`: the files, and what signers and staff wrote about them (questions, answers, refusal reasons). */
  content: boolean;
  /** `resident.read`: the person's file, the judgment references of her protection measure included. */
  residentFile: boolean;
  write: boolean;
  manage: boolean;
  countersign: boolean;
}

export interface ActionError {
  message: string;
  /** The form it belongs to: `send`, or `signer:<id>` (resend). */
  form?: string;
  errors?: FieldError[];
}

export interface DocumentPageModel {
  doc: DocumentView;
  residentName: string | null;
  perms: DocumentPagePerms;
  /** The day the person's documents went to the intermediate archive, when its content is closed to this reader (libs/documents intermediate-archive.ts). */
  archivedSince?: string | null;
  /**
   * The person is in the intermediate archive (whoever reads, opened or not): no new signing act for
   * her (409 RESIDENT_ARCHIVED), the page says so instead of the send form. Her departure and the
   * archive's first day.
   */
  signingClosed?: { departedOn: string; archivedSince: string } | null;
  /** The archive's first day when it alone withholds the content from this reader (the role reads it): the page says why, and how to open it. */
  contentArchived?: string | null;
  /** Per version id: its changes from the previous version (absent without the content permission). */
  changes: Map<string, FieldChange[]> | null;
  /** Who will sign and why (when the document is ready and nothing is in signature). */
  decision: PolicyDecision | null;
  decisionRefusal: string | null;
  /**
   * This draft contrat de séjour's stay has another contract, signed (DocumentsService.contractInForceOver):
   * the draft is neither corrected nor sent (CASF L.311-4, D.311, one contract per stay, amended by
   * avenant). The page says so, links to it, and offers the avenant and abandoning the draft instead.
   */
  contractInForce?: { id: string } | null;
  /**
   * The person is recorded as deceased (DocumentsService.deceasedRefusals): the day, and what is still
   * refused about this document by resident-deceased.ts (its message; null: still allowed, the minutes
   * of a meeting held on or before the death). The page offers neither « Corriger » nor the send form
   * for what is refused, says why, and offers to abandon a draft (C. civ. 443 al. 1).
   */
  deceased?: { deceasedOn: string; newVersion: string | null; signature: string | null } | null;
  /** An abandoned draft: when, by whom (the account's name; null: unknown), and why (its `document.discarded` audit event). */
  discarded?: { at: string; by: string | null; reason: string | null } | null;
  requests: RequestView[];
  /**
   * The requests the person's death cancelled that may still take the scan of a paper signed on or
   * before the day of her death (C. civ. 1121, 443 al. 1; PaperSignaturesService.afterDeath `reopen`),
   * with that day: by request id. Given only to whom may deposit a paper (`signature.manage`), while the
   * document is still « prêt » with no other request in progress.
   */
  paperAfterDeath?: Map<string, string>;
  dipcOffers: Map<string, { reason: string; startDate: string | null }>;
  flash: Flash | null;
  error: ActionError | null;
  sendValues?: Record<string, string | undefined>;
  /** The legal deadline to sign, when it has passed: the send form then asks why it goes out late. */
  lateSince?: Date | null;
  /** The legal deadline the document would have if sent today (legal-deadlines.ts), to compare with each request's stored one. */
  legalDeadlineNow?: Date | null;
  /** The internal visa of the current version (issue 10, item 3). */
  visa: VisaView;
  /** Legal holds (RGPD art. 18.1.c): on this document, and on its person's file (which covers it). */
  holds: DocumentHolds;
  /** After a curateur's refusal to assist: the judge's authorisation for the person to sign alone (C. civ. 469 al. 3). */
  soleSignature?: SoleSignatureView | null;
  /** Whether the other parent is to be informed of the document, and the records that he was (C. civ. 373-2-1 al. 5). */
  otherParent?: OtherParentView | null;
}

export interface DocumentHolds {
  document: LegalHoldView[];
  person: LegalHoldView[];
  /** Who placed each hold (`staff:<id>` → name), for records.manage. */
  names: Map<string, string>;
  /** records.manage: the forms, the reasons and authors. */
  manage: boolean;
}

/**
 * A request's legal deadline as the request page writes it. The date shown is the one stored when
 * the request was sent (`legal_deadline`, in its evidence, its reminders and « À faire »): never
 * recomputed. It is paired with the rule in force only when that rule gives the same day today;
 * otherwise (a request sent under an earlier reading — a DIPC « signé dans le mois », before CASF
 * D.311 III's fifteen days were applied to it — or an admission date corrected since) the page says
 * the date was the one retained when it was sent, and gives the rule in force with its own date.
 * `now`: the legal deadline the document would have if sent today (null: unknown).
 */
export function legalDeadlineLine(documentType: string, stored: string, now: Date | null): string {
  const rule = legalDeadlineRule(documentType);
  const storedDay = calendarDayIn(new Date(stored));
  if (!now || calendarDayIn(now) === storedDay) return `délai légal : ${formatDateFr(storedDay)}${rule ? ` — ${rule}` : ''}`;
  return `délai légal retenu à l’envoi de la demande : ${formatDateFr(storedDay)} ; selon la règle en vigueur, ${formatDateFr(calendarDayIn(now))}${rule ? ` — ${rule}` : ''}`;
}

/**
 * The optional countersigners of the person's side who have not answered yet: a DIPC (CASF D.311 II
 * « Il peut être contresigné par la personne accueillie ou son représentant légal »), an avenant to it
 * (D.311 VII, same conditions), a minor's under a court measure.
 */
function pendingCountersigners(r: Pick<RequestView, 'signers'>): SignerView[] {
  return r.signers.filter((s) => isOptionalCountersigner(s) && s.status === 'pending');
}

/**
 * The confirmation after the director signed from the console. A DIPC, or an avenant to it, is
 * « établi et signé par le directeur » (CASF D.311 II, VII): that signature establishes the document,
 * sealed and handed over at once (D.311 III), not a countersignature that closes it; the person's side
 * may still countersign until the request's deadline (whose-turn.ts countersignWindowOpen). `after`:
 * the request as the signature left it.
 */
export function directorSignedMessage(documentType: string, after: Pick<RequestView, 'signers' | 'deadline'>): string {
  const dipcRule = (documentType === 'dipc' || documentType === 'avenant') && after.signers.some(isOptionalCountersigner);
  if (!dipcRule) return 'Contresignature enregistrée. Le PDF scellé sera prêt dans quelques instants.';
  const may = pendingCountersigners(after);
  if (!may.length) return 'Document signé et établi (CASF D.311) : toutes les signatures sont réunies, le PDF scellé sera prêt dans quelques instants.';
  return (
    `Document signé et établi (CASF D.311) : il s’applique dès maintenant. Il est scellé dans quelques instants et remis à ${may.map((s) => s.name).join(' et ')}, ` +
    `qui ${may.length > 1 ? 'pourront' : 'pourra'} encore le contresigner, sans obligation, jusqu’au ${formatDateTimeFr(new Date(after.deadline))}.`
  );
}

/** The id of an action's message at the top of the page: the action's redirect goes to it, so it is in view. */
export const FLASH_ID = 'message';

export function documentPage(actor: StaffActor, csrf: string, m: DocumentPageModel): string {
  const d = m.doc;
  const title = m.residentName ? documentTitle(d.type, d.subtype, m.residentName) : typeTitle(d.type, d.subtype);
  const generating = d.status === 'generating';
  return renderPage(
    <ConsolePage
      title={m.error ? `Erreur — ${title}` : title}
      actor={actor}
      csrf={csrf}
      stylesheets={DOCUMENT_STYLESHEETS}
      scripts={generating ? ['/static/console-documents.js'] : undefined}
    >
      {m.perms.content ? (
        <p class="back">
          <a href={`/console/residents/${d.residentId}`}>Retour au dossier{m.residentName ? ` ${ofName(m.residentName)}` : ''}</a>
        </p>
      ) : null}
      <h1>{title}</h1>
      {m.error ? (
        <div class="error-summary" role="alert" tabIndex={-1} autoFocus id="erreurs" aria-labelledby="erreurs-titre">
          <h2 id="erreurs-titre">L’action n’a pas pu être faite</h2>
          <p>{m.error.message}</p>
          {m.error.errors?.length ? (
            <ul>
              {m.error.errors.map((e) => (
                <li key={e.field}>{(FORM_FIELDS.test(e.field) || (m.error!.form === OTHER_PARENT_FORM && (OTHER_PARENT_FIELDS as readonly string[]).includes(e.field))) && m.error!.form ? <a href={`#${errorAnchor(m.error!, e.field)}`}>{summaryMessage(m.error!, e)}</a> : e.message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {m.flash ? (
        <div id={FLASH_ID}>
          <FlashNotice flash={m.flash} />
        </div>
      ) : null}
      {m.archivedSince ? (
        <p class="notice" id="archive-intermediaire">
          Archivé : depuis le {formatDateFr(m.archivedSince)}, ce document est en archive intermédiaire (fin de l’accompagnement). Son contenu n’est consultable que par
          un administrateur qui ouvre l’archive depuis le dossier de la personne, en indiquant le motif.
        </p>
      ) : null}

      <h2>État</h2>
      <p class={`status status-${d.status}`} id="etat" data-document-id={generating ? d.id : undefined}>
        <strong>{statusLabel(m)}</strong>
        {generating ? ' : le document est en cours de fabrication (PDF, Word et page web, en version complète, facile à lire et gros caractères).' : null}
      </p>
      {d.status === 'cancelled' && m.discarded ? (
        <p id="abandon">
          Abandonné le {formatDateTimeFr(m.discarded.at)} par {m.discarded.by ?? 'un compte inconnu'}
          {m.discarded.reason ? ` — motif : ${m.discarded.reason}` : ''}
        </p>
      ) : null}
      {generating ? (
        <>
          <p class="hint" id="suivi-generation" aria-live="polite">
            La génération prend en général quelques secondes.
          </p>
          <p>
            <a class="button secondary" href={`/console/documents/${d.id}`}>
              Actualiser
            </a>
          </p>
        </>
      ) : null}
      {m.contractInForce ? <ContractInForceNotice m={m} /> : m.deceased && (d.status === 'ready' || d.status === 'generation_failed') ? <DeceasedNotice m={m} /> : null}
      {d.status === 'generation_failed' && d.generationError ? (
        <div class="notice warning" role="status">
          {d.generationError.fields?.length ? (
            // Data the templates' check refuses: what happened, each field and why, what to do (dataFailureParts).
            <>
              <p>{dataFailureParts(d.generationError.fields).intro}</p>
              <ul id="donnees-refusees">
                {d.generationError.fields.map((f) => (
                  <li key={`${f.field} ${f.code}`}>
                    <strong>{f.label}</strong> : {f.message}
                  </li>
                ))}
              </ul>
              <p>{dataFailureParts(d.generationError.fields).action}</p>
            </>
          ) : (
            <p>{d.generationError.message}</p>
          )}
          {/* A superseded contract is never corrected nor sent: nothing to generate again; nor after the death, as a new version (retryGeneration: RESIDENT_DECEASED). */}
          {d.generationError.retryable && m.perms.write && !m.contractInForce && !m.deceased?.newVersion ? (
            <PostForm action={`/console/documents/${d.id}/relancer`} csrf={csrf}>
              <button type="submit">Relancer la génération</button>
            </PostForm>
          ) : null}
        </div>
      ) : null}

      {/* No visa for a draft that will never be sent (its decisions stay in the document's history). */}
      {m.contractInForce || (m.deceased?.signature && d.status !== 'in_signature' && d.status !== 'signed' && d.status !== 'refused') ? null : (
        <VisaSection documentId={d.id} visa={m.visa} csrf={csrf} error={m.error?.form === 'visa' ? m.error : null} reason={m.error?.form === 'visa' ? m.sendValues?.reason : undefined} />
      )}

      <p>
        <a href={`/console/documents/${d.id}/historique`}>Historique du document et vérification des empreintes</a>
      </p>
      {m.holds.manage ? (
        // records.manage: the archive package of this document, its id filled in (no id to copy from the address).
        <p>
          <a href={`/console/archives?document=${d.id}#export`}>Préparer le paquet d’archive de ce document</a>
        </p>
      ) : null}

      <h2>Versions</h2>
      {m.perms.write && (d.status === 'ready' || d.status === 'generation_failed') ? (
        m.signingClosed ? (
          // No new version for a person in the intermediate archive, opening or not (RESIDENT_ARCHIVED).
          <p class="hint" id="versions-archive">
            Pas de nouvelle version : le dossier de la personne est en archive intermédiaire depuis le {formatDateFr(m.signingClosed.archivedSince)}. L’archive se consulte ; aucun
            document n’y est corrigé ni établi.
          </p>
        ) : m.deceased?.newVersion ? (
          // After the death, no new version but of the minutes of a meeting held before it (409 RESIDENT_DECEASED).
          <p class="hint" id="versions-deces">
            Pas de nouvelle version. {m.deceased.newVersion}
          </p>
        ) : m.contractInForce ? (
          // A new version would be a second contract of the stay (409 CONTRACT_ALREADY_IN_FORCE).
          <p class="hint" id="versions-contrat-en-vigueur">
            Pas de nouvelle version : un contrat de séjour est déjà signé pour ce séjour. Une modification se fait par avenant à ce contrat (CASF L.311-4, D.311).
          </p>
        ) : (
          <p>
            <a class="button secondary" href={`/console/documents/${d.id}/corriger`}>
              Corriger : créer une nouvelle version
            </a>
          </p>
        )
      ) : null}
      <ol class="versions" reversed>
        {[...d.versions].reverse().map((v) => (
          <Version key={v.id} v={v} doc={d} perms={m.perms} changes={m.changes?.get(v.id)} />
        ))}
      </ol>

      <h2 id="signatures">Signatures</h2>
      <Signatures m={m} csrf={csrf} />

      {m.otherParent ? (
        <OtherParentSection
          view={m.otherParent}
          documentId={d.id}
          csrf={csrf}
          closed={!!m.signingClosed || !!m.contractInForce || !!m.deceased?.signature}
          reminderShown={!!m.decision?.otherParentReminder && d.status === 'ready' && !m.signingClosed}
          errors={m.error?.form === OTHER_PARENT_FORM ? (m.error.errors ?? []) : undefined}
          values={m.error?.form === OTHER_PARENT_FORM ? m.sendValues : undefined}
        />
      ) : null}

      <DocumentHoldsSection m={m} csrf={csrf} />
    </ConsolePage>,
  );
}

/** The state in words: a draft that can no longer be sent says why (the intermediate archive, the stay's contract signed, the person's death). */
function statusLabel(m: DocumentPageModel): string {
  const d = m.doc;
  if (d.status === 'ready' && m.signingClosed) return 'Prêt, non envoyé en signature (archive intermédiaire)';
  if (d.status === 'ready' && m.contractInForce) return 'Projet non envoyé : un autre contrat de séjour est signé pour ce séjour';
  if (d.status === 'ready' && m.deceased?.signature) return `Prêt, non envoyé en signature : la personne est décédée le ${formatDateFr(m.deceased.deceasedOn)}`;
  if (d.status === 'cancelled' && m.contractInForce) return 'Projet abandonné : un autre contrat de séjour est signé pour ce séjour';
  if (d.status === 'cancelled' && m.discarded) return m.deceased ? `Projet abandonné : la personne est décédée le ${formatDateFr(m.deceased.deceasedOn)}` : 'Projet abandonné';
  return DOCUMENT_STATUS_LABELS[d.status];
}

/**
 * A draft contrat de séjour whose stay has another contract signed (CASF L.311-4, D.311: one
 * contract per stay, modified by avenant). It says so with a link to the signed contract, and offers
 * what may be done: an avenant to that contract, and abandoning this draft (closed, audited); never
 * « Corriger » nor the send form, which the API refuses (409 CONTRACT_ALREADY_IN_FORCE).
 */
function ContractInForceNotice(props: { m: DocumentPageModel }) {
  const { m } = props;
  const d = m.doc;
  const signed = `/console/documents/${m.contractInForce!.id}`;
  const draft = d.status === 'ready' || d.status === 'generation_failed';
  if (d.status === 'cancelled')
    return (
      <div class="notice" role="note" id="contrat-en-vigueur">
        <p>
          Ce projet a été abandonné : un autre contrat de séjour est signé pour ce séjour (<a href={signed}>voir le contrat signé</a>). Il reste consultable ; il ne peut
          plus être corrigé ni envoyé en signature.
        </p>
      </div>
    );
  return (
    <section class="notice warning" aria-labelledby="contrat-en-vigueur-titre" id="contrat-en-vigueur">
      <h2 id="contrat-en-vigueur-titre">Un autre contrat de séjour est signé pour ce séjour</h2>
      <p>
        <a href={signed}>Voir le contrat de séjour signé</a>. Il n’y a qu’un contrat par séjour ; toute modification se fait par avenant à ce contrat (CASF L.311-4, D.311).
        Ce projet ne peut donc plus être corrigé ni envoyé en signature.
      </p>
      {m.perms.write && draft && !m.signingClosed ? (
        <>
          <p>Vous pouvez :</p>
          <ul class="actions">
            <li>
              <a class="button" href={`/console/residents/${d.residentId}/documents/nouveau?type=avenant`}>
                Rédiger un avenant au contrat signé
              </a>
            </li>
            <li>
              <DiscardLink documentId={d.id} />
            </li>
          </ul>
        </>
      ) : null}
    </section>
  );
}

/**
 * « Abandonner ce projet »: a link to the confirmation page (GET …/abandonner), which says what it
 * does and posts it — never one click from here.
 */
function DiscardLink(props: { documentId: string }) {
  return (
    <>
      <a class="button secondary" href={`/console/documents/${props.documentId}/abandonner`} aria-describedby="abandon-aide">
        Abandonner ce projet
      </a>
      <p class="hint" id="abandon-aide">
        Une page de confirmation suit. Le projet reste consultable dans le dossier, avec ses versions ; il ne figure plus parmi les documents à envoyer. L’abandon est inscrit au
        journal d’audit.
      </p>
    </>
  );
}

/**
 * A draft of a person recorded as deceased (C. civ. 443 al. 1: her measure ended with her; nothing new
 * is established nor sent for her, resident-deceased.ts): says so with the date and what is refused
 * (409 RESIDENT_DECEASED), never offers it, and offers to abandon the draft. The minutes of a meeting
 * held on or before the death may still be corrected and sent: said too, the abandonment offered as well.
 */
function DeceasedNotice(props: { m: DocumentPageModel }) {
  const { m } = props;
  const dd = m.deceased!;
  const d = m.doc;
  const closed = !!dd.newVersion && !!dd.signature;
  return (
    <section class={`notice${closed ? ' warning' : ''}`} aria-labelledby="personne-decedee-titre" id="personne-decedee">
      <h2 id="personne-decedee-titre">La personne est décédée le {formatDateFr(dd.deceasedOn)}</h2>
      {closed ? (
        <p>
          {d.status === 'generation_failed' ? 'Sa génération ne peut plus être relancée, ni ce projet corrigé ou envoyé en signature' : 'Ce projet ne peut plus être corrigé ni envoyé en signature'} :
          aucun nouveau document n’est établi pour elle, le pouvoir de ceux qui la représentaient ayant pris fin avec elle (mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur). Il reste consultable.
        </p>
      ) : (
        <>
          {dd.newVersion ? <p>{dd.newVersion}</p> : null}
          {dd.signature ? <p>{dd.signature}</p> : null}
          {!dd.newVersion && !dd.signature ? <p>Ce compte rendu porte sur une réunion tenue au plus tard le jour du décès : il peut encore être corrigé et envoyé en signature.</p> : null}
        </>
      )}
      {m.perms.write && !m.signingClosed ? (
        <>
          <p>
            {closed
              ? d.status === 'generation_failed'
                ? 'Pour qu’il ne reste pas en suspens, vous pouvez l’abandonner :'
                : 'Pour qu’il ne reste pas « prêt » sans suite, vous pouvez l’abandonner :'
              : 'S’il ne doit pas aboutir, vous pouvez l’abandonner :'}
          </p>
          <div class="actions">
            <DiscardLink documentId={d.id} />
          </div>
        </>
      ) : null}
    </section>
  );
}

/** The fields the page's forms have (the others' errors are listed without a link). */
const FORM_FIELDS = /^(deadline|reminderDays|lateReason|email|reason|answer|holdReason|liftReason|court|decisionDate|reference|note|delivery\.[^.]+)$/;

/** A message of the summary: the other parent's form names its field first (« Remarque : … »), its messages being short. */
function summaryMessage(error: ActionError, e: FieldError): string {
  return error.form === OTHER_PARENT_FORM && OTHER_PARENT_FIELD_LABELS[e.field] ? `${OTHER_PARENT_FIELD_LABELS[e.field]} : ${e.message}` : e.message;
}

function errorAnchor(error: ActionError, field: string): string {
  // The hold forms' fields are named as on the resident's file (HoldsBlock).
  if (error.form === 'hold' || error.form === SOLE_SIGNATURE_FORM || error.form === OTHER_PARENT_FORM) return fieldId(field);
  return error.form === 'send' ? fieldId(`send-${field}`) : fieldId(`${error.form ?? 'action'}-${field}`);
}

/**
 * « Conservation »: the legal holds that keep this document beyond its retention — its own (placed
 * and lifted here by records.manage, as POST /api/legal-holds with subjectType document) and its
 * person's (placed on her file, which it names and links).
 */
function DocumentHoldsSection(props: { m: DocumentPageModel; csrf: string }) {
  const { m } = props;
  const h = m.holds;
  const error = m.error?.form === 'hold' ? m.error : null;
  return (
    <section aria-labelledby="conservation">
      <h2 id="conservation">Conservation</h2>
      {/* The person's hold, to whom may read her file (as on the file itself). */}
      {h.person.length && m.residentName !== null ? (
        <p>
          <strong>Gel en place sur le dossier de la personne</strong> depuis le {formatDateTimeFr(h.person[0].placedAt)} : ni son dossier ni ses documents, celui-ci compris, ne peuvent être
          supprimés tant qu’il n’est pas levé
          {m.perms.content ? (
            <>
              {' '}
              (<a href={`/console/residents/${m.doc.residentId}#gels`}>voir son dossier</a>)
            </>
          ) : null}
          .
        </p>
      ) : null}
      <HoldsBlock
        base={`/console/documents/${m.doc.id}`}
        subject="document"
        active={h.document}
        names={h.names}
        manage={h.manage}
        csrf={props.csrf}
        errors={error?.errors}
        values={error ? m.sendValues : undefined}
      />
    </section>
  );
}

function FlashNotice(props: { flash: Flash }) {
  const f = props.flash;
  if (f.kind === 'code')
    return (
      <Notice kind="success">
        <p>
          Code d’accès pour {f.signer} : <strong class="code">{f.code.replace(/(\d{3})(\d{3})/, '$1 $2')}</strong>
        </p>
        <p>Donnez-le en personne ou par téléphone. Il vaut jusqu’à {formatTimeFr(new Date(f.expiresAt))} (5 essais) et ne sera plus affiché.</p>
      </Notice>
    );
  if (f.kind === 'in_person')
    return (
      <Notice kind="success">
        <p>Session de signature en présence ouverte pour {f.signer}. Ouvrez ce lien sur la tablette que vous lui présentez (il ne sera plus affiché) :</p>
        <p>
          <a href={f.url} class="tablet-link">
            {f.url}
          </a>
        </p>
        <p>Valable jusqu’au {formatDateTimeFr(f.expiresAt)}.</p>
      </Notice>
    );
  return (
    <Notice kind="success">
      <p>{f.message}</p>
    </Notice>
  );
}

function Version(props: { v: VersionView; doc: DocumentView; perms: DocumentPagePerms; changes?: FieldChange[] }) {
  const { v, doc } = props;
  const first = v.number === 1;
  return (
    <li class="version" id={`version-${v.number}`}>
      <h3>
        Version {v.number}
        {v.id === doc.currentVersionId ? ' (version courante)' : ''}
      </h3>
      <p>
        <strong>Raison :</strong> {v.reason}
      </p>
      <p>
        Demandée le {formatDateTimeFr(v.createdAt)}
        {v.generatedAt ? `, générée le ${formatDateTimeFr(v.generatedAt)}` : v.status === 'failed' ? ', génération impossible' : ', pas encore générée'}. Modèle : {documentTypeLabel(v.template.id, v.template.id === doc.type ? doc.subtype : null)?.short ?? v.template.id}, version {v.template.version}.
      </p>
      {v.error && v.id !== doc.currentVersionId ? <p>{v.error.message}</p> : null}
      {props.perms.content && v.renditions.length ? (
        <details class="renditions">
          <summary>Télécharger cette version ({v.renditions.length} fichiers)</summary>
          <ul>
            {v.renditions.map((r) => (
              <li key={`${r.format}-${r.variant}`}>
                <a href={r.href} download>
                  {FORMAT_LABELS[r.format]}, {VARIANT_LABELS[r.variant]}
                </a>{' '}
                <span class="hint">({Math.max(1, Math.round(r.byteSize / 1024))} ko)</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {props.changes && !first ? (
        props.changes.length ? (
          <table class="changes">
            <caption>Ce qui change par rapport à la version {v.number - 1}</caption>
            <thead>
              <tr>
                <th scope="col">Champ</th>
                <th scope="col">Avant</th>
                <th scope="col">Après</th>
              </tr>
            </thead>
            <tbody>
              {props.changes.map((c) => (
                <tr key={c.path}>
                  <th scope="row">{c.label}</th>
                  <td>{c.before ?? <span class="hint">(vide)</span>}</td>
                  <td>{c.after ?? <span class="hint">(retiré)</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>Les données sont les mêmes que celles de la version {v.number - 1}.</p>
        )
      ) : null}
    </li>
  );
}

function Signatures(props: { m: DocumentPageModel; csrf: string }) {
  const { m, csrf } = props;
  const d = m.doc;
  const active = m.requests.find((r) => r.status === 'active');
  return (
    <>
      {d.status === 'ready' && !active && m.signingClosed ? (
        <Notice kind="info">
          <p id="signature-archive">
            Pas d’envoi en signature : la personne a quitté l’établissement le {formatDateFr(m.signingClosed.departedOn)} et son dossier est en archive intermédiaire depuis le{' '}
            {formatDateFr(m.signingClosed.archivedSince)}. L’archive se consulte pour un besoin précis (un litige, une demande de la personne) ; elle ne sert pas à de nouveaux
            actes : aucune signature ne peut plus lui être demandée.
          </p>
        </Notice>
      ) : d.status === 'ready' && !active ? (
        (m.contractInForce || m.deceased?.signature) && m.decisionRefusal ? (
          <Notice kind="warning">
            <p>Le document ne peut pas être envoyé en signature : {m.decisionRefusal}</p>
          </Notice>
        ) : m.visa.state === 'requested' || m.visa.state === 'rejected' ? (
          <VisaHoldsSending visa={m.visa} />
        ) : m.decision ? (
          <SendSection m={m} decision={m.decision} csrf={csrf} />
        ) : m.decisionRefusal ? (
          <Notice kind="warning">
            <p>Le document ne peut pas être envoyé en signature : {m.decisionRefusal}</p>
          </Notice>
        ) : null
      ) : null}
      {!m.requests.length && d.status === 'cancelled' ? <p>Aucune demande de signature : ce projet est abandonné.</p> : null}
      {!m.requests.length && d.status !== 'ready' && d.status !== 'cancelled' ? <p>Aucune demande de signature pour le moment.</p> : null}
      {m.requests.map((r, i) => (
        <RequestSection key={r.id} r={r} m={m} csrf={csrf} latest={i === 0} />
      ))}
    </>
  );
}

function fileDetails(text: string, perms: DocumentPagePerms): string {
  // A request written before the policy kept its explanation has none: nothing to withhold.
  return perms.residentFile || !text ? text : withoutFileReferences(text);
}

function Explanation(props: { children: ComponentChildren }) {
  return <p class="explanation">{props.children}</p>;
}

/**
 * The hint of a request's deadline, by what the law sets for the document: the contract's month and
 * the first avenant's six months cap it (CASF D.311 III and V), the DIPC's fortnight binds the director's
 * signature only (D.311 II), and nothing sets one for a projet or minutes.
 */
export function requestDeadlineHint(type: string): string {
  if (type === 'dipc')
    return 'Par défaut dans 30 jours. Le délai légal du DIPC (quinze jours après l’admission, CASF D.311) vaut pour la signature de la direction ; la contresignature, facultative, reste possible après.';
  const rule = legalDeadlineRule(type);
  return rule ? `Par défaut dans 30 jours, jamais après le délai légal (${rule}).` : 'Par défaut dans 30 jours. Aucun délai légal ne s’applique à ce document.';
}

/**
 * The establishment's signature, binding: a checkbox naming the version signed (with its PDF, for a
 * reader of the content) must be ticked, so that a click alone never signs (the newcomer's review:
 * « Contresigner le document » signed at once). The console's controller refuses the form without it
 * (COUNTERSIGN_NOT_CONFIRMED), and the version the box names goes with it (a hidden field): the
 * service refuses another than the request's (COUNTERSIGN_VERSION_MISMATCH), as for the JSON API's
 * POST …/countersign, whose body states the same, `{ "confirm": true, "version": N }`.
 */
function CountersignForm(props: { m: DocumentPageModel; r: RequestView; base: string; csrf: string; establishes: boolean }) {
  const { m, r, base, csrf, establishes } = props;
  const form = `countersign-${r.id}`;
  const error = m.error?.form === form ? (m.error.errors ?? []).find((e) => e.field === 'confirm') : undefined;
  const id = fieldId(`contresigner-${r.id}-confirm`);
  const version = m.doc.versions.find((v) => v.id === r.versionId);
  const pdf = m.perms.content ? version?.renditions.find((x) => x.format === 'pdf' && x.variant === 'standard') : undefined;
  return (
    <PostForm action={`${base}/contresigner`} csrf={csrf}>
      {version ? <input type="hidden" name="version" value={String(version.number)} /> : null}
      <div class="field">
        {error ? (
          <p class="field-error" id={`${id}-erreur`}>
            {error.message}
          </p>
        ) : null}
        <div class="choice">
          <input type="checkbox" id={id} name="confirm" value="oui" required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-erreur` : undefined} />
          <label for={id}>
            {establishes ? 'J’ai lu le document et je le signe pour l’établissement' : 'J’ai lu le document et je le contresigne pour l’établissement'}
            {version ? ` (version ${version.number})` : ''}.
          </label>
        </div>
        {pdf ? (
          <p class="hint">
            <a href={pdf.href}>Lire la version {version!.number} (PDF)</a>
          </p>
        ) : null}
      </div>
      {/* A DIPC is established and signed by the director; the person countersigns after (CASF D.311 II). */}
      <button type="submit">{establishes ? 'Signer et établir le document' : 'Contresigner le document'}</button>
    </PostForm>
  );
}

function SendSection(props: { m: DocumentPageModel; decision: PolicyDecision; csrf: string }) {
  const { m, decision, csrf } = props;
  const v = m.sendValues ?? {};
  const err = m.error?.form === 'send' ? (m.error.errors ?? []) : [];
  const errorFor = (f: string) => err.find((e) => e.field === f);
  const people = inSigningOrder(decision.signers).filter((s) => s.role !== 'director');
  return (
    <section aria-labelledby="qui-signe">
      <h3 id="qui-signe">Qui signera et pourquoi</h3>
      <Explanation>{fileDetails(decision.explanation, m.perms)}</Explanation>
      {/* C. civ. 373-2-1 al. 5: one parent signs alone; the other, without the exercise, is informed (not a signer). */}
      {/* « À faire » until the page's records say he was informed (« Information de l’autre parent » below), then « Fait ». */}
      {decision.otherParentReminder ? <OtherParentReminder reminder={decision.otherParentReminder} view={m.otherParent ?? null} /> : null}
      <ol class="signers">
        {inSigningOrder(decision.signers).map((s) => (
          <li key={s.key}>
            <strong>
              {s.person.firstName} {s.person.lastName}
            </strong>{' '}
            — {s.capacity}
            {s.optional ? ' (facultatif)' : ''}. <span class="legal">Fondement : {fileDetails(s.legalBasis, m.perms)}.</span>
          </li>
        ))}
      </ol>
      {decision.views.length ? (
        <>
          {/* Before sending nothing is recorded yet: the views are to be collected, at signature time. */}
          <p>Avis à recueillir :</p>
          <ul>
            {decision.views.map((w) => (
              <li key={w.key}>
                {w.person.firstName} {w.person.lastName} ({fileDetails(w.legalBasis, m.perms)})
                {w.legalBasis.includes('459-2')
                  ? ' : le choix du lieu de résidence lui appartient ; un désaccord bloque la signature jusqu’à la décision du juge, inscrite dans le document'
                  : ' : sans bloquer la signature'}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {m.perms.manage ? (
        <>
          <h3>Envoyer en signature</h3>
          <PostForm action={`/console/documents/${m.doc.id}/envoyer`} csrf={csrf}>
            {people.map((s) => {
              const name = `method.${s.key}`;
              const id = fieldId(`send-delivery.${s.key}`);
              const error = errorFor(`delivery.${s.key}`);
              const method = v[name] ?? (s.person.email ? 'email' : 'in_person');
              return (
                <fieldset key={s.key} id={id} aria-describedby={error ? `${id}-erreur` : undefined}>
                  <legend>
                    {s.person.firstName} {s.person.lastName} : mode de signature
                  </legend>
                  {error ? (
                    <p class="field-error" id={`${id}-erreur`}>
                      {error.message}
                    </p>
                  ) : null}
                  {s.person.email ? (
                    <div class="choice">
                      <input type="radio" id={`${id}-email`} name={name} value="email" checked={method === 'email'} />
                      <label for={`${id}-email`}>Par e-mail ({s.person.email})</label>
                    </div>
                  ) : (
                    <p class="hint">Pas d’adresse e-mail au dossier : signature en présence.</p>
                  )}
                  <div class="choice">
                    <input type="radio" id={`${id}-presence`} name={name} value="in_person" checked={method === 'in_person'} />
                    <label for={`${id}-presence`}>En présence, sur une tablette</label>
                  </div>
                  <div class="choice">
                    <input type="checkbox" id={`${id}-code`} name={`code.${s.key}`} value="oui" checked={v[`code.${s.key}`] === 'oui'} />
                    <label for={`${id}-code`}>Exiger un code d’accès (donné en personne ou par téléphone)</label>
                  </div>
                </fieldset>
              );
            })}
            {/* A DIPC, or an avenant to it, is established by the director's signature; the person's side may countersign after (CASF D.311 II, VII). */}
            {(m.doc.type === 'dipc' || m.doc.type === 'avenant') && people.some((s) => s.optional) ? (
              <p class="hint">
                La direction signe depuis la console : sa signature établit le document, qui est alors scellé et remis (CASF D.311 II et III) ; la personne ou son représentant peut le contresigner
                jusqu’à l’échéance de la demande.
              </p>
            ) : (
              <p class="hint">La direction contresigne depuis la console, en dernier.</p>
            )}
            <fieldset id={fieldId('send-mode')}>
              <legend>Ordre des signatures</legend>
              <div class="choice">
                <input type="radio" id="send-mode-parallel" name="mode" value="parallel" checked={(v.mode ?? 'parallel') === 'parallel'} />
                <label for="send-mode-parallel">Tous en même temps</label>
              </div>
              <div class="choice">
                <input type="radio" id="send-mode-sequential" name="mode" value="sequential" checked={v.mode === 'sequential'} />
                <label for="send-mode-sequential">Chacun à son tour, dans l’ordre ci-dessus</label>
              </div>
            </fieldset>
            {m.lateSince ? (
              <div class="field">
                <div class="notice warning" role="note">
                  <p>
                    Le délai légal de signature est dépassé depuis le {formatDateFr(m.lateSince, { timeZone: 'Europe/Paris' })} ({legalDeadlineRule(m.doc.type)}). Pour envoyer quand même, indiquez pourquoi : la raison est conservée avec la demande et dans le journal d’audit.
                  </p>
                </div>
                <label for={fieldId('send-lateReason')}>Raison de l’envoi après le délai légal</label>
                <textarea
                  id={fieldId('send-lateReason')}
                  name="lateReason"
                  rows={3}
                  value={v.lateReason ?? ''}
                  aria-invalid={errorFor('lateReason') ? 'true' : undefined}
                  aria-describedby={errorFor('lateReason') ? `${fieldId('send-lateReason')}-erreur` : undefined}
                />
                {errorFor('lateReason') ? (
                  <p class="field-error" id={`${fieldId('send-lateReason')}-erreur`}>
                    {errorFor('lateReason')!.message}
                  </p>
                ) : null}
              </div>
            ) : null}
            <SendField
              name="deadline"
              label="Échéance (facultatif)"
              hint={
                m.lateSince
                  ? `Par défaut dans 30 jours. Le délai légal est déjà dépassé (depuis le ${formatDateFr(m.lateSince, { timeZone: 'Europe/Paris' })}) : l’échéance ne peut plus le respecter, et la raison du retard indiquée ci-dessus est conservée avec la demande.`
                  : requestDeadlineHint(m.doc.type)
              }
              type="date"
              value={v.deadline}
              error={errorFor('deadline')}
            />
            <SendField name="reminderDays" label="Relances, en jours après l’envoi" hint="Par exemple « 3, 7 » : une relance au 3e jour puis au 7e." value={v.reminderDays ?? '3, 7'} error={errorFor('reminderDays')} />
            <p>
              <button type="submit">Envoyer en signature</button>
            </p>
          </PostForm>
        </>
      ) : null}
    </section>
  );
}

function SendField(props: { name: string; label: string; hint: string; type?: 'date'; value?: string; error?: FieldError }) {
  const id = fieldId(`send-${props.name}`);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <p class="hint" id={`${id}-aide`}>
        {props.hint}
      </p>
      <input
        type={props.type ?? 'text'}
        id={id}
        name={props.name}
        value={props.value ?? ''}
        class="short"
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={`${id}-aide${props.error ? ` ${id}-erreur` : ''}`}
      />
      {props.error ? (
        <p class="field-error" id={`${id}-erreur`}>
          {props.error.message}
        </p>
      ) : null}
    </div>
  );
}

function RequestSection(props: { r: RequestView; m: DocumentPageModel; csrf: string; latest: boolean }) {
  const { r, m, csrf } = props;
  const base = `/console/documents/${m.doc.id}/demandes/${r.id}`;
  const active = r.status === 'active';
  const director = r.signers.find((s) => s.role === 'director');
  const othersSigned = r.signers.every((s) => s.role === 'director' || s.optional || s.status === 'signed');
  // A DIPC's person may countersign or not (CASF D.311): say so rather than « toutes les signatures ».
  // Not one whose signature lapsed at the person's death (C. civ. 443 al. 1): she will not countersign.
  const optionalPending = r.signers.filter((s) => isOptionalCountersigner(s) && s.status === 'pending' && !lapsedAtDeath(s, r.events));
  const lapsedSigners = r.signers.filter((s) => lapsedAtDeath(s, r.events));
  // Cancelled by the person's death: the paper signed on or before that day may still be deposited (the controller asked the paper service).
  const paperBeforeDeath =
    r.status === 'cancelled' && m.perms.manage && !m.signingClosed && m.doc.status === 'ready' && !r.paper && !m.requests.some((x) => x.status === 'active')
      ? (m.paperAfterDeath?.get(r.id) ?? null)
      : null;
  const headingId = `demande-${r.id}`;
  const offer = m.dipcOffers.get(r.id);
  return (
    <section aria-labelledby={headingId} class="request" data-request-id={r.id}>
      <h3 id={headingId}>
        Demande de signature du {formatDateTimeFr(r.events[0]?.at ?? r.deadline)} : {requestStatusLabel(r)}
      </h3>
      <p>
        {r.mode === 'sequential' ? 'Chacun signe à son tour.' : 'Tous peuvent signer en même temps.'} Échéance : {formatDateTimeFr(r.deadline)}
        {r.legalDeadline ? ` (${legalDeadlineLine(m.doc.type, r.legalDeadline, m.legalDeadlineNow ?? null)})` : ''}.
      </p>
      {r.status === 'cancelled' ? <CancellationNotice r={r} /> : null}
      {/* The person died after her side had all signed (signature event kept_at_death): kept, not cancelled — C. civ. 1121, 443 al. 1. */}
      {r.events.some((e) => e.kind === 'kept_at_death') ? (
        <p class="notice" id={`demande-${r.id}-deces`}>
          Décès de la personne{m.deceased ? ` le ${formatDateFr(m.deceased.deceasedOn)}` : ''} : elle-même ou ceux qui signaient pour elle avaient signé avant (voir les dates
          ci-dessous), son accord était donc donné (C. civ. art. 1121). La demande est maintenue pour la seule contresignature de la direction ; elle n’a pas été annulée.
          {/* After the death the signed document goes to the establishment only (signing-jobs SKIPPED_REPRESENTATIVE_AFTER_DEATH); a same-day signature is a warning (C. civ. 79). */}{' '}
          Après le décès, le document signé n’est plus adressé à l’ancien représentant ; les ayants droit peuvent en demander communication (CSP L.1110-4 V ; C. civ. 724).
          {r.keptAtDeath?.warning ? (
            <>
              {' '}
              <strong>{r.keptAtDeath.warning}</strong>
            </>
          ) : null}
        </p>
      ) : null}
      <Explanation>{fileDetails(r.explanation, m.perms)}</Explanation>
      <RecordedViews r={r} />
      {r.residenceDispute ? <ResidenceDisputeNotice r={r} dispute={r.residenceDispute} manage={m.perms.manage} /> : null}
      <ul class="signer-cards">
        {r.signers.map((s) => (
          <SignerCard key={s.id} s={s} r={r} m={m} csrf={csrf} base={base} />
        ))}
      </ul>
      {/* No signing act for a person in the intermediate archive (RESIDENT_ARCHIVED): the request may still be cancelled. */}
      {active && m.signingClosed ? (
        <p class="hint" id={`demande-${r.id}-archive`}>
          La personne a quitté l’établissement le {formatDateFr(m.signingClosed.departedOn)} et son dossier est en archive intermédiaire depuis le{' '}
          {formatDateFr(m.signingClosed.archivedSince)} : plus aucune signature, lien ou code n’est donné pour cette demande. Annulez-la.
        </p>
      ) : null}
      {active && !m.signingClosed && director?.status === 'pending' && m.perms.countersign ? (
        othersSigned ? (
          <div class="notice">
            {optionalPending.length ? (
              <p>
                Les signatures requises sont là : la signature de l’établissement est attendue (CASF D.311). En signant maintenant, vous établissez le document : il est
                scellé et remis aussitôt à {optionalPending.map((s) => s.name).join(' et ')}, qui pourra encore le contresigner jusqu’au{' '}
                {formatDateTimeFr(r.deadline)}. La signature est faite avec votre session : cochez la case pour confirmer.
              </p>
            ) : lapsedSigners.length ? (
              // Her optional signature lapsed at the death (C. civ. 443 al. 1): not « toutes les signatures ».
              <p>
                Les signatures requises sont là ; celle {ofName(lapsedSigners.map((s) => s.name).join(', '))}, facultative, ne peut plus être donnée depuis le décès de la
                personne. La contresignature de l’établissement est attendue (CASF D.311). Elle est faite avec votre session : cochez la case pour confirmer.
              </p>
            ) : (
              <p>Toutes les signatures sont là : la contresignature de l’établissement est attendue (CASF D.311). Elle est faite avec votre session : cochez la case pour confirmer.</p>
            )}
            <CountersignForm m={m} r={r} base={base} csrf={csrf} establishes={optionalPending.length > 0} />
          </div>
        ) : (
          <p class="hint">La contresignature viendra quand les autres signataires auront signé.</p>
        )
      ) : null}
      {r.sealed ? (
        <div class="notice success">
          {r.countersignUntil ? (
            <p>
              Document établi (signé par l’établissement, CASF D.311) et scellé le {formatDateTimeFr(r.sealed.sealedAt)} : il s’applique dès maintenant. La contresignature{' '}
              {optionalPending.map((s) => ofName(s.name)).join(' ou ')}, facultative, reste possible jusqu’au {formatDateTimeFr(r.countersignUntil)} ; si elle a lieu, un
              nouvel exemplaire scellé est produit et remis.
            </p>
          ) : r.sealed.edition > 1 ? (
            <p>Document contresigné et scellé à nouveau le {formatDateTimeFr(r.sealed.sealedAt)} (exemplaire n° {r.sealed.edition}).</p>
          ) : (
            <p>Document signé et scellé le {formatDateTimeFr(r.sealed.sealedAt)}.</p>
          )}
          <ul>
            {m.perms.content ? (
              <li>
                <a href={r.sealed.href} download>
                  Télécharger le PDF signé et scellé
                </a>
              </li>
            ) : null}
            <li>
              <a href={r.sealed.evidenceHref} download>
                Télécharger le dossier de preuve (JSON)
              </a>
            </li>
          </ul>
        </div>
      ) : r.sealFailure ? (
        <SealFailureNotice failure={r.sealFailure} action={m.perms.manage ? `${base}/sceller` : null} csrf={csrf} />
      ) : r.awaitingSeal && optionalPending.length ? (
        // Established by the director's signature, its countersignature optional (CASF D.311 II): not « toutes les signatures ».
        <p>Document signé et établi par l’établissement : le scellement du PDF est en cours, puis il est remis à {optionalPending.map((s) => s.name).join(' et ')}.</p>
      ) : r.status === 'completed' || r.awaitingSeal ? (
        <p>Toutes les signatures sont réunies : le scellement du PDF est en cours.</p>
      ) : null}
      {r.handover ? <HandoverBlock r={r} m={m} csrf={csrf} base={base} /> : null}
      <Questions r={r} documentId={m.doc.id} csrf={csrf} canAnswer={m.perms.manage && !m.signingClosed} showContent={m.perms.content} archivedSince={m.contentArchived ?? null} error={m.error} values={m.sendValues} />
      {r.assistanceRefused ? (
        <AssistanceRefused
          r={r}
          documentId={m.doc.id}
          sole={m.soleSignature ?? null}
          csrf={csrf}
          manage={m.perms.manage}
          errors={m.error?.form === SOLE_SIGNATURE_FORM ? (m.error.errors ?? []) : undefined}
          values={m.error?.form === SOLE_SIGNATURE_FORM ? m.sendValues : undefined}
        />
      ) : null}
      {m.signingClosed && m.perms.write && r.status === 'refused' && m.doc.type === 'contrat-sejour' && !r.assistanceRefused ? (
        // The replacement DIPC (CASF D.311) is a new document: none in the intermediate archive (RESIDENT_ARCHIVED).
        <p class="hint" id={`demande-${r.id}-dipc-archive`}>
          Pas de DIPC de remplacement : la personne a quitté l’établissement le {formatDateFr(m.signingClosed.departedOn)} et son dossier est en archive intermédiaire depuis le{' '}
          {formatDateFr(m.signingClosed.archivedSince)}. L’archive se consulte ; aucun nouveau document n’est établi pour elle.
        </p>
      ) : null}
      {offer && m.perms.write && !m.signingClosed ? (
        <div class="notice warning">
          <p>
            Le contrat de séjour a été refusé : la loi prévoit alors un document individuel de prise en charge (DIPC, CASF D.311). Il reprend les objectifs, prestations
            et participants du contrat{offer.startDate ? `, à partir du ${formatDateFr(offer.startDate)}` : ''}.
          </p>
          <PostForm action={`${base}/dipc`} csrf={csrf}>
            <button type="submit">Créer le DIPC</button>
          </PostForm>
        </div>
      ) : null}
      {active && !m.signingClosed && m.perms.manage && !r.awaitingSeal && !r.sealed ? (
        <p>
          <a href={`${base}/papier`}>Déposer le scan signé sur papier</a>
        </p>
      ) : null}
      {paperBeforeDeath ? (
        // C. civ. 1121: an agreement given on paper while she lived stays; PaperSignaturesService checks the day declared.
        <p id={`demande-${r.id}-papier-deces`}>
          <a href={`${base}/papier`} class="button secondary" aria-describedby={`demande-${r.id}-papier-deces-aide`}>
            Déposer le papier signé avant le décès
          </a>
          <span class="hint" id={`demande-${r.id}-papier-deces-aide`}>
            {' '}
            Un papier signé au plus tard le {formatDateFr(paperBeforeDeath)}, jour du décès, peut encore être déposé : la demande reprend alors pour ce papier.
          </span>
        </p>
      ) : null}
      {active && m.perms.manage && !r.awaitingSeal && !r.sealed ? (
        <p>
          <a href={`${base}/annuler`} class="button secondary">
            Annuler la demande de signature
          </a>
          <span class="hint"> Une page de confirmation suit : elle dit ce qui sera perdu et demande la raison de l’annulation.</span>
        </p>
      ) : null}
    </section>
  );
}

/**
 * A cancelled request: when, by whom and why (the `cancelled` event: staff's reason, or « Décès de
 * la personne le … » / « Départ de la personne le … » written with the end of the accompaniment),
 * and what it means — the links are dead, a signature given no longer counts.
 */
function CancellationNotice(props: { r: RequestView }) {
  const { r } = props;
  const c = r.cancellation;
  const id = `demande-${r.id}-annulation`;
  const signed = r.signers.some((s) => s.status === 'signed');
  return (
    <div class="notice" id={id}>
      <p>
        <strong>
          Demande annulée{c ? ` le ${formatDateTimeFr(c.at)}` : ''}
          {c?.byName ? ` par ${c.byName}` : ''}.
        </strong>{' '}
        {c?.reason
          ? `Raison : « ${c.reason} ».`
          : c?.reason === ''
            ? 'Une raison a été donnée (non affichée : elle relève du contenu du document).'
            : 'Aucune raison n’a été indiquée.'}
      </p>
      <p>
        Les liens envoyés ne fonctionnent plus{signed ? ' et les signatures déjà données ne comptent plus : le document n’est pas signé' : ''}.
      </p>
    </div>
  );
}

/** The request's state in its heading: an established DIPC still open to a countersignature says so. */
function requestStatusLabel(r: RequestView): string {
  if (r.countersignUntil) return 'document établi ; contresignature possible';
  if (r.status === 'completed' && r.signers.some((s) => s.optional && s.status !== 'signed')) return 'terminée : document établi';
  return REQUEST_STATUS_LABELS[r.status];
}

/**
 * CASF D.311 III: the established document is « remis à chaque personne et, le cas échéant, à son
 * représentant légal », whether they signed or not. Each of them with how it reached them: by
 * e-mail (a link to download the sealed PDF), or « À remettre en main propre » with the form that
 * records the handover (date, how: an event in the evidence and the audit chain).
 */
function HandoverBlock(props: { r: RequestView; m: DocumentPageModel; csrf: string; base: string }) {
  const { r, m, csrf, base } = props;
  const handover = r.handover!;
  const headingId = `remise-${r.id}`;
  const today = calendarDayIn(new Date());
  return (
    <section aria-labelledby={headingId} class="handover">
      <h4 id={headingId}>Remise du document (CASF D.311 III)</h4>
      <p>Le document établi le {formatDateTimeFr(handover.establishedAt)} est remis à la personne et, le cas échéant, à son représentant légal, qu’ils l’aient signé ou non.</p>
      <ul class="handover-list">
        {handover.recipients.map((x) => {
          const form = `handover-${x.key}`;
          const errors = m.error?.form === form ? (m.error.errors ?? []) : [];
          const dateError = errors.find((e) => e.field === 'handedOn');
          const howError = errors.find((e) => e.field === 'how');
          const dateId = fieldId(`remise-${r.id}-${x.key}-date`);
          const howId = fieldId(`remise-${r.id}-${x.key}-how`);
          return (
            <li key={x.key}>
              <p>
                <strong>{x.name}</strong> ({x.capacity}) :{' '}
                {x.handedOver ? (
                  <>
                    remis en main propre le {formatDateFr(new Date(`${x.handedOver.on}T12:00:00Z`))}
                    {x.handedOver.by ? ` (enregistré par ${x.handedOver.by})` : ''}
                    {/* Empty for a reader without document.content (requestViewFor): staff's words are content. */}
                    {x.handedOver.how ? ` : « ${x.handedOver.how} »` : '.'}
                  </>
                ) : x.channel === 'email' ? (
                  x.sentAt ? (
                    <>envoyé par e-mail le {formatDateTimeFr(x.sentAt)} (lien de téléchargement du PDF scellé).</>
                  ) : (
                    <>envoi par e-mail en cours.</>
                  )
                ) : (
                  <strong class="to-hand-over">À remettre en main propre{x.emailFailed ? ' (l’e-mail n’a pas pu être remis)' : ''}.</strong>
                )}
              </p>
              {!x.handedOver && x.channel === 'in_hand' && m.perms.manage ? (
                <PostForm action={`${base}/remise/${encodeURIComponent(x.key)}`} csrf={csrf} class="handover-form">
                  <div class="field">
                    <label for={dateId}>Date de la remise</label>
                    <input
                      type="date"
                      id={dateId}
                      name="handedOn"
                      value={m.error?.form === form ? (m.sendValues?.handedOn ?? today) : today}
                      aria-invalid={dateError ? 'true' : undefined}
                      aria-describedby={dateError ? `${dateId}-erreur` : undefined}
                    />
                    {dateError ? (
                      <p class="field-error" id={`${dateId}-erreur`}>
                        {dateError.message}
                      </p>
                    ) : null}
                  </div>
                  <div class="field">
                    <label for={howId}>Comment le document a été remis</label>
                    <input
                      type="text"
                      id={howId}
                      name="how"
                      value={m.error?.form === form ? (m.sendValues?.how ?? '') : ''}
                      aria-invalid={howError ? 'true' : undefined}
                      aria-describedby={`${howId}-aide${howError ? ` ${howId}-erreur` : ''}`}
                    />
                    <p class="hint" id={`${howId}-aide`}>
                      Par exemple : en main propre, lors de l’entretien, avec la version facile à lire.
                    </p>
                    {howError ? (
                      <p class="field-error" id={`${howId}-erreur`}>
                        {howError.message}
                      </p>
                    ) : null}
                  </div>
                  <button type="submit" class="secondary small">
                    Enregistrer la remise<span class="visually-hidden"> à {x.name}</span>
                  </button>
                </PostForm>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/**
 * The seal failed for good (every signature is in): why and what to do, in French; the signatures
 * are kept and the request does not expire. « Relancer le scellement » for signature.manage.
 */
function SealFailureNotice(props: { failure: NonNullable<RequestView['sealFailure']>; action: string | null; csrf: string }) {
  const { failure } = props;
  return (
    <div class="notice warning" role="note">
      <p>
        <strong>Le scellement du document signé a échoué</strong> le {formatDateTimeFr(failure.at)}. Toutes les signatures sont enregistrées et conservées ; la demande
        n’expire pas, mais le PDF signé n’existe pas encore.
      </p>
      <p>
        {failure.reason} <span class="hint">(code {failure.code})</span>
      </p>
      {props.action ? (
        <PostForm action={props.action} csrf={props.csrf}>
          <button type="submit">Relancer le scellement</button>
        </PostForm>
      ) : null}
    </div>
  );
}

/** The person's views recorded on the request (C. civ. 457-1, 459-2, 371-1): what she expressed, when; the comment where the reader may read the content. */
function RecordedViews(props: { r: RequestView }) {
  const recorded = props.r.views.filter((w) => w.recorded);
  if (!recorded.length) return null;
  return (
    <>
      <p>Avis de la personne recueillis :</p>
      <ul>
        {recorded.map((w) => (
          <li key={w.key}>
            {w.person} : {VIEW_EXPRESSION_LABELS[w.recorded!.expression] ?? w.recorded!.expression}, le {formatDateTimeFr(w.recorded!.at)}
            {w.recorded!.comment ? ` — « ${w.recorded!.comment} »` : ''}
            {/* No second full stop after a quote that ends its own sentence (« …crayons. ».). */}
            {w.recorded!.comment && /[.!?…]$/.test(w.recorded!.comment.trim()) ? '' : '.'}
            {/* A later signer's own account (the second parent…, C. civ. 371-1 al. 4), as hers: the view above is not changed. */}
            {w.recorded!.accounts?.length ? (
              <ul>
                {w.recorded!.accounts.map((a) => (
                  <li key={a.at}>
                    Compte rendu de {a.byName}, le {formatDateTimeFr(a.at)}
                    {a.comment ? ` — « ${a.comment} »` : ''}
                    {a.comment && /[.!?…]$/.test(a.comment.trim()) ? '' : '.'}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * C. civ. 459-2: the person disagrees with living in the establishment and the version does not
 * cite the judge's decision, so nobody may sign it. What staff do: the judge (or family council)
 * decides; then a new version citing the decision is sent instead of this request.
 */
function ResidenceDisputeNotice(props: { r: RequestView; dispute: NonNullable<RequestView['residenceDispute']>; manage: boolean }) {
  const { dispute } = props;
  return (
    <div class="notice warning" role="note">
      <p>
        <strong>Signature bloquée :</strong> {dispute.person} n’est pas d’accord pour vivre dans l’établissement (avis consigné
        {dispute.recordedBy ? ` par ${dispute.recordedBy}` : ''} le {formatDateTimeFr(dispute.recordedAt)}). Le choix du lieu de résidence lui appartient ; en cas de
        désaccord, le juge des contentieux de la protection (ou le conseil de famille, s’il a été constitué) statue (C. civ. 459-2). Personne ne peut signer cette version
        avant sa décision.
      </p>
      {props.manage ? (
        <ol>
          <li>Le représentant saisit le juge ; l’établissement peut l’informer par écrit de la situation.</li>
          <li>Une fois la décision rendue, annulez cette demande.</li>
          <li>Créez une nouvelle version du document qui cite la décision (rubrique « Choix du lieu de vie »), puis envoyez-la en signature.</li>
        </ol>
      ) : null}
    </div>
  );
}

function SignerCard(props: { s: SignerView; r: RequestView; m: DocumentPageModel; csrf: string; base: string }) {
  const { s, r, m, csrf, base } = props;
  const mine = r.events.filter((e) => e.signerId === s.id && EVENT_LABELS[e.kind]);
  // Her optional signature lapsed at the person's death: no link, code nor session (409 SIGNER_LAPSED_AT_DEATH).
  const lapsed = lapsedAtDeath(s, r.events);
  const canAct = r.status === 'active' && s.status === 'pending' && !lapsed && s.delivery !== 'staff' && m.perms.manage && !m.signingClosed;
  // Sequential mode: no link, code or in-person session before the signer's turn (NOT_THEIR_TURN).
  const waitingFor = canAct ? blockingSigners(r.mode, r.signers.map((x) => ({ ...x, orderNo: x.order })), s.order) : [];
  const resendError = m.error?.form === `signer-${s.id}` ? m.error.errors?.find((e) => e.field === 'email') : undefined;
  const emailId = fieldId(`signer-${s.id}-email`);
  return (
    // A countersignature declined (CASF D.311 II) is no refusal: not drawn as one (the danger border).
    <li class={`signer-card signer-${declinedCountersignature(s, m.doc.type) ? 'declined' : lapsed ? 'lapsed' : s.status}`}>
      <h4>{s.name}</h4>
      <p>
        {s.capacity}. <span class="legal">Fondement : {fileDetails(s.legalBasis, m.perms)}.</span>
      </p>
      <p>
        Signature {DELIVERY_LABELS[s.delivery]}
        {s.accessCodeRequired ? ', avec code d’accès' : ''}.
      </p>
      <p class="signer-state">
        <strong>{signerState(s, r.events, { type: m.doc.type, signers: r.signers, mode: r.mode, status: r.status, cancellation: r.cancellation, deceasedOn: m.deceased?.deceasedOn })}</strong>
        {s.status === 'refused' && s.refusalReason
          ? m.perms.content
            ? ` — raison donnée : « ${s.refusalReason} »`
            : ' — une raison a été donnée (non affichée : elle relève du contenu du document)'
          : ''}
      </p>
      <RefusalHandling
        s={s}
        base={base}
        csrf={csrf}
        canHandle={m.perms.manage}
        declined={
          declinedCountersignature(s, m.doc.type)
            ? { the: m.doc.type === 'dipc' ? 'le DIPC' : 'l’avenant', established: r.signers.some((x) => x.role === 'director' && x.status === 'signed') }
            : null
        }
      />
      {mine.length ? (
        <details>
          <summary>Suivi détaillé ({mine.length})</summary>
          <ol class="timeline">
            {mine.map((e, i) => (
              <li key={i}>
                {e.kind === 'email_skipped' ? emailSkippedLabel(e.reason) : EVENT_LABELS[e.kind]} — {formatDateTimeFr(e.at)}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {canAct && waitingFor.length ? (
        <p class="hint">
          Son tour n’est pas encore venu : sa signature vient après celle {ofName(waitingFor.map((x) => x.name).join(', '))}.{' '}
          {s.delivery === 'email'
            ? 'Le lien lui sera envoyé automatiquement à son tour ; un nouveau lien, un code d’accès ou la signature en présence seront possibles à ce moment-là.'
            : 'La signature en présence, un lien par e-mail ou un code d’accès seront possibles à son tour.'}
        </p>
      ) : canAct ? (
        <div class="signer-actions">
          <PostForm action={`${base}/signataires/${s.id}/renvoyer`} csrf={csrf} class="resend">
            <div class="field">
              <label for={emailId}>Adresse e-mail corrigée (facultatif)</label>
              <input
                type="email"
                id={emailId}
                name="email"
                autoComplete="off"
                value={m.error?.form === `signer-${s.id}` ? (m.sendValues?.email ?? '') : ''}
                aria-invalid={resendError ? 'true' : undefined}
                aria-describedby={resendError ? `${emailId}-erreur` : undefined}
              />
              {resendError ? (
                <p class="field-error" id={`${emailId}-erreur`}>
                  {resendError.message}
                </p>
              ) : null}
            </div>
            <button type="submit" class="secondary small">
              Renvoyer le lien<span class="visually-hidden"> à {s.name}</span>
            </button>
          </PostForm>
          <PostForm action={`${base}/signataires/${s.id}/code`} csrf={csrf} class="inline">
            <button type="submit" class="secondary small">
              Donner un code d’accès<span class="visually-hidden"> à {s.name}</span>
            </button>
          </PostForm>{' '}
          <PostForm action={`${base}/signataires/${s.id}/en-presence`} csrf={csrf} class="inline">
            <button type="submit" class="secondary small">
              Signer en présence (tablette)<span class="visually-hidden"> : {s.name}</span>
            </button>
          </PostForm>
        </div>
      ) : null}
    </li>
  );
}

import { FieldError, formatDateFr, formatDateTimeFr } from '@carepact/common';
import type { RequestView, SignerView, VisaView } from '@carepact/signing';
import { VISA_ROLE_LABELS } from '@carepact/signing';
import { Notice, PostForm, fieldId } from '../../views';

/**
 * The document page's parts for issue 10 item 3 (the internal visa) and for what signers sent
 * (their questions, their refusals): kept apart from document-page.views.tsx, which places them.
 */

/** « Visa demandé », given or refused; the approver's form (approve, or refuse with a reason). */
export function VisaSection(props: { documentId: string; visa: VisaView; csrf: string; error?: { message: string; errors?: FieldError[] } | null; reason?: string }) {
  const { visa, csrf } = props;
  if (visa.state === 'none') return null;
  const reasonError = props.error?.errors?.find((e) => e.field === 'reason');
  const id = fieldId('visa-reason');
  return (
    <section aria-labelledby="visa-titre" id="visa">
      <h2 id="visa-titre">Visa interne</h2>
      {visa.state === 'requested' ? (
        <Notice kind="warning">
          <p>
            <strong>Visa demandé</strong> : l’établissement demande le visa {VISA_ROLE_LABELS[visa.approverRole!]} sur cette version avant qu’elle soit envoyée en
            signature.
          </p>
        </Notice>
      ) : visa.state === 'approved' ? (
        <Notice kind="success">
          <p>
            <strong>Visa accordé</strong> par {visa.decision!.decidedByName} le {formatDateTimeFr(visa.decision!.decidedAt)}
            {visa.decision!.reason ? ` — « ${visa.decision!.reason} »` : ''}.{visa.decision!.reasonWithheld ? ' Sa remarque fait partie du contenu du document : elle ne vous est pas affichée.' : ''}
          </p>
        </Notice>
      ) : (
        <Notice kind="warning">
          <p>
            <strong>Visa refusé</strong> par {visa.decision!.decidedByName} le {formatDateTimeFr(visa.decision!.decidedAt)}
            {visa.decision!.reason ? ` : « ${visa.decision!.reason} »` : ''}.{visa.decision!.reasonWithheld ? ' Sa remarque fait partie du contenu du document : elle ne vous est pas affichée.' : ''}
          </p>
          <p>Corrigez le document : la nouvelle version demandera un nouveau visa.</p>
        </Notice>
      )}
      {visa.canDecide ? (
        <PostForm action={`/console/documents/${props.documentId}/visa`} csrf={csrf} class="visa-form">
          <div class="field">
            <label for={id}>Votre remarque (obligatoire pour refuser)</label>
            <p class="hint" id={`${id}-aide`}>
              Relisez la version courante (ci-dessous, « Versions »). Pour un refus, dites ce qui est à corriger : la personne qui a rédigé le document la lira.
            </p>
            <textarea
              id={id}
              name="reason"
              rows={3}
              value={props.reason ?? ''}
              aria-invalid={reasonError ? 'true' : undefined}
              aria-describedby={`${id}-aide${reasonError ? ` ${id}-erreur` : ''}`}
            />
            {reasonError ? (
              <p class="field-error" id={`${id}-erreur`}>
                {reasonError.message}
              </p>
            ) : null}
          </div>
          <p class="actions">
            <button type="submit" name="decision" value="approved">
              Accorder le visa
            </button>
            <button type="submit" name="decision" value="rejected" class="secondary">
              Refuser le visa
            </button>
          </p>
        </PostForm>
      ) : null}
    </section>
  );
}

/** Instead of the send form while the visa is awaited or refused. */
export function VisaHoldsSending(props: { visa: VisaView }) {
  return (
    <Notice kind="warning">
      <p>
        {props.visa.state === 'rejected'
          ? 'Le visa a été refusé : l’envoi en signature sera possible après correction du document et visa de la nouvelle version.'
          : `L’envoi en signature sera possible une fois le visa ${VISA_ROLE_LABELS[props.visa.approverRole!]} accordé.`}
      </p>
    </Notice>
  );
}

/**
 * A request's questions, each with its answer; the answer form (the first answer stays the
 * question's answer; a later one is a new event, issue 7 item 14). The signer is told by e-mail
 * that an answer is waiting and reads it in the signing portal (the e-mail carries no text).
 * `showContent` false (a reader without `document.content`, the auditor): who asked, when, and
 * whether it was answered, never the question's text nor the answers — they speak of the
 * document's content and of the person (« Le tarif de 72,30 € inclut-il la blanchisserie ? »).
 */
export function Questions(props: {
  r: RequestView;
  documentId: string;
  csrf: string;
  canAnswer: boolean;
  showContent: boolean;
  /**
   * The day the person's file went to the intermediate archive, when the archive — not the role — is
   * why the content is not shown (the role reads it; the archive is not opened to this reader).
   */
  archivedSince?: string | null;
  error?: { form?: string; errors?: FieldError[] } | null;
  values?: Record<string, string | undefined>;
}) {
  const { r, csrf } = props;
  if (!r.questions.length) return null;
  const nameOf = (signerId: string) => r.signers.find((s) => s.id === signerId)?.name ?? 'Un signataire';
  if (!props.showContent) return <QuestionsWithoutContent r={r} nameOf={nameOf} archivedSince={props.archivedSince ?? null} />;
  return (
    <section aria-labelledby={`questions-${r.id}`} class="questions">
      <h4 id={`questions-${r.id}`}>Questions des signataires</h4>
      <ol class="question-list">
        {r.questions.map((q) => {
          const form = `question-${q.id}`;
          const err = props.error?.form === form ? props.error.errors?.find((e) => e.field === 'answer') : undefined;
          const id = fieldId(`${form}-answer`);
          return (
            <li key={q.id} class="question">
              <p>
                <strong>{nameOf(q.signerId)}</strong> a demandé le {formatDateTimeFr(q.askedAt)} :
              </p>
              <blockquote>{q.message}</blockquote>
              {q.answer !== null ? (
                <>
                  <p>
                    <strong>Réponse donnée{q.answeredAt ? ` le ${formatDateTimeFr(q.answeredAt)}` : ''} :</strong> {q.answer}
                  </p>
                  {q.followUps.map((a, i) => (
                    <p key={i}>
                      <strong>Réponse complémentaire du {formatDateTimeFr(a.answeredAt)} :</strong> {a.answer}
                    </p>
                  ))}
                </>
              ) : (
                <p class="hint">Pas encore de réponse.</p>
              )}
              {props.canAnswer ? (
                <PostForm action={`/console/documents/${props.documentId}/demandes/${r.id}/questions/${q.id}/repondre`} csrf={csrf}>
                  <div class="field">
                    <label for={id}>{q.answer === null ? 'Votre réponse' : 'Une réponse complémentaire'}</label>
                    <p class="hint" id={`${id}-aide`}>
                      {q.answer === null
                        ? 'Elle est transmise à la personne : un e-mail lui donne un nouveau lien pour la lire avec le document (en présence, dites-la-lui).'
                        : 'La première réponse reste celle de la question ; celle-ci s’ajoute à l’historique et est transmise de la même façon.'}
                    </p>
                    <textarea
                      id={id}
                      name="answer"
                      rows={3}
                      value={props.error?.form === form ? (props.values?.answer ?? '') : ''}
                      aria-invalid={err ? 'true' : undefined}
                      aria-describedby={`${id}-aide${err ? ` ${id}-erreur` : ''}`}
                    />
                    {err ? (
                      <p class="field-error" id={`${id}-erreur`}>
                        {err.message}
                      </p>
                    ) : null}
                  </div>
                  <button type="submit" class={q.answer === null ? undefined : 'secondary'}>
                    {q.answer === null ? 'Envoyer la réponse' : 'Envoyer une réponse complémentaire'}
                    <span class="visually-hidden"> à {nameOf(q.signerId)}</span>
                  </button>
                </PostForm>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** The questions as a reader without the content sees them: how many, who asked when, answered or not. */
function QuestionsWithoutContent(props: { r: RequestView; nameOf: (signerId: string) => string; archivedSince: string | null }) {
  const { r } = props;
  const n = r.questions.length;
  return (
    <section aria-labelledby={`questions-${r.id}`} class="questions">
      <h4 id={`questions-${r.id}`}>Questions des signataires</h4>
      <p>
        {n === 1 ? '1 question posée' : `${n} questions posées`}. Leur texte et les réponses de l’établissement ne sont pas affichés : ils relèvent du contenu du
        document,{' '}
        {props.archivedSince
          ? `et le dossier de la personne est en archive intermédiaire depuis le ${formatDateFr(props.archivedSince)} (fin de l’accompagnement) : seul un administrateur qui ouvre l’archive depuis le dossier de la personne, en indiquant le motif, les lit, pendant une heure.`
          : 'que votre rôle ne permet pas de consulter.'}
      </p>
      <ol class="question-list">
        {r.questions.map((q) => (
          <li key={q.id} class="question">
            <p>
              <strong>{props.nameOf(q.signerId)}</strong> a posé une question le {formatDateTimeFr(q.askedAt)}.{' '}
              {q.answer !== null
                ? `Réponse donnée${q.answeredAt ? ` le ${formatDateTimeFr(q.answeredAt)}` : ''}${
                    q.followUps.length ? ` (et ${q.followUps.length === 1 ? '1 réponse complémentaire' : `${q.followUps.length} réponses complémentaires`})` : ''
                  }.`
                : 'Pas encore de réponse.'}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * A countersignature of the person's side declined (declinedCountersignature, CASF D.311 II): `the`
 * names the document (« le DIPC », « l’avenant »), `established` whether the director's signature is in.
 */
export interface DeclinedCountersignature {
  the: string;
  established: boolean;
}

/**
 * A refusal staff have read and handled (a DIPC offered, a call made): it leaves « À faire ». A
 * countersignature declined is no refusal (CASF D.311 II: the DIPC « peut être contresigné »): it
 * is said as information, with nothing to handle.
 */
export function RefusalHandling(props: { s: SignerView; base: string; csrf: string; canHandle: boolean; declined?: DeclinedCountersignature | null }) {
  const { s } = props;
  if (s.status !== 'refused') return null;
  if (props.declined) {
    const { the, established } = props.declined;
    return (
      <p class="hint">
        {s.role === 'resident' ? 'La personne' : s.name} n’a pas souhaité contresigner ;{' '}
        {established ? `${the} reste établi` : `${the} est établi par la signature de la direction`}. Rien n’est à traiter (CASF D.311 II).
      </p>
    );
  }
  if (s.refusalAcknowledgedAt) return <p class="hint">Refus marqué comme traité le {formatDateTimeFr(s.refusalAcknowledgedAt)}.</p>;
  if (!props.canHandle) return null;
  return (
    <PostForm action={`${props.base}/signataires/${s.id}/refus-traite`} csrf={props.csrf}>
      <button type="submit" class="secondary small">
        Marquer le refus comme traité<span class="visually-hidden"> : {s.name}</span>
      </button>
    </PostForm>
  );
}

import {
  ACCESS_ANSWER_STATE_LABELS,
  ACCESS_REFUSAL_REASON_LABELS,
  ACCESS_REQUEST_FROM_LABELS,
  COMMUNICATION_MODE_LABELS,
  HEIR_PURPOSE_LABELS,
  LOI_85_II,
  STANDING_PROOF_LABELS,
  answerClosed,
  notBeforeText,
  refusalReasonsFor,
  selectionApplied,
  type AccessItem,
  type AccessRequestStatement,
  type DataJobView,
} from '@carepact/archive';
import { formatDateFr, formatDateTimeFr, formatTimeFr, type FieldError } from '@carepact/common';
import { ESTABLISHMENT_LEGAL_STATUS_LABELS, StaffActor, type EstablishmentLegalStatus } from '@carepact/identity';
import { Checkbox, ErrorSummary, Notice, PostForm, RadioGroup, TextArea, errorFor, renderPage } from '../../views';
import { ConsolePage } from '../console-layout';

/** The checkbox of an item of the zip (one field each: the console refuses a field sent twice). */
export const itemField = (key: string) => `element-${key.replace(':', '-')}`;

export interface AccessAnswerPageState {
  job: DataJobView;
  request: AccessRequestStatement;
  /** The person, as the archives page names her. */
  person: string;
  /** The items of her zip staff choose among (accessItemsOf). */
  items: AccessItem[];
  /** Whether this actor asked for the job: only she sees its texts and answers it (DataJobsService.cspJob). */
  mine: boolean;
  failed?: { form: 'tri' | 'refus' | 'transmission'; values: Record<string, string | undefined>; errors: FieldError[] };
  /** What was just recorded (303 from a POST). */
  done?: 'tri' | 'refus' | 'transmission';
  /** The person's establishment: its legal status decides the recourse the refusal letter names; whether this actor may record it (establishment.write). */
  establishment: { id: string; name: string; legalStatus: EstablishmentLegalStatus | null; canEdit: boolean; /** The organisation's archives are public (Code du patrimoine L.211-4): the CADA first (refusalRecourseKind). */ publicLaw?: boolean };
  now: Date;
}


/** An instant from which something may be done: « 3 décembre 2026 » at midnight in Paris (not « à 0 h 00 »), else « 5 décembre 2026 à 14 h 30 ». */
export const fromInstantText = (iso: string): string => (formatTimeFr(new Date(iso)) === '0 h 00' ? formatDateFr(new Date(iso)) : formatDateTimeFr(iso));

/** The 48 hours of CSP L.1111-7 al. 2: « à partir du 3 décembre 2026 » at midnight, else « pas avant le 5 décembre 2026 à 14 h 30 » (notBeforeText). */
export const notBeforeWords = (notBefore: string): string => (formatTimeFr(new Date(notBefore)) === '0 h 00' ? `à partir du ${fromInstantText(notBefore)}` : notBeforeText(notBefore));

/**
 * The due dates and, beside them, the 48 hours (CSP L.1111-7 al. 2). A living person's request about
 * her health information (healthInformation): the CSP's dates for that information, then RGPD art.
 * 12(3)'s month for her other data, each named.
 */
export function deadlinesText(r: AccessRequestStatement): string {
  const older = r.answerDueOlderInformation ? ` (le ${formatDateFr(r.answerDueOlderInformation)} pour ${r.answerDueOtherData ? 'celles' : 'les informations'} de plus de cinq ans)` : '';
  const due = r.answerDueOtherData
    ? `Informations de santé : réponse due au plus tard le ${formatDateFr(r.answerDue)}${older} ; autres données : au plus tard le ${formatDateFr(r.answerDueOtherData)} (RGPD, art. 12)`
    : `Réponse due au plus tard le ${formatDateFr(r.answerDue)}${older}`;
  return r.notBefore ? `${due} ; communication ${r.answerDueOtherData ? 'des informations de santé ' : ''}${notBeforeWords(r.notBefore)} (48 heures, Code de la santé publique, art. L.1111-7)` : due;
}

/**
 * Where a request after the death stands, in the same words on the archives list and on its answer
 * page: the working package being prepared, ready to sort, the sorted package being prepared or
 * ready to send, sent, refused (the answer's state, access-answer.ts; the job's otherwise).
 */
export function cspStateText(job: DataJobView): string {
  const answer = job.answer;
  if (answer && answerClosed(answer)) return ACCESS_ANSWER_STATE_LABELS[answer.state];
  if (answer?.selection) {
    if (job.status === 'failed') return 'Tri enregistré, échec de la préparation du paquet à transmettre';
    return selectionApplied(job) && job.status === 'done' ? 'Tri enregistré, paquet prêt à transmettre' : 'Tri enregistré, paquet à transmettre en préparation';
  }
  if (job.status === 'done') return 'Paquet de travail prêt, à trier';
  if (job.status === 'failed') return 'Échec de la préparation du paquet de travail';
  return 'Paquet de travail en préparation';
}

/** A plain-text letter as paragraphs (its blank lines), its line breaks kept. */
function Letter(props: { text: string }) {
  return (
    <div class="letter">
      {props.text.split(/\n{2,}/).map((para, i) => (
        <p key={i}>
          {para.split('\n').map((line, j) => (
            <>
              {j ? <br /> : null}
              {line}
            </>
          ))}
        </p>
      ))}
    </div>
  );
}

/**
 * Beside the refusal form, the recourse the letter will name, from the establishment's legal status
 * (access-answer.ts): recorded, which one; not recorded, that the letter will name both and where to
 * record it (the establishment's settings, for whom may edit them).
 */
function RecourseHint(props: { establishment: AccessAnswerPageState['establishment'] }) {
  const e = props.establishment;
  // Public archives (CRPA L.300-2: a private person charged with a public-service mission): the CADA, whatever the legal status.
  if (e.publicLaw && e.legalStatus !== 'public')
    return (
      <p class="hint" id="recours-statut">
        Les archives de l’organisation sont des archives publiques (Code du patrimoine, art. L.211-4) : ses dossiers sont des documents administratifs (Code des relations entre le public et l’administration, art. L.300-2). La lettre indique la saisine de la
        Commission d’accès aux documents administratifs (CADA), préalable à tout recours devant le tribunal administratif.
      </p>
    );
  if (e.legalStatus)
    return (
      <p class="hint" id="recours-statut">
        Statut juridique de {e.name} : {ESTABLISHMENT_LEGAL_STATUS_LABELS[e.legalStatus].replace(/ \(.*\)$/, '').toLowerCase()}. La lettre indique{' '}
        {e.legalStatus === 'public' ? 'la saisine de la Commission d’accès aux documents administratifs (CADA), préalable à tout recours devant le tribunal administratif' : 'le recours devant le tribunal judiciaire'}.
      </p>
    );
  return (
    <Notice kind="warning">
      <p id="recours-statut">
        Le statut juridique de {e.name} (public ou privé) n’est pas renseigné : la lettre indiquera les deux voies de recours, chacune pour son cas (public : la Commission d’accès aux documents administratifs ; privé : le tribunal judiciaire).{' '}
        {e.canEdit ? (
          <a href={`/console/admin/etablissements/${e.id}#legalStatus`}>Renseigner le statut juridique dans les paramètres de l’établissement</a>
        ) : (
          'Demandez à la direction ou à l’administration de le renseigner dans les paramètres de l’établissement.'
        )}
      </p>
    </Notice>
  );
}

/** /console/archives/:id/reponse: the request after the death, its sorting, its delivery or its reasoned refusal. */
export function accessAnswerPage(actor: StaffActor, csrf: string, s: AccessAnswerPageState): string {
  const { job, request: r } = s;
  const heir = r.heir;
  const parent = r.from === 'parental_authority';
  const answer = job.answer;
  const closed = answerClosed(answer);
  const f = s.failed;
  const values = f?.values ?? {};
  const errorsOf = (form: 'tri' | 'refus' | 'transmission') => (f?.form === form ? f.errors : undefined);
  const selection = answer?.selection;
  const chosen = new Set<string>(f?.form === 'tri' ? s.items.filter((i) => values[itemField(i.key)]).map((i) => i.key) : (selection?.items ?? []));
  const tooEarly = !!r.notBefore && s.now.getTime() < Date.parse(r.notBefore);
  // DataJobsService.recordDelivery's conditions: the package made of the selection ready, and the 48 hours past (CSP L.1111-7 al. 2).
  const selectionReady = selectionApplied(job) && job.status === 'done';
  const deliverable = selectionReady && !tooEarly;
  const title = parent ? 'Demande des parents d’un mineur décédé' : 'Demande d’un ayant droit';
  const triErrors = errorsOf('tri');
  const itemsError = errorFor(triErrors, 'selection-items');
  return renderPage(
    <ConsolePage title={f ? `Erreur — ${title}` : title} actor={actor} csrf={csrf} current="archives">
      <p>
        <a href="/console/archives">Archives et demandes d’accès</a>
      </p>
      <h1>{title}</h1>
      {s.done === 'tri' ? <Notice kind="success">Tri enregistré. Le paquet à transmettre est préparé avec les seuls éléments retenus : il sera proposé au téléchargement ci-dessous.</Notice> : null}
      {s.done === 'refus' ? <Notice kind="success">Refus enregistré. Envoyez au demandeur la lettre ci-dessous ; le paquet de travail a été supprimé.</Notice> : null}
      {s.done === 'transmission' ? <Notice kind="success">Transmission enregistrée.</Notice> : null}
      <section aria-labelledby="demande">
        <h2 id="demande">La demande</h2>
        <dl class="summary">
          <dt>Personne</dt>
          <dd>{s.person}</dd>
          <dt>Demandée par</dt>
          <dd>{ACCESS_REQUEST_FROM_LABELS[r.from]}</dd>
          <dt>Reçue le</dt>
          <dd>{formatDateFr(r.receivedOn)}</dd>
          <dt>Délais</dt>
          <dd>{deadlinesText(r)}</dd>
          {heir ? (
            <>
              <dt>Décès</dt>
              <dd>{formatDateFr(heir.deceasedOn)}</dd>
              {heir.purpose ? (
                <>
                  <dt>Motif</dt>
                  <dd>{HEIR_PURPOSE_LABELS[heir.purpose]}</dd>
                </>
              ) : null}
              <dt>Qualité du demandeur</dt>
              <dd>
                {heir.standingProof
                  ? s.mine
                    ? `${STANDING_PROOF_LABELS[heir.standingProof.type]}, référence « ${heir.standingProof.reference} », du ${formatDateFr(heir.standingProof.issuedOn)}`
                    : `${STANDING_PROOF_LABELS[heir.standingProof.type]}, du ${formatDateFr(heir.standingProof.issuedOn)}`
                  : 'Non enregistrée (demande antérieure à cet enregistrement)'}
              </dd>
              {heir.requesterName ? (
                <>
                  <dt>Demandeur</dt>
                  <dd>{s.mine ? heir.requesterName : 'masqué'}</dd>
                </>
              ) : null}
              <dt>Communication</dt>
              <dd>{heir.communication === 'physician' ? `${COMMUNICATION_MODE_LABELS.physician}${s.mine && heir.physician ? ` : ${heir.physician}` : ''}` : COMMUNICATION_MODE_LABELS.direct}</dd>
            </>
          ) : null}
          {parent && heir?.notEmancipated ? (
            <>
              <dt>Émancipation</dt>
              <dd>La personne n’était pas émancipée (vérifié à l’enregistrement de la demande)</dd>
            </>
          ) : null}
          <dt>État</dt>
          <dd>{cspStateText(job)}</dd>
        </dl>
        {/* heirRequestChecked: told when recorded (a death before the end of the stay recorded, or other than the death date the file records), kept with the request. */}
        {r.warnings?.length ? (
          <Notice kind="warning">
            {r.warnings.map((w) => (
              <p key={w.code}>
                <strong>À vérifier :</strong> {w.message}
              </p>
            ))}
          </Notice>
        ) : null}
        <p>
          {closed ? null : parent
            ? 'Les titulaires de l’autorité parentale d’un mineur décédé ont accès à la totalité des informations le concernant, sans avoir à indiquer de motif, sauf les éléments relatifs aux décisions médicales pour lesquelles le mineur s’est opposé à l’obtention de leur consentement (Code de la santé publique, art. L.1110-4 V, L.1111-5 et L.1111-5-1). Retirez ces éléments avant la transmission, en enregistrant ci-dessous ce qui est transmis.'
            : 'Un ayant droit, un concubin ou un partenaire de PACS ne reçoit que les informations nécessaires au motif indiqué (Code de la santé publique, art. L.1110-4 V). Le paquet de travail contient tout : enregistrez ci-dessous ce qui est retenu et pourquoi ; un nouveau paquet ne contenant que ces éléments est préparé, c’est lui qui est transmis.'}
          {closed ? null : ' '}
          Les autres données du dossier, qui ne sont pas des informations de santé, relèvent de l’article 85 de la loi Informatique et Libertés : l’établissement respecte les directives de la personne sur ses données après son décès ; {LOI_85_II}.
        </p>
      </section>

      {answer?.state === 'refused' ? (
        <section aria-labelledby="refus-enregistre">
          <h2 id="refus-enregistre">Refus motivé</h2>
          {answer.refusal ? (
            <>
              <p>
                {/* « Autre motif (précisé ci-dessous) » is the form's wording: the reason is the explanation, which only the letter's author sees (as the letter). */}
                {answer.refusal.reason !== 'other'
                  ? `Motif : ${ACCESS_REFUSAL_REASON_LABELS[answer.refusal.reason]}.`
                  : s.mine
                    ? `Autre motif : ${/[.!?…»)]$/.test(answer.refusal.explanation) ? answer.refusal.explanation : `${answer.refusal.explanation}.`}`
                    : 'Motif : autre motif, exposé dans la lettre au demandeur.'}{' '}
                Enregistré le {formatDateTimeFr(answer.refusal.recordedAt)}.
              </p>
              {s.mine ? (
                <>
                  <h3>Lettre au demandeur</h3>
                  <Letter text={answer.refusal.letter} />
                </>
              ) : (
                <p>La lettre n’est montrée qu’à la personne qui a enregistré la demande.</p>
              )}
            </>
          ) : (
            <p>Le texte du refus a été supprimé avec le dossier de la personne.</p>
          )}
        </section>
      ) : null}
      {answer?.state === 'delivered' && answer.delivery ? (
        <section aria-labelledby="transmis">
          <h2 id="transmis">Transmission</h2>
          <p>Paquet transmis au demandeur, enregistré le {formatDateTimeFr(answer.delivery.deliveredAt)}.</p>
        </section>
      ) : null}

      {!s.mine ? (
        <p>Seule la personne qui a enregistré cette demande peut la trier, la transmettre ou la refuser : elle seule a le paquet de travail.</p>
      ) : closed ? null : (
        <>
          <section aria-labelledby="tri">
            <h2 id="tri">1. Ce qui est transmis</h2>
            {job.status !== 'done' && !selection ? (
              <p>Le paquet de travail est en préparation : le tri se fait une fois qu’il est prêt (téléchargez-le depuis la page Archives et demandes d’accès).</p>
            ) : (
              <>
                {selection ? (
                  <p>
                    Tri enregistré le {formatDateTimeFr(selection.recordedAt)} : {selection.items.length} élément{selection.items.length > 1 ? 's' : ''} retenu{selection.items.length > 1 ? 's' : ''}.{' '}
                    {selectionReady ? (
                      <a href={`/console/archives/${job.id}/telecharger`}>Télécharger le paquet à transmettre</a>
                    ) : job.status === 'failed' ? (
                      <strong>La préparation du fichier trié a échoué : enregistrez de nouveau le tri pour la relancer.</strong>
                    ) : (
                      'Le paquet à transmettre est en préparation.'
                    )}{' '}
                    Vous pouvez corriger ce tri tant que rien n’est transmis.
                  </p>
                ) : null}
                <ErrorSummary errors={triErrors} />
                <PostForm action={`/console/archives/${job.id}/tri`} csrf={csrf}>
                  <fieldset id="selection-items" aria-invalid={itemsError ? 'true' : undefined} aria-describedby={itemsError ? 'selection-items-erreur' : 'selection-items-aide'}>
                    <legend>Éléments du paquet retenus</legend>
                    <p class="hint" id="selection-items-aide">
                      {parent ? 'Tous, sauf les éléments relatifs aux décisions médicales pour lesquelles le mineur s’est opposé à l’obtention du consentement de ses parents.' : 'Seulement ce qui est nécessaire au motif indiqué.'}
                    </p>
                    {s.items.map((i) => (
                      <Checkbox key={i.key} name={itemField(i.key)} label={i.label} checked={chosen.has(i.key)} />
                    ))}
                  </fieldset>
                  {itemsError ? (
                    <p class="field-error" id="selection-items-erreur">
                      {itemsError.message}
                    </p>
                  ) : null}
                  <TextArea
                    name="justification"
                    label="Pourquoi ces éléments"
                    required
                    rows={4}
                    hint={`En quoi ils répondent au motif de la demande${parent ? ', et ce qui est retiré (secret du mineur)' : ''}. De 10 à 2000 caractères ; le journal d’audit n’en garde que l’empreinte.`}
                    value={f?.form === 'tri' ? values.justification : selection?.justification}
                    errors={triErrors}
                  />
                  <button type="submit">Enregistrer le tri</button>
                </PostForm>
              </>
            )}
          </section>

          <section aria-labelledby="transmission">
            <h2 id="transmission">2. Transmission au demandeur</h2>
            <p>
              {r.notBefore
                ? `Les informations ne peuvent être communiquées qu’après un délai de quarante-huit heures suivant la demande : ${notBeforeWords(r.notBefore)} (Code de la santé publique, art. L.1111-7).`
                : 'Demande enregistrée avant le décompte des 48 heures : vérifiez qu’elles sont écoulées.'}{' '}
              {heir?.communication === 'physician' ? 'Le demandeur a choisi de recevoir les informations par l’intermédiaire d’un médecin : adressez-les à ce médecin.' : null}
            </p>
            <ErrorSummary errors={errorsOf('transmission')} />
            {/* No button while the server would refuse it (409 ACCESS_SELECTION_REQUIRED, ACCESS_REQUEST_TOO_EARLY, DATA_JOB_NOT_DONE,
                ACCESS_SELECTION_REBUILD_FAILED: DataJobsService.recordDelivery): why, and from when (a disabled button is not announced well). */}
            {deliverable ? (
              <PostForm action={`/console/archives/${job.id}/transmission`} csrf={csrf} id="form-transmission">
                <p class="hint" id="transmission-aide">
                  Seul le paquet préparé avec les éléments retenus est transmis, jamais le paquet de travail.
                </p>
                <button type="submit" aria-describedby="transmission-aide">
                  Enregistrer la transmission
                </button>
              </PostForm>
            ) : (
              <p id="transmission-pas-encore">
                <strong>Pas encore de transmission.</strong>{' '}
                {!selectionReady
                  ? job.status === 'failed' && selection
                    ? 'Vous pourrez enregistrer la transmission une fois le paquet à transmettre préparé : enregistrez de nouveau le tri pour relancer sa préparation.'
                    : selection
                      ? 'Vous pourrez enregistrer la transmission une fois le paquet à transmettre préparé (rechargez la page dans quelques instants).'
                      : 'Vous pourrez enregistrer la transmission après le tri : seul le paquet préparé avec les éléments retenus est transmis, jamais le paquet de travail.'
                  : null}
                {tooEarly && r.notBefore
                  ? selectionReady
                    ? `Vous pourrez enregistrer la transmission à partir du ${fromInstantText(r.notBefore)} (48 heures après la demande).`
                    : ` Dans tous les cas, à partir du ${fromInstantText(r.notBefore)} seulement (48 heures après la demande).`
                  : null}
              </p>
            )}
          </section>

          <section aria-labelledby="refus">
            <h2 id="refus">Ou : refus motivé</h2>
            <p>Un refus de communication est motivé, par écrit. Le paquet de travail est alors supprimé et la lettre au demandeur enregistrée avec la demande.</p>
            <RecourseHint establishment={s.establishment} />
            <ErrorSummary errors={errorsOf('refus')} />
            <PostForm action={`/console/archives/${job.id}/refus`} csrf={csrf}>
              <RadioGroup
                name="reason"
                label="Motif du refus"
                required
                // A deceased minor's parents: neither a purpose nor the deceased's objection (CSP L.1110-4 V al. 2; accessRefusalOf refuses them too).
                hint={parent ? 'Les parents d’un mineur décédé ont accès à la totalité des informations, sans motif à indiquer ; la volonté contraire du défunt ne leur est pas opposable (Code de la santé publique, art. L.1110-4 V). Seuls ces motifs peuvent fonder un refus.' : undefined}
                options={refusalReasonsFor(r.from).map((k): [string, string] => [k, ACCESS_REFUSAL_REASON_LABELS[k]])}
                value={f?.form === 'refus' ? values.reason : undefined}
                errors={errorsOf('refus')}
              />
              <TextArea
                name="explanation"
                label="Explication pour le demandeur"
                required
                rows={4}
                hint="Elle figure dans la lettre de refus : les pièces manquantes, ce qui n’est pas établi. Pas d’information de santé. De 10 à 2000 caractères."
                value={f?.form === 'refus' ? values.explanation : undefined}
                errors={errorsOf('refus')}
              />
              <button type="submit" class="secondary">
                Enregistrer le refus
              </button>
            </PostForm>
          </section>
        </>
      )}
    </ConsolePage>,
  );
}

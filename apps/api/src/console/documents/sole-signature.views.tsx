import { formatDateFr, formatDateTimeFr, type FieldError } from '@carepact/common';
import { soleSignatureLaw, type RequestView, type SoleSignatureView } from '@carepact/signing';
import { PostForm, TextArea, TextField } from '../../views';

/** The form's name in the page's refusals (ActionError.form) and its fields (ids are the field names). */
export const SOLE_SIGNATURE_FORM = 'sole-signature';
export const SOLE_SIGNATURE_FIELDS = ['court', 'decisionDate', 'reference', 'note'] as const;

export interface SoleSignatureProps {
  r: RequestView;
  documentId: string;
  /** The document's state with the authorisation (null when the page did not read it: no refusal of assistance). */
  sole: SoleSignatureView | null;
  csrf: string;
  /** signature.manage: the steps and the form. */
  manage: boolean;
  /** The form's refusal and the values typed, when it was this form's. */
  errors?: FieldError[];
  values?: Record<string, string | undefined>;
}

/**
 * A request that ended because the curateur (or the personne habilitée who assists her) refused to
 * assist the person: not her refusal of the contract, no DIPC (CASF D.311). What she may do — ask
 * the judge for the authorisation to sign alone (C. civ. 469 al. 3 under a curatelle; under an
 * habilitation familiale in assistance the judge settles the difficulty, C. civ. 494-1 al. 1 and
 * 494-10) —, the form that records the ordonnance on the document, and once recorded, that she signs
 * alone the version refused, or why it is not relied on now (another version to send, a new
 * measure: soleSignatureSetAside), said where staff read that she signs alone.
 */
export function AssistanceRefused(props: SoleSignatureProps) {
  const { r, sole } = props;
  const refuser = r.signers.find((s) => s.status === 'refused' && !s.optional && (s.role === 'curateur' || s.role === 'habilite'));
  const law = soleSignatureLaw(refuser?.role === 'habilite' ? 'habilitation_familiale' : 'curatelle');
  const who = refuser?.role === 'habilite' ? 'La personne habilitée' : 'Le curateur';
  const a = r.soleSignatureAuthorisation;
  // The form goes with the refusal the authorisation answers: the latest on the document.
  const here = !!sole && sole.refusal?.requestId === r.id;
  const canRecord = props.manage && here && sole!.canRecord;
  // The recorded authorisation answers this request, but is not relied on for the next sending.
  const setAside = a && sole?.authorisation?.refusedRequestId === r.id ? sole.setAside : null;
  const version = a && sole?.authorisation?.refusedRequestId === r.id ? sole.authorisation.version.number : null;
  return (
    <div class={`notice ${a && !setAside ? 'success' : 'warning'}`} role="note" id={here ? 'autorisation-juge' : undefined}>
      <p>
        {who} a refusé son assistance : ce n’est pas un refus du contrat par la personne, et il n’appelle pas de DIPC (CASF D.311).
        {a ? null : (
          <>
            {' '}
            {refuser?.role === 'habilite'
              ? `La personne peut saisir le juge des contentieux de la protection, qui statue sur cette difficulté et peut l’autoriser à signer seule (${law.basis}).`
              : `La personne peut demander au juge des contentieux de la protection l’autorisation de signer seule (${law.cite}).`}{' '}
            Le document reste prêt à être envoyé de nouveau en signature.
          </>
        )}
      </p>
      {a ? (
        <>
          <p>
            <strong>Autorisation du juge enregistrée :</strong> le juge a autorisé la personne à signer seule{version ? ` la version ${version} du document` : ''} ({law.basis}) — ordonnance :{' '}
            {a.court}, {formatDateFr(a.decisionDate)}
            {a.reference ? `, réf. ${a.reference}` : ''}. Enregistrée par {a.recordedBy} le {formatDateTimeFr(a.recordedAt)}.
          </p>
          {setAside ? (
            <p>
              <strong>Non retenue pour le prochain envoi :</strong> {setAside.message}
            </p>
          ) : (
            <p>
              La personne signe seule ; {who.toLowerCase()} n’est plus signataire de ce document. La direction contresigne comme d’habitude.
            </p>
          )}
          {r.nextStep?.kind === 'send' ? (
            <p>
              <strong>Prochaine étape :</strong> <a href="#qui-signe">Envoyer à la signature</a>
            </p>
          ) : null}
          {canRecord ? (
            <details open={!!props.errors?.length}>
              <summary>Corriger l’autorisation enregistrée</summary>
              <SoleSignatureForm {...props} />
            </details>
          ) : null}
        </>
      ) : canRecord ? (
        <>
          <p>Les étapes :</p>
          <ol>
            <li>La personne, ou son avocat, saisit le juge des contentieux de la protection ; l’établissement peut l’informer par écrit du refus d’assistance.</li>
            <li>Quand le juge l’a autorisée à signer seule, enregistrez ici son ordonnance : juridiction, date (celle du refus ou après) et référence.</li>
            <li>
              Envoyez de nouveau le document en signature, sans le modifier : il ira à la personne seule, puis à la direction pour la contresignature. Une nouvelle version du
              document n’est pas couverte par l’ordonnance : {law.assistant} serait de nouveau {law.called} à assister la personne.
            </li>
          </ol>
          <SoleSignatureForm {...props} law={law.cite} />
        </>
      ) : null}
      {!a && props.manage && here && sole!.notRecordable && sole!.notRecordable.code !== 'SOLE_SIGNATURE_DOCUMENT_NOT_READY' ? <p>{sole!.notRecordable.message}</p> : null}
    </div>
  );
}

function SoleSignatureForm(props: SoleSignatureProps & { law?: string }) {
  const recorded = props.r.soleSignatureAuthorisation;
  // Typed values after a refusal; the recorded ones when correcting.
  const v = props.errors ? (props.values ?? {}) : { court: recorded?.court, decisionDate: recorded?.decisionDate, reference: recorded?.reference ?? undefined, note: props.sole?.authorisation?.note ?? undefined };
  return (
    <PostForm action={`/console/documents/${props.documentId}/autorisation-juge`} csrf={props.csrf} class="sole-signature">
      <h4>{recorded ? 'Corriger l’ordonnance du juge' : `Enregistrer l’autorisation du juge (${props.law ?? 'C. civ. 469'})`}</h4>
      <TextField
        name="court"
        label="Juridiction"
        hint="Telle qu’elle figure sur l’ordonnance, par exemple « Juge des contentieux de la protection, tribunal judiciaire de Valville »."
        required
        value={v.court}
        errors={props.errors}
      />
      <TextField name="decisionDate" type="date" label="Date de l’ordonnance" hint="JJ/MM/AAAA ; pas dans le futur, ni avant le refus d’assistance." required value={v.decisionDate} errors={props.errors} />
      <TextField name="reference" label="Référence de l’ordonnance" hint="Numéro RG ou de minute." required value={v.reference} errors={props.errors} />
      <TextArea name="note" label="Remarque (facultatif)" rows={2} value={v.note} errors={props.errors} />
      <p>
        <button type="submit">{recorded ? 'Enregistrer la correction' : 'Enregistrer l’autorisation du juge'}</button>
      </p>
    </PostForm>
  );
}

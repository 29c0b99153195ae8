import { formatDateFr } from '@carepact/common';
import type { StaffActor } from '@carepact/identity';
import { ErrorSummary, PostForm, renderPage } from '../../views';
import { ConsolePage } from '../console-layout';
import { typeTitle } from './new-document.views';

/** The confirmation's field: a hidden `confirm=oui` sent only by the confirmation page's button. */
export const DISCARD_CONFIRM_FIELD = 'confirm';

export interface DiscardPageModel {
  actor: StaffActor;
  csrf: string;
  documentId: string;
  documentType: string;
  /** What an avenant amends, for its name (documents.subtype). */
  documentSubtype: string | null;
  /** Why the draft can no longer be concluded: the stay's signed contract, or the person's death (DocumentsService.discardSupersededContract). */
  why: { contractInForceId: string } | { deceasedOn: string };
  /** The POST came without the confirmation (a form of another page, a replay): said at the top. */
  error: string | null;
}

/**
 * « Abandonner ce projet »: a step before the draft is closed for good (GET
 * /console/documents/:id/abandonner). It says why the draft can no longer be concluded, what the
 * abandonment does (the document becomes « annulé », its versions and files kept, nothing sent, the
 * act audited `document.discarded` with its author) and that it cannot be undone; the button posts
 * the confirmation. No JavaScript.
 */
export function discardPage(m: DiscardPageModel): string {
  const doc = `/console/documents/${m.documentId}`;
  const name = typeTitle(m.documentType as Parameters<typeof typeTitle>[0], m.documentSubtype);
  const title = 'Abandonner ce projet';
  return renderPage(
    <ConsolePage title={`${m.error ? 'Erreur — ' : ''}${title} — ${name}`} actor={m.actor} csrf={m.csrf}>
      <p class="back">
        <a href={doc}>Retour au document</a>
      </p>
      <h1>{title}</h1>
      {m.error ? <ErrorSummary message={m.error} /> : null}
      <p>
        {name} : ce projet n’a jamais été envoyé en signature
        {'contractInForceId' in m.why ? (
          <>
            {' '}
            et ne peut plus aboutir — un autre contrat de séjour est signé pour ce séjour (<a href={`/console/documents/${m.why.contractInForceId}`}>voir le contrat signé</a>) ;
            toute modification se fait par avenant à ce contrat (CASF L.311-4, D.311).
          </>
        ) : (
          // A meeting's minutes held before the death may still be sent (resident-deceased.ts): not « ne peut plus aboutir » for every draft.
          <>, et la personne est décédée le {formatDateFr(m.why.deceasedOn)} (le pouvoir de ceux qui la représentaient a pris fin avec elle : mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur).</>
        )}
      </p>
      <p>Si vous l’abandonnez :</p>
      <ul>
        <li>il passe à l’état « Annulé » et ne figure plus parmi les documents à envoyer ;</li>
        <li>il reste consultable dans le dossier, avec ses versions et ses fichiers ;</li>
        <li>il ne pourra plus être corrigé ni envoyé en signature : l’abandon est définitif ;</li>
        <li>l’abandon est inscrit au journal d’audit, avec votre nom, la date et le motif, et la page du document les indique.</li>
      </ul>
      <PostForm action={`${doc}/abandonner`} csrf={m.csrf}>
        <input type="hidden" name={DISCARD_CONFIRM_FIELD} value="oui" />
        <p>
          <button type="submit">Confirmer l’abandon du projet</button> <a href={doc}>Ne pas abandonner, revenir au document</a>
        </p>
      </PostForm>
    </ConsolePage>,
  );
}

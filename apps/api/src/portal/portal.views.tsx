import { documentPhrase, documentTypeLabel, formatDateFr, formatDateTimeFr, ofName } from '@carepact/common';
import { CancelledForDeath, CoSigner, HandedOverDocuments, MAX_UNANSWERED_QUESTIONS, PortalContext, WHEN_TURN_BY_EMAIL, WHEN_TURN_IN_PERSON, reachedByEmail, accessCodeMissing, assistsThePerson, canAsk, capacityWords, consentSentence, countersignWords, countersigns, isOptionalCountersigner } from '@carepact/signing';
import type { TariffAnnex, VersionAnnex } from '@carepact/documents';
import type { ComponentChildren } from 'preact';
import { Checkbox, ErrorSummary, FormState, HtmlDocument, Notice, PostForm, RadioGroup, TextArea, TextField, TrustedHtml, renderPage } from '../views';

/**
 * The signing portal's pages (issue 13): one step per page — the landing says who asks, what, by
 * when and what happens, then "Lire le document"; reading comes first; then signing, refusing and
 * asking a question each have their own page, with "Retour" on every one; after an answer, a recap.
 * Every page shows how to reach the establishment (phone, address). Rendered by preact: every text
 * and attribute is escaped; the document's reading view enters through TrustedHtml only.
 */

/** The heading name of the document (@carepact/common's labels, an avenant by what it amends); an unknown type shows as is. */
function docLabel(doc: PortalContext['document']): string {
  return documentTypeLabel(doc.type, doc.subtype)?.short ?? doc.type;
}

/** « l’avenant au document individuel de prise en charge (DIPC) d’Émile Durand », as the e-mails write it; « votre … » to the resident. */
function documentFor(ctx: PortalContext): string {
  const label = documentTypeLabel(ctx.document.type, ctx.document.subtype);
  const own = ctx.signer.role === 'resident';
  if (label) return documentPhrase(label, own ? null : ctx.residentName);
  return own ? `votre ${docLabel(ctx.document)}` : `le ${docLabel(ctx.document)} ${ofName(ctx.residentName)}`;
}

const EXPRESSION_LABELS: [string, string][] = [
  ['accord', 'Accord'],
  ['accord_partiel', 'Accord partiel'],
  ['desaccord', 'Désaccord'],
  ['ne_se_prononce_pas', 'Ne se prononce pas'],
  ['ne_peut_pas_s_exprimer', 'Ne peut pas s’exprimer'],
];

// Days and times in Paris (the formatters are built once in @carepact/common).
const dateFr = (d: Date) => formatDateFr(d, { timeZone: 'Europe/Paris' });
/** « 3 décembre 2026 à 14 h 05 ». */
const atFr = (d: Date) => formatDateTimeFr(d);

const fullName = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`;

/** The variant the person prefers, when it is not the complete version. */
function preferredCompanion(ctx: PortalContext): 'falc' | 'large-print' | null {
  return ctx.preferences.easyToRead ? 'falc' : ctx.preferences.largePrint ? 'large-print' : null;
}

/**
 * The person reads easy-to-read (FALC) French: the session's preference, as the reading view's
 * default variant (variantFor) and the order of the companions read it. The pages after an answer
 * then speak in short sentences, one idea each, each on its own line (ACCESSIBILITY.md, FALC).
 */
function easyToRead(ctx: PortalContext): boolean {
  return preferredCompanion(ctx) === 'falc';
}

/**
 * An optional countersigner of a DIPC (CASF D.311 II) who reads easy-to-read French: « contresigner »
 * is jargon there (libs/templates falc-lint JARGON), so every page says what happens in plain words —
 * « signer aussi, si vous le voulez » — as the consent she ticks does (consentSentence, easyToRead).
 */
function countersignsEasy(ctx: PortalContext): boolean {
  return countersigns(ctx.signer, ctx.document.type) && easyToRead(ctx);
}

/** The consent sentence as this signer reads it (in easy-to-read French for a FALC reader), the one the evidence records. */
function consentFor(ctx: PortalContext): string {
  return consentSentence(ctx.signer, ctx.residentName, ctx.document.type, { easyToRead: easyToRead(ctx) });
}

/** Easy-to-read text: one sentence per paragraph (each on its own line). */
function Sentences(props: { lines: (string | false | null | undefined)[] }) {
  return (
    <>
      {props.lines.filter((l): l is string => Boolean(l)).map((l, i) => (
        <p key={i}>{l}</p>
      ))}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

/** Digits (and a leading +) of a phone number, for a tel: link. */
function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/**
 * Help on every page (issue 13, item 6): the establishment's phone number and address when the
 * session knows the establishment; on the pages without a session (unknown link, session ended),
 * where to find them.
 */
function PortalFooter(props: { establishment?: PortalContext['establishment'] }) {
  const e = props.establishment;
  return (
    <footer class="site">
      {e ? (
        <address class="help">
          <p>
            <strong>Besoin d’aide ?</strong>{' '}
            {e.phone ? (
              <>
                Appelez {e.name} au <a href={telHref(e.phone)}>{e.phone}</a>.
              </>
            ) : (
              <>Adressez-vous à {e.name}.</>
            )}
          </p>
          <p>Adresse : {e.address}</p>
        </address>
      ) : (
        <p>
          <strong>Besoin d’aide ?</strong> Contactez l’établissement qui vous a écrit : son nom et ses coordonnées sont dans l’e-mail reçu.
        </p>
      )}
      <p>Vos données servent uniquement à cette signature.</p>
    </footer>
  );
}

interface PortalPageProps {
  title: string;
  ctx?: PortalContext | null;
  /** The establishment of a page without a session (its name in the header, its contact in the footer). */
  establishment?: PortalContext['establishment'];
  /** Large print; by default the signer's preference. */
  large?: boolean;
  stylesheets?: string[];
  scripts?: string[];
  children: ComponentChildren;
}

/** Every portal page: the establishment in the header, one main, help in the footer. */
function PortalPage(props: PortalPageProps) {
  const e = props.ctx?.establishment ?? props.establishment;
  return (
    <HtmlDocument
      title={props.title}
      large={props.large ?? props.ctx?.preferences.largePrint ?? false}
      stylesheets={['/portail/static/portal.css', ...(props.stylesheets ?? [])]}
      scripts={props.scripts}
    >
      <header class="site">
        <p>{e ? e.name : 'CarePact'} — espace de signature</p>
      </header>
      <main id="contenu" tabIndex={-1}>
        {props.children}
      </main>
      <PortalFooter establishment={e} />
    </HtmlDocument>
  );
}

/** "Retour" on every step page: a plain link, first in the reading order after the heading. */
/** The one action of a page that leads (back) to the document. */
function DocumentButton(props: { children: ComponentChildren }) {
  return (
    <ul class="actions">
      <li>
        <a class="button" href="/portail/document">
          {props.children}
        </a>
      </li>
    </ul>
  );
}

function Back(props: { href: string; children: ComponentChildren }) {
  return (
    <p class="back">
      <a href={props.href}>{props.children}</a>
    </p>
  );
}

// ---------------------------------------------------------------------------------------------
// Pages without a session
// ---------------------------------------------------------------------------------------------

/** The same page for unknown, expired and revoked links (no hint about which). */
export function linkNotFoundPage(): string {
  return renderPage(
    <PortalPage title="Lien non valable">
      <h1>Ce lien n’est pas ou plus valable</h1>
      <p>Cela arrive quand :</p>
      <ul>
        <li>un e-mail plus récent vous a envoyé un nouveau lien (seul le dernier fonctionne) ;</li>
        <li>la date limite est passée, ou la demande a été annulée ;</li>
        <li>le lien a été mal copié.</li>
      </ul>
      <p>Utilisez le lien du dernier e-mail reçu, ou appelez l’établissement : il peut vous envoyer un nouveau lien ou vous faire signer sur place.</p>
    </PortalPage>,
  );
}

/**
 * A link, or a session, of a request whose person is in the intermediate archive (code
 * PORTAL_PERSON_ARCHIVED): her accompaniment ended long ago, nothing is read, downloaded or signed
 * through the portal any more. `completed`: the signed document was handed over when it was signed.
 */
export function personArchivedPage(completed: boolean): string {
  return renderPage(
    <PortalPage title="Lien non valable">
      <h1>Ce lien n’est plus valable</h1>
      <p>L’accompagnement de la personne concernée a pris fin : son dossier est en archive intermédiaire. Plus rien ne se lit, ne se télécharge ni ne se signe par ce lien.</p>
      {completed ? (
        <p>Le document signé vous a été remis quand tout le monde l’a signé : gardez la copie que vous avez reçue.</p>
      ) : (
        <p>Aucune signature n’est plus demandée pour ce document.</p>
      )}
      <p>Pour toute question, ou pour obtenir une copie, écrivez ou téléphonez à l’établissement : il transmet la demande à la personne chargée des archives.</p>
    </PortalPage>,
  );
}

/**
 * A link, or a session, of a request cancelled with the person's death (code
 * PORTAL_REQUEST_CANCELLED_DEATH, 410): said plainly and soberly, with no « nouveau lien » to ask
 * for and no « rien n’est perdu » — the protection measure ends at death (C. civ. 443 al. 1), nothing
 * more is signed for her. Its holder was invited to sign this request: the person's name is no news
 * to them. The person's own link names no one (no e-mail was written to her after her death).
 */
export function cancelledForDeathPage(notice: CancelledForDeath): string {
  const e = notice.establishment;
  return renderPage(
    <PortalPage title="Demande de signature annulée" establishment={e}>
      <h1>Cette demande de signature a été annulée</h1>
      {notice.ownLink ? (
        <p>{e.name} a annulé la demande de signature pour ce document.</p>
      ) : (
        <p>
          {e.name} a annulé la demande de signature pour {notice.document} {ofName(notice.personName)}, à la suite de son décès.
        </p>
      )}
      <p>Il n’y a plus rien à signer pour cette demande : ce lien ne fonctionne plus.</p>
    </PortalPage>,
  );
}

/**
 * A session that no longer opens. Why is not known here (and not said): it stayed unused 30 minutes,
 * reached its 2 hours, or its link was replaced — a newer e-mail (a reminder, an answer to a question)
 * brings a new link and ends the sessions of the old one.
 */
export function sessionExpiredPage(): string {
  return renderPage(
    <PortalPage title="Session terminée">
      <h1>Votre session est terminée</h1>
      <p>Cela arrive par exemple :</p>
      <ul>
        <li>quand la page n’a pas servi pendant 30 minutes ;</li>
        <li>quand un e-mail plus récent vous a envoyé un nouveau lien.</li>
      </ul>
      <p>Pour reprendre, ouvrez le lien du dernier e-mail reçu. Rien de ce que vous aviez déjà validé n’est perdu.</p>
    </PortalPage>,
  );
}

export function errorPage(title: string, message: string, status: number, ctx?: PortalContext): string {
  return renderPage(
    <PortalPage title={title} ctx={ctx}>
      <h1>{title}</h1>
      <p>{message}</p>
      {status === 403 ? <Back href="/portail">Retour à l’accueil</Back> : null}
    </PortalPage>,
  );
}

// ---------------------------------------------------------------------------------------------
// Landing
// ---------------------------------------------------------------------------------------------

export interface PortalState extends FormState {
  /** A short confirmation after a redirect (POST → 303 → GET). */
  notice?: string;
  /** The document is established (signed by the establishment, sealed) and this signer may still countersign it (CASF D.311 II). */
  established?: boolean;
}

function Facts(props: { ctx: PortalContext }) {
  const { ctx } = props;
  return (
    <ul class="facts">
      <li>
        <strong>Qui vous le demande :</strong> {ctx.establishment.name}
      </li>
      <li>
        <strong>Le document :</strong> {documentFor(ctx)}
      </li>
      {countersigns(ctx.signer, ctx.document.type) ? (
        // CASF D.311 II: the DIPC « peut être contresigné par la personne accueillie ou son représentant légal ».
        <>
          <li>
            <strong>{countersignsEasy(ctx) ? 'Vous pouvez signer aussi, si vous le voulez :' : 'Vous pouvez le contresigner :'}</strong> {fullName(ctx.signer)},{' '}
            {countersignWords(ctx.signer, ctx.residentName, 'second')}. Ce n’est pas obligatoire.
          </li>
          <li>
            <strong>Possible jusqu’au :</strong> {dateFr(ctx.request.deadline)}
          </li>
        </>
      ) : (
        <>
          <li>
            <strong>Vous signez :</strong> {fullName(ctx.signer)}, {capacityWords(ctx.signer, ctx.residentName, 'second')}
          </li>
          <li>
            <strong>Date limite :</strong> {dateFr(ctx.request.deadline)}
          </li>
        </>
      )}
    </ul>
  );
}

/** Until the access code is given, the code form is all the session reaches (no reading either). */
function CodeForm(props: { ctx: PortalContext; state: PortalState }) {
  const { ctx, state } = props;
  return (
    <>
      <h2>Code remis par l’établissement</h2>
      <p>Avant de lire et de signer, saisissez le code que l’établissement vous a donné.</p>
      <PostForm action="/portail/code" csrf={ctx.session.csrfToken}>
        <TextField
          name="code"
          label="Code à 6 chiffres"
          hint="L’établissement vous a donné ce code en personne ou par téléphone. Vous pouvez le coller."
          inputMode="numeric"
          autocomplete="one-time-code"
          value={state.values?.code}
          errors={state.errors}
        />
        <p>
          <button type="submit">Valider le code</button>
        </p>
      </PostForm>
    </>
  );
}

/**
 * The signed (or established) document goes by e-mail — a download link, SigningJobsService.notifyCompleted —
 * to a signer with an address; to one without (in person on the establishment's tablet, a representative
 * without e-mail), the establishment hands it over in person and records the handover
 * (handoverRecipients, channel 'in_hand'; CASF D.311 III « remis à chaque personne »). Every page that says
 * how the document will come asks this, so that an e-mail is promised only to a signer who has an address.
 */
function documentByEmail(ctx: PortalContext): boolean {
  return Boolean(ctx.signer.email);
}

/**
 * The landing: who asks, what, by when, what happens next, and one action — "Lire le document".
 * A signer who has answered sees their answer instead (see answeredPage); a download session the
 * sealed document (downloadPage).
 */
export function landingPage(ctx: PortalContext, state: PortalState = {}): string {
  const label = docLabel(ctx.document);
  const active = ctx.request.status === 'active';
  const code = accessCodeMissing(ctx);
  const views = ctx.views.filter((v) => !v.recorded);
  const mail = documentByEmail(ctx);
  return renderPage(
    <PortalPage title={`Signature : ${label}`} ctx={ctx}>
      <h1>{`Signature : ${label}`}</h1>
      <ErrorSummary errors={state.errors} message={state.errorMessage} />
      {state.notice ? (
        <Notice kind="success">
          <p>{state.notice}</p>
        </Notice>
      ) : null}
      <Facts ctx={ctx} />
      {!active ? (
        <Notice>
          <p>Cette demande de signature est close : il n’y a plus rien à signer. L’établissement peut vous renseigner.</p>
        </Notice>
      ) : code ? (
        <CodeForm ctx={ctx} state={state} />
      ) : (
        <>
          {state.established ? <EstablishedNotice ctx={ctx} /> : null}
          <h2>Ce qui va se passer</h2>
          <ol class="steps">
            <li>Vous lisez le document. Vous pouvez choisir une version facile à lire ou en gros caractères, et vous faire accompagner par une personne de votre choix.</li>
            {views.map((v) => (
              <li key={v.key}>Vous indiquez l’avis {ofName(fullName(v.person))} sur le document.</li>
            ))}
            {accountableViews(ctx).map((v) => (
              // C. civ. 371-1 al. 4: the other parent recorded the child's view; she may add hers (optional).
              <li key={`compte-rendu-${v.key}`}>
                {myAccount(v)
                  ? `Vous avez ajouté votre propre compte rendu de l’avis ${ofName(fullName(v.person))} : vous pouvez le modifier tant que vous n’avez pas signé.`
                  : `L’avis ${ofName(fullName(v.person))} est déjà indiqué${v.answer!.byName ? ` par ${v.answer!.byName}` : ''}. Si vous le souhaitez, vous ajoutez votre propre compte rendu de son avis (facultatif).`}{' '}
                <AccountLink view={v} />
              </li>
            ))}
            {countersignsEasy(ctx) ? (
              <>
                <li>Vous pouvez signer aussi, si vous le voulez.</li>
                <li>
                  {state.established
                    ? mail
                      ? 'Si vous signez, vous recevez un e-mail avec le document signé.'
                      : 'Si vous signez, l’établissement vous remet le document signé.'
                    : mail
                      ? 'Vous recevez un e-mail avec le document quand l’établissement l’a signé.'
                      : 'L’établissement vous remet le document quand il l’a signé.'}
                </li>
              </>
            ) : state.established ? (
              <>
                <li>Si vous le souhaitez, vous contresignez. Vous pouvez aussi ne pas le faire, ou poser une question à l’établissement.</li>
                <li>{mail ? 'Si vous contresignez, vous recevez un e-mail avec le document contresigné.' : 'Si vous contresignez, l’établissement vous remet en main propre le document contresigné.'}</li>
              </>
            ) : countersigns(ctx.signer, ctx.document.type) ? (
              // CASF D.311 II: not established yet, the countersignature is optional all the same.
              <>
                <li>Si vous le souhaitez, vous contresignez. Ce n’est pas obligatoire. Vous pouvez aussi ne pas le faire, ou poser une question à l’établissement.</li>
                <li>
                  Le document s’applique dès que la direction de l’établissement l’a signé :{' '}
                  {mail ? 'vous recevez alors un e-mail avec le document.' : 'l’établissement vous remet alors le document en main propre.'}
                </li>
              </>
            ) : (
              <>
                <li>Vous signez. Vous pouvez aussi refuser de signer, ou poser une question à l’établissement.</li>
                <li>
                  Quand toutes les signatures sont réunies,{' '}
                  {mail ? 'vous recevez un e-mail avec le document signé.' : 'l’établissement vous remet le document signé en main propre.'}
                </li>
              </>
            )}
          </ol>
          {ctx.residenceDispute ? (
            <Notice kind="warning">
              <p>
                Ce document ne peut pas être signé pour le moment : {fullName(ctx.residenceDispute.person)} n’est pas d’accord pour vivre dans l’établissement, et c’est au juge de décider. Vous pouvez lire le
                document et poser une question à l’établissement.
              </p>
            </Notice>
          ) : ctx.waitingFor.length ? (
            <Notice>
              <p>Votre signature sera demandée après celle de : {ctx.waitingFor.join(', ')}. {turnNotice(ctx)} Vous pouvez déjà lire le document.</p>
            </Notice>
          ) : null}
          <DocumentButton>Lire le document</DocumentButton>
        </>
      )}
    </PortalPage>,
  );
}

/**
 * CASF D.311 II: the DIPC « est établi et signé par le directeur … Il peut être contresigné par la
 * personne accueillie ou son représentant légal » — contresigner, signer après la direction. The
 * document applies already and is hers (D.311 III): she downloads it here; countersigning is her choice,
 * until the request's deadline.
 */
function EstablishedNotice(props: { ctx: PortalContext }) {
  const { ctx } = props;
  const until = formatDateTimeFr(ctx.request.deadline);
  return easyToRead(ctx) ? (
    <Notice kind="info">
      <p>L’établissement a déjà signé ce document. Il compte dès maintenant.</p>
      <p>Vous pouvez le télécharger et le garder.</p>
      <p>Vous pouvez signer aussi, si vous le voulez.</p>
      <p>Ce n’est pas obligatoire.</p>
      <p>Vous avez jusqu’au {until}.</p>
      <p>
        <a class="button" href="/portail/document-signe.pdf">
          Télécharger le document (PDF)
        </a>
      </p>
    </Notice>
  ) : (
    <Notice kind="info">
      <p>
        Le document est établi : l’établissement l’a signé et scellé. Il s’applique dès maintenant, que vous le contresigniez ou non. Vous pouvez le télécharger et le
        conserver.
      </p>
      <p>Vous pouvez aussi le contresigner (le signer après l’établissement), si vous le souhaitez, jusqu’au {until}. Ce n’est pas obligatoire.</p>
      <p>
        <a class="button" href="/portail/document-signe.pdf">
          Télécharger le document établi (PDF)
        </a>
      </p>
    </Notice>
  );
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

const VARIANT_LABELS: [string, string][] = [
  ['standard', 'Version complète'],
  ['falc', 'Facile à lire'],
  ['large-print', 'Gros caractères'],
];

/** What the reader can do next, under the document: the steps that are theirs now. */
function AfterReading(props: { ctx: PortalContext }) {
  const { ctx } = props;
  if (ctx.signer.status !== 'pending' || ctx.request.status !== 'active') return null;
  const view = ctx.views.find((v) => !v.recorded);
  const dispute = ctx.residenceDispute;
  const countersign = countersigns(ctx.signer, ctx.document.type);
  // The view the other parent recorded: she may add her own account before signing (C. civ. 371-1 al. 4).
  const accountable = dispute || view ? [] : accountableViews(ctx);
  return (
    <section aria-labelledby="apres-lecture">
      <h2 id="apres-lecture">Après la lecture</h2>
      {dispute ? (
        <p>
          Ce document ne peut pas être signé pour le moment : {fullName(dispute.person)} n’est pas d’accord pour vivre dans l’établissement, et c’est au juge de décider.{' '}
          <a href="/portail/signer">Pourquoi, et ce que vous pouvez faire</a>
        </p>
      ) : ctx.waitingFor.length ? (
        // Sequential mode: neither the view nor the signature before one's turn (NOT_YOUR_TURN).
        <NotYourTurnText ctx={ctx} />
      ) : view ? (
        <p>Avant de signer, indiquez l’avis {ofName(fullName(view.person))}.</p>
      ) : countersignsEasy(ctx) ? (
        <Sentences lines={['Vous pouvez signer aussi, si vous le voulez.', 'Ce n’est pas obligatoire.', 'Vous pouvez aussi poser une question.']} />
      ) : countersigns(ctx.signer, ctx.document.type) ? (
        // CASF D.311 II: « Il peut être contresigné »: offered, never asked for.
        <p>Quand vous avez lu le document, vous pouvez le contresigner, si vous le souhaitez : ce n’est pas obligatoire. Vous pouvez aussi poser une question, ou choisir de ne pas le contresigner.</p>
      ) : (
        <p>Quand vous avez lu le document, vous pouvez le signer. Vous pouvez aussi poser une question, ou refuser de signer.</p>
      )}
      {accountable.map((v) => (
        <p key={v.key}>
          {myAccount(v)
            ? `Vous avez ajouté votre propre compte rendu de l’avis ${ofName(fullName(v.person))} : vous pouvez le modifier tant que vous n’avez pas signé.`
            : `L’avis ${ofName(fullName(v.person))} est déjà indiqué${v.answer!.byName ? ` par ${v.answer!.byName}` : ''}. Vous pouvez ajouter votre propre compte rendu de son avis (facultatif).`}
        </p>
      ))}
      <ul class="actions">
        {dispute || ctx.waitingFor.length ? null : view ? (
          <li>
            <a class="button" href="/portail/avis">
              Indiquer l’avis {ofName(fullName(view.person))}
            </a>
          </li>
        ) : (
          <li>
            <a class="button" href="/portail/signer">
              {countersignsEasy(ctx) ? 'Signer aussi' : countersign ? 'Contresigner le document' : 'Signer le document'}
            </a>
          </li>
        )}
        {accountable.map((v) => (
          <li key={v.key}>
            <AccountLink view={v} button />
          </li>
        ))}
        <li>
          <a class="button secondary" href="/portail/question">
            Poser une question
          </a>
        </li>
        {/* Sequential mode: no refusal before one's turn either (NOT_YOUR_TURN). */}
        {ctx.waitingFor.length ? null : (
          <li>
            <a class="button secondary" href="/portail/refuser">
              {countersignsEasy(ctx) ? 'Ne pas signer' : countersign ? 'Ne pas contresigner' : 'Refuser de signer'}
            </a>
          </li>
        )}
      </ul>
    </section>
  );
}

/** The reading view: the version's HTML rendition, with switches and downloads, then the next steps. */
export function readingPage(ctx: PortalContext, variant: string, fragment: string): string {
  const label = docLabel(ctx.document);
  const current = VARIANT_LABELS.find((x) => x[0] === variant)!;
  return renderPage(
    <PortalPage title={`Lire : ${label}`} ctx={ctx} large={variant === 'large-print'} stylesheets={[`/portail/static/document-${variant}.css`]}>
      <Back href="/portail">Retour à l’accueil</Back>
      <nav aria-label="Choisir la version du document">
        <ul class="switcher">
          {VARIANT_LABELS.map(([v, text]) => (
            <li key={v}>
              <a href={`/portail/document?version=${v}`} aria-current={v === variant ? 'true' : undefined}>
                {text}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <p>
        Télécharger : <a href={`/portail/telecharger/pdf/${variant}`}>PDF ({current[1].toLowerCase()})</a> · <a href={`/portail/telecharger/docx/${variant}`}>Word (DOCX)</a>
      </p>
      <TrustedHtml class="document" role="region" aria-label="Le document" tabIndex={0} html={fragment} />
      <AfterReading ctx={ctx} />
      <Back href="/portail">Retour à l’accueil</Back>
    </PortalPage>,
  );
}

// ---------------------------------------------------------------------------------------------
// Steps: the person's view, sign, refuse, ask
// ---------------------------------------------------------------------------------------------

/** Where a step page stands when it cannot offer its form. */
function Closed(props: { ctx: PortalContext }) {
  return props.ctx.signer.status !== 'pending' ? (
    <Notice>
      <p>
        Vous avez déjà répondu. <a href="/portail">Voir votre réponse</a>
      </p>
    </Notice>
  ) : (
    <Notice>
      <p>Cette demande de signature est close : il n’y a plus rien à signer.</p>
    </Notice>
  );
}

const open = (ctx: PortalContext) => ctx.signer.status === 'pending' && ctx.request.status === 'active';

/**
 * The views another signer recorded (the first parent…) to which this signer may add her own account
 * now — at her turn, until she signs (C. civ. 371-1 al. 4, 388-1; CASF L.311-4): the ones
 * ViewAccountForm offers on /portail/avis, which every page of the way links to.
 */
function accountableViews(ctx: PortalContext): PortalContext['views'] {
  return open(ctx) && !ctx.waitingFor.length ? ctx.views.filter((v) => v.answer && !v.answer.byMe) : [];
}

/** This signer's own account of a view another signer recorded, if she added one. */
const myAccount = (v: PortalContext['views'][number]) => v.answer?.accounts?.find((x) => x.byMe);

/** The link to /portail/avis, where she adds her own account (optional) or corrects it until she signs. */
function AccountLink(props: { view: PortalContext['views'][number]; button?: boolean }) {
  return (
    <a class={props.button ? 'button secondary' : undefined} href="/portail/avis">
      {myAccount(props.view) ? 'Modifier mon compte rendu' : 'Ajouter mon compte rendu de son avis'}
    </a>
  );
}

/**
 * The views another signer recorded (the other parent, C. civ. 371-1 al. 4, 388-1): who gave which,
 * when, with what they noted, so that each signer signs knowing it; and, open, what to do if one
 * disagrees with it: ask the establishment, or refuse to sign (CASF L.311-4).
 */
function RecordedByOthers(props: { ctx: PortalContext; accountLink?: boolean }) {
  const { ctx } = props;
  const others = ctx.views.filter((v) => v.answer && !v.answer.byMe);
  if (!others.length) return null;
  const accountable = props.accountLink ? accountableViews(ctx) : [];
  return (
    <>
      {others.map((v) => {
        const a = v.answer!;
        const by = a.byName ? ` par ${a.byName}` : '';
        const on = a.at ? ` le ${atFr(new Date(a.at))}` : '';
        return (
          <div key={v.key}>
            <p>
              Avis {ofName(fullName(v.person))}
              {by || on ? `, enregistré${by}${on}` : ''} : {EXPRESSION_LABELS.find(([x]) => x === a.expression)?.[1] ?? a.expression}.
            </p>
            {a.comment ? (
              <p>
                {a.byName ? `Ce que ${a.byName} a noté` : 'Ce qui a été noté'} : « {a.comment} »
              </p>
            ) : null}
            {/* The accounts other later signers added, each hers (C. civ. 371-1 al. 4). */}
            {(a.accounts ?? [])
              .filter((x) => !x.byMe)
              .map((x) => (
                <p key={x.at}>
                  Compte rendu de {x.byName}, ajouté le {atFr(new Date(x.at))} : « {x.comment} »
                </p>
              ))}
            {/* Hers, so that she checks what she added before signing (the /portail/avis form shows it there). */}
            {props.accountLink && myAccount(v) ? (
              <p>
                Votre compte rendu, ajouté le {atFr(new Date(myAccount(v)!.at))} : « {myAccount(v)!.comment} »
              </p>
            ) : null}
            {accountable.includes(v) ? (
              <p>
                <AccountLink view={v} /> {myAccount(v) ? '(possible tant que vous n’avez pas signé)' : '(facultatif)'}
              </p>
            ) : null}
          </div>
        );
      })}
      {open(ctx) && !ctx.waitingFor.length ? (
        <p>
          Si vous n’êtes pas d’accord avec cet avis, vous pouvez <a href="/portail/question">poser une question à l’établissement</a> ou{' '}
          <a href="/portail/refuser">{countersigns(ctx.signer, ctx.document.type) ? 'ne pas contresigner' : 'refuser de signer'}</a>.
        </p>
      ) : null}
    </>
  );
}

/**
 * The view another signer recorded (the first parent…), and this signer may record it too: at her
 * turn she adds what she heard from the person, in her own words, as hers — the first one's view is
 * not changed (C. civ. 371-1 al. 4: both parents associate the child to the decision; CASF L.311-4).
 * Optional; correctable until she signs. A disagreement still goes through a question or a refusal.
 */
function ViewAccountForm(props: { ctx: PortalContext; state: PortalState }) {
  const { ctx, state } = props;
  const others = ctx.views.filter((v) => v.answer && !v.answer.byMe);
  if (!others.length || !open(ctx) || ctx.waitingFor.length) return null;
  return (
    <>
      {others.map((v) => {
        const mine = v.answer!.accounts?.find((x) => x.byMe);
        const whose = v.reason === 'minor' ? 'de l’enfant' : ofName(fullName(v.person));
        const typed = state.values?.viewKey === v.key ? state.values.account : undefined;
        return (
          <section key={v.key} aria-labelledby={`compte-rendu-${v.key}`}>
            <h2 id={`compte-rendu-${v.key}`}>Votre propre compte rendu</h2>
            <p>
              Vous pouvez aussi noter ce que vous a dit {fullName(v.person)}. Votre compte rendu est enregistré à votre nom, à côté de l’avis déjà indiqué, qui n’est pas modifié. Il figure dans la preuve de
              signature.
            </p>
            {mine ? (
              <Notice kind="success">
                <p>Compte rendu enregistré le {atFr(new Date(mine.at))}. Vous pouvez le corriger tant que vous n’avez pas signé.</p>
              </Notice>
            ) : null}
            <PostForm action="/portail/avis/compte-rendu" csrf={ctx.session.csrfToken}>
              <input type="hidden" name="viewKey" value={v.key} />
              <TextArea name="account" label={`Votre propre compte rendu de l’avis ${whose} (facultatif)`} value={typed ?? mine?.comment ?? ''} errors={state.errors} />
              <p>
                <button type="submit" class="secondary">
                  {mine ? 'Corriger mon compte rendu' : 'Ajouter mon compte rendu'}
                </button>
              </p>
            </PostForm>
          </section>
        );
      })}
    </>
  );
}

/**
 * Sequential mode (« Chacun à son tour »), this signer's turn not come: whose signatures come first,
 * that an e-mail will say when, and — with a person's view to record — that it is recorded then, if
 * nobody recorded it before (the other parent may, at their turn). No form: the portal refuses the
 * view, the signature and the refusal before one's turn (NOT_YOUR_TURN); asking a question stays open.
 */
function NotYourTurnText(props: { ctx: PortalContext; view?: string }) {
  const { ctx, view } = props;
  const pending = view ?? (ctx.views.find((v) => !v.recorded) ? fullName(ctx.views.find((v) => !v.recorded)!.person) : undefined);
  return (
    <>
      <p>
        <strong>Ce n’est pas encore votre tour.</strong> Votre signature sera demandée après celle de : {ctx.waitingFor.join(', ')}. {turnNotice(ctx)}
      </p>
      {pending ? <p>Vous pourrez alors indiquer l’avis {ofName(pending)}, s’il n’a pas déjà été enregistré.</p> : null}
      <p>Vous pouvez déjà lire le document et poser une question à l’établissement.</p>
    </>
  );
}

/** The view of the person this signer records (tutelle, a minor…), before signing. */
export function viewPage(ctx: PortalContext, state: PortalState = {}): string {
  const view = ctx.views.find((v) => !v.recorded) ?? ctx.views.find((v) => v.answer?.byMe);
  const name = view ? fullName(view.person) : '';
  const values = state.values ?? {};
  // A view this signer recorded can be corrected until they sign; the form starts from its answer.
  const current = view?.answer && !values.expression ? { expression: view.answer.expression, comment: view.answer.comment ?? '' } : { expression: values.expression, comment: values.comment ?? '' };
  const recordedAs = view?.answer ? (EXPRESSION_LABELS.find(([v]) => v === view.answer!.expression)?.[1] ?? view.answer.expression) : undefined;
  // Recorded by another signer: the same heading as the form it replaces, naming the person.
  const shown = view ?? ctx.views.find((v) => v.answer && !v.answer.byMe);
  const heading = shown ? `L’avis ${ofName(fullName(shown.person))}` : 'Avis de la personne';
  // Another signer asked for the same view (the other parent) sees what this one records, and the words noted.
  const seenBy = view ? view.recordedBy.filter((k) => k !== ctx.signer.key).length : 0;
  const whoSees =
    view?.reason === 'minor' && seenBy === 1 ? 'L’autre parent verra' : seenBy === 1 ? 'L’autre signataire qui recueille cet avis verra' : 'Les autres signataires qui recueillent cet avis verront';
  return renderPage(
    <PortalPage title={shown ? heading : 'Avis'} ctx={ctx}>
      <h1>{heading}</h1>
      <ErrorSummary errors={state.errors} message={state.errorMessage} />
      {!view ? (
        <>
          {/* Another signer (the other parent…) recorded it: say who and what; signing is what remains. */}
          <RecordedByOthers ctx={ctx} />
          {ctx.views.some((v) => v.answer && !v.answer.byMe) ? null : <p>Il n’y a pas d’avis à indiquer.</p>}
          <ViewAccountForm ctx={ctx} state={state} />
          {open(ctx) && ctx.waitingFor.length ? (
            <Notice>
              <NotYourTurnText ctx={ctx} />
            </Notice>
          ) : open(ctx) ? (
            <ul class="actions">
              <li>
                <a class="button" href="/portail/signer">
                  {countersignsEasy(ctx) ? 'Signer aussi' : countersigns(ctx.signer, ctx.document.type) ? 'Contresigner le document' : 'Signer le document'}
                </a>
              </li>
            </ul>
          ) : null}
        </>
      ) : !open(ctx) ? (
        <Closed ctx={ctx} />
      ) : ctx.waitingFor.length ? (
        // Sequential mode: the view is recorded at one's turn, with the signature (NOT_YOUR_TURN).
        <Notice>
          <NotYourTurnText ctx={ctx} view={name} />
        </Notice>
      ) : (
        <>
          <p>{name} participe à la décision. Son avis est enregistré à part, dans la preuve de signature.</p>
          {seenBy ? <p>{whoSees} ce que vous enregistrez ici, l’avis et ce que vous notez, avant de signer.</p> : null}
          {view.answer ? (
            <Notice kind="success">
              <p>Avis enregistré : {recordedAs}. Vous pouvez le corriger tant que vous n’avez pas signé.</p>
            </Notice>
          ) : null}
          <PostForm action="/portail/avis" csrf={ctx.session.csrfToken}>
            <input type="hidden" name="viewKey" value={view.key} />
            <RadioGroup name="expression" label={`Qu’exprime ${name} sur ce document ?`} options={EXPRESSION_LABELS} value={current.expression} errors={state.errors} />
            <TextArea name="comment" label="Ses mots, ou comment l’avis a été recueilli (facultatif)" value={current.comment} errors={state.errors} />
            <p>
              <button type="submit">{view.answer ? 'Corriger l’avis' : 'Enregistrer l’avis'}</button>
            </p>
          </PostForm>
        </>
      )}
      <Back href="/portail/document">Retour au document</Back>
    </PortalPage>,
  );
}

/**
 * The person disagrees with living in the establishment and the document cites no decision of the
 * judge (C. civ. 459-2; PortalContext.residenceDispute, from the policy's rule): no signature is
 * offered — PortalActionsService.sign refuses it too — and the page says why, who decides and what
 * the signer can still do: ask the establishment, correct the view they recorded, or refuse.
 */
function ResidenceDisputed(props: { ctx: PortalContext; dispute: NonNullable<PortalContext['residenceDispute']> }) {
  const { ctx, dispute } = props;
  const name = fullName(dispute.person);
  const phone = ctx.establishment.phone;
  return (
    <>
      <Notice kind="warning">
        <p>
          <strong>Ce document ne peut pas être signé pour le moment.</strong>
        </p>
        <p>L’avis enregistré dit que {name} n’est pas d’accord pour vivre dans l’établissement.</p>
      </Notice>
      <h2>Pourquoi ?</h2>
      <p>Le choix du lieu de vie appartient à {name} (article 459-2 du Code civil).</p>
      <p>En cas de désaccord, c’est le juge des contentieux de la protection qui décide où {name} va vivre (ou le conseil de famille, s’il y en a un).</p>
      <p>Personne ne peut signer ce document avant cette décision. Quand la décision sera écrite dans le document, l’établissement pourra vous le renvoyer à signer.</p>
      <h2>Ce que vous pouvez faire</h2>
      <ul>
        <li>
          Prévenir l’établissement et lui poser vos questions :{' '}
          {phone ? (
            <>
              appelez-le au <a href={telHref(phone)}>{phone}</a>, ou écrivez-lui
            </>
          ) : (
            'écrivez-lui'
          )}{' '}
          avec le bouton « Poser une question ».
        </li>
        {dispute.byMe ? <li>Corriger l’avis, si ce n’est pas ce que {name} a exprimé : vous pouvez le faire tant que vous n’avez pas signé.</li> : null}
        <li>Refuser de signer : la page « Refuser de signer » explique ce que cela change.</li>
      </ul>
      <ul class="actions">
        <li>
          <a class="button" href="/portail/question">
            Poser une question
          </a>
        </li>
        {dispute.byMe ? (
          <li>
            <a class="button secondary" href="/portail/avis">
              Corriger l’avis {ofName(name)}
            </a>
          </li>
        ) : null}
        <li>
          <a class="button secondary" href="/portail/refuser">
            Refuser de signer
          </a>
        </li>
      </ul>
    </>
  );
}

/**
 * Before the consent (C. civ. 1366, 1367): the complete version is what is signed, with a link to
 * read it; the easy-to-read and large-print versions help to understand it and are not signed (the
 * easy-to-read one leaves details out, e.g. the grounds on which the establishment may end a
 * contract). In easy-to-read French for a FALC reader (sentences checked by lintFalcText).
 */
function WhatYouSign(props: { ctx: PortalContext }) {
  const { ctx } = props;
  // CASF D.311 II: the DIPC's person's side countersigns it (FALC: « signer aussi », « contresigner » is jargon there).
  const countersign = countersigns(ctx.signer, ctx.document.type);
  const read = (
    <a href="/portail/document?version=standard">
      {easyToRead(ctx) ? 'Lire la version complète' : 'Lire la version complète du document'}
    </a>
  );
  return (
    <section aria-labelledby="ce-que-vous-signez">
      <h2 id="ce-que-vous-signez">{countersign && !easyToRead(ctx) ? 'Ce que vous contresignez' : 'Ce que vous signez'}</h2>
      {easyToRead(ctx) ? (
        <>
          <Sentences
            lines={
              countersign
                ? [`Vous pouvez signer aussi ${documentFor(ctx)}, si vous le voulez.`, 'Ce n’est pas obligatoire.', 'Vous signez la version complète du document.']
                : [`Vous signez ${documentFor(ctx)}.`, 'Vous signez la version complète du document.']
            }
          />
          <p>{read}</p>
          <Sentences
            lines={['La version facile à lire vous aide à comprendre.', 'Elle explique le même document plus simplement.', 'Elle ne dit pas tous les détails.', 'Seule la version complète compte.']}
          />
        </>
      ) : (
        <>
          <p>
            {countersign ? 'Vous contresignez' : 'Vous signez'} {documentFor(ctx)} dans sa version complète. {read}
          </p>
          <p>
            Les versions « facile à lire » et « gros caractères » aident à le comprendre : elles expliquent le même document plus simplement ou en plus gros ; seule la version complète fait foi. La
            version facile à lire ne reprend pas tous les détails.
          </p>
        </>
      )}
    </section>
  );
}

/**
 * « Documents remis avec le contrat » (CASF L.311-4), « … avec le document individuel de prise en
 * charge » for a DIPC (D.311): the livret d'accueil, the charte, the
 * règlement… the version recorded when it was created, each a link to its PDF through the signer's
 * session (PortalReadsService.annexFile, in the evidence as `annex_downloaded`). A document with
 * no file published says that the establishment hands it over on paper.
 */
/** « avec le contrat », « avec le document individuel de prise en charge » (CASF L.311-4 hands them over with either, D.311). */
function handedOverWith(doc: PortalContext['document']): string {
  const type = doc.type;
  if (type === 'contrat-sejour') return 'le contrat';
  if (type === 'dipc') return 'le document individuel de prise en charge';
  if (type === 'avenant') return doc.subtype === 'annexe-liberte-aller-venir' ? 'l’annexe' : 'l’avenant';
  return 'ce document';
}


/**
 * What follows an annex's link: « PDF », and its version unless the label already names it
 * (« Livret d’accueil, édition 2026 » with the version « Édition 2026 » read the edition twice;
 * « Règlement de fonctionnement, version 2025 » with « Édition 2025 » too: the same edition, other word).
 */
export function annexFileNote(label: string, versionLabel: string | null | undefined): string {
  const plain = (t: string) => t.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
  if (!versionLabel) return 'PDF';
  // « Édition 2025 », « version 2025 », « v. 2025 »: what names the edition is what follows the word.
  const core = plain(versionLabel).replace(/^(edition|version|v\.?)\s+/, '');
  const words = ` ${plain(label).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const named = plain(label).includes(plain(versionLabel)) || (core !== '' && words.includes(` ${core.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `));
  return named ? 'PDF' : `PDF, version « ${versionLabel} »`;
}

function HandedOver(props: { ctx: PortalContext; annexes: VersionAnnex[]; tariffs: TariffAnnex | null }) {
  if (!props.annexes.length && !props.tariffs) return null;
  const easy = easyToRead(props.ctx);
  const contract = props.ctx.document.type === 'contrat-sejour';
  return (
    <section aria-labelledby="documents-remis">
      <h2 id="documents-remis">Documents remis avec {handedOverWith(props.ctx.document)}</h2>
      {easy ? (
        <Sentences lines={[contract ? 'Ces documents vont avec le contrat.' : 'Ces documents vont avec le document que vous signez.', 'Lisez-les avant de signer.', 'Vous ne les signez pas.']} />
      ) : (
        <p>Ils accompagnent le document que vous signez : lisez-les avant de signer. Ils ne sont pas signés.</p>
      )}
      <ul>
        {props.annexes.map((a) => (
          <li key={a.key}>
            {a.file ? (
              <>
                <a href={`/portail/documents-remis/${a.file.id}`} download>
                  {a.label}
                </a>{' '}
                ({annexFileNote(a.label, a.file.versionLabel)})
              </>
            ) : (
              <>{a.label} : l’établissement vous le remet sur papier.</>
            )}
          </li>
        ))}
        {props.tariffs ? <TariffAnnexItem tariffs={props.tariffs} easy={easy} /> : null}
      </ul>
    </section>
  );
}

/**
 * The « Annexe tarifaire » the document lists (CASF L.311-4): no file to download, it is written from
 * the establishment's tariffs, and the document being signed prints them in its financial section
 * (tariff-annex.ts); when it does not (no financial contribution asked), the line says so.
 */
function TariffAnnexItem(props: { tariffs: TariffAnnex; easy: boolean }) {
  const { label, reproducedIn } = props.tariffs;
  if (props.easy)
    return (
      <li>
        <Sentences
          lines={
            reproducedIn
              ? ['La feuille des prix est dans le document que vous signez.', `Regardez la partie « ${reproducedIn} ».`]
              : ['La feuille des prix n’est pas dans le document que vous signez.', 'Demandez-la à l’établissement.']
          }
        />
      </li>
    );
  return (
    <li>
      {label} : établie à partir des tarifs de l’établissement,{' '}
      {reproducedIn
        ? `reproduite dans le document que vous signez (partie « ${reproducedIn} »).`
        : 'elle n’est pas reproduite dans le document que vous signez, qui ne demande aucune participation financière ; demandez-la à l’établissement.'}
    </li>
  );
}

/**
 * The signature: offered only once the document was opened (`read`), the person's view recorded,
 * her residence not disputed before the judge (ResidenceDisputed) and, in sequential mode, when it
 * is this signer's turn; the consent sentence is the signer's own, in their capacity (issue 13,
 * items 2 and 3).
 */
export function signPage(ctx: PortalContext, read: boolean, state: PortalState = {}, handedOver: HandedOverDocuments = { files: [], tariffs: null }): string {
  const label = docLabel(ctx.document);
  const missingView = ctx.views.find((v) => !v.recorded);
  const mine = ctx.views.filter((v) => v.answer?.byMe);
  const values = state.values ?? {};
  const dispute = ctx.residenceDispute;
  const form = open(ctx) && !dispute && read && !missingView && !ctx.waitingFor.length;
  // CASF D.311 II: an optional countersignature of the DIPC, named as such.
  const countersign = countersigns(ctx.signer, ctx.document.type);
  const heading = `${countersignsEasy(ctx) ? 'Signer aussi' : countersign ? 'Contresigner' : 'Signer'} : ${label}`;
  return renderPage(
    <PortalPage title={heading} ctx={ctx} scripts={form ? ['/portail/static/portal.js'] : []}>
      <h1>{heading}</h1>
      <ErrorSummary errors={state.errors} message={state.errorMessage} />
      {state.notice ? (
        <Notice kind="success">
          <p>{state.notice}</p>
        </Notice>
      ) : null}
      {!open(ctx) ? (
        <Closed ctx={ctx} />
      ) : dispute ? (
        <ResidenceDisputed ctx={ctx} dispute={dispute} />
      ) : !read ? (
        <>
          <Notice kind="warning">
            <p>Vous n’avez pas encore ouvert le document. Lisez-le d’abord : vous pourrez signer ensuite.</p>
          </Notice>
          <DocumentButton>Lire le document</DocumentButton>
        </>
      ) : ctx.waitingFor.length ? (
        <Notice>
          <NotYourTurnText ctx={ctx} view={missingView ? fullName(missingView.person) : undefined} />
        </Notice>
      ) : missingView ? (
        <>
          <Notice>
            <p>Avant de signer, indiquez l’avis {ofName(fullName(missingView.person))}.</p>
          </Notice>
          <ul class="actions">
            <li>
              <a class="button" href="/portail/avis">
                Indiquer l’avis {ofName(fullName(missingView.person))}
              </a>
            </li>
          </ul>
        </>
      ) : (
        <>
          <WhatYouSign ctx={ctx} />
          <HandedOver ctx={ctx} annexes={handedOver.files} tariffs={handedOver.tariffs} />
          <RecordedByOthers ctx={ctx} accountLink />
          {mine.map((v) => (
            <p key={v.key}>
              Avis {ofName(fullName(v.person))} : {EXPRESSION_LABELS.find(([x]) => x === v.answer!.expression)?.[1] ?? v.answer!.expression}. <a href="/portail/avis">Corriger l’avis</a>
            </p>
          ))}
          <PostForm action="/portail/signer" csrf={ctx.session.csrfToken}>
            <Checkbox name="consent" label={consentFor(ctx)} checked={Boolean(values.consent)} errors={state.errors} />
            <TextField name="typedName" label="Votre nom complet" hint={`Écrivez : ${fullName(ctx.signer)}`} autocomplete="name" value={values.typedName} errors={state.errors} />
            <div class="draw" id="draw-box" hidden>
              <p class="hint" id="draw-aide">
                Vous pouvez aussi dessiner votre signature (facultatif).
              </p>
              <canvas id="draw-canvas" aria-label="Zone pour dessiner votre signature (facultatif)" role="img" />
              <p>
                <button type="button" class="secondary" id="draw-clear">
                  Effacer le dessin
                </button>
              </p>
            </div>
            <input type="hidden" id="drawnSignature" name="drawnSignature" value="" />
            <p>
              <button type="submit">{countersignsEasy(ctx) ? 'Signer aussi' : countersign ? 'Contresigner' : 'Signer'}</button>
            </p>
          </PostForm>
        </>
      )}
      <Back href="/portail/document">Retour au document</Back>
    </PortalPage>,
  );
}

/** Refusing: its own page, what it changes said before the button; before one's turn (sequential), the waiting message alone. */
export function refusePage(ctx: PortalContext, state: PortalState = {}): string {
  const contract = ctx.document.type === 'contrat-sejour';
  // CASF D.311 II: the DIPC « peut être contresigné »; not countersigning it refuses nothing.
  const countersign = countersigns(ctx.signer, ctx.document.type);
  const easy = countersignsEasy(ctx);
  const title = easy ? 'Ne pas signer' : countersign ? 'Ne pas contresigner' : 'Refuser de signer';
  return renderPage(
    <PortalPage title={title} ctx={ctx}>
      <h1>{title}</h1>
      <ErrorSummary errors={state.errors} message={state.errorMessage} />
      {!open(ctx) ? (
        <Closed ctx={ctx} />
      ) : ctx.waitingFor.length ? (
        // Sequential mode: one refuses at one's turn, as one signs (NOT_YOUR_TURN); no form before it.
        <Notice>
          <NotYourTurnText ctx={ctx} />
        </Notice>
      ) : (
        <>
          {easy ? (
            <Sentences
              lines={[
                'Signer ce document n’est pas obligatoire.',
                'Il compte dès que l’établissement l’a signé.',
                'Si vous ne signez pas, l’établissement est informé.',
                'Vous n’avez rien d’autre à faire.',
              ]}
            />
          ) : countersign ? (
            <p>
              Votre contresignature n’est pas obligatoire : le document s’applique dès que la direction de l’établissement l’a signé, que vous le contresigniez ou non (article D.311 du code de l’action
              sociale et des familles). Si vous choisissez de ne pas le contresigner, l’établissement en est informé, et rien d’autre n’est attendu de vous.
            </p>
          ) : ctx.signer.optional ? (
            <p>Votre signature n’est pas obligatoire pour ce document. Si vous refusez, l’établissement est prévenu.</p>
          ) : assistsThePerson(ctx.request.policy, ctx.signer.key) ? (
            <p>
              Vous assistez {ctx.residentName}. Si vous refusez votre assistance, la demande de signature s’arrête et l’établissement est prévenu. Ce n’est pas un refus du
              document par {ctx.residentName} : {ctx.residentName}{' '}
              {ctx.signer.role === 'habilite'
                ? // C. civ. 494-1 al. 1 (assistance « dans les conditions prévues à l'article 467 »), 494-10 (the judge settles the difficulty).
                  'peut saisir le juge, qui statue sur cette difficulté et peut l’autoriser à le signer sans votre assistance (articles 494-1 et 494-10 du Code civil).'
                : 'peut demander au juge l’autorisation de le signer sans votre assistance (article 469 du Code civil).'}
            </p>
          ) : (
            <p>
              Si vous refusez, la demande de signature s’arrête pour toutes les personnes qui devaient signer, et l’établissement est prévenu. Il vous contactera.
              {/* CASF D.311: a refused contrat de séjour is replaced by a DIPC. */}
              {contract ? ' L’établissement vous proposera alors un autre document, le document individuel de prise en charge.' : ''}
            </p>
          )}
          <p>
            Vous hésitez ? <a href="/portail/question">Posez d’abord une question</a> à l’établissement.
          </p>
          <PostForm action="/portail/refuser" csrf={ctx.session.csrfToken}>
            <TextArea name="reason" label={countersign ? 'Pourquoi ? (facultatif)' : 'Pourquoi refusez-vous ? (facultatif)'} value={state.values?.reason} errors={state.errors} />
            <p>
              <button type="submit" class="danger">
                {easy ? 'Je ne signe pas' : countersign ? 'Je ne le contresigne pas' : 'Refuser de signer'}
              </button>
            </p>
          </PostForm>
        </>
      )}
      <Back href="/portail/document">Retour au document</Back>
    </PortalPage>,
  );
}

/** A question the signer asked, with the establishment's answers (issue 10, item 3). */
export interface AskedQuestion {
  message: string;
  askedAt: Date;
  answers: { answer: string; at: Date }[];
}

function AskedQuestions(props: { asked: AskedQuestion[]; establishment: string }) {
  return (
    <ol class="asked-questions">
      {props.asked.map((q, i) => (
        <li key={i}>
          <p>
            <strong>Votre question du {dateFr(q.askedAt)} :</strong> {q.message}
          </p>
          {q.answers.length ? (
            q.answers.map((a, j) => (
              <p key={j}>
                <strong>
                  Réponse {ofName(props.establishment)} du {dateFr(a.at)} :
                </strong>{' '}
                {a.answer}
              </p>
            ))
          ) : (
            <p>L’établissement n’a pas encore répondu.</p>
          )}
        </li>
      ))}
    </ol>
  );
}

/**
 * Why the question form is not offered (PortalActionsService.ask refuses the same cases): the
 * signer has answered, the request is closed (or the session is a download link's, after the seal),
 * or MAX_UNANSWERED_QUESTIONS questions are waiting for an answer.
 */
function NoMoreQuestions(props: { ctx: PortalContext; waiting: number }) {
  const { ctx } = props;
  if (canAsk(ctx))
    return (
      <Notice>
        <p>
          Vous avez déjà envoyé {props.waiting} questions qui attendent une réponse. L’établissement va répondre aux questions déjà envoyées ; vous pourrez ensuite en poser d’autres. En cas d’urgence,
          contactez directement l’établissement.
        </p>
      </Notice>
    );
  const answered = ctx.purpose === 'sign' && ctx.request.status === 'active' && ctx.signer.status !== 'pending';
  return (
    <Notice>
      <p>
        {answered ? 'Vous avez déjà répondu à cette demande' : 'Cette demande de signature est close'} : vous ne pouvez plus poser de question ici. Pour toute question, contactez directement l’établissement.
      </p>
    </Notice>
  );
}

/**
 * The answer reaches a signer by e-mail with a new link (SigningJobsService.invite, 'question-answered'),
 * which ends the current link and its sessions; a signer in person (on the establishment's tablet)
 * gets no e-mail.
 */
function answerByEmail(ctx: PortalContext): boolean {
  return reachedByEmail(ctx.signer);
}

/** What a signer whose turn has not come is told of it: an e-mail when invitations reach them so (the same rule as answers), else the establishment. */
function turnNotice(ctx: PortalContext): string {
  return answerByEmail(ctx) ? WHEN_TURN_BY_EMAIL : WHEN_TURN_IN_PERSON;
}

/** A question to the establishment, after the signer's questions and their answers; `sent` after the redirect that follows it. */
export function questionPage(ctx: PortalContext, state: PortalState & { sent?: boolean; asked?: AskedQuestion[] } = {}): string {
  const asked = state.asked ?? [];
  const waiting = asked.filter((q) => !q.answers.length).length;
  // The form only when a question would be taken (the same rules as PortalActionsService.ask).
  const form = canAsk(ctx) && waiting < MAX_UNANSWERED_QUESTIONS;
  const heading = asked.some((q) => q.answers.length) ? 'Vos questions et les réponses' : !form && asked.length ? 'Vos questions' : 'Poser une question';
  return renderPage(
    <PortalPage title={state.sent ? 'Votre question est envoyée' : heading} ctx={ctx}>
      {state.sent ? (
        <>
          <h1>Votre question est envoyée</h1>
          <Notice kind="success">
            {answerByEmail(ctx) ? (
              <>
                <p>L’établissement va vous répondre par e-mail.</p>
                <p>Cet e-mail aura un nouveau lien pour revenir signer. Utilisez ce nouveau lien : l’ancien ne marchera plus.</p>
              </>
            ) : (
              <p>L’établissement va vous répondre.</p>
            )}
          </Notice>
          <DocumentButton>Retour au document</DocumentButton>
        </>
      ) : (
        <>
          <h1>{heading}</h1>
          <ErrorSummary errors={state.errors} message={state.errorMessage} />
          {asked.length ? <AskedQuestions asked={asked} establishment={ctx.establishmentName} /> : null}
          {!form ? (
            // A refused question already says why (its error summary).
            state.errorMessage ? null : (
              <NoMoreQuestions ctx={ctx} waiting={waiting} />
            )
          ) : (
            <>
              {asked.length ? <h2>Poser une autre question</h2> : null}
              <p>Une phrase n’est pas claire ? Vous voulez en parler avant de signer ? Écrivez votre question : l’établissement va vous répondre.</p>
              <PostForm action="/portail/question" csrf={ctx.session.csrfToken}>
                <TextArea name="message" label="Votre question à l’établissement" value={state.values?.message} errors={state.errors} />
                <p>
                  <button type="submit">Envoyer la question</button>
                </p>
              </PostForm>
            </>
          )}
          <Back href="/portail/document">Retour au document</Back>
        </>
      )}
    </PortalPage>,
  );
}

// ---------------------------------------------------------------------------------------------
// After an answer: recap (fresh) and coming back (used link)
// ---------------------------------------------------------------------------------------------

/**
 * What the sealed PDF really holds (libs/signing evidenceBlocks, sealedTree): the document with each
 * signature box filled (date, how), then the pages « Dossier de preuve de la signature ».
 */
function SealedExplanation(props: { easy: boolean }) {
  if (props.easy)
    return (
      <Sentences
        lines={[
          'L’établissement a scellé le document.',
          'Cela veut dire : si quelqu’un change le document, cela se voit.',
          'Dans le document, chaque signature a sa date.',
          'Elle dit aussi comment la personne a signé.',
          'À la fin, des pages disent qui a signé, et quand.',
          'Ces pages s’appellent « Dossier de preuve de la signature ».',
        ]}
      />
    );
  return (
    <p>
      L’établissement a scellé le document : une modification serait détectable. Dans le document, chaque cadre de signature indique la date et la façon de signer. À la fin, les pages « Dossier de preuve de la
      signature » disent qui a signé, en quelle qualité, comment chaque personne a été identifiée et quand ; puis viennent la liste des étapes de la demande et les empreintes numériques des autres versions remises.
    </p>
  );
}

const COMPANION_LABELS: Record<'falc' | 'large-print', string> = { falc: 'Version facile à lire', 'large-print': 'Version en gros caractères' };

export interface AnswerFacts {
  /** The request's signers and where each stands. */
  signers: CoSigner[];
  sealed: boolean;
  /** The latest sealed edition holds this signer's signature (false before any seal, and after a countersignature until its new edition is sealed). */
  mySignatureSealed?: boolean;
}

/**
 * CASF D.311 II: the DIPC (and an avenant to it, D.311 VII) « est établi et signé par le directeur …
 * Il peut être contresigné par la personne accueillie ou son représentant légal ». Sealed while an
 * optional countersignature is missing, the document is established, not « signé par tous »: who
 * has not countersigned, and who may still, until the request's deadline (whose-turn.ts
 * countersignWindowOpen). Null when every signature is in, or before any seal.
 */
function establishedFacts(
  ctx: PortalContext,
  facts: AnswerFacts,
): { until: string | null; mayStill: CoSigner[]; didNot: CoSigner[]; mineSealed: boolean; countersigned: boolean } | null {
  const countersigners = facts.signers.filter((s) => !s.me && isOptionalCountersigner(s));
  const window = ctx.request.status === 'active' && facts.sealed;
  if (!window && !(ctx.request.status === 'completed' && facts.sealed && facts.signers.some((s) => s.status !== 'signed'))) return null;
  const mayStill = window ? countersigners.filter((s) => s.status === 'pending') : [];
  return {
    until: mayStill.length ? formatDateTimeFr(ctx.request.deadline) : null,
    mayStill,
    didNot: countersigners.filter((s) => s.status !== 'signed' && !mayStill.includes(s)),
    mineSealed: facts.mySignatureSealed === true,
    // Her own signature was optional: a countersignature (a required signer's is a signature).
    countersigned: facts.signers.find((s) => s.me)?.optional ?? false,
  };
}

function WhatNextEstablished(props: { ctx: PortalContext; e: NonNullable<ReturnType<typeof establishedFacts>> }) {
  const { ctx, e } = props;
  const mail = documentByEmail(ctx);
  const may = e.mayStill.map((s) => s.name).join(' et ');
  const didNot = e.didNot.map((s) => s.name).join(' et ');
  if (easyToRead(ctx))
    return (
      <Sentences
        lines={[
          'L’établissement a signé ce document.',
          'Il compte dès maintenant.',
          'Vous l’avez signé vous aussi.',
          e.mineSealed ? 'Le document avec votre signature est prêt.' : mail ? 'Vous allez recevoir un e-mail avec le document signé.' : 'L’établissement va vous remettre le document signé.',
          e.mayStill.length > 0 && `${may} peut aussi le signer.`,
          e.mayStill.length > 0 && 'Ce n’est pas obligatoire.',
          e.mayStill.length > 0 && `C’est possible jusqu’au ${e.until}.`,
          e.didNot.length > 0 && `${didNot} n’a pas signé.`,
          e.didNot.length > 0 && 'Ce n’était pas obligatoire.',
        ]}
      />
    );
  return (
    <>
      <p>
        Le document est établi : la direction de l’établissement l’a signé. Il s’applique dès maintenant. {e.countersigned ? 'Votre contresignature' : 'Votre signature'} est enregistrée :{' '}
        {e.mineSealed
          ? 'le document scellé avec votre signature est prêt.'
          : mail
            ? 'l’établissement scelle un nouvel exemplaire du document avec votre signature, et vous recevrez un e-mail avec un lien pour le télécharger.'
            : 'l’établissement scelle un nouvel exemplaire du document avec votre signature et vous le remet en main propre.'}
      </p>
      {e.mayStill.length ? (
        <p>
          {may} peut encore le contresigner jusqu’au {e.until}. Ce n’est pas obligatoire : le document s’applique déjà.
        </p>
      ) : null}
      {e.didNot.length ? <p>{didNot} ne l’a pas contresigné : ce n’était pas obligatoire.</p> : null}
    </>
  );
}

function WhatNext(props: { ctx: PortalContext; facts: AnswerFacts }) {
  const { ctx, facts } = props;
  const established = establishedFacts(ctx, facts);
  if (established) return <WhatNextEstablished ctx={ctx} e={established} />;
  const mail = documentByEmail(ctx);
  const missing = facts.signers.filter((s) => !s.me && s.status === 'pending' && !s.optional);
  // Countersigned before the director signed (CASF D.311 II): her signature establishes it; nobody else's is awaited.
  if (ctx.request.status === 'active' && !facts.sealed && countersigns(ctx.signer, ctx.document.type))
    return easyToRead(ctx) ? (
      <Sentences
        lines={[
          'L’établissement doit encore signer ce document.',
          'Ensuite, il compte.',
          ...(mail ? ['Vous recevrez alors un e-mail.', 'Cet e-mail a un lien pour télécharger le document signé.'] : ['L’établissement vous remettra alors le document signé.']),
        ]}
      />
    ) : (
      <p>
        Le document sera établi quand la direction de l’établissement l’aura signé : il s’appliquera alors, sans attendre d’autre signature,{' '}
        {mail ? 'et vous recevrez un e-mail avec un lien pour le télécharger.' : 'et l’établissement vous le remettra en main propre.'}
      </p>
    );
  if (easyToRead(ctx)) return <WhatNextEasy status={ctx.request.status} missing={missing} sealed={facts.sealed} mail={mail} />;
  const names = missing.map((s) => (s.role === 'director' ? `la direction de l’établissement (${s.name})` : s.name));
  switch (ctx.request.status) {
    case 'completed':
      return (
        <p>
          Toutes les signatures sont réunies.{' '}
          {facts.sealed
            ? 'Le document signé est prêt.'
            : mail
              ? 'L’établissement scelle le document : vous recevrez un e-mail avec un lien pour le télécharger.'
              : 'L’établissement scelle le document et vous le remet en main propre.'}
        </p>
      );
    case 'active':
      return (
        <p>
          {names.length ? `Il manque encore la signature de : ${names.join(', ')}. ` : ''}Quand toutes les signatures seront réunies, l’établissement scelle le document{' '}
          {mail ? 'et vous recevez un e-mail avec un lien pour le télécharger.' : 'et vous le remet en main propre.'}
        </p>
      );
    case 'refused':
      return <p>La demande de signature s’est arrêtée : une personne a refusé de signer. L’établissement va vous contacter.</p>;
    default:
      return <p>La demande de signature a été arrêtée par l’établissement. Il peut vous renseigner.</p>;
  }
}

/** WhatNext in easy-to-read French: the same facts, one idea per sentence, the missing signers as a list. */
function WhatNextEasy(props: { status: string; missing: CoSigner[]; sealed: boolean; mail: boolean }) {
  const { missing, sealed, mail } = props;
  switch (props.status) {
    case 'completed':
      return (
        <Sentences
          lines={
            sealed
              ? ['Tout le monde a signé.', 'Le document signé est prêt.']
              : mail
                ? ['Tout le monde a signé.', 'L’établissement prépare le document signé.', 'Vous allez recevoir un e-mail.', 'Cet e-mail a un lien pour télécharger le document signé.']
                : ['Tout le monde a signé.', 'L’établissement prépare le document signé.', 'L’établissement va vous remettre ce document.']
          }
        />
      );
    case 'active':
      return (
        <>
          {missing.length ? (
            <>
              <p>Il manque encore la signature de :</p>
              <ul>
                {missing.map((s, i) => (
                  <li key={i}>{s.role === 'director' ? `${s.name}, pour la direction de l’établissement` : s.name}</li>
                ))}
              </ul>
            </>
          ) : null}
          <Sentences
            lines={
              mail
                ? ['Quand tout le monde aura signé, vous recevrez un e-mail.', 'Cet e-mail a un lien pour télécharger le document signé.']
                : ['Quand tout le monde aura signé, l’établissement vous remettra le document signé.']
            }
          />
        </>
      );
    case 'refused':
      return <Sentences lines={['La demande de signature est arrêtée.', 'Une personne a refusé de signer.', 'L’établissement va vous contacter.']} />;
    default:
      return <Sentences lines={['L’établissement a arrêté la demande de signature.', 'Il peut vous expliquer pourquoi.']} />;
  }
}

/** The downloads of what was signed: the sealed PDF when it exists, else the version signed; and the person's easier versions, marked as companions. */
function SignedDownloads(props: { ctx: PortalContext; facts: AnswerFacts }) {
  const { ctx, facts } = props;
  // A reopened session of a signer whose signature needed a code reads nothing but the sealed PDF (see PortalReadsService.sealedPdf).
  const mayRead = !accessCodeMissing(ctx);
  const preferred = preferredCompanion(ctx);
  const companions = (preferred ? [preferred, ...(['falc', 'large-print'] as const).filter((v) => v !== preferred)] : (['falc', 'large-print'] as const)).slice();
  const easy = easyToRead(ctx);
  // CASF D.311 II: a countersigner waits for nobody but the director (established by her signature).
  const countersign = countersigns(ctx.signer, ctx.document.type);
  const mail = documentByEmail(ctx);
  const handedHow = mail ? 'envoyé par e-mail' : 'remis en main propre par l’établissement';
  return (
    <section aria-labelledby="telecharger">
      <h2 id="telecharger">Télécharger</h2>
      {facts.sealed ? (
        <>
          <ul class="actions">
            <li>
              <a class="button" href="/portail/document-signe.pdf">
                {/* Established, her countersignature not sealed yet (CASF D.311 II): the file is the edition without it. */}
                {facts.mySignatureSealed === false ? 'Télécharger le document établi, sans votre signature (PDF)' : 'Télécharger le document signé (PDF)'}
              </a>
            </li>
          </ul>
          {facts.mySignatureSealed === false ? (
            easy ? (
              <Sentences
                lines={['Votre signature n’est pas encore dans ce fichier.', mail ? 'Le document avec votre signature arrivera par e-mail.' : 'L’établissement vous remettra le document avec votre signature.']}
              />
            ) : (
              <p>Votre signature n’y figure pas encore : le nouvel exemplaire scellé, avec votre signature, vous sera {handedHow}.</p>
            )
          ) : null}
          <SealedExplanation easy={easy} />
        </>
      ) : mayRead ? (
        <>
          <ul class="actions">
            <li>
              <a class="button" href="/portail/telecharger/pdf/standard">
                Le document que vous avez signé (PDF)
              </a>
            </li>
          </ul>
          {easy ? (
            <Sentences
              lines={[
                'C’est le texte exact que vous avez signé.',
                'Les signatures ne sont pas dans ce fichier.',
                mail ? 'Le document final avec les signatures arrivera par e-mail.' : 'L’établissement vous remettra le document final avec les signatures.',
              ]}
            />
          ) : (
            <p>
              C’est la version exacte que vous avez signée.{' '}
              {countersign
                ? `Le document établi, avec votre contresignature, vous sera ${handedHow} quand la direction l’aura signé.`
                : `Le document final, avec toutes les signatures, vous sera ${handedHow}.`}
            </p>
          )}
        </>
      ) : easy ? (
        <p>{mail ? 'Vous recevrez le document signé par e-mail.' : 'L’établissement vous remettra le document signé.'}</p>
      ) : countersign ? (
        <p>Le document établi vous sera {handedHow} quand la direction l’aura signé.</p>
      ) : (
        <p>Le document signé vous sera {handedHow} quand toutes les signatures seront réunies.</p>
      )}
      {mayRead ? (
        <>
          <h3>Pour vous aider à lire</h3>
          {easy ? (
            <Sentences
              lines={[
                'Ces versions aident à comprendre le document signé.',
                'Elles sont plus simples, ou écrites en plus gros.',
                'La version facile à lire ne dit pas tous les détails.',
                'Ces versions ne sont pas signées.',
                'Seule la version complète compte.',
                facts.sealed && 'Le dossier de preuve garde la trace de ces versions.',
              ]}
            />
          ) : (
            <p>
              Ces versions accompagnent le document signé : elles expliquent le même document plus simplement ou en plus gros ; seule la version complète fait foi. La version facile à lire ne
              reprend pas tous les détails. Ce ne sont pas l’original signé.
              {facts.sealed ? ' Leur empreinte numérique figure dans le dossier de preuve du document scellé.' : ''}
            </p>
          )}
          <ul>
            {companions.map((v) =>
              easy ? (
                <li key={v}>
                  <a href={`/portail/telecharger/pdf/${v}`}>{COMPANION_LABELS[v]} (PDF), non signée</a>
                  {v === preferred ? '. C’est la version que vous préférez.' : null}
                </li>
              ) : (
                <li key={v}>
                  <a href={`/portail/telecharger/pdf/${v}`}>
                    {COMPANION_LABELS[v]} (PDF){v === preferred ? ', celle que vous préférez' : ''} — accompagne l’original, non signée
                  </a>
                </li>
              ),
            )}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/**
 * The signer's own answer (issue 13, items 4 and 5): `fresh` right after the POST (its 303 leads
 * here: a refresh sends nothing), otherwise when they come back with the link they used —
 * « Vous avez signé le … à … », in which capacity, what happens next, and what was signed.
 */
export function answeredPage(ctx: PortalContext, facts: AnswerFacts, fresh: boolean): string {
  const label = docLabel(ctx.document);
  const at = ctx.signer.actedAt ? atFr(ctx.signer.actedAt) : null;
  if (ctx.signer.status === 'refused' && countersigns(ctx.signer, ctx.document.type)) return declinedCountersignPage(ctx, facts, fresh, at);
  if (ctx.signer.status === 'refused') {
    const title = fresh ? 'Votre refus est enregistré' : at ? `Vous avez refusé de signer le ${at}` : 'Vous avez refusé de signer';
    return renderPage(
      <PortalPage title={title} ctx={ctx}>
        <h1>{title}</h1>
        <Notice>
          {easyToRead(ctx) ? (
            <Sentences
              lines={[fresh && `Vous avez refusé de signer ${documentFor(ctx)}.`, fresh && at && `C’était le ${at}.`, 'L’établissement est prévenu.', 'Il va vous contacter.', 'Vous pouvez aussi l’appeler.']}
            />
          ) : (
            <p>
              {fresh && at ? `Vous avez refusé de signer ${documentFor(ctx)} le ${at}. ` : ''}L’établissement a été prévenu et va vous contacter. Vous pouvez aussi l’appeler.
            </p>
          )}
        </Notice>
        {!accessCodeMissing(ctx) ? (
          <p>
            <a href="/portail/document">Relire le document</a>
          </p>
        ) : null}
      </PortalPage>,
    );
  }
  const title = fresh ? 'Merci, votre signature est enregistrée' : at ? `Vous avez signé le ${at}` : `Vous avez signé : ${label}`;
  return renderPage(
    <PortalPage title={title} ctx={ctx}>
      <h1>{title}</h1>
      {fresh && at ? (
        <Notice kind="success">
          <p>Vous avez signé le {at}.</p>
        </Notice>
      ) : null}
      <ul class="facts">
        <li>
          <strong>Le document :</strong> {documentFor(ctx)}
        </li>
        <li>
          <strong>Vous avez confirmé :</strong> « {consentFor(ctx)} »
        </li>
      </ul>
      <h2>Et maintenant ?</h2>
      <WhatNext ctx={ctx} facts={facts} />
      <SignedDownloads ctx={ctx} facts={facts} />
    </PortalPage>,
  );
}

/**
 * An optional countersigner chose not to countersign (CASF D.311 II: the DIPC « est établi et signé
 * par le directeur … Il peut être contresigné »): nothing is refused, the request goes on
 * (SignatureProgress.afterOptionalRefusal), and the document is in force once the director signed
 * it — or will be, whatever this answer. Nothing more is needed from them: no « va vous contacter ».
 */
function declinedCountersignPage(ctx: PortalContext, facts: AnswerFacts, fresh: boolean, at: string | null): string {
  const not = easyToRead(ctx) ? 'ne pas signer' : 'ne pas contresigner';
  const title = fresh ? 'Votre choix est enregistré' : at ? `Vous avez choisi de ${not} le ${at}` : `Vous avez choisi de ${not}`;
  const established = facts.sealed;
  return renderPage(
    <PortalPage title={title} ctx={ctx}>
      <h1>{title}</h1>
      <Notice>
        {easyToRead(ctx) ? (
          <Sentences
            lines={[
              'Vous avez choisi de ne pas signer ce document.',
              fresh && at && `C’était le ${at}.`,
              'Ce n’était pas obligatoire.',
              established ? 'L’établissement a signé ce document.' : 'L’établissement va signer ce document.',
              established ? 'Il compte dès maintenant.' : 'Il comptera dès que l’établissement l’aura signé.',
              'Vous n’avez rien d’autre à faire.',
              'L’établissement est informé de votre choix.',
            ]}
          />
        ) : (
          <>
            <p>
              {fresh && at ? `Vous avez choisi de ne pas contresigner ${documentFor(ctx)}, le ${at}. ` : ''}Ce n’était pas obligatoire (article D.311 du code de l’action sociale et des familles).
            </p>
            <p>
              {established
                ? 'Le document est établi : la direction de l’établissement l’a signé. Il s’applique, sans votre contresignature.'
                : 'Le document s’appliquera dès que la direction de l’établissement l’aura signé, sans votre contresignature.'}{' '}
              Rien d’autre n’est attendu de vous. L’établissement est informé de votre choix ; vous pouvez l’appeler pour toute question.
            </p>
          </>
        )}
      </Notice>
      {!accessCodeMissing(ctx) ? (
        <p>
          <a href="/portail/document">Relire le document</a>
        </p>
      ) : null}
    </PortalPage>,
  );
}

/** A download session (the completion e-mail's link): the sealed document, and what it holds. */
export function downloadPage(ctx: PortalContext, sealed: boolean, established = false): string {
  const label = docLabel(ctx.document);
  return renderPage(
    <PortalPage title={`Document signé : ${label}`} ctx={ctx}>
      <h1>{`Document signé : ${label}`}</h1>
      {sealed ? (
        <>
          <p>
            {ctx.request.status === 'active' || established
              ? easyToRead(ctx)
                ? 'L’établissement a signé ce document. Il compte dès maintenant.'
                : 'Le document est établi : l’établissement l’a signé (CASF D.311). Il s’applique dès maintenant.'
              : easyToRead(ctx)
                ? 'Tout le monde a signé.'
                : 'Toutes les signatures sont réunies.'}
          </p>
          <SealedExplanation easy={easyToRead(ctx)} />
          <ul class="actions">
            <li>
              <a class="button" href="/portail/document-signe.pdf">
                Télécharger le document signé (PDF)
              </a>
            </li>
          </ul>
        </>
      ) : (
        <p>{easyToRead(ctx) ? 'Le document signé n’est pas encore prêt.' : 'Le document signé n’est pas encore disponible.'}</p>
      )}
    </PortalPage>,
  );
}


import { CIVILITY_LABELS, FieldError, HOLDER_ROLE_LABELS, agreeWithCivility, nameWithCivility, MEASURE_MODE_LABELS, MEASURE_TYPE_LABELS, documentTypeLabel, formatDateFr, ofName } from '@carepact/common';
import type { DocumentView } from '@carepact/documents';
import type { StaffActor } from '@carepact/identity';
import {
  DELEGATION_COVERS_STAY_LABELS,
  DELEGATION_EXTENT_LABELS,
  MINOR_ROLE_LABELS,
  MeasureAlert,
  ResidentListItem,
  ResidentPage,
  ResidentView,
  SOLE_AUTHORITY_GROUND_INFO,
  ageOn,
  delegationLeavesStayToParents,
  endOfStayText,
  exitAfterDeathText,
  holderMissionTitle,
  measureAlert,
  todayIso,
} from '@carepact/residents';
import type { ComponentChildren } from 'preact';
import { Notice, RefusedFormSummary, SelectField, TextField, TrustedHtml, renderFragment, renderPage } from '../../views';
import { ConsolePage } from '../console-layout';
import { capitalise, residentPath } from './resident-forms.views';
import { RETENTION_FIELD_LABELS } from './resident-retention.views';
import {
  DOCUMENT_STATUS_LABELS,
  MEASURE_ALERT_LABELS,
  MEASURE_SCOPE_LABELS,
  MINOR_LIST_LABELS,
  PARENTAL_AUTHORITY_LABELS,
  STAY_TYPE_LABELS,
  minorDeciderSentence,
} from './resident-labels';

const date = (d: string | null | undefined) => (d ? formatDateFr(d) : '—');

/** A measure's status in words, marked by more than colour (a border and the word itself). */
function AlertBadge(props: { status: MeasureAlert }) {
  return <span class={`badge badge-${props.status}`}>{MEASURE_ALERT_LABELS[props.status]}</span>;
}

/**
 * A document's state in the file's list. A draft contract whose stay has another contract signed is
 * never corrected nor sent (one contract per stay, CASF L.311-4, D.311): not « prêt ».
 */
function documentStatusText(d: DocumentView, superseded?: ReadonlySet<string>): string {
  if (!superseded?.has(d.id)) return DOCUMENT_STATUS_LABELS[d.status];
  return d.status === 'cancelled' ? 'projet abandonné : un autre contrat de séjour est signé pour ce séjour' : 'projet non envoyé : un autre contrat de séjour est signé pour ce séjour';
}

function stayText(
  r: Pick<ResidentListItem, 'stayType' | 'admissionDate' | 'plannedEndDate' | 'civility'> & { departedOn?: string | null; deceasedOn?: string | null },
  today: string,
): string {
  const kind = capitalise(STAY_TYPE_LABELS[r.stayType]);
  // A person who left (the newcomer's review of session 18: the list said « depuis le 4 mars 2019 » of someone gone three years),
  // or who died: « partie le … », « décédée le … », agreed with her civility (endOfStayText).
  const ended = endOfStayText({ departedOn: r.departedOn ?? null, deceasedOn: r.deceasedOn, civility: r.civility });
  if (ended) return `${kind}, admission le ${date(r.admissionDate)} — ${ended.charAt(0).toLowerCase()}${ended.slice(1)}`;
  const from = r.admissionDate > today ? `admission prévue le ${date(r.admissionDate)}` : `depuis le ${date(r.admissionDate)}`;
  return `${kind}, ${from}${r.plannedEndDate ? `, fin prévue le ${date(r.plannedEndDate)}` : ''}`;
}

export interface ListBodyState {
  page: ResidentPage;
  q: string;
  establishmentId: string;
  /** Establishments whose residents the person may read, for the filter and the column. */
  establishments: Map<string, string>;
  canCreate: boolean;
  /** The page asked for (`apres`/`avant`) names no resident of the list: this is the first page instead. */
  cursorLost?: boolean;
}

/**
 * GET /console/residents's content below its h1: search by name, filter by establishment, pages of
 * 50 in name order. The same for everyone with the same roles: the console's page cache keeps it
 * until an audited change (console/cache).
 */
export function residentListBody(s: ListBodyState): string {
  const today = todayIso();
  const { page } = s;
  const query = (cursor: Record<string, string>) => {
    const p = new URLSearchParams({ ...(s.q ? { q: s.q } : {}), ...(s.establishmentId ? { etablissement: s.establishmentId } : {}), ...cursor });
    return `/console/residents?${p.toString()}`;
  };
  const filtered = !!(s.q || s.establishmentId);
  const count = `${page.total.toLocaleString('fr-FR')} résident${page.total > 1 ? 's' : ''}`;
  return renderFragment(
    <>
      {s.cursorLost ? <Notice kind="warning">Cette page de la liste n’existe plus : voici le début de la liste.</Notice> : null}
      {s.canCreate ? (
        <p>
          <a class="button" href="/console/residents/nouveau">
            Nouveau résident
          </a>
        </p>
      ) : null}
      <form method="get" action="/console/residents" class="search" role="search" aria-label="Rechercher un résident">
        <TextField name="q" type="search" label="Nom ou prénom" hint="Majuscules et accents sont sans importance." value={s.q} autocomplete="off" />
        {s.establishments.size > 1 ? (
          <SelectField name="etablissement" label="Établissement" emptyLabel="Tous vos établissements" options={[...s.establishments]} value={s.establishmentId} />
        ) : null}
        <p class="actions">
          <button type="submit">Rechercher</button>
          {filtered ? (
            <a class="button secondary" href="/console/residents">
              Tout afficher
            </a>
          ) : null}
        </p>
      </form>
      <p role="status">{filtered ? `${count} trouvé${page.total > 1 ? 's' : ''}.` : `${count}.`}</p>
      {page.items.length ? (
        <div class="table-scroll" role="region" aria-labelledby="liste-titre" tabIndex={0}>
          <table class="stacked">
            <caption id="liste-titre">Résidents{s.q ? ` dont le nom contient « ${s.q} »` : ''}, par ordre alphabétique</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Établissement</th>
                <th scope="col">Chambre</th>
                <th scope="col">Séjour</th>
                <th scope="col">Mesure de protection</th>
                <th scope="col">Statut de la mesure</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <a href={residentPath(r.id)}>
                      {r.lastName} {r.firstName}
                    </a>
                  </th>
                  <td data-label="Établissement">{s.establishments.get(r.establishmentId) ?? '—'}</td>
                  <td data-label="Chambre">{r.room ?? '—'}</td>
                  <td data-label="Séjour">{stayText(r, today)}</td>
                  <td data-label="Mesure de protection">
                    {r.measure
                      ? `${capitalise(MEASURE_TYPE_LABELS[r.measure.type])}${r.measure.endDate ? `, fin le ${date(r.measure.endDate)}` : ''}`
                      : r.minor
                        ? r.parentalAuthority
                          ? MINOR_LIST_LABELS[r.parentalAuthority]
                          : 'Mineur : autorité parentale non renseignée'
                        : 'Aucune'}
                  </td>
                  <td data-label="Statut de la mesure">{r.measure ? <AlertBadge status={r.measure.status} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{filtered ? 'Aucun résident ne correspond à cette recherche.' : 'Aucun résident pour le moment.'}</p>
      )}
      {page.previousBefore || page.nextAfter ? (
        <nav aria-label="Pages de la liste" class="pager">
          <ul class="actions">
            {page.previousBefore ? (
              <li>
                <a href={query({ avant: page.previousBefore })} rel="prev">
                  Page précédente
                </a>
              </li>
            ) : null}
            {page.nextAfter ? (
              <li>
                <a href={query({ apres: page.nextAfter })} rel="next">
                  Page suivante
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>,
  );
}

/** GET /console/residents: `body` is residentListBody's HTML (this module's components, every value escaped). */
export function residentListPage(actor: StaffActor, csrf: string, q: string, body: string): string {
  return renderPage(
    <ConsolePage title={q ? `Résidents : recherche « ${q} »` : 'Résidents'} actor={actor} csrf={csrf} current="residents">
      <h1>Résidents</h1>
      <TrustedHtml html={body} class="resident-list" />
    </ConsolePage>,
  );
}

function Row(props: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

export interface FileRights {
  /** resident.write in the resident's establishment. */
  write: boolean;
  /** document.write: « Nouveau document ». */
  newDocument: boolean;
}

/** GET /console/residents/:id: the resident's file, with their documents. */
/**
 * A resident's file below its h1 and notice: identity, stay, contacts, measures, documents. The same
 * for everyone with the same roles, kept by the console's page cache until an audited change.
 */
/** `archivedSince`: the day her documents went to the intermediate archive (libs/documents intermediate-archive.ts): each stays listed, « archivé ». */
export function residentFileBody(s: {
  resident: ResidentView;
  establishment: string;
  documents: DocumentView[];
  rights: FileRights;
  archivedSince?: string | null;
  /** Draft contracts of a stay whose other contract is signed (DocumentsService.supersededContractsOf): never sent, said so. */
  supersededContracts?: ReadonlySet<string>;
}): string {
  const r = s.resident;
  const today = todayIso();
  const base = residentPath(r.id);
  return renderFragment(
    <>
      <ul class="actions">
        {s.rights.write ? (
          <li>
            <a class="button secondary" href={`${base}/modifier`}>
              Modifier l’identité et le séjour
            </a>
          </li>
        ) : null}
        {s.rights.newDocument && !s.archivedSince ? (
          <li>
            {/* After the death, only what may still be made (resident-deceased.ts): the minutes of a meeting held on or before it. */}
            <a class="button" href={r.deceasedOn ? `${base}/documents/nouveau?type=compte-rendu-synthese` : `${base}/documents/nouveau`}>
              {r.deceasedOn ? 'Nouveau compte rendu de réunion de synthèse' : 'Nouveau document'}
            </a>
          </li>
        ) : null}
      </ul>

      <section aria-labelledby="identite">
        <h2 id="identite">Identité</h2>
        <dl class="facts">
          {r.civility ? <Row label="Civilité">{CIVILITY_LABELS[r.civility]}</Row> : null}
          <Row label="Nom d’usage">{r.lastName}</Row>
          <Row label="Prénom">{r.firstName}</Row>
          {r.birthName ? <Row label="Nom de naissance">{r.birthName}</Row> : null}
          <Row label="Date de naissance">
            {date(r.birthDate)} ({ageOn(r.birthDate, today)} ans{r.minor ? ', mineur' : ''})
          </Row>
          {r.minor || r.parentalAuthority ? <Row label="Autorité parentale">{r.parentalAuthority ? PARENTAL_AUTHORITY_LABELS[r.parentalAuthority] : 'non renseignée'}</Row> : null}
          {r.parentalAuthority === 'sole' || (r.soleAuthority && delegationLeavesStayToParents(r)) ? (
            <Row label="Exercice par un seul parent">
              {r.soleAuthority ? (
                <>
                  {capitalise(SOLE_AUTHORITY_GROUND_INFO[r.soleAuthority.ground].label)} ({SOLE_AUTHORITY_GROUND_INFO[r.soleAuthority.ground].basis}) : {r.soleAuthority.proofReference}, du{' '}
                  {date(r.soleAuthority.proofDate)}
                </>
              ) : (
                <strong>Preuve non enregistrée : les demandes de signature sont refusées tant que le motif et la pièce ne sont pas au dossier (C. civ. 372).</strong>
              )}
            </Row>
          ) : null}
          {r.parentalAuthority === 'tutelle' || r.parentalAuthority === 'delegation' || r.minorDecision ? (
            <Row label="Décision">
              {r.minorDecision ? (
                <>
                  {r.minorDecision.authority}, {r.minorDecision.reference}, du {date(r.minorDecision.date)}
                  {r.minorDecision.delegationExtent ? ` ; délégation ${DELEGATION_EXTENT_LABELS[r.minorDecision.delegationExtent]}` : ''}
                  {r.minorDecision.delegationExtent === 'partial' && r.minorDecision.delegationCoversStay != null
                    ? ` ; ${DELEGATION_COVERS_STAY_LABELS[r.minorDecision.delegationCoversStay ? 'true' : 'false']}`
                    : ''}
                  {r.minorDecision.wardOfState ? ' ; pupille de l’État (CASF L.224-1)' : ''}
                  {r.minorDecision.actAuthorisation
                    ? ` ; autorisation du juge des enfants pour le service gardien (C. civ. 375-7) : ${r.minorDecision.actAuthorisation.reference}, du ${date(r.minorDecision.actAuthorisation.date)}`
                    : ''}
                </>
              ) : (
                <strong>Décision non enregistrée : les demandes de signature sont refusées tant qu’elle n’est pas au dossier (C. civ. 390, 377).</strong>
              )}
            </Row>
          ) : null}
          <Row label="Adresse e-mail">{r.email ?? '—'}</Row>
          <Row label="Téléphone">{r.phone ?? '—'}</Row>
        </dl>
      </section>

      <section aria-labelledby="sejour">
        <h2 id="sejour">Séjour</h2>
        <dl class="facts">
          <Row label="Établissement">{s.establishment}</Row>
          <Row label="Type de séjour">{capitalise(STAY_TYPE_LABELS[r.stayType])}</Row>
          <Row label="Admission">{date(r.admissionDate)}</Row>
          <Row label="Fin prévue">{date(r.plannedEndDate)}</Row>
          {/* After a death, the exit when it is another day (she had left before, or the room was vacated later). */}
          <Row label="Fin de l’accompagnement">{exitAfterDeathText(r) ? `${endOfStayText(r)}. ${exitAfterDeathText(r)}.` : (endOfStayText(r) ?? 'en cours')}</Row>
          <Row label="Chambre">{r.room ?? '—'}</Row>
        </dl>
      </section>

      <section aria-labelledby="preferences">
        <h2 id="preferences">Préférences de lecture</h2>
        <dl class="facts">
          <Row label="Facile à lire et à comprendre">{r.preferences.easyToRead ? 'oui' : 'non'}</Row>
          <Row label="Gros caractères">{r.preferences.largePrint ? 'oui' : 'non'}</Row>
          <Row label="Langue">{languageName(r.preferences.language)}</Row>
        </dl>
      </section>

      <section aria-labelledby="mesures">
        <h2 id="mesures">Mesures de protection</h2>
        {r.protectionMeasures.length ? (
          r.protectionMeasures.map((m) => {
            const alert = measureAlert(m, today);
            return (
              <article class="card" key={m.id} aria-labelledby={`mesure-${m.id}`}>
                <h3 id={`mesure-${m.id}`}>
                  {capitalise(MEASURE_TYPE_LABELS[m.type])} <AlertBadge status={alert} />
                </h3>
                <dl class="facts">
                  <Row label="Fin">{m.endDate ? date(m.endDate) : 'sans date de fin'}</Row>
                  <Row label="Mode">{MEASURE_MODE_LABELS[m.mode]}</Row>
                  <Row label="Protège">{m.scope.map((x) => MEASURE_SCOPE_LABELS[x]).join(' et ')}</Row>
                  <Row label="Portée">{m.general ? 'générale' : `limitée : ${m.acts.join(' ; ')}`}</Row>
                  {m.mission ? <Row label="Mission">{m.mission}</Row> : null}
                  <Row label="Jugement">
                    {m.court}, {m.judgmentReference}, du {date(m.judgmentDate)}
                  </Row>
                  {m.startDate ? <Row label="Début">{date(m.startDate)}</Row> : null}
                  {m.mandateEffectiveDate ? <Row label="Prise d’effet du mandat">{date(m.mandateEffectiveDate)}</Row> : null}
                  {m.type === 'curatelle_renforcee' ? (
                    <Row label="Signature du contrat par le curateur seul (C. civ. 472)">
                      {m.judgeAuthorisesHolderAlone ? `autorisée par le juge${m.authorisationReference ? ` (${m.authorisationReference})` : ''}` : 'non autorisée'}
                    </Row>
                  ) : null}
                  {m.proofDocumentRef ? <Row label="Pièce justificative">{m.proofDocumentRef}</Row> : null}
                  <Row label="Exercée par">
                    {m.holders.length
                      ? // C. civ. 447 al. 3: a divided measure names each holder's mission (« tuteur chargé de la gestion patrimoniale »), agreed with the holder's civility (« tutrice »).
                        m.holders
                          .map((h) => `${nameWithCivility(h)}, ${agreeWithCivility(holderMissionTitle(HOLDER_ROLE_LABELS[h.role], m, h), h.civility)}${h.organisationName ? ` (${h.organisationName})` : ''}`)
                          .join(' ; ')
                      : '—'}
                  </Row>
                  {/* C. civ. 451 al. 2, 454 al. 5, 455: who signs the acts with the establishment in the préposé's place. */}
                  {m.holders.some((h) => h.establishmentEmployee) ? (
                    <Row label="Titulaire préposé de l’établissement (C. civ. 451 al. 2)">
                      {m.holders
                        .filter((h) => h.establishmentEmployee)
                        .map((h) => `${h.firstName} ${h.lastName}`)
                        .join(', ')}
                    </Row>
                  ) : null}
                  {m.subroge ? <Row label={`${agreeWithCivility('Subrogé', m.subroge.civility)} (C. civ. 454)`}>{nameWithCivility(m.subroge)}</Row> : null}
                  {m.adHoc ? (
                    <Row label="Titulaire ad hoc (C. civ. 455)">{`${m.adHoc.firstName} ${m.adHoc.lastName}, décision ${m.adHoc.judgmentReference} du ${formatDateFr(m.adHoc.judgmentDate)}`}</Row>
                  ) : null}
                </dl>
                {s.rights.write ? (
                  <ul class="actions">
                    <li>
                      <a href={`${base}/mesures/${m.id}/modifier`}>Modifier cette mesure</a>
                    </li>
                    <li>
                      <a href={`${base}/mesures/${m.id}/supprimer`}>Supprimer cette mesure (saisie par erreur)</a>
                    </li>
                  </ul>
                ) : null}
              </article>
            );
          })
        ) : r.minor ? (
          <p>{minorDeciderSentence(r)}</p>
        ) : (
          <p>Aucune mesure de protection : la personne décide seule.</p>
        )}
        {s.rights.write && !r.minor ? (
          <p>
            <a href={`${base}/mesures/nouvelle`}>Enregistrer une mesure de protection</a>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="pdc">
        <h2 id="pdc">Personne de confiance</h2>
        {r.personneDeConfiance ? (
          <p>
            {r.personneDeConfiance.firstName} {r.personneDeConfiance.lastName}
            {r.personneDeConfiance.relation ? ` (${r.personneDeConfiance.relation})` : ''}
            {r.personneDeConfiance.designatedOn ? `, désignée le ${date(r.personneDeConfiance.designatedOn)}` : ''}
            {r.personneDeConfiance.phone ? ` — ${r.personneDeConfiance.phone}` : ''}
            {r.personneDeConfiance.email ? ` — ${r.personneDeConfiance.email}` : ''}
          </p>
        ) : (
          <p>Aucune personne de confiance désignée.</p>
        )}
        <p class="hint">Elle accompagne la personne ; elle ne signe jamais à sa place (CASF L.311-5-1).</p>
        {s.rights.write && !r.minor ? (
          <p>
            <a href={`${base}/personne-de-confiance`}>{r.personneDeConfiance ? 'Changer la personne de confiance' : 'Désigner une personne de confiance'}</a>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="contacts">
        <h2 id="contacts">Contacts</h2>
        {r.contacts.length ? (
          <ul class="cards">
            {r.contacts.map((c) => {
              const roles = [
                // Agreed with the contact's civility: « tante, tutrice du mineur », « curatrice ».
                ...r.protectionMeasures.flatMap((m) => m.holders.filter((h) => h.contactId === c.id).map((h) => agreeWithCivility(HOLDER_ROLE_LABELS[h.role], c.civility))),
                ...(c.minorRole ? [agreeWithCivility(MINOR_ROLE_LABELS[c.minorRole], c.civility)] : []),
              ];
              const details = [
                c.relation,
                c.organisationName,
                ...roles,
                c.holdsParentalAuthority ? 'titulaire de l’autorité parentale' : null,
                r.personneDeConfiance?.contactId === c.id ? 'personne de confiance' : null,
              ].filter(Boolean);
              return (
                <li key={c.id} class="card">
                  <p>
                    <strong>{nameWithCivility(c)}</strong>
                    {details.length ? ` — ${details.join(', ')}` : ''}
                  </p>
                  <p>
                    {[c.email, c.phone, c.address].filter(Boolean).join(' — ') || 'Aucune coordonnée'}
                  </p>
                  {s.rights.write ? (
                    <ul class="actions">
                      <li>
                        <a href={`${base}/contacts/${c.id}/modifier`}>
                          Modifier<span class="visually-hidden"> le contact {c.firstName} {c.lastName}</span>
                        </a>
                      </li>
                      <li>
                        <a href={`${base}/contacts/${c.id}/supprimer`}>
                          Supprimer<span class="visually-hidden"> le contact {c.firstName} {c.lastName}</span>
                        </a>
                      </li>
                    </ul>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : (
          <p>Aucun contact.</p>
        )}
        {s.rights.write ? (
          <p>
            <a href={`${base}/contacts/nouveau`}>Ajouter un contact</a>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="documents">
        <h2 id="documents">Documents</h2>
        {s.documents.length ? (
          <ul>
            {s.documents.map((d) => (
              <li key={d.id}>
                <a href={`/console/documents/${d.id}`}>{capitalise(documentTypeLabel(d.type, d.subtype)?.short ?? d.type)}</a> — {documentStatusText(d, s.supersededContracts)}, créé le{' '}
                {formatDateFr(new Date(d.createdAt))}
                {s.archivedSince ? ` — archivé (archive intermédiaire depuis le ${formatDateFr(s.archivedSince)})` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p>Aucun document pour le moment.</p>
        )}
        {s.rights.newDocument && s.archivedSince ? (
          // No new document in the intermediate archive, opening or not (409 RESIDENT_ARCHIVED).
          <p class="hint" id="documents-archive">
            Pas de nouveau document : le dossier est en archive intermédiaire depuis le {formatDateFr(s.archivedSince)}. L’archive se consulte ; aucun document n’y est
            établi ni corrigé.
            {s.rights.write
              ? // The file's own data is no document: the API takes its corrections (libs/residents has no archive refusal), a right of the person (RGPD art. 16).
                ' L’identité, les mesures de protection, la personne de confiance et les contacts restent modifiables : une donnée inexacte se rectifie, même archivée (RGPD art. 16).'
              : ''}
          </p>
        ) : s.rights.newDocument && r.deceasedOn ? (
          // After the death, only the minutes of a meeting held on or before it (resident-deceased.ts; the chooser lists only them, DocumentsService.typesFor).
          <>
            <p class="hint" id="documents-deces">
              La personne est décédée le {formatDateFr(r.deceasedOn)} : aucun autre document n’est établi pour elle (le pouvoir de ceux qui la
              représentaient a pris fin avec elle : mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur). Seul le compte rendu d’une réunion de synthèse tenue au plus tard ce jour-là peut encore l’être ; un projet jamais envoyé peut être abandonné depuis sa
              page.
            </p>
            <p>
              <a href={`${base}/documents/nouveau?type=compte-rendu-synthese`}>Nouveau compte rendu de réunion de synthèse</a>
            </p>
          </>
        ) : s.rights.newDocument ? (
          <p>
            <a href={`${base}/documents/nouveau`}>Nouveau document</a>
          </p>
        ) : null}
      </section>
    </>,
  );
}

/**
 * GET /console/residents/:id: `body` is residentFileBody's HTML and `retention` the
 * resident-retention section's (this module's components, every value escaped). With `errors`, a
 * retention form that failed (400): the summary at the top, each message beside its field.
 */
export function residentFilePage(s: { actor: StaffActor; csrf: string; name: string; body: string; retention: string; notice?: string; errors?: FieldError[] }): string {
  const failed = !!s.errors?.length;
  return renderPage(
    <ConsolePage title={`${failed ? 'Erreur — ' : ''}Dossier ${ofName(s.name)}`} actor={s.actor} csrf={s.csrf} current="residents">
      <p>
        <a href="/console/residents">Résidents</a>
      </p>
      <h1>{s.name}</h1>
      {s.notice ? (
        <Notice kind="success">
          <p>{s.notice}</p>
        </Notice>
      ) : null}
      <RefusedFormSummary errors={s.errors} labels={RETENTION_FIELD_LABELS} />
      <TrustedHtml html={s.body} class="resident-file" />
      <TrustedHtml html={s.retention} class="resident-retention" />
    </ConsolePage>,
  );
}

/** « fr » → « français » (Node's full ICU); a code ICU does not know stays as typed. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(['fr'], { type: 'language', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

import { FieldError, formatDateFr, formatDateTimeFr, ofName } from '@carepact/common';
import type { BulkCandidate, BulkRunView, RunningBulkRun } from '@carepact/documents';
import type { StaffActor } from '@carepact/identity';
import { ConsolePage } from '../console-layout';
import { ErrorSummary, Notice, PostForm, RadioGroup, TextField, TrustedHtml, fieldId, renderPage } from '../../views';

export const BULK_STYLESHEETS = ['/static/console-documents.css', '/static/console-bulk.css'];

export interface EstablishmentRef {
  id: string;
  name: string;
}

const KIND_TITLE = 'Avenant tarifaire';

/**
 * The basis of the new hébergement price, in the words of avenant 1.12.0 (its `tariffBasis` labels
 * and sources): places not habilitated for aide sociale, revised each year within the ministerial
 * arrêté's percentage (CASF L.342-3); habilitated places, the price the président du conseil
 * départemental fixes (CASF L.314-1, R.314-35). Neither governs the dependency price: the président
 * du conseil départemental fixes it by arrêté for every place (CASF L.314-2, R.314-172 et suivants).
 */
const BASIS_OPTIONS: [string, string][] = [
  ['revalorisation_annuelle', 'Revalorisation annuelle du prix de l’hébergement des places non habilitées à l’aide sociale, dans la limite du taux fixé par arrêté ministériel (CASF L.342-3)'],
  ['arrete_departemental', 'Prix de l’hébergement arrêté par le président du conseil départemental pour les places habilitées à l’aide sociale (CASF L.314-1 et R.314-35)'],
];
/** The dependency price is the département's for every place, habilitated or not (CASF L.314-2, R.314-172 et suivants). */
const DEPENDANCE_RULE = 'arrêté par le président du conseil départemental pour toutes les places, habilitées ou non (CASF L.314-2 et R.314-172 et suivants)';

const STATUS_LABELS: Record<BulkRunView['status'], string> = { running: 'En cours', completed: 'Terminée', cancelled: 'Annulée' };
/**
 * A run is « completed » once every avenant is created, but the worker may still be generating
 * some: « Terminée » waits for the last one (inProgress), as the counts beside it do.
 */
function statusLabel(run: BulkRunView): string {
  return run.status === 'completed' && run.inProgress ? STATUS_LABELS.running : STATUS_LABELS[run.status];
}
const ITEM_LABELS: Record<string, string> = { skipped: 'Écarté', failed: 'Échec', created: 'Génération échouée', pending: 'En attente', cancelled: 'Annulé' };

function runTitle(run: BulkRunView): string {
  const on = typeof run.commonData.effectiveOn === 'string' ? run.commonData.effectiveOn : null;
  return `${KIND_TITLE}${on ? ` au ${formatDateFr(on)}` : ''}`;
}

/** The runs of the establishments this person sees, newest first, and the way to start one. */
export function bulkListPage(actor: StaffActor, csrf: string, runs: BulkRunView[], establishments: Map<string, string>, canStart: boolean): string {
  return renderPage(
    <ConsolePage title="Générations groupées" actor={actor} csrf={csrf} current="bulk" stylesheets={BULK_STYLESHEETS}>
      <h1>Générations groupées</h1>
      <p>Un même document pour de nombreux résidents d’un établissement, par exemple l’avenant tarifaire de chaque résident au 1er janvier.</p>
      {canStart ? (
        <p>
          <a class="button" href="/console/generations/nouvelle">
            Nouvelle génération groupée
          </a>
        </p>
      ) : null}
      <h2>Générations récentes</h2>
      {runs.length ? (
        <ul class="cards">
          {runs.map((r) => (
            <li class="card" key={r.id}>
              <h3>
                <a href={`/console/generations/${r.id}`}>{runTitle(r)}</a>
              </h3>
              <p>
                {establishments.get(r.establishmentId) ?? 'Établissement'} — lancée le {formatDateTimeFr(r.createdAt)}
                {r.startedBy.name ? ` par ${r.startedBy.name}` : ''} — <strong>{statusLabel(r)}</strong> : {r.counts.generated} générés sur {r.counts.total}
                {r.counts.failed ? `, ${r.counts.failed} en échec` : ''}
                {r.counts.skipped ? `, ${r.counts.skipped} écartés` : ''}.
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucune génération groupée pour le moment.</p>
      )}
    </ConsolePage>,
  );
}

/** Several establishments: the person chooses the one whose residents get the document. */
export function chooseEstablishmentPage(actor: StaffActor, csrf: string, establishments: EstablishmentRef[]): string {
  return renderPage(
    <ConsolePage title="Nouvelle génération groupée : établissement" actor={actor} csrf={csrf} current="bulk" stylesheets={BULK_STYLESHEETS}>
      <p class="back">
        <a href="/console/generations">Retour aux générations groupées</a>
      </p>
      <h1>Nouvelle génération groupée</h1>
      <h2>Pour quel établissement ?</h2>
      <ul class="choices">
        {establishments.map((e) => (
          <li key={e.id}>
            <a href={`/console/generations/nouvelle?etablissement=${e.id}`}>{e.name}</a>
          </li>
        ))}
      </ul>
    </ConsolePage>,
  );
}

export interface BulkFormState {
  establishment: EstablishmentRef;
  candidates: BulkCandidate[];
  /** The form's values (common data), as typed. */
  values: Record<string, string>;
  /** Eligible residents the person chose to leave out. */
  excluded: Set<string>;
  errors?: FieldError[];
  errorMessage?: string;
  preview?: { residentName: string; html: string; hash: string };
  notice?: string;
  /** The run of this kind already running for the establishment: another cannot start before it ends. */
  running?: RunningBulkRun | null;
}

/** « Une génération groupée est déjà en cours… », with the link to its progress page. */
function RunningNotice(props: { run: RunningBulkRun }) {
  const r = props.run;
  const title = `${KIND_TITLE}${r.effectiveOn ? ` au ${formatDateFr(r.effectiveOn)}` : ''}`;
  return (
    <Notice kind="warning">
      <p>
        Une génération groupée est déjà en cours pour cet établissement : <a href={`/console/generations/${r.id}`}>{title}</a>, lancée le {formatDateTimeFr(r.createdAt)}
        {r.startedByName ? ` par ${r.startedByName}` : ''} ({r.itemCount} résident{r.itemCount > 1 ? 's' : ''}). Attendez qu’elle se termine, ou annulez-la, avant d’en lancer une
        autre.
      </p>
      <p>
        <a href={`/console/generations/${r.id}`}>Suivre sa progression</a>
      </p>
    </Notice>
  );
}

/**
 * « 1 résident sur 3 éligibles recevra l’avenant. », « 3 résidents sur 3 éligibles recevront
 * l’avenant. », « Aucun résident sur 2 éligibles ne recevra l’avenant. »: the verb agrees with the
 * residents chosen, « éligible » with the eligible ones.
 */
export function recipientsSentence(chosen: number, eligible: number): string {
  const of = `sur ${eligible} éligible${eligible > 1 ? 's' : ''}`;
  if (chosen === 0) return `Aucun résident ${of} ne recevra l’avenant.`;
  return chosen === 1 ? `1 résident ${of} recevra l’avenant.` : `${chosen} résidents ${of} recevront l’avenant.`;
}

/**
 * The form: the data common to every resident (typed once), the residents (every eligible one by
 * default; a box to leave one out; the others listed with the reason they are excluded), a preview
 * of one resident's document, then « Lancer la génération » (only after a preview of these data).
 */
export function bulkFormPage(actor: StaffActor, csrf: string, s: BulkFormState): string {
  const eligible = s.candidates.filter((c) => c.eligible);
  const excludedByRule = s.candidates.filter((c) => !c.eligible);
  const chosen = eligible.filter((c) => !s.excluded.has(c.residentId)).length;
  const v = (k: string) => s.values[k] ?? '';
  const action = `/console/generations/nouvelle?etablissement=${s.establishment.id}`;
  return renderPage(
    <ConsolePage title={`${s.errors?.length || s.errorMessage ? 'Erreur : ' : ''}Nouvelle génération groupée — ${s.establishment.name}`} actor={actor} csrf={csrf} current="bulk" stylesheets={BULK_STYLESHEETS}>
      <p class="back">
        <a href="/console/generations">Retour aux générations groupées</a>
      </p>
      <h1>Avenant tarifaire pour les résidents {ofName(s.establishment.name)}</h1>
      <ErrorSummary errors={s.errors} message={s.errorMessage} />
      {s.running ? <RunningNotice run={s.running} /> : null}
      {s.notice ? <Notice kind="warning">{s.notice}</Notice> : null}
      <p>
        Chaque résident reçoit un avenant à son contrat de séjour (ou à son DIPC) qui fixe ses nouveaux prix de journée à partir de la date d’effet. Toute
        modification des prix du contrat fait l’objet d’un avenant (CASF L.311-4, L.342-2). Les prix précédents viennent du contrat signé de chaque résident.
      </p>
      <PostForm action={action} csrf={csrf} id="generation">
        <input type="hidden" name="_apercu" value={s.preview?.hash ?? ''} />
        <fieldset>
          <legend>Données communes à tous les résidents</legend>
          <TextField name="commonData.effectiveOn" type="date" label="Date d’effet des nouveaux prix" hint="En général le 1er janvier." required value={v('effectiveOn')} errors={s.errors} />
          <RadioGroup
            name="commonData.basis"
            label="Fondement du prix de l’hébergement (obligatoire)"
            hint={`Le tarif dépendance n’en relève pas : il est ${DEPENDANCE_RULE}.`}
            options={BASIS_OPTIONS}
            value={v('basis')}
            errors={s.errors}
          />
          <TextField name="commonData.basisReference" label="Référence de l’arrêté" hint="Par exemple « arrêté du 18 décembre 2026 »." required value={v('basisReference')} errors={s.errors} />
          <TextField
            name="commonData.percentage"
            inputMode="decimal"
            label="Taux annuel de revalorisation, en %"
            hint="Obligatoire pour une revalorisation annuelle du prix de l’hébergement : au plus le taux de l’arrêté ministériel, par rapport au prix en vigueur au 31 décembre précédent ; plusieurs hausses la même année ne dépassent pas, ensemble, ce taux (CASF L.342-3). Par exemple 2,5."
            value={v('percentage')}
            errors={s.errors}
          />
          <TextField
            name="commonData.cvsConsultedOn"
            type="date"
            label="Date de consultation du conseil de la vie sociale"
            hint="Le conseil de la vie sociale est consulté au moins une fois par an sur les prix (CASF L.342-3)."
            value={v('cvsConsultedOn')}
            errors={s.errors}
          />
          <TextField
            name="commonData.hebergementPerDay"
            inputMode="decimal"
            label="Nouveau tarif hébergement, en euros par jour"
            hint="Obligatoire pour un prix arrêté par le président du conseil départemental. Sinon, laissez vide : le prix de l’hébergement de chaque contrat est revalorisé du taux ci-dessus."
            value={v('hebergementPerDay')}
            errors={s.errors}
          />
          <TextField
            name="commonData.dependanceGir56PerDay"
            inputMode="decimal"
            label="Nouveau tarif dépendance GIR 5-6 (ticket modérateur), en euros par jour"
            hint={`Tarif ${DEPENDANCE_RULE}. Laissez vide pour garder celui en vigueur pour chaque résident.`}
            value={v('dependanceGir56PerDay')}
            errors={s.errors}
          />
        </fieldset>
        <h2 id="residents-titre">Résidents</h2>
        {eligible.length ? <p>{recipientsSentence(chosen, eligible.length)} Cochez « Écarter » pour laisser un résident de côté.</p> : null}
        {eligible.length ? (
          <div class="table-scroll" role="region" aria-labelledby="residents-titre" tabIndex={0}>
            <table>
              <caption>Résidents éligibles ({eligible.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Résident</th>
                  <th scope="col">Chambre</th>
                  <th scope="col">Écarter de la génération</th>
                </tr>
              </thead>
              <tbody>
                {eligible.map((c) => (
                  <tr key={c.residentId}>
                    <th scope="row">
                      <a href={`/console/residents/${c.residentId}`}>
                        {c.lastName} {c.firstName}
                      </a>
                    </th>
                    <td>{c.room ?? '—'}</td>
                    <td>
                      <input type="checkbox" id={`ecarter-${c.residentId}`} name={`ecarter.${c.residentId}`} value="oui" checked={s.excluded.has(c.residentId)} />
                      <label for={`ecarter-${c.residentId}`}>
                        Écarter <span class="visually-hidden">{`${c.firstName} ${c.lastName}`}</span>
                      </label>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Aucun résident de cet établissement ne peut recevoir d’avenant tarifaire pour le moment.</p>
        )}
        {excludedByRule.length ? (
          <>
            <h3>Résidents exclus ({excludedByRule.length})</h3>
            <ul class="not-applicable">
              {excludedByRule.map((c) => (
                <li key={c.residentId}>
                  <a href={`/console/residents/${c.residentId}`}>
                    {c.firstName} {c.lastName}
                  </a>{' '}
                  : {c.reason}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <div class="actions">
          <button type="submit" name="_action" value="preview" class="secondary">
            Prévisualiser
          </button>
          {s.preview ? (
            <button type="submit" name="_action" value="start">
              Lancer la génération pour {chosen} résident{chosen > 1 ? 's' : ''}
            </button>
          ) : null}
        </div>
      </PostForm>
      {s.preview ? (
        <section class="preview" aria-labelledby="apercu-titre" tabIndex={-1} autoFocus={!s.errors?.length || undefined} id="apercu">
          <h2 id="apercu-titre">Aperçu : l’avenant {ofName(s.preview.residentName)}</h2>
          <p>Chaque résident reçoit le sien, avec les prix de son contrat. Vérifiez, puis lancez la génération (bouton au-dessus de l’aperçu).</p>
          <TrustedHtml html={s.preview.html} class="preview-box" />
        </section>
      ) : null}
    </ConsolePage>,
  );
}

/**
 * The progress page: counts, a <progress> bar with its text, the residents that need attention
 * (with a link to each). While the run works it reloads itself every 5 seconds without JavaScript
 * (meta refresh); with JavaScript, console-bulk.js updates the counts from GET /api/bulk-runs/<id>.
 */
export function bulkRunPage(actor: StaffActor, csrf: string, run: BulkRunView, establishmentName: string, canWrite: boolean, flash?: string): string {
  const c = run.counts;
  const toDo = c.total - c.skipped - c.cancelled;
  const done = c.generated + c.generationFailed + c.failed;
  const title = `${runTitle(run)} — ${establishmentName}`;
  return renderPage(
    <ConsolePage
      title={title}
      actor={actor}
      csrf={csrf}
      current="bulk"
      stylesheets={BULK_STYLESHEETS}
      refreshSeconds={run.inProgress ? 5 : undefined}
      scripts={run.inProgress ? ['/static/console-bulk.js'] : undefined}
    >
      <p class="back">
        <a href="/console/generations">Retour aux générations groupées</a>
      </p>
      <h1>{title}</h1>
      {flash ? <Notice kind="success">{flash}</Notice> : null}
      <p>
        Lancée le {formatDateTimeFr(run.createdAt)}
        {run.startedBy.name ? ` par ${run.startedBy.name}` : ''}. État : <strong data-bulk="status">{statusLabel(run)}</strong>
        {run.finishedAt && !run.inProgress ? ` (le ${formatDateTimeFr(run.finishedAt)})` : ''}.
      </p>
      <div class="bulk-progress" data-bulk-run={run.inProgress ? run.id : undefined}>
        <label for="barre">Documents générés</label>
        <progress id="barre" max={Math.max(1, toDo)} value={done}>
          {done} sur {toDo}
        </progress>
        <p data-bulk="summary">
          {done} sur {toDo} traités ({toDo ? Math.floor((done * 100) / toDo) : 100} %)
        </p>
        <dl class="facts">
          <dt>Créés</dt>
          <dd data-bulk="created">{c.created}</dd>
          <dt>Générés</dt>
          <dd data-bulk="generated">{c.generated}</dd>
          <dt>En attente</dt>
          <dd data-bulk="pending">{c.pending}</dd>
          <dt>En échec</dt>
          <dd data-bulk="failed">{c.failed + c.generationFailed}</dd>
          <dt>Écartés</dt>
          <dd data-bulk="skipped">{c.skipped}</dd>
          {c.cancelled ? (
            <>
              <dt>Annulés</dt>
              <dd>{c.cancelled}</dd>
            </>
          ) : null}
        </dl>
        <p id="suivi" role="status" aria-live="polite" class="visually-hidden"></p>
        {run.inProgress ? <p class="hint">Cette page se met à jour toute seule toutes les 5 secondes.</p> : null}
      </div>
      {canWrite && (run.status === 'running' || c.failed > 0) ? (
        <div class="actions">
          {c.failed > 0 && run.status !== 'cancelled' ? (
            <PostForm action={`/console/generations/${run.id}/relancer`} csrf={csrf} class="inline">
              <button type="submit">{c.failed > 1 ? `Relancer les ${c.failed} résidents en échec` : 'Relancer le résident en échec'}</button>
            </PostForm>
          ) : null}
          {run.status === 'running' ? (
            <PostForm action={`/console/generations/${run.id}/annuler`} csrf={csrf} class="inline">
              <button type="submit" class="secondary">
                Annuler la génération
              </button>
            </PostForm>
          ) : null}
        </div>
      ) : null}
      <h2 id="problemes-titre">Résidents à traiter</h2>
      {run.problems.length ? (
        <div class="table-scroll" role="region" aria-labelledby="problemes-titre" tabIndex={0}>
          <table>
            <caption>Résidents écartés ou en échec ({run.problems.length})</caption>
            <thead>
              <tr>
                <th scope="col">Résident</th>
                <th scope="col">État</th>
                <th scope="col">Motif</th>
              </tr>
            </thead>
            <tbody>
              {run.problems.map((p) => (
                <tr key={p.id} id={fieldId(`resident-${p.residentId}`)}>
                  <th scope="row">
                    <a href={`/console/residents/${p.residentId}`}>{p.residentName}</a>
                  </th>
                  <td>{ITEM_LABELS[p.status === 'created' ? 'created' : p.status] ?? p.status}</td>
                  <td>
                    {p.message}
                    {p.documentId ? (
                      <>
                        {' '}
                        <a href={`/console/documents/${p.documentId}`}>Ouvrir le document</a>
                      </>
                    ) : null}
                    {p.code ? <span class="item-code"> ({p.code})</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>Aucun résident écarté ni en échec.</p>
      )}
    </ConsolePage>,
  );
}

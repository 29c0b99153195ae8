import { STAFF_ROLE_LABELS, formatDateFr } from '@carepact/common';
import type { StaffActor } from '@carepact/identity';
import type { EstablishmentWorklist, Worklist, WorklistItem, WorklistSection } from '@carepact/signing';
import { TrustedHtml, renderFragment, renderPage } from '../views';
import { ConsolePage } from './console-layout';

export interface HomeEstablishment {
  id: string;
  name: string;
  roles: (keyof typeof STAFF_ROLE_LABELS)[];
}

/** A worklist date: a calendar day as such, an instant as its day in Paris. */
function dateText(value: string): string {
  return value.length === 10 ? formatDateFr(value) : formatDateFr(new Date(value));
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n > 1 ? many : one}`;
}

function Summary(props: { total: number; overdue: number }) {
  if (!props.total) return <p>Rien à faire pour le moment.</p>;
  return (
    <p>
      {plural(props.total, 'chose à faire', 'choses à faire')}
      {props.overdue ? (
        <>
          , dont <strong>{props.overdue} en retard</strong>
        </>
      ) : null}
      .
    </p>
  );
}

function Item(props: { item: WorklistItem }) {
  const i = props.item;
  return (
    <li class={i.overdue ? 'todo overdue' : 'todo'}>
      <p class="todo-title">
        {i.overdue ? <strong class="tag-late">En retard</strong> : null}
        <a href={i.href}>
          {i.residentName} — {i.title}
        </a>
      </p>
      {i.detail ? <p class="todo-detail">{i.detail}</p> : null}
      <dl class="todo-dates">
        {i.dates.map((d) => (
          <div key={d.label}>
            <dt>{d.label}</dt>
            <dd>{dateText(d.value)}</dd>
          </div>
        ))}
      </dl>
    </li>
  );
}

function Section(props: { establishmentId: string; section: WorklistSection }) {
  const s = props.section;
  const id = `${s.category.replace(/_/g, '-')}-${props.establishmentId}`;
  return (
    <section class="todo-section" aria-labelledby={id}>
      <h3 id={id}>
        {s.title} <span class="count">({s.total}{s.overdue ? `, dont ${s.overdue} en retard` : ''})</span>
      </h3>
      <p class="hint">{s.basis}</p>
      {s.notes.length ? (
        <ul class="hint">
          {s.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      <ul class="todo-list">
        {s.items.map((i) => (
          <Item key={i.key} item={i} />
        ))}
      </ul>
      {s.total > s.items.length ? <p>… et {plural(s.total - s.items.length, 'autre', 'autres')}, à traiter ensuite (les plus urgentes sont en tête).</p> : null}
    </section>
  );
}

function Establishment(props: { e: EstablishmentWorklist; headingId: string }) {
  const e = props.e;
  return (
    <section class="todo-establishment" aria-labelledby={props.headingId}>
      <h2 id={props.headingId}>{e.name}</h2>
      <Summary total={e.total} overdue={e.overdue} />
      {e.sections.map((s) => (
        <Section key={s.category} establishmentId={e.establishmentId} section={s} />
      ))}
    </section>
  );
}

/**
 * What « À faire » shows of a worklist (every staff member with the same roles sees the same): the
 * date, the establishments and their sections. Rendered once and reused by the page cache
 * (console/cache) until an audited change or the next day.
 */
export function worklistBody(worklist: Worklist): string {
  const all = worklist.establishments;
  const several = all.length > 1;
  return renderFragment(
    <>
      <p>Situation au {formatDateFr(worklist.today)}, les retards en premier.</p>
      {several ? (
        <nav aria-label="Établissements">
          <ul>
            {all.map((e) => (
              <li key={e.establishmentId}>
                <a href={`#etablissement-${e.establishmentId}`}>{e.name}</a> : {plural(e.total, 'chose à faire', 'choses à faire')}
                {e.overdue ? `, dont ${e.overdue} en retard` : ''}
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {all.map((e) => (
        <Establishment key={e.establishmentId} e={e} headingId={`etablissement-${e.establishmentId}`} />
      ))}
    </>,
  );
}

/**
 * « À faire », the landing page of those who work on residents' files (issue 10): per establishment,
 * what is to be done, overdue first, with its dates in French and a link to where it is done.
 * `body` is worklistBody's HTML (built by this module's own components, every value escaped).
 */
export function worklistPage(actor: StaffActor, csrf: string, body: string): string {
  return renderPage(
    <ConsolePage title="À faire" actor={actor} csrf={csrf} current="home">
      <h1>À faire</h1>
      <p>Bonjour {actor.name}.</p>
      <TrustedHtml html={body} class="worklist" />
    </ConsolePage>,
  );
}

/**
 * The landing page of a role without a worklist: the auditor checks that things were done properly
 * (the audit log, its integrity) and never reads care details (PERMISSIONS, CASF L.311-3 4°).
 */
export function consoleHomePage(actor: StaffActor, csrf: string, establishments: HomeEstablishment[], canReadAudit: boolean): string {
  return renderPage(
    <ConsolePage title="Accueil" actor={actor} csrf={csrf} current="home">
      <h1>Accueil</h1>
      <p>Bonjour {actor.name}.</p>
      {canReadAudit ? (
        <>
          <h2>Ce que vous pouvez faire</h2>
          <p>
            Votre rôle d’audit sert à vérifier que les choses ont été faites correctement : vous lisez le journal d’audit (qui a fait quoi, quand, sur quel
            document), vous vérifiez qu’il n’a pas été modifié et vous l’exportez. Vous ne voyez ni le contenu des dossiers des personnes accompagnées ni celui
            de leurs documents : ces informations sont confidentielles (CASF L.311-3 4°).
          </p>
          <ul>
            <li>
              <a href="/console/journal">Lire et filtrer le journal d’audit</a> (par acteur, action, résident, document et dates) et l’exporter en CSV (chaque
              export est lui-même enregistré)
            </li>
            <li>
              <a href="/console/journal#verifier">Vérifier l’intégrité du journal d’audit</a>
            </li>
            <li>
              L’historique de chaque document (qui, quand, en quelle qualité) et sa vérification : lien « Historique » sur la page du document
            </li>
          </ul>
        </>
      ) : null}
      <h2>Vos établissements</h2>
      {establishments.length ? (
        <ul>
          {establishments.map((e) => (
            <li key={e.id}>
              <strong>{e.name}</strong> — {e.roles.map((r) => STAFF_ROLE_LABELS[r]).join(', ')}
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucun rôle ne vous est encore attribué. Demandez à l’administrateur de votre organisation.</p>
      )}
    </ConsolePage>,
  );
}

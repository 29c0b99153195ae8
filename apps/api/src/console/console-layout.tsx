import type { StaffActor } from '@carepact/identity';
import type { ComponentChildren } from 'preact';
import { HtmlDocument, PostForm } from '../views';
import { NavItem, navFor } from './console-nav';

export interface ConsolePageProps {
  title: string;
  actor: StaffActor;
  csrf: string;
  /** The nav entry this page belongs to (aria-current). */
  current?: NavItem['key'];
  /** A section's own stylesheets and scripts (after the console's). */
  stylesheets?: string[];
  scripts?: string[];
  /** Reload every N seconds without JavaScript (a progress page while work runs). */
  refreshSeconds?: number;
  children: ComponentChildren;
}

/**
 * Every console page: the product's name, who is connected and a way out; the sections this
 * person's roles open (nothing else is shown); one h1 per page, in `children`.
 */
export function ConsolePage(props: ConsolePageProps) {
  const nav = navFor(props.actor);
  return (
    <HtmlDocument title={props.title} stylesheets={['/static/console.css', ...(props.stylesheets ?? [])]} scripts={props.scripts} refreshSeconds={props.refreshSeconds}>
      <header class="site console-header">
        <p class="brand">
          <a href="/console">CarePact</a> — console du personnel
        </p>
        <div class="who">
          <span>{props.actor.name}</span> <a href="/console/mot-de-passe">Mot de passe</a>
          <PostForm action="/deconnexion" csrf={props.csrf} class="inline">
            <button type="submit" class="secondary small">
              Se déconnecter
            </button>
          </PostForm>
        </div>
      </header>
      {nav.length ? (
        <nav class="console-nav" aria-label="Sections de la console">
          <ul>
            {nav.map((item) => (
              <li key={item.key}>
                <a href={item.href} aria-current={item.key === props.current ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <main id="contenu" tabIndex={-1} class="console-main">
        {props.children}
      </main>
      <footer class="site">
        <p>CarePact — les données des personnes accompagnées ne servent qu’à leurs documents (CASF L.311-3).</p>
      </footer>
    </HtmlDocument>
  );
}

/** Pages before login and error pages without a known person: the same frame without navigation. */
export function ConsoleBarePage(props: { title: string; children: ComponentChildren }) {
  return (
    <HtmlDocument title={props.title} stylesheets={['/static/console.css']}>
      <header class="site console-header">
        <p class="brand">
          <a href="/console">CarePact</a> — console du personnel
        </p>
      </header>
      <main id="contenu" tabIndex={-1} class="console-main narrow">
        {props.children}
      </main>
    </HtmlDocument>
  );
}

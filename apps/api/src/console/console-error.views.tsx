import { renderPage } from '../views';
import { ConsoleBarePage } from './console-layout';

/**
 * An error page of the console (no navigation: the filter that writes it does not know the person).
 * Never a dead end: besides the home, a link back to the console page the person came from, when it
 * is known (`back`: a same-origin `/console` path only, see html-error.ts consoleBackPath).
 */
export function consoleErrorPage(title: string, message: string, status: number, back?: string | null): string {
  return renderPage(
    <ConsoleBarePage title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      {status === 401 ? (
        <p>
          <a href="/connexion">Se connecter</a>
        </p>
      ) : back ? (
        <ul class="error-links">
          <li>
            <a href={back}>Revenir à la page précédente</a>
          </li>
          <li>
            <a href="/console">Retour à l’accueil de la console</a>
          </li>
        </ul>
      ) : (
        <p>
          <a href="/console">Retour à l’accueil de la console</a>
        </p>
      )}
    </ConsoleBarePage>,
  );
}

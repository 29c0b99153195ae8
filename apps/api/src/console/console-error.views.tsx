import { renderPage } from '../views';
import { ConsoleBarePage } from './console-layout';

/** An error page of the console (no navigation: the filter that writes it does not know the person). */
export function consoleErrorPage(title: string, message: string, status: number): string {
  return renderPage(
    <ConsoleBarePage title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      {status !== 401 ? (
        <p>
          <a href="/console">Retour à l’accueil de la console</a>
        </p>
      ) : (
        <p>
          <a href="/connexion">Se connecter</a>
        </p>
      )}
    </ConsoleBarePage>,
  );
}

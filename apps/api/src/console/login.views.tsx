import { ErrorSummary, FormState, Notice, TextField, renderPage } from '../views';
import { ConsoleBarePage } from './console-layout';

export interface LoginPageState extends FormState {
  csrf: string;
  /** Where to go after logging in (a console path, checked by the controller). */
  next?: string;
  loggedOut?: boolean;
  /** Back from setting a password through an e-mailed link. */
  passwordSet?: boolean;
  /** Links for a first try in development: API docs, the development mailbox. */
  devLinks?: [href: string, label: string][];
}

/** The login page: e-mail and password, a French error on failure, nothing about which was wrong. */
export function loginPage(s: LoginPageState): string {
  return renderPage(
    <ConsoleBarePage title="Connexion">
      <h1>Connexion du personnel</h1>
      <ErrorSummary errors={s.errors} message={s.errorMessage} />
      {s.loggedOut ? (
        <Notice kind="success">
          <p>Vous êtes déconnecté.</p>
        </Notice>
      ) : null}
      {s.passwordSet ? (
        <Notice kind="success">
          <p>Votre mot de passe est enregistré. Connectez-vous avec lui.</p>
        </Notice>
      ) : null}
      <form method="post" action="/connexion" noValidate>
        <input type="hidden" name="_csrf" value={s.csrf} />
        {s.next ? <input type="hidden" name="suite" value={s.next} /> : null}
        <TextField name="email" type="email" label="Adresse e-mail" autocomplete="username" value={s.values?.email} errors={s.errors} />
        <TextField name="password" type="password" label="Mot de passe" autocomplete="current-password" errors={s.errors} />
        <p>
          <button type="submit">Se connecter</button>
        </p>
      </form>
      <p>
        <a href="/compte/mot-de-passe-oublie">Mot de passe oublié ?</a>
      </p>
      <p class="hint">Les personnes qui signent un document n’ont pas de compte : elles utilisent le lien personnel reçu par e-mail.</p>
      {s.devLinks?.length ? (
        <nav aria-label="Liens utiles">
          <h2>Pour un premier essai</h2>
          <ul>
            {s.devLinks.map(([href, label]) => (
              <li key={href}>
                <a href={href}>{label}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </ConsoleBarePage>,
  );
}

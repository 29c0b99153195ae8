import { FieldError, ofName } from '@carepact/common';
import { ErrorSummary, Notice, TextField, renderPage } from '../../views';
import { ConsoleBarePage } from '../console-layout';

/** GET /compte/mot-de-passe-oublie: an address, and the same answer whether it has an account or not. */
export function forgotPasswordPage(s: { csrf: string; sent?: string; errors?: FieldError[]; errorMessage?: string; email?: string }): string {
  return renderPage(
    <ConsoleBarePage title="Mot de passe oublié">
      <h1>Mot de passe oublié</h1>
      <ErrorSummary errors={s.errors} message={s.errorMessage} />
      {s.sent ? (
        <Notice kind="success">
          <p>{s.sent}</p>
        </Notice>
      ) : null}
      <form method="post" action="/compte/mot-de-passe-oublie" noValidate>
        <input type="hidden" name="_csrf" value={s.csrf} />
        <TextField name="email" type="email" label="Adresse e-mail de votre compte" autocomplete="username" value={s.email} errors={s.errors} required />
        <p>
          <button type="submit">Recevoir un lien par e-mail</button>
        </p>
      </form>
      <p>
        <a href="/connexion">Retour à la connexion</a>
      </p>
    </ConsoleBarePage>,
  );
}

/** GET /compte/mot-de-passe/<jeton>: choose a password (first one after an invitation, or a new one). */
export function setPasswordPage(s: { csrf: string; token: string; purpose: 'invitation' | 'reset'; name: string; email: string; errors?: FieldError[]; errorMessage?: string }): string {
  const title = s.purpose === 'invitation' ? 'Choisir votre mot de passe' : 'Choisir un nouveau mot de passe';
  return renderPage(
    <ConsoleBarePage title={title}>
      <h1>{title}</h1>
      <p>
        Compte {ofName(s.name)} ({s.email}).
      </p>
      <ErrorSummary errors={s.errors} message={s.errorMessage} />
      <form method="post" action="/compte/mot-de-passe" noValidate>
        <input type="hidden" name="_csrf" value={s.csrf} />
        <input type="hidden" name="jeton" value={s.token} />
        {/* Lets password managers file the new password under the right account. */}
        <input type="hidden" name="username" value={s.email} autoComplete="username" />
        <TextField name="password" type="password" label="Mot de passe" hint="10 caractères au moins. Une phrase de plusieurs mots est facile à retenir." required autocomplete="new-password" errors={s.errors} />
        <TextField name="confirm" type="password" label="Mot de passe, une seconde fois" required autocomplete="new-password" errors={s.errors} />
        <p>
          <button type="submit">Enregistrer le mot de passe</button>
        </p>
      </form>
    </ConsoleBarePage>,
  );
}

/** A link that is unknown, used, expired or replaced: one page for all (nothing tells which). */
export function invalidLinkPage(message: string): string {
  return renderPage(
    <ConsoleBarePage title="Lien non valable">
      <h1>Lien non valable</h1>
      <p>{message}</p>
      <p>
        <a href="/compte/mot-de-passe-oublie">Demander un nouveau lien</a>
      </p>
    </ConsoleBarePage>,
  );
}

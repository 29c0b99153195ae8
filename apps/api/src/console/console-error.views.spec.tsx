import { consoleErrorPage } from './console-error.views';

/**
 * The console's error page is no dead end: with the page the person came from (a console path,
 * chosen by html-error.ts consoleBackPath), « Revenir à la page précédente » besides the console
 * home; without it, the home. Its message and title stay; the address is escaped like any text.
 */
describe('the console’s error page', () => {
  it('leads back to the page the person came from, and home', () => {
    const html = consoleErrorPage('Action impossible dans l’état actuel', 'Cette demande n’est plus en cours.', 409, '/console/documents/abc?x=1&y="2"');
    expect(html).toContain('<h1>Action impossible dans l’état actuel</h1>');
    expect(html).toContain('<p>Cette demande n’est plus en cours.</p>');
    expect(html).toContain('<a href="/console/documents/abc?x=1&amp;y=&quot;2&quot;">Revenir à la page précédente</a>');
    expect(html).toContain('<a href="/console">Retour à l’accueil de la console</a>');
  });

  it('without it: the console home only; a session ended: the login', () => {
    expect(consoleErrorPage('Page introuvable', 'Cette adresse n’existe pas.', 404)).not.toContain('Revenir à la page précédente');
    expect(consoleErrorPage('Page introuvable', 'Cette adresse n’existe pas.', 404, null)).toContain('<a href="/console">Retour à l’accueil de la console</a>');
    const login = consoleErrorPage('Session expirée', 'Veuillez vous connecter.', 401, '/console/documents/abc');
    expect(login).toContain('<a href="/connexion">Se connecter</a>');
    expect(login).not.toContain('Revenir à la page précédente');
  });
});

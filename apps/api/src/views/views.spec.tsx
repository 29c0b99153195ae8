import { ErrorSummary, PostForm, TextField, TrustedHtml, fieldId, renderFragment, renderPage } from '.';
import { HtmlDocument } from './html-document';

describe('view layer (preact, server-rendered)', () => {
  const evil = `"><script>alert(1)</script>&`;

  it('escapes every text and attribute it renders', () => {
    const html = renderFragment(
      <PostForm action="/x" csrf={evil}>
        <TextField name="name" label={evil} value={evil} hint={evil} errors={[{ field: 'name', code: 'X', message: evil }]} />
      </PostForm>,
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script>');
    expect(html).toContain('value="&quot;>&lt;script>alert(1)&lt;/script>&amp;"');
  });

  it('ties a field to its hint and error, and the summary links to the field', () => {
    const errors = [{ field: 'contacts[0].email', code: 'INVALID', message: 'Adresse e-mail non valable' }];
    const html = renderFragment(
      <>
        <ErrorSummary errors={errors} />
        <TextField name="contacts[0].email" label="E-mail" hint="Exemple : a@b.fr" errors={errors} />
      </>,
    );
    expect(fieldId('contacts[0].email')).toBe('contacts-0-email');
    expect(html).toContain('<a href="#contacts-0-email">Adresse e-mail non valable</a>');
    expect(html).toContain('id="contacts-0-email"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('aria-describedby="contacts-0-email-aide contacts-0-email-erreur"');
    expect(html).toContain('<p class="field-error" id="contacts-0-email-erreur">Adresse e-mail non valable</p>');
  });

  it('writes raw HTML only through TrustedHtml, and a French document shell', () => {
    const html = renderPage(
      <HtmlDocument title={evil}>
        <TrustedHtml html="<p>fragment</p>" class="document" />
      </HtmlDocument>,
    );
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="fr">')).toBe(true);
    expect(html).toContain('<div class="document"><p>fragment</p></div>');
    expect(html).toContain('<title>&quot;>&lt;script>alert(1)&lt;/script>&amp; — CarePact</title>');
  });
});

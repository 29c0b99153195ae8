import type { PortalContext } from '@carepact/signing';
import { lintFalcText } from '@carepact/templates';
import { portalContext } from './portal-context.fixture';
import { answeredPage, signPage } from './portal.views';

/**
 * What is signed is the complete version (C. civ. 1366, 1367): the sign page says so before the
 * consent, with a link to read it, and that the easy-to-read and large-print versions help to
 * understand it but are not what is signed. The easy-to-read contract leaves details out (e.g. the
 * grounds on which the establishment may end the contract): no page claims they « disent la même
 * chose ». A FALC reader (ctx.preferences.easyToRead) reads it in easy-to-read French.
 */
function sean(over: { easyToRead?: boolean; largePrint?: boolean; status?: string } = {}): PortalContext {
  const ctx = portalContext({ status: over.status });
  return {
    ...ctx,
    signer: { ...ctx.signer, capacity: 'la personne accueillie', measure: null, actedAt: over.status === 'signed' ? new Date('2026-12-03T13:05:00Z') : null },
    preferences: { largePrint: over.largePrint ?? false, easyToRead: over.easyToRead ?? false },
  } as PortalContext;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
/** The paragraphs of one section of the page, as read. */
const paragraphsOf = (html: string, id: string) => {
  const start = html.indexOf(`aria-labelledby="${id}"`);
  expect(start).toBeGreaterThan(0);
  const section = html.slice(start, html.indexOf('</section>', start));
  return [...section.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim());
};

describe('the sign page says, before the consent, that the complete version is what is signed', () => {
  it('complete wording: the complete version is signed, a link to read it, the other versions help and do not count', () => {
    const html = signPage(sean(), true);
    const said = html.indexOf('Ce que vous signez');
    expect(said).toBeGreaterThan(0);
    expect(said).toBeLessThan(html.indexOf('name="consent"'));
    expect(html).toContain('href="/portail/document?version=standard"');
    const t = text(html);
    expect(t).toContain('Vous signez votre contrat de séjour dans sa version complète.');
    expect(t).toContain('elles expliquent le même document plus simplement ou en plus gros ; seule la version complète fait foi.');
    expect(t).toContain('La version facile à lire ne reprend pas tous les détails.');
    expect(t).not.toContain('la même chose');
  });

  it('a large-print reader reads the same (their preferred version is not the one signed either)', () => {
    expect(text(signPage(sean({ largePrint: true }), true))).toContain('seule la version complète fait foi');
  });

  it('in easy-to-read French for a FALC reader: short sentences that pass the FALC linter', () => {
    const html = signPage(sean({ easyToRead: true }), true);
    const said = html.indexOf('Ce que vous signez');
    expect(said).toBeGreaterThan(0);
    expect(said).toBeLessThan(html.indexOf('name="consent"'));
    expect(html).toContain('href="/portail/document?version=standard"');
    const lines = paragraphsOf(html, 'ce-que-vous-signez');
    expect(lines).toEqual(expect.arrayContaining(['Vous signez la version complète du document.', 'Elle explique le même document plus simplement.', 'Elle ne dit pas tous les détails.']));
    expect(lines.flatMap((l) => lintFalcText(l).map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
  });

  it('no statement of what is signed before the document was read (the page offers « Lire le document » only)', () => {
    expect(signPage(sean(), false)).not.toContain('Ce que vous signez');
  });
});

describe('after signing, the easier versions are not said to « dire la même chose »', () => {
  const facts = { signers: [], sealed: true };
  it('complete wording', () => {
    const t = text(answeredPage(sean({ status: 'signed' }), facts, false));
    expect(t).not.toContain('la même chose');
    expect(t).toContain('elles expliquent le même document plus simplement ou en plus gros ; seule la version complète fait foi.');
  });

  it('easy-to-read wording', () => {
    const t = text(answeredPage(sean({ status: 'signed', easyToRead: true }), facts, false));
    expect(t).not.toContain('la même chose');
    expect(t).toContain('Seule la version complète compte.');
    expect(t).toContain('La version facile à lire ne dit pas tous les détails.');
  });
});

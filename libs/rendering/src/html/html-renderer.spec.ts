import type { DocumentTree } from '../tree';
import { escapeHtml } from '@carepact/common';
import { htmlStyles, renderHtml, renderHtmlFragment } from './html-renderer';

const tree: DocumentTree = {
  lang: 'fr-FR',
  title: 'Contrat <de> séjour',
  contentVariant: 'falc',
  meta: { documentType: 'x', templateId: 'x', templateVersion: '1.0.0', templateHash: 'h', inputHash: 'i', issuedAt: '2026-01-01T00:00:00.000Z', falcReview: null, establishmentName: 'A & B' },
  blocks: [
    { kind: 'heading', level: 1, text: [{ text: 'Titre' }] },
    { kind: 'paragraph', text: [{ text: 'Vous êtes ' }, { text: '<script>alert(1)</script>', strong: true }] },
    { kind: 'table', caption: 'Prix', header: ['Quoi', 'Prix'], rowHeaders: true, rows: [[[{ text: 'Logement' }], [{ text: '72,50\u00a0€' }]]] },
    { kind: 'figure', asset: 'house', alt: 'Une "maison"' },
    { kind: 'signatures', heading: 'Signatures', slots: [{ role: 'resident', name: "Seán O'Brien", capacity: 'en son nom propre' }] },
  ],
};

describe('renderHtml', () => {
  const html = renderHtml(tree, 'falc');
  it('escapes every text', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).toContain('<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>');
    expect(html).not.toContain('<script');
    expect(html).toContain('<title>Contrat &lt;de&gt; séjour – A &amp; B</title>');
    expect(html).toContain('Seán O&#39;Brien');
  });
  it('writes semantic tables, figures and a signature section', () => {
    expect(html).toContain('<caption>Prix</caption>');
    expect(html).toContain('<th scope="col">Quoi</th>');
    expect(html).toContain('<th scope="row">Logement</th>');
    expect(html).toMatch(/<svg [^>]*role="img" aria-label="Une &quot;maison&quot;"[^>]*><title>Une &quot;maison&quot;<\/title><path /);
    expect(html).toMatch(/<section aria-labelledby="cp-signatures-4">\n<h2 id="cp-signatures-4">Signatures<\/h2>/);
  });
  it('a pictogram just before the signatures comes after their heading, inside their section', () => {
    expect(html).toMatch(/<h2 id="cp-signatures-4">Signatures<\/h2>\n<figure><svg[^]*<\/figure>\n<ul class="cp-slots">/);
    expect(html.indexOf('<figure>')).toBeGreaterThan(html.indexOf('<h2 id="cp-signatures-4">'));
  });
  it('shifts every heading under a page’s own outline (headingOffset), the signatures’ too', () => {
    const fragment = renderHtmlFragment(tree, 'falc', { headingOffset: 2 });
    expect(fragment).toContain('<h3>Titre</h3>');
    expect(fragment).toContain('<h4 id="cp-signatures-4">Signatures</h4>');
    expect(fragment).not.toMatch(/<h[12][ >]/);
    expect(renderHtmlFragment(tree, 'falc', { headingOffset: 9 })).toContain('<h6>Titre</h6>');
  });
  it('the fragment is the article only; profiles follow the variant', () => {
    const fragment = renderHtmlFragment(tree, 'falc');
    expect(fragment.startsWith('<article class="cp-doc cp-falc" lang="fr">')).toBe(true);
    expect(html).toContain(fragment);
    expect(htmlStyles('large-print')).toContain('font-size:24px');
    expect(htmlStyles('falc')).toContain('font-size:20px');
    expect(htmlStyles('standard')).toContain('line-height:1.5');
  });
  it('keeps dates and amounts on one line: no-break spaces inside them, in text, cells and signatures', () => {
    const dated: DocumentTree = {
      ...tree,
      blocks: [
        { kind: 'paragraph', text: [{ text: 'Arrivée le 2 juillet 1947, ' }, { text: 'tarif 1 234,56 €', strong: true }, { text: ' par mois.' }] },
        { kind: 'table', caption: 'Prix au 1er janvier 2026', header: ['Quoi', 'Prix'], rowHeaders: true, rows: [[[{ text: 'Repas' }], [{ text: '8,20 euros' }]]] },
        { kind: 'signatures', heading: 'Signatures', slots: [{ role: 'resident', name: 'Léa', capacity: 'pour elle-même', signedOn: '3 mars 2026', method: 'signature électronique' }] },
      ],
    };
    const out = renderHtml(dated, 'falc');
    expect(out).toContain('Arrivée le 2\u00a0juillet\u00a01947, <strong>tarif 1\u202f234,56\u00a0€</strong> par mois.');
    expect(out).toContain('<caption>Prix au 1er\u00a0janvier\u00a02026</caption>');
    expect(out).toContain('<td>8,20\u00a0euros</td>');
    expect(out).toContain('Signé le 3\u00a0mars\u00a02026, signature électronique.');
  });
  it('refuses a variant that does not match the tree content', () => {
    expect(() => renderHtml(tree, 'standard')).toThrow(/variante/);
  });
});

import { escapeHtml } from './html-escape';

describe('escapeHtml (the one HTML escaper)', () => {
  it('escapes markup and both quote characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes an ampersand once (no double escaping of an existing entity is attempted: text is text)', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('returns plain text unchanged and turns null, undefined and numbers into text', () => {
    expect(escapeHtml('Hélène Roux — ch. 12')).toBe('Hélène Roux — ch. 12');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

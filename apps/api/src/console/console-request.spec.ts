import { consoleReturnPath, safeConsolePath } from './console-request';

const doc = '/console/documents/5b1d0c3e-8f7a-4c2b-9e6d-1a2b3c4d5e6f';
const section = 'questions-0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f';

describe('where the login leads back to', () => {
  it('a staff e-mail’s section, kept in the query through the login page, becomes the fragment (a browser never sends it)', () => {
    expect(consoleReturnPath(`${doc}?section=${section}`)).toBe(`${doc}#${section}`);
    expect(consoleReturnPath(`${doc}?section=demande-0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f`)).toBe(`${doc}#demande-0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f`);
    // The page's other parameters stay.
    expect(consoleReturnPath(`/console/residents?q=dupont&section=resultats`)).toBe('/console/residents?q=dupont#resultats');
  });

  it('a path without section is followed as it is', () => {
    expect(consoleReturnPath(doc)).toBe(doc);
    expect(consoleReturnPath('/console/residents?q=dupont')).toBe('/console/residents?q=dupont');
    expect(consoleReturnPath(`${doc}#${section}`)).toBe(`${doc}#${section}`);
  });

  it('a section that is not a heading’s id is dropped, never written into the address', () => {
    for (const bad of ['x%22onload', '"><script>', 'a#b', 'a/b', '-a', 'A', `${'a'.repeat(101)}`, 'a b', '', 'a--b']) {
      const back = consoleReturnPath(`${doc}?section=${encodeURIComponent(bad)}`);
      expect({ bad, back }).toEqual({ bad, back: doc });
    }
    expect(consoleReturnPath(`${doc}?section=a&section=b`)).toBe(doc);
  });

  it('only this site’s console: never another site, a scheme, a backslash, a control character or a space (no open redirect, no broken header)', () => {
    for (const bad of [
      'https://evil.example/console',
      '//evil.example/console',
      '/\\evil.example',
      '/console\\..\\evil',
      '/consoleevil',
      '/api/me',
      'javascript:alert(1)',
      '/console/x\r\nSet-Cookie: a=b',
      '/console/x y',
      '/console/x\u0000',
      '/console/é',
      `/console/${'a'.repeat(500)}`,
      ['/console'],
    ]) {
      expect({ bad, path: safeConsolePath(bad), back: consoleReturnPath(bad) }).toEqual({ bad, path: undefined, back: undefined });
    }
    expect(safeConsolePath('/console')).toBe('/console');
    expect(consoleReturnPath(`/console?section=${section}`)).toBe(`/console#${section}`);
  });
});

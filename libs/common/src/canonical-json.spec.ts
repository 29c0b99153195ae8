import { canonicalJson } from './canonical-json';
import { scrubUrl } from './logger';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: 'é' }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"x":"é","z":1}]},"b":1}');
  });
  it('is independent of insertion order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
  it('writes every kind of value as it always has (the audit chain hashes this text)', () => {
    const value = {
      z: [1, undefined, , 'a"\\\u2028\n'], // eslint-disable-line no-sparse-arrays
      '\uFB00': 1,
      '😀': 2,
      d: new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)),
      big: 12n,
      e: {},
      a: [],
      f: -0,
      g: 1e21,
      h: 0.1,
      u: undefined,
      n: null,
      t: true,
    };
    expect(canonicalJson(value)).toBe(
      '{"a":[],"big":"12","d":"2025-01-02T03:04:05.006Z","e":{},"f":0,"g":1e+21,"h":0.1,"n":null,"t":true,"z":[1,null,,"a\\"\\\\\u2028\\n"],"😀":2,"\uFB00":1}',
    );
  });
  it('refuses values that have no canonical form', () => {
    expect(() => canonicalJson({ n: NaN })).toThrow();
    expect(() => canonicalJson({ f: () => 1 })).toThrow();
  });
});

describe('log scrubbing', () => {
  it('removes signing-link tokens and codes from URLs', () => {
    expect(scrubUrl('/s/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc?x=1')).toBe('/s/[jeton]?x=1');
    expect(scrubUrl('/portal?token=secret&code=123456&page=2')).toBe('/portal?token=[masqué]&code=[masqué]&page=2');
  });
  it('masks every token-like path segment or query value, however cased or percent-encoded; identifiers stay', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc';
    const encoded = [...token].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    expect(scrubUrl(`/S/${token}`)).toBe('/S/[jeton]');
    expect(scrubUrl(`/s/${encoded}`)).toBe('/s/[jeton]');
    expect(scrubUrl(`/s/${encoded.replace(/%/g, '%25')}`)).toBe('/s/[jeton]');
    expect(scrubUrl(`/s/${token.slice(0, 20)}%2F${token.slice(20)}/x`)).toBe('/s/[jeton]/x');
    expect(scrubUrl(`/portail/${token}/document?next=${token}&page=2`)).toBe('/portail/[jeton]/document?next=[jeton]&page=2');
    expect(scrubUrl('/api/documents/0b7c2f9e-1d2a-4c3b-8e4f-5a6b7c8d9e0f/versions')).toBe('/api/documents/0b7c2f9e-1d2a-4c3b-8e4f-5a6b7c8d9e0f/versions');
    expect(scrubUrl('/portail/document?version=large-print')).toBe('/portail/document?version=large-print');
    expect(scrubUrl('/s/%E0%A4%A')).toBe('/s/%E0%A4%A');
  });
});

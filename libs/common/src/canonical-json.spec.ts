import { canonicalJson } from './canonical-json';
import { scrubUrl } from './logger';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: 'é' }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"x":"é","z":1}]},"b":1}');
  });
  it('is independent of insertion order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
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
});

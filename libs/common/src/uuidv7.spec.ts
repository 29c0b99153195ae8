import { uuidv7 } from './crypto';

describe('uuidv7 (RFC 9562, 5.7)', () => {
  it('is a UUID of version 7 and RFC variant, its first 48 bits the time in milliseconds', () => {
    const at = Date.UTC(2026, 11, 2, 2, 20, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time, as text and as PostgreSQL compares uuids (byte order)', () => {
    const ids = [0, 1, 255, 256, 65_536, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 1, 2 ** 48 - 1].map((t) => uuidv7(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('differs between two ids of the same millisecond', () => {
    const at = Date.now();
    const many = new Set(Array.from({ length: 1000 }, () => uuidv7(at)));
    expect(many.size).toBe(1000);
  });
});

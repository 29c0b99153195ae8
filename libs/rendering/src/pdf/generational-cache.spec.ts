import { GenerationalCache } from './generational-cache';

describe('GenerationalCache', () => {
  it('holds at most two generations, whatever is added', () => {
    const c = new GenerationalCache<string, number>(100);
    for (let i = 0; i < 10_000; i++) c.set(`name ${i}`, i);
    expect(c.size).toBeLessThanOrEqual(200);
    expect(c.get('name 9999')).toBe(9999);
    expect(c.get('name 0')).toBeUndefined();
  });

  it('keeps what every document reads while one-off entries leave', () => {
    const c = new GenerationalCache<string, string>(50);
    const clauses = Array.from({ length: 20 }, (_, i) => `clause ${i}`);
    for (const t of clauses) c.set(t, t.toUpperCase());
    // 1,000 documents: each reads the template's clauses and adds three texts of its own.
    for (let d = 0; d < 1000; d++) {
      for (const t of clauses) if (c.get(t) === undefined) c.set(t, t.toUpperCase());
      for (let k = 0; k < 3; k++) c.set(`person ${d}.${k}`, 'x');
    }
    expect(clauses.every((t) => c.get(t) === t.toUpperCase())).toBe(true);
    expect(c.get('person 0.0')).toBeUndefined();
    expect(c.size).toBeLessThanOrEqual(100);
  });

  it('a hit in the old generation survives the next turnover', () => {
    const c = new GenerationalCache<number, number>(2);
    c.set(1, 1);
    c.set(2, 2);
    c.set(3, 3); // 1 and 2 are now old
    expect(c.get(1)).toBe(1); // back to young (with 3); young full
    c.set(4, 4); // young [1, 3] becomes old, 2 dropped
    expect(c.get(2)).toBeUndefined();
    expect(c.get(1)).toBe(1);
  });
});

import { fixtureDepartureDate, loadDemoFixture } from './demo-fixture';

describe('fixtureDepartureDate: a demo person’s departure counted back from the seed’s day', () => {
  it('whole years before today, the same day of the month', () => {
    expect(fixtureDepartureDate({ departedYearsAgo: 3 }, '2026-12-03')).toBe('2023-12-03');
    expect(fixtureDepartureDate({ departedYearsAgo: 0 }, '2026-12-03')).toBe('2026-12-03');
  });

  it('a 29 February lands on the 28th of a common year, and stays the 29th in a leap year', () => {
    expect(fixtureDepartureDate({ departedYearsAgo: 3 }, '2028-02-29')).toBe('2025-02-28');
    expect(fixtureDepartureDate({ departedYearsAgo: 4 }, '2028-02-29')).toBe('2024-02-29');
  });

  it('null for a person still accompanied; a count that is not a whole number of years is refused', () => {
    expect(fixtureDepartureDate({}, '2026-12-03')).toBeNull();
    expect(() => fixtureDepartureDate({ departedYearsAgo: 1.5 }, '2026-12-03')).toThrow(/nombre entier/);
    expect(() => fixtureDepartureDate({ departedYearsAgo: -1 }, '2026-12-03')).toThrow(/nombre entier/);
  });

  it('the demo’s person who left is admitted before her departure, however late the seed runs', () => {
    const left = loadDemoFixture().residents.filter((r) => r.departedYearsAgo !== undefined);
    expect(left).toHaveLength(1);
    expect(left[0].departedYearsAgo).toBeGreaterThanOrEqual(3);
    expect(fixtureDepartureDate(left[0], '2026-12-03')! > left[0].admissionDate).toBe(true);
  });
});

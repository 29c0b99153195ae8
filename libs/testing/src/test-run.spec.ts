import { testDatabaseName, testQueuePrefix, testRunId } from './test-run';

describe('test run marker (database names and queue prefixes)', () => {
  const run = testRunId();

  it('puts the run id after the tier, for every tier name (test, e2e…), once', () => {
    expect(testDatabaseName('carepact_test_abc123')).toBe(`carepact_test_${run}_abc123`);
    expect(testDatabaseName('carepact_e2e_54753f20f2')).toBe(`carepact_e2e_${run}_54753f20f2`);
    expect(testDatabaseName(testDatabaseName('carepact_e2e_x'))).toBe(`carepact_e2e_${run}_x`);
  });

  it('refuses a name the cleanup would not find', () => {
    expect(() => testDatabaseName('mydb')).toThrow(/carepact_<tier>_/);
  });

  it('prefixes every queue prefix with cp_<run>_, once', () => {
    expect(testQueuePrefix()).toBe(`cp_${run}_carepact`);
    expect(testQueuePrefix('abc')).toBe(`cp_${run}_abc`);
    expect(testQueuePrefix(testQueuePrefix('abc'))).toBe(`cp_${run}_abc`);
  });
});

import { ConfigError, loadConfig } from '../../src/config';

describe('ANALYST_MIN_K', () => {
  test('is 5 unless set', () => {
    expect(loadConfig({}).analystMinK).toBe(5);
    expect(loadConfig({ ANALYST_MIN_K: '' }).analystMinK).toBe(5);
    expect(loadConfig({ ANALYST_MIN_K: '10' }).analystMinK).toBe(10);
  });

  test('is never below 3, and a whole number', () => {
    expect(() => loadConfig({ ANALYST_MIN_K: '2' })).toThrow(
      new ConfigError(
        'Invalid environment variable ANALYST_MIN_K: must be at least 3: with smaller groups, the people in a group can tell each other apart (got "2")',
      ),
    );
    expect(() => loadConfig({ ANALYST_MIN_K: '4.5' })).toThrow(/ANALYST_MIN_K: must be a whole number/);
    expect(() => loadConfig({ ANALYST_MIN_K: 'five' })).toThrow(/ANALYST_MIN_K/);
    expect(loadConfig({ ANALYST_MIN_K: '3' }).analystMinK).toBe(3);
  });
});

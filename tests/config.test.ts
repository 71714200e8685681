import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

test('defaults follow Bot Framework and project conventions', () => {
  const c = loadConfig({});
  expect(c.port).toBe(3978);
  expect(c.dataDir).toBe(path.resolve('./data'));
  expect(c.databaseUrl).toBe(`file:${path.resolve('./data/survey.db')}`);
  expect(c.stateTtlMs).toBe(7 * 24 * 3600 * 1000);
  expect(c.logLevel).toBe('info');
  expect(c.surveySecret).toBeUndefined();
  expect(c.botAuth).toEqual({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppTenantId: '', MicrosoftAppType: '' });
});

test('reads the conventional names', () => {
  const c = loadConfig({
    PORT: '8080',
    DATA_DIR: '/tmp/x',
    LOG_LEVEL: 'warn',
    STATE_TTL_DAYS: '2',
    SURVEY_SECRET: 'a'.repeat(40),
    MicrosoftAppId: 'app',
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: 'tenant',
  });
  expect(c).toMatchObject({ port: 8080, dataDir: '/tmp/x', logLevel: 'warn', stateTtlMs: 2 * 86400000, databaseUrl: 'file:/tmp/x/survey.db' });
  expect(c.botAuth.MicrosoftAppType).toBe('SingleTenant');
});

test('an empty variable counts as unset', () => {
  expect(loadConfig({ PORT: '' }).port).toBe(3978);
});

test.each([
  ['PORT', 'eighty'],
  ['PORT', '70000'],
  ['LOG_LEVEL', 'loud'],
  ['DATABASE_URL', 'mysql://x'],
  ['STATE_TTL_DAYS', '-1'],
  ['MicrosoftAppType', 'Whatever'],
])('a bad %s is one clear line naming the variable', (name, value) => {
  expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  try {
    loadConfig({ [name]: value });
  } catch (e) {
    expect((e as Error).message).toMatch(new RegExp(`^Invalid environment variable ${name}: `));
    expect((e as Error).message).not.toContain('\n');
  }
});

test('a short secret is refused without echoing it', () => {
  expect(() => loadConfig({ SURVEY_SECRET: 'hunter2' })).toThrow(/SURVEY_SECRET: must be at least 32 characters/);
  try {
    loadConfig({ SURVEY_SECRET: 'hunter2' });
  } catch (e) {
    expect((e as Error).message).not.toContain('hunter2');
  }
});

test('PostgreSQL needs SURVEY_SECRET, shared by every process, and says so', () => {
  expect(() => loadConfig({ DATABASE_URL: 'postgresql://bot@db.internal:5432/survey' })).toThrow(ConfigError);
  expect(() => loadConfig({ DATABASE_URL: 'postgresql://bot@db.internal:5432/survey' })).toThrow(
    /SURVEY_SECRET: required with PostgreSQL, and the same in every bot process/,
  );
  expect(loadConfig({ DATABASE_URL: 'postgres://bot@db.internal/survey', SURVEY_SECRET: 'b'.repeat(64) }).databaseUrl).toBe(
    'postgres://bot@db.internal/survey',
  );
});

import { numberKey } from '../../src/outreach/invitations';
import { StoredResponse } from '../../src/store/store';
import { TEST_SECRET, tempDir } from '../helpers/harness';
import { call, startTestServer, TestServer } from '../helpers/http';
import { freshDatabase, POSTGRES_SKIP_MESSAGE, postgresReachable } from '../helpers/postgres';
import { SMS_ENV, SmsPhone } from '../helpers/sms';

/**
 * Where respondents came from (issue 21): a poster's start link `/s/<survey>?src=<source>` rides
 * in the Direct Line token, the bot settles it against the survey's declared sources, and the
 * response stores only the settled value; SMS conversations are `sms`, or `sms-invitation` for a
 * number a campaign invited. On SQLite and on PostgreSQL.
 */
const DL = '/v3/directline';
const ENV = {
  ...SMS_ENV,
  SURVEY_SECRET: TEST_SECRET,
  DIRECTLINE_TOKENS_PER_MINUTE: '0',
  DIRECTLINE_CONVERSATIONS_PER_MINUTE: '0',
};

/** What the page gives its script: the JSON in #survey-config. */
function pageConfig(html: string): { survey?: string; src?: string } {
  const json = /<script[^>]*id="survey-config"[^>]*>([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error('no #survey-config on the page');
  return JSON.parse(json);
}

/** A web conversation opened with `body` for tokens/generate (as the page sends it), taken through consent. */
async function consentedOnWeb(server: TestServer, body: unknown): Promise<StoredResponse> {
  const before = new Set((await server.bot.store.listResponses()).map((r) => r.id));
  const generated = await call('POST', `${server.url}${DL}/tokens/generate`, undefined, body);
  expect(generated.status).toBe(200);
  const started = await call('POST', `${server.url}${DL}/conversations`, generated.body.token, { locale: 'nb' });
  expect(started.status).toBe(201);
  const url = `${server.url}${DL}/conversations/${started.body.conversationId}/activities`;
  for (const text of ['Norsk bokmål', 'ja']) expect((await call('POST', url, started.body.token, { type: 'message', text })).status).toBe(200);
  const created = (await server.bot.store.listResponses()).filter((r) => !before.has(r.id));
  expect(created).toHaveLength(1);
  return created[0];
}

/** An SMS conversation in bokmål taken through consent. */
async function consentedBySms(server: TestServer, phone: SmsPhone): Promise<StoredResponse> {
  const before = new Set((await server.bot.store.listResponses()).map((r) => r.id));
  for (const text of ['hei', '1', '1']) await phone.text(text);
  const created = (await server.bot.store.listResponses()).filter((r) => !before.has(r.id));
  expect(created).toHaveLength(1);
  return created[0];
}

function sourceTracking(name: string, env: () => Promise<Record<string, string> | undefined>) {
  describe(name, () => {
    let server: TestServer | undefined;
    beforeAll(async () => {
      const extra = await env();
      if (extra) server = await startTestServer({ ...ENV, ...extra });
    }, 60000);
    afterAll(() => server?.close());
    const on = (fn: (s: TestServer) => Promise<void>) => async () => {
      if (!server) return console.warn(POSTGRES_SKIP_MESSAGE);
      await fn(server);
    };

    test(
      'a declared source on the start link is stored with the response',
      on(async (s) => {
        const html = await (await fetch(`${s.url}/s/housing-help?lang=nb&src=nav-office-poster`)).text();
        expect(pageConfig(html)).toMatchObject({ survey: 'housing-help', src: 'nav-office-poster' });
        // The light page opened the conversation while rendering: its token carries the source too.
        const opened = (pageConfig(html) as { conversation?: { token: string } }).conversation;
        expect(JSON.parse(Buffer.from(opened!.token.split('.')[1], 'base64url').toString('utf8'))).toMatchObject({
          survey: 'housing-help',
          src: 'nav-office-poster',
        });
        const r = await consentedOnWeb(s, { survey: 'housing-help', src: pageConfig(html).src });
        expect(r).toMatchObject({ surveyId: 'housing-help', channel: 'web', source: 'nav-office-poster' });
      }),
    );

    test(
      'an undeclared source is stored as other, and no source as direct',
      on(async (s) => {
        expect((await consentedOnWeb(s, { survey: 'housing-help', src: 'foo' })).source).toBe('other');
        // A source another survey declares is not one of this survey's.
        expect((await consentedOnWeb(s, { survey: 'housing-help', src: 'tenant-meeting-poster' })).source).toBe('other');
        expect((await consentedOnWeb(s, { survey: 'resident-participation', src: 'tenant-meeting-poster' })).source).toBe('tenant-meeting-poster');
        expect((await consentedOnWeb(s, {})).source).toBe('direct');
        const stored = JSON.stringify(await s.bot.store.listResponses());
        expect(stored).not.toContain('"foo"');
      }),
    );

    test.each([
      ['oversized', 'a'.repeat(5000)],
      ['with control characters', 'poster\u0000\u001b[31m\r\n'],
      ['not a string', { $ne: 1 }],
      ['upper case and markup', '<script>alert(1)</script>'],
    ])('a forged source (%s) on the link and in the token request is other, and nothing breaks', (_kind, src) =>
      on(async (s) => {
        const page = await fetch(`${s.url}/s/housing-help?src=${encodeURIComponent(typeof src === 'string' ? src : JSON.stringify(src))}`);
        expect(page.status).toBe(200);
        const html = await page.text();
        expect(pageConfig(html).src).toBe('other');
        expect(html).not.toContain('<script>alert');
        const r = await consentedOnWeb(s, { survey: 'housing-help', src });
        expect(r.source).toBe('other');
      })(),
    );

    test(
      'a repeated src on the link is other',
      on(async (s) => {
        const html = await (await fetch(`${s.url}/s/housing-help?src=web&src=nav-office-poster`)).text();
        expect(pageConfig(html).src).toBe('other');
      }),
    );

    test(
      'a refreshed token keeps the source',
      on(async (s) => {
        const generated = await call('POST', `${s.url}${DL}/tokens/generate`, undefined, { src: 'web' });
        const refreshed = await call('POST', `${s.url}${DL}/tokens/refresh`, generated.body.token);
        const claims = JSON.parse(Buffer.from(refreshed.body.token.split('.')[1], 'base64url').toString('utf8'));
        expect(claims.src).toBe('web');
      }),
    );

    test(
      'an SMS conversation is sms, and sms-invitation for a number a campaign of the survey invited',
      on(async (s) => {
        expect((await consentedBySms(s, new SmsPhone(s))).source).toBe('sms');
        const invited = new SmsPhone(s);
        await s.bot.store.saveCampaign({ id: 'source-test', surveyId: 'housing-help', createdAt: new Date('2026-12-07T10:00:00Z') });
        await s.bot.store.saveInvitations('source-test', [
          { key: numberKey(TEST_SECRET, invited.number), language: 'nb', state: 'invited', invitedAt: new Date('2026-12-07T10:00:00Z') },
        ]);
        expect((await consentedBySms(s, invited)).source).toBe('sms-invitation');
        expect(JSON.stringify(await s.bot.store.listResponses())).not.toContain(invited.number);
      }),
    );
  });
}

sourceTracking('SQLite', async () => ({ DATA_DIR: tempDir('source-sqlite-') }));

let dropPostgres: (() => Promise<void>) | undefined;
sourceTracking('PostgreSQL', async () => {
  if (!(await postgresReachable())) return undefined;
  const db = await freshDatabase('source_test');
  dropPostgres = db.drop;
  return { DATA_DIR: tempDir('source-pg-'), DATABASE_URL: db.url };
});
afterAll(async () => {
  await dropPostgres?.();
});

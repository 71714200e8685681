import { SurveyCatalog } from '../../src/registry/surveyCatalog';
import { Texts } from '../../src/language/texts';
import { TEST_SECRET, texts } from '../helpers/harness';
import { everyStoredValue } from '../helpers/db';
import { call, startTestServer, TestServer } from '../helpers/http';
import { SMS_ENV, SmsPhone } from '../helpers/sms';
import { Activity, textOf } from './directLineClient';

/**
 * Each channel reaches the survey it asks for: the web page's start link (`/s/<survey>?lang=`,
 * carried in the Direct Line token), the SMS number written to (`survey-bot survey sms-number`).
 * Bot Framework's channelData is in tests/conversation/surveys.test.ts.
 */
const DL = '/v3/directline';
const PARTICIPATION_NUMBER = '+4759440101';
const HOUSING_NUMBER = '+4759440102';

let server: TestServer;
let participation: Texts;
beforeAll(async () => {
  server = await startTestServer({
    ...SMS_ENV,
    SURVEY_SECRET: TEST_SECRET,
    SURVEY_REFRESH_SECONDS: '0',
    DIRECTLINE_TOKENS_PER_MINUTE: '0',
    DIRECTLINE_CONVERSATIONS_PER_MINUTE: '0',
  });
  await server.bot.store.setSmsRoute(PARTICIPATION_NUMBER, 'resident-participation');
  await server.bot.store.setSmsRoute(HOUSING_NUMBER, 'housing-help');
  const catalog = new SurveyCatalog(server.bot.store, texts.locales, { defaultLocale: 'nb', defaultSurvey: 'housing-help', refreshMs: 0 });
  participation = await catalog.textsFor('resident-participation', 1);
});
afterAll(() => server.close());

/** What the page gives its script: the JSON in #survey-config. */
function pageConfig(html: string): { survey?: string; lang?: string } {
  const json = /<script[^>]*id="survey-config"[^>]*>([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error('no #survey-config on the page');
  return JSON.parse(json);
}

async function greetingOf(body: unknown, locale?: string): Promise<string> {
  const generated = await call('POST', `${server.url}${DL}/tokens/generate`, undefined, body);
  expect(generated.status).toBe(200);
  const started = await call('POST', `${server.url}${DL}/conversations`, generated.body.token, locale ? { locale } : {});
  expect(started.status).toBe(201);
  const polled = await call('GET', `${server.url}${DL}/conversations/${started.body.conversationId}/activities`, started.body.token);
  return textOf((polled.body.activities as Activity[]).filter((a) => a.from?.role === 'bot'));
}

describe('web start links', () => {
  test('/s/<survey>?lang=so serves the chat page for that survey, offering Somali first', async () => {
    const res = await fetch(`${server.url}/s/resident-participation?lang=so`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(pageConfig(html)).toMatchObject({ survey: 'resident-participation', lang: 'so' });
    expect(html).toContain('lang="so"');
    // The plain page names no survey: the default one.
    expect(pageConfig(await (await fetch(`${server.url}/`)).text()).survey).toBeUndefined();
  });

  test('a link with an unsupported language or a malformed survey id still serves the page, without them', async () => {
    const html = await (await fetch(`${server.url}/s/resident-participation?lang=xx`)).text();
    expect(pageConfig(html).lang).toBeUndefined();
    expect((await fetch(`${server.url}/s/${encodeURIComponent('<script>')}`)).status).toBe(200);
  });

  test("the page's survey rides in the Direct Line token: the conversation is greeted with its title", async () => {
    expect(await greetingOf({ survey: 'resident-participation' }, 'so')).toContain(participation.greeting('so'));
    expect(await greetingOf({}, 'so')).toContain(texts.greeting('so'));
    // An unknown or malformed survey in the body is the default survey, never an error.
    expect(await greetingOf({ survey: 'NOT A SURVEY' }, 'nb')).toContain(texts.greeting('nb'));
  });

  test('a refreshed token keeps the survey', async () => {
    const generated = await call('POST', `${server.url}${DL}/tokens/generate`, undefined, { survey: 'resident-participation' });
    const refreshed = await call('POST', `${server.url}${DL}/tokens/refresh`, generated.body.token);
    expect(refreshed.status).toBe(200);
    const claims = JSON.parse(Buffer.from(refreshed.body.token.split('.')[1], 'base64url').toString('utf8'));
    expect(claims.survey).toBe('resident-participation');
  });
});

describe('SMS numbers', () => {
  test('two numbers reach two surveys; the same phone has a conversation with each', async () => {
    const phone = new SmsPhone(server, undefined, PARTICIPATION_NUMBER);
    const same = new SmsPhone(server, phone.number, HOUSING_NUMBER);
    expect(await phone.text('Salaan')).toContain(participation.greeting('so'));
    expect(await same.text('Salaan')).toContain(texts.greeting('so'));
    const consent = await phone.text('1');
    expect(consent).toContain(participation.s('so', 'consent.ask'));
    const first = await phone.text('1');
    expect(first).toContain(participation.s('so', 'questions.housing_offer.text'));
    // Meanwhile, the housing-help conversation of the same phone is where it was.
    await same.text('1');
    expect(await same.text('1')).toContain(texts.s('so', 'questions.needed_help.text'));
    // Which number a respondent wrote to is kept nowhere, nor their own number.
    const stored = everyStoredValue(server.dataDir);
    expect(stored).not.toContain(phone.number);
  });

  test('a number without a route reaches the default survey', async () => {
    const phone = new SmsPhone(server, undefined, '+4759449999');
    expect(await phone.text('hei')).toContain(texts.greeting('nb'));
  });
});

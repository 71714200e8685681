import { ActivityTypes } from 'botbuilder';
import { askedStep, texts } from '../helpers/harness';
import { HttpRespondent, postJson, startTestServer, TestServer } from '../helpers/http';
import { NB_PLAN } from '../helpers/plans';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const plans: Record<string, Record<string, string>> = {
  nb: NB_PLAN,
  en: {
    needed_help: "don't know",
    situation: '5',
    children: 'no',
    background: 'abroad',
    years_in_norway: '12',
    age_band: '4',
    municipality: 'skip',
    what_helped: 'More information in Somali',
  },
};

test.each(Object.keys(plans))('a whole survey over POST /api/messages with expectReplies lands as one completed response (%s)', async (lng) => {
  const r = new HttpRespondent(server.url);
  const greeting = await r.text('👋');
  expect(greeting).toContain(texts.t(texts.defaultLocale, 'bot:language.menu'));
  await r.say(String(texts.locales.list.findIndex((l) => l.tag === lng) + 1));
  let reply = await r.text(texts.optionLabel(lng, 'yes'));
  const asked: string[] = [];
  let last: Awaited<ReturnType<HttpRespondent['say']>> = [];
  for (let step = askedStep(lng, reply); step; step = askedStep(lng, reply)) {
    asked.push(step);
    last = await r.say(plans[lng][step]);
    reply = last
      .map((a) => a.text)
      .filter(Boolean)
      .join('\n');
  }
  expect(asked.sort()).toEqual(Object.keys(plans[lng]).sort());
  expect(reply).toContain(texts.s(lng, 'thanks.where_help'));
  expect(last.at(-1)!.type).toBe(ActivityTypes.EndOfConversation);

  const mine = (await server.bot.store.listResponses()).filter((x) => x.language === lng);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ status: 'completed', channel: 'emulator' });
  expect(mine[0].answers).toHaveLength(asked.length);
  if (lng === 'nb') {
    const free = mine[0].answers.find((a) => a.questionId === 'what_helped')!.value;
    expect(free).toBe('Ring meg på <PHONE> eller skriv til <EMAIL>');
  }
});

describe('bad input', () => {
  async function atFirstQuestion() {
    const r = new HttpRespondent(server.url);
    await r.say('hei');
    await r.say('Norsk bokmål');
    await r.say('ja');
    return r;
  }
  test("an unknown option is re-prompted in the respondent's language", async () => {
    const r = await atFirstQuestion();
    const reply = await r.text('kanskje i morgen');
    expect(reply).toContain(texts.t('nb', 'bot:reprompt.no_match'));
    expect(askedStep('nb', reply)).toBe('needed_help');
  });

  test('an out-of-range number is re-prompted', async () => {
    const r = await atFirstQuestion();
    const reply = await r.text('7');
    expect(reply).toContain(texts.t('nb', 'bot:reprompt.out_of_range'));
  });

  test('an empty message is re-prompted', async () => {
    const r = await atFirstQuestion();
    expect(await r.text('')).toContain(texts.t('nb', 'bot:reprompt.empty'));
    expect(await r.text('   \u200b ')).toContain(texts.t('nb', 'bot:reprompt.empty'));
  });

  test('a 10 kB message is refused politely and the survey goes on', async () => {
    const r = await atFirstQuestion();
    const reply = await r.text('ja '.repeat(3400));
    expect(reply).toContain(texts.t('nb', 'bot:reprompt.too_long'));
    expect(askedStep('nb', await r.text('ja'))).toBe('situation');
  });

  test('control characters are stripped, not stored', async () => {
    const r = await atFirstQuestion();
    expect(askedStep('nb', await r.text('\u0000j\u0007a\u001b'))).toBe('situation');
  });

  test('a non-message activity is accepted and changes nothing', async () => {
    const r = await atFirstQuestion();
    const before = await server.bot.store.listResponses();
    const res = await postJson(`${server.url}/api/messages`, r.activity({ type: ActivityTypes.Typing }));
    expect(res.status).toBe(200);
    expect(await server.bot.store.listResponses()).toEqual(before);
    expect(askedStep('nb', await r.text('ja'))).toBe('situation');
  });

  test('malformed JSON gets a 400 and the server keeps serving', async () => {
    const res = await postJson(`${server.url}/api/messages`, undefined, '{"type": "message", "text": ');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  test('a JSON body that is not an activity gets a 400 naming what is missing', async () => {
    const res = await postJson(`${server.url}/api/messages`, { hello: 'world' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_activity');
  });

  test('a body over the size limit gets 413', async () => {
    const r = new HttpRespondent(server.url);
    const res = await postJson(`${server.url}/api/messages`, r.activity({ text: 'x'.repeat(300 * 1024) }));
    expect(res.status).toBe(413);
  });

  test('no answer is lost or duplicated by bad input between good answers', async () => {
    const before = new Set((await server.bot.store.listResponses()).map((x) => x.id));
    const r = await atFirstQuestion();
    await r.say('ja');
    await r.say('ugyldig');
    await r.say('');
    await r.say('2');
    const created = (await server.bot.store.listResponses()).filter((x) => !before.has(x.id));
    expect(created).toHaveLength(1);
    expect(created[0].answers.map((a) => [a.questionId, a.value]).sort()).toEqual([
      ['needed_help', 'yes'],
      ['situation', 'rent_private'],
    ]);
  });
});

test('GET /healthz reports the database reachable', async () => {
  const res = await fetch(`${server.url}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
});

test('the server log holds no message text and no user or conversation id', async () => {
  const r = new HttpRespondent(server.url, 'user-SECRET-4711');
  await r.say('hemmelig tekst 12345');
  const log = server.logLines.join('\n');
  expect(log).not.toContain('user-SECRET-4711');
  expect(log).not.toContain('conv-user-SECRET-4711');
  expect(log).not.toContain('hemmelig');
  expect(log).toContain('"route":"/api/messages"');
});

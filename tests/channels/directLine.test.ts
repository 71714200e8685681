import { DirectLineTokens } from '../../src/channels/directline/tokens';
import { askedStep, tempDir, TEST_SECRET, texts } from '../helpers/harness';
import { everyStoredValue } from '../helpers/db';
import { call, startTestServer, TestServer } from '../helpers/http';
import { NB_PLAN } from '../helpers/plans';
import { startBotProcess } from '../helpers/process';
import { Activity, DirectLineRespondent, isBot, textOf, waitFor } from './directLineClient';

const DL = '/v3/directline';

let server: TestServer;
beforeAll(async () => {
  // This file starts more conversations from one address than the per-minute limits allow
  // (tested in directLineRateLimit.test.ts), so they are off here.
  server = await startTestServer({ SURVEY_SECRET: TEST_SECRET, DIRECTLINE_TOKENS_PER_MINUTE: '0', DIRECTLINE_CONVERSATIONS_PER_MINUTE: '0' });
});
afterAll(() => server.close());

interface Conversation {
  conversationId: string;
  token: string;
  expires_in: number;
}

async function newConversation(s: TestServer = server, locale = 'nb'): Promise<Conversation> {
  const generated = await call('POST', `${s.url}${DL}/tokens/generate`);
  expect(generated.status).toBe(200);
  const started = await call('POST', `${s.url}${DL}/conversations`, generated.body.token, { user: { id: 'chosen-by-client' }, locale });
  expect(started.status).toBe(201);
  return started.body as Conversation;
}

const activitiesUrl = (c: { conversationId: string }, s: TestServer = server) => `${s.url}${DL}/conversations/${c.conversationId}/activities`;

async function poll(c: Conversation, watermark = '', s: TestServer = server): Promise<{ activities: Activity[]; watermark: string }> {
  const res = await call('GET', `${activitiesUrl(c, s)}?watermark=${watermark}`, c.token);
  expect(res.status).toBe(200);
  return res.body;
}

async function post(c: Conversation, activity: Record<string, unknown>, s: TestServer = server) {
  return call('POST', activitiesUrl(c, s), c.token, activity);
}

const plan = NB_PLAN;

test('the official DirectLineJS client, polling, completes a whole survey that is stored as completed', async () => {
  const before = new Set((await server.bot.store.listResponses()).map((r) => r.id));
  const r = await DirectLineRespondent.start(server.url, { locale: 'nb-NO' });
  try {
    // Greeted before writing anything, in the language the client announced.
    const greeting = textOf(await r.greeting());
    expect(greeting).toContain(texts.greeting('nb'));
    expect(greeting).toContain(texts.t('nb', 'bot:language.confirm', { endonym: texts.meta('nb').endonym }));

    expect(await r.text(texts.t('nb', 'bot:language.confirm_yes'))).toContain(texts.s('nb', 'consent.ask'));
    let replies = await r.say(texts.optionLabel('nb', 'yes'));
    const asked: string[] = [];
    for (let step = askedStep('nb', textOf(replies)); step; step = askedStep('nb', textOf(replies))) {
      asked.push(step);
      replies = await r.say(plan[step]);
    }
    expect(asked.sort()).toEqual(Object.keys(plan).sort());
    expect(textOf(replies)).toContain(texts.s('nb', 'thanks.done'));
    expect(replies.at(-1)!.type).toBe('endOfConversation');

    // Every message was echoed once, as sent by the token's user whatever `from` the client put.
    const echoes = r.seen.filter((a) => !isBot(a));
    expect(echoes).toHaveLength(asked.length + 2);
    const user = JSON.parse(Buffer.from(r.token.split('.')[1], 'base64url').toString()).user as string;
    expect(user).toMatch(/^dl_/);
    for (const e of echoes) expect(e.from).toEqual({ id: user, name: '', role: 'user' });
    expect(new Set(r.seen.map((a) => a.id)).size).toBe(r.seen.length);

    const created = (await server.bot.store.listResponses()).filter((x) => !before.has(x.id));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ status: 'completed', channel: 'web', language: 'nb' });
    expect(created[0].answers).toHaveLength(asked.length);
    expect(created[0].answers.find((a) => a.questionId === 'what_helped')!.value).toBe('Ring meg på <PHONE> eller skriv til <EMAIL>');
  } finally {
    r.end();
  }
});

test('a reloaded page reconnects with its token and conversation id and gets the conversation again', async () => {
  const first = await DirectLineRespondent.start(server.url, { locale: 'nb' });
  await first.greeting();
  await first.say(texts.t('nb', 'bot:language.confirm_yes'));
  first.end();
  const again = await DirectLineRespondent.start(server.url, { token: first.token, conversationId: first.conversationId });
  try {
    await waitFor(() => again.seen.length >= first.seen.length && again.settled(), 'the replayed conversation');
    expect(again.seen.map((a) => a.id)).toEqual(first.seen.map((a) => a.id));
    // The survey goes on where it was: at consent, not greeted a second time.
    expect(await again.text(texts.optionLabel('nb', 'yes'))).toContain(texts.s('nb', 'questions.needed_help.text'));
  } finally {
    again.end();
  }
});

test('a conversation started in Arabic is greeted in Arabic, and replies carry the chosen language in locale', async () => {
  const c = await newConversation(server, 'ar-SA');
  const greeting = await poll(c);
  expect(textOf(greeting.activities)).toContain(texts.greeting('ar'));
  // The respondent picks another language while the page still says "ar": replies say "nb".
  expect((await post(c, { type: 'message', text: texts.meta('nb').endonym, locale: 'ar' })).status).toBe(200);
  const after = await poll(c, greeting.watermark);
  const replies = after.activities.filter(isBot);
  expect(replies.length).toBeGreaterThan(0);
  for (const a of replies) expect((a as { locale?: string }).locale).toBe('nb');
});

describe('tokens', () => {
  test('POST /conversations without a token gets 403 and a JSON error, and nothing is stored', async () => {
    const res = await call('POST', `${server.url}${DL}/conversations`, undefined, {});
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('TokenMissing');
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  test('a token for conversation A cannot read, post to or reconnect to conversation B', async () => {
    const a = await newConversation();
    const b = await newConversation();
    const asA = { ...b, token: a.token };
    expect((await call('GET', `${activitiesUrl(b)}?watermark=`, a.token)).status).toBe(403);
    expect((await post(asA, { type: 'message', text: 'ja' })).status).toBe(403);
    expect((await call('GET', `${server.url}${DL}/conversations/${b.conversationId}`, a.token)).status).toBe(403);
    // B's stream holds only its own greeting.
    expect((await poll(b)).activities.every(isBot)).toBe(true);
  });

  test('an expired token gets 403 TokenExpired everywhere, refresh included', async () => {
    const c = await newConversation();
    const { conv, user } = JSON.parse(Buffer.from(c.token.split('.')[1], 'base64url').toString());
    const past = new DirectLineTokens(TEST_SECRET, 60_000, () => new Date(Date.now() - 120_000));
    const expired = past.issue(conv, user).token;
    for (const [method, url] of [
      ['GET', `${activitiesUrl(c)}?watermark=`],
      ['POST', activitiesUrl(c)],
      ['GET', `${server.url}${DL}/conversations/${c.conversationId}`],
      ['POST', `${server.url}${DL}/tokens/refresh`],
      ['POST', `${server.url}${DL}/conversations`],
    ]) {
      const res = await call(method, url, expired, method === 'POST' ? { type: 'message', text: 'ja' } : undefined);
      expect([url, res.status, res.body?.error?.code]).toEqual([url, 403, 'TokenExpired']);
    }
  });

  test('a token expires after the configured lifetime', () => {
    let now = new Date('2030-01-01T12:00:00Z');
    const tokens = new DirectLineTokens(TEST_SECRET, 1000, () => now);
    const { token } = tokens.issueNew();
    expect(tokens.verify(token).ok).toBe(true);
    now = new Date(now.getTime() + 1000);
    expect(tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
  });

  test('forged tokens get 403: another secret, a changed payload, alg "none", garbage', async () => {
    const c = await newConversation();
    const [header, payload, signature] = c.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const other = await newConversation();
    const otherClaims = JSON.parse(Buffer.from(other.token.split('.')[1], 'base64url').toString());
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const forgeries = [
      new DirectLineTokens('another-secret-0123456789abcdef0123456789').issue(claims.conv, claims.user).token,
      `${header}.${b64({ ...claims, exp: claims.exp + 3600 })}.${signature}`,
      `${header}.${b64({ ...otherClaims })}.${signature}`,
      `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      `${header}.${payload}.${signature.slice(0, -2)}AA`,
      'not-a-token',
    ];
    for (const forged of forgeries) {
      const res = await call('GET', `${activitiesUrl(c)}?watermark=`, forged);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('TokenInvalid');
    }
  });

  test('refresh gives a token for the same conversation and user with a later expiry', async () => {
    const c = await newConversation();
    const claimsOf = (t: string) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString());
    await new Promise((r) => setTimeout(r, 1100));
    const res = await call('POST', `${server.url}${DL}/tokens/refresh`, c.token);
    expect(res.status).toBe(200);
    expect(res.body.conversationId).toBe(c.conversationId);
    expect(res.body.expires_in).toBeGreaterThan(0);
    const [before, after] = [claimsOf(c.token), claimsOf(res.body.token)];
    expect(after.conv).toBe(before.conv);
    expect(after.user).toBe(before.user);
    expect(after.exp).toBeGreaterThan(before.exp);
    expect((await call('GET', `${activitiesUrl(c)}?watermark=`, res.body.token)).status).toBe(200);
  });
});

describe('activity stream', () => {
  test('watermarks page through the stream with no gaps and no duplicates', async () => {
    const c = await newConversation();
    const pages: Activity[][] = [];
    let { watermark } = await poll(c);
    for (const text of ['Norsk bokmål', 'ja', 'ja', 'nei', '1']) {
      expect((await post(c, { type: 'message', text })).status).toBe(200);
      const page = await poll(c, watermark);
      pages.push(page.activities);
      expect(Number(page.watermark)).toBeGreaterThan(Number(watermark || 0));
      watermark = page.watermark;
    }
    // Nothing new: no activities, the same watermark.
    expect(await poll(c, watermark)).toEqual({ activities: [], watermark });

    const whole = (await poll(c)).activities;
    expect(pages.flat().map((a) => a.id)).toEqual(whole.slice(whole.length - pages.flat().length).map((a) => a.id));
    expect(new Set(whole.map((a) => a.id)).size).toBe(whole.length);
    const seqs = whole.map((a) => (a.channelData as Record<string, number>)['webchat:sequence-id']);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    // Each message is echoed before the bot's answer to it.
    const userTexts = whole.filter((a) => !isBot(a)).map((a) => (a as { text?: string }).text);
    expect(userTexts).toEqual(['Norsk bokmål', 'ja', 'ja', 'nei', '1']);
    for (const page of pages) expect(isBot(page[0])).toBe(false);
  });

  test('a page left open past the outbox purge still gets the next replies after its old watermark', async () => {
    // Hours pass on Direct Line's clock; the page refreshes its token as Web Chat does.
    let clock = new Date();
    const s = await startTestServer({ SURVEY_SECRET: TEST_SECRET }, { now: () => clock });
    try {
      let c = await newConversation(s);
      await post(c, { type: 'message', text: 'Norsk bokmål' }, s);
      const before = await poll(c, '', s);
      expect(before.activities.length).toBeGreaterThan(1);
      for (let i = 0; i < 9; i++) {
        clock = new Date(clock.getTime() + 20 * 60 * 1000);
        const refreshed = await call('POST', `${s.url}${DL}/tokens/refresh`, c.token);
        expect(refreshed.status).toBe(200);
        c = { ...c, token: refreshed.body.token };
      }
      expect((await s.bot.store.purgeExpired(clock))?.channelData).toBeGreaterThan(0);
      expect((await poll(c, '', s)).activities).toEqual([]);

      expect((await post(c, { type: 'message', text: 'hjelp' }, s)).status).toBe(200);
      const after = await poll(c, before.watermark, s);
      expect(after.activities.filter((a) => !isBot(a)).map((a) => (a as { text?: string }).text)).toEqual(['hjelp']);
      expect(after.activities.some(isBot)).toBe(true);
      expect(Number(after.watermark)).toBeGreaterThan(Number(before.watermark));
    } finally {
      await s.close();
    }
  });

  test('a page holds at most 100 activities and the watermark fetches the rest', async () => {
    const c = await newConversation();
    // The language menu is re-shown for every unknown answer: many activities quickly.
    for (let i = 0; i < 40; i++) await post(c, { type: 'message', text: 'xyz' });
    const first = await poll(c);
    expect(first.activities).toHaveLength(100);
    const rest = await poll(c, first.watermark);
    expect(rest.activities.length).toBeGreaterThan(0);
    expect(new Set([...first.activities, ...rest.activities].map((a) => a.id)).size).toBe(first.activities.length + rest.activities.length);
  });

  test("the sender is the token's user: a spoofed from.id neither shows nor reaches another respondent's survey", async () => {
    const victim = await newConversation();
    await post(victim, { type: 'message', text: 'Norsk bokmål' });
    const victimUser = JSON.parse(Buffer.from(victim.token.split('.')[1], 'base64url').toString()).user as string;
    const victimStream = (await poll(victim)).activities.length;

    const attacker = await newConversation();
    const res = await post(attacker, { type: 'message', text: 'nei', from: { id: victimUser, role: 'user' }, channelId: 'directline' });
    expect(res.status).toBe(200);
    const echo = (await poll(attacker)).activities.find((a) => a.id === res.body.id)!;
    expect(echo.from.id).not.toBe(victimUser);
    expect(echo.from.id).toMatch(/^dl_/);
    // The attacker's "no" did not decline the victim's consent: the victim's stream is unchanged
    // and the victim's survey is still waiting for consent.
    expect((await poll(victim)).activities).toHaveLength(victimStream);
    await post(victim, { type: 'message', text: 'ja' });
    expect(askedStep('nb', textOf((await poll(victim)).activities.slice(victimStream)))).toBe('needed_help');
  });

  test('two bot processes on one SQLite file: a message posted to one is answered by polling the other', async () => {
    const dataDir = tempDir();
    const inProcess = await startTestServer({ DATA_DIR: dataDir, SURVEY_SECRET: TEST_SECRET });
    let child: Awaited<ReturnType<typeof startBotProcess>> | undefined;
    try {
      child = await startBotProcess({ DATA_DIR: dataDir, SURVEY_SECRET: TEST_SECRET });
      const other = { url: child.url } as TestServer;
      const c = await newConversation(inProcess);
      const greeting = await poll(c, '', other);
      expect(textOf(greeting.activities)).toContain(texts.greeting('nb'));
      expect((await post(c, { type: 'message', text: texts.t('nb', 'bot:language.confirm_yes') }, inProcess)).status).toBe(200);
      const replies = await poll(c, greeting.watermark, other);
      expect(textOf(replies.activities)).toContain(texts.s('nb', 'consent.ask'));
      // And the other way round, continuing the same survey.
      expect((await post(c, { type: 'message', text: texts.optionLabel('nb', 'yes') }, other)).status).toBe(200);
      expect(askedStep('nb', textOf((await poll(c, replies.watermark, inProcess)).activities))).toBe('needed_help');
    } finally {
      await child?.stop();
      await inProcess.close();
    }
  });
});

describe('bad input', () => {
  async function atFirstQuestion(): Promise<{ c: Conversation; watermark: string }> {
    const c = await newConversation();
    await post(c, { type: 'message', text: 'Norsk bokmål' });
    await post(c, { type: 'message', text: 'ja' });
    return { c, watermark: (await poll(c)).watermark };
  }

  test('malformed JSON gets a 400 and the conversation goes on', async () => {
    const { c } = await atFirstQuestion();
    const res = await call('POST', activitiesUrl(c), c.token, undefined, '{"type": "message", "text": ');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
    expect((await post(c, { type: 'message', text: 'ja' })).status).toBe(200);
  });

  test.each([
    ['an event', { type: 'event', name: 'webchat/join', value: {} }],
    ['a conversationUpdate a client made up', { type: 'conversationUpdate', membersAdded: [{ id: 'x' }] }],
    ['an attachment upload', { type: 'message', text: 'hei', attachments: [{ contentType: 'image/png', contentUrl: 'http://example.org/x.png' }] }],
    ['text that is not a string', { type: 'message', text: 42 }],
    ['a JSON array', [1, 2, 3]],
  ])('%s gets 400 BadArgument and changes nothing', async (_name, body) => {
    const { c, watermark } = await atFirstQuestion();
    const res = await call('POST', activitiesUrl(c), c.token, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BadArgument');
    expect(await poll(c, watermark)).toEqual({ activities: [], watermark });
  });

  test('a 10 kB message is accepted and answered with a polite re-prompt', async () => {
    const { c, watermark } = await atFirstQuestion();
    const res = await post(c, { type: 'message', text: 'ja '.repeat(3400) });
    expect(res.status).toBe(200);
    const replies = (await poll(c, watermark)).activities.filter(isBot);
    expect(textOf(replies)).toContain(texts.t('nb', 'bot:reprompt.too_long'));
    expect(askedStep('nb', textOf(replies))).toBe('needed_help');
  });

  test('a watermark that is not a number gets 400', async () => {
    const c = await newConversation();
    for (const w of ['abc', '-1', '1.5', '1e3']) expect((await call('GET', `${activitiesUrl(c)}?watermark=${w}`, c.token)).status).toBe(400);
  });

  test('Web Chat-style messages (empty attachments, odd locale, client ids) are accepted', async () => {
    const c = await newConversation();
    const res = await post(c, {
      type: 'message',
      text: 'Norsk bokmål',
      attachments: [],
      locale: 'not a locale!',
      channelData: { clientActivityID: 'abc123' },
      localTimestamp: '2030-01-01T00:00:00+01:00',
      entities: [{ type: 'ClientCapabilities' }],
    });
    expect(res.status).toBe(200);
    const echo = (await poll(c)).activities.find((a) => a.id === res.body.id)!;
    expect(echo.channelData).toMatchObject({ clientActivityID: 'abc123' });
    expect(echo).not.toHaveProperty('localTimestamp');
    expect(echo).not.toHaveProperty('locale');
  });
});

describe('privacy', () => {
  test('neither the database nor the logs hold conversation ids, user ids, tokens or message text', async () => {
    const s = await startTestServer();
    try {
      const c = await newConversation(s);
      const secretWord = 'Zyxwvutsrq';
      await post(c, { type: 'message', text: secretWord }, s);
      await poll(c, '', s);
      const claims = JSON.parse(Buffer.from(c.token.split('.')[1], 'base64url').toString());
      const stored = everyStoredValue(s.dataDir);
      for (const id of [c.conversationId, claims.user, c.token, c.token.split('.')[2]]) expect(stored).not.toContain(id);
      // The echo of what the respondent typed is redacted like any stored text.
      await post(c, { type: 'message', text: 'ring 912 34 567' }, s);
      expect(everyStoredValue(s.dataDir)).not.toContain('912 34 567');
      expect((await poll(c, '', s)).activities.map((a) => ('text' in a ? a.text : undefined))).toContain('ring <PHONE>');
      const logs = s.logLines.join('\n');
      for (const id of [c.conversationId, claims.user, c.token.split('.')[2], secretWord]) expect(logs).not.toContain(id);
      expect(logs).toContain('"event":"directline_turn"');
    } finally {
      await s.close();
    }
  });

  test('responses carry no cookie and are not cached', async () => {
    const res = await fetch(`${server.url}${DL}/tokens/generate`, { method: 'POST' });
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

import fc from 'fast-check';
import zlib from 'node:zlib';
import twilio from 'twilio';
import { tempDir, TEST_SECRET, texts } from '../helpers/harness';
import { TestServer } from '../helpers/http';
import { AUTH_TOKEN, messagesOf, PUBLIC_URL, SMS_ENV, SmsPhone } from '../helpers/sms';
import { FaultBot, notLogLines, spawnBot } from './botProcess';
import { ApiChat, DirectLineChat, joined, LANGUAGES, Outcome, Reply, request, uniquePhoneNumber } from './clients';
import { foreignLines } from './language';
import { histogram, percentile, report, seconds } from './report';

/**
 * 10,000 hostile inputs, drawn with fast-check (fixed seed, so a failure can be replayed), sent
 * to one real bot process through /api/messages, Direct Line and the SMS webhook: messages that
 * respondents in the middle of the survey type, and request bodies no client should send.
 * Every answer must be below 500, the process must live, every accepted message must be answered,
 * every line of the answer in the respondent's language, and nothing but log lines may come out.
 */

const SEED = 20261201;
const MESSAGES_PER_CHANNEL = 3000;
const BODIES_PER_CHANNEL = 334;
/** Respondents answering hostile messages at once, per channel. */
const LANES = 8;
/** A respondent takes this many hostile messages, then a fresh one takes over. */
const PER_RESPONDENT = 25;

// --- what respondents type ------------------------------------------------------------------------

const sqlAndMarkup = fc.constantFrom(
  `'; DROP TABLE "Answer"; --`,
  `1' OR '1'='1`,
  `" OR ""="`,
  `'); DELETE FROM "Response"; --`,
  `1 UNION SELECT key, data FROM "BotState" --`,
  `$1; SELECT pg_sleep(10); --`,
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  ']]></Message><Message>free SMS</Message>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  '&amp;&lt;&#0;&#x0;&nbsp;',
  '{{constructor.constructor("return process")()}}',
  '${process.exit(1)}',
  '__proto__',
  '{"__proto__": {"polluted": true}}',
  '%s%s%s%n%n',
  '../../../../etc/passwd',
  '\\u0000\\n\\r',
  'NaN',
  '-0',
  '1e309',
  '0x1F',
  '99999999999999999999999',
  '3,',
  ', , ,',
  '1,2,3,4,5,6,7,8,9,10,11,12',
  '1-7',
  '٣',
  '𝟙',
  '½',
);
const controls = fc.string({
  unit: fc
    .integer({ min: 0, max: 0x9f })
    .filter((c) => c < 0x20 || c >= 0x7f)
    .map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 12,
});
const bidi = fc.string({
  unit: fc.constantFrom(
    '\u202a',
    '\u202b',
    '\u202c',
    '\u202d',
    '\u202e',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
    '\u200e',
    '\u200f',
    '\u061c',
    '\u200b',
    '\u200c',
    '\u200d',
    '\ufeff',
  ),
  minLength: 1,
  maxLength: 8,
});
const emoji = fc.constantFrom('😀', '👨‍👩‍👧‍👦', '🇳🇴', '👍🏽', '🏳️‍🌈', '❤️', '🧑🏿‍🦱', '🫠', '\u{E0067}\u{E0062}');
const loneSurrogates = fc.constantFrom('\ud800', '\udfff', '\udbff\u0041', 'a\ud800b', '\udc00\ud800', '😀'.slice(0, 1));
const anyText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ maxLength: 30 }));
const mixed = fc
  .tuple(fc.array(fc.oneof(sqlAndMarkup, controls, bidi, emoji, loneSurrogates, anyText), { minLength: 1, maxLength: 6 }), fc.constantFrom('', ' ', '\n'))
  .map(([parts, separator]) => parts.join(separator));
/** Longer than any answer: up to beyond every channel's limit, in one- to four-byte characters. */
const huge = fc
  .tuple(fc.constantFrom('a', 'ø', 'ب', 'ሰ', '😀', '1 ', '<', "'", '\u202e', '9', ' ', '@.', 'Ring 912 34 567 '), fc.integer({ min: 1000, max: 70000 }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));
const hostileText = fc.oneof({ weight: 12, arbitrary: mixed }, { weight: 3, arbitrary: sqlAndMarkup }, { weight: 1, arbitrary: huge });

// --- what no client should send -----------------------------------------------------------------------

interface RawRequest {
  body: string | Uint8Array;
  contentType?: string;
  encoding?: string;
  kind: string;
}

const rawBody: fc.Arbitrary<RawRequest> = fc.oneof(
  fc
    .constantFrom(
      '',
      'not json',
      '{',
      '}',
      '[]',
      'null',
      'true',
      '"a string"',
      '12',
      '{"type":',
      '{"type":"message","text":',
      '\u0000',
      '{"type":"message","text":"\\ud800"}',
    )
    .map((body) => ({ body, kind: 'not JSON or not an object' })),
  fc.json({ maxDepth: 4 }).map((body) => ({ body, kind: 'random JSON' })),
  fc.integer({ min: 1000, max: 200000 }).map((n) => ({ body: `${'['.repeat(n)}${']'.repeat(n)}`, kind: 'deeply nested' })),
  fc.integer({ min: 1000, max: 20000 }).map((n) => ({ body: `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`, kind: 'deeply nested' })),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((body) => ({ body, kind: 'bytes, not UTF-8' })),
  fc.integer({ min: 300_000, max: 3_000_000 }).map((n) => ({ body: JSON.stringify({ type: 'message', text: 'x'.repeat(n) }), kind: 'oversized' })),
  fc
    .record({
      type: fc.oneof(fc.constant('message'), fc.string()),
      text: fc.anything(),
      locale: fc.anything(),
      channelData: fc.anything(),
      attachments: fc.anything(),
    })
    .map((o) => ({ body: JSON.stringify(o), kind: 'odd fields' })),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/json; charset=utf-16',
  'application/octet-stream',
  'image/png',
  ';;;',
  'text/html; charset=latin1',
);
const encoding = fc.constantFrom(undefined, undefined, undefined, undefined, 'gzip', 'deflate', 'br', 'x-unknown');
const hostileRequest: fc.Arbitrary<RawRequest> = fc.tuple(rawBody, contentType, encoding).map(([r, type, enc]) => ({ ...r, contentType: type, encoding: enc }));

/** Form bodies for the SMS webhook, signed correctly, with parameters of every wrong shape. */
const hostileForm = fc.oneof(
  fc.constantFrom(
    'Body=a&Body=b',
    'Body[]=x',
    'Body[a]=1&From=%2B4790000000&MessageSid=SMx',
    '__proto__[polluted]=1',
    'constructor[prototype][polluted]=1',
    'From=&Body=&MessageSid=',
    'MessageSid=' + 'S'.repeat(100),
    '%%%',
    '&&&=&==',
  ),
  fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 })), { maxLength: 30 }).map((pairs) => new URLSearchParams(pairs).toString()),
  fc.integer({ min: 100, max: 5000 }).map((n) => Array.from({ length: n }, (_, i) => `p${i}=${i}`).join('&')),
);

// --- the run --------------------------------------------------------------------------------------

type Channel = 'api' | 'directline' | 'sms';

interface Tally {
  sent: number;
  statuses: Map<number, number>;
  latencies: number[];
  slowest: { ms: number; channel: Channel; length: number };
  failures: string[];
  respondents: number;
}

const show = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…(${s.length})` : s);

/** One respondent per channel kind, brought past consent to the first question in `lng`. */
interface Respondent {
  lng: string;
  say(text: string): Promise<{ status: number; replies: string; locales: (string | undefined)[] }>;
  raw(r: RawRequest): Promise<Outcome>;
}

async function respondent(bot: FaultBot, channel: Channel, lng: string): Promise<Respondent> {
  const opening = [texts.meta(lng).endonym, '1'];
  if (channel === 'api') {
    const chat = new ApiChat(bot.url, undefined, { once: true });
    await chat.say('hei');
    for (const t of opening) await chat.say(t);
    return {
      lng,
      async say(text) {
        const r = await chat.say(text);
        return { status: r.status, replies: joined(r.replies), locales: r.replies.map((a: Reply) => a.locale) };
      },
      raw: (r) => post(`${bot.url}/api/messages`, r, {}),
    };
  }
  if (channel === 'directline') {
    const { chat } = await DirectLineChat.open(bot.url, lng, { once: true });
    for (const t of opening) await chat.say(t);
    chat.locale = lng;
    return {
      lng,
      async say(text) {
        const r = await chat.say(text);
        return { status: r.status, replies: joined(r.replies), locales: r.replies.map((a) => a.locale) };
      },
      raw: (r) => post(`${bot.url}/v3/directline/conversations/${chat.conversationId}/activities`, r, { authorization: `Bearer ${chat.token}` }),
    };
  }
  const phone = new SmsPhone({ url: bot.url } as TestServer, uniquePhoneNumber());
  await phone.send('hei');
  for (const t of opening) await phone.send(t);
  return {
    lng,
    async say(text) {
      const params = phone.params(text);
      const body = new URLSearchParams(params).toString();
      const res = await request(`${bot.url}/sms/twilio`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(body) },
        body,
      });
      if ('error' in res) throw res.error;
      return { status: res.status, replies: messagesOf(res.text).join('\n'), locales: [] };
    },
    raw: (r) =>
      post(
        `${bot.url}/sms/twilio`,
        r,
        typeof r.body === 'string' && r.contentType === 'application/x-www-form-urlencoded' ? { 'x-twilio-signature': sign(r.body) } : {},
      ),
  };
}

/** The signature Twilio would send for this form body, over the parameters as the server parses them (qs). */
function sign(form: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the parser restify reads the form with (no types of its own here)
  const qs = require('qs') as { parse(s: string): Record<string, unknown> };
  return twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/sms/twilio`, qs.parse(form));
}

function post(url: string, r: RawRequest, headers: Record<string, string>): Promise<Outcome> {
  return request(url, {
    method: 'POST',
    headers: { ...headers, ...(r.contentType ? { 'content-type': r.contentType } : {}), ...(r.encoding ? { 'content-encoding': r.encoding } : {}) },
    body: r.body,
  });
}

/** Ends of the road for a respondent: after these the next message starts another conversation. */
function ended(lng: string, reply: string): boolean {
  return [texts.s(lng, 'thanks.done'), texts.t(lng, 'bot:delete.done'), texts.t(lng, 'bot:language.menu'), texts.t(lng, 'bot:sms.stopped')].some((t) =>
    reply.includes(t),
  );
}

async function runChannel(bot: FaultBot, channel: Channel, messages: string[], bodies: RawRequest[], tally: Tally): Promise<void> {
  const queue = [...messages.map((m) => ({ m })), ...bodies.map((b) => ({ b }))];
  // Interleave bodies with messages, so a bad request meets a conversation in the middle.
  queue.sort((x, y) => hash(JSON.stringify(x)) - hash(JSON.stringify(y)));
  let next = 0;
  let lngIndex = 0;
  const lane = async () => {
    let r: Respondent | undefined;
    let used = 0;
    while (next < queue.length) {
      if (!bot.alive()) {
        tally.failures.push(`${channel}: the bot process exited (${JSON.stringify(await bot.exited)}); last lines: ${bot.lines.slice(-5).join(' | ')}`);
        return;
      }
      const item = queue[next++];
      if (!r || used >= PER_RESPONDENT) {
        r = await respondent(bot, channel, LANGUAGES[lngIndex++ % LANGUAGES.length]);
        tally.respondents++;
        used = 0;
      }
      used++;
      tally.sent++;
      const started = Date.now();
      if ('m' in item) {
        const res = await r.say(item.m).catch((err: Error) => ({ status: 0, replies: `network error ${err.message}`, locales: [] }));
        const ms = Date.now() - started;
        tally.latencies.push(ms);
        if (ms > tally.slowest.ms) tally.slowest = { ms, channel, length: item.m.length };
        tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
        if (res.status === 0 || res.status >= 500) tally.failures.push(`${channel} ${r.lng} ${res.status} for ${show(item.m)}: ${res.replies.slice(0, 120)}`);
        else if (res.status === 200) {
          if (!res.replies) tally.failures.push(`${channel} ${r.lng}: no reply to ${show(item.m)}`);
          for (const line of foreignLines(r.lng, res.replies)) tally.failures.push(`${channel} ${r.lng}: not ${r.lng} after ${show(item.m)}: ${show(line)}`);
          for (const l of res.locales) if (l !== undefined && l !== r.lng) tally.failures.push(`${channel} ${r.lng}: locale ${l} after ${show(item.m)}`);
          if (ended(r.lng, res.replies)) used = PER_RESPONDENT;
        } else if (res.status !== 400 && res.status !== 413) tally.failures.push(`${channel} ${r.lng}: ${res.status} for ${show(item.m)}`);
      } else {
        const res = await r.raw(item.b);
        tally.latencies.push(Date.now() - started);
        if ('error' in res) {
          tally.failures.push(`${channel}: network error for ${item.b.kind} (${item.b.contentType}, ${item.b.encoding}): ${res.error.message}`);
          continue;
        }
        tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500)
          tally.failures.push(`${channel}: ${res.status} for ${item.b.kind} (${item.b.contentType}, ${item.b.encoding}): ${res.text.slice(0, 120)}`);
        if (/at .*\.(js|ts):\d+/.test(res.text)) tally.failures.push(`${channel}: a stack trace answered ${item.b.kind}`);
        // A body that got through as a message is a turn like any other: answered in the language.
        if (res.status === 200 && channel === 'api') {
          const replies = joined((res.body?.activities ?? []) as Reply[]);
          for (const line of foreignLines(r.lng, replies)) tally.failures.push(`${channel} ${r.lng}: not ${r.lng} after a raw ${item.b.kind}: ${show(line)}`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i += Math.max(1, Math.floor(s.length / 64))) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

let bot: FaultBot;
beforeAll(async () => {
  bot = await spawnBot({
    DATA_DIR: tempDir('faults-hostile-'),
    SURVEY_SECRET: TEST_SECRET,
    ...SMS_ENV,
    DIRECTLINE_TOKENS_PER_MINUTE: '0',
    DIRECTLINE_CONVERSATIONS_PER_MINUTE: '0',
  });
});
afterAll(() => bot?.stop());

test('the language check is not vacuous: a line in another language, or any text not from the locales, is caught', () => {
  expect(foreignLines('pl', texts.t('pl', 'bot:error.sorry'))).toEqual([]);
  expect(foreignLines('pl', texts.t('nb', 'bot:error.sorry'))).toHaveLength(1);
  expect(foreignLines('ar', texts.t('en', 'bot:reprompt.too_long'))).toHaveLength(1);
  expect(foreignLines('nb', `${texts.t('nb', 'bot:reprompt.no_match')}\nSQLITE_BUSY: database is locked`)).toEqual(['SQLITE_BUSY: database is locked']);
});

test('a body that says it is gzip and is not gets 415, on every route, and the process lives (it used to crash)', async () => {
  for (const path of ['/api/messages', '/v3/directline/tokens/generate', '/sms/twilio']) {
    const res = await request(`${bot.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: 'not gzip',
    });
    expect('error' in res ? res.error.message : res.status).toBe(415);
  }
  // A real gzip body is refused too: the size limit would only see it compressed.
  const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024));
  const res = await request(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: bomb,
  });
  expect('error' in res ? res.error.message : res.status).toBe(415);
  expect(bot.alive()).toBe(true);
});

test(`${3 * (MESSAGES_PER_CHANNEL + BODIES_PER_CHANNEL)} hostile inputs on three channels: no crash, no 5xx, every message answered in the respondent's language`, async () => {
  const channels: Channel[] = ['api', 'directline', 'sms'];
  const tallies = new Map<Channel, Tally>();
  const started = Date.now();
  await Promise.all(
    channels.map((channel, i) => {
      const tally: Tally = { sent: 0, statuses: new Map(), latencies: [], slowest: { ms: 0, channel, length: 0 }, failures: [], respondents: 0 };
      tallies.set(channel, tally);
      const messages = fc.sample(hostileText, { numRuns: MESSAGES_PER_CHANNEL, seed: SEED + i });
      const bodies =
        channel === 'sms'
          ? fc.sample(
              fc.oneof(
                hostileRequest,
                hostileForm.map((body) => ({ body, contentType: 'application/x-www-form-urlencoded', kind: 'signed form' })),
              ),
              { numRuns: BODIES_PER_CHANNEL, seed: SEED + 10 + i },
            )
          : fc.sample(hostileRequest, { numRuns: BODIES_PER_CHANNEL, seed: SEED + 10 + i });
      return runChannel(bot, channel, messages, bodies, tally);
    }),
  );
  const wallMs = Date.now() - started;
  const all = [...tallies.values()];
  const failures = all.flatMap((t) => t.failures);
  const latencies = all.flatMap((t) => t.latencies);
  report('hostile-input', {
    seed: SEED,
    inputsSent: all.reduce((s, t) => s + t.sent, 0),
    perChannel: Object.fromEntries([...tallies].map(([c, t]) => [c, { sent: t.sent, respondents: t.respondents, statuses: histogram(t.statuses) }])),
    wallSeconds: seconds(wallMs),
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) },
    slowest: all.map((t) => t.slowest).sort((a, b) => b.ms - a.ms)[0],
    failures: failures.length,
    processAlive: bot.alive(),
    nonLogLines: notLogLines(bot.lines).length,
  });
  expect({ count: failures.length, first: failures.slice(0, 25) }).toEqual({ count: 0, first: [] });
  expect(all.reduce((s, t) => s + t.sent, 0)).toBeGreaterThanOrEqual(10000);
  expect(bot.alive()).toBe(true);
  expect(notLogLines(bot.lines)).toEqual([]);
  // The process is still itself: a fresh respondent gets through a question.
  const r = await respondent(bot, 'api', 'nb');
  expect((await r.say('1')).status).toBe(200);
}, 480000);

import crypto from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
import { TEST_SECRET, texts } from '../helpers/harness';
import { rowCounts } from '../helpers/db';
import { call, startTestServer, TestServer } from '../helpers/http';
import { Activity, textOf } from './directLineClient';

/**
 * The light chat page over HTTP (the browser test is tests/browser/litePage.test.ts): what it
 * weighs as served, that the greeting is in the HTML, what rendering it stores, and when it opens
 * no conversation at all.
 */
const DL = '/v3/directline';
/** The budget for the whole light page, as served (issue #21 item 5). */
const LIGHT_BUDGET_BYTES = 30_000;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SURVEY_SECRET: TEST_SECRET, DIRECTLINE_TOKENS_PER_MINUTE: '0', DIRECTLINE_CONVERSATIONS_PER_MINUTE: '0' });
});
afterAll(() => server.close());

/** A raw GET (node:http, not fetch, which would decompress and hide Content-Encoding). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

interface LiteConfig {
  locale: string;
  greet?: string;
  survey?: string;
  lang?: string;
  locales: Record<string, string>[];
  conversation?: { conversationId: string; token: string; watermark: string };
}

function configOf(html: string): LiteConfig {
  const json = /<script id="survey-config" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1];
  expect(json).not.toContain('<');
  return JSON.parse(json) as LiteConfig;
}

/** The messages the page shows before any script runs. */
function botMessages(html: string): string[] {
  return [...html.matchAll(/<li class="msg bot">([^<]*)<\/li>/g)].map((m) => m[1].replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

describe('GET / (the light page)', () => {
  test('is served compressed, never cached, under a policy that allows nothing but this server and its own inline style', async () => {
    for (const [encoding, decode] of [
      ['br', zlib.brotliDecompressSync],
      ['gzip', zlib.gunzipSync],
    ] as const) {
      const res = await get(`${server.url}/`, { 'accept-encoding': encoding, 'accept-language': 'nb' });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['set-cookie']).toBeUndefined();
      const html = decode(res.body).toString('utf8');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*|nonce/);
      // The one inline style is allowed by its hash, and nothing else inline is.
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
      expect(csp).toContain(`style-src 'sha256-${crypto.createHash('sha256').update(style).digest('base64')}'`);
      expect(html).not.toMatch(/\sstyle=|<script>/);
      const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(urls).toEqual([expect.stringMatching(/^\/assets\/lite\.js\?v=[\w-]{12}$/)]);
    }
    expect((await get(`${server.url}/`)).headers['content-encoding']).toBeUndefined();
  });

  test('has the greeting in its HTML, in the browser language, with a token for that conversation', async () => {
    const html = (await get(`${server.url}/`, { 'accept-language': 'ar,en;q=0.5' })).body.toString('utf8');
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain(`<title>${escapeHtml(texts.t('ar', 'bot:web.title'))}</title>`);
    const shown = botMessages(html).join('\n');
    expect(shown).toContain(texts.greeting('ar'));
    expect(shown).toContain(texts.t('ar', 'bot:language.confirm', { endonym: texts.meta('ar').endonym }));
    // The confirmation's buttons, waiting for the script to enable them.
    expect(html).toContain(`data-value="${escapeHtml(texts.t('ar', 'bot:language.confirm_yes'))}" disabled>`);
    const { conversation, locale, greet } = configOf(html);
    expect({ locale, greet }).toEqual({ locale: 'ar', greet: 'ar' });
    // The token is the conversation's: a poll from the page's watermark finds nothing new, and the
    // conversation goes on from the greeting.
    const polled = await call(
      'GET',
      `${server.url}${DL}/conversations/${conversation!.conversationId}/activities?watermark=${conversation!.watermark}`,
      conversation!.token,
    );
    expect(polled.status).toBe(200);
    expect(polled.body.activities).toEqual([]);
    const posted = await call('POST', `${server.url}${DL}/conversations/${conversation!.conversationId}/activities`, conversation!.token, {
      type: 'message',
      text: texts.t('ar', 'bot:language.confirm_yes'),
      locale: 'ar',
    });
    expect(posted.status).toBe(200);
    const next = await call(
      'GET',
      `${server.url}${DL}/conversations/${conversation!.conversationId}/activities?watermark=${conversation!.watermark}`,
      conversation!.token,
    );
    expect(textOf((next.body.activities as Activity[]).filter((a) => a.from?.role === 'bot'))).toContain(texts.s('ar', 'consent.ask'));
  });

  test('a post that names its watermark is answered with what followed it; without one, with its id alone, as Direct Line', async () => {
    const { conversation } = configOf((await get(`${server.url}/`, { 'accept-language': 'nb' })).body.toString('utf8'));
    const { conversationId, token, watermark } = conversation!;
    const url = `${server.url}${DL}/conversations/${conversationId}/activities`;
    const yes = texts.t('nb', 'bot:language.confirm_yes');
    const posted = await call('POST', `${url}?watermark=${watermark}`, token, { type: 'message', text: yes, channelData: { clientActivityID: 'c1' } });
    expect(posted.status).toBe(200);
    const served = posted.body.activities as Activity[];
    expect(served[0]).toMatchObject({ from: { role: 'user' }, text: yes, channelData: { clientActivityID: 'c1' } });
    expect(textOf(served.filter((a) => a.from?.role === 'bot'))).toContain(texts.s('nb', 'consent.ask'));
    expect(Number(posted.body.watermark)).toBeGreaterThan(Number(watermark));
    // What the post brought is what a poll from the same watermark finds.
    const polled = await call('GET', `${url}?watermark=${watermark}`, token);
    expect(polled.body).toEqual({ activities: posted.body.activities, watermark: posted.body.watermark });
    const plain = await call('POST', url, token, { type: 'message', text: 'ja' });
    expect(Object.keys(plain.body)).toEqual(['id']);
    expect((await call('POST', `${url}?watermark=x1`, token, { type: 'message', text: 'ja' })).status).toBe(400);
  });

  test('a browser language the survey does not have gets the language menu, on a page in the default language', async () => {
    const html = (await get(`${server.url}/`, { 'accept-language': 'de-DE' })).body.toString('utf8');
    expect(html).toContain('<html lang="nb" dir="ltr">');
    expect(configOf(html).greet).toBeUndefined();
    expect(botMessages(html).join('\n')).toContain(texts.t('nb', 'bot:language.menu'));
  });

  test('carries every language’s texts for the script, the new ones included', async () => {
    const { locales } = configOf((await get(`${server.url}/`)).body.toString('utf8'));
    expect(locales.map((l) => l.tag)).toEqual(texts.locales.list.map((l) => l.tag));
    for (const l of locales)
      for (const key of ['title', 'privacy', 'placeholder', 'send', 'sendFailed', 'connecting', 'unreachable', 'expired', 'restart']) {
        expect(texts.fallsBack(l.tag, 'bot', `web.${key}`)).toBe(false);
        expect(l[key]).toBe(texts.t(l.tag, `bot:web.${key}`));
      }
  });

  test('rendering it stores what POST conversations stores (a state and the greeting, which expire) and no response', async () => {
    const tables = ['Response', 'BotState', 'OutboxEntry'];
    const before = rowCounts(server.dataDir, tables);
    await get(`${server.url}/`, { 'accept-language': 'nb' });
    const after = rowCounts(server.dataDir, tables);
    expect(after.Response).toBe(before.Response);
    expect(after.BotState).toBe(before.BotState + 1);
    expect(after.OutboxEntry).toBeGreaterThan(before.OutboxEntry);
    expect(await server.bot.store.listResponses()).toHaveLength(before.Response);
  });

  test('a prefetch opens no conversation: the script opens one if the page is shown', async () => {
    const tables = ['BotState', 'OutboxEntry'];
    const before = rowCounts(server.dataDir, tables);
    const prefetches: Record<string, string>[] = [{ 'sec-purpose': 'prefetch' }, { purpose: 'prefetch' }, { 'sec-purpose': 'prefetch;prerender' }];
    for (const headers of prefetches) {
      const html = (await get(`${server.url}/`, { ...headers, 'accept-language': 'nb' })).body.toString('utf8');
      expect(configOf(html).conversation).toBeUndefined();
      expect(botMessages(html)).toEqual([]);
      expect(html).toContain(`<p id="status" class="status" role="status">${escapeHtml(texts.t('nb', 'bot:web.connecting'))}</p>`);
    }
    expect(rowCounts(server.dataDir, tables)).toEqual(before);
  });

  test("a start link's survey and language reach the greeting", async () => {
    const html = (await get(`${server.url}/s/resident-participation?lang=so`, { 'accept-language': 'en' })).body.toString('utf8');
    const config = configOf(html);
    expect(config).toMatchObject({ survey: 'resident-participation', lang: 'so', locale: 'so', greet: 'so' });
    const claims = JSON.parse(Buffer.from(config.conversation!.token.split('.')[1], 'base64url').toString('utf8'));
    expect(claims.survey).toBe('resident-participation');
    expect(botMessages(html).join('\n')).toContain(texts.t('so', 'bot:language.confirm', { endonym: texts.meta('so').endonym }));
  });

  test('?ui=webchat still serves the Web Chat page', async () => {
    const html = (await get(`${server.url}/s/resident-participation?lang=so&ui=webchat`)).body.toString('utf8');
    expect(html).toContain('/assets/webchat.js?v=');
    expect(html).not.toContain('/assets/lite.js');
  });

  test('page and script together stay within the budget, as served with Brotli', async () => {
    const page = await get(`${server.url}/`, { 'accept-encoding': 'br', 'accept-language': 'nb' });
    const src = /src="([^"]+)"/.exec(zlib.brotliDecompressSync(page.body).toString('utf8'))![1];
    const script = await get(`${server.url}${src}`, { 'accept-encoding': 'br' });
    expect(script.status).toBe(200);
    expect(script.headers['content-encoding']).toBe('br');
    expect(script.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(page.body.length + script.body.length).toBeLessThan(LIGHT_BUDGET_BYTES);
  });
});

describe('the light page over its per-address limit', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ DIRECTLINE_TOKENS_PER_MINUTE: '100', DIRECTLINE_CONVERSATIONS_PER_MINUTE: '1' });
  });
  afterAll(() => limited.close());

  test('renders without a conversation, and the browser is refused as it would be', async () => {
    expect(configOf((await get(`${limited.url}/`)).body.toString('utf8')).conversation).toBeDefined();
    const html = (await get(`${limited.url}/`)).body.toString('utf8');
    expect(configOf(html).conversation).toBeUndefined();
    const generated = await call('POST', `${limited.url}${DL}/tokens/generate`);
    expect((await call('POST', `${limited.url}${DL}/conversations`, generated.body.token, {})).status).toBe(429);
  });
});

import fs from 'node:fs';
import http from 'node:http';
import zlib from 'node:zlib';
import { fromAcceptLanguage, WEBCHAT_BUNDLE } from '../../src/channels/web/webPage';
import { texts } from '../helpers/harness';
import { startTestServer, TestServer } from '../helpers/http';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A raw GET (node:http, not fetch, which would decompress and hide Content-Encoding). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

interface PageConfig {
  defaultLocale: string;
  directLine: string;
  nonce: string;
  locales: { tag: string; dir: string; endonym: string; title: string; privacy: string; webchat: Record<string, string> }[];
}

function configOf(html: string): PageConfig {
  const json = /<script id="survey-config" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1];
  // Nothing in it can end the script element early, whatever a translation contains.
  expect(json).not.toContain('<');
  return JSON.parse(json) as PageConfig;
}

/** The Web Chat page; `/` itself serves the light page (tests/channels/litePage.test.ts). */
const WEBCHAT = '/?ui=webchat';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

describe('GET /?ui=webchat', () => {
  test('serves the page under a strict Content-Security-Policy, without cookies or caching', async () => {
    const res = await get(WEBCHAT, { 'accept-language': 'nb-NO,nb;q=0.9,en;q=0.5' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    // The style nonce is the page's own and new on every response.
    const html = res.body.toString('utf8');
    const { nonce } = configOf(html);
    expect(csp).toContain(`'nonce-${nonce}'`);
    expect(configOf((await get(WEBCHAT)).body.toString('utf8')).nonce).not.toBe(nonce);
    // Everything the page loads comes from this server.
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) expect(url).toMatch(/^\/assets\//);
  });

  test('every text on the page comes from locales/, in every language, with its direction', async () => {
    const html = (await get(WEBCHAT, { 'accept-language': 'nb' })).body.toString('utf8');
    expect(html).toContain('<html lang="nb" dir="ltr">');
    expect(html).toContain(`<title>${escapeHtml(texts.t('nb', 'bot:web.title'))}</title>`);
    expect(html).toContain(escapeHtml(texts.t('nb', 'bot:web.privacy')));
    expect(html).toContain(escapeHtml(texts.t('nb', 'bot:web.noscript')));
    const config = configOf(html);
    expect(config.defaultLocale).toBe(texts.defaultLocale);
    expect(config.directLine).toBe('/v3/directline');
    expect(config.locales.map((l) => l.tag)).toEqual(texts.locales.list.map((l) => l.tag));
    for (const l of config.locales) {
      expect(l).toMatchObject({
        dir: texts.meta(l.tag).dir,
        endonym: texts.meta(l.tag).endonym,
        title: texts.t(l.tag, 'bot:web.title'),
        privacy: texts.t(l.tag, 'bot:web.privacy'),
      });
      // Web Chat's own UI strings are replaced only where the locale has its own translation.
      const own = ['web.placeholder', 'web.send', 'web.sendFailed'].filter((k) => !texts.fallsBack(l.tag, 'bot', k));
      expect(Object.values(l.webchat).sort()).toEqual(own.map((k) => texts.t(l.tag, `bot:${k}`)).sort());
      // The send-failed line is Markdown whose [RETRY] reference Web Chat turns into its retry link.
      expect(l.webchat.ACTIVITY_STATUS_SEND_FAILED_RETRY).toMatch(/^[^[\]]+\[[^[\]]+\]\[RETRY\][^[\]]*$/);
    }
  });

  test.each([
    ['ar', 'ar', 'rtl'],
    ['fa-IR,en;q=0.3', 'fa', 'rtl'],
    ['de-DE, pl;q=0.5, en;q=0.4', 'pl', 'ltr'],
    ['no', 'nb', 'ltr'],
    ['xx-YY', 'nb', 'ltr'],
  ])('Accept-Language %s renders the page first in %s (%s)', async (header, lng, dir) => {
    const html = (await get(WEBCHAT, { 'accept-language': header })).body.toString('utf8');
    expect(html).toContain(`<html lang="${lng}" dir="${dir}">`);
  });
});

describe('fromAcceptLanguage', () => {
  const supported = texts.locales.list.map((l) => l.tag);
  test.each([
    [undefined, 'nb'],
    ['', 'nb'],
    ['*', 'nb'],
    ['en;q=0.5, so;q=0.9', 'so'],
    ['ti;q=0, uk', 'uk'],
    ['nb-NO;q=abc, ru', 'ru'],
    ['nob', 'nb'],
  ])('%s → %s', (header, expected) => {
    expect(fromAcceptLanguage(header, supported, 'nb')).toBe(expected);
  });
});

describe('assets', () => {
  const original = fs.readFileSync(WEBCHAT_BUNDLE);

  test.each([
    ['br', (b: Buffer) => zlib.brotliDecompressSync(b)],
    ['gzip', (b: Buffer) => zlib.gunzipSync(b)],
    ['identity', (b: Buffer) => b],
  ])('Web Chat comes from node_modules, %s-encoded, cacheable', async (encoding, decode) => {
    const res = await get('/assets/webchat.js', { 'accept-encoding': encoding });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['content-encoding']).toBe(encoding === 'identity' ? undefined : encoding);
    expect(decode(res.body).equals(original)).toBe(true);
    if (encoding !== 'identity') expect(res.body.length).toBeLessThan(original.length / 3);
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  test('a browser that has the file gets 304', async () => {
    const first = await get('/assets/page.js');
    const again = await get('/assets/page.js', { 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  test('the page refers to the assets by content hash, so a new version is fetched', async () => {
    const html = (await get(WEBCHAT)).body.toString('utf8');
    const etag = String((await get('/assets/webchat.js')).headers.etag).replace(/"/g, '');
    expect(html).toContain(`/assets/webchat.js?v=${etag}`);
  });
});

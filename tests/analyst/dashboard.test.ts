import fs from 'node:fs';
import path from 'node:path';
import { CHART_BUNDLE, DASHBOARD_ASSETS_DIR } from '../../src/analyst/dashboard';
import { AnalystServer, request, startAnalystServer } from './helpers';

/** The dashboard page as served, without a browser (tests/browser/dashboard.test.ts has one). */
describe('GET /analyst', () => {
  let s: AnalystServer;
  beforeAll(async () => {
    s = await startAnalystServer({ responses: 5 });
  });
  afterAll(() => s.close());

  test('sends a strict Content-Security-Policy, no caching, no referrer and no framing', async () => {
    const r = await request(`${s.url}/analyst`, { headers: { 'accept-language': 'en-GB,en;q=0.8' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.text).toContain('<html lang="en">');
    expect(r.text).toContain('<title>Housing help survey — analyst dashboard</title>');
  });

  test('holds no inline script or style, only a JSON data block, and no data from the responses', async () => {
    const html = (await request(`${s.url}/analyst`)).text;
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.every((a) => /\bsrc="\/analyst\/assets\/[\w.]+\?v=[\w-]{12}"/.test(a) || /type="application\/json"/.test(a))).toBe(true);
    expect(html).not.toMatch(/<style|style="|\bon[a-z]+="/i);
    expect(html).not.toMatch(/"responses"|"helpReceived"/);
    const config = JSON.parse(/<script id="dashboard-config" type="application\/json">(.*?)<\/script>/s.exec(html)![1]);
    expect(Object.keys(config.texts)).toEqual(['nb', 'en']);
    expect(config.dimensions).toEqual(['language', 'background', 'situation', 'channel', 'source']);
  });

  test('serves Chart.js from the project, and its own script and styles, hash-versioned and cacheable', async () => {
    const html = (await request(`${s.url}/analyst`)).text;
    for (const [name, file, type] of [
      ['chart.js', CHART_BUNDLE, 'application/javascript; charset=utf-8'],
      ['dashboard.js', path.join(DASHBOARD_ASSETS_DIR, 'dashboard.js'), 'application/javascript; charset=utf-8'],
      ['dashboard.css', path.join(DASHBOARD_ASSETS_DIR, 'dashboard.css'), 'text/css; charset=utf-8'],
    ]) {
      expect(html).toMatch(new RegExp(`/analyst/assets/${name.replace('.', '\\.')}\\?v=[\\w-]{12}`));
      const r = await request(`${s.url}/analyst/assets/${name}`);
      expect({ name, status: r.status, type: r.headers.get('content-type') }).toEqual({ name, status: 200, type });
      expect(r.headers.get('cache-control')).toBe('public, max-age=604800');
      expect(r.bytes.equals(fs.readFileSync(file))).toBe(true);
    }
  });

  test('builds its page without innerHTML, eval or inline styles, so the CSP never has to give way', () => {
    const js = fs.readFileSync(path.join(DASHBOARD_ASSETS_DIR, 'dashboard.js'), 'utf8');
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\('style'|\.style\s*=/);
    expect(js).not.toMatch(/localStorage/);
  });
});

import Database from 'better-sqlite3';
import { FailedLoginLimiter, hourOf, issueToken, sessionCookie, TokenVerifier } from '../../src/analyst/auth';
import { clientKey } from '../../src/clientAddress';
import { AnalystService } from '../../src/analyst/analystService';
import { createAnalystStore } from '../../src/store/createAnalystStore';
import { AnalystServer, request, startAnalystServer } from './helpers';

/**
 * Who may use the analyst API: tokens, roles, the session cookie and its CSRF check, failed-login
 * limits, and the audit log, through the real routes on a real SQLite file.
 */
describe('the analyst API', () => {
  let s: AnalystServer;
  let analyst: string;
  let admin: string;
  beforeAll(async () => {
    s = await startAnalystServer({ responses: 400 });
    analyst = await s.token('bergen-analyst');
    admin = await s.token('ops-admin', 'admin');
  });
  afterAll(() => s.close());

  const api = (path: string) => `${s.url}/api/analyst${path}`;
  const auditRows = async () => (await s.analysts.readAudit({ limit: 1000 })).reverse();

  test('answers 401 with a Bearer challenge to a request without a token, and audits nothing', async () => {
    const before = (await auditRows()).length;
    for (const path of ['/analysis?by=language', '/export?format=csv', '/codebook', '/tokens', '/audit', '/session']) {
      const r = await request(api(path));
      expect({ path, status: r.status, error: r.body.error }).toEqual({ path, status: 401, error: 'unauthorized' });
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="analyst"');
    }
    expect((await auditRows()).length).toBe(before);
  });

  test('answers 401 to a malformed token, an unknown one and a known id with a wrong secret', async () => {
    const [, id] = /^sba_(.{12})\./.exec(analyst)!;
    const wrongSecret = `sba_${id}.${'A'.repeat(43)}`;
    for (const token of ['not-a-token', `sba_${'Z'.repeat(12)}.${'A'.repeat(43)}`, wrongSecret]) {
      const r = await request(api('/analysis?by=language'), { token });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: 'invalid_token', message: expect.any(String) });
    }
    // Only the known id has a name to put in the audit log.
    expect((await auditRows()).slice(-1)[0]).toMatchObject({
      tokenName: 'bergen-analyst',
      action: 'GET /api/analyst/analysis',
      outcome: 'denied',
      filters: {},
    });
  });

  test('stops a revoked token at once, also one it has just verified', async () => {
    const token = await s.token('short-lived');
    expect((await request(api('/session'), { token })).status).toBe(200);
    await s.analysts.revokeToken('short-lived', new Date());
    const r = await request(api('/session'), { token });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_token');
    expect((await auditRows()).slice(-1)[0]).toMatchObject({ tokenName: 'short-lived', outcome: 'denied' });
  });

  test('answers 403 to an analyst on the admin routes, and audits it', async () => {
    for (const [method, path] of [
      ['GET', '/tokens'],
      ['POST', '/tokens'],
      ['DELETE', '/tokens/ops-admin'],
      ['GET', '/audit'],
    ]) {
      const r = await request(api(path), { method, token: analyst, body: method === 'POST' ? { name: 'x', role: 'admin' } : undefined });
      expect({ path, method, status: r.status, error: r.body.error }).toEqual({ path, method, status: 403, error: 'forbidden' });
    }
    expect((await auditRows()).slice(-1)[0]).toMatchObject({ tokenName: 'bergen-analyst', action: 'GET /api/analyst/audit', outcome: 'forbidden' });
    expect((await s.analysts.listTokens()).map((t) => t.name)).not.toContain('x');
  });

  test('lets an admin add a token that works at once, list tokens without secrets, and revoke one', async () => {
    const added = await request(api('/tokens'), { method: 'POST', token: admin, body: { name: 'oslo-analyst', role: 'analyst' } });
    expect(added.status).toBe(201);
    expect(added.headers.get('cache-control')).toBe('no-store');
    expect(added.body).toMatchObject({ name: 'oslo-analyst', role: 'analyst', token: expect.stringMatching(/^sba_/), revokedAt: null });
    expect((await request(api('/session'), { token: added.body.token })).body).toEqual({ name: 'oslo-analyst', role: 'analyst' });

    const list = await request(api('/tokens'), { token: admin });
    expect(list.body.tokens.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['bergen-analyst', 'ops-admin', 'oslo-analyst']));
    expect(list.text).not.toContain(added.body.token.split('.')[1]);
    expect(list.text).not.toMatch(/scrypt|salt|hash/);

    expect((await request(api('/tokens'), { method: 'POST', token: admin, body: { name: 'oslo-analyst' } })).status).toBe(409);
    expect((await request(api('/tokens'), { method: 'POST', token: admin, body: { name: 'has space' } })).body.error).toBe('bad_name');
    expect((await request(api('/tokens'), { method: 'POST', token: admin, body: { name: 'x2', role: 'root' } })).body.error).toBe('bad_role');
    expect((await request(api('/tokens'), { method: 'POST', token: admin, raw: '[1]' })).body.error).toBe('bad_body');

    const revoked = await request(api('/tokens/oslo-analyst'), { method: 'DELETE', token: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.stringMatching(/T\d\d:00:00\.000Z$/));
    expect((await request(api('/session'), { token: added.body.token })).status).toBe(401);
    expect((await request(api('/tokens/oslo-analyst'), { method: 'DELETE', token: admin })).status).toBe(404);
  });

  test('refuses to revoke the last active admin token over HTTP', async () => {
    const r = await request(api('/tokens/ops-admin'), { method: 'DELETE', token: admin });
    expect(r.status).toBe(409);
    expect(r.body.error).toBe('last_admin');
    expect((await request(api('/session'), { token: admin })).status).toBe(200);
  });

  test('stores a token only as a salted scrypt hash, found by its public id', async () => {
    const db = new Database(s.file, { readonly: true });
    const rows = db.prepare('SELECT * FROM "AnalystToken"').all() as Record<string, string>[];
    db.close();
    const [, id, secret] = /^sba_(.{12})\.(.+)$/.exec(analyst)!;
    const row = rows.find((r) => r.id === id)!;
    expect(row).toMatchObject({ name: 'bergen-analyst', role: 'analyst', hash: expect.stringMatching(/^scrypt\$32768\$8\$1\$/) });
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(new Set(rows.map((r) => r.salt)).size).toBe(rows.length);
  });

  test('writes one audit row per request: the token name, the route, the parameters and the hour, never the data', async () => {
    const before = (await auditRows()).length;
    const analysis = await request(api('/analysis?by=background&area=rent_arrears'), { token: analyst });
    expect(analysis.status).toBe(200);
    const csv = await request(api('/export?format=csv&status=all&labels=en'), { token: analyst });
    expect(csv.status).toBe(200);
    await request(api('/codebook?format=csv&lang=nb'), { token: analyst });
    await request(api('/analysis?by=shoe_size'), { token: analyst });
    const rows = (await auditRows()).slice(before);
    expect(rows.map(({ tokenName, action, filters, outcome }) => ({ tokenName, action, filters, outcome }))).toEqual([
      { tokenName: 'bergen-analyst', action: 'GET /api/analyst/analysis', filters: { by: 'background', area: 'rent_arrears' }, outcome: 'ok' },
      { tokenName: 'bergen-analyst', action: 'GET /api/analyst/export', filters: { format: 'csv', status: 'all', labels: 'en' }, outcome: 'ok' },
      { tokenName: 'bergen-analyst', action: 'GET /api/analyst/codebook', filters: { format: 'csv', lang: 'nb' }, outcome: 'ok' },
      { tokenName: 'bergen-analyst', action: 'GET /api/analyst/analysis', filters: { by: 'shoe_size' }, outcome: 'bad_request' },
    ]);
    for (const r of rows) expect(r.hour).toEqual(hourOf(r.hour));
    // The table itself: exactly these columns, and nothing from the responses in them.
    const db = new Database(s.file, { readonly: true });
    const stored = db.prepare('SELECT * FROM "AnalystAudit" ORDER BY "seq" DESC LIMIT 4').all() as Record<string, unknown>[];
    db.close();
    for (const row of stored) {
      expect(Object.keys(row).sort()).toEqual(['action', 'filters', 'hour', 'outcome', 'seq', 'tokenName']);
      expect(String(row.hour)).toMatch(/T\d\d:00:00\.000\+00:00$/);
    }
    const text = JSON.stringify(stored);
    const firstRecord = csv.text.split('\r\n')[1];
    expect(text).not.toContain(firstRecord);
    expect(text).not.toMatch(/"responses"|"n":|born_abroad|rent_private/);
    expect(text).not.toContain(String(analysis.body.responses));
  });

  test('lets an admin read the audit log newest first, in pages', async () => {
    await request(api('/analysis?by=shoe_size'), { token: analyst });
    const first = await request(api('/audit?limit=2'), { token: admin });
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.entries[0]).toEqual({
      seq: expect.any(Number),
      hour: expect.stringMatching(/:00:00\.000Z$/),
      token: 'bergen-analyst',
      action: 'GET /api/analyst/analysis',
      filters: { by: 'shoe_size' },
      outcome: 'bad_request',
    });
    const next = await request(api(`/audit?limit=2&before=${first.body.next}`), { token: admin });
    expect(next.body.entries[0].seq).toBeLessThan(first.body.entries[1].seq);
    // Reading the log is in the log too.
    expect(next.body.entries.length).toBe(2);
    expect((await request(api('/audit?limit=1'), { token: admin })).body.entries[0]).toMatchObject({
      token: 'ops-admin',
      action: 'GET /api/analyst/audit',
      filters: { limit: '2', before: String(first.body.next) },
    });
    expect((await request(api('/audit?limit=0'), { token: admin })).status).toBe(400);
  });

  test('logs event names and reasons only: never a token, a name or an address', async () => {
    const text = s.logLines.join('\n');
    expect(text).toMatch(/analyst_auth_failed/);
    expect(text).not.toContain(analyst);
    expect(text).not.toContain(analyst.split('.')[1]);
    expect(text).not.toMatch(/bergen-analyst|ops-admin|127\.0\.0\.1/);
  });
});

describe('the dashboard session cookie', () => {
  let s: AnalystServer;
  let admin: string;
  beforeAll(async () => {
    s = await startAnalystServer({ responses: 100 });
    admin = await s.token('cookie-admin', 'admin');
  });
  afterAll(() => s.close());
  const api = (path: string) => `${s.url}/api/analyst${path}`;

  async function login(): Promise<string> {
    const r = await request(api('/session'), { method: 'POST', token: admin });
    expect(r.status).toBe(200);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toBe(`analyst_token=${admin}; Path=/api/analyst; HttpOnly; SameSite=Strict; Max-Age=28800`);
    return cookie.split(';')[0];
  }

  test('is set by logging in with the token in the Authorization header, and then stands in for it', async () => {
    const cookie = await login();
    expect((await request(api('/session'), { headers: { cookie } })).body).toEqual({ name: 'cookie-admin', role: 'admin' });
    expect((await request(api('/analysis?by=channel'), { headers: { cookie } })).status).toBe(200);
  });

  test('needs this server as Origin for anything that changes state', async () => {
    const cookie = await login();
    const add = (headers: Record<string, string>) =>
      request(api('/tokens'), { method: 'POST', headers: { cookie, ...headers }, body: { name: `n${Math.random().toString(36).slice(2, 8)}` } });
    expect((await add({})).body.error).toBe('cross_origin');
    expect((await add({ origin: 'https://evil.example' })).body.error).toBe('cross_origin');
    expect((await add({ origin: 'null' })).status).toBe(403);
    expect((await add({ origin: `http://${s.origin}` })).status).toBe(201);
    // With the token in a header there is no ambient credential to forge.
    expect((await request(api('/tokens'), { method: 'POST', token: admin, body: { name: 'via-header' } })).status).toBe(201);
  });

  test('is cleared by logging out, and a cookie that no longer works is cleared too', async () => {
    const cookie = await login();
    const out = await request(api('/session'), { method: 'DELETE', headers: { cookie, origin: `http://${s.origin}` } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toBe('analyst_token=; Path=/api/analyst; HttpOnly; SameSite=Strict; Max-Age=0');
    const stale = await request(api('/session'), { headers: { cookie: 'analyst_token=sba_AAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' } });
    expect(stale.status).toBe(401);
    expect(stale.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  test('is Secure when the public URL is https', () => {
    expect(sessionCookie('sba_x', true)).toMatch(/; Secure$/);
    expect(sessionCookie('sba_x', false)).not.toMatch(/Secure/);
  });
});

describe('failed logins', () => {
  test('are limited per address: 429 with Retry-After, also for a valid token from there, then free again', async () => {
    const s = await startAnalystServer({ responses: 50, limits: { failedLogins: 3, failedLoginWindowSeconds: 600, blockSeconds: 600 } });
    try {
      const good = await s.token('patient');
      const api = `${s.url}/api/analyst/session`;
      for (let i = 0; i < 3; i++) expect((await request(api, { token: `sba_guess${i}` })).status).toBe(401);
      const blocked = await request(api, { token: 'sba_guess4' });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(blocked.body.error).toBe('rate_limited');
      expect((await request(api, { token: good })).status).toBe(429);
      // A missing token is not a failed login: the dashboard asks that way whether it is logged in.
      const s2 = await startAnalystServer({ responses: 10, limits: { failedLogins: 2 } });
      try {
        for (let i = 0; i < 5; i++) expect((await request(`${s2.url}/api/analyst/session`)).status).toBe(401);
        expect((await request(`${s2.url}/api/analyst/session`, { token: await s2.token('ok') })).status).toBe(200);
      } finally {
        await s2.close();
      }
      expect(s.logLines.join('\n')).not.toContain('127.0.0.1');
    } finally {
      await s.close();
    }
  });

  test('behind a reverse proxy (TRUST_PROXY) count per forwarded client; without it a forged X-Forwarded-For changes nothing', async () => {
    const limits = { failedLogins: 2, failedLoginWindowSeconds: 600, blockSeconds: 600 };
    const proxied = await startAnalystServer({ responses: 10, limits, env: { TRUST_PROXY: '1' } });
    try {
      const api = `${proxied.url}/api/analyst/session`;
      const from = (client: string) => ({ 'x-forwarded-for': client });
      for (let i = 0; i < 2; i++) expect((await request(api, { token: `sba_guess${i}`, headers: from('198.51.100.7') })).status).toBe(401);
      expect((await request(api, { token: 'sba_guess', headers: from('198.51.100.7') })).status).toBe(429);
      // Another client behind the same proxy is not locked out by the first one's guesses.
      expect((await request(api, { token: await proxied.token('colleague'), headers: from('198.51.100.8') })).status).toBe(200);
    } finally {
      await proxied.close();
    }
    const direct = await startAnalystServer({ responses: 10, limits });
    try {
      const api = `${direct.url}/api/analyst/session`;
      for (let i = 0; i < 2; i++) expect((await request(api, { token: `sba_guess${i}`, headers: { 'x-forwarded-for': `203.0.113.${i}` } })).status).toBe(401);
      expect((await request(api, { token: 'sba_guess', headers: { 'x-forwarded-for': '203.0.113.99' } })).status).toBe(429);
    } finally {
      await direct.close();
    }
  });

  test('are counted by address, IPv6 by its /64', async () => {
    const limiter = new FailedLoginLimiter({ points: 2, durationSeconds: 60, blockSeconds: 60 });
    await limiter.fail(clientKey('2001:db8:1:2::5'));
    await limiter.fail(clientKey('2001:db8:1:2:aaaa::9'));
    expect(await limiter.retryAfter(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'))).toBeGreaterThan(0);
    expect(await limiter.retryAfter(clientKey('2001:db8:1:3::5'))).toBe(0);
    expect(clientKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(await limiter.retryAfter('10.1.2.3')).toBe(0);
  });
});

describe('errors', () => {
  test('reach the client as a generic message: no stack trace and no internal text', async () => {
    const secret = 'SQLITE_CORRUPT: database disk image is malformed at /var/lib/secret/survey.db';
    const s = await startAnalystServer({
      responses: 20,
      service: (real) => {
        const failing = Object.create(real) as AnalystService;
        failing.analyze = async () => {
          throw new Error(secret);
        };
        failing.exportSelectionProblem = async () => {
          throw new RangeError(`Invalid array length ${secret}`);
        };
        return failing;
      },
    });
    try {
      const token = await s.token('unlucky');
      for (const path of ['/analysis?by=language', '/export?format=csv']) {
        const r = await request(`${s.url}/api/analyst${path}`, { token });
        expect(r.status).toBe(500);
        expect(r.body).toEqual({ error: 'internal', message: expect.any(String) });
        expect(r.text).not.toMatch(/SQLITE|secret|at \w+ \(|Error/);
      }
      const badJson = await request(`${s.url}/api/analyst/tokens`, { method: 'POST', token, raw: '{"name": "x", oops}' });
      expect(badJson.status).toBe(400);
      expect(badJson.text).not.toMatch(/Unexpected|JSON at position|oops/);
      expect(s.logLines.join('\n')).toMatch(/analyst_request_failed/);
      expect(s.logLines.join('\n')).not.toContain('secret');
      expect((await s.analysts.readAudit({ limit: 2 })).map((e) => e.outcome)).toEqual(['error', 'error']);
    } finally {
      await s.close();
    }
  });
});

test('an analyst database that cannot be reached gets 503 with Retry-After and a plain message, and the bot keeps running', async () => {
  const s = await startAnalystServer({ responses: 1, analysts: createAnalystStore('postgresql://survey@127.0.0.1:1/none') });
  try {
    expect((await request(`${s.url}/api/analyst/session`)).status).toBe(401);
    const r = await request(`${s.url}/api/analyst/session`, { token: `sba_${'A'.repeat(12)}.${'B'.repeat(43)}`, headers: { 'accept-language': 'en' } });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    expect(r.body).toEqual({
      error: 'unavailable',
      message: 'The database cannot be reached right now, so nothing was read or changed. Try again in a moment; the survey itself carries on.',
    });
    expect(s.logLines.join('\n')).toMatch(/analyst_database_unavailable/);
  } finally {
    await s.close();
  }
});

describe('tokens', () => {
  test('verify only with the right secret, also after a remembered verification has expired', async () => {
    const s = await startAnalystServer({ responses: 1 });
    try {
      let now = 0;
      const verifier = new TokenVerifier(s.analysts, { rememberMs: 1000, now: () => now });
      const { token } = await issueToken(s.analysts, { name: 'v', role: 'admin' }, new Date());
      expect(await verifier.verify(token)).toEqual({ ok: true, identity: { id: expect.any(String), name: 'v', role: 'admin' } });
      expect(await verifier.verify(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toEqual({ ok: false, reason: 'bad_secret', tokenName: 'v' });
      now = 5000;
      expect((await verifier.verify(token)).ok).toBe(true);
      await expect(issueToken(s.analysts, { name: '(cli)', role: 'analyst' }, new Date())).rejects.toThrow(/token name/);
    } finally {
      await s.close();
    }
  });
});

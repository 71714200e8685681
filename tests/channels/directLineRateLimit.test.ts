import { Request, Response } from 'restify';
import { ConfigError, loadConfig } from '../../src/config';
import { DirectLineRateLimit } from '../../src/channels/directline/rateLimit';
import { clientAddress } from '../../src/clientAddress';
import { memoryLogger, TEST_SECRET } from '../helpers/harness';
import { call, startTestServer, TestServer } from '../helpers/http';

const DL = '/v3/directline';

async function generate(s: TestServer, headers: Record<string, string> = {}): Promise<{ status: number; retryAfter: string | null; body: any }> {
  const res = await fetch(`${s.url}${DL}/tokens/generate`, { method: 'POST', headers });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined };
}

describe('with the default limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ SURVEY_SECRET: TEST_SECRET });
  });
  afterAll(() => server.close());

  test('an address gets 20 tokens a minute, then 429 with Retry-After and a Direct Line error body', async () => {
    for (let i = 0; i < 20; i++) expect((await generate(server)).status).toBe(200);
    const refused = await generate(server);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.body).toEqual({ error: { code: 'TooManyRequests', message: expect.any(String) } });
    expect(refused.body).not.toHaveProperty('token');
  });

  test('X-Forwarded-For is not believed unless TRUST_PROXY says so: a client cannot pick a fresh address', async () => {
    // The previous test used up this address's budget.
    const spoofed = await generate(server, { 'x-forwarded-for': '203.0.113.77' });
    expect(spoofed.status).toBe(429);
  });

  test('the log says a limit was hit, and never which address hit it', () => {
    const lines = server.logLines.filter((l) => l.includes('directline_rate_limited'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(JSON.parse(l)).toMatchObject({ event: 'directline_rate_limited', route: 'tokens/generate' });
      expect(l).not.toMatch(/127\.0\.0\.1|::1|203\.0\.113/);
    }
  });
});

describe('with configured limits', () => {
  test('POST /conversations is limited on its own budget, valid token or not', async () => {
    const s = await startTestServer({ SURVEY_SECRET: TEST_SECRET, DIRECTLINE_CONVERSATIONS_PER_MINUTE: '3' });
    try {
      const tokens: string[] = [];
      for (let i = 0; i < 4; i++) tokens.push((await call('POST', `${s.url}${DL}/tokens/generate`)).body.token);
      for (const t of tokens.slice(0, 3)) expect((await call('POST', `${s.url}${DL}/conversations`, t, {})).status).toBe(201);
      const refused = await call('POST', `${s.url}${DL}/conversations`, tokens[3], {});
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('TooManyRequests');
      // A conversation already started goes on: polling and posting are not limited.
      const conv = JSON.parse(Buffer.from(tokens[0].split('.')[1], 'base64url').toString()).conv as string;
      expect((await call('GET', `${s.url}${DL}/conversations/${conv}/activities?watermark=`, tokens[0])).status).toBe(200);
      expect((await call('POST', `${s.url}${DL}/conversations/${conv}/activities`, tokens[0], { type: 'message', text: 'hei' })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  test('0 turns a limit off', async () => {
    const s = await startTestServer({ SURVEY_SECRET: TEST_SECRET, DIRECTLINE_TOKENS_PER_MINUTE: '0' });
    try {
      for (let i = 0; i < 25; i++) expect((await generate(s)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  test('with TRUST_PROXY=1 each address the proxy reports has its own budget', async () => {
    const s = await startTestServer({ SURVEY_SECRET: TEST_SECRET, DIRECTLINE_TOKENS_PER_MINUTE: '2', TRUST_PROXY: '1' });
    try {
      // What the client wrote comes first; the proxy appends the address it saw.
      const via = (client: string) => ({ 'x-forwarded-for': `10.9.9.9, ${client}` });
      expect((await generate(s, via('198.51.100.1'))).status).toBe(200);
      expect((await generate(s, via('198.51.100.1'))).status).toBe(200);
      expect((await generate(s, via('198.51.100.1'))).status).toBe(429);
      expect((await generate(s, via('198.51.100.2'))).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  test('a bad limit stops start-up with a message naming the variable', () => {
    for (const [name, value] of [
      ['DIRECTLINE_TOKENS_PER_MINUTE', '-1'],
      ['DIRECTLINE_CONVERSATIONS_PER_MINUTE', 'many'],
      ['TRUST_PROXY', 'yes'],
    ]) {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(name);
    }
    expect(loadConfig({}).directLineLimits).toEqual({ tokensPerMinute: 20, conversationsPerMinute: 30 });
    expect(loadConfig({}).trustProxy).toBe(0);
  });
});

describe('client addresses', () => {
  /** A request from `address` and what the limiter answered it. */
  const request = (address: string, forwardedFor?: string) => {
    const req = { socket: { remoteAddress: address }, header: (name: string) => (name === 'x-forwarded-for' ? forwardedFor : undefined) } as unknown as Request;
    const sent: { status?: number; headers: Record<string, string> } = { headers: {} };
    const res = {
      setHeader: (k: string, v: string) => void (sent.headers[k] = v),
      send: (status: number) => void (sent.status = status),
    } as unknown as Response;
    return { req, res, sent };
  };

  test('IPv6 clients are counted per /64, so one host cannot rotate through its addresses', async () => {
    const limit = new DirectLineRateLimit({ tokensPerMinute: 2, conversationsPerMinute: 0 }, 0, memoryLogger().logger);
    const admit = (address: string) => limit.admit('tokens/generate', request(address).req, request(address).res);
    expect(await admit('2001:db8:1:2::5')).toBe(true);
    expect(await admit('2001:db8:1:2:aaaa::9')).toBe(true);
    expect(await admit('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(false);
    // The neighbouring /64 is another subscriber.
    expect(await admit('2001:db8:1:3::5')).toBe(true);
    // conversationsPerMinute 0: that route is not limited at all.
    for (let i = 0; i < 5; i++) expect(await limit.admit('conversations', request('2001:db8:1:2::5').req, request('2001:db8:1:2::5').res)).toBe(true);
  });

  test('an IPv4 client seen as an IPv4-mapped IPv6 address shares its IPv4 budget', async () => {
    const limit = new DirectLineRateLimit({ tokensPerMinute: 1, conversationsPerMinute: 1 }, 0, memoryLogger().logger);
    expect(await limit.admit('tokens/generate', request('192.0.2.7').req, request('192.0.2.7').res)).toBe(true);
    const second = request('::ffff:192.0.2.7');
    expect(await limit.admit('tokens/generate', second.req, second.res)).toBe(false);
    expect(second.sent.status).toBe(429);
    expect(Number(second.sent.headers['Retry-After'])).toBeGreaterThan(0);
  });

  test('X-Forwarded-For is read from the right, as many entries as there are trusted proxies', () => {
    const { req } = request('10.0.0.1', '198.51.100.9, 192.0.2.1, 10.0.0.2');
    expect(clientAddress(req, 0)).toBe('10.0.0.1');
    expect(clientAddress(req, 1)).toBe('10.0.0.2');
    expect(clientAddress(req, 2)).toBe('192.0.2.1');
    // Fewer entries than proxies: the first one there is.
    expect(clientAddress(req, 5)).toBe('198.51.100.9');
    expect(clientAddress(request('10.0.0.1').req, 1)).toBe('10.0.0.1');
  });
});

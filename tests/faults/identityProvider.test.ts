import crypto from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { tempDir, TEST_SECRET } from '../helpers/harness';
import { freePort } from '../helpers/process';
import { FaultBot, notLogLines, sleep, spawnBot } from './botProcess';
import { request } from './clients';
import { histogram, report } from './report';

/**
 * With `MicrosoftAppId` set, every /api/messages request carries a Bot Framework token, checked
 * against keys from an OpenID metadata document (src/config.ts ToBotFrom…OpenIdMetadataUrl). Here
 * that document sits on a local port the test controls: closed, failing, then serving keys. A
 * request whose token cannot be checked gets 503 and a generic body; a bad token 401; a good one
 * its turn, in the same process. Nothing but log lines ever leaves the process.
 */

const APP_ID = '6a1c0c94-0000-4000-8000-00000000b0f1';
const CHANNEL_ISSUER = 'https://api.botframework.com';
// The Bot Framework Emulator's v1 issuer (botframework-connector EmulatorValidation).
const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';
const SERVICE_URL = 'http://127.0.0.1:9/never-called';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** An RS256 JWT, as Azure Bot Service signs them. */
function token(key: crypto.KeyObject, kid: string, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64({ aud: APP_ID, iat: now, nbf: now - 60, exp: now + 600, ...claims })}`;
  return `${body}.${crypto.sign('sha256', Buffer.from(body), key).toString('base64url')}`;
}

const channelToken = (key: crypto.KeyObject, kid = 'k1') => token(key, kid, { iss: CHANNEL_ISSUER, serviceurl: SERVICE_URL });
const emulatorToken = (key: crypto.KeyObject, kid = 'k1') => token(key, kid, { iss: EMULATOR_ISSUER, ver: '1.0', appid: APP_ID });

/** The OpenID metadata document and its keys, on a fixed port, in one of three moods. */
class IdentityProvider {
  mode: 'failing' | 'serving' = 'serving';
  private server?: http.Server;
  constructor(
    readonly port: number,
    private readonly publicKey: crypto.KeyObject,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const jwk = this.publicKey.export({ format: 'jwk' });
    this.server = http.createServer((req, res) => {
      if (this.mode === 'failing') {
        // Not writeHead(): restify, loaded by other test files in this worker, patches it to return nothing.
        res.statusCode = 500;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      if (req.url?.endsWith('/keys')) res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: 'k1', n: jwk.n, e: jwk.e }] }));
      else res.end(JSON.stringify({ issuer: CHANNEL_ISSUER, jwks_uri: `${this.url}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    expect((this.server!.address() as AddressInfo).port).toBe(this.port);
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    await closed;
  }
}

const activity = (n: number) => ({
  type: 'message',
  id: `idp-${n}`,
  channelId: 'emulator',
  serviceUrl: SERVICE_URL,
  from: { id: 'idp-user', name: '' },
  recipient: { id: APP_ID, name: 'bot' },
  conversation: { id: 'idp-conversation' },
  deliveryMode: 'expectReplies',
  text: 'hei',
});

let bot: FaultBot;
let idp: IdentityProvider;
const signing = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const forger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const statuses = new Map<number, number>();
let seq = 0;

/** Posts one activity with `authorization`; returns the answer and the log lines it caused. */
async function post(authorization: string | undefined, expectLines: number) {
  const before = bot.lines.length;
  const res = await request(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(activity(++seq)),
  });
  if ('error' in res) throw res.error;
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  // pino writes asynchronously: wait for the lines this request should cause, then a little more for any others.
  for (let i = 0; i < 40 && bot.lines.length - before < expectLines; i++) await sleep(50);
  await sleep(200);
  return { ...res, lines: bot.lines.slice(before) };
}

beforeAll(async () => {
  const port = await freePort();
  idp = new IdentityProvider(port, signing.publicKey);
  bot = await spawnBot({
    DATA_DIR: tempDir('faults-idp-'),
    SURVEY_SECRET: TEST_SECRET,
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-used-with-expect-replies',
    MicrosoftAppType: 'MultiTenant',
    // Closed until the test starts the provider there.
    ToBotFromChannelOpenIdMetadataUrl: `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`,
    ToBotFromEmulatorOpenIdMetadataUrl: `http://127.0.0.1:${port}/v2.0/.well-known/openid-configuration`,
  });
});
afterAll(async () => {
  await bot?.stop();
  await idp?.stop();
  report('identity-provider', {
    requests: seq,
    statuses: histogram(statuses),
    linesPrinted: bot?.lines.length,
    nonLogLines: bot ? notLogLines(bot.lines).length : undefined,
  });
});

/** A 503 that says nothing about why, and one log line naming the error's class. */
function unavailable(res: Awaited<ReturnType<typeof post>>) {
  expect(res.status).toBe(503);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.body).toEqual({ error: 'unavailable', message: expect.any(String) });
  expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|openid|fetch|at .*\.js:\d+/i);
  expect(res.lines).toHaveLength(1);
  const line = JSON.parse(res.lines[0]);
  expect(line).toMatchObject({ level: 'error', event: 'process_failed', error: { name: expect.any(String) } });
  expect(line.error).not.toHaveProperty('message');
  return line.error as { name: string; code?: string };
}

test('while the OpenID metadata cannot be fetched, a channel token and an Emulator token each get 503 with a generic body and one JSON log line with the error class', async () => {
  const channel = unavailable(await post(`Bearer ${channelToken(signing.privateKey)}`, 1));
  const emulator = unavailable(await post(`Bearer ${emulatorToken(signing.privateKey)}`, 1));
  report('identity-provider-unreachable', { channelTokenError: [channel.name, channel.code], emulatorTokenError: [emulator.name, emulator.code] });
  expect(bot.alive()).toBe(true);
});

test('a request without a token still gets 401: it needs no keys to be refused', async () => {
  const res = await post(undefined, 0);
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
});

test('while the metadata endpoint answers 500, a token that cannot be checked gets 503, not 401', async () => {
  idp.mode = 'failing';
  await idp.start();
  unavailable(await post(`Bearer ${channelToken(signing.privateKey)}`, 1));
});

test('once the keys can be fetched, the same process refuses a forged token with 401 and takes a good one', async () => {
  idp.mode = 'serving';
  const forged = await post(`Bearer ${channelToken(forger.privateKey)}`, 1);
  expect(forged.status).toBe(401);
  expect(forged.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
  const good = await post(`Bearer ${channelToken(signing.privateKey)}`, 0);
  expect(good.status).toBe(200);
  expect(good.body.activities.length).toBeGreaterThan(0);
});

test('nothing but JSON log lines came out of the process, on stdout or stderr', () => {
  expect(notLogLines(bot.lines)).toEqual([]);
  expect(bot.stderr).toEqual([]);
});

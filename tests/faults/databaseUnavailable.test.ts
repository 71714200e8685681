import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import twilio from 'twilio';
import { keyedHash } from '../../src/identity';
import { createStore } from '../../src/store/createStore';
import { StoredResponse } from '../../src/store/store';
import { holdWriteLock } from '../helpers/db';
import { askedStep, tempDir, TEST_SECRET, texts } from '../helpers/harness';
import { startTestServer, TestServer } from '../helpers/http';
import { freshDatabase, POSTGRES_SKIP_MESSAGE, postgresReachable } from '../helpers/postgres';
import { freePort } from '../helpers/process';
import { postSms, SMS_ENV, SmsPhone } from '../helpers/sms';
import { FaultBot, notLogLines, spawnBot } from './botProcess';
import { ApiChat, DirectLineChat, joined, Reply, uniquePhoneNumber } from './clients';
import { foreignLines } from './language';
import { histogram, report, seconds } from './report';

/**
 * The database stops taking writes while respondents on all three channels are in the middle of
 * the survey: SQLite locked by another writer past the busy timeout, a full disk, a file that
 * cannot be written, PostgreSQL gone. Each respondent is told in their own language to try again,
 * nothing of the refused turn is kept, the SMS webhook answers 503 with Retry-After so Twilio
 * redelivers, and once the database is back the same process carries on: the resent message is
 * handled once and the survey goes on at the next question.
 */

/** Fast enough for a test, and below SMS_REPLY_DEADLINE_MS (1.5 s), so a lock ends in 503 (see the last test). */
const BUSY_TIMEOUT_MS = 300;

const BASE_ENV = {
  SURVEY_SECRET: TEST_SECRET,
  ...SMS_ENV,
  DIRECTLINE_TOKENS_PER_MINUTE: '0',
  DIRECTLINE_CONVERSATIONS_PER_MINUTE: '0',
  SQLITE_BUSY_TIMEOUT_MS: String(BUSY_TIMEOUT_MS),
};

interface Respondents {
  api: { chat: ApiChat; lng: string };
  web: { chat: DirectLineChat; lng: string };
  sms: { phone: SmsPhone; lng: string };
}

const expectIn = (lng: string, replies: Reply[] | string[], what: string) => {
  const text = typeof replies[0] === 'string' ? (replies as string[]).join('\n') : joined(replies as Reply[]);
  expect({ what, text, foreign: foreignLines(lng, text) }).toEqual({ what, text: expect.any(String), foreign: [] });
  return text;
};

/** Three respondents, one per channel, each past needed_help (answered yes) and now asked their situation. */
async function atSituation(bot: FaultBot, langs: [string, string, string], apiSendsLocale: boolean): Promise<Respondents> {
  const [apiLng, webLng, smsLng] = langs;
  const server = { url: bot.url } as TestServer;
  const api = new ApiChat(bot.url);
  await api.say('hei');
  await api.say(texts.meta(apiLng).endonym);
  if (apiSendsLocale) api.locale = apiLng;
  await api.say('1');
  expect(askedStep(apiLng, joined((await api.say('1')).replies))).toBe('situation');

  const { chat: web } = await DirectLineChat.open(bot.url, webLng);
  await web.say(texts.meta(webLng).endonym);
  // The page switches Web Chat to the chosen language, and Web Chat stamps it on every message.
  web.locale = webLng;
  await web.say('1');
  expect(askedStep(webLng, joined((await web.say('1')).replies))).toBe('situation');

  const phone = new SmsPhone(server, uniquePhoneNumber());
  await phone.send('hei');
  await phone.send(texts.meta(smsLng).endonym);
  await phone.send('1');
  expect(askedStep(smsLng, await phone.text('1'))).toBe('situation');
  return { api: { chat: api, lng: apiLng }, web: { chat: web, lng: webLng }, sms: { phone, lng: smsLng } };
}

interface Outage {
  name: string;
  /** Makes the database refuse writes. */
  fail(): Promise<void>;
  /** Brings it back. */
  mend(): Promise<void>;
  /**
   * Whether the bot can still read the respondent's state (and so knows the language they chose)
   * while it cannot write. When it cannot read either, the language comes from the channel's
   * `locale`, which the /api/messages respondent then sends, as Bot Framework channels do.
   */
  readable: boolean;
  /** What is stored now, read past the bot. */
  responses(): Promise<StoredResponse[]>;
  deliveryExists(key: string): Promise<boolean>;
}

/**
 * Runs the outage against three respondents at `situation`, and checks what each channel told
 * them, what was kept, and that the same bot process recovers.
 */
async function survives(bot: FaultBot, outage: Outage, langs: [string, string, string]): Promise<void> {
  const r = await atSituation(bot, langs, !outage.readable);
  const statuses = new Map<number, number>();
  const pid = bot.child.pid;
  await outage.fail();
  const failedAt = Date.now();

  // Bot Framework (/api/messages, expectReplies): the apology comes back in the reply.
  const apiActivity = r.api.chat.activity({ text: '2' });
  const apiRes = await r.api.chat.send(apiActivity);
  statuses.set(apiRes.status, (statuses.get(apiRes.status) ?? 0) + 1);
  expect(apiRes.status).toBe(200);
  expect(expectIn(r.api.lng, apiRes.replies, 'api apology')).toBe(texts.t(r.api.lng, 'bot:error.unavailable'));

  // Direct Line: nothing can go to the outbox (it is in the database), so the post itself is
  // refused as temporarily unavailable, with the apology in the respondent's language; Web Chat
  // offers to resend. Resent here with the same clientActivityID, as a client retrying a post does.
  const clientActivityID = crypto.randomUUID();
  const webRes = await r.web.chat.say('2', clientActivityID);
  statuses.set(webRes.status, (statuses.get(webRes.status) ?? 0) + 1);
  expect(webRes.status).toBe(503);
  expect(webRes.body.error.code).toBe('ServiceUnavailable');
  expect(webRes.body.error.message).toBe(texts.t(r.web.lng, 'bot:error.unavailable'));

  // SMS: 503 with Retry-After, Twilio's cue to deliver the message again.
  const smsParams = r.sms.phone.params('2');
  const smsRes = await fetch(`${bot.url}/sms/twilio`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature(smsParams) },
    body: new URLSearchParams(smsParams).toString(),
  });
  statuses.set(smsRes.status, (statuses.get(smsRes.status) ?? 0) + 1);
  expect(smsRes.status).toBe(503);
  expect(Number(smsRes.headers.get('retry-after'))).toBeGreaterThan(0);

  await outage.mend();
  const mendedAt = Date.now();

  // Nothing of the refused turns was kept: one answer each, and no delivery records.
  const before = await outage.responses();
  expect(before).toHaveLength(3);
  for (const resp of before) expect(resp.answers.map((a) => [a.questionId, a.value])).toEqual([['needed_help', 'yes']]);
  expect(await outage.deliveryExists(keyedHash(TEST_SECRET, 'sms-message', smsParams.MessageSid))).toBe(false);

  // The same process, and each resend counts once.
  const again = await r.api.chat.say('2');
  expect(askedStep(r.api.lng, expectIn(r.api.lng, again.replies, 'api after'))).toBe('help_areas');
  const webAgain = await r.web.chat.say('2', clientActivityID);
  expect(webAgain.status).toBe(200);
  expect(askedStep(r.web.lng, expectIn(r.web.lng, webAgain.replies, 'web after'))).toBe('help_areas');
  const redelivered = await postSms({ url: bot.url } as TestServer, smsParams);
  expect(redelivered.status).toBe(200);
  expect(askedStep(r.sms.lng, expectIn(r.sms.lng, redelivered.messages, 'sms after'))).toBe('help_areas');
  const twice = await postSms({ url: bot.url } as TestServer, smsParams);
  expect(twice.messages).toEqual(redelivered.messages);

  const after = await outage.responses();
  for (const resp of after) {
    expect(resp.answers.map((a) => [a.questionId, a.value]).sort()).toEqual([
      ['needed_help', 'yes'],
      ['situation', 'rent_private'],
    ]);
  }
  expect(bot.alive()).toBe(true);
  expect(bot.child.pid).toBe(pid);
  const turnErrors = bot.lines
    .filter((l) => l.includes('"turn_error"'))
    .map((l) => JSON.parse(l) as { error: { name: string; code?: string; cause?: { name: string; code?: string } } });
  expect(turnErrors.length).toBeGreaterThan(0);
  expect(notLogLines(bot.lines)).toEqual([]);
  for (const secret of [r.api.chat.userId, r.sms.phone.number, r.web.chat.conversationId]) expect(bot.lines.join('\n')).not.toContain(secret);
  report(`unavailable-${outage.name}`, {
    outage: outage.name,
    languages: { api: r.api.lng, directLine: r.web.lng, sms: r.sms.lng },
    statusesDuringOutage: histogram(statuses),
    outageSeconds: seconds(mendedAt - failedAt),
    errorsLogged: [...new Set(turnErrors.map((e) => [e.error.name, e.error.code ?? e.error.cause?.code].filter(Boolean).join(' ')))],
  });
}

function signature(params: Record<string, string>): string {
  // The official helper, as tests/helpers/sms.ts signs.
  return twilio.getExpectedTwilioSignature(SMS_ENV.TWILIO_AUTH_TOKEN, `${SMS_ENV.PUBLIC_URL}/sms/twilio`, params);
}

/** The SQLite file's responses and delivery records, read by a connection of the test's own. */
function sqliteReader(file: string): Pick<Outage, 'responses' | 'deliveryExists'> {
  return {
    async responses() {
      const store = createStore(`file:${file}`);
      try {
        return await store.listResponses();
      } finally {
        await store.close();
      }
    },
    async deliveryExists(key) {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT 1 FROM "Delivery" WHERE key = ?').get(key) !== undefined;
      } finally {
        db.close();
      }
    },
  };
}

describe('SQLite', () => {
  test('locked by another writer past the busy timeout: every channel says "try again shortly" in its language, and the resend counts once', async () => {
    const dataDir = tempDir('faults-locked-');
    const file = path.join(dataDir, 'survey.db');
    const bot = await spawnBot({ ...BASE_ENV, DATA_DIR: dataDir });
    let lock: { release(): void } | undefined;
    try {
      await survives(
        bot,
        {
          name: 'sqlite-locked',
          readable: true,
          async fail() {
            // Another process's write transaction, held for longer than the bot waits.
            lock = holdWriteLock(file);
          },
          async mend() {
            lock!.release();
          },
          ...sqliteReader(file),
        },
        ['ar', 'pl', 'uk'],
      );
    } finally {
      lock?.release();
      await bot.stop();
    }
  }, 120000);

  test('a full disk (a 16 MB tmpfs, filled): the same, and the bot carries on once there is room', async () => {
    const dataDir = tempDir('faults-full-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dataDir], { stdio: 'pipe' });
    } catch {
      console.warn(
        '[faults] cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): the full-disk case is skipped; the read-only case covers a disk that refuses writes',
      );
      return;
    }
    const bot = await spawnBot({ ...BASE_ENV, DATA_DIR: dataDir });
    const filler = path.join(dataDir, 'filler');
    try {
      await survives(
        bot,
        {
          name: 'sqlite-disk-full',
          readable: true,
          async fail() {
            const fd = fs.openSync(filler, 'w');
            const chunk = Buffer.alloc(64 * 1024, 1);
            try {
              for (;;) fs.writeSync(fd, chunk);
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
            } finally {
              fs.closeSync(fd);
            }
          },
          async mend() {
            fs.rmSync(filler);
          },
          ...sqliteReader(path.join(dataDir, 'survey.db')),
        },
        ['so', 'fa', 'ti'],
      );
    } finally {
      await bot.stop();
      execFileSync('umount', [dataDir]);
    }
  }, 120000);

  test('a file that cannot be written (immutable, which binds root too): the same, and the bot carries on once it can', async () => {
    const dataDir = tempDir('faults-readonly-');
    const file = path.join(dataDir, 'survey.db');
    // chmod would not do: the bot's open connection keeps its write access, and root ignores modes.
    // The immutable attribute refuses writes through descriptors already open.
    const probe = path.join(dataDir, 'probe');
    fs.writeFileSync(probe, '');
    try {
      execFileSync('chattr', ['+i', probe], { stdio: 'pipe' });
      execFileSync('chattr', ['-i', probe], { stdio: 'pipe' });
    } catch {
      console.warn('[faults] chattr +i is not available here (needs CAP_LINUX_IMMUTABLE and ext4/xfs): the read-only case is skipped');
      return;
    }
    const bot = await spawnBot({ ...BASE_ENV, DATA_DIR: dataDir });
    const files = () => [file, `${file}-wal`].filter((f) => fs.existsSync(f));
    try {
      await survives(
        bot,
        {
          name: 'sqlite-read-only',
          readable: true,
          async fail() {
            execFileSync('chattr', ['+i', ...files()]);
          },
          async mend() {
            execFileSync('chattr', ['-i', ...files()]);
          },
          ...sqliteReader(file),
        },
        ['ckb', 'th', 'ps'],
      );
    } finally {
      execFileSync('chattr', ['-i', ...files()]);
      await bot.stop();
    }
  }, 120000);
});

describe('SQLite locked for longer than the default busy timeout (5 s), against the SMS deadline (1.5 s)', () => {
  /** Phones past needed_help, now asked their situation. */
  async function phonesAtSituation(server: TestServer, n: number, lng: string): Promise<SmsPhone[]> {
    return Promise.all(
      Array.from({ length: n }, async () => {
        const phone = new SmsPhone(server, uniquePhoneNumber());
        await phone.send('hei');
        await phone.send(texts.meta(lng).endonym);
        await phone.send('1');
        expect(askedStep(lng, await phone.text('1'))).toBe('situation');
        return phone;
      }),
    );
  }

  test("without a send API, every webhook answers 503 within Twilio's 15 s timeout while the process keeps serving, and each redelivery counts once", async () => {
    const dataDir = tempDir('faults-lockwait-');
    const bot = await spawnBot({ SURVEY_SECRET: TEST_SECRET, ...SMS_ENV, DATA_DIR: dataDir });
    const server = { url: bot.url } as TestServer;
    let lock: { release(): void } | undefined;
    try {
      const phones = await phonesAtSituation(server, 4, 'so');
      lock = holdWriteLock(path.join(dataDir, 'survey.db'));
      const started = Date.now();
      const params = phones.map((p) => p.params('2'));
      const finished: number[] = [];
      const sms = Promise.all(
        params.map(async (p) => {
          const r = await fetch(`${bot.url}/sms/twilio`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature(p) },
            body: new URLSearchParams(p).toString(),
          });
          finished.push(Date.now() - started);
          return { status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() };
        }),
      );
      // A load balancer's health check, while the turns wait for the lock: the process answers it.
      const health = fetch(`${bot.url}/healthz`).then((r) => ({ status: r.status, at: Date.now() - started }));
      const [answers, healthz] = await Promise.all([sms, health]);
      lock!.release();
      report('unavailable-sqlite-locked-default-timeout', {
        webhooks: answers.length,
        statuses: answers.map((a) => a.status),
        answeredAfterSeconds: finished.map(seconds),
        healthzAfterSeconds: seconds(healthz.at),
      });
      for (const a of answers) {
        expect(a.status).toBe(503);
        expect(Number(a.retryAfter)).toBeGreaterThan(0);
      }
      // Twilio gives up on a webhook after 15 s (and then the message is lost unless it retries).
      expect(Math.max(...finished)).toBeLessThan(15000);
      expect(healthz.status).toBe(200);
      expect(healthz.at).toBeLessThan(Math.min(...finished));

      // Twilio redelivers; each message is handled once.
      for (const p of params) {
        const again = await postSms(server, p);
        expect(again.status).toBe(200);
        expect(askedStep('so', again.messages.join('\n'))).toBe('help_areas');
        expect((await postSms(server, p)).messages).toEqual(again.messages);
      }
      const responses = await sqliteReader(path.join(dataDir, 'survey.db')).responses();
      expect(responses).toHaveLength(4);
      for (const r of responses) expect(r.answers.map((a) => a.questionId).sort()).toEqual(['needed_help', 'situation']);
      expect(notLogLines(bot.lines)).toEqual([]);
    } finally {
      lock?.release();
      await bot.stop();
    }
  }, 120000);

  test('with a send API, the webhook answers by the deadline and the respondent is then told in their language to send the message again', async () => {
    const dataDir = tempDir('faults-lockwait-late-');
    const sent: { to: string; texts: string[] }[] = [];
    const server = await startTestServer(
      { SURVEY_SECRET: TEST_SECRET, ...SMS_ENV, DATA_DIR: dataDir },
      { twilio: { lateSender: (to) => async (t) => void sent.push({ to, texts: t }) } },
    );
    let lock: { release(): void } | undefined;
    try {
      const [phone] = await phonesAtSituation(server, 1, 'ti');
      lock = holdWriteLock(path.join(dataDir, 'survey.db'));
      const started = Date.now();
      const answer = await postSms(server, phone.params('2'));
      const answeredAfter = Date.now() - started;
      // The webhook's own budget: SMS_REPLY_DEADLINE_MS (1.5 s), with room for the request itself.
      expect(answer.status).toBe(200);
      expect(answer.messages).toEqual([]);
      expect(answeredAfter).toBeLessThan(2500);
      for (let i = 0; i < 100 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      lock!.release();
      expect(sent).toEqual([{ to: phone.number, texts: [texts.t('ti', 'bot:error.unavailable')] }]);
      // The respondent sends it again (a new message): it is taken, once.
      expect(askedStep('ti', await phone.text('2'))).toBe('help_areas');
      const [response] = await server.bot.store.listResponses();
      expect(response.answers.map((a) => a.questionId).sort()).toEqual(['needed_help', 'situation']);
    } finally {
      lock?.release();
      await server.close();
    }
  }, 120000);
});

/**
 * A TCP proxy in front of PostgreSQL that the test can stop like a server: open connections are
 * cut (as a stopping server cuts them) and new ones refused, until it listens again on the same port.
 */
class PostgresSwitch {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(5432, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

describe('PostgreSQL', () => {
  test('the server gone (connections cut, new ones refused): every channel says "try again shortly", and the bot reconnects when it is back', async () => {
    if (!(await postgresReachable())) {
      console.warn(POSTGRES_SKIP_MESSAGE);
      return;
    }
    const db = await freshDatabase('survey_faults');
    const port = await freePort();
    const proxy = new PostgresSwitch(port);
    await proxy.start();
    const url = db.url.replace(':5432/', `:${port}/`);
    const bot = await spawnBot({ ...BASE_ENV, DATA_DIR: tempDir('faults-pg-'), DATABASE_URL: url });
    try {
      await survives(
        bot,
        {
          name: 'postgres-stopped',
          readable: false,
          fail: () => proxy.stop(),
          mend: () => proxy.start(),
          async responses() {
            const store = createStore(db.url);
            try {
              return await store.listResponses();
            } finally {
              await store.close();
            }
          },
          async deliveryExists(key) {
            const client = new pg.Client({ connectionString: db.url });
            await client.connect();
            try {
              return (await client.query('SELECT 1 FROM "Delivery" WHERE key = $1', [key])).rowCount! > 0;
            } finally {
              await client.end();
            }
          },
        },
        ['lt', 'ur', 'se'],
      );
    } finally {
      await bot.stop();
      await proxy.stop().catch(() => undefined);
      await db.drop();
    }
  }, 120000);
});

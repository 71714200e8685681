import { SurveyStore } from '../../src/store/store';
import { SqliteStore } from '../../src/store/sqliteStore';
import path from 'node:path';
import { holdWriteLock } from '../helpers/db';
import { startBotProcess } from '../helpers/process';
import { slowStore } from '../helpers/slowStore';
import { tempDir, TEST_SECRET, texts } from '../helpers/harness';
import { HttpRespondent, startTestServer } from '../helpers/http';
import { postSms, SMS_ENV, SmsPhone } from '../helpers/sms';

/** What operators rely on: /metrics, /healthz, and a shutdown that drops nothing. */

test('GET /metrics counts turns, latency and SMS outcomes in Prometheus format, with no identifier or text', async () => {
  const server = await startTestServer({ SURVEY_SECRET: TEST_SECRET });
  try {
    const r = new HttpRespondent(server.url, 'metrics-user-4711');
    await r.say('hei');
    await r.say(texts.meta('nb').endonym);
    const activity = r.activity({ text: texts.optionLabel('nb', 'yes') });
    for (let i = 0; i < 2; i++)
      await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    expect(body).toMatch(/^survey_turns_total\{channel="emulator",outcome="committed"\} 3$/m);
    expect(body).toMatch(/^survey_turns_total\{channel="emulator",outcome="duplicate"\} 1$/m);
    expect(body).toMatch(/^survey_turn_duration_seconds_count\{channel="emulator"\} 4$/m);
    expect(body).toMatch(/^survey_outbox_rows \d+$/m);
    expect(body).toMatch(/^process_cpu_seconds_total /m);
    for (const secret of ['metrics-user-4711', 'conv-metrics', 'Norsk', 'nb"']) expect(body).not.toContain(secret);
  } finally {
    await server.close();
  }
});

test('GET /healthz answers 503 while the database cannot be reached', async () => {
  const dataDir = tempDir();
  const real = new SqliteStore(`file:${path.join(dataDir, 'survey.db')}`);
  let down = false;
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop === 'ping') return async () => (down ? Promise.reject(Object.assign(new Error('unreachable'), { code: 'ECONNREFUSED' })) : v.apply(target));
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as SurveyStore;
  const server = await startTestServer({ DATA_DIR: dataDir, SURVEY_SECRET: TEST_SECRET }, { store });
  try {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    down = true;
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable' });
    down = false;
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  } finally {
    await server.close();
  }
});

test('a graceful shutdown waits for the SMS reply that missed its webhook deadline, and sends it', async () => {
  const dataDir = tempDir();
  const real = new SqliteStore(`file:${path.join(dataDir, 'survey.db')}`);
  // The turn's write takes longer than the webhook may wait.
  const slow = slowStore(real, ['commitTurn'], 1500);
  const sent: string[][] = [];
  const server = await startTestServer(
    { ...SMS_ENV, DATA_DIR: dataDir, SURVEY_SECRET: TEST_SECRET, SMS_REPLY_DEADLINE_MS: '200' },
    { store: slow, twilio: { lateSender: () => async (t) => void sent.push(t) } },
  );
  const phone = new SmsPhone(server);
  const r = await postSms(server, phone.params('hei'));
  expect(r.status).toBe(200);
  expect(r.messages).toEqual([]);
  expect(sent).toEqual([]);
  // SIGTERM now: close() returns only once the late reply is out, and the store after it.
  await server.close();
  expect(sent).toHaveLength(1);
  expect(sent[0].join('\n')).toContain(texts.t(texts.defaultLocale, 'bot:language.menu'));
});

test('SIGTERM: the process stops taking connections, finishes the turn in flight with its answer, and exits 0', async () => {
  const dataDir = tempDir();
  const bot = await startBotProcess({ DATA_DIR: dataDir, SURVEY_SECRET: TEST_SECRET, SQLITE_BUSY_TIMEOUT_MS: '20000' });
  const r = new HttpRespondent(bot.url);
  await r.say('hei');
  // The turn's write waits on a lock this test holds, so the turn is in flight at SIGTERM.
  const lock = holdWriteLock(path.join(dataDir, 'survey.db'));
  try {
    const inFlight = r.text(texts.meta('nb').endonym);
    await new Promise((res) => setTimeout(res, 500));
    const exited = new Promise<number | null>((res) => bot.child.once('exit', (code) => res(code)));
    bot.child.kill('SIGTERM');
    await new Promise((res) => setTimeout(res, 300));
    // No new connection is accepted meanwhile.
    expect(
      await fetch(`${bot.url}/healthz`).then(
        () => 'answered',
        () => 'refused',
      ),
    ).toBe('refused');
    expect(bot.child.exitCode).toBeNull();
    lock.release();
    expect(await inFlight).toContain(texts.s('nb', 'consent.ask'));
    expect(await exited).toBe(0);
  } finally {
    lock.release();
    await bot.kill();
  }
  // The turn was written: a new process continues at consent.
  const again = await startBotProcess({ DATA_DIR: dataDir, SURVEY_SECRET: TEST_SECRET });
  try {
    const next = new HttpRespondent(again.url, r.userId);
    // An id of its own: the same conversation's "m1" was handled before, and would be answered from its delivery record.
    const replies = await next.say('?', { id: 'after-restart' });
    expect(replies.map((a) => a.text).join('\n')).toContain(texts.s('nb', 'consent.ask'));
  } finally {
    await again.stop();
  }
}, 60000);

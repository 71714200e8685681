import http from 'node:http';
import { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { numberKey, runInvitations, InvitationRun, InvitationSummary } from '../../src/outreach/invitations';
import { inviteCommand } from '../../src/outreach/inviteCommand';
import { twilioSender } from '../../src/outreach/twilioMessages';
import { SurveyCatalog } from '../../src/registry/surveyCatalog';
import { Texts } from '../../src/language/texts';
import { segments } from '../../src/text/smsText';
import { everyStoredValue } from '../helpers/db';
import { memoryLogger, TEST_SECRET, texts } from '../helpers/harness';
import { startTestServer, TestServer } from '../helpers/http';
import { SMS_ENV, SmsPhone } from '../helpers/sms';

/**
 * Invitations against a local fake of Twilio's REST API: a real HTTP server that checks what
 * Twilio checks (HTTP Basic auth with the Account SID and auth token, the form fields of
 * Messages.json) and records what would have gone out.
 */
const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
const AUTH_TOKEN = SMS_ENV.TWILIO_AUTH_TOKEN;
const SERVICE_SID = `MG${'2'.repeat(32)}`;

interface Sent {
  To: string;
  Body: string;
  MessagingServiceSid: string;
  SendAt?: string;
  ScheduleType?: string;
}

// Two calls, never res.writeHead(...).end(...): restify, loaded in this process, replaces
// ServerResponse.writeHead with one that does not return the response.
class FakeTwilio {
  readonly sent: Sent[] = [];
  refusedAuth = 0;
  private server?: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const expected = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
        if (req.headers.authorization !== expected) {
          this.refusedAuth++;
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ code: 20003, message: 'Authenticate' }));
          return;
        }
        if (
          req.method !== 'POST' ||
          req.url !== `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json` ||
          req.headers['content-type'] !== 'application/x-www-form-urlencoded'
        ) {
          res.writeHead(404);
          res.end();
          return;
        }
        const form = Object.fromEntries(new URLSearchParams(body)) as unknown as Sent;
        if (!form.To || !form.Body || form.MessagingServiceSid !== SERVICE_SID) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ code: 21604, message: 'A To, Body and MessagingServiceSid are required' }));
          return;
        }
        this.sent.push(form);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sid: `SM${String(this.sent.length).padStart(32, '0')}`, status: 'accepted' }));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server!.close(() => r()));
  }
}

const LANGS = ['so', 'ar', 'ti', 'prs', 'nb'];
/** Norwegian mobile numbers (4xxxxxxx, 9xxxxxxx), written as people keep them: some with +47, some without. */
const mobile = (i: number) => (i % 2 ? `+47 9${String(10000000 + i).slice(1)}` : `41${String(100000 + i)}`);
const e164 = (i: number) => (i % 2 ? `+479${String(10000000 + i).slice(1)}` : `+4741${String(100000 + i)}`);
const INVALID = ['12345', 'ring meg', '+47 2211', '+47 22 22 22 22', ''];

let server: TestServer;
let twilio: FakeTwilio;
let hh: Texts;
beforeAll(async () => {
  server = await startTestServer({ ...SMS_ENV, SURVEY_SECRET: TEST_SECRET });
  twilio = new FakeTwilio();
  await twilio.start();
  hh = await new SurveyCatalog(server.bot.store, texts.locales, { defaultLocale: 'nb', defaultSurvey: 'housing-help', refreshMs: 0 }).textsFor(
    'housing-help',
    1,
  );
});
afterAll(async () => {
  await server.close();
  await twilio.close();
});

function csvOf(n: number): string {
  const rows = ['phone,lang,name_kept_by_the_operator'];
  for (let i = 0; i < n; i++) rows.push(`${mobile(i)},${LANGS[i % LANGS.length]},Person ${i}`);
  // Invalid numbers after row 500: lines 502 to 506.
  rows.splice(501, 0, ...INVALID.map((x) => `${x},so,Someone`));
  return `${rows.join('\n')}\n`;
}

const run = (over: Partial<InvitationRun>): InvitationRun => ({
  campaign: 'winter-2026',
  surveyId: 'housing-help',
  csv: csvOf(1000),
  numberColumn: 'phone',
  langColumn: 'lang',
  mode: 'invite',
  dryRun: false,
  perSecond: 0,
  defaultRegion: 'NO',
  ...over,
});

const deps = (now = new Date('2026-12-07T10:00:00Z')) => ({
  store: server.bot.store,
  secret: TEST_SECRET,
  texts: hh,
  send: twilioSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: SERVICE_SID, apiBase: twilio.url }),
  now: () => now,
});

test('1,000 numbers, 3 opted out, 5 invalid: the exact summary, one message each in its language, no number stored', async () => {
  for (const i of [7, 300, 999]) await server.bot.store.setOptOut(numberKey(TEST_SECRET, e164(i)), true, new Date('2026-12-01T00:00:00Z'));

  const dry = await runInvitations(run({ dryRun: true }), deps());
  expect(twilio.sent).toHaveLength(0);
  expect(dry.byLanguage.reduce((n, l) => n + l.messages, 0)).toBe(997);

  const summary: InvitationSummary = await runInvitations(run({}), deps());
  expect({ rows: summary.rows, sent: summary.sent, failed: summary.failed, optedOut: summary.skipped.optedOut }).toEqual({
    rows: 1005,
    sent: 997,
    failed: [],
    optedOut: 3,
  });
  expect(summary.invalid).toEqual([
    { line: 502, reason: 'not a valid phone number' },
    { line: 503, reason: 'not a valid phone number' },
    { line: 504, reason: 'not a valid phone number' },
    { line: 505, reason: 'not a mobile number' },
    { line: 506, reason: 'no number' },
  ]);
  expect(twilio.sent).toHaveLength(997);
  expect(new Set(twilio.sent.map((s) => s.To)).size).toBe(997);
  expect(twilio.sent.map((s) => s.To)).not.toContain(e164(7));
  // In the row's language, with the survey's title and that language's own stop word.
  const toSomali = twilio.sent.find((s) => s.To === e164(0))!;
  expect(toSomali.Body).toContain(hh.s('so', 'title'));
  expect(toSomali.Body).toContain('JOOJI');
  const toArabic = twilio.sent.find((s) => s.To === e164(1))!;
  expect(toArabic.Body).toContain(hh.s('ar', 'title'));
  // Segments per language, as the summary reports them, are those of the text sent.
  for (const l of summary.byLanguage) {
    const one = twilio.sent.find((s) => s.Body === l.text)!;
    expect(segments(one.Body)).toEqual({ encoding: l.encoding, segments: l.segments });
  }
  expect(summary.byLanguage.find((l) => l.language === 'nb')).toMatchObject({ encoding: 'GSM-7' });
  expect(summary.byLanguage.find((l) => l.language === 'ti')).toMatchObject({ encoding: 'UCS-2' });

  // No table holds a number, in any of the forms it was written in.
  const stored = everyStoredValue(server.dataDir);
  for (const i of [0, 1, 2, 500, 998]) {
    expect(stored).not.toContain(e164(i));
    expect(stored).not.toContain(e164(i).slice(3));
  }
  expect(stored).not.toContain('Person 1');
});

test('a repeated campaign sends nothing twice; a STOP in Somali to the bot puts the number on the list every later campaign honours', async () => {
  const before = twilio.sent.length;
  const again = await runInvitations(run({}), deps());
  expect(again.sent).toBe(0);
  expect(again.skipped.alreadyInvited).toBe(997);

  // Invitee 0 answers the invitation with Somali's stop word: told in Somali, and never written to again.
  const phone = new SmsPhone(server, e164(0));
  expect(await phone.text('JOOJI')).toBe(hh.t('so', 'bot:sms.stopped'));
  const next = await runInvitations(run({ campaign: 'spring-2027' }), deps());
  expect(next.skipped.optedOut).toBe(4);
  expect(next.sent).toBe(996);
  expect(twilio.sent.slice(before).map((s) => s.To)).not.toContain(e164(0));
});

test('the one reminder reaches only those who neither wrote back nor opted out, once, and only when due', async () => {
  await server.bot.store.saveCampaign({ id: 'reminded', surveyId: 'housing-help', createdAt: new Date('2026-12-07T10:00:00Z'), reminderAfterHours: 72 });
  // Numbers 0 and 7 opted out in the tests above: they are not invited at all.
  const csv = csvOf(20);
  await runInvitations(run({ campaign: 'reminded', csv }), deps());
  // Two invitees answer (one starts the survey, one only says hello), one opts out.
  await new SmsPhone(server, e164(2)).text('hei');
  await new SmsPhone(server, e164(3)).text('Salaan');
  await new SmsPhone(server, e164(4)).text('STOPP');
  const early = await runInvitations(run({ campaign: 'reminded', csv, mode: 'remind' }), deps(new Date('2026-12-08T10:00:00Z')));
  expect(early.sent).toBe(0);
  expect(early.skipped.notDue).toBe(15);

  const before = twilio.sent.length;
  const later = deps(new Date('2026-12-11T10:00:00Z'));
  const reminded = await runInvitations(run({ campaign: 'reminded', csv, mode: 'remind' }), later);
  expect({ sent: reminded.sent, replied: reminded.skipped.replied, optedOut: reminded.skipped.optedOut }).toEqual({ sent: 15, replied: 2, optedOut: 3 });
  const to = twilio.sent.slice(before).map((s) => s.To);
  expect(to).not.toContain(e164(2));
  expect(to).not.toContain(e164(3));
  expect(to).not.toContain(e164(4));
  // In the language the invitation went in.
  expect(twilio.sent.slice(before).find((s) => s.To === e164(5))!.Body).toBe(
    hh.t('so', 'bot:sms.reminder', { title: hh.locales.i18n.t(`${hh.ns}:title`, { lng: 'so' }), stop: 'JOOJI' }),
  );
  // At most one reminder.
  expect((await runInvitations(run({ campaign: 'reminded', csv, mode: 'remind' }), later)).skipped.remindedBefore).toBe(15);
  // The campaign ends: its HMACs are gone, the opt-outs stay.
  expect(await server.bot.store.endCampaign('reminded')).toBe(18);
  expect(await server.bot.store.optedOut([numberKey(TEST_SECRET, e164(4))])).toEqual(new Set([numberKey(TEST_SECRET, e164(4))]));
});

test('survey-bot invite: a dry run prints each language, its segments and its text, and sends nothing; missing Twilio settings say what is needed', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const file = path.join(server.dataDir, 'numbers.csv');
  fs.writeFileSync(file, 'phone,lang\n+4791234567,so\n+4741234567,ar\n');
  const config = loadConfig({ DATA_DIR: server.dataDir, SURVEY_SECRET: TEST_SECRET });
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => (out += s) } as never, stderr: { write: (s: string) => (err += s) } as never };
  const before = twilio.sent.length;
  expect(await inviteCommand(['housing-help', '--numbers', file, '--dry-run'], config, server.bot.store, memoryLogger().logger, io)).toBe(0);
  expect(out).toMatch(/Dry run, nothing sent: 2 rows\./);
  expect(out).toMatch(/so: 1 message\(s\), \d UCS-2|so: 1 message\(s\), \d GSM-7/);
  expect(out).toContain(hh.s('ar', 'title'));
  expect(twilio.sent.length).toBe(before);
  expect(await inviteCommand(['housing-help', '--numbers', file], config, server.bot.store, memoryLogger().logger, io)).toBe(1);
  expect(err).toContain('TWILIO_MESSAGING_SERVICE_SID');
});

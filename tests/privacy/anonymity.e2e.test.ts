import path from 'node:path';
import Database from 'better-sqlite3';
import { createLogger } from '../../src/logger';
import { purgeOnce } from '../../src/purge';
import { storedCells } from '../helpers/db';
import { askedStep, texts } from '../helpers/harness';
import { HttpRespondent, startTestServer, TestServer } from '../helpers/http';
import { NB_PLAN } from '../helpers/plans';
import { SMS_ENV, SmsPhone } from '../helpers/sms';
import { DirectLineRespondent } from '../channels/directLineClient';

/**
 * The promise to respondents, end to end: after the conversations end and the state TTL has
 * passed, no column of any table holds a channel user id, phone number, conversation id or
 * message id, nor a name, address or phone number a respondent typed into a free-text answer;
 * and no log line ever held one, nor any message text.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ...SMS_ENV, STATE_TTL_DAYS: '1' });
});
afterAll(() => server.close());

test('no identifier survives in any table once conversations end and the TTL passes, and none is ever logged', async () => {
  const secrets: string[] = [];
  const freeText = 'Kontoret ringte aldri tilbake Zebra-7731';
  // What people in a hard housing situation write despite the consent text: who they are, where
  // they live, how to call them (here a Polish number with its prefix and a Swedish one without).
  const personal = {
    nb: `${freeText}. Jeg heter Zebra Kvistad, bor i Zebraveien 17B, 0155 Oslo, ring +48 601 234 567 eller 0790 123 456`,
    so: 'Magacaygu waa Hodan Warsame, waxaan deggenahay Bjerkeveien 12, 1470 Lørenskog, lambarkaygu waa 061 234 5678',
    pl: 'Nazywam się Jolanta Wiśniewska, mieszkam Granittveien 44, 5045 Bergen, dzwoń 512 345 678',
  };
  const typed = [
    'Kvistad',
    'Zebraveien',
    '17B',
    '601 234 567',
    '601234567',
    '0790 123 456',
    '0790123456',
    'Hodan',
    'Warsame',
    'Bjerkeveien',
    'Lørenskog',
    '061 234 5678',
    '0612345678',
    'Jolanta',
    'Wiśniewska',
    'Granittveien',
    '512 345 678',
    '512345678',
  ];

  // A completed survey on the Bot Framework channel.
  const web = new HttpRespondent(server.url, 'user-Q8Kd2mVxP1', 'emulator');
  secrets.push(web.userId, `conv-${web.userId}`);
  await web.say('👋');
  await web.say(texts.meta('nb').endonym);
  // Answer whatever is asked from the plan, so the free text is reached whatever the path.
  const plan: Record<string, string> = { ...NB_PLAN, what_helped: personal.nb };
  const asked: string[] = [];
  for (let step = askedStep('nb', await web.text(texts.optionLabel('nb', 'yes'))); step;) {
    if (!(step in plan)) throw new Error(`The plan has no answer for ${step}`);
    asked.push(step);
    step = askedStep('nb', await web.text(plan[step]));
  }
  expect(asked).toContain('what_helped');

  // A completed survey through Direct Line (the web page), as the official client speaks it.
  const dl = await DirectLineRespondent.start(server.url, { locale: 'pl' });
  try {
    secrets.push(dl.conversationId, dl.token);
    await dl.greeting();
    // Option 1 wherever there are options; the free text last, whatever the path.
    const plPlan: Record<string, string> = { years_in_norway: '7', municipality: 'Bergen', what_helped: personal.pl };
    await dl.text(texts.t('pl', 'bot:language.confirm_yes'));
    const plAsked: string[] = [];
    for (let step = askedStep('pl', await dl.text(texts.optionLabel('pl', 'yes'))); step;) {
      if (plAsked.filter((s) => s === step).length > 1) throw new Error(`${step} asked again: its answer was not understood`);
      plAsked.push(step);
      step = askedStep('pl', await dl.text(plPlan[step] ?? '1'));
    }
    expect(plAsked).toContain('what_helped');
    for (const a of dl.seen) {
      const id = (a.channelData as { clientActivityID?: string } | undefined)?.clientActivityID;
      if (id) secrets.push(id);
      if (a.from?.id && a.from.id !== 'bot') secrets.push(a.from.id);
    }
  } finally {
    dl.end();
  }

  // A completed survey and an abandoned one by SMS.
  const phone = new SmsPhone(server, '+4791234567');
  const quitter = new SmsPhone(server, '+4798765432');
  secrets.push(phone.number, phone.number.slice(3), quitter.number, quitter.number.slice(3));
  await phone.send('Nabad, waxaan u baahanahay caawimaad');
  for (const a of ['1', '1', 'maya', '1', 'maya', '1', '3', '-', personal.so]) await phone.send(a);
  await quitter.send('👋');
  await quitter.send(texts.meta('en').endonym);
  await quitter.send('yes');
  await quitter.send('no');

  const responses = await server.bot.store.listResponses();
  expect(responses.map((r) => r.status).sort()).toEqual(['completed', 'completed', 'completed', 'in_progress']);

  // Message ids: every MessageSid these tests send starts with this prefix (tests/helpers/sms.ts).
  const sidProbe = phone.params('x').MessageSid.slice(0, 10);

  // Let the state TTL pass and run the purge job.
  const purged = await purgeOnce(server.bot.store, new Date(Date.now() + 2 * 86400_000), createLogger('silent'));
  expect(purged).toBeGreaterThanOrEqual(1); // the abandoned conversation's state

  const cells = storedCells(server.dataDir);
  const hits = [...secrets, ...typed].filter((s) => cells.some((c) => c.includes(s)));
  expect(hits).toEqual([]);
  expect(cells.some((c) => c.startsWith(sidProbe))).toBe(false);
  // Free text was stored, redacted, but never in a log.
  expect(cells.some((c) => c.includes('Zebra-7731') && c.includes('Jeg heter <NAME>, bor i <ADDRESS>, ring <PHONE> eller <PHONE>'))).toBe(true);
  expect(cells.some((c) => c.includes('Magacaygu waa <NAME>, waxaan deggenahay <ADDRESS>, lambarkaygu waa <PHONE>'))).toBe(true);
  expect(cells.some((c) => c.includes('Nazywam się <NAME>, mieszkam <ADDRESS>, dzwoń <PHONE>'))).toBe(true);

  const log = server.logLines.join('\n');
  for (const s of [...secrets, ...typed, 'Zebra-7731', 'Kontoret ringte', 'Nabad', 'Magacaygu', 'Nazywam']) expect(log).not.toContain(s);
});

test('answer tables hold a coarse period and no exact time', async () => {
  const db = new Database(path.join(server.dataDir, 'survey.db'), { readonly: true });
  const columns = ['Response', 'Answer'].flatMap((t) =>
    (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string; type: string }[]).map((c) => `${t}.${c.name}:${c.type}`),
  );
  const periods = (db.prepare('SELECT DISTINCT period FROM Response').all() as { period: string }[]).map((r) => r.period);
  db.close();
  expect(columns.filter((c) => /DATETIME|TIMESTAMP/i.test(c))).toEqual([]);
  expect(periods.every((p) => /^\d{4}-W\d{2}$/.test(p))).toBe(true);
});

test('the consent text names the organisation running the survey when configured', async () => {
  const named = await startTestServer({ SURVEY_ORGANISATION: 'Husbanken' });
  try {
    const r = new HttpRespondent(named.url);
    await r.say('👋');
    const consent = await r.text(texts.meta('pl').endonym);
    expect(consent).toContain(texts.s('pl', 'consent.purpose', { organisation: 'Husbanken' }));
    expect(consent).toContain(texts.s('pl', 'consent.after'));
  } finally {
    await named.close();
  }
});

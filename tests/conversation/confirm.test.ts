import { askedStep, createHarness, Harness, Respondent, startSurvey, texts } from '../helpers/harness';
import { HttpRespondent, startTestServer, TestServer } from '../helpers/http';
import { SMS_ENV, SmsPhone } from '../helpers/sms';
import { DirectLineRespondent } from '../channels/directLineClient';
import { TEST_SECRET } from '../helpers/harness';
import { StoredResponse } from '../../src/store/store';

/**
 * "Did I understand you right?" (issue [answers]): a typed answer the bot found only inside a
 * sentence, beside a negation or from word stems is named back to the respondent before it is
 * stored; "no" asks the question again with its numbered list; buttons, numbers and whole labels
 * cost no extra turn. Whole dialogues in several languages, one right-to-left.
 */
const confirmation = (lng: string, option: string) => texts.t(lng, 'bot:confirm.ask', { answer: texts.optionLabel(lng, option) });
const question = (lng: string, id: string) => texts.s(lng, `questions.${id}.text`);

/** Gets a respondent in `lng` to the situation question (needed_help answered yes). */
async function toSituation(r: Respondent, lng: string): Promise<void> {
  await startSurvey(r, lng);
  const reply = await r.text('1');
  expect(askedStep(lng, reply)).toBe('situation');
}

async function responseOf(h: Harness, lng: string): Promise<StoredResponse> {
  const mine = (await h.store.listResponses()).filter((x) => x.language === lng);
  expect(mine).toHaveLength(1);
  return mine[0];
}

describe.each([
  // [locale, a sentence naming one option, the option, a whole label or synonym of it]
  ['en', 'I am homeless at the moment', 'no_place', 'homeless'],
  ['so', "waxaan ahay hoy la'aan", 'no_place', "hoy la'aan"],
  ['ar', 'حاليا أنا بلا مأوى', 'no_place', 'بلا مأوى'], // right-to-left
  ['pl', 'teraz mieszkam u rodziny', 'friends_family', 'rodzina'],
])('%s', (lng, sentence, option, whole) => {
  test('a sentence is named back and stored on yes; the next question follows', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await toSituation(r, lng);
    const asked = await r.text(sentence);
    expect(asked).toContain(confirmation(lng, option));
    expect(asked).toContain(`1. ${texts.optionLabel(lng, 'yes')}`);
    expect(asked).toContain(`2. ${texts.optionLabel(lng, 'no')}`);
    expect(askedStep(lng, asked)).toBeUndefined();
    const next = await r.text(texts.optionLabel(lng, 'yes'));
    expect(askedStep(lng, next)).toBe('help_areas');
    const stored = await responseOf(h, lng);
    expect(stored.answers.find((a) => a.questionId === 'situation')?.value).toBe(option);
    expect(stored).toMatchObject({ confirmations: 1, confirmationsDeclined: 0 });
  });

  test('"no" asks the question again with its numbered list, and nothing is stored until an answer is sure', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await toSituation(r, lng);
    await r.text(sentence);
    const again = await r.text('2');
    expect(again).toContain(question(lng, 'situation'));
    expect(again).toContain(`7. ${texts.optionLabel(lng, 'no_place')}`);
    expect((await responseOf(h, lng)).answers.find((a) => a.questionId === 'situation')).toBeUndefined();
    const next = await r.text('6');
    expect(askedStep(lng, next)).toBe('help_areas');
    const stored = await responseOf(h, lng);
    expect(stored.answers.find((a) => a.questionId === 'situation')?.value).toBe('institution');
    expect(stored).toMatchObject({ confirmations: 1, confirmationsDeclined: 1 });
  });

  test('a whole label or synonym, a number and a button cost no extra turn', async () => {
    for (const typed of [whole, '7', texts.optionLabel(lng, option)]) {
      const h = await createHarness();
      const r = h.respondent();
      await toSituation(r, lng);
      expect(askedStep(lng, await r.text(typed))).toBe('help_areas');
      expect((await responseOf(h, lng)).confirmations).toBe(0);
    }
  });
});

describe('around the confirmation', () => {
  test('help while it is open shows help, then the same confirmation; a language switch asks it in the new language', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await toSituation(r, 'en');
    await r.text('I am homeless at the moment');
    const help = await r.text('help');
    expect(help).toContain(confirmation('en', 'no_place'));
    await r.text('language');
    const switched = await r.text(texts.meta('nb').endonym);
    expect(switched).toContain(confirmation('nb', 'no_place'));
    expect(askedStep('nb', await r.text('ja'))).toBe('help_areas');
  });

  test('back takes back what was just typed: the question again', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await toSituation(r, 'en');
    await r.text('I am homeless at the moment');
    expect(askedStep('en', await r.text('back'))).toBe('situation');
  });

  test('another answer instead of yes or no is taken as the answer', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await toSituation(r, 'en');
    await r.text('I am homeless at the moment');
    expect(askedStep('en', await r.text('4'))).toBe('help_areas');
    expect((await responseOf(h, 'en')).answers.find((a) => a.questionId === 'situation')?.value).toBe('temporary');
  });

  test('gibberish at the confirmation says so and asks the confirmation again', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await toSituation(r, 'en');
    await r.text('I am homeless at the moment');
    const reply = await r.text('qwzx');
    expect(reply).toContain(texts.t('en', 'bot:reprompt.no_match'));
    expect(reply).toContain(confirmation('en', 'no_place'));
  });

  test('a multiple choice named in a sentence is confirmed as a whole list', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await toSituation(r, 'nb');
    await r.text('1');
    const asked = await r.text('trenger hjelp med husleie og bostøtte');
    const labels = ['rent_arrears', 'housing_allowance'].map((o) => texts.optionLabel('nb', o)).join(texts.t('nb', 'bot:confirm.separator'));
    expect(asked).toContain(texts.t('nb', 'bot:confirm.ask', { answer: labels }));
    await r.text('ja');
    expect((await responseOf(h, 'nb')).answers.find((a) => a.questionId === 'help_areas')?.value).toEqual(['rent_arrears', 'housing_allowance']);
  });
});

/** The same step on each channel, through its real transport. */
describe('on every channel', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...SMS_ENV, SURVEY_SECRET: TEST_SECRET, DIRECTLINE_TOKENS_PER_MINUTE: '0', DIRECTLINE_CONVERSATIONS_PER_MINUTE: '0' });
  });
  afterAll(() => server.close());

  const known = async () => new Set((await server.bot.store.listResponses()).map((r) => r.id));

  async function confirmOn(say: (text: string) => Promise<string>, lng: string, channel: string, before: Set<string>): Promise<void> {
    expect(askedStep(lng, await say('1'))).toBe('situation');
    const asked = await say(lng === 'ar' ? 'حاليا أنا بلا مأوى' : 'I am homeless at the moment');
    expect(asked).toContain(confirmation(lng, 'no_place'));
    expect(askedStep(lng, await say('2'))).toBe('situation');
    await say(lng === 'ar' ? 'حاليا أنا بلا مأوى' : 'I am homeless at the moment');
    expect(askedStep(lng, await say('1'))).toBe('help_areas');
    const mine = (await server.bot.store.listResponses()).filter((r) => !before.has(r.id));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ channel, confirmations: 2, confirmationsDeclined: 1 });
    expect(mine[0].answers.find((a) => a.questionId === 'situation')?.value).toBe('no_place');
  }

  test('Bot Framework (/api/messages, expectReplies), in English', async () => {
    const before = await known();
    const r = new HttpRespondent(server.url);
    await r.text('👋');
    await r.text(String(texts.locales.list.findIndex((l) => l.tag === 'en') + 1));
    expect(await r.text('1')).toContain(question('en', 'needed_help'));
    await confirmOn((t) => r.text(t), 'en', 'emulator', before);
  });

  test('Direct Line with the official client, in Arabic (right-to-left)', async () => {
    const before = await known();
    const r = await DirectLineRespondent.start(server.url, { locale: 'ar' });
    try {
      await r.greeting();
      await r.text('1');
      expect(await r.text('1')).toContain(question('ar', 'needed_help'));
      await confirmOn((t) => r.text(t), 'ar', 'web', before);
    } finally {
      r.end();
    }
  });

  test('SMS over the signed Twilio webhook, in English', async () => {
    const before = await known();
    const phone = new SmsPhone(server);
    await phone.text('hello, I need help with housing');
    await phone.text('1');
    expect(await phone.text('1')).toContain(question('en', 'needed_help'));
    await confirmOn((t) => phone.text(t), 'en', 'sms', before);
  });
});

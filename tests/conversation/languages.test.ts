import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ActivityTypes } from 'botbuilder';
import { Command, Texts } from '../../src/language/texts';
import { loadLocales } from '../../src/language/i18n';
import { localesDir } from '../../src/paths';
import { askedStep, createHarness, Respondent, startSurvey, texts, textOf } from '../helpers/harness';

const endonym = (lng: string) => texts.meta(lng).endonym;
const confirmText = (lng: string) => texts.t(lng, 'bot:language.confirm', { endonym: endonym(lng) });

describe('choosing the language', () => {
  test.each([
    ['pl', 'Dzień dobry, potrzebuję pomocy z mieszkaniem'],
    ['ar', 'مرحبا، أحتاج مساعدة في السكن'],
    ['so', 'Nabad, waxaan u baahanahay caawimaad guri'],
    ['ti', 'ሰላም፡ ሓገዝ ገዛ የድልየኒ'],
    ['uk', 'Добрий день, мені потрібна допомога з житлом'],
  ])('guesses %s from the first message and asks to confirm instead of assuming', async (lng, first) => {
    const h = await createHarness();
    const r = h.respondent();
    const reply = await r.text(first);
    expect(reply).toContain(texts.greeting(lng));
    expect(reply).toContain(confirmText(lng));
    const consent = await r.text('1');
    expect(consent).toContain(texts.t(lng, 'bot:language.changed', { endonym: endonym(lng) }));
    expect(consent).toContain(texts.s(lng, 'consent.ask'));
  });

  test('"other language" on the confirmation shows the menu of endonyms', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await r.say('Dzień dobry, potrzebuję pomocy z mieszkaniem');
    const menu = await r.text('2');
    for (const l of texts.locales.list) expect(menu).toContain(l.endonym);
    expect(await r.text(String(texts.locales.list.findIndex((l) => l.tag === 'so') + 1))).toContain(texts.s('so', 'consent.ask'));
  });

  test('an unrecognisable first message goes straight to the menu', async () => {
    const h = await createHarness();
    const menu = await h.respondent().text('👍');
    expect(menu).toContain(texts.t(texts.defaultLocale, 'bot:language.menu'));
    expect(menu).not.toContain(confirmText('en'));
  });

  test("the channel locale (a browser's language) is a hint to confirm", async () => {
    const h = await createHarness();
    const reply = await h.respondent().text({ type: ActivityTypes.Message, text: '👍', locale: 'ar-SA' });
    expect(reply).toContain(confirmText('ar'));
  });

  describe('a sentence where a choice was expected', () => {
    // The web page greets before the respondent writes: the conversation opens with the
    // browser's language as the guess, and the first thing typed answers "Continue in …?".
    async function greetedIn(locale: string) {
      const h = await createHarness();
      const r = h.respondent();
      const greeting = await r.text({
        type: ActivityTypes.ConversationUpdate,
        membersAdded: [{ id: r.id, name: '' }],
        recipient: { id: 'bot', name: '' },
        locale,
      });
      return { h, r, greeting };
    }

    test('in the offered language continues in it', async () => {
      const { r, greeting } = await greetedIn('nb-NO');
      expect(greeting).toContain(confirmText('nb'));
      const reply = await r.text('Hei, jeg vil svare');
      expect(reply).toContain(texts.t('nb', 'bot:language.changed', { endonym: endonym('nb') }));
      expect(reply).toContain(texts.s('nb', 'consent.ask'));
      expect(reply).not.toContain(texts.t('nb', 'bot:reprompt.no_match'));
    });

    test.each([
      ['pl', 'Dzień dobry, chcę odpowiedzieć na pytania'],
      ['ar', 'مرحبا، أريد أن أجيب'],
      ['ti', 'ሰላም፡ ክምልስ እደሊ'],
    ])('in another supported language (%s) offers that language', async (lng, sentence) => {
      const { r } = await greetedIn('nb-NO');
      const reply = await r.text(sentence);
      expect(reply).toContain(confirmText(lng));
      expect(reply).not.toContain(texts.t('nb', 'bot:reprompt.no_match'));
      expect(await r.text('1')).toContain(texts.s(lng, 'consent.ask'));
    });

    test('that no language can be read from is not understood', async () => {
      const { r } = await greetedIn('nb-NO');
      const reply = await r.text('qwzx vbnm');
      expect(reply).toContain(texts.t('nb', 'bot:reprompt.no_match'));
      expect(reply).toContain(confirmText('nb'));
    });

    test('under the menu offers the language it is written in', async () => {
      const h = await createHarness();
      const r = h.respondent();
      await r.say('👍');
      expect(await r.text('Добрий день, мені потрібна допомога з житлом')).toContain(confirmText('uk'));
    });
  });

  test('on SMS the menu comes in pages with a "more languages" entry', async () => {
    const h = await createHarness();
    const r = h.respondent('+4799999999', 'sms');
    const page1 = await r.text('👍');
    const list = texts.locales.list;
    expect(page1).toContain(`1. ${list[0].endonym}`);
    expect(page1).toContain(`7. ${texts.t(texts.defaultLocale, 'bot:language.more')}`);
    expect(page1).not.toContain(list[6].endonym);
    const page2 = await r.text('7');
    expect(page2).toContain(`1. ${list[6].endonym}`);
    expect(await r.text('4')).toContain(texts.t(list[9].tag, 'bot:language.changed', { endonym: list[9].endonym }));
  });

  test('the word for "language" in any supported language opens the menu mid-survey', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, 'nb');
    const menu = await r.text(texts.words.keyword('ar', Command.Language));
    expect(menu).toContain(endonym('ar'));
  });
});

describe('answers in every script', () => {
  test.each([
    ['ar', '٣'],
    ['fa', '۳'],
    ['ur', '۳'],
    ['th', '๓'],
    ['en', '3'],
  ])('%s: "%s" selects option 3', async (lng, digit) => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, lng);
    await r.say('2'); // needed_help: no
    await r.say(digit); // situation
    const [resp] = await h.store.listResponses();
    expect(resp.answers.find((a) => a.questionId === 'situation')!.value).toBe('rent_municipal');
  });

  test.each([
    ['nb', 'ja'],
    ['pl', 'tak'],
    ['so', 'haa'],
    ['ar', 'نعم'],
    ['ti', 'እወ'],
    ['uk', 'так'],
    ['fa', 'بله'],
  ])('%s: "%s" answers a yes question with yes', async (lng, word) => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, lng);
    expect(askedStep(lng, await r.text(word))).toBe('situation');
    const [resp] = await h.store.listResponses();
    expect(resp.answers[0]).toMatchObject({ questionId: 'needed_help', value: 'yes', language: lng, fallback: false });
  });
});

describe('ambiguous answers', () => {
  test.each([
    ['ar', 'أملك بيتي أو أستأجر من البلدية'],
    ['nb', 'jeg eier boligen, eller jeg leier av kommunen'],
  ])('%s: an answer that fits two options is asked again and counted as not understood', async (lng, both) => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, lng);
    await r.say('2'); // needed_help: no
    const reply = await r.text(both);
    expect(reply).toContain(texts.t(lng, 'bot:reprompt.ambiguous'));
    expect(askedStep(lng, reply)).toBe('situation');
    const [resp] = await h.store.listResponses();
    expect(resp.notUnderstoodCount).toBe(1);
    expect(resp.answers.map((a) => a.questionId)).toEqual(['needed_help']);
  });

  test('ru: renting from the municipality is not coded as private renting', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, 'ru');
    await r.say('2');
    await r.say('снимаю у коммуны');
    const [resp] = await h.store.listResponses();
    expect(resp.answers.find((a) => a.questionId === 'situation')?.value).toBe('rent_municipal');
  });
});

describe('Tigrinya commands in every form', () => {
  test.each([
    ['ተመለሲ', 'feminine'],
    ['ተመለሱ', 'plural'],
    ['temeles', 'in Latin letters'],
  ])('"%s" (%s) goes back to the previous question', async (word) => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, 'ti');
    await r.say('2');
    expect(askedStep('ti', await r.text(word))).toBe('needed_help');
  });

  test('"ኣዕርፊ" (feminine) pauses, and any message resumes', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, 'ti');
    expect(await r.text('ኣዕርፊ')).toBe(texts.t('ti', 'bot:pause.paused'));
    expect(await r.text('ሰላም')).toContain(texts.t('ti', 'bot:pause.resumed'));
  });
});

describe('comprehension', () => {
  test('an answer to a question shown partly in a fallback language is marked as such', async () => {
    // A copy of the locales where Somali lacks one question's text: it falls back to English.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'locales-'));
    fs.cpSync(localesDir, dir, { recursive: true });
    const file = path.join(dir, 'so', 'housing-help.json');
    const so = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete so.questions.situation.text;
    fs.writeFileSync(file, JSON.stringify(so));
    const partial = new Texts(loadLocales(dir), texts.survey, undefined, 'nb');

    const h = await createHarness({ texts: partial });
    const r = h.respondent();
    await startSurvey(r, 'so');
    const reply = await r.text('haa');
    expect(reply).toContain(texts.s('en', 'questions.situation.text'));
    await r.say('1');
    const [resp] = await h.store.listResponses();
    const byQ = Object.fromEntries(resp.answers.map((a) => [a.questionId, a.fallback]));
    expect(byQ).toEqual({ needed_help: false, situation: true });
  });

  test.each(['nb', 'ar', 'so'])('"I don\'t understand" in %s re-explains in simpler words, then offers another language, and is counted', async (lng) => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, lng);
    const words = texts.list(lng, 'bot:keywords.dont_understand');
    const first = await r.text(words[0]);
    expect(first).toContain(texts.s(lng, 'questions.needed_help.simple'));
    expect(first).not.toContain(texts.t(lng, 'bot:understand.offer_language', { language: texts.words.keyword(lng, Command.Language) }));
    expect(askedStep(lng, first)).toBe('needed_help');
    const second = await r.text(words[0]);
    expect(second).toContain(texts.t(lng, 'bot:understand.offer_language', { language: texts.words.keyword(lng, Command.Language) }));
    const [resp] = await h.store.listResponses();
    expect(resp.notUnderstoodCount).toBe(2);
    expect(resp.answers).toEqual([]);
  });

  test("a switch from nb to ar mid-survey keeps every answer and records each answer's language and the switch", async () => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, 'nb');
    await r.say('ja');
    await r.say('4');
    await r.say('1, 2');
    await r.say(texts.words.keyword('nb', Command.Language));
    const reply = await r.text(endonym('ar'));
    expect(askedStep('ar', reply)).toBe('help_got[find_home]');
    await r.say('١');
    const [resp] = await h.store.listResponses();
    expect(resp.languageSwitches).toBe(1);
    expect(resp.language).toBe('nb'); // the language the response started in
    const byQuestion = Object.fromEntries(resp.answers.map((a) => [a.iteration ? `${a.questionId}[${a.iteration}]` : a.questionId, [a.value, a.language]]));
    expect(byQuestion).toEqual({
      needed_help: ['yes', 'nb'],
      situation: ['temporary', 'nb'],
      help_areas: [['find_home', 'temp_to_permanent'], 'nb'],
      'help_got[find_home]': ['yes', 'ar'],
    });
  });
});

/**
 * Golden transcripts: whole surveys in twelve languages, six of them right-to-left, compared with
 * files under tests/golden/. They catch a broken or truncated translation that key checks cannot.
 * After an intended wording change, regenerate with UPDATE_GOLDEN=1 and read the diff.
 */
describe('golden transcripts', () => {
  const plans: Record<string, string[]> = {
    ar: ['نعم', '٤', '١، ٢', '١', '١ و ٢', '٣', 'نعم', '٢', '٣', '٤', '١', '٣', 'لا', '٢', '٧', '٢', 'أوسلو', 'مترجم في مكتب NAV'],
    so: ['haa', '4', '1, 2', '1', '1', '4', 'maya', '1', '2', '3', '1', '2', 'haa', '2', '3', '2', 'Oslo', 'Turjubaan'],
    ti: ['እወ', '4', '1, 2', '1', '1', '3', 'እወ', '1', '3', '4', '1', '3', 'አይ', '2', '5', '3', '-', 'ተርጓሚ'],
    pl: ['tak', '4', '1, 2', '1', '1', '4', 'tak', '1', '3', '3', '1', '3', 'nie', '2', '10', '2', 'Bergen', 'Tłumacz w NAV'],
    uk: ['так', '4', '1, 2', '1', '1', '4', 'ні', '1', '4', '5', '1', '2', 'так', '2', '1', '1', 'Oslo', 'Перекладач'],
    // Typed as on other keyboards and in native digits: Urdu with Arabic ي and ه, Persian and
    // Sorani digits, Sorani with ه + ZWNJ, Thai digits.
    ur: ['جي هاں', '۴', '۱، ۲', '1', '1', '4', 'نهیں', '1', '2', '3', '1', '2', 'جی ہاں', '2', '3', '2', 'Oslo', 'NAV میں ترجمان'],
    fa: ['بله', '۴', '۱، ۲', '۱', '1', '4', 'نه', '1', '3', '4', '1', '3', 'بله', '2', '۵', '2', 'Oslo', 'مترجم'],
    prs: ['بلی', '4', '1, 2', '1', '1', '4', 'نخیر', '1', '2', '3', '1', '2', 'بلی', '2', '3', '2', 'Bergen', 'ترجمان'],
    ps: ['هو', '4', '1, 2', '1', '1', '4', 'نه', '1', '2', '3', '1', '2', 'هو', '2', '3', '2', 'Oslo', 'ژباړونکی'],
    ckb: ['به\u200cڵێ', '٤', '١، ٢', '1', '1', '4', 'نه\u200cخێر', '1', '2', '3', '1', '2', 'بەڵێ', '2', '3', '2', 'Oslo', 'وەرگێڕ'],
    th: ['ใช่', '๔', '๑, ๒', '1', '1', '4', 'ไม่', '1', '2', '3', '1', '2', 'ใช่', '2', '3', '2', 'Bergen', 'ล่าม'],
    se: ['juo', '4', '1, 2', '1', '1', '4', 'ii', '1', '2', '3', '1', '2', 'juo', '2', '3', '2', 'Tromsø', 'Dulka'],
  };

  async function transcript(lng: string, inputs: string[]): Promise<string> {
    const h = await createHarness();
    const r = new Respondent(h.adapter, `golden-${lng}`, 'test');
    const lines: string[] = [];
    const turn = async (input: string) => {
      lines.push(`> ${input}`);
      for (const a of await r.say(input)) lines.push(a.type === ActivityTypes.Message ? `< ${a.text}` : `< [${a.type}]`);
    };
    await turn('👋');
    await turn(endonym(lng));
    await turn('1');
    for (const input of inputs) await turn(input);
    const [resp] = await h.store.listResponses();
    expect(resp.status).toBe('completed');
    return `${lines.join('\n')}\n`;
  }

  test.each(Object.keys(plans))('%s', async (lng) => {
    const file = path.join(__dirname, '..', 'golden', `${lng}.txt`);
    const actual = await transcript(lng, plans[lng]);
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, actual);
    expect(actual).toBe(fs.readFileSync(file, 'utf8'));
    expect(actual).toContain(`< [${ActivityTypes.EndOfConversation}]`);
  });
});

test('textOf joins replies', () => {
  expect(textOf([{ text: 'a' }, { type: 'typing' }, { text: 'b' }])).toBe('a\nb');
});

import { ActivityTypes } from 'botbuilder';
import { stateKey } from '../../src/identity';
import { TEST_SECRET } from '../helpers/harness';
import { Command } from '../../src/language/texts';
import { askedStep, createHarness, startSurvey, texts, textOf } from '../helpers/harness';

// Every supported language: the keywords, labels and re-prompts of each locale are exercised.
const LANGS = texts.locales.list.map((l) => l.tag);
const kw = (lng: string, c: Command) => texts.words.keyword(lng, c);

describe.each(LANGS)('interruptions in %s', (lng) => {
  test('back lets the respondent change the previous answer', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, lng);
    await r.say('2'); // needed_help: no
    expect(askedStep(lng, await r.text('1'))).toBe('children'); // situation: owner
    const reply = await r.text(kw(lng, Command.Back));
    expect(askedStep(lng, reply)).toBe('situation');
    expect(askedStep(lng, await r.text('4'))).toBe('temp_duration'); // now: temporary housing
    const [resp] = await h.store.listResponses();
    expect(resp.answers.find((a) => a.questionId === 'situation')!.value).toBe('temporary');
  });

  test('back at the first question says so and asks it again', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, lng);
    const reply = await r.text(kw(lng, Command.Back));
    expect(reply).toContain(texts.t(lng, 'bot:back.first'));
    expect(askedStep(lng, reply)).toBe('needed_help');
  });

  test('language switches mid-survey, continues at the same question and keeps every answer', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, lng);
    await r.say('1'); // needed_help: yes
    const menu = await r.text(kw(lng, Command.Language));
    expect(menu).toContain(texts.meta('en').endonym);
    const target = lng === 'en' ? 'nb' : 'en';
    const reply = await r.text(texts.meta(target).endonym);
    expect(reply).toContain(texts.t(target, 'bot:language.changed', { endonym: texts.meta(target).endonym }));
    expect(askedStep(target, reply)).toBe('situation');
    await r.say('3');
    const [resp] = await h.store.listResponses();
    expect(resp.answers.map((a) => [a.questionId, a.value, a.language]).sort()).toEqual(
      [
        ['needed_help', 'yes', lng],
        ['situation', 'rent_municipal', target],
      ].sort(),
    );
  });

  test('stop pauses, and the next message resumes at the same question without being taken as an answer', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, lng);
    await r.say('1');
    expect(await r.text(kw(lng, Command.Stop))).toBe(texts.t(lng, 'bot:pause.paused'));
    const reply = await r.text('1');
    expect(reply).toContain(texts.t(lng, 'bot:pause.resumed'));
    expect(askedStep(lng, reply)).toBe('situation');
    const [resp] = await h.store.listResponses();
    expect(resp.answers.map((a) => a.questionId)).toEqual(['needed_help']);
  });

  test('delete, after confirmation, removes the response and ends the conversation', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, lng);
    await r.say('1');
    await r.say('2');
    expect(await h.store.listResponses()).toHaveLength(1);
    expect(await r.text(kw(lng, Command.Delete))).toContain(texts.t(lng, 'bot:delete.confirm'));
    const replies = await r.say(texts.t(lng, 'bot:delete.yes'));
    expect(textOf(replies)).toContain(texts.t(lng, 'bot:delete.done'));
    expect(replies.at(-1)!.type).toBe(ActivityTypes.EndOfConversation);
    expect(await h.store.listResponses()).toEqual([]);
    // A new message starts afresh, in the default language: nothing links back to the deleted response.
    expect(await r.text('hei')).toContain(texts.t(texts.defaultLocale, 'bot:language.menu'));
  });

  test('delete answered with no keeps everything and asks the question again', async () => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, lng);
    await r.say('1');
    await r.say(kw(lng, Command.Delete));
    const reply = await r.text('2');
    expect(reply).toContain(texts.t(lng, 'bot:delete.kept'));
    expect(askedStep(lng, reply)).toBe('situation');
    expect((await h.store.listResponses())[0].answers).toHaveLength(1);
  });

  test("help explains the commands in the respondent's language and asks the question again", async () => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, lng);
    const reply = await r.text(kw(lng, Command.Help));
    for (const c of [Command.Back, Command.Language, Command.Stop, Command.Delete]) expect(reply).toContain(kw(lng, c));
    expect(askedStep(lng, reply)).toBe('needed_help');
  });

  test("a wrong answer gets a re-prompt in the respondent's language and stores nothing", async () => {
    const h = await createHarness();
    const r = h.respondent();
    await startSurvey(r, lng);
    const reply = await r.text('9');
    expect(reply).toContain(texts.t(lng, 'bot:reprompt.out_of_range'));
    expect(askedStep(lng, reply)).toBe('needed_help');
    const gibberish = await r.text('xqzt vbn');
    expect(gibberish).toContain(texts.t(lng, 'bot:reprompt.no_match'));
    expect((await h.store.listResponses())[0].answers).toEqual([]);
  });
});

test('no consent, nothing stored, and the state is gone', async () => {
  const h = await createHarness();
  const r = h.respondent();
  await r.say('hei');
  await r.say('1');
  const replies = await r.say('nei');
  expect(textOf(replies)).toContain(texts.s('nb', 'consent.declined'));
  expect(replies.at(-1)!.type).toBe(ActivityTypes.EndOfConversation);
  expect(await h.store.listResponses()).toEqual([]);
  expect(await h.store.readState(stateKey(TEST_SECRET, r.channelId, r.id))).toBeUndefined();
});

test('completing the survey deletes the conversation state and sends endOfConversation', async () => {
  const h = await createHarness();
  const r = h.respondent();
  await startSurvey(r, 'nb');
  for (const a of ['2', '1', '2', '1', '3', '-']) await r.say(a);
  const last = await r.say('-');
  expect(textOf(last)).toContain(texts.s('nb', 'thanks.where_help'));
  expect(last.at(-1)!.type).toBe(ActivityTypes.EndOfConversation);
  expect((await h.store.listResponses())[0].status).toBe('completed');
  expect(await h.store.readState(stateKey(TEST_SECRET, r.channelId, r.id))).toBeUndefined();
});

test('questions with options carry suggested actions and list numbered options in the text', async () => {
  const h = await createHarness();
  const r = h.respondent();
  await startSurvey(r, 'en');
  const replies = await r.say('1');
  const q = replies.find((a) => a.suggestedActions)!;
  const labels = ['owner', 'rent_private', 'rent_municipal'].map((o) => texts.optionLabel('en', o));
  expect(q.suggestedActions!.actions.slice(0, 3).map((a) => a.value)).toEqual(labels);
  expect(q.text).toContain(`1. ${labels[0]}\n2. ${labels[1]}`);
  // Clicking a button sends its label, which must be understood.
  expect(askedStep('en', await r.text(labels[2]))).toBe('help_areas');
});

test('the progress line counts questions', async () => {
  const h = await createHarness();
  const r = h.respondent();
  const first = await startSurvey(r, 'en');
  expect(first).toContain(texts.t('en', 'bot:question.progress', { index: 1, total: 17 }));
  expect(await r.text('2')).toContain(texts.t('en', 'bot:question.progress', { index: 2, total: 9 }));
});

test("two respondents on the same bot do not see each other's state", async () => {
  const h = await createHarness();
  const a = h.respondent('a');
  const b = h.respondent('b');
  await startSurvey(a, 'en');
  await startSurvey(b, 'nb');
  expect(askedStep('en', await a.text('1'))).toBe('situation');
  expect(askedStep('nb', await b.text('2'))).toBe('situation');
  const responses = await h.store.listResponses();
  expect(responses.map((x) => [x.language, x.answers[0].value]).sort()).toEqual([
    ['en', 'yes'],
    ['nb', 'no'],
  ]);
});

import { ActivityTypes } from 'botbuilder';
import { SurveyCatalog } from '../../src/registry/surveyCatalog';
import { SurveyRegistry } from '../../src/registry/surveyRegistry';
import { setText } from '../../src/registry/surveyPackage';
import { Command, Texts } from '../../src/language/texts';
import { SurveyStore } from '../../src/store/store';
import { askedStep, createHarness, Harness, Respondent, sqliteStore, startSurvey, texts } from '../helpers/harness';

/**
 * Several surveys in one registry: a conversation reaches the survey it asks for, finishes on the
 * version it started on whatever is published meanwhile (also across a restart), and is told in
 * its language when its survey has closed.
 */
let store: SurveyStore;
let harness: Harness;
let registry: SurveyRegistry;
let participation: Texts;

beforeEach(async () => {
  store = await sqliteStore();
  harness = await createHarness({ store });
  registry = new SurveyRegistry(store, texts.locales);
  const catalog = new SurveyCatalog(store, texts.locales, { defaultLocale: 'nb', defaultSurvey: 'housing-help', refreshMs: 0 });
  participation = await catalog.textsFor('resident-participation', 1);
});
afterEach(() => store.close());

/** The question of `survey` a reply asks, found by its text in `lng`. */
function askedIn(t: Texts, lng: string, reply: string): string | undefined {
  const lines = reply.split('\n');
  return t.survey.items.flatMap((i) => (i.type === 'repeat' ? [] : [i.id])).find((id) => lines.includes(t.s(lng, `questions.${id}.text`)));
}

/** A new version of housing-help with one more situation, "caravan", labelled in every language. */
async function publishCaravanVersion(): Promise<number> {
  const v1 = await registry.read('housing-help', 1);
  const definition = structuredClone(v1.definition);
  const situation = definition.items.find((i) => i.id === 'situation');
  if (situation?.type !== 'single') throw new Error('situation is not a single choice');
  situation.options.splice(situation.options.indexOf('other'), 0, 'caravan');
  const textsV2 = structuredClone(v1.texts);
  for (const lng of Object.keys(textsV2)) {
    setText(textsV2[lng], 'options.caravan.label', `Caravan (${lng})`);
    setText(textsV2[lng], 'options.caravan.synonyms', []);
  }
  const { version } = await registry.importPackage({ definition: { ...definition, version: 2 }, texts: textsV2, provenance: v1.provenance });
  await registry.publish('housing-help', version);
  return version;
}

const situationShows = (reply: string, lng: string) => reply.includes(`Caravan (${lng})`);

test('Bot Framework channelData picks the survey; the greeting names its title in the respondent language', async () => {
  const r = harness.respondent('bf-user', 'emulator');
  const greeting = await r.text({ type: ActivityTypes.Message, text: 'Salaan', channelData: { survey: 'resident-participation' } });
  expect(greeting).toContain(participation.greeting('so'));
  expect(greeting).toContain(participation.s('so', 'title'));
  expect(greeting).not.toContain(texts.s('so', 'title'));
  await r.say(texts.meta('so').endonym);
  const first = await r.text('1');
  expect(askedIn(participation, 'so', first)).toBe('housing_offer');
});

test('value.survey on the conversation update picks the survey too', async () => {
  const r = harness.respondent('emulator-user', 'emulator');
  const replies = await r.text({
    type: ActivityTypes.ConversationUpdate,
    membersAdded: [{ id: 'emulator-user', name: '' }],
    recipient: { id: 'bot', name: '' },
    value: { survey: 'resident-participation' },
  });
  expect(replies).toContain(participation.s('nb', 'title'));
});

test('a survey nobody asked for, or one the registry does not have, is the default survey', async () => {
  for (const [id, channelData] of [
    ['plain', undefined],
    ['unknown', { survey: 'no-such-survey' }],
    ['malformed', { survey: '../../etc' }],
  ] as const) {
    const r = harness.respondent(id);
    expect(await r.text({ type: ActivityTypes.Message, text: 'hei', channelData })).toContain(texts.greeting('nb'));
  }
});

test('the resident participation survey completes in Arabic (right to left) and in Tigrinya, stored under its own id', async () => {
  const plan: Record<string, string> = {
    housing_offer: '1',
    took_part: '2',
    listened_to: '4',
    safe_home: '1',
    easy_to_move: '2',
    background: '2',
    age_band: '2',
    what_would_help: '3',
  };
  for (const lng of ['ar', 'ti']) {
    const r = harness.respondent(`rp-${lng}`, 'emulator');
    await r.say({ type: ActivityTypes.Message, text: 'hi', channelData: { survey: 'resident-participation' } });
    await r.say(texts.meta(lng).endonym);
    let reply = await r.text('1');
    const asked: string[] = [];
    for (let q = askedIn(participation, lng, reply); q; q = askedIn(participation, lng, reply)) {
      asked.push(q);
      reply = await r.text(q === 'what_would_help' ? participation.words.keyword(lng, 'skip') : plan[q]);
    }
    expect(reply).toContain(participation.s(lng, 'thanks.done'));
    expect(asked).toEqual(['housing_offer', 'took_part', 'listened_to', 'safe_home', 'easy_to_move', 'background', 'age_band', 'what_would_help']);
  }
  const mine = (await store.listResponses()).filter((r) => r.surveyId === 'resident-participation');
  expect(mine.map((r) => [r.language, r.status, r.surveyVersion]).sort()).toEqual([
    ['ar', 'completed', 1],
    ['ti', 'completed', 1],
  ]);
  expect(mine.find((r) => r.language === 'ar')!.answers.find((a) => a.questionId === 'took_part')!.value).toBe('partly');
});

test('a conversation started on v1 finishes on v1 after v2 is published, also after a restart; new conversations get v2', async () => {
  const early = harness.respondent('early');
  await startSurvey(early, 'en');
  const situation = await early.text('yes');
  expect(askedStep('en', situation)).toBe('situation');
  expect(situationShows(situation, 'en')).toBe(false);

  expect(await publishCaravanVersion()).toBe(2);

  // The same bot: the running conversation keeps v1's question, with v1's options.
  const again = await early.text(texts.words.keyword('en', Command.Help));
  expect(situationShows(again, 'en')).toBe(false);
  // A restart (a new bot process on the same database) changes nothing for it.
  const restarted = await createHarness({ store });
  const earlyAfter = restarted.respondent('early');
  const answered = await earlyAfter.text('1');
  expect(askedStep('en', answered)).not.toBe('situation');

  const late = restarted.respondent('late');
  await startSurvey(late, 'en');
  expect(situationShows(await late.text('yes'), 'en')).toBe(true);
  await late.text('caravan (en)');

  const byRespondent = await store.listResponses();
  expect(byRespondent.map((r) => r.surveyVersion).sort()).toEqual([1, 2]);
  const v2 = byRespondent.find((r) => r.surveyVersion === 2)!;
  expect(v2.answers.find((a) => a.questionId === 'situation')!.value).toBe('caravan');
  expect(byRespondent.find((r) => r.surveyVersion === 1)!.answers.find((a) => a.questionId === 'situation')!.value).toBe('owner');
});

test('closing a survey tells a respondent who writes to it, in their language, that it has ended, and keeps what they gave', async () => {
  const r: Respondent = harness.respondent('closing');
  await r.say({ type: ActivityTypes.Message, text: 'Salaan', channelData: { survey: 'resident-participation' } });
  await r.say(texts.meta('so').endonym);
  await r.say('1');
  await r.say('1');
  await registry.close('resident-participation');
  const reply = await r.text('2');
  expect(reply).toBe(participation.t('so', 'bot:survey.closed'));
  const [response] = (await store.listResponses()).filter((x) => x.surveyId === 'resident-participation');
  expect(response.status).toBe('in_progress');
  expect(response.answers.map((a) => a.questionId)).toEqual(['housing_offer']);
  // A new respondent asking for it is told so too, and nothing is stored for them.
  const newcomer = harness.respondent('newcomer');
  expect(await newcomer.text({ type: ActivityTypes.Message, text: 'hei', channelData: { survey: 'resident-participation' } })).toBe(
    participation.t('nb', 'bot:survey.closed'),
  );
  expect((await store.listResponses()).filter((x) => x.surveyId === 'resident-participation')).toHaveLength(1);
});

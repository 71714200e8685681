import { Command } from '../../src/language/texts';
import { setText } from '../../src/registry/surveyPackage';
import { SurveyRegistry } from '../../src/registry/surveyRegistry';
import { PgStore } from '../../src/store/pgStore';
import { StoredResponse } from '../../src/store/store';
import { DirectLineRespondent, isBot, textOf } from '../channels/directLineClient';
import { askedStep, TEST_SECRET, texts } from '../helpers/harness';
import { HttpRespondent } from '../helpers/http';
import { NB_PLAN } from '../helpers/plans';
import { freshDatabase, postgresReachable, POSTGRES_SKIP_MESSAGE } from '../helpers/postgres';
import { BotProcess, startBotProcess } from '../helpers/process';
import { Proxy, roundRobinProxy } from '../helpers/proxy';
import { postSms, SMS_ENV, SmsPhone } from '../helpers/sms';

/**
 * Two stateless bot processes on one PostgreSQL database behind a round-robin balancer, as a
 * scaled-out deployment runs them: everything a turn needs is in the database, so it does not
 * matter which process serves which request, and a process can die without losing a respondent.
 */
let skip = false;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let bots: BotProcess[] = [];
let proxy: Proxy;
let store: PgStore;

beforeAll(async () => {
  if (!(await postgresReachable())) {
    skip = true;
    return console.warn(POSTGRES_SKIP_MESSAGE);
  }
  db = await freshDatabase('two_processes');
  // SURVEY_REFRESH_SECONDS=0: a version published through the registry is seen at the next turn.
  const env = { DATABASE_URL: db.url, SURVEY_SECRET: TEST_SECRET, ...SMS_ENV, LOG_LEVEL: 'warn', SURVEY_REFRESH_SECONDS: '0' };
  // Started together: both migrate at once, under PostgreSQL's advisory lock.
  bots = await Promise.all([startBotProcess(env), startBotProcess(env)]);
  proxy = await roundRobinProxy(bots.map((b) => b.url));
  store = new PgStore(db.url);
}, 60000);

afterAll(async () => {
  if (skip) return;
  await proxy.close();
  await Promise.all(bots.map((b) => b.stop()));
  await store.close();
  await db.drop();
}, 60000);

const it = (name: string, fn: () => Promise<void>, timeout = 60000) => test(name, async () => (skip ? undefined : fn()), timeout);

/** A whole bokmål survey, each turn to whichever process the balancer picks; returns the steps asked. */
async function surveyThrough(say: (text: string) => Promise<string>, greeting?: string): Promise<string[]> {
  if (!greeting) await say('hei');
  await say(texts.meta('nb').endonym);
  let reply = await say(texts.optionLabel('nb', 'yes'));
  const asked: string[] = [];
  for (let step = askedStep('nb', reply); step; step = askedStep('nb', reply)) {
    asked.push(step);
    reply = await say(NB_PLAN[step]);
  }
  expect(reply).toContain(texts.s('nb', 'thanks.done'));
  return asked;
}

const completed = async (): Promise<StoredResponse[]> => (await store.listResponses({ status: 'completed' })).filter((r) => r.language === 'nb');
const newIn = (before: Set<string>, rs: StoredResponse[]) => rs.filter((r) => !before.has(r.id));

it('a conversation whose turns alternate between the processes completes with every answer', async () => {
  const before = new Set((await completed()).map((r) => r.id));
  const hitsBefore = [...proxy.hits];
  const r = new HttpRespondent(proxy.url, 'alternating-respondent');
  const asked = await surveyThrough((t) => r.text(t));
  const [mine] = newIn(before, await completed());
  expect(mine).toBeDefined();
  expect(mine.answers.map((a) => (a.iteration ? `${a.questionId}[${a.iteration}]` : a.questionId)).sort()).toEqual([...asked].sort());
  // Both processes served this respondent.
  expect(proxy.hits[0] - hitsBefore[0]).toBeGreaterThan(5);
  expect(proxy.hits[1] - hitsBefore[1]).toBeGreaterThan(5);
});

it('Web Chat polling one process and posting to the other loses and reorders nothing', async () => {
  const before = new Set((await completed()).map((r) => r.id));
  // Every poll (GET) to the first process, every post to the second.
  const split = await roundRobinProxy(
    bots.map((b) => b.url),
    (req) => (req.method === 'GET' ? 0 : 1),
  );
  const dl = await DirectLineRespondent.start(split.url, { locale: 'nb' });
  try {
    const greeting = textOf(await dl.greeting());
    expect(greeting).toContain(texts.greeting('nb'));
    const asked = await surveyThrough((t) => dl.text(t), greeting);
    const [mine] = newIn(before, await completed());
    expect(mine.answers).toHaveLength(asked.length);
    // Every activity arrived once, in the order the outbox numbered it.
    const seqs = dl.seen.map((a) => (a.channelData as { 'webchat:sequence-id': number })['webchat:sequence-id']);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    // No number skipped, except where the numbering moved up to a new hour's floor (outboxSeqFloor).
    const gaps = seqs.slice(1).filter((s, i) => s !== seqs[i] + 1 && s % 1000 !== 1);
    expect(gaps).toEqual([]);
    // Each user message is followed by its replies, never by another turn's.
    expect(dl.seen.filter((a) => !isBot(a))).toHaveLength(asked.length + 2);
    expect(split.hits[0]).toBeGreaterThan(asked.length);
    expect(split.hits[1]).toBeGreaterThan(asked.length);
  } finally {
    dl.end();
    await split.close();
  }
});

it('two copies of one SMS delivered to the two processes at once store one answer', async () => {
  const phone = new SmsPhone({ url: proxy.url } as never);
  await phone.send('hei');
  await phone.send(texts.meta('nb').endonym);
  await phone.send(texts.optionLabel('nb', 'yes'));
  const params = phone.params('1');
  const [a, b] = await Promise.all(bots.map((bot) => postSms({ url: bot.url } as never, params)));
  expect([a.status, b.status]).toEqual([200, 200]);
  expect(a.messages).toEqual(b.messages);
  expect(askedStep('nb', a.messages.join('\n'))).toBe('situation');
  const mine = (await store.listResponses()).filter((r) => r.channel === 'sms' && r.answers.some((x) => x.questionId === 'needed_help'));
  expect(mine).toHaveLength(1);
  expect(mine[0].answers.filter((x) => x.questionId === 'needed_help')).toHaveLength(1);
});

it('a conversation started on v1 finishes on v1 when v2 is published mid-conversation, with its turns on both processes', async () => {
  const early = new HttpRespondent(proxy.url, 'versioned-early');
  await early.say('hei');
  await early.say(texts.meta('nb').endonym);
  await early.say(texts.optionLabel('nb', 'yes'));
  expect(askedStep('nb', await early.text(NB_PLAN.needed_help))).toBe('situation');

  // An operator publishes v2 of the survey: one more situation, labelled in every language.
  const registry = new SurveyRegistry(store, texts.locales);
  const v1 = await registry.read('housing-help', 1);
  const definition = structuredClone(v1.definition);
  const situation = definition.items.find((i) => i.id === 'situation');
  if (situation?.type !== 'single') throw new Error('situation is not a single choice');
  situation.options.push('caravan');
  const textsV2 = structuredClone(v1.texts);
  for (const lng of Object.keys(textsV2)) setText(textsV2[lng], 'options.caravan.label', `Campingvogn (${lng})`);
  const { version } = await registry.importPackage({ definition: { ...definition, version: 2 }, texts: textsV2, provenance: v1.provenance });
  await registry.publish('housing-help', version);

  // The running conversation goes on with v1, whichever process takes each turn.
  let reply = await early.text(texts.words.keyword('nb', Command.Help));
  expect(reply).not.toContain('Campingvogn');
  reply = await early.text(NB_PLAN.situation);
  for (let step = askedStep('nb', reply); step; step = askedStep('nb', reply)) reply = await early.text(NB_PLAN[step]);
  expect(reply).toContain(texts.s('nb', 'thanks.done'));

  const late = new HttpRespondent(proxy.url, 'versioned-late');
  await late.say('hei');
  await late.say(texts.meta('nb').endonym);
  await late.say(texts.optionLabel('nb', 'yes'));
  expect(await late.text(NB_PLAN.needed_help)).toContain('Campingvogn (nb)');

  const versions = (await store.listResponses()).filter((r) => r.answers.length && r.surveyId === 'housing-help').map((r) => [r.status, r.surveyVersion]);
  expect(versions.filter(([, v]) => v === 2)).toEqual([['in_progress', 2]]);
  const earlyResponse = (await store.listResponses({ status: 'completed' })).filter(
    (r) => r.surveyVersion === 1 && r.answers.some((a) => a.questionId === 'situation' && a.value === 'rent_private'),
  );
  expect(earlyResponse.length).toBeGreaterThan(0);
});

it('one process killed mid-survey: the other carries every conversation on', async () => {
  const before = new Set((await completed()).map((r) => r.id));
  const respondents = Array.from({ length: 6 }, (_, i) => new HttpRespondent(proxy.url, `survivor-${i}`));
  // Half way through the survey…
  for (const r of respondents) {
    await r.say('hei');
    await r.say(texts.meta('nb').endonym);
    await r.say(texts.optionLabel('nb', 'yes'));
    await r.say(NB_PLAN.needed_help);
    await r.say(NB_PLAN.situation);
  }
  await bots[0].kill();
  // …and on to the end, through the one process left.
  for (const r of respondents) {
    let reply = await r.text(NB_PLAN.help_areas);
    for (let step = askedStep('nb', reply); step; step = askedStep('nb', reply)) reply = await r.text(NB_PLAN[step]);
    expect(reply).toContain(texts.s('nb', 'thanks.done'));
  }
  const done = newIn(before, await completed());
  expect(done).toHaveLength(respondents.length);
  for (const r of done) expect(r.answers.map((a) => a.questionId)).toEqual(expect.arrayContaining(['needed_help', 'situation', 'help_areas', 'what_helped']));
}, 120000);

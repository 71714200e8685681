import { withStore } from '../helpers/db';
import { StoredResponse } from '../../src/store/store';
import { tempDir, TEST_SECRET, texts } from '../helpers/harness';
import { FaultBot, spawnBot } from './botProcess';
import { Answerer, DirectLineChat, joined, LANGUAGES, openingMoves, prng, Reply, tagWord } from './clients';
import { foreignLines } from './language';
import { histogram, percentile, report, seconds } from './report';

/** The crowd: this many respondents at once, each through a whole survey. */
const RESPONDENTS = 1000;

interface Outcome {
  answerer: Answerer;
  turns: number;
  latencies: number[];
  problems: string[];
}

/** One respondent from greeting to thanks, over Direct Line, checking every reply on the way. */
async function respondent(bot: FaultBot, i: number, statuses: Map<number, number>): Promise<Outcome> {
  const random = prng(1000 + i);
  const lng = LANGUAGES[i % LANGUAGES.length];
  const answerer = new Answerer(lng, random, tagWord(random));
  const out: Outcome = { answerer, turns: 0, latencies: [], problems: [] };
  const check = (replies: Reply[], after: string) => {
    const text = joined(replies);
    if (!text) out.problems.push(`no reply after ${after}`);
    for (const line of foreignLines(lng, text)) out.problems.push(`not ${lng} after ${after}: ${line}`);
    for (const r of replies)
      if (r.locale && r.locale !== lng && after !== 'greeting' && after !== 'language') out.problems.push(`locale ${r.locale} after ${after}`);
  };
  const timed = async (text: string) => {
    const t0 = Date.now();
    const res = await chat.say(text);
    out.latencies.push(Date.now() - t0);
    out.turns++;
    if (res.status !== 200) out.problems.push(`POST answered ${res.status} to ${text}`);
    return res.replies;
  };

  const t0 = Date.now();
  const { chat, greeting } = await DirectLineChat.open(bot.url, lng, { statuses });
  out.latencies.push(Date.now() - t0);
  out.turns++;
  check(greeting, 'greeting');
  const [language, consent] = openingMoves(lng);
  check(await timed(language), 'language');
  let replies = await timed(consent);
  for (let guard = 0; guard < 60; guard++) {
    check(replies, answerer.asked.at(-1) ?? 'consent');
    const step = answerer.stepOf(joined(replies));
    if (!step) break;
    replies = await timed(answerer.answer(step));
  }
  if (!joined(replies).includes(texts.s(lng, 'thanks.done'))) out.problems.push(`did not end with thanks: ${joined(replies).slice(0, 200)}`);
  return out;
}

let bot: FaultBot;
let dataDir: string;
beforeAll(async () => {
  dataDir = tempDir('faults-crowd-');
  // One address opens all the conversations: the per-address limits would refuse most of them.
  bot = await spawnBot({ DATA_DIR: dataDir, SURVEY_SECRET: TEST_SECRET, DIRECTLINE_TOKENS_PER_MINUTE: '0', DIRECTLINE_CONVERSATIONS_PER_MINUTE: '0' });
});
afterAll(async () => {
  await bot?.stop();
});

test(`${RESPONDENTS} respondents complete the survey at once over Direct Line, and every answer is stored exactly once`, async () => {
  const statuses = new Map<number, number>();
  // The comparison: one respondent alone on the same process, before the crowd (which also warms it up).
  const alone = await respondent(bot, RESPONDENTS, statuses);
  const started = Date.now();
  const crowd = await Promise.all(Array.from({ length: RESPONDENTS }, (_, i) => respondent(bot, i, statuses)));
  const wallMs = Date.now() - started;
  const outcomes = [...crowd, alone];

  const responses = await withStore(dataDir, (store) => store.listResponses());
  const byTag = new Map<string, StoredResponse[]>();
  for (const r of responses) {
    const tag = r.answers.find((a) => a.questionId === 'what_helped')?.value;
    if (typeof tag === 'string') byTag.set(tag, [...(byTag.get(tag) ?? []), r]);
  }
  const problems: string[] = [];
  for (const [i, o] of outcomes.entries()) {
    for (const p of o.problems) problems.push(`respondent ${i} (${o.answerer.lng}): ${p}`);
    const mine = byTag.get(`svar ${o.answerer.tag}`) ?? [];
    if (mine.length !== 1) {
      problems.push(`respondent ${i}: ${mine.length} responses stored`);
      continue;
    }
    if (mine[0].status !== 'completed' || mine[0].language !== o.answerer.lng)
      problems.push(`respondent ${i}: stored as ${mine[0].status} in ${mine[0].language}`);
    for (const p of o.answerer.compare(mine[0].answers)) problems.push(`respondent ${i}: ${p}`);
  }

  const turns = crowd.reduce((s, o) => s + o.turns, 0);
  const acknowledged = outcomes.reduce((s, o) => s + o.answerer.asked.length, 0);
  const stored = responses.reduce((s, r) => s + r.answers.length, 0);
  const latencies = crowd.flatMap((o) => o.latencies);
  report('crowd', {
    respondents: RESPONDENTS,
    languages: LANGUAGES.length,
    channel: 'Direct Line (tokens/generate, conversations, POST activity, GET activities), one bot process, SQLite',
    wallSeconds: seconds(wallMs),
    turns,
    turnsPerSecond: Math.round((turns / wallMs) * 1000),
    turnLatencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: Math.max(...latencies) },
    aloneTurnLatencyMs: { p50: percentile(alone.latencies, 50), max: Math.max(...alone.latencies) },
    // Both below include the lone respondent's survey.
    answersAcknowledged: acknowledged,
    answersStored: stored,
    responsesStored: responses.length,
    statuses: histogram(statuses),
  });

  expect({ count: problems.length, first: problems.slice(0, 20) }).toEqual({ count: 0, first: [] });
  expect(responses).toHaveLength(RESPONDENTS + 1);
  expect(stored).toBe(acknowledged);
  expect(bot.alive()).toBe(true);
}, 480000);

import crypto from 'node:crypto';
import { withStore } from '../helpers/db';
import { tempDir, TEST_SECRET, texts } from '../helpers/harness';
import { freePort } from '../helpers/process';
import { FaultBot, notLogLines, sleep, spawnBot } from './botProcess';
import { Answerer, ApiChat, DirectLineChat, joined, LANGUAGES, openingMoves, prng, Reply, tagWord } from './clients';
import { foreignLines } from './language';
import { histogram, report, seconds } from './report';

/** The figure: conversations running while the server is killed under them. */
const CONVERSATIONS = 200;
/**
 * A kill rarely falls between a turn's commit and its answer (that window is microseconds), so
 * besides the retries kills cause, this share of answers is "lost on the way back" and the client
 * sends the same message again: answered from the delivery record, under the same kills.
 */
const LOST_ANSWERS = 0.03;
/** Kills happen at random moments this far apart, until every conversation is done. */
const KILL_EVERY_MS: [number, number] = [300, 1500];

interface Conversation {
  channel: 'directline' | 'api';
  answerer: Answerer;
  retries: number;
  resent: number;
  problems: string[];
}

/** Sends one message until a server takes it, the same message id every time, and returns the replies. */
type Say = (text: string) => Promise<Reply[]>;

async function converse(url: () => string, i: number, statuses: Map<number, number>): Promise<Conversation> {
  const random = prng(5000 + i);
  const lng = LANGUAGES[i % LANGUAGES.length];
  const conv: Conversation = {
    channel: i % 2 === 0 ? 'directline' : 'api',
    answerer: new Answerer(lng, random, tagWord(random)),
    retries: 0,
    resent: 0,
    problems: [],
  };
  const onRetry = () => void conv.retries++;
  let say: Say;
  let first: Reply[];
  if (conv.channel === 'directline') {
    // A reconnecting page keeps its token; the server's address stays the same across restarts.
    const { chat, greeting } = await DirectLineChat.open(url(), lng, { onRetry, statuses });
    say = async (text) => {
      // One clientActivityID per message, kept across every retry of it, as a client retrying a post does.
      const id = crypto.randomUUID();
      const res = await chat.post(text, id);
      if (res.status !== 200) conv.problems.push(`POST answered ${res.status}`);
      if (random() < LOST_ANSWERS) {
        // The answer was lost on the way back: the same message again.
        conv.resent++;
        const again = await chat.post(text, id);
        if (again.status !== 200 || again.body?.id !== res.body?.id)
          conv.problems.push(`the resent message got ${again.status} ${JSON.stringify(again.body)}, not the first answer`);
      }
      return chat.poll();
    };
    first = greeting;
  } else {
    const chat = new ApiChat(url(), undefined, { onRetry, statuses });
    say = async (text) => {
      const activity = chat.activity({ text });
      const res = await chat.send(activity);
      if (res.status !== 200) conv.problems.push(`/api/messages answered ${res.status}: ${res.text.slice(0, 100)}`);
      if (random() < LOST_ANSWERS) {
        // The answer was lost on the way back: the same activity again, and the same replies.
        conv.resent++;
        const again = await chat.send(activity);
        if (JSON.stringify(again.replies.map((r) => r.text)) !== JSON.stringify(res.replies.map((r) => r.text)))
          conv.problems.push('the resent activity got other replies than the first');
      }
      return res.replies;
    };
    first = await say('hei');
  }
  const check = (replies: Reply[], after: string) => {
    const text = joined(replies);
    if (!text) conv.problems.push(`no reply after ${after}`);
    // /api/messages greets before it knows the language (the default one); Direct Line's client names it.
    const expected = after === 'greeting' && conv.channel === 'api' ? texts.defaultLocale : lng;
    for (const line of foreignLines(expected, text)) conv.problems.push(`not ${expected} after ${after}: ${line}`);
  };
  check(first, 'greeting');
  const [language, consent] = openingMoves(lng);
  check(await say(language), 'language');
  let replies = await say(consent);
  const seen = new Set<string>();
  for (let guard = 0; guard < 60; guard++) {
    check(replies, conv.answerer.asked.at(-1) ?? 'consent');
    const step = conv.answerer.stepOf(joined(replies));
    if (!step) break;
    // Resuming at the next question: a step asked twice means a turn ran again on old state.
    if (seen.has(step)) conv.problems.push(`${step} asked again`);
    seen.add(step);
    replies = await say(conv.answerer.answer(step));
  }
  if (!joined(replies).includes(texts.s(lng, 'thanks.done'))) conv.problems.push(`did not end with thanks: ${joined(replies).slice(0, 200)}`);
  return conv;
}

/** Turns this process answered from a delivery record (a message it, or a killed process, had handled), from its /metrics. */
async function duplicateTurns(bot: FaultBot): Promise<number> {
  const text = await fetch(`${bot.url}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  return [...text.matchAll(/^survey_turns_total\{[^}]*outcome="duplicate"[^}]*\} (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
}

test(`SIGKILL at random moments under ${CONVERSATIONS} conversations: every acknowledged answer is stored once and every conversation resumes at its next question`, async () => {
  const dataDir = tempDir('faults-sigkill-');
  const port = await freePort();
  const env = { DATA_DIR: dataDir, SURVEY_SECRET: TEST_SECRET, DIRECTLINE_TOKENS_PER_MINUTE: '0', DIRECTLINE_CONVERSATIONS_PER_MINUTE: '0' };
  let bot: FaultBot = await spawnBot(env, { port });
  const lines: string[] = [];
  const statuses = new Map<number, number>();
  const random = prng(42);
  let kills = 0;
  let duplicates = 0;
  let done = false;
  const started = Date.now();
  const downtime: number[] = [];

  const conversations = Promise.all(Array.from({ length: CONVERSATIONS }, (_, i) => converse(() => bot.url, i, statuses))).finally(() => (done = true));
  const killer = (async () => {
    while (!done) {
      await sleep(KILL_EVERY_MS[0] + random() * (KILL_EVERY_MS[1] - KILL_EVERY_MS[0]));
      if (done) break;
      duplicates += await duplicateTurns(bot);
      await bot.kill();
      const down = Date.now();
      kills++;
      lines.push(...bot.lines);
      bot = await spawnBot(env, { port });
      downtime.push(Date.now() - down);
    }
  })();
  let outcomes: Conversation[];
  try {
    outcomes = await conversations;
    await killer;
  } finally {
    duplicates += await duplicateTurns(bot);
    lines.push(...bot.lines);
    await bot.stop();
  }
  const wallMs = Date.now() - started;

  const responses = await withStore(dataDir, (store) => store.listResponses());
  const problems: string[] = [];
  for (const [i, c] of outcomes.entries()) {
    for (const p of c.problems) problems.push(`conversation ${i} (${c.channel}, ${c.answerer.lng}): ${p}`);
    const mine = responses.filter((r) => r.answers.some((a) => a.questionId === 'what_helped' && a.value === `svar ${c.answerer.tag}`));
    if (mine.length !== 1) problems.push(`conversation ${i}: ${mine.length} responses stored`);
    else {
      if (mine[0].status !== 'completed') problems.push(`conversation ${i}: stored as ${mine[0].status}`);
      for (const p of c.answerer.compare(mine[0].answers)) problems.push(`conversation ${i}: ${p}`);
    }
  }
  const retried = outcomes.reduce((s, c) => s + c.retries, 0);
  report('sigkill', {
    conversations: CONVERSATIONS,
    channels: 'half Direct Line (same clientActivityID on retry), half /api/messages with expectReplies (same activity id)',
    wallSeconds: seconds(wallMs),
    kills,
    restartSecondsMedian: seconds(downtime.sort((a, b) => a - b)[Math.floor(downtime.length / 2)] ?? 0),
    requestsRetried: retried,
    answersLostAndResent: outcomes.reduce((s, c) => s + c.resent, 0),
    turnsAnsweredFromTheDeliveryRecord: duplicates,
    answersAcknowledged: outcomes.reduce((s, c) => s + c.answerer.asked.length, 0),
    answersStored: responses.reduce((s, r) => s + r.answers.length, 0),
    responsesStored: responses.length,
    statuses: histogram(statuses),
  });

  expect({ count: problems.length, first: problems.slice(0, 20) }).toEqual({ count: 0, first: [] });
  expect(responses).toHaveLength(CONVERSATIONS);
  expect(kills).toBeGreaterThanOrEqual(3);
  expect(retried).toBeGreaterThan(0);
  // Resent messages were answered from their delivery records (counted from each process's
  // /metrics just before it was killed, so a turn in the last milliseconds may be missed; the
  // answers above are the proof that none ran twice).
  expect(outcomes.reduce((s, c) => s + c.resent, 0)).toBeGreaterThan(0);
  expect(duplicates).toBeGreaterThan(0);
  // A restarted process says nothing but log lines (no stack traces from a recovering database).
  expect(notLogLines(lines)).toEqual([]);
}, 300000);

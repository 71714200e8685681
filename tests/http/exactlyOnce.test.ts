import crypto from 'node:crypto';
import { Activity } from 'botbuilder';
import { askedStep, TEST_SECRET, texts } from '../helpers/harness';
import { call, HttpRespondent, postJson, startTestServer, TestServer } from '../helpers/http';

/**
 * Every message counts once, on every channel: Azure Bot Service redelivers an activity after a
 * timeout, Web Chat posts a message again (same clientActivityID) after a failed request, SMS
 * providers redeliver. A copy that arrives after the first, or at the same moment, gets the same
 * replies and starts no second turn.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SURVEY_SECRET: TEST_SECRET });
});
afterAll(() => server.close());

const texts_ = (activities: Partial<Activity>[]) =>
  activities
    .map((a) => a.text)
    .filter(Boolean)
    .join('\n');

/** A respondent in bokmål at the first question (needed_help). */
async function atFirstQuestion(): Promise<HttpRespondent> {
  const r = new HttpRespondent(server.url);
  await r.say('hei');
  await r.say(texts.meta('nb').endonym);
  expect(askedStep('nb', await r.text(texts.optionLabel('nb', 'yes')))).toBe('needed_help');
  return r;
}

describe('POST /api/messages', () => {
  test('the same activity posted twice is one turn: the repeat gets the first replies, not the next question', async () => {
    const r = await atFirstQuestion();
    const activity = r.activity({ text: '1' });
    const first = await postJson(`${server.url}/api/messages`, activity);
    const again = await postJson(`${server.url}/api/messages`, activity);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(askedStep('nb', texts_(first.body.activities))).toBe('situation');
    expect(texts_(again.body.activities)).toBe(texts_(first.body.activities));
    expect(texts_(first.body.activities)).toContain(texts.t('nb', 'bot:question.progress', { index: 2, total: 17 }));
    // The survey goes on from there, and the answer was stored once.
    expect(askedStep('nb', await r.text('2'))).toBe('help_areas');
    const mine = (await server.bot.store.listResponses()).find((x) => x.answers.some((a) => a.questionId === 'situation' && a.value === 'rent_private'))!;
    expect(mine.answers.filter((a) => a.questionId === 'needed_help')).toHaveLength(1);
  });

  test('two copies arriving at the same moment are one turn, and both get the same replies', async () => {
    const r = await atFirstQuestion();
    const activity = r.activity({ text: '1' });
    const copies = await Promise.all(Array.from({ length: 5 }, () => postJson(`${server.url}/api/messages`, activity)));
    expect(copies.map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
    const replies = copies.map((c) => texts_(c.body.activities));
    expect(new Set(replies).size).toBe(1);
    expect(askedStep('nb', replies[0])).toBe('situation');
    // Answering the next question still works: the state is the one of a single turn.
    expect(askedStep('nb', await r.text('2'))).toBe('help_areas');
  });

  test('a new activity with a new id is a new turn, even with the same text', async () => {
    const r = await atFirstQuestion();
    expect(askedStep('nb', await r.text('1'))).toBe('situation');
    // The same text again, as a new message: it answers the situation question (1 = owner).
    expect(askedStep('nb', await r.text('1'))).toBe('help_areas');
  });
});

describe('Direct Line', () => {
  const DL = '/v3/directline';

  async function conversation() {
    const generated = await call('POST', `${server.url}${DL}/tokens/generate`);
    const started = await call('POST', `${server.url}${DL}/conversations`, generated.body.token, { locale: 'nb' });
    const c = started.body as { conversationId: string; token: string };
    const url = `${server.url}${DL}/conversations/${c.conversationId}/activities`;
    const poll = async () => (await call('GET', url, c.token)).body.activities as (Activity & { from: { role: string } })[];
    const post = (text: string, clientActivityID?: string) =>
      call('POST', url, c.token, { type: 'message', text, channelData: clientActivityID ? { clientActivityID } : undefined });
    await post(texts.meta('nb').endonym);
    await post(texts.optionLabel('nb', 'yes'));
    return { poll, post };
  }

  test('a message Web Chat sends again with the same clientActivityID is one turn, with one echo and one set of replies', async () => {
    const c = await conversation();
    const before = await c.poll();
    const first = await c.post('1', 'webchat-retry-1');
    const again = await c.post('1', 'webchat-retry-1');
    expect(first.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const added = (await c.poll()).slice(before.length);
    expect(added.filter((a) => a.from.role === 'user')).toHaveLength(1);
    expect(added.filter((a) => a.from.role === 'bot' && askedStep('nb', a.text ?? '') === 'situation')).toHaveLength(1);
  });

  test('copies posted at the same moment are one turn', async () => {
    const c = await conversation();
    const before = await c.poll();
    const copies = await Promise.all(Array.from({ length: 5 }, () => c.post('1', 'webchat-retry-2')));
    expect(copies.map((x) => x.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(copies.map((x) => x.body.id)).size).toBe(1);
    const added = (await c.poll()).slice(before.length);
    expect(added.filter((a) => a.from.role === 'user')).toHaveLength(1);
    // And the survey continues at the next question.
    const next = await c.post('2', 'webchat-next');
    expect(next.status).toBe(200);
    const after = (await c.poll()).slice(before.length + added.length);
    expect(after.some((a) => a.from.role === 'bot' && askedStep('nb', a.text ?? '') === 'help_areas')).toBe(true);
  });

  test('messages without a clientActivityID are each a turn', async () => {
    const c = await conversation();
    const before = await c.poll();
    await c.post('1');
    await c.post('1');
    const added = (await c.poll()).slice(before.length);
    expect(added.filter((a) => a.from.role === 'user')).toHaveLength(2);
    expect(added.some((a) => a.from.role === 'bot' && askedStep('nb', a.text ?? '') === 'help_areas')).toBe(true);
  });
});

test('no delivery key is stored in the clear: only HMACs of channel, conversation and message ids', async () => {
  const r = await atFirstQuestion();
  const activityId = `activity-${crypto.randomUUID()}`;
  await r.say('1', { id: activityId });
  const { everyStoredValue } = await import('../helpers/db');
  const stored = everyStoredValue(server.dataDir);
  expect(stored.length).toBeGreaterThan(0);
  expect(stored).not.toContain(r.userId);
  expect(stored).not.toContain(`conv-${r.userId}`);
  expect(stored).not.toContain(activityId);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Activity, ActivityTypes, AutoSaveStateMiddleware, ConversationState, TestAdapter } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { turnErrorHandler } from '../../src/bot/adapter';
import { composeBot, composeDialogs } from '../../src/index';
import { SurveyCatalog } from '../../src/registry/surveyCatalog';
import { SurveyRegistry } from '../../src/registry/surveyRegistry';
import { Texts } from '../../src/language/texts';
import { loadLocales } from '../../src/language/i18n';
import { memoryLogger } from './memoryLogger';
import { SqliteStore } from '../../src/store/sqliteStore';
import { SurveyStore } from '../../src/store/store';
import { optionsOf } from '../../src/survey/definition';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';
import { detectLanguage, UND } from '../../src/language/detect';

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

/** The production detector, limited to the locales present. */
export const detect = (text: string) => {
  const { tag } = detectLanguage(
    text,
    texts.locales.list.map((l) => l.tag),
  );
  return tag === UND ? undefined : tag;
};

/** Shared, read-only: loading locales once keeps the suite fast. */
export const texts = new Texts(loadLocales(), loadSurvey(DEFAULT_SURVEY_FILE), undefined, 'nb');

export function tempDir(prefix = 'survey-bot-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A real SQLite store in a fresh temporary file, migrated. */
export async function sqliteStore(): Promise<SurveyStore> {
  const store = new SqliteStore(`file:${path.join(tempDir(), 'survey.db')}`);
  await store.migrate();
  return store;
}

export { memoryLogger };

export interface Harness {
  adapter: TestAdapter;
  store: SurveyStore;
  logLines: string[];
  respondent(id?: string, channelId?: string): Respondent;
}

/**
 * The survey registry of a test store, with the surveys shipped with the project registered from
 * the locales `t` was read from, read afresh at every turn (tests publish and close versions).
 */
export async function catalogFor(store: SurveyStore, t: Texts = texts): Promise<SurveyCatalog> {
  await new SurveyRegistry(store, t.locales).syncBundled();
  return new SurveyCatalog(store, t.locales, { defaultLocale: t.defaultLocale, defaultSurvey: t.survey.id, refreshMs: 0 });
}

/** A week: the state TTL the bot runs with by default. */
const TTL_MS = 7 * 86400_000;

/** The whole bot (SurveyBot, dialogs, respondent state and answers in a real SQLite store) on botbuilder's TestAdapter. */
export async function createHarness(opts: { store?: SurveyStore; texts?: Texts } = {}): Promise<Harness> {
  const store = opts.store ?? (await sqliteStore());
  const t = opts.texts ?? texts;
  const { logger, lines } = memoryLogger();
  const bot = composeBot({ store, secret: TEST_SECRET, stateTtlMs: TTL_MS, catalog: await catalogFor(store, t), logger, detectLanguage: detect });
  const adapter = new TestAdapter(async (context) => bot.run(context));
  // TestAdapter stamps "en-us" on every activity; real SMS and Direct Line messages carry no
  // locale unless the channel knows one, and tests that want a hint pass it explicitly.
  adapter.locale = '';
  adapter.onTurnError = turnErrorHandler(logger, t);
  return { adapter, store, logLines: lines, respondent: (id = 'user-1', channelId = 'test') => new Respondent(adapter, id, channelId) };
}

/** One person talking to the bot. `say` returns every activity the bot sent in that turn. */
export class Respondent {
  constructor(
    private readonly adapter: TestAdapter,
    readonly id: string,
    readonly channelId: string,
  ) {}

  async say(input: string | Partial<Activity>): Promise<Partial<Activity>[]> {
    const base = typeof input === 'string' ? { type: ActivityTypes.Message, text: input } : input;
    this.adapter.activeQueue.splice(0);
    await this.adapter.processActivity({
      ...base,
      channelId: this.channelId,
      from: { id: this.id, name: '' },
      conversation: { id: `conv-${this.id}`, isGroup: false, conversationType: '', name: '' },
    });
    return this.adapter.activeQueue.splice(0);
  }

  /** Says something and returns the text of the replies, joined. */
  async text(input: string | Partial<Activity>): Promise<string> {
    return textOf(await this.say(input));
  }
}

export function textOf(replies: Partial<Activity>[]): string {
  return replies
    .map((r) => r.text)
    .filter(Boolean)
    .join('\n');
}

/**
 * Which survey step a bot message asks, found by the question text in `lng` (so tests assert
 * through the locale files, not through copies of their wording).
 */
export function askedStep(lng: string, replyText: string): string | undefined {
  const candidates: { key: string; text: string }[] = [];
  for (const item of texts.survey.items) {
    if (item.type === 'repeat') {
      const source = texts.survey.items.find((i) => i.type !== 'repeat' && i.id === item.forEach);
      const areas = source && source.type !== 'repeat' ? optionsOf(source) : [];
      for (const q of item.questions)
        for (const a of areas) candidates.push({ key: `${q.id}[${a}]`, text: texts.s(lng, `questions.${q.id}.text`, { area: texts.optionLabel(lng, a) }) });
    } else {
      candidates.push({ key: item.id, text: texts.s(lng, `questions.${item.id}.text`) });
    }
  }
  return candidates.find((c) => replyText.split('\n').includes(c.text))?.key;
}

/**
 * Opens a conversation, picks language `lng` by typing its endonym (which answers both a guessed
 * language's confirmation and the menu) and consents; returns the bot's replies to the consent.
 */
export async function startSurvey(r: Respondent, lng: string, opener = 'hei'): Promise<string> {
  await r.say(opener);
  await r.say(texts.meta(lng).endonym);
  return r.text('1');
}

/**
 * Answers a whole survey from a plan (step key → what the respondent types). Returns the steps
 * in the order they were asked. Fails if a step is asked that the plan has no answer for.
 */
export async function answerSurvey(
  r: Respondent,
  lng: string,
  plan: Record<string, string>,
  firstQuestion: string,
): Promise<{ asked: string[]; last: string }> {
  const asked: string[] = [];
  let reply = firstQuestion;
  for (let guard = 0; guard < 60; guard++) {
    const step = askedStep(lng, reply);
    if (!step) return { asked, last: reply };
    if (!(step in plan)) throw new Error(`The bot asked ${step}, which the plan does not answer. Asked so far: ${asked.join(', ')}`);
    asked.push(step);
    reply = await r.text(plan[step]);
  }
  throw new Error('The survey did not end within 60 turns');
}

/**
 * MainDialog under botbuilder-testing's DialogTestClient, with the respondent state saved after
 * every turn as the bot does.
 */
export async function createDialogClient(store?: SurveyStore): Promise<{ client: DialogTestClient; store: SurveyStore; say(text: string): Promise<string> }> {
  const s = store ?? (await sqliteStore());
  const { logger } = memoryLogger();
  const { states: state, mainDialog: dialog } = composeDialogs({
    store: s,
    secret: TEST_SECRET,
    stateTtlMs: TTL_MS,
    catalog: await catalogFor(s, texts),
    logger,
    detectLanguage: detect,
  });
  // DialogTestClient keeps its dialog stack in the state it is given; RespondentStates offers what
  // it uses of ConversationState (createProperty, load, saveChanges). Without the bot around it,
  // the response's owner writes each change at once.
  const client = new DialogTestClient(
    'test',
    dialog,
    undefined,
    [new AutoSaveStateMiddleware(state as unknown as ConversationState)],
    state as unknown as ConversationState,
  );
  // See createHarness on "en-us"; DialogTestClient builds its TestAdapter privately.
  (client as unknown as { _testAdapter: TestAdapter })._testAdapter.locale = '';
  const say = async (text: string) => {
    const replies: Partial<Activity>[] = [await client.sendActivity(text)];
    for (let r = client.getNextReply(); r; r = client.getNextReply()) replies.push(r);
    return textOf(replies.filter(Boolean));
  };
  return { client, store: s, say };
}

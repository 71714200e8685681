import crypto from 'node:crypto';
import { optionsOf, Question } from '../../src/survey/definition';
import { bandOf, parseStepKey } from '../../src/survey/engine';
import { askedStep, texts } from '../helpers/harness';
import { sleep } from './botProcess';
import { questionsOf } from '../../src/survey/walk';

/**
 * Light respondents for crowds and crash tests: plain HTTP, one request at a time per respondent,
 * as a phone would. (DirectLineJS polls every 200 ms per client; a thousand of them would
 * measure the poller, not the bot. The official client is tested in tests/channels/.)
 */

export interface Reply {
  type?: string;
  text?: string;
  locale?: string;
  from?: { role?: string };
}

export const joined = (replies: readonly Reply[]) =>
  replies
    .filter((r) => r.type === 'message' && r.text)
    .map((r) => r.text)
    .join('\n');

/** What a request came back with: a status and a parsed body, or the network error that stopped it. */
export type Outcome = { status: number; body: any; text: string; headers: Headers } | { error: Error };

export async function request(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Outcome> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 60000) });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, headers: res.headers };
  } catch (err) {
    return { error: err as Error };
  }
}

/**
 * Retries while the server is not there (refused, reset mid-request: a killed process), as a
 * client that keeps its message and sends it again. HTTP answers, 5xx included, are returned.
 */
export async function untilAnswered(
  send: () => Promise<Outcome>,
  onRetry: () => void = () => undefined,
  deadlineMs = 120000,
): Promise<Exclude<Outcome, { error: Error }>> {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    const out = await send();
    if (!('error' in out)) return out;
    if (Date.now() > deadline) throw new Error(`no answer within ${deadlineMs} ms: ${out.error.message}`);
    onRetry();
    await sleep(50 + Math.min(500, attempt * 50) + Math.random() * 100);
  }
}

export interface ChatOptions {
  /** Called once per retried request (a request that met no server). */
  onRetry?: () => void;
  /** Do not retry: a request that meets no server comes back with status 0 (hostile input, where that is a failure). */
  once?: boolean;
  /** Statuses seen, for the histograms. */
  statuses?: Map<number, number>;
}

const count = (m: Map<number, number> | undefined, status: number) => m?.set(status, (m.get(status) ?? 0) + 1);

/** {@link untilAnswered}, or one attempt only when `options.once`. */
async function send(options: ChatOptions, attempt: () => Promise<Outcome>): Promise<Exclude<Outcome, { error: Error }>> {
  if (!options.once) return untilAnswered(attempt, options.onRetry);
  const out = await attempt();
  return 'error' in out ? { status: 0, body: undefined, text: `no answer: ${out.error.message}`, headers: new Headers() } : out;
}

/** One respondent on the Direct Line subset: token, conversation, then post and poll. */
export class DirectLineChat {
  private watermark = '';
  /** Sent with every message once set, as Web Chat sends the page's language (the one the respondent chose). */
  locale?: string;
  private constructor(
    readonly baseUrl: string,
    readonly conversationId: string,
    readonly token: string,
    private readonly options: ChatOptions,
  ) {}

  /** Opens a conversation and returns it with its greeting (the bot's first replies). */
  static async open(baseUrl: string, locale: string | undefined, options: ChatOptions = {}): Promise<{ chat: DirectLineChat; greeting: Reply[] }> {
    const generated = await untilAnswered(() => request(`${baseUrl}/v3/directline/tokens/generate`, { method: 'POST' }), options.onRetry);
    count(options.statuses, generated.status);
    if (generated.status !== 200) throw new Error(`tokens/generate answered ${generated.status}: ${generated.text}`);
    const { token, conversationId } = generated.body as { token: string; conversationId: string };
    const started = await untilAnswered(
      () =>
        request(`${baseUrl}/v3/directline/conversations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(locale ? { locale } : {}),
        }),
      options.onRetry,
    );
    count(options.statuses, started.status);
    if (started.status !== 201) throw new Error(`conversations answered ${started.status}: ${started.text}`);
    const chat = new DirectLineChat(baseUrl, conversationId, token, options);
    return { chat, greeting: await chat.poll() };
  }

  private get activities(): string {
    return `${this.baseUrl}/v3/directline/conversations/${this.conversationId}/activities`;
  }

  /** Everything new in the stream, the bot's activities only. */
  async poll(): Promise<Reply[]> {
    const res = await send(this.options, () =>
      request(`${this.activities}?watermark=${this.watermark}`, { headers: { authorization: `Bearer ${this.token}` } }),
    );
    count(this.options.statuses, res.status);
    if (res.status !== 200) throw new Error(`poll answered ${res.status}: ${res.text}`);
    this.watermark = res.body.watermark;
    return (res.body.activities as Reply[]).filter((a) => a.from?.role === 'bot');
  }

  /**
   * Posts a raw body (anything at all) with a content type; returns the answer without retrying.
   * For hostile input.
   */
  async postRaw(body: string | Uint8Array, contentType: string | undefined): Promise<Outcome> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (contentType) headers['content-type'] = contentType;
    return request(this.activities, { method: 'POST', headers, body });
  }

  /**
   * Sends a message, again and again with the same clientActivityID until a server answers, then
   * reads the replies. Returns the HTTP status of the post and the replies (none unless 200).
   */
  async say(text: string, clientActivityID = crypto.randomUUID()): Promise<{ status: number; replies: Reply[]; body: any }> {
    const res = await this.post(text, clientActivityID);
    if (res.status !== 200) return { status: res.status, replies: [], body: res.body };
    return { status: 200, replies: await this.poll(), body: res.body };
  }

  /** Posts a message (until a server takes it, unless `once`), without reading the replies. */
  async post(text: string, clientActivityID: string): Promise<{ status: number; body: any }> {
    const body = JSON.stringify({ type: 'message', text, ...(this.locale ? { locale: this.locale } : {}), channelData: { clientActivityID } });
    const res = await send(this.options, () =>
      request(this.activities, { method: 'POST', headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' }, body }),
    );
    count(this.options.statuses, res.status);
    return res;
  }
}

/** One respondent on POST /api/messages with deliveryMode "expectReplies" (Emulator, Azure Bot Service). */
export class ApiChat {
  private seq = 0;
  /** Sent with every activity once set, as a channel sends its user's language. */
  locale?: string;
  constructor(
    readonly baseUrl: string,
    readonly userId = `fault-${crypto.randomBytes(6).toString('hex')}`,
    private readonly options: ChatOptions = {},
  ) {}

  activity(extra: Record<string, unknown>): Record<string, unknown> {
    return {
      type: 'message',
      id: `m${++this.seq}`,
      channelId: 'emulator',
      serviceUrl: 'http://127.0.0.1:9',
      from: { id: this.userId, name: '' },
      recipient: { id: 'bot', name: 'bot' },
      conversation: { id: `conv-${this.userId}` },
      deliveryMode: 'expectReplies',
      ...(this.locale ? { locale: this.locale } : {}),
      ...extra,
    };
  }

  /** Posts one activity, resending the same one (same id) until a server answers. */
  async send(activity: Record<string, unknown>): Promise<{ status: number; replies: Reply[]; body: any; text: string }> {
    const body = JSON.stringify(activity);
    const res = await send(this.options, () =>
      request(`${this.baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
    );
    count(this.options.statuses, res.status);
    return { status: res.status, replies: res.status === 200 ? ((res.body?.activities ?? []) as Reply[]) : [], body: res.body, text: res.text };
  }

  say(text: string, extra: Record<string, unknown> = {}) {
    return this.send(this.activity({ text, ...extra }));
  }
}

/** Every question of the survey by id, repeat blocks included. */
const QUESTIONS = new Map<string, Question>(questionsOf(texts.survey).map(({ question }) => [question.id, question]));

export { prng } from '../helpers/population';

/** A word of letters only: survives redaction and names one respondent's response in the database. */
export function tagWord(random: () => number): string {
  return Array.from({ length: 10 }, () => 'bcdfghjkmnpqrstvwxz'[Math.floor(random() * 19)]).join('');
}

/**
 * A respondent's answers, drawn as the questions come, typed the way that works in every
 * language (option numbers, digits), and what each should be stored as. The last free-text
 * answer carries `tag`, which finds this respondent's response among the anonymous ones.
 */
export class Answerer {
  /** Step key → the stored value expected (undefined: stored, value not compared). */
  readonly expected = new Map<string, unknown>();
  readonly asked: string[] = [];

  constructor(
    readonly lng: string,
    private readonly random: () => number,
    readonly tag: string,
  ) {}

  /** The step a reply asks, in this respondent's language, if it asks one. */
  stepOf(replyText: string): string | undefined {
    return askedStep(this.lng, replyText);
  }

  /** What to type at `step`; records the expectation. */
  answer(step: string): string {
    const { questionId } = parseStepKey(step);
    const q = QUESTIONS.get(questionId);
    if (!q) throw new Error(`unknown question ${questionId}`);
    this.asked.push(step);
    const pick = (n: number) => 1 + Math.floor(this.random() * n);
    switch (q.type) {
      case 'yes_no':
      case 'single': {
        const options = optionsOf(q);
        const i = pick(options.length);
        this.expected.set(step, options[i - 1]);
        return String(i);
      }
      case 'multi': {
        const options = optionsOf(q);
        const exclusive = new Set((q as { exclusive?: string[] }).exclusive ?? []);
        const free = options.map((o, i) => ({ o, n: i + 1 })).filter(({ o }) => !exclusive.has(o));
        const chosen = free.filter(() => this.random() < 0.3);
        if (!chosen.length) chosen.push(free[Math.floor(this.random() * free.length)]);
        this.expected.set(step, chosen.map((c) => c.o).sort());
        return chosen.map((c) => c.n).join(', ');
      }
      case 'scale': {
        const v = q.min + Math.floor(this.random() * (q.max - q.min + 1));
        this.expected.set(step, v);
        return String(v);
      }
      case 'number': {
        const v = q.min + Math.floor(this.random() * Math.min(40, q.max - q.min));
        this.expected.set(step, q.bands ? bandOf(v, q.bands) : v);
        return String(v);
      }
      case 'text':
        if (questionId === 'what_helped') {
          this.expected.set(step, `svar ${this.tag}`);
          return `svar ${this.tag}`;
        }
        this.expected.set(step, undefined);
        return 'Bergen';
      default:
        throw new Error(`no answer for question type ${(q as Question).type}`);
    }
  }

  /**
   * Differences between what was acknowledged and what is stored for this respondent: missing
   * or extra steps, and values that differ. Empty when every answer is there exactly once.
   */
  compare(stored: { questionId: string; iteration: string; value: unknown }[]): string[] {
    const key = (a: { questionId: string; iteration: string }) => (a.iteration ? `${a.questionId}[${a.iteration}]` : a.questionId);
    const problems: string[] = [];
    const storedKeys = stored.map(key);
    if (new Set(storedKeys).size !== storedKeys.length) problems.push(`a step stored twice: ${storedKeys.join(',')}`);
    for (const s of this.asked) if (!storedKeys.includes(s)) problems.push(`missing ${s}`);
    for (const s of storedKeys) if (!this.asked.includes(s)) problems.push(`extra ${s}`);
    for (const a of stored) {
      const want = this.expected.get(key(a));
      if (want === undefined) continue;
      const got = Array.isArray(a.value) ? [...a.value].sort() : a.value;
      if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${key(a)}: stored ${JSON.stringify(a.value)}, acknowledged ${JSON.stringify(want)}`);
    }
    return problems;
  }
}

/** What a respondent types to pick `lng` and consent, in order (the greeting asks for the language). */
export function openingMoves(lng: string): string[] {
  return [texts.meta(lng).endonym, '1'];
}

let phones = 0;
/**
 * A phone number no other respondent of this run has. (tests/helpers/sms.ts draws six random
 * digits: among the hundreds of phones here, two sometimes shared a number, and so a respondent.)
 */
export function uniquePhoneNumber(): string {
  return `+4740${String(process.pid % 100).padStart(2, '0')}${String(++phones).padStart(4, '0')}`;
}

/** Every supported language, in menu order. */
export const LANGUAGES = texts.locales.list.map((l) => l.tag);

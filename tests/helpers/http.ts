import { Activity } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { BotOverrides, startBot, RunningBot } from '../../src/index';
import { memoryLogger, tempDir } from './harness';

export interface TestServer {
  url: string;
  bot: RunningBot;
  dataDir: string;
  logLines: string[];
  close(): Promise<void>;
}

/** The real bot (config → store → bot → restify server) on a free port, with its own data dir. */
export async function startTestServer(env: Record<string, string> = {}, overrides: BotOverrides = {}): Promise<TestServer> {
  const dataDir = env.DATA_DIR ?? tempDir();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...env });
  const { logger, lines } = memoryLogger();
  const bot = await startBot(config, logger, overrides);
  return { url: `http://127.0.0.1:${bot.port}`, bot, dataDir, logLines: lines, close: () => bot.close() };
}

/** One HTTP call with an optional bearer token and JSON (or raw) body; the body is parsed when it is JSON. */
export async function call(method: string, url: string, token?: string, body?: unknown, raw?: string): Promise<{ status: number; body: any; text: string }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}

export const postJson = (url: string, body: unknown, raw?: string) => call('POST', url, undefined, body, raw);

/** A respondent talking to POST /api/messages with deliveryMode "expectReplies", as a Bot Framework channel would. */
export class HttpRespondent {
  private seq = 0;
  constructor(
    private readonly baseUrl: string,
    readonly userId = `user-${Math.random().toString(36).slice(2)}`,
    readonly channelId = 'emulator',
  ) {}

  activity(extra: Partial<Activity>): Partial<Activity> {
    return {
      type: 'message',
      id: `m${++this.seq}`,
      channelId: this.channelId,
      serviceUrl: 'http://127.0.0.1:9', // never called: replies come back in the response body
      from: { id: this.userId, name: '' },
      recipient: { id: 'bot', name: 'bot' },
      conversation: { id: `conv-${this.userId}`, isGroup: false, conversationType: '', name: '' },
      deliveryMode: 'expectReplies',
      ...extra,
    };
  }

  async say(text: string, extra: Partial<Activity> = {}): Promise<Partial<Activity>[]> {
    const res = await postJson(`${this.baseUrl}/api/messages`, this.activity({ text, ...extra }));
    if (res.status !== 200) throw new Error(`POST /api/messages answered ${res.status}: ${res.text}`);
    return (res.body?.activities ?? []) as Partial<Activity>[];
  }

  async text(text: string): Promise<string> {
    return (await this.say(text))
      .map((a) => a.text)
      .filter(Boolean)
      .join('\n');
  }
}

import { Activity, DirectLine } from 'botframework-directlinejs';

// DirectLineJS does its HTTP through rxjs 5 `Observable.ajax`, which needs a browser's
// XMLHttpRequest; xhr2 provides one on Node (tests only: the page runs in a real browser).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- xhr2 has no types; DirectLineJS needs XMLHttpRequest in Node
(globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest ??= require('xhr2');

export type { Activity };

class NoWebSocket {
  constructor() {
    throw new Error('The Direct Line subset is polling only');
  }
}

/** The first value of an rxjs 5 observable (DirectLineJS returns those, without `toPromise`). */
export function firstValue<T>(observable: { subscribe(next: (v: T) => void, error: (e: unknown) => void): unknown }): Promise<T> {
  return new Promise<T>((resolve, reject) => observable.subscribe(resolve, reject));
}

export async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const isBot = (a: Activity) => a.from?.role === 'bot';
export const textOf = (activities: Activity[]) =>
  activities
    .map((a) => (a.type === 'message' ? a.text : undefined))
    .filter(Boolean)
    .join('\n');

/**
 * A respondent using the official Direct Line client (botframework-directlinejs), configured as the
 * web page configures it: a token from `tokens/generate`, polling, this server as the domain.
 */
export class DirectLineRespondent {
  readonly seen: Activity[] = [];
  private readonly subscription: { unsubscribe(): void };

  private constructor(
    readonly directLine: DirectLine,
    readonly conversationId: string,
    readonly token: string,
  ) {
    // Subscribing is what makes DirectLineJS start (or reconnect to) the conversation.
    this.subscription = directLine.activity$.subscribe((a) => this.seen.push(a));
  }

  static async start(baseUrl: string, options: { locale?: string; token?: string; conversationId?: string } = {}): Promise<DirectLineRespondent> {
    let token = options.token;
    let conversationId = options.conversationId;
    if (!token) {
      const res = await fetch(`${baseUrl}/v3/directline/tokens/generate`, { method: 'POST' });
      if (res.status !== 200) throw new Error(`tokens/generate answered ${res.status}`);
      ({ token, conversationId } = (await res.json()) as { token: string; conversationId: string });
    }
    const directLine = new DirectLine({
      token,
      // Reconnect when resuming, as the page does after a reload.
      conversationId: options.token ? conversationId : undefined,
      domain: `${baseUrl}/v3/directline`,
      webSocket: false,
      pollingInterval: 200,
      conversationStartProperties: options.locale ? { locale: options.locale } : undefined,
      // Its constructor reads the global WebSocket even with `webSocket: false` (makeServices),
      // and Node 20 has none; this one is never constructed.
      WebSocket: NoWebSocket as unknown as typeof globalThis.WebSocket,
    });
    return new DirectLineRespondent(directLine, conversationId!, token!);
  }

  /**
   * True when every activity of the last poll has been delivered. DirectLineJS takes the watermark
   * of a poll first and then emits its activities one by one on the async scheduler; the server's
   * watermark is the `webchat:sequence-id` of the poll's last activity.
   */
  settled(): boolean {
    const last = this.seen.at(-1);
    const watermark = (this.directLine as unknown as { watermark: string }).watermark;
    return last !== undefined && (last.channelData as Record<string, unknown> | undefined)?.['webchat:sequence-id'] === Number(watermark);
  }

  /** The bot's first activities (the greeting), once they have all arrived. */
  async greeting(): Promise<Activity[]> {
    await waitFor(() => this.seen.some(isBot) && this.settled(), 'the greeting');
    return this.seen.filter(isBot);
  }

  /**
   * Sends a message and returns the bot's replies to it: everything after its echo. A turn's
   * replies are written in one transaction and so come in one poll: once the first of them is
   * seen and that poll is delivered, all of them are there.
   */
  async say(text: string, extra: Partial<Activity> = {}): Promise<Activity[]> {
    const from = this.seen.length;
    const activity = { type: 'message', from: { id: 'ignored-by-the-server' }, text, ...extra } as Activity;
    const id = await firstValue<string>(this.directLine.postActivity(activity));
    const echoAt = await waitFor(
      () => {
        const i = this.seen.findIndex((a, n) => n >= from && a.id === id);
        return i >= 0 ? i + 1 : undefined;
      },
      `the echo of "${text.slice(0, 20)}"`,
    );
    await waitFor(() => this.seen.slice(echoAt).some(isBot) && this.settled(), `replies to "${text.slice(0, 20)}"`);
    return this.seen.slice(echoAt).filter(isBot);
  }

  async text(text: string): Promise<string> {
    return textOf(await this.say(text));
  }

  end(): void {
    this.subscription.unsubscribe();
    this.directLine.end();
  }
}

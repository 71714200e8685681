import { Activity, TurnContext } from 'botbuilder';
import { ResponseOp, TurnCommit } from '../store/store';

/**
 * Set by a channel before the turn: the inbound message's delivery key, and what a redelivery of
 * it should get, computed from the turn's replies. The record is written in the turn's own
 * transaction, so a message counts exactly once however often it arrives.
 */
export interface TurnDelivery {
  key: string;
  expiresAt: Date;
  reply(outgoing: readonly Partial<Activity>[]): string;
}

/**
 * How long a delivery record is kept: longer than any channel redelivers (Twilio retries for
 * hours at most; Azure Bot Service and Web Chat within minutes).
 */
export const DELIVERY_TTL_MS = 48 * 3600 * 1000;

/** Set by Direct Line: the turn's replies (and the user's echo) go to this outbox in the turn's write. */
export interface TurnOutbox {
  conversation: string;
  expiresAt: Date;
  seqFloor: number;
  /** Written before the replies: Direct Line echoes the user's own message into the stream. */
  echo?: unknown;
  render(outgoing: readonly Partial<Activity>[]): unknown[];
}

/**
 * Keyed by the turn's `turnState` rather than the context itself: botbuilder hands the bot a
 * revocable proxy of the context the channel made (BotAdapter.runMiddleware), and only the
 * state map behind both is the same object.
 */
const records = new WeakMap<TurnContext['turnState'], TurnRecord>();

/**
 * One turn as its channel and the bot see it: what the channel asks the turn's one write to hold
 * (a delivery key, an outbox), what the turn accumulates before that write (src/bot/surveyBot.ts
 * commits it), and how it ended. One per turn context, so nothing of one respondent's turn lives
 * on a shared object.
 */
export class TurnRecord {
  delivery?: TurnDelivery;
  outbox?: TurnOutbox;
  /** SMS: the number's HMAC wrote back, and STOP or START if it said so (joins the turn's write). */
  outreach?: TurnCommit['outreach'];
  /** The survey the channel was asked for: the web page's link, the SMS number written to. */
  survey?: string;
  /**
   * Where the respondent came from, as the channel knows it: a start link's `src`, `sms` or
   * `sms-invitation`, or how to find it out. Asked only when the respondent's state has no source
   * yet; the survey's declared sources then settle it (src/survey/sources.ts).
   */
  source?: string | (() => Promise<string | undefined>);
  /** Set while the bot runs the turn: its changes to responses join the write, its replies wait for it. */
  inBotTurn = false;
  readonly responses: ResponseOp[] = [];
  /** Replies held back until the turn's write has committed. */
  outgoing: Partial<Activity>[] = [];
  /** Replies pass the hold: the held-back ones after the commit, or an apology after a failure. */
  flushing = false;
  committed = false;
  /** The message had been handled before: the reply that turn stored. */
  duplicateReply?: string;
  /** The respondent's language as the turn left it: every reply carries it, and so does an apology. */
  language?: string;
  /** The error the turn failed with (src/bot/adapter.ts, onTurnError). */
  failure?: unknown;

  static of(context: TurnContext): TurnRecord {
    let record = records.get(context.turnState);
    if (!record) records.set(context.turnState, (record = new TurnRecord()));
    return record;
  }

  /** A new attempt at the turn (after a lost race for the state): nothing of the last one stays. */
  restart(): void {
    this.responses.length = 0;
    this.outgoing = [];
    this.committed = false;
  }
}

/**
 * Sends activities past the bot's hold (a stored reply to a redelivery, an apology after a failed
 * turn), from a channel that has the turn's context.
 */
export async function sendNow(context: TurnContext, activities: Partial<Activity>[]): Promise<void> {
  TurnRecord.of(context).flushing = true;
  if (activities.length) await context.sendActivities(activities);
}

/**
 * What of a reply is kept for a redelivery: the content, not the addressing (ids, recipient,
 * conversation), which the replay gets from the redelivered activity itself.
 */
export function replayable(activities: readonly Partial<Activity>[]): Partial<Activity>[] {
  return activities.map(({ type, text, textFormat, locale, inputHint, code, suggestedActions }) => ({
    type,
    ...(text !== undefined ? { text } : {}),
    ...(textFormat ? { textFormat } : {}),
    ...(locale ? { locale } : {}),
    ...(inputHint ? { inputHint } : {}),
    ...(code ? { code } : {}),
    ...(suggestedActions ? { suggestedActions } : {}),
  }));
}

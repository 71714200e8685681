import { Activity, TurnContext } from 'botbuilder';
import { ResponseOp } from '../store/store';

/**
 * What one turn accumulates before its single write (src/bot/surveyBot.ts commits it), and how a
 * channel tells the bot what to add to that write. Kept in the turn's `turnState`, so nothing of
 * one respondent's turn lives on a shared object.
 */
export class TurnWork {
  readonly responses: ResponseOp[] = [];
  /** Replies held back until the turn's write has committed. */
  outgoing: Partial<Activity>[] = [];
  committed = false;

  static of(context: TurnContext): TurnWork | undefined {
    return context.turnState.get(TURN_WORK) as TurnWork | undefined;
  }
}

export const TURN_WORK = Symbol('turnWork');

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
export const TURN_DELIVERY = Symbol('turnDelivery');

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
export const TURN_OUTBOX = Symbol('turnOutbox');

/** Set by the bot when the message had been handled before: the reply that turn stored. */
export const TURN_DUPLICATE = Symbol('turnDuplicate');

/** Set while held-back replies are being sent, so they pass the bot's own hold. */
export const TURN_FLUSHING = Symbol('turnFlushing');

export function duplicateOf(context: TurnContext): string | undefined {
  return context.turnState.get(TURN_DUPLICATE) as string | undefined;
}

/**
 * Sends activities past the bot's hold (a stored reply to a redelivery, an apology after a failed
 * turn), from a channel that has the turn's context.
 */
export async function sendNow(context: TurnContext, activities: Partial<Activity>[]): Promise<void> {
  context.turnState.set(TURN_FLUSHING, true);
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

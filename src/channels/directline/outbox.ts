import crypto from 'node:crypto';
import { redact } from '../../privacy/redact';
import { Activity } from 'botbuilder';

/**
 * The shape of an activity in the database outbox, and the translation to and from it. The outbox
 * holds what a polling browser must see, and nothing that identifies anyone: no user id, no
 * conversation id (the row is keyed by an HMAC of it), no client clock. Ids and addresses are put
 * back when a poll, authenticated by its token, reads the rows.
 */
export interface StoredActivity {
  /** Who sent it: the user's own message (echo) or the bot. */
  role: 'user' | 'bot';
  type: string;
  /** Set for echoes only: the id `POST …/activities` answered with. */
  id?: string;
  /** Minute precision: enough for Web Chat's "just now", too coarse to match against other logs. */
  time: string;
  text?: string;
  textFormat?: string;
  locale?: string;
  inputHint?: string;
  code?: string;
  suggestedActions?: { actions: { type: string; title?: string; value?: unknown }[] };
  /** Web Chat's id for a message it is sending; the echo must carry it back (see toServed). */
  clientActivityID?: string;
}

export const BOT_ID = 'bot';

/** How long outbox rows are kept: a reload within this time replays the conversation. */
export const OUTBOX_TTL_MS = 2 * 3600 * 1000;

const HOUR_MS = 3600 * 1000;

/** Rounded up to the hour, as respondent-state expiry is, so the row does not date the message. */
export function outboxExpiry(now: Date): Date {
  return new Date(Math.ceil((now.getTime() + OUTBOX_TTL_MS) / HOUR_MS) * HOUR_MS);
}

/**
 * The lowest outbox number a message at `now` may get: a thousand per hour since 1970. The purge
 * empties the outbox of a conversation idle for OUTBOX_TTL_MS, while its page may still be open
 * and polling after its last watermark; numbered from 1 again, the new replies would sit below
 * that watermark and never be shown. Two hours later the floor is 2,000 higher, above any number
 * the conversation had unless it sent over a thousand activities an hour. Hours, as the expiry,
 * so that the number does not date the message more closely; PostgreSQL's integer column holds
 * it until the year 2215.
 */
export function outboxSeqFloor(now: Date): number {
  return Math.floor(now.getTime() / HOUR_MS) * 1000;
}

export function minuteOf(now: Date): string {
  return new Date(Math.floor(now.getTime() / 60000) * 60000).toISOString();
}

/** The user's message as it will be echoed back in the activity stream. */
export function userEcho(message: { text?: string; locale?: string; clientActivityID?: string }, now: Date): StoredActivity {
  return {
    role: 'user',
    type: 'message',
    id: crypto.randomUUID(),
    time: minuteOf(now),
    // The echo waits in the database until it expires: the same redaction as for stored answers,
    // so a phone number typed by mistake is not kept even for two hours. The respondent sees
    // their message with the placeholder, which also tells them it was not kept.
    text: message.text === undefined ? undefined : redact(message.text),
    locale: message.locale,
    clientActivityID: message.clientActivityID,
  };
}

/** A bot reply, stripped of the addressing botbuilder filled in (user id, conversation id, reply-to id). */
export function botReply(activity: Partial<Activity>, now: Date): StoredActivity {
  const stored: StoredActivity = { role: 'bot', type: activity.type ?? 'message', time: minuteOf(now) };
  if (typeof activity.text === 'string') stored.text = activity.text;
  if (activity.textFormat) stored.textFormat = activity.textFormat;
  if (activity.locale) stored.locale = activity.locale;
  if (activity.inputHint) stored.inputHint = activity.inputHint;
  if (activity.code) stored.code = activity.code;
  if (activity.suggestedActions?.actions?.length) {
    stored.suggestedActions = { actions: activity.suggestedActions.actions.map(({ type, title, value }) => ({ type, title, value })) };
  }
  return stored;
}

/**
 * A stored activity as Direct Line delivers it. `webchat:sequence-id` is Web Chat's ordering key
 * (botframework-webchat-core createActivitiesReducer): with it, order follows the outbox's seq
 * exactly instead of timestamps, which here have only minute precision.
 */
export function toServed(row: { seq: number; activity: unknown }, conversationId: string, userId: string): Partial<Activity> {
  const { role, id, time, clientActivityID, ...rest } = row.activity as StoredActivity;
  const user = { id: userId, name: '', role: 'user' };
  const bot = { id: BOT_ID, name: '', role: 'bot' };
  return {
    ...rest,
    id: id ?? `${conversationId}|${String(row.seq).padStart(7, '0')}`,
    timestamp: time as unknown as Date,
    channelId: 'directline',
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
    from: role === 'user' ? user : bot,
    recipient: role === 'user' ? bot : user,
    channelData: { ...(clientActivityID ? { clientActivityID } : {}), 'webchat:sequence-id': row.seq },
  } as Partial<Activity>;
}

import { Activity, ActivityTypes } from 'botbuilder';
import { keyedHash } from '../../identity';
import { safeError } from '../../logger';
import { ChannelDeps } from '../channelDeps';
import { splitForSms } from './smsText';

/**
 * The provider-neutral SMS channel: one inbound text in, the bot's replies out as SMS-sized
 * texts. A provider (src/channels/sms/twilioWebhook.ts) only verifies and translates its webhook;
 * another gateway is one more such file.
 */
export interface InboundSms {
  /** The sender's phone number: it only feeds the HMAC that keys conversation state. */
  from: string;
  text: string;
  /** The provider's message id, for at-least-once delivery. */
  messageId: string;
}

/** Sends replies that missed the webhook deadline through the provider's own send API. */
export type LateSender = (texts: string[]) => Promise<void>;

/** How long the provider may redeliver a message: idempotency records live this long. */
const DELIVERY_TTL_MS = 48 * 3600 * 1000;
const PENDING_POLL_MS = 50;

/** The texts an SMS respondent receives for a turn's activities. */
export function renderForSms(activities: Partial<Activity>[]): string[] {
  return activities
    .filter((a) => a.type === ActivityTypes.Message && a.text)
    // Options are already numbered in the text; suggestedActions (buttons) have no SMS form.
    .flatMap((a) => splitForSms(a.text!));
}

/**
 * Handles one inbound SMS exactly once per provider message id. Returns the texts to answer with
 * now; when the turn takes longer than `deadlineMs` it returns [] and hands the replies to
 * `sendLate` when they are ready, so the webhook never keeps the provider waiting.
 */
export async function handleInboundSms(sms: InboundSms, deps: ChannelDeps, deadlineMs: number, sendLate?: LateSender): Promise<string[]> {
  const { store, secret, logger } = deps;
  const key = keyedHash(secret, 'sms-message', sms.messageId);
  const deadline = Date.now() + deadlineMs;

  // Claim the message, or wait while another request (a redelivery racing the first) handles
  // it. If that request fails it releases the claim, and this one takes the message over.
  for (;;) {
    const claim = await store.claimDelivery(key, new Date(Date.now() + DELIVERY_TTL_MS));
    if (claim.state === 'done') return JSON.parse(claim.reply) as string[];
    if (claim.state === 'new') break;
    if (Date.now() >= deadline) return [];
    await new Promise((r) => setTimeout(r, PENDING_POLL_MS));
  }

  const turn = (async () => {
    try {
      const activities = await deps.direct.runTurn(
        {
          type: ActivityTypes.Message,
          channelId: 'sms',
          from: { id: sms.from, name: '' },
          recipient: { id: 'bot', name: '' },
          // SMS has no conversation; one per sender, named by HMAC so no number is passed around.
          conversation: { id: keyedHash(secret, 'sms-conversation', sms.from), isGroup: false, conversationType: 'personal', name: '' },
          text: sms.text,
        },
        (context) => deps.bot.run(context),
      );
      const texts = renderForSms(activities);
      await store.completeDelivery(key, JSON.stringify(texts));
      return texts;
    } catch (err) {
      await store.releaseDelivery(key).catch(() => undefined);
      throw err;
    }
  })();

  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()));
  });
  const first = await Promise.race([turn, late]);
  clearTimeout(timer);
  if (first !== 'late') return first;

  logger.warn({ event: 'sms_reply_late', deadlineMs }, 'turn slower than the webhook deadline; replying through the send API');
  turn.then(
    async (texts) => {
      if (!sendLate) return logger.error({ event: 'sms_late_reply_dropped' }, 'no send API configured (TWILIO_ACCOUNT_SID): a late reply was dropped');
      await sendLate(texts);
    },
    (err) => logger.error({ event: 'sms_turn_failed', error: safeError(err) }, 'late SMS turn failed'),
  ).catch((err) => logger.error({ event: 'sms_late_send_failed', error: safeError(err) }, 'could not send a late SMS reply'));
  return [];
}

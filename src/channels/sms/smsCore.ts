import { Activity, ActivityTypes } from 'botbuilder';
import { DELIVERY_TTL_MS, TurnRecord } from '../../bot/turn';
import { keyedHash } from '../../identity';
import { safeError } from '../../logger';
import { isDatabaseUnavailable } from '../../store/errors';
import { ChannelDeps } from '../channelDeps';
import { splitForSms } from '../../text/smsText';
import { numberKey } from '../../outreach/invitations';
import { floorHour } from '../../period';
import { SMS, SMS_INVITATION } from '../../survey/sources';

/**
 * The provider-neutral SMS channel: one inbound text in, the bot's replies out as SMS-sized
 * texts. A provider (src/channels/sms/twilioWebhook.ts) only verifies and translates its webhook;
 * another gateway is one more such file.
 */
export interface InboundSms {
  /** The sender's phone number: it only feeds the HMAC that keys conversation state. */
  from: string;
  text: string;
  /** The number the message was sent to: with a route (`survey-bot survey sms-number`), it picks the survey. */
  to?: string;
  /** The provider's message id, for at-least-once delivery. */
  messageId: string;
}

/** Sends replies that missed the webhook deadline through the provider's own send API. */
export type LateSender = (texts: string[]) => Promise<void>;

/** The texts an SMS respondent receives for a turn's activities. */
export function renderForSms(activities: readonly Partial<Activity>[]): string[] {
  return (
    activities
      .filter((a) => a.type === ActivityTypes.Message && a.text)
      // Options are already numbered in the text; suggestedActions (buttons) have no SMS form.
      .flatMap((a) => splitForSms(a.text!))
  );
}

/**
 * What the webhook answers: texts, or "unavailable" when the database could not take the turn (or
 * the turn is still waiting for it; `texts` then holds the apology the respondent would get).
 */
export type SmsOutcome = { texts: string[] } | { unavailable: true; texts: string[] };

/**
 * Handles one inbound SMS exactly once per provider message id. The delivery record is written in
 * the turn's own transaction (src/bot/surveyBot.ts): a copy that arrives while or after the first
 * is handled gets the first one's texts and no turn of its own, and a process that dies
 * mid-message leaves nothing behind, so the provider's redelivery is simply handled afresh.
 *
 * Returns the texts to answer with now; when the turn takes longer than `deadlineMs` it returns
 * none and hands the replies to `sendLate` when they are ready (tracked in `deps.inFlight`, so
 * a shutdown waits for them), so the webhook never keeps the provider waiting.
 */
export async function handleInboundSms(sms: InboundSms, deps: ChannelDeps, deadlineMs: number, sendLate?: LateSender): Promise<SmsOutcome> {
  const { secret, logger } = deps;
  const key = keyedHash(secret, 'sms-message', sms.messageId);
  const survey = sms.to ? await deps.catalog.surveyForNumber(sms.to) : undefined;
  // SMS has no conversation; one per sender (and per survey, where the number picks one: the
  // respondent state is keyed by sender), named by HMAC so no number is passed around. Without a
  // route the sender alone is the key, as before routes existed.
  const sender = survey ? `${sms.from}\u0000${survey}` : sms.from;
  const conversation = keyedHash(secret, 'sms-conversation', sender);
  const turn = (async (): Promise<SmsOutcome> => {
    const { activities, context } = await deps.direct.runTurn(
      {
        type: ActivityTypes.Message,
        channelId: 'sms',
        from: { id: sender, name: '' },
        recipient: { id: 'bot', name: '' },
        conversation: { id: conversation, isGroup: false, conversationType: 'personal', name: '' },
        text: sms.text,
      },
      (context) => deps.bot.run(context),
      (context) => {
        TurnRecord.of(context).survey = survey;
        // Asked only for a respondent without a source yet: a reply to a campaign's invitation, or a text of their own.
        TurnRecord.of(context).source = async () => ((await deps.store.invited(numberKey(secret, sms.from), survey)) ? SMS_INVITATION : SMS);
        TurnRecord.of(context).delivery = { key, expiresAt: new Date(Date.now() + DELIVERY_TTL_MS), reply: (out) => JSON.stringify(renderForSms(out)) };
        TurnRecord.of(context).outreach = outreachOf(sms, deps);
      },
    );
    const duplicate = TurnRecord.of(context).duplicateReply;
    if (duplicate !== undefined) {
      deps.metrics?.sms.inc({ outcome: 'duplicate' });
      return { texts: JSON.parse(duplicate) as string[] };
    }
    if (isDatabaseUnavailable(TurnRecord.of(context).failure)) {
      deps.metrics?.sms.inc({ outcome: 'unavailable' });
      return { unavailable: true, texts: renderForSms(activities) };
    }
    return { texts: renderForSms(activities) };
  })();

  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deadlineMs);
  });
  const first = await Promise.race([turn, late]);
  clearTimeout(timer);
  if (first !== 'late') {
    if ('texts' in first) deps.metrics?.sms.inc({ outcome: 'replied' });
    return first;
  }
  deps.metrics?.sms.inc({ outcome: 'late' });

  if (!sendLate) {
    // Without a send API a late reply could only be dropped, and a turn still waiting for the
    // database (a lock, a connection) may yet fail: "retry" now, and the provider's redelivery
    // gets this turn's reply from its delivery record once it has committed, or is handled
    // afresh if it did not.
    logger.warn({ event: 'sms_reply_deferred', deadlineMs }, 'turn slower than the webhook deadline and no send API: asking the provider to redeliver');
    void deps.inFlight.track(turn.catch((err) => logger.error({ event: 'sms_late_turn_failed', error: safeError(err) }, 'a deferred SMS turn failed')));
    return { unavailable: true, texts: [] };
  }
  logger.warn({ event: 'sms_reply_late', deadlineMs }, 'turn slower than the webhook deadline; replying through the send API');
  void deps.inFlight.track(
    turn
      .then(async (outcome) => {
        // The webhook has answered 200, so the provider will not redeliver: the respondent gets the
        // apology, in their language, and sends the message again.
        if ('unavailable' in outcome)
          logger.error({ event: 'sms_late_turn_unavailable' }, 'late SMS turn found the database unavailable; asking the respondent to send again');
        await sendLate(outcome.texts);
      })
      .catch((err) => logger.error({ event: 'sms_late_send_failed', error: safeError(err) }, 'could not send a late SMS reply')),
  );
  return { texts: [] };
}

/**
 * What an invitation campaign needs to know about a message (src/outreach/invitations.ts), by
 * the number's HMAC only: it wrote back (so no reminder), or it wrote STOP or START in any
 * language (the opt-out list every campaign honours). Written with the turn.
 */
function outreachOf(sms: InboundSms, deps: ChannelDeps): TurnRecord['outreach'] {
  const keyword = deps.texts.smsKeyword(sms.text);
  return {
    key: numberKey(deps.secret, sms.from),
    ...(keyword === 'opt_out' ? { optOut: true } : keyword === 'opt_in' ? { optOut: false } : {}),
    at: floorHour(new Date()),
  };
}

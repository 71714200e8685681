import { Request, Response, Server } from 'restify';
import twilio from 'twilio';
import { z } from 'zod';
import { safeError } from '../../logger';
import { ChannelDeps } from '../channelDeps';
import { handleInboundSms, LateSender } from './smsCore';

export const TWILIO_PATH = '/sms/twilio';

// The fields of Twilio's inbound-message webhook that a turn needs.
const inbound = z.object({
  MessageSid: z.string().min(1).max(64),
  From: z.string().min(1).max(64),
  To: z.string().max(64).default(''),
  Body: z
    .string()
    .max(64 * 1024)
    .default(''),
});

export interface TwilioOptions {
  /** Replaces Twilio's REST API for replies that miss the deadline (tests). */
  lateSender?: (to: string, from: string) => LateSender;
}

/**
 * `POST /sms/twilio`: Twilio's (and compatible gateways') inbound SMS webhook. The signature in
 * `X-Twilio-Signature` is checked with the official helper against PUBLIC_URL, because anyone can
 * post to a public URL; a request that fails the check gets 403 and nothing is stored.
 */
export function registerTwilioSms(server: Server, deps: ChannelDeps, options: TwilioOptions = {}): void {
  const { config, logger } = deps;
  const token = config.sms.twilioAuthToken;
  if (!token || !config.publicUrl) {
    logger.warn({ event: 'sms_disabled' }, 'SMS webhook refuses all requests: set TWILIO_AUTH_TOKEN and PUBLIC_URL to enable it');
  }
  const lateSender =
    options.lateSender ??
    (token && config.sms.twilioAccountSid
      ? (to: string, from: string): LateSender => {
          const client = twilio(config.sms.twilioAccountSid, token);
          return async (texts) => {
            for (const body of texts) await client.messages.create({ to, from, body });
          };
        }
      : undefined);

  server.post(TWILIO_PATH, async (req: Request, res: Response) => {
    const params = (req.body ?? {}) as Record<string, string>;
    const signature = req.header('X-Twilio-Signature') ?? '';
    const query = req.getQuery();
    const url = `${config.publicUrl ?? ''}${TWILIO_PATH}${query ? `?${query}` : ''}`;
    if (!token || !config.publicUrl || !signature || !twilio.validateRequest(token, signature, url, params)) {
      logger.warn({ event: 'sms_forbidden', signed: Boolean(signature) }, 'SMS webhook signature missing or invalid');
      res.send(403, { error: 'forbidden', message: 'Missing or invalid X-Twilio-Signature.' });
      return;
    }
    const parsed = inbound.safeParse(params);
    if (!parsed.success) {
      res.send(400, { error: 'bad_request', message: `Not an inbound SMS webhook: ${parsed.error.issues[0].path.join('.')} is missing or invalid.` });
      return;
    }
    const { MessageSid, From, To, Body } = parsed.data;
    try {
      const outcome = await handleInboundSms(
        { from: From, to: To, text: Body, messageId: MessageSid },
        deps,
        config.sms.replyDeadlineMs,
        lateSender?.(From, To),
      );
      if ('unavailable' in outcome) {
        // Twilio's convention for "try again": a 5xx makes it call the number's fallback URL, or
        // retry where the webhook URL asks for it (#rc=5&rp=all); nothing was stored, and the
        // delivery key makes the retry count once.
        res.setHeader('Retry-After', '30');
        res.send(503, { error: 'unavailable', message: 'The database is unavailable; retry this message.' });
        return;
      }
      const twiml = new twilio.twiml.MessagingResponse();
      for (const t of outcome.texts) twiml.message(t);
      res.setHeader('Content-Type', 'text/xml; charset=utf-8');
      res.sendRaw(200, twiml.toString());
    } catch (err) {
      logger.error({ event: 'sms_failed', error: safeError(err) }, 'SMS webhook failed');
      res.send(500, { error: 'internal', message: 'The message could not be processed; the provider may retry.' });
    }
  });
}

/**
 * Twilio's Programmable Messaging REST API, the one call an invitation needs: `POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic auth (Account SID, auth token),
 * form fields `To`, `MessagingServiceSid`, `Body`, and for a scheduled message `ScheduleType=fixed`
 * and `SendAt` (ISO 8601, 15 minutes to 35 days ahead). A Messaging Service rather than a `From`
 * number: it holds the sender (a registered alphanumeric sender or a number, see README, SMS
 * invitations), queues, and answers STOP at the carrier level too.
 */
export interface OutgoingSms {
  to: string;
  body: string;
  sendAt?: Date;
}

export type SendResult = { ok: true } | { ok: false; reason: 'invalid' | 'opted_out' | 'failed'; code?: number; message: string };

export type SmsSender = (sms: OutgoingSms) => Promise<SendResult>;

export interface TwilioMessagingConfig {
  accountSid: string;
  authToken: string;
  messagingServiceSid: string;
  /** `https://api.twilio.com`, or a fake of it in tests. */
  apiBase: string;
}

/** Twilio's error codes that say the number itself cannot be written to. */
const INVALID_NUMBER = new Set([21211, 21214, 21217, 21401, 21407, 21408, 21612, 21614]);
/** 21610: the recipient has replied STOP to this sender at Twilio's level. */
const UNSUBSCRIBED = 21610;

export function twilioSender(config: TwilioMessagingConfig, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): SmsSender {
  const url = `${config.apiBase.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
  return async (sms) => {
    const form = new URLSearchParams({ To: sms.to, MessagingServiceSid: config.messagingServiceSid, Body: sms.body });
    if (sms.sendAt) {
      form.set('ScheduleType', 'fixed');
      form.set('SendAt', sms.sendAt.toISOString());
    }
    // Too many requests (429) and Twilio's own outages (5xx) are tried again, with backoff.
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        });
      } catch (err) {
        if (attempt < 4) {
          await sleep(250 * 2 ** attempt);
          continue;
        }
        return { ok: false, reason: 'failed', message: (err as Error).message };
      }
      if (res.status === 201 || res.status === 200) {
        await res.body?.cancel();
        return { ok: true };
      }
      if ((res.status === 429 || res.status >= 500) && attempt < 4) {
        await res.body?.cancel();
        await sleep(Number(res.headers.get('retry-after')) * 1000 || 250 * 2 ** attempt);
        continue;
      }
      const error = (await res.json().catch(() => ({}))) as { code?: number; message?: string };
      const message = error.message ?? `Twilio answered ${res.status}`;
      if (error.code === UNSUBSCRIBED) return { ok: false, reason: 'opted_out', code: error.code, message };
      if (error.code !== undefined && INVALID_NUMBER.has(error.code)) return { ok: false, reason: 'invalid', code: error.code, message };
      return { ok: false, reason: 'failed', code: error.code, message };
    }
  };
}

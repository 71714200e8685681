import twilio from 'twilio';
import { TestServer } from './http';

export const PUBLIC_URL = 'https://survey.example.no';
export const AUTH_TOKEN = 'test-twilio-auth-token-0123456789';
export const SMS_ENV = { PUBLIC_URL, TWILIO_AUTH_TOKEN: AUTH_TOKEN };

let sid = 0;
export const nextSid = () => `SM${String(++sid).padStart(32, '0')}`;

/** Decodes the <Message> bodies of a TwiML answer. */
export function messagesOf(twiml: string): string[] {
  return [...twiml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) =>
    m[1]
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

/**
 * Posts an inbound SMS webhook as Twilio does: form-encoded, signed with the official `twilio`
 * helper over PUBLIC_URL + path. `signature` overrides the header (forgeries), null omits it.
 */
export async function postSms(
  server: TestServer,
  params: Record<string, string>,
  signature?: string | null,
): Promise<{ status: number; body: string; messages: string[] }> {
  const sig = signature === undefined ? twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/sms/twilio`, params) : signature;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (sig !== null) headers['x-twilio-signature'] = sig;
  const res = await fetch(`${server.url}/sms/twilio`, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  const body = await res.text();
  return { status: res.status, body, messages: messagesOf(body) };
}

/**
 * A phone number no other phone of this test process has: random six digits collided (two of 137
 * phones once shared a survey). Random start, so processes sharing a database rarely meet either.
 */
let lastPhone = Math.floor(Math.random() * 5e5);
function nextPhoneNumber(): string {
  lastPhone = (lastPhone + 1) % 1e6;
  return `+4791${String(lastPhone).padStart(6, '0')}`;
}

/** One phone talking to the bot over the signed webhook. */
export class SmsPhone {
  constructor(
    private readonly server: TestServer,
    readonly number = nextPhoneNumber(),
    /** The number the phone writes to: with an SMS route, it picks the survey. */
    readonly to = '+4759440000',
  ) {}

  params(text: string, messageSid = nextSid()): Record<string, string> {
    return { MessageSid: messageSid, AccountSid: `AC${'0'.repeat(32)}`, From: this.number, To: this.to, Body: text, NumMedia: '0' };
  }

  async send(text: string): Promise<string[]> {
    const r = await postSms(this.server, this.params(text));
    if (r.status !== 200) throw new Error(`webhook answered ${r.status}: ${r.body}`);
    return r.messages;
  }

  async text(text: string): Promise<string> {
    return (await this.send(text)).join('\n');
  }
}

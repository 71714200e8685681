import crypto from 'node:crypto';

/**
 * HMAC-SHA256 of `value` for one `purpose`, with the server secret. Every identifier the bot must
 * recognise again (a user, a Direct Line conversation, an SMS message id) is stored only in this
 * form: equal inputs meet, and nothing can be read back or recomputed without the secret.
 */
export function keyedHash(secret: string, purpose: string, value: string): string {
  return crypto.createHmac('sha256', secret).update(`${purpose}\u0000${value}`).digest('hex');
}

/**
 * The key under which a respondent's conversation state is stored: an HMAC of channel and channel
 * user id (a phone number on SMS) with the server secret. The database never sees the id itself,
 * and without the secret the key cannot be recomputed from a phone number list.
 */
export function stateKey(secret: string, channelId: string, userId: string): string {
  return keyedHash(secret, channelId, userId);
}

/** Coarse channel kind stored with a response; the channel's own ids never are. */
export function channelKind(channelId: string | undefined): string {
  switch (channelId) {
    case 'webchat':
    case 'directline':
      return 'web';
    case 'sms':
    case 'twilio-sms':
      return 'sms';
    case 'emulator':
    case 'test':
    case 'msteams':
      return channelId;
    default:
      return 'other';
  }
}

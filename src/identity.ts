import crypto from 'node:crypto';

/**
 * The key under which a respondent's conversation state is stored: an HMAC of channel and channel
 * user id (a phone number on SMS) with the server secret. The database never sees the id itself,
 * and without the secret the key cannot be recomputed from a phone number list.
 */
export function stateKey(secret: string, channelId: string, userId: string): string {
  return crypto.createHmac('sha256', secret).update(`${channelId}\u0000${userId}`).digest('hex');
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

import { BotState, Storage, TurnContext } from 'botbuilder';
import { stateKey } from '../identity';

/**
 * Conversation state keyed by respondent rather than by conversation: an SMS respondent has no
 * stable conversation id, and a web respondent who reloads the page should continue where they
 * were. The key is an HMAC (src/identity.ts), never the channel's user id.
 */
export class SurveyState extends BotState {
  constructor(storage: Storage, secret: string) {
    super(storage, async (context: TurnContext) => {
      const { channelId, from } = context.activity;
      if (!channelId || !from?.id) throw new Error('Activity without channelId or from.id: cannot key conversation state');
      return stateKey(secret, channelId, from.id);
    });
  }
}

import { ResponseOp } from './responseStore';
import { StateWrite } from './stateStore';

/**
 * Everything one turn writes, applied in one transaction: the respondent's state, the changes to
 * the response, the record that the inbound message has been handled, and the replies a polling
 * browser will read. Either all of it is stored or none of it, so a crash, a lost race or a
 * duplicate delivery never leaves half a turn behind.
 */
export interface TurnCommit {
  state?: StateWrite;
  responses: readonly ResponseOp[];
  /**
   * The inbound message's delivery key (an HMAC of channel, conversation and message id) and what
   * to answer a redelivery with. Inserted, never replaced: if the key exists, another copy of
   * this message was handled first, and the commit fails with {@link DuplicateDeliveryError}.
   */
  delivery?: { key: string; reply: string; expiresAt: Date };
  /**
   * Direct Line: activities to append to a conversation's outbox, in order. They are numbered on
   * from the conversation's highest number, or from `seqFloor` when that is higher, so that
   * numbers keep rising after the purge has emptied an idle conversation's outbox.
   */
  outbox?: { conversation: string; activities: readonly unknown[]; expiresAt: Date; seqFloor: number };
  /**
   * SMS invitations (src/outreach/): a number, as its HMAC, wrote to the bot, so none of its
   * invitations gets a reminder; with `optOut`, it wrote STOP (true) or START (false) in some
   * language. In the turn's write, so a redelivered message changes nothing twice and no second
   * write follows each inbound SMS.
   */
  outreach?: { key: string; optOut?: boolean; at: Date };
}

export interface TurnStore {
  /** @returns the state's new eTag, when a state was written */
  commitTurn(commit: TurnCommit): Promise<{ etag?: string }>;
}

/** Another copy of this message was handled first; `reply` is what that turn stored. */
export class DuplicateDeliveryError extends Error {
  override name = 'DuplicateDeliveryError';
  constructor(readonly reply: string) {
    super('This message was already handled; its stored reply is answered instead of running a second turn.');
  }
}

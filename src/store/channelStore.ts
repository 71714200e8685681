/**
 * What the channels keep between requests: the Direct Line outbox that polling browsers read,
 * and the delivery records that make every inbound message count once.
 */
export interface OutboxRow {
  seq: number;
  activity: unknown;
}

export interface ChannelStore {
  /**
   * A conversation's outbox after a watermark, oldest first. `seq` counts per conversation and is
   * assigned in the turn's transaction, so a row with a higher seq is never committed before a
   * lower one: a poller that has seen seq n has seen everything up to n.
   */
  readOutbox(conversation: string, afterSeq: number, limit: number): Promise<OutboxRow[]>;
  /** The reply stored with a delivery key by the turn that handled the message, if any. */
  readDelivery(key: string): Promise<string | undefined>;
  /** How many outbox rows are waiting (for the metrics). */
  outboxDepth(): Promise<number>;
}

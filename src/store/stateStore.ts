/**
 * Respondent state: what the bot remembers between turns, under an HMAC of channel and user id.
 * It is the only link between a person and a response, and it is short-lived: deleted when the
 * survey ends, purged when its expiry (rounded to the hour) passes.
 */
export interface StateRecord {
  data: unknown;
  etag: string;
}

/**
 * How a turn leaves the state: written, or deleted. `etag` is the one the turn read: the write
 * fails with {@link EtagConflictError} unless the row is still at it; null means "there was no
 * state", and fails if one has appeared meanwhile; undefined overwrites whatever is there.
 */
export type StateWrite = { key: string; data: unknown; etag?: string | null; expiresAt: Date } | { key: string; delete: true };

export interface StateStore {
  readState(key: string): Promise<StateRecord | undefined>;
}

export class EtagConflictError extends Error {
  override name = 'EtagConflictError';
  constructor(key: string) {
    // The key is an HMAC, safe to log; it names which state lost the race.
    super(`State ${key.slice(0, 12)}… was changed by another turn (eTag conflict); the turn is run again on the new state.`);
  }
}

import { AnswerValue } from '../survey/engine';

/**
 * The storage boundary. One implementation per database (SQLite now, PostgreSQL for scale-out);
 * the bot, the dialogs and the tests talk only to this interface.
 *
 * Answer data (responses, answers) and conversation state are deliberately separate: the state
 * is the only link between a person and a response, and it is short-lived.
 */
export interface SurveyStore {
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<MigrationReport>;
  ping(): Promise<void>;
  close(): Promise<void>;

  createResponse(r: NewResponse): Promise<void>;
  /** Inserts or replaces one answer (answering again after "back" replaces it). */
  saveAnswer(a: AnswerRecord): Promise<void>;
  deleteAnswers(responseId: string, keys: { questionId: string; iteration: string }[]): Promise<void>;
  updateResponse(id: string, patch: ResponsePatch): Promise<void>;
  /** Withdrawal: removes the response and every answer of it. */
  deleteResponse(id: string): Promise<void>;
  getResponse(id: string): Promise<StoredResponse | undefined>;
  listResponses(filter?: { surveyId?: string; status?: ResponseStatus }): Promise<StoredResponse[]>;
  /**
   * Every response matching `filter` with its answers, in batches of about `batchSize`, so that an
   * export or analysis of any size runs in flat memory. With `questions`, only those questions'
   * answers are read. Order is by response id: random, since ids are.
   */
  scanResponses(filter: ResponseFilter, options?: { batchSize?: number; questions?: readonly string[] }): AsyncIterable<StoredResponse[]>;
  /** How many responses match `filter`. */
  countResponses(filter: ResponseFilter): Promise<number>;

  readStates(keys: string[]): Promise<Record<string, StateRecord>>;
  /**
   * Writes a state. With `expectedEtag`, fails with `EtagConflictError` unless the stored row
   * still has that eTag (optimistic concurrency, as botbuilder's `Storage` contract asks).
   */
  writeState(key: string, data: unknown, expectedEtag: string | undefined, expiresAt: Date): Promise<string>;
  deleteStates(keys: string[]): Promise<void>;
  /** Deletes states whose expiry has passed; returns how many. */
  purgeExpiredStates(now: Date): Promise<number>;

  /** Appends bot activities to a Direct Line conversation's outbox (conversation = an HMAC). */
  appendOutbox(conversation: string, activities: unknown[], expiresAt: Date): Promise<void>;
  /** Outbox activities after a watermark (a `seq`), oldest first. */
  readOutbox(conversation: string, afterSeq: number, limit: number): Promise<{ seq: number; activity: unknown }[]>;

  /**
   * Claims an inbound SMS by the HMAC of its provider message id. Exactly one of several
   * concurrent claims of a new key gets `new`; the others see `pending` until it completes, and
   * `done` with the stored reply after.
   */
  claimDelivery(key: string, expiresAt: Date): Promise<{ state: 'new' } | { state: 'pending' } | { state: 'done'; reply: string }>;
  completeDelivery(key: string, reply: string): Promise<void>;
  /** Gives a claim up after a failure, so the provider's retry is processed afresh. */
  releaseDelivery(key: string): Promise<void>;
  /** Deletes expired outbox activities and delivery records; returns how many. */
  purgeExpiredChannelData(now: Date): Promise<number>;
}

export type ResponseStatus = 'in_progress' | 'completed';

export interface NewResponse {
  id: string;
  surveyId: string;
  surveyVersion: number;
  consentVersion: number;
  channel: string;
  period: string;
  language: string;
}

/** Which responses an export or analysis covers. Periods are ISO weeks, inclusive. */
export interface ResponseFilter {
  surveyId: string;
  surveyVersion?: number;
  /** Undefined: every status. */
  status?: ResponseStatus;
  language?: string;
  channel?: string;
  fromPeriod?: string;
  toPeriod?: string;
  /** Response ids from `idFrom` (inclusive) to `idTo` (exclusive): a share of the responses for one worker. */
  idFrom?: string;
  idTo?: string;
}

export interface ResponsePatch {
  status?: ResponseStatus;
  languageSwitches?: number;
  notUnderstoodCount?: number;
}

export interface AnswerRecord {
  responseId: string;
  questionId: string;
  iteration: string;
  value: AnswerValue;
  language: string;
  fallback: boolean;
  /** Times "I don't understand" was written at this question (0 when not given). */
  notUnderstood?: number;
}

export interface StoredResponse extends NewResponse {
  status: ResponseStatus;
  languageSwitches: number;
  notUnderstoodCount: number;
  answers: StoredAnswer[];
}

export type StoredAnswer = Omit<AnswerRecord, 'responseId' | 'notUnderstood'> & { notUnderstood: number };

export interface StateRecord {
  data: unknown;
  etag: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export class EtagConflictError extends Error {
  override name = 'EtagConflictError';
  constructor(key: string) {
    // The key is an HMAC, safe to log; it names which state lost the race.
    super(`State ${key.slice(0, 12)}… was changed by another turn (eTag conflict); the turn is retried by the user's next message.`);
  }
}

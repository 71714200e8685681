import { AnswerValue } from '../survey/engine';

/**
 * Responses and their answers: what the survey collects. No channel id, conversation id, message
 * id, phone number, IP or exact time is ever part of these records (README, Privacy).
 */
export type ResponseStatus = 'in_progress' | 'completed';

export interface NewResponse {
  id: string;
  surveyId: string;
  surveyVersion: number;
  consentVersion: number;
  channel: string;
  /** ISO week ("2026-W48"). */
  period: string;
  language: string;
  /** Where the respondent came from (src/survey/sources.ts); `direct` when not given. */
  source?: string;
}

export interface ResponsePatch {
  status?: ResponseStatus;
  languageSwitches?: number;
  notUnderstoodCount?: number;
  /** Times a typed answer was confirmed with the respondent (src/survey/recognize.ts), and of those answered "no". */
  confirmations?: number;
  confirmationsDeclined?: number;
}

/** Which answer: a question, and inside a repeat block the option it is asked about ("" outside). */
export interface StepRef {
  questionId: string;
  iteration: string;
}

export interface AnswerRecord extends StepRef {
  responseId: string;
  value: AnswerValue;
  /** The language the question was shown in. */
  language: string;
  /** Some of the question's text fell back to another language. */
  fallback: boolean;
  /** Times "I don't understand" was written at this question (0 when not given). */
  notUnderstood?: number;
}

export type StoredAnswer = Omit<AnswerRecord, 'responseId' | 'notUnderstood'> & { notUnderstood: number };

/** An answer as the analysis reads it: question, iteration, value, fallback (0 or 1), times not understood. */
export type AnswerTuple = [questionId: string, iteration: string, value: AnswerValue, fallback: number, notUnderstood: number];

/** What the analysis reads of a response: the fields it groups by, and its answers as tuples. */
export interface AnalysisResponse {
  id: string;
  language: string;
  channel: string;
  period: string;
  status: ResponseStatus;
  languageSwitches: number;
  confirmations: number;
  confirmationsDeclined: number;
  /** Where the respondent came from (src/survey/sources.ts). */
  source: string;
  answers: AnswerTuple[];
}

/** A completed response the reader said it holds already: only its id comes back. */
export interface KnownResponse {
  id: string;
  known: true;
}

export interface StoredResponse extends NewResponse {
  source: string;
  status: ResponseStatus;
  languageSwitches: number;
  notUnderstoodCount: number;
  confirmations: number;
  confirmationsDeclined: number;
  answers: StoredAnswer[];
}

/**
 * One change to the responses, as a turn makes it. They are applied in the turn's one write
 * transaction, together with the respondent's state (src/store/turnStore.ts), so that a response
 * never holds an answer its state does not know about, nor keeps answers from a closed branch.
 */
export type ResponseOp =
  | { kind: 'start'; response: NewResponse }
  /** Inserts or replaces an answer, and removes the answers the new one made obsolete. */
  | { kind: 'answer'; answer: AnswerRecord; drop: StepRef[] }
  | { kind: 'undo'; responseId: string; steps: StepRef[] }
  | { kind: 'update'; responseId: string; patch: ResponsePatch }
  /** Withdrawal: the response and every answer of it are deleted. */
  | { kind: 'withdraw'; responseId: string };

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

/** Reading responses: one at a time, or all of them in batches for exports and the analysis. */
export interface ResponseStore {
  getResponse(id: string): Promise<StoredResponse | undefined>;
  listResponses(filter?: { surveyId?: string; status?: ResponseStatus }): Promise<StoredResponse[]>;
  /**
   * Every response matching `filter` with its answers, in batches of about `batchSize`, so that an
   * export or analysis of any size runs in flat memory. With `questions`, only those questions'
   * answers are read. Order is by response id: random, since ids are.
   */
  scanResponses(filter: ResponseFilter, options?: { batchSize?: number; questions?: readonly string[] }): AsyncIterable<StoredResponse[]>;
  /**
   * The same responses as {@link scanResponses}, narrowed to what the analysis counts. The
   * dashboard waits for this read: an object per answer, and the answer's language and the
   * response's fields that the analysis never uses, cost it about half its time.
   *
   * `known` lists completed responses the reader holds from an earlier scan: those come back as
   * their id alone, in the same consistent read. A completed response never changes (the state
   * that linked it to its respondent is deleted at completion (README, Privacy), and the database
   * refuses any change to it: migration completed_responses_final), so a reader learns
   * every change since its last scan: new responses, the ones in progress, and the ids that are
   * gone (withdrawn).
   */
  scanForAnalysis(filter: ResponseFilter, options?: { batchSize?: number; known?: readonly string[] }): AsyncIterable<(AnalysisResponse | KnownResponse)[]>;
  countResponses(filter: ResponseFilter): Promise<number>;
  /** Applies changes outside a turn (imports, tools, tests), in one transaction. */
  applyResponses(ops: readonly ResponseOp[]): Promise<void>;
}

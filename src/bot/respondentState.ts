import { AnswerValue, Progress, emptyProgress } from '../survey/engine';

/**
 * What the bot remembers about one respondent between turns: the respondent state. It is stored
 * under an HMAC of channel and user id (src/identity.ts, src/bot/respondentStates.ts) and deleted
 * when the survey ends or the TTL passes: after that nothing links the respondent to their response.
 */
export interface RespondentState {
  /** The survey version the conversation started on, and finishes on whatever is published meanwhile. */
  survey?: { id: string; version: number };
  lang?: string;
  /**
   * Where the respondent came from, settled against the survey's declared sources when the survey
   * was chosen (src/survey/sources.ts), and stored with the response. Absent in states from before.
   */
  source?: string;
  responseId?: string;
  progress: Progress;
  paused: boolean;
  /** SMS STOP: no message is sent until START. */
  optedOut?: boolean;
  languageSwitches: number;
  notUnderstood: number;
  /** Typed answers the bot asked the respondent to confirm, and of those answered "no" (absent in states written before confirmations). */
  confirmations?: number;
  confirmationsDeclined?: number;
  /** The question asked now: how it was shown, how often it was not understood, a reading to confirm. */
  question?: QuestionState;
  /** Set when the conversation is over; the bot then deletes the state instead of saving it. */
  finished: boolean;
}

export interface QuestionState {
  /** The step last shown, in which language, and whether some of its text fell back: stored with the answer. */
  shown?: { key: string; lng: string; fallback: boolean };
  /** Times "I don't understand" was written, per step. */
  confused?: Record<string, number>;
  /** A typed answer the bot read but must confirm before storing it (src/survey/recognize.ts). */
  pending?: PendingAnswer;
}

export interface PendingAnswer {
  key: string;
  value: AnswerValue;
  /** The number as the respondent typed it, for number questions that store a band. */
  number?: number;
}

export function newRespondentState(): RespondentState {
  return { progress: emptyProgress(), paused: false, languageSwitches: 0, notUnderstood: 0, finished: false };
}

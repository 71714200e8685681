/**
 * Free-text review (issue 20): no free text leaves in an export before a person with the
 * reviewer role has read it. An item is one free-text answer of a completed response; the
 * reviewer sees its id and its redacted text, never the response it belongs to.
 */
export const FREE_TEXT_STATES = ['pending', 'approved', 'deleted'] as const;
export type FreeTextState = (typeof FREE_TEXT_STATES)[number];

export interface FreeTextItemRecord {
  id: string;
  surveyId: string;
  surveyVersion: number;
  questionId: string;
  language: string;
  state: FreeTextState;
  text: string;
}

/** A free-text answer waiting to become an item, as `queueFreeText` hands it to `prepare`. */
export interface FreeTextCandidate {
  responseId: string;
  questionId: string;
  iteration: string;
  language: string;
  surveyVersion: number;
  text: string;
}

/** What a reviewer decided: approve as it stands, replace the text (more redacted), or delete. */
export type FreeTextDecision = { action: 'approve' } | { action: 'redact'; text: string } | { action: 'delete' };

export interface ReviewStore {
  /**
   * Makes a pending item of every non-empty answer to these questions, in completed responses of
   * the survey, that has none yet. `prepare` gives the item's text (redaction run again with the
   * current rules); the answer takes the same text. Returns how many items were made.
   */
  queueFreeText(surveyId: string, questionIds: readonly string[], prepare: (candidate: FreeTextCandidate) => { id: string; text: string }): Promise<number>;
  /** Items of a survey (any version unless given), oldest response first is not promised: by id. */
  freeTextItems(filter: { surveyId: string; surveyVersion?: number; state?: FreeTextState; limit?: number }): Promise<FreeTextItemRecord[]>;
  freeTextItem(id: string): Promise<FreeTextItemRecord | undefined>;
  freeTextCounts(surveyId: string, surveyVersion?: number): Promise<Record<FreeTextState, number>>;
  /**
   * Applies a decision to an item that is not deleted, and gives the answer the item's new text
   * (null once deleted), in one transaction. Undefined when there is no such item, or it was deleted.
   */
  reviewFreeText(id: string, decision: FreeTextDecision): Promise<FreeTextItemRecord | undefined>;
  /** Keys (`responseId \0 questionId \0 iteration`, {@link freeTextKey}) of a survey's approved items (of one version, if given). */
  approvedFreeText(surveyId: string, surveyVersion?: number): Promise<Set<string>>;
}

/** How an answer is named among the approved items. */
export const freeTextKey = (responseId: string, questionId: string, iteration: string) => `${responseId}\0${questionId}\0${iteration}`;

/** Counts of every state, zero where a query found none. */
export function countsByState(rows: readonly { state: string; n: number | string }[]): Record<FreeTextState, number> {
  const counts = Object.fromEntries(FREE_TEXT_STATES.map((s) => [s, 0])) as Record<FreeTextState, number>;
  for (const r of rows) if ((FREE_TEXT_STATES as readonly string[]).includes(r.state)) counts[r.state as FreeTextState] = Number(r.n);
  return counts;
}

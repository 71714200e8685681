import crypto from 'node:crypto';
import { redact } from '../privacy/redact';
import { PLACEHOLDERS } from '../privacy/redaction/kinds';
import { ReviewStore } from '../store/reviewStore';
import { SurveyDefinition } from '../survey/definition';
import { questionsOf } from '../survey/walk';

/**
 * The review of free text before it leaves (issue 20). Redaction misses what nobody listed, so
 * a person reads every free-text answer first: an item waits as pending until a reviewer approves
 * it, redacts more, or deletes it, and only approved items are ever exported
 * (src/export/exportService.ts). The original text was never stored, so the reviewer reads what
 * the redaction left.
 */

/** What a reviewer's own redaction leaves in the text. */
export const REVIEWER_PLACEHOLDER = '<REDACTED>';

/** The questions whose answers are free text, in blocks too. */
export function freeTextQuestionIds(def: SurveyDefinition): string[] {
  return [...new Set(questionsOf(def).flatMap((s) => (s.question.type === 'text' ? [s.question.id] : [])))];
}

/**
 * Puts every completed free-text answer of the survey that is not yet queued into the queue,
 * redacted again with today's rules (they may have grown since the answer was given). Returns
 * how many were queued.
 */
export function queueFreeText(store: ReviewStore, def: SurveyDefinition): Promise<number> {
  return store.queueFreeText(def.id, freeTextQuestionIds(def), (candidate) => ({
    // 72 random bits: the only handle on an item the reviewer and the audit log get.
    id: crypto.randomBytes(9).toString('base64url'),
    text: redact(candidate.text),
  }));
}

const PLACEHOLDER_PATTERN = new RegExp([...Object.values(PLACEHOLDERS), REVIEWER_PLACEHOLDER].map((p) => p.replace(/[<>]/g, '\\$&')).join('|'), 'g');

/** Where the text holds placeholders, as [start, end) spans: what the page marks as replaced. */
export function placeholderSpans(text: string): [number, number][] {
  return [...text.matchAll(PLACEHOLDER_PATTERN)].map((m) => [m.index, m.index + m[0].length]);
}

/**
 * The text with [start, end) replaced by the reviewer's placeholder, widened to whole placeholders
 * it cuts into (so "<NA" never stays behind). Undefined when the span is not inside the text or
 * holds nothing but spaces and placeholders.
 */
export function redactSpan(text: string, start: number, end: number): string | undefined {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) return undefined;
  for (const [s, e] of placeholderSpans(text)) {
    if (s < end && e > start) {
      start = Math.min(start, s);
      end = Math.max(end, e);
    }
  }
  if (!text.slice(start, end).replace(PLACEHOLDER_PATTERN, '').trim()) return undefined;
  return text.slice(0, start) + REVIEWER_PLACEHOLDER + text.slice(end);
}

import { AnswerValue } from '../survey/engine';
import { ANSWER_WIDTH, CodedResponse, FALLBACK, NOT_UNDERSTOOD, ResponseCoder } from './coding';

/**
 * One coded response as every measure reads it: its top-level answers by question code, the
 * questions it answered, and which it first did not understand.
 *
 * The answers are found by question code, in arrays kept from one response to the next, rather
 * than in objects and sets made for each: the dashboard waits while a hundred thousand responses
 * are added (npm run bench:export). So a view is loaded with one response after another, and is
 * valid only until the next is loaded.
 */
export class ResponseView {
  /** The response loaded last. */
  response!: CodedResponse;
  /** How many of its answers were to questions shown (partly) in a fallback language. */
  fallback = 0;
  /** Codes of the questions it answered, each once. */
  readonly answered: number[] = [];
  /** Its group in the help and barrier tables; undefined when the request leaves it out of them. */
  group: string | undefined;

  /** The stamp of the response whose top-level answer `topValue` holds, by question code. */
  private readonly topAt: number[] = [];
  private readonly topValue: number[] = [];
  private readonly answeredAt: number[] = [];
  private readonly confusedAt: number[] = [];
  private stamp = 0;

  constructor(readonly coder: ResponseCoder) {}

  load(r: CodedResponse): void {
    const stamp = ++this.stamp;
    this.response = r;
    this.group = undefined;
    const answers = r.answers;
    this.answered.length = 0;
    let fallback = 0;
    for (let o = 0; o < answers.length; o += ANSWER_WIDTH) {
      const q = answers[o];
      if (answers[o + 1] === 0) {
        this.topAt[q] = stamp;
        this.topValue[q] = answers[o + 2];
      }
      if (answers[o + 3] & FALLBACK) fallback++;
      if (answers[o + 3] & NOT_UNDERSTOOD) this.confusedAt[q] = stamp;
      if (this.answeredAt[q] !== stamp) {
        this.answeredAt[q] = stamp;
        this.answered.push(q);
      }
    }
    this.fallback = fallback;
  }

  /** The response's top-level answer to a question (by its code), if it has one. */
  top(q: number): AnswerValue | undefined {
    return this.topAt[q] === this.stamp ? this.coder.values[this.topValue[q]] : undefined;
  }

  /** Whether the response has a top-level answer to a question (by its code). */
  hasTop(q: number): boolean {
    return this.topAt[q] === this.stamp;
  }

  /** Whether the respondent first wrote "I don't understand" at a question (by its code). */
  confused(q: number): boolean {
    return this.confusedAt[q] === this.stamp;
  }
}

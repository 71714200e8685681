import { AnalysisResponse, AnswerTuple, ResponseStatus } from '../store/store';
import { AnswerValue } from '../survey/engine';

/** Integers per answer in {@link CodedResponse.answers}: question, iteration, value, flags. */
export const ANSWER_WIDTH = 4;
/** Flags: some of the question's text fell back to another language. */
export const FALLBACK = 1;
/** Flags: "I don't understand" was written at the question. */
export const NOT_UNDERSTOOD = 2;

/**
 * A response as the analysis counts it: its answers as small integers, four to an answer in one
 * typed array. Compact, so that a worker can keep the completed responses between analyses
 * (src/analysis/completedResponses.ts): 16 bytes an answer, where parsed tuples take over a hundred.
 */
export interface CodedResponse {
  language: string;
  channel: string;
  period: string;
  source: string;
  status: ResponseStatus;
  languageSwitches: number;
  confirmations: number;
  confirmationsDeclined: number;
  answers: Int32Array;
  /** The answers as read, kept only while the response is in progress: its next step is found from them. */
  tuples?: AnswerTuple[];
}

/**
 * Codes for question ids, iterations and values, each given in order of first sight and stable
 * for the coder's life. Only the values of `counted` questions are kept; any other answer keeps
 * only that it was given, so no free text stays in memory between analyses.
 */
export class ResponseCoder {
  readonly questions: string[] = [];
  readonly iterations: string[] = [''];
  readonly values: AnswerValue[] = [null];
  private readonly questionCode = new Map<string, number>();
  private readonly iterationCode = new Map<string, number>([['', 0]]);
  private readonly stringCode = new Map<string, number>();
  private readonly otherCode = new Map<string, number>();
  private readonly counted: boolean[] = [];
  private readonly strings = new Map<string, string>();

  constructor(private readonly countedQuestions: ReadonlySet<string>) {}

  question(id: string): number {
    const code = codeOf(this.questionCode, this.questions, id, id);
    this.counted[code] ??= this.countedQuestions.has(id);
    return code;
  }

  code(r: AnalysisResponse): CodedResponse {
    const tuples = r.answers;
    const answers = new Int32Array(tuples.length * ANSWER_WIDTH);
    for (let i = 0, o = 0; i < tuples.length; i++, o += ANSWER_WIDTH) {
      const a = tuples[i];
      const q = this.question(a[0]);
      answers[o] = q;
      answers[o + 1] = a[1] === '' ? 0 : this.iteration(a[1]);
      answers[o + 2] = this.counted[q] ? this.value(a[2]) : 0;
      answers[o + 3] = (a[3] ? FALLBACK : 0) | (a[4] > 0 ? NOT_UNDERSTOOD : 0);
    }
    return {
      language: this.intern(r.language),
      channel: this.intern(r.channel),
      period: this.intern(r.period),
      source: this.intern(r.source),
      status: r.status,
      languageSwitches: r.languageSwitches,
      confirmations: r.confirmations,
      confirmationsDeclined: r.confirmationsDeclined,
      answers,
      ...(r.status === 'completed' ? {} : { tuples: r.answers }),
    };
  }

  private iteration(id: string): number {
    return codeOf(this.iterationCode, this.iterations, id, id);
  }

  private value(v: AnswerValue): number {
    if (v === null) return 0;
    // Choices, the most of them, are looked up as they are; numbers and lists by their JSON.
    return typeof v === 'string' ? codeOf(this.stringCode, this.values, v, v) : codeOf(this.otherCode, this.values, JSON.stringify(v), v);
  }

  /** One copy of each language, channel and period, rather than one per kept response. */
  private intern(s: string): string {
    const kept = this.strings.get(s);
    if (kept !== undefined) return kept;
    this.strings.set(s, s);
    return s;
  }
}

/** The code of `item` under `key`: the one it was given, or the next, appending it to `list`. */
function codeOf<T>(codes: Map<string, number>, list: T[], key: string, item: T): number {
  let code = codes.get(key);
  if (code === undefined) codes.set(key, (code = list.push(item) - 1));
  return code;
}

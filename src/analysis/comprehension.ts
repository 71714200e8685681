import { SurveyDefinition } from '../survey/definition';
import { itemIndexOf } from '../survey/walk';
import { ANSWER_WIDTH, ResponseCoder } from './coding';
import { Funnel, FunnelTable } from './funnel';
import { GroupCounts, GroupCountsState } from './groups';
import { Measure } from './measure';
import { ResponseView } from './responseView';
import { Count, Proportion, count, proportion, published, withheld } from './shares';
import { TableProtector } from './tableProtector';

export interface LanguageComprehension {
  language: string;
  started: Count;
  /** Share of responses with at least one language switch. */
  switched: Proportion;
  /** Share of responses shown at least one question (partly) in a fallback language. */
  fallbackResponses: Proportion;
  /** Share of responses in which the bot asked "Did I understand you right?" about a typed answer at least once. */
  confirmed: Proportion;
  /** Of those, the share that answered "no" at least once: the bot read them wrong. */
  declined: Proportion;
  /** Share of questions shown in a fallback language, published when the response counts are. */
  fallbackQuestions: Proportion;
  /** Per question: share of those who answered it who first wrote "I don't understand". */
  notUnderstood: { question: string; rate: Proportion }[];
  /** Share of started responses reaching each milestone; null where it would reveal a small drop-out. */
  funnel: FunnelTable;
}

/** The comprehension counts as plain data. */
export interface ComprehensionState {
  started: [string, number][];
  switched: GroupCountsState;
  fallback: GroupCountsState;
  confirmed: GroupCountsState;
  declined: GroupCountsState;
  fallbackAnswers: [string, [number, number]][];
  notUnderstood: [string, GroupCountsState][];
  reached: [string, number[]][];
}

/**
 * Whether the survey is understood in each language, over every started response: language
 * switches, questions shown in a fallback language, the bot's "did I understand you right?"
 * confirmations and how often they were declined, "I don't understand" per question, and how far
 * respondents got.
 */
export class Comprehension implements Measure<ComprehensionState, LanguageComprehension[]> {
  private readonly started = new Map<string, number>();
  private readonly switched = new GroupCounts(2);
  private readonly fallbackResponses = new GroupCounts(2);
  private readonly confirmed = new GroupCounts(2);
  private readonly declined = new GroupCounts(2);
  private readonly fallbackAnswers = new Map<string, [number, number]>();
  private readonly notUnderstood = new Map<string, GroupCounts>();
  /** notUnderstood's counts by question code, looked up once. */
  private readonly confusedOf: (GroupCounts | undefined)[] = [];
  private readonly funnel: Funnel;

  constructor(
    private readonly def: SurveyDefinition,
    private readonly coder: ResponseCoder,
  ) {
    this.funnel = new Funnel(def, coder);
  }

  add(view: ResponseView): void {
    const r = view.response;
    const lng = r.language;
    const fallback = view.fallback;
    this.started.set(lng, (this.started.get(lng) ?? 0) + 1);
    this.switched.add(lng, r.languageSwitches > 0 ? 0 : 1);
    this.fallbackResponses.add(lng, fallback > 0 ? 0 : 1);
    this.confirmed.add(lng, r.confirmations > 0 ? 0 : 1);
    if (r.confirmations > 0) this.declined.add(lng, r.confirmationsDeclined > 0 ? 0 : 1);
    const fa = this.fallbackAnswers.get(lng) ?? [0, 0];
    fa[0] += fallback;
    fa[1] += r.answers.length / ANSWER_WIDTH;
    this.fallbackAnswers.set(lng, fa);
    for (const q of view.answered) (this.confusedOf[q] ?? this.confusedCounts(q)).add(lng, view.confused(q) ? 0 : 1);
    this.funnel.add(view, lng);
  }

  private confusedCounts(q: number): GroupCounts {
    const question = this.coder.questions[q];
    let counts = this.notUnderstood.get(question);
    if (!counts) this.notUnderstood.set(question, (counts = new GroupCounts(2)));
    return (this.confusedOf[q] = counts);
  }

  snapshot(): ComprehensionState {
    return {
      started: [...this.started],
      switched: this.switched.snapshot(),
      fallback: this.fallbackResponses.snapshot(),
      confirmed: this.confirmed.snapshot(),
      declined: this.declined.snapshot(),
      fallbackAnswers: [...this.fallbackAnswers],
      notUnderstood: [...this.notUnderstood].map(([q, g]) => [q, g.snapshot()]),
      reached: this.funnel.snapshot(),
    };
  }

  merge(state: ComprehensionState): void {
    for (const [lng, n] of state.started) this.started.set(lng, (this.started.get(lng) ?? 0) + n);
    this.switched.merge(state.switched);
    this.fallbackResponses.merge(state.fallback);
    this.confirmed.merge(state.confirmed);
    this.declined.merge(state.declined);
    for (const [lng, [a, b]] of state.fallbackAnswers) {
      const mine = this.fallbackAnswers.get(lng) ?? [0, 0];
      this.fallbackAnswers.set(lng, [mine[0] + a, mine[1] + b]);
    }
    for (const [q, rows] of state.notUnderstood) {
      let counts = this.notUnderstood.get(q);
      if (!counts) this.notUnderstood.set(q, (counts = new GroupCounts(2)));
      counts.merge(rows);
    }
    this.funnel.merge(state.reached);
  }

  /**
   * @param started the started responses by language as the completion table published them
   *   (src/analysis/completion.ts): the same counts are protected once, in one table, since two
   *   tables hiding different cells of the same counts could together give a hidden one away.
   *   Without it, they are protected here as a series.
   */
  table(protector: TableProtector, started?: ReadonlyMap<string, Count>): LanguageComprehension[] {
    const languages = [...this.started.keys()].sort();
    const startedCells: Count[] =
      started && languages.every((l) => started.has(l))
        ? languages.map((l) => started.get(l)!)
        : protector
            .series(
              languages,
              languages.map((l) => this.started.get(l)!),
            )
            .cells.map(count);
    const switched = protector.table(languages, ['yes', 'no'], this.switched);
    const fallback = protector.table(languages, ['yes', 'no'], this.fallbackResponses);
    const confirmed = protector.table(languages, ['yes', 'no'], this.confirmed);
    const declinedLanguages = languages.filter((l) => this.declined.byGroup.has(l));
    const declined = protector.table(declinedLanguages, ['yes', 'no'], this.declined);
    const questions = [...this.notUnderstood.keys()].sort((a, b) => itemIndexOf(this.def, a) - itemIndexOf(this.def, b));
    const confused = new Map(questions.map((q) => [q, protector.table(languages, ['yes', 'no'], this.notUnderstood.get(q)!)]));
    return languages.map((language, i) => {
      const startedCell = startedCells[i];
      const fa = this.fallbackAnswers.get(language)!;
      const fallbackShare = proportion(fallback.cells[i][0], fallback.rowTotals[i]);
      return {
        language,
        started: startedCell,
        switched: proportion(switched.cells[i][0], switched.rowTotals[i]),
        fallbackResponses: fallbackShare,
        confirmed: proportion(confirmed.cells[i][0], confirmed.rowTotals[i]),
        // Its denominator is the confirmed count: shown only where that count is, or it would give the count away.
        declined: (() => {
          const row = declined.rowLabels.indexOf(language);
          return row < 0 || confirmed.cells[i][0].status !== 'published'
            ? withheld('denominator')
            : proportion(declined.cells[row][0], declined.rowTotals[row]);
        })(),
        fallbackQuestions: 'suppressed' in fallbackShare || fa[1] === 0 ? withheld('denominator') : published(fa[0], fa[1]),
        notUnderstood: questions.map((q) => {
          const t = confused.get(q)!;
          const row = t.rowLabels.indexOf(language);
          return { question: q, rate: row < 0 ? withheld('denominator') : proportion(t.cells[row][0], t.rowTotals[row]) };
        }),
        funnel: this.funnel.table(language, startedCell, protector.k),
      };
    });
  }
}

import { CellStatus, ProtectedCell, ProtectedTable, protectSeries, protectTable } from '../privacy/disclosure';
import { ResponseFilter, SurveyStore } from '../store/store';
import { AnalysisSpec, BarrierMeasure, SurveyDefinition, ValueSource, optionsOf } from '../survey/definition';
import { AnswerValue, Answers, nextStep, stepKey } from '../survey/engine';
import { blockOptions, findQuestion, funnelMilestones, itemIndexOf, topLevelQuestion } from '../survey/walk';
import { ANSWER_WIDTH, CodedResponse, FALLBACK, NOT_UNDERSTOOD, ResponseCoder } from './coding';
import { IndependenceTest, independenceTest } from './independence';
import { meanInterval, newcombe, wilson } from './intervals';

/**
 * The barrier analysis the strategy asks for: does help reach immigrants as it reaches everyone
 * else, and which language barriers stand in the way? Every number an analyst sees comes out of
 * a protected table (src/privacy/disclosure.ts: primary and complementary suppression), and a
 * proportion, gap or mean is published only when every count it is computed from is.
 *
 * Groups are disjoint: respondents in the baseline group (declared in the survey definition:
 * born in Norway to Norwegian-born parents) form the "baseline" row, and the other rows hold the
 * remaining respondents by the chosen dimension. A gap is then a difference between independent
 * samples, as Newcombe's interval assumes, and it reads as "how far is this group from the
 * majority", which is the strategy's question.
 */

/** The label of the baseline row. */
export const BASELINE = 'baseline';
/** Respondents without a value for the dimension (an unanswered question). */
export const UNKNOWN = 'unknown';

export interface PublishedProportion {
  x: number;
  n: number;
  p: number;
  ci95: [number, number];
}
export interface Withheld {
  suppressed: true;
  /** primary: the count is below k; secondary: hidden to protect another; denominator: a count it needs is hidden. */
  reason: CellStatus | 'denominator';
}
export type Proportion = PublishedProportion | Withheld;

export interface PublishedGap {
  x1: number;
  n1: number;
  x2: number;
  n2: number;
  /** x1/n1 − x2/n2 */
  diff: number;
  ci95: [number, number];
}
export type Gap = PublishedGap | Withheld;

export interface PublishedMean {
  n: number;
  mean: number;
  ci95: [number, number];
}

/** A count as it may be shown: the number, or null where it is suppressed. */
export type Count = number | null;

/** A test of independence of one share across groups; `groups` took part (see `testOf`). */
export type SharesTest = IndependenceTest & { groups: number };

export interface GroupRow {
  group: string;
  n: Count;
}

export interface HelpAreaResult {
  /** The help area (an option of the question the outcome's block repeats for), or the outcome question's id when it is a top-level question. */
  area: string;
  /** Set when the outcome is a top-level question: one table, labelled by the question's text rather than by an option's label. */
  topLevel?: true;
  rows: (GroupRow & { outcomes: Record<string, Proportion> })[];
  /** The share who got help ("success"), each group against the baseline. */
  gaps: { group: string; gap: Gap }[];
  test: SharesTest | null;
}

export interface ShareBarrierResult {
  question: string;
  kind: 'share';
  rows: (GroupRow & { share: Proportion })[];
  gaps: { group: string; gap: Gap }[];
  test: SharesTest | null;
}
export interface ScaleBarrierResult {
  question: string;
  kind: 'scale';
  low: number[];
  rows: (GroupRow & { low: Proportion; mean: PublishedMean | Withheld })[];
  gaps: { group: string; gap: Gap }[];
  test: SharesTest | null;
}
export interface MultiBarrierResult {
  question: string;
  kind: 'multi';
  options: { option: string; rows: (GroupRow & { share: Proportion })[]; test: SharesTest | null }[];
}
export type BarrierResult = ShareBarrierResult | ScaleBarrierResult | MultiBarrierResult;

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
  funnel: { step: string; reached: PublishedProportion | null }[];
}

export interface SuppressionSummary {
  k: number;
  cells: number;
  primary: number;
  secondary: number;
}

export interface AnalysisResult {
  survey: { id: string; version: number };
  by: string;
  area?: string;
  status: 'completed' | 'all';
  k: number;
  baseline: { question: string; anyOf: string[] };
  responses: Count;
  groups: string[];
  helpReceived: HelpAreaResult[];
  barriers: BarrierResult[];
  comprehension: LanguageComprehension[];
  suppression: SuppressionSummary;
}

export interface AnalysisRequest {
  by: string;
  area?: string;
  k: number;
  /** Which responses feed the help and barrier tables (comprehension always uses every started one). */
  status?: 'completed' | 'all';
}

/** Unknown dimension or area, or a survey without an analysis section: the caller's mistake, said plainly. */
export class AnalysisRequestError extends Error {
  override name = 'AnalysisRequestError';
}

/** Dimensions `analyze --by` accepts for a survey. */
export function dimensionsOf(def: SurveyDefinition): string[] {
  return def.analysis?.dimensions.map((d) => d.id) ?? [];
}

/**
 * Help areas `--area` accepts: the options of the question the outcome's block repeats for. None
 * when the outcome is a top-level question, whose one table is not about an area.
 */
export function areasOf(def: SurveyDefinition): string[] {
  const slot = def.analysis ? findQuestion(def, def.analysis.outcome.question) : undefined;
  return slot?.block ? blockOptions(def, slot.block) : [];
}

/** Whether the survey's outcome is a top-level question (one help table) rather than a question of a repeat block (one per area). */
export function topLevelOutcome(def: SurveyDefinition): boolean {
  const slot = def.analysis ? findQuestion(def, def.analysis.outcome.question) : undefined;
  return slot !== undefined && !slot.block;
}

/** Runs the barrier analysis over every response of the survey, read in batches. */
export async function analyze(store: SurveyStore, def: SurveyDefinition, request: AnalysisRequest): Promise<AnalysisResult> {
  const acc = new Accumulator(def, request);
  const filter: ResponseFilter = { surveyId: def.id, surveyVersion: def.version };
  for await (const batch of store.scanForAnalysis(filter, { batchSize: 5000 })) for (const r of batch) if (!('known' in r)) acc.add(acc.coder.code(r));
  return acc.result();
}

/** The questions whose values the analysis counts; of the others it counts only that they were answered. */
export function countedQuestions(def: SurveyDefinition): Set<string> {
  const spec = def.analysis;
  if (!spec) return new Set();
  const outcome = findQuestion(def, spec.outcome.question);
  return new Set([
    spec.baseline.question,
    spec.outcome.question,
    ...(outcome?.block ? [outcome.block.forEach] : []),
    ...spec.dimensions.flatMap((d) => ('question' in d.from ? [d.from.question] : [])),
    ...spec.barriers.map((b) => b.question),
  ]);
}

/** Counts by group, grown as groups appear. */
class GroupCounts {
  readonly byGroup = new Map<string, number[]>();
  constructor(readonly width: number) {}
  add(group: string, column: number, by = 1): void {
    let row = this.byGroup.get(group);
    if (!row) this.byGroup.set(group, (row = new Array<number>(this.width).fill(0)));
    row[column] += by;
  }
  merge(rows: [string, number[]][]): void {
    for (const [group, counts] of rows) counts.forEach((v, j) => v && this.add(group, j, v));
  }
}

/**
 * What an accumulator has counted, as plain data: part of the responses can be counted in one
 * worker thread and part in another, and the counts added (src/analysis/parallel.ts).
 */
export interface AccumulatorState {
  groups: [string, [string, number[]][]][];
  scales: [string, [string, ScaleSums][]][];
  started: [string, number][];
  fallbackAnswers: [string, [number, number]][];
  reached: [string, number[]][];
}

interface ScaleSums {
  sum: number;
  squares: number;
}

/** Streams responses in, and turns the counts into protected results at the end. */
export class Accumulator {
  private readonly spec: AnalysisSpec;
  private readonly dimension: ValueSource;
  private readonly areas: string[];
  private readonly outcomes: string[];
  /** The question the outcome's block repeats for; undefined when the outcome is a top-level question. */
  private readonly blockOf: string | undefined;
  private readonly help = new Map<string, GroupCounts>();
  private readonly barrierCounts = new Map<string, GroupCounts>();
  private readonly scaleSums = new Map<string, Map<string, ScaleSums>>();
  private readonly multiCounts = new Map<string, GroupCounts>();
  private readonly population = new GroupCounts(1);
  // Comprehension, by language.
  private readonly started = new Map<string, number>();
  private readonly switched = new GroupCounts(2);
  private readonly fallbackResponses = new GroupCounts(2);
  private readonly confirmed = new GroupCounts(2);
  private readonly declined = new GroupCounts(2);
  private readonly fallbackAnswers = new Map<string, [number, number]>();
  private readonly notUnderstood = new Map<string, GroupCounts>();
  private readonly milestones: string[];
  private readonly milestoneCodes: number[];
  private readonly reached = new Map<string, number[]>();
  private readonly tally = { cells: 0, primary: 0, secondary: 0 };

  constructor(
    private readonly def: SurveyDefinition,
    private readonly request: AnalysisRequest,
    /** Shared with the completed responses a worker keeps, whose codes it reads. */
    readonly coder = new ResponseCoder(countedQuestions(def)),
  ) {
    if (!def.analysis) throw new AnalysisRequestError(`Survey ${def.id} v${def.version} has no analysis section in its definition.`);
    this.spec = def.analysis;
    const dim = this.spec.dimensions.find((d) => d.id === request.by);
    if (!dim) throw new AnalysisRequestError(`--by must be one of ${dimensionsOf(def).join(', ')} (got "${request.by}")`);
    this.dimension = dim.from;
    const outcome = findQuestion(def, this.spec.outcome.question)!;
    this.outcomes = optionsOf(outcome.question);
    this.blockOf = outcome.block?.forEach;
    if (this.blockOf === undefined) {
      // A top-level outcome: one table, named by the question.
      if (request.area !== undefined)
        throw new AnalysisRequestError(
          `--area is only for a survey whose outcome is asked per help area; the outcome of ${def.id} (${this.spec.outcome.question}) is one question (got "${request.area}")`,
        );
      this.areas = [this.spec.outcome.question];
    } else {
      const all = areasOf(def);
      if (request.area !== undefined && !all.includes(request.area))
        throw new AnalysisRequestError(`--area must be one of ${all.join(', ')} (got "${request.area}")`);
      this.areas = request.area ? [request.area] : all;
    }
    for (const a of this.areas) this.help.set(a, new GroupCounts(this.outcomes.length));
    for (const b of this.spec.barriers) {
      if (b.kind === 'multi') for (const o of optionsOf(topLevelQuestion(def, b.question)!)) this.multiCounts.set(`${b.question}:${o}`, new GroupCounts(2));
      else this.barrierCounts.set(b.question, new GroupCounts(2));
      if (b.kind === 'scale') this.scaleSums.set(b.question, new Map());
    }
    // Milestones: the questions everyone is asked, in order; reaching one means having passed the
    // ones before, so the funnel only falls.
    this.milestones = funnelMilestones(def);
    const code = (id: string) => this.coder.question(id);
    this.milestoneCodes = this.milestones.map(code);
    this.codes = {
      block: this.blockOf === undefined ? -1 : code(this.blockOf),
      outcome: code(this.spec.outcome.question),
      baseline: code(this.spec.baseline.question),
      dimension: 'question' in this.dimension ? code(this.dimension.question) : -1,
      barriers: this.spec.barriers.map((b) => code(b.question)),
    };
  }

  /** Everything counted so far, for {@link merge} in another accumulator. */
  snapshot(): AccumulatorState {
    return {
      groups: [...this.groupCounts()].map(([name, g]) => [name, [...g.byGroup]]),
      scales: [...this.scaleSums].map(([q, m]) => [q, [...m]]),
      started: [...this.started],
      fallbackAnswers: [...this.fallbackAnswers],
      reached: [...this.reached],
    };
  }

  /** Adds what another accumulator (over other responses, same request) counted. */
  merge(state: AccumulatorState): void {
    for (const [name, rows] of state.groups) {
      if (name.startsWith('confused:') && !this.notUnderstood.has(name.slice(9))) this.notUnderstood.set(name.slice(9), new GroupCounts(2));
      this.groupCounts().get(name)?.merge(rows);
    }
    for (const [q, rows] of state.scales) {
      const sums = this.scaleSums.get(q)!;
      for (const [group, s] of rows) {
        const mine = sums.get(group) ?? { sum: 0, squares: 0 };
        sums.set(group, { sum: mine.sum + s.sum, squares: mine.squares + s.squares });
      }
    }
    for (const [lng, n] of state.started) this.started.set(lng, (this.started.get(lng) ?? 0) + n);
    for (const [lng, [a, b]] of state.fallbackAnswers) {
      const mine = this.fallbackAnswers.get(lng) ?? [0, 0];
      this.fallbackAnswers.set(lng, [mine[0] + a, mine[1] + b]);
    }
    for (const [lng, counts] of state.reached) {
      const mine = this.reached.get(lng) ?? new Array<number>(this.milestones.length).fill(0);
      this.reached.set(
        lng,
        mine.map((v, i) => v + counts[i]),
      );
    }
  }

  private groupCounts(): Map<string, GroupCounts> {
    return new Map<string, GroupCounts>([
      ['population', this.population],
      ['switched', this.switched],
      ['fallback', this.fallbackResponses],
      ['confirmed', this.confirmed],
      ['declined', this.declined],
      ...[...this.help].map(([a, g]) => [`help:${a}`, g] as [string, GroupCounts]),
      ...[...this.barrierCounts].map(([q, g]) => [`barrier:${q}`, g] as [string, GroupCounts]),
      ...[...this.multiCounts].map(([k, g]) => [`multi:${k}`, g] as [string, GroupCounts]),
      ...[...this.notUnderstood].map(([q, g]) => [`confused:${q}`, g] as [string, GroupCounts]),
    ]);
  }

  // A response's answers are found by question code, in arrays kept from one response to the
  // next, rather than in objects and sets made for each: the dashboard waits while a hundred
  // thousand responses are added (npm run bench:export).
  /** The stamp of the response whose top-level answer `topValue` holds, by question code. */
  private readonly topAt: number[] = [];
  private readonly topValue: number[] = [];
  private readonly answeredAt: number[] = [];
  private readonly confusedAt: number[] = [];
  private readonly confusedOf: (GroupCounts | undefined)[] = [];
  private readonly answered: number[] = [];
  private stamp = 0;

  /** The current response's top-level answer to a question (by its code), if it has one. */
  private top(q: number): AnswerValue | undefined {
    return this.topAt[q] === this.stamp ? this.coder.values[this.topValue[q]] : undefined;
  }

  /** Codes of the questions every response is looked up by, found once. */
  private readonly codes: { block: number; outcome: number; baseline: number; dimension: number; barriers: number[] };

  add(r: CodedResponse): void {
    const stamp = ++this.stamp;
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
    this.addComprehension(r, fallback);
    if (this.request.status !== 'all' && r.status !== 'completed') return;
    const group = this.groupOf(r);
    this.population.add(group, 0);
    if (this.blockOf === undefined) {
      // A top-level outcome: everyone who was asked it and answered with one of its options.
      const j = this.outcomes.indexOf(String(this.top(this.codes.outcome)));
      if (j >= 0) this.help.get(this.areas[0])!.add(group, j);
    } else if (Array.isArray(this.top(this.codes.block))) {
      const outcome = this.codes.outcome;
      for (let o = 0; o < answers.length; o += ANSWER_WIDTH) {
        if (answers[o] !== outcome) continue;
        const counts = this.help.get(this.coder.iterations[answers[o + 1]]);
        const j = this.outcomes.indexOf(String(this.coder.values[answers[o + 2]]));
        if (counts && j >= 0) counts.add(group, j);
      }
    }
    this.spec.barriers.forEach((b, i) => this.addBarrier(b, this.top(this.codes.barriers[i]), group));
  }

  private groupOf(r: CodedResponse): string {
    const base = this.top(this.codes.baseline);
    if (typeof base === 'string' && this.spec.baseline.anyOf.includes(base)) return BASELINE;
    const v = 'field' in this.dimension ? r[this.dimension.field] : this.top(this.codes.dimension);
    return v === undefined || v === null ? UNKNOWN : String(v);
  }

  private addBarrier(b: BarrierMeasure, v: Answers[string] | undefined, group: string): void {
    if (v === undefined || v === null) return;
    if (b.kind === 'share') {
      if (!b.among.includes(String(v))) return;
      this.barrierCounts.get(b.question)!.add(group, b.positive.includes(String(v)) ? 0 : 1);
    } else if (b.kind === 'scale') {
      const n = Number(v);
      this.barrierCounts.get(b.question)!.add(group, b.low.includes(n) ? 0 : 1);
      const sums = this.scaleSums.get(b.question)!;
      const s = sums.get(group) ?? { sum: 0, squares: 0 };
      s.sum += n;
      s.squares += n * n;
      sums.set(group, s);
    } else if (Array.isArray(v)) {
      for (const [o, counts] of this.multiOf(b.question)) counts.add(group, v.includes(o) ? 0 : 1);
    }
  }

  private readonly multiByQuestion = new Map<string, [string, GroupCounts][]>();

  /** A multiple-choice barrier's options with their counts, looked up once. */
  private multiOf(question: string): [string, GroupCounts][] {
    let m = this.multiByQuestion.get(question);
    if (!m)
      this.multiByQuestion.set(question, (m = optionsOf(topLevelQuestion(this.def, question)!).map((o) => [o, this.multiCounts.get(`${question}:${o}`)!])));
    return m;
  }

  private addComprehension(r: CodedResponse, fallback: number): void {
    const lng = r.language;
    this.started.set(lng, (this.started.get(lng) ?? 0) + 1);
    this.switched.add(lng, r.languageSwitches > 0 ? 0 : 1);
    this.fallbackResponses.add(lng, fallback > 0 ? 0 : 1);
    this.confirmed.add(lng, r.confirmations > 0 ? 0 : 1);
    if (r.confirmations > 0) this.declined.add(lng, r.confirmationsDeclined > 0 ? 0 : 1);
    const fa = this.fallbackAnswers.get(lng) ?? [0, 0];
    fa[0] += fallback;
    fa[1] += r.answers.length / ANSWER_WIDTH;
    this.fallbackAnswers.set(lng, fa);
    for (const q of this.answered) (this.confusedOf[q] ?? this.confusedCounts(q)).add(lng, this.confusedAt[q] === this.stamp ? 0 : 1);
    // The furthest milestone: the last one answered, or the next step if it is one.
    let furthest = 0;
    this.milestoneCodes.forEach((q, i) => {
      if (this.topAt[q] === this.stamp) furthest = i;
    });
    if (r.status === 'completed') furthest = this.milestones.length - 1;
    else {
      const answers: Answers = {};
      for (const a of r.tuples ?? []) answers[stepKey(a[0], a[1])] = a[2];
      const next = nextStep(this.def, answers);
      const i = next ? this.milestones.indexOf(next.key) : this.milestones.length - 1;
      if (i > furthest) furthest = i;
    }
    let reached = this.reached.get(lng);
    if (!reached) this.reached.set(lng, (reached = new Array<number>(this.milestones.length).fill(0)));
    for (let i = 0; i <= furthest; i++) reached[i]++;
  }

  private confusedCounts(q: number): GroupCounts {
    const question = this.coder.questions[q];
    let counts = this.notUnderstood.get(question);
    if (!counts) this.notUnderstood.set(question, (counts = new GroupCounts(2)));
    return (this.confusedOf[q] = counts);
  }

  result(): AnalysisResult {
    const k = this.request.k;
    const groups = sortGroups([...this.population.byGroup.keys()]);
    const population = this.protect(groups, ['n'], this.population);
    return {
      survey: { id: this.def.id, version: this.def.version },
      by: this.request.by,
      ...(this.request.area ? { area: this.request.area } : {}),
      status: this.request.status ?? 'completed',
      k,
      baseline: { question: this.spec.baseline.question, anyOf: [...this.spec.baseline.anyOf] },
      responses: count(population.grandTotal),
      groups,
      helpReceived: this.areas.map((area) => this.helpArea(area)),
      barriers: this.spec.barriers.map((b) => this.barrier(b)),
      comprehension: this.comprehension(),
      suppression: { k, ...this.tally },
    };
  }

  private helpArea(area: string): HelpAreaResult {
    const counts = this.help.get(area)!;
    const groups = sortGroups([...counts.byGroup.keys()]);
    const table = this.protect(groups, this.outcomes, counts);
    const success = this.outcomes.map((o, j) => (this.spec.outcome.success.includes(o) ? j : -1)).filter((j) => j >= 0);
    return {
      area,
      ...(this.blockOf === undefined ? { topLevel: true as const } : {}),
      rows: groups.map((group, i) => ({
        group,
        n: count(table.rowTotals[i]),
        outcomes: Object.fromEntries(this.outcomes.map((o, j) => [o, proportion(table.cells[i][j], table.rowTotals[i])])),
      })),
      gaps: gapsAgainstBaseline(groups, table, success),
      test: testOf(table, groups, success),
    };
  }

  private barrier(b: BarrierMeasure): BarrierResult {
    if (b.kind === 'multi') {
      const options = optionsOf(topLevelQuestion(this.def, b.question)!);
      return {
        question: b.question,
        kind: 'multi',
        options: options.map((option) => {
          const counts = this.multiCounts.get(`${b.question}:${option}`)!;
          const groups = sortGroups([...counts.byGroup.keys()]);
          const table = this.protect(groups, ['yes', 'no'], counts);
          return {
            option,
            rows: groups.map((group, i) => ({ group, n: count(table.rowTotals[i]), share: proportion(table.cells[i][0], table.rowTotals[i]) })),
            test: testOf(table, groups, [0]),
          };
        }),
      };
    }
    const counts = this.barrierCounts.get(b.question)!;
    const groups = sortGroups([...counts.byGroup.keys()]);
    const table = this.protect(groups, ['yes', 'no'], counts);
    const gaps = gapsAgainstBaseline(groups, table, [0]);
    const test = testOf(table, groups, [0]);
    if (b.kind === 'share') {
      return {
        question: b.question,
        kind: 'share',
        rows: groups.map((group, i) => ({ group, n: count(table.rowTotals[i]), share: proportion(table.cells[i][0], table.rowTotals[i]) })),
        gaps,
        test,
      };
    }
    const sums = this.scaleSums.get(b.question)!;
    return {
      question: b.question,
      kind: 'scale',
      low: [...b.low],
      rows: groups.map((group, i) => {
        const total = table.rowTotals[i];
        const s = sums.get(group)!;
        const m = total.value !== null ? meanInterval(s.sum, s.squares, total.value) : undefined;
        return {
          group,
          n: count(total),
          low: proportion(table.cells[i][0], total),
          mean: m
            ? { n: total.value!, mean: m.mean, ci95: [m.low, m.high] as [number, number] }
            : withheld(total.status === 'published' ? 'denominator' : total.status),
        };
      }),
      gaps,
      test,
    };
  }

  private comprehension(): LanguageComprehension[] {
    const k = this.request.k;
    const languages = [...this.started.keys()].sort();
    const started = protectSeries(
      languages,
      languages.map((l) => this.started.get(l)!),
      k,
    );
    this.count(started.cells, [started.total]);
    const switched = this.protect(languages, ['yes', 'no'], this.switched);
    const fallback = this.protect(languages, ['yes', 'no'], this.fallbackResponses);
    const confirmed = this.protect(languages, ['yes', 'no'], this.confirmed);
    const declinedLanguages = languages.filter((l) => this.declined.byGroup.has(l));
    const declined = this.protect(declinedLanguages, ['yes', 'no'], this.declined);
    const questions = [...this.notUnderstood.keys()].sort((a, b) => itemIndexOf(this.def, a) - itemIndexOf(this.def, b));
    const confused = new Map(questions.map((q) => [q, this.protect(languages, ['yes', 'no'], this.notUnderstood.get(q)!)]));
    return languages.map((language, i) => {
      const startedCell = started.cells[i];
      const fa = this.fallbackAnswers.get(language)!;
      const fallbackShare = proportion(fallback.cells[i][0], fallback.rowTotals[i]);
      return {
        language,
        started: count(startedCell),
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
        funnel: this.funnel(this.reached.get(language)!, startedCell),
      };
    });
  }

  /**
   * The milestones reached, published only where they cannot give away a small number of
   * drop-outs: a point is shown when at least k (or no) respondents dropped out since the last
   * point shown, and when at least k reached it. Between such points the funnel is merged.
   */
  private funnel(reached: number[], started: ProtectedCell): LanguageComprehension['funnel'] {
    const k = this.request.k;
    const total = started.value;
    if (total === null) return this.milestones.map((step) => ({ step, reached: null }));
    const safe = (from: number, to: number) => reached[from] - reached[to] === 0 || reached[from] - reached[to] >= k;
    const last = reached.length - 1;
    // Anchor the end (completed) when it can be shown, so the points between must leave a safe
    // remainder before it; otherwise show what can be shown from the start.
    const end = reached[last] >= k && safe(0, last) ? last : undefined;
    const shown = new Set<number>([0]);
    let previous = 0;
    for (let i = 1; i < last; i++) {
      if (reached[i] >= k && safe(previous, i) && (end === undefined || safe(i, end))) {
        shown.add(i);
        previous = i;
      }
    }
    if (end !== undefined) shown.add(end);
    return this.milestones.map((step, i) => ({ step, reached: shown.has(i) && reached[i] > 0 ? published(reached[i], total) : null }));
  }

  private protect(rows: string[], columns: string[], counts: GroupCounts): ProtectedTable {
    const table = protectTable(
      { rowLabels: rows, columnLabels: columns, counts: rows.map((g) => counts.byGroup.get(g) ?? new Array<number>(columns.length).fill(0)) },
      this.request.k,
    );
    this.count(table.cells.flat(), [...table.rowTotals, ...table.columnTotals, table.grandTotal]);
    return table;
  }

  private count(...groups: ProtectedCell[][]): void {
    for (const cells of groups) {
      for (const c of cells) {
        this.tally.cells++;
        if (c.status === 'primary') this.tally.primary++;
        if (c.status === 'secondary') this.tally.secondary++;
      }
    }
  }
}

function count(c: ProtectedCell): Count {
  return c.value;
}

function withheld(reason: Withheld['reason']): Withheld {
  return { suppressed: true, reason };
}

function published(x: number, n: number): PublishedProportion {
  const ci = wilson(x, n);
  return { x, n, p: x / n, ci95: [ci.low, ci.high] };
}

/** A share from a protected cell and its protected total: published only if both are. */
function proportion(cell: ProtectedCell, total: ProtectedCell): Proportion {
  if (cell.status !== 'published') return withheld(cell.status);
  if (total.status !== 'published' || total.value === null || total.value === 0) return withheld('denominator');
  return published(cell.value!, total.value);
}

/** Row `i`'s count in the `success` columns and its total, or null unless both are published. */
function successOf(table: ProtectedTable, i: number, success: number[]): { x: number; n: number } | null {
  const cells = success.map((j) => table.cells[i][j]);
  const total = table.rowTotals[i];
  if (!cells.every((c) => c.status === 'published') || total.status !== 'published' || !total.value) return null;
  return { x: cells.reduce((s, c) => s + c.value!, 0), n: total.value };
}

/** Each group's share of `success` columns against the baseline's, with Newcombe's interval. */
function gapsAgainstBaseline(groups: string[], table: ProtectedTable, success: number[]): { group: string; gap: Gap }[] {
  const b = groups.indexOf(BASELINE);
  const base = b < 0 ? null : successOf(table, b, success);
  return groups.flatMap((group, i): { group: string; gap: Gap }[] => {
    if (i === b) return [];
    if (b < 0) return [{ group, gap: withheld('denominator') }];
    const mine = successOf(table, i, success);
    if (!mine || !base) return [{ group, gap: withheld(!mine ? 'secondary' : 'denominator') }];
    const g = newcombe(mine.x, mine.n, base.x, base.n);
    return [{ group, gap: { x1: mine.x, n1: mine.n, x2: base.x, n2: base.n, diff: g.diff, ci95: [g.low, g.high] as [number, number] } }];
  });
}

/**
 * Whether the share in the `success` columns is the same in every group: the test of independence
 * of [x, n − x] over the groups whose x and n are published. Computed from published numbers only:
 * a statistic over hidden cells narrows what they can be, with the published cells and totals
 * often to one table (a 3 × 4 table with four hidden cells had 12 completions, and only the true
 * one gives the published X² and p). So a table of several outcomes is tested on the share the
 * gaps compare, and a group whose share is hidden takes no part (`groups` says how many did).
 */
function testOf(table: ProtectedTable, groups: string[], success: number[]): SharesTest | null {
  const shares = groups.map((_, i) => successOf(table, i, success)).filter((s): s is { x: number; n: number } => s !== null);
  const test = independenceTest(shares.map((s) => [s.x, s.n - s.x]));
  return test ? { ...test, groups: shares.length } : null;
}

/** Baseline first, then the groups in code order, unknown last. */
function sortGroups(groups: string[]): string[] {
  const rank = (g: string) => (g === BASELINE ? 0 : g === UNKNOWN ? 2 : 1);
  return groups.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

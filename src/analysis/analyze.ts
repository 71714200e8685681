import { ResponseFilter, SurveyStore } from '../store/store';
import { AnalysisSpec, SurveyDefinition, ValueSource } from '../survey/definition';
import { AnalysisRequest, AnalysisRequestError, countedQuestions, dimensionsOf } from './analysisRequest';
import { BarrierResult, Barriers, BarriersState } from './barriers';
import { CodedResponse, ResponseCoder } from './coding';
import { Completion, CompletionDimension, CompletionTable } from './completion';
import { Comprehension, ComprehensionState, LanguageComprehension } from './comprehension';
import { BASELINE, GroupCountsState, UNKNOWN } from './groups';
import { HelpAreaResult, HelpReceived, HelpReceivedState } from './helpReceived';
import { Population } from './population';
import { ResponseView } from './responseView';
import { Count } from './shares';
import { SuppressionSummary, TableProtector } from './tableProtector';

/**
 * The barrier analysis the strategy asks for: does help reach immigrants as it reaches everyone
 * else, and which language barriers stand in the way? Each measure is a file of its own
 * (src/analysis/measure.ts); the accumulator reads each response once and hands it to every
 * measure, and at the end has each make its tables through one protector, so that every number an
 * analyst sees comes out of a protected table (src/privacy/disclosure.ts: primary and
 * complementary suppression).
 */

export { AnalysisRequestError, areasOf, countedQuestions, dimensionsOf, topLevelOutcome } from './analysisRequest';
export type { AnalysisRequest } from './analysisRequest';
export type { BarrierResult, MultiBarrierResult, ScaleBarrierResult, ShareBarrierResult } from './barriers';
export type { LanguageComprehension } from './comprehension';
export type { CompletionRow, CompletionTable } from './completion';
export { BASELINE, UNKNOWN } from './groups';
export type { HelpAreaResult } from './helpReceived';
export type { Count, Gap, GroupRow, Proportion, PublishedGap, PublishedMean, PublishedProportion, SharesTest, Withheld } from './shares';
export type { SuppressionSummary } from './tableProtector';

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
  /** Responses started and completed by source, channel and language (every started response). */
  completion: CompletionTable[];
  suppression: SuppressionSummary;
}

/** Runs the barrier analysis over every response of the survey, read in batches. */
export async function analyze(store: SurveyStore, def: SurveyDefinition, request: AnalysisRequest): Promise<AnalysisResult> {
  const acc = new Accumulator(def, request);
  const filter: ResponseFilter = { surveyId: def.id, surveyVersion: def.version };
  for await (const batch of store.scanForAnalysis(filter, { batchSize: 5000 })) for (const r of batch) if (!('known' in r)) acc.add(acc.coder.code(r));
  return acc.result();
}

/**
 * What an accumulator has counted, as plain data, by measure: part of the responses can be
 * counted in one worker thread and part in another, and the counts added (src/analysis/parallel.ts).
 */
export interface AccumulatorState {
  population: GroupCountsState;
  helpReceived: HelpReceivedState;
  barriers: BarriersState;
  comprehension: ComprehensionState;
  completion: [CompletionDimension, GroupCountsState][];
}

/** Streams responses in, hands each to every measure, and has them make their tables at the end. */
export class Accumulator {
  private readonly spec: AnalysisSpec;
  private readonly dimension: ValueSource;
  private readonly view: ResponseView;
  private readonly population = new Population();
  private readonly helpReceived: HelpReceived;
  private readonly barriers: Barriers;
  private readonly comprehension: Comprehension;
  private readonly completion = new Completion();
  /** Codes of the questions every response's group is found by. */
  private readonly codes: { baseline: number; dimension: number };

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
    this.helpReceived = new HelpReceived(def, request.area, coder);
    this.barriers = new Barriers(def, coder);
    this.comprehension = new Comprehension(def, coder);
    this.view = new ResponseView(coder);
    this.codes = {
      baseline: coder.question(this.spec.baseline.question),
      dimension: 'question' in this.dimension ? coder.question(this.dimension.question) : -1,
    };
  }

  add(r: CodedResponse): void {
    const view = this.view;
    view.load(r);
    // Comprehension and completion count every started response; the group tables only those the request asks for.
    this.comprehension.add(view);
    this.completion.add(view);
    if (this.request.status !== 'all' && r.status !== 'completed') return;
    view.group = this.groupOf(view);
    this.population.add(view);
    this.helpReceived.add(view);
    this.barriers.add(view);
  }

  private groupOf(view: ResponseView): string {
    const base = view.top(this.codes.baseline);
    if (typeof base === 'string' && this.spec.baseline.anyOf.includes(base)) return BASELINE;
    const v = 'field' in this.dimension ? view.response[this.dimension.field] : view.top(this.codes.dimension);
    return v === undefined || v === null ? UNKNOWN : String(v);
  }

  /** Everything counted so far, for {@link merge} in another accumulator. */
  snapshot(): AccumulatorState {
    return {
      population: this.population.snapshot(),
      helpReceived: this.helpReceived.snapshot(),
      barriers: this.barriers.snapshot(),
      comprehension: this.comprehension.snapshot(),
      completion: this.completion.snapshot(),
    };
  }

  /** Adds what another accumulator (over other responses, same request) counted. */
  merge(state: AccumulatorState): void {
    this.population.merge(state.population);
    this.helpReceived.merge(state.helpReceived);
    this.barriers.merge(state.barriers);
    this.comprehension.merge(state.comprehension);
    this.completion.merge(state.completion);
  }

  result(): AnalysisResult {
    const k = this.request.k;
    const protector = new TableProtector(k);
    const population = this.population.table(protector);
    const completion = this.completion.table(protector);
    const byLanguage = completion.find((c) => c.by === 'language')!;
    return {
      survey: { id: this.def.id, version: this.def.version },
      by: this.request.by,
      ...(this.request.area ? { area: this.request.area } : {}),
      status: this.request.status ?? 'completed',
      k,
      baseline: { question: this.spec.baseline.question, anyOf: [...this.spec.baseline.anyOf] },
      responses: population.responses,
      groups: population.groups,
      helpReceived: this.helpReceived.table(protector),
      barriers: this.barriers.table(protector),
      comprehension: this.comprehension.table(protector, new Map(byLanguage.rows.map((r) => [r.group, r.started]))),
      completion,
      suppression: protector.summary(),
    };
  }
}

import { BarrierMeasure, SurveyDefinition, optionsOf } from '../survey/definition';
import { Answers } from '../survey/engine';
import { topLevelQuestion } from '../survey/walk';
import { ResponseCoder } from './coding';
import { GroupCounts, GroupCountsState, sortGroups } from './groups';
import { meanInterval } from './intervals';
import { Measure } from './measure';
import { ResponseView } from './responseView';
import { Gap, GroupRow, Proportion, PublishedMean, SharesTest, Withheld, count, gapsAgainstBaseline, proportion, testOf, withheld } from './shares';
import { TableProtector } from './tableProtector';

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

interface ScaleSums {
  sum: number;
  squares: number;
}

/** The barriers' counts as plain data. */
export interface BarriersState {
  /** By barrier question, or `question:option` for a multiple-choice barrier. */
  counts: [string, GroupCountsState][];
  scales: [string, [string, ScaleSums][]][];
}

/**
 * The barriers the survey declares, by group: the share answering a "share" barrier positively,
 * the share low on a scale and its mean, and for a multiple-choice barrier the share naming each
 * option.
 */
export class Barriers implements Measure<BarriersState, BarrierResult[]> {
  private readonly barriers: BarrierMeasure[];
  private readonly codes: number[];
  private readonly barrierCounts = new Map<string, GroupCounts>();
  private readonly scaleSums = new Map<string, Map<string, ScaleSums>>();
  private readonly multiCounts = new Map<string, GroupCounts>();
  /** A multiple-choice barrier's options with their counts, by question. */
  private readonly multiByQuestion = new Map<string, [string, GroupCounts][]>();

  constructor(
    private readonly def: SurveyDefinition,
    coder: ResponseCoder,
  ) {
    this.barriers = def.analysis!.barriers;
    for (const b of this.barriers) {
      if (b.kind === 'multi') {
        const options = optionsOf(topLevelQuestion(def, b.question)!);
        for (const o of options) this.multiCounts.set(`${b.question}:${o}`, new GroupCounts(2));
        this.multiByQuestion.set(
          b.question,
          options.map((o) => [o, this.multiCounts.get(`${b.question}:${o}`)!]),
        );
      } else this.barrierCounts.set(b.question, new GroupCounts(2));
      if (b.kind === 'scale') this.scaleSums.set(b.question, new Map());
    }
    this.codes = this.barriers.map((b) => coder.question(b.question));
  }

  add(r: ResponseView): void {
    const group = r.group;
    if (group === undefined) return;
    this.barriers.forEach((b, i) => this.addBarrier(b, r.top(this.codes[i]), group));
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
      for (const [o, counts] of this.multiByQuestion.get(b.question)!) counts.add(group, v.includes(o) ? 0 : 1);
    }
  }

  snapshot(): BarriersState {
    return {
      counts: [...this.barrierCounts, ...this.multiCounts].map(([key, g]) => [key, g.snapshot()]),
      scales: [...this.scaleSums].map(([q, m]) => [q, [...m]]),
    };
  }

  merge(state: BarriersState): void {
    for (const [key, rows] of state.counts) (this.barrierCounts.get(key) ?? this.multiCounts.get(key))?.merge(rows);
    for (const [q, rows] of state.scales) {
      const sums = this.scaleSums.get(q)!;
      for (const [group, s] of rows) {
        const mine = sums.get(group) ?? { sum: 0, squares: 0 };
        sums.set(group, { sum: mine.sum + s.sum, squares: mine.squares + s.squares });
      }
    }
  }

  table(protector: TableProtector): BarrierResult[] {
    return this.barriers.map((b) => this.barrier(b, protector));
  }

  private barrier(b: BarrierMeasure, protector: TableProtector): BarrierResult {
    if (b.kind === 'multi') {
      const options = optionsOf(topLevelQuestion(this.def, b.question)!);
      return {
        question: b.question,
        kind: 'multi',
        options: options.map((option) => {
          const counts = this.multiCounts.get(`${b.question}:${option}`)!;
          const groups = sortGroups([...counts.byGroup.keys()]);
          const table = protector.table(groups, ['yes', 'no'], counts);
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
    const table = protector.table(groups, ['yes', 'no'], counts);
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
}

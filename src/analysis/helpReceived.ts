import { AnalysisSpec, SurveyDefinition, optionsOf } from '../survey/definition';
import { findQuestion } from '../survey/walk';
import { AnalysisRequestError, areasOf } from './analysisRequest';
import { ANSWER_WIDTH, ResponseCoder } from './coding';
import { GroupCounts, GroupCountsState, sortGroups } from './groups';
import { Measure } from './measure';
import { ResponseView } from './responseView';
import { Gap, GroupRow, Proportion, SharesTest, count, gapsAgainstBaseline, proportion, testOf } from './shares';
import { TableProtector } from './tableProtector';

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

/** Counts by help area, as plain data. */
export type HelpReceivedState = [string, GroupCountsState][];

/** Whether help was received, by group: one table per help area, or one for a top-level outcome. */
export class HelpReceived implements Measure<HelpReceivedState, HelpAreaResult[]> {
  private readonly spec: AnalysisSpec;
  private readonly areas: string[];
  private readonly outcomes: string[];
  /** The question the outcome's block repeats for; undefined when the outcome is a top-level question. */
  private readonly blockOf: string | undefined;
  private readonly help = new Map<string, GroupCounts>();
  private readonly codes: { block: number; outcome: number };

  constructor(def: SurveyDefinition, area: string | undefined, coder: ResponseCoder) {
    this.spec = def.analysis!;
    const outcome = findQuestion(def, this.spec.outcome.question)!;
    this.outcomes = optionsOf(outcome.question);
    this.blockOf = outcome.block?.forEach;
    if (this.blockOf === undefined) {
      // A top-level outcome: one table, named by the question.
      if (area !== undefined)
        throw new AnalysisRequestError(
          `--area is only for a survey whose outcome is asked per help area; the outcome of ${def.id} (${this.spec.outcome.question}) is one question (got "${area}")`,
        );
      this.areas = [this.spec.outcome.question];
    } else {
      const all = areasOf(def);
      if (area !== undefined && !all.includes(area)) throw new AnalysisRequestError(`--area must be one of ${all.join(', ')} (got "${area}")`);
      this.areas = area ? [area] : all;
    }
    for (const a of this.areas) this.help.set(a, new GroupCounts(this.outcomes.length));
    this.coder = coder;
    this.codes = {
      block: this.blockOf === undefined ? -1 : coder.question(this.blockOf),
      outcome: coder.question(this.spec.outcome.question),
    };
  }

  private readonly coder: ResponseCoder;

  add(r: ResponseView): void {
    const group = r.group;
    if (group === undefined) return;
    if (this.blockOf === undefined) {
      // A top-level outcome: everyone who was asked it and answered with one of its options.
      const j = this.outcomes.indexOf(String(r.top(this.codes.outcome)));
      if (j >= 0) this.help.get(this.areas[0])!.add(group, j);
    } else if (Array.isArray(r.top(this.codes.block))) {
      const outcome = this.codes.outcome;
      const answers = r.response.answers;
      for (let o = 0; o < answers.length; o += ANSWER_WIDTH) {
        if (answers[o] !== outcome) continue;
        const counts = this.help.get(this.coder.iterations[answers[o + 1]]);
        const j = this.outcomes.indexOf(String(this.coder.values[answers[o + 2]]));
        if (counts && j >= 0) counts.add(group, j);
      }
    }
  }

  snapshot(): HelpReceivedState {
    return [...this.help].map(([a, g]) => [a, g.snapshot()]);
  }

  merge(state: HelpReceivedState): void {
    for (const [a, rows] of state) this.help.get(a)?.merge(rows);
  }

  table(protector: TableProtector): HelpAreaResult[] {
    return this.areas.map((area) => this.helpArea(area, protector));
  }

  private helpArea(area: string, protector: TableProtector): HelpAreaResult {
    const counts = this.help.get(area)!;
    const groups = sortGroups([...counts.byGroup.keys()]);
    const table = protector.table(groups, this.outcomes, counts);
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
}

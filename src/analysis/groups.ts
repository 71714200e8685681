/**
 * The groups the barrier analysis compares. Groups are disjoint: respondents in the baseline
 * group (declared in the survey definition: born in Norway to Norwegian-born parents) form the
 * "baseline" row, and the other rows hold the remaining respondents by the chosen dimension. A
 * gap is then a difference between independent samples, as Newcombe's interval assumes, and it
 * reads as "how far is this group from the majority", which is the strategy's question.
 */

/** The label of the baseline row. */
export const BASELINE = 'baseline';
/** Respondents without a value for the dimension (an unanswered question). */
export const UNKNOWN = 'unknown';

/** Baseline first, then the groups in code order, unknown last. */
export function sortGroups(groups: string[]): string[] {
  const rank = (g: string) => (g === BASELINE ? 0 : g === UNKNOWN ? 2 : 1);
  return groups.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Counts by group as plain data, for a worker thread to post (src/analysis/parallel.ts). */
export type GroupCountsState = [string, number[]][];

/** Counts by group, grown as groups appear. */
export class GroupCounts {
  readonly byGroup = new Map<string, number[]>();
  constructor(readonly width: number) {}
  add(group: string, column: number, by = 1): void {
    let row = this.byGroup.get(group);
    if (!row) this.byGroup.set(group, (row = new Array<number>(this.width).fill(0)));
    row[column] += by;
  }
  merge(rows: GroupCountsState): void {
    for (const [group, counts] of rows) counts.forEach((v, j) => v && this.add(group, j, v));
  }
  snapshot(): GroupCountsState {
    return [...this.byGroup];
  }
}

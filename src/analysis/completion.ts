import { CodedResponse } from './coding';
import { GroupCounts, GroupCountsState } from './groups';
import { Measure } from './measure';
import { ResponseView } from './responseView';
import { Count, Proportion, count, proportion } from './shares';
import { TableProtector } from './tableProtector';

/** What responses are counted by for completion: where they came from, how, and in which language. */
export const COMPLETION_DIMENSIONS = ['source', 'channel', 'language'] as const;
export type CompletionDimension = (typeof COMPLETION_DIMENSIONS)[number];

export interface CompletionRow {
  group: string;
  /** Responses started: the respondent consented, so a response was written. */
  started: Count;
  completed: Count;
  /** completed / started, with Wilson's interval. */
  rate: Proportion;
}

export interface CompletionTable {
  by: CompletionDimension;
  rows: CompletionRow[];
  /** Over every group; hidden where a total would give a small group away. */
  total: CompletionRow;
}

/**
 * How many responses each source, channel and language brought, and how many of them were
 * completed: whether a poster brings people who finish, or an SMS invitation people who stop.
 *
 * "Started" is every response the store holds: one is written at consent, in progress until the
 * last answer, and kept when the respondent stops (its state expires, the response stays). A
 * withdrawn response is deleted with its answers, so it counts as neither started nor completed.
 *
 * Each table is completed against not completed by group, protected like every other table
 * (primary and complementary suppression, margins included), so a hidden count cannot be worked
 * out from a group's started count, the column totals or the other groups.
 */
export class Completion implements Measure<[CompletionDimension, GroupCountsState][], CompletionTable[]> {
  private readonly counts = new Map<CompletionDimension, GroupCounts>(COMPLETION_DIMENSIONS.map((d) => [d, new GroupCounts(2)]));

  add(view: ResponseView): void {
    const r: CodedResponse = view.response;
    const column = r.status === 'completed' ? 0 : 1;
    for (const [d, counts] of this.counts) counts.add(r[d], column);
  }

  snapshot(): [CompletionDimension, GroupCountsState][] {
    return [...this.counts].map(([d, g]) => [d, g.snapshot()]);
  }

  merge(state: [CompletionDimension, GroupCountsState][]): void {
    for (const [d, rows] of state) this.counts.get(d)?.merge(rows);
  }

  table(protector: TableProtector): CompletionTable[] {
    return COMPLETION_DIMENSIONS.map((by) => {
      const counts = this.counts.get(by)!;
      const groups = [...counts.byGroup.keys()].sort();
      const t = protector.table(groups, ['completed', 'not_completed'], counts);
      return {
        by,
        rows: groups.map((group, i) => ({
          group,
          started: count(t.rowTotals[i]),
          completed: count(t.cells[i][0]),
          rate: proportion(t.cells[i][0], t.rowTotals[i]),
        })),
        total: { group: 'total', started: count(t.grandTotal), completed: count(t.columnTotals[0]), rate: proportion(t.columnTotals[0], t.grandTotal) },
      };
    });
  }
}

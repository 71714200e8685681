import { GroupCounts, GroupCountsState, sortGroups } from './groups';
import { Measure } from './measure';
import { ResponseView } from './responseView';
import { Count, count } from './shares';
import { TableProtector } from './tableProtector';

export interface PopulationTable {
  /** Responses in the help and barrier tables, or null where that total would give a small group away. */
  responses: Count;
  /** Their groups, baseline first. */
  groups: string[];
}

/** How many responses each group has in the help and barrier tables. */
export class Population implements Measure<GroupCountsState, PopulationTable> {
  private readonly counts = new GroupCounts(1);

  add(r: ResponseView): void {
    if (r.group !== undefined) this.counts.add(r.group, 0);
  }

  snapshot(): GroupCountsState {
    return this.counts.snapshot();
  }

  merge(state: GroupCountsState): void {
    this.counts.merge(state);
  }

  table(protector: TableProtector): PopulationTable {
    const groups = sortGroups([...this.counts.byGroup.keys()]);
    const table = protector.table(groups, ['n'], this.counts);
    return { responses: count(table.grandTotal), groups };
  }
}

import { ProtectedCell, ProtectedSeries, ProtectedTable, protectSeries, protectTable } from '../privacy/disclosure';
import { GroupCounts } from './groups';

export interface SuppressionSummary {
  k: number;
  cells: number;
  primary: number;
  secondary: number;
}

/**
 * Protects every table of one analysis with the same k, and tallies what it hid: the analyst is
 * told how many cells were suppressed, over all the measures together.
 */
export class TableProtector {
  private readonly tally = { cells: 0, primary: 0, secondary: 0 };

  constructor(readonly k: number) {}

  /** The table of `counts` with `rows` in this order (a row not counted is all zeros). */
  table(rows: string[], columns: string[], counts: GroupCounts): ProtectedTable {
    const table = protectTable(
      { rowLabels: rows, columnLabels: columns, counts: rows.map((g) => counts.byGroup.get(g) ?? new Array<number>(columns.length).fill(0)) },
      this.k,
    );
    this.count(table.cells.flat(), [...table.rowTotals, ...table.columnTotals, table.grandTotal]);
    return table;
  }

  series(labels: string[], counts: number[]): ProtectedSeries {
    const series = protectSeries(labels, counts, this.k);
    this.count(series.cells, [series.total]);
    return series;
  }

  summary(): SuppressionSummary {
    return { k: this.k, ...this.tally };
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

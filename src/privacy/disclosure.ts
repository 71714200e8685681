/**
 * Statistical disclosure control for published tables of counts, in the way Statistics Norway
 * and Eurostat protect frequency tables: small cells are suppressed (primary suppression), and
 * further cells are suppressed so that no hidden cell can be worked out again from the totals
 * (secondary, or complementary, suppression). Without the second step, a hidden "3" in a row
 * whose total and other cells are published is not hidden at all.
 */

/** Statistics Norway's usual minimum for published counts about people. */
export const DEFAULT_K = 5;

/** A two-way table of counts: `counts[row][column]`, non-negative integers. */
export interface ContingencyTable {
  rowLabels: readonly string[];
  columnLabels: readonly string[];
  counts: readonly (readonly number[])[];
}

/**
 * `published`: the count is shown. `primary`: hidden because 0 < count < k. `secondary`: hidden
 * only so that a primary cell cannot be recomputed.
 */
export type CellStatus = 'published' | 'primary' | 'secondary';

/** A cell as it may be shown: `value` is null exactly when the cell is suppressed. */
export interface ProtectedCell {
  value: number | null;
  status: CellStatus;
}

export interface ProtectedTable {
  k: number;
  rowLabels: string[];
  columnLabels: string[];
  cells: ProtectedCell[][];
  rowTotals: ProtectedCell[];
  columnTotals: ProtectedCell[];
  grandTotal: ProtectedCell;
}

export interface ProtectedSeries {
  k: number;
  labels: string[];
  cells: ProtectedCell[];
  total: ProtectedCell;
}

/**
 * Protects a two-way table of counts for publication.
 *
 * The table is read together with its margins as one (R+1)×(C+1) table in which every row and
 * every column adds up (cells to their total). Every count n with 0 < n < k is suppressed,
 * margins included, since a small total counts people just as a small cell does. Then, for each
 * suppressed cell that could still be recomputed, the cheapest set of further non-zero cells is
 * suppressed so that the cell lies on a cycle of suppressed cells alternating between rows and
 * columns. On such a cycle the hidden values can be shifted by ±1 in turn without changing any
 * published number or making a count negative, so none of them is determined by what is shown —
 * a stronger guarantee than "at least two suppressed cells in each line", which it implies
 * (two cycles joined by a single hidden cell would pass that rule and still give the cell away).
 *
 * Complements are chosen by the smallest sum of suppressed counts, preferring inner cells to
 * totals. Zeros are never used as complements: an empty cell is often known to be empty
 * (a structural zero), so hiding it would hide nothing.
 *
 * @param table counts with their row and column labels
 * @param k the smallest count that may be published (default {@link DEFAULT_K})
 * @throws Error when the table is not rectangular, a count is not a non-negative integer, the
 *   labels do not match the counts, or k is not a positive integer
 */
export function protectTable(table: ContingencyTable, k: number = DEFAULT_K): ProtectedTable {
  validate(table, k);
  const R = table.rowLabels.length;
  const C = table.columnLabels.length;
  const a = augment(table.counts, C);
  const status = a.map((row) => row.map((v): CellStatus => (v > 0 && v < k ? 'primary' : 'published')));
  suppressUntilSafe(a, status);
  const cell = (i: number, j: number): ProtectedCell => ({ value: status[i][j] === 'published' ? a[i][j] : null, status: status[i][j] });
  return {
    k,
    rowLabels: [...table.rowLabels],
    columnLabels: [...table.columnLabels],
    cells: Array.from({ length: R }, (_, i) => Array.from({ length: C }, (_, j) => cell(i, j))),
    rowTotals: Array.from({ length: R }, (_, i) => cell(i, C)),
    columnTotals: Array.from({ length: C }, (_, j) => cell(R, j)),
    grandTotal: cell(R, C),
  };
}

/**
 * Protects a one-way table (a single row of counts and its total) with the same rules as
 * {@link protectTable}: small counts are hidden, and if only one count would be hidden, the
 * smallest other non-zero count is hidden with it, or the total when there is none.
 */
export function protectSeries(labels: readonly string[], counts: readonly number[], k: number = DEFAULT_K): ProtectedSeries {
  // As a one-row table each column total equals its cell, so the cycles found there are exactly
  // the pairs (or cell-and-total) a one-way table needs.
  const t = protectTable({ rowLabels: [''], columnLabels: labels, counts: [counts] }, k);
  return { k, labels: [...labels], cells: t.cells[0], total: t.rowTotals[0] };
}

function validate(table: ContingencyTable, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new Error(`protectTable: k must be a positive integer, got ${k}`);
  const R = table.rowLabels.length;
  const C = table.columnLabels.length;
  if (table.counts.length !== R) {
    throw new Error(`protectTable: ${R} row labels but ${table.counts.length} rows of counts; give one label per row`);
  }
  table.counts.forEach((row, i) => {
    if (row.length !== C) {
      throw new Error(`protectTable: row ${i} ("${table.rowLabels[i]}") has ${row.length} counts but there are ${C} column labels`);
    }
    row.forEach((v, j) => {
      if (!Number.isSafeInteger(v) || v < 0) {
        throw new Error(`protectTable: count at row "${table.rowLabels[i]}", column "${table.columnLabels[j]}" must be a non-negative integer, got ${v}`);
      }
    });
  });
}

/** The counts with a total column appended to each row and a total row appended below. */
function augment(counts: readonly (readonly number[])[], C: number): number[][] {
  const a = counts.map((row) => [...row, row.reduce((s, v) => s + v, 0)]);
  a.push(Array.from({ length: C + 1 }, (_, j) => a.reduce((s, row) => s + row[j], 0)));
  return a;
}

/**
 * The augmented table as a bipartite graph: one node per row (0..R, R being the total row) and one
 * per column (R+1 .. R+1+C, the last being the total column); each cell joins its row and column.
 * Suppressed cells form the hidden part of the linear system "every line adds up", and a hidden
 * cell is determined by the published numbers exactly when it is a bridge of the hidden graph,
 * i.e. lies on no cycle of hidden cells.
 */
function suppressUntilSafe(a: number[][], status: CellStatus[][]): void {
  const R = a.length - 1;
  const C = a[0].length - 1;
  const grand = a[R][C];
  const hidden = (i: number, j: number) => status[i][j] !== 'published';
  // Inner cells cost their count; a total costs more than all inner cells together, and the grand
  // total more than any other total, so margins are hidden only when no inner complement exists:
  // readers of a published table rely on its totals most.
  const cost = (i: number, j: number) => a[i][j] + ((i === R ? 1 : 0) + (j === C ? 1 : 0)) * (grand + 1);

  let changed = true;
  while (changed) {
    changed = false;
    const suppressed: [number, number][] = [];
    for (let i = 0; i <= R; i++) for (let j = 0; j <= C; j++) if (hidden(i, j)) suppressed.push([i, j]);
    // Smallest first: they are the ones a reader would most like to recover.
    suppressed.sort((x, y) => a[x[0]][x[1]] - a[y[0]][y[1]] || x[0] - y[0] || x[1] - y[1]);
    for (const [i, j] of suppressed) {
      if (onHiddenCycle(i, j, R, C, hidden)) continue;
      const path = cheapestPath(i, j, R, C, (u, v) => (hidden(u, v) ? 0 : a[u][v] === 0 ? Infinity : cost(u, v)));
      if (!path) {
        // Cannot happen for non-negative counts: row total, grand total and column total always close a cycle.
        throw new Error(`protectTable: no complementary suppression found for cell (${i}, ${j}); this is a bug`);
      }
      for (const [u, v] of path) {
        if (!hidden(u, v)) {
          status[u][v] = 'secondary';
          changed = true;
        }
      }
    }
  }
}

/** Whether hidden cell (i, j) lies on a cycle of hidden cells: its row reaches its column without it. */
function onHiddenCycle(i: number, j: number, R: number, C: number, hidden: (i: number, j: number) => boolean): boolean {
  const seenRows = new Set<number>([i]);
  const seenCols = new Set<number>();
  let frontier: { row?: number; col?: number }[] = [{ row: i }];
  while (frontier.length) {
    const next: { row?: number; col?: number }[] = [];
    for (const node of frontier) {
      if (node.row !== undefined) {
        for (let v = 0; v <= C; v++) {
          if (node.row === i && v === j) continue;
          if (!seenCols.has(v) && hidden(node.row, v)) {
            if (v === j) return true;
            seenCols.add(v);
            next.push({ col: v });
          }
        }
      } else {
        for (let u = 0; u <= R; u++) {
          if (u === i && node.col === j) continue;
          if (!seenRows.has(u) && hidden(u, node.col!)) {
            seenRows.add(u);
            next.push({ row: u });
          }
        }
      }
    }
    frontier = next;
  }
  return false;
}

/**
 * The cheapest path of cells from row i to column j that does not use cell (i, j) itself
 * (Dijkstra on the dense bipartite graph, which is small: tables have tens of lines).
 */
function cheapestPath(i: number, j: number, R: number, C: number, weight: (u: number, v: number) => number): [number, number][] | undefined {
  const rows = R + 1;
  const n = rows + C + 1;
  const dist = new Array<number>(n).fill(Infinity);
  const prev = new Array<number>(n).fill(-1);
  const done = new Array<boolean>(n).fill(false);
  dist[i] = 0;
  const target = rows + j;
  for (;;) {
    let x = -1;
    for (let y = 0; y < n; y++) if (!done[y] && dist[y] < Infinity && (x === -1 || dist[y] < dist[x])) x = y;
    if (x === -1) return undefined;
    if (x === target) break;
    done[x] = true;
    const isRow = x < rows;
    const others = isRow ? C + 1 : rows;
    for (let o = 0; o < others; o++) {
      const [u, v] = isRow ? [x, o] : [o, x - rows];
      if (u === i && v === j) continue;
      const w = weight(u, v);
      if (w === Infinity) continue;
      const y = isRow ? rows + o : o;
      if (!done[y] && dist[x] + w < dist[y]) {
        dist[y] = dist[x] + w;
        prev[y] = x;
      }
    }
  }
  const path: [number, number][] = [];
  for (let y = target; prev[y] !== -1; y = prev[y]) {
    const x = prev[y];
    path.push(x < rows ? [x, y - rows] : [y, x - rows]);
  }
  return path;
}

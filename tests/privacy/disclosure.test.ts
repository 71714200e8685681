import fc from 'fast-check';
import { ContingencyTable, DEFAULT_K, ProtectedCell, ProtectedTable, protectSeries, protectTable } from '../../src/privacy/disclosure';

const labels = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const table = (counts: number[][]): ContingencyTable => ({
  rowLabels: labels('r', counts.length),
  columnLabels: labels('c', counts[0]?.length ?? 0),
  counts,
});

/** The published table with its margins as one (R+1)×(C+1) grid: the total row last, the total column last. */
function grid(t: ProtectedTable): ProtectedCell[][] {
  return [...t.cells.map((row, i) => [...row, t.rowTotals[i]]), [...t.columnTotals, t.grandTotal]];
}

function truthGrid(counts: number[][], C: number): number[][] {
  const rows = counts.map((row) => [...row, row.reduce((s, v) => s + v, 0)]);
  return [...rows, Array.from({ length: C + 1 }, (_, j) => rows.reduce((s, row) => s + row[j], 0))];
}

/**
 * Every line of the augmented table: each row with its total, each column with its total.
 * Inner cells count +1, the total -1, so every line sums to zero.
 */
function lines(R: number, C: number): { cells: [number, number][]; coef: number[] }[] {
  const out: { cells: [number, number][]; coef: number[] }[] = [];
  for (let i = 0; i <= R; i++) {
    out.push({ cells: Array.from({ length: C + 1 }, (_, j): [number, number] => [i, j]), coef: Array.from({ length: C + 1 }, (_, j) => (j === C ? -1 : 1)) });
  }
  for (let j = 0; j <= C; j++) {
    out.push({ cells: Array.from({ length: R + 1 }, (_, i): [number, number] => [i, j]), coef: Array.from({ length: R + 1 }, (_, i) => (i === R ? -1 : 1)) });
  }
  return out;
}

/**
 * An attacker's view, solved by brute force: a non-negative integer filling of the hidden cells,
 * consistent with every published number and every line sum, in which `target` differs from its
 * true value. Branch and bound: every hidden cell gets an interval [0, bound], each line narrows
 * the intervals of its hidden cells from the others' (as an attacker would), and the search
 * branches on the narrowest interval, nearest the truth first. `undefined` means no such filling
 * exists: the cell is disclosed.
 */
function alternativeFilling(published: (number | null)[][], truth: number[][], target: [number, number], bound: number): number[][] | undefined {
  const R = published.length - 1;
  const C = published[0].length - 1;
  const allLines = lines(R, C);
  let budget = 100_000;

  type Box = { lo: number[][]; hi: number[][] };
  const narrow = (box: Box): boolean => {
    for (let changed = true; changed;) {
      changed = false;
      for (const { cells, coef } of allLines) {
        // Σ coef·x = 0, so coef_m·x_m = -Σ_{n≠m} coef_n·x_n.
        const min = cells.map(([i, j], n) => (coef[n] > 0 ? box.lo[i][j] : -box.hi[i][j]));
        const max = cells.map(([i, j], n) => (coef[n] > 0 ? box.hi[i][j] : -box.lo[i][j]));
        const minSum = min.reduce((s, v) => s + v, 0);
        const maxSum = max.reduce((s, v) => s + v, 0);
        if (minSum > 0 || maxSum < 0) return false;
        cells.forEach(([i, j], n) => {
          const restMin = minSum - min[n];
          const restMax = maxSum - max[n];
          const [lo, hi] = coef[n] > 0 ? [-restMax, -restMin] : [restMin, restMax];
          if (lo > box.lo[i][j]) {
            box.lo[i][j] = lo;
            changed = true;
          }
          if (hi < box.hi[i][j]) {
            box.hi[i][j] = hi;
            changed = true;
          }
        });
        if (cells.some(([i, j]) => box.lo[i][j] > box.hi[i][j])) return false;
      }
    }
    return true;
  };

  const search = (box: Box): number[][] | undefined => {
    if (--budget < 0) throw new Error('alternativeFilling: search budget exhausted; use a smaller table');
    if (!narrow(box)) return undefined;
    let pick: [number, number] | undefined;
    for (let i = 0; i <= R; i++) {
      for (let j = 0; j <= C; j++) {
        const width = box.hi[i][j] - box.lo[i][j];
        if (width > 0 && (!pick || width < box.hi[pick[0]][pick[1]] - box.lo[pick[0]][pick[1]])) pick = [i, j];
      }
    }
    if (!pick) return box.lo;
    const [i, j] = pick;
    const values = Array.from({ length: box.hi[i][j] - box.lo[i][j] + 1 }, (_, n) => box.lo[i][j] + n);
    values.sort((x, y) => Math.abs(x - truth[i][j]) - Math.abs(y - truth[i][j]) || x - y);
    for (const v of values) {
      const next = { lo: box.lo.map((r) => [...r]), hi: box.hi.map((r) => [...r]) };
      next.lo[i][j] = next.hi[i][j] = v;
      const found = search(next);
      if (found) return found;
    }
    return undefined;
  };

  const [ti, tj] = target;
  const t = truth[ti][tj];
  for (const [lo, hi] of [
    [t + 1, bound],
    [0, t - 1],
  ]) {
    if (lo > hi) continue;
    const box: Box = {
      lo: published.map((row) => row.map((v) => v ?? 0)),
      hi: published.map((row) => row.map((v) => v ?? bound)),
    };
    box.lo[ti][tj] = lo;
    box.hi[ti][tj] = hi;
    const found = search(box);
    if (found) return found;
  }
  return undefined;
}

describe('the brute-force attacker used by property (c)', () => {
  // The solver must be able to fail, or property (c) proves nothing.
  const counts = [
    [6, 7, 8, 20],
    [9, 6, 20, 20],
    [20, 20, 6, 7],
    [20, 20, 9, 6],
  ];
  const truth = truthGrid(counts, 4);
  const hide = (cells: [number, number][]) => truth.map((row, i) => row.map((v, j) => (cells.some(([a, b]) => a === i && b === j) ? null : v)));

  it('recovers a cell hidden alone in its row', () => {
    expect(alternativeFilling(hide([[0, 0]]), truth, [0, 0], 500)).toBeUndefined();
  });

  it('recovers the bridge between two hidden rectangles, though every line has two hidden cells', () => {
    const pattern: [number, number][] = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [2, 2],
      [2, 3],
      [3, 2],
      [3, 3],
      [0, 2],
    ];
    const published = hide(pattern);
    expect(alternativeFilling(published, truth, [0, 2], 500)).toBeUndefined();
    expect(alternativeFilling(published, truth, [0, 0], 500)).toBeDefined();
  });
});

describe('protectTable: examples', () => {
  it('publishes a table without small cells unchanged, with its totals', () => {
    const t = protectTable(
      table([
        [10, 20],
        [30, 40],
      ]),
    );
    expect(t.cells.map((row) => row.map((c) => c.value))).toEqual([
      [10, 20],
      [30, 40],
    ]);
    expect(t.rowTotals.map((c) => c.value)).toEqual([30, 70]);
    expect(t.columnTotals.map((c) => c.value)).toEqual([40, 60]);
    expect(t.grandTotal).toEqual({ value: 100, status: 'published' });
    expect(t.k).toBe(DEFAULT_K);
  });

  it('hides a small cell together with the cheapest rectangle of complementary cells', () => {
    const t = protectTable(
      table([
        [3, 10, 20],
        [12, 8, 30],
        [15, 25, 9],
      ]),
    );
    expect(t.cells.map((row) => row.map((c) => c.status))).toEqual([
      ['primary', 'secondary', 'published'],
      ['secondary', 'secondary', 'published'],
      ['published', 'published', 'published'],
    ]);
    expect(t.cells[0][0].value).toBeNull();
    expect([...t.rowTotals, ...t.columnTotals, t.grandTotal].every((c) => c.status === 'published')).toBe(true);
  });

  it('never uses a zero as a complement, even when it would be cheapest', () => {
    const t = protectTable(
      table([
        [3, 0, 40],
        [20, 6, 50],
      ]),
    );
    expect(t.cells[0][1]).toEqual({ value: 0, status: 'published' });
    expect(t.cells.map((row) => row.map((c) => c.status))).toEqual([
      ['primary', 'published', 'secondary'],
      ['secondary', 'published', 'secondary'],
    ]);
  });

  it('hides a column total when the column has no other non-zero cell to pair with', () => {
    // Column 1 is 3 + 0, so its total is small too; column 2 must give up a cell and its total.
    const t = protectTable(
      table([
        [3, 8],
        [0, 9],
      ]),
    );
    expect(t.cells[0][0].status).toBe('primary');
    expect(t.columnTotals[0].status).toBe('primary');
    expect(t.cells[0][1].status).toBe('secondary');
    expect(t.columnTotals[1].status).toBe('secondary');
    expect(t.cells[1][0]).toEqual({ value: 0, status: 'published' });
    expect(t.rowTotals.map((c) => c.value)).toEqual([11, 9]);
    expect(t.grandTotal.value).toBe(20);
  });

  it('hides a small row total as a primary cell', () => {
    const t = protectTable(
      table([
        [2, 1],
        [30, 40],
      ]),
    );
    expect(t.rowTotals[0].status).toBe('primary');
    expect(t.cells[0].every((c) => c.status === 'primary')).toBe(true);
  });

  it('protects a cell that the "two per line" rule alone would leave exposed', () => {
    // Hidden cells at (0,0),(0,1),(1,0),(1,1) and (2,2),(2,3),(3,2),(3,3) would satisfy "≥2 per
    // line"; a single bridge between the two blocks would not be protected. Check the result is safe.
    const counts = [
      [2, 2, 50, 60],
      [2, 2, 70, 80],
      [50, 60, 2, 2],
      [70, 80, 2, 2],
    ];
    const t = protectTable(table(counts));
    const published = grid(t).map((row) => row.map((c) => c.value));
    const truth = truthGrid(counts, 4);
    grid(t).forEach((row, i) =>
      row.forEach((c, j) => {
        if (c.value === null) expect(alternativeFilling(published, truth, [i, j], truth[4][4])).toBeDefined();
      }),
    );
  });

  it('suppresses nothing when k is 1', () => {
    const t = protectTable(
      table([
        [1, 2],
        [3, 0],
      ]),
      1,
    );
    expect(
      grid(t)
        .flat()
        .every((c) => c.status === 'published'),
    ).toBe(true);
  });

  it('uses a larger k when given one', () => {
    const t = protectTable(
      table([
        [7, 20],
        [30, 40],
      ]),
      10,
    );
    expect(t.cells[0][0].status).toBe('primary');
  });

  it('accepts an empty table', () => {
    const t = protectTable({ rowLabels: [], columnLabels: ['a'], counts: [] });
    expect(t.cells).toEqual([]);
    expect(t.columnTotals).toEqual([{ value: 0, status: 'published' }]);
    expect(t.grandTotal).toEqual({ value: 0, status: 'published' });
  });

  it('keeps the labels', () => {
    const t = protectTable({
      rowLabels: ['pl', 'ar'],
      columnLabels: ['yes', 'no'],
      counts: [
        [10, 10],
        [10, 10],
      ],
    });
    expect(t.rowLabels).toEqual(['pl', 'ar']);
    expect(t.columnLabels).toEqual(['yes', 'no']);
  });

  it.each([
    ['a negative count', table([[1, -2]]), 5, /non-negative integer/],
    ['a fractional count', table([[1.5, 2]]), 5, /non-negative integer/],
    ['a ragged row', { rowLabels: ['a', 'b'], columnLabels: ['x', 'y'], counts: [[1, 2], [3]] }, 5, /row 1 \("b"\) has 1 counts/],
    ['too few row labels', { rowLabels: ['a'], columnLabels: ['x'], counts: [[1], [2]] }, 5, /1 row labels but 2 rows/],
    ['k of zero', table([[1]]), 0, /k must be a positive integer/],
  ])('rejects %s with a message that says what to fix', (_name, t, k, message) => {
    expect(() => protectTable(t as ContingencyTable, k as number)).toThrow(message as RegExp);
  });
});

describe('protectSeries: one-way tables', () => {
  it('hides a small count with the smallest other non-zero count and keeps the total', () => {
    const s = protectSeries(['nb', 'pl', 'ar', 'so'], [40, 3, 0, 12]);
    expect(s.cells.map((c) => c.status)).toEqual(['published', 'primary', 'published', 'secondary']);
    expect(s.cells[2].value).toBe(0);
    expect(s.total).toEqual({ value: 55, status: 'published' });
  });

  it('publishes two small counts hidden together without a complement', () => {
    const s = protectSeries(['a', 'b', 'c'], [2, 4, 30]);
    expect(s.cells.map((c) => c.status)).toEqual(['primary', 'primary', 'published']);
    expect(s.total.value).toBe(36);
  });

  it('hides the total when it is itself small', () => {
    const s = protectSeries(['a', 'b', 'c'], [3, 0, 0]);
    expect(s.cells[0].status).toBe('primary');
    expect(s.total.status).toBe('primary');
    expect(s.cells[1]).toEqual({ value: 0, status: 'published' });
  });

  it('publishes everything when no count is small', () => {
    const s = protectSeries(['a', 'b'], [5, 0]);
    expect(s.cells.map((c) => c.value)).toEqual([5, 0]);
    expect(s.total.value).toBe(5);
  });
});

describe('protectTable: properties over random tables', () => {
  const smallCount = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 40 }));
  const randomTable = (maxRows: number, maxCols: number, count: fc.Arbitrary<number>) =>
    fc
      .tuple(fc.integer({ min: 1, max: maxRows }), fc.integer({ min: 1, max: maxCols }))
      .chain(([R, C]) => fc.array(fc.array(count, { minLength: C, maxLength: C }), { minLength: R, maxLength: R }));
  const k = fc.integer({ min: 2, max: 6 });

  it('(a) publishes no count n with 0 < n < k, totals included', () => {
    fc.assert(
      fc.property(randomTable(6, 6, smallCount), k, (counts, k) => {
        for (const c of grid(protectTable(table(counts), k)).flat()) {
          if (c.value !== null) expect(c.value === 0 || c.value >= k).toBe(true);
        }
      }),
    );
  });

  it('(b) leaves every row and column with a hidden cell with a second hidden cell or a hidden total', () => {
    fc.assert(
      fc.property(randomTable(6, 6, smallCount), k, (counts, k) => {
        const t = protectTable(table(counts), k);
        const R = counts.length;
        const C = counts[0].length;
        const g = grid(t);
        const hidden = (c: ProtectedCell) => c.value === null;
        for (let i = 0; i <= R; i++) {
          const inner = g[i].slice(0, C).filter(hidden).length;
          if (inner > 0) expect(inner >= 2 || hidden(g[i][C])).toBe(true);
        }
        for (let j = 0; j <= C; j++) {
          const inner = g.slice(0, R).filter((row) => hidden(row[j])).length;
          if (inner > 0) expect(inner >= 2 || hidden(g[R][j])).toBe(true);
        }
      }),
    );
  });

  it('(c) leaves no hidden cell determined: another non-negative filling fits every published number', () => {
    fc.assert(
      fc.property(randomTable(3, 4, fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 }))), k, (counts, k) => {
        const t = protectTable(table(counts), k);
        const C = counts[0].length;
        const truth = truthGrid(counts, C);
        const published = grid(t).map((row) => row.map((c) => c.value));
        const bound = 2 * truth[counts.length][C] + 2 * k;
        published.forEach((row, i) =>
          row.forEach((value, j) => {
            if (value !== null) return;
            const other = alternativeFilling(published, truth, [i, j], bound);
            expect(other).toBeDefined();
            expect(other![i][j]).not.toBe(truth[i][j]);
          }),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('(d) publishes totals equal to the true sums, and every published cell as counted', () => {
    fc.assert(
      fc.property(randomTable(6, 6, smallCount), k, (counts, k) => {
        const t = protectTable(table(counts), k);
        const truth = truthGrid(counts, counts[0].length);
        grid(t).forEach((row, i) => row.forEach((c, j) => c.value !== null && expect(c.value).toBe(truth[i][j])));
      }),
    );
  });

  it('hides exactly the small counts as primary, and never hides a zero', () => {
    fc.assert(
      fc.property(randomTable(6, 6, smallCount), k, (counts, k) => {
        const t = protectTable(table(counts), k);
        const truth = truthGrid(counts, counts[0].length);
        grid(t).forEach((row, i) =>
          row.forEach((c, j) => {
            const v = truth[i][j];
            expect(c.status === 'primary').toBe(v > 0 && v < k);
            if (v === 0) expect(c).toEqual({ value: 0, status: 'published' });
          }),
        );
      }),
    );
  });

  it('hides no total while an inner complement is available for a lone small cell', () => {
    fc.assert(
      fc.property(randomTable(5, 5, fc.integer({ min: 5, max: 40 })), fc.nat(), fc.nat(), (counts, a, b) => {
        counts[a % counts.length][b % counts[0].length] = 1;
        if (counts.length < 2 || counts[0].length < 2) return;
        const t = protectTable(table(counts));
        expect([...t.rowTotals, ...t.columnTotals, t.grandTotal].every((c) => c.status === 'published')).toBe(true);
        expect(t.cells.flat().filter((c) => c.value === null).length).toBeGreaterThanOrEqual(4);
      }),
    );
  });
});

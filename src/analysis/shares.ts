import { CellStatus, ProtectedCell, ProtectedTable } from '../privacy/disclosure';
import { BASELINE } from './groups';
import { IndependenceTest, independenceTest } from './independence';
import { newcombe, wilson } from './intervals';

/**
 * The numbers an analyst sees, made only from protected cells: a proportion, gap or mean is
 * published only when every count it is computed from is (src/privacy/disclosure.ts).
 */

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

export function count(c: ProtectedCell): Count {
  return c.value;
}

export function withheld(reason: Withheld['reason']): Withheld {
  return { suppressed: true, reason };
}

export function published(x: number, n: number): PublishedProportion {
  const ci = wilson(x, n);
  return { x, n, p: x / n, ci95: [ci.low, ci.high] };
}

/** A share from a protected cell and its protected total: published only if both are. */
export function proportion(cell: ProtectedCell, total: ProtectedCell): Proportion {
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
export function gapsAgainstBaseline(groups: string[], table: ProtectedTable, success: number[]): { group: string; gap: Gap }[] {
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
export function testOf(table: ProtectedTable, groups: string[], success: number[]): SharesTest | null {
  const shares = groups.map((_, i) => successOf(table, i, success)).filter((s): s is { x: number; n: number } => s !== null);
  const test = independenceTest(shares.map((s) => [s.x, s.n - s.x]));
  return test ? { ...test, groups: shares.length } : null;
}

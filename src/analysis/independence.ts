import { chisquareCdf } from './distributions';
import { seededRandom } from '../seededRandom';

/**
 * A test of independence for a table of counts (groups × outcomes): is the outcome distributed
 * the same way in every group?
 *
 * Pearson's chi-square test when the table is large enough for its approximation, by Cochran's
 * rule (Cochran 1954; Agresti 2002, §3.5): no expected count below 1 and at most a fifth of them
 * below 5. Otherwise Fisher's exact test: exactly for a 2×2 table (the
 * two-sided p-value summing every table at most as probable as the one observed, as R's
 * fisher.test), and for larger tables the Fisher–Freeman–Halton test with a Monte Carlo p-value
 * (Hope 1968; R's fisher.test(simulate.p.value = TRUE)), from a seeded generator so that the same
 * data always give the same p-value.
 */
export interface IndependenceTest {
  method: 'chi-square' | 'fisher-exact' | 'fisher-monte-carlo';
  /** Pearson's X² (chi-square only). */
  statistic?: number;
  df?: number;
  p: number;
  /** Monte Carlo replicates (fisher-monte-carlo only). */
  replicates?: number;
}

/** Monte Carlo replicates, R's default: the p-value's standard error is at most 0.5/√B ≈ 0.011. */
export const MONTE_CARLO_REPLICATES = 2000;

/**
 * Tests independence in `counts[row][column]`. Rows or columns that are all zero are dropped
 * (they carry no information); undefined when fewer than two rows or columns remain.
 */
export function independenceTest(counts: readonly (readonly number[])[], options: { replicates?: number; seed?: number } = {}): IndependenceTest | undefined {
  let table = counts.filter((row) => row.some((v) => v > 0)).map((row) => [...row]);
  if (table.length < 2) return undefined;
  const keep = table[0].map((_, j) => table.some((row) => row[j] > 0));
  table = table.map((row) => row.filter((_, j) => keep[j]));
  if (table[0].length < 2) return undefined;
  const rows = table.map((r) => r.reduce((s, v) => s + v, 0));
  const cols = table[0].map((_, j) => table.reduce((s, r) => s + r[j], 0));
  const n = rows.reduce((s, v) => s + v, 0);
  const expected = rows.flatMap((r) => cols.map((c) => (r * c) / n));
  const cochran = expected.every((e) => e >= 1) && expected.filter((e) => e < 5).length <= expected.length / 5;
  if (cochran && !(table.length === 2 && table[0].length === 2 && expected.some((e) => e < 5))) return chiSquare(table, rows, cols, n);
  if (table.length === 2 && table[0].length === 2) return { method: 'fisher-exact', p: fisher2x2(table[0][0], table[0][1], table[1][0], table[1][1]) };
  return fisherMonteCarlo(table, rows, cols, options.replicates ?? MONTE_CARLO_REPLICATES, options.seed ?? 20261201);
}

/** Pearson's chi-square test (no continuity correction). */
export function chiSquare(table: number[][], rows: number[], cols: number[], n: number): IndependenceTest {
  let x2 = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < cols.length; j++) {
      const e = (rows[i] * cols[j]) / n;
      x2 += (table[i][j] - e) ** 2 / e;
    }
  }
  const df = (rows.length - 1) * (cols.length - 1);
  return { method: 'chi-square', statistic: x2, df, p: 1 - chisquareCdf(x2, df) };
}

/** log n! for the table sizes of a survey, from a table grown on demand. */
const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push(logFactorials[i - 1] + Math.log(i));
  return logFactorials[n];
}

/**
 * Two-sided Fisher exact p-value of [[a, b], [c, d]]: the sum of the hypergeometric
 * probabilities of every table with the same margins that is at most as probable as this one
 * (with R's relative tolerance of 1e-7, so that ties in floating point count as ties).
 */
export function fisher2x2(a: number, b: number, c: number, d: number): number {
  const r1 = a + b;
  const r2 = c + d;
  const c1 = a + c;
  const n = r1 + r2;
  const logP = (x: number) =>
    logFactorial(r1) +
    logFactorial(r2) +
    logFactorial(c1) +
    logFactorial(n - c1) -
    logFactorial(n) -
    logFactorial(x) -
    logFactorial(r1 - x) -
    logFactorial(c1 - x) -
    logFactorial(r2 - c1 + x);
  const observed = logP(a);
  let p = 0;
  for (let x = Math.max(0, c1 - r2); x <= Math.min(r1, c1); x++) {
    const lp = logP(x);
    if (lp <= observed + 1e-7 * Math.abs(observed) + 1e-12) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

/** log of the probability of a table given its margins (multivariate hypergeometric). */
function logTableProbability(table: number[][], rows: number[], cols: number[], n: number): number {
  let lp = -logFactorial(n);
  for (const r of rows) lp += logFactorial(r);
  for (const c of cols) lp += logFactorial(c);
  for (const row of table) for (const v of row) lp -= logFactorial(v);
  return lp;
}

/**
 * Fisher–Freeman–Halton with a Monte Carlo p-value: random tables with the observed margins, and
 * the p-value (1 + #{at most as probable}) / (1 + B), as R computes it. Tables are drawn cell by
 * cell, each from its hypergeometric distribution given what the earlier cells left (the
 * sequential method behind Patefield 1981), so a replicate costs about the size of the table,
 * not the number of respondents: a survey of a hundred thousand is tested as fast as one of a
 * hundred.
 */
function fisherMonteCarlo(table: number[][], rows: number[], cols: number[], replicates: number, seed: number): IndependenceTest {
  const n = rows.reduce((s, v) => s + v, 0);
  const observed = logTableProbability(table, rows, cols, n);
  const random = seededRandom(seed);
  const R = rows.length;
  const C = cols.length;
  const left = new Array<number>(C);
  let asExtreme = 0;
  for (let b = 0; b < replicates; b++) {
    for (let j = 0; j < C; j++) left[j] = cols[j];
    let remaining = n;
    let logP = logTableProbability([], rows, cols, n);
    for (let i = 0; i < R; i++) {
      let rowLeft = rows[i];
      let pool = remaining;
      for (let j = 0; j < C; j++) {
        // Draw this row's count in column j from the people not yet placed.
        const x = j === C - 1 ? rowLeft : hypergeometric(pool, left[j], rowLeft, random);
        pool -= left[j];
        left[j] -= x;
        rowLeft -= x;
        logP -= logFactorial(x);
      }
      remaining -= rows[i];
    }
    if (logP <= observed + 1e-7 * Math.abs(observed)) asExtreme++;
  }
  return { method: 'fisher-monte-carlo', p: (1 + asExtreme) / (1 + replicates), replicates };
}

/**
 * One draw from the hypergeometric distribution (population N, K marked, n drawn) by inversion,
 * searching outward from the mode: the expected number of steps is of the order of the standard
 * deviation.
 */
function hypergeometric(N: number, K: number, n: number, random: () => number): number {
  const lo = Math.max(0, n - (N - K));
  const hi = Math.min(n, K);
  if (lo === hi) return lo;
  const mode = Math.min(hi, Math.max(lo, Math.floor(((n + 1) * (K + 1)) / (N + 2))));
  const pMode = Math.exp(
    logFactorial(K) -
      logFactorial(mode) -
      logFactorial(K - mode) +
      logFactorial(N - K) -
      logFactorial(n - mode) -
      logFactorial(N - K - n + mode) -
      (logFactorial(N) - logFactorial(n) - logFactorial(N - n)),
  );
  let u = random() - pMode;
  if (u <= 0) return mode;
  let down = mode;
  let up = mode;
  let pDown = pMode;
  let pUp = pMode;
  for (;;) {
    if (up < hi) {
      // p(x + 1) / p(x) = (K − x)(n − x) / ((x + 1)(N − K − n + x + 1))
      pUp *= ((K - up) * (n - up)) / ((up + 1) * (N - K - n + up + 1));
      up++;
      u -= pUp;
      if (u <= 0) return up;
    }
    if (down > lo) {
      pDown *= (down * (N - K - n + down)) / ((K - down + 1) * (n - down + 1));
      down--;
      u -= pDown;
      if (u <= 0) return down;
    }
    // Floating-point dust at the tails: stop at the edge of the support.
    if (up >= hi && down <= lo) return mode;
  }
}

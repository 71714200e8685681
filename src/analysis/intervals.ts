import { tQuantile } from './distributions';

/**
 * Confidence intervals for the barrier analysis, as published:
 * - a single proportion: Wilson's score interval (Wilson 1927), method 3 of Newcombe (1998a),
 *   "Two-sided confidence intervals for the single proportion: comparison of seven methods",
 *   Statistics in Medicine 17:857–872;
 * - a difference of two independent proportions: Newcombe's hybrid score interval, method 10 of
 *   Newcombe (1998b), "Interval estimation for the difference between independent proportions:
 *   comparison of eleven methods", Statistics in Medicine 17:873–890.
 * Both stay inside their range and keep their coverage for the small groups and extreme rates
 * that comparisons between language groups produce, where the textbook Wald interval does not
 * (Brown, Cai & DasGupta 2001). tests/analysis/intervals.test.ts checks them against the worked
 * examples in both papers.
 */

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson's score interval for x successes out of n.
 *
 * @throws RangeError unless 0 ≤ x ≤ n are integers and n > 0
 */
export function wilson(x: number, n: number, z = Z95): Interval {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`wilson: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(x) || x < 0 || x > n) throw new RangeError(`wilson: x must be an integer between 0 and n = ${n}, got ${x}`);
  const p = x / n;
  const z2 = z * z;
  const centre = 2 * n * p + z2;
  const half = z * Math.sqrt(z2 + 4 * n * p * (1 - p));
  const denominator = 2 * (n + z2);
  // Exactly 0 and 1 at the ends; clamp away floating-point dust elsewhere.
  return { low: x === 0 ? 0 : Math.max(0, (centre - half) / denominator), high: x === n ? 1 : Math.min(1, (centre + half) / denominator) };
}

/**
 * Newcombe's hybrid score interval for p1 − p2 (method 10): the Wilson limits of each proportion
 * combined as δ = √((p1 − l1)² + (u2 − p2)²) below and ε = √((u1 − p1)² + (p2 − l2)²) above.
 */
export function newcombe(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval & { diff: number } {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const a = wilson(x1, n1, z);
  const b = wilson(x2, n2, z);
  const diff = p1 - p2;
  return {
    diff,
    low: diff - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: diff + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}

/** The mean of `values` with its t-based 95 % interval; undefined below two values. */
export function meanInterval(sum: number, sumOfSquares: number, n: number, level = 0.95): (Interval & { mean: number; sd: number }) | undefined {
  if (n < 2) return undefined;
  const mean = sum / n;
  const variance = Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
  const sd = Math.sqrt(variance);
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { mean, sd, low: mean - half, high: mean + half };
}

import type ChisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import type TQuantile from '@stdlib/stats-base-dists-t-quantile';

/*
 * The two distributions the analysis needs, loaded at its first use rather than with the bot:
 * @stdlib's packages are over a hundred small modules, 0.1 s of every start of the bot (measured
 * 2026-12-02), and respondents' turns never need them.
 */

let chisquare: typeof ChisquareCdf | undefined;
let t: typeof TQuantile | undefined;

/** P(X ≤ x) for X chi-square distributed with `df` degrees of freedom. */
export function chisquareCdf(x: number, df: number): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, not at start-up (README, Measured)
  chisquare ??= require('@stdlib/stats-base-dists-chisquare-cdf') as typeof ChisquareCdf;
  return chisquare(x, df);
}

/** The `p` quantile of Student's t distribution with `df` degrees of freedom. */
export function tQuantile(p: number, df: number): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, not at start-up (README, Measured)
  t ??= require('@stdlib/stats-base-dists-t-quantile') as typeof TQuantile;
  return t(p, df);
}

import { chiSquare, fisher2x2, independenceTest } from '../../src/analysis/independence';

describe('tests of independence, against published examples', () => {
  it("gives Fisher's tea-tasting p-value, 0.4857 (Fisher 1935; Agresti 2002, §3.5.2)", () => {
    expect(fisher2x2(3, 1, 1, 3)).toBeCloseTo(0.4857, 4);
    expect(
      independenceTest([
        [3, 1],
        [1, 3],
      ]),
    ).toEqual({ method: 'fisher-exact', p: expect.closeTo(0.4857, 4) });
  });

  it('gives the two-sided p of an extreme 2×2 table', () => {
    // 10/10 against 0/10: p = 2 / C(20, 10) = 1.0825e-5.
    expect(fisher2x2(10, 0, 0, 10)).toBeCloseTo(2 / 184756, 10);
  });

  it('gives X² = 30.07 (df 2) for party identification by gender (Agresti 2002, Table 2.5)', () => {
    const t = independenceTest([
      [762, 327, 468],
      [484, 239, 477],
    ])!;
    expect(t.method).toBe('chi-square');
    expect(t.statistic).toBeCloseTo(30.07, 2);
    expect(t.df).toBe(2);
    expect(t.p).toBeCloseTo(2.954e-7, 9);
  });

  it("gives about R's exact 0.7827 for the job-satisfaction table (Agresti 2002, Table 3.9) by Monte Carlo", () => {
    const t = independenceTest([
      [1, 3, 10, 6],
      [2, 3, 10, 7],
      [1, 6, 14, 12],
      [0, 1, 9, 11],
    ])!;
    expect(t.method).toBe('fisher-monte-carlo');
    expect(Math.abs(t.p - 0.7827)).toBeLessThan(0.03); // about three standard errors of B = 2000
    // Seeded: the same table always gives the same p-value.
    expect(
      independenceTest([
        [1, 3, 10, 6],
        [2, 3, 10, 7],
        [1, 6, 14, 12],
        [0, 1, 9, 11],
      ])!.p,
    ).toBe(t.p);
  });

  it('uses chi-square only when every expected count is at least 5', () => {
    expect(
      independenceTest([
        [50, 50],
        [50, 50],
      ])!.method,
    ).toBe('chi-square');
    expect(
      independenceTest([
        [50, 4],
        [50, 6],
      ])!.method,
    ).toBe('fisher-exact');
  });

  it('drops empty rows and columns and gives up below two of each', () => {
    expect(
      independenceTest([
        [5, 0, 5],
        [0, 0, 0],
        [5, 0, 5],
      ]),
    ).toEqual(
      independenceTest([
        [5, 5],
        [5, 5],
      ]),
    );
    expect(independenceTest([[5, 5]])).toBeUndefined();
    expect(
      independenceTest([
        [5, 0],
        [7, 0],
      ]),
    ).toBeUndefined();
  });

  it('computes Pearson X² without continuity correction', () => {
    const t = chiSquare(
      [
        [10, 20],
        [30, 40],
      ],
      [30, 70],
      [40, 60],
      100,
    );
    // Expected 12, 18, 28, 42: X² = 4/12 + 4/18 + 4/28 + 4/42.
    expect(t.statistic).toBeCloseTo(4 / 12 + 4 / 18 + 4 / 28 + 4 / 42, 12);
  });
});

describe('Fisher–Freeman–Halton by Monte Carlo', () => {
  /** The exact p-value by enumerating every 2×3 table with the same margins. */
  function exact2x3(t: number[][]): number {
    const rows = t.map((r) => r.reduce((s, v) => s + v, 0));
    const cols = [0, 1, 2].map((j) => t[0][j] + t[1][j]);
    const f = (n: number): number => (n <= 1 ? 1 : n * f(n - 1));
    const prob = (a: number[]) => {
      const b = a.map((v, j) => cols[j] - v);
      return (f(rows[0]) * f(rows[1]) * cols.reduce((p, c) => p * f(c), 1)) / (f(rows[0] + rows[1]) * [...a, ...b].reduce((p, v) => p * f(v), 1));
    };
    const observed = prob(t[0]);
    let p = 0;
    for (let a = 0; a <= cols[0]; a++)
      for (let b = 0; b <= cols[1]; b++) {
        const c = rows[0] - a - b;
        if (c < 0 || c > cols[2] || cols[0] - a + cols[1] - b + cols[2] - c !== rows[1]) continue;
        const q = prob([a, b, c]);
        if (q <= observed * (1 + 1e-7)) p += q;
      }
    return p;
  }

  it.each([
    [
      [
        [3, 1, 0],
        [0, 2, 4],
      ],
    ],
    [
      [
        [5, 2, 1],
        [1, 3, 6],
      ],
    ],
    [
      [
        [2, 2, 2],
        [1, 3, 2],
      ],
    ],
  ])('agrees with exact enumeration for %j', (t) => {
    const mc = independenceTest(t)!;
    expect(mc.method).toBe('fisher-monte-carlo');
    expect(Math.abs(mc.p - exact2x3(t))).toBeLessThan(0.035);
  });
});

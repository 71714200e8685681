import fc from 'fast-check';
import { meanInterval, newcombe, wilson } from '../../src/analysis/intervals';

/** Four decimals, as the papers print them. */
const four = (i: { low: number; high: number }) => [Number(i.low.toFixed(4)), Number(i.high.toFixed(4))];

describe('Wilson score interval (Newcombe 1998a, Table I, method 3)', () => {
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i gives %f to %f', (x, n, low, high) => {
    expect(four(wilson(x, n))).toEqual([low, high]);
  });

  it('stays inside [0, 1], contains p, and mirrors when the outcomes are swapped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([x, n]) => {
          const r = wilson(x, n);
          expect(r.low).toBeGreaterThanOrEqual(0);
          expect(r.high).toBeLessThanOrEqual(1);
          expect(r.low).toBeLessThanOrEqual(x / n);
          expect(x / n).toBeLessThanOrEqual(r.high);
          const m = wilson(n - x, n);
          expect(m.low).toBeCloseTo(1 - r.high, 10);
          expect(m.high).toBeCloseTo(1 - r.low, 10);
        },
      ),
    );
  });

  it.each([
    [6, 5],
    [-1, 5],
    [1, 0],
    [1, 2.5],
  ])('refuses %p of %p', (x, n) => {
    expect(() => wilson(x, n)).toThrow(RangeError);
  });
});

describe("Newcombe's hybrid score interval for a difference (Newcombe 1998b, Table II, method 10)", () => {
  it.each([
    ['(a)', 56, 70, 48, 80, 0.0524, 0.3339],
    ['(b)', 9, 10, 3, 10, 0.1705, 0.809],
    ['(c)', 6, 7, 2, 7, 0.0582, 0.8062],
    ['(d)', 5, 56, 0, 29, -0.0381, 0.1926],
    ['(e)', 0, 10, 0, 20, -0.1611, 0.2775],
    ['(f)', 10, 10, 0, 20, 0.6791, 1.0],
  ])('example %s: %i/%i − %i/%i gives %f to %f', (_name, x1, n1, x2, n2, low, high) => {
    const g = newcombe(x1, n1, x2, n2);
    expect(four(g)).toEqual([low, high]);
    expect(g.diff).toBeCloseTo(x1 / n1 - x2 / n2, 12);
  });

  it('contains the difference and stays inside [−1, 1]', () => {
    const side = fc.integer({ min: 1, max: 500 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
    fc.assert(
      fc.property(side, side, ([x1, n1], [x2, n2]) => {
        const g = newcombe(x1, n1, x2, n2);
        expect(g.low).toBeGreaterThanOrEqual(-1 - 1e-12);
        expect(g.high).toBeLessThanOrEqual(1 + 1e-12);
        expect(g.low).toBeLessThanOrEqual(g.diff + 1e-12);
        expect(g.diff).toBeLessThanOrEqual(g.high + 1e-12);
      }),
    );
  });
});

describe('mean with a t interval', () => {
  it('matches a textbook example: 1..5 has mean 3 and 95% interval 3 ± 2.776 × √2.5/√5', () => {
    const values = [1, 2, 3, 4, 5];
    const m = meanInterval(
      values.reduce((s, v) => s + v, 0),
      values.reduce((s, v) => s + v * v, 0),
      values.length,
    )!;
    expect(m.mean).toBe(3);
    expect(m.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(m.high - m.mean).toBeCloseTo(2.7764451 * Math.sqrt(2.5 / 5), 5);
  });

  it('gives nothing for fewer than two values', () => {
    expect(meanInterval(3, 9, 1)).toBeUndefined();
  });
});

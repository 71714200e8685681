/**
 * Protection of filtered record-level exports against differencing. Each export is k-anonymous on
 * its own, but a filter is a quasi-identifier that disclosure control never generalises: an
 * export filtered to one language and one week says exactly who those rows are, and two exports
 * whose selections differ by two responses give those two responses away (their rows are the ones
 * in the first file and not in the second). So a filtered selection must hold 0 or at least k
 * responses, and so must its difference to every request the API would answer that contains it.
 *
 * Which requests those are: the same request with any subset of its filters dropped, and, for a
 * week range, the same request on every prefix and suffix of the range. Every pair of nested
 * requests the API answers then differs by 0 or at least k responses, because such a difference
 * is a sum of differences checked here (R1 ⊇ R2: R1 − R2 = [R1 − R1 on R2's weeks] + [R1's
 * filters on R2's weeks − R2], the first a prefix and a suffix of R1's range, the second R2 with
 * filters dropped), and a sum of counts that are each 0 or at least k is 0 or at least k.
 * Selections that do not nest (two languages, two disjoint week ranges) have nothing to subtract.
 */

/** How many responses share one combination of the fields an export can be filtered by. */
export interface SelectionCell {
  surveyVersion: number;
  status: string;
  language: string;
  channel: string;
  /** ISO week, "2026-W05"; zero-padded, so text order is time order. */
  period: string;
  count: number;
}

/** An export's selection: each field given is a filter; periods are ISO weeks, inclusive. */
export interface SelectionFilter {
  surveyVersion?: number;
  status?: string;
  language?: string;
  channel?: string;
  fromPeriod?: string;
  toPeriod?: string;
}

/** The filter names as the API spells them, for refusals that say what to widen. */
export type FilterName = 'version' | 'status' | 'language' | 'channel' | 'from' | 'to';

/**
 * Why a selection is refused. The counts themselves are never part of it: a refusal must not
 * tell how small the group is.
 */
export type SelectionProblem =
  /** 0 < selected < k. */
  | { kind: 'too_few' }
  /** A wider request (these filters dropped) holds 1 to k − 1 responses more. */
  | { kind: 'too_few_apart'; dropped: FilterName[] }
  /** A prefix or suffix of the week range holds all but 1 to k − 1 of the responses. */
  | { kind: 'too_few_in_part_of_range' };

const FIELDS = [
  ['surveyVersion', 'version'],
  ['status', 'status'],
  ['language', 'language'],
  ['channel', 'channel'],
] as const;

type Field = (typeof FIELDS)[number][0];

/**
 * Whether the API may answer an export with this selection, given how many responses each
 * combination of the filterable fields has (the whole survey, every status and version).
 * Undefined when it may; otherwise why not.
 *
 * @param k the smallest group the API publishes (ANALYST_MIN_K), never from the request
 */
export function selectionProblem(cells: readonly SelectionCell[], filter: SelectionFilter, k: number): SelectionProblem | undefined {
  const small = (n: number) => n > 0 && n < k;
  const given = FIELDS.filter(([f]) => filter[f] !== undefined);
  const count = (kept: readonly (readonly [Field, FilterName])[], from: string | undefined, to: string | undefined) => {
    let n = 0;
    for (const c of cells) {
      if (from !== undefined && c.period < from) continue;
      if (to !== undefined && c.period > to) continue;
      if (kept.every(([f]) => c[f] === filter[f])) n += c.count;
    }
    return n;
  };
  const { fromPeriod: from, toPeriod: to } = filter;
  const selected = count(given, from, to);
  if (small(selected)) return { kind: 'too_few' };

  const ranges: { from?: string; to?: string; dropped: FilterName[] }[] = [{ from, to, dropped: [] }];
  if (from !== undefined) ranges.push({ to, dropped: ['from'] });
  if (to !== undefined) ranges.push({ from, dropped: ['to'] });
  if (from !== undefined && to !== undefined) ranges.push({ dropped: ['from', 'to'] });
  for (let mask = 0; mask < 1 << given.length; mask++) {
    const kept = given.filter((_, i) => mask & (1 << i));
    const droppedFields = given.filter((_, i) => !(mask & (1 << i))).map(([, name]) => name);
    for (const r of ranges) {
      if (droppedFields.length === 0 && r.dropped.length === 0) continue;
      if (small(count(kept, r.from, r.to) - selected)) return { kind: 'too_few_apart', dropped: [...droppedFields, ...r.dropped] };
    }
  }

  if (from !== undefined || to !== undefined) {
    // Prefixes and suffixes: cut between any two weeks that have responses in the selection.
    const weekly = new Map<string, number>();
    for (const c of cells) {
      if ((from !== undefined && c.period < from) || (to !== undefined && c.period > to)) continue;
      if (given.every(([f]) => c[f] === filter[f])) weekly.set(c.period, (weekly.get(c.period) ?? 0) + c.count);
    }
    const counts = [...weekly]
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, n]) => n);
    let before = 0;
    for (let i = 0; i < counts.length - 1; i++) {
      before += counts[i];
      if (small(before) || small(selected - before)) return { kind: 'too_few_in_part_of_range' };
    }
  }
  return undefined;
}

/** Counts responses by the filterable fields, from a scan that need not read any answers. */
export async function selectionCells(batches: AsyncIterable<readonly Pick<SelectionCell, Exclude<keyof SelectionCell, 'count'>>[]>): Promise<SelectionCell[]> {
  const cells = new Map<string, SelectionCell>();
  for await (const batch of batches) {
    for (const r of batch) {
      const key = JSON.stringify([r.surveyVersion, r.status, r.language, r.channel, r.period]);
      const cell = cells.get(key);
      if (cell) cell.count++;
      else cells.set(key, { surveyVersion: r.surveyVersion, status: r.status, language: r.language, channel: r.channel, period: r.period, count: 1 });
    }
  }
  return [...cells.values()];
}

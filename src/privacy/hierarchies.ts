import { GeneralisationStep, QuasiIdentifierSpec } from '../survey/definition';
import { countyOf } from './counties';
import { Hierarchy, QiValue, SUPPRESSED } from './kAnonymity';

/**
 * Builds the generalisation hierarchy a survey definition declares for a quasi-identifier. Each
 * step applies to the value the previous level gave; a value a step does not know stays as it
 * is; "not answered" stays itself until the attribute is suppressed, where everything is "*" (so
 * that even whether someone answered is hidden).
 *
 * @param values the stored values of this attribute, one per record (for `rare` steps)
 * @param k the minimum group size (a value held by fewer records is rare)
 */
export function hierarchyFor(spec: QuasiIdentifierSpec, values: readonly QiValue[], k: number): Hierarchy {
  const maps: ((v: string) => string)[] = [];
  // Counts of each value at the current level, which is all a step needs to see.
  let counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const step of spec.steps) {
    const map = memoised(stepFunction(step, counts, k));
    maps.push(map);
    const next = new Map<string, number>();
    for (const [v, n] of counts) next.set(map(v), (next.get(map(v)) ?? 0) + n);
    counts = next;
  }
  const levels = [spec.column, ...spec.steps.map((s) => s.name), 'suppressed'];
  return {
    levels,
    generalise(value, level) {
      if (level >= levels.length - 1) return SUPPRESSED;
      if (value === null) return null;
      let v = value;
      for (let i = 0; i < level; i++) v = maps[i](v);
      return v;
    },
  };
}

/** A step is a pure function of a value, and an export applies it to every record: remember each answer. */
function memoised(f: (v: string) => string): (v: string) => string {
  const seen = new Map<string, string>();
  return (v) => {
    let out = seen.get(v);
    if (out === undefined) seen.set(v, (out = f(v)));
    return out;
  };
}

function stepFunction(step: GeneralisationStep, counts: ReadonlyMap<string, number>, k: number): (v: string) => string {
  if ('groups' in step) {
    const to = new Map<string, string>();
    for (const [label, members] of Object.entries(step.groups)) for (const m of members) to.set(m, label);
    return (v) => to.get(v) ?? v;
  }
  if ('rare' in step) return (v) => ((counts.get(v) ?? 0) < k ? step.rare : v);
  switch (step.map) {
    case 'municipality_county':
      return (v) => countyOf(v);
    case 'week_quarter':
      return quarterOfWeek;
    case 'week_year':
      // The ISO week-numbering year: "2026-W01" and "2026-Q1" are both in 2026.
      return (v) => v.split('-')[0];
  }
}

/**
 * The calendar quarter of an ISO week ("2026-W14" → "2026-Q2"), decided by the week's Thursday,
 * the day that decides which year an ISO week belongs to.
 */
export function quarterOfWeek(week: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return week;
  const year = Number(m[1]);
  // 4 January is always in week 1; step to that week's Thursday, then forward.
  const jan4 = Date.UTC(year, 0, 4);
  const thursday1 = jan4 + (3 - ((new Date(jan4).getUTCDay() + 6) % 7)) * 86400000;
  const thursday = new Date(thursday1 + (Number(m[2]) - 1) * 7 * 86400000);
  return `${thursday.getUTCFullYear()}-Q${Math.floor(thursday.getUTCMonth() / 3) + 1}`;
}

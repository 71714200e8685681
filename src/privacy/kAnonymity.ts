import { countyOf } from './counties';
import { DEFAULT_K } from './disclosure';

/**
 * k-anonymity for record-level exports (Samarati & Sweeney 1998): every combination of
 * quasi-identifiers — answers that are harmless alone but, combined, can point to one person in a
 * small municipality — must be shared by at least k records. Reached by generalising attributes
 * along fixed hierarchies, most-distinct attribute first (Sweeney's Datafly heuristic), and by
 * suppressing the quasi-identifiers of the few records that still stand out. Rows are never
 * dropped: an analyst's totals must still add up to the number of respondents.
 */

export const QUASI_IDENTIFIERS = ['language', 'background', 'age_band', 'municipality', 'children'] as const;
export type QuasiIdentifier = (typeof QUASI_IDENTIFIERS)[number];

/** The value of a suppressed quasi-identifier. */
export const SUPPRESSED = '*';

/** Age bands of the housing-help survey, youngest first; merged pairwise in this order. */
export const AGE_BANDS = ['age_18_25', 'age_26_35', 'age_36_50', 'age_51_66', 'age_67'] as const;

type QiValue = string | null | undefined;

/** A record with (some of) the quasi-identifier fields; other fields pass through untouched. */
export type QuasiRecord = { [K in QuasiIdentifier]?: QiValue };

/** A record after anonymisation: quasi-identifiers may hold generalised labels or "*". */
export type Anonymised<T> = { [K in keyof T]: K extends QuasiIdentifier ? QiValue : T[K] };

export interface KAnonymityOptions {
  /** Minimum group size (default 5, as for published tables). */
  k?: number;
  /** Which fields to treat as quasi-identifiers (default all of {@link QUASI_IDENTIFIERS}). */
  quasiIdentifiers?: readonly QuasiIdentifier[];
  /**
   * Largest share of records whose quasi-identifiers may be suppressed instead of generalising
   * further (default 0.05). Without it one unusual respondent would force a whole attribute to be
   * coarsened for everyone; with it, generalisation stops once at most this share still stands out.
   */
  suppressionLimit?: number;
  /** Age band codes, youngest first (default {@link AGE_BANDS}). */
  ageBands?: readonly string[];
}

export interface GeneralisationStep {
  /** Name of the level before and after, e.g. "municipality" → "county". */
  from: string;
  to: string;
  /** Records whose value of this attribute changed in this step. */
  recordsAffected: number;
}

export interface AttributeReport {
  attribute: QuasiIdentifier;
  /** Hierarchy level the attribute ended at ("municipality", "county", "suppressed", …). */
  level: string;
  steps: GeneralisationStep[];
  /** Records whose value was set to "*" because their group stayed smaller than k. */
  suppressedRecords: number;
  /** Records whose exported value differs from the original, by any step. */
  recordsAffected: number;
}

export interface KAnonymityReport {
  k: number;
  records: number;
  /** Records whose quasi-identifiers were all suppressed. */
  suppressedRecords: number;
  /** Most records that could have been suppressed under `suppressionLimit`. */
  suppressionAllowed: number;
  /** Distinct quasi-identifier combinations left, and the size of the smallest one. */
  groups: number;
  smallestGroup: number;
  attributes: AttributeReport[];
}

/** One generalisation hierarchy: level 0 is the value as answered, the last level is "*". */
interface Hierarchy {
  levels: readonly string[];
  generalise(value: QiValue, level: number): QiValue;
}

const isMissing = (v: QiValue): v is null | undefined | '' => v === null || v === undefined || v === '';

// SSB's grouping "innvandrerbakgrunn": immigrants and Norwegian-born to immigrant parents together.
const IMMIGRANT_BACKGROUND: Record<string, string> = {
  born_norway: 'no_immigrant_background',
  born_abroad: 'immigrant_background',
  born_norway_immigrant_parents: 'immigrant_background',
};

function ageHierarchy(bands: readonly string[]): Hierarchy {
  const bounds = bands.map((b) => {
    const m = /^age_(\d+)(?:_(\d+|plus))?$/.exec(b);
    if (!m) throw new Error(`kAnonymity: age band "${b}" is not of the form age_18_25 or age_67; pass ageBands in that form`);
    return { lo: Number(m[1]), hi: m[2] === undefined || m[2] === 'plus' ? undefined : Number(m[2]) };
  });
  // Merge adjacent bands two at a time, then four, … while more than one band is left.
  const merges: number[] = [];
  for (let size = 2; Math.ceil(bands.length / size) > 1; size *= 2) merges.push(size);
  const label = (from: number, size: number) => {
    const group = bounds.slice(from, from + size);
    const hi = group[group.length - 1].hi;
    return hi === undefined ? `${group[0].lo}+` : `${group[0].lo}-${hi}`;
  };
  return {
    levels: ['age band', ...merges.map((s) => `${s} bands merged`), 'suppressed'],
    generalise(value, level) {
      if (level === 0) return value;
      if (level > merges.length) return SUPPRESSED;
      const index = bands.indexOf(value as string);
      if (index < 0) return value; // not a known band: kept until suppressed
      const size = merges[level - 1];
      return label(index - (index % size), size);
    },
  };
}

function hierarchies(records: readonly QuasiRecord[], k: number, ageBands: readonly string[]): Record<QuasiIdentifier, Hierarchy> {
  const languageCounts = new Map<QiValue, number>();
  for (const r of records) languageCounts.set(r.language, (languageCounts.get(r.language) ?? 0) + 1);
  const top = (levels: readonly string[], step: (v: QiValue, level: number) => QiValue): Hierarchy => ({
    levels,
    generalise: (v, level) => (level === 0 ? v : level === levels.length - 1 ? SUPPRESSED : step(v, level)),
  });
  return {
    language: top(['language', 'rare languages as "other"', 'suppressed'], (v) =>
      isMissing(v) || (languageCounts.get(v) ?? 0) >= k ? v : 'other',
    ),
    background: top(['background', 'immigrant background', 'suppressed'], (v) => (isMissing(v) ? v : (IMMIGRANT_BACKGROUND[v] ?? v))),
    age_band: ageHierarchy(ageBands),
    municipality: top(['municipality', 'county', 'country', 'suppressed'], (v, level) =>
      isMissing(v) ? v : level === 1 ? countyOf(v) : 'Norway',
    ),
    children: top(['children', 'suppressed'], (v) => v),
  };
}

// When two attributes have as many distinct values, the one given up first: the place of residence
// identifies most and matters least to the strategy's questions; background matters most (does
// help reach immigrants as it reaches everyone else?) and is generalised only when nothing else is left.
const SACRIFICE_ORDER: readonly QuasiIdentifier[] = ['municipality', 'age_band', 'children', 'language', 'background'];
const KEPT_LONGEST: QuasiIdentifier = 'background';

/**
 * Makes record-level data k-anonymous over the quasi-identifiers language, background, age_band,
 * municipality and children.
 *
 * Greedy, after Datafly: while more records sit in groups smaller than k than the suppression
 * limit allows, the attribute with the most distinct values is generalised one level
 * (municipality → county → "Norway" → "*"; age bands merged pairwise → "*"; rare languages →
 * "other" → "*"; children → "*"), with background generalised (to immigrant background or not,
 * then "*") only once every other attribute is exhausted. Records still in groups smaller than k
 * then get every quasi-identifier set to "*". Record order, record count and every other field are
 * kept; the input is not modified.
 *
 * @returns the anonymised records and a report of what was generalised or suppressed, per attribute
 */
export function kAnonymise<T extends QuasiRecord>(
  records: readonly T[],
  options: KAnonymityOptions = {},
): { records: Anonymised<T>[]; report: KAnonymityReport } {
  const k = options.k ?? DEFAULT_K;
  const qis = options.quasiIdentifiers ?? QUASI_IDENTIFIERS;
  const limitShare = options.suppressionLimit ?? 0.05;
  if (!Number.isInteger(k) || k < 1) throw new Error(`kAnonymise: k must be a positive integer, got ${k}`);
  if (!(limitShare >= 0 && limitShare <= 1)) throw new Error(`kAnonymise: suppressionLimit is a share between 0 and 1, got ${limitShare}`);
  const h = hierarchies(records, k, options.ageBands ?? AGE_BANDS);
  const n = records.length;
  const suppressionAllowed = Math.floor(limitShare * n);

  const level = Object.fromEntries(qis.map((q) => [q, 0])) as Record<QuasiIdentifier, number>;
  const current = records.map((r) => Object.fromEntries(qis.map((q) => [q, r[q]])) as QuasiRecord);
  const steps = Object.fromEntries(qis.map((q) => [q, [] as GeneralisationStep[]])) as Record<QuasiIdentifier, GeneralisationStep[]>;

  for (;;) {
    const outliers = smallGroupMembers(current, qis, k);
    if (outliers.length <= suppressionAllowed) break;
    const attribute = nextToGeneralise(current, qis, level, h);
    if (!attribute) break;
    const from = h[attribute].levels[level[attribute]];
    level[attribute]++;
    let affected = 0;
    records.forEach((r, i) => {
      const next = h[attribute].generalise(r[attribute], level[attribute]);
      if (next !== current[i][attribute]) affected++;
      current[i][attribute] = next;
    });
    steps[attribute].push({ from, to: h[attribute].levels[level[attribute]], recordsAffected: affected });
  }

  const suppressedPerAttribute = Object.fromEntries(qis.map((q) => [q, 0])) as Record<QuasiIdentifier, number>;
  const outliers = smallGroupMembers(current, qis, k);
  for (const i of outliers) {
    for (const q of qis) {
      if (current[i][q] !== SUPPRESSED) suppressedPerAttribute[q]++;
      current[i][q] = SUPPRESSED;
    }
  }

  const out = records.map((r, i) => ({ ...r, ...current[i] }) as Anonymised<T>);
  const sizes = [...groupSizes(current, qis).values()];
  return {
    records: out,
    report: {
      k,
      records: n,
      suppressedRecords: outliers.length,
      suppressionAllowed,
      groups: sizes.length,
      smallestGroup: sizes.length ? Math.min(...sizes) : 0,
      attributes: qis.map((q) => ({
        attribute: q,
        level: h[q].levels[level[q]],
        steps: steps[q],
        suppressedRecords: suppressedPerAttribute[q],
        recordsAffected: records.filter((r, i) => current[i][q] !== r[q]).length,
      })),
    },
  };
}

function groupKey(r: QuasiRecord, qis: readonly QuasiIdentifier[]): string {
  // JSON keeps null, undefined (as null) and strings apart from each other and from separators.
  return JSON.stringify(qis.map((q) => (r[q] === undefined ? null : r[q])));
}

function groupSizes(rows: readonly QuasiRecord[], qis: readonly QuasiIdentifier[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const r of rows) {
    const key = groupKey(r, qis);
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return sizes;
}

/** Indexes of the records whose quasi-identifier combination occurs fewer than k times. */
function smallGroupMembers(rows: readonly QuasiRecord[], qis: readonly QuasiIdentifier[], k: number): number[] {
  const sizes = groupSizes(rows, qis);
  return rows.flatMap((r, i) => ((sizes.get(groupKey(r, qis)) ?? 0) < k ? [i] : []));
}

/**
 * The attribute with the most distinct current values that can still be generalised. One with a
 * single value left is never chosen: coarsening it cannot merge any groups, only lose information.
 */
function nextToGeneralise(
  rows: readonly QuasiRecord[],
  qis: readonly QuasiIdentifier[],
  level: Record<QuasiIdentifier, number>,
  h: Record<QuasiIdentifier, Hierarchy>,
): QuasiIdentifier | undefined {
  const distinct = (q: QuasiIdentifier) => new Set(rows.map((r) => (r[q] === undefined ? null : r[q]))).size;
  const open = qis.filter((q) => level[q] < h[q].levels.length - 1 && distinct(q) > 1);
  const preferred = open.filter((q) => q !== KEPT_LONGEST);
  const candidates = preferred.length ? preferred : open;
  let best: QuasiIdentifier | undefined;
  let bestDistinct = -1;
  for (const q of SACRIFICE_ORDER) {
    if (!candidates.includes(q)) continue;
    const d = distinct(q);
    if (d > bestDistinct) {
      best = q;
      bestDistinct = d;
    }
  }
  return best;
}

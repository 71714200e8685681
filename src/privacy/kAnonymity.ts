import { DEFAULT_K } from './disclosure';

/**
 * k-anonymity for record-level exports (Samarati & Sweeney 1998): every combination of
 * quasi-identifiers — answers that are harmless alone but, combined, can point to one person in a
 * small municipality — must be shared by at least k records.
 *
 * Which attributes are quasi-identifiers, the hierarchy each climbs (age band → wider band → "*"),
 * and the order in which they give way come from the survey definition (`analysis`), not from
 * here: a survey knows that language and background are what its analysis is for and must give
 * way last. This module only climbs the hierarchies it is given:
 *
 * - While more records sit in groups smaller than k than the suppression limit allows, the
 *   earliest step in the declared order that reduces that number is taken (if none reduces it,
 *   the earliest step that can be taken is). The order is a list of steps, not of attributes, so
 *   a survey can say "language to 'other', then background to 'immigrant background', and only
 *   then suppress the language".
 * - An attribute whose presence depends on another (years in Norway is asked only of those born
 *   abroad) is masked in every record where the other's generalised value no longer decides that
 *   presence: otherwise an empty or filled cell would give the hidden value away.
 * - Records still in groups smaller than k are then withheld (record suppression, as in ARX),
 *   so that every combination that is published covers at least k records.
 */

/** A quasi-identifier value: a code, a generalised label, "*" (suppressed), or null (not answered). */
export type QiValue = string | null;

/** The value of a suppressed quasi-identifier. */
export const SUPPRESSED = '*';

/** One attribute's hierarchy: level 0 is the value as stored, the last level is "*". */
export interface Hierarchy {
  /** A name per level, e.g. ["age band", "wider age band", "suppressed"]. */
  levels: readonly string[];
  /** The value at `level`; must map every value to "*" at the last level. */
  generalise(value: QiValue, level: number): QiValue;
}

/**
 * `target` is asked only for some values of `source` (its skip condition reads `source`).
 * `shownFor(record, value)` tells whether the record would have been asked `target` had its
 * `source` answer been `value`.
 */
export interface Dependency {
  target: number;
  source: number;
  shownFor(record: number, value: QiValue): boolean;
}

export interface KAnonymityInput {
  /** Attribute names, in the order they give way. */
  names: readonly string[];
  hierarchies: readonly Hierarchy[];
  /** `columns[a][r]`: the value of attribute a in record r (column by column: one array per attribute, not one per record). */
  columns: readonly (readonly QiValue[])[];
  k?: number;
  /** Largest share of records that may be withheld instead of generalising further (default 0.05). */
  suppressionLimit?: number;
  dependencies?: readonly Dependency[];
  /**
   * The order in which steps are taken, as attribute indexes: the n-th occurrence of an attribute
   * is its n-th step (suppression being its last). Default: every step of the first attribute,
   * then of the second, and so on.
   */
  order?: readonly number[];
}

export interface GeneralisationStep {
  from: string;
  to: string;
  /** Records whose value of this attribute changed in this step. */
  recordsAffected: number;
}

export interface AttributeReport {
  attribute: string;
  /** The level the attribute ended at ("age band", "county", "suppressed", …). */
  level: string;
  steps: GeneralisationStep[];
  /** Published records whose value differs from the one stored, by any step or mask. */
  recordsAffected: number;
  /** Published records where it was masked because an attribute it depends on was generalised. */
  maskedRecords: number;
}

export interface KAnonymityReport {
  k: number;
  /** Records given. */
  records: number;
  /** Records withheld because their group stayed smaller than k. */
  withheldRecords: number;
  /** Most records that could be withheld under the suppression limit. */
  withholdingAllowed: number;
  /** Distinct combinations published, and the size of the smallest. */
  groups: number;
  smallestGroup: number;
  attributes: AttributeReport[];
}

export interface KAnonymityResult {
  /** The level each attribute ended at. */
  levels: number[];
  /** The generalised and masked value of attribute `a` in record `r` (withheld records included, for auditing). */
  value(r: number, a: number): QiValue;
  /** False for withheld records. */
  published: boolean[];
  /** For each attribute, the stored values behind each published generalised value. */
  preimages: Map<QiValue, Set<QiValue>>[];
  report: KAnonymityReport;
}

/**
 * Generalises and suppresses quasi-identifiers until every combination published covers at least
 * k records. The input is not modified.
 *
 * @throws Error when k is not a whole number of at least 1, the limit is not a share, or the
 *   columns are not one per attribute and all of the same length
 */
export function kAnonymise(input: KAnonymityInput): KAnonymityResult {
  const k = input.k ?? DEFAULT_K;
  const limit = input.suppressionLimit ?? 0.05;
  const A = input.names.length;
  if (!Number.isInteger(k) || k < 1) throw new Error(`kAnonymise: k must be a positive integer, got ${k}`);
  if (!(limit >= 0 && limit <= 1)) throw new Error(`kAnonymise: suppressionLimit is a share between 0 and 1, got ${limit}`);
  if (input.hierarchies.length !== A) throw new Error(`kAnonymise: ${A} names but ${input.hierarchies.length} hierarchies`);
  if (input.columns.length !== A) throw new Error(`kAnonymise: ${A} names but ${input.columns.length} columns`);
  const n = input.columns[0]?.length ?? 0;
  input.columns.forEach((c, a) => {
    if (c.length !== n) throw new Error(`kAnonymise: column ${input.names[a]} has ${c.length} values, expected ${n}`);
  });
  const space = new CodeSpace(input);
  const allowed = Math.floor(limit * n);
  const levels = new Array<number>(A).fill(0);
  const top = input.hierarchies.map((h) => h.levels.length - 1);
  const steps: GeneralisationStep[][] = input.names.map(() => []);

  const order = input.order ?? input.hierarchies.flatMap((h, a) => h.levels.slice(1).map(() => a));
  for (let a = 0; a < A; a++) {
    const declared = order.filter((x) => x === a).length;
    if (declared !== top[a]) throw new Error(`kAnonymise: the order names ${input.names[a]} ${declared} time(s), but it has ${top[a]} step(s)`);
  }
  let current = space.evaluate(levels, k);
  while (current.outliers > allowed) {
    // The steps that can be taken now: each attribute's next one, in the declared order.
    const seen = new Array<number>(A).fill(0);
    const open: number[] = [];
    for (const a of order) {
      seen[a]++;
      if (seen[a] === levels[a] + 1 && levels[a] < top[a] && space.distinct(a, levels[a]) > 1) open.push(a);
    }
    if (open.length === 0) break;
    let chosen = open[0];
    let next: Evaluation | undefined;
    for (const a of open) {
      const trial = space.evaluate(
        levels.map((l, b) => (b === a ? l + 1 : l)),
        k,
      );
      if (trial.outliers < current.outliers) {
        chosen = a;
        next = trial;
        break;
      }
    }
    const from = input.hierarchies[chosen].levels[levels[chosen]];
    const before = space.valuesAt(chosen, levels[chosen]);
    levels[chosen]++;
    const after = space.valuesAt(chosen, levels[chosen]);
    let affected = 0;
    for (let r = 0; r < n; r++) if (before[r] !== after[r]) affected++;
    steps[chosen].push({ from, to: input.hierarchies[chosen].levels[levels[chosen]], recordsAffected: affected });
    current = next ?? space.evaluate(levels, k);
  }

  const value = (r: number, a: number) => space.label(a, current.codes[a][r]);
  const published = Array.from(current.groupSize, (size) => size >= k);
  const preimages = input.names.map((_, a) => space.preimageOf(a, current.codes[a], published));
  const sizes = new Map<number, number>();
  current.keys.forEach((key, r) => published[r] && sizes.set(key, current.groupSize[r]));
  const groupSizes = [...sizes.values()];
  return {
    levels,
    value,
    published,
    preimages,
    report: {
      k,
      records: n,
      withheldRecords: published.filter((p) => !p).length,
      withholdingAllowed: allowed,
      groups: groupSizes.length,
      smallestGroup: groupSizes.length ? Math.min(...groupSizes) : 0,
      attributes: input.names.map((name, a) => {
        let affected = 0;
        let masked = 0;
        for (let r = 0; r < n; r++) {
          if (!published[r]) continue;
          if (value(r, a) !== input.columns[a][r]) affected++;
          if (current.masked[a][r]) masked++;
        }
        return { attribute: name, level: input.hierarchies[a].levels[levels[a]], steps: steps[a], recordsAffected: affected, maskedRecords: masked };
      }),
    },
  };
}

interface Evaluation {
  /** Per attribute, per record: the value code at the current levels, after masking. */
  codes: Int32Array[];
  masked: Uint8Array[];
  keys: Float64Array;
  groupSize: Int32Array;
  outliers: number;
}

/**
 * Values as small integers, so a group key is one number and a candidate step costs a pass over
 * the records rather than string building: exports of a hundred thousand responses try every
 * attribute's next step at every round.
 */
class CodeSpace {
  private readonly dict: Map<QiValue, number>[];
  private readonly labels: QiValue[][];
  /** original[a][r]: code of the stored value. */
  private readonly original: Int32Array[];
  /** Per attribute and level: stored-value code → generalised code. */
  private readonly tables: Int32Array[][] = [];
  private readonly n: number;

  constructor(private readonly input: KAnonymityInput) {
    this.n = input.columns[0]?.length ?? 0;
    const A = input.names.length;
    this.dict = Array.from({ length: A }, () => new Map());
    this.labels = Array.from({ length: A }, () => []);
    this.original = input.columns.map((column, a) => Int32Array.from(column, (v) => this.code(a, v)));
    for (let a = 0; a < A; a++) {
      const stored = [...this.labels[a]];
      const h = input.hierarchies[a];
      this.tables.push(h.levels.map((_, level) => Int32Array.from(stored, (v) => this.code(a, level === 0 ? v : h.generalise(v, level)))));
    }
    for (let a = 0; a < A; a++) this.code(a, SUPPRESSED);
  }

  private code(a: number, v: QiValue): number {
    let c = this.dict[a].get(v);
    if (c === undefined) {
      c = this.labels[a].length;
      this.dict[a].set(v, c);
      this.labels[a].push(v);
    }
    return c;
  }

  private readonly at = new Map<number, Int32Array>();

  /** Each attribute's codes at a level, computed once: every round tries the same few levels again. */
  valuesAt(a: number, level: number): Int32Array {
    const key = a * 1024 + level;
    let v = this.at.get(key);
    if (!v) {
      const table = this.tables[a][level];
      v = this.original[a].map((c) => table[c]);
      this.at.set(key, v);
    }
    return v;
  }

  distinct(a: number, level: number): number {
    return new Set(this.valuesAt(a, level)).size;
  }

  evaluate(levels: readonly number[], k: number): Evaluation {
    const A = levels.length;
    const codes = levels.map((l, a) => this.valuesAt(a, l));
    const masked = levels.map(() => new Uint8Array(this.n));
    for (const d of this.input.dependencies ?? []) {
      // Masking writes into the target's codes: work on a copy, never on the cached level.
      codes[d.target] = Int32Array.from(codes[d.target]);
      const star = this.dict[d.target].get(SUPPRESSED)!;
      const pre = this.preimage(d.source, levels[d.source]);
      for (let r = 0; r < this.n; r++) {
        const behind = pre.get(codes[d.source][r])!;
        if (behind.length < 2) continue;
        const first = d.shownFor(r, this.labels[d.source][behind[0]]);
        if (behind.some((c) => d.shownFor(r, this.labels[d.source][c]) !== first)) {
          codes[d.target][r] = star;
          masked[d.target][r] = 1;
        }
      }
    }
    // One number per combination (mixed radix); past 2^53 distinct combinations, a string.
    const radix = this.labels.reduce((p, l) => p * l.length, 1);
    const keys = new Float64Array(this.n);
    const strings = radix > Number.MAX_SAFE_INTEGER ? new Map<string, number>() : undefined;
    for (let r = 0; r < this.n; r++) {
      if (strings) {
        const s = codes.map((c) => c[r]).join(',');
        if (!strings.has(s)) strings.set(s, strings.size);
        keys[r] = strings.get(s)!;
        continue;
      }
      let key = 0;
      for (let a = 0; a < A; a++) key = key * this.labels[a].length + codes[a][r];
      keys[r] = key;
    }
    const counts = new Map<number, number>();
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    const groupSize = Int32Array.from(keys, (key) => counts.get(key)!);
    let outliers = 0;
    for (const s of groupSize) if (s < k) outliers++;
    return { codes, masked, keys, groupSize, outliers };
  }

  /** For the published records: each published value of attribute `a`, and the stored values behind it. */
  preimageOf(a: number, codes: Int32Array, published: readonly boolean[]): Map<QiValue, Set<QiValue>> {
    const width = this.labels[a].length;
    const seen = new Uint8Array(width * width);
    const original = this.original[a];
    for (let r = 0; r < this.n; r++) if (published[r]) seen[codes[r] * width + original[r]] = 1;
    const m = new Map<QiValue, Set<QiValue>>();
    for (let i = 0; i < seen.length; i++) {
      if (!seen[i]) continue;
      const g = this.labels[a][Math.floor(i / width)];
      if (!m.has(g)) m.set(g, new Set());
      m.get(g)!.add(this.labels[a][i % width]);
    }
    return m;
  }

  /** Generalised code → the stored-value codes (present in the data) behind it. */
  private preimage(a: number, level: number): Map<number, number[]> {
    const table = this.tables[a][level];
    const present = new Set(this.original[a]);
    const m = new Map<number, number[]>();
    for (const c of present) {
      const g = table[c];
      if (!m.has(g)) m.set(g, []);
      m.get(g)!.push(c);
    }
    return m;
  }

  label(a: number, code: number): QiValue {
    return this.labels[a][code];
  }
}

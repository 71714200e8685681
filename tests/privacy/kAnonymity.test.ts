import fc from 'fast-check';
import { countyOf } from '../../src/privacy/counties';
import { hierarchyFor, quarterOfWeek } from '../../src/privacy/hierarchies';
import { Dependency, kAnonymise, QiValue, SUPPRESSED } from '../../src/privacy/kAnonymity';
import { QuasiIdentifierSpec } from '../../src/survey/definition';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';

const survey = loadSurvey(DEFAULT_SURVEY_FILE);
const declared = survey.analysis!.quasiIdentifiers;
const names = declared.map((q) => q.column);

type Rec = Partial<Record<string, QiValue>>;
const base: Rec = {
  municipality: 'Oslo',
  period: '2026-W10',
  age_band: 'age_36_50',
  years_in_norway: null,
  children: 'no',
  channel: 'web',
  source: 'direct',
  language: 'nb',
  background: 'born_norway',
};
const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

/** The survey's own declared hierarchies over these records, as the export builds them. */
function run(
  records: Rec[],
  options: { k?: number; suppressionLimit?: number; qis?: QuasiIdentifierSpec[]; dependencies?: Dependency[]; order?: number[] } = {},
) {
  const qis = options.qis ?? declared;
  const k = options.k ?? 5;
  const columns = qis.map((q) => records.map((r) => ({ ...base, ...r })[q.column] ?? null));
  const result = kAnonymise({
    names: qis.map((q) => q.column),
    hierarchies: qis.map((q, a) => hierarchyFor(q, columns[a], k)),
    columns,
    k,
    suppressionLimit: options.suppressionLimit ?? 0,
    dependencies: options.dependencies,
    order: options.order,
  });
  const value = (r: number, column: string) =>
    result.value(
      r,
      qis.findIndex((q) => q.column === column),
    );
  const values = records.map((_, r) => qis.map((_q, a) => result.value(r, a)));
  const attribute = (column: string) => result.report.attributes.find((a) => a.attribute === column)!;
  return { ...result, values, value, attribute, column: (c: string) => records.map((_, r) => value(r, c)) };
}

describe('kAnonymise with the hierarchies the survey declares', () => {
  it('leaves data that is already k-anonymous as it is', () => {
    const r = run([...times(5, {}), ...times(5, { language: 'pl', background: 'born_abroad' })]);
    expect(r.values.map((v) => v.join())).toEqual(
      r.values.map((_, i) => names.map((n) => ({ ...base, ...(i < 5 ? {} : { language: 'pl', background: 'born_abroad' }) })[n] ?? '').join()),
    );
    expect(r.report).toMatchObject({ k: 5, records: 10, withheldRecords: 0, groups: 2, smallestGroup: 5 });
    expect(r.report.attributes.every((a) => a.steps.length === 0 && a.recordsAffected === 0)).toBe(true);
  });

  it('gives municipalities up to their county first, as the survey declares', () => {
    const r = run([
      ...times(3, { municipality: 'Bærum' }),
      ...times(2, { municipality: 'Asker' }),
      ...times(3, { municipality: 'Lillestrøm' }),
      ...times(2, { municipality: 'Lørenskog' }),
    ]);
    expect(r.column('municipality')).toEqual(times(10, 'Akershus'));
    expect(r.attribute('municipality')).toMatchObject({ level: 'county', steps: [{ from: 'municipality', to: 'county', recordsAffected: 10 }] });
    expect(r.column('language')).toEqual(times(10, 'nb'));
  });

  it('keeps language and background while earlier attributes can still give way, even when they hold more distinct values', () => {
    // Nine languages, two in groups of three: the old most-distinct-first rule coarsened language first.
    const langs = ['nb', 'pl', 'ar', 'so', 'ti', 'uk', 'fa', 'lt', 'ru'];
    const records = langs.flatMap((language, i) =>
      times(6, {
        language,
        background: language === 'nb' ? 'born_norway' : 'born_abroad',
        age_band: i % 2 ? 'age_18_25' : 'age_26_35',
        children: i % 3 ? 'yes' : 'no',
      }),
    );
    const r = run(records);
    expect(r.column('language')).toEqual(records.map((x) => x.language));
    expect(r.column('background')).toEqual(records.map((x) => x.background));
    expect(r.attribute('language').steps).toEqual([]);
  });

  it('merges age bands into the wider bands declared, then suppresses them', () => {
    const r = run([...times(3, { age_band: 'age_18_25' }), ...times(3, { age_band: 'age_26_35' }), ...times(5, { age_band: 'age_67' })]);
    expect(r.column('age_band')).toEqual([...times(6, 'age_18_35'), ...times(5, 'age_67')]);
    expect(r.attribute('age_band').level).toBe('wider age band');
  });

  it('folds rare languages into "other" before suppressing the language', () => {
    const records = [
      ...times(6, { language: 'nb' }),
      ...times(6, { language: 'pl' }),
      ...times(2, { language: 'ti' }),
      ...times(2, { language: 'so' }),
      { language: 'ar' },
    ];
    // Everything else is uniform, so language is the only attribute whose step can help.
    const r = run(records);
    expect(r.column('language')).toEqual([...times(6, 'nb'), ...times(6, 'pl'), ...times(5, 'other')]);
    expect(r.attribute('language').steps).toEqual([{ from: 'language', to: 'rare languages as other', recordsAffected: 5 }]);
  });

  it('generalises weeks to quarters and years', () => {
    expect(quarterOfWeek('2026-W01')).toBe('2026-Q1');
    expect(quarterOfWeek('2026-W13')).toBe('2026-Q1'); // Thursday 26 March
    expect(quarterOfWeek('2026-W14')).toBe('2026-Q2'); // Thursday 2 April
    expect(quarterOfWeek('2026-W53')).toBe('2026-Q4');
    const r = run([...times(3, { period: '2026-W02' }), ...times(3, { period: '2026-W05' }), ...times(5, { period: '2026-W20' })]);
    expect(r.column('period')).toEqual([...times(6, '2026-Q1'), ...times(5, '2026-Q2')]);
  });

  it('withholds a lone record instead of coarsening everyone, within the suppression limit', () => {
    const r = run([...times(40, {}), { language: 'ti', background: 'born_abroad', age_band: 'age_67', municipality: 'Alta', children: 'yes' }], {
      suppressionLimit: 0.05,
    });
    expect(r.published.filter((p) => !p)).toHaveLength(1);
    expect(r.published[40]).toBe(false);
    expect(r.report).toMatchObject({ withheldRecords: 1, withholdingAllowed: 2, groups: 1, smallestGroup: 40 });
    expect(r.report.attributes.every((a) => a.steps.length === 0)).toBe(true);
  });

  it('withholds everything when there are fewer than k records in all', () => {
    const r = run(times(3, {}), { suppressionLimit: 0.05 });
    expect(r.published).toEqual([false, false, false]);
    expect(r.report).toMatchObject({ withheldRecords: 3, groups: 0, smallestGroup: 0 });
  });

  it('masks an attribute asked only for some values of another, where the other no longer tells which', () => {
    // years_in_norway is asked only of those born abroad: once background is generalised to
    // "immigrant background" (born abroad or born here to immigrant parents), an empty or filled
    // years cell would tell which of the two a record is.
    const records: Rec[] = [
      ...times(3, { background: 'born_abroad', years_in_norway: '5-9' }),
      ...times(3, { background: 'born_norway_immigrant_parents', years_in_norway: null }),
      ...times(5, { background: 'born_norway' }),
    ];
    const yearsQi = names.indexOf('years_in_norway');
    const backgroundQi = names.indexOf('background');
    const dependencies: Dependency[] = [{ target: yearsQi, source: backgroundQi, shownFor: (_r, v) => v === 'born_abroad' }];
    const r = run(records, { dependencies });
    expect(r.column('background')).toEqual([...times(6, 'immigrant_background'), ...times(5, 'born_norway')]);
    expect(r.column('years_in_norway')).toEqual([...times(6, SUPPRESSED), ...times(5, null)]);
    expect(r.attribute('years_in_norway').maskedRecords).toBe(6);
  });

  it('takes steps in the order the survey declares: background to "immigrant background" before the language is suppressed', () => {
    const order = survey.analysis!.giveWay!.map((c) => names.indexOf(c));
    // Two rare languages fold into "other"; then pl, ar and so each have two respondents born
    // abroad and two born here to immigrant parents. Both suppressing the language and merging the
    // two backgrounds would make groups of at least four (k = 4); the survey prefers the second.
    const records = [
      ...times(2, { language: 'th', background: 'born_abroad' }),
      ...times(2, { language: 'ps', background: 'born_abroad' }),
      ...['pl', 'ar', 'so'].flatMap((language) => [
        ...times(2, { language, background: 'born_abroad' }),
        ...times(2, { language, background: 'born_norway_immigrant_parents' }),
      ]),
    ];
    const r = run(records, { k: 4, order });
    expect(r.column('language')).toEqual(records.map((x) => (x.language === 'th' || x.language === 'ps' ? 'other' : x.language)));
    expect(r.column('background')).toEqual(times(16, 'immigrant_background'));
    // The default order (every step of an attribute before the next attribute) suppresses the language instead.
    const plain = run(records, { k: 4 });
    expect(plain.column('language')).toEqual(times(16, SUPPRESSED));
  });

  it('refuses an order that does not name each step of each attribute once', () => {
    expect(() => run([{}], { order: [0] })).toThrow(/names (source|municipality) 1 time\(s\), but it has 2 step\(s\)|names period 0 time/);
  });

  it('does not modify its input', () => {
    const input = [times(8, 'x' as QiValue)];
    const copy = structuredClone(input);
    kAnonymise({ names: ['a'], hierarchies: [{ levels: ['a', 'suppressed'], generalise: (v, l) => (l ? SUPPRESSED : v) }], columns: input });
    expect(input).toEqual(copy);
  });

  it.each([
    [{ k: 0 }, /k must be a positive integer/],
    [{ suppressionLimit: 2 }, /suppressionLimit is a share between 0 and 1/],
  ])('rejects %p with a message that says what to fix', (options, message) => {
    expect(() => kAnonymise({ names: ['a'], hierarchies: [{ levels: ['a', 'suppressed'], generalise: (v) => v }], columns: [['x']], ...options })).toThrow(
      message,
    );
  });
});

describe('kAnonymise: properties over the declared hierarchies', () => {
  const municipalities = ['Oslo', 'Bergen', 'Bærum', 'Asker', 'Tromsø', 'Alta', 'Vadsø', 'Hamar', 'Skien', 'other', null];
  const record = fc.record({
    municipality: fc.constantFrom(...municipalities),
    period: fc.constantFrom('2026-W01', '2026-W02', '2026-W20', '2025-W50'),
    age_band: fc.constantFrom('age_18_25', 'age_26_35', 'age_36_50', 'age_51_66', 'age_67'),
    years_in_norway: fc.constantFrom('0-1', '2-4', '5-9', '10+', null),
    children: fc.constantFrom('yes', 'no', null),
    channel: fc.constantFrom('web', 'sms'),
    source: fc.constantFrom('web', 'sms', 'nav-office-poster', 'direct'),
    language: fc.constantFrom('nb', 'nb', 'nb', 'pl', 'pl', 'ar', 'so', 'ti', 'fa', 'uk', 'en'),
    background: fc.constantFrom('born_norway', 'born_abroad', 'born_norway_immigrant_parents'),
  });
  const dataset = fc.array(record, { maxLength: 150 });
  const options = fc.record({ k: fc.integer({ min: 3, max: 6 }), suppressionLimit: fc.constantFrom(0, 0.02, 0.05, 0.2) });

  it('publishes only combinations of at least k records, and withholds no more than the limit unless it must', () => {
    fc.assert(
      fc.property(dataset, options, (input, opts) => {
        const r = run(input, opts);
        const sizes = new Map<string, number>();
        r.values.forEach((v, i) => r.published[i] && sizes.set(JSON.stringify(v), (sizes.get(JSON.stringify(v)) ?? 0) + 1));
        for (const size of sizes.values()) expect(size).toBeGreaterThanOrEqual(opts.k);
        // When every attribute is suppressed and still fewer than k records exist, all are withheld.
        if (input.length >= opts.k) expect(r.report.withheldRecords).toBeLessThanOrEqual(Math.floor(opts.suppressionLimit * input.length));
        else expect(r.report.withheldRecords).toBe(input.length);
      }),
    );
  });

  it('only ever replaces a value by one of its declared generalisations', () => {
    fc.assert(
      fc.property(dataset, options, (input, opts) => {
        const r = run(input, opts);
        input.forEach((before, i) => {
          const m = before.municipality;
          expect([m, m === null ? null : countyOf(m), SUPPRESSED]).toContain(r.value(i, 'municipality'));
          expect([before.language, 'other', SUPPRESSED]).toContain(r.value(i, 'language'));
          expect([before.age_band, 'age_18_35', 'age_36_66', SUPPRESSED]).toContain(r.value(i, 'age_band'));
          expect([before.background, 'immigrant_background', SUPPRESSED]).toContain(r.value(i, 'background'));
          expect([before.children, SUPPRESSED]).toContain(r.value(i, 'children'));
          expect([before.source, 'other', SUPPRESSED]).toContain(r.value(i, 'source'));
          expect([before.period, quarterOfWeek(before.period), before.period.slice(0, 4), SUPPRESSED]).toContain(r.value(i, 'period'));
        });
      }),
    );
  });

  it('reports per attribute exactly the published records whose value changed', () => {
    fc.assert(
      fc.property(dataset, options, (input, opts) => {
        const r = run(input, opts);
        for (const a of r.report.attributes) {
          expect(a.recordsAffected).toBe(input.filter((rec, i) => r.published[i] && r.value(i, a.attribute) !== (rec as Rec)[a.attribute]).length);
        }
      }),
    );
  });
});

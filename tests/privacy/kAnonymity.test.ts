import fc from 'fast-check';
import { COUNTIES_2024, countyOf, MUNICIPALITIES_BY_COUNTY, UNKNOWN_COUNTY } from '../../src/privacy/counties';
import { AGE_BANDS, kAnonymise, QUASI_IDENTIFIERS, QuasiRecord, SUPPRESSED } from '../../src/privacy/kAnonymity';

interface Row extends QuasiRecord {
  id: number;
  answer: string;
}

const base = { language: 'nb', background: 'born_norway', age_band: 'age_36_50', municipality: 'Oslo', children: 'no' };
const rows = (specs: Partial<Row>[]): Row[] => specs.map((s, i) => ({ ...base, id: i, answer: `a${i}`, ...s }));
const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);
const attribute = (report: ReturnType<typeof kAnonymise>['report'], name: string) => report.attributes.find((a) => a.attribute === name)!;

describe('countyOf', () => {
  it('knows the 15 counties of 2024', () => {
    expect(COUNTIES_2024).toHaveLength(15);
    expect(new Set(COUNTIES_2024).size).toBe(15);
    expect(Object.keys(MUNICIPALITIES_BY_COUNTY).sort()).toEqual([...COUNTIES_2024].sort());
  });

  it('knows at least the 40 largest municipalities, each in the county it is listed under', () => {
    const all = Object.values(MUNICIPALITIES_BY_COUNTY).flat();
    expect(all.length).toBeGreaterThanOrEqual(40);
    for (const [county, names] of Object.entries(MUNICIPALITIES_BY_COUNTY)) {
      for (const name of names) expect([name, countyOf(name)]).toEqual([name, county]);
    }
  });

  it.each([
    ['Oslo', 'Oslo'],
    ['Bergen', 'Vestland'],
    ['Trondheim', 'Trøndelag'],
    ['Stavanger', 'Rogaland'],
    ['Bærum', 'Akershus'],
    ['Drammen', 'Buskerud'],
    ['Fredrikstad', 'Østfold'],
    ['Tønsberg', 'Vestfold'],
    ['Skien', 'Telemark'],
    ['Kristiansand', 'Agder'],
    ['Ålesund', 'Møre og Romsdal'],
    ['Hamar', 'Innlandet'],
    ['Bodø', 'Nordland'],
    ['Tromsø', 'Troms'],
    ['Alta', 'Finnmark'],
  ])('puts %s in %s', (municipality, county) => {
    expect(countyOf(municipality)).toBe(county);
  });

  it.each([
    ['upper case', 'TROMSØ', 'Troms'],
    ['lower case with a "kommune" suffix', 'bærum kommune', 'Akershus'],
    ['typed without Norwegian letters', 'Baerum', 'Akershus'],
    ['the old spelling with aa', 'Aalesund', 'Møre og Romsdal'],
    ['ø typed as o', 'Tromso', 'Troms'],
    ['a hyphenated name typed with a space', 'Sor Varanger', 'Finnmark'],
    ['surrounding spaces', '  Lillestrøm ', 'Akershus'],
    ['a Sámi name', 'Guovdageaidnu', 'Finnmark'],
    ['a former municipality merged in 2020', 'Ski', 'Akershus'],
  ])('reads a name in %s', (_how, municipality, county) => {
    expect(countyOf(municipality)).toBe(county);
  });

  it('answers "unknown" for an unknown or ambiguous name', () => {
    expect(countyOf('Atlantis')).toBe(UNKNOWN_COUNTY);
    expect(countyOf('')).toBe(UNKNOWN_COUNTY);
    expect(countyOf('Nes')).toBe(UNKNOWN_COUNTY); // in both Akershus and Buskerud
  });
});

describe('kAnonymise: examples', () => {
  it('leaves data that is already k-anonymous as it is', () => {
    const input = rows([...times(5, {}), ...times(5, { language: 'pl' })]);
    const { records, report } = kAnonymise(input);
    expect(records).toEqual(input);
    expect(report.attributes.every((a) => a.steps.length === 0 && a.recordsAffected === 0)).toBe(true);
    expect(report).toMatchObject({ k: 5, records: 10, suppressedRecords: 0, groups: 2, smallestGroup: 5 });
  });

  it('generalises municipalities to their county first, as the attribute with most distinct values', () => {
    const input = rows([
      ...times(3, { municipality: 'Bærum' }),
      ...times(2, { municipality: 'Asker' }),
      ...times(3, { municipality: 'Lillestrøm' }),
      ...times(2, { municipality: 'Lørenskog' }),
    ]);
    const { records, report } = kAnonymise(input);
    expect(records.map((r) => r.municipality)).toEqual(times(10, 'Akershus'));
    expect(attribute(report, 'municipality')).toEqual({
      attribute: 'municipality',
      level: 'county',
      steps: [{ from: 'municipality', to: 'county', recordsAffected: 10 }],
      suppressedRecords: 0,
      recordsAffected: 10,
    });
    expect(records.map((r) => r.language)).toEqual(times(10, 'nb'));
  });

  it('merges neighbouring age bands pairwise', () => {
    const input = rows([...times(3, { age_band: 'age_18_25' }), ...times(3, { age_band: 'age_26_35' }), ...times(5, { age_band: 'age_67' })]);
    const { records, report } = kAnonymise(input, { suppressionLimit: 0 });
    expect(records.map((r) => r.age_band)).toEqual([...times(6, '18-35'), ...times(5, '67+')]);
    expect(attribute(report, 'age_band').level).toBe('2 bands merged');
  });

  it('merges age bands four at a time, then suppresses them, when pairs are not enough', () => {
    const input = rows([...times(3, { age_band: 'age_26_35' }), ...times(3, { age_band: 'age_36_50' })]);
    const { records, report } = kAnonymise(input, { suppressionLimit: 0 });
    expect(records.map((r) => r.age_band)).toEqual(times(6, '18-66'));
    expect(attribute(report, 'age_band').steps.map((s) => s.to)).toEqual(['2 bands merged', '4 bands merged']);
    const { records: tiny } = kAnonymise(rows([...times(3, { age_band: 'age_51_66' }), ...times(3, { age_band: 'age_67' })]), { suppressionLimit: 0 });
    expect(tiny.map((r) => r.age_band)).toEqual(times(6, SUPPRESSED));
  });

  it('groups rare languages as "other" and keeps the common ones', () => {
    const input = rows([
      ...times(6, { language: 'nb' }),
      ...times(6, { language: 'pl' }),
      ...times(2, { language: 'ti' }),
      ...times(2, { language: 'so' }),
      { language: 'ar' },
    ]);
    const { records, report } = kAnonymise(input, { suppressionLimit: 0 });
    expect(records.map((r) => r.language)).toEqual([...times(6, 'nb'), ...times(6, 'pl'), ...times(5, 'other')]);
    expect(attribute(report, 'language').steps).toEqual([{ from: 'language', to: 'rare languages as "other"', recordsAffected: 5 }]);
  });

  it('keeps background while any other attribute can still be generalised', () => {
    // Background has the most distinct values, yet children goes first.
    const input = rows([
      ...times(2, { background: 'born_norway', children: 'yes' }),
      ...times(3, { background: 'born_norway', children: 'no' }),
      ...times(3, { background: 'born_abroad', children: 'yes' }),
      ...times(2, { background: 'born_abroad', children: 'no' }),
      ...times(5, { background: 'born_norway_immigrant_parents', children: 'no' }),
    ]);
    const { records, report } = kAnonymise(input, { suppressionLimit: 0 });
    expect(attribute(report, 'background').steps).toEqual([]);
    expect(attribute(report, 'children').level).toBe('suppressed');
    expect(records.map((r) => r.background)).toEqual(input.map((r) => r.background));
  });

  it('generalises background to immigrant background or not, as Statistics Norway groups it, when nothing else can help', () => {
    const input = rows([...times(5, { background: 'born_norway' }), ...times(3, { background: 'born_abroad' }), ...times(2, { background: 'born_norway_immigrant_parents' })]);
    const { records, report } = kAnonymise(input, { suppressionLimit: 0 });
    expect(records.map((r) => r.background)).toEqual([...times(5, 'no_immigrant_background'), ...times(5, 'immigrant_background')]);
    expect(attribute(report, 'background').level).toBe('immigrant background');
    // The others hold one value each here: coarsening them could not help, so they are left alone.
    for (const other of ['language', 'age_band', 'municipality', 'children']) expect(attribute(report, other).steps).toEqual([]);
  });

  it('suppresses the quasi-identifiers of a lone record instead of coarsening everyone, and keeps the row', () => {
    const input = rows([...times(40, {}), { language: 'ti', background: 'born_abroad', age_band: 'age_67', municipality: 'Alta', children: 'yes' }]);
    const { records, report } = kAnonymise(input);
    expect(records).toHaveLength(41);
    expect(records.slice(0, 40)).toEqual(input.slice(0, 40));
    expect(records[40]).toEqual({ id: 40, answer: 'a40', language: '*', background: '*', age_band: '*', municipality: '*', children: '*' });
    expect(report.suppressedRecords).toBe(1);
    expect(report.suppressionAllowed).toBe(2);
    expect(report.attributes.every((a) => a.suppressedRecords === 1 && a.recordsAffected === 1 && a.steps.length === 0)).toBe(true);
  });

  it('suppresses every quasi-identifier when there are fewer than k records in all', () => {
    const { records, report } = kAnonymise(rows(times(3, {})));
    expect(records.every((r) => QUASI_IDENTIFIERS.every((q) => r[q] === SUPPRESSED))).toBe(true);
    expect(report.suppressedRecords).toBe(3);
  });

  it('keeps a missing municipality missing when the others become counties', () => {
    const input = rows([
      ...times(5, { municipality: null }),
      ...times(3, { municipality: 'Bergen' }),
      ...times(2, { municipality: 'Askøy' }),
      ...times(1, { municipality: 'Stord' }),
      ...times(4, { municipality: 'Voss' }),
    ]);
    const { records } = kAnonymise(input, { suppressionLimit: 0 });
    expect(records.map((r) => r.municipality)).toEqual([...times(5, null), ...times(10, 'Vestland')]);
  });

  it('maps an unknown municipality to the county "unknown"', () => {
    const input = rows([...times(3, { municipality: 'Bodø' }), ...times(2, { municipality: 'Narvik' }), ...times(5, { municipality: 'Atlantis' })]);
    const { records } = kAnonymise(input, { suppressionLimit: 0 });
    expect(records.map((r) => r.municipality)).toEqual([...times(5, 'Nordland'), ...times(5, 'unknown')]);
  });

  it('goes on to "Norway" when counties are still too small', () => {
    const input = rows([...times(3, { municipality: 'Bodø' }), ...times(3, { municipality: 'Tromsø' })]);
    const { records, report } = kAnonymise(input, { suppressionLimit: 0 });
    expect(records.map((r) => r.municipality)).toEqual(times(6, 'Norway'));
    expect(attribute(report, 'municipality').steps.map((s) => `${s.from} → ${s.to}`)).toEqual(['municipality → county', 'county → country']);
  });

  it('uses only the quasi-identifiers it is given', () => {
    const input = rows([...times(5, { municipality: 'Bergen' }), ...times(5, { municipality: 'Oslo', language: 'pl' })]);
    const { records, report } = kAnonymise(input, { quasiIdentifiers: ['municipality'] });
    expect(records).toEqual(input);
    expect(report.attributes.map((a) => a.attribute)).toEqual(['municipality']);
  });

  it('does not modify its input', () => {
    const input = rows([...times(3, { municipality: 'Bergen' }), ...times(3, { municipality: 'Oslo' })]);
    const copy = structuredClone(input);
    kAnonymise(input);
    expect(input).toEqual(copy);
  });

  it.each([
    [{ k: 0 }, /k must be a positive integer/],
    [{ suppressionLimit: 2 }, /suppressionLimit is a share between 0 and 1/],
    [{ ageBands: ['young', 'old'] }, /age band "young" is not of the form/],
  ])('rejects the options %p with a message that says what to fix', (options, message) => {
    expect(() => kAnonymise(rows([{}]), options)).toThrow(message);
  });
});

describe('kAnonymise: properties', () => {
  const municipalities = ['Oslo', 'Bergen', 'Bærum', 'Asker', 'Tromsø', 'Alta', 'Vadsø', 'Hamar', 'Skien', 'Atlantis', null];
  const record = fc.record({
    language: fc.constantFrom('nb', 'nb', 'nb', 'pl', 'pl', 'ar', 'so', 'ti', 'fa', 'uk', 'en'),
    background: fc.constantFrom('born_norway', 'born_abroad', 'born_norway_immigrant_parents'),
    age_band: fc.constantFrom(...AGE_BANDS),
    municipality: fc.constantFrom(...municipalities),
    children: fc.constantFrom('yes', 'no', undefined),
  });
  const dataset = fc.array(record, { maxLength: 150 }).map((rs) => rs.map((r, i) => ({ ...r, id: i })));
  const options = fc.record({ k: fc.integer({ min: 2, max: 6 }), suppressionLimit: fc.constantFrom(0, 0.02, 0.05, 0.2) });

  const key = (r: QuasiRecord) => JSON.stringify(QUASI_IDENTIFIERS.map((q) => r[q] ?? null));
  const fullySuppressed = (r: QuasiRecord) => QUASI_IDENTIFIERS.every((q) => r[q] === SUPPRESSED);

  it('leaves every quasi-identifier combination with at least k records, or fully suppressed, and keeps every row', () => {
    fc.assert(
      fc.property(dataset, options, (input, opts) => {
        const { records, report } = kAnonymise(input, opts);
        expect(records).toHaveLength(input.length);
        expect(records.map((r) => r.id)).toEqual(input.map((r) => r.id));
        const sizes = new Map<string, number>();
        for (const r of records) sizes.set(key(r), (sizes.get(key(r)) ?? 0) + 1);
        for (const r of records) if (!fullySuppressed(r)) expect(sizes.get(key(r))).toBeGreaterThanOrEqual(opts.k);
        expect(report.records).toBe(input.length);
      }),
    );
  });

  it('only ever replaces a value by one of its generalisations', () => {
    const ageLabels = new Set(['18-35', '36-66', '67+', '18-66']);
    fc.assert(
      fc.property(dataset, options, (input, opts) => {
        const { records } = kAnonymise(input, opts);
        records.forEach((r, i) => {
          const before = input[i];
          const m = before.municipality;
          expect([m, m === null ? null : countyOf(m), m === null ? null : 'Norway', SUPPRESSED]).toContain(r.municipality);
          expect([before.language, 'other', SUPPRESSED]).toContain(r.language);
          expect(r.age_band === before.age_band || r.age_band === SUPPRESSED || ageLabels.has(r.age_band!)).toBe(true);
          expect([before.background, 'immigrant_background', 'no_immigrant_background', SUPPRESSED]).toContain(r.background);
          expect([before.children, SUPPRESSED]).toContain(r.children);
        });
      }),
    );
  });

  it('suppresses no more records than the limit allows, unless there are fewer than k in all', () => {
    fc.assert(
      fc.property(dataset, options, (input, opts) => {
        const { records, report } = kAnonymise(input, opts);
        const allowed = input.length < opts.k ? input.length : Math.floor(opts.suppressionLimit * input.length);
        expect(report.suppressedRecords).toBeLessThanOrEqual(allowed);
        expect(records.filter(fullySuppressed).length).toBeGreaterThanOrEqual(report.suppressedRecords);
      }),
    );
  });

  it('reports per attribute exactly the records whose value changed', () => {
    fc.assert(
      fc.property(dataset, options, (input, opts) => {
        const { records, report } = kAnonymise(input, opts);
        for (const a of report.attributes) {
          expect(a.recordsAffected).toBe(records.filter((r, i) => r[a.attribute] !== input[i][a.attribute]).length);
        }
      }),
    );
  });
});

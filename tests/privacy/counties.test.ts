import { COUNTIES_2024, countyOf, municipalityOf, MUNICIPALITIES_BY_COUNTY, UNKNOWN_COUNTY } from '../../src/privacy/counties';

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

describe('municipalityOf', () => {
  it.each([
    ['baerum kommune', 'Bærum'],
    ['TROMSO', 'Tromsø'],
    ['Aalesund', 'Ålesund'],
    ['Bergen', 'Bergen'],
  ])('gives the official spelling of %s', (typed, official) => {
    expect(municipalityOf(typed)).toBe(official);
  });

  it('knows nothing of a place that is not in the table', () => {
    expect(municipalityOf('Atlantis')).toBeUndefined();
  });
});

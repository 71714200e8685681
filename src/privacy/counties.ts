import { PLACE_FOLD_RULES, createFold } from '../text/fold';

/**
 * Norwegian municipalities (kommuner) mapped to their county (fylke), as of the county division
 * in force from 1 January 2024 (Viken, Vestfold og Telemark and Troms og Finnmark were split,
 * giving 15 counties). Used to coarsen the optional municipality answer before export, since a
 * small municipality together with language and age can single a respondent out.
 *
 * Covers the largest municipalities by population plus the larger towns respondents are likely
 * to name, with common spellings typed without Norwegian letters and a few Sámi names.
 * Names shared by municipalities, or former municipalities, in two counties (Nes, Våler, Herøy,
 * Bø, Os, Sande) are left out on purpose: guessing would put a respondent in the wrong county.
 */

export const COUNTIES_2024 = [
  'Oslo',
  'Rogaland',
  'Møre og Romsdal',
  'Nordland',
  'Østfold',
  'Akershus',
  'Buskerud',
  'Innlandet',
  'Vestfold',
  'Telemark',
  'Agder',
  'Vestland',
  'Trøndelag',
  'Troms',
  'Finnmark',
] as const;

export type County = (typeof COUNTIES_2024)[number];

/** What {@link countyOf} returns for a municipality it does not know. */
export const UNKNOWN_COUNTY = 'unknown';

/** The municipalities {@link countyOf} knows, by county, in their official spelling. */
export const MUNICIPALITIES_BY_COUNTY: Readonly<Record<County, readonly string[]>> = {
  Oslo: ['Oslo'],
  Rogaland: ['Stavanger', 'Sandnes', 'Karmøy', 'Haugesund', 'Sola', 'Time', 'Klepp', 'Hå', 'Eigersund', 'Randaberg', 'Strand', 'Tysvær'],
  'Møre og Romsdal': ['Ålesund', 'Molde', 'Kristiansund', 'Haram', 'Volda', 'Ørsta', 'Sula', 'Giske'],
  Nordland: ['Bodø', 'Bådåddjo', 'Narvik', 'Rana', 'Vefsn', 'Vestvågøy', 'Vågan', 'Sortland', 'Brønnøy'],
  Østfold: ['Fredrikstad', 'Sarpsborg', 'Indre Østfold', 'Moss', 'Halden', 'Råde', 'Rakkestad'],
  Akershus: [
    'Bærum',
    'Asker',
    'Lillestrøm',
    'Nordre Follo',
    'Ski',
    'Oppegård',
    'Lørenskog',
    'Ullensaker',
    'Jessheim',
    'Eidsvoll',
    'Nittedal',
    'Ås',
    'Frogn',
    'Vestby',
    'Rælingen',
    'Nannestad',
    'Aurskog-Høland',
    'Enebakk',
    'Gjerdrum',
  ],
  Buskerud: ['Drammen', 'Kongsberg', 'Ringerike', 'Lier', 'Øvre Eiker', 'Modum', 'Hole'],
  Innlandet: ['Hamar', 'Ringsaker', 'Lillehammer', 'Gjøvik', 'Elverum', 'Kongsvinger', 'Stange', 'Østre Toten', 'Løten'],
  Vestfold: ['Sandefjord', 'Larvik', 'Tønsberg', 'Horten', 'Holmestrand', 'Færder'],
  Telemark: ['Skien', 'Porsgrunn', 'Notodden', 'Bamble', 'Midt-Telemark', 'Kragerø'],
  Agder: ['Kristiansand', 'Arendal', 'Grimstad', 'Lindesnes', 'Vennesla', 'Lillesand', 'Farsund', 'Flekkefjord'],
  Vestland: ['Bergen', 'Øygarden', 'Askøy', 'Bjørnafjorden', 'Stord', 'Sogndal', 'Kinn', 'Voss', 'Alver', 'Sunnfjord', 'Kvinnherad'],
  Trøndelag: ['Trondheim', 'Tråante', 'Stjørdal', 'Steinkjer', 'Malvik', 'Melhus', 'Levanger', 'Verdal', 'Orkland', 'Namsos'],
  Troms: ['Tromsø', 'Romsa', 'Harstad', 'Senja', 'Målselv', 'Balsfjord'],
  Finnmark: ['Alta', 'Hammerfest', 'Sør-Varanger', 'Kirkenes', 'Vadsø', 'Kautokeino', 'Guovdageaidnu', 'Karasjok', 'Kárášjohka'],
};

/**
 * Municipality names are folded like Norwegian answers (src/text/normalize.ts), plus the spellings
 * of respondents on foreign keyboards: "Tromso", "Baerum", and "Aalesund" (the pre-1917 spelling
 * still used in URLs and by many immigrants), with German/Swedish ä and ö for æ and ø.
 */
const MUNICIPALITY_FOLD = createFold(PLACE_FOLD_RULES);

/** The form in which names are compared: folded, without a "kommune" suffix, one space between words. */
function key(name: string): string {
  return MUNICIPALITY_FOLD(name)
    .replace(/\s+(kommune|municipality|kommun)$/u, '')
    .replace(/^(kommune|municipality of)\s+/u, '')
    .replace(/[\s\-–_]+/gu, ' ')
    .trim();
}

const NAME_BY_KEY: ReadonlyMap<string, string> = new Map(Object.values(MUNICIPALITIES_BY_COUNTY).flatMap((names) => names.map((n) => [key(n), n] as const)));

/**
 * The official spelling of a municipality named in free text ("baerum kommune" → "Bærum"), or
 * undefined when the name is not in the table. Exports carry this instead of what was typed,
 * which is free text.
 */
export function municipalityOf(text: string): string | undefined {
  return NAME_BY_KEY.get(key(text));
}

const BY_KEY: ReadonlyMap<string, County> = new Map(
  (Object.entries(MUNICIPALITIES_BY_COUNTY) as [County, readonly string[]][]).flatMap(([county, names]) => names.map((n) => [key(n), county] as const)),
);

/**
 * The 2024 county of a municipality named in free text ("Bærum", "baerum kommune", "TROMSØ"),
 * or `"unknown"` when the name is not in the table or is ambiguous between counties.
 */
export function countyOf(municipality: string): County | typeof UNKNOWN_COUNTY {
  return BY_KEY.get(key(municipality)) ?? UNKNOWN_COUNTY;
}

import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../../paths';
import { createLetterFold, NAME_LIST_FOLD_RULES } from '../../text/fold';
import { MUNICIPALITIES_BY_COUNTY } from '../counties';

/**
 * The name lists (gazetteers) of redaction: given names and family names common in Norway and in
 * the respondents' countries of origin, in native script and in Latin transliteration, from
 * `src/privacy/redaction/namelists/names-*.json`, and the capitalised words that are not people
 * (`not-names.json`: places, organisations, apps, holidays, languages). Every file says where its
 * list comes from; none is an official register.
 *
 * A name that is also an ordinary word ("Hope", أمل hope, نور light, Вера faith, ሰላም peace, the
 * Norwegian farm names Berg and Strøm) is listed in `alsoWords` and counts as weak evidence only
 * (src/privacy/redaction/personNames.ts). A word of `not-names.json` that is also a listed name
 * ("Lund", "Christian", "Finn") is weak too; the others are never a name.
 */

const namesFile = z.strictObject({
  about: z.string().min(1),
  source: z.string().min(1),
  given: z.array(z.string().min(1)),
  surnames: z.array(z.string().min(1)),
  alsoWords: z.array(z.string().min(1)),
});

const notNamesFile = z.strictObject({
  about: z.string().min(1),
  source: z.string().min(1),
  places: z.array(z.string().min(1)),
  organisations: z.array(z.string().min(1)),
  other: z.array(z.string().min(1)),
});

export const gazetteerDir = path.join(projectRoot, 'src', 'privacy', 'redaction', 'namelists');

/** What the lists say about one word. */
export interface NameEntry {
  given: boolean;
  surname: boolean;
  /** Also an ordinary word, a place or an organisation: weak evidence. */
  weak: boolean;
}

export interface Gazetteer {
  /**
   * The entry of a word as typed, also when it carries a prefix (Arabic و "and", ب, ل; Ethiopic
   * ን, ብ), a suffix (Ethiopic ን "and", English 's) or, with `inflected`, a Polish, Lithuanian,
   * Ukrainian or Russian case ending ("Kowalskim", "Olgą", "Оксаною", "Ивановой", "Petrausku").
   */
  lookup(word: string, inflected: boolean): NameEntry | undefined;
  /** {@link lookup} of a word already in {@link nameKey} form. */
  lookupKey(key: string, inflected: boolean): NameEntry | undefined;
  /** Whether two words are one listed compound name: "عبد الله", "گل محمد", "Gul Ahmad". */
  compound(first: string, second: string): boolean;
  /** A word that is never a person: a place, an organisation, an app, a holiday, a language. */
  never(word: string): boolean;
  /** {@link never} of a word already in {@link nameKey} form. */
  neverKey(key: string): boolean;
  /** Listed Thai names, longest first, for text written without spaces. */
  thai: readonly { name: string; entry: NameEntry }[];
}

/** The fold every list and every looked-up word goes through. */
export const nameKey = createLetterFold(NAME_LIST_FOLD_RULES);

const THAI = /^[\p{Script=Thai}]+$/u;
const ARABIC_SCRIPT = /^\p{Script=Arabic}/u;
const ETHIOPIC = /^\p{Script=Ethiopic}/u;
// Letters glued before a word in Arabic script: "and", "with/by", "to", "so".
const ARABIC_PREFIXES = ['و', 'ب', 'ل', 'ف'];
// Tigrinya prepositions and the conjunction "and" glued to a word: ንዮናስ, ብዮናስ, ዮናስን.
const ETHIOPIC_PREFIXES = ['ን', 'ብ', 'ካብ', 'ምስ'];
const ETHIOPIC_SUFFIXES = ['ውን', 'ን', 'ከ'];
// Vowels and soft signs a stem is cut back to; Lithuanian nominative endings.
const STEM_VOWELS = /[aeiouyаеиоуыэюяіїєйь]{1,2}$/u;
const LITHUANIAN_NOMINATIVE = /(?:iene|aite|ute|yte|iute|ius|as|is|ys|us)$/u;
// Case endings of Polish, Lithuanian, Ukrainian and Russian names, longest first, in the folded
// (diacritic-free) spelling; what is left is cut back like a listed name and compared.
const CASE_ENDINGS = [
  'iego',
  'iemu',
  'owie',
  'ienei',
  'ienes',
  'ienę',
  'aitei',
  'ego',
  'emu',
  'owi',
  'iem',
  'iej',
  'ami',
  'ach',
  'ams',
  'iui',
  'ого',
  'его',
  'ому',
  'ему',
  'ові',
  'еві',
  'ой',
  'ей',
  'ою',
  'ею',
  'ом',
  'ем',
  'ым',
  'им',
  'ій',
  'ої',
  'ую',
  'юю',
  'em',
  'ej',
  'im',
  'ym',
  'om',
  'ow',
  'ui',
  'os',
  'es',
  's',
  '',
].sort((a, b) => b.length - a.length);
const MIN_STEM = 3;

/** A listed name cut back to the stem its inflected forms share: "kowalski" → "kowalsk", "ольга" → "ольг", "jonas" → "jon". */
function stemOf(key: string): string {
  const nominative = key.replace(LITHUANIAN_NOMINATIVE, '');
  const base = nominative.length >= MIN_STEM ? nominative : key;
  const stem = base.replace(STEM_VOWELS, '');
  return stem.length >= MIN_STEM ? stem : base;
}

// Consonants that alternate before a case ending, as the ending leaves them and as the name has
// them: Ukrainian Ольга → Ользі, Наталка → Наталці; Polish Olga → Oldze, Monika → Monice, Piotr → Piotrze.
const ALTERNATIONS: [RegExp, string][] = [
  [/з$/u, 'г'],
  [/ц$/u, 'к'],
  [/с$/u, 'х'],
  [/dz$/u, 'g'],
  [/c$/u, 'k'],
  [/rz$/u, 'r'],
  [/sz$/u, 'ch'],
];

/** A stem as left by a case ending, and as the name may have it: alternated consonants, Polish mobile e (Marka → Marek). */
function stemVariants(stem: string): string[] {
  const out = [stem];
  for (const [re, to] of ALTERNATIONS) if (re.test(stem)) out.push(stem.replace(re, to));
  // Marek → Marka, Jacek → Jacka, Tomek → Tomka: the e before the last consonant drops.
  const mobile = /([^aeiouy])([^aeiouy])$/u.exec(stem);
  if (mobile) out.push(`${stem.slice(0, -1)}e${stem.slice(-1)}`);
  return out;
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Reads every names-*.json and not-names.json of `dir`. Synchronous and meant to run once ({@link defaultGazetteer}). */
export function loadGazetteer(dir: string = gazetteerDir): Gazetteer {
  const entries = new Map<string, NameEntry>();
  const compounds = new Set<string>();
  const add = (name: string, kind: 'given' | 'surname' | 'weak') => {
    const parts = nameKey(name).split(/\s+/).filter(Boolean);
    if (parts.length > 1) {
      compounds.add(parts.join(' '));
      return;
    }
    const key = parts[0];
    if (!key) return;
    // Arabic names end in alef maksura (مصطفى, ليلى) where Persian writes yeh (مصطفی): both are listed.
    for (const k of new Set([key, key.replace(/ى/g, 'ی')])) {
      const e = entries.get(k) ?? { given: false, surname: false, weak: false };
      if (kind === 'given') e.given = true;
      else if (kind === 'surname') e.surname = true;
      else e.weak = true;
      entries.set(k, e);
    }
  };
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => /^names-.+\.json$/.test(f))
    .sort()) {
    const list = readJson(path.join(dir, file), namesFile);
    for (const n of list.given) add(n, 'given');
    for (const n of list.surnames) add(n, 'surname');
    // An ordinary word is a (weak) name of its own too: "Amal", "ሰላም".
    for (const n of list.alsoWords) {
      add(n, 'weak');
      for (const k of [nameKey(n), nameKey(n).replace(/ى/g, 'ی')]) {
        const e = entries.get(k);
        if (e && !e.given && !e.surname) e.given = true;
      }
    }
  }
  // Polish family names in -ski/-cki/-dzki have feminine forms in -ska/-cka/-dzka; Russian ones in -ov/-ev/-in add -a.
  for (const [key, e] of [...entries]) {
    if (!e.surname) continue;
    const feminine = key.replace(/(sk|ck|dzk)i$/, '$1a').replace(/(ов|ев|ин|ov|ev|in)$/, '$1a');
    if (feminine !== key && !entries.has(feminine)) entries.set(feminine, { ...e });
  }

  const notNames = readJson(path.join(dir, 'not-names.json'), notNamesFile);
  const municipalities = Object.values(MUNICIPALITIES_BY_COUNTY).flat();
  const never = new Set<string>();
  for (const word of [...notNames.places, ...notNames.organisations, ...notNames.other, ...municipalities].flatMap((w) => nameKey(w).split(/\s+/))) {
    if (!word) continue;
    const e = entries.get(word);
    if (e) e.weak = true;
    else never.add(word);
  }

  const stems = new Map<string, NameEntry>();
  for (const [key, e] of entries) {
    if (key.length < MIN_STEM + 1 || ARABIC_SCRIPT.test(key) || ETHIOPIC.test(key) || THAI.test(key)) continue;
    const stem = stemOf(key);
    const known = stems.get(stem);
    // A stem shared by an ordinary word and a name stays weak.
    stems.set(stem, known ? { given: known.given || e.given, surname: known.surname || e.surname, weak: known.weak || e.weak } : e);
  }

  const exact = (key: string) => entries.get(key);
  const thai = [...entries]
    .filter(([key]) => THAI.test(key))
    .map(([name, entry]) => ({ name, entry }))
    .sort((a, b) => b.name.length - a.name.length);

  // An Ethiopic word without the conjunction glued to its end: ዮናስን "and Yonas".
  const bare = (k: string) => {
    if (exact(k)) return exact(k);
    for (const s of ETHIOPIC_SUFFIXES) if (k.endsWith(s) && k.length - s.length >= 2 && exact(k.slice(0, -s.length))) return exact(k.slice(0, -s.length));
    return undefined;
  };

  const lookupKey = (key: string, inflected: boolean): NameEntry | undefined => {
    const found = exact(key);
    if (found) return found;
    if (ARABIC_SCRIPT.test(key)) {
      for (const p of ARABIC_PREFIXES) if (key.startsWith(p) && key.length - p.length >= 3 && exact(key.slice(p.length))) return exact(key.slice(p.length));
      return undefined;
    }
    if (ETHIOPIC.test(key)) {
      for (const p of ETHIOPIC_PREFIXES) if (key.startsWith(p) && key.length - p.length >= 2 && bare(key.slice(p.length))) return bare(key.slice(p.length));
      return bare(key);
    }
    // "Maria's", "Kari's"
    const possessive = key.replace(/'s?$/, '');
    if (possessive !== key && exact(possessive)) return exact(possessive);
    if (!inflected) return undefined;
    // The strongest reading: a name that is no ordinary word wins over one that is ("Markiem" is Marek, not Mark).
    let weak: NameEntry | undefined;
    for (const ending of CASE_ENDINGS) {
      if (!key.endsWith(ending) || key.length - ending.length < MIN_STEM) continue;
      for (const stem of stemVariants(stemOf(key.slice(0, key.length - ending.length)))) {
        const e = stems.get(stem);
        if (e && !e.weak) return e;
        weak ??= e;
      }
    }
    return weak;
  };

  return {
    lookup: (word, inflected) => lookupKey(nameKey(word), inflected),
    lookupKey,
    compound(first, second) {
      return compounds.has(`${nameKey(first)} ${nameKey(second)}`);
    },
    never: (word) => never.has(nameKey(word)),
    neverKey: (key) => never.has(key),
    thai,
  };
}

let cached: Gazetteer | undefined;

/** The project's own lists, read on first use and kept. */
export function defaultGazetteer(): Gazetteer {
  cached ??= loadGazetteer();
  return cached;
}

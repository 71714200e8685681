import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { localeMeta } from '../../language/i18n';
import { localesDir } from '../../paths';

/**
 * The language-specific words redaction needs, from `locales/<lng>/redaction.json`. Every list is
 * a draft (see each locale's meta.json provenance). Redaction is not told the respondent's
 * language: people in Norway mix languages in one message ("jeg heter Abdi, magacaygu waa…"), so
 * the lists of all locales are merged into one lexicon, compiled once per process.
 */
export const redactionLexiconFile = z.strictObject({
  /** Phrases after which the next words are a name, whatever their case: "my name is", "اسمي". */
  introductions: z.array(z.string().min(1)),
  /**
   * Phrases that introduce a name only at the start of a message (after an optional greeting) and
   * only before a capitalised word: "I am", "dette er". Empty for scripts without letter case,
   * where a capital cannot tell "I am Abdi" from "I am tired".
   */
  greetingIntroductions: z.array(z.string().min(1)),
  /** Greetings that may come before a {@link greetingIntroductions} phrase: "hei", "hello". */
  greetings: z.array(z.string().min(1)),
  /** Sign-offs; a name after one counts only when the message ends there: "hilsen", "مع تحياتي". */
  signOffs: z.array(z.string().min(1)),
  /**
   * Thanks that may close a message with a name: "Thanks, John", "Takk for hjelpen, Kari". Unlike
   * a sign-off, thanks are often followed by ordinary words ("Thank you, everything is fine now"),
   * so only a capitalised name counts, and only where the message ends; none for scripts without
   * letter case.
   */
  thanks: z.array(z.string().min(1)).default([]),
  /** Words that end a name: conjunctions, pronouns, prepositions, copulas, common verbs. */
  nameStops: z.array(z.string().min(1)),
  /** Lower-case words that may sit inside a name: "bin", "al", "van". */
  nameParticles: z.array(z.string()),
  /** Capitalised words that are never a person: institutions, demonyms, languages. */
  keepWords: z.array(z.string().min(1)),
  /** Words that make the number next to them an amount, a count or a span: "kr", "måneder", "m2". */
  quantityWords: z.array(z.string().min(1)),
  /** Words that announce a phone number: "tlf", "ring", "numer". */
  phoneWords: z.array(z.string().min(1)),
  /** Words that announce an identity document's number: "passnummer", "oppholdskort". */
  documentWords: z.array(z.string().min(1)),
  /** Words that announce an address: "adressen min er", "عنواني". */
  addressWords: z.array(z.string().min(1)),
  /** Street-name endings, glued ("Storgata") or as their own word ("Kongens gate"). */
  streetSuffixes: z.array(z.string().min(1)),
  /** Street words that only stand alone after the name, often abbreviated: "gt.", "g." (Lithuanian gatvė). */
  streetWords: z.array(z.string().min(1)),
  /** Street words that come before the name: "ul.", "вул.". */
  streetPrefixes: z.array(z.string().min(1)),
  /**
   * Words that introduce a person, so that a name-like word right after them is a name: roles
   * ("saksbehandler", "caseworker", "الموظفة"), relatives ("sønnen min", "my wife", "сын") and
   * titles ("fru", "Mrs", "Pani", "آقای", "ኣቶ", "คุณ"). See src/privacy/redaction/personNames.ts.
   */
  personWords: z.array(z.string().min(1)).default([]),
  /** Titles that follow a name: Persian جان, Urdu صاحب. */
  personWordsAfter: z.array(z.string().min(1)).default([]),
  /**
   * Titles that stand only before a name: "Mrs", "fru", "Pani", "السيد", "آقای", "ኣቶ", "کاک". Like
   * a person word; and where the script has no case, the word after one is a name even when no
   * list knows it ("ወይዘሮ ሓዳስ").
   */
  personTitles: z.array(z.string().min(1)).default([]),
  /** Month names, abbreviations and inflected forms: never names, and part of a written-out date ("12. mars 1985"). */
  months: z.array(z.string().min(1)).default([]),
  /** Weekday names: never names. */
  weekdays: z.array(z.string().min(1)).default([]),
  /** Words that announce a date of birth, before or after it: "født", "date of birth", "مواليد", "به دنیا آمدم". */
  birthWords: z.array(z.string().min(1)).default([]),
  /** Words that announce a case or reference number: "saksnummer", "case number", "رقم الملف", "номер дела". */
  referenceWords: z.array(z.string().min(1)).default([]),
  /** Words for "@" in an e-mail address written out: "at", "krøllalfa", "małpa", "собака". */
  emailAt: z.array(z.string().min(1)).default([]),
  /** Words for "." in an e-mail address written out: "dot", "punktum", "kropka", "точка". */
  emailDot: z.array(z.string().min(1)).default([]),
});
export type RedactionLexiconFile = z.output<typeof redactionLexiconFile>;

/** Every locale's lists merged, with the phone regions of every locale in menu order. */
export interface Lexicon {
  lists: { [K in keyof RedactionLexiconFile]: string[] };
  /** ISO 3166 regions from each locale's meta.json `phoneRegions`, Norway first, no repeats. */
  phoneRegions: string[];
}

/**
 * Reads `locales/<lng>/redaction.json` and `meta.json` of every locale folder, enabled or not: a
 * language switched off in the menu is still a language someone may write in. Synchronous and
 * meant to run once (see {@link defaultLexicon}).
 */
export function loadLexicon(dir: string = localesDir): Lexicon {
  const lists = Object.fromEntries(Object.keys(redactionLexiconFile.shape).map((k) => [k, [] as string[]])) as Lexicon['lists'];
  const regions: { order: number; list: string[] }[] = [];
  for (const tag of fs.readdirSync(dir).sort()) {
    const folder = path.join(dir, tag);
    if (!fs.statSync(folder).isDirectory()) continue;
    const file = path.join(folder, 'redaction.json');
    const parsed = redactionLexiconFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    for (const key of Object.keys(lists) as (keyof RedactionLexiconFile)[]) lists[key].push(...parsed.data[key]);
    const metaFile = path.join(folder, 'meta.json');
    const meta = localeMeta.safeParse(JSON.parse(fs.readFileSync(metaFile, 'utf8')));
    if (!meta.success) throw new Error(`${metaFile}: ${meta.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    regions.push({ order: meta.data.order, list: meta.data.phoneRegions });
  }
  regions.sort((a, b) => a.order - b.order);
  for (const key of Object.keys(lists) as (keyof RedactionLexiconFile)[]) lists[key] = [...new Set(lists[key])];
  return { lists, phoneRegions: [...new Set(['NO', ...regions.flatMap((r) => r.list)])] };
}

let cached: Lexicon | undefined;

/** The lexicon of the project's own `locales/`, read on first use and kept. */
export function defaultLexicon(): Lexicon {
  cached ??= loadLexicon();
  return cached;
}

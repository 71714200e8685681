import fs from 'node:fs';
import path from 'node:path';
import i18next, { i18n as I18n } from 'i18next';
import { z } from 'zod';
import { LETTER_CLASS_NAMES, LetterClass } from '../text/fold';
import { Glossary, readGlossary } from './glossary';
import { ProvenanceOverrides, readProvenance } from './provenance';
import { localesDir } from '../paths';

/** Per-locale metadata, `locales/<tag>/meta.json`. */
export const localeMeta = z.strictObject({
  order: z.number().int(),
  endonym: z.string().min(1),
  dir: z.enum(['ltr', 'rtl']),
  script: z.string().regex(/^[A-Z][a-z]{3}$/, 'an ISO 15924 script code such as Latn or Arab'),
  /** Which SMS alphabet the locale's text needs: GSM-7 (160 characters) or UCS-2 (70). */
  smsEncoding: z.enum(['GSM-7', 'UCS-2']),
  /** Fold Latin diacritics when comparing what respondents type (src/text/normalize.ts). */
  foldDiacritics: z.boolean(),
  /**
   * The letter classes (src/text/fold.ts, one table per script) this language's writers type for
   * each other: Arabic yeh ي for Persian ی, ه for Sorani ە. Deliberately per language.
   */
  fold: z.array(z.enum(LETTER_CLASS_NAMES as [LetterClass, ...LetterClass[]])).default([]),
  /**
   * The language's negation and "without" words ("ikke", "uten", "la'aan", "بدون"): an option
   * named next to one is confirmed with the respondent, never stored at once (src/survey/recognize.ts).
   */
  negation: z.array(z.string().min(1)).min(1),
  /** Letters after which writers put a space inside a word (Sorani ه for ە on a Persian keyboard): also read joined. */
  joinAfter: z.array(z.string().min(1)).default([]),
  /** Politeness particles (Thai ค่ะ, ครับ): an answer alone, never an option inside a sentence. */
  particles: z.array(z.string().min(1)).default([]),
  /** Languages to fall back to, in order, before English, when a key is missing. */
  fallback: z.array(z.string()),
  enabled: z.boolean().default(true),
  /** ISO 3166 regions whose local phone-number formats speakers of this language may use (redaction). */
  phoneRegions: z.array(z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 region such as PL')).default([]),
  provenance: z.strictObject({
    /** `drafted` until a qualified native speaker has reviewed it; never claim more. */
    status: z.enum(['drafted', 'reviewed']),
    by: z.string().min(1),
    method: z.string().min(1),
  }),
});
export type LocaleMeta = z.infer<typeof localeMeta> & { tag: string };

export interface Locales {
  i18n: I18n;
  /** Enabled locales in menu order. */
  list: LocaleMeta[];
  /** Their tags, in the same order. */
  tags: string[];
  byTag: Map<string, LocaleMeta>;
  namespaces: string[];
  /** Per-string reviews (`provenance.json`); see src/language/stringProvenance.ts. */
  provenance: Map<string, ProvenanceOverrides>;
  /** Key terms per locale (`glossary.json`); see src/language/glossary.ts. */
  glossary: Map<string, Glossary>;
  /** The folder the locales were read from, for tools that write reviewed texts back. */
  dir: string;
  /**
   * `locales/norwegian-terms.json`: per survey and option, the Norwegian names of services that
   * respondents write in any language; hints for recognition (src/survey/recognize.ts).
   */
  norwegianTerms: Hints;
  /** Per locale: `hints.json`, words that point to an option in that language. */
  hints: ReadonlyMap<string, Hints>;
  /** Per locale: `numbers.json`. */
  numbers: ReadonlyMap<string, LocaleNumbers>;
  /** The languages a text of `lng` is looked up in, in i18next's order: itself, then its fallbacks. */
  lookupOrder(lng: string): readonly string[];
}

/**
 * Files in a locale folder that are data about the language, not texts: everything else ending
 * in `.json` is an i18next namespace.
 */
export const LOCALE_DATA_FILES: ReadonlySet<string> = new Set([
  'meta.json',
  'provenance.json',
  'glossary.json',
  'detect.json',
  'redaction.json',
  'hints.json',
  'numbers.json',
]);

/** `locales/<tag>/hints.json`: per survey and option, words that point to it, always confirmed (src/survey/recognize.ts). */
const hintsFile = z.record(z.string(), z.union([z.string(), z.record(z.string(), z.array(z.string().min(1)))]));
export type Hints = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/** `locales/<tag>/numbers.json`: numbers written as words, and the words for month and year. */
const numbersFile = z.object({
  numbers: z.record(z.string().regex(/^\d+$/), z.array(z.string().min(1))).default({}),
  units: z.strictObject({ month: z.array(z.string().min(1)).default([]), year: z.array(z.string().min(1)).default([]) }).default({ month: [], year: [] }),
});
export type LocaleNumbers = z.infer<typeof numbersFile>;

function readData<T>(file: string, schema: z.ZodType<T>, empty: T): T {
  if (!fs.existsSync(file)) return empty;
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Drops the `_comment` entry of a data file. */
function surveysOf(f: Record<string, string | Record<string, string[]>>): Hints {
  return Object.fromEntries(Object.entries(f).filter((e): e is [string, Record<string, string[]>] => typeof e[1] !== 'string'));
}

/**
 * The text at `key` in `lng` (or a fallback language), or `fallback` where no locale has one: for
 * codes that have a label only when the locales give them one (options, generalisation levels).
 */
export function textOr(locales: Locales, key: string, lng: string, fallback: string, vars: Record<string, unknown> = {}): string {
  return locales.i18n.exists(key, { lng }) ? (locales.i18n.t(key, { lng, ...vars }) as string) : fallback;
}

export const NORWEGIAN_TERMS_FILE = 'norwegian-terms.json';

/** Reads every `locales/<tag>/*.json` into one i18next instance. Synchronous: done once at start-up. */
export function loadLocales(dir: string = localesDir): Locales {
  const resources: Record<string, Record<string, unknown>> = {};
  const list: LocaleMeta[] = [];
  const namespaces = new Set<string>();
  const provenance = new Map<string, ProvenanceOverrides>();
  const glossary = new Map<string, Glossary>();
  const hints = new Map<string, Hints>();
  const numbers = new Map<string, LocaleNumbers>();
  for (const tag of fs.readdirSync(dir).sort()) {
    const folder = path.join(dir, tag);
    if (!fs.statSync(folder).isDirectory()) continue;
    const metaFile = path.join(folder, 'meta.json');
    const parsed = localeMeta.safeParse(JSON.parse(fs.readFileSync(metaFile, 'utf8')));
    if (!parsed.success) throw new Error(`${metaFile}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (!parsed.data.enabled) continue;
    list.push({ tag, ...parsed.data });
    provenance.set(tag, readProvenance(folder));
    glossary.set(tag, readGlossary(folder));
    hints.set(tag, surveysOf(readData(path.join(folder, 'hints.json'), hintsFile, {})));
    numbers.set(tag, readData(path.join(folder, 'numbers.json'), numbersFile, { numbers: {}, units: { month: [], year: [] } }));
    resources[tag] = {};
    for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.json') && !LOCALE_DATA_FILES.has(f))) {
      const ns = file.slice(0, -'.json'.length);
      namespaces.add(ns);
      resources[tag][ns] = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'));
    }
  }
  list.sort((a, b) => a.order - b.order);
  // English is every language's last resort: a missing text shows in English rather than as a key.
  const fallbackLng: Record<string, string[]> = { default: ['en'] };
  for (const l of list) fallbackLng[l.tag] = [...new Set([...l.fallback, 'en'])].filter((t) => t !== l.tag);
  const i18n = i18next.createInstance();
  void i18n.init({
    resources: resources as never,
    ns: [...namespaces],
    defaultNS: 'bot',
    fallbackLng,
    supportedLngs: list.map((l) => l.tag),
    // Not HTML: every channel gets plain text, and escaping would show "&amp;" in SMS.
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    showSupportNotice: false,
  });
  const lookupOrder = (lng: string) => [lng, ...(fallbackLng[lng] ?? fallbackLng.default)];
  const termsFile = path.join(dir, NORWEGIAN_TERMS_FILE);
  const norwegianTerms = surveysOf(readData(termsFile, hintsFile, {}));
  return {
    i18n,
    list,
    tags: list.map((l) => l.tag),
    byTag: new Map(list.map((l) => [l.tag, l])),
    namespaces: [...namespaces],
    provenance,
    glossary,
    dir,
    lookupOrder,
    norwegianTerms,
    hints,
    numbers,
  };
}

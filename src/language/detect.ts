import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { localesDir } from '../paths';
import { DETECTION_FOLD_RULES, createLetterFold } from '../text/fold';

/**
 * Guesses a respondent's language from their first message, so the bot can ask "Continue in
 * Polski?" instead of showing a 17-item menu. The guess is always confirmed by the respondent,
 * but a wrong guess costs a turn and some goodwill, so the detector prefers "und" to a coin toss.
 *
 * Order of evidence: the writing system first (Ethiopic, Thai, Cyrillic and Arabic script narrow
 * the field to one or a few supported languages), then letters that only some languages use,
 * then short lists of common words, and for Latin and Cyrillic text a statistical model (tinyld,
 * chosen by tests/bench/detectorAccuracy.ts). Word lists carry most of the weight because first
 * messages are short ("hei", "tak", "Mahadsanid") and tinyld knows neither nynorsk, Northern
 * Sámi nor Somali; the model earns its place on messages whose words no list has.
 *
 * Everything language-specific is data beside the locale's texts, so adding a language is data
 * only: `locales/<tag>/detect.json` (its words per script and weight, its distinctive letters,
 * the codes a statistical model uses for it, a variety it competes with) and the script in its
 * `meta.json`; `locales/unserved-languages.json` holds evidence of languages the bot does NOT
 * serve (Bulgarian words, German letters, Amharic words), which counts for "und".
 */

/** What the detector returns: a locale tag, or "und" with the confidence it had in its best guess. */
export interface LanguageGuess {
  tag: string;
  /** 0..1; only meaningful for comparing guesses of this detector, not a calibrated probability. */
  confidence: number;
}

/** One guess of a statistical language model: an ISO 639-1/639-3 code (or English name). */
export interface ModelGuess {
  code: string;
  /** 0..1: how sure the model is, on the model's own scale mapped to a probability-like number. */
  score: number;
}

/** A statistical language identifier, asked about Latin- and Cyrillic-script text. */
export interface LanguageModel {
  /** Ranked guesses, best first; only the first is used. */
  guesses(text: string): readonly ModelGuess[];
  /**
   * Served tags the model can name in Latin or Cyrillic script. When it names a language the
   * bot does not serve, that is evidence only against the languages it could have named
   * instead: a model without Somali calls Somali "Tagalog", which says nothing about whether
   * the text is Somali.
   */
  knows: readonly string[];
}

/** Signature of {@link detectLanguage}. */
export type LanguageDetector = (text: string, supported?: readonly string[]) => LanguageGuess;

/** The BCP 47 tag for "undetermined", returned when the detector will not guess. */
export const UND = 'und';
const OTHER = 'other';

/** Evidence needed before naming a language; one strong word (2) or two weak ones. */
const MIN_EVIDENCE = 2;
/** How far the best language must lead the runner-up. */
const MIN_MARGIN = 1;
/**
 * Below this many letters the model is not asked. This and {@link MODEL_MIN_SCORE} are the
 * values with the lowest dev cost for tinyld's heavy model in tests/bench/detectorAccuracy.ts.
 */
export const MODEL_MIN_LETTERS = 6;
/**
 * A model's guess scoring lower is ignored. 0: tinyld's best guess is right more often than its
 * score suggests, and it is only asked when letters and words have not decided.
 */
export const MODEL_MIN_SCORE = 0;
/** Weight of the model's best guess, comparable to one and a half strong words. */
const MODEL_WEIGHT = 3;
/** Scripts a statistical model is asked about: the ones tinyld and the benchmarked candidates were measured on. */
const MODEL_SCRIPTS: ReadonlySet<string> = new Set(['Latn', 'Cyrl']);
/** Confidence when a script only one served language uses is all the evidence, and when its words agree. */
const SOLE_SCRIPT_CONFIDENCE = 0.8;
const SOLE_SCRIPT_WITH_WORDS = 0.95;

// ---------------------------------------------------------------------------------------------
// Data: locales/<tag>/detect.json and locales/unserved-languages.json

/**
 * Word lists of one script: weight → lines of space-separated words. Weights: 3 = only this
 * language writes it, 2 = strong, 1 = common but shared, 0.5 = a hint. A word shared by two
 * languages ("takk" in bokmål and nynorsk) is listed in both. "hi", "hello", "ok" and "salam"
 * are written by speakers of every language the bot serves, so they are in no list.
 */
const wordLists = z.record(z.string().regex(/^[A-Z][a-z]{3}$/, 'an ISO 15924 script code'), z.record(z.string().regex(/^\d+(\.\d+)?$/), z.array(z.string())));

const letterRule = z.strictObject({
  /** A regular-expression character class body: the letters, or a range such as "ạ-ỹ". */
  chars: z.string().min(1),
  /** Added per distinct letter present (at most three), or once when `once`. */
  weight: z.number().positive(),
  /** Counted once however many of the letters appear: a hint such as which yeh a keyboard types. */
  once: z.boolean().default(false),
});

const prefixRule = z.strictObject({
  /** Words starting with this (the Arabic article ال), counted once per distinct word. */
  prefix: z.string().min(1),
  minLength: z.number().int().positive(),
  weight: z.number().positive(),
  max: z.number().int().positive(),
  /** Phrases every Muslim writes whatever their language: no evidence. */
  except: z.array(z.string()).default([]),
});

/** `locales/<tag>/detect.json`. */
export const detectorFile = z.strictObject({
  /**
   * The more widely written variety this one competes with as one language ("nn" → "nb", "prs"
   * → "fa"): shared words decide the pair, then only the words that differ; on a tie the wider
   * variety is guessed, with less confidence.
   */
  variantOf: z.string().optional(),
  /** Close relatives a respondent can read when this variety is not offered (Dari → Persian). */
  readable: z.array(z.string()).default([]),
  /** Confidence when this language's script is the only evidence (it alone uses the script). */
  scriptConfidence: z.number().min(0).max(1).optional(),
  model: z
    .strictObject({
      /** The codes or English names a statistical model uses for this language. */
      codes: z.array(z.string().min(1)),
      /** Models that can name this language (see {@link LanguageModel.knows}). */
      knownBy: z.array(z.string()).default([]),
    })
    .optional(),
  words: wordLists.default({}),
  letters: z.array(letterRule).default([]),
  prefixes: z.array(prefixRule).default([]),
});

/** `locales/unserved-languages.json`: evidence that a message is in a language the bot does not serve. */
const unservedFile = z.strictObject({ words: wordLists.default({}), letters: z.array(letterRule).default([]) });

type Lexicon = Map<string, Array<[tag: string, weight: number]>>;
interface LetterEvidence {
  pattern: RegExp;
  weight: number;
  once: boolean;
  tag: string;
}
interface PrefixEvidence {
  prefix: string;
  minLength: number;
  weight: number;
  max: number;
  except: ReadonlySet<string>;
  tag: string;
}

/** Everything the detector knows, read from the locale folders. */
export interface DetectorData {
  /** Tags with a detect.json, in menu order. */
  tags: readonly string[];
  /** Each tag's script (meta.json). */
  scriptOf: ReadonlyMap<string, string>;
  lexicons: ReadonlyMap<string, Lexicon>;
  letters: ReadonlyMap<string, readonly LetterEvidence[]>;
  prefixes: ReadonlyMap<string, readonly PrefixEvidence[]>;
  /** [wider, variant] pairs. */
  siblings: ReadonlyArray<readonly [string, string]>;
  readable: ReadonlyMap<string, readonly string[]>;
  scriptConfidence: ReadonlyMap<string, number>;
  modelCodes: ReadonlyMap<string, readonly string[]>;
  knownBy: ReadonlyMap<string, readonly string[]>;
}

const fold = createLetterFold(DETECTION_FOLD_RULES);
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:'[\p{L}\p{M}\p{N}]+)*/gu;

/** The script (ISO 15924) a rule's first letter belongs to, among `scripts`. */
function scriptOfText(text: string, scripts: Iterable<string>): string | undefined {
  const ch = [...text.replace(/\\./g, '')].find((c) => /\p{L}/u.test(c)) ?? '';
  return [...scripts].find((s) => new RegExp(`\\p{Script=${s}}`, 'u').test(ch));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

/** Reads the detector's data from `dir`; throws naming the file when one does not parse. */
export function loadDetectorData(dir: string = localesDir): DetectorData {
  const read = <T>(file: string, schema: z.ZodType<T>): T => {
    const parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  };
  const entries: Array<{ tag: string; order: number; script: string; data: z.infer<typeof detectorFile> }> = [];
  for (const tag of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, tag, 'detect.json');
    if (!fs.existsSync(file)) continue;
    const meta = JSON.parse(fs.readFileSync(path.join(dir, tag, 'meta.json'), 'utf8')) as { order: number; script: string };
    entries.push({ tag, order: meta.order, script: meta.script, data: read(file, detectorFile) });
  }
  entries.sort((a, b) => a.order - b.order);
  const unservedPath = path.join(dir, 'unserved-languages.json');
  const unserved = fs.existsSync(unservedPath) ? read(unservedPath, unservedFile) : { words: {}, letters: [] };
  const scripts = new Set(entries.map((e) => e.script));

  const lexicons = new Map<string, Lexicon>();
  const letters = new Map<string, LetterEvidence[]>();
  const prefixes = new Map<string, PrefixEvidence[]>();
  const addEvidence = (tag: string, words: z.infer<typeof wordLists>, rules: z.infer<typeof letterRule>[]) => {
    for (const [script, byWeight] of Object.entries(words)) {
      const lex = lexicons.get(script) ?? new Map();
      lexicons.set(script, lex);
      for (const [weight, lines] of Object.entries(byWeight)) {
        for (const word of lines.join(' ').split(/\s+/).filter(Boolean)) push(lex, fold(word), [tag, Number(weight)] as [string, number]);
      }
    }
    for (const r of rules) {
      const script = scriptOfText(r.chars, scripts);
      if (!script) throw new Error(`detector letters "${r.chars}" of ${tag} are in no served script`);
      push(letters, script, { pattern: new RegExp(`[${r.chars}]`, 'gu'), weight: r.weight, once: r.once, tag });
    }
  };
  for (const { tag, data } of entries) {
    addEvidence(tag, data.words, data.letters);
    for (const p of data.prefixes) {
      const script = scriptOfText(p.prefix, scripts);
      if (script) push(prefixes, script, { ...p, prefix: fold(p.prefix), except: new Set(p.except.map(fold)), tag });
    }
  }
  addEvidence(OTHER, unserved.words, unserved.letters);

  const modelCodes = new Map<string, string[]>();
  const knownBy = new Map<string, string[]>();
  for (const { tag, data } of entries) {
    for (const code of data.model?.codes ?? []) push(modelCodes, code.toLowerCase(), tag);
    for (const model of data.model?.knownBy ?? []) push(knownBy, model, tag);
  }
  return {
    tags: entries.map((e) => e.tag),
    scriptOf: new Map(entries.map((e) => [e.tag, e.script])),
    lexicons,
    letters,
    prefixes,
    siblings: entries.filter((e) => e.data.variantOf).map((e) => [e.data.variantOf!, e.tag] as const),
    readable: new Map(entries.map((e) => [e.tag, e.data.readable])),
    scriptConfidence: new Map(entries.filter((e) => e.data.scriptConfidence !== undefined).map((e) => [e.tag, e.data.scriptConfidence!])),
    modelCodes,
    knownBy,
  };
}

const DEFAULT_DATA = loadDetectorData();

/** Locale tags the detector can name, in menu order. */
export const DETECTABLE_LANGUAGES: readonly string[] = DEFAULT_DATA.tags;

// ---------------------------------------------------------------------------------------------
// Scoring

type Scores = Map<string, number>;

/**
 * Folded words of any script. Apostrophes stay inside words ("i'm", "su'aal"), and so do
 * digits, which Arabic written in Latin letters uses for sounds ("3alaykum"); tokens without a
 * letter (phone numbers, dates) are dropped.
 */
function words(text: string): string[] {
  return (fold(text).match(TOKEN) ?? []).filter((t) => /\p{L}/u.test(t));
}

function add(scores: Scores, tag: string, weight: number): void {
  scores.set(tag, (scores.get(tag) ?? 0) + weight);
}

/** A word is counted once however often it is repeated. */
function addWords(scores: Scores, tokens: readonly string[], lex: Lexicon | undefined): void {
  if (!lex) return;
  for (const word of new Set(tokens)) {
    for (const [tag, weight] of lex.get(word) ?? []) add(scores, tag, weight);
  }
}

function addLetters(scores: Scores, text: string, rules: readonly LetterEvidence[]): void {
  for (const { pattern, weight, once, tag } of rules) {
    const present = new Set(text.match(pattern) ?? []);
    add(scores, tag, once ? (present.size > 0 ? weight : 0) : weight * Math.min(present.size, 3));
  }
}

function addPrefixes(scores: Scores, tokens: readonly string[], rules: readonly PrefixEvidence[]): void {
  for (const r of rules) {
    const found = new Set(tokens.filter((w) => w.startsWith(r.prefix) && w.length >= r.minLength && !r.except.has(w)));
    add(scores, r.tag, r.weight * Math.min(found.size, r.max));
  }
}

/**
 * Maps a model's ISO 639-1/639-3 code (or English name) to the tags it is evidence for. A
 * model's plain "Norwegian" says nothing about bokmål versus nynorsk, so it counts for both and
 * the word lists decide; only an explicit nynorsk guess counts for nynorsk alone. Danish is what
 * models most often call short Norwegian text, and Danes read bokmål.
 */
export function modelCodeToTags(code: string, data: DetectorData = DEFAULT_DATA): string[] {
  return [...(data.modelCodes.get(code.toLowerCase()) ?? [])];
}

/** Pairs of tags that the evidence often cannot tell apart; the first is guessed on a tie. */
function decide(scores: Scores, siblings: DetectorData['siblings']): LanguageGuess {
  const units = new Map<string, number>();
  const siblingOf = new Map<string, readonly [string, string]>();
  for (const pair of siblings) for (const t of pair) siblingOf.set(t, pair);
  for (const [tag, score] of scores) {
    const pair = siblingOf.get(tag);
    const unit = pair ? pair.join('+') : tag;
    units.set(unit, Math.max(units.get(unit) ?? 0, score));
  }
  const ranked = [...units].sort((a, b) => b[1] - a[1]);
  const [top, second] = [ranked[0], ranked[1]];
  if (!top || top[0] === OTHER) return { tag: UND, confidence: 0 };
  const margin = top[1] - (second?.[1] ?? 0);
  const confidence = 1 - 0.5 ** margin;
  if (top[1] < MIN_EVIDENCE || margin < MIN_MARGIN) return { tag: UND, confidence };
  const pair = siblings.find((p) => p.join('+') === top[0]);
  if (!pair) return { tag: top[0], confidence };
  // Siblings compete as one: shared words make "Norwegian" win, then only the words that differ
  // choose; on a tie the more widely written one is guessed (bokmål, and Iranian Persian, which
  // Dari readers also read), with less confidence.
  const [first, other] = pair;
  const diff = (scores.get(first) ?? 0) - (scores.get(other) ?? 0);
  if (diff >= MIN_MARGIN) return { tag: first, confidence };
  if (-diff >= MIN_MARGIN) return { tag: other, confidence };
  return { tag: first, confidence: confidence * 0.6 };
}

/** How {@link createLanguageDetector} builds a detector. */
export interface DetectorOptions {
  /**
   * Statistical model for Latin- and Cyrillic-script text; without one, only letters and word
   * lists count.
   */
  model?: LanguageModel;
  /** false switches off the Latin and Cyrillic word lists, to measure a model on its own. */
  wordLists?: boolean;
  /** Fewest letters for which the model is asked; default {@link MODEL_MIN_LETTERS}. */
  modelMinLetters?: number;
  /** Lowest model score that counts; default {@link MODEL_MIN_SCORE}. */
  modelMinScore?: number;
  /** The word lists and rules; default: read from locales/ once. */
  data?: DetectorData;
}

/**
 * Builds a detector. The statistical model is injectable so the benchmark can compare
 * candidates through the same word lists and rules.
 */
export function createLanguageDetector(options: DetectorOptions = {}): LanguageDetector {
  const data = options.data ?? DEFAULT_DATA;
  const scripts = new Set(data.scriptOf.values());
  const scriptTests = [...scripts].map((s) => [s, new RegExp(`\\p{Script=${s}}`, 'u')] as const);
  const localesOf = (script: string) => data.tags.filter((t) => data.scriptOf.get(t) === script);

  /** The model's best guess counts as one vote of {@link MODEL_WEIGHT}, if it is asked at all. */
  const addModel = (scores: Scores, text: string, letterCount: number) => {
    const model = options.model;
    if (!model || letterCount < (options.modelMinLetters ?? MODEL_MIN_LETTERS)) return;
    const best = model.guesses(text)[0];
    if (!best || best.score < (options.modelMinScore ?? MODEL_MIN_SCORE)) return;
    // A fixed vote rather than the score itself: each library scales its scores differently, and
    // the threshold above is where that difference is accounted for.
    const tags = modelCodeToTags(best.code, data);
    for (const tag of tags) add(scores, tag, MODEL_WEIGHT);
    if (tags.length > 0) return;
    add(scores, OTHER, MODEL_WEIGHT);
    for (const tag of data.tags) if (!model.knows.includes(tag)) add(scores, tag, MODEL_WEIGHT);
  };

  /**
   * Letters and words decide when they can; the model only fills in when they do not. Added to
   * every decision, tinyld overruled "і" in "так, почнімо" with "Russian" and gained nothing on
   * the dev set (tests/bench/detectorAccuracy.ts).
   */
  const detectInScript = (script: string, text: string, tokens: string[], letterCount: number): LanguageGuess => {
    const scores: Scores = new Map();
    const asksModel = MODEL_SCRIPTS.has(script);
    const own = localesOf(script);
    if (own.length === 1 && !asksModel) {
      // A script only one served language uses (Thai, Ethiopic): that language, unless the words
      // are those of another language in the same script (Amharic).
      addWords(scores, tokens, data.lexicons.get(script));
      if ((scores.get(OTHER) ?? 0) > (scores.get(own[0]) ?? 0)) return { tag: UND, confidence: 0 };
      return { tag: own[0], confidence: scores.has(own[0]) ? SOLE_SCRIPT_WITH_WORDS : (data.scriptConfidence.get(own[0]) ?? SOLE_SCRIPT_CONFIDENCE) };
    }
    if (!(asksModel && options.wordLists === false)) addWords(scores, tokens, data.lexicons.get(script));
    addLetters(scores, text.toLowerCase(), data.letters.get(script) ?? []);
    addPrefixes(scores, tokens, data.prefixes.get(script) ?? []);
    const guess = decide(scores, data.siblings);
    // One word is too little for character statistics ("Grazie" → Polish); only the word lists,
    // which know that "tak" is Polish, may name the language of a one-word message.
    if (!asksModel || guess.tag !== UND || !options.model || tokens.length < 2) return guess;
    addModel(scores, text, letterCount);
    return decide(scores, data.siblings);
  };

  return (text, supported = data.tags) => {
    const counts = new Map<string, number>();
    for (const ch of text) {
      if (!/\p{L}/u.test(ch)) continue;
      const script = scriptTests.find(([, re]) => re.test(ch))?.[0] ?? OTHER;
      counts.set(script, (counts.get(script) ?? 0) + 1);
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return { tag: UND, confidence: 0 };
    const [script, count] = [...counts].sort((a, b) => b[1] - a[1])[0];
    // Mixed scripts without a clear majority (a name in one script, a question in another)
    // are not worth a guess.
    if (count / total < 0.7 || script === OTHER) return { tag: UND, confidence: 0 };
    const guess = detectInScript(script, text, words(text), count);
    if (guess.tag === UND || supported.includes(guess.tag)) return guess;
    const relative = (data.readable.get(guess.tag) ?? []).find((t) => supported.includes(t));
    if (relative) return { tag: relative, confidence: guess.confidence * 0.8 };
    return { tag: UND, confidence: 0 };
  };
}

let tinyld: typeof import('tinyld/heavy') | undefined;

/**
 * tinyld's best guess, from its "heavy" model: on the dev rows it made fewer wrong guesses than
 * the default one, at the price of about 75 MB of memory and 0.5 s to load. It is loaded on the
 * first message the word lists cannot settle, so processes that never see one (most tests, the
 * CLI) do not pay for it. tinyld knows bokmål only as "Norwegian" and has no Somali, Sámi or
 * nynorsk; which served languages it knows is `model.knownBy` in each detect.json.
 */
export const tinyldModel: LanguageModel = {
  knows: DEFAULT_DATA.knownBy.get('tinyld') ?? [],
  guesses(text) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, not at start-up (README, Measured)
    tinyld ??= require('tinyld/heavy') as typeof import('tinyld/heavy');
    return tinyld
      .detectAll(text)
      .slice(0, 1)
      .map((g) => ({ code: g.lang, score: g.accuracy }));
  },
};

/**
 * Guesses the language of a respondent's first message.
 *
 * @param text what the respondent wrote, any script
 * @param supported tags the bot can offer; a guess outside them becomes a readable relative
 *   (Dari → Persian, nynorsk → bokmål and back) or "und"
 * @returns a tag from `supported`, or "und" when the text is too short, ambiguous or in a
 *   language the bot does not serve
 */
export const detectLanguage: LanguageDetector = createLanguageDetector({ model: tinyldModel });

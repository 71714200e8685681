import { digitValue, foldDigits } from './digits';

/**
 * The one text fold of the project: how what a respondent types is compared with the words the
 * bot knows (answers, keywords, language names, detector word lists, redaction's word lists,
 * municipality names), and the one list of invisible characters. No other file normalises text
 * (tests/architecture.test.ts).
 *
 * Every fold shares the same base: Unicode compatibility forms (NFKC: full-width letters, Arabic
 * presentation forms), lower case, no invisible or bidi characters, no Arabic tatweel or short
 * vowel marks, every decimal digit as ASCII (src/text/digits.ts) and one apostrophe. What differs
 * is which letters count as one: a table per script ({@link LETTER_CLASSES}) names the letters
 * that writers type for each other, and each fold says which of those classes it applies — a
 * locale in its `meta.json` (`fold`), redaction, the language detector. Those differences are
 * deliberate: in Pashto ي and ی are different letters, so Pashto does not fold them, and the
 * detector keeps Arabic and Persian yeh apart because which one a phone produces is evidence of
 * the keyboard, and so of the language.
 */

/**
 * Letters typed for each other, by script. Each class is a list of groups; a fold that applies the
 * class writes every letter of a group as the group's first.
 */
export const LETTER_CLASSES = {
  // Arabic script: Arabic, Persian, Dari, Pashto, Urdu and Sorani keyboards give different letters for the same sound.
  /** Persian ی, Arabic ي and alef maksura ى. */
  yeh: [['ی', 'ي', 'ى']],
  /** Only alef maksura as ی: Pashto keeps ي as a letter of its own. */
  final_yeh: [['ی', 'ى']],
  /** Persian ی and Arabic ي, alef maksura kept apart: Arabic على "on" is not the name علي. */
  yeh_not_maksura: [['ی', 'ي']],
  /** Persian keheh ک and Arabic kaf ك. */
  kaf: [['ک', 'ك']],
  /** Heh in its forms: Urdu ہ and ھ, Sorani ە (a Persian keyboard has only ه), heh with yeh ۀ. */
  heh: [['ه', 'ہ', 'ھ', 'ە', 'ۀ']],
  /** Teh marbuta written as heh, as many Arabic writers do. */
  teh_marbuta: [['ه', 'ة']],
  /** Hamza seats on alef: they vary between keyboards and writers. */
  alef: [['ا', 'أ', 'إ', 'آ', 'ٱ']],
  /** Persian gaf and the Pashto gaf with a ring (ګل, گل): a Persian keyboard has only the first. */
  gaf: [['گ', 'ګ']],
  /** Sorani letters an Arabic or Persian keyboard lacks, as their base letters. */
  sorani: [
    ['ی', 'ێ'],
    ['و', 'ۆ'],
    ['ف', 'ڤ'],
    ['ر', 'ڕ'],
    ['ل', 'ڵ'],
  ],
  // Cyrillic
  /** Russian ё, usually written е. */
  yo: [['е', 'ё']],
  // Latin
  /** Norwegian letters as Swedish, Danish and older Norwegian spellings write them (Aas, Tromsö). */
  nordic: [
    ['å', 'aa'],
    ['æ', 'ä'],
    ['ø', 'ö'],
  ],
} as const satisfies Record<string, readonly (readonly string[])[]>;

export type LetterClass = keyof typeof LETTER_CLASSES;
export const LETTER_CLASS_NAMES = Object.keys(LETTER_CLASSES) as LetterClass[];

/** Every letter of the classes paired with the one it is written as, `[typed, meant]`. */
export function letterPairs(classes: readonly LetterClass[] = []): [string, string][] {
  const pairs = new Map<string, string>();
  for (const c of classes) for (const group of LETTER_CLASSES[c]) for (const letter of group.slice(1)) if (!pairs.has(letter)) pairs.set(letter, group[0]);
  // A letter that is another group's first (ی is yeh's and sorani's) resolves in one step.
  for (const [typed, meant] of pairs) if (pairs.has(meant)) pairs.set(typed, pairs.get(meant)!);
  return [...pairs];
}

/** How a language folds text, as declared in its `meta.json`. */
export interface FoldRules {
  /**
   * Fold Latin diacritics ("sprak" for "språk", "dzien" for "dzień") and spell out Latin letters
   * that do not decompose (ø æ ł đ ŋ ŧ ß). Only marks on Latin letters are removed: in Thai,
   * Arabic or Ethiopic text the marks carry meaning.
   */
  diacritics: boolean;
  /** The {@link LETTER_CLASSES} applied, after lower-casing, longest letter first. */
  letters?: readonly LetterClass[];
}

/** A compiled fold: text in, comparable text out. */
export type Fold = (text: string) => string;

/** The comparison fold of one language, with its letter fold for callers that split text first. */
export interface CompiledFold extends Fold {
  /** The same letters, with punctuation and spacing left as typed. */
  readonly letters: Fold;
}

// C0/C1 controls, DEL, soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width
// characters, bidi embeddings/overrides/isolates, word joiner and BOM: invisible, and a bidi
// override can make stored text display differently from what was typed.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const ONE_INVISIBLE = new RegExp(`^${INVISIBLE.source}$`, 'u');

/** Whether one character is invisible (a control, a bidi mark, a zero-width character): the one list of them. */
export function isInvisible(ch: string): boolean {
  return ONE_INVISIBLE.test(ch);
}
// Tatweel (elongation) and the optional Arabic-script vowel marks: writers add or leave them out.
// eslint-disable-next-line no-misleading-character-class -- the marks are matched on their own, to be removed
const ARABIC_OPTIONAL = /[\u0640\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED]/g;
const APOSTROPHES = /[’‘ʼ`´]/g;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;
// Latin letters that Unicode does not decompose into a base letter and a mark.
const LATIN_SPELLED_OUT: ReadonlyArray<[RegExp, string]> = [
  [/ø/g, 'o'],
  [/æ/g, 'ae'],
  [/œ/g, 'oe'],
  [/ł/g, 'l'],
  [/đ/g, 'd'],
  [/ŋ/g, 'n'],
  [/ŧ/g, 't'],
  [/ß/g, 'ss'],
];
const MARK_ON_LATIN = /(\p{Script=Latin})\p{M}+/gu;
const LATIN_BEYOND_ASCII = /(?![\x20-\x7E])\p{Script=Latin}/u;
const ASCII_LETTER_MARK = /[A-Za-z]\p{M}/u;
// Sentence punctuation of the scripts we serve: Latin, Arabic ، ؛ ؟ ۔, Devanagari ।, Ethiopic
// ። ፣ ፤ ፥ ፦ ፧ ፨, Thai ฯ is a letter-like abbreviation mark and stays.
const PUNCTUATION = /[.!?,;:'"«»“”„‹›()[\]{}\u060C\u061B\u061F\u06D4\u0964\u0965\u1361-\u1368]+/g;

/**
 * Removes invisible and control characters and collapses whitespace; keeps newlines and tabs as
 * spaces. This is what is kept of free text: it changes nothing a reader can see.
 */
export function sanitize(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(/[\t\r\n]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * Folds letters but keeps punctuation and word boundaries, for callers that cut text into words
 * themselves (the language detector keeps "i'm" and "su'aal" whole).
 */
export function createLetterFold(rules: FoldRules): Fold {
  const letters = letterPairs(rules.letters)
    .map(([from, to]) => [from.normalize('NFKC').toLowerCase(), to.normalize('NFKC').toLowerCase()] as const)
    .sort((a, b) => b[0].length - a[0].length);
  // letterPairs resolves every letter in one step, so single letters can be replaced in one pass.
  const table = new Map<string, string>(letters);
  const single = letters.every(([from]) => from.length === 1);
  const anyLetter = single && letters.length ? new RegExp(`[${letters.map(([from]) => from.replace(/[\]\\^-]/g, '\\$&')).join('')}]`, 'g') : undefined;
  // Printable ASCII needs no normalisation, has no invisible characters, marks or other digits:
  // lower case and the backtick as apostrophe is all, unless a class folds ASCII letters (aa).
  const asciiShortcut = !letters.some(([from]) => PRINTABLE_ASCII.test(from));
  return (text) => {
    if (asciiShortcut && PRINTABLE_ASCII.test(text)) {
      const lower = text.toLowerCase();
      return lower.includes('`') ? lower.replace(/`/g, "'") : lower;
    }
    let s = text.normalize('NFKC').toLowerCase();
    if (anyLetter) s = s.replace(anyLetter, (c) => table.get(c)!);
    else for (const [from, to] of letters) s = s.split(from).join(to);
    s = foldDigits(s.replace(INVISIBLE, '').replace(ARABIC_OPTIONAL, '')).replace(APOSTROPHES, "'");
    // Only a Latin letter can lose a mark: text without one (Cyrillic, Arabic) is left as it is.
    if (rules.diacritics && (LATIN_BEYOND_ASCII.test(s) || ASCII_LETTER_MARK.test(s))) {
      for (const [re, to] of LATIN_SPELLED_OUT) s = s.replace(re, to);
      s = s.normalize('NFD').replace(MARK_ON_LATIN, '$1').normalize('NFC');
    }
    return s;
  };
}

/** Text as typed, in compatibility forms, without invisible characters, every digit ASCII: for reading a number. */
export function plainDigits(text: string): string {
  return foldDigits(sanitize(text.normalize('NFKC')));
}

/** A letter without its marks ("é" → "e"), for patterns that accept both. */
export function baseLetter(ch: string): string {
  return ch.normalize('NFD')[0];
}

/** A phrase as a pattern is built from: composed, without invisible characters, one space between words. */
export function phraseLetters(phrase: string): string {
  return phrase.normalize('NFC').replace(INVISIBLE, '').trim().replace(/\s+/g, ' ');
}

/**
 * The fold in which answers, keywords and names are compared: {@link createLetterFold}, then
 * sentence punctuation as space and runs of whitespace as one space. A message of punctuation
 * only ("?", "-") is kept as typed, so it can still be a keyword. Compile once per language and
 * reuse it: it runs on every message and built every vocabulary.
 */
export function createFold(rules: FoldRules): CompiledFold {
  const letters = createLetterFold(rules);
  const fold = (text: string) => {
    const folded = letters(text);
    return folded.replace(PUNCTUATION, ' ').replace(/\s+/g, ' ').trim() || folded.replace(/\s+/g, '').trim();
  };
  return Object.assign(fold, { letters });
}

/**
 * The fold of redaction's word lists (introductions, sign-offs, words that end a name), which run
 * over free text in whatever language and keyboard it was typed: the Arabic-script letters that
 * writers of Arabic, Persian, Urdu, Sorani and Pashto type for each other are one letter each
 * (yeh, kaf, heh), since no one language's distinction can be relied on there. Redaction folds
 * Latin diacritics itself, only for words typed without any (src/privacy/redaction/words.ts).
 */
export const REDACTION_FOLD_RULES: FoldRules = { diacritics: false, letters: ['yeh', 'kaf', 'heh', 'teh_marbuta'] };

/**
 * The fold of the name lists (src/privacy/redaction/namelists/names-*.json) and of the words they are
 * compared with: a name is spelled many ways, so more letters count as one than in the word lists —
 * Persian and Arabic yeh, kaf, heh, teh marbuta, hamza seats and gaf, the Sorani letters an Arabic
 * or Persian keyboard lacks, Russian ё as е, and Latin diacritics folded ("Łukasz", "Lukasz").
 * Alef maksura stays apart from yeh: in Arabic على is "on" and علي is Ali.
 */
export const NAME_LIST_FOLD_RULES: FoldRules = { diacritics: true, letters: ['yeh_not_maksura', 'kaf', 'heh', 'teh_marbuta', 'alef', 'gaf', 'sorani', 'yo'] };

/**
 * The fold of the first-message language detector, which does not yet know the language: Latin
 * diacritics (a Polish phone on a Norwegian keyboard writes "dzien dobry"), hamza seats on alef
 * (they vary between keyboards and writers) and Russian ё as е. Arabic yeh and kaf (ي ك) and
 * Persian yeh and keheh (ی ک) are NOT folded: they tell Arabic from the other languages.
 */
export const DETECTION_FOLD_RULES: FoldRules = { diacritics: true, letters: ['alef', 'yo'] };

/**
 * The fold of language names, typed in any script before a language is chosen: every Arabic-script
 * yeh and kaf as one letter, and Latin diacritics folded (src/language/words.ts).
 */
export const NAME_FOLD_RULES: FoldRules = { diacritics: true, letters: ['yeh', 'kaf'] };

/** The fold of Norwegian municipality names, typed with Swedish or Danish letters or none (src/privacy/counties.ts). */
export const PLACE_FOLD_RULES: FoldRules = { diacritics: true, letters: ['nordic'] };

/**
 * Scripts written without spaces between words (ISO 15924): Thai, Lao, Khmer, Myanmar, Han and
 * Japanese kana. In these a word can only be found inside the letters of a message.
 */
const UNSPACED_SCRIPTS: ReadonlySet<string> = new Set(['Thai', 'Laoo', 'Khmr', 'Mymr', 'Hani', 'Hira', 'Kana', 'Jpan']);

/** Whether text in `script` (an ISO 15924 code, as in a locale's meta.json) separates its words with spaces. */
export function writesSpaces(script: string): boolean {
  return !UNSPACED_SCRIPTS.has(script);
}

/**
 * A copy of the text in which every decimal digit is ASCII, every horizontal space is ' ', every
 * dash is '-', and invisible direction marks are gone, with a map back to the original offsets.
 * Respondents type on Arabic, Persian and Polish keyboards and paste from apps that insert
 * no-break spaces and bidi marks; matching on the folded copy lets one set of patterns serve all,
 * while the replacement is made in the original so the respondent's script is kept elsewhere.
 */
export interface Folded {
  text: string;
  /** For each UTF-16 unit of `text`: the original span [start, end) it came from. */
  start: number[];
  end: number[];
}

const HORIZONTAL_SPACE = /^[\t\p{Zs}]$/u;
const DASH = /^[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]$/u;

function foldChar(ch: string): string {
  if (ch.length === 1 && ch >= '0' && ch <= '9') return ch;
  const digit = digitValue(ch.codePointAt(0)!);
  if (digit !== undefined) return String(digit);
  if (isInvisible(ch)) return '';
  if (HORIZONTAL_SPACE.test(ch)) return ' ';
  if (DASH.test(ch)) return '-';
  switch (ch) {
    case '\uFF0B':
      return '+';
    case '\uFF20':
    case '\uFE6B':
      return '@';
    case '\u066B':
      return '.'; // Arabic decimal separator
    case '\u066C':
      return ','; // Arabic thousands separator
    default:
      return ch;
  }
}

/** Folds `text` for redaction's patterns (see {@link Folded}); linear in its length. */
export function foldKeepingOffsets(text: string): Folded {
  let out = '';
  const start: number[] = [];
  const end: number[] = [];
  let i = 0;
  for (const ch of text) {
    const mapped = foldChar(ch);
    for (let u = 0; u < mapped.length; u++) {
      start.push(i);
      end.push(i + ch.length);
    }
    out += mapped;
    i += ch.length;
  }
  return { text: out, start, end };
}

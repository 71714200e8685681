import { foldDigits } from './digits';

/**
 * The one text fold of the project: how what a respondent types is compared with the words the
 * bot knows (answers, keywords, language names, detector word lists, municipality names).
 *
 * Every fold shares the same base: Unicode compatibility forms (NFKC: full-width letters, Arabic
 * presentation forms), lower case, no invisible or bidi characters, no Arabic tatweel or short
 * vowel marks, every decimal digit as ASCII (src/text/digits.ts) and one apostrophe. What differs
 * between languages is declared, not coded: a locale's `meta.json` says whether Latin diacritics
 * are folded (`foldDiacritics`) and which letters its writers type in place of others (`fold`),
 * such as Arabic yeh ي for Persian ی, or ه + ZWNJ for Sorani ە on a Persian keyboard. Those
 * differences are deliberate: in Pashto ي and ی are different letters, so Pashto does not fold
 * them, and the detector keeps them apart because which one a phone produces is evidence of the
 * keyboard, and so of the language.
 */

/** How a language folds text, as declared in its `meta.json`. */
export interface FoldRules {
  /**
   * Fold Latin diacritics ("sprak" for "språk", "dzien" for "dzień") and spell out Latin letters
   * that do not decompose (ø æ ł đ ŋ ŧ ß). Only marks on Latin letters are removed: in Thai,
   * Arabic or Ethiopic text the marks carry meaning.
   */
  diacritics: boolean;
  /**
   * Letters this language's writers type for others, as `{ typed: meant }` or both folded to one
   * form, applied in order after lower-casing and before invisible characters are removed, so a
   * rule can name a zero-width non-joiner (`"ه\u200c": "ە"`).
   */
  letters?: Readonly<Record<string, string>>;
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
// Tatweel (elongation) and the optional Arabic-script vowel marks: writers add or leave them out.
// eslint-disable-next-line no-misleading-character-class -- the marks are matched on their own, to be removed
const ARABIC_OPTIONAL = /[\u0640\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED]/g;
const APOSTROPHES = /[’‘ʼ`´]/g;
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
  const letters = Object.entries(rules.letters ?? {}).map(([from, to]) => [from.normalize('NFKC').toLowerCase(), to.normalize('NFKC').toLowerCase()] as const);
  return (text) => {
    let s = text.normalize('NFKC').toLowerCase();
    for (const [from, to] of letters) s = s.split(from).join(to);
    s = foldDigits(s.replace(INVISIBLE, '').replace(ARABIC_OPTIONAL, '')).replace(APOSTROPHES, "'");
    if (rules.diacritics) {
      for (const [re, to] of LATIN_SPELLED_OUT) s = s.replace(re, to);
      s = s.normalize('NFD').replace(MARK_ON_LATIN, '$1').normalize('NFC');
    }
    return s;
  };
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
export const REDACTION_FOLD_RULES: FoldRules = {
  diacritics: false,
  letters: { ی: 'ي', ى: 'ي', ک: 'ك', ہ: 'ه', ە: 'ه', ة: 'ه', ۀ: 'ه' },
};

/**
 * The fold of the first-message language detector, which does not yet know the language: Latin
 * diacritics (a Polish phone on a Norwegian keyboard writes "dzien dobry"), hamza seats on alef
 * (they vary between keyboards and writers) and Russian ё as е. Arabic yeh and kaf (ي ك) and
 * Persian yeh and keheh (ی ک) are NOT folded: they tell Arabic from the other languages.
 */
export const DETECTION_FOLD_RULES: FoldRules = {
  diacritics: true,
  letters: { أ: 'ا', إ: 'ا', آ: 'ا', ٱ: 'ا', ё: 'е' },
};

/**
 * Scripts written without spaces between words (ISO 15924): Thai, Lao, Khmer, Myanmar, Han and
 * Japanese kana. In these a word can only be found inside the letters of a message.
 */
const UNSPACED_SCRIPTS: ReadonlySet<string> = new Set(['Thai', 'Laoo', 'Khmr', 'Mymr', 'Hani', 'Hira', 'Kana', 'Jpan']);

/** Whether text in `script` (an ISO 15924 code, as in a locale's meta.json) separates its words with spaces. */
export function writesSpaces(script: string): boolean {
  return !UNSPACED_SCRIPTS.has(script);
}

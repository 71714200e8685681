/**
 * Matching words and phrases the way respondents type them: any case, Latin diacritics left out
 * on a keyboard without them ("nazywam sie"), Arabic-script letters typed from the neighbouring
 * language's keyboard (Arabic ي ك ه for Persian/Urdu ی ک ہ and back), and any apostrophe.
 */

import { baseLetter, createLetterFold, letterPairs, phraseLetters, REDACTION_FOLD_RULES } from '../../text/fold';

// The letters the fold makes one, as classes for the phrase patterns below: each letter they are
// written as with every letter written as it ("یيى", "کك", "هہھەۀة").
const ARABIC_VARIANTS = Object.values(
  letterPairs(REDACTION_FOLD_RULES.letters).reduce<Record<string, string>>(
    (groups, [typed, meant]) => ({ ...groups, [meant]: (groups[meant] ?? meant) + typed }),
    {},
  ),
);
const APOSTROPHES = "'’ʼ`´";

const exactFold = createLetterFold({ ...REDACTION_FOLD_RULES, diacritics: false });
const plainFold = createLetterFold({ ...REDACTION_FOLD_RULES, diacritics: true });

function normalise(word: string, stripAllMarks: boolean): string {
  return (stripAllMarks ? plainFold : exactFold)(word);
}

/** The form of a word used for lookups: lower case, one yeh, kaf, heh and apostrophe, diacritics kept. */
export function wordKey(word: string): string {
  return normalise(word, false);
}

/** {@link wordKey} without any diacritics. */
export function plainKey(word: string): string {
  return normalise(word, true);
}

/**
 * A set of words looked up as respondents type them. A word typed with diacritics must match
 * exactly (Swedish "är" is not Norwegian "år"); a word typed without any matches a listed word
 * whose diacritics were left out ("zl" for "zł" does not exist, but "nazywam sie" and "ar" do).
 */
export interface WordSet {
  has(word: string): boolean;
}

export function keySet(words: Iterable<string>): WordSet {
  const list = [...words];
  const exact = new Set(list.map((w) => normalise(w, false)));
  const plain = new Set(list.map((w) => normalise(w, true)));
  return {
    has(word: string) {
      const key = normalise(word, false);
      if (exact.has(key)) return true;
      return normalise(word, true) === key && plain.has(key);
    },
  };
}

// With the u flag only syntax characters may be escaped, and "-" only inside a class.
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const escapeInClass = (s: string) => s.replace(/[\]\\^-]/g, '\\$&');

function charClass(ch: string): string {
  if (APOSTROPHES.includes(ch)) return `[${APOSTROPHES}]`;
  if (ch === ' ') return ' +';
  const members = new Set([ch]);
  const base = baseLetter(ch);
  if (base !== ch) members.add(base);
  for (const group of ARABIC_VARIANTS) if (group.includes(ch) || group.includes(base)) for (const g of group) members.add(g);
  return members.size === 1 ? escape(ch) : `[${[...members].map(escapeInClass).join('')}]`;
}

/**
 * The source of a regular expression (flags `iu`) for one phrase: each letter also matches its
 * base letter and its Arabic-script variants, each space one or more spaces.
 */
export function phrasePattern(phrase: string): string {
  return [...phraseLetters(phrase)].map(charClass).join('');
}

/** An alternation of phrases, longest first so "med vennlig hilsen" wins over "hilsen". */
export function phrasesPattern(phrases: readonly string[]): string {
  return [...new Set(phrases)]
    .sort((a, b) => b.length - a.length)
    .map(phrasePattern)
    .join('|');
}

/** Scripts written without spaces between words, where a phrase may be glued to the next word. */
export const UNSPACED = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * The source of a regular expression (flags `giu`) matching any of `phrases` as whole words; a
 * phrase in an unspaced script (Thai) is glued to the words around it, so no boundary is asked
 * for there. Matches nothing when the list is empty.
 */
export function wholePhrases(phrases: readonly string[]): string {
  const spaced = phrases.filter((p) => !UNSPACED.test(p));
  const unspaced = phrases.filter((p) => UNSPACED.test(p));
  const parts: string[] = [];
  if (spaced.length) parts.push(`(?<![\\p{L}\\p{M}])(?:${phrasesPattern(spaced)})(?![\\p{L}\\p{M}])`);
  if (unspaced.length) parts.push(`(?:${phrasesPattern(unspaced)})`);
  return parts.length ? parts.join('|') : '(?!)';
}

const UPPER = /^\p{Lu}/u;
const CASED = /^[\p{Lu}\p{Ll}\p{Lt}]/u;

/** Whether a word starts with a capital letter. */
export const isCapitalised = (word: string) => UPPER.test(word);
/** Whether a word's script has letter case (Latin, Cyrillic, Greek, …), so a capital means something. */
export const hasCase = (word: string) => CASED.test(word);
/** An acronym such as NAV or UDI: several letters, all capitals. */
export const isAcronym = (word: string) => word.length > 1 && word === word.toUpperCase() && word !== word.toLowerCase();

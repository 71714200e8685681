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

/** Where one phrase of a {@link phraseFinder} was found: [start, end) in the text searched. */
export interface PhraseMatch {
  start: number;
  end: number;
  /** The phrase found, as listed. */
  phrase: string;
}

const PHRASE_WORD = /[\p{L}\p{M}](?:[\p{L}\p{M}'’ʼ`´-]*[\p{L}\p{M}])?/gu;
// The fold of single letters, kept: letters are no personal data, and there are few of them.
const letterKeys = new Map<string, string>();
const letterKey = (ch: string) => {
  let key = letterKeys.get(ch);
  if (key === undefined) letterKeys.set(ch, (key = plainKey(ch)[0] ?? ''));
  return key;
};
const LETTER_AFTER = /^[\p{L}\p{M}]/u;
const collapse = (gap: string) => gap.replace(/\s+/g, ' ');

/**
 * Finds any of `phrases` as whole words, as {@link wholePhrases} does, but word by word: the text
 * is cut into words once and each word looked up by its {@link plainKey}, which for lists of
 * hundreds of phrases is many times faster than one alternation with a class for every letter.
 * Punctuation inside or after a phrase must be typed as listed ("f.", "sak nr.", "ወ/ሮ", "№ дела"),
 * spaces may be one or more; a phrase in an unspaced script (Thai) is found inside the letters.
 * Matches do not overlap; the longest phrase at a word wins.
 */
export function phraseFinder(phrases: readonly string[]): (text: string) => PhraseMatch[] {
  interface Phrase {
    raw: string;
    keys: string[];
    gaps: string[];
    lead: string;
    trail: string;
    length: number;
  }
  const index = new Map<string, Phrase[]>();
  const unspaced: { raw: string; phrase: string }[] = [];
  for (const raw of new Set(phrases)) {
    const phrase = phraseLetters(raw);
    if (UNSPACED.test(phrase)) {
      unspaced.push({ raw, phrase });
      continue;
    }
    const words = [...phrase.matchAll(PHRASE_WORD)];
    if (!words.length) continue;
    const last = words[words.length - 1];
    const p: Phrase = {
      raw,
      keys: words.map((m) => plainKey(m[0])),
      gaps: words.slice(1).map((m, i) => collapse(phrase.slice(words[i].index! + words[i][0].length, m.index))),
      lead: phrase.slice(0, words[0].index).trim(),
      trail: phrase.slice(last.index! + last[0].length),
      length: phrase.length,
    };
    const list = index.get(p.keys[0]) ?? [];
    list.push(p);
    index.set(p.keys[0], list);
  }
  for (const list of index.values()) list.sort((a, b) => b.length - a.length);
  unspaced.sort((a, b) => b.phrase.length - a.phrase.length);
  // The letters a phrase can begin with: a word beginning with another is not folded at all.
  const firstLetters = new Set([...index.keys()].map((k) => k[0]));

  return (text) => {
    const found: PhraseMatch[] = [];
    if (index.size) {
      const keys = new Map<string, string>();
      const keyOf = (word: string) => {
        let key = keys.get(word);
        if (key === undefined) keys.set(word, (key = plainKey(word)));
        return key;
      };
      const words = [...text.matchAll(PHRASE_WORD)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, word: m[0] }));
      for (let i = 0; i < words.length; i++) {
        // A word that begins with a letter no phrase begins with is not folded at all.
        if (!firstLetters.has(letterKey(words[i].word[0]))) continue;
        for (const p of index.get(keyOf(words[i].word)) ?? []) {
          if (i + p.keys.length > words.length) continue;
          let ok = true;
          for (let j = 1; j < p.keys.length && ok; j++)
            ok = keyOf(words[i + j].word) === p.keys[j] && collapse(text.slice(words[i + j - 1].end, words[i + j].start)) === p.gaps[j - 1];
          if (!ok) continue;
          const start = p.lead ? text.slice(0, words[i].start).trimEnd().length - p.lead.length : words[i].start;
          if (p.lead && (start < 0 || !text.startsWith(p.lead, start))) continue;
          const end = words[i + p.keys.length - 1].end;
          if (p.trail && !text.startsWith(p.trail, end)) continue;
          if (p.trail && LETTER_AFTER.test(text.slice(end + p.trail.length, end + p.trail.length + 1))) continue;
          found.push({ start, end: end + p.trail.length, phrase: p.raw });
          i += p.keys.length - 1;
          break;
        }
      }
    }
    if (unspaced.length && UNSPACED.test(text)) {
      const lower = text.toLowerCase();
      for (const { raw, phrase } of unspaced)
        for (let at = lower.indexOf(phrase); at >= 0; at = lower.indexOf(phrase, at + phrase.length))
          if (!found.some((f) => at < f.end && at + phrase.length > f.start)) found.push({ start: at, end: at + phrase.length, phrase: raw });
      found.sort((a, b) => a.start - b.start);
    }
    return found;
  };
}

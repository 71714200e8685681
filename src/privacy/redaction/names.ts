import { Finding } from './kinds';
import { Lexicon } from './lexicon';
import { Detector } from './numbers';
import { hasCase, isAcronym, isCapitalised, keySet, phrasesPattern, UNSPACED, wholePhrases, wordKey } from './words';

/**
 * Names a respondent gives of themselves: after a self-introduction ("jeg heter Kari", "اسمي
 * أحمد محمد"), after a greeting-position "I am"/"dette er" before a capitalised word, and in a
 * signature that ends the message ("Hilsen Kari", "مع تحياتي أحمد").
 *
 * How much is taken: up to three words (given name, father's and grandfather's name is how many
 * Somali, Eritrean and Arabic names are written), stopping at punctuation, a digit, a line break,
 * anything already redacted, or a word from the locales' `nameStops` (conjunctions, pronouns,
 * prepositions, copulas such as Persian است or Urdu ہے, common verbs). In scripts with letter case
 * a capitalised first word makes the name end at the first lower-case word that is not a particle
 * ("bin", "van"); lower-case writers get the stop words only. Thai is written without spaces
 * between words, so the name runs until a space or a stop word found inside the run (ครับ, ค่ะ),
 * and takes at most two runs (given name and family name).
 */

const WORD = /[\p{L}\p{M}](?:[\p{L}\p{M}'’ʼ-]*[\p{L}\p{M}])?/uy;
// Spaces between the words of a name, and the Ethiopic word space.
const GAP = /[ \u1361]+/y;
// What may sit between an introduction and the name: "my name is: Kari", "jeg heter - Kari".
const LEAD = / *(?:[:\-–—،] *)?/y;
// After a signature's name, the message may only end: whitespace, punctuation, emoji, or
// something already redacted (the mask is a symbol).
const TRAILING = /^[\s\p{P}\p{S}\p{M}\p{Extended_Pictographic}\u200D]$/u;

/** Where the message's closing run of whitespace, punctuation, symbols and emoji begins. */
function trailingStart(text: string): number {
  let i = text.length;
  while (i > 0) {
    // An emoji outside the Basic Multilingual Plane is two UTF-16 units.
    const width = i > 1 && /[\uDC00-\uDFFF]/.test(text[i - 1]) && /[\uD800-\uDBFF]/.test(text[i - 2]) ? 2 : 1;
    if (!TRAILING.test(text.slice(i - width, i))) break;
    i -= width;
  }
  return i;
}

const MAX_WORDS = 3;
const MAX_UNSPACED_RUNS = 2;
// Thai names are rarely shorter than two letters; a stop found before that is part of the name.
const MIN_UNSPACED_NAME = 2;

interface Scan {
  maxWords: number;
  /** The first word must be capitalised (greeting-position introductions). */
  requireCapital: boolean;
  /** Ignore stop words after the first word (signatures, which must end the message anyway). */
  stopsOnlyFirst: boolean;
  /** A capitalised first word is a name even when it is also a stop word. */
  capitalNames: boolean;
}

/** Detectors for names after self-introductions, after greeting-position introductions, and in closing signatures. */
export function nameDetectors(lexicon: Lexicon): Detector[] {
  const { lists } = lexicon;
  // A sign-off is never part of a name ("hilsen hilsen"). Greetings may be: Selam, Salam.
  const oneWord = [...lists.signOffs, ...lists.thanks].filter((w) => !/\s/.test(w));
  const stops = keySet([...lists.nameStops, ...oneWord].filter((w) => !UNSPACED.test(w)));
  const unspacedStops = lists.nameStops.filter((w) => UNSPACED.test(w));
  const particles = keySet(lists.nameParticles);
  const keep = keySet(lists.keepWords);
  const isStop = (word: string) => {
    const key = wordKey(word);
    // Arabic-script "and" is written joined to the next word: وأنا is و + أنا.
    return stops.has(key) || (key.length > 2 && key.startsWith('و') && stops.has(key.slice(1)));
  };

  // "Dette er Asker kommune", "This is Bergen municipality": a place before an institution word.
  const beforeKeepWord = (text: string, end: number) => {
    GAP.lastIndex = end;
    if (!GAP.exec(text)) return false;
    WORD.lastIndex = GAP.lastIndex;
    const next = WORD.exec(text);
    return next !== null && keep.has(next[0]);
  };

  /** Cuts a run of unspaced script at its first stop word; the length kept. */
  const unspacedCut = (run: string) => {
    let cut = run.length;
    for (const s of unspacedStops) {
      const at = run.indexOf(s, MIN_UNSPACED_NAME);
      if (at >= 0 && at < cut) cut = at;
    }
    return cut;
  };

  /** The name starting at `pos` (after the introduction), or undefined. */
  const scan = (text: string, pos: number, opts: Scan): { start: number; end: number } | undefined => {
    LEAD.lastIndex = pos;
    let at = LEAD.exec(text) ? LEAD.lastIndex : pos;
    const words: { start: number; end: number; word: string }[] = [];
    let capitalised = false;
    while (words.length < opts.maxWords) {
      WORD.lastIndex = at;
      const m = WORD.exec(text);
      if (!m) break;
      let word = m[0];
      if (UNSPACED.test(word[0])) {
        const cut = unspacedCut(word);
        if (cut < MIN_UNSPACED_NAME) break;
        if (words.length >= MAX_UNSPACED_RUNS) break;
        word = word.slice(0, cut);
        words.push({ start: at, end: at + word.length, word });
        if (cut < m[0].length) break;
      } else {
        const first = words.length === 0;
        // After a self-introduction a capital is not a sentence start: "my name is Will", "magacaygu
        // waa Ayaan" are names even though "will" and "ayaan" are ordinary words.
        const named = first && opts.capitalNames && hasCase(word) && isCapitalised(word) && !isAcronym(word);
        if ((first || !opts.stopsOnlyFirst) && !named && isStop(word)) break;
        if (first && opts.requireCapital && (!isCapitalised(word) || isAcronym(word) || keep.has(word) || beforeKeepWord(text, at + word.length))) break;
        if (first) capitalised = hasCase(word) && isCapitalised(word);
        else if (capitalised && !opts.stopsOnlyFirst && hasCase(word) && !isCapitalised(word) && !particles.has(word)) break;
        words.push({ start: at, end: at + word.length, word });
      }
      at = words[words.length - 1].end;
      GAP.lastIndex = at;
      if (!GAP.exec(text)) break;
      at = GAP.lastIndex;
    }
    // A particle cannot end a name ("Ali bin" before a stop): the particle is an ordinary word there.
    while (words.length > 1 && particles.has(words[words.length - 1].word)) words.pop();
    if (!words.length) return undefined;
    return { start: words[0].start, end: words[words.length - 1].end };
  };

  const introduction = new RegExp(wholePhrases(lists.introductions), 'giu');
  const greetings = lists.greetings.length ? `(?:(?:${phrasesPattern(lists.greetings)})(?![\\p{L}\\p{M}])[ ,!.]*)?` : '';
  // Only at the start of the message, a line or a sentence, after an optional greeting.
  const greetingIntroduction = new RegExp(
    `(?:^|(?<=[\\n.!?]))[ \\t]*${greetings}(?<![\\p{L}\\p{M}])(?:${lists.greetingIntroductions.length ? phrasesPattern(lists.greetingIntroductions) : '(?!)'})(?![\\p{L}\\p{M}])`,
    'giu',
  );
  // A sign-off, then a comma or the like, and the name on the same line or the next.
  const signOff = new RegExp(`(?:${wholePhrases(lists.signOffs)})[ \\t]*[,:!.\\-–—،؛፣]?[ \\t]*(?:\\r?\\n[ \\t]*)?`, 'giu');

  // Not before a sign-off ("Thank you. Best regards, Kari"): the sign-off's own detector takes that.
  const thanksGap = `[ \\t]*[,:!.\\-–—]?[ \\t]*(?:\\r?\\n[ \\t]*)?`;
  const thanks = lists.thanks.length
    ? new RegExp(`(?:${wholePhrases(lists.thanks)})(?!${thanksGap}(?:${wholePhrases(lists.signOffs)}))${thanksGap}`, 'giu')
    : undefined;

  const fromPhrase = (re: RegExp, opts: Scan, atEndOnly: boolean): Detector =>
    function* (text) {
      const end = atEndOnly ? trailingStart(text) : text.length;
      for (const m of text.matchAll(re)) {
        const found = scan(text, m.index! + m[0].length, opts);
        if (!found) continue;
        if (atEndOnly && found.end < end) continue;
        yield { ...found, kind: 'name' } satisfies Finding;
      }
    };

  return [
    fromPhrase(introduction, { maxWords: MAX_WORDS, requireCapital: false, stopsOnlyFirst: false, capitalNames: true }, false),
    fromPhrase(greetingIntroduction, { maxWords: MAX_WORDS, requireCapital: true, stopsOnlyFirst: false, capitalNames: false }, false),
    fromPhrase(signOff, { maxWords: MAX_WORDS + 1, requireCapital: false, stopsOnlyFirst: true, capitalNames: true }, true),
    ...(thanks ? [fromPhrase(thanks, { maxWords: MAX_WORDS, requireCapital: true, stopsOnlyFirst: true, capitalNames: false }, true)] : []),
  ];
}

import { CompiledFold, sanitize } from '../text/fold';
import { Question, optionsOf } from './definition';
import { AnswerValue, bandOf } from './engine';

/**
 * Answer recognition for every language the bot speaks. botbuilder's prompt recognisers cover nine
 * cultures and none of ours, so this works from the locale's own words (option labels and
 * synonyms) plus numbers in any decimal digit script (src/text/digits.ts), compared in the
 * locale's fold (src/text/normalize.ts).
 *
 * The survey compares groups, so a typed answer coded as the wrong option is worse than no answer:
 * it moves a respondent silently from one group to another ("hoy la'aan", without shelter, read as
 * temporary shelter). An answer is therefore stored at once only when it cannot be read two ways:
 * a button or option number, or a whole label or synonym. Anything found *inside* a longer message,
 * next to one of the locale's negation words, or read from the message's word stems is only a
 * candidate the respondent must confirm ({@link Unsure}); two candidates for one choice are asked
 * again.
 */

/** The words one locale offers for a question, as written in its locale files. */
export interface VocabularyWords {
  /** Label first, then synonyms, per option. */
  options: Record<string, readonly string[]>;
  skip: readonly string[];
  /** Words that join several choices ("og", "and"); commas, slashes and spaces between numbers always do. */
  and: readonly string[];
  /** The locale's negation and "without" words (meta.json `negation`): "ikke", "la'aan", "بدون". */
  negation?: readonly string[];
  /**
   * Politeness particles that are an answer alone and nothing inside a sentence (Thai ค่ะ and
   * ครับ say "yes" alone, and end every polite sentence): never taken as an option inside one.
   */
  particles?: readonly string[];
  /**
   * Letters after which this language's writers may put a space inside a word: on a Persian
   * keyboard a Sorani writer types ە as ه, which joins the next letter, so many type "به لی" for
   * "بەڵێ". The message is also read with those spaces taken out.
   */
  joinAfter?: readonly string[];
  /** Numbers written as words ("fem", "пять", "ห้า"), by value (locales/<lng>/numbers.json). */
  numbers?: Readonly<Record<string, readonly string[]>>;
  /** The words for month and year, in their forms ("måneder", "месяцев", "ماهه"). */
  units?: { month?: readonly string[]; year?: readonly string[] };
  /**
   * Words that point to an option but are never an answer by themselves: Norwegian names of
   * services that respondents write in any language ("hospits", "bostøtte"). Found inside a
   * message, they give a reading to confirm; typed alone too.
   */
  hints?: Record<string, readonly string[]>;
  /**
   * Words that tell no option from another however often they appear in one's words: the
   * question's own words, which answers echo ("Where do you live?" — "I live with friends"), and
   * the locale's most common words ("the", "med"). Never counted as an option's stem.
   */
  common?: readonly string[];
  /**
   * False for scripts written without spaces between words (Thai): options are then looked for
   * inside the message's letters rather than as whole words.
   */
  spaced?: boolean;
}

/**
 * A question's words in one locale, folded once when the bot starts (src/bot/words.ts), so
 * recognising a message folds only the message.
 */
export interface Vocabulary {
  /** Folded words per option, label first; empty words are left out. */
  options: Readonly<Record<string, readonly string[]>>;
  skip: ReadonlySet<string>;
  /** Folded joining words, as regular-expression alternatives. */
  and: readonly string[];
  /** Folded negation words, each as its words. */
  negation: readonly (readonly string[])[];
  particles: ReadonlySet<string>;
  /** {@link VocabularyWords.joinAfter}, as a pattern of the letter and the spaces after it; undefined when none. */
  joinAfter?: RegExp;
  /** Folded number words and their values, longest first. */
  numbers: readonly (readonly [string, number])[];
  /** Folded words for month and year. */
  units: { month: readonly string[]; year: readonly string[] };
  /** {@link VocabularyWords.hints}, folded, without the words an option already has. */
  hints: Readonly<Record<string, readonly string[]>>;
  spaced: boolean;
  /**
   * Per option, the words of its label and synonyms that no other option of the question shares
   * (by stem), for answers in the respondent's own words: "renting privately" → rent_private.
   */
  stems: Readonly<Record<string, readonly string[]>>;
  /**
   * Per option, the words every other option of the question has and this one lacks: what sets
   * it apart ("parents", "Norway" for "born in another country"). A hint for it gives way when
   * the message has one of them ("born here, my parents came from Eritrea" is not born abroad).
   */
  lacks: Readonly<Record<string, readonly string[]>>;
  fold: CompiledFold;
}

/**
 * Words shorter than this are never matched by stem: "the", "and", "jeg", "med". Lengths count
 * letters, an Ethiopic syllable as two (ስድራ, "family", is three characters and six sounds).
 */
const MIN_STEM_WORD = 4;
/** Two words share a stem when they agree on at least this many leading letters… */
const MIN_STEM_PREFIX = 4;
/** …and differ after it by at most this many letters of the shorter one (an ending: друзья, друзей). */
const MAX_STEM_ENDING = 2;

const SYLLABIC = /[\u1200-\u139F\u2D80-\u2DDF\uAB00-\uAB2F]/u;

/** A word's length in letters (see {@link MIN_STEM_WORD}), and each character's weight. */
function weight(ch: string): number {
  return SYLLABIC.test(ch) ? 2 : 1;
}
function letterLength(word: string): number {
  let n = 0;
  for (const ch of word) n += weight(ch);
  return n;
}

/** Folds a locale's words for {@link recognize}. */
export function compileVocabulary(words: VocabularyWords, fold: CompiledFold): Vocabulary {
  const folded = (list: readonly string[]) => [...new Set(list.map(fold).filter(Boolean))];
  const options = Object.fromEntries(Object.entries(words.options).map(([o, list]) => [o, folded(list)]));
  const negation = folded(words.negation ?? []).map((w) => w.split(' '));
  const spaced = words.spaced ?? true;
  const and = words.and
    .map((w) => fold.letters(w).trim())
    .filter(Boolean)
    .map(escapeRegExp);
  const particles = new Set(folded(words.particles ?? []));
  const own = new Set(Object.values(options).flat());
  const hints = Object.fromEntries(Object.keys(options).map((o) => [o, folded(words.hints?.[o] ?? []).filter((w) => !own.has(w))]));
  const ignored = new Set([...negation.flat(), ...folded(words.and), ...particles, ...folded(words.common ?? []).flatMap((w) => w.split(' '))]);
  const joinAfter = words.joinAfter?.length ? new RegExp(`(${words.joinAfter.map(escapeRegExp).join('|')})[ \\t]+`, 'gu') : undefined;
  // Folded as numberText folds the message: a word's apostrophe kept ("п'ять").
  const asNumberWord = (list: readonly string[]) => [...new Set(list.map((w) => numberText(w, fold)).filter(Boolean))];
  const numbers = Object.entries(words.numbers ?? {})
    .flatMap(([n, list]) => asNumberWord(list).map((w) => [w, Number(n)] as const))
    .sort((a, b) => b[0].length - a[0].length);
  const units = { month: asNumberWord(words.units?.month ?? []), year: asNumberWord(words.units?.year ?? []) };
  return {
    options,
    skip: new Set(folded(words.skip)),
    and,
    negation,
    particles,
    hints,
    joinAfter,
    numbers,
    units,
    spaced,
    stems: spaced ? discriminatingStems(options, ignored) : {},
    lacks: spaced ? lackedWords(options, ignored) : {},
    fold,
  };
}

/**
 * Why a message is not an answer. `ambiguous`: it matches two different options ("I rent from
 * the municipality" when "I rent" means private renting); the bot asks again rather than guess,
 * and counts it as not understood.
 */
export type Rejection = 'empty' | 'no_match' | 'ambiguous' | 'out_of_range' | 'too_long' | 'exclusive' | 'not_optional';

/**
 * A reading the respondent must confirm before it is stored: an option found inside a longer
 * message, next to a negation, or from word stems. `value` is what would be stored on "yes".
 */
export interface Unsure {
  ok: false;
  reason: 'confirm';
  value: AnswerValue;
  /** For number and scale questions: the number as read, which is what the respondent is shown. */
  number?: number;
  /** Every reading was next to a negation ("not my own flat"): the respondent may have meant the opposite. */
  negated: boolean;
}

export type Recognition = { ok: true; value: AnswerValue } | { ok: false; reason: Rejection } | Unsure;

/** Longest message worth matching against options; anything longer is not a choice. */
const MAX_CHOICE_INPUT = 200;

/** How sure a match of one choice is. */
type Match =
  { kind: 'sure'; option: string } | { kind: 'unsure'; option: string; negated: boolean } | { kind: 'ambiguous' } | { kind: 'none' } | { kind: 'out_of_range' };

/** Reads an integer written alone (possibly with a sign). */
function asInteger(s: string): number | undefined {
  return /^[+-]?\d{1,9}$/.test(s) ? Number(s) : undefined;
}

/** An option's words found in a message: where (in words, or in letters for unspaced scripts), and whether a negation is next to it. */
interface Hit {
  option: string;
  start: number;
  end: number;
  negated: boolean;
  /** Found through a hint (src/survey/recognize.ts `hints`), not the option's own words. */
  hint?: boolean;
}

/**
 * Matches one choice. Sure: an option number (also "2." or "3ን", Tigrinya's "and" as a suffix),
 * a whole label or synonym, or a number followed by its own option's words ("3 Temporary
 * housing", copied from the list). Unsure: one option's words inside the message, or its stems.
 */
function matchOption(input: string, options: readonly string[], vocab: Vocabulary, marked: string = input): Match {
  const n = asInteger(input) ?? asInteger(/^(\d{1,2})\p{L}{1,2}$/u.exec(input)?.[1] ?? '');
  if (n !== undefined) return n >= 1 && n <= options.length ? { kind: 'sure', option: options[n - 1] } : { kind: 'out_of_range' };
  const words = (o: string) => vocab.options[o] ?? [];
  const compact = (s: string) => (vocab.spaced ? s : s.replace(/ /g, ''));
  const whole = compact(input);
  const exact = options.filter((o) => words(o).some((w) => compact(w) === whole));
  if (exact.length === 1) return { kind: 'sure', option: exact[0] };
  if (exact.length > 1) return { kind: 'ambiguous' };
  const numbered = /^(\d{1,2}) (.+)$/.exec(input);
  if (numbered) {
    const o = options[Number(numbered[1]) - 1];
    if (o && words(o).some((w) => compact(w) === compact(numbered[2]))) return { kind: 'sure', option: o };
  }
  const tokens = marked.split(' ');
  const hits = phraseHits(marked, options, vocab).filter((h) => !h.hint || !(vocab.lacks[h.option] ?? []).some((w) => tokens.some((t) => sameStem(t, w))));
  return pick(hits.length ? hits : stemHits(marked, options, vocab));
}

/**
 * One candidate from the hits. Options the respondent negated give way to one they did not ("not
 * my own flat, I rent from the council"); two candidates left are ambiguous.
 */
function pick(hits: readonly Hit[]): Match {
  const candidates = (negated: boolean) => [...new Set(hits.filter((h) => h.negated === negated).map((h) => h.option))];
  const plain = candidates(false);
  const chosen = plain.length ? plain : candidates(true);
  if (chosen.length === 1) return { kind: 'unsure', option: chosen[0], negated: !plain.length };
  return chosen.length ? { kind: 'ambiguous' } : { kind: 'none' };
}

/**
 * Every option's words found in the message, where one found inside a longer one gives way to it
 * ("nie" in "nie wiem" is not "no"). Whole words in spaced scripts; letters in unspaced ones.
 */
function phraseHits(input: string, options: readonly string[], vocab: Vocabulary): Hit[] {
  const hits: Hit[] = [];
  if (vocab.spaced) {
    const tokens = input.split(' ');
    for (const option of options) {
      const own = vocab.options[option] ?? [];
      for (const w of [...own, ...(vocab.hints[option] ?? [])]) {
        if (vocab.particles.has(w)) continue;
        const wt = w.split(' ');
        const hint = !own.includes(w);
        for (let i = 0; i + wt.length <= tokens.length; i++) {
          if (wt.every((t, j) => tokens[i + j] === t)) hits.push({ option, start: i, end: i + wt.length, negated: false, hint });
        }
      }
    }
    const kept = longest(hits);
    for (const h of kept) h.negated = negatedTokens(tokens, h.start, h.end, vocab);
    return kept;
  }
  const letters = input.replace(/ /g, '');
  for (const option of options) {
    const own = vocab.options[option] ?? [];
    for (const w of [...own, ...(vocab.hints[option] ?? [])]) {
      if (vocab.particles.has(w)) continue;
      const wl = w.replace(/ /g, '');
      const hint = !own.includes(w);
      for (let i = letters.indexOf(wl); i >= 0; i = letters.indexOf(wl, i + 1)) hits.push({ option, start: i, end: i + wl.length, negated: false, hint });
    }
  }
  const kept = longest(hits);
  for (const h of kept) h.negated = negatedLetters(letters, h.start, h.end, vocab);
  return kept;
}

/** Hits not lying inside a longer hit. */
function longest(hits: Hit[]): Hit[] {
  return hits.filter((h) => !hits.some((g) => g.start <= h.start && g.end >= h.end && g.end - g.start > h.end - h.start));
}

/** How many words before or after an option's words a negation still applies to it. */
const NEGATION_REACH = 3;

/**
 * Whether a negation word stands within reach of the words at [start, end). Words that carry a
 * negation themselves ("not really", "nie potrzebowałem") are the respondent's meaning, not a
 * denial of it, so a second negation beside them ("no, not really") changes nothing.
 */
function negatedTokens(tokens: readonly string[], start: number, end: number, vocab: Vocabulary): boolean {
  const at = (i: number) => vocab.negation.some((neg) => neg.every((t, j) => tokens[i + j] === t));
  for (let i = start; i < end; i++) if (at(i)) return false;
  // Within the clause only: in "eier ikke, leier privat" the "ikke" is the owning's, not the renting's.
  for (let i = start - 1; i >= Math.max(0, start - NEGATION_REACH) && tokens[i] !== CLAUSE; i--) if (at(i)) return true;
  for (let i = end; i < Math.min(tokens.length, end + NEGATION_REACH) && tokens[i] !== CLAUSE; i++) if (at(i)) return true;
  return false;
}

/** Marks where a clause ends (a comma, a full stop, …) among the folded words, which fold away punctuation. */
const CLAUSE = '|';
const CLAUSE_END = /[,.;:!?\u060C\u061B\u061F\u06D4\u0964\u1361-\u1368]+/u;

/** The message's folded words with {@link CLAUSE} between its clauses. */
function clauseMarked(raw: string, vocab: Vocabulary): string {
  return vocab.fold.letters(raw).split(CLAUSE_END).map(vocab.fold).filter(Boolean).join(` ${CLAUSE} `);
}

/** The same for unspaced scripts: a negation word just before the letters found (Thai ไม่). */
function negatedLetters(letters: string, start: number, end: number, vocab: Vocabulary): boolean {
  const found = letters.slice(start, end);
  if (vocab.negation.some((neg) => found.includes(neg.join('')))) return false;
  const before = letters.slice(Math.max(0, start - 12), start);
  const after = letters.slice(end, end + 12);
  return vocab.negation.some((neg) => {
    const w = neg.join('');
    return before.endsWith(w) || after.startsWith(w);
  });
}

/** Whether two words share a stem (see {@link MIN_STEM_PREFIX}). */
function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(letterLength(a), letterLength(b));
  if (shorter < MIN_STEM_PREFIX) return false;
  const ca = [...a];
  const cb = [...b];
  let p = 0;
  for (let i = 0; i < ca.length && i < cb.length && ca[i] === cb[i]; i++) p += weight(ca[i]);
  return p >= MIN_STEM_PREFIX && p >= shorter - MAX_STEM_ENDING;
}

/**
 * Whether an option's word is a form of a common or question word, by a looser stem than
 * {@link sameStem}: "живу" (I live) echoes "живёте" (do you live), sharing only three letters.
 */
function echoes(word: string, common: string): boolean {
  if (sameStem(word, common)) return true;
  const shorter = Math.min(letterLength(word), letterLength(common));
  if (shorter < MIN_STEM_WORD) return false;
  const a = [...word];
  const b = [...common];
  let p = 0;
  for (let i = 0; i < a.length && i < b.length && a[i] === b[i]; i++) p += weight(a[i]);
  return p >= 3 && p >= shorter - 1;
}

/** Each option's {@link Vocabulary.lacks}: the words all the others share by stem, and it has none of. */
function lackedWords(options: Record<string, string[]>, ignored: ReadonlySet<string>): Record<string, string[]> {
  const common = [...ignored];
  const wordsOf = Object.fromEntries(
    Object.entries(options).map(([o, list]) => [
      o,
      [...new Set(list.flatMap((w) => w.split(' ')))].filter((t) => letterLength(t) >= MIN_STEM_WORD && !common.some((c) => echoes(t, c))),
    ]),
  );
  const ids = Object.keys(wordsOf);
  const lacks: Record<string, string[]> = {};
  for (const o of ids) {
    const others = ids.filter((x) => x !== o);
    if (others.length < 2) continue;
    const candidates = [...new Set(others.flatMap((x) => wordsOf[x]))];
    lacks[o] = candidates.filter((w) => others.every((x) => wordsOf[x].some((u) => sameStem(w, u))) && !wordsOf[o].some((u) => sameStem(w, u)));
  }
  return lacks;
}

/** Each option's words that no other option's words share by stem. */
function discriminatingStems(options: Record<string, string[]>, ignored: ReadonlySet<string>): Record<string, string[]> {
  const common = [...ignored];
  const wordsOf = Object.fromEntries(
    Object.entries(options).map(([o, list]) => [
      o,
      [...new Set(list.flatMap((w) => w.split(' ')))].filter((t) => letterLength(t) >= MIN_STEM_WORD && !/^\d+$/.test(t) && !common.some((c) => echoes(t, c))),
    ]),
  );
  const stems: Record<string, string[]> = {};
  for (const [o, list] of Object.entries(wordsOf)) {
    stems[o] = list.filter((t) => !Object.entries(wordsOf).some(([other, l]) => other !== o && l.some((u) => sameStem(t, u))));
  }
  return stems;
}

/**
 * Options read from the message's word stems, when no option's words appear as such: each word
 * of the message that is an option's own word (or shares its stem) counts for that option, a
 * whole word more than a stem. Only a clear winner is a candidate.
 */
function stemHits(input: string, options: readonly string[], vocab: Vocabulary): Hit[] {
  if (!vocab.spaced) return [];
  const tokens = input.split(' ');
  const score = new Map<string, { points: number; at: number[] }>();
  tokens.forEach((t, i) => {
    if (letterLength(t) < MIN_STEM_WORD) return;
    const exact = options.filter((o) => (vocab.stems[o] ?? []).includes(t));
    const byStem = exact.length ? [] : options.filter((o) => (vocab.stems[o] ?? []).some((s) => sameStem(t, s)));
    for (const o of exact.length ? exact : byStem) {
      const s = score.get(o) ?? { points: 0, at: [] };
      s.points += exact.length ? 1 : 0.75;
      s.at.push(i);
      score.set(o, s);
    }
  });
  const ranked = [...score].sort((a, b) => b[1].points - a[1].points);
  if (!ranked.length) return [];
  const [best, second] = ranked;
  if (second && best[1].points - second[1].points < 0.5) return [];
  const [option, { at }] = best;
  return [{ option, start: at[0], end: at[0] + 1, negated: at.every((i) => negatedTokens(tokens, i, i + 1, vocab)) }];
}

function rejected(reason: Rejection): Recognition {
  return { ok: false, reason };
}

function unsure(value: AnswerValue, negated: boolean, number?: number): Unsure {
  return number === undefined ? { ok: false, reason: 'confirm', value, negated } : { ok: false, reason: 'confirm', value, number, negated };
}

/** Why a part that matched nothing was refused. */
function missReason(m: Match): Rejection {
  return m.kind === 'ambiguous' ? 'ambiguous' : m.kind === 'out_of_range' ? 'out_of_range' : 'no_match';
}

/**
 * Recognises a respondent's message as an answer to a question, says which reading needs the
 * respondent's confirmation, or says why it is not one. Pure: the caller supplies the locale's
 * compiled vocabulary.
 */
export function recognize(q: Question, raw: string, vocab: Vocabulary): Recognition {
  const r = recognizeAs(q, raw, vocab);
  if (r.ok || !vocab.joinAfter || q.type === 'text') return r;
  const joined = raw.replace(vocab.joinAfter, '$1');
  if (joined === raw) return r;
  const j = recognizeAs(q, joined, vocab);
  const rank = (x: Recognition) => (x.ok ? 2 : x.reason === 'confirm' ? 1 : 0);
  return rank(j) > rank(r) ? j : r;
}

function recognizeAs(q: Question, raw: string, vocab: Vocabulary): Recognition {
  const clean = sanitize(raw);
  if (!clean) return rejected('empty');
  if (q.type === 'text') {
    if (isSkip(raw, vocab)) return q.optional ? { ok: true, value: null } : rejected('not_optional');
    if (clean.length > q.maxLength) return rejected('too_long');
    return { ok: true, value: clean };
  }
  if (clean.length > MAX_CHOICE_INPUT) return rejected('too_long');
  if (isSkip(raw, vocab)) return q.optional ? { ok: true, value: null } : rejected('not_optional');
  // Folded from the raw text, not the sanitised one: a fold may need the zero-width non-joiner
  // that sanitising removes (ه + ZWNJ is how a Persian keyboard writes Sorani ە).
  const input = vocab.fold(raw);
  if (!input) return rejected('no_match');

  switch (q.type) {
    case 'single':
    case 'yes_no': {
      const m = matchOption(input, optionsOf(q), vocab, vocab.spaced ? clauseMarked(raw, vocab) : input);
      if (m.kind === 'sure') return { ok: true, value: m.option };
      const banded = q.type === 'single' && q.ranges ? byRange(input, numberText(raw, vocab.fold), q, vocab) : undefined;
      if (banded) return unsure(banded.option, false);
      if (m.kind === 'unsure') return unsure(m.option, m.negated);
      return rejected(missReason(m));
    }
    case 'multi':
      return recognizeMulti(q, input, raw, vocab);
    case 'scale':
    case 'number': {
      const found = input.match(/[+-]?\d+/g);
      // "sju år", "пять лет": a number in words, to confirm.
      const worded = !found && q.type === 'number' ? numberIn(numberText(raw, vocab.fold), vocab) : undefined;
      if (worded && worded.inWords) {
        const n = worded.unit === 'month' ? 0 : worded.n;
        if (n < q.min || n > q.max) return rejected('out_of_range');
        return unsure(q.type === 'number' && q.bands ? bandOf(n, q.bands) : n, hasNegation(input, vocab), n);
      }
      if (!found || found.length !== 1) return rejected('no_match');
      const n = Number(found[0]);
      if (!Number.isSafeInteger(n) || n < q.min || n > q.max) return rejected('out_of_range');
      const value = q.type === 'number' && q.bands ? bandOf(n, q.bands) : n;
      // "7 år" is seven; "ikke 7" may not be.
      return hasNegation(input, vocab) ? unsure(value, true, n) : { ok: true, value };
    }
  }
}

/**
 * The band of a number typed for a question whose options are bands ("58", "jeg er 58", "4
 * måneder"), unless it is an option number typed alone. One number only: "between 3 and 6" is
 * asked again.
 */
function byRange(input: string, text: string, q: Extract<Question, { type: 'single' }>, vocab: Vocabulary): { option: string } | undefined {
  const ranges = q.ranges!;
  if (asInteger(input) !== undefined && Number(input) >= 1 && Number(input) <= q.options.length) return undefined;
  const read = numberIn(text, vocab);
  if (!read) return undefined;
  // "snart eitt år" for a question counted in months: twelve of them.
  const n = q.unit === 'months' && read.unit === 'year' ? read.n * 12 : q.unit === 'years' && read.unit === 'month' ? Math.floor(read.n / 12) : read.n;
  const option = Object.entries(ranges).find(([, r]) => (r.min === undefined || n >= r.min) && (r.max === undefined || n <= r.max))?.[0];
  return option === undefined ? undefined : { option };
}

/**
 * The message's folded letters with punctuation as spaces, but a word's apostrophe kept: the
 * comparison fold splits "сім'я" (family) into "сім" (seven) and "я".
 */
function numberText(raw: string, fold: CompiledFold): string {
  return fold
    .letters(raw)
    .replace(/[^\p{L}\p{M}\p{N}']+/gu, ' ')
    .trim();
}

/**
 * The one number in a message, in digits or in words ("4", "fire", "ห้า"), and the unit after it
 * if the message names one ("måneder", "ปี"); a unit without a number is one of it ("a year",
 * "уже почти год"). Undefined when there is no number or more than one.
 */
export function numberIn(input: string, vocab: Vocabulary): { n: number; unit?: 'month' | 'year'; inWords: boolean } | undefined {
  const digits = input.match(/\d+/g);
  const words: number[] = [];
  let rest = ` ${vocab.spaced ? input : input.replace(/ /g, '')} `;
  const unitOf = (): 'month' | 'year' | undefined => {
    const has = (list: readonly string[]) =>
      list.some((u) =>
        vocab.spaced ? ` ${input} `.includes(` ${u} `) || input.split(' ').some((t) => t.startsWith(u) && t.length - u.length <= 2) : input.includes(u),
      );
    return has(vocab.units.year) ? 'year' : has(vocab.units.month) ? 'month' : undefined;
  };
  for (const [w, n] of vocab.numbers) {
    const needle = vocab.spaced ? ` ${w} ` : w;
    while (rest.includes(needle)) {
      words.push(n);
      rest = rest.replace(needle, vocab.spaced ? ' ' : '\u0000');
    }
  }
  const unit = unitOf();
  if (digits && digits.length === 1 && !words.length) return { n: Number(digits[0]), unit, inWords: false };
  if (!digits && words.length === 1) return { n: words[0], unit, inWords: true };
  if (!digits && !words.length && unit) return { n: 1, unit, inWords: true };
  return undefined;
}

/** Whether any of the locale's negation words is in the (folded) message. */
function hasNegation(input: string, vocab: Vocabulary): boolean {
  if (!vocab.spaced) return vocab.negation.some((neg) => input.replace(/ /g, '').includes(neg.join('')));
  const tokens = input.split(' ');
  return tokens.some((_, i) => vocab.negation.some((neg) => neg.every((t, j) => tokens[i + j] === t)));
}

/**
 * A multiple choice: "1, 3", "bolig og husleie", or a sentence. Sure when every part is; to be
 * confirmed when some part was only found inside its words; a part that is nothing rejects the
 * whole answer rather than storing half of it, unless the whole message names options.
 */
function recognizeMulti(q: Extract<Question, { type: 'multi' }>, input: string, raw: string, vocab: Vocabulary): Recognition {
  const options = optionsOf(q);
  const order = (chosen: Iterable<string>) => [...new Set(chosen)].sort((a, b) => options.indexOf(a) - options.indexOf(b));
  const checked = (chosen: string[], sure: boolean, negated = false): Recognition => {
    if (chosen.length > 1 && chosen.some((o) => q.exclusive.includes(o))) return rejected('exclusive');
    return sure ? { ok: true, value: chosen } : unsure(chosen, negated);
  };
  const whole = matchOption(input, options, vocab);
  if (whole.kind === 'sure') return checked([whole.option], true);
  const parts = splitChoices(raw, vocab);
  const chosen: string[] = [];
  let sure = true;
  let negated = true;
  let unknown: Match | undefined;
  for (const part of parts) {
    const m = matchOption(part, options, vocab);
    if (m.kind === 'out_of_range') return rejected('out_of_range');
    if (m.kind === 'sure') {
      chosen.push(m.option);
      negated = false;
    } else if (m.kind === 'unsure') {
      chosen.push(m.option);
      sure = false;
      negated &&= m.negated;
    } else if (m.kind === 'ambiguous' && !/^\d/.test(part)) {
      // "skjema norsk språk": a part that names two options, in a question that takes several.
      const hits = phraseHits(part, options, vocab);
      const plain = hits.filter((h) => !h.negated);
      chosen.push(...(plain.length ? plain : hits).map((h) => h.option));
      sure = false;
      negated &&= !plain.length;
      if (!hits.length) unknown = m;
    } else unknown = m;
  }
  if (!unknown) return checked(order(chosen), sure, negated);
  // "hjelp med husleie, takk": a part that is no option, in a message that names some.
  const hits = phraseHits(vocab.spaced ? clauseMarked(raw, vocab) : input, options, vocab);
  if (!hits.length) return rejected(missReason(unknown));
  const plain = hits.filter((h) => !h.negated);
  return checked(order([...chosen, ...(plain.length ? plain : hits).map((h) => h.option)]), false, !plain.length && negated);
}

/** Splits "1, 3", "1 3", "١ و ٣" or "bolig og husleie" into folded single choices. */
function splitChoices(raw: string, vocab: Vocabulary): string[] {
  const words = vocab.and.length ? `|\\s(?:${vocab.and.join('|')})\\s` : '';
  return vocab.fold
    .letters(raw)
    .split(new RegExp(`\\s*(?:[,/+&;\u060C\u1363\u1364]${words})\\s*|\\s+(?=\\d)`, 'u'))
    .map(vocab.fold)
    .filter(Boolean);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isSkip(raw: string, vocab: Vocabulary): boolean {
  return vocab.skip.has(vocab.fold(raw));
}

/**
 * The answer to one of the bot's own yes/no prompts (consent, withdrawal, "did I understand you
 * right?"): these take "yes please" as well as "yes", since the question has two answers and the
 * next message shows which was taken, but never a reading beside a negation ("yes, but not now").
 */
export function yesOrNo(r: Recognition): 'yes' | 'no' | undefined {
  const value = r.ok ? r.value : r.reason === 'confirm' && !r.negated ? r.value : undefined;
  return value === 'yes' || value === 'no' ? value : undefined;
}

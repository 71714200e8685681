import { CompiledFold, sanitize } from '../text/normalize';
import { Question, optionsOf } from './definition';
import { AnswerValue, bandOf } from './engine';

/**
 * Answer recognition for every language the bot speaks. botbuilder's prompt recognisers cover nine
 * cultures and none of ours, so this works from the locale's own words (option labels and
 * synonyms) plus numbers in any decimal digit script (src/text/digits.ts), compared in the
 * locale's fold (src/text/normalize.ts).
 */

/** The words one locale offers for a question, as written in its locale files. */
export interface VocabularyWords {
  /** Label first, then synonyms, per option. */
  options: Record<string, readonly string[]>;
  skip: readonly string[];
  /** Words that join several choices ("og", "and"); commas, slashes and spaces between numbers always do. */
  and: readonly string[];
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
  fold: CompiledFold;
}

/** Folds a locale's words for {@link recognize}. */
export function compileVocabulary(words: VocabularyWords, fold: CompiledFold): Vocabulary {
  const folded = (list: readonly string[]) => [...new Set(list.map(fold).filter(Boolean))];
  return {
    options: Object.fromEntries(Object.entries(words.options).map(([o, list]) => [o, folded(list)])),
    skip: new Set(folded(words.skip)),
    and: words.and.map((w) => fold.letters(w).trim()).filter(Boolean).map(escapeRegExp),
    fold,
  };
}

/**
 * Why a message is not an answer. `ambiguous`: it matches two different options ("I rent from
 * the municipality" when "I rent" means private renting); the bot asks again rather than guess,
 * and counts it as not understood.
 */
export type Rejection = 'empty' | 'no_match' | 'ambiguous' | 'out_of_range' | 'too_long' | 'exclusive' | 'not_optional';
export type Recognition = { ok: true; value: AnswerValue } | { ok: false; reason: Rejection };

/** Longest message worth matching against options; anything longer is not a choice. */
const MAX_CHOICE_INPUT = 200;

const AMBIGUOUS = Symbol('ambiguous');
type Match = string | typeof AMBIGUOUS | undefined;

/** Reads an integer written alone (possibly with a sign). */
function asInteger(s: string): number | undefined {
  return /^[+-]?\d{1,9}$/.test(s) ? Number(s) : undefined;
}

/**
 * Matches one choice: an option number, a label or synonym, or a phrase that contains one
 * option's words. Where one matched phrase lies inside a longer one, the longer wins ("nie" in
 * "nie wiem" is not "no"); two options left over make the message ambiguous.
 */
function matchOption(input: string, options: readonly string[], vocab: Vocabulary): Match {
  // "3ን" (Tigrinya joins "and" as a suffix), "2nd", "1a": an option number with a short suffix.
  const n = asInteger(input) ?? asInteger(/^(\d{1,2})\p{L}{1,2}$/u.exec(input)?.[1] ?? '');
  if (n !== undefined) return n >= 1 && n <= options.length ? options[n - 1] : undefined;
  const words = (o: string) => vocab.options[o] ?? [];
  const exact = options.filter((o) => words(o).includes(input));
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) return AMBIGUOUS;
  // "ja takk", "yes please", "1." — a phrase that contains an option's words.
  const padded = ` ${input} `;
  const hits: { option: string; start: number; end: number }[] = [];
  for (const option of options) {
    for (const w of words(option)) {
      for (let i = padded.indexOf(` ${w} `); i >= 0; i = padded.indexOf(` ${w} `, i + 1)) hits.push({ option, start: i + 1, end: i + 1 + w.length });
    }
  }
  const inLonger = (h: (typeof hits)[number]) => hits.some((g) => g.start <= h.start && g.end >= h.end && g.end - g.start > h.end - h.start);
  const chosen = new Set(hits.filter((h) => !inLonger(h)).map((h) => h.option));
  if (chosen.size > 1) return AMBIGUOUS;
  return chosen.values().next().value;
}

function rejected(reason: Rejection): Recognition {
  return { ok: false, reason };
}

/** Why a part that matched nothing was refused. */
function missReason(input: string, match: Match): Rejection {
  if (match === AMBIGUOUS) return 'ambiguous';
  return asInteger(input) !== undefined ? 'out_of_range' : 'no_match';
}

/**
 * Recognises a respondent's message as an answer to a question, or says why it is not one.
 * Pure: the caller supplies the locale's compiled vocabulary.
 */
export function recognize(q: Question, raw: string, vocab: Vocabulary): Recognition {
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
      const o = matchOption(input, optionsOf(q), vocab);
      return typeof o === 'string' ? { ok: true, value: o } : rejected(missReason(input, o));
    }
    case 'multi': {
      const options = optionsOf(q);
      const whole = matchOption(input, options, vocab);
      const parts = typeof whole === 'string' ? [input] : splitChoices(raw, vocab);
      const chosen: string[] = [];
      for (const p of parts) {
        const o = matchOption(p, options, vocab);
        if (typeof o !== 'string') return rejected(missReason(p, o));
        if (!chosen.includes(o)) chosen.push(o);
      }
      if (chosen.length > 1 && chosen.some((o) => q.exclusive.includes(o))) return rejected('exclusive');
      return { ok: true, value: chosen.sort((a, b) => options.indexOf(a) - options.indexOf(b)) };
    }
    case 'scale':
    case 'number': {
      const found = input.match(/[+-]?\d+/g);
      if (!found || found.length !== 1) return rejected('no_match');
      const n = Number(found[0]);
      if (!Number.isSafeInteger(n) || n < q.min || n > q.max) return rejected('out_of_range');
      if (q.type === 'number' && q.bands) return { ok: true, value: bandOf(n, q.bands) };
      return { ok: true, value: n };
    }
  }
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

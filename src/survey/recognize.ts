import { Question, optionsOf } from './definition';
import { AnswerValue, bandOf } from './engine';

/**
 * Answer recognition for every language the bot speaks. botbuilder's prompt recognisers cover nine
 * cultures and none of ours, so this works from the locale's own words (option labels and
 * synonyms) plus numbers in any of the digit forms respondents type: ASCII, Arabic-Indic (٠–٩)
 * and Persian/Urdu (۰–۹).
 */

/** The words one locale offers for a question: labels and synonyms per option, and skip words. */
export interface Vocabulary {
  options: Record<string, string[]>;
  skip: string[];
  /** Words that join several choices ("og", "and"); commas, slashes and spaces between numbers always do. */
  and: string[];
  /** Fold diacritics (Latin-script languages); never for scripts where marks carry meaning. */
  foldDiacritics: boolean;
}

export type Rejection = 'empty' | 'no_match' | 'out_of_range' | 'too_long' | 'exclusive' | 'not_optional';
export type Recognition = { ok: true; value: AnswerValue } | { ok: false; reason: Rejection };

/** Longest message worth matching against options; anything longer is not a choice. */
const MAX_CHOICE_INPUT = 200;

// C0/C1 controls, DEL, bidi embeddings/overrides/isolates and zero-width characters: invisible,
// and a bidi override can make stored text display differently from what was typed.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/** Removes invisible and control characters and trims; keeps newlines and tabs as spaces. */
export function sanitize(text: string): string {
  return text.replace(INVISIBLE, '').replace(/[\t\r\n]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Folds Arabic-Indic and Extended Arabic-Indic (Persian, Urdu) digits to ASCII. */
export function foldDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const c = d.charCodeAt(0);
    return String(c >= 0x06f0 ? c - 0x06f0 : c - 0x0660);
  });
}

/** The form in which input and vocabulary are compared. */
export function normalize(text: string, foldDiacritics: boolean): string {
  let s = foldDigits(sanitize(text).normalize('NFKC')).toLowerCase();
  if (foldDiacritics) s = s.normalize('NFD').replace(/\p{M}/gu, '').replace(/ø/g, 'o').replace(/æ/g, 'ae').replace(/ł/g, 'l');
  // Arabic-script variants typed on different keyboards: Arabic/Persian yeh and kaf, tatweel.
  s = s.replace(/\u064A/g, '\u06CC').replace(/\u0643/g, '\u06A9').replace(/\u0640/g, '');
  // Sentence punctuation of the scripts we serve: Arabic ، ؛ ؟ ۔, Devanagari ।, Ethiopic ። ፣ ፤ ፧.
  return s.replace(/[.!?,;:'"«»“”„()\u060C\u061B\u061F\u06D4\u0964\u1362-\u1368]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Reads an integer written alone (possibly with a sign). */
function asInteger(s: string): number | undefined {
  return /^[+-]?\d{1,9}$/.test(s) ? Number(s) : undefined;
}

/** Matches one choice: an option number, a label or synonym, or a label contained as a whole phrase. */
function matchOption(input: string, options: string[], vocab: Vocabulary): string | undefined {
  // "3ን" (Tigrinya joins "and" as a suffix), "2nd", "1a": an option number with a short suffix.
  const n = asInteger(input) ?? asInteger(/^(\d{1,2})\p{L}{1,2}$/u.exec(input)?.[1] ?? '');
  if (n !== undefined) return n >= 1 && n <= options.length ? options[n - 1] : undefined;
  const words = (o: string) => (vocab.options[o] ?? []).map((w) => normalize(w, vocab.foldDiacritics)).filter(Boolean);
  const exact = options.filter((o) => words(o).includes(input));
  if (exact.length === 1) return exact[0];
  // "ja takk", "yes please", "1." — a phrase that contains exactly one option's words.
  const padded = ` ${input} `;
  const contained = options.filter((o) => words(o).some((w) => padded.includes(` ${w} `)));
  return contained.length === 1 ? contained[0] : undefined;
}

/**
 * Recognises a respondent's message as an answer to a question, or says why it is not one.
 * Pure: the caller supplies the locale's vocabulary.
 */
export function recognize(q: Question, raw: string, vocab: Vocabulary): Recognition {
  const clean = sanitize(raw);
  if (!clean) return { ok: false, reason: 'empty' };
  if (q.type === 'text') {
    if (isSkip(clean, vocab)) return q.optional ? { ok: true, value: null } : { ok: false, reason: 'not_optional' };
    if (clean.length > q.maxLength) return { ok: false, reason: 'too_long' };
    return { ok: true, value: clean };
  }
  if (clean.length > MAX_CHOICE_INPUT) return { ok: false, reason: 'too_long' };
  if (isSkip(clean, vocab)) return q.optional ? { ok: true, value: null } : { ok: false, reason: 'not_optional' };
  const input = normalize(clean, vocab.foldDiacritics);
  if (!input) return { ok: false, reason: 'no_match' };

  switch (q.type) {
    case 'single':
    case 'yes_no': {
      const o = matchOption(input, optionsOf(q), vocab);
      return o ? { ok: true, value: o } : { ok: false, reason: asInteger(input) !== undefined ? 'out_of_range' : 'no_match' };
    }
    case 'multi': {
      const options = optionsOf(q);
      const whole = matchOption(input, options, vocab);
      const parts = whole ? [input] : splitChoices(clean, vocab);
      const chosen: string[] = [];
      for (const p of parts) {
        const o = matchOption(p, options, vocab);
        if (!o) return { ok: false, reason: asInteger(p) !== undefined ? 'out_of_range' : 'no_match' };
        if (!chosen.includes(o)) chosen.push(o);
      }
      if (chosen.length > 1 && chosen.some((o) => q.exclusive.includes(o))) return { ok: false, reason: 'exclusive' };
      return { ok: true, value: chosen.sort((a, b) => options.indexOf(a) - options.indexOf(b)) };
    }
    case 'scale':
    case 'number': {
      const found = input.match(/[+-]?\d+/g);
      if (!found || found.length !== 1) return { ok: false, reason: 'no_match' };
      const n = Number(found[0]);
      if (!Number.isSafeInteger(n) || n < q.min || n > q.max) return { ok: false, reason: 'out_of_range' };
      if (q.type === 'number' && q.bands) return { ok: true, value: bandOf(n, q.bands) };
      return { ok: true, value: n };
    }
  }
}

/** Splits "1, 3", "1 3", "١ و ٣" or "bolig og husleie" into normalised single choices. */
function splitChoices(clean: string, vocab: Vocabulary): string[] {
  const lowered = foldDigits(clean.normalize('NFKC')).toLowerCase();
  const joiners = vocab.and.map((w) => w.toLowerCase().trim()).filter(Boolean).map(escapeRegExp);
  const words = joiners.length ? `|\\s(?:${joiners.join('|')})\\s` : '';
  return lowered
    .split(new RegExp(`\\s*(?:[,/+&;\u060C\u1363\u1364]${words})\\s*|\\s+(?=\\d)`, 'u'))
    .map((p) => normalize(p, vocab.foldDiacritics))
    .filter(Boolean);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isSkip(clean: string, vocab: Vocabulary): boolean {
  const input = normalize(clean, vocab.foldDiacritics);
  return vocab.skip.some((w) => normalize(w, vocab.foldDiacritics) === input);
}

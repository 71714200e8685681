/**
 * Redaction of personal data in free text, applied before anything is stored. Targets what
 * respondents in Norway typically type by mistake: national identity numbers (fødselsnummer,
 * D- and H-numbers, and the Polish PESEL, since Poles are the largest immigrant group), phone
 * numbers and e-mail addresses, in any decimal digit script (ASCII, Arabic-Indic, Persian, …).
 * Ordinary numbers (years, rents, square metres, months, prices, dates) are left alone.
 *
 * The consent text asks respondents not to write names or ID numbers; this is the safety net for
 * when they do, so that the answers tables stay anonymous (GDPR recital 26) rather than merely
 * pseudonymous. Where a number is ambiguous, privacy wins: it is redacted.
 */

export const PLACEHOLDER = { id: '<ID>', phone: '<PHONE>', email: '<EMAIL>' } as const;

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** Mod-11 check digits of an 11-digit Norwegian identity number (fødselsnummer, D- or H-number). */
export function hasValidCheckDigits(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const check = (weights: number[]) => {
    const r = 11 - (weights.reduce((s, w, i) => s + w * d[i], 0) % 11);
    return r === 11 ? 0 : r;
  };
  return check(K1) === d[9] && check(K2) === d[10];
}

/**
 * Whether the first six digits read as a birth date: day 01–31 (D-number: +40), month 01–12
 * (H-number: +40; synthetic test numbers: +80). From 2032 new identity numbers no longer carry
 * mod-11 check digits in the same way (Skatteetaten's new scheme), so a date-like 11-digit run is
 * redacted even when its check fails.
 */
export function isDateLike(digits: string): boolean {
  const day = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const dayOk = (day >= 1 && day <= 31) || (day >= 41 && day <= 71);
  const monthOk = (month >= 1 && month <= 12) || (month >= 41 && month <= 52) || (month >= 81 && month <= 92);
  return dayOk && monthOk;
}

const PESEL_WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/**
 * The Polish PESEL (YYMMDD + serial + check, the month carrying the century as +20/+40/+60/+80).
 * Its date is year-first, so the Norwegian date test does not catch it; the check digit does.
 */
export function isValidPesel(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const sum = PESEL_WEIGHTS.reduce((s, w, i) => s + w * d[i], 0);
  if ((10 - (sum % 10)) % 10 !== d[10]) return false;
  const month = Number(digits.slice(2, 4)) % 20;
  const day = Number(digits.slice(4, 6));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * A copy of the text in which every decimal digit is ASCII, every horizontal space is ' ', every
 * dash is '-', and invisible direction marks are gone, with a map back to the original offsets.
 * Respondents type on Arabic, Persian and Polish keyboards and paste from apps that insert
 * no-break spaces and bidi marks; matching on the folded copy lets one set of patterns serve all,
 * while the replacement is made in the original so the respondent's script is kept elsewhere.
 */
interface Folded {
  text: string;
  /** For each UTF-16 unit of `text`: the original span [start, end) it came from. */
  start: number[];
  end: number[];
}

const BIDI_AND_INVISIBLE = /^[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const HORIZONTAL_SPACE = /^[\t\p{Zs}]$/u;
const DASH = /^[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]$/u;

/**
 * Unicode encodes every decimal digit set as ten consecutive code points 0–9 (a stability
 * guarantee), so a digit's value is its distance from the start of its run, modulo ten.
 */
function digitValue(cp: number): number {
  let start = cp;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

function foldChar(ch: string): string {
  if (ch.length === 1 && ch >= '0' && ch <= '9') return ch;
  if (DECIMAL_DIGIT.test(ch)) return String(digitValue(ch.codePointAt(0)!));
  if (BIDI_AND_INVISIBLE.test(ch)) return '';
  if (HORIZONTAL_SPACE.test(ch)) return ' ';
  if (DASH.test(ch)) return '-';
  switch (ch) {
    case '\uFF0B': return '+';
    case '\uFF20': case '\uFE6B': return '@';
    case '\u066B': return '.'; // Arabic decimal separator
    case '\u066C': return ','; // Arabic thousands separator
    default: return ch;
  }
}

function fold(text: string): Folded {
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

// A separator inside a number as people type it: one space, dot or hyphen.
const S = '[ .\\-]';
const EMAIL_ATOM = '[\\p{L}\\p{M}\\p{N}]';
// Local part and domain may be non-ASCII (RFC 6531/IDNA); the top-level domain is letters or punycode.
// Matching starts only at the beginning of a word, which keeps a long line without spaces linear.
const EMAIL = new RegExp(
  `(?<![\\p{L}\\p{M}\\p{N}._%+\\-])[\\p{L}\\p{M}\\p{N}._%+\\-]+@(?:${EMAIL_ATOM}(?:[\\p{L}\\p{M}\\p{N}\\-]*${EMAIL_ATOM})?\\.)+(?:xn--[a-z0-9\\-]+|[\\p{L}\\p{M}]{2,})`,
  'giu',
);
// "00" is an international prefix only when it does not continue a number ("1 005 000").
const NOT_AFTER_NUMBER = '(?<![\\d+]|\\d[ .,])';
// +47 / 0047 (Norway, and Svalbard) is followed by exactly eight digits in any grouping.
const NO_PHONE_PREFIXED = new RegExp(`${NOT_AFTER_NUMBER}\\(?(?:\\+|00) ?47\\)?(?:${S}?\\d){8}(?!\\d)`, 'g');
// Other countries, E.164: + or 00, then at most 15 digits in all, with optional grouping,
// parentheses around an area code and the British "(0)" (ITU-T E.123 notation).
const INTL_PHONE = new RegExp(
  `${NOT_AFTER_NUMBER}\\(?(?:\\+|00) ?[1-9](?:${S}?(?:\\(0\\) ?)?\\(?\\d\\)?){7,14}(?!\\d)`,
  'g',
);
// Identity numbers as people type them: DDMMYY[ .-]NNNNN, DD.MM.YY NNNNN, DDMMYY NNN NN, DD/MM/YY-NNNNN.
const ID_NUMBER = /(?<![\d+])\d{2}[ ./-]?\d{2}[ ./-]?\d{2}[ .-]?\d{3}[ .]?\d{2}(?!\d)/g;
// Norwegian subscriber numbers are eight digits starting with 2–9 (Nkom's numbering plan; 0 and
// 1 start no subscriber number), grouped 3-2-3 (mobile), 2-2-2-2 (landline) or 4-4. Any such run
// is redacted even when it could be an amount or a date ("25122023"), because privacy wins over
// the rare lost number; only a few kinds of range are let through (isRange).
const NO_PHONE = new RegExp(
  `(?<![\\d+])(?:[2-9]\\d{7}|[2-9]\\d{2}${S}\\d{2}${S}\\d{3}|[2-9]\\d(?:${S}\\d{2}){3}|[2-9]\\d{3}${S}\\d{4})(?!\\d)`,
  'g',
);
const YEAR_RANGE = /^((?:19|20)\d\d)[ -]((?:19|20)\d\d)$/;
const PAIR_RANGE = /^\d\d\.\d\d-\d\d\.\d\d$/;
const AMOUNT_RANGE = /^(\d{4})-(\d{4})$/;

/**
 * Ranges respondents write about their housing that happen to have a phone number's shape: years
 * ("2019-2023", "2022 2023"), dates or clock times ("24.12-31.12", "20.00-22.00") and round rents
 * ("8000-9000"). Only these exact shapes pass; anything else with a phone's shape is redacted.
 */
function isRange(m: string): boolean {
  const years = YEAR_RANGE.exec(m);
  if (years) {
    const [from, to] = [Number(years[1]), Number(years[2])];
    return to > from && to - from <= 30;
  }
  if (PAIR_RANGE.test(m)) return true;
  const amounts = AMOUNT_RANGE.exec(m);
  if (amounts) {
    const [from, to] = [Number(amounts[1]), Number(amounts[2])];
    return to > from && from % 50 === 0 && to % 50 === 0;
  }
  return false;
}

function isIdentityNumber(m: string): boolean {
  const digits = m.replace(/\D/g, '');
  return hasValidCheckDigits(digits) || isDateLike(digits) || isValidPesel(digits);
}

interface Detector {
  re: RegExp;
  placeholder: string;
  accept?: (match: string) => boolean;
}

// Order matters: each detector sees the text with earlier matches masked out. E-mail first (it may
// hold digits), then numbers with an explicit international prefix (unambiguous), then identity
// numbers (11 digits) before the 8-digit phone pattern could take part of one.
const DETECTORS: Detector[] = [
  { re: EMAIL, placeholder: PLACEHOLDER.email },
  { re: NO_PHONE_PREFIXED, placeholder: PLACEHOLDER.phone },
  { re: INTL_PHONE, placeholder: PLACEHOLDER.phone },
  { re: ID_NUMBER, placeholder: PLACEHOLDER.id, accept: isIdentityNumber },
  { re: NO_PHONE, placeholder: PLACEHOLDER.phone, accept: (m) => !isRange(m) },
];

// Same length as what it hides, and neither digit, letter nor separator, so offsets stay valid
// and later patterns neither match it nor treat it as part of a number.
const MASK = '\uFFFC';

/**
 * Replaces personal data in `text` with {@link PLACEHOLDER}s: Norwegian identity numbers (valid
 * mod-11 check or date-like), PESEL numbers, Norwegian and international phone numbers and e-mail
 * addresses, written in any decimal digit script. Everything else is kept exactly as typed.
 * A match never crosses a line break.
 */
export function redact(text: string): string {
  const folded = fold(text);
  let masked = folded.text;
  const spans: { start: number; end: number; placeholder: string }[] = [];
  for (const { re, placeholder, accept } of DETECTORS) {
    const parts: string[] = [];
    let at = 0;
    for (const m of masked.matchAll(re)) {
      if (accept && !accept(m[0])) continue;
      const s = m.index!;
      const e = s + m[0].length;
      spans.push({ start: folded.start[s], end: folded.end[e - 1], placeholder });
      parts.push(masked.slice(at, s), MASK.repeat(e - s));
      at = e;
    }
    masked = parts.join('') + masked.slice(at);
  }
  spans.sort((a, b) => a.start - b.start);
  const out: string[] = [];
  let at = 0;
  for (const span of spans) {
    out.push(text.slice(at, span.start), span.placeholder);
    at = span.end;
  }
  out.push(text.slice(at));
  return out.join('');
}

/**
 * Redacts each line of a multi-line string on its own, keeping the line breaks (LF, CRLF or CR)
 * as they were. Used by `survey-bot redact` for text pasted or piped in by an operator.
 */
export function redactLines(input: string): string {
  return input
    .split(/(\r\n|\n|\r)/)
    .map((part, i) => (i % 2 === 1 ? part : redact(part)))
    .join('');
}

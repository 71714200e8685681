import { CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Lexicon } from './lexicon';
import { Detector, isRange, NOT_AFTER_NUMBER } from './numbers';
import { keySet } from './words';

/**
 * Phone numbers of other countries, decided by libphonenumber-js with Google's libphonenumber
 * metadata ("max": every number type's pattern, not only lengths), so a Polish "601 234 567" or
 * a Swedish "0790 123 456" is recognised by the numbering plan of the country it belongs to and
 * not by a pattern written here. Norway's own numbers keep the project's stricter rules
 * (numbers.ts), which redact any run that fits the Norwegian plan.
 *
 * A number with + or 00 is unambiguous and is cut where libphonenumber says the number ends
 * ("+48 601 234 567 2 dzieci" keeps the count). A number without a prefix is tried in every
 * configured region; it is a phone number when one of them calls it valid. Because some plans
 * are permissive (Somalia's accepts many seven-digit runs), ordinary numbers are ruled out first:
 * dates and clock times, years and ranges, and amounts (a currency or unit word next to the
 * number, or thousands grouping as in "2 500 000" and "1 234 567"). A phone word before the number
 * ("tlf", "numer", "رقم") makes an 8–12 digit run a phone number even when no plan knows it.
 */

// A run after + or 00: digits, spaces, dots, hyphens and parentheses, as people group numbers.
const PREFIXED = new RegExp(`${NOT_AFTER_NUMBER}[(]?(?:\\+|00) ?[1-9][\\d ().-]{5,30}`, 'g');
// Up to six groups of digits with one separator between, as a number is typed in any country
// ("0300 1234567", "07911 123456", or all in one run).
const NATIONAL = /(?<![\p{L}\p{M}\p{N}+/@]|[\p{N}][.,\- ]|[+])\(?\d{1,12}\)?(?:[ .-]\(?\d{1,12}\)?){0,5}(?![\p{L}\p{M}\p{N}]|[.,/]\d)/gu;
// Dates and clock times inside a run of numbers; a phone number never spans one.
const DATE_OR_TIME = /(?<!\d)(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.:]\d{2}(?:-\d{1,2}[.:]\d{2})?)(?!\d)/g;
const GROUP = /\d+/g;
const YEAR = /^(?:19|20)\d\d$/;
const WORDS = /[\p{L}\p{M}][\p{L}\p{M}\p{N}²]*/gu;
const MIN_NATIONAL_DIGITS = 7;
const MIN_UNKNOWN_DIGITS = 8;
const MAX_NATIONAL_DIGITS = 12;
// How far back a phone word may stand: "ring meg gjerne på", "proszę dzwonić pod numer".
const CONTEXT_CHARS = 40;

interface Group {
  start: number;
  end: number;
  digits: string;
}

/** The regions in the order they are tried; unknown codes are refused so a typo does not silently weaken redaction. */
export function phoneRegions(codes: readonly string[]): CountryCode[] {
  const bad = codes.filter((c) => !isSupportedCountry(c));
  if (bad.length) throw new Error(`Unknown phone region(s) ${bad.join(', ')}: use ISO 3166 alpha-2 codes such as NO, PL, SO`);
  return [...new Set(codes)] as CountryCode[];
}

/** Detectors for numbers with an international prefix and for numbers in a country's own format. */
export function phoneDetectors(lexicon: Lexicon, regions: readonly CountryCode[]): { prefixed: Detector; national: Detector } {
  const quantity = keySet(lexicon.lists.quantityWords);
  const phoneWords = keySet(lexicon.lists.phoneWords);

  const wordsBefore = (text: string, pos: number) => {
    const from = Math.max(0, text.lastIndexOf('\n', pos - 1) + 1, pos - CONTEXT_CHARS);
    return [...text.slice(from, pos).matchAll(WORDS)].map((m) => m[0]);
  };
  const phoneContext = (text: string, pos: number) => wordsBefore(text, pos).some((w) => phoneWords.has(w));
  // "kr 2 500 000", "NOK: 2 500 000", "2 500 000 kroner", "€ 1 200 000", "2 500 000,-".
  const amountContext = (text: string, start: number, end: number) => {
    const before = /(?:^|[^\p{L}\p{M}\p{N}])([\p{L}\p{M}][\p{L}\p{M}\p{N}²]*)\.? ?:? ?$|(\p{Sc}) ?$/u.exec(text.slice(Math.max(0, start - 24), start));
    if (before && (before[2] || quantity.has(before[1]))) return true;
    const after = /^ ?(?:([\p{L}\p{M}][\p{L}\p{M}\p{N}²]*)|\p{Sc}|,-|%)/u.exec(text.slice(end, end + 24));
    return after !== null && (after[1] === undefined || quantity.has(after[1]));
  };

  // Not memoised: a cache would keep the digits of phone numbers people typed in memory.
  const validSomewhere = (digits: string) => regions.some((r) => parsePhoneNumberFromString(digits, r)?.isValid() === true);

  const prefixed: Detector = function* (text) {
    for (const m of text.matchAll(PREFIXED)) {
      const run = m[0].replace(/\(0\)/, (z) => ' '.repeat(z.length));
      const plus = run.indexOf('+') >= 0 ? run.indexOf('+') : run.indexOf('00');
      const groups = [...run.slice(plus).matchAll(GROUP)];
      // The longest run of groups that is a valid number, else the longest that is a possible one.
      let valid: number | undefined;
      let possible: number | undefined;
      for (let k = groups.length; k >= 1 && valid === undefined; k--) {
        let digits = groups
          .slice(0, k)
          .map((g) => g[0])
          .join('');
        if (run.slice(plus).startsWith('00')) digits = digits.slice(2);
        const parsed = parsePhoneNumberFromString(`+${digits}`);
        if (!parsed) continue;
        const end = plus + groups[k - 1].index! + groups[k - 1][0].length;
        if (parsed.isValid()) valid = end;
        else if (possible === undefined && parsed.isPossible()) possible = end;
      }
      const best = valid ?? possible;
      if (best !== undefined) yield { start: m.index!, end: m.index! + best + (run[best] === ')' ? 1 : 0), kind: 'phone' };
    }
  };

  const national: Detector = function* (text) {
    const blocked: [number, number][] = [...text.matchAll(DATE_OR_TIME)].map((d) => [d.index!, d.index! + d[0].length]);
    const isBlocked = (g: Group) => blocked.some(([s, e]) => g.start < e && g.end > s);
    for (const m of text.matchAll(NATIONAL)) {
      const all: Group[] = [...m[0].matchAll(GROUP)].map((g) => ({ start: m.index! + g.index!, end: m.index! + g.index! + g[0].length, digits: g[0] }));
      if (all.reduce((n, g) => n + g.digits.length, 0) < MIN_NATIONAL_DIGITS) continue;
      // Dates and times split the run; a phone number is looked for in each piece.
      const pieces: Group[][] = [[]];
      for (const g of all) {
        if (blocked.length && isBlocked(g)) pieces.push([]);
        else pieces[pieces.length - 1].push(g);
      }
      for (const groups of pieces) yield* phonesIn(text, groups);
    }
  };

  function* phonesIn(text: string, groups: Group[]) {
    const context = groups.length > 0 && phoneContext(text, groups[0].start);
    let i = 0;
    while (i < groups.length) {
      let found = -1;
      for (let j = groups.length - 1; j >= i && found < 0; j--) {
        const window = groups.slice(i, j + 1);
        const digits = window.map((g) => g.digits).join('');
        if (digits.length < MIN_NATIONAL_DIGITS || digits.length > MAX_NATIONAL_DIGITS) continue;
        const start = window[0].start - (text[window[0].start - 1] === '(' ? 1 : 0);
        const end = window[window.length - 1].end + (text[window[window.length - 1].end] === ')' ? 1 : 0);
        const shown = text.slice(start, end);
        if (isRange(shown) || window.every((g) => YEAR.test(g.digits))) continue;
        if (amountContext(text, start, end)) continue;
        // Thousands grouping reads as an amount when it ends in 00 ("2 500 000") or starts with a
        // group of one or two digits other than a trunk 0 ("1 234 567"): no numbering plan groups
        // a subscriber number that way, while "601 234 567" (Poland) and "07 123 456" (Eritrea) do.
        if (!context && isThousands(window, text) && (digits.endsWith('00') || (window[0].digits.length <= 2 && !window[0].digits.startsWith('0')))) continue;
        if (validSomewhere(digits) || (context && digits.length >= MIN_UNKNOWN_DIGITS && i === 0)) {
          found = j;
          yield { start, end, kind: 'phone' as const };
        }
      }
      i = found >= 0 ? found + 1 : i + 1;
    }
  }

  return { prefixed, national };
}

/** "2 500 000", "12.000.000": a first group of one to three digits, then groups of three with the same separator. */
function isThousands(groups: Group[], text: string): boolean {
  if (groups.length < 2 || groups[0].digits.length > 3) return false;
  const seps = new Set(groups.slice(1).map((g, k) => text.slice(groups[k].end, g.start)));
  return seps.size === 1 && groups.slice(1).every((g) => g.digits.length === 3);
}

import { Finding } from './kinds';
import { Lexicon } from './lexicon';
import { MASK } from './mask';
import { Detector } from './numbers';
import { phraseFinder, phrasesPattern } from './words';

/**
 * Dates of birth, in any digit script (the text is folded to ASCII digits first) and the common
 * formats: 12.03.1985, 12/3/85, 1985-03-12, 12. mars 1985, 21 March 1979, March 21, 1979,
 * 12 березня 1985 року, 1985 m. kovo 12 d., ۱۳۶۴/۱۲/۲۱ (Solar Hijri), 12/03/2528 (Buddhist era).
 *
 * What is taken, as `<BIRTHDATE>`:
 * - any date, a month and year, a day and month, or a year alone, announced by a birth word of
 *   any locale (`birthWords`: "født", "born", "DOB", "urodzony", "родился", "مواليد", "متولد")
 *   up to three short words before it, or followed by one up to two words after it, as Persian,
 *   Urdu, Kurdish and Tigrinya put the verb last ("… ۱۳۶۰ به دنیا آمدم", "ብ 1979 ዓ.ም. ተወሊደ");
 * - a full date (day, month and year) right after a name that was replaced, as children are
 *   listed: "Adam (12.03.2015)", "Amina Hassan, 03.11.2015" ({@link datesAfterNames}, which
 *   runs after the name detectors).
 *
 * Any other date stays, however old, and so does a year alone: "Vedtak 01.01.1970", "brev fra NAV
 * 01.02.2024", "vi kom i 2015" are what analysts need (tests/privacy/redact.test.ts keeps every
 * day-first calendar date). A date of birth written with no birth word and no name next to it
 * ("12.03.1985, alene med 2 barn") is therefore not found.
 */

const D = '(?:0?[1-9]|[12]\\d|3[01])';
const M = '(?:0?[1-9]|1[0-2])';
const ORDINAL = '(?:st|nd|rd|th|\\.)?';
// Year words after a year: Polish r., Ukrainian року, Russian года/г., Lithuanian m., Ethiopic ዓ.ም.
const YEAR_TAIL = '(?: *(?:r\\.|року|рік|году|года|г\\.|m\\.|ዓ\\.ም\\.?|ዓ/ም|e\\.c\\.|ce|ad|bc|پ\\.ش|ش|هـ|م|ค\\.ศ\\.|พ\\.ศ\\.))?';
// Not inside a word or a number; Tigrinya glues the preposition ብ to a year ("ብ1985").
const NOT_BEFORE = '(?<![\\p{N}\\p{M}]|\\p{N}[.,/-]|[^\\P{L}\\p{Script=Ethiopic}])';
const NOT_AFTER = '(?![\\p{N}]|[./-]\\p{N})';
const DIGIT = /\d/;

/** The start of the word at or before `at`, so a slice from it does not begin inside a number or word. */
function spaceBefore(text: string, at: number): number {
  while (at > 0 && !/\s/.test(text[at - 1])) at--;
  return at;
}

/** A year written in any of the calendars respondents use, as a Gregorian year; undefined when it is none. */
export function gregorianYear(digits: string, now: number = new Date().getFullYear()): number | undefined {
  if (digits.length === 2) {
    const y = Number(digits);
    return y <= now % 100 ? 2000 + y : 1900 + y;
  }
  if (digits.length !== 4) return undefined;
  const y = Number(digits);
  if (y >= 1900 && y <= now + 1) return y; // Gregorian; Ethiopian years fall in this range too
  if (y >= 1280 && y <= 1420) return y + 621; // Solar Hijri (Iran, Afghanistan)
  if (y >= 2440 && y <= 2600) return y - 543; // Thai Buddhist era
  return undefined;
}

/** Dates announced by a birth word, and full dates right after a replaced name (to run after the name detectors). */
export function birthDateDetectors(lexicon: Lexicon, now: number = new Date().getFullYear()): { announced: Detector; afterNames: Detector } {
  const { lists } = lexicon;
  const months = lists.months.length ? `(?:${phrasesPattern(lists.months)})\\.?` : '(?!)';
  const MONTH = `(?<![\\p{L}\\p{M}])${months}(?![\\p{L}\\p{M}])`;
  const forms: { re: string; full: boolean }[] = [
    // 12.03.1985, 12/3/85, 12-03-1985, 12. 03. 1985
    { re: `(?<day>${D}) ?(?<sep>[./-]) ?${M} ?\\k<sep> ?(?<year>\\d{4}|\\d{2})`, full: true },
    // 1985-03-12, ۱۳۶۴/۱۲/۲۱
    { re: `(?<year>\\d{4}) ?(?<sep>[./-]) ?${M} ?\\k<sep> ?${D}`, full: true },
    // 12. mars 1985, 21 March 1979, 21st of March, 1979, 12 березня 1985 року
    { re: `${D}${ORDINAL} *(?:of +)?${MONTH},? *(?<year>\\d{4})${YEAR_TAIL}`, full: true },
    // March 21, 1979
    { re: `${MONTH} *${D}${ORDINAL},? *(?<year>\\d{4})`, full: true },
    // 1985 m. kovo 12 d.
    { re: `(?<year>\\d{4}) *m\\. *${MONTH} *${D} *d\\.?`, full: true },
    // 120385, 12031985: only when announced, as the other forms without a month name are
    { re: `${D.replace('0?', '0')}${M.replace('0?', '0')}(?<year>\\d{4}|\\d{2})`, full: false },
    // mars 1985, March 1979
    { re: `${MONTH},? *(?<year>\\d{4})${YEAR_TAIL}`, full: false },
    // 12. mars, 21st of March
    { re: `${D}${ORDINAL} *(?:of +)?${MONTH}`, full: false },
    // 1985, ١٩٧٩, ۱۳۶۴
    { re: `(?<year>\\d{4})${YEAR_TAIL}`, full: false },
  ];
  const dates = forms.map((f) => ({ re: new RegExp(`${NOT_BEFORE}(?:${f.re})${NOT_AFTER}`, 'giu'), full: f.full }));
  // The full forms again, to try at one place only (right after a name).
  const fullAt = forms.filter((f) => f.full).map((f) => new RegExp(`${NOT_BEFORE}(?:${f.re})${NOT_AFTER}`, 'iuy'));
  const birthWords = phraseFinder(lists.birthWords);
  // Up to three short words between a birth word and the date: "født den", "born on the", "født i Somalia i".
  const LEAD_IN = /^[\s:,.\-–—()]*(?:[\p{L}\p{M}'’]{1,10}[\s:,.()]+){0,3}$/u;
  // Up to two short words between the date and a birth word after it: "1979 ዓ.ም. ተወሊደ".
  const LEAD_OUT = /^[\s,.()]*(?:[\p{L}\p{M}.'’/]{1,10}[\s,.()]+){0,2}$/u;
  const WINDOW = 40;
  const MAX_DATE = 40;

  const detect: Detector = function* (text) {
    if (!DIGIT.test(text)) return;
    const words = birthWords(text);
    if (!words.length) return;
    const announced = (start: number, end: number) =>
      words.some(
        (w) =>
          (w.end <= start && start - w.end <= WINDOW && LEAD_IN.test(text.slice(w.end, start))) ||
          // After it, also when the birth word begins inside a year word taken with the date ("1985 г.р.", "1985 року народження").
          (w.start > start && w.end > end && (w.start < end || (w.start - end <= WINDOW && LEAD_OUT.test(text.slice(end, w.start))))),
      );
    // Dates are looked for only near the birth words: the month names make the patterns costly.
    const found: Finding[] = [];
    for (const w of words) {
      const from = spaceBefore(text, Math.max(0, w.start - WINDOW - MAX_DATE));
      const to = Math.min(text.length, w.end + WINDOW + MAX_DATE);
      for (const f of datesIn(text.slice(from, to), from, announced)) if (!found.some((g) => f.start < g.end && f.end > g.start)) found.push(f);
    }
    yield* found;
  };

  /** The dates of `part` (at `offset` in the text) that `accept` takes, longest form first, without overlaps. */
  function datesIn(part: string, offset: number, accept: (start: number, end: number) => boolean): Finding[] {
    const found: Finding[] = [];
    const taken = (s: number, e: number) => found.some((f) => s < f.end && e > f.start);
    for (const { re } of dates) {
      for (const m of part.matchAll(re)) {
        const start = offset + m.index!;
        const end = start + m[0].length;
        if (taken(start, end)) continue;
        if (m.groups?.year !== undefined && gregorianYear(m.groups.year, now) === undefined) continue;
        if (accept(start, end)) found.push({ start, end, kind: 'birthdate' });
      }
    }
    return found;
  }

  // "Adam (12.03.2015)", "Amina Hassan, 03.11.2015"; "Adam f. 12.03.2015" is announced anyway.
  const AFTER_MASK = new RegExp(`${MASK}+[ ,(\\-–—:]*`, 'gu');
  const afterNames: Detector = function* (text) {
    if (!text.includes(MASK) || !DIGIT.test(text)) return;
    for (const m of text.matchAll(AFTER_MASK)) {
      const at = m.index! + m[0].length;
      // Every full date has a digit within its first dozen characters ("12.", "March 12").
      if (!DIGIT.test(text.slice(at, at + 12))) continue;
      for (const re of fullAt) {
        re.lastIndex = at;
        const d = re.exec(text);
        if (!d || (d.groups?.year !== undefined && gregorianYear(d.groups.year, now) === undefined)) continue;
        yield { start: at, end: at + d[0].length, kind: 'birthdate' };
        break;
      }
    }
  };

  return { announced: detect, afterNames };
}

import { digitValue } from '../../text/digits';

/**
 * A copy of the text in which every decimal digit is ASCII, every horizontal space is ' ', every
 * dash is '-', and invisible direction marks are gone, with a map back to the original offsets.
 * Respondents type on Arabic, Persian and Polish keyboards and paste from apps that insert
 * no-break spaces and bidi marks; matching on the folded copy lets one set of patterns serve all,
 * while the replacement is made in the original so the respondent's script is kept elsewhere.
 */
export interface Folded {
  text: string;
  /** For each UTF-16 unit of `text`: the original span [start, end) it came from. */
  start: number[];
  end: number[];
}

const BIDI_AND_INVISIBLE = /^[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]$/u;
const HORIZONTAL_SPACE = /^[\t\p{Zs}]$/u;
const DASH = /^[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]$/u;

function foldChar(ch: string): string {
  if (ch.length === 1 && ch >= '0' && ch <= '9') return ch;
  const digit = digitValue(ch.codePointAt(0)!);
  if (digit !== undefined) return String(digit);
  if (BIDI_AND_INVISIBLE.test(ch)) return '';
  if (HORIZONTAL_SPACE.test(ch)) return ' ';
  if (DASH.test(ch)) return '-';
  switch (ch) {
    case '\uFF0B':
      return '+';
    case '\uFF20':
    case '\uFE6B':
      return '@';
    case '\u066B':
      return '.'; // Arabic decimal separator
    case '\u066C':
      return ','; // Arabic thousands separator
    default:
      return ch;
  }
}

/** Folds `text` (see {@link Folded}); linear in its length. */
export function fold(text: string): Folded {
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

/**
 * Same length as what it hides, and neither digit, letter nor separator, so offsets stay valid and
 * later detectors neither match it nor treat it as part of a number or a name.
 */
export const MASK = '\uFFFC';

/**
 * Line direction for right-to-left languages. Phones and chat clients choose each line's
 * direction from its first strong character (the Unicode Bidirectional Algorithm, UAX #9 rules
 * P2–P3; every line break starts a new paragraph), so an Urdu line that starts with "NAV" or a
 * Sorani line that starts with an organisation's name is laid out left to right, with its
 * punctuation at the wrong end. One RIGHT-TO-LEFT MARK in front fixes that for one UCS-2
 * character; right-to-left texts go by SMS as UCS-2 anyway.
 */

/** U+200F RIGHT-TO-LEFT MARK: invisible, strong right-to-left. */
export const RLM = '\u200F';

const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}]/u;
// Of the format characters only the marks are strong (classes R, AL, L); embeddings, overrides
// and isolate initiators are not, and are passed over like any other neutral.
const STRONG_RTL_MARK = /[\u200F\u061C]/u;
const STRONG_LTR_MARK = /\u200E/u;
const ISOLATE_START = /[\u2066\u2067\u2068]/u;
const ISOLATE_END = '\u2069';

/** The direction a line gets from its first strong character, or undefined when it has none. */
export function lineDirection(line: string): 'ltr' | 'rtl' | undefined {
  let depth = 0;
  for (const ch of line) {
    // Text inside an isolate does not decide the direction of the line around it (rule P2).
    if (ISOLATE_START.test(ch)) {
      depth++;
      continue;
    }
    if (ch === ISOLATE_END) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (depth > 0) continue;
    if (STRONG_RTL_MARK.test(ch)) return 'rtl';
    if (STRONG_LTR_MARK.test(ch)) return 'ltr';
    if (/\p{L}/u.test(ch)) return RTL_LETTER.test(ch) ? 'rtl' : 'ltr';
  }
  return undefined;
}

/**
 * For a right-to-left language, puts an RLM in front of every line that would otherwise be laid
 * out left to right. Idempotent; left-to-right text is returned unchanged, so GSM-7 texts stay
 * GSM-7.
 */
export function directional(text: string, dir: 'ltr' | 'rtl'): string {
  if (dir !== 'rtl') return text;
  return text
    .split('\n')
    .map((line) => (lineDirection(line) === 'ltr' ? `${RLM}${line}` : line))
    .join('\n');
}

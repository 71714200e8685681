/**
 * The one digit fold of the project. Respondents type numbers on Arabic, Persian, Urdu, Thai,
 * Devanagari, Bengali, Myanmar, full-width and other keyboards; every Unicode decimal digit
 * (General Category Nd) is read as the number it stands for.
 *
 * Unicode encodes every decimal digit set as ten consecutive code points 0–9 (a stability
 * guarantee of the standard, UAX #44 / chapter 4.6), so a digit's value is its distance from the
 * start of its run, modulo ten.
 */

const DECIMAL_DIGIT = /^\p{Nd}$/u;
const ANY_NON_ASCII_DIGIT = /(?![0-9])\p{Nd}/gu;

const valueCache = new Map<number, number>();

/** The value 0–9 of a decimal digit code point, or undefined when it is not one. */
export function digitValue(cp: number): number | undefined {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  const cached = valueCache.get(cp);
  if (cached !== undefined) return cached;
  if (!DECIMAL_DIGIT.test(String.fromCodePoint(cp))) return undefined;
  let start = cp;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  const value = (cp - start) % 10;
  valueCache.set(cp, value);
  return value;
}

/**
 * Replaces every decimal digit of any script with its ASCII digit. Each non-ASCII digit outside
 * the Basic Multilingual Plane is two UTF-16 units and becomes one, so offsets can shift; callers
 * that need offsets (redaction) fold character by character with {@link digitValue}.
 */
export function foldDigits(text: string): string {
  return text.replace(ANY_NON_ASCII_DIGIT, (d) => String(digitValue(d.codePointAt(0)!)));
}

import { ltrIsolate, visualRuns, wrappableWords } from '../../src/text/visualOrder';

/**
 * Visual order of one line (src/text/visualOrder.ts), against what UAX #9 says a reader sees:
 * the runs come out left to right; a run the font engine reverses itself (Arabic script) keeps its
 * logical order, anything else right-to-left comes out already reversed and mirrored.
 */
const shown = (line: string, dir: 'ltr' | 'rtl') => visualRuns(line, dir).map((r) => `${r.rtl ? 'R' : 'L'}:${r.text}`);

test('a left-to-right line without right-to-left text is one run, unchanged', () => {
  expect(shown('Scan the code (5 min): 59 44', 'ltr')).toEqual(['L:Scan the code (5 min): 59 44']);
});

test('an Arabic line is one right-to-left run in logical order, for the engine to shape and reverse', () => {
  expect(shown('أو أرسل أي رسالة', 'rtl')).toEqual(['R:أو أرسل أي رسالة']);
});

test('a phone number inside right-to-left text: isolated, its groups stay left to right where the sentence has it', () => {
  // Logical: "send" NUMBER "now". Visually (left to right): "now", the number, "send"; the spaces
  // go with the Arabic runs, which the engine reverses, so each lands between its words.
  expect(shown(`أرسل ${ltrIsolate('+47 59 44')} الآن`, 'rtl')).toEqual(['R: الآن', 'L:+47 59 44', 'R:أرسل ']);
  // Without the isolate the spaces between digit groups resolve right to left (rule N1): the groups
  // swap, and the plus sign, a neutral there, parts from its digits.
  expect(shown('أرسل +47 59 44', 'rtl').filter((r) => /\d/.test(r))).toEqual(['L:44', 'L:59', 'L:47']);
});

test('Latin inside right-to-left text, with brackets mirrored where they resolve right to left', () => {
  // Logical: "housing (NAV)." — the brackets are at the right-to-left level, so ")" is drawn as "(" on the left.
  expect(shown('السكن (NAV).', 'rtl')).toEqual(['R:.', 'R:(', 'L:NAV', 'R:)', 'R:السكن ']);
});

test('a line starting with Latin in a right-to-left language still reads right to left', () => {
  expect(shown('NAV تساعد', 'rtl')).toEqual(['R: تساعد', 'L:NAV']);
});

test('trailing spaces take the paragraph level and bidi controls are never drawn', () => {
  const runs = visualRuns(`\u200Fمرحبا ${ltrIsolate('OK')}  `, 'rtl');
  expect(runs.map((r) => r.text).join('')).not.toMatch(/[\u200F\u2066\u2069]/u);
  expect(runs[0]).toEqual({ text: '  ', rtl: true });
});

test('a line wraps at its spaces, but never inside an isolated number', () => {
  expect(wrappableWords(`Send  a text to ${ltrIsolate('+47 59 44 00 00')}.`)).toEqual(['Send', 'a', 'text', 'to', ltrIsolate('+47 59 44 00 00') + '.']);
});

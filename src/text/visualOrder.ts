import bidiFactory from 'bidi-js';

/**
 * Visual order for drawing one line of mixed-direction text where nothing else does it (a PDF):
 * phones and browsers apply the Unicode Bidirectional Algorithm themselves, pdfkit does not.
 *
 * bidi-js (MIT, no native code) is kept for the algorithm itself: it passes Unicode's own
 * conformance files (BidiTest.txt, BidiCharacterTest.txt) for levels and reordering, including
 * isolates and brackets, which a hand-written "reverse the Arabic parts" step gets wrong as soon
 * as a phone number or a parenthesis sits inside right-to-left text.
 *
 * What comes out is a list of runs in visual order (left to right on the page). Each run keeps
 * its characters in logical order, because Arabic letters must be shaped (joined) in logical
 * order: the font engine (fontkit, under pdfkit) shapes a run and, for a right-to-left script,
 * reverses its glyphs itself. Runs the engine would not reverse correctly (neutrals such as
 * ": " or a bracket resolved right-to-left, or Arabic-Indic digits resolved left-to-right) come
 * out already reversed, with brackets mirrored, so that drawing every run as the engine lays it
 * out gives the right picture.
 */

// Built on first use: its tables take milliseconds to build, which every start of the bot would
// pay otherwise (the analyst API knows about posters), for posters made a few times a campaign.
let built: ReturnType<typeof bidiFactory> | undefined;
const bidi = () => (built ??= bidiFactory());

/** U+2066 LEFT-TO-RIGHT ISOLATE and U+2069 POP DIRECTIONAL ISOLATE. */
const LRI = '\u2066';
const PDI = '\u2069';

/** The explicit bidi controls and marks: they steer the algorithm and are never drawn. */
const BIDI_CONTROL = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/u;

/** Scripts a font engine lays out right to left by default (fontkit's RTL list, for what the locales hold). */
const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}]/u;
const SCRIPT_NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u;

/** One run of a line, to be drawn at the next position to the right. */
export interface VisualRun {
  text: string;
  /** Resolved right-to-left (odd embedding level). */
  rtl: boolean;
}

/**
 * Wraps text that must read left to right as one unit (a phone number, a link, a keyword) inside
 * a right-to-left sentence: without it the spaces of "+47 59 44 00 00" resolve right-to-left and
 * the digit groups come out in reverse order (UAX #9, rule N1).
 */
export function ltrIsolate(text: string): string {
  return `${LRI}${text}${PDI}`;
}

/**
 * The words of a line for wrapping it: split at spaces, but never inside an isolate, so that a
 * phone number or a link stays on one line.
 */
export function wrappableWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of line) {
    if (/[\u2066-\u2068]/u.test(ch)) depth++;
    else if (ch === PDI) depth = Math.max(0, depth - 1);
    if (ch === ' ' && depth === 0) {
      if (current) words.push(current);
      current = '';
    } else current += ch;
  }
  if (current) words.push(current);
  return words;
}

/** Whether fontkit would lay out `text` right to left: it takes the direction of its first script that is not Common or Inherited. */
export function engineRtl(text: string): boolean {
  for (const ch of text) if (!SCRIPT_NEUTRAL.test(ch)) return RTL_SCRIPT.test(ch);
  return false;
}

/** Reverses characters (code points, so a surrogate pair stays whole), mirroring brackets when the run is right to left. */
export function reversed(text: string, mirror: boolean): string {
  return [...text]
    .reverse()
    .map((ch) => (mirror ? (bidi().getMirroredCharacter(ch) ?? ch) : ch))
    .join('');
}

/**
 * The runs of one line (no line breaks inside) in visual order. `dir` is the paragraph's
 * direction: a right-to-left language's lines are right-to-left paragraphs even where they start
 * with Latin text.
 */
export function visualRuns(line: string, dir: 'ltr' | 'rtl'): VisualRun[] {
  const chars = [...line];
  const text = chars.join('');
  const { levels } = bidi().getEmbeddingLevels(text, dir);
  // bidi-js's levels are per UTF-16 unit; take the level of each code point's first unit.
  const charLevels: number[] = [];
  let unit = 0;
  for (const ch of chars) {
    charLevels.push(levels[unit]);
    unit += ch.length;
  }
  // Trailing whitespace takes the paragraph's level (rule L1), so that it never lands mid-line.
  const base = dir === 'rtl' ? 1 : 0;
  for (let i = chars.length - 1; i >= 0 && /\s/u.test(chars[i]); i--) charLevels[i] = base;

  // Runs of one level; a character with a mirror image in a right-to-left run is a run of its own,
  // so that it can be mirrored without the engine's help (fonts differ in whether they do it).
  const runs: { text: string; level: number }[] = [];
  chars.forEach((ch, i) => {
    if (BIDI_CONTROL.test(ch)) return;
    const level = charLevels[i];
    const alone = level % 2 === 1 && bidi().getMirroredCharacter(ch) !== null;
    const last = runs.at(-1);
    if (last && last.level === level && !alone && !(last as { alone?: boolean }).alone) last.text += ch;
    else runs.push(Object.assign({ text: ch, level }, alone ? { alone: true } : {}));
  });

  // Rule L2: from the highest level down to the lowest odd one, reverse every sequence of runs at
  // that level or above.
  const highest = Math.max(0, ...runs.map((r) => r.level));
  const lowestOdd = Math.min(...runs.map((r) => r.level).filter((l) => l % 2 === 1), highest + 1);
  for (let level = highest; level >= lowestOdd && level > 0; level--) {
    for (let i = 0; i < runs.length;) {
      if (runs[i].level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < runs.length && runs[j].level >= level) j++;
      runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j;
    }
  }

  return runs.map(({ text: t, level }) => {
    const rtl = level % 2 === 1;
    // The engine reverses a run exactly when its script is right-to-left; where that differs
    // from the resolved direction the run holds no letters to join, and is reversed here.
    return { text: rtl === engineRtl(t) ? t : reversed(t, rtl), rtl };
  });
}

import fs from 'node:fs';
import path from 'node:path';

/**
 * The held-out redaction corpus (tests/fixtures/redaction-heldout/*.tsv) and how it is scored, shared by
 * tests/privacy/redact.heldout.test.ts and `npm run measure:redaction` so the test and the table the README
 * quotes count the same way.
 *
 * An item counts as replaced when none of its words (two letters or more) or numbers (two digits or more) is
 * left in the output more often than in the rest of the line; an ordinary line counts as changed when the output
 * differs from it in any way.
 */

export type Split = 'dev' | 'test';

export interface Item {
  kind: string;
  text: string;
}

export interface PersonalLine {
  lang: string;
  split: Split;
  /** The line as typed, without the [[kind:…]] markup. */
  input: string;
  /** The line with every item replaced by a space: the words that must be kept. */
  context: string;
  items: Item[];
}

export interface OrdinaryLine {
  lang: string;
  split: Split;
  text: string;
}

const dir = path.join(__dirname, '..', 'fixtures', 'redaction-heldout');
const ITEM = /\[\[(\w+):(.*?)\]\]/g;

function rows(file: string): { lang: string; split: Split; text: string }[] {
  return fs
    .readFileSync(path.join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .slice(1)
    .map((l) => {
      const [lang, split, text] = l.split('\t');
      if (split !== 'dev' && split !== 'test') throw new Error(`${file}: split must be dev or test: ${l}`);
      return { lang, split, text };
    });
}

export function personalLines(): PersonalLine[] {
  return rows('personal.tsv').map((r) => ({
    lang: r.lang,
    split: r.split,
    input: r.text.replace(ITEM, '$2'),
    context: r.text.replace(ITEM, ' '),
    items: [...r.text.matchAll(ITEM)].map((m) => ({ kind: m[1], text: m[2] })),
  }));
}

export function ordinaryLines(): OrdinaryLine[] {
  return rows('ordinary.tsv');
}

const tokens = (s: string) => s.match(/[\p{L}\p{M}]{2,}|\p{N}{2,}/gu) ?? [];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const occurrences = (hay: string, token: string) =>
  (hay.match(new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${escape(token)}(?![\\p{L}\\p{M}\\p{N}])`, 'gu')) ?? []).length;

/** Whether any word or number of `item` is left in `output`. */
export function leaks(line: PersonalLine, item: Item, output: string): boolean {
  return tokens(item.text).some((t) => occurrences(output, t) > occurrences(line.context, t));
}

/** The words around the items that redaction took with them. */
export function lostContext(line: PersonalLine, output: string): string[] {
  return tokens(line.context).filter((t) => occurrences(output, t) < occurrences(line.context, t));
}

export interface Score {
  items: number;
  replaced: number;
  /** Replaced items reported under another kind than the corpus says (still replaced). */
  otherKind: number;
  ordinary: number;
  changed: number;
  /** Words around the items that were lost (over-redaction in personal lines). */
  lostWords: number;
}

export interface Redaction {
  text: string;
  kinds: Record<string, number>;
}

/** Scores per locale (and "all") of one split. */
export function score(redact: (text: string) => Redaction, split: Split): Map<string, Score> {
  const out = new Map<string, Score>();
  const get = (lang: string) => {
    if (!out.has(lang)) out.set(lang, { items: 0, replaced: 0, otherKind: 0, ordinary: 0, changed: 0, lostWords: 0 });
    return out.get(lang)!;
  };
  for (const line of personalLines().filter((l) => l.split === split)) {
    const r = redact(line.input);
    for (const s of [get(line.lang), get('all')]) {
      for (const item of line.items) {
        s.items++;
        if (leaks(line, item, r.text)) continue;
        s.replaced++;
        if (!(r.kinds[item.kind] > 0)) s.otherKind++;
      }
      s.lostWords += lostContext(line, r.text).length;
    }
  }
  for (const line of ordinaryLines().filter((l) => l.split === split)) {
    const changed = redact(line.text).text !== line.text;
    for (const s of [get(line.lang), get('all')]) {
      s.ordinary++;
      if (changed) s.changed++;
    }
  }
  return out;
}

export const percent = (n: number, d: number) => (d ? `${Math.round((1000 * n) / d) / 10} %` : '–');

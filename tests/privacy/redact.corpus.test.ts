import fs from 'node:fs';
import path from 'node:path';
import { REDACTION_KINDS, RedactionKind, redactText } from '../../src/privacy/redact';

/**
 * Precision and recall of redaction on two corpora written for this test
 * (tests/fixtures/redaction-*.tsv; see their headers). The figures are reported in the README
 * under Privacy. Both corpora and the word lists were written by the same team, so the figures
 * are optimistic: real answers will contain shapes nobody here thought of.
 */
interface Row {
  lang: string;
  split: string;
  text: string;
}

function rows(file: string): Row[] {
  return fs
    .readFileSync(path.join(__dirname, '..', 'fixtures', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .slice(1)
    .map((l) => {
      const [lang, split, text] = l.split('\t');
      return { lang, split, text };
    });
}

const ITEM = /\[\[(\w+):(.*?)\]\]/g;
// Words of two letters or more and numbers of two digits or more: what could identify.
const tokens = (s: string) => s.match(/[\p{L}\p{M}]{2,}|\p{N}{2,}/gu) ?? [];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const occurrences = (hay: string, token: string) =>
  (hay.match(new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${escape(token)}(?![\\p{L}\\p{M}\\p{N}])`, 'gu')) ?? []).length;

const clean = rows('redaction-clean.tsv');
const personal = rows('redaction-personal.tsv').map((r) => {
  const items = [...r.text.matchAll(ITEM)].map((m) => ({ kind: m[1] as RedactionKind, text: m[2] }));
  return { ...r, input: r.text.replace(ITEM, '$2'), context: r.text.replace(ITEM, ' '), items };
});

describe('the clean corpus: ordinary answers full of numbers, places and institutions', () => {
  const changed = clean.filter((r) => redactText(r.text).text !== r.text);

  it('has at least 300 answers in at least eight languages', () => {
    expect(clean.length).toBeGreaterThanOrEqual(300);
    expect(new Set(clean.map((r) => r.lang)).size).toBeGreaterThanOrEqual(8);
  });

  it('comes back unchanged in at least 99 % of lines', () => {
    expect(changed.length).toBeLessThanOrEqual(Math.floor(clean.length * 0.01));
  });

  it('comes back unchanged in every line today, so a regression shows up as a named line', () => {
    expect(changed.map((r) => `${r.lang}: ${r.text} => ${redactText(r.text).text}`)).toEqual([]);
  });
});

describe('the personal corpus: answers with names, addresses, numbers and links', () => {
  it('has at least 150 lines, every one with an item, using every kind', () => {
    expect(personal.length).toBeGreaterThanOrEqual(150);
    expect(personal.filter((r) => r.items.length === 0)).toEqual([]);
    expect(new Set(personal.flatMap((r) => r.items.map((i) => i.kind)))).toEqual(new Set(REDACTION_KINDS));
  });

  it('replaces every item: none of its words or numbers is left', () => {
    const leaks = personal.flatMap((r) => {
      const out = redactText(r.input).text;
      return r.items
        .filter((i) => tokens(i.text).some((t) => occurrences(out, t) > occurrences(r.context, t)))
        .map((i) => `${r.lang}: ${i.kind} in "${r.input}" => "${out}"`);
    });
    expect(leaks).toEqual([]);
  });

  it('reports each item under its kind', () => {
    const wrong = personal.flatMap((r) => {
      const { kinds } = redactText(r.input);
      return r.items.filter((i) => kinds[i.kind] < 1).map((i) => `${r.lang}: ${i.kind} in "${r.input}" reported as ${JSON.stringify(kinds)}`);
    });
    expect(wrong).toEqual([]);
  });

  it('keeps every word around the items', () => {
    const lost = personal.flatMap((r) => {
      const out = redactText(r.input).text;
      const gone = tokens(r.context).filter((t) => occurrences(out, t) < occurrences(r.context, t));
      return gone.length ? [`${r.lang}: lost ${gone.join(', ')} in "${out}"`] : [];
    });
    expect(lost).toEqual([]);
  });
});

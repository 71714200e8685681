import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { Command, Texts } from './texts';
import { fitsBudget, SEGMENT_BUDGET } from '../text/smsText';
import { Locales, loadLocales } from './i18n';
import { optionsOf, SurveyDefinition } from '../survey/definition';
import { allOptions, questionsOf } from '../survey/walk';
import { recognize } from '../survey/recognize';
import { GLOSSARY_FILE, Glossary, glossaryProblems } from './glossary';
import { ProvenanceOverrides, readProvenance, textHash, writeProvenance } from './provenance';
import { stringProvenance } from './stringProvenance';

/**
 * The native reviewer's round trip: `survey-bot translations export` writes every string of one
 * locale (key, English source, bokmål source, current text, provenance) as XLIFF or CSV for a
 * translation tool or a spreadsheet; `survey-bot translations import` reads the file back,
 * checks it exactly as the tests check the locale files (keys, interpolation variables, the SMS
 * budget, key terms, answers that two options would share), writes the texts, and marks each
 * changed or confirmed string reviewed by the reviewing organisation on that day.
 */

/** The pseudo-namespace of glossary terms in a review file. */
export const GLOSSARY_NS = 'glossary';
/** How a list (keywords, synonyms) is written in one cell or segment. */
export const LIST_SEPARATOR = ' | ';

type Json = string | Json[] | { [k: string]: Json };

/** One string to review. */
export interface ReviewUnit {
  /** `"<namespace>:<key>"`, e.g. "bot:help.text" or "glossary:offered". */
  id: string;
  ns: string;
  key: string;
  /** A keyword or synonym list, or glossary terms: one cell, items separated by {@link LIST_SEPARATOR}. */
  list: boolean;
  en: string;
  nb: string;
  /** The locale's current text; empty where it has none and English would be shown. */
  text: string;
  status: 'drafted' | 'reviewed' | 'missing';
  by: string;
  date?: string;
  /** What a reviewer needs to know: variables, key terms, the SMS budget, what a list is for. */
  notes: string[];
}

function flatten(obj: Json | undefined, prefix = ''): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  if (obj === undefined) return out;
  if (typeof obj === 'string' || Array.isArray(obj)) {
    out.set(prefix, obj as string | string[]);
    return out;
  }
  for (const [k, v] of Object.entries(obj)) for (const [kk, vv] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  return out;
}

const asCell = (v: string | string[] | undefined) => (v === undefined ? '' : Array.isArray(v) ? v.join(LIST_SEPARATOR) : v);
const variables = (s: string) => [...new Set([...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]))].sort();

/** The namespaces respondents read: the bot's and the survey's. */
export function reviewNamespaces(survey: SurveyDefinition): string[] {
  return ['bot', survey.id];
}

/** Every string of `lng` to review, in the order of the English files, then the glossary. */
export function reviewUnits(locales: Locales, survey: SurveyDefinition, lng: string): ReviewUnit[] {
  const units: ReviewUnit[] = [];
  const res = (l: string, ns: string) => locales.i18n.getResourceBundle(l, ns) as Json | undefined;
  const sourceGlossary = locales.glossary.get('en') ?? {};
  const termsIn = new Map<string, string[]>();
  for (const [concept, entry] of Object.entries(sourceGlossary)) {
    for (const id of entry.in ?? []) termsIn.set(id, [...(termsIn.get(id) ?? []), concept]);
  }
  const own = locales.glossary.get(lng) ?? {};
  const encoding = locales.byTag.get(lng)?.smsEncoding ?? 'UCS-2';
  const maxChars = encoding === 'GSM-7' ? 153 * SEGMENT_BUDGET['GSM-7'] : 67 * SEGMENT_BUDGET['UCS-2'];
  for (const ns of reviewNamespaces(survey)) {
    const en = flatten(res('en', ns));
    const nb = flatten(res('nb', ns));
    const mine = flatten(res(lng, ns));
    for (const [key, source] of en) {
      const id = `${ns}:${key}`;
      const current = mine.get(key);
      const p = stringProvenance(locales, lng, ns, key);
      const list = Array.isArray(source);
      const notes: string[] = [];
      if (list) notes.push(`A list: respondents may type any of these words. Separate them with "${LIST_SEPARATOR.trim()}".`);
      else {
        const vars = variables(source as string);
        if (vars.length) notes.push(`Keep ${vars.map((v) => `{{${v}}}`).join(', ')} exactly as written: the bot fills them in.`);
        notes.push(`Sent by SMS: with the variables filled in, at most about ${maxChars} characters (${encoding}).`);
      }
      for (const concept of termsIn.get(id) ?? []) {
        notes.push(
          `Key term "${concept}" (${sourceGlossary[concept].means}): this text must use ${own[concept]?.terms.map((t) => `"${t}"`).join(' or ') ?? 'the glossary term'}.`,
        );
      }
      units.push({
        id,
        ns,
        key,
        list,
        en: asCell(source),
        nb: asCell(nb.get(key)),
        text: asCell(current),
        status: current === undefined ? 'missing' : p.status,
        by: current === undefined ? '' : p.by,
        ...(p.date && current !== undefined ? { date: p.date } : {}),
        notes,
      });
    }
  }
  const reviews = locales.provenance.get(lng) ?? {};
  const meta = locales.byTag.get(lng);
  for (const [concept, entry] of Object.entries(sourceGlossary)) {
    const id = `${GLOSSARY_NS}:${concept}`;
    const terms = own[concept]?.terms;
    const review = reviews[id];
    const reviewed = review && terms && review.text === textHash(terms);
    units.push({
      id,
      ns: GLOSSARY_NS,
      key: concept,
      list: true,
      en: entry.terms.join(LIST_SEPARATOR),
      nb: (locales.glossary.get('nb')?.[concept]?.terms ?? []).join(LIST_SEPARATOR),
      text: (terms ?? []).join(LIST_SEPARATOR),
      status: !terms ? 'missing' : reviewed ? 'reviewed' : (meta?.provenance.status ?? 'drafted'),
      by: !terms ? '' : reviewed ? review.by : (meta?.provenance.by ?? ''),
      ...(reviewed ? { date: review.date } : {}),
      notes: [`Key term: ${entry.means}`, `The word or stem every one of these texts must use: ${(entry.in ?? []).join(', ')}.`],
    });
  }
  return units;
}

// ---------------------------------------------------------------------------------------------
// Files

export type ReviewFormat = 'xliff' | 'csv';
export type XliffVersion = '1.2' | '2.0';

/** CSV columns, in order. A reviewer edits `text` and writes "yes" in `confirmed` for every string checked and kept. */
export const CSV_COLUMNS = ['locale', 'key', 'en', 'nb', 'text', 'status', 'by', 'date', 'confirmed', 'notes'] as const;

const provenanceNote = (u: ReviewUnit) =>
  u.status === 'missing' ? 'provenance: missing (English is shown)' : `provenance: ${u.status} (${u.by}${u.date ? `, ${u.date}` : ''})`;

/** Writes a review file for `lng`. */
export async function exportTranslations(units: ReviewUnit[], lng: string, format: ReviewFormat, xliffVersion: XliffVersion = '1.2'): Promise<string> {
  if (format === 'csv') {
    const rows = units.map((u) => [lng, u.id, u.en, u.nb, u.text, u.status, u.by, u.date ?? '', '', u.notes.join(' ')]);
    return stringify([[...CSV_COLUMNS], ...rows]);
  }
  const resources: Record<string, Record<string, object>> = {};
  for (const u of units) {
    const note = [`nb: ${u.nb}`, provenanceNote(u), ...u.notes];
    (resources[u.ns] ??= {})[u.key] = {
      source: u.en,
      target: u.text,
      note,
      // XLIFF 1.2 marks a confirmed translation approved="yes"; 2.0 uses the segment state (below).
      ...(xliffVersion === '1.2' ? { additionalAttributes: { approved: 'no' } } : {}),
    };
  }
  const doc = { sourceLanguage: 'en', targetLanguage: lng, resources };
  if (xliffVersion === '1.2') {
    const { default: jsToXliff12 } = await import('xliff/jsToXliff12');
    return jsToXliff12(doc);
  }
  const { default: js2xliff } = await import('xliff/js2xliff');
  // The library writes no segment state; text content is escaped, so "<segment>" is only ever a tag.
  return (await js2xliff(doc)).replace(/<segment>/g, '<segment state="translated">');
}

/** One string as read back from a review file. */
export interface ReturnedUnit {
  id: string;
  /** The English source as it was when the file was exported. */
  en: string;
  text: string;
  confirmed: boolean;
}

/** What a review file holds. */
export interface ReviewFile {
  lng: string;
  units: ReturnedUnit[];
}

/** Reads an XLIFF 1.2 or 2.0 file, or a CSV file with {@link CSV_COLUMNS}, as exported. */
export async function parseReviewFile(content: string): Promise<ReviewFile> {
  const text = content.replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('<')) return parseXliff(text);
  return parseCsv(text);
}

async function parseXliff(xml: string): Promise<ReviewFile> {
  const v12 = /<xliff\b[^>]*\bversion="1\.2"/.test(xml);
  type Unit = { source?: unknown; target?: unknown; additionalAttributes?: Record<string, string> };
  type Doc = { targetLanguage?: string; resources: Record<string, Record<string, Unit>> };
  const doc = (await (v12 ? (await import('xliff/xliff12ToJs')).default(xml) : (await import('xliff/xliff2js')).default(xml))) as Doc;
  if (!doc.targetLanguage) throw new Error('The XLIFF file names no target language.');
  const states = v12 ? new Map<string, string>() : segmentStates(xml);
  const units: ReturnedUnit[] = [];
  for (const [ns, byKey] of Object.entries(doc.resources)) {
    for (const [key, u] of Object.entries(byKey)) {
      const id = `${ns}:${key}`;
      const confirmed = v12 ? u.additionalAttributes?.approved === 'yes' : ['reviewed', 'final'].includes(states.get(id) ?? '');
      units.push({ id, en: plainText(u.source), text: plainText(u.target), confirmed });
    }
  }
  return { lng: doc.targetLanguage, units };
}

/** Inline markup a translation tool may add (placeholders, spans) counts as its text. */
function plainText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(plainText).join('');
  if (typeof v === 'object')
    return Object.values(v as Record<string, { contents?: unknown }>)
      .map((e) => plainText(e?.contents))
      .join('');
  return String(v);
}

/**
 * XLIFF 2.0 keeps a segment's review state on `<segment state="…">`, which the xliff package does
 * not read; file, unit and segment start tags are found in document order.
 */
function segmentStates(xml: string): Map<string, string> {
  const states = new Map<string, string>();
  const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
  let file = '';
  let unit = '';
  for (const m of xml.matchAll(/<(file|unit|segment)\b([^>]*)>/g)) {
    if (m[1] === 'file') file = attr(m[2], 'id') ?? '';
    else if (m[1] === 'unit') unit = attr(m[2], 'id') ?? '';
    else if (!states.has(`${file}:${unit}`)) states.set(`${file}:${unit}`, attr(m[2], 'state') ?? '');
  }
  return states;
}

/** RFC 4180 CSV, as spreadsheets save it (comma, semicolon or tab; quoted fields with line breaks). */
export function parseCsvRows(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

function parseCsv(text: string): ReviewFile {
  const [header, ...rows] = parseCsvRows(text);
  const col = (name: (typeof CSV_COLUMNS)[number]) => {
    const i = (header ?? []).findIndex((h) => h.trim().toLowerCase() === name);
    if (i < 0) throw new Error(`The CSV file has no "${name}" column; expected ${CSV_COLUMNS.join(', ')}.`);
    return i;
  };
  const [locale, key, en, value, confirmed] = [col('locale'), col('key'), col('en'), col('text'), col('confirmed')];
  const lngs = [...new Set(rows.map((r) => (r[locale] ?? '').trim()))];
  if (lngs.length !== 1 || !lngs[0]) throw new Error(`The CSV file must hold one locale; it holds ${lngs.filter(Boolean).join(', ') || 'none'}.`);
  const yes = (s: string | undefined) => /^(yes|y|ja|x|true|1)$/i.test((s ?? '').trim());
  return { lng: lngs[0], units: rows.map((r) => ({ id: (r[key] ?? '').trim(), en: r[en] ?? '', text: r[value] ?? '', confirmed: yes(r[confirmed]) })) };
}

// ---------------------------------------------------------------------------------------------
// Import

/** One reason a returned file cannot be imported. */
export interface ImportProblem {
  id: string;
  message: string;
}

export interface ImportOptions {
  /** The reviewing organisation, as it should appear in the codebook and the README. */
  reviewer: string;
  /** YYYY-MM-DD. */
  date: string;
  /** Check only; write nothing. */
  dryRun?: boolean;
}

export interface ImportResult {
  lng: string;
  changed: string[];
  confirmed: string[];
  problems: ImportProblem[];
  /** True when the texts and provenance were written. */
  written: boolean;
}

/**
 * Validates a returned review file against the locales in `locales.dir` and, when nothing is
 * wrong, writes its texts there and records every changed or confirmed string as reviewed by
 * `options.reviewer` on `options.date`. Nothing is written when any string has a problem: a
 * half-imported review would mark strings reviewed next to strings that were not.
 */
export function importTranslations(locales: Locales, survey: SurveyDefinition, file: ReviewFile, options: ImportOptions): ImportResult {
  const { lng } = file;
  const problems: ImportProblem[] = [];
  const result = (written: boolean, changed: string[] = [], confirmed: string[] = []): ImportResult => ({ lng, changed, confirmed, problems, written });
  if (!locales.byTag.has(lng)) {
    problems.push({ id: '-', message: `"${lng}" is not a locale in ${locales.dir}` });
    return result(false);
  }
  if (!options.reviewer.trim()) problems.push({ id: '-', message: 'name the reviewing organisation (--reviewer)' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) problems.push({ id: '-', message: `the date must be YYYY-MM-DD, not "${options.date}"` });

  const known = new Map(reviewUnits(locales, survey, lng).map((u) => [u.id, u]));
  const seen = new Set<string>();
  const changes = new Map<string, string | string[]>();
  const confirmed: string[] = [];
  for (const u of file.units) {
    const unit = known.get(u.id);
    if (!unit) {
      problems.push({ id: u.id, message: 'no such string (a key renamed or mistyped?)' });
      continue;
    }
    if (seen.has(u.id)) problems.push({ id: u.id, message: 'appears twice in the file' });
    seen.add(u.id);
    if (u.en !== unit.en) {
      problems.push({ id: u.id, message: 'the English source has changed since this file was exported: export again and review the new text' });
      continue;
    }
    const text = u.text.trim() === '' ? '' : u.text;
    // A synonym list may be empty (the label is the only word); a text may not.
    if (!text && !(unit.list && unit.ns !== GLOSSARY_NS)) {
      problems.push({ id: u.id, message: 'empty: write the text, or leave the string out of the file' });
      continue;
    }
    const value = unit.list ? (text ? text.split('|').map((w) => w.trim()) : []) : text;
    if (Array.isArray(value) && value.some((w) => !w)) problems.push({ id: u.id, message: 'an empty word in the list (two "|" in a row?)' });
    if (Array.isArray(value) && value.length === 0 && u.id.startsWith('bot:keywords.'))
      problems.push({ id: u.id, message: 'a keyword list needs at least one word' });
    if (!Array.isArray(value)) {
      const want = variables(unit.en).join(', ');
      const got = variables(value).join(', ');
      if (want !== got) problems.push({ id: u.id, message: `variables must be {{${want || '—'}}} as in English, not {{${got || '—'}}}` });
    }
    if (asCell(value) !== unit.text) changes.set(u.id, value);
    else if (u.confirmed) confirmed.push(u.id);
  }
  // Check the merged texts exactly as the bot will load them, also when strings already have
  // problems: a reviewer should get every problem of the file in one answer, not one kind per try.
  // Nothing is written while there is any.
  const staged = fs.mkdtempSync(path.join(os.tmpdir(), 'survey-bot-review-'));
  try {
    fs.cpSync(locales.dir, staged, { recursive: true });
    const folder = path.join(staged, lng);
    applyChanges(folder, changes);
    const merged = loadLocales(staged);
    problems.push(...checkLocale(new Texts(merged, survey, undefined, merged.byTag.has('nb') ? 'nb' : merged.list[0].tag), lng, new Set(changes.keys())));
    if (problems.length || options.dryRun) return result(false, [...changes.keys()], confirmed);

    const reviews: ProvenanceOverrides = readProvenance(folder);
    for (const id of [...changes.keys(), ...confirmed]) {
      const [ns, key] = splitId(id);
      const value = ns === GLOSSARY_NS ? merged.glossary.get(lng)?.[key]?.terms : merged.i18n.getResource(lng, ns, key);
      reviews[id] = { status: 'reviewed', by: options.reviewer.trim(), date: options.date, text: textHash(value) };
    }
    writeProvenance(folder, reviews);
    for (const f of fs.readdirSync(folder)) fs.copyFileSync(path.join(folder, f), path.join(locales.dir, lng, f));
    return result(true, [...changes.keys()], confirmed);
  } finally {
    fs.rmSync(staged, { recursive: true, force: true });
  }
}

function splitId(id: string): [string, string] {
  const i = id.indexOf(':');
  return [id.slice(0, i), id.slice(i + 1)];
}

/** Writes changed values into a locale folder, keeping the files' key order. */
function applyChanges(folder: string, changes: Map<string, string | string[]>): void {
  const byFile = new Map<string, Array<[string, string | string[]]>>();
  for (const [id, value] of changes) {
    const [ns, key] = splitId(id);
    byFile.set(ns, [...(byFile.get(ns) ?? []), [key, value]]);
  }
  for (const [ns, entries] of byFile) {
    const file = path.join(folder, ns === GLOSSARY_NS ? GLOSSARY_FILE : `${ns}.json`);
    const json = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    for (const [key, value] of entries) {
      if (ns === GLOSSARY_NS) {
        const glossary = json as Glossary;
        glossary[key] = { ...(glossary[key] ?? { not: [] }), terms: value as string[] };
        continue;
      }
      const parts = key.split('.');
      let node = json;
      for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
      node[parts.at(-1)!] = value;
    }
    fs.writeFileSync(file, `${ns === GLOSSARY_NS ? compactJson(json) : JSON.stringify(json, null, 2)}\n`);
  }
}

/** JSON with short lists of words on one line, as the glossary files are written. */
export function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\n\s+([^[\]{}]*?)\n\s+\]/g, (_m, items: string) => `[${items.replace(/,\n\s+/g, ', ')}]`);
}

/**
 * The checks the locale tests make, for one locale: every string within the SMS budget as sent
 * (variables at their longest, right-to-left marks added), the key terms where they are
 * required, and every answer word understood as its own option. `onlyIds` limits the SMS and
 * glossary checks to the strings a review changed, so an import is not blamed for the rest.
 */
export function checkLocale(texts: Texts, lng: string, onlyIds?: ReadonlySet<string>): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const { locales, survey } = texts;
  const wanted = (id: string) => !onlyIds || onlyIds.has(id);
  const vars = budgetVariables(texts, lng);
  for (const ns of reviewNamespaces(survey)) {
    for (const [key, value] of flatten(locales.i18n.getResourceBundle(lng, ns) as Json | undefined)) {
      if (Array.isArray(value) || !wanted(`${ns}:${key}`)) continue;
      if (!fitsBudget(texts.t(lng, `${ns}:${key}`, vars)))
        problems.push({ id: `${ns}:${key}`, message: 'too long for the SMS budget (2 GSM-7 or 3 UCS-2 segments with the variables filled in)' });
    }
  }
  const source = locales.glossary.get('en') ?? {};
  const text = (id: string) => {
    const [ns, key] = splitId(id);
    return locales.i18n.getResource(lng, ns, key) as string | undefined;
  };
  for (const p of glossaryProblems(source, locales.glossary.get(lng) ?? {}, text, texts.words.fold(lng))) {
    if (!onlyIds || onlyIds.has(p.key) || onlyIds.has(`${GLOSSARY_NS}:${p.concept}`)) problems.push({ id: p.key, message: `${p.concept}: ${p.message}` });
  }
  const questions = questionsOf(survey)
    .map((s) => s.question)
    .filter((q) => optionsOf(q).length > 0);
  for (const q of questions) {
    const vocab = texts.words.vocabulary(lng, q);
    for (const [option, words] of Object.entries(vocab.options)) {
      for (const w of words) {
        const r = recognize(q, w, vocab);
        const ok = r.ok && (Array.isArray(r.value) ? r.value.length === 1 && r.value[0] === option : r.value === option);
        if (!ok)
          problems.push({
            id: `${survey.id}:options.${option}`,
            message: `"${w}" answers ${q.id} as ${r.ok ? JSON.stringify(r.value) : r.reason}, not as ${option}`,
          });
      }
    }
  }
  return problems;
}

/** The longest values the variables of `lng`'s texts can take, for the SMS budget. */
export function budgetVariables(texts: Texts, lng: string): Record<string, unknown> {
  const { survey, locales } = texts;
  const longest = (xs: string[]) => xs.reduce((a, b) => (b.length > a.length ? b : a), '');
  const options = allOptions(survey);
  return {
    endonym: longest(locales.list.map((l) => l.endonym)),
    organisation: texts.organisationName(lng),
    area: longest(options.map((o) => texts.optionLabel(lng, o))),
    option: texts.optionLabel(lng, 'none'),
    answer: longest(options.map((o) => texts.optionLabel(lng, o))),
    index: 17,
    total: 18,
    min: 0,
    max: 80,
    skip: texts.words.keyword(lng, 'skip'),
    back: texts.words.keyword(lng, Command.Back),
    language: texts.words.keyword(lng, Command.Language),
    stop: texts.words.keyword(lng, Command.Stop),
    delete: texts.words.keyword(lng, Command.Delete),
  };
}

// ---------------------------------------------------------------------------------------------
// Status

/** How much of a locale a native reviewer has confirmed, for the README and the codebook. */
export interface ReviewSummary {
  /** Respondent-facing strings (the bot's and the survey's), glossary terms not counted. */
  total: number;
  reviewed: number;
  /** The reviewing organisations, in the order they first appear. */
  reviewers: string[];
}

/** Counts the strings of `lng` whose exact text a native reviewer has confirmed. */
export function reviewSummary(locales: Locales, survey: SurveyDefinition, lng: string): ReviewSummary {
  const units = reviewUnits(locales, survey, lng).filter((u) => u.ns !== GLOSSARY_NS);
  const reviewed = units.filter((u) => u.status === 'reviewed');
  return { total: units.length, reviewed: reviewed.length, reviewers: [...new Set(reviewed.map((u) => u.by))] };
}

/**
 * The README's language table: each locale's default provenance and how many of its strings a
 * native reviewer has confirmed. `survey-bot translations status` prints it.
 */
export function languageTable(locales: Locales, survey: SurveyDefinition): string {
  const rows = locales.list.map((l) => {
    const { total, reviewed, reviewers } = reviewSummary(locales, survey, l.tag);
    return `| ${l.endonym} | ${l.tag} | ${l.dir} | ${l.provenance.status}: ${l.provenance.by} | ${reviewed} of ${total}${reviewers.length ? ` (${reviewers.join(', ')})` : ''} |`;
  });
  return ['| Language | Tag | Direction | Texts (meta.json) | Strings reviewed by a native speaker |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

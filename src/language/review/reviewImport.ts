import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Texts } from '../texts';
import { fitsBudget } from '../../text/smsText';
import { Locales, loadLocales } from '../i18n';
import { optionsOf, SurveyDefinition } from '../../survey/definition';
import { allOptions, questionsOf } from '../../survey/walk';
import { recognize } from '../../survey/recognize';
import { GLOSSARY_FILE, Glossary, glossaryProblems } from '../glossary';
import { ProvenanceOverrides, readProvenance, textHash, writeProvenance } from '../provenance';
import { asCell, flatten, GLOSSARY_NS, Json, reviewNamespaces, reviewUnits, variables } from './reviewUnits';
import { ReviewFile } from './reviewFiles';

/**
 * Importing a returned review file: checked exactly as the tests check the locale files (keys,
 * interpolation variables, the SMS budget, key terms, answers that two options would share); the
 * texts written and each changed or confirmed string marked reviewed by the organisation, that day.
 */
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

import fs from 'node:fs';
import path from 'node:path';
import { localesDir, projectRoot } from '../src/paths';
import { optionsOf } from '../src/survey/definition';
import { requiredTextKeys } from '../src/survey/validate';
import { texts } from './helpers/harness';
import { LiteralRules, userFacingLiterals } from './helpers/literals';

type Json = string | Json[] | { [k: string]: Json };
const { locales, survey } = texts;
const tags = locales.list.map((l) => l.tag);
const namespaces = locales.namespaces;
const resource = (tag: string, ns: string) => JSON.parse(fs.readFileSync(path.join(localesDir, tag, `${ns}.json`), 'utf8')) as Json;

/** Flattens a locale file to key → value; arrays are leaves. */
function flatten(obj: Json, prefix = ''): Map<string, Json> {
  const out = new Map<string, Json>();
  if (typeof obj === 'string' || Array.isArray(obj)) {
    out.set(prefix, obj);
    return out;
  }
  for (const [k, v] of Object.entries(obj)) for (const [kk, vv] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  return out;
}
const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]).sort();

test('the supported-language list matches the locale folders', () => {
  const folders = fs.readdirSync(localesDir).filter((f) => fs.statSync(path.join(localesDir, f)).isDirectory());
  expect([...tags].sort()).toEqual(folders.sort());
  expect(tags).toEqual(expect.arrayContaining(['nb', 'nn', 'en']));
});

test('every locale has the same files', () => {
  for (const tag of tags) {
    const files = fs.readdirSync(path.join(localesDir, tag)).sort();
    expect({ tag, files }).toEqual({ tag, files: ['meta.json', ...namespaces.map((n) => `${n}.json`)].sort() });
  }
});

describe.each(namespaces)('namespace %s', (ns) => {
  const all = new Map(tags.map((t) => [t, flatten(resource(t, ns))]));
  const union = new Set([...all.values()].flatMap((m) => [...m.keys()]));

  test.each(tags)('%s has every key that another locale has', (tag) => {
    const missing = [...union].filter((k) => !all.get(tag)!.has(k));
    expect(missing).toEqual([]);
  });

  test.each(tags.filter((t) => t !== 'en'))('%s uses the same interpolation variables as English', (tag) => {
    const mismatched: string[] = [];
    for (const [key, en] of all.get('en')!) {
      const v = all.get(tag)!.get(key);
      if (typeof en === 'string' && typeof v === 'string' && vars(en).join() !== vars(v).join()) mismatched.push(`${key}: ${vars(v)} vs ${vars(en)}`);
    }
    expect(mismatched).toEqual([]);
  });

  test.each(tags)('%s has no empty text', (tag) => {
    const empty = [...all.get(tag)!].filter(([k, v]) => (typeof v === 'string' ? !v.trim() : k.startsWith('keywords.') && (v as Json[]).length === 0)).map(([k]) => k);
    expect(empty).toEqual([]);
  });
});

test.each(tags)('%s has every text the survey definition needs', (tag) => {
  const missing = requiredTextKeys(survey).filter((k) => locales.i18n.getResource(tag, survey.id, k) === undefined);
  expect(missing).toEqual([]);
});

test.each(tags)('%s keywords do not collide with answers to any question', (tag) => {
  const commands = ['help', 'back', 'language', 'stop', 'delete', 'dont_understand', 'opt_out', 'opt_in', 'sms_help'] as const;
  const answerWords = new Set<string>();
  for (const o of new Set(survey.items.flatMap((i) => (i.type === 'repeat' ? i.questions.flatMap(optionsOf) : optionsOf(i))).concat(['yes', 'no', 'dont_know']))) {
    for (const w of texts.vocabulary(tag, { type: 'single', id: 'x', optional: false, options: [o] }).options[o]) answerWords.add(w.toLowerCase());
  }
  const clashes = commands.flatMap((c) => texts.list(tag, `bot:keywords.${c}`).filter((w) => answerWords.has(w.toLowerCase())).map((w) => `${c}: ${w}`));
  expect(clashes).toEqual([]);
});

test.each(tags)('%s metadata is honest about provenance', (tag) => {
  const meta = texts.meta(tag);
  expect(['drafted', 'reviewed']).toContain(meta.provenance.status);
  // Nothing in this repository has been reviewed by a qualified native speaker yet.
  expect(meta.provenance.status).toBe('drafted');
});

/** Texts that are the same in every language: names and numbers, not translations. */
const SAME_IN_EVERY_LANGUAGE = new Set(['options.nav.label', 'options.age_18_25.label', 'options.age_26_35.label', 'options.age_36_50.label', 'options.age_51_66.label']);

test.each(tags.filter((t) => t !== 'en'))('%s survey texts are translated, not copied from English', (tag) => {
  const en = flatten(resource('en', survey.id));
  const mine = flatten(resource(tag, survey.id));
  const copied = [...en].filter(([k, v]) => typeof v === 'string' && !SAME_IN_EVERY_LANGUAGE.has(k) && mine.get(k) === v).map(([k]) => k);
  expect(copied).toEqual([]);
});

describe('no user-facing string literal in dialogs', () => {
  const keys = new Set<string>();
  const localeValues = new Set<string>();
  for (const tag of tags)
    for (const ns of namespaces)
      for (const [k, v] of flatten(resource(tag, ns))) {
        keys.add(`${ns}:${k}`);
        if (ns === survey.id) keys.add(k);
        for (const s of Array.isArray(v) ? v : [v]) if (typeof s === 'string') localeValues.add(s.toLowerCase().trim());
      }
  const ids = new Set<string>(['yes', 'no', 'dont_know', 'consent', 'confirm_delete', 'single', 'multi', 'yes_no', 'scale', 'number', 'text']);
  for (const item of survey.items) {
    ids.add(item.id);
    for (const q of item.type === 'repeat' ? item.questions : [item]) optionsOf(q).forEach((o) => ids.add(o));
  }
  const rules: LiteralRules = { keys, localeValues, ids };
  const dialogFiles = fs.readdirSync(path.join(projectRoot, 'dialogs')).filter((f) => f.endsWith('.ts'));

  test.each(dialogFiles)('dialogs/%s', (file) => {
    const source = fs.readFileSync(path.join(projectRoot, 'dialogs', file), 'utf8');
    expect(userFacingLiterals(file, source, rules)).toEqual([]);
  });

  test('the check catches a greeting, a keyword and a sentence in a template', () => {
    const source = [
      "await context.sendActivity('Velkommen til undersøkelsen');",
      "if (text === 'stop') pause();",
      'await context.sendActivity(`Takk, ${name}!`);',
      "const ok = texts.t(lng, 'bot:greeting');",
      "const fine = texts.t(lng, `bot:reprompt.${reason}`);",
      "const id = 'questionDialog';",
    ].join('\n');
    expect(userFacingLiterals('fixture.ts', source, rules).map((f) => f.text)).toEqual(['Velkommen til undersøkelsen', 'stop', 'Takk, ']);
  });
});

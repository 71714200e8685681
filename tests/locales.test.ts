import fs from 'node:fs';
import path from 'node:path';
import { LOCALE_DATA_FILES } from '../src/language/i18n';
import { glossaryProblems } from '../src/language/glossary';
import { textHash } from '../src/language/provenance';
import { localesDir, projectRoot } from '../src/paths';
import { optionsOf } from '../src/survey/definition';
import { requiredTextKeys } from '../src/survey/validate';
import { texts } from './helpers/harness';
import { LiteralRules, userFacingLiterals } from './helpers/literals';

type Json = string | Json[] | { [k: string]: Json };
const { locales, survey } = texts;
const tags = locales.list.map((l) => l.tag);
const namespaces = locales.namespaces;
/** What respondents read, in every language; other namespaces (analyst texts) only where analysts read them. */
const respondentNamespaces = ['bot', survey.id];
const localesWith = (ns: string) => tags.filter((t) => fs.existsSync(path.join(localesDir, t, `${ns}.json`)));
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

test.each(tags)('%s has the texts respondents read and the data about its language', (tag) => {
  const files = fs.readdirSync(path.join(localesDir, tag));
  const required = ['meta.json', 'detect.json', 'glossary.json', ...respondentNamespaces.map((n) => `${n}.json`)];
  expect(required.filter((f) => !files.includes(f))).toEqual([]);
  expect(files.filter((f) => !LOCALE_DATA_FILES.has(f) && !namespaces.includes(f.replace(/\.json$/, '')))).toEqual([]);
});

describe.each(namespaces)('namespace %s', (ns) => {
  const tags = localesWith(ns);
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
    const empty = [...all.get(tag)!]
      .filter(([k, v]) => (typeof v === 'string' ? !v.trim() : k.startsWith('keywords.') && (v as Json[]).length === 0))
      .map(([k]) => k);
    expect(empty).toEqual([]);
  });
});

test.each(tags)('%s has every text the survey definition needs', (tag) => {
  const missing = requiredTextKeys(survey).filter((k) => locales.i18n.getResource(tag, survey.id, k) === undefined);
  expect(missing).toEqual([]);
});

test.each(tags)('%s keywords do not collide with answers to any question', (tag) => {
  // Skip words too: on a required question they are refused before the answer is matched.
  const commands = ['help', 'back', 'language', 'stop', 'delete', 'skip', 'dont_understand', 'opt_out', 'opt_in', 'sms_help'] as const;
  const fold = texts.words.fold(tag);
  const answerWords = new Set<string>();
  for (const o of new Set(
    survey.items.flatMap((i) => (i.type === 'repeat' ? i.questions.flatMap(optionsOf) : optionsOf(i))).concat(['yes', 'no', 'dont_know']),
  )) {
    for (const w of texts.words.vocabulary(tag, { type: 'single', id: 'x', optional: false, options: [o] }).options[o]) answerWords.add(w);
  }
  const clashes = commands.flatMap((c) =>
    texts
      .list(tag, `bot:keywords.${c}`)
      .filter((w) => answerWords.has(fold(w)))
      .map((w) => `${c}: ${w}`),
  );
  expect(clashes).toEqual([]);
});

describe.each(tags)('%s provenance', (tag) => {
  const meta = texts.meta(tag);
  const overrides = Object.entries(locales.provenance.get(tag) ?? {});
  const keysOf = (ns: string) => [...flatten(resource(tag, ns)).keys()].map((k) => `${ns}:${k}`);
  const allKeys = respondentNamespaces.flatMap(keysOf);
  const terms = Object.keys(locales.glossary.get(tag) ?? {}).map((c) => `glossary:${c}`);
  const valueOf = (nsKey: string) => {
    const [ns, key] = nsKey.split(/:(.*)/s);
    return ns === 'glossary' ? locales.glossary.get(tag)?.[key]?.terms : (locales.i18n.getResource(tag, ns, key) as unknown);
  };

  test('names who wrote the texts and how', () => {
    expect(meta.provenance.by.trim()).not.toBe('');
    expect(meta.provenance.method.trim()).not.toBe('');
  });

  test('claims a reviewed locale only when every string has a review on record', () => {
    if (meta.provenance.status !== 'reviewed') return;
    const reviewed = new Set(overrides.filter(([, r]) => r.status === 'reviewed').map(([k]) => k));
    expect(allKeys.filter((k) => !reviewed.has(k))).toEqual([]);
  });

  test('records reviews only of strings that exist, as they were reviewed, on a day that has come', () => {
    const today = new Date().toISOString().slice(0, 10);
    const wrong = overrides.flatMap(([key, r]) => {
      if (!allKeys.includes(key) && !terms.includes(key)) return [`${key}: no such string`];
      if (r.text !== textHash(valueOf(key))) return [`${key}: edited after review; have it reviewed again or remove the entry`];
      return r.date > today ? [`${key}: reviewed on ${r.date}, which is in the future`] : [];
    });
    expect(wrong).toEqual([]);
  });
});

describe('glossary', () => {
  const source = locales.glossary.get('en')!;
  test('the source glossary says what every term means and where it is used', () => {
    for (const [concept, entry] of Object.entries(source))
      expect({ concept, means: !!entry.means, in: entry.in?.length ?? 0 }).toEqual({ concept, means: true, in: expect.any(Number) });
    expect(Object.values(source).every((e) => (e.in?.length ?? 0) > 0)).toBe(true);
  });

  test.each(tags)('%s uses its key terms where the survey measures them, and none of the renderings found wrong', (tag) => {
    const own = locales.glossary.get(tag) ?? {};
    const text = (nsKey: string) => {
      const [ns, key] = nsKey.split(/:(.*)/s);
      return locales.i18n.getResource(tag, ns, key) as string | undefined;
    };
    const problems = glossaryProblems(source, own, text, texts.words.fold(tag));
    expect(problems.map((p) => `${p.key} (${p.concept}): ${p.message}`)).toEqual([]);
    expect(Object.keys(own).filter((c) => !(c in source))).toEqual([]);
  });
});

/** Texts that are the same in every language: names and numbers, not translations. */
const SAME_IN_EVERY_LANGUAGE = new Set([
  'options.nav.label',
  'options.age_18_25.label',
  'options.age_26_35.label',
  'options.age_36_50.label',
  'options.age_51_66.label',
]);

test.each(tags.filter((t) => t !== 'en'))('%s survey texts are translated, not copied from English', (tag) => {
  const en = flatten(resource('en', survey.id));
  const mine = flatten(resource(tag, survey.id));
  const copied = [...en].filter(([k, v]) => typeof v === 'string' && !SAME_IN_EVERY_LANGUAGE.has(k) && mine.get(k) === v).map(([k]) => k);
  expect(copied).toEqual([]);
});

describe('no user-facing string literal in dialogs', () => {
  const keys = new Set<string>();
  const localeValues = new Set<string>();
  for (const ns of namespaces)
    for (const tag of localesWith(ns))
      for (const [k, v] of flatten(resource(tag, ns))) {
        keys.add(`${ns}:${k}`);
        if (ns === survey.id) keys.add(k);
        // Dialogs speak to respondents: analysts' words ("completed") may be identifiers there.
        if (!respondentNamespaces.includes(ns)) continue;
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
      'const ok = texts.greeting(lng);',
      'const fine = texts.t(lng, `bot:reprompt.${reason}`);',
      "const id = 'questionDialog';",
    ].join('\n');
    expect(userFacingLiterals('fixture.ts', source, rules).map((f) => f.text)).toEqual(['Velkommen til undersøkelsen', 'stop', 'Takk, ']);
  });
});

import { Question, optionsOf } from '../../src/survey/definition';
import { recognize } from '../../src/survey/recognize';
import { YES_NO_PROMPTS } from '../../src/language/words';
import { Messages } from '../../src/language/messages';
import { loadLocales } from '../../src/language/i18n';
import { texts } from '../helpers/harness';
import { letterPairs } from '../../src/text/fold';

/**
 * What respondents type, checked over every locale's own words so that the next locale cannot
 * repeat an error found in one: a generic synonym that captures another option's answers ("I
 * rent" for private renting), two options answered by the same word, and words that fail when
 * typed on the keyboards the locale's meta.json declares (Sorani on a Persian keyboard, Urdu
 * with Arabic heh).
 */
const tags = texts.locales.list.map((l) => l.tag);
const { survey, words } = texts;
const questions: Question[] = survey.items.flatMap((i) => (i.type === 'repeat' ? i.questions : [i])).filter((q) => optionsOf(q).length > 0);
const prompts = Object.values(YES_NO_PROMPTS);
const YES_NO = { id: 'yes_no', type: 'yes_no', dontKnow: false, optional: false } as const;

/**
 * Synonyms that are part of another option's words on purpose; each is a decision a native
 * reviewer should confirm. A phrase that contains the longer word is read as the longer word's
 * option, so these are safe where the other option lists the phrasings respondents use.
 */
const KEPT_INSIDE: Record<string, string[]> = {
  // The language's plain "no", which is also the negation in "don't know" and "didn't need".
  se: ['in', 'olgoriikkas'], // "olgoriikkas" (abroad) as the others below; "in" is "I don't", as in "in dieđe" (I don't know) and "in dárbbašan" (I didn't need)
  ps: ['na'], // Latin letters, as in "na pohegam"
  ur: ['نہیں', 'nahi', 'جی'], // both scripts; جی is the polite particle of "جی ہاں" and "جی نہیں"
  ckb: ['نا', 'دەرەوە'], // "نا" as in "نا زانم"; "دەرەوە" (abroad), as the others below
  // "Abroad" alone answers "Where were you born?"; "parents born abroad" is listed for the
  // respondents born in Norway to immigrant parents.
  en: ['abroad'],
  nb: ['utlandet'],
  nn: ['utlandet'],
  so: ['dibadda'],
  pl: ['za granicą'],
  ru: ['за границей'],
};

/** Every vocabulary a respondent answers: each survey question and each yes/no prompt. */
function vocabularies(lng: string) {
  return [
    ...questions.map((q) => ({ name: q.id, q, vocab: words.vocabulary(lng, q) })),
    ...prompts.map((p) => ({ name: p.id, q: YES_NO as unknown as Question, vocab: words.yesNo(lng, p) })),
  ];
}

/** Whether a recognition is exactly `option`, alone (a multiple choice answers with a list). */
const isOption = (r: ReturnType<typeof recognize>, option: string) =>
  r.ok && (Array.isArray(r.value) ? r.value.length === 1 && r.value[0] === option : r.value === option);
const shown = (r: ReturnType<typeof recognize>) => (r.ok ? JSON.stringify(r.value) : r.reason);

const contains = (phrase: string, part: string) => phrase !== part && ` ${phrase} `.includes(` ${part} `);

describe.each(tags)('%s', (lng) => {
  test('every label and synonym is understood as its own option', () => {
    const wrong: string[] = [];
    for (const { name, q, vocab } of vocabularies(lng)) {
      for (const [option, list] of Object.entries(vocab.options)) {
        for (const w of list) {
          const r = recognize(q, w, vocab);
          if (!isOption(r, option)) wrong.push(`${name}: "${w}" (${option}) → ${shown(r)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  test("no option's synonym is part of another option's label or synonyms", () => {
    const clashes: string[] = [];
    const plain = new Set((KEPT_INSIDE[lng] ?? []).map(words.fold(lng)));
    for (const { name, vocab } of vocabularies(lng)) {
      for (const [a, listA] of Object.entries(vocab.options)) {
        // The label (the first word) is what the respondent is shown; only synonyms are ours to choose.
        for (const synonym of listA.slice(1).filter((w) => w !== listA[0] && !plain.has(w))) {
          for (const [b, listB] of Object.entries(vocab.options)) {
            if (b === a) continue;
            for (const wB of listB) if (contains(wB, synonym)) clashes.push(`${name}: "${synonym}" (${a}) is part of "${wB}" (${b})`);
          }
        }
      }
    }
    expect(clashes).toEqual([]);
  });

  test('words are understood as typed on the keyboards meta.json declares', () => {
    const rules = letterPairs(texts.meta(lng).fold);
    const wrong: string[] = [];
    for (const { name, q, vocab } of vocabularies(lng)) {
      for (const o of optionsOf(q)) {
        for (const w of [texts.optionLabel(lng, o), ...texts.list(lng, `${texts.ns}:options.${o}.synonyms`)]) {
          // Each declared pair, both ways: the keyboard's stand-in for the letter, and the letter for it.
          for (const [typed, meant] of rules) {
            for (const variant of [w.split(meant).join(typed), w.split(typed).join(meant)]) {
              if (variant === w) continue;
              const r = recognize(q, variant, vocab);
              if (!isOption(r, o)) wrong.push(`${name}: "${variant}" for "${w}" → ${shown(r)}`);
            }
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('typed as people type', () => {
  const needed = questions.find((q) => q.id === 'needed_help')!;
  test.each([
    ['ckb', 'به\u200cڵێ', 'yes'], // ه + ZWNJ for ە on a Persian keyboard
    ['ckb', 'نه\u200cخێر', 'no'],
    ['ckb', 'بەلێ', 'yes'], // ل for ڵ
    ['ckb', 'نەخير', 'no'], // Arabic yeh for ی
    ['ur', 'نهیں', 'no'], // Arabic heh for ہ
    ['ur', 'جي هاں', 'yes'],
    ['fa', 'بلي', 'yes'], // Arabic yeh for Persian ی
    ['ar', 'نعم', 'yes'],
    ['ru', 'не знаю', 'dont_know'],
    ['uk', 'не знаю', 'dont_know'],
  ])('%s: "%s" answers %s', (lng, typed, option) => {
    expect(recognize(needed, typed, words.vocabulary(lng, needed))).toEqual({ ok: true, value: option });
  });

  const situation = questions.find((q) => q.id === 'situation')!;
  test.each([
    ['ru', 'снимаю у муниципалитета'],
    ['uk', 'винаймаю у муніципалітету'],
    ['uk', 'орендую в комуни'],
    ['fa', 'مستأجر شهرداری هستم'],
  ])('%s: "%s" (renting from the municipality) is read as municipal, not private, renting, and confirmed', (lng, typed) => {
    expect(recognize(situation, typed, words.vocabulary(lng, situation))).toEqual({ ok: false, reason: 'confirm', value: 'rent_municipal', negated: false });
  });

  test('Urdu: every word with ھ or ہ is understood when typed with Arabic ه, as Arabic and Persian keyboards give both', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const { name, q, vocab } of vocabularies('ur')) {
      for (const o of optionsOf(q)) {
        for (const w of [texts.optionLabel('ur', o), ...texts.list('ur', `${texts.ns}:options.${o}.synonyms`)]) {
          const typed = w.replace(/[ھہ]/g, 'ه');
          if (typed === w) continue;
          checked++;
          const r = recognize(q, typed, vocab);
          if (!isOption(r, o)) wrong.push(`${name}: "${typed}" for "${w}" → ${shown(r)}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
  });
});

describe('keywords as people type them', () => {
  const COMMANDS_TYPED = ['back', 'stop', 'delete', 'skip', 'opt_in'] as const;
  const nonLatin = texts.locales.list.filter((l) => l.script !== 'Latn').map((l) => l.tag);

  test.each(nonLatin)('%s accepts a Latin-letter spelling of back, stop, delete, skip and start, as typed on phones without its keyboard', (lng) => {
    const missing = COMMANDS_TYPED.filter((c) => !texts.list(lng, `bot:keywords.${c}`).some((w) => /^[a-z0-9' -]*[a-z][a-z0-9' -]*$/i.test(w)));
    expect(missing).toEqual([]);
  });

  // Tigrinya imperatives agree with the person addressed: masculine, feminine, plural (also polite).
  test.each([
    ['ተመለስ', 'back'],
    ['ተመለሲ', 'back'],
    ['ተመለሱ', 'back'],
    ['ndhrit', 'back'],
    ['temelesi', 'back'],
    ['ኣዕርፍ', 'stop'],
    ['ኣዕርፊ', 'stop'],
    ['ኣዕርፉ', 'stop'],
    ['erefti', 'stop'],
    ['ደምስስ', 'delete'],
    ['ደምስሲ', 'delete'],
    ['ደምስሱ', 'delete'],
    ['ሰርዚ', 'delete'],
    ['demsisu', 'delete'],
  ])('ti: "%s" is %s', (typed, command) => {
    expect(words.command('ti', typed)).toBe(command);
  });

  const municipality = survey.items.find((i) => i.id === 'municipality') as Question;
  test.each(['ሕለፍ', 'ሕለፊ', 'ሕለፉ', 'hlef', 'hilef'])('ti: "%s" skips an optional question', (typed) => {
    expect(recognize(municipality, typed, words.vocabulary('ti', municipality))).toEqual({ ok: true, value: null });
  });

  test.each(['ጀምር', 'ጀምሪ', 'ጀምሩ', 'jemri', 'start'])('ti: "%s" restarts SMS', (typed) => {
    expect(words.smsKeyword(typed)).toBe('opt_in');
  });
});

describe('tables folded once', () => {
  test('recognising commands, keywords, names and answers does not ask i18next for words', () => {
    const spy = jest.spyOn(texts.locales.i18n, 't');
    try {
      const q = questions.find((x) => x.id === 'situation')!;
      for (const lng of tags) {
        words.command(lng, 'hjelp');
        words.keyword(lng, 'skip');
        recognize(q, '3', words.vocabulary(lng, q));
        words.yesNo(lng, prompts[1]);
      }
      words.smsKeyword('STOPP');
      words.languageFromName('Polski');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

test('every list (keywords, synonyms) is read as i18next looks it up, fallbacks included, in every locale', () => {
  // Locales of their own, one list taken out, so that one lookup must go to the fallback language.
  const locales = loadLocales();
  const { i18n } = locales;
  const nnFallback = locales.lookupOrder('nn')[1];
  expect(i18n.getResource(nnFallback, 'bot', 'keywords.skip')).toEqual(expect.arrayContaining([expect.any(String)]));
  delete (i18n.getResource('nn', 'bot', 'keywords') as Record<string, unknown>).skip;
  const messages = new Messages(locales, texts.survey, undefined, 'nb');
  /** Every key that holds a list in some locale, as `ns:path`. */
  const listKeys = new Set<string>();
  const walk = (ns: string, value: unknown, at: string[]) => {
    if (Array.isArray(value)) listKeys.add(`${ns}:${at.join('.')}`);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(ns, v, [...at, k]);
  };
  for (const tag of tags) for (const ns of locales.namespaces) walk(ns, i18n.getResourceBundle(tag, ns), []);
  expect(listKeys.size).toBeGreaterThan(40);
  for (const tag of tags) {
    for (const key of [...listKeys, 'bot:keywords.no_such_list', 'bot:help.text']) {
      const viaT = i18n.t(key, { lng: tag, returnObjects: true });
      expect([tag, key, messages.list(tag, key)]).toEqual([tag, key, Array.isArray(viaT) ? viaT : []]);
    }
  }
  expect(messages.list('nn', 'bot:keywords.skip')).toEqual(i18n.getResource(nnFallback, 'bot', 'keywords.skip'));
});

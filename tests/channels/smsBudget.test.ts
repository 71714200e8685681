import fs from 'node:fs';
import path from 'node:path';
import { budgetVariables } from '../../src/language/translations';
import { renderQuestion, numbered } from '../../src/bot/prompts';
import { renderForSms } from '../../src/channels/sms/smsCore';
import { fitsBudget, segments, splitForSms } from '../../src/text/smsText';
import { localesDir } from '../../src/paths';
import { optionsOf } from '../../src/survey/definition';
import { visibleSteps } from '../../src/survey/engine';
import { texts } from '../helpers/harness';

/**
 * Cost awareness: every text the bot can send by SMS, in every locale, fits the segment budget
 * (2 GSM-7 segments, 3 UCS-2 segments). Strings are checked as rendered, with the longest values
 * their variables can take.
 */
const tags = texts.locales.list.map((l) => l.tag);
const { survey } = texts;

function keysOf(obj: unknown, prefix = ''): string[] {
  if (typeof obj === 'string') return [prefix];
  if (Array.isArray(obj)) return [];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

describe.each(tags)('%s', (lng) => {
  const allOptions = [...new Set(survey.items.flatMap((i) => (i.type === 'repeat' ? i.questions.flatMap(optionsOf) : optionsOf(i))))];
  // The longest values the variables can take: the same definition `translations import` checks with.
  const vars = budgetVariables(texts, lng);

  test.each(['bot', survey.id])('every %s string fits in one SMS within budget', (ns) => {
    const json = JSON.parse(fs.readFileSync(path.join(localesDir, lng, `${ns}.json`), 'utf8'));
    const over = keysOf(json)
      .map((key) => ({ key, text: texts.t(lng, `${ns}:${key}`, vars) }))
      .filter(({ text }) => !fitsBudget(text))
      .map(({ key, text }) => `${key}: ${segments(text).segments} ${segments(text).encoding} segments`);
    expect(over).toEqual([]);
  });

  test('every question, as rendered for SMS, goes out in parts within budget, split only between lines', () => {
    const answers = {
      needed_help: 'yes',
      situation: 'temporary',
      help_areas: allOptions.filter((o) => texts.survey.items.some((i) => i.type !== 'repeat' && i.id === 'help_areas' && optionsOf(i).includes(o))),
      background: 'born_abroad',
    };
    const steps = visibleSteps(survey, answers);
    expect(steps.length).toBeGreaterThan(20);
    for (const step of steps) {
      const { activity } = renderQuestion(texts, lng, step, { index: 17, total: 18 });
      const parts = renderForSms([activity]);
      for (const p of parts) expect({ step: step.key, fits: fitsBudget(p) }).toEqual({ step: step.key, fits: true });
      expect(parts.join('\n')).toBe(activity.text);
    }
  });

  test('the SMS language menu pages fit the budget', () => {
    const endonyms = texts.locales.list.map((l) => l.endonym);
    for (let i = 0; i < endonyms.length; i += 6) {
      const page = [...endonyms.slice(i, i + 6), texts.t(lng, 'bot:language.more')];
      expect(fitsBudget(`${texts.t(lng, 'bot:language.menu')}\n${numbered(page)}`)).toBe(true);
    }
  });
});

describe('segment arithmetic', () => {
  test.each([
    ['a'.repeat(160), 'GSM-7', 1],
    ['a'.repeat(161), 'GSM-7', 2],
    ['a'.repeat(306), 'GSM-7', 2],
    ['a'.repeat(307), 'GSM-7', 3],
    ['{'.repeat(80), 'GSM-7', 1], // extension characters cost two septets
    ['Søknad om bostøtte', 'GSM-7', 1],
    ['ł'.repeat(70), 'UCS-2', 1],
    ['ł'.repeat(71), 'UCS-2', 2],
    ['ع'.repeat(201), 'UCS-2', 3],
    ['ع'.repeat(202), 'UCS-2', 4],
    ['“quoted”', 'UCS-2', 1], // curly quotes are not GSM-7
  ])('%#: %s…', (text, encoding, n) => {
    expect(segments(text)).toEqual({ encoding, segments: n });
  });

  test('splitting keeps whole lines and never exceeds the budget', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `${i + 1}. ${'ك'.repeat(30)}`);
    const parts = splitForSms(lines.join('\n'));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every(fitsBudget)).toBe(true);
    expect(parts.join('\n')).toBe(lines.join('\n'));
  });
});

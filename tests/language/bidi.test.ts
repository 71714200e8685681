import fs from 'node:fs';
import path from 'node:path';
import { renderQuestion } from '../../src/bot/prompts';
import { Texts } from '../../src/language/texts';
import { fitsBudget } from '../../src/text/smsText';
import { loadLocales } from '../../src/language/i18n';
import { localesDir } from '../../src/paths';
import { visibleSteps } from '../../src/survey/engine';
import { RLM, directional, lineDirection } from '../../src/text/bidi';
import { texts } from '../helpers/harness';

/**
 * Right-to-left lines: a phone lays out each line by its first strong character, so in Arabic,
 * Persian, Dari, Pashto, Urdu and Sorani no line the bot sends may start left to right, whatever
 * Latin text (NAV, BankID, an organisation's name) it starts with.
 */
describe('line direction', () => {
  test.each([
    ['NAV ...', 'ltr'],
    ['سلام NAV', 'rtl'],
    ['1. NAV', 'ltr'],
    ['"؟" نعم', 'rtl'],
    [`${RLM}NAV`, 'rtl'],
    ['\u2068NAV\u2069 دفتر', 'rtl'], // an isolate does not decide the line around it
    ['123 - ?', undefined],
  ])('"%s" is laid out %s', (line, dir) => {
    expect(lineDirection(line)).toBe(dir);
  });

  test('marks only the right-to-left lines that would start left to right, once', () => {
    const text = 'NAV دفتر\nدفتر NAV\n1. BankID';
    const marked = directional(text, 'rtl');
    expect(marked).toBe(`${RLM}NAV دفتر\nدفتر NAV\n${RLM}1. BankID`);
    expect(directional(marked, 'rtl')).toBe(marked);
  });

  test('leaves left-to-right languages alone, so GSM-7 texts stay GSM-7', () => {
    expect(directional('NAV kontor', 'ltr')).toBe('NAV kontor');
  });
});

// An operator's organisation in Latin letters is the hardest case: ckb consent.purpose starts with it.
const latinOrganisation = new Texts(loadLocales(), texts.survey, 'Oslo kommune', 'nb');
const rtl = latinOrganisation.locales.list.filter((l) => l.dir === 'rtl').map((l) => l.tag);

function keysOf(obj: unknown, prefix = ''): string[] {
  if (typeof obj === 'string') return [prefix];
  if (Array.isArray(obj)) return [];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

describe.each(rtl)('%s', (lng) => {
  const t = latinOrganisation;
  const vars = {
    organisation: 'Oslo kommune',
    endonym: 'Norsk bokmål',
    area: 'Bostøtte',
    option: 'BankID',
    index: 17,
    total: 18,
    min: 0,
    max: 80,
    skip: '-',
    back: 'back',
    language: 'language',
    stop: 'stop',
    delete: 'delete',
  };

  test.each(['bot', texts.survey.id])('no line of a %s string starts left to right, and each still fits the SMS budget', (ns) => {
    const json = JSON.parse(fs.readFileSync(path.join(localesDir, lng, `${ns}.json`), 'utf8'));
    const wrong: string[] = [];
    for (const key of keysOf(json)) {
      const text = t.t(lng, `${ns}:${key}`, vars);
      for (const line of text.split('\n')) if (lineDirection(line) === 'ltr') wrong.push(`${key}: ${line}`);
      if (!fitsBudget(text)) wrong.push(`${key}: over the SMS budget`);
    }
    expect(wrong).toEqual([]);
  });

  test('no line of a rendered question starts left to right (option "NAV", the Latin scale labels)', () => {
    const steps = visibleSteps(t.survey, {
      needed_help: 'yes',
      situation: 'temporary',
      help_areas: ['rent_arrears', 'buy_home', 'housing_allowance'],
      background: 'born_abroad',
    });
    const wrong: string[] = [];
    for (const step of steps) {
      const text = renderQuestion(t, lng, step, { index: 1, total: 18 }).activity.text ?? '';
      for (const line of text.split('\n')) if (lineDirection(line) === 'ltr') wrong.push(`${step.key}: ${line}`);
    }
    expect(wrong).toEqual([]);
  });

  test('the Urdu and Sorani lines found starting left to right now start right to left', () => {
    expect(lineDirection(t.s('ur', 'questions.understood_letters.simple'))).toBe('rtl');
    expect(lineDirection(t.s('ckb', 'consent.purpose', { organisation: t.organisationName('ckb') }))).toBe('rtl');
  });
});

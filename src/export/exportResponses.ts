import crypto from 'node:crypto';
import { Texts } from '../bot/texts';
import { Anonymised, KAnonymityReport, kAnonymise } from '../privacy/kAnonymity';
import { StoredResponse, SurveyStore } from '../store/store';
import { Question, optionsOf } from '../survey/definition';
import { AnswerValue, stepKey } from '../survey/engine';

/**
 * Record-level exports for analysts. Rows are shuffled (their order would otherwise follow
 * submission order, which is a timing side channel), carry no response id, and the
 * quasi-identifiers are generalised until every combination covers at least k respondents.
 */
export type ExportFormat = 'csv' | 'json';

export interface ExportOptions {
  format: ExportFormat;
  k: number;
  /** Include responses that were never completed (abandoned or still running). */
  includePartial?: boolean;
  /** Source of randomness for the shuffle; crypto by default. */
  random?: () => number;
}

export interface ExportRecord {
  survey: string;
  survey_version: number;
  consent_version: number;
  status: string;
  channel: string;
  period: string;
  language: string;
  language_switches: number;
  not_understood_count: number;
  /** Languages the questions were shown in, when more than one. */
  languages_shown: string;
  text_fell_back: boolean;
  background?: string;
  age_band?: string;
  municipality?: string;
  children?: string;
  [step: string]: string | number | boolean | undefined;
}

const QI_FROM_ANSWERS = ['background', 'age_band', 'municipality', 'children'] as const;

function cell(value: AnswerValue): string {
  if (value === null) return '';
  return Array.isArray(value) ? value.join(';') : String(value);
}

export function toRecord(r: StoredResponse): ExportRecord {
  const record: ExportRecord = {
    survey: r.surveyId,
    survey_version: r.surveyVersion,
    consent_version: r.consentVersion,
    status: r.status,
    channel: r.channel,
    period: r.period,
    language: r.language,
    language_switches: r.languageSwitches,
    not_understood_count: r.notUnderstoodCount,
    languages_shown: [...new Set(r.answers.map((a) => a.language))].sort().join(';'),
    text_fell_back: r.answers.some((a) => a.fallback),
  };
  for (const a of r.answers) record[stepKey(a.questionId, a.iteration || undefined)] = cell(a.value);
  for (const qi of QI_FROM_ANSWERS) if (record[qi] === '') delete record[qi];
  return record;
}

/** Fisher–Yates with a uniform random source. */
export function shuffle<T>(items: T[], random: () => number = () => crypto.randomInt(0, 2 ** 32) / 2 ** 32): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export interface ExportResult {
  body: string;
  rows: number;
  report: KAnonymityReport;
}

export async function exportResponses(store: SurveyStore, texts: Texts, options: ExportOptions): Promise<ExportResult> {
  const responses = await store.listResponses({ surveyId: texts.survey.id, ...(options.includePartial ? {} : { status: 'completed' as const }) });
  const { records, report } = kAnonymise(responses.map(toRecord), { k: options.k });
  const rows = shuffle(records, options.random);
  const body = options.format === 'csv' ? toCsv(rows, columnsOf(texts, rows)) : toJson(rows, texts, options.k, report);
  return { body, rows: rows.length, report };
}

/** Fixed metadata columns first, then every step in survey order. */
export function columnsOf(texts: Texts, rows: Record<string, unknown>[]): string[] {
  const fixed = ['survey', 'survey_version', 'consent_version', 'status', 'channel', 'period', 'language', 'language_switches', 'not_understood_count', 'languages_shown', 'text_fell_back'];
  const steps: string[] = [];
  for (const item of texts.survey.items) {
    if (item.type === 'repeat') {
      const source = texts.survey.items.find((i) => i.type !== 'repeat' && i.id === item.forEach) as Question | undefined;
      for (const option of source ? optionsOf(source) : []) for (const q of item.questions) steps.push(stepKey(q.id, option));
    } else steps.push(item.id);
  }
  const seen = new Set(rows.flatMap((r) => Object.keys(r)));
  return [...fixed, ...steps.filter((s) => seen.has(s) || !s.includes('['))];
}

/**
 * RFC 4180 CSV. A cell that starts with = + - @ or a tab is prefixed with an apostrophe: free
 * text from the public must not run as a spreadsheet formula on an analyst's machine (OWASP
 * "CSV injection").
 */
export function toCsv(rows: Record<string, unknown>[], columns: string[]): string {
  const escape = (v: unknown) => {
    let s = v === undefined || v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[columns.map(escape).join(','), ...rows.map((r) => columns.map((c) => escape(r[c])).join(','))].join('\r\n')}\r\n`;
}

function toJson(rows: Anonymised<ExportRecord>[], texts: Texts, k: number, report: KAnonymityReport): string {
  return JSON.stringify({ survey: { id: texts.survey.id, version: texts.survey.version }, k, anonymisation: report, codebook: codebook(texts), records: rows }, null, 2);
}

/** What each column means and which codes its values use, with English labels. */
export function codebook(texts: Texts): Record<string, unknown> {
  const describe = (q: Question, repeatOver?: string) => ({
    type: q.type,
    question: texts.s('en', `questions.${q.id}.text`, { area: '…' }),
    ...(repeatOver ? { column: `${q.id}[<option of ${repeatOver}>]` } : {}),
    ...(optionsOf(q).length ? { options: Object.fromEntries(optionsOf(q).map((o) => [o, texts.optionLabel('en', o)])) } : {}),
    ...(q.type === 'multi' ? { encoding: 'option codes separated by ;' } : {}),
    ...(q.type === 'number' && q.bands ? { encoding: `stored as bands starting at ${q.bands.join(', ')}` } : {}),
    ...(q.type === 'scale' ? { range: [q.min, q.max] } : {}),
    ...(q.optional ? { missing: 'empty when skipped' } : {}),
  });
  const questions: Record<string, unknown> = {};
  for (const item of texts.survey.items) {
    if (item.type === 'repeat') for (const q of item.questions) questions[q.id] = describe(q, item.forEach);
    else questions[item.id] = describe(item);
  }
  return {
    columns: {
      period: 'ISO 8601 week the response started (no exact time is stored)',
      language: 'language the response started in',
      languages_shown: 'languages the questions were shown in',
      text_fell_back: 'some question text was shown from a fallback language',
      language_switches: 'times the respondent changed language mid-survey',
      not_understood_count: 'times the respondent wrote "I don\'t understand"',
      '*': 'generalised or suppressed to reach k-anonymity (see anonymisation)',
    },
    questions,
  };
}

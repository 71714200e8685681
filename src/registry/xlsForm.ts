import type ExcelJS from 'exceljs';
import { Locales } from '../language/i18n';
import { Question, RepeatBlock, SurveyDefinition, optionsOf } from '../survey/definition';
import { questionsOf } from '../survey/walk';
import { formatRelevant } from './relevant';
import { SurveyPackage, flattenTexts } from './surveyPackage';

/**
 * A survey version as an XLSForm-like workbook (ODK, KoboToolbox), so municipal staff can write
 * and translate a survey in a spreadsheet: sheets `survey`, `choices`, `settings`, and `texts`
 * for what XLSForm has no column for (consent, thanks). The supported subset, and how each of the
 * project's question types is written, is in the README (Surveys). Reading is src/registry/xlsFormRead.ts.
 */

/** The columns of each sheet, without the per-language ones (`label::Norsk bokmål (nb)` etc.). */
export const SURVEY_COLUMNS = ['type', 'name', 'relevant', 'required', 'repeat_count', 'constraint', 'parameters'] as const;
export const SURVEY_LANGUAGE_COLUMNS = ['label', 'hint', 'min_label', 'max_label'] as const;
export const CHOICE_COLUMNS = ['list_name', 'name', 'min', 'max', 'exclusive'] as const;
export const CHOICE_LANGUAGE_COLUMNS = ['label', 'synonyms'] as const;
export const SETTINGS_COLUMNS = [
  'form_id',
  'version',
  'default_language',
  'consent_version',
  'minutes',
  'outcome',
  'baseline',
  'quasi_identifiers',
  'analysis',
  /** Where respondents can come from, the start links' `src` names, separated by spaces (src/survey/sources.ts). */
  'sources',
] as const;
export const SETTINGS_LANGUAGE_COLUMNS = ['title'] as const;
export const TEXTS_LANGUAGE_COLUMNS = ['text'] as const;

/** Synonyms share one cell, XLSForm-style lists being space-separated would split phrases. */
export const SYNONYM_SEPARATOR = ';';

/** Lists whose choices are the fixed yes / no (/ don't know) of a yes_no question. */
export const YES_NO_LISTS: Record<string, string[]> = { yes_no: ['yes', 'no'], yes_no_dont_know: ['yes', 'no', 'dont_know'] };

/** Where each question's and option's texts go: the survey and choices sheets take these; `texts` the rest. */
export const QUESTION_TEXT_COLUMNS: Record<string, (typeof SURVEY_LANGUAGE_COLUMNS)[number]> = {
  text: 'label',
  simple: 'hint',
  min: 'min_label',
  max: 'max_label',
};

/** `label::Norsk bokmål (nb)`: XLSForm's language column, named by the endonym and the tag. */
export function languageColumn(base: string, locales: Locales, tag: string): string {
  return `${base}::${locales.byTag.get(tag)?.endonym ?? tag} (${tag})`;
}

/** The base and the tag of a language column: `label::Norsk bokmål (nb)` and `label::nb` both give ["label", "nb"]. */
export function parseLanguageColumn(header: string): { base: string; tag: string } | undefined {
  const m = /^([a-z_]+)::(?:.*\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\s*\)|\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?))\s*$/.exec(header.trim());
  return m ? { base: m[1], tag: (m[2] ?? m[3]).toLowerCase() } : undefined;
}

export function listNameOf(q: Question): string | undefined {
  if (q.type === 'yes_no') return q.dontKnow ? 'yes_no_dont_know' : 'yes_no';
  return q.type === 'single' || q.type === 'multi' ? q.id : undefined;
}

function typeCell(q: Question): string {
  switch (q.type) {
    case 'single':
    case 'yes_no':
      return `select_one ${listNameOf(q)}`;
    case 'multi':
      return `select_multiple ${listNameOf(q)}`;
    case 'scale':
      return 'range';
    case 'number':
      return 'integer';
    case 'text':
      return 'text';
  }
}

function parametersCell(q: Question): string {
  if (q.type === 'scale') return `start=${q.min} end=${q.max} step=1`;
  if (q.type === 'number' && q.bands) return `bands=${q.bands.join(',')}`;
  if (q.type === 'single' && q.unit) return `unit=${q.unit}`;
  return '';
}

function constraintCell(q: Question): string {
  if (q.type === 'number') return `. >= ${q.min} and . <= ${q.max}`;
  if (q.type === 'text') return `string-length(.) <= ${q.maxLength}`;
  return '';
}

/**
 * The keys of a language's texts that the survey, choices and settings sheets hold; every other
 * key goes to the texts sheet, so that nothing is lost on the way out and back.
 */
export function placedKeys(def: SurveyDefinition): Set<string> {
  const keys = new Set<string>(['title']);
  for (const { question: q } of questionsOf(def)) {
    for (const k of Object.keys(QUESTION_TEXT_COLUMNS)) keys.add(`questions.${q.id}.${k}`);
    for (const o of optionsOf(q)) keys.add(`options.${o}.label`).add(`options.${o}.synonyms`);
  }
  return keys;
}

/** Writes a survey version as a workbook. */
export async function writeXlsForm(pkg: SurveyPackage, locales: Locales): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  const def = pkg.definition;
  const langs = Object.keys(pkg.texts).sort((a, b) => (locales.byTag.get(a)?.order ?? 99) - (locales.byTag.get(b)?.order ?? 99));
  const flat = new Map(langs.map((l) => [l, flattenTexts(pkg.texts[l])]));
  const text = (lng: string, key: string) => {
    const v = flat.get(lng)?.get(key);
    return v === undefined ? '' : Array.isArray(v) ? v.join(`${SYNONYM_SEPARATOR} `) : v;
  };
  const multi = new Set(questionsOf(def).flatMap(({ question: q }) => (q.type === 'multi' ? [q.id] : [])));
  const perLanguage = (bases: readonly string[]) => bases.flatMap((b) => langs.map((l) => ({ header: languageColumn(b, locales, l), base: b, lng: l })));

  const survey = workbook.addWorksheet('survey');
  const surveyLang = perLanguage(SURVEY_LANGUAGE_COLUMNS);
  survey.addRow([...SURVEY_COLUMNS.slice(0, 2), ...surveyLang.map((c) => c.header), ...SURVEY_COLUMNS.slice(2)]);
  const questionRow = (q: Question) => {
    const own = Object.entries(QUESTION_TEXT_COLUMNS);
    return [
      typeCell(q),
      q.id,
      ...surveyLang.map((c) => text(c.lng, `questions.${q.id}.${own.find(([, col]) => col === c.base)![0]}`)),
      q.when ? formatRelevant(q.when, multi) : '',
      q.optional ? '' : 'yes',
      '',
      constraintCell(q),
      parametersCell(q),
    ];
  };
  const blockRow = (b: RepeatBlock, end: boolean) =>
    end
      ? ['end_repeat', b.id]
      : ['begin_repeat', b.id, ...surveyLang.map(() => ''), b.when ? formatRelevant(b.when, multi) : '', '', `count-selected(\${${b.forEach}})`];
  let open: RepeatBlock | undefined;
  for (const { question, block } of questionsOf(def)) {
    if (open && block !== open) survey.addRow(blockRow(open, true));
    if (block && block !== open) survey.addRow(blockRow(block, false));
    open = block;
    survey.addRow(questionRow(question));
  }
  if (open) survey.addRow(blockRow(open, true));

  const choices = workbook.addWorksheet('choices');
  const choiceLang = perLanguage(CHOICE_LANGUAGE_COLUMNS);
  choices.addRow([...CHOICE_COLUMNS.slice(0, 2), ...choiceLang.map((c) => c.header), ...CHOICE_COLUMNS.slice(2)]);
  const written = new Set<string>();
  for (const { question: q } of questionsOf(def)) {
    const list = listNameOf(q);
    if (!list || written.has(list)) continue;
    written.add(list);
    for (const o of optionsOf(q)) {
      const range = q.type === 'single' ? q.ranges?.[o] : undefined;
      choices.addRow([
        list,
        o,
        ...choiceLang.map((c) => text(c.lng, `options.${o}.${c.base}`)),
        range?.min ?? '',
        range?.max ?? '',
        q.type === 'multi' && q.exclusive.includes(o) ? 'yes' : '',
      ]);
    }
  }

  const settings = workbook.addWorksheet('settings');
  const settingsLang = perLanguage(SETTINGS_LANGUAGE_COLUMNS);
  settings.addRow([...SETTINGS_COLUMNS, ...settingsLang.map((c) => c.header)]);
  const a = def.analysis;
  settings.addRow([
    def.id,
    def.version,
    def.defaultLanguage ?? '',
    def.consentVersion,
    def.minutes ?? '',
    a ? `${a.outcome.question}: ${a.outcome.success.join(' ')}` : '',
    a ? `${a.baseline.question}: ${a.baseline.anyOf.join(' ')}` : '',
    a ? a.quasiIdentifiers.map((qi) => qi.column).join(', ') : '',
    a ? JSON.stringify(a) : '',
    def.sources?.join(' ') ?? '',
    ...settingsLang.map((c) => text(c.lng, 'title')),
  ]);

  const texts = workbook.addWorksheet('texts');
  const textsLang = perLanguage(TEXTS_LANGUAGE_COLUMNS);
  texts.addRow(['key', ...textsLang.map((c) => c.header)]);
  const placed = placedKeys(def);
  const rest = new Set(langs.flatMap((l) => [...flat.get(l)!.keys()].filter((k) => !placed.has(k))));
  for (const key of rest) {
    texts.addRow([
      key,
      ...textsLang.map((c) => {
        const v = flat.get(c.lng)?.get(key);
        // A list outside the choices sheet (rare) keeps its shape as JSON.
        return v === undefined ? '' : Array.isArray(v) ? JSON.stringify(v) : v;
      }),
    ]);
  }
  for (const sheet of [survey, choices, settings, texts]) {
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export type { ExcelJS };

import type ExcelJS from 'exceljs';
import { Locales } from '../language/i18n';
import { Texts } from '../language/texts';
import { checkLocale } from '../language/review/reviewImport';
import { AnalysisSpec, Condition, Question, analysisSpec } from '../survey/definition';
import { requiredTextKeys, validateSurvey } from '../survey/validate';
import { RelevantError, parseRelevant, relevantRefs } from './relevant';
import { PackageProvenance, SurveyPackage, TextTree, setText } from './surveyPackage';
import {
  CHOICE_COLUMNS,
  CHOICE_LANGUAGE_COLUMNS,
  QUESTION_TEXT_COLUMNS,
  SETTINGS_COLUMNS,
  SETTINGS_LANGUAGE_COLUMNS,
  SURVEY_COLUMNS,
  SURVEY_LANGUAGE_COLUMNS,
  SYNONYM_SEPARATOR,
  TEXTS_LANGUAGE_COLUMNS,
  YES_NO_LISTS,
  parseLanguageColumn,
} from './xlsForm';

/** One problem in a workbook, where a person editing it can find it. */
export interface SheetProblem {
  sheet: string;
  /** 1-based, as the spreadsheet shows it; 1 is the header row. */
  row: number;
  /** The column's header (`relevant`, `label::ትግርኛ (ti)`), or the one that is missing. */
  column: string;
  message: string;
}

export type XlsFormResult = { ok: true; pkg: SurveyPackage } | { ok: false; problems: SheetProblem[] };

/** Who a text read from a spreadsheet is by, until a review says otherwise. */
export const IMPORTED_BY = 'spreadsheet import (survey-bot survey import)';

interface Sheet {
  name: string;
  headers: string[];
  rows: { row: number; cells: Map<string, string> }[];
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '');
  return String(cell.text ?? v);
}

function readSheet(ws: ExcelJS.Worksheet): Sheet {
  const headers: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (headers[col - 1] = cellText(cell).trim()));
  const rows: Sheet['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const cells = new Map<string, string>();
    headers.forEach((h, i) => h && cells.set(h, cellText(r.getCell(i + 1)).trim()));
    if ([...cells.values()].some((v) => v !== '')) rows.push({ row: n, cells });
  });
  return { name: ws.name, headers: headers.filter(Boolean), rows };
}

/**
 * Reads a workbook written by {@link writeXlsForm} or by hand. Everything is checked before
 * anything is returned, and every problem is reported with its sheet, row and column: the sheets'
 * columns, types, names, `relevant` expressions (earlier questions only, so no cycle), the
 * definition's own validation (src/survey/validate.ts), a text in every language for every key the
 * survey needs, and the locale checks translators' imports get (src/language/review/reviewImport.ts).
 */
export async function readXlsForm(data: Buffer | ArrayBuffer, locales: Locales): Promise<XlsFormResult> {
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  const problems: SheetProblem[] = [];
  try {
    await workbook.xlsx.load(data as ArrayBuffer);
  } catch {
    return { ok: false, problems: [{ sheet: '(file)', row: 0, column: '', message: 'not an .xlsx workbook' }] };
  }
  const sheets = new Map<string, Sheet>();
  for (const name of ['survey', 'choices', 'settings', 'texts']) {
    const ws = workbook.getWorksheet(name);
    if (ws) sheets.set(name, readSheet(ws));
    else if (name !== 'texts') problems.push({ sheet: name, row: 0, column: '', message: `the workbook has no "${name}" sheet` });
  }
  if (problems.length) return { ok: false, problems };
  return new Reader(sheets, locales, problems).read();
}

class Reader {
  private readonly langs = new Set<string>();
  /** Per language, key → text; and where each came from. */
  private readonly texts = new Map<string, Map<string, string | string[]>>();
  private readonly origin = new Map<string, { sheet: string; row: number; column: string }>();

  constructor(
    private readonly sheets: Map<string, Sheet>,
    private readonly locales: Locales,
    private readonly problems: SheetProblem[],
  ) {}

  private problem(sheet: string, row: number, column: string, message: string): void {
    this.problems.push({ sheet, row, column, message });
  }

  read(): XlsFormResult {
    this.checkColumns('survey', SURVEY_COLUMNS, SURVEY_LANGUAGE_COLUMNS);
    this.checkColumns('choices', CHOICE_COLUMNS, CHOICE_LANGUAGE_COLUMNS);
    this.checkColumns('settings', SETTINGS_COLUMNS, SETTINGS_LANGUAGE_COLUMNS);
    if (this.sheets.has('texts')) this.checkColumns('texts', ['key'], TEXTS_LANGUAGE_COLUMNS);
    if (this.problems.length) return { ok: false, problems: this.problems };

    const lists = this.readChoices();
    const { items, rowOf } = this.readSurvey(lists);
    const settings = this.readSettings();
    this.readTexts();
    if (this.problems.length || !settings) return { ok: false, problems: this.problems };

    const { survey, problems } = validateSurvey({ ...settings, items });
    for (const p of problems) this.definitionProblem(p.path, p.message, rowOf);
    if (!survey) return { ok: false, problems: this.problems };

    const texts: Record<string, TextTree> = {};
    const provenance: PackageProvenance = {};
    for (const lng of this.langs) {
      texts[lng] = {};
      provenance[lng] = {};
      for (const [key, value] of this.texts.get(lng) ?? []) {
        setText(texts[lng], key, value);
        provenance[lng][key] = { status: 'drafted', by: IMPORTED_BY };
      }
    }
    // A missing translation is an error, never a blank the respondent would see.
    const required = requiredTextKeys(survey);
    for (const lng of this.missingColumns()) this.langs.delete(lng);
    for (const lng of this.langs) {
      const have = this.texts.get(lng) ?? new Map();
      for (const key of required) {
        const v = have.get(key);
        if (typeof v === 'string' && v !== '') continue;
        const where = this.placeOf(key, lng);
        this.problem(where.sheet, where.row, where.column, `no ${lng} text for ${key}`);
      }
    }
    if (this.problems.length) return { ok: false, problems: this.problems };
    this.checkTexts({ definition: survey, texts, provenance });
    return this.problems.length ? { ok: false, problems: this.problems } : { ok: true, pkg: { definition: survey, texts, provenance } };
  }

  /**
   * A language with texts in the workbook but without one of the columns every survey needs (a
   * deleted `label::ትግርኛ (ti)`): one problem for the column, not one per question.
   */
  private missingColumns(): string[] {
    const needed: [string, string][] = [
      ['survey', 'label'],
      ['choices', 'label'],
      ['settings', 'title'],
    ];
    const missing: string[] = [];
    for (const lng of this.langs) {
      for (const [sheet, base] of needed) {
        const has = this.sheets.get(sheet)!.headers.some((h) => {
          const lc = parseLanguageColumn(h);
          return lc?.base === base && lc.tag === lng;
        });
        if (has) continue;
        this.problem(
          sheet,
          1,
          `${base}::${lng}`,
          `there is no ${base}::… (${lng}) column, but the workbook has other ${lng} texts: a missing translation is never left blank`,
        );
        missing.push(lng);
      }
    }
    return missing;
  }

  /** Every column is one this reader knows: the rest of XLSForm is refused, not ignored. */
  private checkColumns(name: string, plain: readonly string[], perLanguage: readonly string[]): void {
    const sheet = this.sheets.get(name)!;
    for (const h of sheet.headers) {
      if (plain.includes(h)) continue;
      const lc = parseLanguageColumn(h);
      if (lc && perLanguage.includes(lc.base)) {
        if (!this.locales.byTag.has(lc.tag)) this.problem(name, 1, h, `"${lc.tag}" is not a language the bot has (locales/${lc.tag}/ is missing)`);
        else this.langs.add(lc.tag);
        continue;
      }
      const base = h.split('::')[0];
      this.problem(
        name,
        1,
        h,
        perLanguage.includes(base)
          ? `write the language as "${base}::<name> (<code>)", e.g. "${base}::English (en)"`
          : `column "${h}" is not supported here; the columns are ${[...plain, ...perLanguage.map((b) => `${b}::<language>`)].join(', ')}`,
      );
    }
    if (!sheet.headers.includes(plain[0])) this.problem(name, 1, plain[0], `the "${plain[0]}" column is missing`);
  }

  /** The per-language columns of a row: every language the workbook has, header by header. */
  private languageCells(sheet: Sheet, cells: Map<string, string>, base: string): { lng: string; header: string; value: string }[] {
    const out: { lng: string; header: string; value: string }[] = [];
    for (const h of sheet.headers) {
      const lc = parseLanguageColumn(h);
      if (lc?.base === base && this.langs.has(lc.tag)) out.push({ lng: lc.tag, header: h, value: cells.get(h) ?? '' });
    }
    return out;
  }

  private setText(lng: string, key: string, value: string | string[], where: { sheet: string; row: number; column: string }): void {
    let m = this.texts.get(lng);
    if (!m) this.texts.set(lng, (m = new Map()));
    m.set(key, value);
    this.origin.set(`${lng}\u0000${key}`, where);
  }

  private readChoices(): Map<string, { row: number; name: string; min?: number; max?: number; exclusive: boolean }[]> {
    const sheet = this.sheets.get('choices')!;
    const lists = new Map<string, { row: number; name: string; min?: number; max?: number; exclusive: boolean }[]>();
    const labelOf = new Map<string, { list: string; texts: string }>();
    for (const { row, cells } of sheet.rows) {
      const list = cells.get('list_name') ?? '';
      const name = cells.get('name') ?? '';
      if (!/^[a-z][a-z0-9_]*$/.test(list)) this.problem('choices', row, 'list_name', `"${list}" is not a list name (lower_snake_case)`);
      if (!/^[a-z][a-z0-9_]*$/.test(name)) this.problem('choices', row, 'name', `"${name}" is not a choice name (lower_snake_case, starting with a letter)`);
      const entries = lists.get(list) ?? [];
      if (entries.some((e) => e.name === name)) this.problem('choices', row, 'name', `"${name}" appears twice in list "${list}"`);
      const num = (col: 'min' | 'max') => {
        const v = cells.get(col) ?? '';
        if (v === '') return undefined;
        if (!/^-?\d+$/.test(v)) this.problem('choices', row, col, `"${v}" is not a whole number`);
        return Number(v);
      };
      const exclusive = (cells.get('exclusive') ?? '').toLowerCase();
      if (!['', 'yes', 'no', 'true', 'false'].includes(exclusive)) this.problem('choices', row, 'exclusive', `"${exclusive}" must be yes or empty`);
      entries.push({ row, name, min: num('min'), max: num('max'), exclusive: exclusive === 'yes' || exclusive === 'true' });
      lists.set(list, entries);
      // An option's texts are one per survey (options.<name>): the same name in two lists must read the same.
      const texts: string[] = [];
      for (const base of CHOICE_LANGUAGE_COLUMNS) {
        for (const c of this.languageCells(sheet, cells, base)) {
          texts.push(c.value);
          const key = `options.${name}.${base}`;
          if (base === 'synonyms') {
            const words = c.value
              .split(SYNONYM_SEPARATOR)
              .map((w) => w.trim())
              .filter(Boolean);
            this.setText(c.lng, key, words, { sheet: 'choices', row, column: c.header });
          } else if (c.value !== '') this.setText(c.lng, key, c.value, { sheet: 'choices', row, column: c.header });
        }
      }
      const seen = labelOf.get(name);
      if (seen && seen.texts !== JSON.stringify(texts))
        this.problem(
          'choices',
          row,
          'name',
          `choice "${name}" has other texts here than in list "${seen.list}"; a choice's texts are shared, give it another name`,
        );
      if (!seen) labelOf.set(name, { list, texts: JSON.stringify(texts) });
    }
    return lists;
  }

  private readSurvey(lists: ReturnType<Reader['readChoices']>): { items: unknown[]; rowOf: Map<string, number> } {
    const sheet = this.sheets.get('survey')!;
    const items: unknown[] = [];
    const rowOf = new Map<string, number>();
    const names = new Map<string, number>();
    /** The questions before the current row, and which of them are select_multiple. */
    const earlier = new Map<string, Question['type']>();
    let block: { id: string; row: number; item: Record<string, unknown>; questions: unknown[] } | undefined;
    const usedLists = new Set<string>();

    const relevantOf = (row: number, cells: Map<string, string>, own: string): Condition | undefined => {
      const source = cells.get('relevant') ?? '';
      if (!source) return undefined;
      try {
        for (const ref of relevantRefs(source)) {
          if (ref === own) throw new RelevantError(`refers to this question itself: a condition can only use earlier answers`);
          if (!earlier.has(ref))
            throw new RelevantError(
              names.has(ref)
                ? `refers to \${${ref}}, which comes later (row ${names.get(ref)}): a question can only depend on earlier ones, or the conditions would go round in a circle`
                : `refers to \${${ref}}, which is not a question of this survey`,
            );
        }
        return parseRelevant(source);
      } catch (err) {
        if (err instanceof RelevantError) this.problem('survey', row, 'relevant', `relevant ${err.message}`);
        else throw err;
        return undefined;
      }
    };
    // Names are known first, so that a condition on a later question says so rather than "unknown".
    for (const { row, cells } of sheet.rows) {
      const name = cells.get('name') ?? '';
      if (name && !names.has(name)) names.set(name, row);
    }
    const seenNames = new Set<string>();
    for (const { row, cells } of sheet.rows) {
      const type = (cells.get('type') ?? '').replace(/\s+/g, ' ');
      const name = cells.get('name') ?? '';
      if (type !== 'end_repeat') {
        if (!/^[a-z][a-z0-9_]*$/.test(name)) this.problem('survey', row, 'name', `"${name}" is not a name (lower_snake_case, starting with a letter)`);
        else if (seenNames.has(name)) this.problem('survey', row, 'name', `"${name}" is used twice (first at row ${names.get(name)})`);
        seenNames.add(name);
      }
      const [kind, list] = type.split(' ');
      const required = (cells.get('required') ?? '').toLowerCase();
      if (!['', 'yes', 'no', 'true', 'false', 'true()', 'false()'].includes(required))
        this.problem('survey', row, 'required', `"${required}" must be yes or empty`);
      const optional = !['yes', 'true', 'true()'].includes(required);
      const params = this.parameters(row, cells.get('parameters') ?? '');
      const when = kind === 'end_repeat' ? undefined : relevantOf(row, cells, name);
      if (kind === 'begin_repeat') {
        if (block) this.problem('survey', row, 'type', `a repeat inside the repeat "${block.id}" is not supported`);
        const m = /^count-selected\(\s*\$\{([a-z][a-z0-9_]*)\}\s*\)$/.exec(cells.get('repeat_count') ?? '');
        if (!m) {
          this.problem('survey', row, 'repeat_count', 'a repeat must say what it repeats for: count-selected(${question}), one round per option chosen');
          continue;
        }
        if (!earlier.has(m[1])) this.problem('survey', row, 'repeat_count', `\${${m[1]}} is not an earlier question`);
        block = { id: name, row, item: { type: 'repeat', id: name, forEach: m[1], ...(when ? { when } : {}) }, questions: [] };
        rowOf.set(`items[${items.length}]`, row);
        continue;
      }
      if (kind === 'end_repeat') {
        if (!block) this.problem('survey', row, 'type', 'end_repeat without begin_repeat');
        else {
          items.push({ ...block.item, questions: block.questions });
          block = undefined;
        }
        continue;
      }
      if (cells.get('repeat_count')) this.problem('survey', row, 'repeat_count', 'repeat_count belongs on a begin_repeat row');
      const question = this.question(row, kind, list, name, optional, params, cells.get('constraint') ?? '', lists, usedLists);
      if (!question) continue;
      if (when) question.when = when;
      for (const [key, base] of Object.entries(QUESTION_TEXT_COLUMNS)) {
        for (const c of this.languageCells(sheet, cells, base))
          if (c.value !== '') this.setText(c.lng, `questions.${name}.${key}`, c.value, { sheet: 'survey', row, column: c.header });
      }
      earlier.set(name, question.type as Question['type']);
      if (block) {
        rowOf.set(`items[${items.length}].questions[${block.questions.length}]`, row);
        block.questions.push(question);
      } else {
        rowOf.set(`items[${items.length}]`, row);
        items.push(question);
      }
    }
    if (block) this.problem('survey', block.row, 'type', `begin_repeat "${block.id}" has no end_repeat`);
    for (const [list, entries] of lists)
      if (!usedLists.has(list) && !(list in YES_NO_LISTS)) this.problem('choices', entries[0].row, 'list_name', `list "${list}" is not used by any question`);
    return { items, rowOf };
  }

  private parameters(row: number, source: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const part of source.split(/\s+/).filter(Boolean)) {
      const m = /^([a-z_]+)=(\S+)$/.exec(part);
      if (!m) this.problem('survey', row, 'parameters', `"${part}" is not name=value`);
      else out.set(m[1], m[2]);
    }
    return out;
  }

  private question(
    row: number,
    kind: string,
    list: string | undefined,
    id: string,
    optional: boolean,
    params: Map<string, string>,
    constraint: string,
    lists: ReturnType<Reader['readChoices']>,
    usedLists: Set<string>,
  ): (Record<string, unknown> & { type: string }) | undefined {
    const allowed = (...names: string[]) => {
      for (const k of params.keys())
        if (!names.includes(k))
          this.problem('survey', row, 'parameters', `"${k}" is not a parameter of ${kind}${names.length ? ` (${names.join(', ')})` : ''}`);
    };
    const noConstraint = () => constraint && this.problem('survey', row, 'constraint', `a constraint is not supported on ${kind}`);
    const base = { id, ...(optional ? { optional: true } : {}) };
    switch (kind) {
      case 'select_one':
      case 'select_multiple': {
        noConstraint();
        if (!list) return void this.problem('survey', row, 'type', `${kind} needs a list name, e.g. "${kind} ${id}"`);
        const entries = lists.get(list);
        if (!entries) return void this.problem('survey', row, 'type', `list "${list}" is not in the choices sheet`);
        usedLists.add(list);
        const options = entries.map((e) => e.name);
        if (list in YES_NO_LISTS) {
          allowed();
          if (kind !== 'select_one' || JSON.stringify(options) !== JSON.stringify(YES_NO_LISTS[list]))
            return void this.problem('survey', row, 'type', `list "${list}" is the yes/no list: select_one with exactly ${YES_NO_LISTS[list].join(', ')}`);
          return { ...base, type: 'yes_no', ...(list === 'yes_no' ? { dontKnow: false } : {}) };
        }
        if (kind === 'select_multiple') {
          allowed();
          const exclusive = entries.filter((e) => e.exclusive).map((e) => e.name);
          return { ...base, type: 'multi', options, ...(exclusive.length ? { exclusive } : {}) };
        }
        allowed('unit');
        const ranged = entries.filter((e) => e.min !== undefined || e.max !== undefined);
        const ranges = Object.fromEntries(
          ranged.map((e) => [e.name, { ...(e.min !== undefined ? { min: e.min } : {}), ...(e.max !== undefined ? { max: e.max } : {}) }]),
        );
        const unit = params.get('unit');
        if (unit && !['months', 'years'].includes(unit)) this.problem('survey', row, 'parameters', `unit must be months or years, not "${unit}"`);
        return { ...base, type: 'single', options, ...(ranged.length ? { ranges } : {}), ...(unit ? { unit } : {}) };
      }
      case 'range': {
        noConstraint();
        allowed('start', 'end', 'step');
        const start = Number(params.get('start') ?? 1);
        const end = Number(params.get('end') ?? 5);
        if ((params.get('step') ?? '1') !== '1') this.problem('survey', row, 'parameters', 'only step=1 is supported');
        if (!Number.isInteger(start) || !Number.isInteger(end)) return void this.problem('survey', row, 'parameters', 'start and end must be whole numbers');
        return { ...base, type: 'scale', min: start, max: end };
      }
      case 'integer': {
        allowed('bands');
        const m = /^\.\s*>=\s*(-?\d+)\s+and\s+\.\s*<=\s*(-?\d+)$/.exec(constraint);
        if (!m) return void this.problem('survey', row, 'constraint', 'an integer needs its bounds: ". >= 0 and . <= 80"');
        const bands = params.get('bands');
        if (bands && !/^-?\d+(,-?\d+)+$/.test(bands))
          this.problem('survey', row, 'parameters', 'bands must be whole numbers separated by commas, e.g. bands=0,2,5,10');
        return { ...base, type: 'number', min: Number(m[1]), max: Number(m[2]), ...(bands ? { bands: bands.split(',').map(Number) } : {}) };
      }
      case 'text': {
        allowed();
        const m = /^string-length\(\s*\.\s*\)\s*<=\s*(\d+)$/.exec(constraint);
        if (constraint && !m) this.problem('survey', row, 'constraint', 'a text constraint is "string-length(.) <= 500"');
        return { ...base, type: 'text', ...(m ? { maxLength: Number(m[1]) } : {}) };
      }
      default:
        return void this.problem(
          'survey',
          row,
          'type',
          `type "${kind}" is not supported; the types are select_one, select_multiple, range, integer, text, begin_repeat, end_repeat`,
        );
    }
  }

  private readSettings(): Record<string, unknown> | undefined {
    const sheet = this.sheets.get('settings')!;
    if (sheet.rows.length !== 1) {
      this.problem('settings', 2, 'form_id', `the settings sheet must have exactly one row under its header (it has ${sheet.rows.length})`);
      return undefined;
    }
    const { row, cells } = sheet.rows[0];
    const get = (c: string) => cells.get(c) ?? '';
    const whole = (c: string, required: boolean): number | undefined => {
      const v = get(c);
      if (v === '' && !required) return undefined;
      if (!/^\d+$/.test(v)) this.problem('settings', row, c, `"${v}" must be a whole number`);
      return Number(v);
    };
    for (const c of this.languageCells(sheet, cells, 'title'))
      if (c.value !== '') this.setText(c.lng, 'title', c.value, { sheet: 'settings', row, column: c.header });
    const defaultLanguage = get('default_language');
    if (defaultLanguage && !this.langs.has(defaultLanguage))
      this.problem('settings', row, 'default_language', `"${defaultLanguage}" has no label columns in this workbook`);
    const minutes = whole('minutes', false);
    // A list as XLSForm writes lists, by spaces; commas are forgiven. Names are checked with the definition.
    const sources = get('sources')
      .split(/[\s,]+/)
      .filter((s) => s !== '');
    const analysis = this.analysis(row, cells);
    return {
      id: get('form_id'),
      version: whole('version', true),
      ...(defaultLanguage ? { defaultLanguage } : {}),
      ...(minutes !== undefined ? { minutes } : {}),
      ...(sources.length ? { sources } : {}),
      consentVersion: whole('consent_version', false) ?? 1,
      ...(analysis ? { analysis } : {}),
    };
  }

  /** `analysis` (the full section as JSON), with `outcome`, `baseline` and `quasi_identifiers` as readable cells that win over it. */
  private analysis(row: number, cells: Map<string, string>): AnalysisSpec | undefined {
    const source = cells.get('analysis') ?? '';
    let spec: Record<string, unknown> = {};
    if (source) {
      try {
        spec = JSON.parse(source) as Record<string, unknown>;
      } catch {
        this.problem('settings', row, 'analysis', 'not readable JSON');
        return undefined;
      }
    }
    const test = (c: 'outcome' | 'baseline', codesKey: 'success' | 'anyOf') => {
      const v = cells.get(c) ?? '';
      if (!v) return;
      const m = /^([a-z][a-z0-9_]*)\s*:\s*([a-z0-9_ ]+)$/.exec(v);
      if (!m) return void this.problem('settings', row, c, `write ${c} as "question: code code", e.g. "help_got: yes"`);
      spec[c] = { question: m[1], [codesKey]: m[2].trim().split(/\s+/) };
    };
    test('outcome', 'success');
    test('baseline', 'anyOf');
    const qiCell = cells.get('quasi_identifiers') ?? '';
    if (qiCell) {
      const wanted = qiCell
        .split(/[,\s]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      const declared = (spec.quasiIdentifiers as { column: string }[] | undefined) ?? [];
      const same = JSON.stringify(declared.map((q) => q.column)) === JSON.stringify(wanted);
      if (!same) {
        spec.quasiIdentifiers = wanted.map(
          (column) =>
            declared.find((q) => q.column === column) ?? {
              column,
              from: ['language', 'channel', 'period'].includes(column) ? { field: column } : { question: column },
            },
        );
        // The order in which they give way was written for the old list.
        delete spec.giveWay;
      }
    }
    if (!Object.keys(spec).length) return undefined;
    const parsed = analysisSpec.safeParse(spec);
    if (!parsed.success) {
      for (const i of parsed.error.issues) this.problem('settings', row, 'analysis', `${i.path.join('.') || 'analysis'}: ${i.message}`);
      return undefined;
    }
    return parsed.data;
  }

  private readTexts(): void {
    const sheet = this.sheets.get('texts');
    if (!sheet) return;
    const keys = new Set<string>();
    for (const { row, cells } of sheet.rows) {
      const key = cells.get('key') ?? '';
      if (!/^[a-z_]+(\.[a-z0-9_]+)*$/i.test(key)) this.problem('texts', row, 'key', `"${key}" is not a text key such as consent.purpose`);
      if (keys.has(key)) this.problem('texts', row, 'key', `"${key}" appears twice`);
      keys.add(key);
      for (const c of this.languageCells(sheet, cells, 'text')) {
        if (c.value === '') continue;
        let value: string | string[] = c.value;
        if (c.value.startsWith('[')) {
          try {
            value = JSON.parse(c.value) as string[];
          } catch {
            /* text that starts with a bracket */
          }
        }
        this.setText(c.lng, key, value, { sheet: 'texts', row, column: c.header });
      }
    }
  }

  /** Where a key's text belongs, for "no text" problems: its cell if the row exists, else the column. */
  private placeOf(key: string, lng: string): { sheet: string; row: number; column: string } {
    const known = this.origin.get(`${lng}\u0000${key}`);
    if (known) return known;
    const header = (sheetName: string, base: string) =>
      this.sheets.get(sheetName)!.headers.find((h) => {
        const lc = parseLanguageColumn(h);
        return lc?.base === base && lc.tag === lng;
      }) ?? `${base}::${lng}`;
    const q = /^questions\.([a-z0-9_]+)\.(text|simple|min|max)$/.exec(key);
    if (q) {
      const row = this.sheets.get('survey')!.rows.find((r) => r.cells.get('name') === q[1])?.row ?? 0;
      return { sheet: 'survey', row, column: header('survey', QUESTION_TEXT_COLUMNS[q[2]]) };
    }
    const o = /^options\.([a-z0-9_]+)\.label$/.exec(key);
    if (o) {
      const row = this.sheets.get('choices')!.rows.find((r) => r.cells.get('name') === o[1])?.row ?? 0;
      return { sheet: 'choices', row, column: header('choices', 'label') };
    }
    if (key === 'title') return { sheet: 'settings', row: 2, column: header('settings', 'title') };
    const t = this.sheets.get('texts')?.rows.find((r) => r.cells.get('key') === key)?.row ?? 0;
    return { sheet: 'texts', row: t, column: header('texts', 'text') };
  }

  /** The validator's path (`items[3].when.question`) as a cell. */
  private definitionProblem(path: string, message: string, rowOf: Map<string, number>): void {
    const m = /^(items\[\d+\](?:\.questions\[\d+\])?)\.?(.*)$/.exec(path);
    if (!m)
      return this.problem('settings', 2, path.startsWith('analysis') ? 'analysis' : path.startsWith('sources') ? 'sources' : 'form_id', `${path}: ${message}`);
    const field = m[2].split(/[.[]/)[0];
    const column =
      field === 'when'
        ? 'relevant'
        : field === 'id'
          ? 'name'
          : field === 'forEach'
            ? 'repeat_count'
            : field === 'min' || field === 'max' || field === 'bands'
              ? 'parameters'
              : 'type';
    this.problem('survey', rowOf.get(m[1]) ?? 0, column, message);
  }

  /** The checks translators' imports get: SMS budget, key terms, every answer word understood as its option. */
  private checkTexts(pkg: SurveyPackage): void {
    const ns = pkg.definition.id;
    for (const lng of this.langs) {
      this.locales.i18n.removeResourceBundle(lng, ns);
      this.locales.i18n.addResourceBundle(lng, ns, pkg.texts[lng], true, true);
    }
    const defaultLocale = pkg.definition.defaultLanguage ?? [...this.langs][0];
    const texts = new Texts(this.locales, pkg.definition, undefined, defaultLocale, { languages: [...this.langs] });
    for (const lng of this.langs) {
      for (const p of checkLocale(texts, lng)) {
        const [pns, key] = [p.id.slice(0, p.id.indexOf(':')), p.id.slice(p.id.indexOf(':') + 1)];
        if (pns !== ns) continue;
        const where = this.origin.get(`${lng}\u0000${key}`) ??
          this.origin.get(`${lng}\u0000${key}.label`) ?? { sheet: 'texts', row: 0, column: `text::${lng}` };
        this.problem(where.sheet, where.row, where.column, `${lng}: ${p.message}`);
      }
    }
  }
}

import crypto from 'node:crypto';
import { municipalityOf } from '../privacy/counties';
import { hierarchyFor } from '../privacy/hierarchies';
import { Dependency, KAnonymityReport, QiValue, SUPPRESSED, kAnonymise } from '../privacy/kAnonymity';
import { StoredResponse, freeTextKey } from '../store/store';
import { Condition, QuasiIdentifierSpec, SurveyDefinition, ValueSource } from '../survey/definition';
import { AnswerValue, Answers, holds, stepKey } from '../survey/engine';
import { quasiIdentifiersOf } from '../survey/quasiIdentifiers';
import { StepColumn, stepColumns, topLevelQuestion } from '../survey/walk';
import { freeTextQuestionIds } from './freeTextReview';

/**
 * Disclosure control for one export. Every response the export covers is {@link ExportPlanner.add
 * added} as it is read: the planner renders the cells that disclosure control cannot change, and
 * keeps, per response, only what it needs to decide the rest (quasi-identifiers, the few answers
 * their skip conditions read, the languages shown). {@link ExportPlanner.finish} then decides how
 * far each quasi-identifier must give way and which responses are withheld, and returns an
 * {@link ExportPlan} that fills in the remaining cells of a rendered row.
 */

/** The smallest k an export accepts: k = 2 would publish pairs, in which each knows the other. */
export const MIN_EXPORT_K = 3;

export type Cell = string | number | boolean | null;

/** What a column holds, so writers can keep numbers numeric and guard text. */
export type ColumnKind = 'text' | 'number' | 'boolean';

export interface ExportColumn {
  name: string;
  kind: ColumnKind;
  /** Set for answer columns. */
  step?: StepColumn;
  /** Set for quasi-identifier columns. */
  qi?: QuasiIdentifierSpec;
}

export interface FreeTextItem {
  question: string;
  text: string;
}

/** Fixed columns before the answers; the quasi-identifiers among them take their generalised value. */
const RESPONSE_COLUMNS: { name: string; kind: ColumnKind }[] = [
  { name: 'survey', kind: 'text' },
  { name: 'survey_version', kind: 'number' },
  { name: 'consent_version', kind: 'number' },
  { name: 'status', kind: 'text' },
  { name: 'channel', kind: 'text' },
  { name: 'source', kind: 'text' },
  { name: 'period', kind: 'text' },
  { name: 'language', kind: 'text' },
  { name: 'language_switches', kind: 'number' },
  { name: 'not_understood_count', kind: 'number' },
  { name: 'confirmations', kind: 'number' },
  { name: 'confirmations_declined', kind: 'number' },
  { name: 'languages_shown', kind: 'text' },
  { name: 'text_fell_back', kind: 'boolean' },
];

export interface ExportPlan {
  columns: ExportColumn[];
  report: KAnonymityReport;
  /** Whether the response added as number `index` is published (not withheld). */
  published(index: number): boolean;
  /**
   * Completes the row {@link ExportPlanner.add} rendered for response `index`: the
   * quasi-identifiers as generalised, the columns derived from them, and "*" in every answer cell
   * whose presence would give a generalised value away. Only for published responses.
   */
  complete(index: number, cells: Cell[]): Cell[];
}

export interface PlanOptions {
  k: number;
  /** Answers as labels: option code → label (codes when absent). */
  label?: (code: string) => string;
}

export class ExportPlanner {
  readonly columns: ExportColumn[];
  private readonly qis: readonly QuasiIdentifierSpec[];
  /** The order the quasi-identifiers give way in, by column; undefined: as declared. */
  private readonly giveWay: readonly string[] | undefined;
  private readonly conditions: { column: StepColumn; when: Condition }[];
  private readonly needed: Set<string>;
  // What the planner keeps of every response until its row is completed: as little as possible,
  // and column by column (one array per kind of value, not one object per response).
  private readonly values: QiValue[][];
  /** The languages questions were shown in, joined with ";". */
  private readonly languages: string[] = [];
  private readonly fellBack: boolean[] = [];
  /** Only the answers that skip conditions over quasi-identifiers read. */
  private readonly conditionAnswers: (Answers | undefined)[] = [];
  private readonly label: (code: string) => string;
  private readonly municipalities = new Map<string, string>();

  constructor(
    private readonly def: SurveyDefinition,
    private readonly options: PlanOptions,
  ) {
    if (!Number.isInteger(options.k) || options.k < MIN_EXPORT_K) {
      throw new RangeError(
        `k must be a whole number of at least ${MIN_EXPORT_K} (got ${options.k}): with smaller groups, the people in a group can tell each other apart.`,
      );
    }
    if (!def.analysis)
      throw new Error(`Survey ${def.id} v${def.version} declares no quasi-identifiers (analysis.quasiIdentifiers); record-level export needs them.`);
    ({ qis: this.qis, giveWay: this.giveWay } = quasiIdentifiersOf(def.analysis));
    this.label = options.label ?? ((code) => code);
    const qiQuestions = new Set(this.qis.flatMap((q) => ('question' in q.from ? [q.from.question] : [])));
    this.conditions = dependentConditions(def, qiQuestions);
    this.needed = new Set<string>(this.conditions.flatMap((c) => conditionQuestions(c.when)));
    this.columns = exportColumns(def, this.qis);
    this.values = this.qis.map(() => []);
  }

  /**
   * Takes in one response: keeps what disclosure control needs, and returns its index and the
   * cells that do not depend on disclosure control (the others are null until {@link ExportPlan.complete}).
   */
  add(r: StoredResponse): { index: number; cells: Cell[] } {
    const answers: Answers = {};
    const byKey = new Map<string, AnswerValue>();
    const languages = new Set<string>();
    let fellBack = false;
    for (const a of r.answers) {
      if (a.iteration === '') answers[a.questionId] = a.value;
      byKey.set(a.iteration === '' ? a.questionId : stepKey(a.questionId, a.iteration), a.value);
      languages.add(a.language);
      if (a.fallback) fellBack = true;
    }
    this.qis.forEach((q, a) => this.values[a].push(this.storedValue(q.from, r, answers)));
    this.languages.push([...languages].join(';'));
    this.fellBack.push(fellBack);
    this.conditionAnswers.push(this.needed.size ? pickAnswers(answers, this.needed) : undefined);
    const cells = this.columns.map((c): Cell => {
      if (c.qi) return null;
      if (c.step) {
        const v = byKey.get(c.step.key);
        return v === undefined ? null : cellOf(v, this.label);
      }
      switch (c.name) {
        case 'survey':
          return r.surveyId;
        case 'survey_version':
          return r.surveyVersion;
        case 'consent_version':
          return r.consentVersion;
        case 'status':
          return r.status;
        case 'language_switches':
          return r.languageSwitches;
        case 'not_understood_count':
          return r.notUnderstoodCount;
        case 'confirmations':
          return r.confirmations;
        case 'confirmations_declined':
          return r.confirmationsDeclined;
        default:
          return null;
      }
    });
    return { index: this.languages.length - 1, cells };
  }

  finish(): ExportPlan {
    const { def, qis, conditions, columns, languages, fellBack, conditionAnswers } = this;
    const k = this.options.k;
    const hierarchies = qis.map((q, a) => hierarchyFor(q, this.values[a], k));
    const dependencies: Dependency[] = [];
    for (const c of conditions) {
      const target = qis.findIndex((q) => 'question' in q.from && q.from.question === c.column.question.id && !c.column.block);
      if (target < 0) continue;
      for (const sourceQuestion of conditionQuestions(c.when)) {
        const source = qis.findIndex((q) => 'question' in q.from && q.from.question === sourceQuestion);
        if (source < 0 || source === target) continue;
        dependencies.push({ target, source, shownFor: (r, v) => holds(c.when, { ...conditionAnswers[r], [sourceQuestion]: v }) });
      }
    }
    const result = kAnonymise({
      names: qis.map((q) => q.column),
      hierarchies,
      columns: this.values,
      k,
      suppressionLimit: def.analysis!.suppressionLimit,
      dependencies,
      order: this.giveWay?.map((c) => qis.findIndex((q) => q.column === c)),
    });
    const languageQi = qis.findIndex((q) => 'field' in q.from && q.from.field === 'language');
    const qiColumn = columns.map((c) => (c.qi ? qis.indexOf(c.qi) : -1));
    const shownIndex = columns.findIndex((c) => c.name === 'languages_shown');
    const fellBackIndex = columns.findIndex((c) => c.name === 'text_fell_back');
    // Answer columns whose skip condition reads a quasi-identifier, with the ones it reads.
    const dependent = columns.flatMap((c, i) => {
      if (!c.step || c.qi) return [];
      const whens = [c.step.block?.when, c.step.question.when].filter((w): w is Condition => w !== undefined);
      const reads = whens.flatMap((when) =>
        conditionQuestions(when).flatMap((question) => {
          const a = qis.findIndex((q) => 'question' in q.from && q.from.question === question);
          return a < 0 ? [] : [{ when, question, a }];
        }),
      );
      return reads.length ? [{ i, reads }] : [];
    });
    const label = this.label;

    return {
      columns,
      report: result.report,
      published: (index) => result.published[index] === true,
      complete(index, cells) {
        if (!result.published[index]) throw new Error('A withheld response was asked for its row');
        const value = (a: number) => result.value(index, a);
        qiColumn.forEach((a, i) => {
          if (a < 0) return;
          const v = value(a);
          cells[i] = v === null || v === SUPPRESSED || !columns[i].step ? v : label(v);
        });
        const own = { languages: languages[index], fellBack: fellBack[index], answers: conditionAnswers[index] };
        if (languageQi >= 0) {
          const lang = value(languageQi);
          const ambiguous = (result.preimages[languageQi].get(lang)?.size ?? 0) > 1;
          if (shownIndex >= 0)
            cells[shownIndex] =
              lang === SUPPRESSED
                ? SUPPRESSED
                : [...new Set(own.languages.split(';').map((l) => hierarchies[languageQi].generalise(l, result.levels[languageQi]) ?? l))].sort().join(';');
          if (fellBackIndex >= 0) cells[fellBackIndex] = ambiguous ? SUPPRESSED : own.fellBack;
        } else {
          if (shownIndex >= 0) cells[shownIndex] = own.languages.split(';').sort().join(';');
          if (fellBackIndex >= 0) cells[fellBackIndex] = own.fellBack;
        }
        // Hide an answer whose presence depends on a value the published one stands in for.
        for (const { i, reads } of dependent) {
          for (const { when, question, a } of reads) {
            const behind = [...(result.preimages[a].get(value(a)) ?? [])];
            if (behind.length < 2) continue;
            const first = holds(when, { ...own.answers, [question]: behind[0] });
            if (behind.some((v) => holds(when, { ...own.answers, [question]: v }) !== first)) {
              cells[i] = SUPPRESSED;
              break;
            }
          }
        }
        return cells;
      },
    };
  }

  private storedValue(from: ValueSource, r: StoredResponse, answers: Answers): QiValue {
    if ('field' in from) return r[from.field];
    const v = answers[from.question];
    if (v === undefined || v === null) return null;
    // A typed municipality is free text; the export carries its official name, or "other".
    if (topLevelQuestion(this.def, from.question)?.type === 'text') {
      const text = String(v);
      let name = this.municipalities.get(text);
      if (name === undefined) this.municipalities.set(text, (name = municipalityOf(text) ?? 'other'));
      return name;
    }
    return Array.isArray(v) ? v.join(';') : String(v);
  }
}

/**
 * The free-text answers of a response, as stored (the caller redacts them again); with
 * `approved`, only those a reviewer approved (keys as {@link freeTextKey}).
 */
export function freeTextOf(def: SurveyDefinition, r: StoredResponse, approved?: ReadonlySet<string>): FreeTextItem[] {
  const text = new Set(freeTextQuestionIds(def));
  return r.answers
    .filter((a) => text.has(a.questionId) && typeof a.value === 'string' && a.value !== '')
    .filter((a) => !approved || approved.has(freeTextKey(r.id, a.questionId, a.iteration)))
    .map((a) => ({ question: a.questionId, text: a.value as string }));
}

export function exportColumns(def: SurveyDefinition, qis: readonly QuasiIdentifierSpec[]): ExportColumn[] {
  const qiByField = new Map(qis.flatMap((q) => ('field' in q.from ? [[q.from.field as string, q] as const] : [])));
  const qiByQuestion = new Map(qis.flatMap((q) => ('question' in q.from ? [[q.from.question, q] as const] : [])));
  const columns: ExportColumn[] = RESPONSE_COLUMNS.map((c) => ({ ...c, qi: qiByField.get(c.name) }));
  for (const step of stepColumns(def)) {
    const qi = step.block ? undefined : qiByQuestion.get(step.question.id);
    // Free text is never in the record-level file: it can be joined to nothing (see freeText).
    if (step.question.type === 'text' && !qi) continue;
    const kind: ColumnKind = step.question.type === 'scale' || (step.question.type === 'number' && !step.question.bands) ? 'number' : 'text';
    columns.push({ name: qi?.column ?? step.key, kind: qi ? 'text' : kind, step, qi });
  }
  return columns;
}

function pickAnswers(answers: Answers, keys: ReadonlySet<string>): Answers {
  const out: Answers = {};
  for (const k of keys) if (k in answers) out[k] = answers[k];
  return out;
}

/** Columns whose skip condition (their own, or their block's) reads a quasi-identifier's answer. */
function dependentConditions(def: SurveyDefinition, qiQuestions: ReadonlySet<string>): { column: StepColumn; when: Condition }[] {
  const out: { column: StepColumn; when: Condition }[] = [];
  for (const column of stepColumns(def)) {
    for (const when of [column.block?.when, column.question.when]) {
      if (when && conditionQuestions(when).some((q) => qiQuestions.has(q))) out.push({ column, when });
    }
  }
  return out;
}

function conditionQuestions(c: Condition): string[] {
  if ('all' in c) return c.all.flatMap(conditionQuestions);
  if ('any' in c) return c.any.flatMap(conditionQuestions);
  if ('not' in c) return conditionQuestions(c.not);
  return [c.question];
}

function cellOf(v: AnswerValue, label: (code: string) => string): Cell {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map((c) => label(c)).join(';');
  return typeof v === 'number' ? v : label(v);
}

/** Fisher–Yates with a uniform random source (crypto by default): row order must not follow submission order. */
export function shuffle<T>(items: readonly T[], random: () => number = () => crypto.randomInt(0, 2 ** 32) / 2 ** 32): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

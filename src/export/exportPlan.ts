import crypto from 'node:crypto';
import { municipalityOf } from '../privacy/counties';
import { hierarchyFor } from '../privacy/hierarchies';
import { Dependency, Hierarchy, KAnonymityReport, QiValue, SUPPRESSED, kAnonymise } from '../privacy/kAnonymity';
import { ResponseFilter, StoredResponse, SurveyStore } from '../store/store';
import { Condition, QuasiIdentifierSpec, SurveyDefinition, ValueSource } from '../survey/definition';
import { AnswerValue, Answers, holds, stepKey } from '../survey/engine';
import { StepColumn, questionsOf, stepColumns, topLevelQuestion } from '../survey/walk';

/**
 * The first of an export's two passes. It reads only what disclosure control needs (response
 * fields, the answers that are quasi-identifiers, and the answers their skip conditions read),
 * decides how far each quasi-identifier must give way and which responses are withheld, and
 * shuffles the rest. The second pass (src/export/exportService.ts) then reads whole responses in
 * that shuffled order, batch by batch, and turns each into a row with {@link ExportPlan.row}.
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
  { name: 'period', kind: 'text' },
  { name: 'language', kind: 'text' },
  { name: 'language_switches', kind: 'number' },
  { name: 'not_understood_count', kind: 'number' },
  { name: 'languages_shown', kind: 'text' },
  { name: 'text_fell_back', kind: 'boolean' },
];

interface PlannedRow {
  id: string;
  values: QiValue[];
}

export interface ExportPlan {
  columns: ExportColumn[];
  /** Published response ids, shuffled. */
  ids: string[];
  report: KAnonymityReport;
  /** Turns a whole response (read in the second pass) into a row of cells. */
  row(r: StoredResponse, label?: (code: string) => string): Cell[];
  /** The response's free-text answers, as stored (the caller redacts them again). */
  freeText(r: StoredResponse): FreeTextItem[];
}

export interface PlanOptions {
  k: number;
  /** Uniform in [0, 1); crypto by default. */
  random?: () => number;
}

/** Reads the quasi-identifiers of every response the filter selects and plans the export. */
export async function planExport(store: SurveyStore, def: SurveyDefinition, filter: ResponseFilter, options: PlanOptions): Promise<ExportPlan> {
  if (!Number.isInteger(options.k) || options.k < MIN_EXPORT_K) {
    throw new RangeError(`k must be a whole number of at least ${MIN_EXPORT_K} (got ${options.k}): with smaller groups, the people in a group can tell each other apart.`);
  }
  const spec = def.analysis;
  if (!spec) throw new Error(`Survey ${def.id} v${def.version} declares no quasi-identifiers (analysis.quasiIdentifiers); record-level export needs them.`);
  const qis = spec.quasiIdentifiers;
  const qiQuestions = new Set(qis.flatMap((q) => ('question' in q.from ? [q.from.question] : [])));
  const conditions = dependentConditions(def, qiQuestions);
  const needed = new Set<string>([...qiQuestions, ...conditions.flatMap((c) => conditionQuestions(c.when))]);

  const rows: PlannedRow[] = [];
  const conditionAnswers: Answers[] = [];
  for await (const batch of store.scanResponses(filter, { questions: [...needed] })) {
    for (const r of batch) {
      const answers = topAnswers(r);
      rows.push({ id: r.id, values: qis.map((q) => storedValue(q.from, r, answers, def)) });
      conditionAnswers.push(pickAnswers(answers, needed));
    }
  }

  const hierarchies = qis.map((q, a) => hierarchyFor(q, rows.map((r) => r.values[a]), options.k));
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
    records: rows.map((r) => r.values),
    k: options.k,
    suppressionLimit: spec.suppressionLimit,
    dependencies,
    order: spec.giveWay?.map((c) => qis.findIndex((q) => q.column === c)),
  });

  const published = rows.flatMap((r, i) => (result.published[i] ? [i] : []));
  const order = shuffle(published, options.random);
  const exported = new Map(order.map((i) => [rows[i].id, result.values[i]]));
  const columns = exportColumns(def, qis);
  const languageQi = qis.findIndex((q) => 'field' in q.from && q.from.field === 'language');

  return {
    columns,
    ids: order.map((i) => rows[i].id),
    report: result.report,
    row(r, label = (code) => code) {
      const values = exported.get(r.id);
      if (!values) throw new Error('A response outside the export plan was read in its second pass');
      const qiValue = new Map(qis.map((q, a) => [q.column, values[a]]));
      const answers = topAnswers(r);
      const byKey = new Map(r.answers.map((a) => [stepKey(a.questionId, a.iteration), a.value]));
      const language = languageQi >= 0 ? { value: values[languageQi], hierarchy: hierarchies[languageQi], level: result.levels[languageQi], preimage: result.preimages[languageQi] } : undefined;
      return columns.map((c): Cell => {
        if (c.qi) {
          const v = qiValue.get(c.name) ?? null;
          return v === null || v === SUPPRESSED || c.step === undefined ? v : labelOf(v, label);
        }
        if (c.step) {
          if (maskedByQi(c.step, answers, qis, qiValue, result.preimages)) return SUPPRESSED;
          const v = byKey.get(c.step.key);
          return v === undefined ? null : cellOf(v, label);
        }
        switch (c.name) {
          case 'survey': return r.surveyId;
          case 'survey_version': return r.surveyVersion;
          case 'consent_version': return r.consentVersion;
          case 'status': return r.status;
          case 'language_switches': return r.languageSwitches;
          case 'not_understood_count': return r.notUnderstoodCount;
          case 'languages_shown': return languagesShown(r, language);
          case 'text_fell_back': return language && (language.preimage.get(language.value)?.size ?? 0) > 1 ? SUPPRESSED : r.answers.some((a) => a.fallback);
          default: return null;
        }
      });
    },
    freeText(r) {
      const text = new Set(questionsOf(def).filter((s) => s.question.type === 'text').map((s) => s.question.id));
      return r.answers.filter((a) => text.has(a.questionId) && typeof a.value === 'string' && a.value !== '').map((a) => ({ question: a.questionId, text: a.value as string }));
    },
  };
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

/** Answers outside repeat blocks, by question id: what conditions and quasi-identifiers read. */
function topAnswers(r: StoredResponse): Answers {
  const out: Answers = {};
  for (const a of r.answers) if (a.iteration === '') out[a.questionId] = a.value;
  return out;
}

function pickAnswers(answers: Answers, keys: ReadonlySet<string>): Answers {
  const out: Answers = {};
  for (const k of keys) if (k in answers) out[k] = answers[k];
  return out;
}

function storedValue(from: ValueSource, r: StoredResponse, answers: Answers, def: SurveyDefinition): QiValue {
  if ('field' in from) return r[from.field];
  const v = answers[from.question];
  if (v === undefined || v === null) return null;
  // A typed municipality is free text; the export carries its official name, or "other".
  if (topLevelQuestion(def, from.question)?.type === 'text') return municipalityOf(String(v)) ?? 'other';
  return Array.isArray(v) ? v.join(';') : String(v);
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

/**
 * Whether an answer column must be hidden in this row: its skip condition reads a quasi-identifier
 * whose published value stands for stored values that would decide the condition differently, so
 * that a filled or empty cell would tell which one it was.
 */
function maskedByQi(
  step: StepColumn,
  answers: Answers,
  qis: readonly QuasiIdentifierSpec[],
  qiValue: ReadonlyMap<string, QiValue>,
  preimages: readonly Map<QiValue, Set<QiValue>>[],
): boolean {
  for (const when of [step.block?.when, step.question.when]) {
    if (!when) continue;
    for (const question of conditionQuestions(when)) {
      const a = qis.findIndex((q) => 'question' in q.from && q.from.question === question);
      if (a < 0) continue;
      const behind = [...(preimages[a].get(qiValue.get(qis[a].column) ?? null) ?? [])];
      if (behind.length < 2) continue;
      const first = holds(when, { ...answers, [question]: behind[0] });
      if (behind.some((v) => holds(when, { ...answers, [question]: v }) !== first)) return true;
    }
  }
  return false;
}

/** The languages the questions were shown in, generalised as the response's language is. */
function languagesShown(r: StoredResponse, language?: { value: QiValue; hierarchy: Hierarchy; level: number }): string {
  if (language?.value === SUPPRESSED) return SUPPRESSED;
  const shown = new Set(r.answers.map((a) => (language ? (language.hierarchy.generalise(a.language, language.level) ?? a.language) : a.language)));
  return [...shown].sort().join(';');
}

function cellOf(v: AnswerValue, label: (code: string) => string): Cell {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map((c) => label(c)).join(';');
  return typeof v === 'number' ? v : labelOf(v, label);
}

function labelOf(v: string, label: (code: string) => string): string {
  return label(v);
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

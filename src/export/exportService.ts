import { Writable } from 'node:stream';
import { Locales, textOr } from '../language/i18n';
import { localeWording, SurveyWording } from '../language/surveyWording';
import { KAnonymityReport } from '../privacy/kAnonymity';
import { redact } from '../privacy/redact';
import { ResponseFilter, SurveyStore } from '../store/store';
import { SurveyDefinition } from '../survey/definition';
import { buildCodebook, codebookTable, provenanceTable } from './codebook';
import crypto from 'node:crypto';
import { queueFreeText } from './freeTextReview';
import { Cell, ExportColumn, ExportPlanner, FreeTextItem, freeTextOf, shuffle } from './exportPlan';
import { levelName } from './levelName';
import { Spill } from './spill';
import { CsvSink, ExportSink, JsonSink, Table, XlsxSink } from './writers';

export type ExportFormat = 'csv' | 'xlsx' | 'json';

export interface ExportRequest {
  format: ExportFormat;
  /** Minimum group size over the quasi-identifiers (default 5, at least 3). */
  k?: number;
  /** Answers as labels in this locale instead of codes. */
  labels?: string;
  /** The codebook's own language (nb or en); defaults to `labels` where it can, else English. */
  codebookLanguage?: string;
  filter: Omit<ResponseFilter, 'surveyId'>;
  /** Free text a reviewer approved, redacted, shuffled apart from the rows: a second file for CSV, a sheet or array otherwise. */
  includeFreeText?: boolean;
  /** CSV only: a byte-order mark, for Excel. */
  bom?: boolean;
  random?: () => number;
  onProgress?: (done: number, total: number) => void;
}

export interface ExportSummary {
  rows: number;
  /** Free-text answers in the export: approved by a reviewer, redacted, shuffled. */
  freeTextItems: number;
  /** Free-text answers still waiting for review, not in the export (0 without free text). */
  freeTextPending: number;
  report: KAnonymityReport;
}

/**
 * Responses per batch from the store. Small batches die young: at 2,000 an export of 100,000
 * responses peaked at 300 MB, most of it garbage promoted before it could be collected.
 */
const EXPORT_BATCH = 200;

/** Temporary files of the external shuffle (src/export/spill.ts). */
const SPILL_FILES = 64;

/**
 * Record-level export in one pass over the database: every selected response is read once, in
 * batches; its quasi-identifiers go to the planner and the response to the external shuffle.
 * Then disclosure control decides, and the shuffled responses are written, row by row, in the
 * chosen format. Rows carry no response id; free text never sits on a row. Labels and the codebook
 * come from `wording` (the survey version's texts), the files in `locales/` unless given.
 */
export async function runExport(
  deps: { store: SurveyStore; survey: SurveyDefinition; locales: Locales; wording?: SurveyWording },
  request: ExportRequest,
  out: Writable,
  freeTextOut?: Writable,
): Promise<ExportSummary> {
  const { store, survey, locales } = deps;
  const wording = deps.wording ?? localeWording(locales, survey.id);
  if (request.labels && !locales.byTag.has(request.labels))
    throw new RangeError(`--labels ${request.labels}: no such locale (have ${locales.tags.join(', ')})`);
  if (request.includeFreeText && request.format === 'csv' && !freeTextOut)
    throw new RangeError('Free text in CSV goes to a file of its own: give --out FILE (it is written beside it as FILE.free-text.csv).');
  const filter: ResponseFilter = { ...request.filter, surveyId: survey.id };
  const random = request.random ?? (() => crypto.randomInt(0, 2 ** 32) / 2 ** 32);
  const total = await store.countResponses(filter);
  const label = request.labels ? labeller(locales, wording.ns, request.labels) : undefined;
  const planner = new ExportPlanner(survey, { k: request.k ?? 5, label });
  const spill = new Spill<[number, Cell[]]>(SPILL_FILES, random);
  try {
    const freeText: { index: number; item: FreeTextItem }[] = [];
    // Only what a reviewer approved leaves; what waits is counted, so the export can say so.
    let approved: Set<string> | undefined;
    let freeTextPending = 0;
    if (request.includeFreeText) {
      await queueFreeText(store, survey);
      approved = await store.approvedFreeText(survey.id, request.filter.surveyVersion);
      freeTextPending = (await store.freeTextCounts(survey.id, request.filter.surveyVersion)).pending;
    }
    let read = 0;
    for await (const batch of store.scanResponses(filter, { batchSize: EXPORT_BATCH })) {
      for (const r of batch) {
        const { index, cells } = planner.add(r);
        spill.put([index, cells]);
        if (request.includeFreeText)
          for (const item of freeTextOf(survey, r, approved)) freeText.push({ index, item: { question: item.question, text: redact(item.text) } });
      }
      read += batch.length;
      request.onProgress?.(read, 2 * total);
    }
    const plan = planner.finish();
    const codebook = buildCodebook(survey, locales, plan.columns, request.codebookLanguage ?? request.labels ?? 'en', wording);
    const disclosure = disclosureTable(plan.report, locales, codebook.language);
    const sink = sinkFor(request, out, freeTextOut, {
      survey: { id: survey.id, version: survey.version },
      k: plan.report.k,
      disclosure: plan.report,
      ...(request.includeFreeText ? { freeTextPending } : {}),
    });
    await sink.start(plan.columns);
    let done = 0;
    for (let f = 0; f < spill.files; f++) {
      for (const [index, cells] of spill.read(f)) {
        if (!plan.published(index)) continue;
        await sink.row(plan.complete(index, cells));
        done++;
      }
      request.onProgress?.(total + Math.round(((f + 1) / spill.files) * total), 2 * total);
    }
    const free = freeText.filter((f) => plan.published(f.index)).map((f) => f.item);
    // Shuffled again on their own: in row order they could be matched back to the rows.
    await sink.finish({
      freeText: request.includeFreeText ? shuffle(free, random) : undefined,
      codebook: codebookTable(codebook, locales),
      provenance: provenanceTable(codebook, locales),
      disclosure,
      json: { codebook, disclosure: plan.report },
    });
    return { rows: done, freeTextItems: free.length, freeTextPending, report: plan.report };
  } finally {
    spill.dispose();
  }
}

function sinkFor(request: ExportRequest, out: Writable, freeTextOut: Writable | undefined, head: Record<string, unknown>): ExportSink {
  switch (request.format) {
    case 'csv':
      return new CsvSink(out, { bom: request.bom, freeTextOut: request.includeFreeText ? freeTextOut : undefined });
    case 'xlsx':
      return new XlsxSink(out);
    case 'json':
      return new JsonSink(out, head);
  }
}

/**
 * Option codes as labels in one locale; anything that is not an option (bands, generalised groups) stays a code.
 * @param ns the survey version's i18next namespace (src/language/surveyWording.ts)
 */
export function labeller(locales: Locales, ns: string, lng: string): (code: string) => string {
  const cache = new Map<string, string>();
  return (code) => {
    let v = cache.get(code);
    if (v === undefined) {
      v = textOr(locales, `${ns}:options.${code}.label`, lng, code);
      cache.set(code, v);
    }
    return v;
  };
}

/** What disclosure control did, as a table (the XLSX sheet, and the CLI's summary). */
export function disclosureTable(report: KAnonymityReport, locales: Locales, lng: string): Table {
  const t = (key: string, vars: Record<string, unknown> = {}) => locales.i18n.t(`analyst:disclosure.${key}`, { lng, ...vars }) as string;
  const level = (name: string) => levelName(locales, lng, name);
  const rows: string[][] = [];
  for (const a of report.attributes) {
    if (a.steps.length === 0) rows.push([a.attribute, level(a.level), '', '0', String(a.maskedRecords)]);
    for (const s of a.steps) rows.push([a.attribute, level(a.level), `${level(s.from)} → ${level(s.to)}`, String(s.recordsAffected), String(a.maskedRecords)]);
  }
  rows.push([disclosureSummary(report, locales, lng), '', '', '', '']);
  return { header: [t('headers.attribute'), t('headers.level'), t('headers.step'), t('headers.records_affected'), t('headers.masked')], rows };
}

/** One line per attribute and a summary line, for a terminal. */
export function disclosureSummary(report: KAnonymityReport, locales: Locales, lng: string): string {
  const t = (key: string, vars: Record<string, unknown> = {}) => locales.i18n.t(`analyst:disclosure.${key}`, { lng, ...vars }) as string;
  return t('summary', {
    k: report.k,
    records: report.records,
    withheld: report.withheldRecords,
    allowed: report.withholdingAllowed,
    published: report.records - report.withheldRecords,
    groups: report.groups,
    smallest: report.smallestGroup,
  });
}

export function disclosureLines(report: KAnonymityReport, locales: Locales, lng: string): string[] {
  const t = (key: string, vars: Record<string, unknown> = {}) => locales.i18n.t(`analyst:disclosure.${key}`, { lng, ...vars }) as string;
  return [
    disclosureSummary(report, locales, lng),
    ...report.attributes.map((a) =>
      a.steps.length === 0 && a.maskedRecords === 0
        ? t('kept', { attribute: a.attribute })
        : t('level', {
            attribute: a.attribute,
            level: levelName(locales, lng, a.level),
            affected: a.recordsAffected,
            masked: a.maskedRecords ? t('masked', { count: a.maskedRecords }) : '',
          }),
    ),
  ];
}

export type { ExportColumn };

import { Writable } from 'node:stream';
import { AnalysisRequest, AnalysisResult, analyze } from '../analysis/analyze';
import { analyzeInParallel } from '../analysis/parallel';
import { buildCodebook, Codebook, codebookTable, provenanceTable } from '../export/codebook';
import { exportColumns } from '../export/exportPlan';
import { ExportRequest, ExportSummary, runExport } from '../export/exportService';
import { writeCsvTable, xlsxWriter } from '../export/writers';
import { Locales } from '../language/i18n';
import { SurveyStore } from '../store/store';
import { SurveyDefinition } from '../survey/definition';
import { SelectionProblem, selectionCells, selectionProblem } from './differencing';

/**
 * What analysts can have: the barrier analysis, the record-level export and the codebook. The CLI
 * and the analyst HTTP API both go through this one service, so a disclosure rule enforced here
 * holds for both; neither reads the store itself.
 */
export class AnalystService {
  constructor(
    private readonly deps: {
      store: SurveyStore;
      survey: SurveyDefinition;
      locales: Locales;
      /** Where worker threads can open the same database, for an analysis in parallel. */
      parallel?: { databaseUrl: string; threads: number };
    },
    /** The smallest k any caller gets; a request may ask for more, never for less. */
    readonly minK: number,
  ) {}

  get survey(): SurveyDefinition {
    return this.deps.survey;
  }

  analyze(request: Omit<AnalysisRequest, 'k'> & { k?: number }): Promise<AnalysisResult> {
    const full = { ...request, k: this.k(request.k) };
    const { parallel, store, survey } = this.deps;
    return parallel ? analyzeInParallel({ store, databaseUrl: parallel.databaseUrl }, survey, full, parallel.threads) : analyze(store, survey, full);
  }

  export(request: ExportRequest, out: Writable, freeTextOut?: Writable): Promise<ExportSummary> {
    return runExport(this.deps, { ...request, k: this.k(request.k) }, out, freeTextOut);
  }

  /**
   * Whether an export with this filter may be handed out over the HTTP API, where one analyst can
   * ask for many filtered exports and subtract them: its selection, and its difference to every
   * wider request, must hold 0 or at least minK responses (src/analyst/differencing.ts). Undefined
   * when it may. Reads only the filterable fields of the survey's responses, no answers.
   */
  async exportSelectionProblem(filter: ExportRequest['filter']): Promise<SelectionProblem | undefined> {
    const cells = await selectionCells(this.deps.store.scanResponses({ surveyId: this.deps.survey.id }, { batchSize: 5000, questions: [] }));
    return selectionProblem(cells, filter, this.minK);
  }

  codebook(language: string): Codebook {
    const { survey, locales } = this.deps;
    return buildCodebook(survey, locales, exportColumns(survey, survey.analysis?.quasiIdentifiers ?? []), language);
  }

  /** The codebook on its own, as JSON, CSV or an XLSX workbook (codebook and locales sheets). */
  async writeCodebook(format: 'json' | 'csv' | 'xlsx', language: string, out: Writable): Promise<void> {
    const cb = this.codebook(language);
    const { locales } = this.deps;
    if (format === 'json') {
      out.write(`${JSON.stringify(cb, null, 2)}\n`);
      return;
    }
    if (format === 'csv') return writeCsvTable(out, codebookTable(cb, locales));
    const workbook = await xlsxWriter(out);
    for (const [name, table] of [
      ['codebook', codebookTable(cb, locales)],
      ['locales', provenanceTable(cb, locales)],
    ] as const) {
      const ws = workbook.addWorksheet(name);
      ws.addRow(table.header).commit();
      for (const r of table.rows) ws.addRow(r).commit();
      ws.commit();
    }
    await workbook.commit();
  }

  private k(requested: number | undefined): number {
    return Math.max(this.minK, requested ?? this.minK);
  }
}

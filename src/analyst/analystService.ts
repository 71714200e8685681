import { Writable } from 'node:stream';
import { AnalysisRequest, AnalysisResult, analyze } from '../analysis/analyze';
import { analyzeInParallel } from '../analysis/parallel';
import { buildCodebook, codebookTable, provenanceTable } from '../export/codebook';
import { exportColumns } from '../export/exportPlan';
import { ExportRequest, ExportSummary, runExport } from '../export/exportService';
import { CodebookWithVersions, SurveyVersionSource, versionHistory, versionTable } from '../export/versionHistory';
import { writeCsvTable, xlsxWriter } from '../export/writers';
import { Locales } from '../language/i18n';
import { localeWording, SurveyWording } from '../language/surveyWording';
import { FreeTextDecision, FreeTextItemRecord, FreeTextState, SurveyStore } from '../store/store';
import { queueFreeText } from '../export/freeTextReview';
import { SurveyDefinition } from '../survey/definition';
import { quasiIdentifiersOf } from '../survey/quasiIdentifiers';
import { SelectionProblem, selectionCells, selectionProblem } from './differencing';
import { fixedSurvey, SurveyListing, SurveyResolver } from './surveyResolver';

/** Which survey and version a request is about. Unsaid: the default survey, and its newest published version. */
export interface SurveyChoice {
  survey?: string;
  version?: number;
}

/** A survey version as a request chose it. */
export interface ChosenSurvey {
  id: string;
  version: number;
  definition: SurveyDefinition;
  wording: SurveyWording;
  /** Every version of the survey, oldest first. */
  versions: SurveyListing['versions'];
}

/** A survey or version the registry does not hold: the caller's mistake, said plainly. */
export class SurveyChoiceError extends Error {
  override name = 'SurveyChoiceError';
  constructor(
    readonly reason: 'unknown_survey' | 'unknown_version',
    message: string,
    /** What may be asked for instead: survey ids, or the survey's version numbers. */
    readonly known: string[],
    /** The survey asked for (or the default one). */
    readonly surveyId: string,
  ) {
    super(message);
  }
}

/**
 * What analysts can have: the barrier analysis, the record-level export and the codebook, each of
 * one survey version (src/analyst/surveyResolver.ts). The CLI and the analyst HTTP API both go
 * through this one service, so a disclosure rule enforced here holds for both; neither reads the
 * store itself. k-anonymity, suppression and the differencing guard work on one survey's
 * responses at a time: no request reads or counts another survey's.
 */
export class AnalystService {
  private readonly surveys: SurveyResolver;

  constructor(
    private readonly deps: {
      store: SurveyStore;
      locales: Locales;
      /** Where surveys and versions are found: the registry (RegistrySurveys) in the bot and the CLI. */
      surveys?: SurveyResolver;
      /** One definition with its texts in locales/: the only survey when no resolver is given, and the one {@link codebook} describes. */
      survey?: SurveyDefinition;
      /** Where worker threads can open the same database, for an analysis in parallel. */
      parallel?: { databaseUrl: string; threads: number };
    },
    /** The smallest k any caller gets; a request may ask for more, never for less. */
    readonly minK: number,
  ) {
    if (!deps.surveys && !deps.survey) throw new Error('An analyst service needs surveys (a resolver) or a survey definition.');
    this.surveys = deps.surveys ?? fixedSurvey(deps.survey!, deps.locales);
  }

  /** The locales the labels are looked up in: a registry version's texts are loaded into these. */
  get locales(): Locales {
    return this.deps.locales;
  }

  /** The survey a request that names none is about. */
  get defaultSurvey(): string {
    return this.surveys.defaultSurvey;
  }

  /** Every survey analysts can ask for, with its versions. */
  listSurveys(): Promise<SurveyListing[]> {
    return this.surveys.surveys();
  }

  /**
   * The survey version a request is about: the survey named (the default survey otherwise), the
   * version named (its newest published version otherwise, or its newest when none is published).
   * @throws SurveyChoiceError for a survey or version the registry does not hold
   */
  async resolve(choice: SurveyChoice = {}): Promise<ChosenSurvey> {
    const all = await this.surveys.surveys();
    const id = choice.survey ?? this.surveys.defaultSurvey;
    const listed = all.find((s) => s.id === id);
    if (!listed)
      throw new SurveyChoiceError(
        'unknown_survey',
        `No survey "${id}": the registry holds ${all.map((s) => s.id).join(', ') || 'none'}.`,
        all.map((s) => s.id),
        id,
      );
    const version = choice.version ?? listed.current ?? listed.versions.at(-1)?.version;
    if (version === undefined || !listed.versions.some((v) => v.version === version))
      throw new SurveyChoiceError(
        'unknown_version',
        `Survey ${id} has no version ${choice.version} (it has ${listed.versions.map((v) => v.version).join(', ')}).`,
        listed.versions.map((v) => String(v.version)),
        id,
      );
    const [definition, wording] = await Promise.all([this.surveys.definition(id, version), this.surveys.texts(id, version)]);
    return { id, version, definition, wording, versions: listed.versions };
  }

  /** The SMS numbers that answer for a survey (`survey-bot survey sms-number`), for its posters. */
  async smsNumbersOf(surveyId: string): Promise<string[]> {
    return (await this.deps.store.listSmsRoutes()).filter((r) => r.surveyId === surveyId).map((r) => r.number);
  }

  /** The barrier analysis of one survey version's responses. */
  async analyze(request: Omit<AnalysisRequest, 'k'> & { k?: number } & SurveyChoice): Promise<AnalysisResult> {
    const { survey: surveyId, version, k, ...rest } = request;
    const { definition } = await this.resolve({ survey: surveyId, version });
    const full: AnalysisRequest = { ...rest, k: this.k(k) };
    const { parallel, store } = this.deps;
    return parallel ? analyzeInParallel({ store, databaseUrl: parallel.databaseUrl }, definition, full, parallel.threads) : analyze(store, definition, full);
  }

  /**
   * The record-level export of one survey: of the version in the filter (with that version's
   * columns and labels), or of all its versions with the current version's columns.
   */
  async export(request: ExportRequest & { survey?: string }, out: Writable, freeTextOut?: Writable): Promise<ExportSummary> {
    const { survey: surveyId, ...rest } = request;
    const chosen = await this.resolve({ survey: surveyId, version: request.filter.surveyVersion });
    return runExport(
      { store: this.deps.store, survey: chosen.definition, locales: this.deps.locales, wording: chosen.wording },
      { ...rest, k: this.k(request.k) },
      out,
      freeTextOut,
    );
  }

  /**
   * The free-text review queue of one survey (src/export/freeTextReview.ts): answers completed
   * since the last look are queued first. Items carry an id, the question, the language and the
   * redacted text; never the response they belong to.
   */
  async freeTextQueue(
    chosen: ChosenSurvey,
    options: { state?: FreeTextState; allVersions?: boolean; limit?: number },
  ): Promise<{ items: FreeTextItemRecord[]; counts: Record<FreeTextState, number> }> {
    await queueFreeText(this.deps.store, chosen.definition);
    const surveyVersion = options.allVersions ? undefined : chosen.version;
    const [items, counts] = await Promise.all([
      this.deps.store.freeTextItems({ surveyId: chosen.id, surveyVersion, state: options.state, limit: options.limit }),
      this.deps.store.freeTextCounts(chosen.id, surveyVersion),
    ]);
    return { items, counts };
  }

  freeTextItem(id: string): Promise<FreeTextItemRecord | undefined> {
    return this.deps.store.freeTextItem(id);
  }

  /** A reviewer's decision on an item; undefined when there is no such item, or it was deleted. */
  reviewFreeText(id: string, decision: FreeTextDecision): Promise<FreeTextItemRecord | undefined> {
    return this.deps.store.reviewFreeText(id, decision);
  }

  /**
   * Whether an export with this filter may be handed out over the HTTP API, where one analyst can
   * ask for many filtered exports and subtract them: its selection, and its difference to every
   * wider request, must hold 0 or at least minK responses (src/analyst/differencing.ts). Undefined
   * when it may. Reads only the filterable fields of the one survey's responses, no answers: the
   * version is one of the filters, and another survey's responses are never part of the count.
   */
  async exportSelectionProblem(filter: ExportRequest['filter'], surveyId?: string): Promise<SelectionProblem | undefined> {
    const chosen = await this.resolve({ survey: surveyId, version: filter.surveyVersion });
    const cells = await selectionCells(this.deps.store.scanResponses({ surveyId: chosen.id }, { batchSize: 5000, questions: [] }));
    return selectionProblem(cells, filter, this.minK);
  }

  /**
   * The codebook of the definition the service was made with (texts in locales/), with that one
   * version as its history. {@link codebookOf} is the codebook of any registered survey.
   */
  codebook(language: string): CodebookWithVersions {
    const survey = this.deps.survey;
    if (!survey) throw new Error('codebook(language) describes the definition the service was made with; use codebookOf for a registered survey.');
    const wording = localeWording(this.deps.locales, survey.id);
    return this.codebookWith(survey, wording, [{ version: survey.version, state: 'published', definition: survey, wording }], language);
  }

  /** The codebook of one survey version, with the history of every version of that survey. */
  async codebookOf(choice: SurveyChoice, language: string): Promise<CodebookWithVersions> {
    const chosen = await this.resolve(choice);
    const versions: SurveyVersionSource[] = await Promise.all(
      chosen.versions.map(async (v) => ({
        version: v.version,
        state: v.state,
        definition: await this.surveys.definition(chosen.id, v.version),
        wording: await this.surveys.texts(chosen.id, v.version),
      })),
    );
    return this.codebookWith(chosen.definition, chosen.wording, versions, language);
  }

  private codebookWith(survey: SurveyDefinition, wording: SurveyWording, versions: SurveyVersionSource[], language: string): CodebookWithVersions {
    const { locales } = this.deps;
    const cb = buildCodebook(survey, locales, exportColumns(survey, survey.analysis ? quasiIdentifiersOf(survey.analysis).qis : []), language, wording);
    return { ...cb, versions: versionHistory(versions, locales, cb.language) };
  }

  /**
   * The codebook on its own, as JSON (with `versions`), CSV (the columns; with `history`, the
   * version history instead) or an XLSX workbook (codebook, locales and versions sheets).
   */
  async writeCodebook(
    format: 'json' | 'csv' | 'xlsx',
    language: string,
    out: Writable,
    choice: SurveyChoice = {},
    options: { history?: boolean } = {},
  ): Promise<void> {
    const cb = await this.codebookOf(choice, language);
    const { locales } = this.deps;
    if (format === 'json') {
      out.write(`${JSON.stringify(cb, null, 2)}\n`);
      return;
    }
    if (format === 'csv') return writeCsvTable(out, options.history ? versionTable(cb.versions, locales, cb.language) : codebookTable(cb, locales));
    const workbook = await xlsxWriter(out);
    for (const [name, table] of [
      ['codebook', codebookTable(cb, locales)],
      ['locales', provenanceTable(cb, locales)],
      ['versions', versionTable(cb.versions, locales, cb.language)],
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

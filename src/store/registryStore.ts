/**
 * The survey registry: every survey the bot runs, each in versions, and which SMS number answers
 * for which survey. A version is a draft until published; a published version never changes (a
 * change is a new version); a closed version takes no more answers. Nothing here refers to a
 * respondent or a response.
 */
export type SurveyVersionState = 'draft' | 'published' | 'closed';

/** Where a version came from: shipped with the project (src/survey/definitions/), or imported from a spreadsheet. */
export type SurveyVersionSource = 'bundled' | 'import';

export interface SurveyVersionInfo {
  surveyId: string;
  version: number;
  state: SurveyVersionState;
  source: SurveyVersionSource;
  /** SHA-256 of the definition and the texts: the same content imported twice is one version. */
  contentHash: string;
  /** Rounded to the hour, like every time the project keeps. */
  createdAt: Date;
  publishedAt?: Date;
  closedAt?: Date;
}

export interface SurveyVersionRecord extends SurveyVersionInfo {
  /** The survey definition (src/survey/definition.ts), as JSON. */
  definition: unknown;
  /** Per locale, the survey's texts as an i18next namespace object. */
  texts: Record<string, unknown>;
  /** Per locale and key, where the text came from (src/registry/provenance.ts). */
  provenance: Record<string, unknown>;
}

export interface RegistryStore {
  /** Every version of every survey, without their definitions and texts, ordered by survey and version. */
  listSurveyVersions(): Promise<SurveyVersionInfo[]>;
  readSurveyVersion(surveyId: string, version: number): Promise<SurveyVersionRecord | undefined>;
  /** Adds a version; fails with {@link SurveyVersionExistsError} when that survey already has that version. */
  insertSurveyVersion(record: SurveyVersionRecord): Promise<void>;
  /** Moves a version on: draft → published → closed (or draft → closed); never back. */
  setSurveyVersionState(surveyId: string, version: number, state: 'published' | 'closed', at: Date): Promise<void>;
  /** SMS numbers (the numbers respondents write to, E.164) and the survey each answers for. */
  listSmsRoutes(): Promise<{ number: string; surveyId: string }[]>;
  /** Points an SMS number at a survey, or removes it (undefined). */
  setSmsRoute(number: string, surveyId: string | undefined): Promise<void>;
}

export class SurveyVersionExistsError extends Error {
  override name = 'SurveyVersionExistsError';
  constructor(surveyId: string, version: number) {
    super(`Survey ${surveyId} already has a version ${version}: a published version never changes, so a change is a new version.`);
  }
}

/** The moves a version's state may make. */
export const NEXT_STATES: Record<SurveyVersionState, readonly SurveyVersionState[]> = {
  draft: ['published', 'closed'],
  published: ['closed'],
  closed: [],
};

import fs from 'node:fs';
import path from 'node:path';
import { SurveyDefinition } from './definition';
import { validateSurvey } from './validate';
import { surveysDir } from '../paths';

/** Loads and validates a survey definition file; throws with every problem listed. */
export function loadSurvey(file: string): SurveyDefinition {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not readable JSON (${(err as Error).message})`, { cause: err });
  }
  const { survey, problems } = validateSurvey(json);
  if (!survey) throw new Error(`${file}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  return survey;
}

/** The survey this bot runs: `housing-help` v1. */
export const DEFAULT_SURVEY_FILE = path.join(surveysDir, 'housing-help.v1.json');

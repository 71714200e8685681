import { AnalystService, ChosenSurvey, SurveyChoiceError } from '../analystService';
import { shown } from './parameters';
import { Refusal } from './refusal';

/**
 * The survey version a request names (`survey`, `version`), checked against the registry: the
 * default survey's newest published version when it names none.
 */
export async function chosenSurvey(service: AnalystService, q: URLSearchParams): Promise<ChosenSurvey> {
  const survey = q.get('survey') ?? undefined;
  const versionText = q.get('version') ?? undefined;
  if (versionText !== undefined && !/^[1-9]\d{0,5}$/.test(versionText)) throw new Refusal(400, 'bad_parameter', 'bad_version', { value: shown(versionText) });
  try {
    return await service.resolve({ survey, version: versionText === undefined ? undefined : Number(versionText) });
  } catch (err) {
    if (!(err instanceof SurveyChoiceError)) throw err;
    if (err.reason === 'unknown_survey')
      throw new Refusal(400, 'unknown_survey', 'unknown_survey', { value: shown(survey ?? ''), allowed: err.known.join(', ') });
    throw new Refusal(400, 'unknown_version', 'unknown_version', { survey: err.surveyId, value: shown(versionText ?? ''), allowed: err.known.join(', ') });
  }
}

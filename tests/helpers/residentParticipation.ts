import crypto from 'node:crypto';
import path from 'node:path';
import { surveysDir } from '../../src/paths';
import { StoredAnswer, StoredResponse } from '../../src/store/store';
import { loadSurvey } from '../../src/survey/load';

/** The second bundled survey, whose outcome (took_part) is a top-level question. */
export const residentParticipation = loadSurvey(path.join(surveysDir, 'resident-participation.v1.json'));

export interface ParticipationAnswers {
  background: string;
  /** The answer to took_part; undefined: not offered housing, so never asked it. */
  tookPart?: string;
  language?: string;
  channel?: string;
  period?: string;
  status?: StoredResponse['status'];
}

/** One resident-participation response, its answers in the order the survey asks them. */
export function participationResponse(a: ParticipationAnswers): StoredResponse {
  const def = residentParticipation;
  const language = a.language ?? 'nb';
  const values: [string, string | number][] = [['housing_offer', a.tookPart === undefined ? 'no' : 'yes']];
  if (a.tookPart !== undefined) values.push(['took_part', a.tookPart]);
  if (a.tookPart === 'yes' || a.tookPart === 'partly') values.push(['listened_to', 3]);
  values.push(['safe_home', 'yes'], ['easy_to_move', 'no'], ['background', a.background], ['age_band', 'age_36_66']);
  const answers: StoredAnswer[] = values.map(([questionId, value]) => ({ questionId, iteration: '', value, language, fallback: false, notUnderstood: 0 }));
  return {
    id: crypto.randomUUID(),
    surveyId: def.id,
    surveyVersion: def.version,
    consentVersion: def.consentVersion,
    channel: a.channel ?? 'web',
    source: 'direct',
    period: a.period ?? '2026-W10',
    language,
    status: a.status ?? 'completed',
    languageSwitches: 0,
    notUnderstoodCount: 0,
    confirmations: 0,
    confirmationsDeclined: 0,
    answers,
  };
}

/** `n` alike responses. */
export function participationResponses(n: number, a: ParticipationAnswers): StoredResponse[] {
  return Array.from({ length: n }, () => participationResponse(a));
}

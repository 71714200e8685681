import { Request } from 'restify';
import { negotiateLocale } from '../../bot/negotiateLocale';
import { rankAcceptLanguage } from '../../language/acceptLanguage';
import { SURVEY_ID } from '../directline/tokens';

/** What a start link asks for: the survey and the language to offer first. */
export interface StartLink {
  survey?: string;
  lang?: string;
}

/**
 * What a start link (`/s/<survey>?lang=so`) asks for: the survey (its id, as the token will carry
 * it; an id the registry does not hold reaches the default survey) and the language to offer first.
 */
export function startLink(req: Request, supported: string[]): StartLink {
  const survey = typeof req.params?.survey === 'string' && SURVEY_ID.test(req.params.survey) ? req.params.survey : undefined;
  const asked = new URLSearchParams(req.getQuery() ?? '').get('lang') ?? undefined;
  const lang = asked ? negotiateLocale({ activityLocale: asked }, supported, '') || undefined : undefined;
  return { ...(survey ? { survey } : {}), ...(lang ? { lang } : {}) };
}

/** The best supported language of an Accept-Language header, by q-value, or undefined when it names none. */
export function acceptedLanguage(header: string | undefined, supported: string[]): string | undefined {
  for (const tag of rankAcceptLanguage(header)) {
    const lng = negotiateLocale({ activityLocale: tag }, supported, '');
    if (lng) return lng;
  }
  return undefined;
}

/** The best supported language of an Accept-Language header, by q-value, or the default. */
export function fromAcceptLanguage(header: string | undefined, supported: string[], fallback: string): string {
  return acceptedLanguage(header, supported) ?? fallback;
}

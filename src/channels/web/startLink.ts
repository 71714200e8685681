import { Request } from 'restify';
import { negotiateLocale } from '../../bot/negotiateLocale';
import { rankAcceptLanguage } from '../../language/acceptLanguage';
import { OTHER, linkSource } from '../../survey/sources';
import { SURVEY_ID } from '../directline/tokens';

/** What a start link asks for: the survey, the language to offer first, and where the link was. */
export interface StartLink {
  survey?: string;
  lang?: string;
  src?: string;
}

/**
 * What a start link (`/s/<survey>?lang=so&src=nav-office-poster`) asks for: the survey (its id, as
 * the token will carry it; an id the registry does not hold reaches the default survey), the
 * language to offer first, and where the link was (`src`, checked for its shape only: the token
 * carries it, the bot settles it against the survey's declared sources; src/survey/sources.ts).
 * A repeated `src` is `other`.
 */
export function startLink(req: Request, supported: string[]): StartLink {
  const survey = typeof req.params?.survey === 'string' && SURVEY_ID.test(req.params.survey) ? req.params.survey : undefined;
  const query = new URLSearchParams(req.getQuery() ?? '');
  const asked = query.get('lang') ?? undefined;
  const lang = asked ? negotiateLocale({ activityLocale: asked }, supported, '') || undefined : undefined;
  const srcs = query.getAll('src');
  const src = srcs.length > 1 ? OTHER : linkSource(srcs[0]);
  return { ...(survey ? { survey } : {}), ...(lang ? { lang } : {}), ...(src ? { src } : {}) };
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

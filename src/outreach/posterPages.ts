import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { Messages } from '../language/messages';
import { ltrIsolate } from '../text/visualOrder';
import type { PosterPage } from './posterPdf';

/** What a poster set is of: which survey, in which languages, and where its link and SMS go. */
export interface PosterRequest {
  surveyId: string;
  languages: readonly string[];
  /** The bot's public address, without a trailing slash: the link is `<base>/s/<survey>?lang=…&src=…`. */
  baseUrl: string;
  /** Where the respondent found the link (a poster at one NAV office, say): the `src` of every link, a source the survey declares. */
  source: string;
  /** The SMS numbers that answer for the survey (`survey-bot survey sms-number`); the first is printed. */
  smsNumbers: readonly string[];
}

/** A request that cannot make posters, said so that the operator can mend it. */
export class PosterRequestError extends Error {
  override name = 'PosterRequestError';
}

/**
 * The poster's source: one the survey declares (src/survey/sources.ts), or the link would store
 * every response it brings as `other`. Unsaid, the survey's first declared poster source.
 */
export function posterSource(requested: string | undefined, declared: readonly string[]): string {
  const source = requested ?? declared.find((s) => s.endsWith('-poster'));
  if (source === undefined) throw new PosterRequestError(`Name the poster's source with --source: the survey declares ${declared.join(', ') || 'none'}.`);
  if (!declared.includes(source))
    throw new PosterRequestError(
      `The survey does not declare the source "${source}", so its responses would count as "other": use one of ${declared.join(', ') || '(none: add sources to the survey)'}.`,
    );
  return source;
}

/** A base URL as printed on a poster: http(s), no query or fragment, no trailing slash. */
export function posterBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PosterRequestError(`The base URL must be an address such as https://bolig.example.no, not "${text}".`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username || url.password)
    throw new PosterRequestError(`The base URL must be a plain http or https address such as https://bolig.example.no, not "${text}".`);
  return url.href.replace(/\/+$/, '');
}

/** The languages asked for ("so,ar,ti"), checked against those the survey version has texts in; duplicates dropped. */
export function posterLanguages(text: string | undefined, offered: readonly string[]): string[] {
  if (text === undefined) return [...offered];
  const asked = [...new Set(text.split(',').map((t) => t.trim()))].filter(Boolean);
  if (!asked.length) throw new PosterRequestError(`Name at least one language, such as --lang so,ar (the survey has ${offered.join(', ')}).`);
  const unknown = asked.filter((t) => !offered.includes(t));
  if (unknown.length) throw new PosterRequestError(`The survey has no texts in ${unknown.join(', ')}; it has ${offered.join(', ')}.`);
  return asked;
}

/** The start link a page prints and its QR code holds. */
export function posterLink(request: Pick<PosterRequest, 'baseUrl' | 'surveyId' | 'source'>, lang: string): string {
  const query = new URLSearchParams({ lang, src: request.source });
  return `${request.baseUrl}/s/${encodeURIComponent(request.surveyId)}?${query.toString()}`;
}

/** An E.164 number as people read it on a wall: "+47 59 44 00 00". */
function readableNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/**
 * Every page's words, in its language (locales/<tag>/bot.json `poster.*`, the survey's own title).
 * The SMS line says "send any message": a first SMS of any text starts the survey (there is no
 * start keyword; `opt_in` words only undo a STOP).
 */
export function posterPages(texts: Messages, request: PosterRequest): PosterPage[] {
  posterSource(request.source, texts.survey.sources ?? []);
  const number = request.smsNumbers[0];
  return request.languages.map((lang) => {
    const meta = texts.meta(lang);
    const { title, minutes } = texts.surveyVars(lang);
    const raw = (key: string, vars: Record<string, unknown> = {}) => texts.locales.i18n.t(key, { lng: lang, ...vars }) as string;
    return {
      lang,
      dir: meta.dir,
      script: meta.script,
      title,
      invitation: raw('bot:poster.invitation', { minutes })
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
      link: posterLink(request, lang),
      ...(number ? { sms: raw('bot:poster.sms', { number: ltrIsolate(readableNumber(number)) }) } : {}),
    };
  });
}

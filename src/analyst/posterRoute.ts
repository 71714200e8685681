import type { Request, Response } from 'restify';
import { Messages } from '../language/messages';
import { posterBaseUrl, posterPages, PosterRequestError, posterSource } from '../outreach/posterPages';
import { renderPostersApart } from '../outreach/posterThread';
import type { AnalystRole, AuditOutcome } from '../store/analystStore';
import type { Config } from '../config';
import type { Locales } from '../language/i18n';
import type { AnalystLanguage } from './analystLanguage';
import { AnalystService, SurveyChoiceError } from './analystService';

/** What the poster handler needs of a call (the analyst API's own, after authentication and the role check). */
export interface PosterCall {
  req: Request;
  res: Response;
  lng: AnalystLanguage;
  query: URLSearchParams;
  audit(outcome: AuditOutcome, filters?: Record<string, string>): Promise<void>;
}

/** How the analyst API registers a route: it authenticates, checks the role and audits around the handler. */
export type RouteRegistrar = (method: 'get', path: string, role: AnalystRole, handler: (call: PosterCall) => Promise<void>) => void;

/** What posters need of the analyst API's dependencies (src/analyst/analystApi.ts AnalystDeps has them). */
export interface PosterDeps {
  service: AnalystService;
  locales: Locales;
  config: Config;
}

const PARAMETERS = ['survey', 'lang', 'source'];

/** One poster PDF at a time: each takes a core for a moment, and the bot's turns need the other. */
let drawing = false;

/**
 * `GET /api/analyst/posters?survey=ID&lang=so,ar&source=TAG`: the posters of `survey-bot poster`
 * as a PDF, for admins (posters send the public to the survey, so they are an operator's act,
 * not an analyst's). The link's address is PUBLIC_URL, or where the admin reached the server.
 */
export function registerPosterRoute(route: RouteRegistrar, deps: PosterDeps): void {
  route('get', '/posters', 'admin', (c) => posters(c, deps));
}

async function posters(c: PosterCall, deps: PosterDeps): Promise<void> {
  const t = (key: string, vars: Record<string, unknown> = {}) => deps.locales.i18n.t(`analyst:api.${key}`, { lng: c.lng, ...vars }) as string;
  const refuse = async (error: string, key: string, vars: Record<string, unknown> = {}) => {
    await c.audit('bad_request');
    json(c.res, 400, { error, message: t(key, vars) });
  };
  for (const name of new Set(c.query.keys())) {
    if (!PARAMETERS.includes(name)) return refuse('unknown_parameter', 'unknown_parameter', { name: shown(name), allowed: PARAMETERS.join(', ') });
    if (c.query.getAll(name).length > 1) return refuse('repeated_parameter', 'repeated_parameter', { name: shown(name) });
  }
  const surveyId = c.query.get('survey') ?? undefined;
  let chosen;
  try {
    chosen = await deps.service.resolve({ survey: surveyId });
  } catch (err) {
    if (!(err instanceof SurveyChoiceError)) throw err;
    return refuse('unknown_survey', 'unknown_survey', { value: shown(surveyId ?? ''), allowed: err.known.join(', ') });
  }
  // A poster sends people to the version new conversations start on: there must be one.
  if (chosen.versions.find((v) => v.version === chosen.version)?.state !== 'published') return refuse('survey_closed', 'survey_closed', { survey: chosen.id });

  const ns = chosen.wording.ns;
  const offered = deps.locales.tags.filter((tag) => deps.locales.i18n.hasResourceBundle(tag, ns));
  const langText = c.query.get('lang');
  const languages = langText === null ? offered : [...new Set(langText.split(',').map((l) => l.trim()))].filter(Boolean);
  const wrong = languages.find((l) => !offered.includes(l));
  if (wrong !== undefined || !languages.length)
    return refuse('bad_parameter', 'bad_choice', { name: 'lang', allowed: offered.join(', '), value: shown(wrong ?? '') });
  const declared = chosen.definition.sources ?? [];
  let source: string;
  try {
    source = posterSource(c.query.get('source') ?? undefined, declared);
  } catch (err) {
    if (!(err instanceof PosterRequestError)) throw err;
    return refuse('bad_parameter', 'bad_source', { value: shown(c.query.get('source') ?? ''), allowed: declared.join(', ') });
  }

  let baseUrl: string;
  try {
    baseUrl = posterBaseUrl(deps.config.publicUrl ?? `${c.req.isSecure() ? 'https' : 'http'}://${c.req.header('host') ?? ''}`);
  } catch (err) {
    if (!(err instanceof PosterRequestError)) throw err;
    return refuse('bad_request', 'bad_request');
  }
  const smsNumbers = await deps.service.smsNumbersOf(chosen.id);
  const texts = new Messages(deps.locales, chosen.definition, deps.config.organisation, deps.config.defaultLocale, { ns, languages: offered });
  const pages = posterPages(texts, { surveyId: chosen.id, languages, baseUrl, source, smsNumbers });
  if (drawing) {
    await c.audit('error');
    c.res.setHeader('Retry-After', '5');
    return json(c.res, 503, { error: 'busy', message: t('busy') });
  }
  drawing = true;
  let pdf: Buffer;
  try {
    pdf = await renderPostersApart(pages, { title: texts.surveyVars(deps.config.defaultLocale).title });
  } finally {
    drawing = false;
  }
  await c.audit('ok', { survey: chosen.id, lang: languages.join(','), source });
  c.res.setHeader('Content-Type', 'application/pdf');
  c.res.setHeader('Content-Disposition', `attachment; filename="${chosen.id}-v${chosen.version}-posters.pdf"`);
  c.res.sendRaw(200, pdf);
}

function json(res: Response, status: number, body: unknown): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.sendRaw(status, JSON.stringify(body));
}

/** A value echoed in a message, cut short: it comes from the client. */
function shown(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

import fs from 'node:fs';
import path from 'node:path';
import { Request, Response, Server } from 'restify';
import { areasOf, dimensionsOf, topLevelOutcome } from '../analysis/analyze';
import { StaticFile } from '../channels/web/staticFile';
import { Config } from '../config';
import { Locales, textOr } from '../language/i18n';
import { Logger, safeError } from '../logger';
import { projectRoot } from '../paths';
import { SurveyVersionState } from '../store/registryStore';
import { SurveyDefinition } from '../survey/definition';
import { allOptions, funnelMilestones, questionsOf } from '../survey/walk';
import { ANALYST_LANGUAGES, analystLanguage } from './analystLanguage';
import type { AnalystService } from './analystService';
import { escapeHtml, fill, jsonForScript, setPageHeaders } from '../htmlTemplate';

/** The dashboard's own files; read from the project root so `src/` (tests) and `dist/` (built) serve the same. */
export const DASHBOARD_ASSETS_DIR = path.join(projectRoot, 'src', 'analyst', 'assets');
/** Chart.js from npm, served by the bot itself: no CDN, so the CSP can stay at script-src 'self'. */
export const CHART_BUNDLE = path.join(projectRoot, 'node_modules', 'chart.js', 'dist', 'chart.umd.js');

/**
 * `GET /analyst`: the analysts' dashboard, a page of its own that talks to the analyst API with
 * the session cookie. The page itself holds no data (it is the same for everyone, and is served
 * without a token); everything it shows comes from the API after login. Its texts come from
 * `locales/{nb,en}/analyst.json` (`dashboard`), both languages at once, so the language switch
 * needs no request. It carries the structure and labels of every registered survey (read from the
 * registry for each page), for the survey picker: the analysis, exports and codebook it asks for
 * are of the survey picked.
 *
 * Security: a strict Content-Security-Policy — scripts and styles from this origin only, no
 * inline code, no eval (Chart.js draws on canvas and sets styles through the DOM, which CSP
 * allows) — no caching of the page, no referrer, no framing.
 */
export function registerDashboard(server: Server, deps: { service: AnalystService; config: Config; locales: Locales; logger: Logger }): void {
  const template = fs.readFileSync(path.join(DASHBOARD_ASSETS_DIR, 'dashboard.html'), 'utf8');
  const files = {
    chart: new StaticFile(CHART_BUNDLE, 'application/javascript; charset=utf-8'),
    js: new StaticFile(path.join(DASHBOARD_ASSETS_DIR, 'dashboard.js'), 'application/javascript; charset=utf-8'),
    css: new StaticFile(path.join(DASHBOARD_ASSETS_DIR, 'dashboard.css'), 'text/css; charset=utf-8'),
  };
  const t = (lng: string, key: string) => deps.locales.i18n.t(`analyst:dashboard.${key}`, { lng }) as string;

  server.get('/analyst', async (req: Request, res: Response) => {
    const lng = analystLanguage(req.header('accept-language'), deps.config.defaultLocale);
    let config: string;
    try {
      config = jsonForScript(await dashboardConfigOf(deps.service, deps.locales));
    } catch (err) {
      // The registry cannot be read (the database is unreachable): the page would have no surveys.
      deps.logger.warn({ event: 'analyst_dashboard_unavailable', error: safeError(err) }, 'dashboard page not served');
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Retry-After', '5');
      res.sendRaw(503, deps.locales.i18n.t('analyst:api.unavailable', { lng }) as string);
      return;
    }
    const html = fill(template, {
      lang: lng,
      title: escapeHtml(t(lng, 'title')),
      noscript: escapeHtml(t(lng, 'noscript')),
      config,
      chartHash: files.chart.hash,
      jsHash: files.js.hash,
      cssHash: files.css.hash,
    });
    sendDashboardPage(res, html);
  });
  server.get('/analyst/assets/chart.js', async (req: Request, res: Response) => files.chart.send(req, res));
  server.get('/analyst/assets/dashboard.js', async (req: Request, res: Response) => files.js.send(req, res));
  server.get('/analyst/assets/dashboard.css', async (req: Request, res: Response) => files.css.send(req, res));
}

/** An analyst page: no caching, no referrer, no framing, and the strict CSP below. */
export function sendDashboardPage(res: Response, html: string): void {
  setPageHeaders(res, DASHBOARD_CSP);
  res.setHeader('X-Frame-Options', 'DENY');
  res.sendRaw(200, html);
}

/**
 * Nothing but this origin, and no inline script or style at all: the page's only inline element is
 * a JSON data block, which is not executed. Downloads are made from `blob:` URLs, which CSP does
 * not govern (they are navigations, not loads).
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** One survey as the dashboard shows it: the version analysts get by default, and where its texts are. */
export interface DashboardSurvey {
  definition: SurveyDefinition;
  /** The i18next namespace of the version's texts (src/language/surveyWording.ts). */
  ns: string;
  versions: { version: number; state: SurveyVersionState }[];
}

/** Every registered survey, each at the version a request naming no version gets (src/analyst/analystService.ts). */
export async function dashboardConfigOf(service: AnalystService, locales: Locales): Promise<ReturnType<typeof dashboardConfig>> {
  const surveys: DashboardSurvey[] = [];
  for (const listed of await service.listSurveys()) {
    const chosen = await service.resolve({ survey: listed.id });
    surveys.push({ definition: chosen.definition, ns: chosen.wording.ns, versions: listed.versions });
  }
  return dashboardConfig(surveys, service.defaultSurvey, locales);
}

/** One survey's structure and every label, in nb and en: what the page needs once the survey is picked. */
export function surveyConfig(s: DashboardSurvey, locales: Locales) {
  const survey = s.definition;
  const spec = survey.analysis;
  const options = allOptions(survey);
  const questions = questionsOf(survey).map((x) => x.question.id);
  const label = (lng: string, key: string, fallback: string) => textOr(locales, key, lng, fallback, { area: '…' });
  const labels = Object.fromEntries(
    ANALYST_LANGUAGES.map((lng) => [
      lng,
      {
        options: Object.fromEntries(options.map((o) => [o, label(lng, `${s.ns}:options.${o}.label`, o)])),
        questions: Object.fromEntries(questions.map((q) => [q, label(lng, `${s.ns}:questions.${q}.text`, q)])),
      },
    ]),
  );
  return {
    id: survey.id,
    version: survey.version,
    versions: s.versions,
    title: Object.fromEntries(ANALYST_LANGUAGES.map((lng) => [lng, label(lng, `${s.ns}:title`, survey.id)])),
    dimensions: dimensionsOf(survey),
    /** The question each dimension comes from (null for a field of the response), for a dimension the dashboard has no word of its own for. */
    dimensionQuestions: Object.fromEntries((spec?.dimensions ?? []).map((d) => [d.id, 'question' in d.from ? d.from.question : null])),
    areas: areasOf(survey),
    /** The outcome is one top-level question: one table, named by the question, and no help areas. */
    topLevelOutcome: topLevelOutcome(survey),
    outcome: spec ? { question: spec.outcome.question, success: spec.outcome.success } : undefined,
    barriers: (spec?.barriers ?? []).map((b) => ({
      question: b.question,
      kind: b.kind,
      ...(b.kind === 'share' ? { positive: b.positive } : {}),
      ...(b.kind === 'scale' ? { low: b.low } : {}),
    })),
    milestones: funnelMilestones(survey),
    labels,
  };
}

/**
 * What the page script needs: every survey for the picker (`surveys`, the default one chosen
 * first), the default survey's structure at the top level as well, and the dashboard's own texts,
 * in nb and en.
 */
export function dashboardConfig(surveys: readonly DashboardSurvey[], defaultSurvey: string, locales: Locales) {
  const all = surveys.map((s) => surveyConfig(s, locales));
  const first = all.find((s) => s.id === defaultSurvey) ?? all[0];
  return {
    api: '/api/analyst',
    defaultSurvey: first?.id ?? defaultSurvey,
    surveys: all,
    survey: first ? { id: first.id, version: first.version } : undefined,
    dimensions: first?.dimensions ?? [],
    areas: first?.areas ?? [],
    outcome: first?.outcome,
    barriers: first?.barriers ?? [],
    milestones: first?.milestones ?? [],
    languages: locales.list.map((l) => ({ tag: l.tag, endonym: l.endonym })),
    channels: ['web', 'sms'],
    texts: Object.fromEntries(ANALYST_LANGUAGES.map((lng) => [lng, locales.i18n.getResource(lng, 'analyst', 'dashboard') as unknown])),
    labels: first?.labels ?? {},
  };
}

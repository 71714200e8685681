import fs from 'node:fs';
import path from 'node:path';
import { Request, Response, Server } from 'restify';
import { areasOf, dimensionsOf } from '../analysis/analyze';
import { StaticFile } from '../channels/web/staticFile';
import { Config } from '../config';
import { Locales, textOr } from '../language/i18n';
import { projectRoot } from '../paths';
import { SurveyDefinition } from '../survey/definition';
import { allOptions, funnelMilestones, questionsOf } from '../survey/walk';
import { ANALYST_LANGUAGES, analystLanguage } from './analystLanguage';
import type { AnalystService } from './analystService';
import { escapeHtml, fill, jsonForScript } from '../htmlTemplate';

/** The dashboard's own files; read from the project root so `src/` (tests) and `dist/` (built) serve the same. */
export const DASHBOARD_ASSETS_DIR = path.join(projectRoot, 'src', 'analyst', 'assets');
/** Chart.js from npm, served by the bot itself: no CDN, so the CSP can stay at script-src 'self'. */
export const CHART_BUNDLE = path.join(projectRoot, 'node_modules', 'chart.js', 'dist', 'chart.umd.js');

/**
 * `GET /analyst`: the analysts' dashboard, a page of its own that talks to the analyst API with
 * the session cookie. The page itself holds no data (it is the same for everyone, and is served
 * without a token); everything it shows comes from the API after login. Its texts come from
 * `locales/{nb,en}/analyst.json` (`dashboard`), both languages at once, so the language switch
 * needs no request.
 *
 * Security: a strict Content-Security-Policy — scripts and styles from this origin only, no
 * inline code, no eval (Chart.js draws on canvas and sets styles through the DOM, which CSP
 * allows) — no caching of the page, no referrer, no framing.
 */
export function registerDashboard(server: Server, deps: { service: AnalystService; config: Config; locales: Locales }): void {
  const template = fs.readFileSync(path.join(DASHBOARD_ASSETS_DIR, 'dashboard.html'), 'utf8');
  const files = {
    chart: new StaticFile(CHART_BUNDLE, 'application/javascript; charset=utf-8'),
    js: new StaticFile(path.join(DASHBOARD_ASSETS_DIR, 'dashboard.js'), 'application/javascript; charset=utf-8'),
    css: new StaticFile(path.join(DASHBOARD_ASSETS_DIR, 'dashboard.css'), 'text/css; charset=utf-8'),
  };
  const config = jsonForScript(dashboardConfig(deps.service.survey, deps.locales));
  const t = (lng: string, key: string) => deps.locales.i18n.t(`analyst:dashboard.${key}`, { lng }) as string;

  server.get('/analyst', async (req: Request, res: Response) => {
    const lng = analystLanguage(req.header('accept-language'), deps.config.defaultLocale);
    const html = fill(template, {
      lang: lng,
      title: escapeHtml(t(lng, 'title')),
      noscript: escapeHtml(t(lng, 'noscript')),
      config,
      chartHash: files.chart.hash,
      jsHash: files.js.hash,
      cssHash: files.css.hash,
    });
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    res.sendRaw(200, html);
  });
  server.get('/analyst/assets/chart.js', async (req: Request, res: Response) => files.chart.send(req, res));
  server.get('/analyst/assets/dashboard.js', async (req: Request, res: Response) => files.js.send(req, res));
  server.get('/analyst/assets/dashboard.css', async (req: Request, res: Response) => files.css.send(req, res));
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

/** What the page script needs: the survey's structure and every label, in nb and en. */
export function dashboardConfig(survey: SurveyDefinition, locales: Locales) {
  const spec = survey.analysis;
  const options = allOptions(survey);
  const questions = questionsOf(survey).map((s) => s.question.id);
  const milestones = funnelMilestones(survey);
  const label = (lng: string, key: string, fallback: string) => textOr(locales, key, lng, fallback, { area: '…' });
  const labels = Object.fromEntries(
    ANALYST_LANGUAGES.map((lng) => [
      lng,
      {
        options: Object.fromEntries(options.map((o) => [o, label(lng, `${survey.id}:options.${o}.label`, o)])),
        questions: Object.fromEntries(questions.map((q) => [q, label(lng, `${survey.id}:questions.${q}.text`, q)])),
      },
    ]),
  );
  return {
    api: '/api/analyst',
    survey: { id: survey.id, version: survey.version },
    dimensions: dimensionsOf(survey),
    areas: areasOf(survey),
    outcome: spec ? { question: spec.outcome.question, success: spec.outcome.success } : undefined,
    barriers: (spec?.barriers ?? []).map((b) => ({
      question: b.question,
      kind: b.kind,
      ...(b.kind === 'share' ? { positive: b.positive } : {}),
      ...(b.kind === 'scale' ? { low: b.low } : {}),
    })),
    milestones,
    languages: locales.list.map((l) => ({ tag: l.tag, endonym: l.endonym })),
    channels: ['web', 'sms'],
    texts: Object.fromEntries(ANALYST_LANGUAGES.map((lng) => [lng, locales.i18n.getResource(lng, 'analyst', 'dashboard') as unknown])),
    labels,
  };
}

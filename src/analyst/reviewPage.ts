import fs from 'node:fs';
import path from 'node:path';
import { Request, Response, Server } from 'restify';
import { StaticFile } from '../channels/web/staticFile';
import { Config } from '../config';
import { Locales } from '../language/i18n';
import { escapeHtml, fill, jsonForScript } from '../htmlTemplate';
import { ANALYST_API } from './analystDeps';
import { analystLanguage } from './analystLanguage';
import { DASHBOARD_ASSETS_DIR, sendDashboardPage } from './dashboard';

/**
 * `GET /analyst/review`: the free-text review page for reviewers (src/analyst/routes/reviewRoutes.ts
 * is its API). Like the dashboard, the page holds no data and is served without a token; it uses
 * the dashboard's session. Its texts are `analyst:review` in the reader's language.
 */
export function registerReviewPage(server: Server, deps: { config: Config; locales: Locales }): void {
  const template = fs.readFileSync(path.join(DASHBOARD_ASSETS_DIR, 'review.html'), 'utf8');
  const files = {
    js: new StaticFile(path.join(DASHBOARD_ASSETS_DIR, 'review.js'), 'application/javascript; charset=utf-8'),
    css: new StaticFile(path.join(DASHBOARD_ASSETS_DIR, 'review.css'), 'text/css; charset=utf-8'),
    dashboardCss: new StaticFile(path.join(DASHBOARD_ASSETS_DIR, 'dashboard.css'), 'text/css; charset=utf-8'),
  };
  server.get('/analyst/review', async (req: Request, res: Response) => {
    const lang = analystLanguage(req.header('accept-language'), deps.config.defaultLocale);
    const strings = deps.locales.i18n.getResource(lang, 'analyst', 'review') as Record<string, unknown>;
    const t = (key: string) => deps.locales.i18n.t(`analyst:review.${key}`, { lng: lang }) as string;
    sendDashboardPage(
      res,
      fill(template, {
        lang,
        title: escapeHtml(t('title')),
        noscript: escapeHtml(t('noscript')),
        config: jsonForScript({ api: ANALYST_API, lang, strings }),
        jsHash: files.js.hash,
        cssHash: files.dashboardCss.hash,
        reviewCssHash: files.css.hash,
      }),
    );
  });
  server.get('/analyst/assets/review.js', async (req: Request, res: Response) => files.js.send(req, res));
  server.get('/analyst/assets/review.css', async (req: Request, res: Response) => files.css.send(req, res));
}

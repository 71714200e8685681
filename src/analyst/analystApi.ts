import { Server } from 'restify';
import { safeError } from '../logger';
import { AnalystDeps } from './analystDeps';
import { FailedLoginLimiter, TokenVerifier } from './auth';
import { registerDashboard } from './dashboard';
import { registerAdminRoutes } from './routes/adminRoutes';
import { registerAnalysisRoutes } from './routes/analysisRoutes';
import { RouteContext } from './routes/call';
import { chosenSurvey } from './routes/chosenSurvey';
import { registerExportRoutes } from './routes/exportRoutes';
import { HeavyWork } from './routes/heavyWork';
import { RouteGuard } from './routes/routeGuard';
import { registerSessionRoutes } from './routes/sessionRoutes';
import { registerPosterRoute } from './posterRoute';
import { registerReviewPage } from './reviewPage';
import { registerReviewRoutes } from './routes/reviewRoutes';
import { registerSurveyRoutes } from './routes/surveyRoutes';

export { ANALYST_API } from './analystDeps';
export type { AnalystDeps } from './analystDeps';

/**
 * The analyst web access: the HTTP API under /api/analyst/ (one file per route group under
 * src/analyst/routes/, each behind the same guard) and the dashboard at /analyst. One call from
 * start-up. The analyst store is closed when the server closes.
 */
export function registerAnalyst(server: Server, deps: AnalystDeps): void {
  const heavy = new HeavyWork(deps.limits?.heavyRequests ?? 2);
  const ctx: RouteContext = {
    deps,
    verifier: new TokenVerifier(deps.analysts),
    now: deps.now ?? (() => new Date()),
    t: (lng, key, vars = {}) => deps.locales.i18n.t(`analyst:api.${key}`, { lng, ...vars }) as string,
    secureCookie: () => deps.config.publicUrl?.startsWith('https:') ?? false,
    heavyWork: (work) => heavy.run(work),
    chosenSurvey: (q) => chosenSurvey(deps.service, q),
  };
  const guard = new RouteGuard(
    ctx,
    new FailedLoginLimiter({
      points: deps.limits?.failedLogins,
      durationSeconds: deps.limits?.failedLoginWindowSeconds,
      blockSeconds: deps.limits?.blockSeconds,
    }),
  );
  const route = guard.routeOn(server);
  registerSessionRoutes(route, ctx);
  registerAnalysisRoutes(route, ctx);
  registerExportRoutes(route, ctx);
  registerSurveyRoutes(route, ctx);
  registerAdminRoutes(route, ctx);
  registerReviewRoutes(route, ctx);
  registerPosterRoute(route, deps);
  guard.answerRestifyErrors(server);
  registerDashboard(server, deps);
  registerReviewPage(server, deps);
  server.on('close', () => {
    deps.analysts
      .close()
      .catch((err: unknown) => deps.logger.warn({ event: 'analyst_store_close_failed', error: safeError(err) }, 'analyst store did not close'));
  });
}

import { Request, Response, Server } from 'restify';
import { clientAddress, clientKey } from '../../clientAddress';
import { safeError } from '../../logger';
import { AnalystRole, AuditOutcome } from '../../store/analystStore';
import { isDatabaseUnavailable } from '../../store/errors';
import { ANALYST_API } from '../analystDeps';
import { AnalystLanguage, analystLanguage } from '../analystLanguage';
import { AnalystIdentity, credentialsOf, FailedLoginLimiter, hasRole, hourOf, sessionCookie } from '../auth';
import { Call, Route, RouteContext, json } from './call';
import { parametersOf } from './parameters';
import { Refusal } from './refusal';

/**
 * What stands around every analyst route: authentication, the failed-login limit, the CSRF check
 * for cookies, the role, the audit row and the answer to every error, in the API's shape and in
 * the analyst's language.
 */
export class RouteGuard {
  constructor(
    private readonly ctx: RouteContext,
    private readonly limiter: FailedLoginLimiter,
  ) {}

  /** A {@link Route} that registers on `server` behind this guard. */
  routeOn(server: Server): Route {
    return (method, path, role, handler) => {
      // The route as written, "DELETE /api/analyst/tokens/:name": a token's name goes to the filters.
      const action = `${method === 'del' ? 'DELETE' : method.toUpperCase()} ${ANALYST_API}${path}`;
      server[method](`${ANALYST_API}${path}`, async (req: Request, res: Response) => this.handle(req, res, action, role, handler));
    };
  }

  /**
   * restify's own errors (unknown route, wrong method, a body it cannot parse) carry its internal
   * wording, a parser's message can quote the body; under the analyst paths they get the API's
   * shape and words instead.
   */
  answerRestifyErrors(server: Server): void {
    server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number; toJSON?: () => unknown }, callback: () => void) => {
      if (req.path().startsWith(ANALYST_API)) {
        const status = err.statusCode ?? 500;
        const lng = this.language(req);
        const key = status === 404 || status === 405 ? 'not_found' : status < 500 ? 'bad_request' : 'internal';
        err.toJSON = () => ({ error: key, message: this.ctx.t(lng, key) });
      }
      callback();
    });
  }

  private language(req: Request): AnalystLanguage {
    return analystLanguage(req.header('accept-language'), this.ctx.deps.config.defaultLocale);
  }

  private async handle(req: Request, res: Response, action: string, role: AnalystRole, handler: (call: Call) => Promise<void>): Promise<void> {
    const { deps, t } = this.ctx;
    const lng = this.language(req);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const address = clientKey(clientAddress(req, deps.config.trustProxy));
    let audited = false;
    let identity: AnalystIdentity | undefined;
    const query = new URL(req.url ?? '/', 'http://analyst.invalid').searchParams;
    const requested = parametersOf(query);
    const audit = async (tokenName: string, outcome: AuditOutcome, filters: Record<string, string> = requested) => {
      if (audited) return;
      audited = true;
      await deps.analysts.appendAudit({ hour: hourOf(this.ctx.now()), tokenName, action, filters, outcome });
    };
    try {
      const wait = await this.limiter.retryAfter(address);
      if (wait > 0) {
        deps.logger.warn({ event: 'analyst_rate_limited' }, 'failed logins over the limit');
        res.setHeader('Retry-After', String(wait));
        return json(res, 429, { error: 'rate_limited', message: t(lng, 'rate_limited', { seconds: wait }) });
      }
      const credentials = credentialsOf({ authorization: req.header('authorization'), cookie: req.header('cookie') });
      if (!credentials) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="analyst"');
        return json(res, 401, { error: 'unauthorized', message: t(lng, 'unauthorized') });
      }
      const verified = await this.ctx.verifier.verify(credentials.token);
      if (!verified.ok) {
        await this.limiter.fail(address);
        deps.logger.warn({ event: 'analyst_auth_failed', reason: verified.reason, via: credentials.via }, 'analyst token refused');
        if (verified.tokenName) await audit(verified.tokenName, 'denied', {});
        // A cookie that no longer works is removed, so the dashboard shows its login again.
        if (credentials.via === 'cookie') res.setHeader('Set-Cookie', sessionCookie('', this.ctx.secureCookie()));
        res.setHeader('WWW-Authenticate', 'Bearer realm="analyst", error="invalid_token"');
        return json(res, 401, { error: 'invalid_token', message: t(lng, 'invalid_token') });
      }
      identity = verified.identity;
      const who = identity;
      if (credentials.via === 'cookie' && !['GET', 'HEAD'].includes(req.method ?? 'GET') && !this.sameOrigin(req)) {
        await audit(who.name, 'forbidden');
        return json(res, 403, { error: 'cross_origin', message: t(lng, 'cross_origin') });
      }
      if (!hasRole(who, role)) {
        await audit(who.name, 'forbidden');
        return json(res, 403, { error: 'forbidden', message: t(lng, 'forbidden_role', { role, have: who.role }) });
      }
      await handler({ req, res, identity: who, lng, query, audit: (outcome, filters) => audit(who.name, outcome, filters) });
    } catch (err) {
      if (err instanceof Refusal) {
        if (identity)
          await audit(identity.name, err.outcome, err.filters).catch((e: unknown) =>
            deps.logger.error({ event: 'analyst_audit_failed', error: safeError(e) }, 'audit not written'),
          );
        if (err.outcome === 'refused') deps.logger.info({ event: 'analyst_export_refused', reason: err.code }, 'filtered export refused');
        if (err.status === 503) res.setHeader('Retry-After', '5');
        return json(res, err.status, { error: err.code, message: t(lng, err.key, err.vars) });
      }
      if (isDatabaseUnavailable(err) && !res.headersSent) {
        // Nothing can be audited either; the analyst is told to try again, as respondents are.
        deps.logger.warn({ event: 'analyst_database_unavailable', action, error: safeError(err) }, 'database unavailable for an analyst request');
        res.setHeader('Retry-After', '5');
        return json(res, 503, { error: 'unavailable', message: t(lng, 'unavailable') });
      }
      deps.logger.error({ event: 'analyst_request_failed', action, error: safeError(err) }, 'analyst request failed');
      if (identity && !audited) await audit(identity.name, 'error').catch(() => undefined);
      if (!res.headersSent) return json(res, 500, { error: 'internal', message: t(lng, 'internal') });
      // Part of a file was sent: cut the connection, so the download fails instead of looking complete.
      res.destroy();
    }
  }

  /**
   * CSRF defence for requests a cookie authenticates, beside SameSite=Strict: the browser's
   * Origin header must be this server's own (the public URL's origin when configured, else the
   * Host the request was sent to).
   */
  private sameOrigin(req: Request): boolean {
    const origin = req.header('origin');
    if (!origin) return false;
    try {
      const from = new URL(origin);
      const publicUrl = this.ctx.deps.config.publicUrl;
      if (publicUrl) return from.origin === new URL(publicUrl).origin;
      return from.host === req.header('host');
    } catch {
      return false;
    }
  }
}

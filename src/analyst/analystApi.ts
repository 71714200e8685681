import { Writable } from 'node:stream';
import { Request, Response, Server } from 'restify';
import { AnalysisRequestError, areasOf, dimensionsOf, topLevelOutcome } from '../analysis/analyze';
import { Config } from '../config';
import { ExportFormat, ExportRequest } from '../export/exportService';
import { Locales } from '../language/i18n';
import { Logger, safeError } from '../logger';
import { AnalystNameTakenError, AnalystRole, AnalystStore, AnalystTokenInfo, AuditOutcome, StoredAuditEntry } from '../store/analystStore';
import { AnalystLanguage, analystLanguage } from './analystLanguage';
import { AnalystService, ChosenSurvey, SurveyChoiceError } from './analystService';
import { AnalystIdentity, credentialsOf, FailedLoginLimiter, hasRole, hourOf, issueToken, sessionCookie, TokenRequestError, TokenVerifier } from './auth';
import { registerDashboard } from './dashboard';
import { registerPosterRoute } from './posterRoute';
import { FilterName, SelectionProblem } from './differencing';
import { isDatabaseUnavailable } from '../store/errors';
import { clientAddress, clientKey } from '../clientAddress';

/** Everything the analyst web access needs; built once in src/index.ts. */
export interface AnalystDeps {
  /** Constructed with minK = config.analystMinK: no request can ask for a smaller k. */
  service: AnalystService;
  analysts: AnalystStore;
  config: Config;
  logger: Logger;
  locales: Locales;
  /** For tests: the clock (audit hours), and the failed-login limits. */
  now?: () => Date;
  limits?: { failedLogins?: number; failedLoginWindowSeconds?: number; blockSeconds?: number; heavyRequests?: number };
}

/** The API's base path; the session cookie is scoped to it. */
export const ANALYST_API = '/api/analyst';

/**
 * The analyst web access: the HTTP API under /api/analyst/ and the dashboard at /analyst. One
 * call from start-up. The analyst store is closed when the server closes.
 */
export function registerAnalyst(server: Server, deps: AnalystDeps): void {
  new AnalystApi(deps).register(server);
  registerDashboard(server, deps);
  server.on('close', () => {
    deps.analysts
      .close()
      .catch((err: unknown) => deps.logger.warn({ event: 'analyst_store_close_failed', error: safeError(err) }, 'analyst store did not close'));
  });
}

/** What a handler gets: the verified caller, the request's language and its parameters. */
interface Call {
  req: Request;
  res: Response;
  identity: AnalystIdentity;
  lng: AnalystLanguage;
  query: URLSearchParams;
  /** Written once per request, before any data leaves. Parameters as the analyst sent them. */
  audit(outcome: AuditOutcome, filters?: Record<string, string>): Promise<void>;
}

/** A refusal a handler can throw: status, machine-readable code, and the text (analyst:api.<key>). */
class Refusal extends Error {
  override name = 'Refusal';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: string,
    readonly vars: Record<string, unknown> = {},
    readonly outcome: AuditOutcome = 'bad_request',
    /** What the audit log records of the request, when not its query parameters. */
    readonly filters?: Record<string, string>,
  ) {
    super(code);
  }
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

const ISO_WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;
/** Channel kinds as the bot stores them ("web", "sms", "emulator", …). */
const CHANNEL = /^[a-z][a-z0-9_-]{0,31}$/;

/** The parameters each route takes. Anything else is refused, so a typo is not silently ignored. */
const PARAMETERS = {
  analysis: ['survey', 'version', 'by', 'area'],
  export: ['survey', 'format', 'labels', 'from', 'to', 'language', 'channel', 'status', 'version', 'bom', 'codebook_language'],
  codebook: ['survey', 'version', 'format', 'lang', 'history'],
  audit: ['limit', 'before'],
  none: [],
} as const;

class AnalystApi {
  private readonly verifier: TokenVerifier;
  private readonly limiter: FailedLoginLimiter;
  private readonly now: () => Date;
  private heavy = 0;

  constructor(private readonly deps: AnalystDeps) {
    this.verifier = new TokenVerifier(deps.analysts);
    this.limiter = new FailedLoginLimiter({
      points: deps.limits?.failedLogins,
      durationSeconds: deps.limits?.failedLoginWindowSeconds,
      blockSeconds: deps.limits?.blockSeconds,
    });
    this.now = deps.now ?? (() => new Date());
  }

  register(server: Server): void {
    const route = (method: 'get' | 'post' | 'del', path: string, role: AnalystRole, handler: (call: Call) => Promise<void>) => {
      // The route as written, "DELETE /api/analyst/tokens/:name": a token's name goes to the filters.
      const action = `${method === 'del' ? 'DELETE' : method.toUpperCase()} ${ANALYST_API}${path}`;
      server[method](`${ANALYST_API}${path}`, async (req: Request, res: Response) => this.handle(req, res, action, role, handler));
    };
    route('post', '/session', 'analyst', (c) => this.login(c));
    route('get', '/session', 'analyst', (c) => this.whoami(c));
    route('del', '/session', 'analyst', (c) => this.logout(c));
    route('get', '/analysis', 'analyst', (c) => this.analysis(c));
    route('get', '/export', 'analyst', (c) => this.export(c));
    route('get', '/codebook', 'analyst', (c) => this.codebook(c));
    route('get', '/surveys', 'analyst', (c) => this.listSurveys(c));
    route('get', '/tokens', 'admin', (c) => this.listTokens(c));
    route('post', '/tokens', 'admin', (c) => this.addToken(c));
    route('del', '/tokens/:name', 'admin', (c) => this.revokeToken(c));
    route('get', '/audit', 'admin', (c) => this.readAudit(c));
    registerPosterRoute(route, this.deps);

    // restify's own errors (unknown route, wrong method, a body it cannot parse) carry its
    // internal wording, a parser's message can quote the body; under the analyst paths they get
    // the API's shape and words instead.
    server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number; toJSON?: () => unknown }, callback: () => void) => {
      if (req.path().startsWith(ANALYST_API)) {
        const status = err.statusCode ?? 500;
        const lng = this.language(req);
        const key = status === 404 || status === 405 ? 'not_found' : status < 500 ? 'bad_request' : 'internal';
        err.toJSON = () => ({ error: key, message: this.t(lng, key) });
      }
      callback();
    });
  }

  private t(lng: string, key: string, vars: Record<string, unknown> = {}): string {
    return this.deps.locales.i18n.t(`analyst:api.${key}`, { lng, ...vars }) as string;
  }

  private language(req: Request): AnalystLanguage {
    return analystLanguage(req.header('accept-language'), this.deps.config.defaultLocale);
  }

  /** Authentication, rate limiting, CSRF, role, audit and error handling around every route. */
  private async handle(req: Request, res: Response, action: string, role: AnalystRole, handler: (call: Call) => Promise<void>): Promise<void> {
    const lng = this.language(req);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const address = clientKey(clientAddress(req, this.deps.config.trustProxy));
    let audited = false;
    let identity: AnalystIdentity | undefined;
    const query = new URL(req.url ?? '/', 'http://analyst.invalid').searchParams;
    const requested = parametersOf(query);
    const audit = async (tokenName: string, outcome: AuditOutcome, filters: Record<string, string> = requested) => {
      if (audited) return;
      audited = true;
      await this.deps.analysts.appendAudit({ hour: hourOf(this.now()), tokenName, action, filters, outcome });
    };
    try {
      const wait = await this.limiter.retryAfter(address);
      if (wait > 0) {
        this.deps.logger.warn({ event: 'analyst_rate_limited' }, 'failed logins over the limit');
        res.setHeader('Retry-After', String(wait));
        return json(res, 429, { error: 'rate_limited', message: this.t(lng, 'rate_limited', { seconds: wait }) });
      }
      const credentials = credentialsOf({ authorization: req.header('authorization'), cookie: req.header('cookie') });
      if (!credentials) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="analyst"');
        return json(res, 401, { error: 'unauthorized', message: this.t(lng, 'unauthorized') });
      }
      const verified = await this.verifier.verify(credentials.token);
      if (!verified.ok) {
        await this.limiter.fail(address);
        this.deps.logger.warn({ event: 'analyst_auth_failed', reason: verified.reason, via: credentials.via }, 'analyst token refused');
        if (verified.tokenName) await audit(verified.tokenName, 'denied', {});
        // A cookie that no longer works is removed, so the dashboard shows its login again.
        if (credentials.via === 'cookie') res.setHeader('Set-Cookie', sessionCookie('', this.secureCookie()));
        res.setHeader('WWW-Authenticate', 'Bearer realm="analyst", error="invalid_token"');
        return json(res, 401, { error: 'invalid_token', message: this.t(lng, 'invalid_token') });
      }
      identity = verified.identity;
      const who = identity;
      if (credentials.via === 'cookie' && !['GET', 'HEAD'].includes(req.method ?? 'GET') && !this.sameOrigin(req)) {
        await audit(who.name, 'forbidden');
        return json(res, 403, { error: 'cross_origin', message: this.t(lng, 'cross_origin') });
      }
      if (!hasRole(who, role)) {
        await audit(who.name, 'forbidden');
        return json(res, 403, { error: 'forbidden', message: this.t(lng, 'forbidden_role', { role, have: who.role }) });
      }
      await handler({ req, res, identity: who, lng, query, audit: (outcome, filters) => audit(who.name, outcome, filters) });
    } catch (err) {
      if (err instanceof Refusal) {
        if (identity)
          await audit(identity.name, err.outcome, err.filters).catch((e: unknown) =>
            this.deps.logger.error({ event: 'analyst_audit_failed', error: safeError(e) }, 'audit not written'),
          );
        if (err.outcome === 'refused') this.deps.logger.info({ event: 'analyst_export_refused', reason: err.code }, 'filtered export refused');
        if (err.status === 503) res.setHeader('Retry-After', '5');
        return json(res, err.status, { error: err.code, message: this.t(lng, err.key, err.vars) });
      }
      if (isDatabaseUnavailable(err) && !res.headersSent) {
        // Nothing can be audited either; the analyst is told to try again, as respondents are.
        this.deps.logger.warn({ event: 'analyst_database_unavailable', action, error: safeError(err) }, 'database unavailable for an analyst request');
        res.setHeader('Retry-After', '5');
        return json(res, 503, { error: 'unavailable', message: this.t(lng, 'unavailable') });
      }
      this.deps.logger.error({ event: 'analyst_request_failed', action, error: safeError(err) }, 'analyst request failed');
      if (identity && !audited) await audit(identity.name, 'error').catch(() => undefined);
      if (!res.headersSent) return json(res, 500, { error: 'internal', message: this.t(lng, 'internal') });
      // Part of a file was sent: cut the connection, so the download fails instead of looking complete.
      res.destroy();
    }
  }

  /** Cookies are Secure when the public URL is https (behind a TLS proxy the bot sees plain HTTP). */
  private secureCookie(): boolean {
    return this.deps.config.publicUrl?.startsWith('https:') ?? false;
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
      if (this.deps.config.publicUrl) return from.origin === new URL(this.deps.config.publicUrl).origin;
      return from.host === req.header('host');
    } catch {
      return false;
    }
  }

  // --- session (the dashboard's login) ---

  private async login(c: Call): Promise<void> {
    expectParameters(c.query, PARAMETERS.none);
    const credentials = credentialsOf({ authorization: c.req.header('authorization'), cookie: c.req.header('cookie') })!;
    await c.audit('ok');
    c.res.setHeader('Set-Cookie', sessionCookie(credentials.token, this.secureCookie()));
    json(c.res, 200, { name: c.identity.name, role: c.identity.role });
  }

  private async whoami(c: Call): Promise<void> {
    expectParameters(c.query, PARAMETERS.none);
    await c.audit('ok');
    json(c.res, 200, { name: c.identity.name, role: c.identity.role });
  }

  private async logout(c: Call): Promise<void> {
    expectParameters(c.query, PARAMETERS.none);
    await c.audit('ok');
    c.res.setHeader('Set-Cookie', sessionCookie('', this.secureCookie()));
    c.res.sendRaw(204, '');
  }

  // --- the analyst service ---

  /**
   * The survey version a request names (`survey`, `version`), checked against the registry: the
   * default survey's newest published version when it names none.
   */
  private async chosenSurvey(q: URLSearchParams): Promise<ChosenSurvey> {
    const survey = q.get('survey') ?? undefined;
    const versionText = q.get('version') ?? undefined;
    if (versionText !== undefined && !/^[1-9]\d{0,5}$/.test(versionText)) throw new Refusal(400, 'bad_parameter', 'bad_version', { value: shown(versionText) });
    try {
      return await this.deps.service.resolve({ survey, version: versionText === undefined ? undefined : Number(versionText) });
    } catch (err) {
      if (!(err instanceof SurveyChoiceError)) throw err;
      if (err.reason === 'unknown_survey')
        throw new Refusal(400, 'unknown_survey', 'unknown_survey', { value: shown(survey ?? ''), allowed: err.known.join(', ') });
      throw new Refusal(400, 'unknown_version', 'unknown_version', { survey: err.surveyId, value: shown(versionText ?? ''), allowed: err.known.join(', ') });
    }
  }

  private async listSurveys(c: Call): Promise<void> {
    expectParameters(c.query, PARAMETERS.none);
    const surveys = await this.deps.service.listSurveys();
    await c.audit('ok');
    json(c.res, 200, { default: this.deps.service.defaultSurvey, surveys });
  }

  private async analysis(c: Call): Promise<void> {
    const q = expectParameters(c.query, PARAMETERS.analysis);
    const chosen = await this.chosenSurvey(q);
    const survey = chosen.definition;
    const by = choice(q, 'by', dimensionsOf(survey), { required: true })!;
    // A survey whose outcome is one top-level question has one table and no help areas.
    if (q.has('area') && topLevelOutcome(survey)) throw new Refusal(400, 'bad_parameter', 'no_areas', { survey: chosen.id });
    const area = choice(q, 'area', areasOf(survey));
    const result = await this.heavyWork(() =>
      this.deps.service.analyze({ survey: chosen.id, version: chosen.version, by, area }).catch((err: unknown) => {
        if (err instanceof AnalysisRequestError) throw new Refusal(400, 'bad_parameter', 'analysis_request', { detail: err.message });
        throw err;
      }),
    );
    // After the work and before the answer: a request that failed is audited as failed, and no
    // result leaves without its audit row.
    await c.audit('ok');
    json(c.res, 200, result);
  }

  private async export(c: Call): Promise<void> {
    if (c.query.has('include_free_text') || c.query.has('free_text')) throw new Refusal(400, 'no_free_text', 'no_free_text');
    const q = expectParameters(c.query, PARAMETERS.export);
    const { locales } = this.deps;
    const format = choice(q, 'format', ['csv', 'xlsx', 'json'] as const) ?? 'csv';
    const labels = choice(q, 'labels', locales.tags);
    const codebookLanguage = choice(q, 'codebook_language', ['nb', 'en'] as const) ?? (labels === 'nb' || labels === 'en' ? labels : c.lng);
    const status = choice(q, 'status', ['completed', 'all'] as const) ?? 'completed';
    const language = choice(q, 'language', locales.tags);
    const bom = choice(q, 'bom', ['true', 'false'] as const) === 'true';
    const from = week(q, 'from');
    const to = week(q, 'to');
    if (from && to && from > to) throw new Refusal(400, 'bad_parameter', 'bad_range');
    const channel = q.get('channel') ?? undefined;
    if (channel !== undefined && !CHANNEL.test(channel)) throw new Refusal(400, 'bad_parameter', 'bad_channel', { value: shown(channel) });
    const versionText = q.get('version') ?? undefined;
    const chosen = await this.chosenSurvey(q);
    const filter: ExportRequest['filter'] = {
      status: status === 'all' ? undefined : 'completed',
      surveyVersion: versionText === undefined ? undefined : Number(versionText),
      language,
      channel,
      fromPeriod: from,
      toPeriod: to,
    };
    await this.heavyWork(async () => {
      const problem = await this.deps.service.exportSelectionProblem(filter, chosen.id);
      if (problem) throw refusalOf(problem, this.deps.service.minK, (key, vars) => this.t(c.lng, key, vars));
      // Before the first byte: no data leaves without its audit row.
      await c.audit('ok');
      c.res.setHeader('Content-Type', CONTENT_TYPES[format]);
      c.res.setHeader('Content-Disposition', `attachment; filename="${chosen.id}-v${filter.surveyVersion ?? chosen.version}-responses.${format}"`);
      const out = new ResponseStream(c.res);
      try {
        await this.deps.service.export({ survey: chosen.id, format, labels, codebookLanguage, bom, includeFreeText: false, filter }, out);
        await out.close();
      } catch (err) {
        if (!c.res.headersSent) {
          c.res.removeHeader('Content-Disposition');
          c.res.removeHeader('Content-Type');
        }
        await this.deps.analysts
          .appendAudit({
            hour: hourOf(this.now()),
            tokenName: c.identity.name,
            action: `GET ${ANALYST_API}/export`,
            filters: parametersOf(c.query),
            outcome: 'error',
          })
          .catch(() => undefined);
        throw err;
      }
    });
  }

  private async codebook(c: Call): Promise<void> {
    const q = expectParameters(c.query, PARAMETERS.codebook);
    const format = choice(q, 'format', ['json', 'csv', 'xlsx'] as const) ?? 'json';
    const lang = choice(q, 'lang', ['nb', 'en'] as const) ?? c.lng;
    // CSV is one table: the columns, or with history=true the version history (JSON and XLSX hold both).
    const history = choice(q, 'history', ['true', 'false'] as const) === 'true';
    const chosen = await this.chosenSurvey(q);
    await c.audit('ok');
    const part = history && format === 'csv' ? 'versions' : 'codebook';
    c.res.setHeader('Content-Type', CONTENT_TYPES[format]);
    c.res.setHeader('Content-Disposition', `attachment; filename="${chosen.id}-v${chosen.version}-${part}-${lang}.${format}"`);
    const out = new ResponseStream(c.res);
    await this.deps.service.writeCodebook(format, lang, out, { survey: chosen.id, version: chosen.version }, { history });
    await out.close();
  }

  /** Exports and analyses read every response: at most a few at once, so respondents keep a responsive bot. */
  private async heavyWork<T>(work: () => Promise<T>): Promise<T> {
    const max = this.deps.limits?.heavyRequests ?? 2;
    if (this.heavy >= max) throw new Refusal(503, 'busy', 'busy', {}, 'error');
    this.heavy++;
    try {
      return await work();
    } finally {
      this.heavy--;
    }
  }

  // --- admin: tokens and the audit log ---

  private async listTokens(c: Call): Promise<void> {
    expectParameters(c.query, PARAMETERS.none);
    const tokens = await this.deps.analysts.listTokens();
    await c.audit('ok');
    json(c.res, 200, { tokens: tokens.map(tokenJson) });
  }

  private async addToken(c: Call): Promise<void> {
    expectParameters(c.query, PARAMETERS.none);
    const body = await jsonBody(c.req);
    const name = typeof body?.name === 'string' ? body.name : '';
    const role = typeof body?.role === 'string' ? body.role : 'analyst';
    const filters = { name: shown(name), role: shown(role) };
    if (!body) throw new Refusal(400, 'bad_body', 'bad_body');
    let issued: Awaited<ReturnType<typeof issueToken>>;
    try {
      issued = await issueToken(this.deps.analysts, { name, role }, this.now());
    } catch (err) {
      if (err instanceof TokenRequestError) throw new Refusal(400, err.reason, err.reason, {}, 'bad_request', filters);
      if (err instanceof AnalystNameTakenError) throw new Refusal(409, 'name_taken', 'name_taken', { name: shown(name) }, 'bad_request', filters);
      throw err;
    }
    await c.audit('ok', filters);
    this.deps.logger.info({ event: 'analyst_token_issued', role: issued.info.role }, 'analyst token issued');
    json(c.res, 201, { ...tokenJson(issued.info), token: issued.token });
  }

  private async revokeToken(c: Call): Promise<void> {
    expectParameters(c.query, PARAMETERS.none);
    const name = String((c.req.params as Record<string, unknown> | undefined)?.name ?? '');
    const filters = { name: shown(name) };
    const tokens = await this.deps.analysts.listTokens();
    const target = tokens.find((t) => t.name === name && t.revokedAt === null);
    if (!target) throw new Refusal(404, 'no_such_token', 'no_such_token', { name: shown(name) }, 'bad_request', filters);
    // Locking every admin out over HTTP would leave only the server's command line.
    if (target.role === 'admin' && tokens.filter((t) => t.role === 'admin' && t.revokedAt === null).length === 1) {
      throw new Refusal(409, 'last_admin', 'last_admin', { name: shown(name) }, 'bad_request', filters);
    }
    const revoked = await this.deps.analysts.revokeToken(name, hourOf(this.now()));
    if (revoked) this.verifier.forget(revoked.id);
    await c.audit('ok', filters);
    this.deps.logger.info({ event: 'analyst_token_revoked' }, 'analyst token revoked');
    json(c.res, 200, tokenJson(revoked ?? target));
  }

  private async readAudit(c: Call): Promise<void> {
    const q = expectParameters(c.query, PARAMETERS.audit);
    const limit = wholeNumber(q, 'limit', 1, 500) ?? 100;
    const before = wholeNumber(q, 'before', 1, Number.MAX_SAFE_INTEGER);
    const entries = await this.deps.analysts.readAudit({ limit, beforeSeq: before });
    await c.audit('ok');
    json(c.res, 200, { entries: entries.map(auditJson), next: entries.length === limit ? entries[entries.length - 1].seq : null });
  }
}

function json(res: Response, status: number, body: unknown): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.sendRaw(status, JSON.stringify(body));
}

function tokenJson(t: AnalystTokenInfo) {
  return { name: t.name, role: t.role, id: t.id, createdAt: t.createdAt.toISOString(), revokedAt: t.revokedAt?.toISOString() ?? null };
}

function auditJson(e: StoredAuditEntry) {
  return { seq: e.seq, hour: e.hour.toISOString(), token: e.tokenName, action: e.action, filters: e.filters, outcome: e.outcome };
}

/** A value echoed in a message or the audit log, cut short: it comes from the client. */
function shown(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

/** The request's parameters for the audit log: names and values as sent, cut short, at most 16. */
function parametersOf(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of [...query].slice(0, 16)) out[shown(name).slice(0, 32)] = shown(value);
  return out;
}

/** Refuses unknown and repeated parameters. */
function expectParameters(query: URLSearchParams, allowed: readonly string[]): URLSearchParams {
  for (const name of new Set(query.keys())) {
    if (!allowed.includes(name))
      throw new Refusal(400, 'unknown_parameter', allowed.length ? 'unknown_parameter' : 'no_parameters', { name: shown(name), allowed: allowed.join(', ') });
    if (query.getAll(name).length > 1) throw new Refusal(400, 'repeated_parameter', 'repeated_parameter', { name: shown(name) });
  }
  return query;
}

function choice<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], options: { required?: boolean } = {}): T | undefined {
  const value = query.get(name);
  if (value === null) {
    if (options.required) throw new Refusal(400, 'missing_parameter', 'missing_parameter', { name, allowed: allowed.join(', ') });
    return undefined;
  }
  if (!(allowed as readonly string[]).includes(value))
    throw new Refusal(400, 'bad_parameter', 'bad_choice', { name, allowed: allowed.join(', '), value: shown(value) });
  return value as T;
}

function week(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (!ISO_WEEK.test(value)) throw new Refusal(400, 'bad_parameter', 'bad_week', { name, value: shown(value) });
  return value;
}

function wholeNumber(query: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const n = Number(value);
  if (!/^\d{1,16}$/.test(value) || n < min || n > max) throw new Refusal(400, 'bad_parameter', 'bad_number', { name, min, max, value: shown(value) });
  return n;
}

/** The refusal of a filtered export: says what to widen, never how many responses there are. */
function refusalOf(problem: SelectionProblem, k: number, t: (key: string, vars?: Record<string, unknown>) => string): Refusal {
  if (problem.kind === 'too_few') return new Refusal(422, 'too_few', 'too_few', { k }, 'refused');
  if (problem.kind === 'too_few_in_part_of_range') return new Refusal(422, 'too_few', 'too_few_in_part_of_range', { k }, 'refused');
  const names = problem.dropped.map((d: FilterName) => t('quoted', { name: d }));
  const filters = names.length > 1 ? `${names.slice(0, -1).join(', ')}${t('and')}${names[names.length - 1]}` : names[0];
  return new Refusal(422, 'too_few', 'too_few_apart', { k, filters }, 'refused');
}

/** The body of a POST as a JSON object: restify's body parser may have read it already. */
async function jsonBody(req: Request): Promise<Record<string, unknown> | undefined> {
  let body: unknown = (req as Request & { body?: unknown }).body;
  if (body === undefined && req.readable) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 4096) return undefined;
      chunks.push(chunk as Buffer);
    }
    body = Buffer.concat(chunks).toString('utf8');
  }
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/**
 * The export's output, forwarded to the HTTP response with backpressure. Once the client has gone,
 * it takes what is still written and drops it: the export then finishes quickly and cleans up its
 * temporary files, instead of waiting for a drain that never comes.
 */
class ResponseStream extends Writable {
  private gone = false;

  constructor(private readonly res: Response) {
    super();
    res.once('close', () => {
      if (!res.writableFinished) this.gone = true;
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.gone || this.res.destroyed) return callback();
    if (this.res.write(chunk)) return callback();
    const done = () => {
      this.res.off('drain', done);
      this.res.off('close', done);
      callback();
    };
    this.res.on('drain', done);
    this.res.on('close', done);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.gone || this.res.destroyed) return callback();
    this.res.end(() => callback());
  }

  /** Ends the response (if the writer has not) and resolves when it has been handed to the socket. */
  async close(): Promise<void> {
    if (!this.writableEnded) this.end();
    if (this.writableFinished) return;
    await new Promise<void>((resolve, reject) => {
      this.once('finish', resolve);
      this.once('error', reject);
    });
  }
}

import { Request, Response } from 'restify';
import { AnalystRole, AuditOutcome } from '../../store/analystStore';
import { AnalystDeps } from '../analystDeps';
import { AnalystLanguage } from '../analystLanguage';
import { ChosenSurvey } from '../analystService';
import { AnalystIdentity, TokenVerifier } from '../auth';

/** What a handler gets: the verified caller, the request's language and its parameters. */
export interface Call {
  req: Request;
  res: Response;
  identity: AnalystIdentity;
  lng: AnalystLanguage;
  query: URLSearchParams;
  /** Written once per request, before any data leaves. Parameters as the analyst sent them. */
  audit(outcome: AuditOutcome, filters?: Record<string, string>): Promise<void>;
}

/**
 * Registers a handler on the restify server at `ANALYST_API + path`, behind the guard that
 * authenticates, rate-limits, checks origin and role, audits and answers errors (routeGuard.ts).
 */
export type Route = (method: 'get' | 'post' | 'del', path: string, role: AnalystRole, handler: (call: Call) => Promise<void>) => void;

/** What the route groups share: the dependencies, and the few services more than one group uses. */
export interface RouteContext {
  deps: AnalystDeps;
  verifier: TokenVerifier;
  now(): Date;
  /** The API's text in the analyst's language (analyst:api.<key>). */
  t(lng: string, key: string, vars?: Record<string, unknown>): string;
  /** Cookies are Secure when the public URL is https (behind a TLS proxy the bot sees plain HTTP). */
  secureCookie(): boolean;
  /** Exports and analyses read every response: at most a few at once, so respondents keep a responsive bot. */
  heavyWork<T>(work: () => Promise<T>): Promise<T>;
  /** The survey version a request names (`survey`, `version`), checked against the registry. */
  chosenSurvey(q: URLSearchParams): Promise<ChosenSurvey>;
}

export function json(res: Response, status: number, body: unknown): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.sendRaw(status, JSON.stringify(body));
}

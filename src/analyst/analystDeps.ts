import { Config } from '../config';
import { Locales } from '../language/i18n';
import { Logger } from '../logger';
import { AnalystStore } from '../store/analystStore';
import { AnalystService } from './analystService';

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

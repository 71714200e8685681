import crypto from 'node:crypto';
import { AddressInfo } from 'node:net';
import restify, { Server } from 'restify';
import { AnalystService } from '../../src/analyst/analystService';
import { RegistrySurveys } from '../../src/analyst/surveyResolver';
import { SurveyRegistry } from '../../src/registry/surveyRegistry';
import { AnalystDeps, registerAnalyst } from '../../src/analyst/analystApi';
import { issueToken } from '../../src/analyst/auth';
import { Config, loadConfig } from '../../src/config';
import { loadLocales } from '../../src/language/i18n';
import { AnalystRole, AnalystStore } from '../../src/store/analystStore';
import { SqliteAnalystStore } from '../../src/store/sqliteAnalystStore';
import { StoredResponse, SurveyStore } from '../../src/store/store';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';
import { memoryLogger } from '../helpers/memoryLogger';
import { insertIntoSqlite, PopulationOptions, populatedSqliteStore } from '../helpers/population';

export const survey = loadSurvey(DEFAULT_SURVEY_FILE);
export const locales = loadLocales();

export { memoryLogger };

export interface AnalystServer {
  url: string;
  /** The host:port the server listens on, for Origin headers. */
  origin: string;
  config: Config;
  service: AnalystService;
  analysts: AnalystStore;
  store: SurveyStore;
  file: string;
  population: StoredResponse[];
  logLines: string[];
  /** Issues a token straight through the store, as `survey-bot analyst add` does. */
  token(name: string, role?: AnalystRole): Promise<string>;
  close(): Promise<void>;
}

export interface AnalystServerOptions {
  /** Responses in the generated population (default 600). */
  responses?: number;
  population?: PopulationOptions;
  /** More responses, written after the population (to make small groups on purpose). */
  extra?: StoredResponse[];
  env?: Record<string, string>;
  limits?: AnalystDeps['limits'];
  /** Replaces the service, to make it fail on purpose. */
  service?: (real: AnalystService) => AnalystService;
  /** Replaces the analyst store the routes use. */
  analysts?: AnalystStore;
}

/**
 * A restify server as the bot builds it (same body parser), with only the analyst routes, over a
 * migrated SQLite file holding a generated population of housing-help responses. The surveys
 * shipped with the project are in its registry, as at the bot's start, and the service finds them
 * there; it also holds housing-help's definition file, for the codebook of that file.
 */
export async function startAnalystServer(options: AnalystServerOptions = {}): Promise<AnalystServer> {
  const { store, file, population } = await populatedSqliteStore(survey, options.responses ?? 600, options.population);
  if (options.extra) insertIntoSqlite(file, options.extra);
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${file}`, LOG_LEVEL: 'debug', ...options.env });
  const { logger, lines } = memoryLogger();
  await new SurveyRegistry(store, locales).syncBundled();
  const surveys = new RegistrySurveys(store, locales, config.defaultSurvey);
  const real = new AnalystService({ store, survey, surveys, locales }, config.analystMinK);
  const service = options.service ? options.service(real) : real;
  const analysts = new SqliteAnalystStore(config.databaseUrl);
  const server: Server = restify.createServer({ name: 'survey-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false, mapFiles: false }));
  registerAnalyst(server, { service, analysts: options.analysts ?? analysts, config, logger, locales, limits: options.limits });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    origin: `127.0.0.1:${port}`,
    config,
    service: real,
    analysts,
    store,
    file,
    population,
    logLines: lines,
    token: async (name, role = 'analyst') => (await issueToken(analysts, { name, role }, new Date())).token,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
  bytes: Buffer;
}

/** One HTTP request; the body is parsed when it is JSON. */
export async function request(
  url: string,
  init: { method?: string; token?: string; headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined || init.raw !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body, bytes };
}

/** Completed responses like the population's, in one language, channel and week: a small group made on purpose. */
export function responsesLike(
  population: readonly StoredResponse[],
  n: number,
  over: Partial<Pick<StoredResponse, 'language' | 'channel' | 'period' | 'status'>>,
): StoredResponse[] {
  const completed = population.filter((r) => r.status === 'completed');
  return Array.from({ length: n }, (_, i) => ({ ...completed[i % completed.length], id: crypto.randomUUID(), ...over }));
}

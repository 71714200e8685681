import { AddressInfo } from 'node:net';
import { Server } from 'restify';
import { DialogState } from './bot/dialogFramework';
import { MainDialog } from '../dialogs/mainDialog';
import { createAdapter, turnErrorHandler } from './bot/adapter';
import { ChannelDeps } from './channels/channelDeps';
import { DirectAdapter } from './channels/directAdapter';
import { registerDirectLine } from './channels/directline/directLine';
import { registerTwilioSms, TwilioOptions } from './channels/sms/twilioWebhook';
import { registerWebPage } from './channels/web/webPage';
import { RespondentState } from './bot/respondentState';
import { RespondentStates } from './bot/respondentStates';
import { SurveyTurns } from './bot/surveyTurn';
import { SurveyBot } from './bot/surveyBot';
import { InFlight } from './inFlight';
import { Metrics } from './metrics';
import { Config } from './config';
import { loadLocales } from './language/i18n';
import { Logger } from './logger';
import { startPurgeJob } from './purge';
import { ensureSecret } from './secret';
import { createServer } from './server';
import { createStore } from './store/createStore';
import { SurveyStore } from './store/store';
import { SurveyCatalog } from './registry/surveyCatalog';
import { SurveyRegistry } from './registry/surveyRegistry';
import { detectLanguage, UND } from './language/detect';
import { registerAnalyst } from './analyst/analystApi';
import { AnalystService } from './analyst/analystService';
import { RegistrySurveys } from './analyst/surveyResolver';
import { createAnalystStore } from './store/createAnalystStore';
import { configureRedaction } from './privacy/redact';

const guessed = (tag: string) => (tag === UND ? undefined : tag);

export interface RunningBot {
  server: Server;
  store: SurveyStore;
  port: number;
  close(): Promise<void>;
}

/** Replacements for tests: a store wrapped to be slow, a recording SMS sender. */
export interface BotOverrides {
  store?: SurveyStore;
  twilio?: TwilioOptions;
  /** Direct Line's clock (tokens, outbox expiry and numbering), for tests that let hours pass. */
  now?: () => Date;
}

/** What the bot is made of, apart from the server and its channels. */
export interface BotParts {
  store: SurveyStore;
  secret: string;
  stateTtlMs: number;
  catalog: SurveyCatalog;
  logger: Logger;
  detectLanguage: (text: string) => string | undefined;
  metrics?: Metrics;
  now?: () => Date;
}

/**
 * respondent states → turns → dialogs → bot: the one place that knows both src/bot and dialogs/
 * (tests/architecture.test.ts). Tests build their bots here too, so they run what users run.
 */
export function composeBot(parts: BotParts): SurveyBot {
  const { states, turns, mainDialog } = composeDialogs(parts);
  return new SurveyBot(states, parts.store, turns, states.createProperty<DialogState>('dialogState'), mainDialog, parts.metrics);
}

/** The dialogs and what they stand on, without the bot around them (botbuilder-testing's DialogTestClient). */
export function composeDialogs(parts: BotParts): { states: RespondentStates; turns: SurveyTurns; mainDialog: MainDialog } {
  const { store, catalog, logger } = parts;
  const states = new RespondentStates(store, parts.secret, parts.stateTtlMs);
  const turns = new SurveyTurns({
    catalog,
    respondents: states.createProperty<RespondentState>('respondent'),
    store,
    detectLanguage: parts.detectLanguage,
    now: parts.now ?? (() => new Date()),
    logger,
  });
  return { states, turns, mainDialog: new MainDialog({ turns }) };
}

/** config → store → bot → server and channels. */
export async function startBot(config: Config, logger: Logger, overrides: BotOverrides = {}): Promise<RunningBot> {
  // The CLI does this too; here as well for a bot embedded without it (tests, another host).
  configureRedaction(config.redaction);
  const secret = ensureSecret(config.surveySecret, config.dataDir, logger);
  const store = overrides.store ?? createStore(config.databaseUrl, { sqliteBusyTimeoutMs: config.sqliteBusyTimeoutMs });
  const migrations = await store.migrate();
  if (migrations.applied.length) logger.info({ event: 'migrated', applied: migrations.applied }, 'database migrated');

  // The surveys shipped with the project are in the registry before the first turn.
  const locales = loadLocales();
  const registered = await new SurveyRegistry(store, locales).syncBundled();
  if (registered.registered.length) logger.info({ event: 'surveys_registered', versions: registered.registered }, 'bundled surveys registered');
  const catalog = new SurveyCatalog(store, locales, {
    organisation: config.organisation,
    defaultLocale: config.defaultLocale,
    defaultSurvey: config.defaultSurvey,
    refreshMs: config.surveyRefreshMs,
  });
  // The bot's own words (errors, the web page) come with the default survey's current texts.
  const start = await catalog.start();
  const texts = await catalog.textsFor(start.id, start.version);
  const metrics = new Metrics(() => store.outboxDepth());
  const supported = texts.locales.tags;
  const bot = composeBot({
    store,
    secret,
    stateTtlMs: config.stateTtlMs,
    catalog,
    logger,
    detectLanguage: (text) => guessed(detectLanguage(text, supported).tag),
    metrics,
  });

  const server = createServer({ adapter: createAdapter(config, logger, texts, metrics), bot, store, logger, secret, metrics });
  const direct = new DirectAdapter();
  direct.onTurnError = turnErrorHandler(logger, texts, metrics);
  const inFlight = new InFlight();
  const channels: ChannelDeps = { config, direct, bot, store, catalog, texts, secret, logger, inFlight, metrics };
  const directLine = registerDirectLine(server, channels, { now: overrides.now });
  registerWebPage(server, channels, directLine);
  registerTwilioSms(server, channels, overrides.twilio);
  // Analyst web access (issue 12): the API under /api/analyst/ and the dashboard at /analyst; k is ANALYST_MIN_K.
  // Every survey and version in the registry, the default survey's newest published one unless a request names another.
  const analystService = new AnalystService(
    {
      store,
      surveys: new RegistrySurveys(store, texts.locales, config.defaultSurvey),
      locales: texts.locales,
      parallel: { databaseUrl: config.databaseUrl, threads: 2 },
    },
    config.analystMinK,
  );
  registerAnalyst(server, { service: analystService, analysts: createAnalystStore(config.databaseUrl), config, logger, locales: texts.locales });
  const stopPurge = startPurgeJob(store, config.purgeIntervalMs, logger);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const port = (server.address() as AddressInfo).port;
  logger.info({ event: 'listening', port }, `survey bot listening on port ${port}`);

  return {
    server,
    store,
    port,
    /**
     * Graceful shutdown (SIGTERM): stop accepting connections, let the requests in flight finish
     * their turns, send the SMS replies that missed their webhook's deadline, then close the store.
     */
    async close() {
      stopPurge();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections with no request in flight would hold the server open.
      (server.server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      await stopped;
      await inFlight.drain();
      await store.close();
    },
  };
}

import { AddressInfo } from 'node:net';
import { Server } from 'restify';
import { DialogState } from 'botbuilder-dialogs';
import { MainDialog } from '../dialogs/mainDialog';
import { createAdapter } from './bot/adapter';
import { Session } from './bot/session';
import { StoreStorage } from './bot/storeStorage';
import { SurveyBot } from './bot/surveyBot';
import { SurveyState } from './bot/surveyState';
import { Texts } from './bot/texts';
import { Config } from './config';
import { loadLocales } from './i18n';
import { Logger } from './logger';
import { startPurgeJob } from './purge';
import { ensureSecret } from './secret';
import { createServer } from './server';
import { createStore } from './store/createStore';
import { SurveyStore } from './store/store';
import { DEFAULT_SURVEY_FILE, loadSurvey } from './survey/load';
import { detectLanguage, UND } from './language/detect';

const guessed = (tag: string) => (tag === UND ? undefined : tag);

export interface RunningBot {
  server: Server;
  store: SurveyStore;
  port: number;
  close(): Promise<void>;
}

/** config → store → state → dialogs → bot → server. Nothing else happens here. */
export async function startBot(config: Config, logger: Logger): Promise<RunningBot> {
  const secret = ensureSecret(config.surveySecret, config.dataDir, logger);
  const store = createStore(config.databaseUrl);
  const migrations = await store.migrate();
  if (migrations.applied.length) logger.info({ event: 'migrated', applied: migrations.applied }, 'database migrated');

  const texts = new Texts(loadLocales(), loadSurvey(DEFAULT_SURVEY_FILE), config.organisation, config.defaultLocale);
  const state = new SurveyState(new StoreStorage(store, config.stateTtlMs), secret);
  const sessions = state.createProperty<Session>('session');
  const dialogState = state.createProperty<DialogState>('dialogState');
  const supported = texts.locales.list.map((l) => l.tag);
  const mainDialog = new MainDialog({ texts, store, sessions, logger, now: () => new Date(), detectLanguage: (text) => guessed(detectLanguage(text, supported).tag) });
  const bot = new SurveyBot(state, sessions, dialogState, mainDialog);

  const server = createServer({ adapter: createAdapter(config, logger, texts), bot, store, logger });
  const stopPurge = startPurgeJob(store, config.purgeIntervalMs, logger);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const port = (server.address() as AddressInfo).port;
  logger.info({ event: 'listening', port }, `survey bot listening on port ${port}`);

  return {
    server,
    store,
    port,
    async close() {
      stopPurge();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

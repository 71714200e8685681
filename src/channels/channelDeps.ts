import { Config } from '../config';
import { InFlight } from '../inFlight';
import { Logger } from '../logger';
import { Metrics } from '../metrics';
import { SurveyBot } from '../bot/surveyBot';
import { Texts } from '../language/texts';
import { SurveyStore } from '../store/store';
import { DirectAdapter } from './directAdapter';

/** What a channel needs to turn its transport into bot turns. Channels hold no survey logic. */
export interface ChannelDeps {
  config: Config;
  /** Runs a turn and returns the bot's replies (src/channels/directAdapter.ts). */
  direct: DirectAdapter;
  bot: SurveyBot;
  store: SurveyStore;
  texts: Texts;
  /** The server secret: signs Direct Line tokens, keys HMACs of conversation and message ids. */
  secret: string;
  logger: Logger;
  /** Late replies and other work a graceful shutdown waits for. */
  inFlight: InFlight;
  metrics?: Metrics;
}

import { Config } from '../config';
import { InFlight } from '../inFlight';
import { Logger } from '../logger';
import { Metrics } from '../metrics';
import { SurveyBot } from '../bot/surveyBot';
import { SurveyCatalog } from '../registry/surveyCatalog';
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
  /** Which survey an SMS number is for (src/registry/surveyCatalog.ts). */
  catalog: Pick<SurveyCatalog, 'surveyForNumber'>;
  /** The default survey's texts: the web page's words and the bot's apologies. */
  texts: Texts;
  /** The server secret: signs Direct Line tokens, keys HMACs of conversation and message ids. */
  secret: string;
  logger: Logger;
  /** Late replies and other work a graceful shutdown waits for. */
  inFlight: InFlight;
  metrics?: Metrics;
}

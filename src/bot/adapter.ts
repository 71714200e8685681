import { CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext } from 'botbuilder';
import { Config } from '../config';
import { channelKind } from '../identity';
import { Logger, safeError } from '../logger';
import { negotiateLocale } from './negotiateLocale';
import { TURN_LANGUAGE } from './surveyBot';
import { Texts } from './texts';

/**
 * The Bot Framework adapter. With empty credentials it accepts unauthenticated activities (the
 * Emulator, tests, the project's own channels); with `MicrosoftAppId` and friends set, Azure Bot
 * Service's signed requests are verified.
 */
export function createAdapter(config: Config, logger: Logger, texts: Texts): CloudAdapter {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(config.botAuth));
  adapter.onTurnError = turnErrorHandler(logger, texts);
  return adapter;
}

/** The one `onTurnError`: logs without personal data and apologises in the respondent's language. */
export function turnErrorHandler(logger: Logger, texts: Texts): (context: TurnContext, error: unknown) => Promise<void> {
  return async (context, error) => {
    // No text, no ids: the activity type and channel kind are enough to find the failing path.
    logger.error({ event: 'turn_error', channel: channelKind(context.activity.channelId), activityType: context.activity.type, error: safeError(error) }, 'turn failed');
    const lng =
      (context.turnState.get(TURN_LANGUAGE) as string | undefined) ??
      negotiateLocale({ activityLocale: context.activity.locale }, texts.locales.list.map((l) => l.tag), texts.defaultLocale);
    try {
      // The turn's state is not saved, so the respondent's next message meets the last good
      // state; every answer given before is already stored.
      await context.sendActivity(texts.t(lng, 'bot:error.sorry'));
    } catch (sendError) {
      logger.error({ event: 'turn_error_reply_failed', error: safeError(sendError) }, 'could not send the apology');
    }
  };
}

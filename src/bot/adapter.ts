import {
  Activity,
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
  InvokeResponse,
  TurnContext,
} from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { Config } from '../config';
import { channelKind } from '../identity';
import { Logger, safeError } from '../logger';
import { Metrics } from '../metrics';
import { isDatabaseUnavailable } from '../store/errors';
import { negotiateLocale } from './negotiateLocale';
import { TurnRecord } from './turn';
import { Texts } from '../language/texts';

/**
 * The Bot Framework adapter. With empty credentials it accepts unauthenticated activities (the
 * Emulator, tests, the project's own channels); with `MicrosoftAppId` and friends set, Azure Bot
 * Service's signed requests are verified.
 */
/**
 * CloudAdapter with its turn entry point public: `process()` answers any failure with the error's
 * own message and prints its stack to stdout, which the server must not let reach a client or
 * bypass the logger (src/server.ts handles the response itself).
 */
export class SurveyAdapter extends CloudAdapter {
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createAdapter(config: Config, logger: Logger, texts: Texts, metrics?: Metrics): SurveyAdapter {
  const adapter = new SurveyAdapter(new ConfigurationBotFrameworkAuthentication(withPublicCloud(config.botAuth)));
  adapter.onTurnError = turnErrorHandler(logger, texts, metrics);
  return adapter;
}

/**
 * botbuilder reads an OpenID metadata override as "a custom cloud" and then takes every other cloud
 * setting from the configuration as well, leaving those not given undefined: the token issuer
 * (so every channel token was refused with 401, and the metadata never even fetched), the login
 * URL and scope replies are sent with. With an override, the rest stays the public cloud's.
 */
function withPublicCloud(botAuth: Config['botAuth']): ConfigurationBotFrameworkAuthenticationOptions {
  if (!botAuth.ToBotFromChannelOpenIdMetadataUrl && !botAuth.ToBotFromEmulatorOpenIdMetadataUrl) return botAuth;
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ...botAuth,
  };
}

/**
 * The one `onTurnError`: logs without personal data and apologises in the respondent's language,
 * asking them to try again shortly when the database could not take the turn.
 */
export function turnErrorHandler(logger: Logger, texts: Texts, metrics?: Metrics): (context: TurnContext, error: unknown) => Promise<void> {
  return async (context, error) => {
    const record = TurnRecord.of(context);
    record.failure = error ?? new Error('turn failed');
    metrics?.errors.inc({ class: rootClass(error) });
    // No text, no ids: the activity type and channel kind are enough to find the failing path.
    logger.error(
      { event: 'turn_error', channel: channelKind(context.activity.channelId), activityType: context.activity.type, error: safeError(error) },
      'turn failed',
    );
    const lng = record.language ?? negotiateLocale({ activityLocale: context.activity.locale }, texts.locales.tags, texts.defaultLocale);
    try {
      // Nothing of the failed turn was written (src/bot/surveyBot.ts), so the respondent's next
      // message meets the last good state; every answer acknowledged before is stored.
      await context.sendActivity(texts.t(lng, isDatabaseUnavailable(error) ? 'bot:error.unavailable' : 'bot:error.sorry'));
    } catch (sendError) {
      logger.error({ event: 'turn_error_reply_failed', error: safeError(sendError) }, 'could not send the apology');
    }
  };
}

/** The class of the error behind botbuilder's wrappers (DialogContextError keeps it in `error`). */
function rootClass(error: unknown): string {
  let e = error as { name?: unknown; error?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4 && (e.error ?? e.cause) instanceof Error; depth++) e = (e.error ?? e.cause) as typeof e;
  return e instanceof Error ? e.name : typeof error;
}

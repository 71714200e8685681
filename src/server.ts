import restify, { Request, Response, Server } from 'restify';
import { Activity, CloudAdapter } from 'botbuilder';
import { DELIVERY_TTL_MS, duplicateOf, replayable, sendNow, TURN_DELIVERY, TurnDelivery } from './bot/turn';
import { keyedHash } from './identity';
import { z } from 'zod';
import { Logger, safeError } from './logger';
import { SurveyBot } from './bot/surveyBot';
import { SurveyStore } from './store/store';

/** Bot Framework activities are small; this leaves room for a long message and its envelope. */
export const MAX_BODY_BYTES = 256 * 1024;

// The fields a turn cannot do without; CloudAdapter would otherwise throw deep inside.
const activityEnvelope = z.object({
  type: z.string().min(1).max(64),
  channelId: z.string().min(1).max(128),
  from: z.object({ id: z.string().min(1).max(512) }),
  conversation: z.object({ id: z.string().min(1).max(512) }),
  serviceUrl: z.string().max(2048).optional(),
  text: z.string().max(64 * 1024).optional(),
});

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: SurveyBot;
  store: SurveyStore;
  logger: Logger;
  /** Keys the HMAC of delivery ids. */
  secret: string;
}

export function createServer({ adapter, bot, store, logger, secret }: ServerDeps): Server {
  const server = restify.createServer({ name: 'survey-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false }));

  server.post('/api/messages', async (req: Request, res: Response) => {
    const envelope = activityEnvelope.safeParse(req.body);
    if (!envelope.success) {
      res.send(400, { error: 'bad_activity', message: `Not a Bot Framework activity: ${envelope.error.issues[0].path.join('.') || 'body'} is missing or invalid.` });
      return;
    }
    try {
      await adapter.process(req, res, async (context) => {
        // Azure Bot Service redelivers after a timeout and clients retry: the same activity (same
        // id in the same conversation) is one turn. Kept only as an HMAC, like every identifier.
        const { id, conversation, channelId } = context.activity;
        if (id) {
          context.turnState.set(TURN_DELIVERY, {
            key: keyedHash(secret, 'bf-activity', `${channelId}\u0000${conversation.id}\u0000${id}`),
            expiresAt: new Date(Date.now() + DELIVERY_TTL_MS),
            reply: (out) => JSON.stringify(replayable(out)),
          } satisfies TurnDelivery);
        }
        await bot.run(context);
        const duplicate = duplicateOf(context);
        // The redelivery gets the replies the first copy got (in the response body with expectReplies).
        if (duplicate !== undefined) await sendNow(context, JSON.parse(duplicate) as Partial<Activity>[]);
      });
    } catch (err) {
      logger.error({ event: 'process_failed', error: safeError(err) }, 'activity could not be processed');
      if (!res.headersSent) res.send(400, { error: 'bad_activity', message: 'The activity could not be processed.' });
    }
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    try {
      await store.ping();
      res.send(200, { status: 'ok' });
    } catch (err) {
      logger.error({ event: 'health_failed', error: safeError(err) }, 'database unreachable');
      res.send(503, { status: 'unavailable' });
    }
  });

  // Status and route only: no IP, no user agent, no query string.
  server.on('after', (req: Request, res: Response, route: { path?: string } | undefined) => {
    logger.debug({ event: 'http', method: req.method, route: route?.path ?? 'unmatched', status: res.statusCode }, 'request');
  });
  return server;
}

import restify, { Request, Response, Server } from 'restify';
import { Activity, TurnContext } from 'botbuilder';
import { SurveyAdapter } from './bot/adapter';
import { AuthenticationError } from 'botframework-connector';
import { DELIVERY_TTL_MS, replayable, sendNow, TurnRecord } from './bot/turn';
import { keyedHash } from './identity';
import { Metrics } from './metrics';
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
  text: z
    .string()
    .max(64 * 1024)
    .optional(),
});

export interface ServerDeps {
  adapter: SurveyAdapter;
  bot: SurveyBot;
  store: SurveyStore;
  logger: Logger;
  /** Keys the HMAC of delivery ids. */
  secret: string;
  metrics: Metrics;
}

/**
 * Whether the way in failed because of the token itself (401) rather than because it could not be
 * checked (503). botframework-connector throws AuthenticationError for both: with status 500 when
 * the OpenID metadata or its keys answered an HTTP error, which is the provider's fault. A token
 * whose signature or dates fail jsonwebtoken's checks surfaces as jsonwebtoken's own error class,
 * which is the token's (tests/faults/identityProvider.test.ts).
 */
function tokenRefused(err: unknown): boolean {
  if (err instanceof AuthenticationError) return err.statusCode !== 500;
  return err instanceof Error && ['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError'].includes(err.name);
}

export function createServer({ adapter, bot, store, logger, secret, metrics }: ServerDeps): Server {
  const server = restify.createServer({ name: 'survey-bot', handleUncaughtExceptions: false });
  // restify's body reader inflates gzip with no error handler, so one request whose body was not
  // gzip crashed the process (tests/faults/hostileInput.test.ts), and it applies the size limit
  // before inflating, so a small bomb could fill memory. No client of this bot (Bot Framework,
  // Web Chat, Twilio) compresses what it sends: a compressed body is refused before it is read.
  server.use((req: Request, res: Response, next: (err?: false) => void) => {
    const encoding = req.header('content-encoding');
    if (!encoding || encoding.trim().toLowerCase() === 'identity') return next();
    res.send(415, { error: 'unsupported_encoding', message: 'Request bodies must not be compressed (Content-Encoding).' });
    return next(false);
  });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false }));

  server.post('/api/messages', async (req: Request, res: Response) => {
    const envelope = activityEnvelope.safeParse(req.body);
    if (!envelope.success) {
      res.send(400, {
        error: 'bad_activity',
        message: `Not a Bot Framework activity: ${envelope.error.issues[0].path.join('.') || 'body'} is missing or invalid.`,
      });
      return;
    }
    const logic = async (context: TurnContext) => {
      // Azure Bot Service redelivers after a timeout and clients retry: the same activity (same
      // id in the same conversation) is one turn. Kept only as an HMAC, like every identifier.
      const { id, conversation, channelId } = context.activity;
      if (id) {
        TurnRecord.of(context).delivery = {
          key: keyedHash(secret, 'bf-activity', `${channelId}\u0000${conversation.id}\u0000${id}`),
          expiresAt: new Date(Date.now() + DELIVERY_TTL_MS),
          reply: (out) => JSON.stringify(replayable(out)),
        };
      }
      await bot.run(context);
      const duplicate = TurnRecord.of(context).duplicateReply;
      // The redelivery gets the replies the first copy got (in the response body with expectReplies).
      if (duplicate !== undefined) await sendNow(context, JSON.parse(duplicate) as Partial<Activity>[]);
    };
    try {
      // processActivity rather than CloudAdapter.process: process() writes any error's message to
      // the client and its stack to stdout (botbuilder's console.error), outside our logger.
      const invoke = await adapter.handle(req.header('authorization') ?? '', req.body as Activity, logic);
      if (invoke?.body !== undefined) res.send(invoke.status ?? 200, invoke.body);
      else res.send(invoke?.status ?? 200);
    } catch (err) {
      if (res.headersSent) return;
      if (tokenRefused(err)) {
        logger.info({ event: 'auth_refused', error: safeError(err) }, 'activity with an invalid or missing token refused');
        res.send(401, { error: 'unauthorized', message: 'The request could not be authenticated.' });
        return;
      }
      // The turn's own errors are handled by onTurnError inside; what reaches here is the way in:
      // above all the Bot Framework's signing keys, which cannot be fetched while its identity
      // provider is unreachable. The channel retries; nothing was processed.
      logger.error({ event: 'process_failed', error: safeError(err) }, 'activity could not be processed');
      res.setHeader('Retry-After', '5');
      res.send(503, { error: 'unavailable', message: 'The bot cannot process activities right now; try again shortly.' });
    }
  });

  // Prometheus scrapes this; it holds counts and timings only (src/metrics.ts). Keep it on the
  // internal network, as one does with any /metrics.
  server.get('/metrics', async (_req: Request, res: Response) => {
    try {
      res.setHeader('Content-Type', metrics.registry.contentType);
      res.sendRaw(200, await metrics.registry.metrics());
    } catch (err) {
      logger.error({ event: 'metrics_failed', error: safeError(err) }, 'metrics could not be collected');
      res.send(503, { status: 'unavailable' });
    }
  });

  // Load balancers take a process out of rotation on 503: it answers only while its database does.
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

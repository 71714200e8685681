import crypto from 'node:crypto';
import { Activity, ActivityTypes } from 'botbuilder';
import { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { keyedHash } from '../../identity';
import { safeError } from '../../logger';
import { isDatabaseUnavailable } from '../../store/errors';
import { ChannelDeps } from '../channelDeps';
import { BOT_ID, botReply, OUTBOX_TTL_MS, outboxExpiry, outboxSeqFloor, StoredActivity, toServed, userEcho } from './outbox';
import { DELIVERY_TTL_MS, TurnRecord } from '../../bot/turn';
import { DirectLineTokens, SURVEY_ID, TokenClaims } from './tokens';
import { DirectLineRateLimit } from './rateLimit';
import { linkSource } from '../../survey/sources';

export const DIRECT_LINE_BASE = '/v3/directline';

/** Activities per poll; the watermark lets the client fetch the rest on its next poll. */
const PAGE_SIZE = 100;
/** Longer than any answer (the bot refuses long ones politely) and well under the body limit. */
const MAX_TEXT = 32 * 1024;

/**
 * A conversation opened on the server's side, greeting included, for a page that renders it at
 * once (src/channels/web/litePage.ts) instead of paying a browser's three round trips for it.
 */
export interface OpenedConversation {
  conversationId: string;
  token: string;
  expires_in: number;
  /** What the conversation holds so far (the greeting), as a poll would serve it. */
  activities: Partial<Activity>[];
  /** Where the page's first poll continues. */
  watermark: string;
}

/** What the Direct Line server offers the rest of the server, besides its routes. */
export interface DirectLineServer {
  /**
   * `tokens/generate` and `conversations` in one step: a new conversation for the survey, greeted
   * in `locale` when given. Counted against the caller's per-address limits as those two calls
   * are; undefined when over them (the page then lets the browser try itself, and be told).
   */
  open(req: Request, survey: string | undefined, locale: string | undefined, src?: string): Promise<OpenedConversation | undefined>;
}

export interface DirectLineOptions {
  /** Token lifetime; the client refreshes at half-life. */
  tokenTtlMs?: number;
  now?: () => Date;
}

// What the subset accepts from a client. Everything else a client sends (from, channelId,
// conversation, timestamps, entities) is ignored: the token and the server decide those.
const bcp47 = z
  .string()
  .max(35)
  .regex(/^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$/);
const incomingActivity = z.object({
  type: z.string().min(1).max(64),
  text: z.string().max(MAX_TEXT).optional(),
  // Web Chat stamps its `locale` prop on every activity; an odd value is dropped, not refused.
  locale: bcp47.optional().catch(undefined),
  // Web Chat sends an empty list with every message; uploads are not part of this subset.
  attachments: z.array(z.unknown()).max(0, 'must be empty (uploads are not supported)').optional(),
  channelData: z
    .object({ clientActivityID: z.string().max(128).optional().catch(undefined) })
    .optional()
    .catch(undefined),
});
/**
 * `tokens/generate` takes no body in Direct Line; ours may name the survey of the start link (an
 * unknown survey is the default one) and its `src`, which is only checked for its shape here: a
 * malformed one is `other` (src/survey/sources.ts).
 */
const generateBody = z
  .object({ survey: z.string().regex(SURVEY_ID).optional().catch(undefined), src: z.unknown().optional().transform(linkSource) })
  .catch({ survey: undefined, src: undefined });
const startBody = z.object({ locale: bcp47.optional().catch(undefined) }).catch({ locale: undefined });

/** The outbox key of a conversation: its id never reaches the database. */
export function conversationKey(secret: string, conversationId: string): string {
  return keyedHash(secret, 'directline-conversation', conversationId);
}

/**
 * A Direct Line 3.0 subset on the bot's own server, enough for Web Chat and DirectLineJS in
 * polling mode (no `streamUrl`: no WebSocket), and for the light page's own script (one extension:
 * a post may ask for the replies that followed it). Tokens are signed, not stored; replies and echoes
 * go to the database outbox, so any bot process can serve any poll. The page is public, so
 * `tokens/generate` needs no secret: a token only ever opens a new, empty conversation.
 */
export function registerDirectLine(server: Server, deps: ChannelDeps, options: DirectLineOptions = {}): DirectLineServer {
  const { store, logger, secret } = deps;
  const now = options.now ?? (() => new Date());
  const tokens = new DirectLineTokens(secret, options.tokenTtlMs, now);
  // The two entry points a stranger can call without a token of ours (src/channels/directline/rateLimit.ts).
  const limit = new DirectLineRateLimit(deps.config.directLineLimits, deps.config.trustProxy, logger);

  const conversation = (claims: TokenClaims, token: string) => ({ conversationId: claims.conv, token, expires_in: tokens.expiresIn(claims) });

  /** Checks the bearer token, and that it is scoped to the conversation in the path; else answers. */
  const authorize = (req: Request, res: Response, pathConversation?: string): TokenClaims | undefined => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '')?.[1];
    // 403, not 401, for every token problem: DirectLineJS reads 403 as "token expired" and stops
    // cleanly (ConnectionStatus.ExpiredToken), while a 401 makes its poller error out silently.
    if (!bearer) return void fail(res, 403, 'TokenMissing', 'An Authorization: Bearer token is required; get one from POST /v3/directline/tokens/generate.');
    const check = tokens.verify(bearer);
    if (!check.ok) {
      // Expiry is routine (a phone that slept); a bad signature is worth seeing.
      logger[check.reason === 'expired' ? 'debug' : 'info']({ event: 'directline_token_refused', reason: check.reason }, 'Direct Line token refused');
      return void fail(
        res,
        403,
        check.reason === 'expired' ? 'TokenExpired' : 'TokenInvalid',
        check.reason === 'expired' ? 'The token has expired; start a new conversation.' : 'The token is not valid.',
      );
    }
    if (pathConversation !== undefined && pathConversation !== check.claims.conv) {
      logger.info({ event: 'directline_token_refused', reason: 'conversation' }, 'Direct Line token used for another conversation');
      return void fail(res, 403, 'Forbidden', 'The token is not valid for this conversation.');
    }
    return check.claims;
  };

  /**
   * One turn of the bot. The user's echo and the bot's replies go to the outbox in the turn's own
   * write; a message Web Chat sends again (same clientActivityID, after a failed post) is handled
   * once, and the repeat answered with the first one's id. Returns the id to answer with.
   */
  const turn = async (claims: TokenClaims, activity: Partial<Activity>, echo?: StoredActivity, deliveryKey?: string): Promise<string | undefined> => {
    const conversationHash = conversationKey(secret, claims.conv);
    const at = now();
    const { activities, context } = await deps.direct.runTurn(
      {
        ...activity,
        channelId: 'directline',
        // Server-assigned and never stored: the bot sees them for this turn only.
        id: crypto.randomUUID(),
        timestamp: at,
        from: { id: claims.user, name: '', role: 'user' },
        recipient: { id: BOT_ID, name: '', role: 'bot' },
        conversation: { id: claims.conv, isGroup: false, conversationType: 'personal', name: '' },
        serviceUrl: '',
      },
      (ctx) => deps.bot.run(ctx),
      (ctx) => {
        // Direct Line echoes the user's message into the stream before the bot answers; Web Chat
        // marks a message sent only when it sees that echo (channelData.clientActivityID).
        const record = TurnRecord.of(ctx);
        record.survey = claims.survey;
        record.source = claims.src;
        record.outbox = {
          conversation: conversationHash,
          expiresAt: outboxExpiry(at),
          seqFloor: outboxSeqFloor(at),
          echo,
          render: (out) => out.map((r) => botReply(r, now())),
        };
        if (deliveryKey) record.delivery = { key: deliveryKey, expiresAt: new Date(at.getTime() + DELIVERY_TTL_MS), reply: () => echo?.id ?? '' };
      },
    );
    const duplicate = TurnRecord.of(context).duplicateReply;
    if (duplicate !== undefined) {
      logger.debug({ event: 'directline_duplicate' }, 'Direct Line message already handled');
      return duplicate;
    }
    if (!TurnRecord.of(context).committed) {
      // The database could not take the turn, so it cannot take the apology either (the outbox is
      // in it): the post is refused as unavailable, with the apology in the respondent's language,
      // and Web Chat offers to send it again. Nothing of the turn was written, so the resend is
      // handled as the message's first delivery, whatever clientActivityID it carries.
      if (isDatabaseUnavailable(TurnRecord.of(context).failure))
        throw new TurnUnavailable(
          activities
            .map((a) => a.text)
            .filter(Boolean)
            .join('\n'),
        );
      // The turn failed before its write: the echo and what the bot said instead (an apology in
      // the respondent's language) must still reach the browser.
      await store.commitTurn({
        responses: [],
        outbox: {
          conversation: conversationHash,
          activities: [...(echo ? [echo] : []), ...activities.map((r) => botReply(r, now()))],
          expiresAt: outboxExpiry(now()),
          seqFloor: outboxSeqFloor(now()),
        },
      });
    }
    logger.debug({ event: 'directline_turn', activityType: activity.type, replies: activities.length }, 'Direct Line turn');
    return echo?.id;
  };

  /**
   * Greets once per conversation, so the language menu is there before the user types: Direct
   * Line announces a new conversation to the bot with conversationUpdate. The greeting has a
   * delivery key of its own, so two processes asked at once greet once. An empty outbox means not
   * greeted yet (or its rows expired, and then the bot re-asks the current question).
   */
  const ensureStarted = async (claims: TokenClaims, locale: string | undefined): Promise<void> => {
    if ((await store.readOutbox(conversationKey(secret, claims.conv), 0, 1)).length) return;
    // Per outbox lifetime: after the rows expire the conversation is greeted (re-asked) again.
    const greeted = keyedHash(secret, 'directline-start', `${claims.conv}\u0000${Math.floor(now().getTime() / OUTBOX_TTL_MS)}`);
    await turn(
      claims,
      {
        type: ActivityTypes.ConversationUpdate,
        membersAdded: [
          { id: BOT_ID, name: '' },
          { id: claims.user, name: '' },
        ],
        locale,
      },
      undefined,
      greeted,
    );
  };

  /** The activities after `after`, and the watermark to ask from next. */
  const page = async (claims: TokenClaims, after: number) => {
    const rows = await store.readOutbox(conversationKey(secret, claims.conv), after, PAGE_SIZE);
    return { activities: rows.map((r) => toServed(r, claims.conv, claims.user)), watermark: String(rows.length ? rows[rows.length - 1].seq : after) };
  };

  const handle =
    (name: string, handler: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      // Tokens are in these bodies: never cache them anywhere.
      res.setHeader('Cache-Control', 'no-store');
      try {
        await handler(req, res);
      } catch (err) {
        if (err instanceof TurnUnavailable || isDatabaseUnavailable(err)) {
          // A turn refused, or a poll or greeting that could not read: the database is away, not broken.
          logger.warn({ event: 'directline_unavailable', route: name, error: safeError(err) }, 'Direct Line request refused: the database is unavailable');
          if (res.headersSent) return;
          res.setHeader('Retry-After', '5');
          return fail(
            res,
            503,
            'ServiceUnavailable',
            (err instanceof TurnUnavailable && err.apology) || 'The service cannot take messages right now; try again shortly.',
          );
        }
        logger.error({ event: 'directline_failed', route: name, error: safeError(err) }, 'Direct Line request failed');
        if (!res.headersSent) fail(res, 500, 'ServiceError', 'The request could not be processed; try again.');
      }
    };

  server.post(
    `${DIRECT_LINE_BASE}/tokens/generate`,
    handle('tokens/generate', async (req, res) => {
      if (!(await limit.admit('tokens/generate', req, res))) return;
      // The start link's survey (`/s/<survey>`) rides in the token, so every process knows it.
      const body = generateBody.parse(req.body ?? {});
      const { token, claims } = tokens.issueNew(body.survey, body.src);
      res.send(200, conversation(claims, token));
    }),
  );

  server.post(
    `${DIRECT_LINE_BASE}/tokens/refresh`,
    handle('tokens/refresh', async (req, res) => {
      const claims = authorize(req, res);
      if (!claims) return;
      const fresh = tokens.issue(claims.conv, claims.user, claims.survey, claims.src);
      res.send(200, conversation(fresh.claims, fresh.token));
    }),
  );

  server.post(
    `${DIRECT_LINE_BASE}/conversations`,
    handle('conversations', async (req, res) => {
      if (!(await limit.admit('conversations', req, res))) return;
      const claims = authorize(req, res);
      if (!claims) return;
      // DirectLineJS sends conversationStartProperties.locale here: the first greeting's language hint.
      await ensureStarted(claims, startBody.parse(req.body ?? {}).locale);
      const fresh = tokens.issue(claims.conv, claims.user, claims.survey, claims.src);
      res.send(201, conversation(fresh.claims, fresh.token));
    }),
  );

  server.get(
    `${DIRECT_LINE_BASE}/conversations/:id`,
    handle('conversations/:id', async (req, res) => {
      const claims = authorize(req, res, req.params.id);
      if (!claims) return;
      // Reconnect (a reloaded page). Polling clients read `?watermark` themselves from the activity
      // stream; there is no stream URL to position.
      await ensureStarted(claims, undefined);
      const fresh = tokens.issue(claims.conv, claims.user, claims.survey, claims.src);
      res.send(200, conversation(fresh.claims, fresh.token));
    }),
  );

  server.get(
    `${DIRECT_LINE_BASE}/conversations/:id/activities`,
    handle('conversations/:id/activities', async (req, res) => {
      const claims = authorize(req, res, req.params.id);
      if (!claims) return;
      const raw = new URLSearchParams(req.getQuery() ?? '').get('watermark') ?? '';
      if (!/^\d{0,15}$/.test(raw)) return fail(res, 400, 'BadArgument', 'watermark must be a number from a previous response.');
      res.send(200, await page(claims, raw === '' ? 0 : Number(raw)));
    }),
  );

  server.post(
    `${DIRECT_LINE_BASE}/conversations/:id/activities`,
    handle('conversations/:id/activities', async (req, res) => {
      const claims = authorize(req, res, req.params.id);
      if (!claims) return;
      const parsed = incomingActivity.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return fail(res, 400, 'BadArgument', `Not a supported activity: ${issue.path.join('.') || 'body'} ${issue.message}.`);
      }
      const { type, text, locale, channelData } = parsed.data;
      if (type !== ActivityTypes.Message) return fail(res, 400, 'BadArgument', 'Only activities of type "message" are supported.');
      const clientActivityID = channelData?.clientActivityID;
      const echo = userEcho({ text, locale, clientActivityID }, now());
      // Kept only as an HMAC, like every identifier: conversation and the client's own message id.
      const deliveryKey = clientActivityID ? keyedHash(secret, 'directline-activity', `${claims.conv}\u0000${clientActivityID}`) : undefined;
      const known = new URLSearchParams(req.getQuery() ?? '').get('watermark');
      if (known !== null && !/^\d{1,15}$/.test(known)) return fail(res, 400, 'BadArgument', 'watermark must be a number from a previous response.');
      const id = await turn(claims, { type: ActivityTypes.Message, text: text ?? '', locale }, echo, deliveryKey);
      if (known === null) return res.send(200, { id: id ?? echo.id });
      // Our extension, for the light page: a post that names its watermark gets what followed it
      // (the turn's echo and replies are committed by now), saving the poll's round trip, two
      // seconds on a slow network. Direct Line clients send no watermark here and get `{ id }`.
      res.send(200, { id: id ?? echo.id, ...(await page(claims, Number(known))) });
    }),
  );

  return {
    open: async (req, survey, locale, src) => {
      if (!(await limit.allows('tokens/generate', req)) || !(await limit.allows('conversations', req))) return undefined;
      const { claims } = tokens.issueNew(survey, src);
      await ensureStarted(claims, locale);
      const fresh = tokens.issue(claims.conv, claims.user, claims.survey, claims.src);
      return { ...conversation(fresh.claims, fresh.token), ...(await page(claims, 0)) };
    },
  };
}

/** A turn the database could not take; `apology` is what the bot said instead, in the respondent's language. */
class TurnUnavailable extends Error {
  override name = 'TurnUnavailable';
  constructor(readonly apology: string) {
    super('The database could not take the turn; the client should send the message again.');
  }
}

/** Direct Line's ErrorResponse: `{ error: { code, message } }`; the code is stable, the message is not. */
function fail(res: Response, status: number, code: string, message: string): void {
  res.send(status, { error: { code, message } });
}

import { Request, Response } from 'restify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { clientAddress, clientKey } from '../../clientAddress';
import { Logger } from '../../logger';

/**
 * Per-address limits on the public page's two ways in that cost the server something without a
 * token: `POST tokens/generate` (a new conversation) and `POST conversations` (its greeting, one
 * turn and one write); the light page, which does both as it renders, counts against both.
 * Counted in memory only, per process, per fixed minute: the address is the
 * limiter's key and goes nowhere else, never to a log or the database.
 *
 * Behind a reverse proxy every client arrives from the proxy's address and shares one budget;
 * `TRUST_PROXY` says how many proxies' X-Forwarded-For entries to believe (see {@link clientAddress}).
 */
export class DirectLineRateLimit {
  private readonly limiters: Map<string, RateLimiterMemory>;

  constructor(
    limits: { tokensPerMinute: number; conversationsPerMinute: number },
    private readonly trustProxy: number,
    private readonly logger: Logger,
  ) {
    // Zero means "off": a deployment whose proxy limits instead, or a load test.
    const perMinute = (points: number) => (points > 0 ? [new RateLimiterMemory({ points, duration: 60 })] : []);
    this.limiters = new Map([
      ...perMinute(limits.tokensPerMinute).map((l) => ['tokens/generate', l] as const),
      ...perMinute(limits.conversationsPerMinute).map((l) => ['conversations', l] as const),
    ]);
  }

  /**
   * Counts the request against its address. Returns true when it may go on; otherwise it has
   * answered 429 with `Retry-After` and a Direct Line error body, and returns false.
   */
  async admit(route: Route, req: Request, res: Response): Promise<boolean> {
    const wait = await this.consume(route, req);
    if (wait === 0) return true;
    res.setHeader('Retry-After', String(wait));
    res.send(429, { error: { code: 'TooManyRequests', message: `Too many requests from this address; try again in ${wait} s.` } });
    return false;
  }

  /** Counts the request as {@link admit} does, for a caller that answers otherwise than 429 (the light page). */
  async allows(route: Route, req: Request): Promise<boolean> {
    return (await this.consume(route, req)) === 0;
  }

  /** Zero when admitted, else the seconds until the address may try again. */
  private async consume(route: Route, req: Request): Promise<number> {
    const limiter = this.limiters.get(route);
    if (!limiter) return 0;
    try {
      await limiter.consume(clientKey(clientAddress(req, this.trustProxy)));
      return 0;
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      this.logger.warn({ event: 'directline_rate_limited', route }, 'Direct Line requests over the per-address limit');
      return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    }
  }
}

type Route = 'tokens/generate' | 'conversations';

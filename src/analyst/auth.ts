import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ANALYST_ROLES, AnalystRole, AnalystStore, AnalystTokenInfo } from '../store/analystStore';

/**
 * Analyst tokens: `sba_<id>.<secret>`. The id (72 random bits) is not secret and finds the row;
 * the secret (256 random bits) is stored only as an scrypt hash with a salt of its own, so a copy
 * of the database gives no one access. The prefix lets secret scanners recognise a leaked token.
 */
export const TOKEN_PREFIX = 'sba_';
const TOKEN_PATTERN = /^sba_([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{43})$/;

/** Names as they appear in the audit log: a person's or a team's handle, not an e-mail address. */
export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$/;

/**
 * scrypt cost: N = 2^15 (32 MiB, about 0.1 s on the 2-core CI machine). The secrets are random,
 * not chosen by people, so the hash needs no password-grade cost to resist guessing; it is slow
 * so that a stolen database cannot even be checked against a stolen token list cheaply. The
 * parameters are stored with each hash, so they can be raised later without breaking old tokens.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32 };

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/** Who is calling, once the token is verified. */
export interface AnalystIdentity {
  id: string;
  name: string;
  role: AnalystRole;
}

/** A token name or role that cannot be used; the message says why. */
export class TokenRequestError extends Error {
  override name = 'TokenRequestError';
  constructor(
    readonly reason: 'bad_name' | 'bad_role',
    message: string,
  ) {
    super(message);
  }
}

/** The hour a time falls in: how every time of analyst access is kept. */
export function hourOf(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);
}

/** Whether the caller's role allows a route: admins can do everything, reviewers what analysts can and review free text. */
export function hasRole(identity: { role: AnalystRole }, needed: AnalystRole): boolean {
  return needed === 'analyst' || identity.role === 'admin' || identity.role === needed;
}

async function hashSecret(secret: string, salt: Buffer, params = SCRYPT): Promise<string> {
  // maxmem above 128·N·r, which Node's 32 MiB default does not leave room for at N = 2^15.
  const key = await scrypt(secret, salt, params.keylen, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r });
  return `scrypt$${params.N}$${params.r}$${params.p}$${key.toString('base64url')}`;
}

/**
 * Creates a token and stores its hash. The returned token is the only copy: show it once.
 *
 * @throws TokenRequestError for a name or role that cannot be used
 * @throws AnalystNameTakenError when the name was ever used
 */
export async function issueToken(
  analysts: AnalystStore,
  request: { name: string; role: string },
  now: Date,
): Promise<{ token: string; info: AnalystTokenInfo }> {
  if (!TOKEN_NAME_PATTERN.test(request.name))
    throw new TokenRequestError('bad_name', 'A token name is 1 to 48 letters, digits, dots, dashes or underscores, starting with a letter or digit.');
  if (!(ANALYST_ROLES as readonly string[]).includes(request.role))
    throw new TokenRequestError('bad_role', `The role must be ${ANALYST_ROLES.slice(0, -1).join(', ')} or ${ANALYST_ROLES[ANALYST_ROLES.length - 1]}.`);
  const id = crypto.randomBytes(9).toString('base64url');
  const secret = crypto.randomBytes(32).toString('base64url');
  const salt = crypto.randomBytes(16);
  const info: AnalystTokenInfo = { id, name: request.name, role: request.role as AnalystRole, createdAt: hourOf(now), revokedAt: null };
  await analysts.addToken({ ...info, salt: salt.toString('base64url'), hash: await hashSecret(secret, salt) });
  return { token: `${TOKEN_PREFIX}${id}.${secret}`, info };
}

export type Verification =
  | { ok: true; identity: AnalystIdentity }
  /**
   * `malformed`: not a token at all; `unknown`: no token has its id; `bad_secret`: the id is
   * known, the secret is wrong; `revoked`: right secret, revoked token. `tokenName` only when
   * the id is known, for the audit log.
   */
  | { ok: false; reason: 'malformed' | 'unknown' | 'bad_secret' | 'revoked'; tokenName?: string };

/**
 * Checks tokens against the store. A verified token is remembered (by a SHA-256 of it, in memory
 * only) for a few minutes, so that a dashboard's requests do not each cost an scrypt; the row is
 * still read on every request, so a revocation takes effect at once in every process.
 */
export class TokenVerifier {
  private readonly verified = new Map<string, { id: string; until: number }>();
  private readonly dummySalt = crypto.randomBytes(16);

  constructor(
    private readonly analysts: AnalystStore,
    private readonly options: { rememberMs?: number; maxRemembered?: number; now?: () => number } = {},
  ) {}

  async verify(token: string): Promise<Verification> {
    const m = TOKEN_PATTERN.exec(token);
    if (!m) return { ok: false, reason: 'malformed' };
    const [, id, secret] = m;
    const now = (this.options.now ?? Date.now)();
    const digest = crypto.createHash('sha256').update(token).digest('base64url');
    const known = this.verified.get(digest);
    const row = await this.analysts.findToken(id);
    if (!row) {
      // The same work as for a known id, so timing does not tell which ids exist.
      await hashSecret(secret, this.dummySalt);
      return { ok: false, reason: 'unknown' };
    }
    if (!(known && known.id === id && known.until > now)) {
      const [, N, r, p] = row.hash.split('$');
      const expected = Buffer.from(row.hash);
      const actual = Buffer.from(
        await hashSecret(secret, Buffer.from(row.salt, 'base64url'), { N: Number(N), r: Number(r), p: Number(p), keylen: SCRYPT.keylen }),
      );
      if (expected.length !== actual.length || !crypto.timingSafeEqual(expected, actual)) return { ok: false, reason: 'bad_secret', tokenName: row.name };
      this.remember(digest, id, now);
    }
    if (row.revokedAt !== null) {
      this.verified.delete(digest);
      return { ok: false, reason: 'revoked', tokenName: row.name };
    }
    return { ok: true, identity: { id: row.id, name: row.name, role: row.role } };
  }

  /** Forgets what was verified for a token id (after revoking it here; other processes read the row). */
  forget(id: string): void {
    for (const [digest, v] of this.verified) if (v.id === id) this.verified.delete(digest);
  }

  private remember(digest: string, id: string, now: number): void {
    const max = this.options.maxRemembered ?? 1000;
    if (this.verified.size >= max) {
      for (const [d, v] of this.verified) if (v.until <= now) this.verified.delete(d);
      // Still full: drop the oldest entry (Map keeps insertion order).
      if (this.verified.size >= max) this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(digest, { id, until: now + (this.options.rememberMs ?? 5 * 60_000) });
  }
}

/**
 * Failed logins per client address, in memory only (never logged or stored): after `points`
 * failures within `durationSeconds` the address is refused for `blockSeconds`, valid token or
 * not, so guessing tokens from one address is slow. A missing token is not a failure: it is how
 * the dashboard asks whether it is logged in.
 */
export class FailedLoginLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly options: { points?: number; durationSeconds?: number; blockSeconds?: number } = {}) {
    this.limiter = new RateLimiterMemory({
      points: options.points ?? 10,
      duration: options.durationSeconds ?? 15 * 60,
      blockDuration: options.blockSeconds ?? 15 * 60,
    });
  }

  /** Seconds until the address may try again; 0 when it may now. */
  async retryAfter(address: string): Promise<number> {
    const res = await this.limiter.get(address);
    if (!res || res.consumedPoints < (this.options.points ?? 10)) return 0;
    return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  }

  /** Counts a failure. */
  async fail(address: string): Promise<void> {
    try {
      await this.limiter.consume(address);
    } catch (err) {
      // Over the limit: that is what retryAfter reports next time. Anything else is a real error.
      if (!(err instanceof RateLimiterRes)) throw err;
    }
  }
}

/** The name of the HttpOnly cookie the dashboard's session keeps the token in. */
export const SESSION_COOKIE = 'analyst_token';
/** A working day: long enough for one sitting, short enough that a forgotten browser logs out. */
export const SESSION_SECONDS = 8 * 3600;

/** The credentials a request carries: an `Authorization: Bearer` header first, else the session cookie. */
export function credentialsOf(headers: { authorization?: string; cookie?: string }): { token: string; via: 'header' | 'cookie' } | undefined {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    // A malformed Authorization header still counts as an attempt, with an impossible token.
    return { token: m ? m[1] : '', via: 'header' };
  }
  const cookie = cookieValue(headers.cookie, SESSION_COOKIE);
  return cookie === undefined ? undefined : { token: cookie, via: 'cookie' };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/**
 * The Set-Cookie value for a session: HttpOnly (no script can read the token), SameSite=Strict
 * (no other site's page can send it), only for the API's path, Secure when the public URL is
 * https. An empty token with Max-Age=0 clears it.
 */
export function sessionCookie(token: string, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/api/analyst',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${token ? SESSION_SECONDS : 0}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

import crypto from 'node:crypto';
import { z } from 'zod';
import { SOURCE_NAME } from '../../survey/sources';

/** What a Direct Line token grants: one conversation, as one (random) user, until `exp`. */
export interface TokenClaims {
  /** The conversation id the token is scoped to. */
  conv: string;
  /**
   * The user id. Web Chat and DirectLineJS read the `user` claim of a JWT and use it as the
   * sender; the `dl_` prefix is Direct Line's mark for "embedded in the token, cannot be forged".
   */
  user: string;
  /** The survey the conversation was opened for (`/s/<survey>`); the default survey when absent. */
  survey?: string;
  /** The start link's `src`, checked for its shape only (src/survey/sources.ts); absent when it named none. */
  src?: string;
  /** Issued and expiry times, seconds since the epoch (RFC 7519 NumericDate). */
  iat: number;
  exp: number;
}

/** A survey id as the registry spells it (src/survey/definition.ts). */
export const SURVEY_ID = /^[a-z][a-z0-9-]{0,63}$/;

const claimsSchema = z.object({
  conv: z.string().min(1).max(128),
  user: z.string().regex(/^dl_[A-Za-z0-9_-]{8,64}$/),
  survey: z.string().regex(SURVEY_ID).optional(),
  src: z.string().regex(SOURCE_NAME).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
});

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/** Thirty minutes, as Direct Line's own tokens; the client refreshes at half-life. */
export const DEFAULT_TOKEN_TTL_MS = 30 * 60 * 1000;

/**
 * Direct Line tokens as compact JWTs signed with HMAC-SHA256. A JWT because the official clients
 * decode the token to find the user id (Web Chat's `rectifyUserID`, DirectLineJS `setUserId`);
 * signed with a key derived from the server secret, so no process needs to remember tokens and
 * any bot process can check any token. Nothing about the respondent is in a token: a random
 * conversation id and a random user id.
 */
export class DirectLineTokens {
  private readonly key: Buffer;

  constructor(
    secret: string,
    readonly ttlMs: number = DEFAULT_TOKEN_TTL_MS,
    private readonly now: () => Date = () => new Date(),
  ) {
    // A key of its own: the same secret also keys respondent-state HMACs, and a token must never
    // be a valid MAC for anything else.
    this.key = crypto.createHmac('sha256', secret).update('directline-token-v1').digest();
  }

  /** A new conversation with a new random user. */
  issueNew(survey?: string, src?: string): { token: string; claims: TokenClaims } {
    return this.issue(crypto.randomBytes(18).toString('base64url'), `dl_${crypto.randomBytes(12).toString('base64url')}`, survey, src);
  }

  /** A token for an existing conversation and user, valid for `ttlMs` from now (refresh). */
  issue(conv: string, user: string, survey?: string, src?: string): { token: string; claims: TokenClaims } {
    const iat = Math.floor(this.now().getTime() / 1000);
    const claims: TokenClaims = { conv, user, ...(survey ? { survey } : {}), ...(src ? { src } : {}), iat, exp: iat + Math.ceil(this.ttlMs / 1000) };
    return { token: this.sign(claims), claims };
  }

  /** Signs any claims, including already expired ones (tests of expiry use this). */
  sign(claims: TokenClaims): string {
    const body = `${HEADER}.${base64url(JSON.stringify(claims))}`;
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  verify(token: string | undefined): TokenCheck {
    if (!token || token.length > 2048) return { ok: false, reason: 'malformed' };
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'malformed' };
    const [header, payload, signature] = parts;
    // The header is fixed: accepting whatever `alg` a token names is the classic JWT forgery
    // ("alg": "none", or HS256 keyed with a public key).
    if (header !== HEADER) return { ok: false, reason: 'signature' };
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(`${header}.${payload}`);
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
    let claims: TokenClaims;
    try {
      const parsed = claimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
      if (!parsed.success) return { ok: false, reason: 'malformed' };
      claims = parsed.data;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (claims.exp * 1000 <= this.now().getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  /** Seconds until the token expires, for `expires_in`. */
  expiresIn(claims: TokenClaims): number {
    return Math.max(0, claims.exp - Math.floor(this.now().getTime() / 1000));
  }

  private mac(data: string): Buffer {
    return crypto.createHmac('sha256', this.key).update(data).digest();
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

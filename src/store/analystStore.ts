/**
 * Storage of analyst access: API tokens (as slow hashes only) and the audit log of what each
 * token did. Kept apart from the survey store on purpose: nothing here refers to a response, and
 * the answer tables never learn who looked at them. One implementation per database, like the
 * survey store (src/store/sqliteAnalystStore.ts, src/store/pgAnalystStore.ts); tests/store/analystStore.test.ts is the
 * contract every implementation must pass.
 *
 * Times are kept to the hour (`createdAt`, `revokedAt`, an audit entry's `hour`): an exact time
 * next to an export could be matched against other logs, and the hour is all an audit needs.
 */
export interface AnalystStore {
  /** Stores a new token; throws {@link AnalystNameTakenError} when its name was ever used. */
  addToken(token: NewAnalystToken): Promise<void>;
  /** The token with this id (the non-secret prefix of the token), revoked or not. */
  findToken(id: string): Promise<AnalystTokenRecord | undefined>;
  /** Every token ever added, oldest first, without salts and hashes. */
  listTokens(): Promise<AnalystTokenInfo[]>;
  /**
   * Revokes the active token with this name; revoking stops it at once, for every request. Returns
   * the revoked token, or undefined when no active token has that name.
   */
  revokeToken(name: string, at: Date): Promise<AnalystTokenInfo | undefined>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Audit entries, newest first: at most `limit`, and only those before `beforeSeq` when given (paging). */
  readAudit(options: { limit: number; beforeSeq?: number }): Promise<StoredAuditEntry[]>;
  close(): Promise<void>;
}

/** An analyst reads the analysis, the exports and the codebook; an admin also manages tokens and reads the audit log. */
/**
 * analyst: analyses, exports, codebooks. reviewer: that, and the free-text review queue, the one
 * place where answers are read one by one. admin: everything, tokens and the audit log too.
 */
export type AnalystRole = 'analyst' | 'reviewer' | 'admin';
export const ANALYST_ROLES: readonly AnalystRole[] = ['analyst', 'reviewer', 'admin'];

export interface NewAnalystToken {
  /** The token's public prefix: random, unique, not secret. */
  id: string;
  /** Who holds it, as the operator wants to read it in the audit log ("bergen-analyst"). */
  name: string;
  role: AnalystRole;
  /** The scrypt salt, base64url; one per token. */
  salt: string;
  /** The scrypt hash with its parameters (src/analyst/auth.ts). */
  hash: string;
  /** Rounded down to the hour by the caller. */
  createdAt: Date;
}

export interface AnalystTokenInfo {
  id: string;
  name: string;
  role: AnalystRole;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface AnalystTokenRecord extends AnalystTokenInfo {
  salt: string;
  hash: string;
}

/** What happened to a request, in the audit log. */
export type AuditOutcome =
  /** Served. */
  | 'ok'
  /** Refused by disclosure control (a filter selects too few responses, or too few separate it from another request). */
  | 'refused'
  /** A parameter was wrong. */
  | 'bad_request'
  /** A valid token without the role the route needs. */
  | 'forbidden'
  /** A known token with a wrong secret, or a revoked one. */
  | 'denied'
  /** The server failed. */
  | 'error';

/**
 * One use of the analyst API. Holds what was asked, never what was answered: no counts, no rows,
 * no respondent values.
 */
export interface AuditEntry {
  /** Rounded down to the hour by the caller. */
  hour: Date;
  /** The token's name, or "(cli)" for the operator at the server's command line. */
  tokenName: string;
  /** Method and route, "GET /api/analyst/export". */
  action: string;
  /** The parameters as the analyst sent them (names and values), or a managed token's name and role. */
  filters: Record<string, string>;
  outcome: AuditOutcome;
}

export interface StoredAuditEntry extends AuditEntry {
  seq: number;
}

/** A token name can be used once: a revoked token keeps its name, so the audit log always names one token. */
export class AnalystNameTakenError extends Error {
  override name = 'AnalystNameTakenError';
  constructor(readonly tokenName: string) {
    super(
      `The name "${tokenName}" is already used by a token (perhaps a revoked one); names are never reused, so the audit log stays unambiguous. Choose another name.`,
    );
  }
}

/** The analyst tables do not exist: the database was not migrated. */
export class AnalystStoreNotMigratedError extends Error {
  override name = 'AnalystStoreNotMigratedError';
  constructor() {
    super('The analyst tables are missing: run `survey-bot migrate` (or start the bot once) to create them.');
  }
}

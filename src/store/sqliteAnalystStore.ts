import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  AnalystNameTakenError,
  AnalystRole,
  AnalystStore,
  AnalystStoreNotMigratedError,
  AnalystTokenInfo,
  AnalystTokenRecord,
  AuditEntry,
  AuditOutcome,
  NewAnalystToken,
  StoredAuditEntry,
} from './analystStore';

/** As the survey store: wait this long for another process's write lock. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Analyst tokens and the audit log in the bot's SQLite file, through better-sqlite3 with prepared
 * statements (a handful of small rows per request: Prisma's client would cost more than the
 * queries). The tables come from the project's migrations (prisma/sqlite/migrations, applied by
 * the survey store's `migrate`); this class only reads and writes them. The SQL is plain, so a
 * PostgreSQL implementation can keep it.
 *
 * Times are written as Prisma's SQLite adapter writes DateTime columns (ISO 8601 with "+00:00"),
 * so the Prisma client reads these rows too.
 */
export class SqliteAnalystStore implements AnalystStore {
  private readonly db: Database.Database;
  private statements?: ReturnType<SqliteAnalystStore['prepare']>;

  /** @param databaseUrl the survey database's `file:` URL (DATABASE_URL) */
  constructor(databaseUrl: string) {
    if (!databaseUrl.startsWith('file:')) throw new Error('SqliteAnalystStore needs a file: database URL');
    const file = databaseUrl.slice('file:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  }

  /** Prepared on first use, so a missing table becomes one clear error instead of a crash at start-up. */
  private get sql(): ReturnType<SqliteAnalystStore['prepare']> {
    if (!this.statements) {
      try {
        this.statements = this.prepare();
      } catch (err) {
        // By its message, not `instanceof Error`: better-sqlite3 makes its errors in the realm that
        // loaded it first, which under Jest is not always this one.
        if (/no such table/i.test(String((err as { message?: unknown }).message))) throw new AnalystStoreNotMigratedError();
        throw err;
      }
    }
    return this.statements;
  }

  private prepare() {
    const db = this.db;
    const tokenColumns = '"id", "name", "role", "createdAt", "revokedAt"';
    return {
      addToken: db.prepare('INSERT INTO "AnalystToken" ("id", "name", "role", "salt", "hash", "createdAt", "revokedAt") VALUES (?, ?, ?, ?, ?, ?, NULL)'),
      findToken: db.prepare(`SELECT ${tokenColumns}, "salt", "hash" FROM "AnalystToken" WHERE "id" = ?`),
      findByName: db.prepare(`SELECT ${tokenColumns} FROM "AnalystToken" WHERE "name" = ?`),
      listTokens: db.prepare(`SELECT ${tokenColumns} FROM "AnalystToken" ORDER BY "createdAt", "name"`),
      revokeToken: db.prepare('UPDATE "AnalystToken" SET "revokedAt" = ? WHERE "name" = ? AND "revokedAt" IS NULL'),
      appendAudit: db.prepare('INSERT INTO "AnalystAudit" ("hour", "tokenName", "action", "filters", "outcome") VALUES (?, ?, ?, ?, ?)'),
      readAudit: db.prepare('SELECT "seq", "hour", "tokenName", "action", "filters", "outcome" FROM "AnalystAudit" ORDER BY "seq" DESC LIMIT ?'),
      readAuditBefore: db.prepare(
        'SELECT "seq", "hour", "tokenName", "action", "filters", "outcome" FROM "AnalystAudit" WHERE "seq" < ? ORDER BY "seq" DESC LIMIT ?',
      ),
    };
  }

  async addToken(t: NewAnalystToken): Promise<void> {
    try {
      this.sql.addToken.run(t.id, t.name, t.role, t.salt, t.hash, timestamp(t.createdAt));
    } catch (err) {
      // The name's unique index; an id collision (72 random bits) is left to surface as it is.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /AnalystToken\.name/.test((err as Error).message))
        throw new AnalystNameTakenError(t.name);
      throw err;
    }
  }

  async findToken(id: string): Promise<AnalystTokenRecord | undefined> {
    const row = this.sql.findToken.get(id) as (TokenRow & { salt: string; hash: string }) | undefined;
    return row ? { ...tokenInfo(row), salt: row.salt, hash: row.hash } : undefined;
  }

  async listTokens(): Promise<AnalystTokenInfo[]> {
    return (this.sql.listTokens.all() as TokenRow[]).map(tokenInfo);
  }

  async revokeToken(name: string, at: Date): Promise<AnalystTokenInfo | undefined> {
    const { changes } = this.sql.revokeToken.run(timestamp(at), name);
    if (changes === 0) return undefined;
    return tokenInfo(this.sql.findByName.get(name) as TokenRow);
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    this.sql.appendAudit.run(timestamp(e.hour), e.tokenName, e.action, JSON.stringify(e.filters), e.outcome);
  }

  async readAudit(options: { limit: number; beforeSeq?: number }): Promise<StoredAuditEntry[]> {
    const rows = (
      options.beforeSeq === undefined ? this.sql.readAudit.all(options.limit) : this.sql.readAuditBefore.all(options.beforeSeq, options.limit)
    ) as AuditRow[];
    return rows.map((r) => ({
      seq: r.seq,
      hour: new Date(r.hour),
      tokenName: r.tokenName,
      action: r.action,
      filters: JSON.parse(r.filters) as Record<string, string>,
      outcome: r.outcome as AuditOutcome,
    }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

interface TokenRow {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  revokedAt: string | null;
}

interface AuditRow {
  seq: number;
  hour: string;
  tokenName: string;
  action: string;
  filters: string;
  outcome: string;
}

function tokenInfo(r: TokenRow): AnalystTokenInfo {
  return {
    id: r.id,
    name: r.name,
    role: r.role as AnalystRole,
    createdAt: new Date(r.createdAt),
    revokedAt: r.revokedAt === null ? null : new Date(r.revokedAt),
  };
}

/** DateTime as Prisma's SQLite adapter stores it by default ("iso8601"). */
function timestamp(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

import pg from 'pg';
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

/**
 * Analyst tokens and the audit log on PostgreSQL: the same plain SQL as the SQLite store
 * (src/store/sqliteAnalystStore.ts), on a small pool of its own. The tables come from the
 * project's migrations (prisma/postgres/migrations, applied by the survey store's `migrate`).
 */
export class PgAnalystStore implements AnalystStore {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 5000 });
    this.pool.on('error', () => undefined);
  }

  async addToken(t: NewAnalystToken): Promise<void> {
    try {
      await this.query('INSERT INTO "AnalystToken" ("id", "name", "role", "salt", "hash", "createdAt", "revokedAt") VALUES ($1, $2, $3, $4, $5, $6, NULL)', [
        t.id,
        t.name,
        t.role,
        t.salt,
        t.hash,
        t.createdAt,
      ]);
    } catch (err) {
      if ((err as { code?: string; constraint?: string }).code === '23505' && /name/.test((err as { constraint?: string }).constraint ?? ''))
        throw new AnalystNameTakenError(t.name);
      throw err;
    }
  }

  async findToken(id: string): Promise<AnalystTokenRecord | undefined> {
    const { rows } = await this.query<TokenRow & { salt: string; hash: string }>(
      `SELECT ${TOKEN_COLUMNS}, "salt", "hash" FROM "AnalystToken" WHERE "id" = $1`,
      [id],
    );
    return rows[0] ? { ...tokenInfo(rows[0]), salt: rows[0].salt, hash: rows[0].hash } : undefined;
  }

  async listTokens(): Promise<AnalystTokenInfo[]> {
    return (await this.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM "AnalystToken" ORDER BY "createdAt", "name"`)).rows.map(tokenInfo);
  }

  async revokeToken(name: string, at: Date): Promise<AnalystTokenInfo | undefined> {
    const { rows } = await this.query<TokenRow>(
      `UPDATE "AnalystToken" SET "revokedAt" = $1 WHERE "name" = $2 AND "revokedAt" IS NULL RETURNING ${TOKEN_COLUMNS}`,
      [at, name],
    );
    return rows[0] ? tokenInfo(rows[0]) : undefined;
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    await this.query('INSERT INTO "AnalystAudit" ("hour", "tokenName", "action", "filters", "outcome") VALUES ($1, $2, $3, $4, $5)', [
      e.hour,
      e.tokenName,
      e.action,
      JSON.stringify(e.filters),
      e.outcome,
    ]);
  }

  async readAudit(options: { limit: number; beforeSeq?: number }): Promise<StoredAuditEntry[]> {
    const { rows } =
      options.beforeSeq === undefined
        ? await this.query<AuditRow>('SELECT "seq", "hour", "tokenName", "action", "filters", "outcome" FROM "AnalystAudit" ORDER BY "seq" DESC LIMIT $1', [
            options.limit,
          ])
        : await this.query<AuditRow>(
            'SELECT "seq", "hour", "tokenName", "action", "filters", "outcome" FROM "AnalystAudit" WHERE "seq" < $1 ORDER BY "seq" DESC LIMIT $2',
            [options.beforeSeq, options.limit],
          );
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
    await this.pool.end().catch(() => undefined);
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (err) {
      // 42P01: undefined_table — the database was not migrated.
      if ((err as { code?: string }).code === '42P01') throw new AnalystStoreNotMigratedError();
      throw err;
    }
  }
}

const TOKEN_COLUMNS = '"id", "name", "role", "createdAt", "revokedAt"';

interface TokenRow {
  id: string;
  name: string;
  role: string;
  createdAt: Date;
  revokedAt: Date | null;
}

interface AuditRow {
  seq: number;
  hour: Date;
  tokenName: string;
  action: string;
  filters: string;
  outcome: string;
}

function tokenInfo(r: TokenRow): AnalystTokenInfo {
  return { id: r.id, name: r.name, role: r.role as AnalystRole, createdAt: new Date(r.createdAt), revokedAt: r.revokedAt ? new Date(r.revokedAt) : null };
}

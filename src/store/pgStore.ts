import crypto from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { Prisma, PrismaClient } from '../generated/postgres/client';
import { migrationsDir } from '../paths';
import { pendingMigrations, readMigrations } from './migrator';
import {
  AnalysisResponse,
  CampaignRecord,
  InvitationRecord,
  KnownResponse,
  DuplicateDeliveryError,
  EtagConflictError,
  MigrationReport,
  OutboxRow,
  PurgeReport,
  ResponseFilter,
  ResponseOp,
  ResponseStatus,
  StateRecord,
  StepRef,
  StoredResponse,
  SurveyStore,
  TurnCommit,
  SurveyVersionExistsError,
  SurveyVersionInfo,
  SurveyVersionRecord,
  FreeTextCandidate,
  FreeTextDecision,
  FreeTextItemRecord,
  FreeTextState,
  countsByState,
  freeTextKey,
} from './store';
import { storableJson } from './json';
import { DIRECT } from '../survey/sources';

/**
 * The scale-out store: PostgreSQL, shared by several stateless bot processes, through Prisma's
 * client on `@prisma/adapter-pg` over one `pg` pool per process. A turn's own queries (the state
 * read, the commit, the outbox and delivery reads) are SQL on that pool, as prepared statements:
 * through Prisma's client, its query compiler and client took a third of the bot's CPU under the
 * turn benchmark (`npm run bench`), as they had on SQLite.
 *
 * Several writers at once are the normal case here, so every piece of a turn is safe with them:
 * the respondent's state is written only if it is still at the eTag the turn read (a row lock
 * orders two turns of one respondent; the loser runs again), the delivery record is inserted in
 * the turn's transaction (two copies of a message: one turn), and outbox rows are numbered per
 * conversation inside that transaction, so a poller's watermark never passes a row another
 * process has yet to commit.
 *
 * Migrations and the purge run under advisory locks: several processes starting together apply
 * each migration once, and one process purges while the others skip.
 */
export class PgStore implements SurveyStore {
  private readonly pool: pg.Pool;
  private readonly prisma: PrismaClient;

  constructor(databaseUrl: string, options: { poolSize?: number } = {}) {
    this.pool = new pg.Pool({
      connectionString: databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      // A turn's transaction is a few statements long. A bot host that vanishes mid-commit (not a
      // killed process, whose socket closes) would otherwise hold its locks (a delivery key, a
      // conversation's outbox) until TCP gives up, and a redelivered copy of the message would
      // wait on them; the server ends such a session after this long idle in its transaction.
      idle_in_transaction_session_timeout: 30000,
    });
    // An idle client that loses its server (a restart, a failover) emits here; without a listener
    // it would crash the process. The next query gets a fresh connection.
    this.pool.on('error', () => undefined);
    this.prisma = new PrismaClient({ adapter: new PrismaPg(this.pool) });
  }

  async migrate(): Promise<MigrationReport> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Held until COMMIT: a second process starting at the same moment waits here, then finds
      // every migration applied.
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
      const migrations = readMigrations(migrationsDir('postgres'));
      const { rows } = await client.query<{ migration_name: string; checksum: string }>(
        'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
      );
      const pending = pendingMigrations(new Map(rows.map((r) => [r.migration_name, r.checksum])), migrations);
      for (const m of pending) {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, now(), 1)`,
          [crypto.randomUUID(), m.checksum, m.name],
        );
      }
      await client.query('COMMIT');
      return { applied: pending.map((m) => m.name), alreadyApplied: migrations.length - pending.length };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.prisma.$disconnect();
    await this.pool.end().catch(() => undefined);
  }

  // --- responses -------------------------------------------------------------------------------

  async getResponse(id: string): Promise<StoredResponse | undefined> {
    const r = await this.prisma.response.findUnique({ where: { id }, include: { answers: true } });
    return r ? toStored(r) : undefined;
  }

  async listResponses(filter: { surveyId?: string; status?: ResponseStatus } = {}): Promise<StoredResponse[]> {
    const rows = await this.prisma.response.findMany({ where: filter, include: { answers: true }, orderBy: { id: 'asc' } });
    return rows.map(toStored);
  }

  // Exports and analysis read every answer of every response: PostgreSQL gathers each response's
  // answers into one JSON array, and a cursor hands them over in batches on a connection of the
  // scan's own, so memory stays flat however many there are.
  scanResponses(filter: ResponseFilter, options: { batchSize?: number; questions?: readonly string[] } = {}): AsyncIterable<StoredResponse[]> {
    const { where, params } = responseWhere(filter);
    const only = options.questions ? ` AND a."questionId" = ANY($${params.length + 1}::text[])` : '';
    const sql = `SELECT r.id, r."surveyId", r."surveyVersion", r."consentVersion", r.channel, r.period, r.language, r.status::text AS status, r."languageSwitches", r."notUnderstoodCount", r.confirmations, r."confirmationsDeclined", r.source,
        (SELECT COALESCE(json_agg(json_build_array(a."questionId", a.iteration, a.value, a.language, a.fallback, a."notUnderstood")), '[]'::json)
         FROM "Answer" a WHERE a."responseId" = r.id${only}) AS answers
      FROM "Response" r WHERE ${where} ORDER BY r.id`;
    return this.scan(sql, options.questions ? [...params, options.questions] : params, options.batchSize, (r: ScanRow) => ({
      ...r,
      status: r.status as ResponseStatus,
      answers: r.answers.map(([questionId, iteration, value, language, fallback, notUnderstood]) => ({
        questionId,
        iteration,
        value,
        language,
        fallback,
        notUnderstood,
      })),
    }));
  }

  scanForAnalysis(
    filter: ResponseFilter,
    options: { batchSize?: number; known?: readonly string[] } = {},
  ): AsyncIterable<(AnalysisResponse | KnownResponse)[]> {
    const { where, params } = responseWhere(filter);
    const sql = `SELECT r.id, CASE WHEN k.id IS NULL THEN json_build_array(r.language, r.channel, r.period, r.status::text, r."languageSwitches", r.confirmations, r."confirmationsDeclined", r.source,
          (SELECT COALESCE(json_agg(json_build_array(a."questionId", a.iteration, a.value, a.fallback::int, a."notUnderstood")), '[]'::json) FROM "Answer" a WHERE a."responseId" = r.id)) END AS data
      FROM "Response" r LEFT JOIN unnest($${params.length + 1}::text[]) AS k(id) ON k.id = r.id AND r.status = 'completed'
      WHERE ${where} ORDER BY r.id`;
    type Row = { id: string; data: [string, string, string, ResponseStatus, number, number, number, string, AnalysisResponse['answers']] | null };
    return this.scan(sql, [...params, options.known ?? []], options.batchSize, ({ id, data }: Row): AnalysisResponse | KnownResponse => {
      if (!data) return { id, known: true };
      const [language, channel, period, status, languageSwitches, confirmations, confirmationsDeclined, source, answers] = data;
      return { id, language, channel, period, status, languageSwitches, confirmations, confirmationsDeclined, source, answers };
    });
  }

  private async *scan<R, T>(sql: string, params: unknown[], batchSize = 2000, toRecord: (row: R) => T): AsyncIterable<T[]> {
    const client = await this.pool.connect();
    const cursor = client.query(new Cursor(sql, params));
    try {
      for (;;) {
        const rows = (await cursor.read(batchSize)) as R[];
        if (rows.length === 0) return;
        yield rows.map(toRecord);
        if (rows.length < batchSize) return;
      }
    } finally {
      await cursor.close().catch(() => undefined);
      client.release();
    }
  }

  async countResponses(filter: ResponseFilter): Promise<number> {
    const { where, params } = responseWhere(filter);
    const { rows } = await this.pool.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "Response" r WHERE ${where}`, params);
    return Number(rows[0].n);
  }

  async applyResponses(ops: readonly ResponseOp[]): Promise<void> {
    await this.transaction((sql) => applyOps(sql, ops));
  }

  // --- state, channels, turns ------------------------------------------------------------------

  async readState(key: string): Promise<StateRecord | undefined> {
    const { rows } = await this.pool.query<StateRecord>({ name: 'state_read', text: 'SELECT data, etag FROM "BotState" WHERE key = $1', values: [key] });
    return rows[0];
  }

  async readOutbox(conversation: string, afterSeq: number, limit: number): Promise<OutboxRow[]> {
    const { rows } = await this.pool.query<OutboxRow>({
      name: 'outbox_read',
      text: 'SELECT seq, activity FROM "OutboxEntry" WHERE conversation = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      values: [conversation, afterSeq, limit],
    });
    return rows;
  }

  // --- survey registry ---------------------------------------------------------------------

  async listSurveyVersions(): Promise<SurveyVersionInfo[]> {
    const { rows } = await this.pool.query<SurveyVersionInfo & { publishedAt: Date | null; closedAt: Date | null }>(
      `SELECT ${PG_VERSION_INFO} FROM "SurveyVersion" ORDER BY "surveyId", version`,
    );
    return rows.map(pgVersionInfo);
  }

  async readSurveyVersion(surveyId: string, version: number): Promise<SurveyVersionRecord | undefined> {
    const { rows } = await this.pool.query<SurveyVersionRecord & { publishedAt: Date | null; closedAt: Date | null }>(
      `SELECT ${PG_VERSION_INFO}, definition, texts, provenance FROM "SurveyVersion" WHERE "surveyId" = $1 AND version = $2`,
      [surveyId, version],
    );
    const r = rows[0];
    return r && { ...pgVersionInfo(r), definition: r.definition, texts: r.texts, provenance: r.provenance };
  }

  async insertSurveyVersion(r: SurveyVersionRecord): Promise<void> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO "SurveyVersion" ("surveyId", version, state, source, definition, texts, provenance, "contentHash", "createdAt", "publishedAt", "closedAt")
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9, $10, $11) ON CONFLICT ("surveyId", version) DO NOTHING`,
      [
        r.surveyId,
        r.version,
        r.state,
        r.source,
        JSON.stringify(r.definition),
        JSON.stringify(r.texts),
        JSON.stringify(r.provenance),
        r.contentHash,
        r.createdAt,
        r.publishedAt ?? null,
        r.closedAt ?? null,
      ],
    );
    if (rowCount === 0) throw new SurveyVersionExistsError(r.surveyId, r.version);
  }

  async setSurveyVersionState(surveyId: string, version: number, state: 'published' | 'closed', at: Date): Promise<void> {
    const column = state === 'published' ? '"publishedAt"' : '"closedAt"';
    await this.pool.query(`UPDATE "SurveyVersion" SET state = $3, ${column} = $4 WHERE "surveyId" = $1 AND version = $2`, [surveyId, version, state, at]);
  }

  async listSmsRoutes(): Promise<{ number: string; surveyId: string }[]> {
    const { rows } = await this.pool.query<{ number: string; surveyId: string }>('SELECT number, "surveyId" FROM "SmsRoute" ORDER BY number');
    return rows;
  }

  async setSmsRoute(number: string, surveyId: string | undefined): Promise<void> {
    if (surveyId === undefined) await this.pool.query('DELETE FROM "SmsRoute" WHERE number = $1', [number]);
    else
      await this.pool.query('INSERT INTO "SmsRoute" (number, "surveyId") VALUES ($1, $2) ON CONFLICT (number) DO UPDATE SET "surveyId" = EXCLUDED."surveyId"', [
        number,
        surveyId,
      ]);
  }

  async optedOut(keys: readonly string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const { rows } = await this.pool.query<{ key: string }>('SELECT key FROM "SmsOptOut" WHERE key = ANY($1::text[])', [keys]);
    return new Set(rows.map((r) => r.key));
  }

  async setOptOut(key: string, optedOut: boolean, at: Date): Promise<void> {
    if (optedOut) await this.pool.query('INSERT INTO "SmsOptOut" (key, "createdAt") VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, at]);
    else await this.pool.query('DELETE FROM "SmsOptOut" WHERE key = $1', [key]);
  }

  async saveCampaign(c: CampaignRecord): Promise<void> {
    await this.pool.query('INSERT INTO "Campaign" (id, "surveyId", "createdAt", "reminderAfterHours") VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [
      c.id,
      c.surveyId,
      c.createdAt,
      c.reminderAfterHours ?? null,
    ]);
  }

  async readCampaign(id: string): Promise<CampaignRecord | undefined> {
    const { rows } = await this.pool.query<{ id: string; surveyId: string; createdAt: Date; reminderAfterHours: number | null }>(
      'SELECT id, "surveyId", "createdAt", "reminderAfterHours" FROM "Campaign" WHERE id = $1',
      [id],
    );
    const r = rows[0];
    return (
      r && { id: r.id, surveyId: r.surveyId, createdAt: r.createdAt, ...(r.reminderAfterHours !== null ? { reminderAfterHours: r.reminderAfterHours } : {}) }
    );
  }

  async invitations(campaign: string, keys: readonly string[]): Promise<Map<string, InvitationRecord>> {
    if (!keys.length) return new Map();
    const { rows } = await this.pool.query<InvitationRecord>(
      'SELECT key, language, state, "invitedAt" FROM "Invitation" WHERE campaign = $1 AND key = ANY($2::text[])',
      [campaign, keys],
    );
    return new Map(rows.map((r) => [r.key, r]));
  }

  async saveInvitations(campaign: string, rows: readonly InvitationRecord[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500);
      await this.pool.query(
        `INSERT INTO "Invitation" (campaign, key, language, state, "invitedAt")
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamp(3)[])
         ON CONFLICT (campaign, key) DO UPDATE SET state = EXCLUDED.state`,
        [campaign, batch.map((r) => r.key), batch.map((r) => r.language), batch.map((r) => r.state), batch.map((r) => r.invitedAt)],
      );
    }
  }

  async invited(key: string, surveyId?: string): Promise<boolean> {
    const { rowCount } =
      surveyId === undefined
        ? await this.pool.query('SELECT 1 FROM "Invitation" WHERE key = $1 LIMIT 1', [key])
        : await this.pool.query('SELECT 1 FROM "Invitation" i JOIN "Campaign" c ON c.id = i.campaign WHERE i.key = $1 AND c."surveyId" = $2 LIMIT 1', [
            key,
            surveyId,
          ]);
    return (rowCount ?? 0) > 0;
  }

  async endCampaign(id: string): Promise<number> {
    return (await this.pool.query('DELETE FROM "Invitation" WHERE campaign = $1', [id])).rowCount ?? 0;
  }

  // --- free-text review ----------------------------------------------------------------------

  async queueFreeText(
    surveyId: string,
    questionIds: readonly string[],
    prepare: (candidate: FreeTextCandidate) => { id: string; text: string },
  ): Promise<number> {
    if (!questionIds.length) return 0;
    return this.plainTransaction(async (client) => {
      const { rows } = await client.query<FreeTextCandidate & { value: unknown }>(
        `SELECT a."responseId", a."questionId", a.iteration, a.language, r."surveyVersion", a.value FROM "Answer" a JOIN "Response" r ON r.id = a."responseId"
         WHERE r."surveyId" = $1 AND r.status = 'completed' AND a."questionId" = ANY($2::text[])
           AND jsonb_typeof(a.value) = 'string' AND a.value <> '""'::jsonb
           AND NOT EXISTS (SELECT 1 FROM "FreeTextItem" f WHERE f."responseId" = a."responseId" AND f."questionId" = a."questionId" AND f.iteration = a.iteration)
         FOR UPDATE OF a`,
        [surveyId, questionIds],
      );
      for (const row of rows) {
        const item = prepare({ ...row, text: row.value as string });
        // ON CONFLICT: another process queued the same answer meanwhile; its item stands.
        const inserted = await client.query(
          `INSERT INTO "FreeTextItem" (id, "responseId", "questionId", iteration, "surveyId", "surveyVersion", language, state, text)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8) ON CONFLICT ("responseId", "questionId", iteration) DO NOTHING`,
          [item.id, row.responseId, row.questionId, row.iteration, surveyId, row.surveyVersion, row.language, item.text],
        );
        if (inserted.rowCount) await syncFreeTextAnswer(client, item.id);
      }
      return rows.length;
    });
  }

  async freeTextItems(filter: { surveyId: string; surveyVersion?: number; state?: FreeTextState; limit?: number }): Promise<FreeTextItemRecord[]> {
    const { rows } = await this.pool.query<FreeTextItemRecord>(
      `SELECT ${FREE_TEXT_COLUMNS} FROM "FreeTextItem" WHERE "surveyId" = $1 AND ($2::int IS NULL OR "surveyVersion" = $2) AND ($3::text IS NULL OR state = $3)
       ORDER BY id LIMIT $4`,
      [filter.surveyId, filter.surveyVersion ?? null, filter.state ?? null, filter.limit ?? null],
    );
    return rows;
  }

  async freeTextItem(id: string): Promise<FreeTextItemRecord | undefined> {
    const { rows } = await this.pool.query<FreeTextItemRecord>(`SELECT ${FREE_TEXT_COLUMNS} FROM "FreeTextItem" WHERE id = $1`, [id]);
    return rows[0];
  }

  async freeTextCounts(surveyId: string, surveyVersion?: number): Promise<Record<FreeTextState, number>> {
    const { rows } = await this.pool.query<{ state: string; n: string }>(
      `SELECT state, COUNT(*) AS n FROM "FreeTextItem" WHERE "surveyId" = $1 AND ($2::int IS NULL OR "surveyVersion" = $2) GROUP BY state`,
      [surveyId, surveyVersion ?? null],
    );
    return countsByState(rows);
  }

  async reviewFreeText(id: string, decision: FreeTextDecision): Promise<FreeTextItemRecord | undefined> {
    return this.plainTransaction(async (client) => {
      const update =
        decision.action === 'approve'
          ? await client.query(`UPDATE "FreeTextItem" SET state = 'approved' WHERE id = $1 AND state <> 'deleted'`, [id])
          : decision.action === 'redact'
            ? await client.query(`UPDATE "FreeTextItem" SET text = $2 WHERE id = $1 AND state <> 'deleted'`, [id, decision.text])
            : await client.query(`UPDATE "FreeTextItem" SET state = 'deleted', text = '' WHERE id = $1 AND state <> 'deleted'`, [id]);
      if (!update.rowCount) return undefined;
      await syncFreeTextAnswer(client, id);
      const { rows } = await client.query<FreeTextItemRecord>(`SELECT ${FREE_TEXT_COLUMNS} FROM "FreeTextItem" WHERE id = $1`, [id]);
      return rows[0];
    });
  }

  async approvedFreeText(surveyId: string, surveyVersion?: number): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ responseId: string; questionId: string; iteration: string }>(
      `SELECT "responseId", "questionId", iteration FROM "FreeTextItem" WHERE "surveyId" = $1 AND ($2::int IS NULL OR "surveyVersion" = $2) AND state = 'approved'`,
      [surveyId, surveyVersion ?? null],
    );
    return new Set(rows.map((r) => freeTextKey(r.responseId, r.questionId, r.iteration)));
  }

  /** Runs `work` in one transaction on a pooled connection, with plain (unnamed) queries. */
  private async plainTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async readDelivery(key: string): Promise<string | undefined> {
    return (await readDelivery((q) => this.pool.query(q), key)) ?? undefined;
  }

  async outboxDepth(): Promise<number> {
    return this.prisma.outboxEntry.count();
  }

  async commitTurn(c: TurnCommit): Promise<{ etag?: string }> {
    return this.transaction((sql) => commit(sql, c));
  }

  async purgeExpired(now: Date): Promise<PurgeReport | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${PURGE_LOCK}::bigint) AS locked`;
      if (!locked) return undefined;
      const states = await tx.respondentState.deleteMany({ where: { expiresAt: { lte: now } } });
      const outbox = await tx.outboxEntry.deleteMany({ where: { expiresAt: { lte: now } } });
      const deliveries = await tx.delivery.deleteMany({ where: { expiresAt: { lte: now } } });
      return { states: states.count, channelData: outbox.count + deliveries.count };
    }, TRANSACTION_OPTIONS);
  }

  /** Runs `work` in one READ COMMITTED transaction on a pooled connection. */
  private async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.plainTransaction((client) => work((q) => client.query(q)));
  }
}

const FREE_TEXT_COLUMNS = 'id, "surveyId", "surveyVersion", "questionId", language, state, text';

/** The answer takes its item's text, the one change the database allows to a completed answer. */
async function syncFreeTextAnswer(client: pg.PoolClient, id: string): Promise<void> {
  await client.query(
    `UPDATE "Answer" a SET value = CASE WHEN f.state = 'deleted' THEN 'null'::jsonb ELSE to_jsonb(f.text) END FROM "FreeTextItem" f
     WHERE f.id = $1 AND a."responseId" = f."responseId" AND a."questionId" = f."questionId" AND a.iteration = f.iteration`,
    [id],
  );
}

/** Advisory lock keys: any fixed 64-bit numbers, the same in every process of a deployment. */
const MIGRATION_LOCK = 7_317_004_201;
export const PURGE_LOCK = 7_317_004_202;

// Under load a turn may wait for a pooled connection; the defaults (2 s to start, 5 s to finish)
// would fail turns that are merely queued.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000, isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted };

/** A prepared statement on the turn's connection (pg keeps one per name and connection). */
type Sql = (query: { name: string; text: string; values: unknown[] }) => Promise<pg.QueryResult>;

/**
 * Timestamps are `timestamp(3)` holding UTC, as Prisma writes them: PostgreSQL ignores the zone
 * of an ISO string given for a timestamp without time zone, so the UTC wall time is stored.
 */
const utc = (d: Date) => d.toISOString();

async function readDelivery(sql: Sql, key: string): Promise<string | undefined> {
  const { rows } = await sql({ name: 'delivery_read', text: 'SELECT reply FROM "Delivery" WHERE key = $1', values: [key] });
  return (rows[0] as { reply: string } | undefined)?.reply;
}

async function commit(sql: Sql, c: TurnCommit): Promise<{ etag?: string }> {
  // The delivery first: a duplicate fails before anything else is written, and its row lock makes
  // a second copy arriving at the same moment wait for the first, then find it handled.
  if (c.delivery) {
    const { rowCount } = await sql({
      name: 'delivery_insert',
      text: 'INSERT INTO "Delivery" (key, reply, "expiresAt") VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING',
      values: [c.delivery.key, c.delivery.reply, utc(c.delivery.expiresAt)],
    });
    if (rowCount === 0) throw new DuplicateDeliveryError((await readDelivery(sql, c.delivery.key)) ?? '');
  }
  let etag: string | undefined;
  if (c.state && 'delete' in c.state) await sql({ name: 'state_delete', text: 'DELETE FROM "BotState" WHERE key = $1', values: [c.state.key] });
  else if (c.state) {
    etag = crypto.randomUUID();
    const row = [c.state.key, storableJson(c.state.data), etag, utc(c.state.expiresAt)];
    const insert = async () =>
      (
        await sql({
          name: 'state_insert',
          text: 'INSERT INTO "BotState" (key, data, etag, "expiresAt") VALUES ($1, $2::jsonb, $3, $4) ON CONFLICT (key) DO NOTHING',
          values: row,
        })
      ).rowCount === 1;
    if (c.state.etag === null) {
      if (!(await insert())) throw new EtagConflictError(c.state.key);
    } else if (c.state.etag === undefined) {
      await sql({
        name: 'state_upsert',
        text: 'INSERT INTO "BotState" (key, data, etag, "expiresAt") VALUES ($1, $2::jsonb, $3, $4) ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, etag = EXCLUDED.etag, "expiresAt" = EXCLUDED."expiresAt"',
        values: row,
      });
    } else {
      const { rowCount } = await sql({
        name: 'state_update',
        text: 'UPDATE "BotState" SET data = $2::jsonb, etag = $3, "expiresAt" = $4 WHERE key = $1 AND etag = $5',
        values: [...row, c.state.etag],
      });
      // Not updated: the row we read is gone (completed, withdrawn or purged meanwhile), and we
      // write it afresh, or another turn changed or re-created it first, and we lost the race.
      if (rowCount === 0 && !(await insert())) throw new EtagConflictError(c.state.key);
    }
  }
  await applyOps(sql, c.responses);
  if (c.outbox && c.outbox.activities.length) {
    // One writer per conversation at a time, until commit: the next number is read and used under
    // the lock (in a statement of its own, so its snapshot is taken after the lock is held), so
    // numbers follow commit order and a poller never skips a row (issue [postgres]).
    await sql({ name: 'outbox_lock', text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', values: [c.outbox.conversation] });
    await sql({
      name: 'outbox_append',
      text: `INSERT INTO "OutboxEntry" (conversation, seq, activity, "expiresAt")
        SELECT $1, last.seq + t.n, t.activity, $3 FROM (SELECT GREATEST(COALESCE(MAX(seq), 0), $4)::int AS seq FROM "OutboxEntry" WHERE conversation = $1) AS last,
        unnest($2::jsonb[]) WITH ORDINALITY AS t(activity, n)`,
      values: [c.outbox.conversation, c.outbox.activities.map((a) => storableJson(a)), utc(c.outbox.expiresAt), c.outbox.seqFloor],
    });
  }
  if (c.outreach) {
    await sql({ name: 'invitation_replied', text: `UPDATE "Invitation" SET state = 'replied' WHERE key = $1`, values: [c.outreach.key] });
    if (c.outreach.optOut === true)
      await sql({
        name: 'opt_out_insert',
        text: 'INSERT INTO "SmsOptOut" (key, "createdAt") VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
        values: [c.outreach.key, utc(c.outreach.at)],
      });
    else if (c.outreach.optOut === false) await sql({ name: 'opt_out_delete', text: 'DELETE FROM "SmsOptOut" WHERE key = $1', values: [c.outreach.key] });
  }
  return { etag };
}

async function applyOps(sql: Sql, ops: readonly ResponseOp[]): Promise<void> {
  const dropSteps = (name: string, responseId: string, steps: readonly StepRef[]) =>
    steps.length
      ? sql({
          name,
          text: 'DELETE FROM "Answer" WHERE "responseId" = $1 AND ("questionId", iteration) IN (SELECT * FROM unnest($2::text[], $3::text[]))',
          values: [responseId, steps.map((d) => d.questionId), steps.map((d) => d.iteration)],
        })
      : undefined;
  for (const op of ops) {
    switch (op.kind) {
      case 'start': {
        const r = op.response;
        await sql({
          name: 'response_start',
          text: `INSERT INTO "Response" (id, "surveyId", "surveyVersion", "consentVersion", channel, period, language, status, source) VALUES ($1, $2, $3, $4, $5, $6, $7, 'in_progress', $8)`,
          values: [r.id, r.surveyId, r.surveyVersion, r.consentVersion, r.channel, r.period, r.language, r.source ?? DIRECT],
        });
        break;
      }
      case 'answer': {
        const a = op.answer;
        // A skipped question's answer is the JSON value null, not SQL NULL.
        await sql({
          name: 'answer_upsert',
          text: `INSERT INTO "Answer" ("responseId", "questionId", iteration, value, language, fallback, "notUnderstood") VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
            ON CONFLICT ("responseId", "questionId", iteration) DO UPDATE SET value = EXCLUDED.value, language = EXCLUDED.language, fallback = EXCLUDED.fallback, "notUnderstood" = EXCLUDED."notUnderstood"`,
          values: [a.responseId, a.questionId, a.iteration, storableJson(a.value), a.language, a.fallback, a.notUnderstood ?? 0],
        });
        await dropSteps('answer_drop', a.responseId, op.drop);
        break;
      }
      case 'undo':
        await dropSteps('answer_drop', op.responseId, op.steps);
        break;
      case 'update':
        await sql({
          name: 'response_update',
          text: `UPDATE "Response" SET status = COALESCE($2::"ResponseStatus", status), "languageSwitches" = COALESCE($3::int, "languageSwitches"), "notUnderstoodCount" = COALESCE($4::int, "notUnderstoodCount"),
            confirmations = COALESCE($5::int, confirmations), "confirmationsDeclined" = COALESCE($6::int, "confirmationsDeclined") WHERE id = $1`,
          values: [
            op.responseId,
            op.patch.status ?? null,
            op.patch.languageSwitches ?? null,
            op.patch.notUnderstoodCount ?? null,
            op.patch.confirmations ?? null,
            op.patch.confirmationsDeclined ?? null,
          ],
        });
        break;
      case 'withdraw':
        // The response first: while it is there and completed, the database refuses to change its
        // answers (migration completed_responses_final).
        await sql({ name: 'response_withdraw', text: 'DELETE FROM "Response" WHERE id = $1', values: [op.responseId] });
        await sql({ name: 'response_withdraw_answers', text: 'DELETE FROM "Answer" WHERE "responseId" = $1', values: [op.responseId] });
        break;
    }
  }
}

const PG_VERSION_INFO = '"surveyId", version, state, source, "contentHash", "createdAt", "publishedAt", "closedAt"';

function pgVersionInfo(r: SurveyVersionInfo & { publishedAt?: Date | null; closedAt?: Date | null }): SurveyVersionInfo {
  const { publishedAt, closedAt, ...rest } = r;
  return {
    surveyId: rest.surveyId,
    version: rest.version,
    state: rest.state,
    source: rest.source,
    contentHash: rest.contentHash,
    createdAt: rest.createdAt,
    ...(publishedAt ? { publishedAt } : {}),
    ...(closedAt ? { closedAt } : {}),
  };
}

/** A response as the scan's query returns it: the status as text, the answers as JSON arrays. */
type ScanRow = Omit<StoredResponse, 'status' | 'answers'> & {
  status: string;
  answers: [string, string, StoredResponse['answers'][number]['value'], string, boolean, number][];
};

type ResponseRow = Prisma.ResponseGetPayload<{ include: { answers: true } }>;

function toStored(r: ResponseRow): StoredResponse {
  return {
    id: r.id,
    surveyId: r.surveyId,
    surveyVersion: r.surveyVersion,
    consentVersion: r.consentVersion,
    channel: r.channel,
    period: r.period,
    language: r.language,
    status: r.status,
    languageSwitches: r.languageSwitches,
    notUnderstoodCount: r.notUnderstoodCount,
    confirmations: r.confirmations,
    confirmationsDeclined: r.confirmationsDeclined,
    source: r.source,
    answers: r.answers
      .sort((a, b) => a.questionId.localeCompare(b.questionId) || a.iteration.localeCompare(b.iteration))
      .map((a) => ({
        questionId: a.questionId,
        iteration: a.iteration,
        value: a.value as StoredResponse['answers'][number]['value'],
        language: a.language,
        fallback: a.fallback,
        notUnderstood: a.notUnderstood,
      })),
  };
}

function responseWhere(f: ResponseFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, op: string, value: unknown) => {
    params.push(value);
    clauses.push(`r.${column} ${op} $${params.length}`);
  };
  add('"surveyId"', '=', f.surveyId);
  if (f.surveyVersion !== undefined) add('"surveyVersion"', '=', f.surveyVersion);
  if (f.status !== undefined) add('status', '=', f.status);
  if (f.language !== undefined) add('language', '=', f.language);
  if (f.channel !== undefined) add('channel', '=', f.channel);
  if (f.fromPeriod !== undefined) add('period', '>=', f.fromPeriod);
  if (f.toPeriod !== undefined) add('period', '<=', f.toPeriod);
  // COLLATE "C": byte order, as SQLite compares, so the id ranges of parallel scans agree.
  if (f.idFrom !== undefined) add('id COLLATE "C"', '>=', f.idFrom);
  if (f.idTo !== undefined) add('id COLLATE "C"', '<', f.idTo);
  return { where: clauses.join(' AND '), params };
}

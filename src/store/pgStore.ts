import crypto from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { Prisma, PrismaClient } from '../generated/postgres/client';
import { migrationsDir } from '../paths';
import { pendingMigrations, readMigrations } from './migrator';
import {
  DuplicateDeliveryError,
  EtagConflictError,
  MigrationReport,
  OutboxRow,
  PurgeReport,
  ResponseFilter,
  ResponseOp,
  ResponseStatus,
  StateRecord,
  StoredResponse,
  SurveyStore,
  TurnCommit,
} from './store';

/**
 * The scale-out store: PostgreSQL, shared by several stateless bot processes, through Prisma's
 * client on `@prisma/adapter-pg` over one `pg` pool per process.
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
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10, connectionTimeoutMillis: 5000 });
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
      const { rows } = await client.query<{ migration_name: string; checksum: string }>('SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL');
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
  async *scanResponses(filter: ResponseFilter, options: { batchSize?: number; questions?: readonly string[] } = {}): AsyncIterable<StoredResponse[]> {
    const batchSize = options.batchSize ?? 2000;
    const { where, params } = responseWhere(filter);
    const only = options.questions ? ` AND a."questionId" = ANY($${params.length + 1}::text[])` : '';
    const sql = `SELECT r.id, r."surveyId", r."surveyVersion", r."consentVersion", r.channel, r.period, r.language, r.status::text AS status, r."languageSwitches", r."notUnderstoodCount",
        (SELECT COALESCE(json_agg(json_build_array(a."questionId", a.iteration, a.value, a.language, a.fallback, a."notUnderstood")), '[]'::json)
         FROM "Answer" a WHERE a."responseId" = r.id${only}) AS answers
      FROM "Response" r WHERE ${where} ORDER BY r.id`;
    const client = await this.pool.connect();
    const cursor = client.query(new Cursor(sql, options.questions ? [...params, options.questions] : params));
    try {
      for (;;) {
        const rows = (await cursor.read(batchSize)) as ScanRow[];
        if (rows.length === 0) return;
        yield rows.map((r) => ({
          ...r,
          status: r.status as ResponseStatus,
          answers: r.answers.map(([questionId, iteration, value, language, fallback, notUnderstood]) => ({ questionId, iteration, value, language, fallback, notUnderstood })),
        }));
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
    await this.prisma.$transaction((tx) => applyOps(tx, ops), TRANSACTION_OPTIONS);
  }

  // --- state, channels, turns ------------------------------------------------------------------

  async readState(key: string): Promise<StateRecord | undefined> {
    const row = await this.prisma.botState.findUnique({ where: { key } });
    return row ? { data: row.data, etag: row.etag } : undefined;
  }

  async readOutbox(conversation: string, afterSeq: number, limit: number): Promise<OutboxRow[]> {
    const rows = await this.prisma.outboxEntry.findMany({ where: { conversation, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: limit });
    return rows.map((r) => ({ seq: r.seq, activity: r.activity }));
  }

  async readDelivery(key: string): Promise<string | undefined> {
    return (await this.prisma.delivery.findUnique({ where: { key } }))?.reply;
  }

  async outboxDepth(): Promise<number> {
    return this.prisma.outboxEntry.count();
  }

  async commitTurn(c: TurnCommit): Promise<{ etag?: string }> {
    return this.prisma.$transaction((tx) => commit(tx, c), TRANSACTION_OPTIONS);
  }

  async purgeExpired(now: Date): Promise<PurgeReport | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${PURGE_LOCK}::bigint) AS locked`;
      if (!locked) return undefined;
      const states = await tx.botState.deleteMany({ where: { expiresAt: { lte: now } } });
      const outbox = await tx.outboxEntry.deleteMany({ where: { expiresAt: { lte: now } } });
      const deliveries = await tx.delivery.deleteMany({ where: { expiresAt: { lte: now } } });
      return { states: states.count, channelData: outbox.count + deliveries.count };
    }, TRANSACTION_OPTIONS);
  }
}

/** Advisory lock keys: any fixed 64-bit numbers, the same in every process of a deployment. */
const MIGRATION_LOCK = 7_317_004_201;
const PURGE_LOCK = 7_317_004_202;

// Under load a turn may wait for a pooled connection; the defaults (2 s to start, 5 s to finish)
// would fail turns that are merely queued.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000, isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted };

type Tx = Prisma.TransactionClient;

async function commit(tx: Tx, c: TurnCommit): Promise<{ etag?: string }> {
  // The delivery first: a duplicate fails before anything else is written, and its row lock makes
  // a second copy arriving at the same moment wait for the first, then find it handled.
  if (c.delivery) {
    const inserted = await tx.$executeRaw`INSERT INTO "Delivery" (key, reply, "expiresAt") VALUES (${c.delivery.key}, ${c.delivery.reply}, ${c.delivery.expiresAt}) ON CONFLICT (key) DO NOTHING`;
    if (inserted === 0) throw new DuplicateDeliveryError((await tx.delivery.findUniqueOrThrow({ where: { key: c.delivery.key } })).reply);
  }
  let etag: string | undefined;
  if (c.state && 'delete' in c.state) await tx.botState.deleteMany({ where: { key: c.state.key } });
  else if (c.state) {
    etag = crypto.randomUUID();
    const { key, expiresAt } = c.state;
    const data = c.state.data as Prisma.InputJsonValue;
    if (c.state.etag === null) {
      const inserted = await tx.$executeRaw`INSERT INTO "BotState" (key, data, etag, "expiresAt") VALUES (${key}, ${JSON.stringify(data)}::jsonb, ${etag}, ${expiresAt}) ON CONFLICT (key) DO NOTHING`;
      if (inserted === 0) throw new EtagConflictError(key);
    } else if (c.state.etag === undefined) {
      await tx.botState.upsert({ where: { key }, create: { key, data, etag, expiresAt }, update: { data, etag, expiresAt } });
    } else {
      const { count } = await tx.botState.updateMany({ where: { key, etag: c.state.etag }, data: { data, etag, expiresAt } });
      if (count === 0) {
        // The row we read is gone (completed, withdrawn or purged meanwhile) or another turn won.
        if (await tx.botState.count({ where: { key } })) throw new EtagConflictError(key);
        await tx.botState.create({ data: { key, data, etag, expiresAt } });
      }
    }
  }
  await applyOps(tx, c.responses);
  if (c.outbox && c.outbox.activities.length) {
    // One writer per conversation at a time, until commit: the next number is read and used under
    // the lock, so numbers follow commit order and a poller never skips a row (issue [postgres]).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${c.outbox.conversation}, 0))`;
    const [{ seq }] = await tx.$queryRaw<{ seq: number }[]>`SELECT COALESCE(MAX(seq), 0)::int AS seq FROM "OutboxEntry" WHERE conversation = ${c.outbox.conversation}`;
    await tx.outboxEntry.createMany({
      data: c.outbox.activities.map((a, i) => ({ conversation: c.outbox!.conversation, seq: seq + i + 1, activity: a as Prisma.InputJsonValue, expiresAt: c.outbox!.expiresAt })),
    });
  }
  return { etag };
}

async function applyOps(tx: Tx, ops: readonly ResponseOp[]): Promise<void> {
  for (const op of ops) {
    switch (op.kind) {
      case 'start':
        await tx.response.create({ data: { ...op.response, status: 'in_progress' } });
        break;
      case 'answer': {
        const { responseId, questionId, iteration, language, fallback } = op.answer;
        // JSON null is Prisma.JsonNull: a skipped question's answer is the JSON value null, not SQL NULL.
        const value = op.answer.value === null ? Prisma.JsonNull : (op.answer.value as Prisma.InputJsonValue);
        const notUnderstood = op.answer.notUnderstood ?? 0;
        await tx.answer.upsert({
          where: { responseId_questionId_iteration: { responseId, questionId, iteration } },
          create: { responseId, questionId, iteration, value, language, fallback, notUnderstood },
          update: { value, language, fallback, notUnderstood },
        });
        if (op.drop.length) await tx.answer.deleteMany({ where: { responseId, OR: op.drop.map((d) => ({ questionId: d.questionId, iteration: d.iteration })) } });
        break;
      }
      case 'undo':
        if (op.steps.length) await tx.answer.deleteMany({ where: { responseId: op.responseId, OR: op.steps.map((d) => ({ questionId: d.questionId, iteration: d.iteration })) } });
        break;
      case 'update':
        await tx.response.updateMany({ where: { id: op.responseId }, data: op.patch });
        break;
      case 'withdraw':
        await tx.answer.deleteMany({ where: { responseId: op.responseId } });
        await tx.response.deleteMany({ where: { id: op.responseId } });
        break;
    }
  }
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
    answers: r.answers
      .sort((a, b) => a.questionId.localeCompare(b.questionId) || a.iteration.localeCompare(b.iteration))
      .map((a) => ({ questionId: a.questionId, iteration: a.iteration, value: a.value as StoredResponse['answers'][number]['value'], language: a.language, fallback: a.fallback, notUnderstood: a.notUnderstood })),
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

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/sqlite/client';
import { migrationsDir } from '../paths';
import { pendingMigrations, readMigrations } from './migrator';
import {
  AnswerRecord,
  EtagConflictError,
  MigrationReport,
  NewResponse,
  ResponseFilter,
  ResponsePatch,
  ResponseStatus,
  StateRecord,
  StoredAnswer,
  StoredResponse,
  SurveyStore,
} from './store';

/** Wait this long for another process's write lock before failing (several bot processes may share a file). */
const BUSY_TIMEOUT_MS = 5000;

/** The embedded store: one SQLite file, created on first use. */
export class SqliteStore implements SurveyStore {
  private readonly prisma: PrismaClient;
  private readonly file: string;
  /** A read-only connection for exports and analysis, opened on first use (see scanResponses). */
  private reader?: Database.Database;

  constructor(databaseUrl: string) {
    this.file = databaseUrl.replace(/^file:/, '');
    if (this.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
    this.prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl, timeout: BUSY_TIMEOUT_MS }) });
  }

  async migrate(): Promise<MigrationReport> {
    const db = new Database(this.file, { timeout: BUSY_TIMEOUT_MS });
    try {
      // WAL lets readers run while a writer writes; it is a property of the file, set once.
      db.pragma('journal_mode = WAL');
      db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
        "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
        "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
      const migrations = readMigrations(migrationsDir('sqlite'));
      // Synchronous on purpose: the IMMEDIATE transaction holds the write lock with no await
      // inside, so another process waits on the busy timeout and then finds the work done, and
      // no other store in this process can interleave and wait on a lock this thread holds.
      const apply = db.transaction(() => {
        const applied = new Map(
          (db.prepare('SELECT migration_name, checksum FROM _prisma_migrations WHERE rolled_back_at IS NULL').all() as {
            migration_name: string;
            checksum: string;
          }[]).map((r) => [r.migration_name, r.checksum]),
        );
        const pending = pendingMigrations(applied, migrations);
        for (const m of pending) {
          db.exec(m.sql);
          db.prepare(
            `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
             VALUES (?, ?, current_timestamp, ?, current_timestamp, 1)`,
          ).run(crypto.randomUUID(), m.checksum, m.name);
        }
        return pending.map((m) => m.name);
      });
      const applied = apply.immediate();
      return { applied, alreadyApplied: migrations.length - applied.length };
    } finally {
      db.close();
    }
  }

  async ping(): Promise<void> {
    await this.prisma.$queryRawUnsafe('SELECT 1');
  }

  async close(): Promise<void> {
    this.reader?.close();
    this.reader = undefined;
    await this.prisma.$disconnect();
  }

  async createResponse(r: NewResponse): Promise<void> {
    await this.prisma.response.create({ data: { ...r, status: 'in_progress' } });
  }

  async saveAnswer(a: AnswerRecord): Promise<void> {
    const value = JSON.stringify(a.value);
    await this.prisma.answer.upsert({
      where: { responseId_questionId_iteration: { responseId: a.responseId, questionId: a.questionId, iteration: a.iteration } },
      create: { ...a, value, notUnderstood: a.notUnderstood ?? 0 },
      update: { value, language: a.language, fallback: a.fallback, notUnderstood: a.notUnderstood ?? 0 },
    });
  }

  async deleteAnswers(responseId: string, keys: { questionId: string; iteration: string }[]): Promise<void> {
    if (keys.length === 0) return;
    await this.prisma.answer.deleteMany({ where: { responseId, OR: keys } });
  }

  async updateResponse(id: string, patch: ResponsePatch): Promise<void> {
    await this.prisma.response.updateMany({ where: { id }, data: patch });
  }

  async deleteResponse(id: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.answer.deleteMany({ where: { responseId: id } }),
      this.prisma.response.deleteMany({ where: { id } }),
    ]);
  }

  async getResponse(id: string): Promise<StoredResponse | undefined> {
    const r = await this.prisma.response.findUnique({ where: { id }, include: { answers: true } });
    return r ? toStored(r) : undefined;
  }

  async listResponses(filter: { surveyId?: string; status?: ResponseStatus } = {}): Promise<StoredResponse[]> {
    const rows = await this.prisma.response.findMany({ where: filter, include: { answers: true } });
    return rows.map(toStored);
  }

  // Exports and analysis read every answer of up to hundreds of thousands of responses. Through
  // Prisma that costs microseconds per field (its query compiler and result mapping); a
  // read-only better-sqlite3 connection with prepared statements reads the same rows several
  // times faster, and WAL lets it read while the bot writes.
  async *scanResponses(filter: ResponseFilter, options: { batchSize?: number; questions?: readonly string[] } = {}): AsyncIterable<StoredResponse[]> {
    const db = this.readConnection();
    const { where, params } = responseWhere(filter);
    const page = db.prepare(`SELECT ${RESPONSE_COLUMNS} FROM "Response" WHERE ${where} AND id > ? ORDER BY id LIMIT ?`);
    const batchSize = options.batchSize ?? 2000;
    let after = '';
    for (;;) {
      const rows = page.all(...params, after, batchSize) as ResponseRowRaw[];
      if (rows.length === 0) return;
      yield this.withAnswers(db, rows, options.questions);
      after = rows[rows.length - 1].id;
      if (rows.length < batchSize) return;
    }
  }

  async readResponses(ids: readonly string[]): Promise<StoredResponse[]> {
    if (ids.length === 0) return [];
    const db = this.readConnection();
    const rows = db.prepare(`SELECT ${RESPONSE_COLUMNS} FROM "Response" WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as ResponseRowRaw[];
    return this.withAnswers(db, rows);
  }

  private withAnswers(db: Database.Database, rows: ResponseRowRaw[], questions?: readonly string[]): StoredResponse[] {
    const byId = new Map<string, StoredResponse>();
    const out = rows.map((r) => {
      const stored: StoredResponse = { ...r, status: r.status as ResponseStatus, answers: [] };
      byId.set(r.id, stored);
      return stored;
    });
    const ids = JSON.stringify(rows.map((r) => r.id));
    const answers = questions
      ? db.prepare(`${ANSWER_SELECT} AND questionId IN (SELECT value FROM json_each(?))`).raw().all(ids, JSON.stringify(questions))
      : db.prepare(ANSWER_SELECT).raw().all(ids);
    for (const a of answers as [string, string, string, string, string, number, number][]) {
      byId.get(a[0])!.answers.push({ questionId: a[1], iteration: a[2], value: JSON.parse(a[3]), language: a[4], fallback: a[5] === 1, notUnderstood: a[6] });
    }
    return out;
  }

  private readConnection(): Database.Database {
    this.reader ??= new Database(this.file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    return this.reader;
  }

  async readStates(keys: string[]): Promise<Record<string, StateRecord>> {
    if (keys.length === 0) return {};
    const rows = await this.prisma.botState.findMany({ where: { key: { in: keys } } });
    return Object.fromEntries(rows.map((r) => [r.key, { data: JSON.parse(r.data), etag: r.etag }]));
  }

  async writeState(key: string, data: unknown, expectedEtag: string | undefined, expiresAt: Date): Promise<string> {
    const etag = crypto.randomUUID();
    const json = JSON.stringify(data);
    if (expectedEtag === undefined || expectedEtag === '*') {
      await this.prisma.botState.upsert({ where: { key }, create: { key, data: json, etag, expiresAt }, update: { data: json, etag, expiresAt } });
      return etag;
    }
    const { count } = await this.prisma.botState.updateMany({ where: { key, etag: expectedEtag }, data: { data: json, etag, expiresAt } });
    if (count === 1) return etag;
    // The row we read is gone (completed, withdrawn or purged meanwhile) or another turn won.
    const exists = await this.prisma.botState.count({ where: { key } });
    if (exists) throw new EtagConflictError(key);
    await this.prisma.botState.create({ data: { key, data: json, etag, expiresAt } });
    return etag;
  }

  async deleteStates(keys: string[]): Promise<void> {
    if (keys.length) await this.prisma.botState.deleteMany({ where: { key: { in: keys } } });
  }

  async purgeExpiredStates(now: Date): Promise<number> {
    const { count } = await this.prisma.botState.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }

  async appendOutbox(conversation: string, activities: unknown[], expiresAt: Date): Promise<void> {
    if (activities.length === 0) return;
    // One transaction keeps a turn's replies contiguous in seq order for every poller.
    await this.prisma.$transaction(activities.map((a) => this.prisma.outboxActivity.create({ data: { conversation, activity: JSON.stringify(a), expiresAt } })));
  }

  async readOutbox(conversation: string, afterSeq: number, limit: number): Promise<{ seq: number; activity: unknown }[]> {
    const rows = await this.prisma.outboxActivity.findMany({ where: { conversation, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: limit });
    return rows.map((r) => ({ seq: r.seq, activity: JSON.parse(r.activity) }));
  }

  async claimDelivery(key: string, expiresAt: Date): Promise<{ state: 'new' } | { state: 'pending' } | { state: 'done'; reply: string }> {
    try {
      await this.prisma.smsDelivery.create({ data: { key, expiresAt } });
      return { state: 'new' };
    } catch (err) {
      if ((err as { code?: string }).code !== 'P2002') throw err; // P2002: unique constraint, someone else claimed it
      const row = await this.prisma.smsDelivery.findUnique({ where: { key } });
      if (!row) return this.claimDelivery(key, expiresAt); // released in between
      return row.reply === null ? { state: 'pending' } : { state: 'done', reply: row.reply };
    }
  }

  async completeDelivery(key: string, reply: string): Promise<void> {
    await this.prisma.smsDelivery.updateMany({ where: { key }, data: { reply } });
  }

  async releaseDelivery(key: string): Promise<void> {
    await this.prisma.smsDelivery.deleteMany({ where: { key, reply: null } });
  }

  async purgeExpiredChannelData(now: Date): Promise<number> {
    const [a, b] = await this.prisma.$transaction([
      this.prisma.outboxActivity.deleteMany({ where: { expiresAt: { lte: now } } }),
      this.prisma.smsDelivery.deleteMany({ where: { expiresAt: { lte: now } } }),
    ]);
    return a.count + b.count;
  }
}

const RESPONSE_COLUMNS = 'id, surveyId, surveyVersion, consentVersion, channel, period, language, status, languageSwitches, notUnderstoodCount';
const ANSWER_SELECT = 'SELECT responseId, questionId, iteration, value, language, fallback, notUnderstood FROM "Answer" WHERE responseId IN (SELECT value FROM json_each(?))';
type ResponseRowRaw = Omit<StoredResponse, 'answers'>;

/** The SQL condition (with its parameters) for a response filter. */
function responseWhere(f: ResponseFilter): { where: string; params: unknown[] } {
  const clauses = ['surveyId = ?'];
  const params: unknown[] = [f.surveyId];
  const add = (clause: string, value: unknown) => {
    clauses.push(clause);
    params.push(value);
  };
  if (f.surveyVersion !== undefined) add('surveyVersion = ?', f.surveyVersion);
  if (f.status !== undefined) add('status = ?', f.status);
  if (f.language !== undefined) add('language = ?', f.language);
  if (f.channel !== undefined) add('channel = ?', f.channel);
  // ISO weeks ("2026-W05") are zero-padded, so they compare as text in time order.
  if (f.fromPeriod !== undefined) add('period >= ?', f.fromPeriod);
  if (f.toPeriod !== undefined) add('period <= ?', f.toPeriod);
  return { where: clauses.join(' AND '), params };
}

type ResponseRow = Omit<StoredResponse, 'answers' | 'status'> & { status: string; answers: (Omit<AnswerRecord, 'value'> & { value: string })[] };

function toStored(r: ResponseRow): StoredResponse {
  return {
    id: r.id,
    surveyId: r.surveyId,
    surveyVersion: r.surveyVersion,
    consentVersion: r.consentVersion,
    channel: r.channel,
    period: r.period,
    language: r.language,
    status: r.status as ResponseStatus,
    languageSwitches: r.languageSwitches,
    notUnderstoodCount: r.notUnderstoodCount,
    answers: r.answers.map((a): StoredAnswer => ({ questionId: a.questionId, iteration: a.iteration, value: JSON.parse(a.value), language: a.language, fallback: a.fallback, notUnderstood: a.notUnderstood ?? 0 })),
  };
}

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrationsDir } from '../paths';
import { pendingMigrations, readMigrations } from './migrator';
import {
  AnalysisResponse,
  CampaignRecord,
  InvitationRecord,
  InvitationState,
  AnswerRecord,
  AnswerTuple,
  KnownResponse,
  DuplicateDeliveryError,
  FreeTextCandidate,
  FreeTextDecision,
  FreeTextItemRecord,
  FreeTextState,
  countsByState,
  freeTextKey,
  EtagConflictError,
  MigrationReport,
  OutboxRow,
  PurgeReport,
  ResponseFilter,
  ResponseOp,
  ResponseStatus,
  StateRecord,
  StoredAnswer,
  StoredResponse,
  SurveyStore,
  SurveyVersionExistsError,
  SurveyVersionInfo,
  SurveyVersionRecord,
  TurnCommit,
} from './store';
import { storableJson } from './json';
import { DIRECT } from '../survey/sources';

/** Wait this long for another process's write lock before failing (several bot processes may share a file). */
const BUSY_TIMEOUT_MS = 5000;
/** How long SQLite itself may block the event loop waiting for a lock, per statement (see `write`). */
const SYNC_BUSY_TIMEOUT_MS = 10;

/**
 * The embedded store: one SQLite file, created on first use.
 *
 * It speaks SQL to better-sqlite3 directly, with prepared statements, where the PostgreSQL store
 * goes through Prisma. A turn is one state read and one write transaction; through Prisma's
 * client each of its queries went through the query compiler first (27 % of a turn's CPU under
 * load, issue [turns]), while a prepared statement here costs microseconds. The schema stays
 * Prisma's (prisma/models.prisma), and so do the migrations; tests/store/storeContract.test.ts
 * holds both stores to the same behaviour.
 *
 * better-sqlite3 is synchronous: a commit holds the event loop for its tens of microseconds
 * (WAL, synchronous=FULL: measured 0.18 ms with the fsync on this machine's disk), which is less
 * than an async round trip would cost, and keeps each transaction free of awaits, so no other
 * turn of this process can interleave with it.
 */
export class SqliteStore implements SurveyStore {
  private readonly file: string;
  private connection?: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  /** How long a write waits for another connection's lock (SQLITE_BUSY_TIMEOUT_MS) before it fails with SQLITE_BUSY. */
  private readonly busyTimeoutMs: number;

  constructor(databaseUrl: string, options: { busyTimeoutMs?: number } = {}) {
    this.busyTimeoutMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
    this.file = databaseUrl.replace(/^file:/, '');
    if (this.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
  }

  async migrate(): Promise<MigrationReport> {
    const db = new Database(this.file, { timeout: this.busyTimeoutMs });
    try {
      // WAL lets readers (exports, the analysis) run while a writer writes; a property of the file, set once.
      db.pragma('journal_mode = WAL');
      db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
        "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
        "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
      const migrations = readMigrations(migrationsDir('sqlite'));
      // Synchronous on purpose: the IMMEDIATE transaction holds the write lock with no await
      // inside, so another process waits on the busy timeout and then finds the work done.
      const apply = db.transaction(() => {
        const applied = new Map(
          (
            db.prepare('SELECT migration_name, checksum FROM _prisma_migrations WHERE rolled_back_at IS NULL').all() as {
              migration_name: string;
              checksum: string;
            }[]
          ).map((r) => [r.migration_name, r.checksum]),
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
    this.sql('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.connection?.close();
    this.connection = undefined;
  }

  // --- responses -------------------------------------------------------------------------------

  async getResponse(id: string): Promise<StoredResponse | undefined> {
    const row = this.sql(`SELECT ${RESPONSE_COLUMNS}, ${ANSWERS_JSON} AS answers FROM "Response" r WHERE r.id = ?`).raw().get(id) as unknown[] | undefined;
    return row ? toResponse(row) : undefined;
  }

  async listResponses(filter: { surveyId?: string; status?: ResponseStatus } = {}): Promise<StoredResponse[]> {
    const rows = this.sql(
      `SELECT ${RESPONSE_COLUMNS}, ${ANSWERS_JSON} AS answers FROM "Response" r WHERE (@surveyId IS NULL OR r.surveyId = @surveyId) AND (@status IS NULL OR r.status = @status) ORDER BY r.id`,
    )
      .raw()
      .all({ surveyId: filter.surveyId ?? null, status: filter.status ?? null }) as unknown[][];
    return rows.map(toResponse);
  }

  // Exports and analysis read every answer of up to hundreds of thousands of responses; even
  // better-sqlite3 spends most of its time creating one JS value per column per answer. So SQLite
  // gathers each response's answers into one JSON array itself, on a read-only connection of the
  // scan's own (WAL lets it read while the bot writes), and JavaScript parses one string per
  // response: measured 0.8 s for 100,000 responses instead of 3.4 s row by row.
  scanResponses(filter: ResponseFilter, options: { batchSize?: number; questions?: readonly string[] } = {}): AsyncIterable<StoredResponse[]> {
    const answers = options.questions
      ? ANSWERS_JSON.replace('WHERE a.responseId = r.id', 'WHERE a.responseId = r.id AND a.questionId IN (SELECT value FROM json_each(?))')
      : ANSWERS_JSON;
    return this.scan(
      `SELECT ${RESPONSE_COLUMNS}, ${answers} AS answers FROM "Response" r`,
      options.questions ? [JSON.stringify(options.questions)] : [],
      filter,
      options.batchSize,
      toResponse,
    );
  }

  scanForAnalysis(
    filter: ResponseFilter,
    options: { batchSize?: number; known?: readonly string[] } = {},
  ): AsyncIterable<(AnalysisResponse | KnownResponse)[]> {
    return this.scan(ANALYSIS_SCAN, [JSON.stringify(options.known ?? [])], filter, options.batchSize, toAnalysisResponse);
  }

  private async *scan<T>(
    select: string,
    selectParams: unknown[],
    filter: ResponseFilter,
    batchSize = 2000,
    toRecord: (row: unknown[]) => T,
  ): AsyncIterable<T[]> {
    // A connection per scan: an open iterator keeps its connection busy until the scan ends.
    const db = new Database(this.file, { readonly: true, fileMustExist: true, timeout: this.busyTimeoutMs });
    try {
      const { where, params } = responseWhere(filter);
      const scan = db.prepare(`${select} WHERE ${where} ORDER BY r.id`).raw();
      let batch: T[] = [];
      for (const row of scan.iterate(...selectParams, ...params) as IterableIterator<unknown[]>) {
        batch.push(toRecord(row));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    } finally {
      db.close();
    }
  }

  async countResponses(filter: ResponseFilter): Promise<number> {
    const { where, params } = responseWhere(filter);
    return (this.sql(`SELECT COUNT(*) AS n FROM "Response" r WHERE ${where.replace(/\+r\./g, 'r.')}`).get(...params) as { n: number }).n;
  }

  async applyResponses(ops: readonly ResponseOp[]): Promise<void> {
    await this.write(() => this.applyOps(ops));
  }

  // --- state, channels, turns ------------------------------------------------------------------

  async readState(key: string): Promise<StateRecord | undefined> {
    const row = this.sql('SELECT data, etag FROM "BotState" WHERE key = ?').get(key) as { data: string; etag: string } | undefined;
    return row ? { data: JSON.parse(row.data), etag: row.etag } : undefined;
  }

  async readOutbox(conversation: string, afterSeq: number, limit: number): Promise<OutboxRow[]> {
    const rows = this.sql('SELECT seq, activity FROM "OutboxEntry" WHERE conversation = ? AND seq > ? ORDER BY seq LIMIT ?').all(
      conversation,
      afterSeq,
      limit,
    ) as {
      seq: number;
      activity: string;
    }[];
    return rows.map((r) => ({ seq: r.seq, activity: JSON.parse(r.activity) }));
  }

  async readDelivery(key: string): Promise<string | undefined> {
    return (this.sql('SELECT reply FROM "Delivery" WHERE key = ?').get(key) as { reply: string } | undefined)?.reply;
  }

  // --- survey registry ---------------------------------------------------------------------

  async listSurveyVersions(): Promise<SurveyVersionInfo[]> {
    const rows = this.sql(`SELECT ${VERSION_INFO} FROM "SurveyVersion" ORDER BY surveyId, version`).all() as VersionRow[];
    return rows.map(toVersionInfo);
  }

  async readSurveyVersion(surveyId: string, version: number): Promise<SurveyVersionRecord | undefined> {
    const row = this.sql(`SELECT ${VERSION_INFO}, definition, texts, provenance FROM "SurveyVersion" WHERE surveyId = ? AND version = ?`).get(
      surveyId,
      version,
    ) as (VersionRow & { definition: string; texts: string; provenance: string }) | undefined;
    return row && { ...toVersionInfo(row), definition: JSON.parse(row.definition), texts: JSON.parse(row.texts), provenance: JSON.parse(row.provenance) };
  }

  async insertSurveyVersion(r: SurveyVersionRecord): Promise<void> {
    await this.write(() => {
      const inserted = this.sql(
        `INSERT INTO "SurveyVersion" (surveyId, version, state, source, definition, texts, provenance, contentHash, createdAt, publishedAt, closedAt)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (surveyId, version) DO NOTHING`,
      ).run(
        r.surveyId,
        r.version,
        r.state,
        r.source,
        JSON.stringify(r.definition),
        JSON.stringify(r.texts),
        JSON.stringify(r.provenance),
        r.contentHash,
        stamp(r.createdAt),
        r.publishedAt ? stamp(r.publishedAt) : null,
        r.closedAt ? stamp(r.closedAt) : null,
      );
      if (inserted.changes === 0) throw new SurveyVersionExistsError(r.surveyId, r.version);
    });
  }

  async setSurveyVersionState(surveyId: string, version: number, state: 'published' | 'closed', at: Date): Promise<void> {
    await this.write(() => {
      const column = state === 'published' ? 'publishedAt' : 'closedAt';
      this.sql(`UPDATE "SurveyVersion" SET state = ?, ${column} = ? WHERE surveyId = ? AND version = ?`).run(state, stamp(at), surveyId, version);
    });
  }

  async listSmsRoutes(): Promise<{ number: string; surveyId: string }[]> {
    return this.sql('SELECT number, surveyId FROM "SmsRoute" ORDER BY number').all() as { number: string; surveyId: string }[];
  }

  async setSmsRoute(number: string, surveyId: string | undefined): Promise<void> {
    await this.write(() => {
      if (surveyId === undefined) this.sql('DELETE FROM "SmsRoute" WHERE number = ?').run(number);
      else
        this.sql('INSERT INTO "SmsRoute" (number, surveyId) VALUES (?, ?) ON CONFLICT (number) DO UPDATE SET surveyId = excluded.surveyId').run(
          number,
          surveyId,
        );
    });
  }

  async optedOut(keys: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const stmt = this.sql('SELECT key FROM "SmsOptOut" WHERE key = ?');
    for (const k of keys) if (stmt.get(k)) out.add(k);
    return out;
  }

  async setOptOut(key: string, optedOut: boolean, at: Date): Promise<void> {
    await this.write(() => {
      if (optedOut) this.sql('INSERT INTO "SmsOptOut" (key, createdAt) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(key, stamp(at));
      else this.sql('DELETE FROM "SmsOptOut" WHERE key = ?').run(key);
    });
  }

  async saveCampaign(c: CampaignRecord): Promise<void> {
    await this.write(() =>
      this.sql('INSERT INTO "Campaign" (id, surveyId, createdAt, reminderAfterHours) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING').run(
        c.id,
        c.surveyId,
        stamp(c.createdAt),
        c.reminderAfterHours ?? null,
      ),
    );
  }

  async readCampaign(id: string): Promise<CampaignRecord | undefined> {
    const r = this.sql('SELECT id, surveyId, createdAt, reminderAfterHours FROM "Campaign" WHERE id = ?').get(id) as
      { id: string; surveyId: string; createdAt: string; reminderAfterHours: number | null } | undefined;
    return (
      r && {
        id: r.id,
        surveyId: r.surveyId,
        createdAt: new Date(r.createdAt),
        ...(r.reminderAfterHours !== null ? { reminderAfterHours: r.reminderAfterHours } : {}),
      }
    );
  }

  async invitations(campaign: string, keys: readonly string[]): Promise<Map<string, InvitationRecord>> {
    const out = new Map<string, InvitationRecord>();
    const stmt = this.sql('SELECT key, language, state, invitedAt FROM "Invitation" WHERE campaign = ? AND key = ?');
    for (const k of keys) {
      const r = stmt.get(campaign, k) as { key: string; language: string; state: InvitationState; invitedAt: string } | undefined;
      if (r) out.set(k, { ...r, invitedAt: new Date(r.invitedAt) });
    }
    return out;
  }

  async saveInvitations(campaign: string, rows: readonly InvitationRecord[]): Promise<void> {
    await this.write(() => {
      const stmt = this.sql(
        'INSERT INTO "Invitation" (campaign, key, language, state, invitedAt) VALUES (?, ?, ?, ?, ?) ON CONFLICT (campaign, key) DO UPDATE SET state = excluded.state',
      );
      for (const r of rows) stmt.run(campaign, r.key, r.language, r.state, stamp(r.invitedAt));
    });
  }

  async invited(key: string, surveyId?: string): Promise<boolean> {
    const row =
      surveyId === undefined
        ? this.sql('SELECT 1 FROM "Invitation" WHERE key = ? LIMIT 1').get(key)
        : this.sql('SELECT 1 FROM "Invitation" i JOIN "Campaign" c ON c.id = i.campaign WHERE i.key = ? AND c.surveyId = ? LIMIT 1').get(key, surveyId);
    return row !== undefined;
  }

  async endCampaign(id: string): Promise<number> {
    return this.write(() => this.sql('DELETE FROM "Invitation" WHERE campaign = ?').run(id).changes);
  }

  // --- free-text review ----------------------------------------------------------------------

  async queueFreeText(
    surveyId: string,
    questionIds: readonly string[],
    prepare: (candidate: FreeTextCandidate) => { id: string; text: string },
  ): Promise<number> {
    if (!questionIds.length) return 0;
    return this.write(() => {
      const rows = this.sql(
        `SELECT a.responseId, a.questionId, a.iteration, a.language, r.surveyVersion, a.value FROM "Answer" a JOIN "Response" r ON r.id = a.responseId
         WHERE r.surveyId = ? AND r.status = 'completed' AND a.questionId IN (SELECT value FROM json_each(?))
           AND json_type(a.value) = 'text' AND json_extract(a.value, '$') <> ''
           AND NOT EXISTS (SELECT 1 FROM "FreeTextItem" f WHERE f.responseId = a.responseId AND f.questionId = a.questionId AND f.iteration = a.iteration)`,
      ).all(surveyId, JSON.stringify(questionIds)) as {
        responseId: string;
        questionId: string;
        iteration: string;
        language: string;
        surveyVersion: number;
        value: string;
      }[];
      const insert = this.sql(
        `INSERT INTO "FreeTextItem" (id, responseId, questionId, iteration, surveyId, surveyVersion, language, state, text) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
      );
      for (const row of rows) {
        const item = prepare({ ...row, text: JSON.parse(row.value) as string });
        insert.run(item.id, row.responseId, row.questionId, row.iteration, surveyId, row.surveyVersion, row.language, item.text);
        this.syncFreeTextAnswer(item.id);
      }
      return rows.length;
    });
  }

  async freeTextItems(filter: { surveyId: string; surveyVersion?: number; state?: FreeTextState; limit?: number }): Promise<FreeTextItemRecord[]> {
    return this.sql(
      `SELECT ${FREE_TEXT_COLUMNS} FROM "FreeTextItem" WHERE surveyId = ? AND (? IS NULL OR surveyVersion = ?) AND (? IS NULL OR state = ?) ORDER BY id LIMIT ?`,
    ).all(
      filter.surveyId,
      filter.surveyVersion ?? null,
      filter.surveyVersion ?? null,
      filter.state ?? null,
      filter.state ?? null,
      filter.limit ?? -1,
    ) as FreeTextItemRecord[];
  }

  async freeTextItem(id: string): Promise<FreeTextItemRecord | undefined> {
    return this.sql(`SELECT ${FREE_TEXT_COLUMNS} FROM "FreeTextItem" WHERE id = ?`).get(id) as FreeTextItemRecord | undefined;
  }

  async freeTextCounts(surveyId: string, surveyVersion?: number): Promise<Record<FreeTextState, number>> {
    const rows = this.sql(`SELECT state, COUNT(*) AS n FROM "FreeTextItem" WHERE surveyId = ? AND (? IS NULL OR surveyVersion = ?) GROUP BY state`).all(
      surveyId,
      surveyVersion ?? null,
      surveyVersion ?? null,
    ) as { state: FreeTextState; n: number }[];
    return countsByState(rows);
  }

  async reviewFreeText(id: string, decision: FreeTextDecision): Promise<FreeTextItemRecord | undefined> {
    return this.write(() => {
      const update =
        decision.action === 'approve'
          ? this.sql(`UPDATE "FreeTextItem" SET state = 'approved' WHERE id = ? AND state <> 'deleted'`).run(id)
          : decision.action === 'redact'
            ? this.sql(`UPDATE "FreeTextItem" SET text = ? WHERE id = ? AND state <> 'deleted'`).run(decision.text, id)
            : this.sql(`UPDATE "FreeTextItem" SET state = 'deleted', text = '' WHERE id = ? AND state <> 'deleted'`).run(id);
      if (!update.changes) return undefined;
      this.syncFreeTextAnswer(id);
      return this.sql(`SELECT ${FREE_TEXT_COLUMNS} FROM "FreeTextItem" WHERE id = ?`).get(id) as FreeTextItemRecord;
    });
  }

  async approvedFreeText(surveyId: string, surveyVersion?: number): Promise<Set<string>> {
    const rows = this.sql(
      `SELECT responseId, questionId, iteration FROM "FreeTextItem" WHERE surveyId = ? AND (? IS NULL OR surveyVersion = ?) AND state = 'approved'`,
    )
      .raw()
      .all(surveyId, surveyVersion ?? null, surveyVersion ?? null) as [string, string, string][];
    return new Set(rows.map(([r, q, i]) => freeTextKey(r, q, i)));
  }

  /** The answer takes its item's text, the one change the database allows to a completed answer. */
  private syncFreeTextAnswer(id: string): void {
    this.sql(
      `UPDATE "Answer" SET value = (SELECT CASE WHEN f.state = 'deleted' THEN 'null' ELSE json_quote(f.text) END FROM "FreeTextItem" f WHERE f.id = ?)
       WHERE (responseId, questionId, iteration) = (SELECT responseId, questionId, iteration FROM "FreeTextItem" WHERE id = ?)`,
    ).run(id, id);
  }

  async outboxDepth(): Promise<number> {
    return (this.sql('SELECT COUNT(*) AS n FROM "OutboxEntry"').get() as { n: number }).n;
  }

  async commitTurn(c: TurnCommit): Promise<{ etag?: string }> {
    return this.write((): { etag?: string } => {
      // The delivery first: a duplicate fails before anything else is written.
      if (c.delivery) {
        const inserted = this.sql('INSERT INTO "Delivery" (key, reply, expiresAt) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING').run(
          c.delivery.key,
          c.delivery.reply,
          stamp(c.delivery.expiresAt),
        );
        if (inserted.changes === 0)
          throw new DuplicateDeliveryError((this.sql('SELECT reply FROM "Delivery" WHERE key = ?').get(c.delivery.key) as { reply: string }).reply);
      }
      let etag: string | undefined;
      if (c.state && 'delete' in c.state) this.sql('DELETE FROM "BotState" WHERE key = ?').run(c.state.key);
      else if (c.state) {
        etag = crypto.randomUUID();
        const { key, data, expiresAt } = c.state;
        const json = storableJson(data);
        if (c.state.etag === null) {
          if (
            this.sql('INSERT INTO "BotState" (key, data, etag, expiresAt) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING').run(
              key,
              json,
              etag,
              stamp(expiresAt),
            ).changes === 0
          ) {
            throw new EtagConflictError(key);
          }
        } else if (c.state.etag === undefined) {
          this.sql(
            'INSERT INTO "BotState" (key, data, etag, expiresAt) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data, etag = excluded.etag, expiresAt = excluded.expiresAt',
          ).run(key, json, etag, stamp(expiresAt));
        } else if (
          this.sql('UPDATE "BotState" SET data = ?, etag = ?, expiresAt = ? WHERE key = ? AND etag = ?').run(json, etag, stamp(expiresAt), key, c.state.etag)
            .changes === 0
        ) {
          // The row we read is gone (completed, withdrawn or purged meanwhile) or another turn won.
          if (this.sql('SELECT 1 FROM "BotState" WHERE key = ?').get(key)) throw new EtagConflictError(key);
          this.sql('INSERT INTO "BotState" (key, data, etag, expiresAt) VALUES (?, ?, ?, ?)').run(key, json, etag, stamp(expiresAt));
        }
      }
      this.applyOps(c.responses);
      if (c.outbox && c.outbox.activities.length) {
        let seq = (
          this.sql('SELECT MAX(COALESCE(MAX(seq), 0), ?) AS seq FROM "OutboxEntry" WHERE conversation = ?').get(c.outbox.seqFloor, c.outbox.conversation) as {
            seq: number;
          }
        ).seq;
        const insert = this.sql('INSERT INTO "OutboxEntry" (conversation, seq, activity, expiresAt) VALUES (?, ?, ?, ?)');
        for (const a of c.outbox.activities) insert.run(c.outbox.conversation, ++seq, storableJson(a), stamp(c.outbox.expiresAt));
      }
      if (c.outreach) {
        this.sql(`UPDATE "Invitation" SET state = 'replied' WHERE key = ?`).run(c.outreach.key);
        if (c.outreach.optOut === true)
          this.sql('INSERT INTO "SmsOptOut" (key, createdAt) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(c.outreach.key, stamp(c.outreach.at));
        else if (c.outreach.optOut === false) this.sql('DELETE FROM "SmsOptOut" WHERE key = ?').run(c.outreach.key);
      }
      return { etag };
    });
  }

  async purgeExpired(now: Date): Promise<PurgeReport> {
    return this.write(() => {
      const at = stamp(now);
      const states = this.sql('DELETE FROM "BotState" WHERE expiresAt <= ?').run(at).changes;
      const outbox = this.sql('DELETE FROM "OutboxEntry" WHERE expiresAt <= ?').run(at).changes;
      const deliveries = this.sql('DELETE FROM "Delivery" WHERE expiresAt <= ?').run(at).changes;
      return { states, channelData: outbox + deliveries };
    });
  }

  // --- internals -------------------------------------------------------------------------------

  private applyOps(ops: readonly ResponseOp[]): void {
    for (const op of ops) {
      switch (op.kind) {
        case 'start': {
          const r = op.response;
          this.sql(
            'INSERT INTO "Response" (id, surveyId, surveyVersion, consentVersion, channel, period, language, status, languageSwitches, notUnderstoodCount, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)',
          ).run(r.id, r.surveyId, r.surveyVersion, r.consentVersion, r.channel, r.period, r.language, 'in_progress', r.source ?? DIRECT);
          break;
        }
        case 'answer': {
          const a: AnswerRecord = op.answer;
          this.sql(
            `INSERT INTO "Answer" (responseId, questionId, iteration, value, language, fallback, notUnderstood) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (responseId, questionId, iteration) DO UPDATE SET value = excluded.value, language = excluded.language, fallback = excluded.fallback, notUnderstood = excluded.notUnderstood`,
          ).run(a.responseId, a.questionId, a.iteration, storableJson(a.value), a.language, a.fallback ? 1 : 0, a.notUnderstood ?? 0);
          this.deleteAnswers(a.responseId, op.drop);
          break;
        }
        case 'undo':
          this.deleteAnswers(op.responseId, op.steps);
          break;
        case 'update': {
          const { status, languageSwitches, notUnderstoodCount, confirmations, confirmationsDeclined } = op.patch;
          this.sql(
            `UPDATE "Response" SET status = COALESCE(?, status), languageSwitches = COALESCE(?, languageSwitches), notUnderstoodCount = COALESCE(?, notUnderstoodCount),
             confirmations = COALESCE(?, confirmations), confirmationsDeclined = COALESCE(?, confirmationsDeclined) WHERE id = ?`,
          ).run(status ?? null, languageSwitches ?? null, notUnderstoodCount ?? null, confirmations ?? null, confirmationsDeclined ?? null, op.responseId);
          break;
        }
        case 'withdraw':
          // The response first: while it is there and completed, the database refuses to change
          // its answers (migration completed_responses_final).
          this.sql('DELETE FROM "Response" WHERE id = ?').run(op.responseId);
          this.sql('DELETE FROM "Answer" WHERE responseId = ?').run(op.responseId);
          break;
      }
    }
  }

  private deleteAnswers(responseId: string, steps: readonly { questionId: string; iteration: string }[]): void {
    const del = this.sql('DELETE FROM "Answer" WHERE responseId = ? AND questionId = ? AND iteration = ?');
    for (const s of steps) del.run(responseId, s.questionId, s.iteration);
  }

  /**
   * Runs `work` as one IMMEDIATE write transaction. While another connection (another bot process,
   * `survey-bot migrate`, a test) holds the write lock, it waits between attempts on timers rather
   * than in SQLite's busy handler, which sleeps inside the synchronous call: one turn waiting for a
   * lock froze every request of the process, so four waiting SMS turns were answered after 5, 10,
   * 15 and 20 s, past Twilio's 15 s timeout, and /healthz after the last of them
   * (tests/faults/databaseUnavailable.test.ts). Retrying is safe: on SQLITE_BUSY the transaction
   * has rolled back. Gives up with SQLITE_BUSY once the busy timeout has passed.
   */
  private async write<T>(work: () => T): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      try {
        return this.db().transaction(work).immediate();
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY') || Date.now() + pause > deadline) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  private db(): Database.Database {
    // A short busy wait of its own, for the rare read that meets a lock (WAL recovery); writes wait in write().
    this.connection ??= new Database(this.file, { timeout: Math.min(this.busyTimeoutMs, SYNC_BUSY_TIMEOUT_MS) });
    return this.connection;
  }

  /** A prepared statement, prepared once per connection. */
  private sql(text: string): Database.Statement {
    let s = this.statements.get(text);
    if (!s) {
      s = this.db().prepare(text);
      this.statements.set(text, s);
    }
    return s;
  }
}

const FREE_TEXT_COLUMNS = 'id, surveyId, surveyVersion, questionId, language, state, text';

const RESPONSE_COLUMNS =
  'r.id, r.surveyId, r.surveyVersion, r.consentVersion, r.channel, r.period, r.language, r.status, r.languageSwitches, r.notUnderstoodCount, r.confirmations, r.confirmationsDeclined, r.source';
const ANSWERS_JSON = `(SELECT json_group_array(json_array(a.questionId, a.iteration, a.value, a.language, a.fallback, a.notUnderstood)) FROM "Answer" a WHERE a.responseId = r.id)`;

// Only what the analysis counts (no answer language); a known completed response without answers.
const ANALYSIS_SCAN = `SELECT r.id, r.language, r.channel, r.period, r.status, r.languageSwitches, r.confirmations, r.confirmationsDeclined, r.source, CASE WHEN r.status <> 'completed' OR r.id NOT IN (SELECT value FROM json_each(?))
  THEN (SELECT json_group_array(json_array(a.questionId, a.iteration, a.value, a.fallback, a.notUnderstood)) FROM "Answer" a WHERE a.responseId = r.id) END FROM "Response" r`;

function toAnalysisResponse(row: unknown[]): AnalysisResponse | KnownResponse {
  const id = row[0] as string;
  if (row[9] === null) return { id, known: true };
  const answers = JSON.parse(row[9] as string) as AnswerTuple[];
  // The value arrives as its JSON text; parsed in place, without a new object per answer.
  for (const a of answers) a[2] = parseValue(a[2] as string);
  return {
    id,
    language: row[1] as string,
    channel: row[2] as string,
    period: row[3] as string,
    status: row[4] as ResponseStatus,
    languageSwitches: row[5] as number,
    confirmations: row[6] as number,
    confirmationsDeclined: row[7] as number,
    source: row[8] as string,
    answers,
  };
}

function toResponse(row: unknown[]): StoredResponse {
  const answers = JSON.parse(row[13] as string) as [string, string, string, string, number, number][];
  return {
    id: row[0] as string,
    surveyId: row[1] as string,
    surveyVersion: row[2] as number,
    consentVersion: row[3] as number,
    channel: row[4] as string,
    period: row[5] as string,
    language: row[6] as string,
    status: row[7] as ResponseStatus,
    languageSwitches: row[8] as number,
    notUnderstoodCount: row[9] as number,
    confirmations: row[10] as number,
    confirmationsDeclined: row[11] as number,
    source: row[12] as string,
    answers: answers.map((a): StoredAnswer => ({
      questionId: a[0],
      iteration: a[1],
      value: parseValue(a[2]),
      language: a[3],
      fallback: a[4] === 1,
      notUnderstood: a[5],
    })),
  };
}

const VERSION_INFO = 'surveyId, version, state, source, contentHash, createdAt, publishedAt, closedAt';
type VersionRow = Omit<SurveyVersionInfo, 'createdAt' | 'publishedAt' | 'closedAt'> & {
  createdAt: string;
  publishedAt: string | null;
  closedAt: string | null;
};

function toVersionInfo(r: VersionRow): SurveyVersionInfo {
  return {
    surveyId: r.surveyId,
    version: r.version,
    state: r.state,
    source: r.source,
    contentHash: r.contentHash,
    createdAt: new Date(r.createdAt),
    ...(r.publishedAt ? { publishedAt: new Date(r.publishedAt) } : {}),
    ...(r.closedAt ? { closedAt: new Date(r.closedAt) } : {}),
  };
}

/**
 * Times as Prisma's SQLite adapter writes them ("2026-12-01T10:00:00.000+00:00"), so rows written
 * here and by Prisma's CLI compare alike; all in UTC, so they also compare as text.
 */
function stamp(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

/**
 * Most stored values are a JSON string ("yes") or a number; reading those without JSON.parse
 * halves the time an analysis of a hundred thousand responses spends turning rows into values.
 */
function parseValue(s: string): StoredAnswer['value'] {
  const c = s.charCodeAt(0);
  if (c === 34 && s.indexOf('\\') < 0) return s.slice(1, -1);
  if ((c >= 48 && c <= 57) || c === 45) return Number(s);
  return JSON.parse(s);
}

/**
 * The SQL condition (with its parameters) for a response filter, on the Response table as `r`.
 * Each column is written `+r.column`, which keeps SQLite from choosing the status index: the scan
 * walks the table in its own (id) order, sequentially, without a sort.
 */
function responseWhere(f: ResponseFilter): { where: string; params: unknown[] } {
  const clauses = ['+r.surveyId = ?'];
  const params: unknown[] = [f.surveyId];
  const add = (clause: string, value: unknown) => {
    clauses.push(clause);
    params.push(value);
  };
  if (f.surveyVersion !== undefined) add('+r.surveyVersion = ?', f.surveyVersion);
  if (f.status !== undefined) add('+r.status = ?', f.status);
  if (f.language !== undefined) add('+r.language = ?', f.language);
  if (f.channel !== undefined) add('+r.channel = ?', f.channel);
  // ISO weeks ("2026-W05") are zero-padded, so they compare as text in time order.
  if (f.fromPeriod !== undefined) add('+r.period >= ?', f.fromPeriod);
  if (f.toPeriod !== undefined) add('+r.period <= ?', f.toPeriod);
  if (f.idFrom !== undefined) add('r.id >= ?', f.idFrom);
  if (f.idTo !== undefined) add('r.id < ?', f.idTo);
  return { where: clauses.join(' AND '), params };
}

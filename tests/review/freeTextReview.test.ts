import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import Database from 'better-sqlite3';
import pg from 'pg';
import { runExport } from '../../src/export/exportService';
import { REVIEWER_PLACEHOLDER, freeTextQuestionIds, queueFreeText, redactSpan } from '../../src/export/freeTextReview';
import { loadLocales } from '../../src/language/i18n';
import { PgStore } from '../../src/store/pgStore';
import { SqliteStore } from '../../src/store/sqliteStore';
import { StoredResponse, SurveyStore } from '../../src/store/store';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';
import { tempDir } from '../helpers/harness';
import { generatePopulation, insertThroughStore } from '../helpers/population';
import { freshDatabase, postgresReachable, POSTGRES_SKIP_MESSAGE } from '../helpers/postgres';

/**
 * Issue 20, item 3: no free text leaves before a reviewer has read it. On both databases: answers
 * are queued as pending, redacted with today's rules; an export holds only approved items and
 * says how many wait; a reviewer's extra redaction is what the export shows; a deleted item's text
 * is gone from the answer too; and the database still refuses any other change to a completed answer.
 */
const survey = loadSurvey(DEFAULT_SURVEY_FILE);
const locales = loadLocales();

interface Backend {
  name: 'sqlite' | 'postgres';
  create(): Promise<{ store: SurveyStore; query(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]>; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    async create() {
      const file = path.join(tempDir(), 'survey.db');
      const store = new SqliteStore(`file:${file}`);
      await store.migrate();
      return {
        store,
        query: async (sql, values = []) => {
          const db = new Database(file);
          try {
            const stmt = db.prepare(sql);
            return stmt.reader ? (stmt.all(...values) as Record<string, unknown>[]) : (stmt.run(...values), []);
          } catch (err) {
            // better-sqlite3 keeps the SqliteError class of the first test file of this worker (see tests/registry).
            throw new Error((err as { message?: string }).message ?? String(err), { cause: err });
          } finally {
            db.close();
          }
        },
        cleanup: () => store.close(),
      };
    },
  },
  {
    name: 'postgres',
    async create() {
      const db = await freshDatabase('review');
      const store = new PgStore(db.url);
      await store.migrate();
      return {
        store,
        query: async (sql, values = []) => {
          const client = new pg.Client({ connectionString: db.url });
          await client.connect();
          try {
            return (
              await client.query(
                sql.replace(/\?/g, (_, i: number) => `$${sql.slice(0, i).split('?').length}`),
                values,
              )
            ).rows;
          } finally {
            await client.end();
          }
        },
        cleanup: async () => {
          await store.close();
          await db.drop();
        },
      };
    },
  },
];

/** Ten completed responses, each with a what_helped answer naming a caseworker mid-sentence, and two unfinished. */
function population(): StoredResponse[] {
  // Quasi-identifiers all alike, so disclosure control withholds no row (and no row's free text).
  const uniform: Record<string, string> = { background: 'born_abroad', age_band: 'age_26_35', children: 'no', years_in_norway: '5-9' };
  return generatePopulation(survey, 12, { seed: 4, unfinished: 0 }).map((r, i) => ({
    ...r,
    language: 'nb',
    channel: 'web',
    period: '2026-W10',
    status: i < 10 ? 'completed' : 'in_progress',
    answers: r.answers
      .filter((a) => !freeTextQuestionIds(survey).includes(a.questionId))
      .map((a) => (a.questionId in uniform && a.iteration === '' ? { ...a, value: uniform[a.questionId] } : a))
      .concat({
        questionId: 'what_helped',
        iteration: '',
        value: `svar ${i}: vi fikk hjelp av Maria Olsen på kontoret, og leiligheten på Tøyen var fin`,
        language: 'nb',
        fallback: false,
        notUnderstood: 0,
      }),
  }));
}

async function exportFree(store: SurveyStore) {
  const out = new PassThrough();
  const free = new PassThrough();
  const chunks: Buffer[] = [];
  free.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  out.resume();
  const summary = await runExport({ store, survey, locales }, { format: 'csv', includeFreeText: true, filter: {}, k: 3 }, out, free);
  const items = parse(Buffer.concat(chunks).toString('utf8'), { columns: true }) as { question: string; text: string }[];
  return { summary, items };
}

describe.each(backends)('free-text review on $name', (backend) => {
  let skip = false;
  let ctx: Awaited<ReturnType<Backend['create']>>;
  beforeAll(async () => {
    if (backend.name === 'postgres' && !(await postgresReachable())) {
      skip = true;
      console.warn(POSTGRES_SKIP_MESSAGE);
    }
  });
  beforeEach(async () => {
    if (skip) return;
    ctx = await backend.create();
    await insertThroughStore(ctx.store, population());
  });
  afterEach(async () => {
    if (!skip) await ctx.cleanup();
  });
  const it = (name: string, fn: () => Promise<void>) => test(name, async () => (skip ? undefined : fn()), 30000);

  it('completed answers wait as pending, redacted again; nothing reaches an export until approved, and the export counts what waits', async () => {
    const first = await exportFree(ctx.store);
    expect(first.items).toEqual([]);
    expect(first.summary.freeTextItems).toBe(0);
    expect(first.summary.freeTextPending).toBe(10);
    const pending = await ctx.store.freeTextItems({ surveyId: survey.id, state: 'pending' });
    expect(pending).toHaveLength(10);
    // Queued with today's rules: the caseworker's name in mid-sentence is gone, the place stays.
    for (const item of pending) {
      expect(item.text).not.toContain('Maria');
      expect(item.text).toContain('<NAME>');
      expect(item.text).toContain('Tøyen');
    }
    // The completed answer holds what its item holds: the less redacted text is nowhere. (The
    // test wrote the unredacted text straight into the store; the bot redacts before storing.)
    const stored = await ctx.query(
      `SELECT a.value FROM "Answer" a JOIN "Response" r ON r.id = a."responseId" WHERE a."questionId" = 'what_helped' AND r.status = 'completed'`,
    );
    expect(stored).toHaveLength(10);
    expect(stored.map((r) => JSON.stringify(r.value)).join(' ')).not.toContain('Maria');
    // Queuing again makes no second item; unfinished responses never become items.
    expect(await queueFreeText(ctx.store, survey)).toBe(0);
    expect(await ctx.store.freeTextCounts(survey.id)).toEqual({ pending: 10, approved: 0, deleted: 0 });
  });

  it("approve, a reviewer's extra redaction and delete: the export shows exactly what the reviewer decided", async () => {
    await queueFreeText(ctx.store, survey);
    const [a, b, c] = await ctx.store.freeTextItems({ surveyId: survey.id, state: 'pending' });
    await ctx.store.reviewFreeText(a.id, { action: 'approve' });
    const at = b.text.indexOf('Tøyen');
    const redacted = redactSpan(b.text, at, at + 'Tøyen'.length)!;
    expect(await ctx.store.reviewFreeText(b.id, { action: 'redact', text: redacted })).toMatchObject({ state: 'pending', text: redacted });
    await ctx.store.reviewFreeText(b.id, { action: 'approve' });
    expect(await ctx.store.reviewFreeText(c.id, { action: 'delete' })).toMatchObject({ state: 'deleted', text: '' });
    // A deleted item takes no further decision.
    expect(await ctx.store.reviewFreeText(c.id, { action: 'approve' })).toBeUndefined();
    expect(await ctx.store.reviewFreeText('no-such-item', { action: 'approve' })).toBeUndefined();

    const { items, summary } = await exportFree(ctx.store);
    expect(items.map((i) => i.text).sort()).toEqual([a.text, redacted].sort());
    expect(redacted).toContain(REVIEWER_PLACEHOLDER);
    expect(redacted).not.toContain('Tøyen');
    expect(summary.freeTextPending).toBe(7);
    expect(await ctx.store.freeTextCounts(survey.id)).toEqual({ pending: 7, approved: 2, deleted: 1 });
    // The deleted answer's text is gone from the answer table as well.
    const values = (await ctx.query(`SELECT value FROM "Answer" WHERE "questionId" = 'what_helped'`)).map((r) => r.value);
    expect(values.filter((v) => v === null || v === 'null')).toHaveLength(1);
    expect(values.map((v) => JSON.stringify(v)).join(' ')).not.toContain(c.text.slice(0, 8));
  });

  it('the database still refuses every other change to a completed answer, free text included', async () => {
    await queueFreeText(ctx.store, survey);
    const [item] = await ctx.store.freeTextItems({ surveyId: survey.id });
    const [row] = await ctx.query(`SELECT "responseId" FROM "FreeTextItem" WHERE id = ?`, [item.id]);
    const text = backend.name === 'sqlite' ? `json_quote('something else')` : `to_jsonb('something else'::text)`;
    await expect(ctx.query(`UPDATE "Answer" SET value = ${text} WHERE "responseId" = ? AND "questionId" = 'what_helped'`, [row.responseId])).rejects.toThrow(
      /completed response is final/,
    );
    // A choice answer of the same response: refused as before.
    const same = backend.name === 'sqlite' ? `json_quote('x')` : `'"x"'::jsonb`;
    await expect(ctx.query(`UPDATE "Answer" SET value = ${same} WHERE "responseId" = ? AND "questionId" = 'needed_help'`, [row.responseId])).rejects.toThrow(
      /completed response is final/,
    );
  });

  it('withdrawing a response deletes its items with it', async () => {
    await queueFreeText(ctx.store, survey);
    const [row] = await ctx.query(`SELECT "responseId" FROM "FreeTextItem" LIMIT 1`);
    await ctx.query(`DELETE FROM "Response" WHERE id = ?`, [row.responseId]);
    expect((await ctx.store.freeTextCounts(survey.id)).pending).toBe(9);
  });
});

describe('a reviewer’s span', () => {
  const text = 'vi fikk hjelp av <NAME> på NAV Tøyen';
  test('replaces exactly the selection, widened to whole placeholders it cuts into', () => {
    const at = text.indexOf('Tøyen');
    expect(redactSpan(text, at, at + 5)).toBe('vi fikk hjelp av <NAME> på NAV <REDACTED>');
    expect(redactSpan(text, text.indexOf('hjelp'), text.indexOf('<NAME>') + 3)).toBe('vi fikk <REDACTED> på NAV Tøyen');
  });
  test('refuses a span outside the text, empty, reversed, or of only spaces and placeholders', () => {
    for (const [s, e] of [
      [-1, 3],
      [3, 3],
      [5, 2],
      [0, text.length + 1],
      [1.5, 4],
      [text.indexOf('<NAME>') - 1, text.indexOf('<NAME>') + 6],
    ])
      expect(redactSpan(text, s, e)).toBeUndefined();
  });
});

import pg from 'pg';
import path from 'node:path';
import { PgStore, PURGE_LOCK } from '../../src/store/pgStore';
import { SqliteStore } from '../../src/store/sqliteStore';
import {
  AnalysisResponse,
  DuplicateDeliveryError,
  EtagConflictError,
  KnownResponse,
  NewResponse,
  ResponseFilter,
  StoredResponse,
  SurveyStore,
} from '../../src/store/store';
import { readMigrations } from '../../src/store/migrator';
import { migrationsDir } from '../../src/paths';
import { tempDir } from '../helpers/harness';
import { freshDatabase, postgresReachable, POSTGRES_SKIP_MESSAGE } from '../helpers/postgres';

/**
 * One contract, both databases: every behaviour the bot relies on is checked on SQLite and on
 * PostgreSQL (a fresh database on 127.0.0.1:5432, skipped with a message where none answers).
 */
interface Backend {
  name: 'sqlite' | 'postgres';
  /** A new, migrated store on a new, empty database, and a second store on the same database. */
  create(): Promise<{ store: SurveyStore; another(): Promise<SurveyStore>; url: string; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    async create() {
      const url = `file:${path.join(tempDir(), 'survey.db')}`;
      const store = new SqliteStore(url);
      await store.migrate();
      const others: SurveyStore[] = [];
      return {
        store,
        url,
        another: async () => {
          const s = new SqliteStore(url);
          others.push(s);
          return s;
        },
        cleanup: async () => {
          for (const s of [store, ...others]) await s.close();
        },
      };
    },
  },
  {
    name: 'postgres',
    async create() {
      const db = await freshDatabase();
      const store = new PgStore(db.url);
      await store.migrate();
      const others: SurveyStore[] = [];
      return {
        store,
        url: db.url,
        another: async () => {
          const s = new PgStore(db.url);
          others.push(s);
          return s;
        },
        cleanup: async () => {
          for (const s of [store, ...others]) await s.close();
          await db.drop();
        },
      };
    },
  },
];

const response = (id: string, over: Partial<NewResponse> = {}): NewResponse => ({
  id,
  surveyId: 'housing-help',
  surveyVersion: 1,
  consentVersion: 1,
  channel: 'web',
  period: '2026-W48',
  language: 'nb',
  ...over,
});
const answer = (responseId: string, questionId: string, value: StoredResponse['answers'][number]['value'], iteration = '') => ({
  kind: 'answer' as const,
  answer: { responseId, questionId, iteration, value, language: 'nb', fallback: false },
  drop: [],
});
const hour = (h: number) => new Date(Date.UTC(2026, 11, 1, h));

describe.each(backends)('the $name store', (backend) => {
  let skip = false;
  let ctx: Awaited<ReturnType<Backend['create']>>;
  let store: SurveyStore;

  beforeAll(async () => {
    if (backend.name === 'postgres' && !(await postgresReachable())) {
      skip = true;
      console.warn(POSTGRES_SKIP_MESSAGE);
    }
  });
  beforeEach(async () => {
    if (skip) return;
    ctx = await backend.create();
    store = ctx.store;
  });
  afterEach(async () => {
    if (!skip) await ctx.cleanup();
  });
  /** A test that needs the database; a no-op (reported as skipped above) without one. */
  const it = (name: string, fn: () => Promise<void>) => test(name, async () => (skip ? undefined : fn()), 30000);

  it('migrates once, records every migration in _prisma_migrations, and migrating again applies nothing', async () => {
    const all = readMigrations(migrationsDir(backend.name)).map((m) => m.name);
    expect(await store.migrate()).toEqual({ applied: [], alreadyApplied: all.length });
  });

  it('several stores migrating the same new database at once apply each migration once', async () => {
    // A database of its own, not yet migrated by anyone but these four.
    const db = backend.name === 'sqlite' ? { url: `file:${path.join(tempDir(), 'race.db')}`, drop: async () => undefined } : await freshDatabase();
    const make = () => (backend.name === 'sqlite' ? new SqliteStore(db.url) : new PgStore(db.url));
    const racers = [make(), make(), make(), make()];
    try {
      const reports = await Promise.all(racers.map((s) => s.migrate()));
      expect(reports.flatMap((r) => r.applied)).toEqual(readMigrations(migrationsDir(backend.name)).map((m) => m.name));
    } finally {
      await Promise.all(racers.map((s) => s.close()));
      await db.drop();
    }
  });

  it('keeps answer values of every type intact, and answering a step again replaces the answer', async () => {
    const values = { a: 'owner', b: ['find_home', 'rent_arrears'], c: 4, d: null, e: '5-9', f: 'Ring meg, « quoted » \\ "x" ✓ بالعربي' };
    await store.applyResponses([{ kind: 'start', response: response('r1') }, ...Object.entries(values).map(([q, v]) => answer('r1', q, v))]);
    await store.applyResponses([answer('r1', 'a', 'temporary')]);
    const stored = Object.fromEntries((await store.getResponse('r1'))!.answers.map((a) => [a.questionId, a.value]));
    expect(stored).toEqual({ ...values, a: 'temporary' });
    const listed = await store.listResponses({ surveyId: 'housing-help' });
    expect(listed.map((r) => [r.id, r.status])).toEqual([['r1', 'in_progress']]);
  });

  it('removes the answers an answer made obsolete in the same change, and undoes an answer', async () => {
    await store.applyResponses([
      { kind: 'start', response: response('r2') },
      answer('r2', 'needed_help', 'yes'),
      answer('r2', 'help_areas', ['find_home']),
      answer('r2', 'help_got', 'yes', 'find_home'),
    ]);
    await store.applyResponses([
      {
        kind: 'answer',
        answer: { responseId: 'r2', questionId: 'needed_help', iteration: '', value: 'no', language: 'nb', fallback: false },
        drop: [
          { questionId: 'help_areas', iteration: '' },
          { questionId: 'help_got', iteration: 'find_home' },
        ],
      },
    ]);
    expect((await store.getResponse('r2'))!.answers.map((a) => [a.questionId, a.value])).toEqual([['needed_help', 'no']]);
    await store.applyResponses([{ kind: 'undo', responseId: 'r2', steps: [{ questionId: 'needed_help', iteration: '' }] }]);
    expect((await store.getResponse('r2'))!.answers).toEqual([]);
  });

  it('completes, counts and withdraws responses', async () => {
    await store.applyResponses([{ kind: 'start', response: response('keep') }, { kind: 'start', response: response('gone') }, answer('gone', 'q', 'v')]);
    await store.applyResponses([
      { kind: 'update', responseId: 'keep', patch: { status: 'completed', languageSwitches: 2, notUnderstoodCount: 3 } },
      { kind: 'withdraw', responseId: 'gone' },
    ]);
    expect(await store.getResponse('gone')).toBeUndefined();
    expect(await store.getResponse('keep')).toMatchObject({ status: 'completed', languageSwitches: 2, notUnderstoodCount: 3 });
  });

  it('scans every response with its answers in batches, filtered, and splits them into id ranges that cover all', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `${'0123456789abcdef'[i % 16]}${String(i).padStart(3, '0')}`);
    await store.applyResponses(
      ids.flatMap((id, i) => [
        {
          kind: 'start' as const,
          response: response(id, { language: i % 5 ? 'nb' : 'ar', channel: i % 2 ? 'sms' : 'web', period: `2026-W${String(10 + (i % 3)).padStart(2, '0')}` }),
        },
        answer(id, 'needed_help', 'yes'),
        answer(id, 'help_areas', ['find_home']),
        ...(i % 3 === 0 ? [{ kind: 'update' as const, responseId: id, patch: { status: 'completed' as const } }] : []),
      ]),
    );
    const scan = async (filter: Omit<ResponseFilter, 'surveyId'>, options = {}) => {
      const batches: StoredResponse[][] = [];
      for await (const b of store.scanResponses({ surveyId: 'housing-help', ...filter }, options)) batches.push(b);
      return batches;
    };
    const batches = await scan({}, { batchSize: 12 });
    expect(batches.map((b) => b.length)).toEqual([12, 12, 6]);
    expect(
      batches
        .flat()
        .map((r) => r.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(
      batches
        .flat()[0]
        .answers.map((a) => a.questionId)
        .sort(),
    ).toEqual(['help_areas', 'needed_help']);
    expect((await scan({ status: 'completed' })).flat()).toHaveLength(10);
    expect((await scan({ language: 'ar' })).flat()).toHaveLength(6);
    expect((await scan({ channel: 'sms' })).flat()).toHaveLength(15);
    expect((await scan({ fromPeriod: '2026-W11', toPeriod: '2026-W11' })).flat().every((r) => r.period === '2026-W11')).toBe(true);
    expect((await scan({}, { questions: ['help_areas'] })).flat().every((r) => r.answers.length === 1 && r.answers[0].questionId === 'help_areas')).toBe(true);
    const low = (await scan({ idTo: '8' })).flat();
    const high = (await scan({ idFrom: '8' })).flat();
    expect([...low, ...high].map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(await store.countResponses({ surveyId: 'housing-help', language: 'ar' })).toBe(6);
  });

  it('refuses every change to a completed response, from any writer, and still lets it be withdrawn', async () => {
    await store.applyResponses([
      { kind: 'start', response: response('final') },
      answer('final', 'needed_help', 'yes'),
      { kind: 'update', responseId: 'final', patch: { status: 'completed' } },
    ]);
    const before = await store.getResponse('final');
    for (const op of [
      answer('final', 'children', 'no'),
      answer('final', 'needed_help', 'no'),
      { kind: 'undo' as const, responseId: 'final', steps: [{ questionId: 'needed_help', iteration: '' }] },
      { kind: 'update' as const, responseId: 'final', patch: { languageSwitches: 4 } },
      { kind: 'update' as const, responseId: 'final', patch: { status: 'in_progress' as const } },
    ]) {
      const refusal = (write: Promise<unknown>) =>
        write.then(
          () => 'written',
          (err: Error) => err.message,
        );
      expect([op, await refusal(store.applyResponses([op]))]).toEqual([op, expect.stringMatching(/a completed response is final/)]);
      // Nor in a turn, whose other writes go with it.
      expect([op, await refusal(store.commitTurn({ state: { key: 'turn', data: {}, etag: null, expiresAt: hour(1) }, responses: [op] }))]).toEqual([
        op,
        expect.stringMatching(/a completed response is final/),
      ]);
      expect(await store.readState('turn')).toBeUndefined();
    }
    expect(await store.getResponse('final')).toEqual(before);
    await store.applyResponses([{ kind: 'withdraw', responseId: 'final' }]);
    expect(await store.getResponse('final')).toBeUndefined();
  });

  it('reads responses for the analysis as tuples, and a known completed one as its id alone', async () => {
    await store.applyResponses([
      { kind: 'start', response: response('done', { language: 'ar', channel: 'sms', period: '2026-W10' }) },
      answer('done', 'needed_help', 'yes'),
      answer('done', 'help_areas', ['find_home', 'keep_home']),
      answer('done', 'help_got', 'yes_all', 'find_home'),
      {
        kind: 'answer',
        answer: { responseId: 'done', questionId: 'age_band', iteration: '', value: 3, language: 'en', fallback: true, notUnderstood: 2 },
        drop: [],
      },
      { kind: 'update', responseId: 'done', patch: { status: 'completed', languageSwitches: 1 } },
      { kind: 'start', response: response('going') },
      answer('going', 'needed_help', 'no'),
      { kind: 'start', response: response('empty') },
      { kind: 'start', response: response('other', { surveyId: 'another-survey' }) },
    ]);
    const read = async (known?: string[]) => {
      const rows: (AnalysisResponse | KnownResponse)[] = [];
      for await (const b of store.scanForAnalysis({ surveyId: 'housing-help' }, { batchSize: 2, known })) rows.push(...b);
      return new Map(rows.map((r) => [r.id, r]));
    };
    const all = await read();
    expect([...all.keys()].sort()).toEqual(['done', 'empty', 'going']);
    const done = all.get('done') as AnalysisResponse;
    expect(done).toMatchObject({ language: 'ar', channel: 'sms', period: '2026-W10', status: 'completed', languageSwitches: 1 });
    expect([...done.answers].sort((a, b) => a[0].localeCompare(b[0]))).toEqual([
      ['age_band', '', 3, 1, 2],
      ['help_areas', '', ['find_home', 'keep_home'], 0, 0],
      ['help_got', 'find_home', 'yes_all', 0, 0],
      ['needed_help', '', 'yes', 0, 0],
    ]);
    expect(all.get('empty')).toMatchObject({ status: 'in_progress', answers: [] });
    // Known: a completed response comes back as its id; one still in progress, or unknown, in full;
    // an id that is gone does not come back.
    const again = await read(['done', 'going', 'withdrawn-meanwhile']);
    expect([...again.keys()].sort()).toEqual(['done', 'empty', 'going']);
    expect(again.get('done')).toEqual({ id: 'done', known: true });
    expect(again.get('going')).toMatchObject({ status: 'in_progress', answers: [['needed_help', '', 'no', 0, 0]] });
  });

  it('writes state only from the eTag it read: a stale or a racing write fails, a vanished row is written anew', async () => {
    const { etag: first } = await store.commitTurn({ state: { key: 'k', data: { v: 1 }, etag: null, expiresAt: hour(1) }, responses: [] });
    await expect(store.commitTurn({ state: { key: 'k', data: { v: 9 }, etag: null, expiresAt: hour(1) }, responses: [] })).rejects.toThrow(EtagConflictError);
    const { etag: second } = await store.commitTurn({ state: { key: 'k', data: { v: 2 }, etag: first, expiresAt: hour(2) }, responses: [] });
    await expect(store.commitTurn({ state: { key: 'k', data: { v: 3 }, etag: first, expiresAt: hour(2) }, responses: [] })).rejects.toThrow(EtagConflictError);
    expect(await store.readState('k')).toEqual({ data: { v: 2 }, etag: second });
    await store.commitTurn({ state: { key: 'k', delete: true }, responses: [] });
    expect(await store.readState('k')).toBeUndefined();
    await store.commitTurn({ state: { key: 'k', data: { v: 4 }, etag: second, expiresAt: hour(2) }, responses: [] });
    expect((await store.readState('k'))!.data).toEqual({ v: 4 });
  });

  it('writes nothing of a turn whose state lost the race: no answer, no delivery, no outbox row', async () => {
    await store.commitTurn({ state: { key: 's', data: {}, etag: null, expiresAt: hour(1) }, responses: [] });
    await expect(
      store.commitTurn({
        state: { key: 's', data: {}, etag: 'stale', expiresAt: hour(1) },
        responses: [{ kind: 'start', response: response('lost') }],
        delivery: { key: 'd', reply: 'r', expiresAt: hour(1) },
        outbox: { conversation: 'c', activities: [{ text: 'x' }], expiresAt: hour(1), seqFloor: 0 },
      }),
    ).rejects.toThrow(EtagConflictError);
    expect(await store.getResponse('lost')).toBeUndefined();
    expect(await store.readDelivery('d')).toBeUndefined();
    expect(await store.readOutbox('c', 0, 10)).toEqual([]);
  });

  it('handles one delivery key once: a duplicate gets the stored reply and writes nothing, even when copies race', async () => {
    await store.commitTurn({ responses: [{ kind: 'start', response: response('first') }], delivery: { key: 'msg', reply: '["hello"]', expiresAt: hour(5) } });
    const dup = store.commitTurn({
      responses: [{ kind: 'start', response: response('second') }],
      delivery: { key: 'msg', reply: '["other"]', expiresAt: hour(5) },
    });
    await expect(dup).rejects.toThrow(DuplicateDeliveryError);
    await expect(dup).rejects.toMatchObject({ reply: '["hello"]' });
    expect(await store.getResponse('second')).toBeUndefined();
    const other = await ctx.another();
    const racers = Array.from({ length: 6 }, (_, i) =>
      (i % 2 ? other : store).commitTurn({
        responses: [{ kind: 'start', response: response(`race-${i}`) }],
        delivery: { key: 'race', reply: String(i), expiresAt: hour(5) },
      }),
    );
    const results = await Promise.allSettled(racers);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof DuplicateDeliveryError)).toBe(true);
    expect((await store.listResponses()).filter((r) => r.id.startsWith('race-'))).toHaveLength(1);
  });

  it('numbers outbox rows per conversation in commit order, with no gap or repeat when writers race', async () => {
    await store.commitTurn({ responses: [], outbox: { conversation: 'a', activities: [{ n: 1 }, { n: 2 }], expiresAt: hour(3), seqFloor: 0 } });
    await store.commitTurn({ responses: [], outbox: { conversation: 'b', activities: [{ n: 1 }], expiresAt: hour(3), seqFloor: 0 } });
    await store.commitTurn({ responses: [], outbox: { conversation: 'a', activities: [{ n: 3 }], expiresAt: hour(3), seqFloor: 0 } });
    expect(await store.readOutbox('a', 0, 10)).toEqual([
      { seq: 1, activity: { n: 1 } },
      { seq: 2, activity: { n: 2 } },
      { seq: 3, activity: { n: 3 } },
    ]);
    expect(await store.readOutbox('a', 1, 1)).toEqual([{ seq: 2, activity: { n: 2 } }]);
    expect(await store.readOutbox('b', 0, 10)).toEqual([{ seq: 1, activity: { n: 1 } }]);
    const other = await ctx.another();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? other : store).commitTurn({ responses: [], outbox: { conversation: 'busy', activities: [{ i }, { i }], expiresAt: hour(3), seqFloor: 0 } }),
      ),
    );
    const rows = await store.readOutbox('busy', 0, 100);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    // Each writer's rows stay together: a turn's replies are contiguous.
    for (let i = 0; i < 24; i += 2) expect(rows[i].activity).toEqual(rows[i + 1].activity);
  });

  it('numbers on from the floor when it is higher, so numbers keep rising after the purge has emptied a conversation', async () => {
    await store.commitTurn({ responses: [], outbox: { conversation: 'idle', activities: [{ n: 1 }, { n: 2 }], expiresAt: hour(1), seqFloor: 5000 } });
    await store.commitTurn({ responses: [], outbox: { conversation: 'idle', activities: [{ n: 3 }], expiresAt: hour(1), seqFloor: 4000 } });
    expect((await store.readOutbox('idle', 0, 10)).map((r) => r.seq)).toEqual([5001, 5002, 5003]);
    await store.purgeExpired(hour(2));
    expect(await store.readOutbox('idle', 0, 10)).toEqual([]);
    await store.commitTurn({ responses: [], outbox: { conversation: 'idle', activities: [{ n: 4 }], expiresAt: hour(9), seqFloor: 7000 } });
    expect(await store.readOutbox('idle', 5003, 10)).toEqual([{ seq: 7001, activity: { n: 4 } }]);
  });

  it('stores text the database cannot hold (NUL, an unpaired surrogate) with U+FFFD in its place, in state, answers and outbox', async () => {
    const hostile = 'a\u0000b \ud83d c \ude00 d \\u0000 e 😀';
    const kept = 'a\ufffdb \ufffd c \ufffd d \\u0000 e 😀';
    await store.commitTurn({
      state: { key: 'h', data: { text: hostile }, etag: null, expiresAt: hour(9) },
      responses: [{ kind: 'start', response: response('rh') }, answer('rh', 'what_helped', hostile)],
      outbox: { conversation: 'h', activities: [{ text: hostile }], expiresAt: hour(9), seqFloor: 0 },
    });
    expect((await store.readState('h'))?.data).toEqual({ text: kept });
    expect((await store.getResponse('rh'))?.answers.map((a) => a.value)).toEqual([kept]);
    expect(await store.readOutbox('h', 0, 10)).toEqual([{ seq: 1, activity: { text: kept } }]);
  });

  it('purges each expired row once when several processes purge at once; on PostgreSQL one purges and the others skip', async () => {
    for (let i = 0; i < 20; i++)
      await store.commitTurn({
        state: { key: `exp-${i}`, data: {}, etag: null, expiresAt: hour(1) },
        responses: [],
        delivery: { key: `exp-${i}`, reply: 'x', expiresAt: hour(1) },
      });
    const others = [await ctx.another(), await ctx.another()];
    const reports = await Promise.all([store, ...others].map((s) => s.purgeExpired(hour(5))));
    const done = reports.filter((r) => r !== undefined);
    expect(done.reduce((n, r) => n + r!.states, 0)).toBe(20);
    expect(done.reduce((n, r) => n + r!.channelData, 0)).toBe(20);
    if (backend.name !== 'postgres') return;
    // While another process holds the purge, this one skips, and purges once it is free.
    await store.commitTurn({ state: { key: 'late', data: {}, etag: null, expiresAt: hour(1) }, responses: [] });
    const holder = new pg.Client({ connectionString: ctx.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [PURGE_LOCK]);
      expect(await store.purgeExpired(hour(5))).toBeUndefined();
      expect(await store.readState('late')).toBeDefined();
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    expect(await store.purgeExpired(hour(5))).toEqual({ states: 1, channelData: 0 });
  });

  it('purges what has expired and nothing else', async () => {
    await store.commitTurn({
      state: { key: 'old', data: {}, etag: null, expiresAt: hour(1) },
      responses: [],
      delivery: { key: 'old', reply: 'x', expiresAt: hour(1) },
      outbox: { conversation: 'o', activities: [{}], expiresAt: hour(1), seqFloor: 0 },
    });
    await store.commitTurn({
      state: { key: 'new', data: {}, etag: null, expiresAt: hour(9) },
      responses: [],
      delivery: { key: 'new', reply: 'x', expiresAt: hour(9) },
      outbox: { conversation: 'n', activities: [{}], expiresAt: hour(9), seqFloor: 0 },
    });
    expect(await store.purgeExpired(hour(5))).toEqual({ states: 1, channelData: 2 });
    expect(await store.readState('old')).toBeUndefined();
    expect(await store.readState('new')).toBeDefined();
    expect(await store.readDelivery('new')).toBe('x');
    expect(await store.readOutbox('n', 0, 10)).toHaveLength(1);
  });

  it('answers a ping while the database is there', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

test('the SQLite store refuses an applied migration that was edited afterwards', async () => {
  const Database = (await import('better-sqlite3')).default;
  const file = path.join(tempDir(), 'edited.db');
  const store = new SqliteStore(`file:${file}`);
  await store.migrate();
  new Database(file).prepare("UPDATE _prisma_migrations SET checksum = 'edited'").run();
  await expect(store.migrate()).rejects.toThrow(/was changed after it was applied/);
  await store.close();
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AnalystNameTakenError, AnalystStore, AnalystStoreNotMigratedError, NewAnalystToken } from '../../src/store/analystStore';
import { createStore } from '../../src/store/createStore';
import { PgAnalystStore } from '../../src/store/pgAnalystStore';
import { SqliteAnalystStore } from '../../src/store/sqliteAnalystStore';
import { freshDatabase, postgresReachable, POSTGRES_SKIP_MESSAGE } from '../helpers/postgres';

/**
 * The contract of an analyst store, for every implementation: call {@link analystStoreContract}
 * with a factory that returns a fresh, migrated, empty store (PostgreSQL can be added beside
 * SQLite below).
 */
export function analystStoreContract(name: string, fresh: () => Promise<AnalystStore>, skip: () => Promise<boolean> = async () => false): void {
  describe(`${name} analyst store`, () => {
    let store: AnalystStore | undefined;
    beforeEach(async () => {
      store = (await skip()) ? undefined : await fresh();
    });
    afterEach(async () => {
      await store?.close();
    });
    /** A test that needs the database; a no-op where it is skipped (the skip says why). */
    const test = (title: string, fn: () => Promise<void>) => global.test(title, async () => (store ? fn() : undefined));

    const hour = (h: number) => new Date(Date.UTC(2026, 11, 2, h));
    const token = (over: Partial<NewAnalystToken> = {}): NewAnalystToken => ({
      id: 'AAAAAAAAAAAA',
      name: 'bergen-analyst',
      role: 'analyst',
      salt: 'c2FsdHNhbHRzYWx0c2FsdA',
      hash: 'scrypt$32768$8$1$aGFzaA',
      createdAt: hour(9),
      ...over,
    });

    test('finds a token by its id, with its hash, salt, role and hour', async () => {
      await store!.addToken(token());
      expect(await store!.findToken('AAAAAAAAAAAA')).toEqual({ ...token(), revokedAt: null });
      expect(await store!.findToken('BBBBBBBBBBBB')).toBeUndefined();
    });

    test('lists tokens oldest first, without salts or hashes', async () => {
      await store!.addToken(token({ id: 'id-second-00', name: 'b', role: 'admin', createdAt: hour(11) }));
      await store!.addToken(token({ id: 'id-first-000', name: 'a', createdAt: hour(10) }));
      const list = await store!.listTokens();
      expect(list.map((t) => t.name)).toEqual(['a', 'b']);
      expect(list[1]).toEqual({ id: 'id-second-00', name: 'b', role: 'admin', createdAt: hour(11), revokedAt: null });
      expect(JSON.stringify(list)).not.toMatch(/salt|hash|scrypt/);
    });

    test('never reuses a name, also after the token with it was revoked', async () => {
      await store!.addToken(token());
      await expect(store!.addToken(token({ id: 'CCCCCCCCCCCC' }))).rejects.toBeInstanceOf(AnalystNameTakenError);
      await store!.revokeToken('bergen-analyst', hour(12));
      await expect(store!.addToken(token({ id: 'DDDDDDDDDDDD' }))).rejects.toBeInstanceOf(AnalystNameTakenError);
    });

    test('revokes an active token once, keeping its row for the audit log', async () => {
      await store!.addToken(token());
      expect(await store!.revokeToken('bergen-analyst', hour(12))).toMatchObject({ name: 'bergen-analyst', revokedAt: hour(12) });
      expect(await store!.revokeToken('bergen-analyst', hour(13))).toBeUndefined();
      expect(await store!.revokeToken('nobody', hour(13))).toBeUndefined();
      expect((await store!.findToken('AAAAAAAAAAAA'))?.revokedAt).toEqual(hour(12));
    });

    test('reads the audit log newest first, in pages', async () => {
      for (let i = 0; i < 5; i++) {
        await store!.appendAudit({
          hour: hour(i),
          tokenName: `t${i}`,
          action: 'GET /api/analyst/export',
          filters: { format: 'csv', language: 'pl' },
          outcome: i === 2 ? 'refused' : 'ok',
        });
      }
      const first = await store!.readAudit({ limit: 2 });
      expect(first.map((e) => e.tokenName)).toEqual(['t4', 't3']);
      expect(first[0]).toMatchObject({ hour: hour(4), action: 'GET /api/analyst/export', filters: { format: 'csv', language: 'pl' }, outcome: 'ok' });
      const next = await store!.readAudit({ limit: 10, beforeSeq: first[1].seq });
      expect(next.map((e) => [e.tokenName, e.outcome])).toEqual([
        ['t2', 'refused'],
        ['t1', 'ok'],
        ['t0', 'ok'],
      ]);
    });
  });
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'analyst-store-'));

async function freshSqlite(): Promise<AnalystStore> {
  const url = `file:${path.join(tempDir(), 'survey.db')}`;
  // The analyst tables come from the project's own migrations, as at start-up.
  const survey = createStore(url);
  await survey.migrate();
  await survey.close();
  return new SqliteAnalystStore(url);
}

analystStoreContract('SQLite', freshSqlite);

/** A fresh PostgreSQL database, migrated as at start-up; dropped when its store closes. */
async function freshPostgres(): Promise<AnalystStore> {
  const db = await freshDatabase('analyst_test');
  const survey = createStore(db.url);
  await survey.migrate();
  await survey.close();
  const store = new PgAnalystStore(db.url);
  return { ...bind(store), close: async () => (await store.close(), await db.drop()) };
}

/** The store's methods, bound, so that one of them can be replaced. */
function bind(s: AnalystStore): AnalystStore {
  return {
    addToken: s.addToken.bind(s),
    findToken: s.findToken.bind(s),
    listTokens: s.listTokens.bind(s),
    revokeToken: s.revokeToken.bind(s),
    appendAudit: s.appendAudit.bind(s),
    readAudit: s.readAudit.bind(s),
    close: s.close.bind(s),
  };
}

analystStoreContract('PostgreSQL', freshPostgres, async () => {
  if (await postgresReachable()) return false;
  console.warn(POSTGRES_SKIP_MESSAGE);
  return true;
});

test('an unmigrated SQLite file gives one error that says to migrate', async () => {
  const store = new SqliteAnalystStore(`file:${path.join(tempDir(), 'empty.db')}`);
  await expect(store.listTokens()).rejects.toBeInstanceOf(AnalystStoreNotMigratedError);
  await store.close();
});

test('SQLite times are stored as Prisma writes DateTime columns, rounded as given', async () => {
  const dir = tempDir();
  const url = `file:${path.join(dir, 'survey.db')}`;
  const survey = createStore(url);
  await survey.migrate();
  await survey.close();
  const store = new SqliteAnalystStore(url);
  await store.appendAudit({ hour: new Date(Date.UTC(2026, 11, 2, 14)), tokenName: 'a', action: 'GET /x', filters: {}, outcome: 'ok' });
  await store.close();
  const db = new Database(path.join(dir, 'survey.db'), { readonly: true });
  expect(db.prepare('SELECT "hour" FROM "AnalystAudit"').pluck().get()).toBe('2026-12-02T14:00:00.000+00:00');
  db.close();
});

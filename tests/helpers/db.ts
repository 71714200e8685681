import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqliteStore';

/** Reads a bot's SQLite file directly, as an auditor would, bypassing the store. */
function withDb<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, 'survey.db'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function tableNames(dataDir: string): string[] {
  return withDb(dataDir, (db) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
}

/** Every value in every column of every row of every table, as text. */
export function storedCells(dataDir: string): string[] {
  return withDb(dataDir, (db) =>
    tableNames(dataDir).flatMap((t) =>
      (db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]).flatMap((row) => Object.values(row).map(String)),
    ),
  );
}

/** All stored values joined, for substring searches. */
export function everyStoredValue(dataDir: string): string {
  return storedCells(dataDir).join('\n');
}

export function rowCounts(dataDir: string, tables: string[]): Record<string, number> {
  return withDb(dataDir, (db) => Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n])));
}

/**
 * Another connection's write transaction on a bot's SQLite file (BEGIN IMMEDIATE), as a second
 * writer would hold it: the bot's writes wait on it until `release`, which may be called again.
 */
export function holdWriteLock(file: string): { release(): void } {
  const db = new Database(file);
  db.exec('BEGIN IMMEDIATE');
  return {
    release() {
      if (!db.open) return;
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    },
  };
}

/** Reads a bot's data through a store of its own, as the next process would, and closes it. */
export async function withStore<T>(dataDir: string, read: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = new SqliteStore(`file:${path.join(dataDir, 'survey.db')}`);
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

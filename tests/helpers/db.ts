import path from 'node:path';
import Database from 'better-sqlite3';

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
    tableNames(dataDir).flatMap((t) => (db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]).flatMap((row) => Object.values(row).map(String))),
  );
}

/** All stored values joined, for substring searches. */
export function everyStoredValue(dataDir: string): string {
  return storedCells(dataDir).join('\n');
}

export function rowCounts(dataDir: string, tables: string[]): Record<string, number> {
  return withDb(dataDir, (db) => Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n])));
}

import { SqliteStore } from './sqliteStore';
import { SurveyStore } from './store';

/** Picks the store implementation from the database URL's scheme. */
export function createStore(databaseUrl: string): SurveyStore {
  if (databaseUrl.startsWith('file:')) return new SqliteStore(databaseUrl);
  throw new Error(`DATABASE_URL ${databaseUrl.replace(/\/\/[^@]*@/, '//***@')}: PostgreSQL is not supported by this version yet; use a file: URL (SQLite).`);
}

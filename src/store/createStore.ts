import { SqliteStore } from './sqliteStore';
import { SurveyStore } from './store';

/** Picks the store implementation from the database URL's scheme (config has checked it is one of these). */
export function createStore(databaseUrl: string, options: { sqliteBusyTimeoutMs?: number } = {}): SurveyStore {
  if (databaseUrl.startsWith('file:')) return new SqliteStore(databaseUrl, { busyTimeoutMs: options.sqliteBusyTimeoutMs });
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // Loaded only here: an SQLite deployment never loads pg or the PostgreSQL Prisma client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    const { PgStore } = require('./pgStore') as typeof import('./pgStore');
    return new PgStore(databaseUrl);
  }
  throw new Error(`DATABASE_URL ${databaseUrl.replace(/\/\/[^@]*@/, '//***@')}: not a file: (SQLite) or postgresql:// (PostgreSQL) URL.`);
}

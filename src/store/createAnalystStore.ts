import { AnalystStore } from './analystStore';
import { SqliteAnalystStore } from './sqliteAnalystStore';

/** Picks the analyst store implementation from the database URL's scheme, as createStore does for the survey store. */
export function createAnalystStore(databaseUrl: string): AnalystStore {
  if (databaseUrl.startsWith('file:')) return new SqliteAnalystStore(databaseUrl);
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // Loaded only here: an SQLite deployment never loads pg or the PostgreSQL Prisma client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    const { PgAnalystStore } = require('./pgAnalystStore') as typeof import('./pgAnalystStore');
    return new PgAnalystStore(databaseUrl);
  }
  throw new Error(`DATABASE_URL ${databaseUrl.replace(/\/\/[^@]*@/, '//***@')}: not a file: (SQLite) or postgresql:// (PostgreSQL) URL.`);
}

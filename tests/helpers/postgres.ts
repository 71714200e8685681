import crypto from 'node:crypto';
import pg from 'pg';

/**
 * A fresh PostgreSQL database per test file, on the server the project's CI provides
 * (127.0.0.1:5432, trust auth). Where no server answers (a laptop without PostgreSQL), the
 * PostgreSQL tests are skipped with a message saying so; `.ci/run` starts the server, so in CI
 * they run. POSTGRES_TEST_URL points elsewhere (a server URL without a database name).
 */
const SERVER = process.env.POSTGRES_TEST_URL ?? 'postgresql://postgres@127.0.0.1:5432';

let reachable: Promise<boolean> | undefined;

/**
 * Whether a PostgreSQL server answers; decided once per test file. With REQUIRE_POSTGRES=1 (as
 * `.ci/run` sets it) a server that does not answer fails the test instead, so that CI cannot pass
 * with every PostgreSQL test skipped.
 */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: `${SERVER}/postgres`, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (err) {
      if (process.env.REQUIRE_POSTGRES === '1')
        throw new Error(`REQUIRE_POSTGRES=1, but no PostgreSQL server answers at ${SERVER}: ${(err as Error).message}`, { cause: err });
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

export const POSTGRES_SKIP_MESSAGE = `No PostgreSQL server answers at ${SERVER}: the PostgreSQL tests are skipped (CI starts one; set POSTGRES_TEST_URL to use another).`;

/** Creates an empty database and returns its URL and a function that drops it. */
export async function freshDatabase(prefix = 'survey_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    // Sessions 14 hours from UTC: a timestamp written in one zone and compared in another shows
    // (the bot stores UTC in timestamp(3) columns, as Prisma does).
    await admin.query(`ALTER DATABASE "${name}" SET timezone TO 'Pacific/Kiritimati'`);
  } finally {
    await admin.end();
  }
  return {
    url: `${SERVER}/${name}`,
    async drop() {
      const a = new pg.Client({ connectionString: `${SERVER}/postgres` });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { projectRoot } from '../../src/paths';
import { PgStore } from '../../src/store/pgStore';
import { composeSchema, Provider, schemaFile } from '../../src/store/schemas';
import { SqliteStore } from '../../src/store/sqliteStore';
import { tempDir } from '../helpers/harness';
import { freshDatabase, postgresReachable, POSTGRES_SKIP_MESSAGE } from '../helpers/postgres';

/**
 * The models are written once (prisma/models.prisma); each database has its schema and its own
 * migration folder. This fails when a schema file was edited by hand or not regenerated, or when
 * a migration folder no longer builds exactly the tables the models describe: the DDL that
 * Prisma derives from the schema and the tables the migrations build are compared column by
 * column, index by index, foreign key by foreign key.
 */

/** The DDL Prisma derives from a schema, from nothing (no database needed, works offline). */
function ddlOf(provider: Provider): string {
  return execFileSync(
    process.execPath,
    [
      path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js'),
      'migrate',
      'diff',
      '--from-empty',
      '--to-schema-datamodel',
      schemaFile(provider),
      '--script',
    ],
    {
      cwd: projectRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

test.each(['sqlite', 'postgres'] as const)('prisma/%s/schema.prisma is exactly what prisma/models.prisma gives (npm run prisma:schemas)', (provider) => {
  expect(fs.readFileSync(schemaFile(provider), 'utf8')).toBe(composeSchema(provider));
});

test('the two schemas hold the same models, fields and keys, PostgreSQL-only types aside', () => {
  const models = (p: Provider) => composeSchema(p).slice(composeSchema(p).indexOf('\nmodel '));
  const shape = (p: Provider) =>
    models(p)
      .split('\n')
      .filter((l) => /^\s+\w+\s+\S+/.test(l) || /^model /.test(l))
      .map((l) =>
        l
          .trim()
          .replace(/\s+/g, ' ')
          .replace(/^(\w+) (Json|ResponseStatus)(\??)( |$)/, '$1 String$3$4'),
      );
  expect(shape('postgres')).toEqual(shape('sqlite'));
});

/** Tables, columns, indexes and foreign keys of an SQLite file, comparably. */
function sqliteShape(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    return Object.fromEntries(
      tables.map((t) => [
        t,
        {
          columns: (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[])
            .map((c) => ({ name: c.name, type: c.type, notnull: c.notnull, default: c.dflt_value, pk: c.pk }))
            .sort((a, b) => a.name.localeCompare(b.name)),
          indexes: (db.prepare(`PRAGMA index_list("${t}")`).all() as { name: string; unique: number; origin: string }[])
            .filter((i) => i.origin === 'c')
            .map((i) => ({
              name: i.name,
              unique: i.unique,
              columns: (db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name),
            }))
            .sort((a, b) => a.name.localeCompare(b.name)),
          foreignKeys: db.prepare(`PRAGMA foreign_key_list("${t}")`).all(),
        },
      ]),
    );
  } finally {
    db.close();
  }
}

test('the SQLite migrations build exactly the tables the SQLite schema describes', async () => {
  const migrated = path.join(tempDir(), 'migrated.db');
  const store = new SqliteStore(`file:${migrated}`);
  await store.migrate();
  await store.close();
  const expected = path.join(tempDir(), 'expected.db');
  const db = new Database(expected);
  db.exec(ddlOf('sqlite'));
  db.close();
  expect(sqliteShape(migrated)).toEqual(sqliteShape(expected));
}, 60000);

/** Tables, columns, indexes and constraints of a PostgreSQL database, comparably. */
async function postgresShape(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name != '_prisma_migrations' ORDER BY table_name, column_name`,
    );
    const indexes = await client.query(
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename != '_prisma_migrations' ORDER BY tablename, indexname`,
    );
    const constraints = await client.query(
      `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"') ORDER BY 1, 2`,
    );
    const enums = await client.query(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY 1`,
    );
    return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows, enums: enums.rows };
  } finally {
    await client.end();
  }
}

test('the PostgreSQL migrations build exactly the tables the PostgreSQL schema describes', async () => {
  if (!(await postgresReachable())) return console.warn(POSTGRES_SKIP_MESSAGE);
  const migrated = await freshDatabase('parity');
  const expected = await freshDatabase('parity');
  try {
    const store = new PgStore(migrated.url);
    await store.migrate();
    await store.close();
    const ddl = ddlOf('postgres');
    const client = new pg.Client({ connectionString: expected.url });
    await client.connect();
    try {
      await client.query(ddl);
    } finally {
      await client.end();
    }
    expect(await postgresShape(migrated.url)).toEqual(await postgresShape(expected.url));
  } finally {
    await migrated.drop();
    await expected.drop();
  }
}, 60000);

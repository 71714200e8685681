import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MigrationReport } from './store';

/**
 * Applies Prisma-authored migration folders (`<timestamp>_<name>/migration.sql`) and records them
 * in Prisma's own `_prisma_migrations` table, so `prisma migrate status` (or `deploy`, where the
 * native engine can be had) agrees with what the bot applied. The bot applies them itself because
 * the offline machines cannot run Prisma's native schema engine (shared/prisma-offline.md).
 */
export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir: string): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

/** What a database must offer the migrator; each store implements it inside one locked transaction. */
export interface MigrationTarget {
  appliedNames(): Promise<Map<string, string>>;
  apply(m: Migration): Promise<void>;
}

export async function runMigrations(target: MigrationTarget, migrations: Migration[]): Promise<MigrationReport> {
  const done = await target.appliedNames();
  const applied: string[] = [];
  for (const m of migrations) {
    const checksum = done.get(m.name);
    if (checksum !== undefined) {
      if (checksum !== m.checksum) {
        throw new Error(`Migration ${m.name} was changed after it was applied (checksum differs). Add a new migration instead of editing an applied one.`);
      }
      continue;
    }
    await target.apply(m);
    applied.push(m.name);
  }
  return { applied, alreadyApplied: migrations.length - applied.length };
}

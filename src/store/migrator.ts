import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Applies Prisma-authored migration folders (`<timestamp>_<name>/migration.sql`) and records them
 * in Prisma's own `_prisma_migrations` table, so `prisma migrate status` (or `deploy`, where the
 * native engine can be had) agrees with what the bot applied. The bot applies them itself because
 * the offline machines cannot run Prisma's native schema engine (README, Storage).
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

/**
 * The migrations still to apply, given those applied (name → checksum). Refuses when an applied
 * migration's file was edited afterwards: the database would no longer match the schema.
 */
export function pendingMigrations(applied: Map<string, string>, migrations: Migration[]): Migration[] {
  for (const m of migrations) {
    const checksum = applied.get(m.name);
    if (checksum !== undefined && checksum !== m.checksum) {
      throw new Error(`Migration ${m.name} was changed after it was applied (checksum differs). Add a new migration instead of editing an applied one.`);
    }
  }
  return migrations.filter((m) => !applied.has(m.name));
}

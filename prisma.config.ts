import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

// The JavaScript (WebAssembly) schema engine: Prisma's native engine is a download that these
// offline machines cannot make (shared/prisma-offline.md). Used only by the Prisma CLI, for
// `generate` and for authoring migrations; the bot applies migrations itself (src/store/migrator.ts).
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'sqlite', 'schema.prisma'),
  // The engine opens this file even for `migrate diff --from-empty`, and fails with only
  // "External error id#0" when its folder is missing, as it is in a fresh clone.
  adapter: async () => {
    fs.mkdirSync('data', { recursive: true });
    return new PrismaBetterSQLite3({ url: `file:${path.join('data', 'prisma-cli.db')}` });
  },
});

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
  adapter: async () => new PrismaBetterSQLite3({ url: `file:${path.join('data', 'prisma-cli.db')}` }),
});

import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths';

/**
 * One Prisma schema has one provider, and the bot serves two databases: the models are written
 * once (prisma/models.prisma) and each provider's schema is that file under its own header, with
 * the types SQLite lacks mapped to text. `npm run prisma:schemas` writes both; the parity test
 * checks that the committed files are exactly what this produces.
 */
export type Provider = 'sqlite' | 'postgres';

const HEADERS: Record<Provider, string> = {
  sqlite: `generator client {
  provider     = "prisma-client"
  output       = "../../src/generated/sqlite"
  engineType   = "client"
  moduleFormat = "cjs"
  runtime      = "nodejs"
}

datasource db {
  provider = "sqlite"
  // Never used at run time (the store opens the file itself); a literal keeps \`prisma generate\`
  // and \`migrate diff\` offline, see README, Storage.
  url      = "file:./unused.db"
}
`,
  postgres: `generator client {
  provider     = "prisma-client"
  output       = "../../src/generated/postgres"
  engineType   = "client"
  moduleFormat = "cjs"
  runtime      = "nodejs"
}

datasource db {
  provider = "postgresql"
  // Never used at run time (the driver adapter gets DATABASE_URL from config); a literal keeps
  // \`prisma generate\` and \`migrate diff\` offline, see README, Storage.
  url      = "postgresql://unused@localhost:5432/unused"
}
`,
};

export const MODELS_FILE = path.join(projectRoot, 'prisma', 'models.prisma');
export const schemaFile = (p: Provider) => path.join(projectRoot, 'prisma', p, 'schema.prisma');

/** The schema for one provider, from the models. */
export function composeSchema(provider: Provider, models: string = fs.readFileSync(MODELS_FILE, 'utf8')): string {
  let body = models;
  if (provider === 'sqlite') {
    const enums = [...body.matchAll(/^enum (\w+) \{[^}]*\}\n*/gm)];
    for (const e of enums) body = body.replace(e[0], '');
    for (const [, name] of enums) body = body.replace(new RegExp(`(^\\s+\\w+\\s+)${name}(\\??)(\\s)`, 'gm'), '$1String$2$3');
    body = body.replace(/(^\s+\w+\s+)Json(\??)(\s)/gm, '$1String$2$3');
  }
  const banner = `// Generated from prisma/models.prisma by \`npm run prisma:schemas\`: edit that file, not this one.\n\n`;
  return `${banner}${HEADERS[provider]}\n${body.replace(/^(\/\/.*\n)+\n/, '')}`;
}

/** Writes both schemas; returns the files written. */
export function writeSchemas(): string[] {
  return (['sqlite', 'postgres'] as const).map((p) => {
    fs.mkdirSync(path.dirname(schemaFile(p)), { recursive: true });
    fs.writeFileSync(schemaFile(p), composeSchema(p));
    return schemaFile(p);
  });
}

if (require.main === module) for (const f of writeSchemas()) process.stdout.write(`wrote ${path.relative(projectRoot, f)}\n`);

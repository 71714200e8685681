import fs from 'node:fs';
import path from 'node:path';

/**
 * The project root, found from this file so the same code runs from `src/` (tests) and from
 * `dist/src/` (the built bot) without a working-directory assumption.
 */
export const projectRoot: string = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
})();

export const localesDir = path.join(projectRoot, 'locales');
export const surveysDir = path.join(projectRoot, 'src', 'survey', 'definitions');
export const migrationsDir = (provider: 'sqlite' | 'postgres') => path.join(projectRoot, 'prisma', provider, 'migrations');

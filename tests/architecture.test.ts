import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/paths';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'generated' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}
const rel = (p: string) => path.relative(projectRoot, p);

test('the survey engine imports nothing from botbuilder, so it stays portable and testable', () => {
  const offenders = sources(path.join(projectRoot, 'src', 'survey')).filter((f) => /from ['"]botbuilder/.test(fs.readFileSync(f, 'utf8')));
  expect(offenders.map(rel)).toEqual([]);
});

test('only src/config.ts reads process.env', () => {
  const files = [...sources(path.join(projectRoot, 'src')), ...sources(path.join(projectRoot, 'dialogs'))];
  const offenders = files.filter(
    (f) => !f.endsWith(path.join('src', 'config.ts')) && !f.endsWith(path.join('src', 'cli.ts')) && /process\.env\b/.test(fs.readFileSync(f, 'utf8')),
  );
  expect(offenders.map(rel)).toEqual([]);
});

test('privacy code imports nothing from botbuilder or the store', () => {
  const offenders = sources(path.join(projectRoot, 'src', 'privacy')).filter((f) => /from ['"](botbuilder|\.\.\/store)/.test(fs.readFileSync(f, 'utf8')));
  expect(offenders.map(rel)).toEqual([]);
});

test('only the survey code itself looks inside repeat blocks: everything else walks the definition through src/survey/walk.ts', () => {
  const files = [...sources(path.join(projectRoot, 'src')), ...sources(path.join(projectRoot, 'dialogs'))].filter(
    (f) => !f.startsWith(path.join(projectRoot, 'src', 'survey') + path.sep),
  );
  const offenders = files.filter((f) => /type === ['"]repeat['"]|type !== ['"]repeat['"]/.test(fs.readFileSync(f, 'utf8')));
  expect(offenders.map(rel)).toEqual([]);
});

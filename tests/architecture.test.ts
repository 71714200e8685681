import ts from 'typescript';
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

/**
 * The import graph of src/ and dialogs/, read with TypeScript's own import scanner (type-only
 * imports count: they tie two files together as much for whoever changes one of them).
 */
function importGraph(): Map<string, string[]> {
  const all = [...sources(path.join(projectRoot, 'src')), ...sources(path.join(projectRoot, 'dialogs'))];
  const known = new Set(all);
  const graph = new Map<string, string[]>();
  for (const f of all) {
    const imported = ts.preProcessFile(fs.readFileSync(f, 'utf8'), true, true).importedFiles.map((i) => i.fileName);
    const targets = imported
      .filter((s) => s.startsWith('.'))
      .map((s) => path.resolve(path.dirname(f), s))
      .flatMap((t) => [`${t}.ts`, path.join(t, 'index.ts')].filter((c) => known.has(c)).slice(0, 1));
    graph.set(f, targets);
  }
  return graph;
}

/** The circles of a graph (strongly connected components with more than one node), by Tarjan's algorithm. */
function circles<T>(graph: Map<T, readonly T[]>): T[][] {
  let next = 0;
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const stack: T[] = [];
  const onStack = new Set<T>();
  const found: T[][] = [];
  const visit = (v: T) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: T[] = [];
      let w: T;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** A room: a folder under src/ (src/bot, src/store, …), a file directly in src/, or dialogs/. */
const roomOf = (file: string) => {
  const parts = rel(file).split(path.sep);
  return parts[0] === 'src' ? (parts.length > 2 ? `src/${parts[1]}` : rel(file)) : parts[0];
};

test('no file of src/ or dialogs/ imports itself through others: no import circles', () => {
  expect(circles(importGraph()).map((c) => c.map(rel).sort())).toEqual([]);
});

test('no room imports back up: the rooms (src folders, src files, dialogs) depend on each other without circles', () => {
  const rooms = new Map<string, string[]>();
  for (const [f, targets] of importGraph()) {
    const from = roomOf(f);
    const to = new Set([...(rooms.get(from) ?? []), ...targets.map(roomOf).filter((r) => r !== from)]);
    rooms.set(from, [...to]);
  }
  expect(circles(rooms)).toEqual([]);
});

test('only the composition root (src/index.ts) knows both src/bot and dialogs/: src/ never imports dialogs/ otherwise', () => {
  const dialogs = path.join(projectRoot, 'dialogs') + path.sep;
  const offenders = [...importGraph()].filter(
    ([f, targets]) => !f.startsWith(dialogs) && f !== path.join(projectRoot, 'src', 'index.ts') && targets.some((t) => t.startsWith(dialogs)),
  );
  expect(offenders.map(([f]) => rel(f))).toEqual([]);
});

test('the dialogs reach botbuilder-dialogs only through src/bot/dialogFramework.ts, which loads the parts the bot uses', () => {
  const offenders = sources(path.join(projectRoot, 'dialogs')).filter((f) => /from ['"]botbuilder-dialogs/.test(fs.readFileSync(f, 'utf8')));
  expect(offenders.map(rel)).toEqual([]);
});

test('one fold: no file outside src/text normalises text, lists invisible characters or folds letters of its own', () => {
  const text = path.join(projectRoot, 'src', 'text') + path.sep;
  const files = [...sources(path.join(projectRoot, 'src')), ...sources(path.join(projectRoot, 'dialogs'))].filter((f) => !f.startsWith(text));
  const folding = [
    /\.normalize\(/, // Unicode normalisation
    /toLocaleLowerCase/,
    /\\u200[BCEF]|\\u061C|\\u202[A-E]|\\uFEFF/, // invisible and bidi characters
    /['"][يیىكکهہەة]['"]\s*:\s*['"][يیىكکهہەة]['"]/, // a letter table of its own
  ];
  const offenders = files.filter((f) => folding.some((re) => re.test(fs.readFileSync(f, 'utf8')))).map(rel);
  expect(offenders).toEqual([]);
});

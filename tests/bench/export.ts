/**
 * `npm run bench:export`: the record-level export and the barrier analysis over a hundred thousand
 * synthetic responses, against a baseline started by this script in the same run: the `sqlite3`
 * command-line shell dumping the same rows (every answer of every completed response, joined to
 * its response) from the same file as CSV. Prints wall time, peak resident memory and the ratio.
 * Goals (issue [analysis]): at most 2× sqlite3's time, at most 200 MB, and the whole analysis in at
 * most 1 s.
 *
 * BENCH_RESPONSES sets the population size (default 100000); BENCH_RUNS the runs per side (3).
 */
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { analyzeInParallel as AnalyzeInParallel } from '../../src/analysis/parallel';
import { loadLocales } from '../../src/language/i18n';
import { projectRoot } from '../../src/paths';
import { SqliteStore } from '../../src/store/sqliteStore';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';
import { generatePopulation, insertIntoSqlite } from '../helpers/population';

const N = Number(process.env.BENCH_RESPONSES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Run {
  seconds: number;
  peakMb: number;
  code: number | null;
}

/** Runs a command with its output to a file, polling its peak resident set (VmHWM) from /proc. */
function measure(command: string, args: string[], outFile: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(outFile, 'w');
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', out, 'pipe'], env });
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // exited between polls
      }
    }, 20);
    let err = '';
    child.stderr?.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      fs.closeSync(out);
      if (code !== 0) process.stderr.write(err);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMb: peakKb / 1024, code });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const survey = loadSurvey(DEFAULT_SURVEY_FILE);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-export-'));
  const file = path.join(dir, 'survey.db');
  const store = new SqliteStore(`file:${file}`);
  await store.migrate();
  let t = Date.now();
  // In a function of its own, so that the population is garbage before anything is measured.
  const { completed, answers } = (() => {
    const population = generatePopulation(survey, N, { seed: 2026 });
    insertIntoSqlite(file, population);
    const done = population.filter((r) => r.status === 'completed');
    return { completed: done.length, answers: done.reduce((s, r) => s + r.answers.length, 0) };
  })();
  process.stdout.write(`${N} responses (${completed} completed, ${answers} answers) generated in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);

  const sql = `SELECT r.id, r.surveyVersion, r.channel, r.period, r.language, a.questionId, a.iteration, a.value, a.language, a.fallback FROM "Answer" a JOIN "Response" r ON r.id = a.responseId WHERE r.status = 'completed'`;
  const cli = path.join(projectRoot, 'bin', 'survey-bot.js');
  const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' };
  const base: Run[] = [];
  const ours: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    base.push(await measure('sqlite3', ['-csv', file, sql], path.join(dir, 'sqlite3.csv')));
    ours.push(await measure(process.execPath, [cli, 'export', '--format', 'csv', '--out', path.join(dir, 'export.csv')], path.join(dir, 'stdout.txt'), env));
  }
  if ([...base, ...ours].some((r) => r.code !== 0)) throw new Error('a run failed');
  const rows = fs.readFileSync(path.join(dir, 'export.csv'), 'utf8').split('\r\n').length - 2;
  const b = median(base.map((r) => r.seconds));
  const o = median(ours.map((r) => r.seconds));
  process.stdout.write(`\nexport to CSV, median of ${RUNS} runs (${rows} rows written; sqlite3 wrote ${answers} answer rows)\n`);
  process.stdout.write(`  sqlite3 -csv (baseline)    ${b.toFixed(2)} s   peak ${median(base.map((r) => r.peakMb)).toFixed(0)} MB\n`);
  process.stdout.write(`  survey-bot export          ${o.toFixed(2)} s   peak ${median(ours.map((r) => r.peakMb)).toFixed(0)} MB\n`);
  process.stdout.write(`  ratio ${(o / b).toFixed(2)}× (goal ≤ 2×), peak ${median(ours.map((r) => r.peakMb)).toFixed(0)} MB (goal ≤ 200 MB)\n`);

  // The analysis as the dashboard runs it: in a warm process, through the analyst service's
  // worker threads (the compiled ones in dist/, which `npm run bench:export` builds first).
  loadLocales();
  // The compiled module: worker threads run compiled JavaScript, not these TypeScript sources.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled module, as worker threads load it
  const { analyzeInParallel } = require(path.join(projectRoot, 'dist', 'src', 'analysis', 'parallel.js')) as { analyzeInParallel: typeof AnalyzeInParallel };
  // The first analysis starts its worker threads; the dashboard's next ones find them warm.
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    t = Date.now();
    await analyzeInParallel({ store, databaseUrl: `file:${file}` }, survey, { by: 'language', k: 5 }, 2);
    times.push((Date.now() - t) / 1000);
  }
  const first = times.shift()!;
  // Then the bot goes on collecting: new responses, some finished and some not, and withdrawals.
  // The next analysis must show them, reading again only what changed.
  const changed = Math.round(N / 100);
  insertIntoSqlite(file, generatePopulation(survey, changed, { seed: 2027 }));
  const reader = new Database(file, { readonly: true });
  const gone = reader
    .prepare(`SELECT id FROM "Response" WHERE status = 'completed' LIMIT ?`)
    .pluck()
    .all(changed / 10) as string[];
  reader.close();
  await store.applyResponses(gone.map((responseId) => ({ kind: 'withdraw' as const, responseId })));
  const withdrawn = gone.length;
  t = Date.now();
  await analyzeInParallel({ store, databaseUrl: `file:${file}` }, survey, { by: 'background', k: 5 }, 2);
  const afterChanges = (Date.now() - t) / 1000;
  const cold = await measure(process.execPath, [cli, 'analyze', '--by', 'language', '--json'], path.join(dir, 'analysis.json'), env);
  process.stdout.write(`\nfull analysis (--by language, every area, barriers, comprehension)\n`);
  process.stdout.write(`  in a running process (2 worker threads)  ${median(times).toFixed(2)} s, median of ${RUNS} with the threads warm (goal ≤ 1 s)\n`);
  process.stdout.write(`  the first, starting the threads and reading every response  ${first.toFixed(2)} s\n`);
  process.stdout.write(`  after ${changed} new responses and ${withdrawn} withdrawn  ${afterChanges.toFixed(2)} s\n`);
  process.stdout.write(`  survey-bot analyze (CLI)   ${cold.seconds.toFixed(2)} s including Node start-up, peak ${cold.peakMb.toFixed(0)} MB\n`);
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exitCode = 1;
});

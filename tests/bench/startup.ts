/**
 * `npm run bench:startup`: how soon a started process serves, against the framework's floor, in
 * one run. Each bot is spawned BENCH_STARTS times (default 10) and timed from spawn to its first
 * 200 on /healthz: the bare echo bot (tests/bench/echoBot.js: restify and CloudAdapter, the same
 * SDK, nothing else), the survey bot restarted on an SQLite database it has already migrated (a
 * restart after a crash), and the survey bot on a fresh database (migrations included). Prints
 * the median, the range and the ratio of medians to the echo bot.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { projectRoot } from '../../src/paths';
import { tempDir, TEST_SECRET } from '../helpers/harness';
import { freePort } from '../helpers/process';

const STARTS = Number(process.env.BENCH_STARTS ?? 10);
const cli = path.join(projectRoot, 'bin', 'survey-bot.js');

/** 200 from /healthz, or false while nothing (or not yet the bot) answers. */
function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });
}

/** Milliseconds from spawn to the first 200 on /healthz; the process is stopped afterwards. */
async function timeToServe(args: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SURVEY_SECRET: TEST_SECRET, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (const deadline = Date.now() + 30000; Date.now() < deadline;) {
      if (await healthy(port)) return Number(process.hrtime.bigint() - started) / 1e6;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`${args.join(' ')} did not serve within 30 s`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const existing = tempDir('bench-startup-');
  // Migrated once before timing, so that every timed start below is a restart.
  await timeToServe([cli, 'start'], { DATA_DIR: existing });
  const bots: { name: string; start: () => Promise<number> }[] = [
    { name: 'echo bot (restify + CloudAdapter)', start: () => timeToServe([path.join(__dirname, 'echoBot.js')], {}) },
    { name: 'survey bot, restart on its SQLite database', start: () => timeToServe([cli, 'start'], { DATA_DIR: existing }) },
    { name: 'survey bot, fresh SQLite database', start: () => timeToServe([cli, 'start'], { DATA_DIR: tempDir('bench-startup-') }) },
  ];
  const times = new Map<string, number[]>(bots.map((b) => [b.name, []]));
  // Interleaved, so that a slow moment of the machine falls on every bot alike.
  for (let i = 0; i < STARTS; i++) for (const b of bots) times.get(b.name)!.push(await b.start());

  const floor = median(times.get(bots[0].name)!);
  console.log(`${STARTS} starts per bot, spawn to the first 200 on /healthz\n`);
  console.log('| bot | median | range | ratio |');
  console.log('| --- | --- | --- | --- |');
  for (const [name, ts] of times) {
    console.log(
      `| ${name} | ${median(ts).toFixed(0)} ms | ${Math.min(...ts).toFixed(0)}–${Math.max(...ts).toFixed(0)} ms | ${(median(ts) / floor).toFixed(2)} |`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

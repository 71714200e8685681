/**
 * `npm run bench`: turns per second and latency of the survey bot against the framework's floor,
 * measured in one run. It starts a bare botbuilder echo bot (tests/bench/echoBot.js: restify and
 * CloudAdapter, the same SDK) and the survey bot (`survey-bot start`, state and answers in SQLite,
 * and with BENCH_POSTGRES=1 also on a fresh PostgreSQL database), each as a process of its own,
 * and drives each with the same load: CONCURRENCY conversations at once, each answering whole
 * surveys turn by turn over POST /api/messages with deliveryMode "expectReplies" (the echo bot
 * gets the same messages). Prints turns/s, p50 and p99, and the ratio to the echo bot.
 *
 * BENCH_SURVEYS (default 200) surveys in all; BENCH_CONCURRENCY (default 20); BENCH_PROFILE=dir
 * writes each bot's CPU profile there.
 */
import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { projectRoot } from '../../src/paths';
import { tempDir, TEST_SECRET, texts } from '../helpers/harness';
import { NB_PLAN } from '../helpers/plans';
import { freshDatabase, postgresReachable } from '../helpers/postgres';
import { freePort } from '../helpers/process';

const SURVEYS = Number(process.env.BENCH_SURVEYS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);

interface Target {
  name: string;
  url: string;
  child: ChildProcess;
}

async function start(name: string, args: string[], env: Record<string, string>): Promise<Target> {
  const port = await freePort();
  // BENCH_PROFILE=dir: each bot writes a V8 CPU profile there on exit (node --cpu-prof).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, ...args], {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30000; Date.now() < deadline;) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { name, url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start`);
}

let conversations = 0;

/**
 * Which step a reply asks, by its question line: computed once, so that the load generator
 * spends on the survey bot's replies no more than it spends on the echo bot's.
 */
const STEP_BY_LINE: Map<string, string> = (() => {
  const m = new Map<string, string>();
  for (const item of texts.survey.items) {
    const questions = item.type === 'repeat' ? item.questions : [item];
    for (const q of questions) {
      const areas =
        item.type === 'repeat'
          ? ((texts.survey.items.find((i) => i.type !== 'repeat' && i.id === item.forEach) as { options?: string[] })?.options ?? [])
          : [undefined];
      for (const area of areas)
        m.set(texts.s('nb', `questions.${q.id}.text`, area ? { area: texts.optionLabel('nb', area) } : {}), area ? `${q.id}[${area}]` : q.id);
    }
  }
  return m;
})();
const stepOf = (reply: string): string | undefined => {
  for (const line of reply.split('\n')) {
    const step = STEP_BY_LINE.get(line);
    if (step) return step;
  }
  return undefined;
};

// node:http with keep-alive rather than fetch: the load generator shares the machine with the bot
// and should cost as little as it can, or it, not the bot, sets the pace.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/api/messages`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** One whole bokmål survey as a respondent answers it; returns each turn's latency in ms. */
async function survey(url: string, echo: boolean): Promise<number[]> {
  const user = `bench-${process.pid}-${++conversations}`;
  let n = 0;
  const latencies: number[] = [];
  const turn = async (text: string): Promise<string> => {
    const body = {
      type: 'message',
      id: `m${++n}`,
      channelId: 'emulator',
      serviceUrl: 'http://127.0.0.1:9',
      from: { id: user, name: '' },
      recipient: { id: 'bot', name: 'bot' },
      conversation: { id: `conv-${user}` },
      deliveryMode: 'expectReplies',
      text,
    };
    const payload = JSON.stringify(body);
    const t = process.hrtime.bigint();
    const res = await post(url, payload);
    latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${res.text.slice(0, 200)}`);
    const json = JSON.parse(res.text) as { activities?: { text?: string }[] };
    return (json.activities ?? []).map((a) => a.text ?? '').join('\n');
  };
  // The echo bot gets the survey bot's inputs, in the same number of turns.
  const inputs = ['hei', texts.meta('nb').endonym, texts.optionLabel('nb', 'yes')];
  let reply = '';
  for (const text of inputs) reply = await turn(text);
  if (echo) {
    for (const text of Object.values(NB_PLAN)) await turn(text);
    return latencies;
  }
  for (let step = stepOf(reply), guard = 0; step && guard < 40; step = stepOf(reply), guard++) reply = await turn(NB_PLAN[step]);
  if (!reply.includes(texts.s('nb', 'thanks.done'))) throw new Error('a survey did not finish');
  return latencies;
}

async function drive(target: Target, echo: boolean): Promise<{ turns: number; seconds: number; p50: number; p99: number }> {
  // Warm-up: JIT, prepared statements, connection pools.
  await Promise.all(Array.from({ length: CONCURRENCY }, () => survey(target.url, echo)));
  const latencies: number[] = [];
  let left = SURVEYS;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) latencies.push(...(await survey(target.url, echo)));
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { turns: latencies.length, seconds, p50: q(0.5), p99: q(0.99) };
}

async function main(): Promise<void> {
  const cli = path.join(projectRoot, 'bin', 'survey-bot.js');
  const targets: { target: Target; echo: boolean }[] = [];
  targets.push({ target: await start('echo bot (restify + CloudAdapter)', [path.join(__dirname, 'echoBot.js')], {}), echo: true });
  targets.push({ target: await start('survey bot, SQLite', [cli, 'start'], { DATA_DIR: tempDir('bench-turns-') }), echo: false });
  let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  if (process.env.BENCH_POSTGRES && !(await postgresReachable())) throw new Error('BENCH_POSTGRES is set, but no PostgreSQL server answers');
  if (process.env.BENCH_POSTGRES) {
    db = await freshDatabase('bench_turns');
    targets.push({
      target: await start('survey bot, PostgreSQL', [cli, 'start'], { DATA_DIR: tempDir('bench-turns-'), DATABASE_URL: db.url, SURVEY_SECRET: TEST_SECRET }),
      echo: false,
    });
  }
  process.stdout.write(`${SURVEYS} surveys per bot, ${CONCURRENCY} conversations at once, POST /api/messages with expectReplies\n\n`);
  process.stdout.write('| bot | turns | turns/s | p50 | p99 | ratio |\n| --- | --- | --- | --- | --- | --- |\n');
  let base = 0;
  try {
    for (const { target, echo } of targets) {
      const r = await drive(target, echo);
      const rate = r.turns / r.seconds;
      if (echo) base = rate;
      process.stdout.write(
        `| ${target.name} | ${r.turns} | ${rate.toFixed(0)} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${(rate / base).toFixed(2)} |\n`,
      );
    }
  } finally {
    for (const { target } of targets) target.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await db?.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exitCode = 1;
});

import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/paths';
import { freePort } from '../helpers/process';

export interface FaultBot {
  url: string;
  port: number;
  child: ChildProcess;
  /** Every line the process wrote, stdout and stderr, in order. */
  readonly lines: string[];
  /** Lines on stderr only (start-up failures, anything that bypassed the logger). */
  readonly stderr: string[];
  alive(): boolean;
  /** SIGTERM (graceful shutdown), and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash or the OOM killer would, and wait for the exit. */
  kill(): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `survey-bot start` from the build, as deployed, like tests/helpers/process.ts, but keeping both
 * stdout (where pino writes) and stderr, so a test can check that nothing but log lines comes
 * out. Resolves once /healthz answers 200.
 */
export async function spawnBot(env: Record<string, string>, options: { port?: number; logLevel?: string; timeoutMs?: number } = {}): Promise<FaultBot> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'survey-bot.js'), 'start'], {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: options.logLevel ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const collect = (into: string[][]) => {
    let rest = '';
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const l of parts) if (l.length) for (const list of into) list.push(l);
    };
  };
  child.stdout!.on('data', collect([lines]));
  child.stderr!.on('data', collect([lines, stderr]));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signal = async (s: NodeJS.Signals) => {
    if (alive()) child.kill(s);
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  const bot: FaultBot = { url, port, child, lines, stderr, alive, exited, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL') };
  for (const deadline = Date.now() + (options.timeoutMs ?? 30000); Date.now() < deadline;) {
    if (!alive()) throw new Error(`bot exited at start-up: ${lines.join('\n')}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return bot;
    await sleep(50);
  }
  await bot.kill();
  throw new Error(`bot did not become healthy: ${lines.join('\n')}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Lines that are not one pino JSON object with a level and an event (anything printed past the logger). */
export function notLogLines(lines: readonly string[]): string[] {
  return lines.filter((l) => {
    try {
      const o = JSON.parse(l) as Record<string, unknown>;
      return !(o && typeof o === 'object' && typeof o.level === 'string' && typeof o.msg === 'string');
    } catch {
      return true;
    }
  });
}

import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../src/paths';

/** A free loopback port (so a restarted process can listen where the first one did). */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface BotProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash or an OOM killer would, and wait for the exit. */
  kill(): Promise<void>;
}

/**
 * `survey-bot start` as a separate process, as users and scaled-out deployments run it (over the
 * build `npm test` makes first). Resolves once /healthz answers.
 */
export async function startBotProcess(env: Record<string, string>, port?: number): Promise<BotProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'survey-bot.js'), 'start'], {
    env: { PATH: process.env.PATH, PORT: String(p), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = async (s: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(s);
    await exited;
  };
  const url = `http://127.0.0.1:${p}`;
  const proc: BotProcess = { url, child, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL') };
  for (const deadline = Date.now() + 20000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}: ${stderr}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return proc;
    await new Promise((r) => setTimeout(r, 100));
  }
  await proc.kill();
  throw new Error(`bot did not become healthy: ${stderr}`);
}

import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../src/paths';
import { SqliteStore } from '../../src/store/sqliteStore';
import { askedStep, tempDir, texts } from '../helpers/harness';
import { HttpRespondent } from '../helpers/http';

/** A free loopback port, so the restarted process can listen where the first one did. */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `survey-bot start` as users do, and resolves once /healthz answers. */
async function startProcess(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'survey-bot.js'), 'start'], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`bot did not become healthy: ${stderr}`);
}

test('SIGKILL in the middle of a survey loses nothing: the next message continues at the next unanswered question', async () => {
  const dataDir = tempDir();
  const port = await freePort();
  const r = new HttpRespondent(`http://127.0.0.1:${port}`, 'sms-like-user', 'emulator');

  let bot = await startProcess(dataDir, port);
  await r.say('hei');
  await r.say('Norsk bokmål');
  await r.say('ja'); // consent
  await r.say('ja'); // needed_help
  expect(askedStep('nb', await r.text('4'))).toBe('help_areas'); // situation: temporary
  bot.kill('SIGKILL');
  await new Promise((resolve) => bot.once('exit', resolve));

  bot = await startProcess(dataDir, port);
  try {
    const reply = await r.text('1, 2'); // help_areas, answered to the restarted process
    expect(askedStep('nb', reply)).toBe('help_got[find_home]');
  } finally {
    bot.kill('SIGTERM');
    await new Promise((resolve) => bot.once('exit', resolve));
  }

  const store = new SqliteStore(`file:${path.join(dataDir, 'survey.db')}`);
  const [response] = await store.listResponses();
  await store.close();
  expect(response.status).toBe('in_progress');
  expect(Object.fromEntries(response.answers.map((a) => [a.questionId, a.value]))).toEqual({
    needed_help: 'yes',
    situation: 'temporary',
    help_areas: ['find_home', 'temp_to_permanent'],
  });
  expect(texts.survey.id).toBe(response.surveyId);
}, 60000);

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SURVEY_FILE } from '../../src/survey/load';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/harness';

/** Runs the real CLI as users do (bin/survey-bot.js over the build that `npm test` makes first). */
function cli(args: string[], env: Record<string, string> = {}, input?: string) {
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'survey-bot.js'), ...args], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 30000,
    input,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('survey validate accepts housing-help v1 and its texts in every locale', () => {
  const r = cli(['survey', 'validate', DEFAULT_SURVEY_FILE]);
  expect(r.out).toContain('OK (housing-help v1');
  expect(r.code).toBe(0);
});

test('survey validate lists each problem with its path and fails', () => {
  const def = JSON.parse(fs.readFileSync(DEFAULT_SURVEY_FILE, 'utf8'));
  def.items[0].type = 'yes_or_no';
  def.items[2].when = { question: 'later', anyOf: ['x'] };
  const file = path.join(tempDir(), 'bad.json');
  fs.writeFileSync(file, JSON.stringify(def));
  const r = cli(['survey', 'validate', file]);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/bad\.json: items\[0\]\.type: /);
  expect(r.out).toMatch(/problem\(s\)/);
});

test('survey validate reports unreadable JSON in one line', () => {
  const file = path.join(tempDir(), 'broken.json');
  fs.writeFileSync(file, '{ "id": ');
  const r = cli(['survey', 'validate', file]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/broken\.json: not readable JSON/);
});

test('migrate creates the database and is idempotent', () => {
  const dir = tempDir();
  const first = cli(['migrate'], { DATA_DIR: dir });
  expect(first.out).toMatch(/Applied 2 migration/);
  expect(fs.existsSync(path.join(dir, 'survey.db'))).toBe(true);
  const again = cli(['migrate'], { DATA_DIR: dir });
  expect(again.out).toMatch(/up to date/);
  expect(again.code).toBe(0);
});

test('three processes migrating one new database at once apply the migration once', async () => {
  const dir = tempDir();
  const runs = await Promise.all(
    [1, 2, 3].map(
      () =>
        new Promise<string>((resolve) => {
          const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'survey-bot.js'), 'migrate'], { env: { PATH: process.env.PATH, DATA_DIR: dir } });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.on('close', (code) => resolve(`${code}:${out}`));
        }),
    ),
  );
  expect(runs.every((r) => r.startsWith('0:'))).toBe(true);
  expect(runs.filter((r) => /Applied 2 migration/.test(r))).toHaveLength(1);
});

test('a bad environment variable stops start-up with one line naming it', () => {
  const r = cli(['start'], { PORT: 'eighty', DATA_DIR: tempDir() });
  expect(r.code).toBe(1);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(/^Invalid environment variable PORT: /);
});

test('an unknown command prints usage', () => {
  const r = cli(['frobnicate']);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/Unknown command "frobnicate"/);
  expect(r.err).toMatch(/survey validate <file>/);
});

test('redact reads lines on stdin and prints them redacted, keeping ordinary numbers', () => {
  const r = cli(['redact'], {}, 'Fnr 010190 12345, ring 912 34 567\nHusleie 8500 kr siden 2021\nاتصل ب ٩١٢٣٤٥٦٧\n');
  expect(r.code).toBe(0);
  expect(r.out).toBe('Fnr <ID>, ring <PHONE>\nHusleie 8500 kr siden 2021\nاتصل ب <PHONE>\n');
});

test('export prints a CSV header on an empty database and says how many rows it wrote', () => {
  const r = cli(['export', '--format', 'csv'], { DATA_DIR: tempDir() });
  expect(r.code).toBe(0);
  expect(r.out.split('\r\n')[0]).toMatch(/^survey,survey_version,consent_version,status,channel,period,language/);
  expect(r.err).toMatch(/0 response\(s\) exported, k = 5/);
});

test('export refuses a k below 2', () => {
  const r = cli(['export', '--k', '1'], { DATA_DIR: tempDir() });
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/--k must be a whole number of at least 2/);
});

test('detect-language prints one supported tag or und per line', () => {
  const r = cli(['detect-language'], {}, 'Dzień dobry, potrzebuję pomocy z mieszkaniem\nمرحبا، أحتاج مساعدة في السكن\n👍\n\nሰላም፡ ሓገዝ ገዛ የድልየኒ\n');
  expect(r.code).toBe(0);
  expect(r.out).toBe('pl\nar\nund\nund\nti\n');
});

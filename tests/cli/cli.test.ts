import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SURVEY_FILE } from '../../src/survey/load';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/harness';
import { loadSurvey } from '../../src/survey/load';
import { populatedSqliteStore } from '../helpers/population';

const MIGRATIONS = fs.readdirSync(path.join(projectRoot, 'prisma', 'sqlite', 'migrations')).filter((d) => /^\d{14}_/.test(d)).length;

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
  expect(first.out).toMatch(new RegExp(`Applied ${MIGRATIONS} migration`));
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
          const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'survey-bot.js'), 'migrate'], {
            env: { PATH: process.env.PATH, DATA_DIR: dir },
          });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.on('close', (code) => resolve(`${code}:${out}`));
        }),
    ),
  );
  expect(runs.every((r) => r.startsWith('0:'))).toBe(true);
  expect(runs.filter((r) => new RegExp(`Applied ${MIGRATIONS} migration`).test(r))).toHaveLength(1);
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

test('export prints a CSV header on an empty database and says what disclosure control did', () => {
  const r = cli(['export', '--format', 'csv'], { DATA_DIR: tempDir() });
  expect(r.code).toBe(0);
  expect(r.out.split('\r\n')[0]).toMatch(/^survey,survey_version,consent_version,status,channel,source,period,language/);
  expect(r.err).toMatch(/k = 5: 0 responses selected, 0 withheld/);
});

test.each([
  [['export', '--k', '2'], /--k must be a whole number of at least 3/],
  [['export', '--format', 'pdf'], /--format must be csv or xlsx or json/],
  [['export', '--from', '2026-13'], /--from must be an ISO week such as 2026-W05/],
  [['export', '--labels', 'xx'], /--labels xx: no such locale/],
  [['export', '--include-free-text'], /give --out FILE/],
  [['analyze'], /analyze needs --by/],
  [['analyze', '--by', 'height'], /--by must be one of language, background, situation, channel/],
  [['analyze', '--by', 'language', '--area', 'moon'], /--area must be one of/],
])('%j is refused with a clear message', (args, message) => {
  const r = cli(args, { DATA_DIR: tempDir() });
  expect(r.code).toBe(2);
  expect(r.err).toMatch(message);
});

describe('with a database of generated responses', () => {
  const dataDir = tempDir();
  beforeAll(async () => {
    const { store, file } = await populatedSqliteStore(loadSurvey(DEFAULT_SURVEY_FILE), 600, { seed: 3 });
    await store.close();
    fs.copyFileSync(file, path.join(dataDir, 'survey.db'));
  });

  test('export writes XLSX and CSV files, and free text beside the CSV', () => {
    const xlsx = cli(['export', '--format', 'xlsx', '--out', path.join(dataDir, 'out.xlsx')], { DATA_DIR: dataDir });
    expect(xlsx.code).toBe(0);
    expect(fs.readFileSync(path.join(dataDir, 'out.xlsx')).subarray(0, 2).toString()).toBe('PK');
    const csv = cli(['export', '--format', 'csv', '--out', path.join(dataDir, 'out.csv'), '--include-free-text', '--bom'], { DATA_DIR: dataDir });
    expect(csv.code).toBe(0);
    expect(csv.err).toMatch(
      /0 free-text answer\(s\), approved by a reviewer, redacted and shuffled, in .*out\.free-text\.csv; [1-9]\d* still waiting for review/,
    );
    expect(fs.readFileSync(path.join(dataDir, 'out.free-text.csv'), 'utf8')).toMatch(/^\uFEFFquestion,text\r\n/);
    expect(csv.err).toMatch(/municipality: /);
  });

  test('analyze prints the tables with intervals and a suppression line, in English or bokmål', () => {
    const en = cli(['analyze', '--by', 'background', '--area', 'find_home'], { DATA_DIR: dataDir });
    expect(en.code).toBe(0);
    expect(en.out).toMatch(/Help received, by background/);
    expect(en.out).toMatch(/\d+% \(\d+%–\d+%\)/);
    expect(en.out).toMatch(/Suppression \(k = 5\): \d+ of \d+ numbers hidden/);
    expect(en.out).toMatch(/Test of independence over \d+ groups with a published share: (chi-square|Fisher)/);
    // Comprehension: a row per question and per funnel point, a column per language.
    expect(en.out).toMatch(/“I don't understand” per question[^\n]*\n[^\n]*\bnb\b[^\n]*\nneeded_help\s+(\d+%|·)/);
    expect(en.out).toMatch(/Drop-off: [^\n]*\n[^\n]*\bnb\b[^\n]*\nneeded_help\s+100%/);
    expect(en.out).toMatch(/\ncompleted\s+(\d+%|·)/);
    const nb = cli(['analyze', '--by', 'background', '--lang', 'nb'], { DATA_DIR: dataDir });
    expect(nb.out).toMatch(/Hjelp mottatt, etter background/);
    expect(nb.out).toMatch(/Frafall: andel av påbegynte svar/);
  });

  test('analyze --json gives the published proportions as x, n, p and ci95', () => {
    const r = cli(['analyze', '--by', 'language', '--json'], { DATA_DIR: dataDir });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    const yes = result.helpReceived[0].rows[0].outcomes.yes;
    expect(Object.keys(yes).sort()).toEqual(['ci95', 'n', 'p', 'x']);
  });

  test('codebook prints JSON, or CSV with a label column per locale', () => {
    const json = JSON.parse(cli(['codebook'], { DATA_DIR: dataDir }).out);
    expect(json.columns.length).toBeGreaterThan(30);
    const csv = cli(['codebook', '--format', 'csv', '--lang', 'nb'], { DATA_DIR: dataDir });
    expect(csv.out.split('\r\n')[0]).toMatch(/^kolonne,art,spørsmål/);
  });
});

test('detect-language prints one supported tag or und per line', () => {
  const r = cli(['detect-language'], {}, 'Dzień dobry, potrzebuję pomocy z mieszkaniem\nمرحبا، أحتاج مساعدة في السكن\n👍\n\nሰላም፡ ሓገዝ ገዛ የድልየኒ\n');
  expect(r.code).toBe(0);
  expect(r.out).toBe('pl\nar\nund\nund\nti\n');
});

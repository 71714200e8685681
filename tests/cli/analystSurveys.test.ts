import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadLocales } from '../../src/language/i18n';
import { projectRoot } from '../../src/paths';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';
import { questionsOf } from '../../src/survey/walk';
import { tempDir } from '../helpers/harness';
import { insertIntoSqlite, populatedSqliteStore } from '../helpers/population';
import { participationResponses, residentParticipation } from '../helpers/residentParticipation';

/** `export`, `analyze` and `codebook --survey ID`, run as users run them (bin/survey-bot.js over the build). */
function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'survey-bot.js'), ...args], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 30000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const RP = residentParticipation.id;
const housingHelp = loadSurvey(DEFAULT_SURVEY_FILE);
const otherQuestions = questionsOf(housingHelp)
  .map((q) => q.question.id)
  .filter((id) => !questionsOf(residentParticipation).some((q) => q.question.id === id));
const dataDir = tempDir();
const env = { DATA_DIR: dataDir };

beforeAll(async () => {
  const { store, file } = await populatedSqliteStore(housingHelp, 300, { seed: 4 });
  await store.close();
  insertIntoSqlite(file, [
    ...participationResponses(9, { background: 'born_norway', tookPart: 'yes' }),
    ...participationResponses(6, { background: 'born_norway', tookPart: 'no' }),
    ...participationResponses(8, { background: 'born_abroad', tookPart: 'partly', language: 'so' }),
    ...participationResponses(7, { background: 'born_abroad', tookPart: 'no', language: 'so' }),
  ]);
  fs.copyFileSync(file, path.join(dataDir, 'survey.db'));
});

test('analyze --survey gives that survey’s one outcome table, named by its question', () => {
  const r = cli(['analyze', '--survey', RP, '--by', 'background'], env);
  expect(r.code).toBe(0);
  const locales = loadLocales();
  const question = locales.i18n.getResource('en', RP, 'questions.took_part.text') as string;
  expect(r.out).toContain(`completed responses: 30)`);
  expect(r.out).toContain(`Outcome: took_part — ${question}`);
  expect(r.out).not.toMatch(/^Area: /m);
  const json = JSON.parse(cli(['analyze', '--survey', RP, '--version', '1', '--by', 'background', '--json'], env).out);
  expect(json.survey).toEqual({ id: RP, version: 1 });
  expect(json.helpReceived.map((a: { area: string }) => a.area)).toEqual(['took_part']);
});

test.each([
  [['analyze', '--survey', 'nope', '--by', 'language'], /^No survey "nope": the registry holds housing-help, resident-participation\.$/m],
  [['analyze', '--survey', RP, '--version', '7', '--by', 'language'], /^Survey resident-participation has no version 7 \(it has 1\)\.$/m],
  [['analyze', '--survey', RP, '--version', 'one', '--by', 'language'], /--version must be a survey version number, not "one"/],
  [['analyze', '--survey', RP, '--by', 'situation'], /--by must be one of language, background, channel/],
  [['analyze', '--survey', RP, '--by', 'language', '--area', 'find_home'], /--area is only for a survey whose outcome is asked per help area/],
  [['codebook', '--survey', 'nope'], /^No survey "nope"/m],
  [['export', '--survey', 'nope', '--format', 'csv'], /^No survey "nope"/m],
])('%j is refused with a clear message', (args, message) => {
  const r = cli(args, env);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(message);
});

test('export --survey writes that survey’s responses with its own columns only', () => {
  const r = cli(['export', '--survey', RP, '--format', 'csv'], env);
  expect(r.code).toBe(0);
  const [header, ...rows] = parse(r.out) as string[][];
  expect(header).toEqual(expect.arrayContaining(['housing_offer', 'took_part', 'safe_home']));
  expect(header.filter((c) => otherQuestions.some((q) => c === q || c.startsWith(`${q}[`)))).toEqual([]);
  expect(new Set(rows.map((row) => row[header.indexOf('survey')]))).toEqual(new Set([RP]));
  expect(r.err).toMatch(/k = 5: 30 responses selected/);
});

test('codebook --survey describes that survey, and --history gives its versions as CSV', () => {
  const cb = JSON.parse(cli(['codebook', '--survey', RP], env).out);
  expect(cb.survey.id).toBe(RP);
  expect(cb.columns.map((c: { name: string }) => c.name)).toContain('took_part');
  expect(cb.versions.map((v: { version: number }) => v.version)).toEqual([1]);
  const history = cli(['codebook', '--survey', RP, '--format', 'csv', '--history'], env);
  expect(history.code).toBe(0);
  const [header, ...rows] = parse(history.out) as string[][];
  expect(header.slice(0, 3)).toEqual(['version', 'state', 'question']);
  expect(new Set(rows.map((row) => row[2]).filter(Boolean))).toEqual(new Set(questionsOf(residentParticipation).map((q) => q.question.id)));
  // The default survey without --survey, as before.
  expect(JSON.parse(cli(['codebook'], env).out).survey.id).toBe(housingHelp.id);
});

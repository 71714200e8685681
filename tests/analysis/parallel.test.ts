import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../src/analysis/analyze';
import type { analyzeInParallel as AnalyzeInParallel } from '../../src/analysis/parallel';
import { projectRoot } from '../../src/paths';
import { StoredResponse, SurveyStore } from '../../src/store/store';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';
import { generatePopulation, insertThroughStore, populatedSqliteStore } from '../helpers/population';

/**
 * The analysis in worker threads, as the bot and the CLI run it: the compiled module in dist/
 * (which `npm test` builds first), since worker threads run compiled JavaScript. Its result must
 * be the one the calling thread computes, on new threads and on the threads kept from before.
 */
const compiled = path.join(projectRoot, 'dist', 'src', 'analysis', 'parallel.js');
const survey = loadSurvey(DEFAULT_SURVEY_FILE);
let store: SurveyStore;
let file: string;
let population: StoredResponse[];

beforeAll(async () => {
  ({ store, file, population } = await populatedSqliteStore(survey, 1200, { seed: 5 }));
});
afterAll(() => store.close());

const run = (databaseUrl: string, by: string) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled module, as worker threads load it
  const { analyzeInParallel } = require(compiled) as { analyzeInParallel: typeof AnalyzeInParallel };
  return analyzeInParallel({ store, databaseUrl }, survey, { by, k: 5 }, 2);
};

(fs.existsSync(compiled) ? test : test.skip)(
  'gives what one thread gives, on new threads and on kept ones after responses were added and withdrawn, and recovers from a failed job',
  async () => {
    for (const by of ['language', 'background', 'language']) expect(await run(`file:${file}`, by)).toEqual(await analyze(store, survey, { by, k: 5 }));
    // A job that fails (no such database) fails the analysis, and the next one works.
    await expect(run(`file:${path.join(path.dirname(file), 'missing.db')}`, 'language')).rejects.toThrow();
    expect(await run(`file:${file}`, 'channel')).toEqual(await analyze(store, survey, { by: 'channel', k: 5 }));
    // The kept workers hold the completed responses they read: new, continued and withdrawn ones
    // must all show in the next analysis.
    await insertThroughStore(store, generatePopulation(survey, 300, { seed: 6 }));
    const done = population.filter((r) => r.status === 'completed').slice(0, 20);
    await store.applyResponses(done.map((r) => ({ kind: 'withdraw' as const, responseId: r.id })));
    for (const by of ['language', 'situation']) expect(await run(`file:${file}`, by)).toEqual(await analyze(store, survey, { by, k: 5 }));
  },
  60000,
);

import { Accumulator, analyze, countedQuestions } from '../../src/analysis/analyze';
import { ResponseCoder } from '../../src/analysis/coding';
import { CompletedResponses } from '../../src/analysis/completedResponses';
import { ResponseFilter, StoredResponse, SurveyStore } from '../../src/store/store';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';
import { generatePopulation, insertThroughStore, populatedSqliteStore } from '../helpers/population';

/**
 * What a worker keeps between analyses: every analysis over it must equal a fresh one over the
 * database, whatever happened in between, and it must read again only what can have changed.
 */
const survey = loadSurvey(DEFAULT_SURVEY_FILE);
const filter: ResponseFilter = { surveyId: survey.id, surveyVersion: survey.version };
let store: SurveyStore;
let population: StoredResponse[];
const rows = { full: 0, known: 0 };
/** What the last analysis of the kept responses read. */
let lastRead = { ...rows };

beforeAll(async () => {
  ({ store, population } = await populatedSqliteStore(survey, 700, { seed: 11 }));
  // Counts what the store hands over: responses in full, and known ones as their id alone.
  const scan = store.scanForAnalysis.bind(store);
  store.scanForAnalysis = async function* (f, options) {
    for await (const batch of scan(f, options)) {
      for (const r of batch) rows['known' in r ? 'known' : 'full']++;
      yield batch;
    }
  };
});
afterAll(() => store.close());

const kept = new CompletedResponses(new ResponseCoder(countedQuestions(survey)));
async function analyseKept(by: string) {
  rows.full = rows.known = 0;
  const acc = new Accumulator(survey, { by, k: 5 }, kept.coder);
  await kept.read(store, filter, (r) => acc.add(r));
  lastRead = { ...rows };
  return acc.result();
}
const fresh = (by: string) => analyze(store, survey, { by, k: 5 });

test('an analysis over the kept responses equals a fresh one, and reads in full only what is new or in progress', async () => {
  const completed = () => population.filter((r) => r.status === 'completed');
  expect(await analyseKept('language')).toEqual(await fresh('language'));
  expect(lastRead).toEqual({ full: population.length, known: 0 });
  expect(kept.size).toBe(completed().length);

  // Nothing changed: only the responses in progress are read again.
  expect(await analyseKept('background')).toEqual(await fresh('background'));
  expect(lastRead).toEqual({ full: population.length - completed().length, known: completed().length });

  // New responses (completed and not), one in progress goes on and completes, two are withdrawn.
  const more = generatePopulation(survey, 150, { seed: 12 });
  await insertThroughStore(store, more);
  const going = population.find((r) => r.status === 'in_progress' && r.answers.length > 0)!;
  await store.applyResponses([
    {
      kind: 'answer',
      answer: { responseId: going.id, questionId: 'children', iteration: '', value: 'yes', language: going.language, fallback: false },
      drop: [],
    },
    { kind: 'update', responseId: going.id, patch: { status: 'completed' } },
  ]);
  const [gone1, gone2] = completed();
  await store.applyResponses([
    { kind: 'withdraw', responseId: gone1.id },
    { kind: 'withdraw', responseId: gone2.id },
  ]);
  for (const by of ['language', 'background', 'situation', 'channel']) expect(await analyseKept(by)).toEqual(await fresh(by));
  const nowCompleted = completed().length - 2 + 1 + more.filter((r) => r.status === 'completed').length;
  expect(kept.size).toBe(nowCompleted);
  expect(lastRead.known).toBe(nowCompleted);
});

test('keeps no free text: only the values of the questions the analysis counts', async () => {
  await analyseKept('language');
  const freeText = population.flatMap((r) => r.answers.filter((a) => a.questionId === 'what_helped').map((a) => a.value)).filter((v) => typeof v === 'string');
  expect(freeText.length).toBeGreaterThan(10);
  expect(kept.coder.values.filter((v) => freeText.includes(v as string))).toEqual([]);
  expect(kept.coder.values).toContain('born_abroad');
});

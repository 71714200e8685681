import { analyze, AnalysisResult, CompletionTable } from '../../src/analysis/analyze';
import { formatAnalysis } from '../../src/analysis/format';
import { wilson } from '../../src/analysis/intervals';
import { loadLocales } from '../../src/language/i18n';
import { StoredResponse, SurveyStore } from '../../src/store/store';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';
import { populatedSqliteStore } from '../helpers/population';

/**
 * Response counts and completion rates (completed / started) by source, channel and language:
 * every started response counts (a response is written at consent and kept, in progress, when the
 * respondent stops), small cells are suppressed, and complementary suppression keeps a hidden
 * count from being worked out from the totals.
 */
const survey = loadSurvey(DEFAULT_SURVEY_FILE);
const K = 5;
/** A source only three respondents came from: its counts must be hidden. */
const RARE = 'volunteer-organisation';
const sourceOf = (i: number) => (i === 3 || i === 400 || i === 777 ? RARE : i % 3 ? 'nav-office-poster' : i % 5 ? 'web' : 'sms-invitation');

let store: SurveyStore;
let population: StoredResponse[];
let result: AnalysisResult;
beforeAll(async () => {
  ({ store, population } = await populatedSqliteStore(survey, 1000, { seed: 17, source: sourceOf, unfinished: 0.3 }));
  result = await analyze(store, survey, { by: 'source', k: K });
});
afterAll(() => store.close());

const tableBy = (by: CompletionTable['by']) => result.completion.find((c) => c.by === by)!;

describe.each(['source', 'channel', 'language'] as const)('completion by %s', (by) => {
  test('counts every started response and the completed ones, computed from the responses themselves', () => {
    const table = tableBy(by);
    expect(table.rows.map((r) => r.group).sort()).toEqual([...new Set(population.map((r) => r[by]))].sort());
    for (const row of table.rows) {
      const mine = population.filter((r) => r[by] === row.group);
      const done = mine.filter((r) => r.status === 'completed').length;
      if (row.started !== null) expect([row.group, row.started]).toEqual([row.group, mine.length]);
      if (row.completed !== null) expect([row.group, row.completed]).toEqual([row.group, done]);
      if (!('suppressed' in row.rate)) {
        const ci = wilson(done, mine.length);
        expect(row.rate).toEqual({ x: done, n: mine.length, p: done / mine.length, ci95: [ci.low, ci.high] });
      }
      // A count below k is never shown; a rate is shown only with both its counts.
      if (mine.length < K) expect(row.started).toBeNull();
      if (done > 0 && done < K) expect(row.completed).toBeNull();
      if (!('suppressed' in row.rate)) expect([row.started, row.completed]).not.toContain(null);
    }
    expect(table.total.started === null || table.total.started === population.length).toBe(true);
  });

  test('a hidden count cannot be worked out from the totals: none is hidden alone in its column', () => {
    const table = tableBy(by);
    for (const column of ['started', 'completed'] as const) {
      const hidden = table.rows.filter((r) => r[column] === null).length;
      if (table.total[column] !== null) expect([column, hidden]).not.toEqual([column, 1]);
    }
  });
});

test('the rare source is suppressed, as a count and as a rate, and the common ones are shown with their interval', () => {
  const rare = tableBy('source').rows.find((r) => r.group === RARE)!;
  expect(population.filter((r) => r.source === RARE)).toHaveLength(3);
  expect(rare).toMatchObject({ started: null, completed: null, rate: { suppressed: true } });
  const common = tableBy('source').rows.find((r) => r.group === 'nav-office-poster')!;
  expect(common.started).toBe(population.filter((r) => r.source === 'nav-office-poster').length);
  expect('ci95' in common.rate).toBe(true);
  // The suppression summary counts the completion tables' cells too.
  expect(result.suppression.primary).toBeGreaterThan(0);
});

test('analyze --by source groups the help and barrier tables by source', () => {
  expect(result.by).toBe('source');
  expect(result.groups).toEqual(expect.arrayContaining(['nav-office-poster', 'web']));
  // A group is named, as every group is, but its counts are hidden.
  for (const area of result.helpReceived) for (const row of area.rows.filter((r) => r.group === RARE)) expect(row.n).toBeNull();
});

test('the comprehension table shows the started counts by language exactly as the completion table does', () => {
  const byLanguage = new Map(tableBy('language').rows.map((r) => [r.group, r.started]));
  for (const c of result.comprehension) expect([c.language, c.started]).toEqual([c.language, byLanguage.get(c.language)]);
});

test('the terminal output has a completion table per dimension, with the rare source hidden', () => {
  const text = formatAnalysis(result, loadLocales(), 'en', survey);
  for (const by of ['source', 'channel', 'language']) expect(text).toContain(`Completion by ${by}`);
  const line = text.split('\n').find((l) => l.startsWith(RARE))!;
  expect(line).toBeDefined();
  expect(line).not.toMatch(/\d/);
});

import { analyze, AnalysisRequestError, AnalysisResult, areasOf, BASELINE, PublishedProportion } from '../../src/analysis/analyze';
import { formatAnalysis } from '../../src/analysis/format';
import { independenceTest } from '../../src/analysis/independence';
import { newcombe, wilson } from '../../src/analysis/intervals';
import { loadLocales } from '../../src/language/i18n';
import { SurveyStore } from '../../src/store/store';
import { validateSurvey } from '../../src/survey/validate';
import { insertIntoSqlite, populatedSqliteStore } from '../helpers/population';
import { participationResponses, residentParticipation as survey } from '../helpers/residentParticipation';

/**
 * resident-participation's outcome, `took_part`, is a top-level question: the analysis gives it
 * one "help received" table, named by the question, with the same disclosure control, intervals,
 * gaps and test as the per-area tables of a block outcome.
 */
const K = 5;

/**
 * The counts, by hand: took_part by background (only those offered housing were asked it).
 * The baseline's "partly" (3) and "no" (4) and the immigrant-parents row's "partly" (2) and "no"
 * (1) are below k: four hidden cells on one rectangle, so no further cell needs hiding.
 */
const COUNTS: Record<string, Record<string, number>> = {
  born_norway: { yes: 12, partly: 3, no: 4 },
  born_norway_immigrant_parents: { yes: 6, partly: 2, no: 1 },
  born_abroad: { yes: 8, partly: 10, no: 12 },
};
const NOT_OFFERED = 7;
const GROUP: Record<string, string> = { born_norway: BASELINE, born_norway_immigrant_parents: 'born_norway_immigrant_parents', born_abroad: 'born_abroad' };
const rowTotal = (b: string) => Object.values(COUNTS[b]).reduce((s, n) => s + n, 0);

let store: SurveyStore;
let result: AnalysisResult;
beforeAll(async () => {
  const made = await populatedSqliteStore(survey, 0);
  store = made.store;
  const responses = [
    ...Object.entries(COUNTS).flatMap(([background, byOutcome]) =>
      Object.entries(byOutcome).flatMap(([tookPart, n]) =>
        participationResponses(n, { background, tookPart, language: background === 'born_norway' ? 'nb' : 'so' }),
      ),
    ),
    ...participationResponses(NOT_OFFERED, { background: 'born_abroad', language: 'so' }),
  ];
  insertIntoSqlite(made.file, responses);
  result = await analyze(store, survey, { by: 'background', k: K });
});
afterAll(() => store.close());

test('the definition with a top-level outcome is valid, and it has no help areas', () => {
  expect(validateSurvey(JSON.parse(JSON.stringify(survey))).problems).toEqual([]);
  expect(areasOf(survey)).toEqual([]);
});

test('an outcome must be a single-choice or yes/no question of the survey, with its success among its options', () => {
  const withOutcome = (outcome: { question: string; success: string[] }) => {
    const def = JSON.parse(JSON.stringify(survey));
    def.analysis.outcome = outcome;
    return validateSurvey(def).problems;
  };
  expect(withOutcome({ question: 'housing_offer', success: ['yes'] })).toEqual([]);
  expect(withOutcome({ question: 'what_would_help', success: ['yes'] })).toEqual([
    { path: 'analysis.outcome.question', message: '"what_would_help" is a text question, not single or yes_no' },
  ]);
  expect(withOutcome({ question: 'nowhere', success: ['yes'] })).toEqual([
    { path: 'analysis.outcome.question', message: '"nowhere" is not a question of this survey' },
  ]);
  expect(withOutcome({ question: 'took_part', success: ['maybe'] })).toEqual([
    { path: 'analysis.outcome.success[0]', message: '"maybe" is not an option of "took_part"' },
  ]);
});

test('a top-level outcome is one table, named by the question and marked as such', () => {
  expect(result.helpReceived).toHaveLength(1);
  const table = result.helpReceived[0];
  expect(table.area).toBe('took_part');
  expect(table.topLevel).toBe(true);
  expect(result.area).toBeUndefined();
  // Everyone completed counts in the population, also those never asked the outcome.
  expect(result.responses).toBe(Object.keys(COUNTS).reduce((s, b) => s + rowTotal(b), 0) + NOT_OFFERED);
});

test('counts those asked the outcome question, by group, with Wilson intervals where published', () => {
  const table = result.helpReceived[0];
  expect(table.rows.map((r) => r.group)).toEqual([BASELINE, 'born_abroad', 'born_norway_immigrant_parents']);
  for (const [background, byOutcome] of Object.entries(COUNTS)) {
    const row = table.rows.find((r) => r.group === GROUP[background])!;
    const n = rowTotal(background);
    expect(row.n).toBe(n);
    for (const [outcome, x] of Object.entries(byOutcome)) {
      const p = row.outcomes[outcome];
      if (x > 0 && x < K) expect([background, outcome, p]).toEqual([background, outcome, { suppressed: true, reason: 'primary' }]);
      else {
        const ci = wilson(x, n);
        expect([background, outcome, p]).toEqual([background, outcome, { x, n, p: x / n, ci95: [ci.low, ci.high] }]);
      }
    }
  }
  // The four small cells lie on one rectangle: nothing else had to be hidden to protect them.
  expect(JSON.stringify(table)).not.toContain('"secondary"');
});

test('gives each group’s gap in “yes” to the baseline with Newcombe’s interval, and the test over the published shares', () => {
  const table = result.helpReceived[0];
  const base = COUNTS.born_norway;
  const n2 = rowTotal('born_norway');
  for (const background of ['born_abroad', 'born_norway_immigrant_parents']) {
    const x1 = COUNTS[background].yes;
    const n1 = rowTotal(background);
    const g = newcombe(x1, n1, base.yes, n2);
    expect(table.gaps.find((x) => x.group === background)!.gap).toEqual({ x1, n1, x2: base.yes, n2, diff: g.diff, ci95: [g.low, g.high] });
  }
  const shares = Object.keys(COUNTS).map((b) => [COUNTS[b].yes, rowTotal(b) - COUNTS[b].yes]);
  const expected = independenceTest([shares[0], shares[2], shares[1]]);
  expect(table.test).toEqual({ ...expected, groups: 3 });
});

test('the barrier questions of the survey are summarised as for any survey', () => {
  const safe = result.barriers.find((b) => b.question === 'safe_home')!;
  expect(safe.kind).toBe('share');
  if (safe.kind !== 'share') return;
  const abroad = safe.rows.find((r) => r.group === 'born_abroad')!;
  // Every response answered safe_home "yes": the share answering "no" is 0 of all of them.
  const n = rowTotal('born_abroad') + NOT_OFFERED;
  expect(abroad.share).toMatchObject({ x: 0, n });
  const listened = result.barriers.find((b) => b.question === 'listened_to')!;
  expect(listened.kind === 'scale' && (listened.rows.find((r) => r.group === 'born_abroad')!.mean as { mean: number }).mean).toBe(3);
});

test('--area is refused for a top-level outcome, saying why', async () => {
  await expect(analyze(store, survey, { by: 'background', area: 'took_part', k: K })).rejects.toThrow(AnalysisRequestError);
  await expect(analyze(store, survey, { by: 'background', area: 'took_part', k: K })).rejects.toThrow(
    /--area is only for a survey whose outcome is asked per help area/,
  );
});

test('the text output names the table by its question, in the analyst’s language', () => {
  const locales = loadLocales();
  for (const lng of ['en', 'nb']) {
    const text = formatAnalysis(result, locales, lng, survey);
    const heading = locales.i18n.t('analyst:analysis.outcome', { lng, question: 'took_part', label: '' }) as string;
    const line = text.split('\n').find((l) => l.startsWith(heading.trimEnd()))!;
    expect(line).toBeDefined();
    // Labelled by the question's text where the locale has one, never by an option's label.
    const own = locales.i18n.getResource(lng, survey.id, 'questions.took_part.text') as string | undefined;
    expect(line).toBe(`${heading}${own ?? 'took_part'}`);
    const yes = result.helpReceived[0].rows[0].outcomes.yes as PublishedProportion;
    expect(text).toContain(`${Math.round(yes.p * 100)}% (${Math.round(yes.ci95[0] * 100)}%–${Math.round(yes.ci95[1] * 100)}%)`);
  }
});

import { SurveyDefinition } from '../../src/survey/definition';
import { Answers, answer, back, bandOf, emptyProgress, nextStep, progressOf, visibleSteps } from '../../src/survey/engine';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';

const survey: SurveyDefinition = loadSurvey(DEFAULT_SURVEY_FILE);
const keys = (answers: Answers) => visibleSteps(survey, answers).map((s) => s.key);

describe('skip logic of housing-help v1', () => {
  // Each row: the answers given, and whether a step is on the path.
  const cases: [string, Answers, string, boolean][] = [
    ['asks what help was needed only after a yes', { needed_help: 'yes' }, 'help_areas', true],
    ['skips what help was needed after a no', { needed_help: 'no' }, 'help_areas', false],
    ["skips what help was needed after don't know", { needed_help: 'dont_know' }, 'help_areas', false],
    ['asks about barriers after a yes', { needed_help: 'yes' }, 'barriers', true],
    ['skips the interpreter question after a no', { needed_help: 'no' }, 'interpreter', false],
    ['asks time in temporary housing when living there', { needed_help: 'no', situation: 'temporary' }, 'temp_duration', true],
    [
      'asks time in temporary housing when moving out of it was needed',
      { needed_help: 'yes', situation: 'rent_private', help_areas: ['temp_to_permanent'] },
      'temp_duration',
      true,
    ],
    ['skips time in temporary housing for owners', { needed_help: 'no', situation: 'owner' }, 'temp_duration', false],
    ['asks years in Norway of those born abroad', { background: 'born_abroad' }, 'years_in_norway', true],
    ['skips years in Norway of those born in Norway', { background: 'born_norway' }, 'years_in_norway', false],
    ['skips years in Norway of children of immigrants born in Norway', { background: 'born_norway_immigrant_parents' }, 'years_in_norway', false],
    ['always asks about children', {}, 'children', true],
  ];
  test.each(cases)('%s', (_name, answers, key, shown) => {
    expect(keys(answers).includes(key)).toBe(shown);
  });
});

describe('follow-up block', () => {
  test('repeats for each selected help area, in the order the options are listed', () => {
    const steps = keys({ needed_help: 'yes', help_areas: ['housing_allowance', 'find_home'] });
    const block = steps.filter((k) => k.startsWith('help_got'));
    expect(block).toEqual(['help_got[find_home]', 'help_got[housing_allowance]']);
  });

  test('asks who helped only in iterations where help was got', () => {
    const answers: Answers = { needed_help: 'yes', help_areas: ['find_home', 'buy_home'], 'help_got[find_home]': 'no', 'help_got[buy_home]': 'partly' };
    const steps = keys(answers);
    expect(steps).not.toContain('who_helped[find_home]');
    expect(steps).toContain('who_helped[buy_home]');
  });

  test('is skipped entirely when no help was needed', () => {
    expect(keys({ needed_help: 'no' }).some((k) => k.includes('['))).toBe(false);
  });
});

describe('next question and progress', () => {
  test('starts at the first question and ends when every visible step is answered', () => {
    let progress = emptyProgress();
    expect(nextStep(survey, progress.answers)?.key).toBe('needed_help');
    const script: [string, unknown][] = [
      ['needed_help', 'no'],
      ['situation', 'owner'],
      ['children', 'no'],
      ['background', 'born_norway'],
      ['age_band', 'age_36_50'],
      ['municipality', null],
      ['what_helped', null],
    ];
    for (const [key, value] of script) {
      expect(nextStep(survey, progress.answers)?.key).toBe(key);
      progress = answer(survey, progress, key, value as never).progress;
    }
    expect(nextStep(survey, progress.answers)).toBeUndefined();
  });

  test('counts questions that may still come, and shrinks when a branch closes', () => {
    const start = progressOf(survey, {}, 'needed_help');
    expect(start.index).toBe(1);
    expect(start.total).toBe(17);
    const afterNo = progressOf(survey, { needed_help: 'no' }, 'situation');
    // needed_help, situation, children, background, age_band, municipality, what_helped,
    // and, still open: temp_duration (situation unanswered), years_in_norway (background unanswered).
    expect(afterNo).toEqual({ index: 2, total: 9 });
  });

  test('grows the total by one iteration per extra selected help area', () => {
    const one = progressOf(survey, { needed_help: 'yes', situation: 'owner', help_areas: ['find_home'] }, 'help_got[find_home]');
    const two = progressOf(survey, { needed_help: 'yes', situation: 'owner', help_areas: ['find_home', 'buy_home'] }, 'help_got[find_home]');
    expect(two.total).toBeGreaterThan(one.total);
    expect(one.index).toBe(4);
  });
});

describe('answering and going back', () => {
  test('back undoes the latest answer and asks that question again', () => {
    let p = answer(survey, emptyProgress(), 'needed_help', 'yes').progress;
    p = answer(survey, p, 'situation', 'owner').progress;
    const undone = back(p)!;
    expect(undone.key).toBe('situation');
    expect(undone.progress.answers).toEqual({ needed_help: 'yes' });
    expect(nextStep(survey, undone.progress.answers)?.key).toBe('situation');
  });

  test('back at the first question says there is nothing to undo', () => {
    expect(back(emptyProgress())).toBeUndefined();
  });

  test('changing an answer drops answers of questions no longer on the path', () => {
    let p = emptyProgress();
    for (const [k, v] of [
      ['needed_help', 'yes'],
      ['situation', 'owner'],
      ['help_areas', ['find_home']],
      ['help_got[find_home]', 'yes'],
    ] as [string, never][])
      p = answer(survey, p, k, v).progress;
    const { progress, dropped } = answer(survey, p, 'needed_help', 'no');
    expect(dropped.sort()).toEqual(['help_areas', 'help_got[find_home]']);
    expect(Object.keys(progress.answers).sort()).toEqual(['needed_help', 'situation']);
    expect(progress.history).toEqual(['situation', 'needed_help']);
  });
});

describe('bands', () => {
  test.each([
    [0, '0-1'],
    [1, '0-1'],
    [2, '2-4'],
    [4, '2-4'],
    [7, '5-9'],
    [10, '10+'],
    [80, '10+'],
  ])('stores %i years as %s', (n, band) => {
    expect(bandOf(n, [0, 2, 5, 10])).toBe(band);
  });
  test('a band of width one is a single number', () => {
    expect(bandOf(3, [0, 3, 4])).toBe('3');
  });
});

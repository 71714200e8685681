import fs from 'node:fs';
import { DEFAULT_SURVEY_FILE } from '../../src/survey/load';
import { validateSurvey } from '../../src/survey/validate';

const housingHelp = JSON.parse(fs.readFileSync(DEFAULT_SURVEY_FILE, 'utf8'));
const clone = () => JSON.parse(JSON.stringify(housingHelp));

test('housing-help v1 is valid and uses every question type and construct', () => {
  const { survey, problems } = validateSurvey(housingHelp);
  expect(problems).toEqual([]);
  const types = new Set(survey!.items.flatMap((i) => (i.type === 'repeat' ? i.questions.map((q) => q.type) : [i.type])));
  expect([...types].sort()).toEqual(['multi', 'number', 'scale', 'single', 'text', 'yes_no']);
  expect(survey!.items.some((i) => i.type === 'repeat')).toBe(true);
  expect(survey!.items.some((i) => i.type !== 'repeat' && i.when && 'any' in i.when)).toBe(true);
});

test('reports every problem with its path, not only the first', () => {
  const bad = clone();
  bad.items[2].when = { question: 'nope', anyOf: ['yes'] }; // help_areas
  bad.items[4].when = { question: 'needed_help', anyOf: ['maybe'] }; // info_language
  bad.items[3].forEach = 'situation'; // repeat over a single-choice question
  bad.items.push({ id: 'children', type: 'yes_no' });
  const { survey, problems } = validateSurvey(bad);
  expect(survey).toBeUndefined();
  expect(problems).toEqual(
    expect.arrayContaining([
      { path: 'items[2].when.question', message: '"nope" is not an earlier question' },
      { path: 'items[4].when.anyOf[0]', message: '"maybe" is not an option of "needed_help"' },
      { path: 'items[3].forEach', message: '"situation" must be a multiple-choice question' },
      { path: `items[${bad.items.length - 1}].id`, message: 'duplicate id "children"' },
    ]),
  );
});

test('a condition may not look forward', () => {
  const bad = clone();
  bad.items[0].when = { question: 'children', anyOf: ['yes'] };
  expect(validateSurvey(bad).problems).toContainEqual({ path: 'items[0].when.question', message: '"children" is not an earlier question' });
});

test('schema errors carry their path', () => {
  const bad = clone();
  bad.items[1].options = ['only_one'];
  bad.items[7].max = 'five';
  const paths = validateSurvey(bad).problems.map((p) => p.path);
  expect(paths).toEqual(expect.arrayContaining(['items[1].options', 'items[7].max']));
});

test('bounds and bands are checked', () => {
  const bad = clone();
  const years = bad.items.find((i: { id: string }) => i.id === 'years_in_norway');
  years.bands = [1, 5, 3, 90];
  const problems = validateSurvey(bad).problems.map((p) => p.message);
  expect(problems).toEqual(
    expect.arrayContaining(['the first band must start at min (0)', 'bands must be strictly ascending', 'band start 90 is above max (80)']),
  );
});

import { DialogTurnStatus } from '../../src/bot/dialogFramework';
import { askedStep, createDialogClient, texts } from '../helpers/harness';

/**
 * Skip logic, branch by branch, as whole conversations through the dialogs (botbuilder-testing's
 * DialogTestClient). Each row: language, what the respondent types at each step, the steps the
 * bot must ask in order, and answers that must be stored.
 */
interface Case {
  name: string;
  lng: string;
  plan: Record<string, string>;
  asked: string[];
  stored: Record<string, unknown>;
}

const cases: Case[] = [
  {
    name: 'no help needed: the short path',
    lng: 'nb',
    plan: { needed_help: 'nei', situation: '1', children: 'nei', background: '1', age_band: '3', municipality: 'hopp over', what_helped: '-' },
    asked: ['needed_help', 'situation', 'children', 'background', 'age_band', 'municipality', 'what_helped'],
    stored: { needed_help: 'no', situation: 'owner', children: 'no', background: 'born_norway', age_band: 'age_36_50', municipality: null, what_helped: null },
  },
  {
    name: 'help needed in two areas, helped in one, born abroad',
    lng: 'en',
    plan: {
      needed_help: 'yes',
      situation: '4',
      help_areas: '1, 6',
      'help_got[find_home]': 'partly',
      'who_helped[find_home]': '1 and 3',
      'help_got[housing_allowance]': 'no',
      info_language: 'no',
      interpreter: '2',
      understood_letters: '2',
      respect: '3',
      barriers: '1, 4',
      temp_duration: '3',
      children: 'yes',
      background: '2',
      years_in_norway: '3',
      age_band: '1',
      municipality: 'Drammen',
      what_helped: 'An interpreter at the NAV office',
    },
    asked: [
      'needed_help',
      'situation',
      'help_areas',
      'help_got[find_home]',
      'who_helped[find_home]',
      'help_got[housing_allowance]',
      'info_language',
      'interpreter',
      'understood_letters',
      'respect',
      'barriers',
      'temp_duration',
      'children',
      'background',
      'years_in_norway',
      'age_band',
      'municipality',
      'what_helped',
    ],
    stored: {
      help_areas: ['find_home', 'housing_allowance'],
      'help_got[find_home]': 'partly',
      'who_helped[find_home]': ['nav', 'voluntary'],
      'help_got[housing_allowance]': 'no',
      barriers: ['language_barrier', 'digital_login'],
      years_in_norway: '2-4',
      temp_duration: 'over_6m',
    },
  },
  {
    name: "don't know about help, living in temporary housing",
    lng: 'nn',
    plan: {
      needed_help: 'veit ikkje',
      situation: 'mellombels',
      temp_duration: '1',
      children: '2',
      background: '3',
      age_band: '2',
      municipality: 'Bergen',
      what_helped: 'hopp over',
    },
    asked: ['needed_help', 'situation', 'temp_duration', 'children', 'background', 'age_band', 'municipality', 'what_helped'],
    stored: {
      needed_help: 'dont_know',
      situation: 'temporary',
      temp_duration: 'under_3m',
      background: 'born_norway_immigrant_parents',
      municipality: 'Bergen',
    },
  },
  {
    name: 'moving out of temporary housing asks its duration even when renting now',
    lng: 'nb',
    plan: {
      needed_help: 'ja',
      situation: '2',
      help_areas: '2',
      'help_got[temp_to_permanent]': 'venter',
      info_language: 'ja',
      interpreter: '3',
      understood_letters: '5',
      respect: '5',
      barriers: 'ingenting',
      temp_duration: '2',
      children: 'ja',
      background: '1',
      age_band: '5',
      municipality: '-',
      what_helped: 'Raskere svar',
    },
    asked: [
      'needed_help',
      'situation',
      'help_areas',
      'help_got[temp_to_permanent]',
      'info_language',
      'interpreter',
      'understood_letters',
      'respect',
      'barriers',
      'temp_duration',
      'children',
      'background',
      'age_band',
      'municipality',
      'what_helped',
    ],
    stored: { 'help_got[temp_to_permanent]': 'waiting', barriers: ['none'], temp_duration: 'months_3_6', interpreter: 'not_needed' },
  },
];

test.each(cases)('$name ($lng)', async ({ lng, plan, asked, stored }) => {
  const { client, store, say } = await createDialogClient();
  await say('👋');
  await say(String(texts.locales.list.findIndex((l) => l.tag === lng) + 1)); // from the menu of endonyms
  let reply = await say('1'); // consent
  const seen: string[] = [];
  for (let step = askedStep(lng, reply); step; step = askedStep(lng, reply)) {
    expect(plan).toHaveProperty([step]);
    seen.push(step);
    reply = await say(plan[step]);
  }
  expect(seen).toEqual(asked);
  expect(reply).toContain(texts.s(lng, 'thanks.done'));
  expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete);

  const [response] = await store.listResponses();
  expect(response).toMatchObject({ status: 'completed', language: lng, surveyId: 'housing-help', surveyVersion: 1, consentVersion: 1 });
  const answers = Object.fromEntries(response.answers.map((a) => [a.iteration ? `${a.questionId}[${a.iteration}]` : a.questionId, a.value]));
  expect(Object.keys(answers).sort()).toEqual([...asked].sort());
  expect(answers).toMatchObject(stored);
  expect(response.answers.every((a) => a.language === lng)).toBe(true);
});

import { parse } from 'csv-parse/sync';
import { PassThrough } from 'node:stream';
import { wilson } from '../../src/analysis/intervals';
import { dashboardConfigOf } from '../../src/analyst/dashboard';
import { questionsOf } from '../../src/survey/walk';
import { BASELINE } from '../../src/analysis/analyze';
import { participationResponses, residentParticipation } from '../helpers/residentParticipation';
import { AnalystServer, locales, request, startAnalystServer, survey as housingHelp } from './helpers';

/**
 * The analyst API and dashboard over a registry with two surveys: housing-help (a generated
 * population) and resident-participation (responses made here, counted by hand). A request names
 * its survey with `survey=`; without one it is about the default survey, as before.
 */
const RP = residentParticipation.id;
/** resident-participation's responses, by background and answer to took_part. */
const RP_RESPONSES = [
  ...participationResponses(10, { background: 'born_norway', tookPart: 'yes', language: 'nb' }),
  ...participationResponses(6, { background: 'born_norway', tookPart: 'partly', language: 'nb' }),
  ...participationResponses(5, { background: 'born_norway', tookPart: 'no', language: 'nb' }),
  ...participationResponses(7, { background: 'born_abroad', tookPart: 'yes', language: 'so' }),
  ...participationResponses(8, { background: 'born_abroad', tookPart: 'partly', language: 'so' }),
  ...participationResponses(9, { background: 'born_abroad', tookPart: 'no', language: 'so' }),
  // Three in Tigrinya: a group smaller than k in this survey, however many the other survey has.
  ...participationResponses(3, { background: 'born_abroad', tookPart: 'yes', language: 'ti' }),
  // Not offered housing: never asked took_part.
  ...participationResponses(6, { background: 'born_abroad', language: 'so' }),
];

let s: AnalystServer;
let token: string;
beforeAll(async () => {
  s = await startAnalystServer({ responses: 600, extra: RP_RESPONSES });
  token = await s.token('two-surveys');
});
afterAll(() => s.close());
const get = (path: string, headers: Record<string, string> = {}) =>
  request(`${s.url}/api/analyst${path}`, { token, headers: { 'accept-language': 'en', ...headers } });

describe('the analysis of a chosen survey', () => {
  test('survey=resident-participation analyses that survey’s responses with its own top-level outcome', async () => {
    const r = await get(`/analysis?survey=${RP}&by=background`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(JSON.parse(JSON.stringify(await s.service.analyze({ survey: RP, by: 'background' }))));
    expect(r.body.survey).toEqual({ id: RP, version: 1 });
    expect(r.body.responses).toBe(RP_RESPONSES.length);
    expect(r.body.helpReceived).toHaveLength(1);
    const table = r.body.helpReceived[0];
    expect(table).toMatchObject({ area: 'took_part', topLevel: true });
    // By hand: 21 baseline respondents were asked, 10 said yes; 27 born abroad, 10 said yes.
    const baseline = table.rows.find((x: { group: string }) => x.group === BASELINE);
    const abroad = table.rows.find((x: { group: string }) => x.group === 'born_abroad');
    expect(baseline.n).toBe(21);
    expect(abroad.n).toBe(27);
    const ci = wilson(10, 27);
    expect(abroad.outcomes.yes).toEqual({ x: 10, n: 27, p: 10 / 27, ci95: [ci.low, ci.high] });
  });

  test('without survey=, the default survey’s analysis counts none of the other survey’s responses', async () => {
    const r = await get('/analysis?by=channel');
    expect(r.body.survey).toEqual({ id: housingHelp.id, version: housingHelp.version });
    expect(r.body.responses).toBe(s.population.filter((x) => x.status === 'completed').length);
  });

  test('an unknown survey or version is refused with 400, saying which there are', async () => {
    const ids = (await s.service.listSurveys()).map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining([housingHelp.id, RP]));
    const unknown = await get('/analysis?survey=nope&by=language');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: 'unknown_survey', message: `There is no survey “nope”. The surveys are: ${ids.join(', ')}.` });
    const nb = await get('/analysis?survey=nope&by=language', { 'accept-language': 'nb' });
    expect(nb.body.message).toBe(`Det finnes ingen undersøkelse «nope». Undersøkelsene er: ${ids.join(', ')}.`);
    const version = await get(`/analysis?survey=${RP}&version=9&by=language`);
    expect(version.status).toBe(400);
    expect(version.body).toEqual({ error: 'unknown_version', message: `The survey “${RP}” has no version 9. Its versions are: 1.` });
    for (const path of ['/export?survey=nope', '/codebook?survey=nope', `/export?survey=${RP}&version=2`]) expect((await get(path)).status).toBe(400);
  });

  test('checks the groups and areas against the chosen survey’s definition', async () => {
    // situation is a housing-help dimension, not one of resident-participation's.
    const by = await get(`/analysis?survey=${RP}&by=situation`);
    expect(by.status).toBe(400);
    expect(by.body.message).toBe(`“by” must be one of ${residentParticipation.analysis!.dimensions.map((d) => d.id).join(', ')} (got “situation”).`);
    const area = await get(`/analysis?survey=${RP}&by=language&area=find_home`);
    expect(area.status).toBe(400);
    expect(area.body.message).toBe(`The survey “${RP}” has one outcome question and no help areas: leave out “area”.`);
    expect((await get('/analysis?by=language&area=find_home')).status).toBe(200);
  });
});

describe('the export and codebook of a chosen survey', () => {
  const ownQuestions = questionsOf(residentParticipation).map((q) => q.question.id);
  const otherQuestions = questionsOf(housingHelp)
    .map((q) => q.question.id)
    .filter((id) => !ownQuestions.includes(id));

  test('the export has the survey’s own columns and rows, and no column of the other survey', async () => {
    const r = await get(`/export?survey=${RP}&format=csv&status=all`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="${RP}-v1-responses.csv"`);
    const rows = parse(r.text, { columns: true }) as Record<string, string>[];
    const columns = Object.keys(rows[0]);
    for (const q of ['housing_offer', 'took_part', 'listened_to', 'safe_home', 'easy_to_move']) expect(columns).toContain(q);
    expect(columns.filter((c) => otherQuestions.some((q) => c === q || c.startsWith(`${q}[`)))).toEqual([]);
    // Free text is never in the file.
    expect(columns).not.toContain('what_would_help');
    expect(new Set(rows.map((x) => x.survey))).toEqual(new Set([RP]));
    const out = new PassThrough();
    out.resume();
    const summary = await s.service.export({ survey: RP, format: 'csv', filter: {} }, out);
    expect(rows.length).toBe(summary.rows);
    expect(summary.report.records).toBe(RP_RESPONSES.length);
    // Labels come from the survey's own texts: an answer is its label where the locale has one.
    const labelled = parse((await get(`/export?survey=${RP}&format=csv&status=all&labels=nb`)).text, { columns: true }) as Record<string, string>[];
    const yes = locales.i18n.getResource('nb', RP, 'options.yes.label') as string | undefined;
    expect(labelled.some((x) => x.took_part === (yes ?? 'yes'))).toBe(true);
  });

  test('the differencing guard counts the chosen survey’s responses only', async () => {
    // Three Tigrinya responses in this survey: refused, although the other survey has many more.
    expect(s.population.filter((x) => x.language === 'ti').length).toBeGreaterThan(5);
    const ti = await get(`/export?survey=${RP}&format=json&status=all&language=ti`);
    expect(ti.status).toBe(422);
    expect(ti.body.error).toBe('too_few');
    const so = await get(`/export?survey=${RP}&format=json&status=all&language=so`);
    expect(so.status).toBe(200);
    expect(so.body.records.length).toBeLessThanOrEqual(RP_RESPONSES.filter((x) => x.language === 'so').length);
    expect(new Set(so.body.records.map((x: { survey: string }) => x.survey))).toEqual(new Set([RP]));
  });

  test('the codebook describes the survey’s own columns and its versions', async () => {
    const r = await get(`/codebook?survey=${RP}&format=json&lang=en`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="${RP}-v1-codebook-en.json"`);
    expect(r.body.survey).toEqual({ id: RP, version: 1, consentVersion: residentParticipation.consentVersion });
    const names = r.body.columns.map((c: { name: string }) => c.name);
    expect(names).toEqual(expect.arrayContaining(['took_part', 'housing_offer', 'listened_to']));
    expect(names.filter((n: string) => otherQuestions.some((q) => n === q || n.startsWith(`${q}[`)))).toEqual([]);
    expect(r.body.versions.map((v: { version: number; state: string }) => [v.version, v.state])).toEqual([[1, 'published']]);
    expect(r.body.versions[0].questions.map((q: { id: string }) => q.id)).toEqual(ownQuestions);
    expect(r.body.versions[0].changes).toBeUndefined();
    const tookPart = r.body.columns.find((c: { name: string }) => c.name === 'took_part');
    expect(tookPart.askedWhen).toMatch(/^housing_offer is yes/);
    const csv = await get(`/codebook?survey=${RP}&format=csv&history=true`);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${RP}-v1-versions-en.csv"`);
    const rows = parse(csv.text) as string[][];
    expect(rows[0].slice(0, 3)).toEqual(['version', 'state', 'question']);
    expect(rows.filter((x) => x[4] === '').map((x) => x[2])).toEqual(['', ...ownQuestions]);
  });

  test('GET /surveys lists every survey with its versions, and the default', async () => {
    const r = await get('/surveys');
    expect(r.status).toBe(200);
    expect(r.body.default).toBe(housingHelp.id);
    expect(r.body.surveys).toEqual(
      expect.arrayContaining([
        { id: housingHelp.id, versions: [{ version: 1, state: 'published' }], current: 1 },
        { id: RP, versions: [{ version: 1, state: 'published' }], current: 1 },
      ]),
    );
    expect((await get('/surveys?x=1')).status).toBe(400);
  });
});

describe('the dashboard’s survey picker', () => {
  test('the page carries every registered survey with its own dimensions, areas and labels', async () => {
    const html = (await request(`${s.url}/analyst`)).text;
    expect(html).toMatch(/<select id="survey"><\/select>/);
    const config = JSON.parse(/<script id="dashboard-config" type="application\/json">(.*?)<\/script>/s.exec(html)![1]);
    expect(config).toEqual(JSON.parse(JSON.stringify(await dashboardConfigOf(s.service, locales))));
    expect(config.defaultSurvey).toBe(housingHelp.id);
    const ids = (await s.service.listSurveys()).map((x) => x.id);
    expect(config.surveys.map((x: { id: string }) => x.id)).toEqual(ids);
    const rp = config.surveys.find((x: { id: string }) => x.id === RP);
    expect(rp).toMatchObject({
      version: 1,
      versions: [{ version: 1, state: 'published' }],
      dimensions: residentParticipation.analysis!.dimensions.map((d) => d.id),
      areas: [],
      topLevelOutcome: true,
      outcome: { question: 'took_part', success: ['yes'] },
      milestones: expect.arrayContaining(['housing_offer', 'completed']),
    });
    expect(rp.milestones).not.toContain('took_part');
    for (const lng of ['nb', 'en']) {
      expect(Object.keys(rp.labels[lng].questions)).toEqual(questionsOf(residentParticipation).map((q) => q.question.id));
      expect(typeof rp.title[lng]).toBe('string');
    }
    const hh = config.surveys.find((x: { id: string }) => x.id === housingHelp.id);
    expect(hh.topLevelOutcome).toBe(false);
    expect(hh.areas.length).toBeGreaterThan(0);
    // The page before a survey is picked: the default survey, as the page always had it.
    expect(config.dimensions).toEqual(hh.dimensions);
    expect(config.areas).toEqual(hh.areas);
    expect(config.labels).toEqual(hh.labels);
    // The picker's and the top-level outcome's words are in both analyst languages.
    for (const lng of ['nb', 'en']) {
      for (const key of ['filters.survey', 'help.intro_question', 'help.chart_question', 'help.gap_chart_question'])
        expect([lng, key, typeof config.texts[lng][key.split('.')[0]][key.split('.')[1]]]).toEqual([lng, key, 'string']);
    }
  });
});

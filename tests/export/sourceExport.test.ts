import { ExportPlanner } from '../../src/export/exportPlan';
import { SUPPRESSED } from '../../src/privacy/kAnonymity';
import { StoredResponse } from '../../src/store/store';
import { SurveyDefinition } from '../../src/survey/definition';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';
import { generatePopulation } from '../helpers/population';

/**
 * The response's source is a quasi-identifier in record-level exports: a source only a few
 * respondents came from (one small organisation's leaflet) would point at them. It is generalised
 * like the others (rare sources fold into "other", then it is suppressed), also for a survey
 * whose definition predates sources and does not declare it.
 */
const survey = loadSurvey(DEFAULT_SURVEY_FILE);
const K = 5;
/** Three respondents from a rare source, the rest from two common ones. */
const RARE = 'volunteer-organisation';
const sourceOf = (i: number) => (i % 250 === 7 ? RARE : i % 2 ? 'nav-office-poster' : 'web');

function exportOf(def: SurveyDefinition, population: StoredResponse[]) {
  const planner = new ExportPlanner(def, { k: K });
  const read = population.filter((r) => r.status === 'completed').map((r) => ({ r, ...planner.add(r) }));
  const plan = planner.finish();
  const source = plan.columns.findIndex((c) => c.name === 'source');
  const rows = read.flatMap(({ r, index, cells }) => (plan.published(index) ? [{ original: r, source: plan.complete(index, cells)[source] }] : []));
  return { plan, rows, source };
}

describe('the source in record-level exports', () => {
  const population = generatePopulation(survey, 800, { seed: 5, source: sourceOf });
  const completed = population.filter((r) => r.status === 'completed');

  test('a rare source is never published as itself, even where everything else can be', () => {
    expect(completed.filter((r) => r.source === RARE).length).toBeGreaterThan(0);
    expect(completed.filter((r) => r.source === RARE).length).toBeLessThan(K);
    // Few other quasi-identifiers, so that common sources can be published as they are.
    const spec = survey.analysis!;
    const few: SurveyDefinition = {
      ...survey,
      analysis: { ...spec, quasiIdentifiers: spec.quasiIdentifiers.filter((q) => ['source', 'channel'].includes(q.column)), giveWay: undefined },
    };
    const { plan, rows, source } = exportOf(few, population);
    expect(source).toBeGreaterThanOrEqual(0);
    expect(plan.columns[source].qi?.column).toBe('source');
    const published = rows.map((r) => r.source);
    expect(published).not.toContain(RARE);
    // The rare source's respondents are exported as "other" or hidden, never as a source they did not come from.
    for (const r of rows.filter((x) => x.original.source === RARE)) expect(['other', SUPPRESSED]).toContain(r.source);
    for (const r of rows.filter((x) => x.original.source !== RARE)) expect([r.original.source, 'other', SUPPRESSED]).toContain(r.source);
    expect(published.some((s) => s === 'web' || s === 'nav-office-poster')).toBe(true);
    // Its three respondents were withheld or folded into "other"; the common sources stay as they are.
    expect(new Set(published)).toEqual(new Set(['web', 'nav-office-poster', ...published.filter((p) => p === 'other')]));
    expect(plan.report.attributes.find((a) => a.attribute === 'source')).toBeDefined();
  });

  test('with every declared quasi-identifier, the source gives way before the rest', () => {
    const { plan, rows } = exportOf(survey, population);
    expect(rows.map((r) => r.source)).not.toContain(RARE);
    expect(plan.report.attributes[0]).toMatchObject({ attribute: 'source' });
  });

  test('a survey that does not declare the source still has it protected, giving way first', () => {
    const spec = survey.analysis!;
    const older: SurveyDefinition = {
      ...survey,
      analysis: {
        ...spec,
        quasiIdentifiers: spec.quasiIdentifiers.filter((q) => q.column !== 'source'),
        giveWay: spec.giveWay?.filter((c) => c !== 'source'),
      },
    };
    const { plan, rows, source } = exportOf(older, population);
    expect(plan.columns[source].qi?.column).toBe('source');
    expect(rows.map((r) => r.source)).not.toContain(RARE);
    expect(plan.report.attributes.map((a) => a.attribute)[0]).toBe('source');
  });
});

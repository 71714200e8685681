import { analyze, AnalysisRequestError, AnalysisResult, BASELINE, Proportion, PublishedProportion } from '../../src/analysis/analyze';
import { independenceTest } from '../../src/analysis/independence';
import { newcombe, wilson } from '../../src/analysis/intervals';
import { StoredResponse, SurveyStore } from '../../src/store/store';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';
import { populatedSqliteStore } from '../helpers/population';

const survey = loadSurvey(DEFAULT_SURVEY_FILE);
const K = 5;
let store: SurveyStore;
let population: StoredResponse[];

beforeAll(async () => {
  ({ store, population } = await populatedSqliteStore(survey, 1500, { seed: 11 }));
});
afterAll(() => store.close());

const top = (r: StoredResponse, q: string) => r.answers.find((a) => a.questionId === q && a.iteration === '')?.value;
const isBaseline = (r: StoredResponse) => top(r, 'background') === 'born_norway';
/** The group a response belongs to, computed here independently of the code under test. */
const groupOf = (r: StoredResponse, by: 'language' | 'background' | 'situation' | 'channel') =>
  isBaseline(r) ? BASELINE : by === 'background' || by === 'situation' ? String(top(r, by)) : r[by];
const completed = () => population.filter((r) => r.status === 'completed');
const isPublished = (p: Proportion): p is PublishedProportion => !('suppressed' in p);

/** Every proportion object in a result, wherever it sits. */
function proportions(result: unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if ('ci95' in v && 'x' in v && 'n' in v) out.push(v);
      else Object.values(v).forEach(walk);
    }
  };
  walk(result);
  return out;
}

describe.each(['language', 'background', 'situation', 'channel'] as const)('analyze --by %s', (by) => {
  let result: AnalysisResult;
  beforeAll(async () => {
    result = await analyze(store, survey, { by, k: K });
  });

  it('counts help received per area exactly as the raw answers say, wherever a number is published', () => {
    for (const area of result.helpReceived) {
      const needed = completed().filter((r) => (top(r, 'help_areas') as string[] | undefined)?.includes(area.area));
      for (const row of area.rows) {
        const mine = needed.filter((r) => groupOf(r, by) === row.group);
        if (row.n !== null) expect([area.area, row.group, row.n]).toEqual([area.area, row.group, mine.length]);
        for (const [outcome, p] of Object.entries(row.outcomes)) {
          if (!isPublished(p)) continue;
          const x = mine.filter((r) => r.answers.some((a) => a.questionId === 'help_got' && a.iteration === area.area && a.value === outcome)).length;
          expect(p).toEqual({ x, n: mine.length, p: x / mine.length, ci95: [wilson(x, mine.length).low, wilson(x, mine.length).high] });
        }
      }
      // Groups are disjoint and cover everyone who needed help there.
      const groups = new Set(needed.map((r) => groupOf(r, by)));
      expect(area.rows.map((r) => r.group).sort()).toEqual([...groups].sort());
    }
  });

  it('gives each gap as x1/n1 − x2/n2 against the baseline, with Newcombe’s interval', () => {
    let checked = 0;
    for (const area of result.helpReceived) {
      const baseline = area.rows.find((r) => r.group === BASELINE)!;
      for (const { group, gap } of area.gaps) {
        expect(group).not.toBe(BASELINE);
        if ('suppressed' in gap) continue;
        const yes = area.rows.find((r) => r.group === group)!.outcomes.yes as PublishedProportion;
        const base = baseline.outcomes.yes as PublishedProportion;
        expect(gap).toMatchObject({ x1: yes.x, n1: yes.n, x2: base.x, n2: base.n });
        expect(gap.diff).toBeCloseTo(yes.x / yes.n - base.x / base.n, 12);
        const g = newcombe(gap.x1, gap.n1, gap.x2, gap.n2);
        expect(gap.ci95).toEqual([g.low, g.high]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('publishes no count between 0 and k, and no interval for a suppressed number', () => {
    for (const p of proportions(result) as PublishedProportion[]) {
      expect(p.n).toBeGreaterThanOrEqual(K);
      expect(p.x === 0 || p.x >= K).toBe(true);
    }
    // A row with one hidden outcome would give it away: its total minus the published outcomes.
    for (const area of result.helpReceived) {
      for (const row of area.rows) {
        if (row.n === null) continue;
        const hidden = Object.values(row.outcomes).filter((p) => !isPublished(p)).length;
        expect([area.area, row.group, hidden]).not.toEqual([area.area, row.group, 1]);
      }
    }
    const suppressed = JSON.stringify(result).match(/"suppressed":true[^}]*}/g) ?? [];
    for (const s of suppressed) expect(s).not.toMatch(/ci95/);
    const s = result.suppression;
    expect(s.primary + s.secondary).toBeGreaterThan(0);
    expect(s.cells).toBeGreaterThan(s.primary + s.secondary);
  });

  it('computes each test of independence from published numbers only', () => {
    // A statistic over hidden cells narrows down what they are, often to one table. So each test
    // must be the test of [x, n − x] over the groups whose share is published in the output.
    const sharesOf = (rows: { n: number | null; share: Proportion }[]) => rows.filter((r) => isPublished(r.share)).map((r) => r.share as PublishedProportion);
    const tables = [
      ...result.helpReceived.map((a) => ({ name: a.area, test: a.test, shares: sharesOf(a.rows.map((r) => ({ n: r.n, share: r.outcomes.yes }))) })),
      ...result.barriers.flatMap((b) =>
        b.kind === 'multi'
          ? b.options.map((o) => ({ name: `${b.question}:${o.option}`, test: o.test, shares: sharesOf(o.rows) }))
          : [{ name: b.question, test: b.test, shares: sharesOf(b.rows.map((r) => ({ n: r.n, share: 'share' in r ? r.share : r.low }))) }],
      ),
    ];
    let withHiddenCells = 0;
    for (const t of tables) {
      const expected = independenceTest(t.shares.map((p) => [p.x, p.n - p.x])) ?? null;
      expect([t.name, t.test]).toEqual([t.name, expected && { ...expected, groups: t.shares.filter((p) => p.n > 0).length }]);
    }
    for (const area of result.helpReceived) if (area.test && area.rows.some((r) => Object.values(r.outcomes).some((p) => !isPublished(p)))) withHiddenCells++;
    // Tests are still given for tables that have hidden cells, and some are given at all.
    expect(tables.filter((t) => t.test !== null).length).toBeGreaterThan(tables.length / 2);
    if (by !== 'channel') expect(withHiddenCells).toBeGreaterThan(0);
  });

  it('summarises each barrier question with the same intervals', () => {
    const info = result.barriers.find((b) => b.question === 'info_language')!;
    expect(info.kind).toBe('share');
    if (info.kind !== 'share') return;
    for (const row of info.rows) {
      if (!isPublished(row.share)) continue;
      const mine = completed().filter((r) => groupOf(r, by) === row.group && ['yes', 'no', 'dont_know'].includes(String(top(r, 'info_language'))));
      expect(row.share.n).toBe(mine.length);
      expect(row.share.x).toBe(mine.filter((r) => top(r, 'info_language') === 'yes').length);
    }
    const letters = result.barriers.find((b) => b.question === 'understood_letters')!;
    if (letters.kind !== 'scale') throw new Error('understood_letters is a scale');
    const shown = letters.rows.filter((r) => !('suppressed' in r.mean));
    expect(shown.length).toBeGreaterThan(0);
    for (const row of shown) {
      const values = completed()
        .filter((r) => groupOf(r, by) === row.group && top(r, 'understood_letters') !== undefined)
        .map((r) => Number(top(r, 'understood_letters')));
      const mean = row.mean as { mean: number; n: number };
      expect(mean.n).toBe(values.length);
      expect(mean.mean).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 10);
    }
    const interpreter = result.barriers.find((b) => b.question === 'interpreter')!;
    // "Offered when needed": those who did not need one are not in the denominator.
    if (interpreter.kind === 'share') {
      for (const row of interpreter.rows.filter((r) => isPublished(r.share))) {
        const mine = completed().filter((r) => groupOf(r, by) === row.group && ['yes', 'no'].includes(String(top(r, 'interpreter'))));
        expect((row.share as PublishedProportion).n).toBe(mine.length);
      }
    }
    const hard = result.barriers.find((b) => b.question === 'barriers')!;
    expect(hard.kind === 'multi' && hard.options.map((o) => o.option)).toEqual([
      'language_barrier',
      'where_to_ask',
      'forms',
      'digital_login',
      'landlords',
      'waited',
      'other',
      'none',
    ]);
  });
});

describe('comprehension per language', () => {
  let result: AnalysisResult;
  beforeAll(async () => {
    result = await analyze(store, survey, { by: 'language', k: K });
  });

  it('counts every started response, finished or not', () => {
    for (const c of result.comprehension) {
      if (c.started === null) continue;
      expect([c.language, c.started]).toEqual([c.language, population.filter((r) => r.language === c.language).length]);
    }
  });

  it('gives the “I don’t understand” rate per question among those who answered it', () => {
    const ar = result.comprehension.find((c) => c.language === 'ar')!;
    const shown = ar.notUnderstood.filter((q) => isPublished(q.rate));
    expect(shown.length).toBeGreaterThan(3);
    for (const { question, rate } of shown) {
      const answered = population.filter((r) => r.language === 'ar' && r.answers.some((a) => a.questionId === question));
      const confused = answered.filter((r) => r.answers.some((a) => a.questionId === question && a.notUnderstood > 0));
      expect(rate).toMatchObject({ x: confused.length, n: answered.length });
    }
  });

  it('shows a drop-off funnel that only falls, and never reveals fewer than k drop-outs between two points', () => {
    for (const c of result.comprehension) {
      const points = c.funnel.map((f) => f.reached).filter((r): r is PublishedProportion => r !== null);
      for (let i = 1; i < points.length; i++) {
        const drop = points[i - 1].x - points[i].x;
        expect(drop === 0 || drop >= K).toBe(true);
      }
      for (const p of points) expect(p.x).toBeGreaterThanOrEqual(K);
    }
    const nb = result.comprehension.find((c) => c.language === 'nb')!;
    expect(nb.funnel[0]).toEqual({ step: 'needed_help', reached: expect.objectContaining({ p: 1 }) });
    expect(nb.funnel.map((f) => f.step)).toEqual([
      'needed_help',
      'situation',
      'children',
      'background',
      'age_band',
      'municipality',
      'what_helped',
      'completed',
    ]);
    expect(nb.funnel[nb.funnel.length - 1].reached).toMatchObject({ x: population.filter((r) => r.language === 'nb' && r.status === 'completed').length });
  });

  it('counts language switches and fallback text', () => {
    const se = result.comprehension.find((c) => c.language === 'se');
    const pl = result.comprehension.find((c) => c.language === 'pl')!;
    expect(pl.switched).toMatchObject({ n: population.filter((r) => r.language === 'pl').length });
    if (se && isPublished(se.fallbackResponses)) expect(se.fallbackResponses.x).toBeGreaterThan(0);
    // Every published share, against the raw responses.
    let checked = 0;
    for (const c of result.comprehension) {
      const mine = population.filter((r) => r.language === c.language);
      if (isPublished(c.switched)) {
        expect([c.language, c.switched.x, c.switched.n]).toEqual([c.language, mine.filter((r) => r.languageSwitches > 0).length, mine.length]);
        checked++;
      }
      if (isPublished(c.fallbackResponses)) {
        expect([c.language, c.fallbackResponses.x, c.fallbackResponses.n]).toEqual([
          c.language,
          mine.filter((r) => r.answers.some((a) => a.fallback)).length,
          mine.length,
        ]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('counts, per language, the responses asked to confirm a typed answer, and of those the ones that answered no', () => {
    let confirmed = 0;
    let declined = 0;
    for (const c of result.comprehension) {
      const mine = population.filter((r) => r.language === c.language);
      const asked = mine.filter((r) => r.confirmations > 0);
      if (isPublished(c.confirmed)) {
        expect([c.language, c.confirmed.x, c.confirmed.n]).toEqual([c.language, asked.length, mine.length]);
        confirmed++;
      }
      if (isPublished(c.declined)) {
        // Published only with its denominator, the confirmed count.
        expect(isPublished(c.confirmed)).toBe(true);
        expect([c.language, c.declined.x, c.declined.n]).toEqual([c.language, asked.filter((r) => r.confirmationsDeclined > 0).length, asked.length]);
        declined++;
      }
    }
    expect(confirmed).toBeGreaterThan(3);
    expect(declined).toBeGreaterThan(1);
    // Norwegian respondents type fewer answers that need confirming in this population.
    expect(result.comprehension.find((c) => c.language === 'nb')!.confirmed).toMatchObject({ x: 0 });
  });
});

describe('analyze: requests', () => {
  it('can be limited to one help area', async () => {
    const r = await analyze(store, survey, { by: 'background', area: 'rent_arrears', k: K });
    expect(r.helpReceived.map((a) => a.area)).toEqual(['rent_arrears']);
    expect(r.area).toBe('rent_arrears');
  });

  it.each([
    [{ by: 'shoe_size' }, /--by must be one of language, background, situation, channel/],
    [{ by: 'language', area: 'moon' }, /--area must be one of find_home, /],
  ])('refuses %p, naming what it accepts', async (req, message) => {
    await expect(analyze(store, survey, { k: K, ...req })).rejects.toThrow(AnalysisRequestError);
    await expect(analyze(store, survey, { k: K, ...req })).rejects.toThrow(message);
  });

  it('gives a test of independence for every table it can', async () => {
    const r = await analyze(store, survey, { by: 'background', k: K });
    const findHome = r.helpReceived.find((a) => a.area === 'find_home')!;
    expect(findHome.test).toMatchObject({ method: expect.stringMatching(/chi-square|fisher/), p: expect.any(Number) });
    expect(findHome.test!.p).toBeLessThan(0.05); // the population is drawn with a real gap
  });
});

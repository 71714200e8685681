import { formatReport, helpReceived } from '../../src/report/helpReceived';
import { SurveyStore } from '../../src/store/store';
import { sqliteStore } from '../helpers/harness';

/** Completed responses with one help_got answer each: `outcomes` per language. */
async function seed(store: SurveyStore, plan: Record<string, Record<string, number>>) {
  let n = 0;
  for (const [language, outcomes] of Object.entries(plan))
    for (const [outcome, count] of Object.entries(outcomes))
      for (let i = 0; i < count; i++) {
        const id = `r${n++}`;
        await store.createResponse({ id, surveyId: 'housing-help', surveyVersion: 1, consentVersion: 1, channel: 'web', period: '2026-W48', language });
        await store.saveAnswer({ responseId: id, questionId: 'help_got', iteration: 'find_home', value: outcome, language, fallback: false });
        await store.updateResponse(id, { status: 'completed' });
      }
}

test('rates by language come with Wilson intervals, and small cells are suppressed with their complements', async () => {
  const store = await sqliteStore();
  await seed(store, {
    nb: { yes: 30, partly: 10, no: 10, waiting: 5 },
    ar: { yes: 6, partly: 2, no: 12, waiting: 7 },
    so: { yes: 3, partly: 0, no: 2, waiting: 0 },
  });
  const report = await helpReceived(store, 'housing-help', 'language', 5);
  const row = (g: string) => report.table.rowLabels.indexOf(g);
  const nb = report.rates.find((r) => r.group === 'nb')!.rate!;
  expect(nb.p).toBeCloseTo(30 / 55, 5);
  expect(nb.lower).toBeLessThan(nb.p);
  expect(nb.upper).toBeGreaterThan(nb.p);
  // ar "partly" (2) and so's small cells are hidden; the row totals do not give them away.
  expect(report.table.cells[row('ar')][1]).toMatchObject({ value: null, status: 'primary' });
  const hiddenInAr = report.table.cells[row('ar')].filter((c) => c.value === null).length;
  expect(hiddenInAr >= 2 || report.table.rowTotals[row('ar')].value === null).toBe(true);
  expect(report.rates.find((r) => r.group === 'so')!.rate).toBeNull();
  const text = formatReport(report);
  expect(text).toContain('·');
  expect(text).not.toMatch(/\bso\s+3\b/);
});

test('an empty survey gives an empty table, not an error', async () => {
  const store = await sqliteStore();
  const report = await helpReceived(store, 'housing-help', 'background', 5);
  expect(report.rates).toEqual([]);
});

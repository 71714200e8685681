import fc from 'fast-check';
import { SelectionCell, SelectionFilter, selectionProblem } from '../../src/analyst/differencing';
import { request, responsesLike, startAnalystServer } from './helpers';

const K = 5;
const cell = (over: Partial<SelectionCell>): SelectionCell => ({
  surveyVersion: 1,
  status: 'completed',
  language: 'nb',
  channel: 'web',
  period: '2026-W01',
  count: 10,
  ...over,
});

describe('a filtered selection', () => {
  test('may hold no responses, or at least k, but nothing between', () => {
    const cells = [cell({ language: 'nb', count: 20 }), cell({ language: 'pl', count: 4 }), cell({ language: 'so', count: 5 })];
    expect(selectionProblem(cells, { language: 'ar' }, K)).toBeUndefined();
    expect(selectionProblem(cells, { language: 'pl' }, K)).toEqual({ kind: 'too_few' });
    expect(selectionProblem(cells, { language: 'so' }, K)).toBeUndefined();
  });

  test('may not differ by 1 to k − 1 responses from the same request with a filter dropped', () => {
    const cells = [cell({ channel: 'web', count: 30 }), cell({ channel: 'sms', count: 2 }), cell({ language: 'pl', channel: 'sms', count: 20 })];
    // nb on the web vs all of nb: the 2 nb responses by SMS.
    expect(selectionProblem(cells, { language: 'nb', channel: 'web' }, K)).toEqual({ kind: 'too_few_apart', dropped: ['channel'] });
    // SMS in nb vs SMS in any language: 20, fine; but nb-SMS itself holds 2.
    expect(selectionProblem(cells, { language: 'nb', channel: 'sms' }, K)).toEqual({ kind: 'too_few' });
    expect(selectionProblem(cells, { channel: 'web' }, K)).toBeUndefined();
  });

  test('counts the unfinished responses as a filter too (status=completed is the default)', () => {
    const cells = [cell({ count: 40 }), cell({ status: 'in_progress', count: 3 })];
    expect(selectionProblem(cells, { status: 'completed' }, K)).toEqual({ kind: 'too_few_apart', dropped: ['status'] });
    expect(selectionProblem(cells, {}, K)).toBeUndefined();
  });

  test('may not differ by 1 to k − 1 responses from a prefix or suffix of its week range', () => {
    const cells = [cell({ period: '2026-W01', count: 3 }), cell({ period: '2026-W02', count: 30 }), cell({ period: '2026-W03', count: 30 })];
    // W01–W03 vs W02–W03 gives away W01.
    expect(selectionProblem(cells, { fromPeriod: '2026-W01', toPeriod: '2026-W03' }, K)).toEqual({ kind: 'too_few_in_part_of_range' });
    // From W01 (open end) vs no range: same responses.
    expect(selectionProblem([cells[1], cells[2]], { fromPeriod: '2026-W01' }, K)).toBeUndefined();
    // To W02 vs no range: W03 is 30, fine; W01 inside the range is 3, a prefix.
    expect(selectionProblem(cells, { toPeriod: '2026-W02' }, K)).toEqual({ kind: 'too_few_in_part_of_range' });
    expect(selectionProblem(cells, { fromPeriod: '2026-W02', toPeriod: '2026-W03' }, K)).toEqual({ kind: 'too_few_apart', dropped: ['from'] });
  });

  /**
   * The guarantee the rule is for: of any two nested requests that are both answered, the larger
   * holds 0 or at least k more responses. Checked over every request in a small universe of
   * filters, for random populations.
   */
  test('never lets two nested answered requests differ by 1 to k − 1 responses', () => {
    const languages = ['nb', 'pl', 'so'];
    const channels = ['web', 'sms'];
    const statuses = ['completed', 'in_progress'];
    const weeks = ['2026-W01', '2026-W02', '2026-W03', '2026-W04'];
    const universe: SelectionCell[] = [];
    for (const language of languages)
      for (const channel of channels)
        for (const status of statuses) for (const period of weeks) universe.push(cell({ language, channel, status, period, count: 0 }));
    const requests: SelectionFilter[] = [];
    for (const language of [undefined, ...languages])
      for (const channel of [undefined, ...channels])
        for (const status of [undefined, 'completed'])
          for (const fromPeriod of [undefined, ...weeks])
            for (const toPeriod of [undefined, ...weeks])
              if (!fromPeriod || !toPeriod || fromPeriod <= toPeriod) requests.push({ language, channel, status, fromPeriod, toPeriod });
    const within = (outer: SelectionFilter, inner: SelectionFilter) =>
      (['language', 'channel', 'status'] as const).every((f) => outer[f] === undefined || outer[f] === inner[f]) &&
      (outer.fromPeriod === undefined || (inner.fromPeriod !== undefined && inner.fromPeriod >= outer.fromPeriod)) &&
      (outer.toPeriod === undefined || (inner.toPeriod !== undefined && inner.toPeriod <= outer.toPeriod));
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 7 }), { minLength: universe.length, maxLength: universe.length }), (counts) => {
        // Most cells empty, as in real data: small groups are the point.
        const cells = universe.map((c, i) => ({ ...c, count: counts[i] > 4 ? 0 : counts[i] }));
        const count = (f: SelectionFilter) =>
          cells
            .filter(
              (c) =>
                (['language', 'channel', 'status'] as const).every((k) => f[k] === undefined || c[k] === f[k]) &&
                (!f.fromPeriod || c.period >= f.fromPeriod) &&
                (!f.toPeriod || c.period <= f.toPeriod),
            )
            .reduce((s, c) => s + c.count, 0);
        const answered = requests.filter((f) => selectionProblem(cells, f, K) === undefined);
        for (const outer of answered) {
          for (const inner of answered) {
            if (outer === inner || !within(outer, inner)) continue;
            const d = count(outer) - count(inner);
            if (d > 0 && d < K) throw new Error(`${JSON.stringify(outer)} and ${JSON.stringify(inner)} differ by ${d}`);
          }
        }
      }),
      { numRuns: 15, seed: 12 },
    );
  });
});

describe('filtered exports over HTTP', () => {
  test('cannot be subtracted to reveal a small group: the second of two nested requests is refused, and audited', async () => {
    // Everyone answered in bokmål on the web in weeks 1–10, except three people in Polish in week 11.
    const s = await startAnalystServer({
      responses: 300,
      population: { languages: { nb: 1 }, weeks: Array.from({ length: 10 }, (_, i) => `2026-W${String(i + 1).padStart(2, '0')}`), unfinished: 0 },
    });
    try {
      const few = responsesLike(s.population, 3, { language: 'pl', period: '2026-W11' });
      const { insertIntoSqlite } = await import('../helpers/population');
      insertIntoSqlite(s.file, few);
      const token = await s.token('differ');
      const get = (q: string) => request(`${s.url}/api/analyst/export?format=json&${q}`, { token, headers: { 'accept-language': 'en' } });

      const all = await get('status=all');
      expect(all.status).toBe(200);
      for (const q of ['status=all&language=nb', 'status=all&to=2026-W10', 'status=all&from=2026-W01&to=2026-W10']) {
        const second = await get(q);
        expect({ q, status: second.status, error: second.body.error }).toEqual({ q, status: 422, error: 'too_few' });
        expect(second.body.message).toMatch(/^Refused: /);
        expect(second.text).not.toMatch(/\b3\b/);
      }
      expect((await get('status=all&language=pl')).body.message).toBe('Refused: this filter selects fewer than 5 responses. Widen or drop a filter.');
      const audit = await s.analysts.readAudit({ limit: 4 });
      expect(audit.map((e) => [e.outcome, e.filters])).toEqual([
        ['refused', { format: 'json', status: 'all', language: 'pl' }],
        ['refused', { format: 'json', status: 'all', from: '2026-W01', to: '2026-W10' }],
        ['refused', { format: 'json', status: 'all', to: '2026-W10' }],
        ['refused', { format: 'json', status: 'all', language: 'nb' }],
      ]);
      expect(s.logLines.join('\n')).toMatch(/analyst_export_refused/);
    } finally {
      await s.close();
    }
  });

  test('are served when every difference is 0 or at least k, holding only the selected responses', async () => {
    const s = await startAnalystServer({ responses: 1500 });
    try {
      const token = await s.token('wide');
      const r = await request(`${s.url}/api/analyst/export?format=json&language=nb&channel=web`, { token });
      expect(r.status).toBe(200);
      expect(r.body.records.length).toBeGreaterThan(0);
      expect(new Set(r.body.records.map((x: { language: string; channel: string }) => `${x.language}/${x.channel}`))).toEqual(new Set(['nb/web']));
    } finally {
      await s.close();
    }
  });
});

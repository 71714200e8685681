import { columnsOf, exportResponses, shuffle, toCsv, toRecord } from '../../src/export/exportResponses';
import { SurveyStore } from '../../src/store/store';
import { sqliteStore, texts } from '../helpers/harness';

async function seed(store: SurveyStore, n: number, over: (i: number) => Record<string, unknown> = () => ({})) {
  for (let i = 0; i < n; i++) {
    const id = `r${i}`;
    await store.createResponse({ id, surveyId: 'housing-help', surveyVersion: 1, consentVersion: 1, channel: i % 2 ? 'sms' : 'web', period: '2026-W48', language: i % 3 ? 'nb' : 'ar' });
    const answers: Record<string, unknown> = { needed_help: 'yes', help_areas: ['find_home'], background: i % 4 ? 'born_abroad' : 'born_norway', age_band: 'age_26_35', children: 'no', municipality: 'Bergen', what_helped: `svar ${i}`, ...over(i) };
    for (const [q, value] of Object.entries(answers)) await store.saveAnswer({ responseId: id, questionId: q, iteration: '', value: value as never, language: 'nb', fallback: false });
    await store.saveAnswer({ responseId: id, questionId: 'help_got', iteration: 'find_home', value: 'yes', language: 'ar', fallback: false });
    await store.updateResponse(id, { status: 'completed' });
  }
}

test('exports hold no response id and the quasi-identifiers are k-anonymous', async () => {
  const store = await sqliteStore();
  await seed(store, 12, (i) => (i === 0 ? { municipality: 'Værøy' } : {}));
  const { body, rows, report } = await exportResponses(store, texts, { format: 'json', k: 5 });
  const out = JSON.parse(body);
  expect(rows).toBe(12);
  expect(JSON.stringify(out.records)).not.toMatch(/"r\d+"/);
  const qis = ['language', 'background', 'age_band', 'municipality', 'children'];
  const groups = new Map<string, number>();
  for (const r of out.records) {
    const key = qis.map((q) => r[q]).join('|');
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  for (const [key, count] of groups) if (!key.split('|').every((v) => v === '*')) expect(count).toBeGreaterThanOrEqual(5);
  expect(out.anonymisation).toEqual(report);
  expect(out.codebook.questions.help_got.column).toBe('help_got[<option of help_areas>]');
  expect(out.codebook.questions.situation.options.temporary).toBe(texts.optionLabel('en', 'temporary'));
});

test('rows come out in random order, not in the order responses were given', async () => {
  const store = await sqliteStore();
  await seed(store, 10, (i) => ({ what_helped: `answer-${i}` }));
  const order = async (seed: number) => {
    let x = seed;
    const random = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const { body } = await exportResponses(store, texts, { format: 'json', k: 2, random });
    return JSON.parse(body).records.map((r: Record<string, string>) => r.what_helped).join(',');
  };
  const stored = (await store.listResponses()).map((r) => r.answers.find((a) => a.questionId === 'what_helped')!.value).join(',');
  const a = await order(1);
  const b = await order(2);
  expect(a).not.toBe(stored);
  expect(a).not.toBe(b);
  expect(a.split(',').sort()).toEqual(stored.split(',').sort());
});

test('shuffle is a permutation', () => {
  const xs = Array.from({ length: 50 }, (_, i) => i);
  const s = shuffle(xs);
  expect([...s].sort((p, q) => p - q)).toEqual(xs);
});

test('CSV quotes what needs quoting and defuses spreadsheet formulas from free text', () => {
  const csv = toCsv([{ a: '=HYPERLINK("http://x")', b: 'line\nbreak, comma', c: '-5' }], ['a', 'b', 'c']);
  expect(csv).toBe('a,b,c\r\n"\'=HYPERLINK(""http://x"")","line\nbreak, comma",\'-5\r\n');
});

test('a record flattens multiple choice and repeat blocks into columns', async () => {
  const store = await sqliteStore();
  await seed(store, 1);
  const [r] = await store.listResponses();
  const rec = toRecord(r);
  expect(rec.help_areas).toBe('find_home');
  expect(rec['help_got[find_home]']).toBe('yes');
  expect(rec.languages_shown).toBe('ar;nb');
  expect(columnsOf(texts, [rec])).toEqual(expect.arrayContaining(['period', 'needed_help', 'help_got[find_home]', 'what_helped']));
});

test('partial responses are left out unless asked for', async () => {
  const store = await sqliteStore();
  await seed(store, 3);
  await store.createResponse({ id: 'p', surveyId: 'housing-help', surveyVersion: 1, consentVersion: 1, channel: 'web', period: '2026-W48', language: 'nb' });
  expect((await exportResponses(store, texts, { format: 'csv', k: 2 })).rows).toBe(3);
  expect((await exportResponses(store, texts, { format: 'csv', k: 2, includePartial: true })).rows).toBe(4);
});

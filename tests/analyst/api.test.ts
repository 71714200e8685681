import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AnalystServer, locales, request, startAnalystServer } from './helpers';

/** The analyst API answers as the CLI does, through the same service, with HTTP's own conventions. */
describe('the analyst API over a generated population', () => {
  let s: AnalystServer;
  let token: string;
  beforeAll(async () => {
    s = await startAnalystServer({ responses: 1500 });
    token = await s.token('reader');
  });
  afterAll(() => s.close());
  const get = (path: string, headers: Record<string, string> = {}) =>
    request(`${s.url}/api/analyst${path}`, { token, headers: { 'accept-language': 'en', ...headers } });

  test('gives the analysis as the JSON contract of AnalystService.analyze, with k from the configuration', async () => {
    const r = await get('/analysis?by=language&area=rent_arrears');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toEqual(JSON.parse(JSON.stringify(await s.service.analyze({ by: 'language', area: 'rent_arrears' }))));
    expect(r.body.k).toBe(5);
    expect(r.body.helpReceived.map((a: { area: string }) => a.area)).toEqual(['rent_arrears']);
    // A request cannot choose k, nor the population: those parameters do not exist.
    for (const q of ['k=3', 'status=all', 'language=pl']) {
      const bad = await get(`/analysis?by=language&${q}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('unknown_parameter');
    }
  });

  test('says what is wrong with a bad analysis request, in the analyst language', async () => {
    const missing = await get('/analysis');
    expect(missing.body).toEqual({
      error: 'missing_parameter',
      message: 'The parameter “by” is required: one of language, background, situation, channel, source.',
    });
    const wrong = await get('/analysis?by=age', { 'accept-language': 'nb-NO,nb;q=0.9' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toBe('«by» må være en av language, background, situation, channel, source (fikk «age»).');
    expect((await get('/analysis?by=language&area=moon')).body.error).toBe('bad_parameter');
    expect((await get('/analysis?by=language&by=channel')).body.error).toBe('repeated_parameter');
  });

  test('streams a CSV export as an attachment, with what the CLI would write', async () => {
    const r = await get('/export?format=csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="housing-help-v1-responses.csv"');
    const rows = parse(r.text, { columns: true }) as Record<string, string>[];
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const summary = await s.service.export({ format: 'csv', filter: { status: 'completed' } }, out);
    const cli = parse(Buffer.concat(chunks).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(summary.rows);
    expect(Object.keys(rows[0])).toEqual(Object.keys(cli[0]));
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(['completed']));
    // Free text never comes over HTTP.
    expect(Object.keys(rows[0])).not.toContain('what_helped');
  });

  test('streams XLSX and JSON exports with their content types', async () => {
    const xlsx = await get('/export?format=xlsx&labels=nb');
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers.get('content-disposition')).toBe('attachment; filename="housing-help-v1-responses.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['answers', 'codebook', 'locales', 'disclosure']);
    const json = await get('/export?format=json&status=all&channel=web');
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(json.body.k).toBe(5);
    expect(json.body.records.length).toBeGreaterThan(0);
    expect(new Set(json.body.records.map((r: { channel: string }) => r.channel))).toEqual(new Set(['web']));
    expect(json.body.freeText).toBeUndefined();
  });

  test('does not offer free text, and refuses bad export arguments with a clear message', async () => {
    expect((await get('/export?format=csv&include_free_text=true')).body.error).toBe('no_free_text');
    const cases: [string, string][] = [
      ['format=pdf', '“format” must be one of csv, xlsx, json (got “pdf”).'],
      ['from=2026-13', '“from” must be an ISO week such as 2026-W05 (got “2026-13”).'],
      ['from=2026-W10&to=2026-W02', '“from” must not be a later week than “to”.'],
      ['language=xx', `“language” must be one of ${locales.list.map((l) => l.tag).join(', ')} (got “xx”).`],
      ['channel=Web%20Chat', '“channel” must be a channel kind such as web or sms (got “Web Chat”).'],
      ['version=0', '“version” must be a survey version number such as 1 (got “0”).'],
      ['k=3', 'Unknown parameter “k”. This route takes: survey, format, labels, from, to, language, channel, status, version, bom, codebook_language.'],
    ];
    for (const [q, message] of cases) {
      const r = await get(`/export?${q}`);
      expect({ q, status: r.status, message: r.body.message }).toEqual({ q, status: 400, message });
    }
  });

  test('gives the codebook in each format and language', async () => {
    const json = await get('/codebook?format=json&lang=nb');
    expect(json.headers.get('content-disposition')).toBe('attachment; filename="housing-help-v1-codebook-nb.json"');
    expect(json.body).toEqual(JSON.parse(JSON.stringify(s.service.codebook('nb'))));
    const csv = await get('/codebook?format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n')[0]).toMatch(/^column,/);
    const xlsx = await get('/codebook?format=xlsx&lang=en');
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');
    expect((await get('/codebook?lang=pl')).status).toBe(400);
  });
});

test('ANALYST_MIN_K sets k for every table and export over HTTP', async () => {
  const s = await startAnalystServer({ responses: 300, env: { ANALYST_MIN_K: '8' } });
  try {
    const token = await s.token('k8');
    expect((await request(`${s.url}/api/analyst/analysis?by=channel`, { token })).body.k).toBe(8);
    expect((await request(`${s.url}/api/analyst/export?format=json`, { token })).body.k).toBe(8);
  } finally {
    await s.close();
  }
});

test('answers 503 with Retry-After when the server is already busy with analyses and exports', async () => {
  const s = await startAnalystServer({ responses: 10, limits: { heavyRequests: 0 } });
  try {
    const token = await s.token('late');
    const r = await request(`${s.url}/api/analyst/analysis?by=language`, { token });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    expect(r.body.error).toBe('busy');
    // The codebook reads no responses, so it is always served.
    expect((await request(`${s.url}/api/analyst/codebook`, { token })).status).toBe(200);
  } finally {
    await s.close();
  }
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AnalystService } from '../../src/analyst/analystService';
import { Cell, ExportPlanner } from '../../src/export/exportPlan';
import { ExportRequest, runExport } from '../../src/export/exportService';
import { levelName } from '../../src/export/levelName';
import { guardFormula } from '../../src/export/writers';
import { codebookTable } from '../../src/export/codebook';
import { loadLocales } from '../../src/language/i18n';
import { textHash } from '../../src/language/provenance';
import { SUPPRESSED } from '../../src/privacy/kAnonymity';
import { StoredResponse, SurveyStore } from '../../src/store/store';
import { optionsOf } from '../../src/survey/definition';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';
import { stepColumns } from '../../src/survey/walk';
import { generatePopulation, insertIntoSqlite, LANGUAGE_WEIGHTS, populatedSqliteStore } from '../helpers/population';

const survey = loadSurvey(DEFAULT_SURVEY_FILE);
const locales = loadLocales();
const deps = (store: SurveyStore) => ({ store, survey, locales });

/** Collects what an export writes. */
function sink(): { stream: Writable; text(): string; buffer(): Buffer } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8'), buffer: () => Buffer.concat(chunks) };
}

async function exportTo(store: SurveyStore, request: Partial<ExportRequest> & { format: ExportRequest['format'] }) {
  const out = sink();
  const free = sink();
  const summary = await runExport(deps(store), { filter: { status: 'completed' }, ...request }, out.stream, free.stream);
  return { summary, out, free };
}

/**
 * Responses whose quasi-identifiers are all alike, so that disclosure control changes nothing and
 * the export must equal the database cell for cell.
 */
async function uniformStore(n: number): Promise<{ store: SurveyStore; responses: StoredResponse[] }> {
  const { store, file } = await populatedSqliteStore(survey, 0);
  const uniform: Record<string, string> = { background: 'born_abroad', age_band: 'age_26_35', children: 'no', municipality: 'Bergen', years_in_norway: '5-9' };
  const responses = generatePopulation(survey, n * 3, { seed: 5, unfinished: 0 })
    .filter((r) => r.answers.some((a) => a.questionId === 'years_in_norway'))
    .slice(0, n)
    .map((r) => ({
      ...r,
      language: 'pl',
      channel: 'web',
      period: '2026-W10',
      answers: r.answers.map((a) =>
        a.questionId in uniform && a.iteration === '' ? { ...a, value: uniform[a.questionId] } : { ...a, language: 'pl', fallback: false },
      ),
    }));
  insertIntoSqlite(file, responses);
  return { store, responses };
}

/** What the export must say for a response, computed here from the stored answers. */
function expectedRow(r: StoredResponse): Record<string, string> {
  const row: Record<string, string> = {
    survey: r.surveyId,
    survey_version: String(r.surveyVersion),
    consent_version: String(r.consentVersion),
    status: r.status,
    channel: r.channel,
    source: r.source,
    period: r.period,
    language: r.language,
    language_switches: String(r.languageSwitches),
    not_understood_count: String(r.notUnderstoodCount),
    confirmations: String(r.confirmations),
    confirmations_declined: String(r.confirmationsDeclined),
    languages_shown: [...new Set(r.answers.map((a) => a.language))].sort().join(';'),
    text_fell_back: String(r.answers.some((a) => a.fallback)),
  };
  for (const c of stepColumns(survey)) {
    if (c.question.type === 'text' && c.key !== 'municipality') continue;
    const a = r.answers.find((x) => x.questionId === c.question.id && x.iteration === (c.option ?? ''));
    row[c.key] = a === undefined || a.value === null ? '' : Array.isArray(a.value) ? a.value.join(';') : String(a.value);
  }
  return row;
}

const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('record-level export: round trips', () => {
  let store: SurveyStore;
  let responses: StoredResponse[];
  beforeAll(async () => {
    ({ store, responses } = await uniformStore(40));
  });
  afterAll(() => store.close());
  /** The completed responses as the database holds them, read back (the same as written, checked once). */
  const fromDatabase = async () => {
    const stored = await store.listResponses({ status: 'completed' });
    const norm = (rs: StoredResponse[]) =>
      [...rs]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((r) => ({
          ...r,
          answers: [...r.answers].sort((a, b) => `${a.questionId}\u0000${a.iteration}`.localeCompare(`${b.questionId}\u0000${b.iteration}`)),
        }));
    expect(norm(stored)).toEqual(norm(responses.filter((r) => r.status === 'completed')));
    return stored;
  };

  it('writes CSV per RFC 4180 that parses back to exactly what the database holds', async () => {
    const { out, summary } = await exportTo(store, { format: 'csv' });
    expect(out.text()).toMatch(/\r\n$/);
    expect(out.text().split('\r\n')[0].split(',')[0]).toBe('survey');
    const rows = parse(out.text(), { columns: true }) as Record<string, string>[];
    expect(summary).toMatchObject({ rows: 40, report: { withheldRecords: 0 } });
    expect(sorted(rows)).toEqual(sorted((await fromDatabase()).map(expectedRow)));
  });

  it('writes XLSX with answers, codebook, locales and disclosure sheets that read back (exceljs) as the CSV does', async () => {
    const { out } = await exportTo(store, { format: 'xlsx' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(out.buffer() as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['answers', 'codebook', 'locales', 'disclosure']);
    const sheet = workbook.getWorksheet('answers')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const rows: Record<string, string>[] = [];
    sheet.eachRow((row, i) => {
      if (i === 1) return;
      const values = (row.values as unknown[]).slice(1);
      rows.push(Object.fromEntries(header.map((h, j) => [h, values[j] === undefined || values[j] === null ? '' : String(values[j])])));
    });
    expect(sorted(rows)).toEqual(sorted((await fromDatabase()).map(expectedRow)));
    // Numbers stay numbers: a scale answer is a numeric cell, not text.
    const scale = header.indexOf('respect') + 1;
    const numeric: unknown[] = [];
    sheet.eachRow((row, i) => i > 1 && row.getCell(scale).value !== null && numeric.push(row.getCell(scale).value));
    expect(numeric.length).toBeGreaterThan(0);
    expect(numeric.every((v) => typeof v === 'number')).toBe(true);
    const codebook = workbook.getWorksheet('codebook')!;
    expect(codebook.rowCount).toBeGreaterThan(stepColumns(survey).length);
  });

  it('writes JSON with the records, what disclosure control did and the codebook', async () => {
    const { out } = await exportTo(store, { format: 'json' });
    const doc = JSON.parse(out.text());
    expect(doc.survey).toEqual({ id: 'housing-help', version: 1 });
    expect(doc.k).toBe(5);
    expect(doc.disclosure).toMatchObject({ k: 5, records: 40, withheldRecords: 0 });
    const stringified = doc.records.map((r: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)])),
    );
    expect(sorted(stringified)).toEqual(sorted(responses.map(expectedRow)));
    expect(doc.codebook.columns.map((c: { name: string }) => c.name)).toEqual(Object.keys(doc.records[0]));
  });

  it('gives answers as labels in a chosen language', async () => {
    const { out } = await exportTo(store, { format: 'csv', labels: 'ar' });
    const rows = parse(out.text(), { columns: true }) as Record<string, string>[];
    const situation = new Set(rows.map((r) => r.situation));
    const arabic = new Set(
      optionsOf(survey.items.find((i) => i.type !== 'repeat' && i.id === 'situation') as never).map((o) =>
        locales.i18n.t(`housing-help:options.${o}.label`, { lng: 'ar' }),
      ),
    );
    for (const s of situation) expect(arabic.has(s)).toBe(true);
  });

  it('starts with a byte-order mark only when asked', async () => {
    expect((await exportTo(store, { format: 'csv', bom: true })).out.text().charCodeAt(0)).toBe(0xfeff);
    expect((await exportTo(store, { format: 'csv' })).out.text().charCodeAt(0)).toBe('s'.charCodeAt(0));
  });

  it('shuffles rows and holds no response id', async () => {
    const seeded = (seed: number) => {
      let x = seed;
      return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    };
    const a = (await exportTo(store, { format: 'csv', random: seeded(1) })).out.text();
    const b = (await exportTo(store, { format: 'csv', random: seeded(2) })).out.text();
    expect(a).not.toBe(b);
    expect(a.split('\r\n').sort()).toEqual(b.split('\r\n').sort());
    const json = (await exportTo(store, { format: 'json' })).out.text();
    for (const r of responses) {
      expect(a).not.toContain(r.id);
      expect(json).not.toContain(r.id);
    }
  });

  it('refuses a k below 3, saying why', async () => {
    await expect(exportTo(store, { format: 'csv', k: 2 })).rejects.toThrow(/at least 3/);
    await expect(exportTo(store, { format: 'csv', k: 2 })).rejects.toThrow(RangeError);
  });

  it('filters by version, week, language, channel and status', async () => {
    const count = async (filter: ExportRequest['filter']) => (await exportTo(store, { format: 'json', filter })).summary.report.records;
    expect(await count({ status: 'completed' })).toBe(40);
    expect(await count({ language: 'pl' })).toBe(40);
    expect(await count({ language: 'ar' })).toBe(0);
    expect(await count({ channel: 'sms' })).toBe(0);
    expect(await count({ fromPeriod: '2026-W10', toPeriod: '2026-W10' })).toBe(40);
    expect(await count({ fromPeriod: '2026-W11' })).toBe(0);
    expect(await count({ surveyVersion: 2 })).toBe(0);
  });
});

describe('free text', () => {
  it('is not in the default export; with includeFreeText it comes redacted, alone and shuffled apart', async () => {
    const { store, file } = await populatedSqliteStore(survey, 0);
    const population = generatePopulation(survey, 30, { seed: 9, unfinished: 0 }).map((r, i) => ({
      ...r,
      language: 'nb',
      answers: r.answers
        .filter((a) => a.questionId !== 'what_helped')
        .concat({ questionId: 'what_helped', iteration: '', value: `svar nummer ${i}: ring 912 34 567`, language: 'nb', fallback: false, notUnderstood: 0 }),
    }));
    insertIntoSqlite(file, population);
    const plain = await exportTo(store, { format: 'csv' });
    expect(plain.out.text()).not.toContain('svar nummer');
    expect(plain.out.text().split('\r\n')[0]).not.toContain('what_helped');

    // Nothing leaves before a reviewer has read it (tests/review/): all of it waits at first.
    const waiting = await exportTo(store, { format: 'csv', includeFreeText: true });
    expect(waiting.summary.freeTextItems).toBe(0);
    expect(waiting.summary.freeTextPending).toBeGreaterThanOrEqual(30);
    for (const item of await store.freeTextItems({ surveyId: survey.id, state: 'pending', limit: 1000 }))
      await store.reviewFreeText(item.id, { action: 'approve' });

    const { out, free, summary } = await exportTo(store, { format: 'csv', includeFreeText: true });
    expect(summary.freeTextPending).toBe(0);
    expect(out.text()).not.toContain('svar nummer');
    const items = parse(free.text(), { columns: true }) as { question: string; text: string }[];
    expect(Object.keys(items[0])).toEqual(['question', 'text']);
    // One per exported response (a response withheld by disclosure control brings none).
    expect(items.filter((i) => i.question === 'what_helped')).toHaveLength(summary.rows);
    expect(summary.rows).toBeGreaterThan(25);
    expect(items.every((i) => !i.text.includes('912 34 567'))).toBe(true);
    expect(summary.freeTextItems).toBe(items.length);
    // A CSV export cannot put free text beside the rows.
    await expect(runExport(deps(store), { format: 'csv', includeFreeText: true, filter: {} }, sink().stream)).rejects.toThrow(/--out/);
    // In XLSX it is a sheet of its own.
    const x = await exportTo(store, { format: 'xlsx', includeFreeText: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.out.buffer() as never);
    expect(wb.getWorksheet('free_text')!.rowCount).toBe(items.length + 1);
    await store.close();
  });
});

describe('the formula guard (OWASP CSV injection)', () => {
  it.each(['=1+1', '+47 1', '-cmd', '@SUM(A1)', '\tx', '\rx', '\nx'])('defuses %j', (text) => {
    expect(guardFormula(text)).toBe(`'${text}`);
  });

  it('leaves numbers, including negative ones, and ordinary text alone', () => {
    expect(guardFormula(-5)).toBe(-5);
    expect(guardFormula(3)).toBe(3);
    expect(guardFormula('Bergen')).toBe('Bergen');
    expect(guardFormula(null)).toBe(null);
  });
});

describe('disclosure control on a generated population of 1,200 responses', () => {
  // Rare languages (a few respondents each) so that the language must give way to "other".
  const languages = { ...LANGUAGE_WEIGHTS, th: 0.25, se: 0.25, ps: 0.25, ckb: 0.3, nn: 0.3 };
  let store: SurveyStore;
  let population: StoredResponse[];
  beforeAll(async () => {
    ({ store, population } = await populatedSqliteStore(survey, 1200, { seed: 21, languages }));
  });
  afterAll(() => store.close());

  const quasi = survey.analysis!.quasiIdentifiers.map((q) => q.column);

  /** Exported rows paired with the responses they came from (known to the test, never to the file). */
  async function exported(k: number) {
    const planner = new ExportPlanner(survey, { k });
    const read: { r: StoredResponse; cells: Cell[] }[] = [];
    for await (const batch of store.scanResponses({ surveyId: survey.id, status: 'completed' })) {
      for (const r of batch) {
        const { index, cells } = planner.add(r);
        read[index] = { r, cells };
      }
    }
    const plan = planner.finish();
    const byId = new Map(population.map((r) => [r.id, r]));
    const names = plan.columns.map((c) => c.name);
    const rows = read.flatMap(({ r, cells }, i) => {
      if (!plan.published(i)) return [];
      const row = plan.complete(i, cells);
      return [{ original: byId.get(r.id)!, cells: Object.fromEntries(names.map((n, j) => [n, row[j]])) as Record<string, unknown> }];
    });
    return { plan, rows, names };
  }

  const originalQi = (r: StoredResponse, column: string): string => {
    if (column === 'language' || column === 'channel' || column === 'period' || column === 'source') return r[column];
    const v = r.answers.find((a) => a.questionId === column && a.iteration === '')?.value;
    return v === undefined || v === null ? '' : String(v);
  };

  /**
   * Which exported columns determine a quasi-identifier that disclosure control generalised: within
   * the rows sharing one published value that stands for several stored ones, a column whose every
   * value goes with one stored value only (and that is not just unique per row) gives it away.
   */
  function leaks(rows: { original: StoredResponse; cells: Record<string, unknown> }[], names: string[]): string[] {
    const found: string[] = [];
    for (const q of quasi) {
      const groups = new Map<string, typeof rows>();
      for (const r of rows) {
        const key = String(r.cells[q]);
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)!.push(r);
      }
      for (const [published, members] of groups) {
        const stored = new Set(members.map((m) => originalQi(m.original, q)));
        if (stored.size < 2) continue; // nothing hidden behind this value
        for (const c of names) {
          if (c === q) continue;
          const behind = new Map<string, Set<string>>();
          for (const m of members) {
            const v = JSON.stringify(m.cells[c]);
            if (!behind.has(v)) behind.set(v, new Set());
            behind.get(v)!.add(originalQi(m.original, q));
          }
          const determined = [...behind.values()].every((s) => s.size === 1);
          if (determined && members.length >= 2 * behind.size) found.push(`${c} determines ${q} behind "${published}"`);
        }
      }
    }
    return found;
  }

  it.each([5, 10, 25])('k = %i: every published combination of the declared quasi-identifiers covers at least k rows', async (k) => {
    const { rows, plan } = await exported(k);
    const sizes = new Map<string, number>();
    for (const r of rows) {
      const key = JSON.stringify(quasi.map((q) => r.cells[q]));
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    expect(Math.min(...sizes.values())).toBeGreaterThanOrEqual(k);
    expect(plan.report.withheldRecords).toBeLessThanOrEqual(Math.floor(0.05 * plan.report.records));
    expect(rows.length).toBe(plan.report.records - plan.report.withheldRecords);
  });

  it.each([5, 10, 25])('k = %i: no exported column determines a value that disclosure control generalised', async (k) => {
    const { rows, names, plan } = await exported(k);
    // Not vacuous: something was generalised, and the language gave way for some rows.
    expect(plan.report.attributes.some((a) => a.recordsAffected > 0)).toBe(true);
    expect(leaks(rows, names)).toEqual([]);
  });

  it('keeps language and background, which the analysis is about, at k = 5', async () => {
    const { rows } = await exported(5);
    const kept = rows.filter((r) => r.cells.language === r.original.language).length;
    expect(kept / rows.length).toBeGreaterThan(0.95);
    expect(rows.every((r) => r.cells.background === originalQi(r.original, 'background'))).toBe(true);
  });

  it('the leak check finds the leaks that derived columns would cause if they did not follow their quasi-identifier', async () => {
    const { rows, names } = await exported(10);
    const generalised = rows.filter((r) => r.cells.language !== r.original.language);
    expect(generalised.length).toBeGreaterThan(0);
    // As the export did before: languages_shown ungeneralised, years in Norway unmasked.
    const naive = rows.map((r) => ({
      ...r,
      cells: {
        ...r.cells,
        languages_shown: [...new Set(r.original.answers.map((a) => a.language))].sort().join(';'),
        years_in_norway: originalQi(r.original, 'years_in_norway'),
      },
    }));
    const found = leaks(naive, names);
    expect(found.some((l) => l.startsWith('languages_shown determines language'))).toBe(true);
  });

  it('writes to CSV exactly the rows disclosure control published, generalised and masked cells included (parsed back)', async () => {
    const { rows, names } = await exported(25);
    const out = sink();
    await runExport(deps(store), { format: 'csv', filter: { status: 'completed' }, k: 25 }, out.stream);
    const parsed = parse(out.text(), { columns: true }) as Record<string, string>[];
    const text = (c: unknown) => (c === null || c === undefined ? '' : String(guardFormula(c as Cell)));
    expect(sorted(parsed)).toEqual(sorted(rows.map((r) => Object.fromEntries(names.map((n) => [n, text(r.cells[n])])))));
    // Not vacuous: the file holds generalised languages and masked years.
    expect([...new Set(parsed.map((r) => r.language))].filter((l) => !locales.byTag.has(l))).not.toEqual([]);
    expect(parsed.some((r) => r.years_in_norway === SUPPRESSED)).toBe(true);
  });

  it('reports what was generalised and how many rows were withheld', async () => {
    const { plan } = await exported(5);
    expect(plan.report.attributes.map((a) => a.attribute)).toEqual(quasi);
    for (const a of plan.report.attributes) expect(a.level).toBeTruthy();
    const service = new AnalystService(deps(store), 5);
    const { summary } = await (async () => {
      const out = sink();
      return { summary: await service.export({ format: 'csv', filter: { status: 'completed' } }, out.stream) };
    })();
    expect(summary.report.withheldRecords).toBe(plan.report.withheldRecords);
    expect(summary.rows).toBe(plan.report.records - plan.report.withheldRecords);
  });

  it('marks masked and suppressed cells with *, never with an empty cell that could mean "not asked"', async () => {
    const { rows } = await exported(25);
    const masked = rows.filter((r) => r.cells.years_in_norway === SUPPRESSED);
    expect(masked.length).toBeGreaterThan(0);
    // On every quasi-identifier: an answer is never exported empty; "not asked" is empty, or *
    // where disclosure control hid the cell (an empty cell among hidden ones would say who it is).
    const wrong: string[] = [];
    for (const r of rows) {
      for (const q of quasi) {
        const answered = originalQi(r.original, q) !== '';
        const cell = r.cells[q];
        const empty = cell === '' || cell === null || cell === undefined;
        if (answered ? empty : !empty && cell !== SUPPRESSED) wrong.push(`${q}: stored "${originalQi(r.original, q)}", exported ${JSON.stringify(cell)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("what disclosure control did, in the analyst's language", () => {
  it('names every generalisation step of the definition, and "suppressed", in every analyst language', () => {
    const names = [...survey.analysis!.quasiIdentifiers.flatMap((q) => q.steps.map((s) => s.name)), 'suppressed'];
    for (const lng of ['en', 'nb']) {
      const missing = names.filter((n) => !locales.i18n.exists(`analyst:disclosure.levels.${n}`, { lng }));
      expect([lng, missing]).toEqual([lng, []]);
    }
    expect(levelName(locales, 'nb', 'county')).not.toBe('county');
    expect(levelName(locales, 'nb', 'municipality')).toBe('municipality');
  });
});

describe('the codebook', () => {
  const service = () => new AnalystService({ store: undefined as never, survey, locales }, 5);

  it('describes every column with every code, its label in every locale, its type and when it was asked', () => {
    const cb = service().codebook('en');
    const tags = locales.list.map((l) => l.tag);
    const helpGot = cb.columns.find((c) => c.name === 'help_got[rent_arrears]')!;
    expect(helpGot.type).toBe('single choice');
    expect(helpGot.askedWhen).toMatch(/once for each option chosen in help_areas/);
    expect(Object.keys(helpGot.text!)).toEqual(tags);
    expect(helpGot.text!.nb).toContain(locales.i18n.t('housing-help:options.rent_arrears.label', { lng: 'nb' }));
    expect(helpGot.options!.map((o) => o.code)).toEqual(['yes', 'partly', 'no', 'waiting']);
    for (const o of helpGot.options!) expect(Object.keys(o.labels)).toEqual(tags);
    const years = cb.columns.find((c) => c.name === 'years_in_norway')!;
    expect(years.askedWhen).toBe(`background is born_abroad (“${locales.i18n.t('housing-help:options.born_abroad.label', { lng: 'en' })}”)`);
    expect(
      service()
        .codebook('nb')
        .columns.find((c) => c.name === 'years_in_norway')!.askedWhen,
    ).toBe(`background er born_abroad («${locales.i18n.t('housing-help:options.born_abroad.label', { lng: 'nb' })}»)`);
    expect(years.type).toBe('number, stored as a band (0-1, 2-4, 5-9, 10+)');
    expect(cb.columns.find((c) => c.name === 'language')!.description).toBe(locales.i18n.t('analyst:codebook.columns.language', { lng: 'en' }));
    expect(cb.columns.some((c) => c.name === 'what_helped')).toBe(false);
  });

  it('says where each translation came from', () => {
    const cb = service().codebook('nb');
    expect(cb.language).toBe('nb');
    expect(cb.locales.map((l) => l.tag)).toEqual(locales.list.map((l) => l.tag));
    for (const l of cb.locales) {
      expect(['drafted', 'reviewed']).toContain(l.provenance.status);
      expect(l.reviewed.of).toBeGreaterThan(0);
      expect(l.reviewed.strings).toBeLessThanOrEqual(l.reviewed.of);
    }
    // Per string, too: each question's text in each locale says where it came from.
    const interpreter = cb.columns.find((c) => c.name === 'interpreter')!;
    expect(Object.keys(interpreter.textProvenance!)).toEqual(locales.list.map((l) => l.tag));
    for (const p of Object.values(interpreter.textProvenance!)) {
      expect(['drafted', 'reviewed']).toContain(p.status);
      expect(p.by).toBeTruthy();
      if (p.status === 'reviewed') expect(p.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('names the reviewer of a reviewed question text and option label, per locale, in the codebook and its table', () => {
    const review = (key: string) => ({
      status: 'reviewed' as const,
      by: 'Somali Review Org',
      date: '2026-12-02',
      text: textHash(locales.i18n.getResource('so', 'housing-help', key)),
    });
    const reviewed = {
      ...locales,
      provenance: new Map(locales.provenance).set('so', {
        'housing-help:questions.interpreter.text': review('questions.interpreter.text'),
        'housing-help:options.yes.label': review('options.yes.label'),
      }),
    };
    const cb = new AnalystService({ store: undefined as never, survey, locales: reviewed }, 5).codebook('en');
    const interpreter = cb.columns.find((c) => c.name === 'interpreter')!;
    expect(interpreter.textProvenance!.so).toEqual({ status: 'reviewed', by: 'Somali Review Org', date: '2026-12-02' });
    expect(interpreter.textProvenance!.ar.status).toBe('drafted');
    const yes = interpreter.options!.find((o) => o.code === 'yes')!;
    expect(yes.labelProvenance.so).toEqual({ status: 'reviewed', by: 'Somali Review Org', date: '2026-12-02' });
    expect(interpreter.options!.find((o) => o.code === 'no')!.labelProvenance.so.status).toBe('drafted');
    const table = codebookTable(cb, reviewed);
    const reviewedIn = table.header.indexOf(reviewed.i18n.t('analyst:codebook.headers.reviewed_in', { lng: 'en' }) as string);
    const code = table.header.indexOf(reviewed.i18n.t('analyst:codebook.headers.code', { lng: 'en' }) as string);
    const rows = table.rows.filter((r) => r[0] === 'interpreter');
    expect(rows.find((r) => r[code] === '')![reviewedIn]).toBe('so');
    expect(rows.find((r) => r[code] === 'yes')![reviewedIn]).toBe('so');
    expect(rows.find((r) => r[code] === 'no')![reviewedIn]).toBe('');
  });

  it('is written in nb or en, from locales/, and as CSV with a label column per locale', async () => {
    expect(
      service()
        .codebook('nb')
        .columns.find((c) => c.name === 'period')!.description,
    ).toBe(locales.i18n.t('analyst:codebook.columns.period', { lng: 'nb' }));
    const out = sink();
    await service().writeCodebook('csv', 'en', out.stream);
    const rows = parse(out.text()) as string[][];
    expect(rows[0].slice(-locales.list.length)).toEqual(locales.list.map((l) => `label (${l.tag})`));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-')), 'cb.xlsx');
    await service().writeCodebook('xlsx', 'en', fs.createWriteStream(file));
    await new Promise((r) => setTimeout(r, 100));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['codebook', 'locales', 'versions']);
  });
});

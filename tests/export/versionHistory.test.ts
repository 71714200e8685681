import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AnalystService } from '../../src/analyst/analystService';
import { RegistrySurveys } from '../../src/analyst/surveyResolver';
import { versionTable } from '../../src/export/versionHistory';
import { loadLocales } from '../../src/language/i18n';
import { SurveyPackage, TextTree } from '../../src/registry/surveyPackage';
import { SurveyRegistry } from '../../src/registry/surveyRegistry';
import { SurveyStore } from '../../src/store/store';
import { SurveyDefinition } from '../../src/survey/definition';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../../src/survey/load';
import { questionsOf } from '../../src/survey/walk';
import { insertIntoSqlite, populatedSqliteStore } from '../helpers/population';
import { participationResponses, residentParticipation } from '../helpers/residentParticipation';

/**
 * The codebook covers every version of a survey: resident-participation v1 as shipped, and a v2
 * imported into the registry (real SQLite) with a question added and one removed, an option added
 * and one removed, a changed skip condition and a changed question text.
 */
const RP = residentParticipation.id;
const locales = loadLocales();
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

let store: SurveyStore;
let file: string;
let registry: SurveyRegistry;
let service: AnalystService;
let v1: SurveyPackage;
let v2: SurveyPackage;
/** The survey's default language, in which label changes are compared. */
const dl = residentParticipation.defaultLanguage ?? 'en';
const text = (pkg: SurveyPackage, lng: string, key: string) =>
  key.split('.').reduce<unknown>((t, k) => (t as Record<string, unknown> | undefined)?.[k], pkg.texts[lng]) as string | undefined;

/** v1 changed: met_landlord added, easy_to_move removed, not_yet added to took_part, partly removed from safe_home, listened_to asked only after yes, safe_home reworded. */
function secondVersion(first: SurveyPackage): SurveyPackage {
  const def: SurveyDefinition = clone(first.definition);
  def.version = 2;
  const item = (id: string) => def.items.find((i) => i.id === id)!;
  (item('took_part') as { options: string[] }).options.push('not_yet');
  const safe = item('safe_home') as { options: string[] };
  safe.options = safe.options.filter((o) => o !== 'partly');
  (item('listened_to') as { when: unknown }).when = { question: 'took_part', anyOf: ['yes'] };
  def.items = def.items.filter((i) => i.id !== 'easy_to_move');
  def.items.splice(def.items.findIndex((i) => i.id === 'safe_home') + 1, 0, { id: 'met_landlord', type: 'yes_no', dontKnow: true, optional: false });
  def.analysis!.barriers = def
    .analysis!.barriers.filter((b) => b.question !== 'easy_to_move')
    .map((b) => (b.question === 'safe_home' && b.kind === 'share' ? { ...b, among: ['yes', 'no'] } : b));
  const texts = clone(first.texts);
  for (const [lng, tree] of Object.entries(texts)) {
    const questions = tree.questions as Record<string, TextTree>;
    delete questions.easy_to_move;
    questions.met_landlord = { text: `met_landlord (${lng})`, simple: `met_landlord (${lng})` };
    (tree.options as Record<string, TextTree>).not_yet = { label: `not_yet (${lng})` };
  }
  const safeText = texts[dl].questions as Record<string, TextTree>;
  safeText.safe_home = { ...safeText.safe_home, text: `${String(safeText.safe_home.text)} (2)` };
  return { definition: def, texts, provenance: first.provenance };
}

beforeAll(async () => {
  ({ store, file } = await populatedSqliteStore(residentParticipation, 0));
  registry = new SurveyRegistry(store, locales);
  await registry.syncBundled();
  v1 = await registry.read(RP, 1);
  expect(await registry.importPackage(secondVersion(v1))).toEqual({ version: 2, created: true });
  v2 = await registry.read(RP, 2);
  service = new AnalystService({ store, surveys: new RegistrySurveys(store, locales, 'housing-help'), locales }, 5);
});
afterAll(() => store.close());

test('lists every version with its state and its own questions and codes', async () => {
  const cb = await service.codebookOf({ survey: RP }, 'en');
  // The codebook's columns are of the newest published version; the history has them all.
  expect(cb.survey.version).toBe(1);
  expect(cb.versions.map((v) => [v.version, v.state])).toEqual([
    [1, 'published'],
    [2, 'draft'],
  ]);
  for (const [v, pkg] of [
    [cb.versions[0], v1],
    [cb.versions[1], v2],
  ] as const) {
    expect(v.language).toBe(dl);
    expect(v.questions.map((q) => q.id)).toEqual(questionsOf(pkg.definition).map((s) => s.question.id));
    const took = v.questions.find((q) => q.id === 'took_part')!;
    expect(took.text).toBe(text(pkg, dl, 'questions.took_part.text'));
    expect(took.codes.map((c) => c.code)).toEqual((pkg.definition.items.find((i) => i.id === 'took_part') as { options: string[] }).options);
    for (const c of took.codes) expect(c.label).toBe(text(pkg, dl, `options.${c.code}.label`));
  }
  expect(cb.versions[0].changes).toBeUndefined();
});

test('says what changed from the version before', async () => {
  const { versions } = await service.codebookOf({ survey: RP }, 'en');
  const changes = versions[1].changes!;
  expect(changes.from).toBe(1);
  expect(changes.questionsAdded).toEqual(['met_landlord']);
  expect(changes.questionsRemoved).toEqual([{ question: 'easy_to_move', text: text(v1, dl, 'questions.easy_to_move.text') }]);
  expect(changes.optionsAdded).toEqual([{ question: 'took_part', code: 'not_yet' }]);
  expect(changes.optionsRemoved).toEqual([{ question: 'safe_home', code: 'partly', label: text(v1, dl, 'options.partly.label') }]);
  expect(changes.conditionsChanged.map((c) => c.question)).toEqual(['listened_to']);
  const listened = changes.conditionsChanged[0];
  expect(listened.before).toContain('partly');
  expect(listened.after).not.toContain('partly');
  expect(listened.after).toContain('took_part');
  expect(changes.labelsChanged).toEqual([
    { key: 'questions.safe_home.text', before: text(v1, dl, 'questions.safe_home.text'), after: text(v2, dl, 'questions.safe_home.text') },
  ]);
});

test('a chosen version’s codebook has that version’s columns', async () => {
  const second = await service.codebookOf({ survey: RP, version: 2 }, 'nb');
  expect(second.survey.version).toBe(2);
  const names = second.columns.map((c) => c.name);
  expect(names).toContain('met_landlord');
  expect(names).not.toContain('easy_to_move');
  expect(second.columns.find((c) => c.name === 'took_part')!.options!.map((o) => o.code)).toContain('not_yet');
  const first = await service.codebookOf({ survey: RP, version: 1 }, 'nb');
  expect(first.columns.map((c) => c.name)).toContain('easy_to_move');
  // The history is the same whichever version the columns are of.
  expect(second.versions).toEqual(first.versions);
});

test('the history as a table: a row per question and code, what changed, and what was removed', async () => {
  const { versions } = await service.codebookOf({ survey: RP }, 'en');
  const table = versionTable(versions, locales, 'en');
  const c = (key: string, vars: Record<string, unknown> = {}) => locales.i18n.t(`analyst:codebook.changes.${key}`, { lng: 'en', ...vars }) as string;
  const row = (version: number, question: string, code = '') => table.rows.filter((r) => r[0] === String(version) && r[2] === question && r[4] === code);
  expect(row(2, 'met_landlord')[0][7]).toBe(c('added'));
  expect(row(2, 'took_part', 'not_yet')[0][7]).toBe(c('added'));
  expect(row(2, 'easy_to_move')).toEqual([['2', '', 'easy_to_move', '', '', text(v1, dl, 'questions.easy_to_move.text'), '', c('removed')]]);
  expect(row(2, 'safe_home', 'partly')[0][7]).toBe(c('removed'));
  expect(row(2, 'safe_home')[0][7]).toBe(c('text_changed', { before: text(v1, dl, 'questions.safe_home.text') }));
  expect(row(2, 'listened_to')[0][7]).toBe(c('condition_changed', { before: versions[1].changes!.conditionsChanged[0].before }));
  // Nothing else changed, and version 1 has no changes at all.
  expect(row(2, 'housing_offer')[0][7]).toBe('');
  expect(table.rows.filter((r) => r[0] === '1' && r[2] !== '').every((r) => r[7] === '')).toBe(true);
  // One row per question and code in each version, one per removed question and option.
  const expected = versions.reduce((n, v) => n + 1 + v.questions.reduce((m, q) => m + 1 + q.codes.length, 0), 0) + 2;
  expect(table.rows).toHaveLength(expected);
});

test('CSV with history and the XLSX versions sheet carry the same table', async () => {
  const { versions } = await service.codebookOf({ survey: RP }, 'nb');
  const table = versionTable(versions, locales, 'nb');
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (b: Buffer) => chunks.push(b));
  await service.writeCodebook('csv', 'nb', out, { survey: RP }, { history: true });
  expect(parse(Buffer.concat(chunks).toString('utf8'))).toEqual([table.header, ...table.rows]);
  const xlsx = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-')), 'cb.xlsx');
  await service.writeCodebook('xlsx', 'nb', fs.createWriteStream(xlsx), { survey: RP });
  await new Promise((r) => setTimeout(r, 100));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsx);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['codebook', 'locales', 'versions']);
  expect(wb.getWorksheet('versions')!.rowCount).toBe(table.rows.length + 1);
});

test('once v2 is published it is the default, and an export takes the version’s own columns', async () => {
  await registry.publish(RP, 2);
  expect((await service.codebookOf({ survey: RP }, 'en')).survey.version).toBe(2);
  insertIntoSqlite(file, participationResponses(6, { background: 'born_abroad', tookPart: 'no', language: 'so' }));
  const header = async (version?: number) => {
    const chunks: Buffer[] = [];
    const out = new PassThrough();
    out.on('data', (b: Buffer) => chunks.push(b));
    const summary = await service.export({ survey: RP, format: 'csv', filter: { surveyVersion: version } }, out);
    const [columns, ...cells] = parse(Buffer.concat(chunks).toString('utf8')) as string[][];
    const rows = cells.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
    return { summary, rows, columns };
  };
  const first = await header(1);
  expect(first.columns).toContain('easy_to_move');
  expect(first.columns).not.toContain('met_landlord');
  expect(first.summary.rows).toBe(6);
  expect(new Set(first.rows.map((r) => r.survey_version))).toEqual(new Set(['1']));
  // Version 2 has no responses yet: its file has none, and v2's columns.
  const second = await header(2);
  expect(second.summary.report.records).toBe(0);
  expect(second.columns).toContain('met_landlord');
  expect(second.columns).not.toContain('easy_to_move');
  const analysis = await service.analyze({ survey: RP, by: 'language' });
  expect(analysis.survey).toEqual({ id: RP, version: 2 });
  expect((await service.analyze({ survey: RP, version: 1, by: 'language' })).responses).toBe(6);
});

test('housing-help, shipped in one version, has a history of one version with every question', async () => {
  const housingHelp = loadSurvey(DEFAULT_SURVEY_FILE);
  const cb = await service.codebookOf({}, 'en');
  expect(cb.survey.id).toBe(housingHelp.id);
  expect(cb.versions).toHaveLength(1);
  const questions = cb.versions[0].questions;
  expect(questions.map((q) => q.id)).toEqual(questionsOf(housingHelp).map((s) => s.question.id));
  expect(questions.find((q) => q.id === 'help_got')!.block).toBeDefined();
});

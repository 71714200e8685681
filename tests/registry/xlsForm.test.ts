import ExcelJS from 'exceljs';
import { loadLocales } from '../../src/language/i18n';
import { bundledPackage, bundledSurveyFiles, contentHash, flattenTexts } from '../../src/registry/surveyPackage';
import { SurveyRegistry } from '../../src/registry/surveyRegistry';
import { writeXlsForm } from '../../src/registry/xlsForm';
import { IMPORTED_BY, readXlsForm, SheetProblem } from '../../src/registry/xlsFormRead';
import { SurveyStore } from '../../src/store/store';
import { sqliteStore } from '../helpers/harness';

const locales = loadLocales();
const housingFile = bundledSurveyFiles().find((f) => f.id === 'housing-help')!.file;
const housing = bundledPackage(housingFile, locales);

/** A workbook to edit as a person would in a spreadsheet: by header and by the value in a column. */
async function workbookOf(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}
function columnOf(ws: ExcelJS.Worksheet, header: string | RegExp): number {
  let found = 0;
  ws.getRow(1).eachCell((cell, col) => {
    const v = String(cell.value ?? '');
    if (typeof header === 'string' ? v === header : header.test(v)) found ||= col;
  });
  if (!found) throw new Error(`no column ${String(header)} in ${ws.name}`);
  return found;
}
function rowWhere(ws: ExcelJS.Worksheet, header: string, value: string): number {
  const col = columnOf(ws, header);
  let found = 0;
  ws.eachRow((row, n) => {
    if (n > 1 && String(row.getCell(col).value ?? '') === value) found ||= n;
  });
  if (!found) throw new Error(`no row with ${header} = ${value} in ${ws.name}`);
  return found;
}
async function bufferOf(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}
/** Reads with fresh locales each time: a reading replaces the survey's namespace in the instance it is given. */
const read = (buffer: Buffer) => readXlsForm(buffer, loadLocales());

async function onlyProblem(edit: (wb: ExcelJS.Workbook) => void): Promise<SheetProblem> {
  const wb = await workbookOf(await writeXlsForm(housing, locales));
  edit(wb);
  const result = await read(await bufferOf(wb));
  if (result.ok) throw new Error('the edited workbook was accepted');
  expect(result.problems).toHaveLength(1);
  return result.problems[0];
}

describe('survey spreadsheets (XLSForm-like)', () => {
  test('the shipped survey exported and read back is the same survey, text for text', async () => {
    const buffer = await writeXlsForm(housing, locales);
    const result = await read(buffer);
    if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 5)));
    expect(result.pkg.definition).toEqual(housing.definition);
    for (const lng of Object.keys(housing.texts))
      expect(Object.fromEntries(flattenTexts(result.pkg.texts[lng]))).toEqual(Object.fromEntries(flattenTexts(housing.texts[lng])));
    expect(contentHash(result.pkg)).toBe(contentHash(housing));
  });

  test('the workbook uses XLSForm column names and types a Kobo or ODK author knows', async () => {
    const wb = await workbookOf(await writeXlsForm(housing, locales));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['survey', 'choices', 'settings', 'texts']);
    const survey = wb.getWorksheet('survey')!;
    const type = (name: string) => String(survey.getRow(rowWhere(survey, 'name', name)).getCell(columnOf(survey, 'type')).value);
    expect(type('situation')).toBe('select_one situation');
    expect(type('help_areas')).toBe('select_multiple help_areas');
    expect(type('respect')).toBe('range');
    expect(type('years_in_norway')).toBe('integer');
    expect(type('what_helped')).toBe('text');
    expect(type('area_followup')).toBe('begin_repeat');
    const relevant = (name: string) => String(survey.getRow(rowWhere(survey, 'name', name)).getCell(columnOf(survey, 'relevant')).value ?? '');
    expect(relevant('help_areas')).toBe("${needed_help} = 'yes'");
    expect(relevant('temp_duration')).toBe("${situation} = 'temporary' or selected(${help_areas}, 'temp_to_permanent')");
    expect(columnOf(survey, 'label::ትግርኛ (ti)')).toBeGreaterThan(0);
    expect(columnOf(wb.getWorksheet('choices')!, /^synonyms::.*\(so\)$/)).toBeGreaterThan(0);
  });

  describe('a sheet with a problem is refused with its sheet, row and column, and one clear message', () => {
    test('an unknown type', async () => {
      const p = await onlyProblem((wb) => {
        const ws = wb.getWorksheet('survey')!;
        ws.getRow(rowWhere(ws, 'name', 'children')).getCell(columnOf(ws, 'type')).value = 'geopoint';
      });
      expect(p).toMatchObject({ sheet: 'survey', column: 'type' });
      expect(p.row).toBe(rowWhere((await workbookOf(await writeXlsForm(housing, locales))).getWorksheet('survey')!, 'name', 'children'));
      expect(p.message).toMatch(/geopoint.*not supported/);
    });

    test('a relevant naming a question the survey does not have', async () => {
      const p = await onlyProblem((wb) => {
        const ws = wb.getWorksheet('survey')!;
        ws.getRow(rowWhere(ws, 'name', 'children')).getCell(columnOf(ws, 'relevant')).value = "${household_size} = 'yes'";
      });
      expect(p).toMatchObject({ sheet: 'survey', column: 'relevant' });
      expect(p.message).toMatch(/household_size.*not a question/);
    });

    test('a missing label::ti column', async () => {
      const p = await onlyProblem((wb) => {
        const ws = wb.getWorksheet('survey')!;
        ws.spliceColumns(columnOf(ws, /^label::.*\(ti\)$/), 1);
      });
      // ti still has its hints, options and consent: the column is what is missing, said once.
      expect(p).toMatchObject({ sheet: 'survey', row: 1, column: 'label::ti' });
      expect(p.message).toMatch(/no label::… \(ti\) column/);
    });

    test('duplicate names', async () => {
      const p = await onlyProblem((wb) => {
        const ws = wb.getWorksheet('survey')!;
        ws.getRow(rowWhere(ws, 'name', 'children')).getCell(columnOf(ws, 'name')).value = 'background';
      });
      expect(p).toMatchObject({ sheet: 'survey', column: 'name' });
      expect(p.message).toMatch(/"background" is used twice/);
    });

    test('a cycle: a question made to depend on a later one', async () => {
      const p = await onlyProblem((wb) => {
        const ws = wb.getWorksheet('survey')!;
        ws.getRow(rowWhere(ws, 'name', 'needed_help')).getCell(columnOf(ws, 'relevant')).value = "${background} = 'born_abroad'";
      });
      expect(p).toMatchObject({
        sheet: 'survey',
        column: 'relevant',
        row: rowWhere((await workbookOf(await writeXlsForm(housing, locales))).getWorksheet('survey')!, 'name', 'needed_help'),
      });
      expect(p.message).toMatch(/comes later.*circle/);
    });

    test('a translation without the key term the glossary requires (the checks translators get)', async () => {
      const p = await onlyProblem((wb) => {
        const ws = wb.getWorksheet('choices')!;
        ws.getRow(rowWhere(ws, 'name', 'no_place')).getCell(columnOf(ws, /^label::.*\(so\)$/)).value = 'Meel aan ku noolaado ma lihi';
      });
      expect(p).toMatchObject({
        sheet: 'choices',
        row: rowWhere((await workbookOf(await writeXlsForm(housing, locales))).getWorksheet('choices')!, 'name', 'no_place'),
      });
      expect(p.message).toMatch(/^so: .*uses none of the terms/);
    });

    test('a blank translation cell', async () => {
      const p = await onlyProblem((wb) => {
        const ws = wb.getWorksheet('choices')!;
        ws.getRow(rowWhere(ws, 'name', 'no_place')).getCell(columnOf(ws, /^label::.*\(ti\)$/)).value = '';
      });
      expect(p).toMatchObject({
        sheet: 'choices',
        row: rowWhere((await workbookOf(await writeXlsForm(housing, locales))).getWorksheet('choices')!, 'name', 'no_place'),
      });
      expect(p.column).toMatch(/^label::.*\(ti\)$/);
      expect(p.message).toBe('no ti text for options.no_place.label');
    });
  });
});

describe('importing an edited spreadsheet into the registry', () => {
  let store: SurveyStore;
  let registry: SurveyRegistry;
  beforeEach(async () => {
    store = await sqliteStore();
    registry = new SurveyRegistry(store, locales);
    await registry.syncBundled();
  });
  afterEach(() => store.close());

  test('unchanged, it makes no version; edited, it is a draft until published, and a refused sheet changes nothing', async () => {
    const exported = await writeXlsForm(await registry.read('housing-help', 1), locales);
    const same = await read(exported);
    if (!same.ok) throw new Error('refused');
    expect(await registry.importPackage(same.pkg)).toEqual({ version: 1, created: false });

    const wb = await workbookOf(exported);
    const survey = wb.getWorksheet('survey')!;
    const choices = wb.getWorksheet('choices')!;
    // A label in Somali, a new option, and a changed condition.
    choices.getRow(rowWhere(choices, 'name', 'no_place')).getCell(columnOf(choices, /^label::.*\(so\)$/)).value = 'Hadda meel aan seexdo ma haysto';
    // The new option goes after the last choice of its list, with a label in every language the survey has.
    const after = rowWhere(choices, 'name', 'no_place');
    choices.insertRow(after + 1, []);
    const added = choices.getRow(after + 1);
    const own: Record<string, string> = { nb: 'Campingvogn', en: 'A caravan', so: 'Gaari la dego' };
    choices.getRow(1).eachCell((cell, col) => {
      const h = String(cell.value);
      const tag = /\(([a-z]+)\)$/.exec(h)?.[1];
      if (h === 'list_name') added.getCell(col).value = 'situation';
      if (h === 'name') added.getCell(col).value = 'caravan';
      if (h.startsWith('label::') && tag) added.getCell(col).value = own[tag] ?? 'Campingvogn (caravan)';
    });
    survey.getRow(rowWhere(survey, 'name', 'children')).getCell(columnOf(survey, 'relevant')).value = "${situation} != 'institution'";
    // The source text (English, the survey's first language) of one option changes; its translations do not.
    choices.getRow(rowWhere(choices, 'name', 'rent_private')).getCell(columnOf(choices, /^label::.*\(en\)$/)).value = 'I rent from a private person or company';
    const edited = await read(await bufferOf(wb));
    if (!edited.ok) throw new Error(JSON.stringify(edited.problems.slice(0, 5)));
    const situation = edited.pkg.definition.items.find((i) => i.id === 'situation');
    expect(situation).toMatchObject({ options: expect.arrayContaining(['caravan']) });
    expect(edited.pkg.definition.items.find((i) => i.id === 'children')).toMatchObject({ when: { not: { question: 'situation', anyOf: ['institution'] } } });

    const { version, created } = await registry.importPackage(edited.pkg);
    expect({ version, created }).toEqual({ version: 2, created: true });
    expect((await registry.list()).find((s) => s.id === 'housing-help')).toMatchObject({ current: 1 });
    await registry.publish('housing-help', 2);
    expect((await registry.list()).find((s) => s.id === 'housing-help')).toMatchObject({ current: 2 });
    const v2 = await registry.read('housing-help', 2);
    expect(flattenTexts(v2.texts.so).get('options.no_place.label')).toBe('Hadda meel aan seexdo ma haysto');
    // What a person wrote in the spreadsheet is a draft by the import; an untouched text keeps its provenance.
    expect(v2.provenance.so['options.no_place.label']).toEqual({ status: 'drafted', by: IMPORTED_BY });
    // Its translations are kept, and marked stale for review: never dropped.
    expect(flattenTexts(v2.texts.ti).get('options.rent_private.label')).toBe(flattenTexts(housing.texts.ti).get('options.rent_private.label'));
    expect(v2.provenance.ti['options.rent_private.label']).toMatchObject({ status: 'stale' });
    expect(v2.provenance.ti['options.owner.label']).toEqual((await registry.read('housing-help', 1)).provenance.ti['options.owner.label']);

    const before = await store.listSurveyVersions();
    const broken = await workbookOf(exported);
    const ws = broken.getWorksheet('survey')!;
    ws.getRow(rowWhere(ws, 'name', 'children')).getCell(columnOf(ws, 'type')).value = 'geopoint';
    expect((await read(await bufferOf(broken))).ok).toBe(false);
    expect(await store.listSurveyVersions()).toEqual(before);
  });
});

import ExcelJS from 'exceljs';
import { loadLocales } from '../../src/language/i18n';
import { bundledPackage, bundledSurveyFiles } from '../../src/registry/surveyPackage';
import { writeXlsForm } from '../../src/registry/xlsForm';
import { readXlsForm } from '../../src/registry/xlsFormRead';
import { DIRECT, linkSource, OTHER, responseSource } from '../../src/survey/sources';
import { validateSurvey } from '../../src/survey/validate';

/** Where a respondent came from: the link's `src` checked for its shape, then settled against the survey's declared sources. */
const declared = ['web', 'sms-invitation', 'nav-grunerlokka-poster'];

describe('a response source', () => {
  test.each([
    ['a declared source', 'nav-grunerlokka-poster', 'nav-grunerlokka-poster'],
    ['an undeclared source', 'foo', OTHER],
    ['nothing', undefined, DIRECT],
    ['an empty src', '', DIRECT],
    ['an oversized src', 'a'.repeat(49), OTHER],
    ['control characters', 'web\u0000', OTHER],
    ['a line break', 'web\n', OTHER],
    ['upper case', 'WEB', OTHER],
    ['a phone number written in', '+4791234567', OTHER],
    ['not a string', ['web'], OTHER],
    ['the fixed value direct, named', 'direct', OTHER],
  ])('%s is %s', (_what, src, expected) => {
    expect(responseSource(declared, linkSource(src))).toBe(expected);
  });

  test('a survey that declares no sources stores every named one as other', () => {
    expect(responseSource(undefined, 'web')).toBe(OTHER);
    expect(responseSource(undefined, undefined)).toBe(DIRECT);
  });
});

describe('declared sources in a definition', () => {
  const housing = bundledPackage(bundledSurveyFiles().find((f) => f.id === 'housing-help')!.file, loadLocales());

  test('the shipped surveys declare the web page, SMS and its invitations', () => {
    for (const { file } of bundledSurveyFiles())
      expect(bundledPackage(file, loadLocales()).definition.sources).toEqual(expect.arrayContaining(['web', 'sms', 'sms-invitation']));
  });

  test.each([
    ['a name with a space', ['nav poster']],
    ['a fixed value', ['other']],
    ['a repeated name', ['web', 'web']],
  ])('refuses %s', (_what, sources) => {
    const { survey, problems } = validateSurvey({ ...housing.definition, sources });
    expect(survey).toBeUndefined();
    expect(problems.map((p) => p.path).join(' ')).toMatch(/^sources/);
  });

  test('a spreadsheet names them in the settings sheet, and a bad one is reported at that cell', async () => {
    const locales = loadLocales();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeXlsForm(housing, locales)) as unknown as ArrayBuffer);
    const settings = wb.getWorksheet('settings')!;
    let col = 0;
    settings.getRow(1).eachCell((cell, c) => {
      if (cell.value === 'sources') col = c;
    });
    expect(String(settings.getRow(2).getCell(col).value)).toBe(housing.definition.sources!.join(' '));
    settings.getRow(2).getCell(col).value = 'web, Poster!';
    const result = await readXlsForm(Buffer.from(await wb.xlsx.writeBuffer()), loadLocales());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => [p.sheet, p.column])).toEqual([['settings', 'sources']]);
  });
});

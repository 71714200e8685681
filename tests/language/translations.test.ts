import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadLocales } from '../../src/language/i18n';
import { stringProvenance } from '../../src/language/stringProvenance';
import { ReviewFile, exportTranslations, importTranslations, languageTable, parseCsvRows, parseReviewFile, reviewUnits } from '../../src/language/translations';
import { translationsCommand } from '../../src/language/translationsCommand';
import { localesDir, projectRoot } from '../../src/paths';
import { texts } from '../helpers/harness';

const { survey, locales } = texts;

/** A copy of the locales to import into, so the repository's files are never touched. */
function lab(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'locales-review-'));
  fs.cpSync(localesDir, dir, { recursive: true });
  return dir;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** What an exported file returns as, with some strings changed and some confirmed. */
function returned(lng: string, changes: Record<string, string>, confirmed: string[] = []): ReviewFile {
  const units = reviewUnits(locales, survey, lng);
  return {
    lng,
    units: units
      .filter((u) => u.id in changes || confirmed.includes(u.id))
      .map((u) => ({ id: u.id, en: u.en, text: changes[u.id] ?? u.text, confirmed: confirmed.includes(u.id) })),
  };
}

describe('export', () => {
  const units = reviewUnits(locales, survey, 'so');

  test('lists every string of both namespaces and every key term, with English, bokmål, the current text and its provenance', () => {
    const interpreter = units.find((u) => u.id === 'housing-help:questions.interpreter.text')!;
    expect(interpreter).toMatchObject({
      en: texts.s('en', 'questions.interpreter.text'),
      nb: texts.s('nb', 'questions.interpreter.text'),
      text: texts.s('so', 'questions.interpreter.text'),
      status: 'drafted',
      by: texts.meta('so').provenance.by,
    });
    expect(interpreter.notes.join(' ')).toContain('offered');
    expect(units.find((u) => u.id === 'bot:keywords.back')).toMatchObject({ list: true, text: texts.list('so', 'bot:keywords.back').join(' | ') });
    expect(units.find((u) => u.id === 'glossary:offered')).toMatchObject({ list: true, text: 'weydiiyay' });
    expect(units.find((u) => u.id === 'bot:help.text')!.notes.join(' ')).toContain('{{back}}');
  });

  test.each([
    ['xliff', '1.2'],
    ['xliff', '2.0'],
    ['csv', '1.2'],
  ] as const)('%s %s reads back as it was written', async (format, version) => {
    const body = await exportTranslations(units, 'so', format, version);
    if (format === 'xliff') expect(body).toContain(version === '1.2' ? 'version="1.2"' : 'version="2.0"');
    const back = await parseReviewFile(body);
    expect(back.lng).toBe('so');
    expect(back.units.map((u) => [u.id, u.en, u.text])).toEqual(units.map((u) => [u.id, u.en, u.text]));
    expect(back.units.every((u) => !u.confirmed)).toBe(true);
  });

  test('XLIFF carries the bokmål source and the provenance as notes', async () => {
    const body = await exportTranslations(units, 'so', 'xliff', '1.2');
    expect(body).toContain(`<note>nb: ${texts.s('nb', 'consent.ask')}</note>`);
    expect(body).toContain(`provenance: drafted (${texts.meta('so').provenance.by})`);
    expect(body).toContain('approved="no"');
  });

  test('a confirmation is read from XLIFF 1.2 approved="yes", XLIFF 2.0 state="reviewed" and the CSV column', async () => {
    const x12 = (await exportTranslations(units, 'so', 'xliff', '1.2')).replace(
      '<trans-unit id="greeting" approved="no">',
      '<trans-unit id="greeting" approved="yes">',
    );
    const x20 = (await exportTranslations(units, 'so', 'xliff', '2.0')).replace(
      /(<unit id="greeting">[\s\S]*?<segment) state="translated">/,
      '$1 state="reviewed">',
    );
    const rows = parseCsvRows(await exportTranslations(units, 'so', 'csv'));
    rows.find((r) => r[1] === 'bot:greeting')![8] = 'yes';
    const csv = rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(';')).join('\r\n');
    for (const body of [x12, x20, csv]) {
      const confirmed = (await parseReviewFile(body)).units.filter((u) => u.confirmed).map((u) => u.id);
      expect(confirmed).toEqual(['bot:greeting']);
    }
  });

  test('CSV keeps commas, quotes and line breaks inside a text', () => {
    expect(parseCsvRows('a,b\n"x, ""y""\nz",2\n')).toEqual([
      ['a', 'b'],
      ['x, "y"\nz', '2'],
    ]);
  });
});

describe('import', () => {
  const today = '2026-11-30';

  test('writes changed texts and records changed and confirmed strings as reviewed by the organisation, on that day', () => {
    const dir = lab();
    const mine = loadLocales(dir);
    const newText = 'Markii aad turjumaan u baahnayd, ma lagu weydiiyay inaad turjumaan rabto?';
    const result = importTranslations(mine, survey, returned('so', { 'housing-help:questions.interpreter.text': newText }, ['bot:greeting']), {
      reviewer: 'Somali Welfare Association Oslo',
      date: today,
    });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ written: true, changed: ['housing-help:questions.interpreter.text'], confirmed: ['bot:greeting'] });
    const after = loadLocales(dir);
    expect(after.i18n.getResource('so', 'housing-help', 'questions.interpreter.text')).toBe(newText);
    const reviewed = { status: 'reviewed', by: 'Somali Welfare Association Oslo', date: today, locale: 'so' };
    expect(stringProvenance(after, 'so', 'housing-help', 'questions.interpreter.text')).toEqual(reviewed);
    expect(stringProvenance(after, 'so', 'bot', 'greeting')).toEqual(reviewed);
    expect(stringProvenance(after, 'so', 'bot', 'help.text')).toEqual({ status: 'drafted', by: texts.meta('so').provenance.by, locale: 'so' });
    // The locale as a whole stays a draft: meta.json is the default and is not touched.
    expect(fs.readFileSync(path.join(dir, 'so', 'meta.json'), 'utf8')).toBe(fs.readFileSync(path.join(localesDir, 'so', 'meta.json'), 'utf8'));
  });

  test('a reviewed string edited afterwards is a draft again', () => {
    const dir = lab();
    importTranslations(loadLocales(dir), survey, returned('so', {}, ['bot:greeting']), { reviewer: 'Reviewers', date: today });
    const file = path.join(dir, 'so', 'bot.json');
    const bot = JSON.parse(fs.readFileSync(file, 'utf8'));
    bot.greeting = `${bot.greeting} `;
    fs.writeFileSync(file, JSON.stringify(bot, null, 2));
    expect(stringProvenance(loadLocales(dir), 'so', 'bot', 'greeting').status).toBe('drafted');
  });

  test('a string without text of its own takes the provenance of the fallback shown instead', () => {
    const dir = lab();
    const file = path.join(dir, 'so', 'bot.json');
    const bot = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete bot.greeting;
    fs.writeFileSync(file, JSON.stringify(bot, null, 2));
    expect(stringProvenance(loadLocales(dir), 'so', 'bot', 'greeting')).toEqual({ status: 'drafted', by: texts.meta('en').provenance.by, locale: 'en' });
  });

  test.each([
    ['an unknown key', { 'bot:greetings': 'Salaan' }, 'no such string'],
    ['a changed interpolation variable', { 'housing-help:consent.purpose': 'Sahankan waxaa sameeya {{organization}}.' }, 'variables must be'],
    ['a text over the SMS budget', { 'bot:greeting': 'Salaan '.repeat(60) }, 'SMS budget'],
    ['an empty text', { 'bot:greeting': '  ' }, 'empty'],
    ['a question without its key term', { 'housing-help:questions.interpreter.text': 'Markii aad turjumaan u baahnayd, ma lagu siiyay?' }, 'offered'],
    ['an answer word two options share', { 'housing-help:options.no.synonyms': 'mayo | haa' }, 'answers'],
  ])('refuses %s and writes nothing', (_name, changes, message) => {
    const dir = lab();
    const before = fs.readFileSync(path.join(dir, 'so', 'housing-help.json'), 'utf8');
    const file = returned('so', {});
    for (const [id, text] of Object.entries(changes))
      file.units.push({ id, en: reviewUnits(locales, survey, 'so').find((u) => u.id === id)?.en ?? '', text, confirmed: false });
    const result = importTranslations(loadLocales(dir), survey, file, { reviewer: 'Reviewers', date: today });
    expect(result.written).toBe(false);
    expect(result.problems.map((p) => p.message).join('\n')).toContain(message);
    expect(fs.readFileSync(path.join(dir, 'so', 'housing-help.json'), 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(dir, 'so', 'provenance.json'))).toBe(false);
  });

  test('names every problem of a file in one answer, of every kind, and writes nothing', () => {
    const dir = lab();
    const changes = {
      'bot:greetings': 'Salaan',
      'housing-help:consent.purpose': 'Sahankan waxaa sameeya {{organization}}.',
      'bot:greeting': 'Salaan '.repeat(60),
      'housing-help:questions.interpreter.text': 'Markii aad turjumaan u baahnayd, ma lagu siiyay?',
      'housing-help:options.no.synonyms': 'mayo | haa',
    };
    const file = returned('so', {});
    for (const [id, text] of Object.entries(changes))
      file.units.push({ id, en: reviewUnits(locales, survey, 'so').find((u) => u.id === id)?.en ?? '', text, confirmed: false });
    const result = importTranslations(loadLocales(dir), survey, file, { reviewer: 'Reviewers', date: today });
    expect(result.written).toBe(false);
    const all = result.problems.map((p) => `${p.id}: ${p.message}`).join('\n');
    for (const message of ['no such string', 'variables must be', 'SMS budget', 'offered', 'answers']) expect(all).toContain(message);
    expect(fs.existsSync(path.join(dir, 'so', 'provenance.json'))).toBe(false);
  });

  test('refuses a file exported before the English source changed', () => {
    const file = returned('so', {}, ['bot:greeting']);
    file.units[0].en = 'Hello! An older greeting.';
    expect(importTranslations(loadLocales(lab()), survey, file, { reviewer: 'Reviewers', date: today }).problems[0].message).toContain(
      'English source has changed',
    );
  });
});

describe('survey-bot translations', () => {
  test('export, a reviewer edits the CSV, import: the string is reviewed', async () => {
    const dir = lab();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'review-'));
    const csv = path.join(work, 'ur.csv');
    const io = { stdout: sink().stream, stderr: sink().stream, localesDir: dir, today: () => '2026-12-01' };
    expect(await translationsCommand(['export', '--locale', 'ur', '--format', 'csv', '--out', csv], io)).toBe(0);
    const rows = parseCsvRows(fs.readFileSync(csv, 'utf8'));
    const row = rows.find((r) => r[1] === 'housing-help:questions.understood_letters.simple')!;
    row[8] = 'yes';
    fs.writeFileSync(csv, rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\n'));
    const out = sink();
    const err = sink();
    const code = await translationsCommand(['import', csv, '--reviewer', 'Urdu Forum Norway'], { ...io, stdout: out.stream, stderr: err.stream });
    expect(err.text()).toBe('');
    expect(code).toBe(0);
    expect(out.text()).toBe('0 changed and 1 confirmed string(s) in ur marked reviewed by Urdu Forum Norway on 2026-12-01.\n');
    expect(stringProvenance(loadLocales(dir), 'ur', 'housing-help', 'questions.understood_letters.simple')).toMatchObject({
      status: 'reviewed',
      by: 'Urdu Forum Norway',
    });
  });

  test('import without --reviewer is a usage error', async () => {
    const err = sink();
    expect(await translationsCommand(['import', 'x.csv'], { stdout: sink().stream, stderr: err.stream })).toBe(2);
    expect(err.text()).toContain('--reviewer');
  });

  test('--dry-run checks and writes nothing', async () => {
    const dir = lab();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'review-')), 'so.xlf');
    const io = { stdout: sink().stream, stderr: sink().stream, localesDir: dir };
    await translationsCommand(['export', '--locale', 'so', '--out', file], io);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('<trans-unit id="greeting" approved="no">', '<trans-unit id="greeting" approved="yes">'));
    const out = sink();
    expect(await translationsCommand(['import', file, '--reviewer', 'Reviewers', '--dry-run'], { ...io, stdout: out.stream })).toBe(0);
    expect(out.text()).toContain('would be marked reviewed');
    expect(fs.existsSync(path.join(dir, 'so', 'provenance.json'))).toBe(false);
  });

  test("status prints the README's language table", async () => {
    const out = sink();
    await translationsCommand(['status'], { stdout: out.stream, stderr: sink().stream });
    const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    const table = /<!-- languages:start -->\n([\s\S]*?)\n<!-- languages:end -->/.exec(readme)?.[1];
    expect(table).toBe(out.text().trimEnd());
    expect(table).toBe(languageTable(locales, survey));
  });
});

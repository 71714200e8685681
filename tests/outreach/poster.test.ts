import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { loadConfig } from '../../src/config';
import * as fontkit from 'fontkit';
import { BASE_FAMILY, familyOfScript, findFamily, FontMissingError } from '../../src/outreach/posterFonts';
import { posterCommand } from '../../src/outreach/posterCommand';
import { posterPages } from '../../src/outreach/posterPages';
import { renderPosters } from '../../src/outreach/posterPdf';
import { POSTER_WORKER, renderPostersApart } from '../../src/outreach/posterThread';
import { SurveyRegistry } from '../../src/registry/surveyRegistry';
import { projectRoot } from '../../src/paths';
import { createStore } from '../../src/store/createStore';
import { SurveyStore } from '../../src/store/store';
import { request, startAnalystServer, AnalystServer } from '../analyst/helpers';
import { tempDir, TEST_SECRET, texts } from '../helpers/harness';
import { decodeQr, haveArabicOcr, havePoppler, ocr, pageCount, pagePng, pagePngs, pageText, pageWords } from '../helpers/pdf';
import { freshDatabase, postgresReachable, POSTGRES_SKIP_MESSAGE } from '../helpers/postgres';

/**
 * Posters: one A4 page per language, read back as a person and a phone would. Each page is
 * rendered to pixels (pdftoppm) and its QR code decoded (jsQR) to exactly the page's link; the
 * text is extracted (pdftotext) and, on the Arabic page, read back by OCR (Tesseract), which
 * reads right-to-left text in logical order only if it was drawn shaped and right to left.
 */

const { locales } = texts;
const LANGS = ['so', 'ar', 'ti', 'prs', 'nb'];
const BASE = 'https://bolig.example.no';
// A source the survey declares (src/survey/definitions/housing-help.v1.json).
const SOURCE = 'nav-office-poster';
const NUMBER = '+4759440000';
/** As a poster prints it (libphonenumber's international format). */
const NUMBER_GROUPS = ['+47', '59', '44', '00', '00'];

const linkOf = (lang: string, base = BASE, source = SOURCE) => `${base}/s/housing-help?lang=${lang}&src=${source}`;
const title = (lng: string) => texts.surveyVars(lng).title;
const invitation = (lng: string) => (locales.i18n.t('bot:poster.invitation', { lng, minutes: texts.surveyVars(lng).minutes }) as string).split('\n');
const words = (s: string) => s.split(/\s+/).map(bare).filter(Boolean);
/**
 * Text as extraction gives it back: a zero-width non-joiner ("بی‌نام") is drawn as an empty glyph
 * that pdftotext takes for a space, and a combining mark (the hamza of "کمرهٔ") comes out apart
 * from its letter.
 */
const extracted = (s: string) => s.replace(/\p{M}/gu, '').replace(/\u200C/gu, ' ');
/** A word without the punctuation around it (pdftotext keeps a mirrored bracket as drawn). */
const bare = (w: string) => w.replace(/^[\p{P}]+|[\p{P}]+$/gu, '');

if (!havePoppler) {
  // CI (.ci/run, CI=true) installs poppler-utils: there a missing tool fails instead of passing unseen.
  if (process.env.CI === 'true') test('posters read back with poppler-utils', () => expect('pdftoppm, pdftotext and pdfinfo are missing').toBe('installed'));
  else test.skip('posters: skipped, pdftoppm/pdftotext are missing (install them with apt-get install -y poppler-utils)', () => undefined);
}
const withPoppler = havePoppler ? describe : describe.skip;

interface Backend {
  name: 'sqlite' | 'postgres';
  open(dir: string): Promise<{ url: string; drop(): Promise<void> } | undefined>;
}
const backends: Backend[] = [
  { name: 'sqlite', open: async (dir) => ({ url: `file:${path.join(dir, 'survey.db')}`, drop: async () => undefined }) },
  { name: 'postgres', open: async () => ((await postgresReachable()) ? freshDatabase('posters') : (console.warn(POSTGRES_SKIP_MESSAGE), undefined)) },
];

withPoppler.each(backends)('survey-bot poster on $name', (backend) => {
  const dir = tempDir('posters-');
  const file = path.join(dir, 'posters.pdf');
  let db: Awaited<ReturnType<Backend['open']>>;
  let store: SurveyStore;
  const run = async (args: string[], env: Record<string, string> = {}) => {
    let out = '';
    let err = '';
    const io = { stdout: { write: (s: string) => (out += s) } as never, stderr: { write: (s: string) => (err += s) } as never };
    const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: db!.url, SURVEY_SECRET: TEST_SECRET, ...env });
    return { code: await posterCommand(args, config, store, io), out, err };
  };
  let made: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    db = await backend.open(dir);
    if (!db) return;
    store = createStore(db.url);
    await store.migrate();
    await new SurveyRegistry(store, locales).syncBundled();
    await store.setSmsRoute(NUMBER, 'housing-help');
    made = await run(['housing-help', '--lang', LANGS.join(','), '--out', file, '--source', SOURCE, '--base-url', `${BASE}/`]);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });
  const it = (name: string, fn: () => Promise<void> | void) =>
    test(name, async () => {
      if (!db) return;
      await fn();
    });

  it('writes one page per language asked for, and says which links and which SMS number it printed', () => {
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    expect(pageCount(file)).toBe(LANGS.length);
    for (const lang of LANGS) expect(made.out).toContain(`${lang}\t${linkOf(lang)}\n`);
    expect(made.out).toContain(`SMS number printed: ${NUMBER}`);
  });

  it('every page has a QR code that a camera reads as exactly that page’s link, in that page’s language', () => {
    const images = pagePngs(file, 72);
    expect(images.length).toBe(LANGS.length);
    LANGS.forEach((lang, i) => {
      const link = decodeQr(images[i]);
      expect(link).toBe(linkOf(lang));
      const url = new URL(link!);
      expect([url.searchParams.get('lang'), url.searchParams.get('src'), url.pathname]).toEqual([lang, SOURCE, '/s/housing-help']);
    });
  });

  it('every page holds the survey title, the invitation, the link and the SMS number, in its language (pdftotext)', () => {
    LANGS.forEach((lang, i) => {
      const text = extracted(pageText(file, i + 1));
      const missing = [title(lang), ...invitation(lang), locales.i18n.t('bot:poster.sms', { lng: lang, number: 'NUMBER' }) as string]
        .flatMap((line) => words(extracted(line)))
        .filter((w) => w !== 'NUMBER' && !text.includes(w));
      expect({ lang, missing }).toEqual({ lang, missing: [] });
      expect(text).toContain(linkOf(lang));
      expect(text).toContain(NUMBER_GROUPS.join(' '));
    });
  });

  // The same PDF on both stores: once is enough.
  (backend.name === 'sqlite' ? it : test.skip)('without --lang, prints every language the survey has, each page with its own link', async () => {
    const all = path.join(dir, 'all.pdf');
    const r = await run(['housing-help', '--out', all, '--base-url', BASE]);
    expect(r.code).toBe(0);
    expect(pageCount(all)).toBe(locales.tags.length);
    expect(pagePngs(all, 72).map(decodeQr)).toEqual(locales.tags.map((lang) => linkOf(lang, BASE, 'nav-office-poster')));
  });

  it('refuses what it cannot print, saying why, and writes nothing', async () => {
    const other = path.join(dir, 'other.pdf');
    const cases: [string[], Record<string, string>, number, RegExp][] = [
      [['housing-help', '--out', other, '--lang', 'so,xx', '--base-url', BASE], {}, 2, /no texts in xx; it has .*so/],
      [['housing-help', '--out', other, '--source', 'a poster!', '--base-url', BASE], {}, 2, /does not declare the source/],
      // A well-formed source the survey does not declare would count every response it brings as "other".
      [
        ['housing-help', '--out', other, '--source', 'nav-grunerlokka-poster', '--base-url', BASE],
        {},
        2,
        /does not declare the source "nav-grunerlokka-poster".*nav-office-poster/,
      ],
      [['housing-help', '--out', other, '--base-url', 'ftp://x'], {}, 2, /plain http or https address/],
      [['housing-help', '--out', other], {}, 2, /--base-url https:\/\/… or PUBLIC_URL/],
      [['no-such-survey', '--out', other, '--base-url', BASE], {}, 1, /No survey no-such-survey/],
      [['housing-help'], {}, 2, /Usage:/],
    ];
    for (const [args, env, code, message] of cases) {
      const r = await run(args, env);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.err).toMatch(message);
    }
    expect(fs.existsSync(other)).toBe(false);
    // PUBLIC_URL is the default address; a survey without an SMS number gets no SMS line.
    const r = await run(['resident-participation', '--lang', 'nb', '--out', other], { PUBLIC_URL: 'https://bot.example.org' });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/No SMS number answers for resident-participation/);
    expect(decodeQr(pagePng(other, 1, 100))).toBe('https://bot.example.org/s/resident-participation?lang=nb&src=tenant-meeting-poster');
    expect(pageText(other, 1)).not.toContain(NUMBER_GROUPS.join(' '));
    // A closed survey gets no posters.
    fs.rmSync(other);
    await new SurveyRegistry(store, locales).close('resident-participation');
    const closed = await run(['resident-participation', '--out', other, '--base-url', BASE]);
    expect([closed.code, closed.err]).toEqual([1, 'Survey resident-participation is closed: a poster would send people to a survey that has ended.\n']);
    expect(fs.existsSync(other)).toBe(false);
  });
});

withPoppler('bin/survey-bot poster, as an operator runs it (over the build)', () => {
  test('routes an SMS number to the survey, then prints its poster with that number; help lists the command', () => {
    const dir = tempDir('posters-bin-');
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'survey-bot.js'), ...args], {
        env: { PATH: process.env.PATH, DATA_DIR: dir, SURVEY_SECRET: TEST_SECRET },
        encoding: 'utf8',
        timeout: 60000,
      });
    // `survey list` (as the bot's start) puts the bundled surveys in a new registry first.
    expect(cli('survey', 'list').status).toBe(0);
    expect(cli('survey', 'sms-number', NUMBER, 'housing-help').status).toBe(0);
    const file = path.join(dir, 'ar.pdf');
    const r = cli('poster', 'housing-help', '--lang', 'ar', '--out', file, '--base-url', BASE, '--source', SOURCE);
    expect({ code: r.status, err: r.stderr }).toEqual({ code: 0, err: '' });
    expect(pageCount(file)).toBe(1);
    expect(decodeQr(pagePng(file, 1, 72))).toBe(linkOf('ar'));
    expect(pageText(file, 1)).toContain(NUMBER_GROUPS.join(' '));
    expect(cli('help').stdout).toContain('poster SURVEY --out FILE.pdf');
  });
});

withPoppler('right-to-left pages', () => {
  const dir = tempDir('posters-rtl-');
  const file = path.join(dir, 'rtl.pdf');
  beforeAll(async () => {
    const pages = posterPages(texts, { surveyId: 'housing-help', languages: ['ar', 'prs'], baseUrl: BASE, source: SOURCE, smsNumbers: [NUMBER] });
    fs.writeFileSync(file, await renderPosters(pages));
  });

  test.each([
    ['ar', 1],
    ['prs', 2],
  ])('%s: the SMS line is drawn right to left with the number left to right in its logical place (word boxes)', (lang, page) => {
    const drawn = pageWords(file, page);
    const first = drawn.find((w) => bare(w.text) === NUMBER_GROUPS[0]);
    expect(first).toBeDefined();
    const line = drawn
      .filter((w) => Math.abs(w.yMin - first!.yMin) < 3)
      .sort((a, b) => a.xMin - b.xMin)
      .map((w) => bare(w.text))
      .filter(Boolean);
    // The sentence in logical order, its number as one left-to-right unit; drawn from left to
    // right that is the units in reverse, each Arabic-script word's letters in reverse (pdftotext
    // gives glyphs as they lie on the page), the digit groups in their own order.
    const template = locales.i18n.getResource(lang, 'bot', 'poster.sms') as string;
    const units = template.split(/\s+/).map((w) => (w.includes('{{number}}') ? NUMBER_GROUPS : [[...bare(w)].reverse().join('')]));
    expect(line).toEqual(units.reverse().flat().filter(Boolean));
    // Right-aligned: the line ends at the right margin.
    expect(Math.max(...drawn.filter((w) => Math.abs(w.yMin - first!.yMin) < 3).map((w) => w.xMax))).toBeGreaterThan(595.28 - 56 - 2);
  });

  (haveArabicOcr ? test : process.env.CI === 'true' ? test : test.skip)(
    'OCR reads the Arabic title and invitation back in logical order; the same text drawn by pdfkit alone does not read back',
    () => {
      expect(haveArabicOcr).toBe(true);
      const inOrder = (read: string, expected: string) => ` ${words(read).join(' ')} `.includes(` ${words(expected).join(' ')} `);
      const read = ocr(pagePng(file, 1, 200), 'ara');
      expect({ read, title: inOrder(read, title('ar')) }).toEqual({ read, title: true });
      expect({ read, invitation: inOrder(read, invitation('ar')[1]) }).toEqual({ read, invitation: true });

      // The control: pdfkit's own text() shapes word by word but puts the words left to right, so
      // the check above would fail on it.
      const naive = path.join(dir, 'naive.pdf');
      const doc = new PDFDocument({ size: 'A4', margin: 56 });
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.font(findFamily('NotoNaskhArabic').bold).fontSize(30).text(title('ar'), { align: 'right' });
      doc.font(findFamily('NotoNaskhArabic').regular).fontSize(17).text(invitation('ar')[1], { align: 'right' });
      doc.end();
      return new Promise<void>((resolve) => doc.on('end', resolve)).then(() => {
        fs.writeFileSync(naive, Buffer.concat(chunks));
        const wrong = ocr(pagePng(naive, 1, 200), 'ara');
        expect(inOrder(wrong, title('ar'))).toBe(false);
        expect(inOrder(wrong, invitation('ar')[1])).toBe(false);
      });
    },
  );
});

test('every character of every locale’s page has a glyph in the fonts that page is set in', () => {
  const pages = posterPages(texts, { surveyId: 'housing-help', languages: locales.tags, baseUrl: BASE, source: SOURCE, smsNumbers: [NUMBER] });
  const fonts = new Map<string, fontkit.Font>();
  const font = (file: string) => fonts.get(file) ?? fonts.set(file, fontkit.openSync(file) as fontkit.Font).get(file)!;
  const uncovered = pages.flatMap((page) => {
    const family = familyOfScript(page.script);
    if (!family) return [`${page.lang}: no font family for the script ${page.script}`];
    const faces = [family, BASE_FAMILY].flatMap((f) => Object.values(findFamily(f)).map(font));
    const chars = [...[page.title, ...page.invitation, page.link, page.sms ?? ''].join('')].filter((ch) => !/[\p{Cf}\s]/u.test(ch));
    return [...new Set(chars)].filter((ch) => !faces.some((f) => f.hasGlyphForCodePoint(ch.codePointAt(0)!))).map((ch) => `${page.lang}: ${ch}`);
  });
  expect(uncovered).toEqual([]);
});

/** The worker is compiled code (npm test builds first). */
const haveCompiled = fs.existsSync(POSTER_WORKER);
(haveCompiled || process.env.CI === 'true' ? withPoppler : describe.skip)('posters in a worker thread (the analyst route’s way)', () => {
  /** The longest the event loop went without running a timer while `work` ran. */
  async function longestStall(work: () => Promise<unknown>): Promise<number> {
    let last = performance.now();
    let longest = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
    return Math.max(longest, performance.now() - last);
  }

  test('draws the same pages off the event loop, which keeps running meanwhile; a missing font is still named', async () => {
    expect(haveCompiled).toBe(true);
    const pages = posterPages(texts, { surveyId: 'housing-help', languages: locales.tags, baseUrl: BASE, source: SOURCE, smsNumbers: [NUMBER] });
    await renderPosters(pages); // fonts and code warm, so that the comparison is of drawing alone
    const file = path.join(tempDir('posters-worker-'), 'worker.pdf');
    const apart = await longestStall(async () => fs.writeFileSync(file, await renderPostersApart(pages)));
    const inline = await longestStall(() => renderPosters(pages));
    expect(pageCount(file)).toBe(locales.tags.length);
    expect(decodeQr(pagePng(file, locales.tags.length, 72))).toBe(linkOf(locales.tags.at(-1)!));
    expect(apart).toBeLessThan(inline / 2);
    const empty = tempDir('no-fonts-');
    await expect(renderPostersApart(pages, { fontDirs: [empty] })).rejects.toMatchObject({
      name: 'FontMissingError',
      message: expect.stringMatching(/apt-get install fonts-noto-core/),
    });
  });
});

test('missing fonts are a clear error that names the Debian package', async () => {
  const empty = tempDir('no-fonts-');
  const pages = posterPages(texts, { surveyId: 'housing-help', languages: ['ti'], baseUrl: BASE, source: SOURCE, smsNumbers: [] });
  const failed = renderPosters(pages, { fontDirs: [empty] });
  await expect(failed).rejects.toThrow(FontMissingError);
  await expect(failed).rejects.toThrow(/NotoSansEthiopic-Regular\.ttf.*apt-get install fonts-noto-core/);
});

withPoppler('GET /api/analyst/posters', () => {
  let s: AnalystServer;
  let admin: string;
  let analyst: string;
  beforeAll(async () => {
    s = await startAnalystServer({ responses: 20 });
    admin = await s.token('poster-admin', 'admin');
    analyst = await s.token('reader');
    await s.store.setSmsRoute(NUMBER, 'housing-help');
  });
  afterAll(() => s.close());
  const get = (query: string, token: string) => request(`${s.url}/api/analyst/posters${query}`, { token, headers: { 'accept-language': 'en' } });

  test('gives admins the PDF: a page per language, links to where they reached the server, the SMS number; audited', async () => {
    const r = await get('?survey=housing-help&lang=ar,so&source=housing-office-leaflet', admin);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="housing-help-v1-posters.pdf"');
    const file = path.join(tempDir('posters-api-'), 'p.pdf');
    fs.writeFileSync(file, r.bytes);
    expect(pageCount(file)).toBe(2);
    expect(decodeQr(pagePng(file, 1, 100))).toBe(linkOf('ar', s.url, 'housing-office-leaflet'));
    expect(decodeQr(pagePng(file, 2, 100))).toBe(linkOf('so', s.url, 'housing-office-leaflet'));
    expect(pageText(file, 2)).toContain(NUMBER_GROUPS.join(' '));
    const audit = (await request(`${s.url}/api/analyst/audit`, { token: admin })).body.entries as {
      action: string;
      outcome: string;
      filters: Record<string, string>;
    }[];
    expect(audit.find((e) => e.action === 'GET /api/analyst/posters')).toMatchObject({
      outcome: 'ok',
      filters: { survey: 'housing-help', lang: 'ar,so', source: 'housing-office-leaflet' },
    });
  });

  test('draws one PDF at a time: a second request meanwhile is told to come back', async () => {
    const both = await Promise.all([get('', admin), get('', admin)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 503]);
    const busy = both.find((r) => r.status === 503)!;
    expect(busy.headers.get('retry-after')).toBe('5');
    expect(busy.body.error).toBe('busy');
    expect((await get('?lang=nb', admin)).status).toBe(200);
  });

  test('is for admins only, and says what is wrong with a request', async () => {
    expect((await get('?survey=housing-help', analyst)).status).toBe(403);
    const cases: [string, string][] = [
      ['?survey=housing-help&lang=ar,xx', 'bad_parameter'],
      ['?survey=housing-help&source=a%20b', 'bad_parameter'],
      ['?survey=nope', 'unknown_survey'],
      ['?survey=housing-help&size=A3', 'unknown_parameter'],
      ['?lang=ar&lang=so', 'repeated_parameter'],
    ];
    for (const [query, error] of cases) {
      const r = await get(query, admin);
      expect({ query, status: r.status, error: r.body?.error }).toEqual({ query, status: 400, error });
      expect(typeof r.body.message).toBe('string');
    }
    expect((await get('?survey=housing-help&lang=ar,xx', admin)).body.message).toContain('“lang” must be one of');
    // A closed survey gets no posters: they would send people to a survey that has ended.
    await new SurveyRegistry(s.store, locales).close('resident-participation');
    const closed = await get('?survey=resident-participation', admin);
    expect([closed.status, closed.body.error]).toEqual([400, 'survey_closed']);
    expect(closed.body.message).toContain('resident-participation');
  });
});

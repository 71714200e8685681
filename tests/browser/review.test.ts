import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src/paths';
import { AnalystServer, locales, responsesLike, startAnalystServer } from '../analyst/helpers';
import { insertIntoSqlite } from '../helpers/population';

/**
 * The free-text review page in a real browser (issue 20): a reviewer signs in on the dashboard,
 * opens the review page, selects words in an answer with the mouse's own selection API and
 * redacts them, approves one answer and deletes another; the store holds exactly those decisions.
 * An Arabic answer is laid out right to left. Skipped where /usr/bin/chromium is missing.
 */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
const WAIT_MS = 15000;

if (!haveChromium) {
  if (process.env.REQUIRE_BROWSER === '1') test('the review page in a real browser', () => expect(`${CHROMIUM} is missing`).toBe('installed'));
  else test.skip(`the review page in a real browser: skipped, ${CHROMIUM} is missing (apt-get install -y chromium)`, () => undefined);
}

declare const document: any;
declare const window: any;

const t = (key: string) => locales.i18n.t(`analyst:review.${key}`, { lng: 'en' }) as string;

(haveChromium ? describe : describe.skip)('the free-text review page in Chromium', () => {
  let server: AnalystServer;
  let browser: Browser;
  let reviewer: string;

  beforeAll(async () => {
    server = await startAnalystServer({ responses: 0 });
    // Eight answers: one Arabic, the others Norwegian, each naming a place a reviewer may take out.
    const base = responsesLike(
      (await import('../helpers/population')).generatePopulation((await import('../analyst/helpers')).survey, 40, { seed: 2, unfinished: 0 }),
      8,
      { status: 'completed' },
    );
    insertIntoSqlite(
      server.file,
      base.map((r, i) => ({
        ...r,
        answers: r.answers
          .filter((a) => a.questionId !== 'what_helped')
          .concat({
            questionId: 'what_helped',
            iteration: '',
            value: i === 0 ? 'ساعدني الموظف في مكتب NAV في شارع المدرسة' : `svar ${i}: tolken på kontoret i Storgata ${i} hjalp oss`,
            language: i === 0 ? 'ar' : 'nb',
            fallback: false,
            notUnderstood: 0,
          }),
      })),
    );
    reviewer = await server.token('browser-reviewer', 'reviewer');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of (401|404)/.test(m.text())) errors.push(m.text());
    });
    await page.goto(`${server.url}/analyst`);
    await page.locator('#token').waitFor({ state: 'visible', timeout: WAIT_MS });
    await page.fill('#token', reviewer);
    await page.click('#login-form button[type=submit]');
    await page.locator('#app').waitFor({ state: 'visible', timeout: WAIT_MS });
    // The dashboard names the role and links a reviewer to the review page.
    expect(await page.locator('#whoami').innerText()).toContain(locales.i18n.t('analyst:dashboard.roles.reviewer', { lng: 'en' }) as string);
    await page.click('#review-link');
    await page.waitForURL(`${server.url}/analyst/review`, { timeout: WAIT_MS });
    await page.locator('.review-item').first().waitFor({ state: 'visible', timeout: WAIT_MS });
    return { page, errors };
  }

  test('signed out, the page says so and links to the dashboard', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/analyst/review`);
    await page.locator('#signed-out').waitFor({ state: 'visible', timeout: WAIT_MS });
    expect(await page.locator('#signed-out').innerText()).toContain(t('signed_out'));
    expect(await page.locator('#queue').isHidden()).toBe(true);
    await page.close();
  });

  test('a reviewer redacts a selected span, approves one answer and deletes another; the store holds exactly that', async () => {
    const { page, errors } = await signedIn();
    const items = page.locator('.review-item');
    // Municipality answers are free text too: every completed text answer waits here.
    const pending = await server.store.freeTextItems({ surveyId: 'housing-help', state: 'pending', limit: 1000 });
    expect(await items.count()).toBe(pending.length);
    expect(await page.locator('#counts').innerText()).toContain(`${pending.length} waiting`);

    // The Arabic answer is laid out right to left.
    const arabic = page.locator('.review-item .text[lang=ar]');
    expect(await arabic.evaluate((el: any) => window.getComputedStyle(el).direction)).toBe('rtl');

    // Select "Storgata 3" in one Norwegian answer, as a mouse selection would, and redact it.
    const target =
      pending.find((p) => p.text.includes('Storgata') && !p.text.includes('<ADDRESS>')) ??
      pending.find((p) => p.questionId === 'what_helped' && p.language === 'nb')!;
    const word = target.text.includes('Storgata') ? 'Storgata' : 'tolken';
    const li = page.locator(`.review-item[data-item="${target.id}"]`);
    await li.locator('.text').evaluate((el: any, w: string) => {
      const walker = document.createTreeWalker(el, 4);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf(w);
        if (at >= 0) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + w.length);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
          return;
        }
      }
      throw new Error(`${w} not on the page`);
    }, word);
    await li.locator('button[data-action=redact]').click();
    await li.locator('mark', { hasText: '<REDACTED>' }).waitFor({ timeout: WAIT_MS });
    expect(await li.locator('.text').innerText()).not.toContain(word);
    await li.locator('button[data-action=approve]').click();
    await li.locator('.status', { hasText: t('done.approve') }).waitFor({ timeout: WAIT_MS });
    expect(await li.locator('button[data-action=approve]').count()).toBe(0);

    // Delete another, confirming the browser's dialog.
    const other = pending.find((p) => p.id !== target.id)!;
    page.once('dialog', (d) => void d.accept());
    const otherLi = page.locator(`.review-item[data-item="${other.id}"]`);
    await otherLi.locator('button[data-action=delete]').click();
    await otherLi.locator('.status', { hasText: t('done.delete') }).waitFor({ timeout: WAIT_MS });
    expect(await otherLi.locator('button').count()).toBe(0);

    const after = await server.store.freeTextItem(target.id);
    expect(after).toMatchObject({ state: 'approved' });
    expect(after!.text).toBe(target.text.replace(word, '<REDACTED>'));
    expect(await server.store.freeTextItem(other.id)).toMatchObject({ state: 'deleted', text: '' });
    expect(await server.store.freeTextCounts('housing-help')).toEqual({ pending: pending.length - 2, approved: 1, deleted: 1 });
    await page.screenshot({ path: path.join(projectRoot, 'test-results', 'review-page.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 60000);
});

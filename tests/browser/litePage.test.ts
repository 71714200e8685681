import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DirectLineTokens } from '../../src/channels/directline/tokens';
import { projectRoot } from '../../src/paths';
import { optionsOf } from '../../src/survey/definition';
import { askedStep, TEST_SECRET, texts } from '../helpers/harness';
import { startTestServer, TestServer } from '../helpers/http';

/**
 * The light chat page (the default at `/` and `/s/<survey>`) in a real browser: Debian's Chromium
 * driven by playwright-core, on a phone-sized screen. Web Chat's page has tests/browser/webchat.test.ts.
 */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
const SCREENSHOTS = path.join(projectRoot, 'test-results');
const PHONE = { width: 360, height: 740 };
const TURN_TIMEOUT_MS = 10000;

if (!haveChromium) {
  if (process.env.REQUIRE_BROWSER === '1') test(`the light page in a real browser`, () => expect(`${CHROMIUM} is missing`).toBe('installed'));
  else test.skip(`the light page in a real browser: skipped, ${CHROMIUM} is missing (install it with apt-get install -y chromium)`, () => undefined);
}

// Browser globals for the functions that run in the page (the project compiles without the DOM library).
declare const document: any;
declare const window: any;
declare function getComputedStyle(element: unknown): { direction: string };

type Action = { click: string } | { type: string };

const botMessages = '#transcript .msg.bot';

/** Every prompt a turn can end with, in `lng`: a turn is over when its last message has one. */
function promptLines(lng: string): string[] {
  const lines = [
    texts.s(lng, 'consent.ask'),
    texts.s(lng, 'thanks.where_help'),
    texts.t(lng, 'bot:language.menu'),
    ...texts.locales.list.map((l) => texts.t(l.tag, 'bot:language.confirm', { endonym: l.endonym })),
  ];
  for (const item of texts.survey.items) {
    if (item.type !== 'repeat') lines.push(texts.s(lng, `questions.${item.id}.text`));
    else {
      const source = texts.survey.items.find((i) => i.type !== 'repeat' && i.id === item.forEach);
      const areas = source && source.type !== 'repeat' ? optionsOf(source) : [];
      for (const q of item.questions) for (const a of areas) lines.push(texts.s(lng, `questions.${q.id}.text`, { area: texts.optionLabel(lng, a) }));
    }
  }
  return lines;
}

/** Waits until the transcript shows its newest message, as the page keeps it scrolled to the end, and takes a picture. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    () => {
      const e = document.getElementById('chat');
      return e.scrollTop + e.clientHeight >= e.scrollHeight - 2;
    },
    undefined,
    { timeout: TURN_TIMEOUT_MS },
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, name) });
}

async function lastBotText(page: Page): Promise<string> {
  return page.locator(botMessages).last().innerText();
}

/** Presses a button or types an answer, and waits for the bot's whole answer (its last message a prompt). */
async function act(page: Page, lng: string, action: Action | undefined): Promise<string> {
  const before = action ? await page.locator(botMessages).count() : 0;
  if (action && 'click' in action) await page.locator('#actions').getByRole('button', { name: action.click, exact: true }).click();
  else if (action) {
    await page.locator('#send-text').fill(action.type);
    await page.locator('#send-text').press('Enter');
  }
  await page.waitForFunction(
    ({ selector, before, prompts }) => {
      const shown = document.querySelectorAll(selector);
      if (shown.length <= before) return false;
      const lines = (shown[shown.length - 1].innerText as string).split('\n').map((l) => l.trim());
      return prompts.some((p) => lines.includes(p));
    },
    { selector: botMessages, before, prompts: promptLines(lng) },
    { timeout: TURN_TIMEOUT_MS },
  );
  return lastBotText(page);
}

const yes = (lng: string) => ({ click: texts.optionLabel(lng, 'yes') });
const no = (lng: string) => ({ click: texts.optionLabel(lng, 'no') });
const option = (lng: string, id: string) => ({ click: texts.optionLabel(lng, id) });

/** The short way through the survey (no housing help needed), by buttons and typing. */
const plans: Record<string, Record<string, Action>> = {
  nb: {
    needed_help: no('nb'),
    situation: option('nb', 'rent_private'),
    children: no('nb'),
    background: option('nb', 'born_norway'),
    age_band: option('nb', 'age_36_50'),
    municipality: { type: 'Bergen' },
    what_helped: { type: 'Raskere svar fra kommunen' },
  },
  ar: {
    needed_help: no('ar'),
    situation: option('ar', 'friends_family'),
    children: yes('ar'),
    background: option('ar', 'born_abroad'),
    // Arabic-Indic digits, as an Arabic phone keyboard types them.
    years_in_norway: { type: '١٢' },
    age_band: option('ar', 'age_26_35'),
    municipality: { type: 'أوسلو' },
    what_helped: { type: 'مترجم في مكتب البلدية' },
  },
};

(haveChromium ? describe : describe.skip)('the light chat page in Chromium on a phone-sized screen', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer({ SURVEY_SECRET: TEST_SECRET, DIRECTLINE_TOKENS_PER_MINUTE: '0', DIRECTLINE_CONVERSATIONS_PER_MINUTE: '0' });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 30000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh context in `locale` that records every request it makes and every CSP violation. */
  async function openPage(
    locale: string,
    at = '/',
    seed?: Record<string, string>,
  ): Promise<{ page: Page; context: BrowserContext; requests: string[]; violations: () => Promise<string[]>; close(): Promise<void> }> {
    const context = await browser.newContext({ locale, viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    await context.addInitScript(() => {
      const seen: string[] = [];
      window.cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e: { violatedDirective: string; blockedURI: string }) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    if (seed)
      await context.addInitScript((items: Record<string, string>) => {
        if (window.sessionStorage.getItem('test.seeded')) return;
        window.sessionStorage.setItem('test.seeded', '1');
        for (const [k, v] of Object.entries(items)) window.sessionStorage.setItem(k, v);
      }, seed);
    const page = await context.newPage();
    await page.goto(`${server.url}${at}`);
    return {
      page,
      context,
      requests,
      violations: () => page.evaluate(() => window.cspViolations as string[]),
      close: async () => {
        expect(await context.cookies()).toEqual([]);
        await context.close();
      },
    };
  }

  async function expectPageLanguage(page: Page, lng: string): Promise<void> {
    await page.waitForFunction((tag: string) => document.documentElement.lang === tag, lng, { timeout: TURN_TIMEOUT_MS });
    const dir = texts.meta(lng).dir;
    expect(await page.evaluate(() => document.documentElement.dir)).toBe(dir);
    expect(await page.locator('#send-box').evaluate((e) => getComputedStyle(e).direction)).toBe(dir);
    expect(await page.title()).toBe(texts.t(lng, 'bot:web.title'));
    expect(await page.locator('#survey-privacy').innerText()).toBe(texts.t(lng, 'bot:web.privacy'));
    expect(await page.locator('#send-text').getAttribute('placeholder')).toBe(texts.t(lng, 'bot:web.placeholder'));
    expect(await page.locator('#send-button').innerText()).toBe(texts.t(lng, 'bot:web.send'));
  }

  /** The bot speaks from the start side (left in ltr, right in rtl), the respondent from the end side. */
  async function expectSides(page: Page, dir: 'ltr' | 'rtl'): Promise<void> {
    const list = (await page.locator('#transcript').boundingBox())!;
    const bot = (await page.locator(botMessages).last().boundingBox())!;
    const user = (await page.locator('#transcript .msg.user').last().boundingBox())!;
    const left = (b: { x: number }) => Math.abs(b.x - list.x) < 2;
    const right = (b: { x: number; width: number }) => Math.abs(b.x + b.width - (list.x + list.width)) < 2;
    if (dir === 'ltr') expect([left(bot), right(user)]).toEqual([true, true]);
    else expect([right(bot), left(user)]).toEqual([true, true]);
  }

  test.each([
    ['nb', 'nb-NO'],
    ['ar', 'ar'],
  ])(
    'a whole survey by buttons and typing in %s (browser language %s), nothing loaded from elsewhere',
    async (lng, browserLocale) => {
      const before = new Set((await server.bot.store.listResponses()).map((r) => r.id));
      const { page, requests, violations, close } = await openPage(browserLocale);
      try {
        // Greeted in the browser's language, from the page itself.
        expect(await act(page, lng, undefined)).toContain(texts.t(lng, 'bot:language.confirm', { endonym: texts.meta(lng).endonym }));
        expect((await page.locator(botMessages).allInnerTexts()).join('\n')).toContain(texts.greeting(lng));
        await expectPageLanguage(page, lng);
        await screenshot(page, `lite-${lng}-1-greeting.png`);

        expect(await act(page, lng, { click: texts.t(lng, 'bot:language.confirm_yes') })).toContain(texts.s(lng, 'consent.ask'));
        let reply = await act(page, lng, yes(lng));
        const asked: string[] = [];
        for (let step = askedStep(lng, reply); step; step = askedStep(lng, reply)) {
          if (!(step in plans[lng])) throw new Error(`asked ${step}, which the ${lng} plan does not answer`);
          asked.push(step);
          if (asked.length === 3) {
            await expectSides(page, texts.meta(lng).dir);
            await screenshot(page, `lite-${lng}-2-question.png`);
            // A reload continues the same conversation (sessionStorage), shown again from its start.
            const shown = await page.locator(botMessages).count();
            await page.reload();
            await page.waitForFunction(({ s, n }) => document.querySelectorAll(s).length >= n, { s: botMessages, n: shown }, { timeout: TURN_TIMEOUT_MS });
            expect(askedStep(lng, await lastBotText(page))).toBe(step);
          }
          reply = await act(page, lng, plans[lng][step]);
        }
        expect(asked.sort()).toEqual(Object.keys(plans[lng]).sort());
        expect(reply).toContain(texts.s(lng, 'thanks.where_help'));
        await expectPageLanguage(page, lng);
        // Each message once: the echo of what the respondent sent is not shown a second time.
        // The language confirmation, the consent and one answer per question.
        expect(await page.locator('#transcript .msg.user').count()).toBe(2 + asked.length);
        expect(await page.locator('#transcript .msg.user.pending').count()).toBe(0);
        expect(await page.evaluate(() => document.documentElement.scrollWidth as number)).toBeLessThanOrEqual(PHONE.width);
        await screenshot(page, `lite-${lng}-3-done.png`);
        expect(await violations()).toEqual([]);
        expect(requests.filter((u) => !u.startsWith(`${server.url}/`))).toEqual([]);
        expect(requests.filter((u) => /\/assets\/webchat/.test(u))).toEqual([]);

        const created = (await server.bot.store.listResponses()).filter((r) => !before.has(r.id));
        expect(created).toHaveLength(1);
        expect(created[0]).toMatchObject({ status: 'completed', channel: 'web', language: lng });
        expect(created[0].answers).toHaveLength(asked.length);
      } finally {
        await close();
      }
    },
    90000,
  );

  test('choosing Arabic in the chat turns the page right to left', async () => {
    const { page, violations, close } = await openPage('en-US');
    try {
      await act(page, 'en', undefined);
      await expectPageLanguage(page, 'en');
      await act(page, 'en', { click: texts.t('en', 'bot:language.other') });
      expect(await act(page, 'ar', { click: texts.meta('ar').endonym })).toContain(texts.s('ar', 'consent.ask'));
      await expectPageLanguage(page, 'ar');
      await expectSides(page, 'rtl');
      expect(await violations()).toEqual([]);
    } finally {
      await close();
    }
  }, 30000);

  test('the greeting is on screen before the script arrives, its buttons waiting for it', async () => {
    const context = await browser.newContext({ locale: 'nb-NO', viewport: PHONE });
    await context.route('**/assets/lite.js*', (route) => route.abort());
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/`);
      expect(await lastBotText(page)).toContain(texts.t('nb', 'bot:language.confirm', { endonym: texts.meta('nb').endonym }));
      expect(await page.locator('#actions button').first().isDisabled()).toBe(true);
    } finally {
      await context.close();
    }
  });

  test('a message the server cannot take says so in Arabic and is sent again, once, on request; a lost connection is shown and recovers', async () => {
    const before = new Set((await server.bot.store.listResponses()).map((r) => r.id));
    const { page, context, violations, close } = await openPage('ar');
    try {
      await act(page, 'ar', undefined);
      // The database is away for one post: Direct Line answers 503, as it does then (directLine.ts).
      let refused = 0;
      await context.route('**/v3/directline/conversations/*/activities?*', async (route) => {
        if (route.request().method() !== 'POST' || refused++ > 0) return route.continue();
        await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'ServiceUnavailable', message: '' } }) });
      });
      await page
        .locator('#actions')
        .getByRole('button', { name: texts.t('ar', 'bot:language.confirm_yes'), exact: true })
        .click();
      const note = page.locator('#transcript .msg-failed');
      const [, said, retry] = /^([^[]*)\[([^\]]+)\]\[RETRY\]/.exec(texts.t('ar', 'bot:web.sendFailed'))!;
      await note.waitFor({ timeout: TURN_TIMEOUT_MS });
      expect(await note.innerText()).toContain(said.trim());
      await screenshot(page, 'lite-ar-send-failed.png');
      const count = await page.locator(botMessages).count();
      await note.getByRole('button', { name: retry, exact: true }).click();
      await page.waitForFunction(({ s, n }) => document.querySelectorAll(s).length > n, { s: botMessages, n: count }, { timeout: TURN_TIMEOUT_MS });
      expect(await lastBotText(page)).toContain(texts.s('ar', 'consent.ask'));
      expect(await note.count()).toBe(0);
      expect(await page.locator('#transcript .msg.user').count()).toBe(1);

      // Offline for a while: the page says so in its language, and goes on when the network is back.
      await context.setOffline(true);
      await page
        .locator('#actions')
        .getByRole('button', { name: texts.optionLabel('ar', 'yes'), exact: true })
        .click();
      await page.waitForFunction((text: string) => document.getElementById('status').innerText === text, texts.t('ar', 'bot:web.unreachable'), {
        timeout: TURN_TIMEOUT_MS,
      });
      await context.setOffline(false);
      await page.locator('#transcript .msg-failed button').click();
      await page.waitForFunction(() => document.getElementById('status').innerText === '', undefined, { timeout: 30000 });
      expect(askedStep('ar', await lastBotText(page))).toBe('needed_help');
      expect(await violations()).toEqual([]);
      const created = (await server.bot.store.listResponses()).filter((r) => !before.has(r.id));
      expect(created).toHaveLength(1);
    } finally {
      await close();
    }
  }, 60000);

  test.each([
    ['tampered', 'nb', 'nb-NO'],
    ['expired', 'ar', 'ar'],
  ])(
    'a %s token says so in the page language (%s), and a new conversation starts on request',
    async (kind, lng, browserLocale) => {
      const tokens = new DirectLineTokens(TEST_SECRET);
      const { token, claims } = tokens.issueNew();
      const bad = kind === 'tampered' ? `${token.slice(0, -4)}AAAA` : tokens.sign({ ...claims, iat: claims.iat - 7200, exp: claims.iat - 3600 });
      const seed = { 'survey.lite': JSON.stringify({ conversationId: claims.conv, token: bad, watermark: '0' }) };
      const { page, violations, close } = await openPage(browserLocale, '/', seed);
      try {
        const status = page.locator('#status');
        await page.waitForFunction((text: string) => document.getElementById('status').innerText.includes(text), texts.t(lng, 'bot:web.expired'), {
          timeout: TURN_TIMEOUT_MS,
        });
        expect(await page.locator('#send-text').isDisabled()).toBe(true);
        await screenshot(page, `lite-${kind}-token-${lng}.png`);
        await status.getByRole('button', { name: texts.t(lng, 'bot:web.restart'), exact: true }).click();
        expect(await act(page, lng, undefined)).toContain(texts.t(lng, 'bot:language.confirm', { endonym: texts.meta(lng).endonym }));
        expect(await page.locator('#send-text').isDisabled()).toBe(false);
        const stored = JSON.parse(await page.evaluate(() => window.sessionStorage.getItem('survey.lite') as string));
        expect(stored.conversationId).not.toBe(claims.conv);
        expect(await violations()).toEqual([]);
      } finally {
        await close();
      }
    },
    30000,
  );
});

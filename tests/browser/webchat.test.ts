import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src/paths';
import { optionsOf } from '../../src/survey/definition';
import { SurveyCatalog } from '../../src/registry/surveyCatalog';
import { Texts } from '../../src/language/texts';
import { askedStep, texts } from '../helpers/harness';

const defaultTexts = texts;
import { startTestServer, TestServer } from '../helpers/http';

/**
 * The respondent's page in a real browser: Debian's Chromium driven by playwright-core (Playwright's
 * own browser download does not work offline). CI installs it (`apt-get install -y chromium`); on
 * a machine without it these tests are skipped, not failed.
 */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
const SCREENSHOTS = path.join(projectRoot, 'test-results');
const PHONE = { width: 360, height: 740 };
const TURN_TIMEOUT_MS = 10000;

if (!haveChromium) {
  // .ci/run sets REQUIRE_BROWSER=1: there a missing browser fails, rather than passing unseen.
  if (process.env.REQUIRE_BROWSER === '1') test(`Web Chat in a real browser`, () => expect(`${CHROMIUM} is missing`).toBe('installed'));
  else test.skip(`Web Chat in a real browser: skipped, ${CHROMIUM} is missing (install it with apt-get install -y chromium)`, () => undefined);
}

/** What the respondent does at a step: press a suggested-action button, or type in the send box. */
type Action = { click: string } | { type: string };

/** The lines that end a turn: every prompt the bot can finish a turn with, in `lng`. */
function promptLines(lng: string, texts: Texts = defaultTexts): string[] {
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

const botBubbles = '.webchat__bubble:not(.webchat__bubble--from-user)';

// The functions given to page.evaluate and page.waitForFunction run inside the page. The project
// compiles without TypeScript's DOM library (it would retype Node's timers everywhere), so the few
// browser globals they use are declared here, for this file only.
declare const document: any;
declare const window: any;
declare function getComputedStyle(element: unknown): { direction: string; overflowY: string };

/** The text of the bot's last message on screen. */
async function lastBotText(page: Page): Promise<string> {
  return page.locator(botBubbles).last().innerText();
}

/**
 * Does one thing and waits, on Web Chat's DOM, for the bot's whole answer: more bot messages than
 * before, the last of them a prompt. A turn's replies arrive in one poll (one outbox
 * transaction), so when its prompt is on screen the rest of the turn is too.
 */
async function act(page: Page, lng: string, action: Action | undefined, t: Texts = texts): Promise<string> {
  // Without an action this waits for the greeting, which may already be on screen.
  const before = action ? await page.locator(botBubbles).count() : 0;
  if (action && 'click' in action) {
    await page.locator('.webchat__suggested-actions').getByRole('button', { name: action.click, exact: true }).click();
  } else if (action) {
    const input = page.locator('.webchat__send-box-text-box__input');
    await input.fill(action.type);
    await input.press('Enter');
  }
  await page.waitForFunction(
    ({ selector, before, prompts }) => {
      const bubbles = document.querySelectorAll(selector);
      if (bubbles.length <= before) return false;
      const lines = (bubbles[bubbles.length - 1].innerText as string).split('\n').map((l) => l.trim());
      return prompts.some((p) => lines.includes(p));
    },
    { selector: botBubbles, before, prompts: promptLines(lng, t) },
    { timeout: TURN_TIMEOUT_MS },
  );
  return lastBotText(page);
}

/** Waits until the transcript shows its newest message: Web Chat keeps it scrolled to the end. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    () => {
      const e = document.querySelector('.webchat__basic-transcript__scrollable');
      return e && e.scrollTop + e.clientHeight >= e.scrollHeight - 2;
    },
    undefined,
    { timeout: TURN_TIMEOUT_MS },
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, name) });
}

const yes = (lng: string) => ({ click: texts.optionLabel(lng, 'yes') });
const no = (lng: string) => ({ click: texts.optionLabel(lng, 'no') });
const option = (lng: string, id: string) => ({ click: texts.optionLabel(lng, id) });

const plans: Record<string, Record<string, Action>> = {
  // Every kind of input: buttons for single choices and scales, typing for multiple choices and text.
  nb: {
    needed_help: yes('nb'),
    situation: option('nb', 'rent_private'),
    help_areas: { type: '6' },
    'help_got[housing_allowance]': option('nb', 'partly'),
    'who_helped[housing_allowance]': { type: '1' },
    info_language: yes('nb'),
    interpreter: option('nb', 'not_needed'),
    understood_letters: { click: '4' },
    respect: { click: '5' },
    barriers: { type: '8' },
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

(haveChromium ? describe : describe.skip)('the web page in Chromium on a phone-sized screen', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer();
    const { chromium } = await import('playwright-core');
    // launch() gives every run a fresh temporary profile (--user-data-dir), so nothing carries over.
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

  /** A fresh browser context (no storage) in `locale`, with CSP violations recorded. */
  async function openPage(locale: string, at = '/?ui=webchat'): Promise<{ page: Page; violations: () => Promise<string[]>; close(): Promise<void> }> {
    const context = await browser.newContext({ locale, viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e: { violatedDirective: string; blockedURI: string }) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const page = await context.newPage();
    await page.goto(`${server.url}${at}`);
    return {
      page,
      violations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
      close: async () => {
        expect(await context.cookies()).toEqual([]);
        await context.close();
      },
    };
  }

  async function expectPageLanguage(page: Page, lng: string): Promise<void> {
    const meta = texts.meta(lng);
    await page.waitForFunction((tag: string) => document.documentElement.lang === tag, lng, { timeout: TURN_TIMEOUT_MS });
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).direction)).toBe(meta.dir);
    expect(await page.locator('.webchat__send-box').getAttribute('dir')).toBe(meta.dir);
    expect(await page.title()).toBe(texts.t(lng, 'bot:web.title'));
    const privacy = page.locator('#survey-privacy');
    await expect(privacy.isVisible()).resolves.toBe(true);
    expect(await privacy.innerText()).toBe(texts.t(lng, 'bot:web.privacy'));
  }

  // The two surveys run side by side (separate contexts, separate conversations): the page polls
  // once a second, so a survey is mostly waiting.
  test.concurrent.each([
    ['nb', 'nb-NO'],
    ['ar', 'ar'],
  ])(
    'a whole survey by buttons and typing in %s (browser language %s)',
    async (lng, browserLocale) => {
      const before = new Set((await server.bot.store.listResponses()).map((r) => r.id));
      const { page, violations, close } = await openPage(browserLocale);
      try {
        // Greeted in the browser's language before typing anything.
        const greeting = await act(page, lng, undefined);
        expect(greeting).toContain(texts.t(lng, 'bot:language.confirm', { endonym: texts.meta(lng).endonym }));
        await expectPageLanguage(page, lng);
        await screenshot(page, `webchat-${lng}-1-greeting.png`);

        expect(await act(page, lng, { click: texts.t(lng, 'bot:language.confirm_yes') })).toContain(texts.s(lng, 'consent.ask'));
        let reply = await act(page, lng, yes(lng));
        const asked: string[] = [];
        for (let step = askedStep(lng, reply); step; step = askedStep(lng, reply)) {
          if (!(step in plans[lng])) throw new Error(`asked ${step}, which the ${lng} plan does not answer`);
          asked.push(step);
          if (asked.length === 3) {
            await screenshot(page, `webchat-${lng}-2-question.png`);
            if (lng === 'nb') {
              // A reload continues the same conversation (token in sessionStorage, reconnect).
              const shown = await page.locator(botBubbles).count();
              await page.reload();
              await page.waitForFunction(({ s, n }) => document.querySelectorAll(s).length >= n, { s: botBubbles, n: shown }, { timeout: TURN_TIMEOUT_MS });
              expect(askedStep(lng, await lastBotText(page))).toBe(step);
            }
          }
          reply = await act(page, lng, plans[lng][step]);
        }
        expect(asked.sort()).toEqual(Object.keys(plans[lng]).sort());
        expect(reply).toContain(texts.s(lng, 'thanks.where_help'));
        await expectPageLanguage(page, lng);
        // Nothing wider than the phone: no sideways scrolling.
        expect(await page.evaluate(() => document.documentElement.scrollWidth as number)).toBeLessThanOrEqual(PHONE.width);
        // The transcript scrolls (react-scroll-to-bottom's styles survived the CSP).
        expect(await page.locator('.webchat__basic-transcript__scrollable').evaluate((e) => getComputedStyle(e).overflowY)).toBe('auto');
        await screenshot(page, `webchat-${lng}-3-done.png`);
        expect(await violations()).toEqual([]);

        const created = (await server.bot.store.listResponses()).filter((r) => !before.has(r.id) && r.language === lng);
        expect(created).toHaveLength(1);
        expect(created[0]).toMatchObject({ status: 'completed', channel: 'web', language: lng });
        expect(created[0].answers).toHaveLength(asked.length);
      } finally {
        await close();
      }
    },
    60000,
  );

  test('a token the server refuses (tampered, from an old tab) is dropped and a new conversation starts', async () => {
    const generated = (await (await fetch(`${server.url}/v3/directline/tokens/generate`, { method: 'POST' })).json()) as {
      token: string;
      conversationId: string;
    };
    const forged = `${generated.token.slice(0, -4)}AAAA`;
    const context = await browser.newContext({ locale: 'nb-NO', viewport: PHONE });
    // Seeded once: init scripts run again on the reload the page does to start over.
    await context.addInitScript(
      ({ token, conversationId }) => {
        if (window.sessionStorage.getItem('test.seeded')) return;
        window.sessionStorage.setItem('test.seeded', '1');
        window.sessionStorage.setItem('survey.directline', JSON.stringify({ token, conversationId }));
      },
      { token: forged, conversationId: generated.conversationId },
    );
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/?ui=webchat`);
      expect(await act(page, 'nb', undefined)).toContain(texts.t('nb', 'bot:language.confirm', { endonym: texts.meta('nb').endonym }));
      const stored = JSON.parse(await page.evaluate(() => window.sessionStorage.getItem('survey.directline') as string));
      expect(stored.conversationId).not.toBe(generated.conversationId);
      expect(stored.token).not.toBe(forged);
    } finally {
      await context.close();
    }
  }, 30000);

  test('choosing Arabic in the chat turns the page right-to-left, Web Chat included', async () => {
    const { page, violations, close } = await openPage('en-US');
    try {
      await act(page, 'en', undefined);
      await expectPageLanguage(page, 'en');
      await act(page, 'en', { click: texts.t('en', 'bot:language.other') });
      expect(await act(page, 'ar', { click: texts.meta('ar').endonym })).toContain(texts.s('ar', 'consent.ask'));
      await expectPageLanguage(page, 'ar');
      await screenshot(page, 'webchat-switch-to-ar.png');
      expect(await violations()).toEqual([]);
    } finally {
      await close();
    }
  }, 30000);
  test("a survey's start link (/s/resident-participation?lang=so) opens that survey in Somali, whatever the browser's language", async () => {
    const catalog = new SurveyCatalog(server.bot.store, texts.locales, { defaultLocale: 'nb', defaultSurvey: 'housing-help', refreshMs: 0 });
    const rp = await catalog.textsFor('resident-participation', 1);
    const before = new Set((await server.bot.store.listResponses()).map((r) => r.id));
    const { page, violations, close } = await openPage('en-US', '/s/resident-participation?lang=so&ui=webchat');
    try {
      const greeting = await act(page, 'so', undefined, rp);
      expect((await page.locator(botBubbles).allInnerTexts()).join('\n')).toContain(rp.greeting('so'));
      expect(greeting).toContain(rp.t('so', 'bot:language.confirm', { endonym: rp.meta('so').endonym }));
      await expectPageLanguage(page, 'so');
      expect(await act(page, 'so', { click: rp.t('so', 'bot:language.confirm_yes') }, rp)).toContain(rp.s('so', 'consent.ask'));
      let reply = await act(page, 'so', { click: rp.optionLabel('so', 'yes') }, rp);
      const answers: Record<string, Action> = {
        housing_offer: { click: rp.optionLabel('so', 'yes') },
        took_part: { click: rp.optionLabel('so', 'partly') },
        listened_to: { click: '3' },
        safe_home: { click: rp.optionLabel('so', 'yes') },
        easy_to_move: { click: rp.optionLabel('so', 'no') },
        background: { click: rp.optionLabel('so', 'born_abroad') },
        age_band: { type: '2' },
        what_would_help: { type: rp.words.keyword('so', 'skip') },
      };
      const asked: string[] = [];
      for (let guard = 0; guard < 12 && !reply.includes(rp.s('so', 'thanks.where_help')); guard++) {
        const step = Object.keys(answers).find((q) => reply.split('\n').includes(rp.s('so', `questions.${q}.text`)));
        if (!step) throw new Error(`no question of the survey in: ${reply}`);
        asked.push(step);
        reply = await act(page, 'so', answers[step], rp);
      }
      expect(asked).toEqual(Object.keys(answers));
      await screenshot(page, 'webchat-resident-participation-so.png');
      expect(await violations()).toEqual([]);
      const created = (await server.bot.store.listResponses()).filter((r) => !before.has(r.id));
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ surveyId: 'resident-participation', surveyVersion: 1, status: 'completed', channel: 'web', language: 'so' });
      expect(created[0].answers.find((a) => a.questionId === 'took_part')?.value).toBe('partly');
    } finally {
      await close();
    }
  }, 60000);
});

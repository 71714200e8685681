/**
 * `npm run bench:slow-phone`: the web chat on a cheap phone on a bad connection. Chromium (Debian's,
 * headless) with DevTools' "Slow 3G" network (2 s round trips, 50 kB/s each way) and 4× CPU
 * throttling opens the respondent's page and waits for the bot's first greeting, for both pages in
 * the same run: the light page (`/`, the default) and Bot Framework Web Chat (`/?ui=webchat`).
 * Printed per page: the bytes of the first load as served (compressed), per file, and the time to
 * the greeting, with two baselines: the same page unthrottled, and under the same throttling Web
 * Chat's page with only its HTML loaded (the floor the network itself sets); then the light page's
 * ratios to Web Chat. Targets (issue 21): first load ≤ 350 kB, greeting ≤ 5 s.
 */
import fs from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { tempDir, TEST_SECRET } from '../helpers/harness';
import { startBotProcess } from '../helpers/process';

const CHROMIUM = '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// DevTools' preset: 400 kbit/s × 0.8 each way, 400 ms × 5 latency.
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: 50_000, uploadThroughput: 50_000 };

declare const document: { querySelectorAll(s: string): { length: number } };

interface Load {
  ms: number;
  /** Until the page takes an answer. */
  readyMs: number;
  /** From pressing the first button to the bot's next message. */
  answerMs: number;
  bytes: number;
  files: Map<string, number>;
}

/** The two pages, and how each shows a message from the bot. */
const PAGES = {
  // `ready`: when the respondent can answer. The light page shows its greeting before its script
  // has arrived, and enables its buttons and send box when it has; Web Chat shows both at once.
  // `button`: the first suggested action, pressed to time one answer (post, then the bot's reply).
  light: { path: '/', greeting: '#transcript .msg.bot', ready: '#send-text:enabled', button: '#actions button' },
  webchat: {
    path: '/?ui=webchat',
    greeting: '.webchat__bubble:not(.webchat__bubble--from-user)',
    ready: '.webchat__send-box-text-box__input:enabled',
    button: '.webchat__suggested-actions button',
  },
} as const;
type PageName = keyof typeof PAGES;

async function measure(page: Page, cdp: CDPSession, url: string, what?: (typeof PAGES)[PageName]): Promise<Load> {
  const greeting = what?.greeting;
  const ready = what?.ready;
  const files = new Map<string, number>();
  const urls = new Map<string, string>();
  cdp.on('Network.responseReceived', (e: { requestId: string; response: { url: string } }) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    const u = urls.get(e.requestId);
    // The page's own files; Web Chat's blob: URLs are made in the page, not loaded.
    if (u && !u.startsWith('blob:') && new URL(u).origin === new URL(url).origin)
      files.set(new URL(u).pathname, (files.get(new URL(u).pathname) ?? 0) + e.encodedDataLength);
  });
  const started = Date.now();
  // From the first byte on: the light page has its greeting in the HTML, on screen before its
  // script has loaded; waiting for `load` first would time the script, not the greeting.
  await page.goto(url, { waitUntil: greeting ? 'commit' : 'load', timeout: 120000 });
  if (greeting) await page.waitForFunction((selector) => document.querySelectorAll(selector).length > 0, greeting, { timeout: 120000 });
  const ms = Date.now() - started;
  if (ready) await page.waitForFunction((selector) => document.querySelectorAll(selector).length > 0, ready, { timeout: 120000 });
  const readyMs = Date.now() - started;
  // The bytes are those of the whole first load, whenever it ends.
  await page.waitForLoadState('load', { timeout: 120000 });
  // Only the first load: Direct Line polls after the greeting are not part of it.
  let bytes = 0;
  for (const [p, n] of files) if (!p.startsWith('/v3/directline')) bytes += n;
  let answerMs = 0;
  if (what) {
    const before = await page.locator(what.greeting).count();
    const pressed = Date.now();
    await page.locator(what.button).first().click({ timeout: 120000 });
    await page.waitForFunction(
      ({ selector, before }) => document.querySelectorAll(selector).length > before,
      { selector: what.greeting, before },
      { timeout: 120000 },
    );
    answerMs = Date.now() - pressed;
  }
  return { ms, readyMs, answerMs, bytes, files };
}

async function main(): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const bot = await startBotProcess({
    DATA_DIR: tempDir(),
    SURVEY_SECRET: TEST_SECRET,
    DIRECTLINE_TOKENS_PER_MINUTE: '0',
    DIRECTLINE_CONVERSATIONS_PER_MINUTE: '0',
  });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const run = async (throttled: boolean, name: PageName, htmlOnly = false): Promise<Load> => {
    const context = await browser.newContext({ locale: 'nb-NO', viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttled) {
      await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    }
    if (htmlOnly) await page.route('**/assets/**', (route) => route.abort());
    try {
      return await measure(page, cdp, `${bot.url}${PAGES[name].path}`, htmlOnly ? undefined : PAGES[name]);
    } finally {
      await context.close();
    }
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  try {
    const slow: Record<PageName, Load[]> = { light: [], webchat: [] };
    const fast: Record<PageName, Load[]> = { light: [], webchat: [] };
    const floor: Load[] = [];
    // Interleaved, so that a slower moment of the machine falls on both pages alike.
    for (let i = 0; i < RUNS; i++) {
      for (const name of ['light', 'webchat'] as const) {
        fast[name].push(await run(false, name));
        slow[name].push(await run(true, name));
      }
      floor.push(await run(true, 'webchat', true));
    }
    const h = median(floor.map((l) => l.ms));
    const result = {} as Record<PageName, { bytes: number; slow: number; fast: number }>;
    for (const name of ['light', 'webchat'] as const) {
      const first = slow[name][0];
      const s = median(slow[name].map((l) => l.ms));
      const f = median(fast[name].map((l) => l.ms));
      result[name] = { bytes: first.bytes, slow: s, fast: f };
      console.log(`${name === 'light' ? 'Light page (/)' : 'Web Chat (/?ui=webchat)'}`);
      console.log(`  First load as served (compressed), ${(first.bytes / 1000).toFixed(1)} kB in all (target ≤ 350 kB):`);
      for (const [p, n] of [...first.files].filter(([p]) => !p.startsWith('/v3/directline')).sort((a, b) => b[1] - a[1]))
        console.log(`    ${p.padEnd(24)} ${(n / 1000).toFixed(1)} kB`);
      console.log(`  Greeting on screen, median of ${RUNS}:`);
      console.log(`    Slow 3G + 4× CPU      ${(s / 1000).toFixed(1)} s (target ≤ 5 s)`);
      console.log(`    unthrottled           ${(f / 1000).toFixed(2)} s   ratio ${(s / f).toFixed(1)}×`);
      console.log(`    ready to answer, Slow 3G + 4× CPU  ${(median(slow[name].map((l) => l.readyMs)) / 1000).toFixed(1)} s`);
      console.log(`    one answer (button to reply), Slow 3G + 4× CPU  ${(median(slow[name].map((l) => l.answerMs)) / 1000).toFixed(1)} s`);
      console.log(`    vs Web Chat's HTML alone, Slow 3G (${(h / 1000).toFixed(1)} s, the network's floor): ${(s / h).toFixed(1)}×`);
    }
    const { light, webchat } = result;
    console.log('Light page vs Web Chat:');
    console.log(`  bytes           ${(light.bytes / webchat.bytes).toFixed(3)}× (${(webchat.bytes / light.bytes).toFixed(0)} times smaller)`);
    console.log(`  greeting, slow  ${(light.slow / webchat.slow).toFixed(2)}× (${(webchat.slow / light.slow).toFixed(1)} times sooner)`);
    console.log(`  greeting, fast  ${(light.fast / webchat.fast).toFixed(2)}×`);
  } finally {
    await browser.close();
    await bot.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/**
 * `npm run bench:slow-phone`: the web chat on a cheap phone on a bad connection. Chromium (Debian's,
 * headless) with DevTools' "Slow 3G" network (2 s round trips, 50 kB/s each way) and 4× CPU
 * throttling opens the respondent's page and waits for the bot's first greeting. Printed: the
 * bytes of the first load as served (compressed), per file, and the time to the greeting, with
 * two baselines started in the same run: the same page unthrottled, and under the same throttling
 * a page of the same server that only loads its HTML (the floor the network itself sets).
 * Targets (issue 21): first load ≤ 350 kB, greeting ≤ 5 s.
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
  bytes: number;
  files: Map<string, number>;
}

async function measure(page: Page, cdp: CDPSession, url: string, untilGreeting: boolean): Promise<Load> {
  const files = new Map<string, number>();
  const urls = new Map<string, string>();
  cdp.on('Network.responseReceived', (e: { requestId: string; response: { url: string } }) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    const u = urls.get(e.requestId);
    // The page's own files; Web Chat's blob: URLs are made in the page, not loaded.
    if (u && new URL(u).origin === new URL(url).origin) files.set(new URL(u).pathname, (files.get(new URL(u).pathname) ?? 0) + e.encodedDataLength);
  });
  const started = Date.now();
  await page.goto(url, { waitUntil: 'load', timeout: 120000 });
  if (untilGreeting)
    await page.waitForFunction(() => document.querySelectorAll('.webchat__bubble:not(.webchat__bubble--from-user)').length > 0, undefined, { timeout: 120000 });
  const ms = Date.now() - started;
  // Only the first load: Direct Line polls after the greeting are not part of it.
  let bytes = 0;
  for (const [p, n] of files) if (!p.startsWith('/v3/directline')) bytes += n;
  return { ms, bytes, files };
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
  const run = async (throttled: boolean, what: 'page' | 'html'): Promise<Load> => {
    const context = await browser.newContext({ locale: 'nb-NO', viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttled) {
      await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    }
    if (what === 'html') await page.route('**/assets/**', (route) => route.abort());
    try {
      return await measure(page, cdp, `${bot.url}/`, what === 'page');
    } finally {
      await context.close();
    }
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  try {
    const slow: Load[] = [];
    const fast: Load[] = [];
    const floor: Load[] = [];
    for (let i = 0; i < RUNS; i++) {
      fast.push(await run(false, 'page'));
      slow.push(await run(true, 'page'));
      floor.push(await run(true, 'html'));
    }
    const first = slow[0];
    console.log(`First load as served (compressed), ${(first.bytes / 1000).toFixed(0)} kB in all (target ≤ 350 kB):`);
    for (const [p, n] of [...first.files].filter(([p]) => !p.startsWith('/v3/directline')).sort((a, b) => b[1] - a[1]))
      console.log(`  ${p.padEnd(24)} ${(n / 1000).toFixed(1)} kB`);
    const s = median(slow.map((l) => l.ms));
    const f = median(fast.map((l) => l.ms));
    const h = median(floor.map((l) => l.ms));
    console.log(`Greeting on screen, median of ${RUNS}:`);
    console.log(`  Slow 3G + 4× CPU      ${(s / 1000).toFixed(1)} s (target ≤ 5 s)`);
    console.log(`  unthrottled           ${(f / 1000).toFixed(2)} s   ratio ${(s / f).toFixed(1)}×`);
    console.log(`  HTML alone, Slow 3G   ${(h / 1000).toFixed(1)} s   ratio ${(s / h).toFixed(1)}× (the network's floor)`);
  } finally {
    await browser.close();
    await bot.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

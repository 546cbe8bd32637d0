import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO, runCli } from './support/cli.js';
import { realClockEnv } from './support/env.js';
import { CHROMIUM as CHROMIUM_TOOL, describeWith } from './support/tools.js';
import { fileClockConfig, serveDir, startServe, writeState, type Served } from './support/serve.js';

/** The page's document, as the functions run in the browser (page.evaluate, waitForFunction) see it. */
declare const document: {
  getElementById(id: string): { textContent: string | null } | null;
  querySelector(selector: string): { textContent: string | null } | null;
  documentElement: { scrollWidth: number };
};

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUTPUT = join(REPO, 'test-results');

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const hm = (seconds: number) => `${Math.floor(seconds / 3600)}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}`;

/**
 * serve's clock starts here (--at; it keeps ticking): a Wednesday afternoon, so "a day ago" and
 * "today" are in the same week whenever the suite runs (on a Monday just after midnight they were not).
 */
const AT = Date.parse('2026-11-18T15:00:00Z');

/** Finished entries of this week so far (UTC): a day ago and today. */
function entries(now: number) {
  return [
    { id: 'one', start: iso(now - 26 * 3600_000), end: iso(now - 24.5 * 3600_000), project: { key: 'acme', name: 'Acme', client: 'Acme Corp', color: '#06aaf5' }, billable: true },
    { id: 'two', start: iso(now - 3 * 3600_000), end: iso(now - 2 * 3600_000 - 15 * 60_000), project: { key: 'oss', name: 'Open source', color: '#2da608' } },
  ];
}

interface Snapshot {
  week: { start: string; totalSeconds: number; billableSeconds: number };
  days: { date: string; totalSeconds: number }[];
}

describeWith([CHROMIUM_TOOL], 'dash-cli serve: the web dashboard in a real Chromium', () => {
  const home = serveDir();
  const { config, state } = fileClockConfig(home.dir);
  const profile = mkdtempSync(join(tmpdir(), 'dash-chromium-'));
  const now = AT;
  const began = Date.now();
  /** serve's clock: AT plus the time since the test started it. */
  const serveNow = () => AT + (Date.now() - began);
  let served: Served;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    writeState(state, { entries: entries(now), running: null });
    served = await startServe(['--config', config, '--at', iso(AT)], { env: home.env, cwd: home.dir });
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 1000 }, env: realClockEnv() });
    page = context.pages()[0] ?? (await context.newPage());
  });
  afterAll(async () => {
    await context?.close();
    await served?.stop();
    home.cleanup();
    rmSync(profile, { recursive: true, force: true });
  });

  it('without the token: a sign-in message and no data', async () => {
    const response = await page.goto(`${served.base}/`);
    expect(response?.status()).toBe(401);
    await expect(page.getByTestId('sign-in').textContent()).resolves.toContain('needs its token');
    expect(await page.locator('#week-total').count()).toBe(0);
  });

  it('with it: the address loses the token, and the page shows the totals snapshot --json prints', async () => {
    await page.goto(served.url);
    expect(page.url()).toBe(`${served.base}/`);
    await page.waitForSelector('#week-total[data-seconds]');
    const cli = await runCli(['snapshot', '--json', '--config', config, '--at', iso(serveNow())], { env: { TZ: 'UTC' } });
    const snapshot = JSON.parse(cli.stdout) as Snapshot;
    expect(Number(await page.getAttribute('#week-total', 'data-seconds'))).toBe(snapshot.week.totalSeconds);
    expect(Number(await page.getAttribute('#billable-total', 'data-seconds'))).toBe(snapshot.week.billableSeconds);
    expect(await page.textContent('#week-total')).toContain(`Tracked ${hm(snapshot.week.totalSeconds)} of 40:00`);
    const dayTotals = await page.getByTestId('day-total').allTextContents();
    expect(dayTotals.map((text) => text.split(' ')[0])).toEqual(snapshot.days.map((day) => hm(day.totalSeconds)));
    await expect(page.textContent('#clock')).resolves.toContain('Not clocked in');
    await expect(page.textContent('#sources')).resolves.toContain('clock: ok');
  });

  it('clocking in shows within 2 s, without a reload, and the timer ticks', async () => {
    const marker = await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = Math.random()));
    const started = Date.now();
    writeState(state, { entries: entries(now), running: { id: 'live', start: iso(serveNow() - 65_000), end: null, project: { key: 'acme', name: 'Acme' }, billable: true } });
    await page.waitForSelector('#clock[data-state="in"]', { timeout: 2_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await page.evaluate(() => (globalThis as unknown as { marker: number }).marker)).toBe(marker);
    const first = await page.getByTestId('timer').textContent();
    await page.waitForFunction((before) => document.querySelector('[data-testid="timer"]')?.textContent !== before, first, { timeout: 2_500 });
    expect(await page.textContent('#last-event')).toContain('clocked in: Acme');
  });

  it('keyboard: ← shows last week, t comes back; a focused day lists its entries', async () => {
    const thisWeek = await page.textContent('#week-label');
    await page.locator('body').press('ArrowLeft');
    await page.waitForFunction((before) => document.getElementById('week-label')?.textContent !== before, thisWeek);
    expect(await page.textContent('#week-label')).not.toContain('this week');
    await page.locator('body').press('t');
    await page.waitForFunction(() => document.getElementById('week-label')?.textContent?.includes('this week'));
    const today = new Date(now).toISOString().slice(0, 10);
    await page.locator(`article[data-date="${today}"]`).focus();
    await page.waitForSelector('#detail table');
    expect(await page.textContent('#detail')).toContain('Open source');
  });

  it('reconnects after serve restarts, and shows changes again', async () => {
    const port = new URL(served.base).port;
    await served.stop();
    await page.waitForFunction(() => document.getElementById('conn')?.textContent === 'reconnecting…', undefined, { timeout: 5_000 });
    writeState(state, { entries: entries(now), running: null });
    served = await startServe(['--config', config, '--port', port, '--at', iso(serveNow())], { env: home.env, cwd: home.dir });
    await page.waitForSelector('#clock[data-state="out"]', { timeout: 8_000 });
    await page.waitForFunction(() => document.getElementById('conn')?.textContent === 'live');
  });

  it('the demo week: fits a phone; screenshots for the reviewer', async () => {
    const demoHome = serveDir();
    const demo = await startServe(['--demo'], { env: demoHome.env, cwd: demoHome.dir });
    try {
      await page.goto(demo.url);
      await page.waitForSelector('#clock[data-state="in"]');
      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: join(OUTPUT, 'serve-demo-week.png'), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(100);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(OUTPUT, 'serve-demo-week-phone.png'), fullPage: true });
      if (process.env.DASH_UPDATE_DOCS_SCREENSHOT === '1') copyFileSync(join(OUTPUT, 'serve-demo-week.png'), join(REPO, 'docs', 'serve-dashboard.png'));
    } finally {
      await page.setViewportSize({ width: 1280, height: 1000 });
      await demo.stop();
      demoHome.cleanup();
    }
  });
});

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { cleanupTemps } from '../helpers/cli.js';
import { devProject, startDev, stopAllDevs } from './helpers.js';

/** `cht dev`'s page in chromium: it follows the builds in place, keeps the reader's view, shows errors over the last good report. */

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stopAllDevs();
  cleanupTemps();
});

const buildId = (page: Page) => page.locator('[data-build]').getAttribute('data-build-id').then(Number);

async function waitForBuild(page: Page, after: number): Promise<number> {
  await expect.poll(() => buildId(page), { timeout: 30_000, interval: 20 }).toBeGreaterThan(after);
  return buildId(page);
}

const ancStarts = (page: Page) => page.$$eval('[data-contact-row][data-contact-id="w-2"] [data-task-window]', (els) => els.map((e) => e.getAttribute('data-start')).sort());

describe('cht dev in the browser', () => {
  it('updates the page in place on save, marks what moved, keeps the view, and shows errors over the last good report', async () => {
    const dir = devProject();
    const dev = await startDev([`--source=${dir}`, '--from=2024-05-01', '--to=2024-08-31', '--port=0']);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems: string[] = [];
    const origin = new URL(dev.url).origin;
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => { if (!r.url().startsWith(origin)) problems.push(`request ${r.url()}`); });
    await page.goto(`${dev.url}#day=2024-06-15`);
    await page.waitForSelector('[data-build][data-status="ok"]');
    expect(await buildId(page)).toBe(1);
    expect(await ancStarts(page)).toEqual(['2024-05-15', '2024-06-26', '2024-07-24', '2024-08-21']);
    // The reader's view: a day, a contact search.
    await page.fill('input[type="search"], input[placeholder*="name"]', 'Otieno');
    const searchBefore = await page.inputValue('input[type="search"], input[placeholder*="name"]');

    const tasks = path.join(dir, 'tasks.js');
    const original = readFileSync(tasks, 'utf8');
    const saved = Date.now();
    writeFileSync(tasks, original.replace('dueDate: ancVisitDueDate(weeks),\n    start: 7,', 'dueDate: ancVisitDueDate(weeks),\n    start: 10,'));
    const second = await waitForBuild(page, 1);
    await expect.poll(() => page.locator('[data-task-window][data-change="moved"]').count(), { timeout: 30_000, interval: 20 }).toBe(4);
    const tookMs = Date.now() - saved;
    expect(second).toBe(2);
    expect(await ancStarts(page)).toEqual(['2024-05-12', '2024-06-23', '2024-07-21', '2024-08-18']);
    expect(await page.locator('[data-changes]').getAttribute('data-moved')).toBe('4');
    // The view stayed: same day, same search, same URL hash.
    expect(await page.locator('[data-day-summary]').getAttribute('data-date')).toBe('2024-06-15');
    expect(await page.inputValue('input[type="search"], input[placeholder*="name"]')).toBe(searchBefore);
    expect(new URL(page.url()).hash).toContain('day=2024-06-15');

    // Broken: the diagnostic in the page with its file and line; the last good report stays, dimmed.
    appendFileSync(tasks, '\nmodule.exports.push({ name: \n');
    await page.waitForSelector('[data-build][data-status="error"]', { timeout: 30_000 });
    const diagnostic = page.locator('[data-diagnostic][data-severity="error"]').first();
    expect(await diagnostic.getAttribute('data-file')).toBe('tasks.js');
    expect(Number(await diagnostic.getAttribute('data-line'))).toBeGreaterThan(200);
    expect(await diagnostic.textContent()).toContain('tasks.js:');
    expect(await ancStarts(page)).toEqual(['2024-05-12', '2024-06-23', '2024-07-21', '2024-08-18']);
    expect(await page.locator('.live-report.is-stale').count()).toBe(1);

    // Fixed: the diagnostics go, the report is current again.
    writeFileSync(tasks, original);
    await page.waitForSelector('[data-build][data-status="ok"]', { timeout: 30_000 });
    expect(await page.locator('[data-diagnostic]').count()).toBe(0);
    await expect.poll(() => page.locator('[data-task-window][data-change="moved"]').count(), { timeout: 30_000, interval: 20 }).toBe(4);
    expect(await ancStarts(page)).toEqual(['2024-05-15', '2024-06-26', '2024-07-24', '2024-08-21']);

    // The fixtures change: the page follows them too (a new report shifts a task).
    const fixtures = path.join(dir, 'harness.defaults.json');
    const before = await buildId(page);
    writeFileSync(fixtures, readFileSync(fixtures, 'utf8').replace(/"hh-b"/g, '"hh-b"'));
    appendFileSync(fixtures, '\n');
    expect(await waitForBuild(page, before)).toBeGreaterThan(before);

    expect(problems).toEqual([]);
    console.log(`cht dev: save to page updated (moved windows marked) in ${tookMs} ms`);
    await page.close();
    dev.child.kill('SIGTERM');
    expect(await dev.exited).toBe(0);
  }, 120_000);
});

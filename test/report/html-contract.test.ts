import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderByDueDate } from '../../src/report/html/report-data.js';
import { launchChromium } from '../helpers/browser.js';
import { cleanupTemps, fixture, runCht, tempDir } from '../helpers/cli.js';
import { populationFile } from '../helpers/dry-run.js';

/**
 * The page's DOM contract (README "The report's DOM contract") against the --json output of the same run and
 * dry-run-targets --month --json, in Debian's chromium: the report's counts and ids are the dry-run's.
 */

interface JsonTask { state: string; owner: string; emission: { _id: string; startDate?: string; endDate?: string; dueDate?: string } }
interface JsonDay { date: string; tasks: JsonTask[] }

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  cleanupTemps();
});

interface Report { file: string; days: JsonDay[]; args: string[] }

async function report(args: string[]): Promise<Report> {
  const file = path.join(tempDir(), 'report.html');
  const r = await runCht([...args, '--format=html', `--output=${file}`]);
  expect(r.code, r.stderr).toBe(0);
  const json = await runCht([...args, '--json']);
  expect(json.code, json.stderr).toBe(0);
  return { file, days: (JSON.parse(json.stdout) as { days: JsonDay[] }).days, args };
}

/** Opens the report at `hash`, failing the test on any console error, page error or request leaving the page. */
async function open(r: Report, hash = ''): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const url = pathToFileURL(r.file).href;
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (q) => { if (q.url().split('#')[0] !== url) problems.push(`request: ${q.url()}`); });
  await page.goto(`${url}${hash}`);
  await page.waitForSelector('[data-day-summary]');
  return { page, problems };
}

const ready = (day: JsonDay) => day.tasks.filter((t) => t.state === 'Ready');

async function expectDay(page: Page, day: JsonDay): Promise<void> {
  const summary = page.locator('[data-day-summary]');
  await expect.poll(() => summary.getAttribute('data-date')).toBe(day.date);
  expect(await summary.getAttribute('data-ready')).toBe(String(ready(day).length));
  const rows = await page.$$eval('[data-day-task]', (els) => els.map((e) => [e.getAttribute('data-id'), e.getAttribute('data-owner'), e.tagName, (e.textContent ?? '').trim().length > 0]));
  // The Tasks tab's order: the rules engine's (view) order, then cht-core's orderByDueDate.
  const expected = [...ready(day)].sort((a, b) => orderByDueDate(a.emission, b.emission)).map((t) => [t.emission._id, t.owner, 'TR', true]);
  expect(rows).toEqual(expected);
}

/** Every window (emission, owner, start, end, due) of a contact over the run, from --json. */
function windowsOf(days: JsonDay[], owner: string): string[] {
  const set = new Set<string>();
  for (const day of days) {
    for (const t of ready(day)) {
      if (t.owner === owner) set.add([t.emission._id, t.owner, t.emission.startDate, t.emission.endDate, t.emission.dueDate, 'Ready'].join('|'));
    }
  }
  return [...set].sort();
}

async function expectContact(page: Page, days: JsonDay[], owner: string): Promise<void> {
  const row = page.locator(`[data-contact-row][data-contact-id="${owner}"]`);
  await expect.poll(() => row.count()).toBe(1);
  const windows = await row.locator('[data-task-window]').evaluateAll((els) => els.map((e) =>
    ['id', 'owner', 'start', 'end', 'due', 'state'].map((a) => e.getAttribute(`data-${a}`)).join('|')));
  expect([...new Set(windows)].sort()).toEqual(windowsOf(days, owner));
  expect(windows.length).toBe(new Set(windows).size);
}

async function expectTargets(page: Page, r: Report, months: string[]): Promise<void> {
  const source = r.args.filter((a) => a.startsWith('--source') || a.startsWith('--fixtures'));
  for (const month of months) {
    const t = await runCht([...source, 'dry-run-targets', `--month=${month}`, '--json']);
    const expected = (JSON.parse(t.stdout) as { targets: { id: string; value: { pass: number; total: number } }[] }).targets
      .map((x) => [x.id, month, String(x.value.pass), String(x.value.total)]);
    const got = await page.$$eval(`[data-target][data-month="${month}"]`, (els) =>
      els.map((e) => ['id', 'month', 'pass', 'total'].map((a) => e.getAttribute(`data-${a}`))));
    expect(got).toEqual(expected);
  }
}

describe('the HTML report in chromium: its DOM contract equals the dry-run', () => {
  it('on the example app: the first day with tasks, other days by #day, contacts by #contact, targets by month', async () => {
    const r = await report([`--source=${fixture('example-app')}`, 'dry-run-tasks', '--from=2024-05-01', '--to=2024-08-31']);
    const html = readFileSync(r.file, 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy"/);
    const { page, problems } = await open(r);
    await expectDay(page, r.days.find((d) => ready(d).length > 0)!);
    await expectTargets(page, r, ['2024-05', '2024-06', '2024-07', '2024-08']);
    for (const date of ['2024-05-20', '2024-06-15', '2024-08-31']) {
      await page.goto(`${pathToFileURL(r.file).href}#day=${date}`);
      await expectDay(page, r.days.find((d) => d.date === date)!);
    }
    const owners = [...new Set(r.days.flatMap((d) => ready(d).map((t) => t.owner)))];
    expect(owners.length).toBeGreaterThan(1);
    for (const owner of owners) {
      const p = await open(r, `#contact=${encodeURIComponent(owner)}`);
      await expectContact(p.page, r.days, owner);
      expect(p.problems).toEqual([]);
      await p.page.close();
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('on a generated population of 1,000 contacts over two months', async () => {
    const fixtures = populationFile(1000, 13);
    const r = await report([`--source=${fixture('example-app')}`, 'dry-run-tasks', `--fixtures=${fixtures}`, '--from=2024-03-01', '--to=2024-04-30']);
    const { page, problems } = await open(r, '#day=2024-03-15');
    await expectDay(page, r.days.find((d) => d.date === '2024-03-15')!);
    await page.goto(`${pathToFileURL(r.file).href}#day=2024-04-30`);
    await expectDay(page, r.days.find((d) => d.date === '2024-04-30')!);
    await expectTargets(page, r, ['2024-03', '2024-04']);
    const owners = [...new Set(r.days.flatMap((d) => ready(d).map((t) => t.owner)))].filter((o) => o !== '_unassigned');
    // A few contacts from the start, the middle and the end of the population (the timeline is virtualised).
    for (const owner of [owners[0]!, owners[Math.floor(owners.length / 2)]!, owners[owners.length - 1]!]) {
      await page.goto(`${pathToFileURL(r.file).href}#contact=${encodeURIComponent(owner)}`);
      await expectContact(page, r.days, owner);
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);
});

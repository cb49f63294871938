// The report's page (web/report/) in a real browser: Debian's chromium through playwright-core, the page built
// by scripts/build-web.js from the current source, the data from the seeded generator (web/report/dev). The DOM
// contract (README, "The HTML report") is checked against what the data says, for several days, contacts and
// months. (The collector's tests check the same contract against --json on real dry-runs.)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { orderByDueDate, type ReportData } from '../../src/report/html/report-data.js';
import { reportHtml } from '../../src/report/html/write.js';
import { generateReportData } from '../../web/report/dev/generate.js';
import { withPage, type PageLog, screenshotColours } from '../helpers/browser.js';
import { ROOT } from '../helpers/cli.js';

// page.evaluate callbacks run in chromium, but this project is typed for Node (no DOM lib): the few browser
// globals they touch are declared here, for this module only.
interface El {
  matches(selector: string): boolean;
  getAttribute(name: string): string | null;
  closest(selector: string): El | null;
}
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { drawImage(img: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
declare const document: { activeElement: El | null; body: El; createElement(tag: 'canvas'): Canvas; querySelector(selector: string): El | null };
declare const location: { hash: string };
declare function requestAnimationFrame(fn: (t: number) => void): number;
declare function getComputedStyle(el: El): { backgroundColor: string };

beforeAll(() => {
  // Test the page as the source is now, not a dist/ left from an earlier build.
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-web.js')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-web failed:\n${r.stderr}`);
});

const READY_ONLY = generateReportData({ people: 240, from: '2024-05-01', days: 120, seed: 7 });
const ALL_STATES = generateReportData({ people: 120, from: '2024-05-01', days: 90, allStates: true, seed: 11 });

function clean(log: PageLog) {
  expect(log.consoleErrors).toEqual([]);
  expect(log.pageErrors).toEqual([]);
  expect(log.requests).toEqual([]);
}

/** The Tasks tab's order of a day, computed here as cht-core does it: view order, then orderByDueDate. */
function expectedDay(data: ReportData, date: string) {
  const day = data.days.find((d) => d.date === date)!;
  const list = day.ready.map((w) => ({ w, dueDate: data.windows[w]!.due }));
  return [...list].sort(orderByDueDate).map(({ w }) => ({ id: data.windows[w]!.id, owner: data.windows[w]!.ownerId }));
}

async function dayOnPage(page: Page) {
  const summary = page.locator('[data-day-summary]');
  return {
    date: await summary.getAttribute('data-date'),
    ready: Number(await summary.getAttribute('data-ready')),
    tasks: await page.$$eval('[data-day-task]', (rows) => rows.map((r) => ({ id: r.getAttribute('data-id'), owner: r.getAttribute('data-owner'), tag: r.tagName, inTable: !!r.closest('table'), text: r.textContent ?? '' }))),
  };
}

/** Every (window, state) of an owner, as the contract's [data-task-window] attributes. */
function expectedWindows(data: ReportData, owner: string) {
  const out: Record<string, string>[] = [];
  for (const w of data.windows) {
    if (w.ownerId !== owner) continue;
    const states = [...new Set(w.runs.map((r) => r[2]))];
    for (const state of states) out.push({ id: w.id, owner: w.ownerId, start: w.start, end: w.end, due: w.due, state });
  }
  const key = (x: Record<string, string>) => JSON.stringify(x);
  return out.map(key).sort();
}

async function windowsOnPage(page: Page, owner: string) {
  const row = page.locator(`[data-contact-row][data-contact-id="${owner.replace(/["\\]/g, '\\$&')}"]`);
  expect(await row.count()).toBe(1);
  const found = await row.locator('[data-task-window]').evaluateAll((els) =>
    els.map((e) => ({ id: e.getAttribute('data-id'), owner: e.getAttribute('data-owner'), start: e.getAttribute('data-start'), end: e.getAttribute('data-end'), due: e.getAttribute('data-due'), state: e.getAttribute('data-state') })),
  );
  return found.map((x) => JSON.stringify(x)).sort();
}

describe('the dry-run report page', () => {
  it('opens on the first day with Ready tasks, lists them in the Tasks tab order, and fetches nothing', async () => {
    const html = reportHtml(READY_ONLY);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
    const first = READY_ONLY.days.find((d) => d.ready.length > 0)!.date;
    await withPage(html, async (page, log) => {
      await page.waitForSelector('[data-day-summary]');
      const shown = await dayOnPage(page);
      expect(shown.date).toBe(first);
      const expected = expectedDay(READY_ONLY, first);
      expect(shown.ready).toBe(expected.length);
      expect(shown.tasks.map(({ id, owner }) => ({ id, owner }))).toEqual(expected);
      expect(shown.tasks.every((t) => t.tag === 'TR' && t.inTable)).toBe(true);
      clean(log);
    });
  });

  it('opens #day= links on several days: summary, ids, owners, order and translated titles', async () => {
    const data = READY_ONLY;
    const days = [data.days[3]!, data.days[40]!, data.days[77]!, data.days[data.days.length - 1]!];
    for (const day of days) {
      await withPage(reportHtml(data), async (page, log) => {
        await page.waitForSelector('[data-day-summary]');
        const shown = await dayOnPage(page);
        expect(shown.date).toBe(day.date);
        const expected = expectedDay(data, day.date);
        expect(shown.ready).toBe(day.ready.length);
        expect(shown.tasks.map(({ id, owner }) => ({ id, owner }))).toEqual(expected);
        // Due dates never go down the list (orderByDueDate), whatever the view order was.
        const dues = expected.map((e) => data.windows.find((w) => w.id === e.id)!.due);
        expect([...dues].sort()).toEqual(dues);
        // Each row shows its title: the translation when the key has one, the key itself otherwise.
        shown.tasks.forEach((t, i) => {
          const w = data.windows.find((x) => x.id === expected[i]!.id)!;
          const title = JSON.parse(data.strings[w.emission]!).title as string;
          expect(t.text).toContain(data.translations[title] ?? title);
        });
        clean(log);
      }, { hash: `#day=${day.date}` });
    }
  });

  it('#contact= puts that row and every one of its windows in the DOM, also far down a virtualised list', async () => {
    const data = generateReportData({ people: 1000, from: '2024-01-01', days: 365, seed: 5 });
    // An id that needs encoding in the hash.
    const odd = 'p 7/é&#x?';
    for (const w of data.windows) if (w.ownerId === 'p-7') w.ownerId = odd;
    data.contacts.find((c) => c.id === 'p-7')!.id = odd;
    const owners = [...new Set(data.windows.map((w) => w.ownerId))];
    const picks = [odd, owners[1]!, owners[Math.floor(owners.length / 2)]!, owners[owners.length - 2]!, '_unassigned'];
    await withPage(reportHtml(data), async (page, log) => {
      await page.waitForSelector('[data-contact-row]');
      // Virtualised: far fewer rows in the DOM than owners, while the counts shown are exact.
      const rendered = await page.locator('[data-contact-row]').count();
      expect(rendered).toBeLessThan(owners.length / 4);
      const count = page.locator('[data-timeline-count]');
      expect(Number(await count.getAttribute('data-rows'))).toBe(owners.length);
      expect(Number(await count.getAttribute('data-windows'))).toBe(data.windows.length);
      for (const owner of picks) {
        await page.evaluate((h) => (location.hash = h), `#contact=${encodeURIComponent(owner)}`);
        await page.waitForSelector(`[data-contact-row][data-contact-id="${owner.replace(/["\\]/g, '\\$&')}"]`);
        expect(await windowsOnPage(page, owner)).toEqual(expectedWindows(data, owner));
      }
      // Scrolled away from, the linked row stays in the DOM.
      const far = owners[owners.length - 2]!;
      await page.evaluate((h) => (location.hash = h), `#contact=${encodeURIComponent(far)}`);
      await page.waitForSelector(`[data-contact-row][data-contact-id="${far}"]`);
      await page.locator('.tl-scroll').evaluate((el) => el.scrollTo(0, 0));
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      expect(await page.locator('[data-contact-row]').first().getAttribute('data-contact-id')).not.toBe(far);
      expect(await windowsOnPage(page, far)).toEqual(expectedWindows(data, far));
      clean(log);
    });
  });

  it('draws one bar per window and state with --all-states, and says why a window shows or not on the day', async () => {
    const data = ALL_STATES;
    const owner = data.windows.find((w) => new Set(w.runs.map((r) => r[2])).size >= 2)!.ownerId;
    await withPage(reportHtml(data), async (page, log) => {
      await page.waitForSelector(`[data-contact-row][data-contact-id="${owner}"]`);
      const bars = await windowsOnPage(page, owner);
      expect(bars).toEqual(expectedWindows(data, owner));
      expect(bars.some((b) => !b.includes('"state":"Ready"'))).toBe(true);
      // A bar in a state other than Ready: its details give that day's state and the dry-run's reason.
      const w = data.windows.find((x) => x.ownerId === owner && x.runs.some((r) => r[2] !== 'Ready'))!;
      const run = w.runs.find((r) => r[2] !== 'Ready')!;
      const date = data.days[run[0]]!.date;
      await page.evaluate((h) => (location.hash = h), `#day=${date}&contact=${owner}`);
      await page.locator(`[data-contact-row][data-contact-id="${owner}"] [data-task-window][data-id="${w.id}"][data-state="${run[2]}"]`).click();
      const why = page.locator('[data-details] [data-why]');
      expect(await why.getAttribute('data-why-state')).toBe(run[2]);
      expect(await why.textContent()).toContain(data.strings[run[3]]!);
      // The state filter keeps the windows that were ever in that state, counted exactly.
      await page.keyboard.press('Escape');
      await page.evaluate((h) => (location.hash = h), '#');
      await page.getByLabel('Filter by state').selectOption('Failed');
      const failed = data.windows.filter((x) => x.runs.some((r) => r[2] === 'Failed'));
      await page.waitForFunction((n) => document.querySelector('[data-timeline-count]')?.getAttribute('data-windows') === String(n), failed.length);
      expect(Number(await page.locator('[data-timeline-count]').getAttribute('data-rows'))).toBe(new Set(failed.map((x) => x.ownerId)).size);
      clean(log);
    }, { hash: `#contact=${owner}` });
  });

  it('without --all-states, a day outside the Ready runs says only Ready days are known and suggests --all-states', async () => {
    const data = READY_ONLY;
    const w = data.windows.find((x) => x.runs[0]![0] > 5)!;
    const before = data.days[w.runs[0]![0] - 2]!.date;
    await withPage(reportHtml(data), async (page, log) => {
      await page.locator(`[data-contact-row][data-contact-id="${w.ownerId}"] [data-task-window][data-id="${w.id}"]`).click();
      const why = page.locator('[data-details] [data-why]');
      expect(await why.getAttribute('data-why-state')).toBe('');
      expect(await why.textContent()).toContain('--all-states');
      clean(log);
    }, { hash: `#day=${before}&contact=${w.ownerId}` });
  });

  it('#task= filters the timeline to that task, with exact counts', async () => {
    const data = READY_ONLY;
    const task = data.taskNames[2]!;
    const t = data.taskNames.indexOf(task);
    const windows = data.windows.filter((w) => w.task === t);
    const owners = new Set(windows.map((w) => w.ownerId));
    await withPage(reportHtml(data), async (page, log) => {
      const count = page.locator('[data-timeline-count]');
      await count.waitFor();
      expect(Number(await count.getAttribute('data-windows'))).toBe(windows.length);
      expect(Number(await count.getAttribute('data-rows'))).toBe(owners.size);
      const ids = await page.$$eval('[data-task-window]', (els) => els.map((e) => e.getAttribute('data-id')));
      expect(ids.length).toBeGreaterThan(0);
      const allowed = new Set(windows.map((w) => w.id));
      expect(ids.every((id) => allowed.has(id!))).toBe(true);
      clean(log);
    }, { hash: `#task=${encodeURIComponent(task)}` });
  });

  it('searches contacts with exact counts, and zooms to a week around the selected day', async () => {
    const data = READY_ONLY;
    const day = data.days[100]!;
    await withPage(reportHtml(data), async (page, log) => {
      const count = page.locator('[data-timeline-count]');
      await page.getByLabel('Search contacts').fill('person 1');
      const owners = new Set(data.windows.filter((w) => w.owner >= 0 && data.contacts[w.owner]!.name.toLowerCase().includes('person 1')).map((w) => w.ownerId));
      await page.waitForFunction((n) => document.querySelector('[data-timeline-count]')?.getAttribute('data-rows') === String(n), owners.size);
      const rows = await page.$$eval('[data-contact-row]', (els) => els.map((e) => e.getAttribute('data-contact-id')));
      expect(rows.every((id) => owners.has(id!))).toBe(true);
      expect(Number(await count.getAttribute('data-rows'))).toBe(owners.size);
      await page.getByLabel('Search contacts').fill('');
      const scroller = page.locator('.tl-scroll');
      const wholeSpan = await scroller.evaluate((el) => el.scrollWidth);
      await page.getByLabel('Zoom', { exact: true }).selectOption('7');
      const zoomed = await scroller.evaluate((el) => ({ left: el.scrollLeft, width: el.scrollWidth, client: el.clientWidth }));
      // A week fills the track: the span is about days/7 tracks wide, scrolled to the selected day.
      expect(zoomed.width).toBeGreaterThan(wholeSpan * 10);
      const dayX = (100 / data.days.length) * (zoomed.width - 220);
      expect(dayX).toBeGreaterThan(zoomed.left);
      expect(dayX).toBeLessThan(zoomed.left + zoomed.client);
      clean(log);
    }, { hash: `#day=${day.date}` });
  });

  it('has every month of every target in the DOM on load', async () => {
    const data = READY_ONLY;
    await withPage(reportHtml(data), async (page, log) => {
      await page.waitForSelector('[data-target]');
      const cells = await page.$$eval('[data-target]', (els) => els.map((e) => [e.getAttribute('data-id'), e.getAttribute('data-month'), e.getAttribute('data-pass'), e.getAttribute('data-total')].join(' ')));
      const expected = data.targets.flatMap((m) => m.targets.map((t) => [t.id, m.month, t.pass, t.total].join(' ')));
      expect(cells.sort()).toEqual(expected.sort());
      expect(data.targets.length).toBeGreaterThanOrEqual(4);
      clean(log);
    });
  });

  it('reaches a bar by keyboard, opens its details with Enter, moves between bars with the arrow keys', async () => {
    await withPage(reportHtml(READY_ONLY), async (page, log) => {
      await page.waitForSelector('[data-task-window]');
      let onBar = false;
      for (let i = 0; i < 300 && !onBar; i++) {
        await page.keyboard.press('Tab');
        onBar = await page.evaluate(() => document.activeElement?.matches('[data-task-window]') ?? false);
      }
      expect(onBar).toBe(true);
      const id = await page.evaluate(() => document.activeElement!.getAttribute('data-id'));
      const label = await page.evaluate(() => document.activeElement!.getAttribute('aria-label'));
      expect(label).toMatch(/ for .*: Ready /);
      await page.keyboard.press('Enter');
      const details = page.locator('[data-details]');
      await details.waitFor();
      expect(await details.getAttribute('data-id')).toBe(id);
      // Arrow keys: another bar of the next row gets the focus.
      const row = await page.evaluate(() => document.activeElement!.closest('[data-contact-row]')!.getAttribute('data-contact-id'));
      await page.keyboard.press('ArrowDown');
      const next = await page.evaluate(() => ({ bar: document.activeElement?.matches('[data-task-window]'), row: document.activeElement?.closest('[data-contact-row]')?.getAttribute('data-contact-id') }));
      expect(next.bar).toBe(true);
      expect(next.row).not.toBe(row);
      await page.keyboard.press('Escape');
      clean(log);
    });
  });

  it('keeps the state in the hash as the reader clicks a day in the overview', async () => {
    const data = READY_ONLY;
    await withPage(reportHtml(data), async (page, log) => {
      const chart = page.locator('svg.chart');
      const box = (await chart.boundingBox())!;
      const index = 60;
      await chart.click({ position: { x: ((index + 0.5) / data.days.length) * box.width, y: box.height / 2 } });
      const date = data.days[index]!.date;
      expect(await page.locator('[data-day-summary]').getAttribute('data-date')).toBe(date);
      expect(await page.evaluate(() => location.hash)).toBe(`#day=${date}`);
      // The arrow keys move the day too; the rows (kept and reordered from one day to the next) follow.
      for (let next = index + 1; next <= index + 3; next++) {
        await chart.press('ArrowRight');
        const shown = await dayOnPage(page);
        expect(shown.date).toBe(data.days[next]!.date);
        expect(shown.tasks.map(({ id, owner }) => ({ id, owner }))).toEqual(expectedDay(data, data.days[next]!.date));
      }
      clean(log);
    });
  });

  it('renders a screenshot that is not blank, in light and in dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await withPage(reportHtml(ALL_STATES), async (page, log) => {
        await page.waitForSelector('[data-task-window]');
        const colours = await screenshotColours(page);
        expect(colours).toBeGreaterThan(50);
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(bg).toBe(colorScheme === 'dark' ? 'rgb(21, 24, 28)' : 'rgb(255, 255, 255)');
        clean(log);
      }, { colorScheme });
    }
  });
});

// The impact preview's HTML view (`dry-run-tasks --against=git:HEAD --format=html`) in a real browser, on two
// real versions of the example app in a temporary git repository: the day view's [data-day-task][data-change]
// must be exactly `--against --json`'s days, and the timeline's [data-task-window][data-change] exactly what
// two independent dry-runs (one per version, compared here by this test's own code) differ by in windows.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { compareReports, type ReportAgainst } from '../../src/report/html/against.js';
import type { ReportData } from '../../src/report/html/report-data.js';
import { withPage, type PageLog, screenshotColours } from '../helpers/browser.js';
import { cleanupTemps, fixture, ROOT, runMain, tempCopy, tempDir } from '../helpers/cli.js';

declare function getComputedStyle(el: unknown): { textDecorationLine: string };

const SPAN = ['--from=2024-01-01', '--to=2024-12-31'];

interface Task {
  owner: string;
  state: string;
  emission: { _id: string; startDate?: string; endDate?: string; dueDate?: string } & Record<string, unknown>;
}
interface ImpactJson {
  against: string;
  days: Array<{ date: string; added: Task[]; removed: Task[]; changed: Array<{ before: Task; after: Task; fields: string[] }> }>;
  summary: { added: number; removed: number; changed: number };
}
type Run = { days: Array<{ date: string; tasks: Task[] }> };
type Value = { pass: number; total: number; percent?: number } | null;
interface TargetsJson {
  months: Array<{ month: string; targets: Array<{ id: string; before: Value; after: Value; delta: { pass: number; total: number } | null; changed: boolean }> }>;
}

let project: string;
let repo: string;
let impact: ImpactJson;
let html: string;
let oldRun: Run;
let newRun: Run;
let targets: TargetsJson;

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.org', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });

async function cli(args: string[]) {
  const r = await runMain([`--source=${project}`, ...args]);
  expect(r.code, `${r.stderr}\n${r.stdout.slice(0, 2000)}`).toBe(0);
  return r;
}

beforeAll(async () => {
  // Test the page as the source is now, not a dist/ left from an earlier build.
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-web.js')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build-web failed:\n${built.stderr}`);
  project = tempCopy(fixture('example-app'));
  repo = path.dirname(project);
  appendFileSync(path.join(repo, '.gitignore'), 'node_modules\napp_settings.json\n');
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'v1');
  oldRun = JSON.parse((await cli(['dry-run-tasks', ...SPAN, '--json'])).stdout) as Run;
  // Version 2: pnc-visit's second visit two days later (windows move), immunization visits gone (removed), a
  // second delivery check under a new name (added).
  appendFileSync(path.join(project, 'tasks.js'), [
    '',
    "module.exports.find((t) => t.name === 'pnc-visit').events[1].days = 4;",
    "module.exports.splice(module.exports.findIndex((t) => t.name === 'immunization-visit'), 1);",
    "module.exports.push({ ...module.exports.find((t) => t.name === 'delivery-check'), name: 'delivery-check-2' });",
    '',
  ].join('\n'));
  // ...and targets: every child under 5 counted as assessed (values change), deaths-this-month gone.
  appendFileSync(path.join(project, 'targets.js'), [
    '',
    "module.exports.find((t) => t.id === 'under-5-assessed').passesIf = () => true;",
    "module.exports.splice(module.exports.findIndex((t) => t.id === 'deaths-this-month'), 1);",
    '',
  ].join('\n'));
  targets = JSON.parse((await cli(['dry-run-targets', ...SPAN, '--against=git:HEAD', '--json'])).stdout) as TargetsJson;
  newRun = JSON.parse((await cli(['dry-run-tasks', ...SPAN, '--json'])).stdout) as Run;
  impact = JSON.parse((await cli(['dry-run-tasks', ...SPAN, '--against=git:HEAD', '--json'])).stdout) as ImpactJson;
  const file = path.join(tempDir(), 'impact.html');
  const made = await cli(['dry-run-tasks', ...SPAN, '--against=git:HEAD', '--format=html', `--output=${file}`]);
  expect(made.stderr).toMatch(/against git:HEAD \([0-9a-f]{7}\): \d+ Ready task-days added, \d+ removed, \d+ changed/);
  html = readFileSync(file, 'utf8');
}, 120_000);

afterAll(() => {
  // gitSide removed its temporary checkouts: only the repository's own worktree is left.
  if (repo) expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  cleanupTemps();
});

function clean(log: PageLog) {
  expect(log.consoleErrors).toEqual([]);
  expect(log.pageErrors).toEqual([]);
  expect(log.requests).toEqual([]);
}

const taskKey = (t: Task) => `${t.owner} ${t.emission._id}`;

async function dayRows(page: Page) {
  return page.$$eval('[data-day-task]', (rows) => rows.map((r) => ({ key: `${r.getAttribute('data-owner')} ${r.getAttribute('data-id')}`, change: r.getAttribute('data-change') })));
}

describe('dry-run-tasks --against --format=html', () => {
  it('embeds both sides under the same strict CSP, and the summary gives --json\'s counts', async () => {
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
    expect(html).not.toMatch(/connect-src/);
    expect(html).toContain('<script type="application/json" id="report-against">');
    const s = impact.summary;
    expect(s.added).toBeGreaterThan(0);
    expect(s.removed).toBeGreaterThan(0);
    expect(s.changed).toBeGreaterThan(0);
    await withPage(html, async (page, log) => {
      const summary = page.locator('[data-impact-summary]');
      await summary.waitFor();
      expect(await summary.getAttribute('data-against')).toBe(impact.against);
      expect(await summary.textContent()).toContain(`Impact against ${impact.against}`);
      expect(Number(await summary.getAttribute('data-added'))).toBe(s.added);
      expect(Number(await summary.getAttribute('data-removed'))).toBe(s.removed);
      expect(Number(await summary.getAttribute('data-changed'))).toBe(s.changed);
      clean(log);
    });
  });

  it('compares every day of the span as --against --json does (the comparison the page runs, on the embedded data)', () => {
    const embedded = <T>(id: string): T => JSON.parse(html.match(new RegExp(`<script type="application/json" id="${id}">([\\s\\S]*?)</script>`))![1]!) as T;
    const now = embedded<ReportData>('report-data');
    const against = embedded<ReportAgainst>('report-against');
    const c = compareReports(against.data, now);
    const key = (d: ReportData, w: number) => `${d.windows[w]!.ownerId} ${d.windows[w]!.id}`;
    const fromPage = now.days.map((day, i) => ({
      date: day.date,
      added: c.days[i]!.added.map((w) => key(now, w)).sort(),
      removed: c.days[i]!.removed.map((w) => key(against.data, w)).sort(),
      changed: c.days[i]!.changed.map((w) => key(now, w)).sort(),
    })).filter((d) => d.added.length + d.removed.length + d.changed.length > 0);
    const fromJson = impact.days.map((d) => ({ date: d.date, added: d.added.map(taskKey).sort(), removed: d.removed.map(taskKey).sort(), changed: d.changed.map((x) => taskKey(x.after)).sort() }))
      .filter((d) => d.added.length + d.removed.length + d.changed.length > 0);
    expect(fromPage).toEqual(fromJson);
    expect(c.counts).toEqual({ added: impact.summary.added, removed: impact.summary.removed, changed: impact.summary.changed });
  });

  it("marks each day's tasks added, removed and changed exactly as --against --json does, on several days", async () => {
    const withKind = (k: 'added' | 'removed' | 'changed') => impact.days.filter((d) => d[k].length > 0).map((d) => d.date);
    const quiet = newRun.days.find((d) => d.tasks.length > 0 && !impact.days.some((x) => x.date === d.date && x.added.length + x.removed.length + x.changed.length > 0))!.date;
    const picks = [...new Set([withKind('added')[0]!, withKind('added').at(-1)!, withKind('removed')[0]!, withKind('removed').at(-1)!, withKind('changed')[0]!, withKind('changed').at(-1)!, quiet])];
    expect(picks.length).toBeGreaterThanOrEqual(4);
    for (const date of picks) {
      // (--json lists only the days with a change.)
      const day = impact.days.find((d) => d.date === date) ?? { date, added: [], removed: [], changed: [] };
      const ready = newRun.days.find((d) => d.date === date)!.tasks;
      await withPage(html, async (page, log) => {
        await page.waitForSelector('[data-day-summary]');
        expect(await page.locator('[data-day-summary]').getAttribute('data-date')).toBe(date);
        const rows = await dayRows(page);
        const of = (change: string | null) => rows.filter((r) => r.change === change).map((r) => r.key).sort();
        expect(of('added')).toEqual(day.added.map(taskKey).sort());
        expect(of('removed')).toEqual(day.removed.map(taskKey).sort());
        expect(of('changed')).toEqual(day.changed.map((c) => taskKey(c.after)).sort());
        // Unchanged: every other Ready task of the new side that day, with no data-change at all.
        const touched = new Set([...day.added, ...day.changed.map((c) => c.after)].map(taskKey));
        expect(of(null)).toEqual(ready.map(taskKey).filter((k) => !touched.has(k)).sort());
        expect(rows.every((r) => r.change === null || ['added', 'removed', 'changed'].includes(r.change))).toBe(true);
        // Removed rows come from the old side, struck through.
        if (day.removed.length) {
          const decoration = await page.locator('[data-day-task][data-change="removed"] .task-title').first().evaluate((e) => getComputedStyle(e).textDecorationLine);
          expect(decoration).toBe('line-through');
        }
        clean(log);
      }, { hash: `#day=${date}` });
    }
  });

  it('marks the timeline windows added, removed (from the old side) and moved (old dates shown) as the two dry-runs differ', async () => {
    // Windows per (emission, owner) on each side, from the plain dry-runs' Ready task-days.
    const windowsOf = (run: Run) => {
      const out = new Map<string, Set<string>>();
      for (const d of run.days) for (const t of d.tasks) {
        const k = `${t.emission._id}\u0000${t.owner}`;
        if (!out.has(k)) out.set(k, new Set());
        out.get(k)!.add([t.emission.startDate, t.emission.endDate, t.emission.dueDate].join(' '));
      }
      return out;
    };
    const before = windowsOf(oldRun);
    const after = windowsOf(newRun);
    const expected: Record<string, string[]> = {};
    const owners = new Set<string>();
    for (const k of new Set([...before.keys(), ...after.keys()])) {
      const o = [...(before.get(k) ?? [])];
      const n = [...(after.get(k) ?? [])];
      const gone = o.filter((w) => !n.includes(w));
      const came = n.filter((w) => !o.includes(w));
      const [id, owner] = k.split('\u0000') as [string, string];
      const add = (change: string, w: string) => {
        (expected[owner] ??= []).push(`${id} ${w} ${change}`);
        owners.add(owner);
      };
      came.forEach((w, i) => add(i < gone.length ? 'moved' : 'added', w));
      gone.slice(came.length).forEach((w) => add('removed', w));
      n.filter((w) => o.includes(w)).forEach((w) => (expected[owner] ??= []).push(`${id} ${w} -`));
    }
    const kinds = new Set(Object.values(expected).flat().map((e) => e.split(' ').at(-1)));
    expect([...kinds].sort()).toEqual(['-', 'added', 'moved', 'removed']);
    expect(owners.size).toBeGreaterThanOrEqual(2);
    for (const owner of owners) {
      await withPage(html, async (page, log) => {
        const row = page.locator(`[data-contact-row][data-contact-id="${owner}"]`);
        await row.waitFor();
        const bars = await row.locator('[data-task-window]').evaluateAll((els) => els.map((e) => ({
          text: `${e.getAttribute('data-id')} ${e.getAttribute('data-start')} ${e.getAttribute('data-end')} ${e.getAttribute('data-due')} ${e.getAttribute('data-change') ?? '-'}`,
          was: e.getAttribute('data-was-start'),
        })));
        expect(bars.map((b) => b.text).sort()).toEqual(expected[owner]!.sort());
        // A moved window shows where it was: its old dates, and an outline on the track.
        const moved = bars.filter((b) => b.text.endsWith(' moved'));
        expect(moved.every((b) => b.was !== null)).toBe(true);
        expect(await row.locator('.tl-was').count()).toBe(moved.length);
        clean(log);
      }, { hash: `#contact=${encodeURIComponent(owner)}` });
    }
  });

  it('shows the targets side by side (old, new, difference), and a screenshot that is not blank', async () => {
    await withPage(html, async (page, log) => {
      await page.waitForSelector('[data-task-window][data-change]');
      // Every cell against `dry-run-targets --against --json`: old and new pass/total, difference, changed or not.
      const cells = await page.$$eval('[data-target], [data-target-before]', (els) => els.map((e) => [
        `${e.getAttribute('data-month')} ${e.getAttribute('data-id')}`,
        [e.getAttribute('data-before-pass'), e.getAttribute('data-before-total'), e.getAttribute('data-pass'), e.getAttribute('data-total'), e.getAttribute('data-delta-pass'), e.getAttribute('data-delta-total'), e.getAttribute('data-change')].map((v) => v ?? 'null').join(' '),
      ] as [string, string]));
      const str = (n: number | undefined) => (n === undefined ? 'null' : String(n));
      const expected = targets.months.flatMap((m) => m.targets.map((t) => [
        `${m.month} ${t.id}`,
        [str(t.before?.pass), str(t.before?.total), str(t.after?.pass), str(t.after?.total), str(t.delta?.pass), str(t.delta?.total),
          t.before === null ? 'added' : t.after === null ? 'removed' : t.changed ? 'changed' : 'null'].join(' '),
      ] as [string, string]));
      expect(Object.fromEntries(cells)).toEqual(Object.fromEntries(expected));
      const kinds = new Set(expected.map(([, v]) => v.split(' ').at(-1)));
      expect([...kinds].sort()).toEqual(['changed', 'null', 'removed']);
      const colours = await screenshotColours(page, { fullPage: true });
      expect(colours).toBeGreaterThan(50);
      clean(log);
    }, { hash: `#day=${impact.days.find((d) => d.removed.length > 0)!.date}` });
  });

  it('writes to stdout without --output, exits 1 with --fail-on-change when something changed, and refuses --explain', async () => {
    const r = await runMain([`--source=${project}`, 'dry-run-tasks', '--from=2024-09-01', '--to=2024-09-30', '--against=git:HEAD', '--format=html', '--fail-on-change']);
    expect(r.code, r.stderr).toBe(1);
    const found = r.stdout.match(/<script type="application\/json" id="report-against">([\s\S]*?)<\/script>/);
    expect(found).not.toBeNull();
    const against = JSON.parse(found![1]!) as { label: string; data: { header: { from: string; to: string }; days: unknown[] } };
    expect(against.label).toBe(impact.against);
    expect(against.data.header).toMatchObject({ from: '2024-09-01', to: '2024-09-30' });
    expect(against.data.days).toHaveLength(30);
    const explain = await runMain([`--source=${project}`, 'dry-run-tasks', ...SPAN, '--against=git:HEAD', '--format=html', '--explain=pnc-visit']);
    expect(explain.code).toBe(1);
    expect(explain.stderr).toContain('--explain prints text or JSON');
  });
});

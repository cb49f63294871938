import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../../src/report/html/report-data.js';
import { cleanupTemps, fixture, runCht, tempDir } from '../helpers/cli.js';
import { populationFile } from '../helpers/dry-run.js';
import { reportDataOf } from '../helpers/report.js';

afterAll(cleanupTemps);

interface JsonDay { date: string; tasks: { state: string; owner: string; emission: { _id: string; startDate?: string; endDate?: string; dueDate?: string } }[] }

async function both(args: string[]): Promise<{ data: ReportData; days: JsonDay[]; html: string }> {
  const out = path.join(tempDir(), 'report.html');
  const html = await runCht([...args, '--format=html', `--output=${out}`]);
  expect(html.stderr).toContain('Wrote');
  expect(html.code).toBe(0);
  expect(html.stdout).toBe('');
  const json = await runCht([...args, '--json']);
  expect(json.code).toBe(0);
  const text = readFileSync(out, 'utf8');
  return { data: reportDataOf(text), days: (JSON.parse(json.stdout) as { days: JsonDay[] }).days, html: text };
}

/** Every day's Ready tasks as the report has them equal --json's, in the same order, with the emission's dates. */
function expectSameDays(data: ReportData, days: JsonDay[]): void {
  expect(data.days.map((d) => d.date)).toEqual(days.map((d) => d.date));
  let taskDays = 0;
  days.forEach((day, i) => {
    const ready = day.tasks.filter((t) => t.state === 'Ready');
    taskDays += ready.length;
    const fromReport = data.days[i]!.ready.map((w) => {
      const win = data.windows[w]!;
      expect(win.runs.some(([from, to, state]) => state === 'Ready' && from <= i && i <= to)).toBe(true);
      return [win.id, win.ownerId, win.start, win.end, win.due];
    });
    expect(fromReport).toEqual(ready.map((t) => [t.emission._id, t.owner, t.emission.startDate ?? '', t.emission.endDate ?? '', t.emission.dueDate ?? '']));
  });
  expect(data.header.counts.readyTaskDays).toBe(taskDays);
}

describe('dry-run-tasks --format=html: the data the page draws', () => {
  const app = fixture('example-app');
  const span = ['--from=2024-05-01', '--to=2024-08-31'];

  it('equals --json day for day on the example app, with its targets month by month as dry-run-targets gives them', async () => {
    const { data, days, html } = await both([`--source=${app}`, 'dry-run-tasks', ...span]);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
    expectSameDays(data, days);
    expect(data.header).toMatchObject({ project: 'example-app', from: '2024-05-01', to: '2024-08-31', tz: 'UTC', at: '12:00', allStates: false, user: { id: 'chw-1' } });
    expect(data.targets.map((m) => m.month)).toEqual(['2024-05', '2024-06', '2024-07', '2024-08']);
    for (const month of ['2024-06', '2024-08']) {
      const r = await runCht([`--source=${app}`, 'dry-run-targets', `--month=${month}`, '--json']);
      const expected = (JSON.parse(r.stdout) as { targets: { id: string; value: { pass: number; total: number } }[] }).targets;
      const got = data.targets.find((m) => m.month === month)!.targets;
      expect(got.map((t) => [t.id, t.pass, t.total])).toEqual(expected.map((t) => [t.id, t.value.pass, t.value.total]));
    }
    // The project's English translations of what the page shows.
    expect(data.translations['task.anc_home_visit.title']).toBe('ANC home visit');
    expect(data.translations['targets.births.title']).toBe('Births this month');
    // Owners are grouped under their places: every owner that is a fixture contact is there, parents first.
    for (const w of data.windows) {
      if (w.owner === -1) continue;
      expect(data.contacts[w.owner]!.id).toBe(w.ownerId);
      for (let c = w.owner; c !== -1; c = data.contacts[c]!.parent) expect(data.contacts[c]!.parent).toBeLessThan(c);
    }
  });

  it('with --all-states keeps every state the dry-run gave, with its reasons', async () => {
    const out = path.join(tempDir(), 'all.html');
    const r = await runCht([`--source=${app}`, 'dry-run-tasks', ...span, '--all-states', '--format=html', `--output=${out}`]);
    expect(r.code).toBe(0);
    const data = reportDataOf(readFileSync(out, 'utf8'));
    const json = JSON.parse((await runCht([`--source=${app}`, 'dry-run-tasks', ...span, '--all-states', '--json'])).stdout) as { days: (JsonDay & { tasks: { reason?: string }[] })[] };
    const states = new Set(data.windows.flatMap((w) => w.runs.map((run) => run[2])));
    expect([...states].sort()).toEqual([...new Set(json.days.flatMap((d) => d.tasks.map((t) => t.state)))].sort());
    // Each (day, emission, state, reason) of --json is in a run of its window.
    json.days.forEach((day, i) => {
      for (const t of day.tasks) {
        const w = data.windows.find((x) => x.id === t.emission._id && x.ownerId === t.owner && x.start === (t.emission.startDate ?? '') && x.due === (t.emission.dueDate ?? ''))!;
        const run = w.runs.find(([from, to]) => from <= i && i <= to)!;
        expect(run[2]).toBe(t.state);
        expect(run[3] === -1 ? undefined : data.strings[run[3]]).toBe(t.reason);
      }
    });
    expect(data.header.allStates).toBe(true);
  });

  it('equals --json on a generated population of 1,000 contacts over two months', async () => {
    const file = populationFile(1000, 7);
    const { data, days } = await both([`--source=${app}`, 'dry-run-tasks', `--fixtures=${file}`, '--from=2024-03-01', '--to=2024-04-30']);
    expect(data.header.counts.contacts).toBeGreaterThanOrEqual(1000);
    expectSameDays(data, days);
  });

  it('writes the page to stdout without --output, and refuses --output without --format=html', async () => {
    const r = await runCht([`--source=${app}`, 'dry-run-tasks', '--date=2024-06-15', '--format=html']);
    expect(r.code).toBe(0);
    expect(reportDataOf(r.stdout).days.map((d) => d.date)).toEqual(['2024-06-15']);
    const bad = await runCht([`--source=${app}`, 'dry-run-tasks', '--date=2024-06-15', '--output=x.html']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--output writes the HTML report/);
  });
});


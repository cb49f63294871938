/* eslint-disable @typescript-eslint/no-explicit-any -- JSON output */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dryRunTargets, dryRunTasks, loadDryRun } from '../../src/simulate/index.js';
import { tasksJson } from '../../src/report/dry-run-tasks.js';
import { targetsJson } from '../../src/report/dry-run-targets.js';
import { wentNaiveLines } from '../../src/cli/actions/dry-run-tasks.js';
import { populationFile } from '../helpers/dry-run.js';
import { cleanupTemps, fixture, runMain, tempCopy } from '../helpers/cli.js';

const example = fixture('example-app');
const logging = fixture('dry-run/console-logging');
const TZ = 'Africa/Nairobi';
const at = { hours: 12, minutes: 0 };
let crowd: string;

beforeAll(() => {
  // 1,500 contacts with two years of reports: far more than a screenful of tasks.
  crowd = populationFile(1500, 7);
});
afterAll(cleanupTemps);

describe('dry-run-tasks --json, streamed a day at a time', () => {
  it('is byte for byte the document of the whole run (Ready tasks, and --all-states)', async () => {
    const loaded = await loadDryRun({ kind: 'project', dir: example }, [path.join(example, 'harness.defaults.json')]);
    for (const allStates of [false, true]) {
      const args = [`--source=${example}`, 'dry-run-tasks', '--from=2024-03-20', '--to=2024-04-10', `--tz=${TZ}`, '--json'];
      const r = await runMain(allStates ? [...args, '--all-states'] : args);
      expect(r.code, r.stderr).toBe(0);
      const whole = await dryRunTasks(loaded, { from: '2024-03-20', to: '2024-04-10', tz: TZ, at, allStates });
      expect(r.stdout).toBe(`${JSON.stringify(tasksJson(whole), null, 2)}\n`);
      expect(JSON.parse(r.stdout).days).toHaveLength(22);
    }
  });

  it('the same for a traced population, whose tasks repeat from day to day (their texts are written once), and its NDJSON', async () => {
    const loaded = await loadDryRun({ kind: 'project', dir: example }, [crowd]);
    const args = [`--source=${example}`, 'dry-run-tasks', `--fixtures=${crowd}`, '--from=2024-03-01', '--to=2024-04-15', `--tz=${TZ}`];
    const whole = await dryRunTasks(loaded, { from: '2024-03-01', to: '2024-04-15', tz: TZ, at, allStates: false });
    // (The optimised timeline ran: the same task objects are handed over on the days they repeat.)
    expect(whole.stats.reused).toBeGreaterThan(whole.stats.evaluations);
    const json = await runMain([...args, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).toBe(`${JSON.stringify(tasksJson(whole), null, 2)}\n`);
    const nd = await runMain([...args, '--format=ndjson']);
    expect(nd.code, nd.stderr).toBe(0);
    const head = JSON.stringify({ tz: TZ, from: '2024-03-01', to: '2024-04-15', at: '12:00' });
    const days = (tasksJson(whole) as { days: unknown[] }).days;
    expect(nd.stdout).toBe(`${[head, ...days.map((d) => JSON.stringify(d))].join('\n')}\n`);
    expect(days.reduce((n: number, d: any) => n + d.tasks.length, 0)).toBeGreaterThan(1000);
  });

  it('--explain: the same document as before, its candidates streamed', async () => {
    const loaded = await loadDryRun({ kind: 'project', dir: example }, [path.join(example, 'harness.defaults.json')]);
    const r = await runMain([`--source=${example}`, 'dry-run-tasks', '--from=2024-03-01', '--to=2024-03-31', `--tz=${TZ}`, '--explain=anc-home-visit', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const whole = await dryRunTasks(loaded, { from: '2024-03-01', to: '2024-03-31', tz: TZ, at, allStates: false, explain: 'anc-home-visit' });
    expect(whole.explanation!.candidates.length).toBeGreaterThan(0);
    expect(r.stdout).toBe(`${JSON.stringify(tasksJson(whole), null, 2)}\n`);
  });
});

describe('dry-run-tasks --format=ndjson', () => {
  it('a first line { tz, from, to, at }, then a line per day with the --json task objects', async () => {
    const base = [`--source=${example}`, 'dry-run-tasks', '--from=2024-03-20', '--to=2024-04-10', `--tz=${TZ}`, '--at=08:30'];
    const nd = await runMain([...base, '--format=ndjson']);
    const json = await runMain([...base, '--json']);
    expect(nd.code, nd.stderr).toBe(0);
    const lines = nd.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ tz: TZ, from: '2024-03-20', to: '2024-04-10', at: '08:30' });
    expect(lines.slice(1)).toEqual(JSON.parse(json.stdout).days);
    expect(lines.slice(1).every((l: any) => Object.keys(l).join() === 'date,tasks')).toBe(true);
  });

  it('--json and --format=ndjson together are refused; an unknown format is named', async () => {
    const both = await runMain([`--source=${example}`, 'dry-run-tasks', '--date=2024-03-20', '--json', '--format=ndjson']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--json and --format=ndjson');
    const unknown = await runMain([`--source=${example}`, 'dry-run-tasks', '--date=2024-03-20', '--format=github']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Use one of: human, json, ndjson');
  });
});

describe('notices while compiling for a dry-run', () => {
  it('a note on the project\'s layout is printed as a note, not a warning', async () => {
    const legacy = path.join(fixture('projects'), 'legacy-settings');
    for (const action of ['dry-run-tasks', 'dry-run-messages']) {
      const r = await runMain([`--source=${legacy}`, action, `--fixtures=${path.join(example, 'harness.defaults.json')}`, '--date=2024-06-01', `--tz=${TZ}`]);
      expect(r.stderr).toMatch(/^note app_settings\.json is compile output/m);
      expect(r.stderr).not.toMatch(/^warning app_settings\.json/m);
    }
  });
});

describe('dry-run-tasks human output', () => {
  it('a long run is a summary a person can read: totals, per task, per week, busiest contacts, how to get it all', async () => {
    const r = await runMain([`--source=${example}`, `--fixtures=${crowd}`, 'dry-run-tasks', '--from=2024-01-01', '--to=2024-06-30', `--tz=${TZ}`]);
    expect(r.code, r.stderr).toBe(0);
    const nd = await runMain([`--source=${example}`, `--fixtures=${crowd}`, 'dry-run-tasks', '--from=2024-01-01', '--to=2024-06-30', `--tz=${TZ}`, '--format=ndjson']);
    const days = nd.stdout.trimEnd().split('\n').slice(1).map((l) => JSON.parse(l));
    const total = days.reduce((n: number, d: any) => n + d.tasks.length, 0);
    expect(total).toBeGreaterThan(10_000);
    expect(r.stdout).toContain(`${total.toLocaleString('en-US')} Ready task-days`);
    for (const heading of ['By task', 'By week', 'Busiest contacts', '--list prints it all']) expect(r.stdout).toContain(heading);
    // Each task name with its task-days, as counted from the machine output. The scheduled_tasks task's ids end
    // with the index of the scheduled task (`…~immunization-visit-2`): it counts under its definition's name.
    const byName = new Map<string, number>();
    for (const d of days) for (const t of d.tasks) {
      const name = t.emission._id.slice(t.emission._id.lastIndexOf('~') + 1).replace(/^(immunization-visit)-\d+$/, '$1');
      byName.set(name, (byName.get(name) ?? 0) + 1);
    }
    expect(byName.get('immunization-visit')).toBeGreaterThan(0);
    // (Between the name and its count, the title the project's translations give it.)
    for (const [name, n] of byName) expect(r.stdout).toMatch(new RegExp(`\\n  ${name} +[^\\n]* ${n.toLocaleString('en-US')} `));
    expect(r.stdout).toMatch(/\n {2}task +title +Ready task-days +contacts +shown\n/);
    expect(r.stdout).toMatch(/\n {2}immunization-visit +Immunization visit +[\d,]+ /);
    expect(r.stdout).not.toMatch(/immunization-visit-\d/);
    expect(r.stdout.split('\n').length).toBeLessThan(80);

    // The weeks' and the busiest contacts' figures, as counted from the machine output.
    const nameOf = (t: any) => t.emission._id.slice(t.emission._id.lastIndexOf('~') + 1).replace(/^(immunization-visit)-\d+$/, '$1');
    const top = (counts: Map<string, number>, per = 1) => {
      const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const shown = sorted.slice(0, 3).map(([name, c]) => `${name} ${Math.round(c / per).toLocaleString('en-US')}`);
      return [...shown, ...(sorted.length > 3 ? [`${sorted.length - 3} more`] : [])].join(' · ');
    };
    const section = (heading: string) => {
      const lines = r.stdout.split('\n');
      const at = lines.findIndex((l) => l.startsWith(heading));
      const end = lines.findIndex((l, i) => i > at && l === '');
      return lines.slice(at + 2, end).map((l) => l.trim().split(/ {2,}/));
    };
    const weeks = section('By week');
    expect(weeks.length).toBe(Math.ceil(days.length / 7));
    weeks.forEach((row, w) => {
      const week = days.slice(w * 7, w * 7 + 7);
      const counts = new Map<string, number>();
      for (const d of week) for (const t of d.tasks) counts.set(nameOf(t), (counts.get(nameOf(t)) ?? 0) + 1);
      expect(row[0]).toBe(`${week[0].date} … ${week[week.length - 1].date}`);
      expect(row[3], row[0]).toBe(top(counts, week.length));
    });
    const byOwner = new Map<string, Map<string, number>>();
    for (const d of days) for (const t of d.tasks) {
      const counts = byOwner.get(t.owner) ?? new Map<string, number>();
      byOwner.set(t.owner, counts);
      counts.set(nameOf(t), (counts.get(nameOf(t)) ?? 0) + 1);
    }
    const busiest = section('Busiest contacts');
    expect(busiest.length).toBe(10);
    for (const [label, ready, tasks] of busiest) {
      const counts = byOwner.get(/\(([^)]+)\)$/.exec(label!)![1]!)!;
      expect(ready, label).toBe([...counts.values()].reduce((a, b) => a + b, 0).toLocaleString('en-US'));
      expect(tasks, label).toBe(top(counts));
    }
  });

  it('--list prints the full listing, a day at a time, however long', async () => {
    const r = await runMain([`--source=${example}`, `--fixtures=${crowd}`, 'dry-run-tasks', '--from=2024-01-01', '--to=2024-01-10', `--tz=${TZ}`, '--list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').length).toBeGreaterThan(1000);
    expect(r.stdout).toMatch(/Ready tasks over 10 days \(2024-01-01 … 2024-01-10, 12:00 Africa\/Nairobi\)/);
    expect(r.stdout).not.toContain('By week');
  });

  it('a short run keeps the listing', async () => {
    const r = await runMain([`--source=${example}`, 'dry-run-tasks', '--date=2024-09-10', `--tz=${TZ}`]);
    expect(r.stdout).toContain('2024-09-10 (Tue) — 2 tasks');
    expect(r.stdout).toContain('2 Ready tasks over 1 day (2024-09-10, 12:00 Africa/Nairobi), for 2 contacts.');
    expect(r.stdout).not.toContain('By task');
  });
});

describe('dry-run-targets', () => {
  it('--json with --explain streams the instances into the same document', async () => {
    const loaded = await loadDryRun({ kind: 'project', dir: example }, [crowd]);
    const r = await runMain([`--source=${example}`, `--fixtures=${crowd}`, 'dry-run-targets', '--month=2024-03', `--tz=${TZ}`, '--explain=households-with-2-visits', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const whole = await dryRunTargets(loaded, { month: '2024-03', tz: TZ, at, explain: 'households-with-2-visits' });
    expect(whole.explanation!.instances.length).toBeGreaterThan(500);
    expect(r.stdout).toBe(`${JSON.stringify(targetsJson(whole), null, 2)}\n`);
  });

  it('a long --explain is summarised by outcome; --list lists every instance', async () => {
    const args = [`--source=${example}`, `--fixtures=${crowd}`, 'dry-run-targets', '--month=2024-03', `--tz=${TZ}`, '--explain=households-with-2-visits'];
    const short = await runMain(args);
    expect(short.stdout).toMatch(/instances emitted, by outcome/);
    expect(short.stdout.split('\n').length).toBeLessThan(40);
    const all = await runMain([...args, '--list']);
    expect(all.stdout.split('\n').length).toBeGreaterThan(100);
  });

  it('--format=ndjson: the head, a line per target, then the explanation and a line per instance', async () => {
    const r = await runMain([`--source=${example}`, 'dry-run-targets', '--month=2024-03', `--tz=${TZ}`, '--format=ndjson']);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(lines[0])).toEqual(['tz', 'date', 'at', 'interval']);
    expect(lines.slice(1).every((l: any) => l.target && typeof l.target.id === 'string')).toBe(true);
  });
});

describe("the project's console.* never reaches stdout", () => {
  it('--json stays JSON; stderr has the count and the first lines', async () => {
    const r = await runMain([`--source=${logging}`, 'dry-run-tasks', '--from=2024-06-01', '--to=2024-06-20', `--tz=${TZ}`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).days).toHaveLength(20);
    expect(r.stderr).toMatch(/The project's code wrote [\d,]+ console lines during dry-run-tasks/);
    expect(r.stderr).toContain('--show-console prints them all');
    expect(r.stderr).toContain('console │');
  });

  it('--show-console prints every line, each with the day and contact being evaluated', async () => {
    const r = await runMain([`--source=${logging}`, 'dry-run-tasks', '--date=2024-06-10', `--tz=${TZ}`, '--format=ndjson', '--show-console']);
    expect(r.code, r.stderr).toBe(0);
    for (const line of r.stdout.trimEnd().split('\n')) JSON.parse(line);
    // 40 patients, each with a visit: appliesIf logs per report, the target's passesIf too.
    const checking = r.stderr.split('\n').filter((l) => l.includes('checking Patient'));
    expect(checking).toHaveLength(40);
    expect(checking[0]).toMatch(/console │ 2024-06-10 contact pat-\d+ \(Patient \d+\): checking Patient \d+/);
    expect(r.stderr).toMatch(/2024-06-10 contact pat-0 \(Patient 0\): visit visit-0 has no ok field/);
    expect(r.stderr).not.toContain('The project\'s code wrote');
  });

  it('validate-app-settings and compile-app-settings capture it too (tasks.js logs when loaded)', async () => {
    const dir = tempCopy(logging);
    for (const action of ['validate-app-settings', 'compile-app-settings']) {
      const r = await runMain([`--source=${dir}`, action, '--json']);
      expect(r.stdout).not.toContain('nools-extras loaded');
      expect(r.stderr).toContain('nools-extras loaded');
    }
  });
});

describe("dry-run-tasks --verbose: the contacts that went naive (wentNaiveLines)", () => {
  it('names the probes alone when no contact went naive, and the contacts with their reasons when some did', () => {
    expect(wentNaiveLines(undefined)).toEqual([]);
    expect(wentNaiveLines({ contacts: 0, reasons: {}, plainEvaluations: 24 })).toEqual([
      '  24 plain evaluation(s), timed to weigh tracing against; no contact went naive.',
    ]);
    const reason = 'its traced evaluations held for about a day each, so there was nothing to reuse';
    expect(wentNaiveLines({ contacts: 2, reasons: { [reason]: 2 }, plainEvaluations: 700 })).toEqual([
      '  2 contact(s) ran plainly every day instead (700 plain evaluations), because:',
      `    2: ${reason}`,
    ]);
  });
});

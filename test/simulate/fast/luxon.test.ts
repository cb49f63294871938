import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dryRunTasks, loadDryRun, type TasksRequest } from '../../../src/simulate/index.js';
import { cleanupTemps, fixture, tempCopy } from '../../helpers/cli.js';
import type { Meter } from '../../../src/simulate/fast/contact-cost.js';
import { evenMeter, withMeter } from './meter.js';

// Rules that compute their dates with luxon (fixtures/dry-run/luxon-visits): luxon runs untraced, and what the
// rules do with its values is recorded by the membrane (src/simulate/fast/trace-library.ts).
const LUXON = fixture('dry-run/luxon-visits');
const base = { at: { hours: 12, minutes: 0 }, allStates: false } as const;

async function both(dir: string, request: Omit<TasksRequest, 'naive'>) {
  const loaded = await loadDryRun({ kind: 'project', dir }, [path.join(dir, 'harness.defaults.json')]);
  return { optimised: await dryRunTasks(loaded, request), naive: await dryRunTasks(loaded, { ...request, naive: true }) };
}

/** A copy of luxon-visits with more task definitions (their source) at the end of tasks.js. */
function luxonWithTasks(...tasks: string[]): string {
  const dir = tempCopy(LUXON);
  appendFileSync(path.join(dir, 'tasks.js'), `\nmodule.exports.push(${tasks.join(',\n')});\n`);
  return dir;
}

/** A task for one contact, shown while `decision` (a function body; `DateTime`, `today` in scope) returns true. */
function probe(name: string, contact: string, decision: string): string {
  return `{
  name: '${name}', icon: 'icon', title: 'task.${name}', appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function (c) { if (c.contact._id !== '${contact}') { return false; } ${decision} },
  actions: [{ form: 'home_visit' }], resolvedIf: function () { return false; },
  events: [{ id: 'e', start: 400, end: 400, dueDate: function () { return new Date(2024, 2, 1); } }],
}`;
}

describe('rules computing dates with luxon: the optimised timeline equals the naive one', () => {
  afterAll(() => cleanupTemps());

  const cases: [string, Omit<TasksRequest, 'naive'>][] = [
    ['a year, Nairobi', { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-12-31' }],
    ['all states, New York (DST)', { ...base, allStates: true, tz: 'America/New_York', from: '2024-02-15', to: '2024-06-15' }],
    ['reports as they arrive', { ...base, tz: 'Africa/Nairobi', from: '2024-02-01', to: '2024-07-31', asReported: true }],
    ['at midnight, Auckland', { ...base, at: { hours: 0, minutes: 0 }, tz: 'Pacific/Auckland', from: '2024-03-20', to: '2024-06-20' }],
  ];
  for (const [name, request] of cases) {
    it(name, async () => {
      const { optimised, naive } = await both(LUXON, request);
      expect(optimised.days).toEqual(naive.days);
      expect(naive.days.reduce((n, d) => n + d.tasks.length, 0)).toBeGreaterThan(100);
    });
  }

  it('its evaluations hold for weeks: luxon is traced through its API, not its internals', async () => {
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-12-31' };
    const { optimised, naive, stats } = await withMeter(LUXON, request, evenMeter);
    expect(optimised).toEqual(naive.days);
    expect(stats.untraced).toBeUndefined();
    expect(stats.wentNaive?.contacts ?? 0).toBe(0);
    // 17 contacts over 366 days: about one evaluation a month each (the monthly task's ids name the month).
    expect(stats.evaluations).toBeLessThan(stats.containers * 20);
    expect(naive.stats.evaluations).toBe(stats.containers * stats.days);
  });

  it('reports as they arrive cut the timeline into short spans: the days carried over still count as reuse', async () => {
    // A traced evaluation costs 5 plain runs here: an evaluation carried over the next spans pays for itself.
    const meter: Meter = (kind, work) => ({ value: work(), ms: kind === 'traced' ? 5 : 1 });
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-12-31', asReported: true };
    const { optimised, naive, stats } = await withMeter(LUXON, request, meter);
    expect(optimised).toEqual(naive.days);
    expect(stats.wentNaive?.contacts ?? 0).toBe(0);
    expect(stats.evaluations).toBeLessThan(stats.containers * 20);
  });

  it('what rules do with DateTimes: compare, convert, read fields and internals, test classes, shift zones', async () => {
    const dir = luxonWithTasks(
      probe('compare', 'a-1', "return DateTime.local() > DateTime.fromISO('2024-03-05') && DateTime.local() <= new Date(2024, 2, 20);"),
      probe('convert', 'a-2', "return String(DateTime.local().startOf('month')).slice(5, 7) === '03' || Math.floor(+DateTime.local().startOf('day') / 864e5) % 3 === 0;"),
      probe('arithmetic', 'a-3', "return Math.floor((DateTime.now() - DateTime.fromISO('2024-01-01')) / 864e5) % 4 === 0;"),
      probe('internals', 'b-1', 'return DateTime.local().c.day % 5 === 0 && DateTime.local().ts > 0;'),
      probe('classes', 'b-2', "return DateTime.local() instanceof DateTime && DateTime.isDateTime(DateTime.local()) && DateTime.local().weekday === 2;"),
      probe('zones', 'b-3', "return DateTime.local().setZone('Pacific/Kiritimati').weekday === 6;"),
      probe('min-max', 'c-1', "return DateTime.max(DateTime.local(), DateTime.fromISO('2024-03-10')).equals(DateTime.fromISO('2024-03-10')) || Math.max(DateTime.local(), 0) % 7 === 1;"),
      probe('strings', 'c-2', "return DateTime.local().toISODate() < '2024-03-08' && DateTime.local().toFormat('cccc') !== 'Sunday';"),
      probe('durations', 'd-1', "return DateTime.local().diff(DateTime.fromISO('2024-02-20'), ['weeks', 'days']).toObject().days === 3 || Math.floor(DateTime.local().diff(DateTime.fromISO('2024-02-20'), 'weeks').weeks) === 4;"),
      probe('intervals', 'd-3', "return Interval.fromDateTimes(DateTime.local().startOf('month'), DateTime.local()).toDuration('days').days > 12;"),
    );
    const tasks = path.join(dir, 'tasks.js');
    writeFileSync(tasks, readFileSync(tasks, 'utf8').replace("const { DateTime } = require('luxon');", "const { DateTime, Interval } = require('luxon');"));
    for (const tz of ['America/New_York', 'Asia/Kathmandu']) {
      const request = { ...base, tz, from: '2024-02-10', to: '2024-04-10' };
      const { optimised, naive } = await both(dir, request);
      expect(optimised.days).toEqual(naive.days);
      for (const name of ['compare', 'convert', 'arithmetic', 'internals', 'classes', 'zones', 'min-max', 'strings', 'durations', 'intervals']) {
        const shown = naive.days.filter((d) => d.tasks.some((t) => t.emission._id.endsWith(`~e~${name}`))).length;
        expect(shown, `${name} in ${tz}`).toBeGreaterThan(0);
        expect(shown, `${name} in ${tz}`).toBeLessThan(naive.days.length);
      }
      const { stats } = await withMeter(dir, request, evenMeter);
      expect(stats.untraced).toBeUndefined();
    }
  });

  it('what the membrane cannot replay stops the tracing of that evaluation: identity, callbacks, serialising, lengths', async () => {
    const dir = luxonWithTasks(
      probe('identity', 'a-1', 'const now = DateTime.local(); return now !== now.startOf("day") && now.day % 2 === 0;'),
      probe('callback', 'b-1', 'return Duration.fromObject({ days: 3 }).mapUnits(function (x) { return x * DateTime.local().day; }).days > 40;'),
      probe('json', 'c-1', 'return JSON.stringify({ at: DateTime.local().startOf("week") }).length > 0 && DateTime.local().day > 20;'),
      // (Lengths are taken for constants by the instrumentation: this one is not.)
      probe('length', 'd-3', "return Interval.fromDateTimes(DateTime.local().startOf('month'), DateTime.local()).splitBy({ days: 10 }).length === 2;"),
    );
    const tasks = path.join(dir, 'tasks.js');
    writeFileSync(tasks, readFileSync(tasks, 'utf8').replace("const { DateTime } = require('luxon');", "const { DateTime, Duration, Interval } = require('luxon');"));
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-02-20', to: '2024-03-20' };
    const { optimised, naive } = await both(dir, request);
    expect(optimised.days).toEqual(naive.days);
    for (const name of ['identity', 'callback', 'json', 'length']) {
      expect(naive.days.some((d) => d.tasks.some((t) => t.emission._id.endsWith(`~e~${name}`))), name).toBe(true);
    }
    const { stats } = await withMeter(dir, request, evenMeter);
    expect(Object.keys(stats.untraced ?? {}).sort()).toEqual([
      'a clock value in JSON.stringify', 'a clock-derived library value compared by identity', 'a function passed to a library',
      'the length of a clock-derived library value',
    ]);
  });

  it('due dates made with luxon from this year\'s number, resolved with Utils.addDate', async () => {
    // As a CHT Accelerator config (Guild Digital) schedules a quarterly report. (A Date luxon gives can reach
    // Utils.addDate behind the membrane's Proxy: trace-nootils.test.ts.)
    const dir = luxonWithTasks(`{
  name: 'quarterly', icon: 'icon', title: 'task.quarterly', appliesTo: 'contacts', appliesToType: ['clinic'],
  appliesIf: function () { return true; },
  actions: [{ form: 'home_visit' }],
  resolvedIf: function (c, r, event, dueDate) {
    const start = Utils.addDate(dueDate, -event.start).getTime();
    const end = Utils.addDate(dueDate, event.end + 1).getTime();
    return c.reports.some(function (report) { return report.reported_date >= start && report.reported_date < end; });
  },
  events: ['01', '04', '07', '10'].map(function (month) {
    const year = Utils.now().getFullYear();
    const due = DateTime.fromObject({ year: year, month: Number(month), day: 1 });
    return { id: 'quarter-' + due.month, dueDate: function () { return due.toJSDate(); }, start: 1, end: 14 };
  }),
}`);
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-03-01', to: '2024-07-31' };
    const { optimised, naive } = await both(dir, request);
    expect(optimised.days).toEqual(naive.days);
    expect(naive.days.some((d) => d.tasks.some((t) => t.emission._id.endsWith('~quarterly')))).toBe(true);
  });

  it('rules that change luxon\'s settings load it afresh for each contact, untraced', async () => {
    const dir = tempCopy(LUXON);
    const extras = path.join(dir, 'nools-extras.js');
    writeFileSync(extras, readFileSync(extras, 'utf8').replace("const { DateTime } = require('luxon');", "const { DateTime, Settings } = require('luxon');\nSettings.defaultZone = 'America/Lima';"));
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-03-01', to: '2024-04-30' };
    const { optimised, naive } = await both(dir, request);
    expect(optimised.days).toEqual(naive.days);
    const { stats } = await withMeter(dir, request, evenMeter);
    expect(Object.keys(stats.untraced ?? {}).some((reason) => /changed/.test(reason))).toBe(true);
    expect(stats.wentNaive!.contacts).toBe(stats.containers);
  });
});

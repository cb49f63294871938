import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dryRunTasks, loadDryRun, type TasksRequest } from '../../../src/simulate/index.js';
import { cleanupTemps, fixture, tempCopy } from '../../helpers/cli.js';
import { evenMeter, withMeter } from './meter.js';

// Tasks over SMS schedules (appliesTo: 'scheduled_tasks', `r.scheduled_tasks[i + 1]`) while the targets read
// today's day and month for every person, as cht-core's config/standard does: schedule indexes equal the day of
// the month by coincidence, and only another evaluation of the same contact can tell them apart
// (src/simulate/fast/trace-witness.ts).
const SCHEDULES = fixture('dry-run/sms-schedules');
const base = { at: { hours: 12, minutes: 0 }, allStates: false } as const;

describe('coincidences refuted by a neighbouring evaluation: the optimised timeline equals the naive one', () => {
  afterAll(() => cleanupTemps());

  const cases: [string, Omit<TasksRequest, 'naive'>][] = [
    ['a year, Nairobi', { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-12-31' }],
    ['all states, New York (DST)', { ...base, allStates: true, tz: 'America/New_York', from: '2024-02-01', to: '2024-07-31' }],
    ['reports as they arrive, at midnight', { ...base, at: { hours: 0, minutes: 0 }, tz: 'Asia/Kathmandu', from: '2024-01-01', to: '2024-12-31', asReported: true }],
  ];
  for (const [name, request] of cases) {
    it(name, async () => {
      const loaded = await loadDryRun({ kind: 'project', dir: SCHEDULES }, [path.join(SCHEDULES, 'harness.defaults.json')]);
      const optimised = await dryRunTasks(loaded, request);
      const naive = await dryRunTasks(loaded, { ...request, naive: true });
      expect(optimised.days).toEqual(naive.days);
      expect(naive.days.reduce((n, d) => n + d.tasks.length, 0)).toBeGreaterThan(50);
    });
  }

  it('evaluations hold for weeks, not for the day the schedule index equals the day of the month', async () => {
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-12-31' };
    const { optimised, naive, stats } = await withMeter(SCHEDULES, request, evenMeter);
    expect(optimised).toEqual(naive.days);
    expect(stats.untraced).toBeUndefined();
    // Without the witnesses: ~2,200 of 6,588 contact-days evaluated (each evaluation held for about a day).
    expect(stats.evaluations).toBeLessThan(stats.containers * 30);
  });

  it('an index that does come from the clock is never refuted', async () => {
    // The same expressions as the coincidences (a schedule index, `i + 1`, a key), but from the day of the
    // month: the index of the message shown changes every day, and the evaluation must follow it.
    const dir = tempCopy(SCHEDULES);
    appendFileSync(path.join(dir, 'tasks.js'), `
module.exports.push({
  name: 'message-of-the-day', icon: 'icon', title: 'task.message_of_the_day', appliesTo: 'scheduled_tasks', appliesToType: ['P'],
  appliesIf: function (c, r, i) {
    const day = new Date().getDate();
    const k = day % r.scheduled_tasks.length;
    return i === k && r.scheduled_tasks[k + 1 < r.scheduled_tasks.length ? k + 1 : 0].group !== 3;
  },
  actions: [{ form: 'V' }],
  events: [{ id: 'motd', days: 0, start: 400, end: 400 }],
  resolvedIf: function () { return false; },
});
`);
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-03-01', to: '2024-06-30' };
    const loaded = await loadDryRun({ kind: 'project', dir }, [path.join(dir, 'harness.defaults.json')]);
    const optimised = await dryRunTasks(loaded, request);
    const naive = await dryRunTasks(loaded, { ...request, naive: true });
    expect(optimised.days).toEqual(naive.days);
    const shown = naive.days.map((d) => d.tasks.filter((t) => t.emission._id.includes('~motd~')).map((t) => t.emission._id).sort().join());
    expect(new Set(shown).size).toBeGreaterThan(20);
    const { stats } = await withMeter(dir, request, evenMeter);
    expect(stats.evaluations).toBeGreaterThan(100);
  });
});

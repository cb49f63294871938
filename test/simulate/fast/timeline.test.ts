import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRunTasks, loadDryRun, type TasksRequest } from '../../../src/simulate/index.js';
import { cleanupTemps, fixture, runChtConf, tempCopy } from '../../helpers/cli.js';
import { exampleAppWithTask, populationFile } from '../../helpers/dry-run.js';
import { evenMeter, withMeter } from './meter.js';

const base = { at: { hours: 12, minutes: 0 }, allStates: false } as const;

async function both(project: string, fixtureFile: string, request: Omit<TasksRequest, 'naive'>) {
  const loaded = await loadDryRun({ kind: 'project', dir: project }, [fixtureFile]);
  const optimised = await dryRunTasks(loaded, request);
  const naive = await dryRunTasks(loaded, { ...request, naive: true });
  return { optimised, naive };
}

describe('timeline: reusing evaluations gives exactly the naive answer', () => {
  const cases: [string, string, string, Omit<TasksRequest, 'naive'>][] = [
    ['example-app, 320 days', fixture('example-app'), 'harness.defaults.json', { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-11-15' }],
    ['example-app, reports as they arrive', fixture('example-app'), 'harness.defaults.json', { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-11-15', asReported: true }],
    ['example-app, all states, New York', fixture('example-app'), 'harness.defaults.json', { ...base, tz: 'America/New_York', from: '2024-04-01', to: '2024-10-01', allStates: true }],
    ['community-care (a rule reads the clock)', fixture('dry-run/community-care'), 'harness.defaults.json', { ...base, tz: 'America/New_York', from: '2024-01-15', to: '2024-12-01', allStates: true }],
    ['sms-clinic', fixture('dry-run/sms-clinic'), 'harness.defaults.json', { ...base, tz: 'Asia/Kathmandu', from: '2024-01-01', to: '2024-07-01' }],
    // Rules reading the clock every way: day of week, age in days from Date.now(), today's ISO string, moment
    // (bundled), a contact without reported_date, month arithmetic; over a leap day and New York's DST changes.
    ['clock-patterns', fixture('dry-run/clock-patterns'), 'harness.defaults.json', { ...base, tz: 'America/New_York', from: '2024-01-01', to: '2025-01-31', allStates: true }],
    ['clock-patterns at midnight', fixture('dry-run/clock-patterns'), 'harness.defaults.json', { ...base, at: { hours: 0, minutes: 0 }, tz: 'Pacific/Auckland', from: '2024-02-01', to: '2024-09-30' }],
  ];
  for (const [name, project, file, request] of cases) {
    it(name, async () => {
      const { optimised, naive } = await both(project, path.join(project, file), request);
      expect(optimised.days).toEqual(naive.days);
      expect(naive.stats.reused).toBe(0);
      expect(optimised.stats.reused).toBeGreaterThan(0);
      expect(optimised.stats.evaluations).toBeLessThan(naive.stats.evaluations);
    });
  }

  it('cht-conf\'s compiled rules (webpack, minified) through the instrumented copy', async () => {
    const dir = tempCopy(fixture('example-app'));
    const compiled = await runChtConf([`--source=${dir}`, 'compile-app-settings']);
    expect(compiled.code, compiled.stderr).toBe(0);
    const loaded = await loadDryRun({ kind: 'app-settings', file: path.join(dir, 'app_settings.json') }, [path.join(dir, 'harness.defaults.json')]);
    const request = { ...base, tz: 'America/New_York', from: '2024-01-01', to: '2024-10-31', asReported: true };
    const optimised = await dryRunTasks(loaded, request);
    const naive = await dryRunTasks(loaded, { ...request, naive: true });
    expect(optimised.days).toEqual(naive.days);
    expect(optimised.stats.reused).toBeGreaterThan(optimised.stats.evaluations);
    cleanupTemps();
  });

  it('a value equal to a clock value by coincidence is not mistaken for it', async () => {
    // In January the month is 0, and so is the contact's offset: `x` is 400 whatever the month, and
    // `x - month` falls below 399 in March. Reading `x` as "400 + month" would keep the task away all spring.
    const dir = exampleAppWithTask(`{
  name: 'coincidence', icon: 'icon-person', title: 'task.coincidence',
  appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function (c) {
    const month = new Date().getMonth();
    const base = c.contact.offset || 0;
    const x = 400 + base;
    return x - month < 399;
  },
  actions: [{ form: 'assessment' }],
  events: [{ id: 'c', start: 100, end: 100, dueDate: function () { return new Date(2024, 2, 15); } }],
}`);
    const { optimised, naive } = await both(dir, path.join(dir, 'harness.defaults.json'), { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-04-30' });
    const shown = (days: typeof naive.days) => days.filter((d) => d.tasks.some((t) => t.emission._id.includes('coincidence'))).map((d) => d.date);
    expect(shown(naive.days)[0]).toBe('2024-03-01');
    expect(shown(optimised.days)).toEqual(shown(naive.days));
    expect(optimised.days).toEqual(naive.days);
    cleanupTemps();
  });

  it('decisions on the truthiness of clock values (if, ?:, !, ||, filter, sort) are all recorded', async () => {
    // One construct per contact, each deciding on the day of the month (or week): nothing else in the
    // container changes on those days, so a decision the tracing missed would show.
    const task = (name: string, contact: string, decision: string) => `{
  name: '${name}', icon: 'icon-person', title: 'task.${name}', appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function (c) { if (c.contact._id !== '${contact}') { return false; } ${decision} },
  actions: [{ form: 'probe' }],
  events: [{ id: 'e', start: 200, end: 200, dueDate: function () { return new Date(2024, 2, 1); } }],
}`;
    const dir = exampleAppWithTask([
      task('not', 'chw-1', 'return !(new Date().getDate() - 10);'),
      task('ternary', 'w-1', 'return new Date().getDay() ? false : true;'),
      task('filter', 'c-1', 'return [1].filter(function () { return new Date().getDate() - 20; }).length === 0;'),
      task('sort', 'c-2', 'return [1, 2].sort(function (a, b) { return (a - b) * (new Date().getDate() - 15); })[0] === 2;'),
      task('if', 'w-2', 'if (new Date().getDate() - 5) { return false; } return true;'),
      task('or', 'p-old', 'return (new Date().getDate() - 25 || "x") === "x";'),
    ].join(', '));
    const { optimised, naive } = await both(dir, path.join(dir, 'harness.defaults.json'), { ...base, tz: 'Africa/Nairobi', from: '2024-02-01', to: '2024-03-31' });
    const days = (name: string) => naive.days.filter((d) => d.tasks.some((t) => t.emission._id.endsWith(`~e~${name}`))).map((d) => d.date.slice(5));
    expect(days('not')).toEqual(['02-10', '03-10']);
    expect(days('ternary')).toEqual(['02-04', '02-11', '02-18', '02-25', '03-03', '03-10', '03-17', '03-24', '03-31']);
    expect(days('filter')).toEqual(['02-20', '03-20']);
    expect(days('sort')).toHaveLength(28);
    expect(days('if')).toEqual(['02-05', '03-05']);
    expect(days('or')).toEqual(['02-25', '03-25']);
    expect(optimised.days).toEqual(naive.days);
    expect(optimised.stats.reused).toBeGreaterThan(optimised.stats.evaluations);
    cleanupTemps();
  });

  it('a value given back unchanged (Math.abs of an age, +x, x * 1) keeps its candidates instead of adding copies', async () => {
    // Helpers like cht-pih-malawi-app's getYearsPast: each call took Math.abs of a positive age twice, and
    // every task calling it added copies of the age's candidates (abs(c), abs(abs(c))...) until the age was
    // pinned and the contact re-ran every day.
    const helper = 'function yearsPast(dob) { const days = Math.abs((Date.now() - new Date(dob).getTime()) / 864e5); return Math.abs(+days * 1 / 365); }';
    const task = (name: string, years: number) => `{
  name: '${name}', icon: 'icon-person', title: 'task.${name}', appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function (c) { ${helper} return !!c.contact.date_of_birth && yearsPast(c.contact.date_of_birth) > ${years}; },
  actions: [{ form: 'assessment' }],
  events: [{ id: 'e', start: 400, end: 400, dueDate: function () { return new Date(2024, 2, 1); } }],
}`;
    const dir = exampleAppWithTask([1, 5, 18, 30, 50, 60].map((years, i) => task(`age-${i}`, years)).join(', '));
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-06-30' };
    const { optimised, naive, stats } = await withMeter(dir, request, evenMeter);
    expect(optimised).toEqual(naive.days);
    expect(stats.untraced).toBeUndefined();
    expect(stats.evaluations).toBeLessThan(stats.containers * 10);
    cleanupTemps();
  });

  it('a generated population over a whole year, across New York\'s DST changes', async () => {
    const { optimised, naive } = await both(fixture('example-app'), populationFile(120, 3), { ...base, tz: 'America/New_York', from: '2024-01-01', to: '2024-12-31' });
    expect(optimised.days).toEqual(naive.days);
    expect(optimised.stats.evaluations * 20).toBeLessThan(naive.stats.evaluations);
  });

  it('a generated population of 300 contacts over 120 days', async () => {
    const { optimised, naive } = await both(fixture('example-app'), populationFile(300, 7), { ...base, tz: 'Africa/Nairobi', from: '2024-03-01', to: '2024-06-28' });
    expect(optimised.days).toEqual(naive.days);
    expect(optimised.days.some((d) => d.tasks.length > 10)).toBe(true);
  });
});

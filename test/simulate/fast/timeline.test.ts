import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRunTasks, loadDryRun, type TasksRequest } from '../../../src/simulate/index.js';
import { cleanupTemps, fixture, runChtConf, tempCopy } from '../../helpers/cli.js';
import { exampleAppWithTask, populationFile } from '../../helpers/dry-run.js';
import { evenMeter, withMeter } from './meter.js';
import type { TimelineStats } from '../../../src/simulate/engine/timeline.js';

const base = { at: { hours: 12, minutes: 0 }, allStates: false } as const;

async function both(project: string, fixtureFile: string, request: Omit<TasksRequest, 'naive'>) {
  const loaded = await loadDryRun({ kind: 'project', dir: project }, [fixtureFile]);
  const optimised = await dryRunTasks(loaded, request);
  const naive = await dryRunTasks(loaded, { ...request, naive: true });
  return { optimised, naive };
}

/**
 * Each construct as the appliesIf of a contact task in a project of its own (so that no other decision re-runs
 * the contacts in its place), over four months: the optimised timeline must give the naive one's days.
 */
async function eachFollowed(constructs: Record<string, string>, population: string, check?: (name: string, stats: TimelineStats) => void) {
  for (const [name, body] of Object.entries(constructs)) {
    const dir = exampleAppWithTask(`{
  name: '${name}', icon: 'icon-person', title: 'task.${name}', appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function (c) { ${body} },
  actions: [{ form: 'assessment' }],
  events: [{ id: 'e', start: 400, end: 400, dueDate: function () { return new Date(2024, 2, 1); } }],
}`);
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-04-30' };
    const { optimised, naive, stats } = await withMeter(dir, request, evenMeter, population);
    const shown = naive.days.reduce((n, d) => n + d.tasks.filter((t) => t.emission._id.endsWith(`~${name}`)).length, 0);
    expect(shown, name).toBeGreaterThan(0);
    for (let i = 0; i < naive.days.length; i++) expect(optimised![i], `${name}, ${naive.days[i]!.date}`).toEqual(naive.days[i]);
    check?.(name, stats);
  }
  cleanupTemps();
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

  it('an object converted by its own code (moment\'s valueOf: `moment() - moment(x)`, +m, m < n, keys, Date) carries the clock', async () => {
    // moment's diff in days or weeks subtracts two moments: the operator calls valueOf, which reads each moment's
    // Date. Converted by the operator after the helper had seen two plain objects, the week count was not
    // followed, and the first evaluation was reused all autumn (found by timeline-fuzz.test.ts). One project per
    // construct, so that no other decision re-runs the contacts in its place.
    const WEEK = 7 * 864e5;
    const constructs: Record<string, string> = {
      'weeks-mod': "return moment().diff(moment(since), 'weeks') % 3 === 0;",
      'unary-plus': `return Math.floor((+moment() - since) / ${WEEK}) % 4 === 1;`,
      'moments-compared': `return moment(Date.now() - 40 * ${WEEK}) > moment(since);`,
      'own-value-of': `const now = { valueOf: function () { return Date.now(); } }; return Math.floor((now - since) / ${WEEK}) % 5 === 2;`,
      'object-key': `const week = { toString: function () { return String(Math.floor((Date.now() - since) / ${WEEK}) % 3); } }; return ({ 0: true, 1: false, 2: false })[week];`,
      'date-from-moment': `return Math.floor((new Date(moment()) - since) / ${WEEK}) % 3 === 0;`,
    };
    const people = [0, 40, 95, 160, 230, 300].map((ago, i) => ({
      _id: `p${i}`, type: 'person', name: `P${i}`, parent: { _id: 'hc' }, reported_date: Date.UTC(2024, 7, 30) - ago * 864e5 + i * 3_600_000,
    }));
    const request = { ...base, tz: 'Asia/Kathmandu', from: '2024-08-30', to: '2024-12-17' };
    for (const [name, applies] of Object.entries(constructs)) {
      const dir = tempCopy(fixture('dry-run/clock-patterns'));
      writeFileSync(path.join(dir, 'tasks.js'), `const moment = require('moment');
module.exports = [{
  name: '${name}', icon: 'icon', title: '${name}', appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function (c) { const since = c.contact.reported_date; ${applies} },
  actions: [{ form: 'visit' }],
  events: [{ id: 'e', start: 400, end: 400, dueDate: function () { return new Date(2024, 9, 1); } }],
}];\n`);
      writeFileSync(path.join(dir, 'targets.js'), 'module.exports = [];\n');
      const fixtureFile = path.join(dir, 'objects.json');
      const docs = [{ _id: 'hc', type: 'health_center', name: 'HC' }, { _id: 'chw', type: 'person', name: 'CHW', parent: { _id: 'hc' } }, ...people];
      writeFileSync(fixtureFile, JSON.stringify({ user: 'chw', userRoles: ['chw'], docs }));
      const { optimised, naive, stats } = await withMeter(dir, request, evenMeter, fixtureFile);
      // The construct decides: its task shows on some days of some contacts, not on every day of every one.
      const shown = naive.days.reduce((n, d) => n + d.tasks.length, 0);
      expect(shown, name).toBeGreaterThan(0);
      expect(shown, name).toBeLessThan(naive.days.length * people.length);
      for (let i = 0; i < naive.days.length; i++) expect(optimised![i], `${name}, ${naive.days[i]!.date}`).toEqual(naive.days[i]);
      // Followed, not given up on: evaluations hold for days at a time.
      expect(stats.reused, name).toBeGreaterThan(stats.evaluations);
    }
    cleanupTemps();
  });

  it('a clock-derived count stepped by ++ or -- (an age one less before the birthday) stays followed', async () => {
    // `age--` was left as it was by the instrumentation: the value it made owed nothing to the clock as far as the
    // tracing could tell, and decisions on it were not recorded.
    const constructs: Record<string, string> = {
      'age-minus-minus': `const now = new Date(); const dob = new Date(c.contact.date_of_birth || c.contact.reported_date || 0);
    let months = (now.getFullYear() - dob.getFullYear()) * 12 + now.getMonth() - dob.getMonth();
    if (now.getDate() < dob.getDate()) months--;
    return months % 4 === 1;`,
      'weeks-plus-plus': 'let weeks = Math.floor((Date.now() - (c.contact.reported_date || 0)) / (7 * 864e5)); weeks++; return weeks % 3 === 0;',
      'prefix-in-value': 'let days = Math.floor((Date.now() - (c.contact.reported_date || 0)) / 864e5); return (--days) % 10 < 3;',
      'postfix-in-value': 'let days = Math.floor((Date.now() - (c.contact.reported_date || 0)) / 864e5); const before = days++; return before % 10 < 3 && days > 0;',
    };
    await eachFollowed(constructs, populationFile(30, 3));
  });

  it('built-ins that read a clock string or Date (Date.parse, Intl.DateTimeFormat\'s format, with a date or without) are followed', async () => {
    // Neither was wrapped: what they made of today's date owed nothing to the clock as far as the tracing could tell.
    const constructs: Record<string, string> = {
      'date-parse': "const today = Date.parse(new Date().toISOString().slice(0, 10)); return Math.floor((today - (c.contact.reported_date || 0)) / (7 * 864e5)) % 3 === 0;",
      'intl-format': "return new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' }).format(new Date()) === 'Monday';",
      // Given no date, they format now: the simulated day's, as the phone's clock would give.
      'intl-format-now': "return new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' }).format() === 'Monday';",
      'intl-parts-now': "return new Intl.DateTimeFormat('en-US', { day: 'numeric', timeZone: 'UTC' }).formatToParts()[0].value % 7 === 2;",
    };
    // formatToParts gives objects, which the tracing does not follow: those contacts run plainly (the same days).
    await eachFollowed(constructs, populationFile(20, 3), (name, stats) => name === 'intl-parts-now' || expect(stats.untraced, name).toBeUndefined());
  });

  it('the length of a clock string and its characters by index are followed (a day zero-padded by hand)', async () => {
    const constructs: Record<string, string> = {
      'pad-by-length': "const d = String(new Date().getDate()); const p = d.length < 2 ? '0' + d : d; return p === '10' || p === '01';",
      'char-by-index': "const iso = new Date().toISOString(); return iso[9] === '5' || iso[8] === '3';",
      'last-char': "const s = String(new Date().getDate()); return s[s.length - 1] === '7';",
      'two-digit-day': 'return String(new Date().getDate()).length === 2;',
      // (Strings under 8 characters are pinned where they arise; a locale date is followed, and grows on the 10th.)
      'locale-date-length': "return new Date().toLocaleDateString('en-US').length > 8;",
    };
    await eachFollowed(constructs, populationFile(20, 3));
  });

  it('rules that throw stop it on the first day and contact the naive timeline stops on, not the first walked', async () => {
    // Each contact's first evaluation is in the middle of the span, and contacts are walked one after the other:
    // the first throw met was on that middle day (found by timeline-fuzz.test.ts), where the naive timeline
    // stops days earlier. Here one contact throws for a week in January, the others from March on.
    const dir = exampleAppWithTask(`{
  name: 'thrower', icon: 'icon-person', title: 'task.thrower', appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function (c) {
    const days = Math.floor((Date.now() - new Date(2024, 0, 1).getTime()) / 864e5);
    if (c.contact._id === 'p-3-1' && days >= 20 && days < 27) return null.late;
    if (days >= 70) return null.x;
    return false;
  },
  actions: [{ form: 'assessment' }],
  events: [{ id: 'e', days: 0, start: 0, end: 3 }],
}`);
    const loaded = await loadDryRun({ kind: 'project', dir }, [populationFile(60, 4)]);
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-04-30' };
    const stop = async (extra: object) => {
      try {
        await dryRunTasks(loaded, { ...request, ...extra });
        return 'no error';
      } catch (err) {
        return (err as Error).message;
      }
    };
    const naive = await stop({ naive: true });
    expect(naive).toMatch(/on 2024-01-21, for contact p-3-1/);
    expect(await stop({ reuse: 'always', threads: 1 })).toBe(naive);
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

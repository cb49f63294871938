import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dryRunTasks, loadDryRun, type TasksRequest } from '../../../src/simulate/index.js';
import { daysBetween } from '../../../src/simulate/engine/clock.js';
import { ContactCost, CostModel, MIN_TRACED, NAIVE_REASONS, PlainRuns, type Meter } from '../../../src/simulate/fast/contact-cost.js';
import { cleanupTemps } from '../../helpers/cli.js';
import { exampleAppWithTask, populationFile } from '../../helpers/dry-run.js';
import { evenMeter, withMeter } from './meter.js';

describe('ContactCost: when a contact stops being traced', () => {
  it('traces first, then measures a plain run as soon as another day needs computing', () => {
    const cost = new ContactCost();
    expect(cost.verdict()).toBe('trace');
    cost.addTraced(5, 30);
    expect(cost.verdict()).toBe('probe');
    cost.addProbe(1); // 5 ms traced for 30 days, against 30 ms plain
    expect(cost.verdict()).toBe('trace');
  });

  it('goes naive when its evaluations hold for about a day each, however cheap they are', () => {
    const cost = new ContactCost();
    cost.addTraced(1, 2);
    cost.addProbe(1);
    cost.addTraced(1, 1);
    cost.addProbe(1);
    expect(cost.verdict()).toBe('trace');
    cost.addTraced(1, 1);
    expect(cost.verdict()).toBe(NAIVE_REASONS.noReuse);
    expect(MIN_TRACED).toBe(3);
  });

  it('goes naive when tracing cost more than the plain runs of the days it covered, from its second evaluation', () => {
    const cost = new ContactCost();
    cost.addTraced(10, 5);
    expect(cost.verdict()).toBe('probe');
    cost.addProbe(1); // 10 ms traced for 5 days, against 5 ms plain: one evaluation alone may have been interrupted
    expect(cost.verdict()).toBe('trace');
    cost.addTraced(10, 5);
    expect(cost.verdict()).toBe('probe');
    cost.addProbe(1);
    expect(cost.verdict()).toBe(NAIVE_REASONS.cost);
  });

  it('leaves its dearest evaluation out: one interrupted by a garbage collection does not send it naive', () => {
    const cost = new ContactCost();
    cost.addTraced(0.2, 31);
    expect(cost.verdict()).toBe('probe');
    cost.addProbe(0.2);
    cost.addTraced(15, 30); // 0.2 ms where a pause took 15: 15.2 ms for 61 days, against 12.2 ms plain
    expect(cost.verdict()).toBe('probe');
    cost.addProbe(0.2);
    expect(cost.verdict()).toBe('trace');
    // A second pause is not left out: 30.4 ms for 122 days; without the dearest, 15.4 ms for 92, against 9.2 plain.
    cost.addTraced(0.2, 31);
    expect(cost.verdict()).toBe('trace');
    cost.addTraced(15, 30);
    expect(cost.verdict()).toBe('probe');
    cost.addProbe(0.1);
    expect(cost.verdict()).toBe(NAIVE_REASONS.cost);
  });

  it('keeps tracing while it pays, and probes again as evaluations double (the cheapest probe counts)', () => {
    const cost = new ContactCost();
    cost.addTraced(10, 5);
    expect(cost.verdict()).toBe('probe');
    cost.addProbe(4); // 10 ms traced for 5 days, against 20 ms plain
    expect(cost.verdict()).toBe('trace');
    cost.addTraced(10, 5);
    expect(cost.verdict()).toBe('probe');
    cost.addProbe(2.5); // 20 ms for 10 days, against 25 ms plain
    expect(cost.verdict()).toBe('trace');
    cost.addTraced(10, 5);
    expect(cost.verdict()).toBe('trace');
    cost.addTraced(10, 5);
    expect(cost.verdict()).toBe('probe');
    cost.addProbe(1.5); // 40 ms for 20 days, against 30 ms plain
    expect(cost.verdict()).toBe(NAIVE_REASONS.cost);
  });

  it('does not probe a contact whose tracing costs a fraction of the other contacts\' plain runs per day', () => {
    const runs = new PlainRuns();
    for (let i = 0; i < 7; i++) runs.add(2);
    expect(runs.typical()).toBeUndefined();
    runs.add(2);
    expect(runs.typical()).toBe(2);
    const cheap = new ContactCost();
    cheap.addTraced(4, 10); // 0.4 ms a day, a fifth of a typical plain run
    expect(cheap.verdict(runs.typical())).toBe('trace');
    const dear = new ContactCost();
    dear.addTraced(6, 10); // 0.6 ms a day
    expect(dear.verdict(runs.typical())).toBe('probe');
  });

  it('runs new contacts plainly first once most contacts traced so far went naive, and predicts from the cost per day', () => {
    const model = new CostModel();
    for (let i = 0; i < 8; i++) model.addTraced(`c-${i}`, 30, 2); // 15 ms a traced day
    expect(model.probeFirst()).toBe(false);
    for (let i = 0; i < 3; i++) model.wentNaive();
    expect(model.probeFirst()).toBe(false);
    model.wentNaive();
    expect(model.probeFirst()).toBe(true);
    expect(model.naive(7)).toBe(true);
    expect(model.naive(8)).toBe(false);
  });

  it('never probes a contact whose evaluations each cover months', () => {
    const cost = new ContactCost();
    for (let i = 0; i < 5; i++) {
      cost.addTraced(1000, 100);
      expect(cost.verdict()).toBe('trace');
    }
  });
});

const base = { at: { hours: 12, minutes: 0 }, allStates: false } as const;

// One contact (c-2) gets a task due "today": its emission changes every day, so each traced evaluation of it
// holds for its own day only. The other contacts hold for weeks or months.
const DAILY = `{
  name: 'due-today', icon: 'icon-person', title: 'task.due_today', appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function (c) { return c.contact._id === 'c-2'; },
  actions: [{ form: 'assessment' }],
  events: [{ id: 'today', start: 0, end: 1, dueDate: function () { return Utils.addDate(Utils.now(), 0); } }],
}`;

// One contact (w-1) gets a task due at the start of each week (counted from the epoch): its evaluations hold for
// a week each.
const WEEKLY = `{
  name: 'weekly', icon: 'icon-person', title: 'task.weekly', appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function (c) { return c.contact._id === 'w-1'; },
  actions: [{ form: 'assessment' }],
  events: [{ id: 'week', start: 0, end: 6, dueDate: function () { return new Date(Math.floor(Date.now() / 604800000) * 604800000); } }],
}`;

describe('a contact goes naive part-way through the optimised timeline, with exactly the naive answer', () => {
  afterAll(() => cleanupTemps());

  const cases: [string, Omit<TasksRequest, 'naive'>][] = [
    ['Ready tasks', { ...base, tz: 'Africa/Nairobi', from: '2024-02-01', to: '2024-04-30' }],
    ['all states, New York (DST)', { ...base, allStates: true, tz: 'America/New_York', from: '2024-02-20', to: '2024-04-10' }],
    ['reports as they arrive', { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-06-30', asReported: true }],
  ];
  for (const [name, request] of cases) {
    it(name, async () => {
      const { optimised, naive, stats } = await withMeter(exampleAppWithTask(DAILY), request, evenMeter);
      expect(optimised).toEqual(naive.days);
      expect(naive.days.filter((d) => d.tasks.some((t) => t.emission._id.includes('due-today'))).length).toBeGreaterThan(30);
      expect(naive.stats.wentNaive).toBeUndefined();
      const went = stats.wentNaive!;
      expect(went.contacts).toBe(1);
      expect(went.reasons).toEqual({ [NAIVE_REASONS.noReuse]: 1 });
      // c-2 was traced on MIN_TRACED days, then ran plainly on every other day (plus a probe or two of the
      // contacts that stayed traced); the others still reuse their evaluations.
      const days = daysBetween(request.from, request.to).length;
      expect(went.plainEvaluations).toBeGreaterThanOrEqual(days - MIN_TRACED);
      expect(went.plainEvaluations).toBeLessThan(days - MIN_TRACED + stats.containers);
      expect(stats.evaluations).toBeLessThan(naive.stats.evaluations / 4);
    });
  }

  it('through the API, timed on this machine', async () => {
    const dir = exampleAppWithTask(DAILY);
    const loaded = await loadDryRun({ kind: 'project', dir }, [path.join(dir, 'harness.defaults.json')]);
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-02-01', to: '2024-04-30' };
    const optimised = await dryRunTasks(loaded, request);
    const naive = await dryRunTasks(loaded, { ...request, naive: true });
    expect(optimised.days).toEqual(naive.days);
    // (c-2 always goes naive — for lack of reuse, or sooner, by cost; others may, by this machine's timings.)
    expect(optimised.stats.wentNaive!.contacts).toBeGreaterThanOrEqual(1);
    expect(optimised.stats.wentNaive!.plainEvaluations).toBeGreaterThanOrEqual(naive.days.length - MIN_TRACED);
  });

  it('a contact whose tracing costs more than its reuse saves (a meter that makes traced runs 10 times dearer)', async () => {
    const meter: Meter = (kind, work) => ({ value: work(), ms: kind === 'traced' ? 10 : 1 });
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-03-01', to: '2024-06-30' };
    const { optimised, naive, stats } = await withMeter(exampleAppWithTask(WEEKLY), request, meter);
    expect(optimised).toEqual(naive.days);
    expect(naive.days.filter((d) => d.tasks.some((t) => t.emission._id.includes('~week~weekly'))).length).toBe(naive.days.length);
    // w-1's weekly evaluations cover 7 days for the price of 10 plain runs; contacts whose evaluations cover
    // more than 10 days each stay traced.
    expect(stats.wentNaive!.reasons[NAIVE_REASONS.cost]).toBeGreaterThanOrEqual(1);
    expect(stats.wentNaive!.reasons[NAIVE_REASONS.noReuse]).toBeUndefined();
    expect(stats.wentNaive!.contacts).toBeLessThan(stats.containers);
  });

  it('once most contacts went naive, the next ones are predicted to, from a plain run on their first day', async () => {
    // Every contact gets a task due today: no evaluation holds more than a day, and traced runs cost 10 plain ones.
    const dir = exampleAppWithTask(DAILY.replace("return c.contact._id === 'c-2';", 'return true;').replace("appliesToType: ['person']", "appliesToType: ['person', 'clinic', 'health_center']"));
    const meter: Meter = (kind, work) => ({ value: work(), ms: kind === 'traced' ? 10 : 1 });
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-03-01', to: '2024-04-30' };
    const { optimised, naive, stats } = await withMeter(dir, request, meter, populationFile(40, 5));
    expect(optimised).toEqual(naive.days);
    const reasons = stats.wentNaive!.reasons;
    expect(reasons[NAIVE_REASONS.cost]).toBeGreaterThanOrEqual(8);
    expect(reasons[NAIVE_REASONS.predicted]).toBeGreaterThan(10);
  });
});

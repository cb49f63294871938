/* eslint-disable @typescript-eslint/no-explicit-any -- emissions are user-shaped */
import { afterEach, describe, expect, it } from 'vitest';
import {
  calculateState, isMoreReadyThan, isTimely, timingFacts, todayOf,
} from '../../../src/simulate/engine/task-states.js';
import { withSimulatedClock } from '../../../src/simulate/engine/clock.js';

const previousTz = process.env.TZ;
afterEach(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

const local = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();
const emission = (date: unknown, readyStart = 0, readyEnd = 0, extra: Record<string, unknown> = {}) => ({ date, readyStart, readyEnd, ...extra });
const stateOn = (e: any, now: number) => calculateState(e, timingFacts(e, now), todayOf(now));

describe('task states (cht-core 4.11.0 task-states.js calculateState)', () => {
  it('window is inclusive at day granularity, in local time', () => {
    process.env.TZ = 'America/New_York';
    const e = emission(new Date(2024, 2, 10, 0, 0), 2, 3); // due 03-10, window 03-08 … 03-13
    expect(stateOn(e, local(2024, 3, 7, 23, 59))).toBe('Draft');
    expect(stateOn(e, local(2024, 3, 8, 0, 0))).toBe('Ready');
    expect(stateOn(e, local(2024, 3, 13, 23, 59))).toBe('Ready');
    expect(stateOn(e, local(2024, 3, 14, 0, 0))).toBe('Failed');
  });

  it('uses the local date of a due date with a time of day', () => {
    process.env.TZ = 'Africa/Nairobi';
    // 2024-05-31T22:00Z is 2024-06-01 01:00 in Nairobi.
    const facts = timingFacts(emission(new Date(Date.UTC(2024, 4, 31, 22)), 0, 0), 0);
    expect(facts.window).toEqual({ dueDate: '2024-06-01', startDate: '2024-06-01', endDate: '2024-06-01' });
  });

  it('resolved wins over deleted, which wins over an invalid date', () => {
    expect(stateOn(emission(new Date(NaN), 0, 0, { resolved: true, deleted: true }), local(2024, 1, 1))).toBe('Completed');
    expect(stateOn(emission(new Date(NaN), 0, 0, { deleted: true }), local(2024, 1, 1))).toBe('Cancelled');
    expect(stateOn(emission(new Date(NaN)), local(2024, 1, 1))).toBe(false);
    expect(stateOn(emission(undefined), local(2024, 1, 1))).toBe(false);
    expect(stateOn(emission(0), local(2024, 1, 1))).toBe(false);
  });

  it('rounds fractional readyStart/readyEnd as moment does (1.5 → 2 days)', () => {
    process.env.TZ = 'UTC';
    const facts = timingFacts(emission(new Date(Date.UTC(2024, 0, 10)), 1.5, 2.5), 0);
    expect(facts.window).toEqual({ dueDate: '2024-01-10', startDate: '2024-01-08', endDate: '2024-01-13' });
  });

  it('takes numbers and date strings as due dates (moment parsing: date-only strings are local)', () => {
    process.env.TZ = 'America/New_York';
    expect(timingFacts(emission('2024-03-10'), 0).window.dueDate).toBe('2024-03-10');
    expect(timingFacts(emission(Date.UTC(2024, 2, 10, 3)), 0).window.dueDate).toBe('2024-03-09');
  });

  it('orders readiness Ready > Draft > Completed > Failed > Cancelled (invalid counts as Cancelled)', () => {
    expect(isMoreReadyThan('Ready', 'Draft')).toBe(true);
    expect(isMoreReadyThan('Draft', 'Completed')).toBe(true);
    expect(isMoreReadyThan('Completed', 'Failed')).toBe(true);
    expect(isMoreReadyThan('Failed', 'Cancelled')).toBe(true);
    expect(isMoreReadyThan('Cancelled', false)).toBe(false);
    expect(isMoreReadyThan(false, 'Cancelled')).toBe(false);
    expect(isMoreReadyThan('Ready', 'Ready')).toBe(false);
  });
});

describe('the 60/180-day rule (cht-core 4.11.0 task-states.js isTimely)', () => {
  for (const tz of ['UTC', 'Pacific/Auckland', 'America/Los_Angeles']) {
    it(`keeps windows ending ≥ today−59 and starting ≤ today+180, in ${tz}`, () => {
      process.env.TZ = tz;
      const now = local(2024, 6, 15, 12);
      const day = (offset: number) => new Date(2024, 5, 15 + offset, 0, 0);
      expect(isTimely(timingFacts(emission(day(-59)), now), now)).toBe(true);
      expect(isTimely(timingFacts(emission(day(-60)), now), now)).toBe(false);
      expect(isTimely(timingFacts(emission(day(180)), now), now)).toBe(true);
      expect(isTimely(timingFacts(emission(day(181)), now), now)).toBe(false);
      // The window counts, not the due date: due 100 days ago but open until 41 days ago.
      expect(isTimely(timingFacts(emission(day(-100), 0, 59), now), now)).toBe(true);
      expect(isTimely(timingFacts(emission(day(200), 30, 0), now), now)).toBe(true);
    });
  }

  it('at exactly 00:00 the future limit is today+179', () => {
    process.env.TZ = 'UTC';
    const midnight = local(2024, 6, 15, 0, 0);
    expect(isTimely(timingFacts(emission(new Date(2024, 5, 15 + 179)), midnight), midnight)).toBe(true);
    expect(isTimely(timingFacts(emission(new Date(2024, 5, 15 + 180)), midnight), midnight)).toBe(false);
  });

  it('never keeps an invalid date', () => {
    expect(isTimely(timingFacts(emission(new Date(NaN)), 0), 0)).toBe(false);
    expect(isTimely(timingFacts(emission(null), 0), 0)).toBe(false);
  });
});

describe('windows shared while a simulated clock runs', () => {
  const due = new Date(Date.UTC(2024, 4, 31, 22));
  it('shares the facts of emissions with the same due instant and offsets, and only those', async () => {
    await withSimulatedClock('Africa/Nairobi', 0, () => {
      const first = timingFacts(emission(due, 2, 3), 0);
      expect(timingFacts(emission(new Date(due.getTime()), 2, 3), 0)).toBe(first);
      expect(timingFacts(emission(due.getTime(), 2, 3), 0)).toBe(first);
      // Other offsets, or offsets that are not plain numbers, get their own window.
      expect(timingFacts(emission(due, 2, 4), 0).window).toEqual({ dueDate: '2024-06-01', startDate: '2024-05-30', endDate: '2024-06-05' });
      expect(timingFacts(emission(due, '2' as any, 3), 0)).not.toBe(first);
      expect(timingFacts(emission(due, 2, 3, { startDate: '2024-01-01', endDate: '2024-01-02' }), 0).window.startDate).toBe('2024-01-01');
      expect(first.window).toEqual({ dueDate: '2024-06-01', startDate: '2024-05-30', endDate: '2024-06-04' });
    });
  });

  it('works each window out in the zone of the clock that runs, never in an earlier one', async () => {
    const nairobi = await withSimulatedClock('Africa/Nairobi', 0, () => timingFacts(emission(due, 0, 0), 0));
    const newYork = await withSimulatedClock('America/New_York', 0, () => timingFacts(emission(due, 0, 0), 0));
    expect(nairobi.window.dueDate).toBe('2024-06-01');
    expect(newYork.window.dueDate).toBe('2024-05-31');
    // Outside a clock nothing is shared: each call works the window out in the zone of the moment.
    process.env.TZ = 'Africa/Nairobi';
    const a = timingFacts(emission(due, 0, 0), 0);
    expect(timingFacts(emission(due, 0, 0), 0)).not.toBe(a);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { intervalAt, intervalForMonth, monthStartDateOf, normalizeStartDate } from '../../../src/simulate/engine/calendar-interval.js';
import { formatDay } from '../../../src/simulate/engine/moment-compat.js';

const previousTz = process.env.TZ;
afterEach(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

const span = (i: { start: number; end: number }) => `${formatDay(i.start)}…${formatDay(i.end)}`;
const at = (y: number, m: number, d: number) => new Date(y, m - 1, d, 12).getTime();

describe('calendar interval (cht-core 4.11.0 calendar-interval)', () => {
  for (const tz of ['Africa/Nairobi', 'America/New_York', 'Pacific/Auckland']) {
    it(`follows calendar-interval, overflow quirks included, in ${tz}`, () => {
      process.env.TZ = tz;
      expect(span(intervalAt(1, at(2024, 2, 15)))).toBe('2024-02-01…2024-02-29');
      expect(span(intervalAt(30, at(2024, 3, 15)))).toBe('2024-03-01…2024-03-29');
      expect(span(intervalAt(31, at(2025, 5, 20)))).toBe('2025-05-01…2025-05-30');
      expect(span(intervalAt(31, at(2025, 1, 31)))).toBe('2025-01-31…2025-02-28');
      expect(span(intervalAt(15, at(2025, 3, 10)))).toBe('2025-02-15…2025-03-14');
      expect(span(intervalAt(26, at(2024, 3, 26)))).toBe('2024-03-26…2024-04-25');
      expect(span(intervalAt(26, at(2024, 3, 25)))).toBe('2024-02-26…2024-03-25');
    });
  }

  it('is inclusive: from local midnight to 23:59:59.999', () => {
    process.env.TZ = 'America/New_York';
    const i = intervalAt(1, at(2024, 3, 10));
    expect(i.start).toBe(new Date(2024, 2, 1).getTime());
    expect(i.end).toBe(new Date(2024, 3, 1).getTime() - 1);
  });

  it('normalises the start day: parseInt, and NaN, ≤ 0 or > 31 become 1', () => {
    expect(normalizeStartDate('26')).toBe(26);
    expect(normalizeStartDate(26.9)).toBe(26);
    expect(normalizeStartDate(undefined)).toBe(1);
    expect(normalizeStartDate(0)).toBe(1);
    expect(normalizeStartDate(32)).toBe(1);
    expect(normalizeStartDate('x')).toBe(1);
  });

  it('reads uhc.month_start_date, else uhc.visit_count.month_start_date', () => {
    expect(monthStartDateOf({ uhc: { month_start_date: 5, visit_count: { month_start_date: 9 } } })).toBe(5);
    expect(monthStartDateOf({ uhc: { visit_count: { month_start_date: 9 } } })).toBe(9);
    expect(monthStartDateOf({})).toBeUndefined();
  });

  it('names intervals after the month of their end, as target documents are', () => {
    process.env.TZ = 'Africa/Nairobi';
    expect(span(intervalForMonth(26, 2024, 6))).toBe('2024-05-26…2024-06-25');
    expect(span(intervalForMonth(31, 2025, 3))).toBe('2025-03-01…2025-03-30');
    expect(span(intervalForMonth(31, 2025, 4))).toBe('2025-03-31…2025-04-30');
    expect(span(intervalForMonth(1, 2024, 2))).toBe('2024-02-01…2024-02-29');
  });
});

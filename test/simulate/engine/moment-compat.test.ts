import { afterEach, describe, expect, it } from 'vitest';
import moment from 'moment';
import {
  addDays, addMonths, durationDays, endOfDay, endOfMonth, formatDay, momentValue, parseDay, setDayOfMonth, startOfDay, startOfMonth,
} from '../../../src/simulate/engine/moment-compat.js';

const ZONES = ['Africa/Nairobi', 'America/New_York', 'Pacific/Auckland', 'Asia/Kathmandu', 'UTC'];
const NOW = Date.UTC(2024, 2, 10, 9, 30);
const previousTz = process.env.TZ;
// Non-ISO strings are part of the comparison: moment falls back to the Date constructor, with a warning.
moment.suppressDeprecationWarnings = true;

afterEach(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

const inputs: unknown[] = [
  undefined, null, '', 0, 1, -1, NaN, 1717243200000, new Date(2024, 1, 29, 23, 59), new Date(NaN),
  '2024-03-10', '2024-02-30', '2023-02-29', '2024-13-01', '2024-03', '2024', '20240310', '202403',
  '2024-03-10T02:30', '2024-03-10T02:30:15.123456', '2024-03-10 08:00', '2024-03-10T24:00', '2024-03-10T24:01',
  '2024-03-10T12:00:00Z', '2024-03-10T12:00:00+05:45', '2024-03-10T12:00:00-0300', '2024-03-10T12:00:00.5+03',
  '2024-070', '2024-W10', '2024-W10-7', '2020-W53-1', ' 2024-03-10', '2024-03-10 ', 'March 10, 2024',
  'Sun Mar 10 2024 12:00:00 GMT+0300', 'not a date', '1717243200000', [2024, 2, 10], { year: 2024, month: 1, day: 29 },
  { years: 2023, M: 11, date: 31, h: 23 }, true,
];

describe('moment-compat: momentValue and formatDay agree with moment', () => {
  for (const tz of ZONES) {
    it(`in ${tz}`, () => {
      process.env.TZ = tz;
      for (const input of inputs) {
        const expected = input === undefined ? moment(NOW) : moment(input as moment.MomentInput);
        const mine = momentValue(input, NOW);
        const label = `${tz} ${JSON.stringify(input)}`;
        if (expected.isValid()) {
          expect(mine, label).toBe(expected.valueOf());
          expect(formatDay(mine), label).toBe(expected.format('YYYY-MM-DD'));
        } else expect(Number.isNaN(mine), label).toBe(true);
      }
    });
  }
});

describe('moment-compat: inputs moment reads as "now"', () => {
  it('undefined, an empty array and an empty object are the current instant', () => {
    for (const input of [undefined, [], {}]) expect(momentValue(input, NOW)).toBe(NOW);
    const before = Date.now();
    expect(moment([]).valueOf()).toBeGreaterThanOrEqual(before);
    expect(moment({}).valueOf()).toBeGreaterThanOrEqual(before);
  });
});

describe('moment-compat: day arithmetic', () => {
  it('adds days like moment (local calendar days, time of day kept, rounding half away from zero)', () => {
    for (const tz of ZONES) {
      process.env.TZ = tz;
      const bases = [new Date(2024, 2, 9, 0, 30).getTime(), new Date(2024, 10, 2, 23, 0).getTime(), new Date(2024, 0, 31, 12).getTime()];
      for (const base of bases) {
        for (const days of [0, 1, -1, 1.5, -1.5, 2.5, 0.49, '3', '-2', 'abc', null, true, 30, -60, 180]) {
          const expected = moment(base).add(days as number, 'days').valueOf();
          expect(addDays(base, days), `${tz} ${base} + ${String(days)}`).toBe(expected);
          expect(addDays(base, -durationDays(days)), `${tz} ${base} - ${String(days)}`).toBe(moment(base).subtract(days as number, 'days').valueOf());
        }
      }
    }
  });

  it('rounds fractional day counts as moment does (1.5 → 2)', () => {
    expect(durationDays(1.5)).toBe(2);
    expect(durationDays(-1.5)).toBe(-2);
    expect(durationDays(2.4)).toBe(2);
    expect(durationDays('x')).toBe(0);
  });

  it('start/end of day and month, setDate overflow and clamped months match moment', () => {
    for (const tz of ZONES) {
      process.env.TZ = tz;
      for (const ms of [new Date(2024, 1, 29, 15).getTime(), new Date(2024, 2, 10, 12).getTime(), new Date(2025, 0, 31, 1).getTime()]) {
        expect(startOfDay(ms)).toBe(moment(ms).startOf('day').valueOf());
        expect(endOfDay(ms)).toBe(moment(ms).endOf('day').valueOf());
        expect(startOfMonth(ms)).toBe(moment(ms).startOf('month').valueOf());
        expect(endOfMonth(ms)).toBe(moment(ms).endOf('month').valueOf());
        for (const d of [1, 15, 29, 30, 31]) expect(setDayOfMonth(ms, d)).toBe(moment(ms).date(d).valueOf());
        for (const m of [-1, 1, 2, 13]) expect(addMonths(ms, m)).toBe(moment(ms).add(m, 'month').valueOf());
      }
    }
  });

  it('parses YYYY-MM-DD as local midnight', () => {
    process.env.TZ = 'America/New_York';
    expect(parseDay('2024-03-10')).toBe(new Date(2024, 2, 10).getTime());
    expect(Number.isNaN(parseDay('2024-02-30'))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { laterCronProblems, laterTextStop } from '../../../src/schema/workflows/later-schedule.js';

// Where later 1.2.0's own text parser reports its error for each expression (-1 = read fully), as observed by
// running later 1.2.0 on them; laterTextStop must agree (trailing whitespace aside).
const LATER_TEXT: [string, number][] = [
  ['at 8:00 am on Monday', -1],
  ['at 10:00 am on tues of may in 2012', -1],
  ['on the 15-20th day of march-dec', -1],
  ['every weekday at 9:00', -1],
  ['at 09:30 and 17:00', -1],
  ['on the first day of the month', -1],
  ['every 2 hours starting on the 3rd hour', -1],
  ['on mon,wed,fri at 08:00', -1],
  ['at 8:00 except on sat', -1],
  ['every 7 days', -1],
  ['at 7:30am', -1],
  ['every monday at 8:00 am', 6],
  ['every day at 8:00', 6],
  ['at 9am', 3],
  ['at 25:00', 3],
  ['at 9:00 and on mon', 12],
  ['at 08:00 on tuesdays', 12],
  ['every 5 minutes between the 1st and 30th minute', 41],
  ['on the 2nd day instance of mon', 27],
  ['every 5 mins starting at the 2nd min', 25],
  ['every 2 foo starting on 3', 8],
  ['every 5', 7],
  ['xyz', 0],
];

describe("later's text expressions", () => {
  it.each(LATER_TEXT)('%j: later stops at %i', (text, stop) => {
    expect(laterTextStop(text)).toBe(stop < 0 ? undefined : stop);
  });

  it('ignores trailing whitespace (later has read the whole schedule) but not a blank expression', () => {
    expect(laterTextStop('at 9:00 ')).toBeUndefined();
    expect(laterTextStop('   ')).toBe(0);
  });
});

describe("later's cron", () => {
  it('accepts what later reads as standard cron does', () => {
    for (const c of ['0 8 * * 1', '0 8 * * MON-FRI', '*/15 * * * *', '0 8 1-5 * *', '0 8 L * *', '0 8 * * 1#2', '0 8 15W * *', '@daily', '0 8 ? * mon', '0 8 * * 0', '0 8 * * 1/2'])
      expect(laterCronProblems(c), c).toEqual([]);
  });

  it('reports weekday 7 (Saturday for later), unknown items, six fields and clamped values', () => {
    expect(laterCronProblems('0 8 * * 7')).toEqual(['weekday 7 is Saturday for later (Sunday is 0)']);
    expect(laterCronProblems('0 8 * * 1-7')).toEqual(['weekday 7 is Saturday for later (Sunday is 0)']);
    expect(laterCronProblems('0 8 * * monday')).toEqual(["later does not recognise 'MONDAY' in the day of week field and reads it as every value"]);
    expect(laterCronProblems('0 0 8 * * 1')[0]).toContain('6 fields');
    expect(laterCronProblems('0 25 * * *')).toEqual(["25 is beyond the hour field's 23: later reads it as 23"]);
  });
});

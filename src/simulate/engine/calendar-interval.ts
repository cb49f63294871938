import {
  addMonths, endOfDay, endOfMonth, setDayOfMonth, startOfDay, startOfMonth,
} from './moment-compat.js';

/** A reporting interval, inclusive on both ends, in epoch ms (cht-core 4.11.0 shared-libs/calendar-interval/src/index.js). */
export interface Interval {
  start: number;
  end: number;
}

/** settings.uhc.month_start_date, else uhc.visit_count.month_start_date (the webapp's UHC settings service). */
export function monthStartDateOf(settings: Record<string, unknown>): unknown {
  const uhc = settings.uhc as Record<string, unknown> | undefined;
  if (!uhc) return undefined;
  const visitCount = uhc.visit_count as Record<string, unknown> | undefined;
  return uhc.month_start_date || (visitCount && visitCount.month_start_date);
}

/** parseInt, and anything that is not 1..31 becomes 1 (calendar-interval's normalisation). */
export function normalizeStartDate(value: unknown): number {
  const n = parseInt(String(value), 10);
  return Number.isNaN(n) || n <= 0 || n > 31 ? 1 : n;
}

/**
 * The interval containing `reference` for a month that starts on day `startDate` (local time). Day d of a
 * month is moment's `.date(d)`, which overflows into the next month when the month is shorter; months are
 * added with clamping. Both quirks are kept (cht-core 4.11.0 shared-libs/calendar-interval/src/index.js).
 */
export function intervalAt(startDate: unknown, reference: number): Interval {
  const d = normalizeStartDate(startDate);
  if (d === 1) return { start: startOfMonth(reference), end: endOfMonth(reference) };
  if (d <= new Date(reference).getDate()) {
    return { start: startOfDay(setDayOfMonth(reference, d)), end: minimumEnd(d, true, reference) };
  }
  return {
    start: Math.min(startOfDay(setDayOfMonth(addMonths(reference, -1), d)), startOfMonth(reference)),
    end: minimumEnd(d, false, reference),
  };
}

function minimumEnd(d: number, nextMonth: boolean, reference: number): number {
  const month = addMonths(reference, nextMonth ? 1 : 0);
  return Math.min(endOfDay(setDayOfMonth(month, d - 1)), endOfMonth(month));
}

/**
 * The interval cht-core names after month `YYYY-MM` (its target document is tagged with the month of the
 * interval's end): the one containing the 1st of that month. For a start day d > 1 the 1st is before day d,
 * so its interval ends on day d-1 (or the month's end) of the same month.
 */
export function intervalForMonth(startDate: unknown, year: number, month: number): Interval {
  return intervalAt(startDate, new Date(year, month - 1, 1, 12).getTime());
}

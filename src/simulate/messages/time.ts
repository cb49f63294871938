import moment from 'moment';

/**
 * Dates as sentinel computes them: with moment (the library cht-core 4.11's transitions use) in the server's
 * time zone. moment reads the zone from the process (Date's local time), so a run sets TZ for its duration,
 * as the task dry-run's clock does; nothing else reads the clock: "now" is always passed in.
 */
export function inZone<T>(tz: string, fn: () => T): T {
  const had = Object.prototype.hasOwnProperty.call(process.env, 'TZ');
  const previous = process.env.TZ;
  const quiet = moment.suppressDeprecationWarnings;
  process.env.TZ = tz;
  // A start_from value like "2024-03-01 08:00" makes moment fall back to Date parsing with a console warning;
  // cht-core parses it the same way, so the value is kept and only the warning is silenced.
  moment.suppressDeprecationWarnings = true;
  try {
    return fn();
  } finally {
    moment.suppressDeprecationWarnings = quiet;
    if (had) process.env.TZ = previous;
    else delete process.env.TZ;
  }
}

const OFFSET_VALUE = /\d+/;
const OFFSET_UNIT = /(second|minute|hour|day|week|month|year)s?/;

/**
 * A schedule offset or a silence_for duration, parsed as cht-core 4.11 does (schedules.getOffset,
 * date.getDuration): split on single spaces, the first token must contain a digit and the second a unit name
 * (the tests are unanchored, so "12 weeks 3 days" means 12 weeks). Anything else: null.
 */
export function parseDuration(value: unknown): moment.Duration | null {
  const tokens = (typeof value === 'string' ? value : '').split(' ');
  const amount = tokens[0] ?? '';
  const unit = tokens[1];
  if (OFFSET_VALUE.test(amount) && unit !== undefined && OFFSET_UNIT.test(unit)) {
    return moment.duration(Number(amount), unit as moment.unitOfTime.DurationConstructor);
  }
  return null;
}

/** send_time "HH:mm[ <utc offset>]" split as cht-core does: [hours, minutes, zone?] as strings. */
export function sendTimeParts(value: unknown): string[] {
  if (typeof value !== 'string' || !value) return [];
  const parts = value.split(/\s+/);
  const time = (parts[0] ?? '').split(':');
  return [time[0] ?? '', time[1] as string, parts[1] as string];
}

/**
 * A schedule message's due time from its start: start + offset, then send_time (in its UTC offset when given,
 * else the server's zone), then send_day (moment's day(): the named weekday of the same Sunday-based week).
 * Call inside inZone.
 */
export function dueTime(start: moment.Moment, offset: moment.Duration, sendTime: unknown, sendDay: unknown): moment.Moment {
  const due = start.clone().add(offset);
  const parts = sendTimeParts(sendTime);
  if (parts.length >= 2) {
    if (parts[2] !== undefined) due.utcOffset(parts[2]);
    // Strings, as cht-core passes them: moment ignores what is not a number ("9am"), as in production.
    due.hours(parts[0] as unknown as number);
    due.minutes(parts[1] as unknown as number);
    due.seconds(0);
    due.milliseconds(0);
  }
  if (sendDay) due.day(sendDay as string);
  return due;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The local day (YYYY-MM-DD) and time (HH:mm) of an instant in the run's zone. Call inside inZone: Date's local
 * getters read the zone inZone set (much cheaper than an Intl formatter per message).
 */
export function localDayTime(ms: number): { day: string; time: string } {
  const d = new Date(ms);
  return { day: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
}

/**
 * Sentinel's sending window (sentinel/src/schedule/index.js sendable()): due messages are turned pending only while
 * the server's local time (hours and minutes) is between schedule_morning_hours:minutes (default 00:00) and
 * schedule_evening_hours:minutes (default 23:00; 0 also means 23). In minutes of the day.
 */
export function sendWindow(settings: Record<string, unknown>): { after: number; until: number } {
  const n = (v: unknown, fallback: number): number => (Number(v) || fallback);
  return {
    after: n(settings.schedule_morning_hours, 0) * 60 + n(settings.schedule_morning_minutes, 0),
    until: n(settings.schedule_evening_hours, 23) * 60 + n(settings.schedule_evening_minutes, 0),
  };
}

/**
 * When a message due at `dueMs` is handed to the gateway: at its due time inside the window, else when the window
 * next opens (the same day before it opens, the next day after it closes); undefined when the window never opens.
 * Call inside inZone.
 */
export function sendTime(dueMs: number, window: { after: number; until: number }): number | undefined {
  if (window.after > window.until) return undefined;
  const due = moment(dueMs);
  const minute = due.hours() * 60 + due.minutes();
  if (minute >= window.after && minute <= window.until) return dueMs;
  const open = due.clone().startOf('day').add(window.after, 'minutes');
  if (minute > window.until) open.add(1, 'day');
  return open.valueOf();
}

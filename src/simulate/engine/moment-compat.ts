/**
 * The few moment.js behaviours cht-core's rules engine relies on (task-states, calendar-interval, the target
 * interval filter), re-implemented on the JS Date in the process's local time zone (cht-core 4.11.0 shared-libs/rules-engine/src/task-states.js and target-state.js, shared-libs/calendar-interval/src/index.js).
 * moment is not a runtime dependency of chtkit; test/simulate/moment-compat.test.ts checks these functions
 * against moment itself.
 */

/** moment(input).valueOf(): epoch ms, or NaN when moment would call the result invalid. `now` is for `moment()`. */
export function momentValue(input: unknown, now: number): number {
  if (input === undefined) return now;
  if (input === null || input === '') return NaN;
  if (isMomentLike(input)) {
    const m = input as { _d?: unknown; isValid?: () => boolean };
    if (typeof m.isValid === 'function' && !m.isValid()) return NaN;
    return m._d instanceof Date ? m._d.getTime() : NaN;
  }
  if (input instanceof Date) return input.getTime();
  if (typeof input === 'number' || Object.prototype.toString.call(input) === '[object Number]') {
    return new Date(Number(input)).getTime();
  }
  if (typeof input === 'string') return parseString(input);
  if (Array.isArray(input)) return input.length === 0 ? now : fromParts(input.map(Number), now);
  if (Object.prototype.toString.call(input) === '[object Object]') {
    const obj = input as Record<string, unknown>;
    if (!hasOwnKeys(obj)) return now;
    return fromObject(obj, now);
  }
  // moment's fallback for everything else: the Date constructor on the string form.
  return new Date(String(input)).getTime();
}

function isMomentLike(x: unknown): boolean {
  return typeof x === 'object' && x !== null && (x as { _isAMomentObject?: unknown })._isAMomentObject != null;
}

function hasOwnKeys(obj: object): boolean {
  for (const k in obj) if (Object.prototype.hasOwnProperty.call(obj, k)) return true;
  return false;
}

const UNIT_ALIASES: Record<string, string> = {
  y: 'year', year: 'year', years: 'year',
  M: 'month', month: 'month', months: 'month',
  D: 'date', date: 'date', dates: 'date',
  d: 'day', day: 'day', days: 'day',
  h: 'hour', hour: 'hour', hours: 'hour',
  m: 'minute', minute: 'minute', minutes: 'minute',
  s: 'second', second: 'second', seconds: 'second',
  ms: 'millisecond', millisecond: 'millisecond', milliseconds: 'millisecond',
};

function fromObject(obj: Record<string, unknown>, now: number): number {
  const units: Record<string, number> = {};
  for (const key of Object.keys(obj)) {
    const unit = UNIT_ALIASES[key] ?? UNIT_ALIASES[key.toLowerCase()];
    if (unit) units[unit] = Number(obj[key]);
  }
  const day = units.day === undefined ? units.date : units.day;
  return fromParts([units.year, units.month, day, units.hour, units.minute, units.second, units.millisecond], now);
}

/**
 * moment's configFromArray: missing leading date parts default to today (day given → default month/year;
 * month given → default year), time parts to 0; out-of-range parts make the result invalid.
 */
function fromParts(parts: (number | undefined)[], now: number): number {
  const today = new Date(now);
  const current = [today.getFullYear(), today.getMonth(), today.getDate()];
  const a: (number | undefined)[] = parts.slice(0, 7);
  let i = 0;
  for (; i < 3 && a[i] === undefined; i++) a[i] = current[i];
  for (; i < 7; i++) if (a[i] === undefined) a[i] = i === 2 ? 1 : 0;
  const [y, mo, d, h, mi, s, ms] = a as number[];
  return build(y!, mo!, d!, h!, mi!, s!, ms!, undefined);
}

const DATE_FORMS: [RegExp, string][] = [
  [/^([+-]\d{6})-(\d\d)-(\d\d)$/, 'YMD'],
  [/^(\d{4})-(\d\d)-(\d\d)$/, 'YMD'],
  [/^(\d{4})-W(\d\d)-(\d)$/, 'GWE'],
  [/^(\d{4})-W(\d\d)$/, 'GW'],
  [/^(\d{4})-(\d{3})$/, 'YDDD'],
  [/^(\d{4})-(\d\d)$/, 'YM'],
  [/^([+-]\d{6})(\d\d)(\d\d)$/, 'YMD'],
  [/^(\d{4})(\d\d)(\d\d)$/, 'YMD'],
  [/^(\d{4})W(\d\d)(\d)$/, 'GWE'],
  [/^(\d{4})W(\d\d)$/, 'GW'],
  [/^(\d{4})(\d{3})$/, 'YDDD'],
  [/^(\d{4})(\d\d)$/, 'YM'],
  [/^(\d{4})$/, 'Y'],
];

const EXTENDED = /^\s*((?:[+-]\d{6}|\d{4})-(?:\d\d-\d\d|W\d\d-\d|W\d\d|\d\d\d|\d\d))(?:(T| )(\d\d(?::\d\d(?::\d\d(?:[.,]\d+)?)?)?)([+-]\d\d(?::?\d\d)?|\s*Z)?)?$/;
const BASIC = /^\s*((?:[+-]\d{6}|\d{4})(?:\d\d\d\d|W\d\d\d|W\d\d|\d\d\d|\d\d|))(?:(T| )(\d\d(?:\d\d(?:\d\d(?:[.,]\d+)?)?)?)([+-]\d\d(?::?\d\d)?|\s*Z)?)?$/;
const TIME = /^(\d\d):?(\d\d)?(?::?(\d\d)(?:[.,](\d+))?)?$/;

/** ISO 8601 strings as moment parses them (no offset → local time), else the Date constructor's reading. */
function parseString(input: string): number {
  const m = EXTENDED.exec(input) ?? BASIC.exec(input);
  if (!m) return new Date(input).getTime();
  const datePart = m[1]!;
  const form = DATE_FORMS.find(([re]) => re.test(datePart));
  if (!form) return NaN;
  const parts = form[0].exec(datePart)!;
  const kind = form[1];
  if (m[3] !== undefined && (kind === 'YM' || kind === 'GW' || kind === 'Y')) return NaN; // moment: no time after these
  let y = Number(parts[1]);
  let mo = 0;
  let d = 1;
  if (kind === 'YMD') {
    mo = Number(parts[2]) - 1;
    d = Number(parts[3]);
  } else if (kind === 'YM') {
    mo = Number(parts[2]) - 1;
  } else if (kind === 'YDDD') {
    const ordinal = Number(parts[2]);
    if (ordinal < 1 || ordinal > (isLeap(y) ? 366 : 365)) return NaN;
    d = ordinal;
  } else if (kind === 'GW' || kind === 'GWE') {
    const week = Number(parts[2]);
    const weekday = kind === 'GWE' ? Number(parts[3]) : 1;
    if (week < 1 || week > isoWeeksInYear(y) || weekday < 1 || weekday > 7) return NaN;
    const start = isoWeekStart(y);
    const date = new Date(Date.UTC(start.y, start.m, start.d + (week - 1) * 7 + (weekday - 1)));
    y = date.getUTCFullYear();
    mo = date.getUTCMonth();
    d = date.getUTCDate();
  }
  let h = 0;
  let mi = 0;
  let s = 0;
  let ms = 0;
  if (m[3] !== undefined) {
    const t = TIME.exec(m[3]);
    if (!t) return NaN;
    h = Number(t[1]);
    mi = t[2] === undefined ? 0 : Number(t[2]);
    s = t[3] === undefined ? 0 : Number(t[3]);
    ms = t[4] === undefined ? 0 : Math.trunc(Number(`0.${t[4]}`) * 1000);
  }
  let offsetMinutes: number | undefined;
  if (m[4] !== undefined) {
    const z = m[4].trim();
    if (z === 'Z') offsetMinutes = 0;
    else {
      const o = /^([+-])(\d\d):?(\d\d)?$/.exec(z)!;
      offsetMinutes = (o[1] === '-' ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3] ?? 0));
    }
  }
  if (kind === 'YDDD') return build(y, 0, d, h, mi, s, ms, offsetMinutes, true);
  return build(y, mo, d, h, mi, s, ms, offsetMinutes);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m]!;
}

/** Monday of ISO week 1 of `y`, as UTC parts. */
function isoWeekStart(y: number): { y: number; m: number; d: number } {
  const jan4 = new Date(Date.UTC(y, 0, 4));
  const dow = jan4.getUTCDay() || 7;
  const monday = new Date(Date.UTC(y, 0, 4 - (dow - 1)));
  return { y: monday.getUTCFullYear(), m: monday.getUTCMonth(), d: monday.getUTCDate() };
}

function isoWeeksInYear(y: number): number {
  const start = isoWeekStart(y);
  const next = isoWeekStart(y + 1);
  return Math.round((Date.UTC(next.y, next.m, next.d) - Date.UTC(start.y, start.m, start.d)) / (7 * 86400000));
}

/** A local (or offset) date from parts, with moment's overflow checks (out of range → invalid). */
function build(
  y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number,
  offsetMinutes: number | undefined, dayOfYear = false,
): number {
  if ([y, mo, d, h, mi, s, ms].some((v) => !Number.isFinite(v))) return NaN;
  if (!dayOfYear && (mo < 0 || mo > 11 || d < 1 || d > daysInMonth(y, mo))) return NaN;
  const nextDay = h === 24 && mi === 0 && s === 0 && ms === 0;
  if ((h < 0 || h > 23) && !nextDay) return NaN;
  if (mi < 0 || mi > 59 || s < 0 || s > 59 || ms < 0 || ms > 999) return NaN;
  const hour = nextDay ? 0 : h;
  let value: number;
  if (offsetMinutes === undefined) {
    const date = new Date(y, mo, d, hour, mi, s, ms);
    if (y < 100 && y >= 0) date.setFullYear(y);
    value = date.getTime();
  } else {
    const date = new Date(Date.UTC(y, mo, d, hour, mi, s, ms));
    if (y < 100 && y >= 0) date.setUTCFullYear(y);
    value = date.getTime() - offsetMinutes * 60000;
  }
  if (nextDay) {
    const date = new Date(value);
    date.setDate(date.getDate() + 1);
    value = date.getTime();
  }
  return value;
}

function zeroFill(n: number, width: number): string {
  const abs = String(Math.abs(n));
  return (n < 0 ? '-' : '') + abs.padStart(width, '0');
}

/** moment(ms).format('YYYY-MM-DD') in local time; NaN stays NaN (cht-core stores it as such). */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return 'Invalid date';
  const y = d.getFullYear();
  const year = y <= 9999 ? zeroFill(y, 4) : `+${y}`;
  return `${year}-${zeroFill(d.getMonth() + 1, 2)}-${zeroFill(d.getDate(), 2)}`;
}

/** moment's reading of a day count given to add()/subtract(..., 'days'): numbers and numeric strings, else 0. */
export function durationDays(value: unknown): number {
  let days: number;
  if (typeof value === 'number') days = value;
  else if (value !== null && typeof value === 'object') days = 0;
  else days = Number.isNaN(Number(value)) ? 0 : Number(value);
  // moment's absRound: half away from zero.
  return days < 0 ? -Math.round(-days) : Math.round(days);
}

/** moment(ms).add(days, 'days'): calendar days in local time, the time of day kept (setDate). */
export function addDays(ms: number, days: unknown): number {
  const n = durationDays(days);
  const d = new Date(ms);
  if (n) d.setDate(d.getDate() + n);
  return d.getTime();
}

/** Local midnight of a 'YYYY-MM-DD' string, as moment parses it (NaN when invalid). */
export function parseDay(day: string): number {
  return parseString(day);
}

export function startOfDay(ms: number): number {
  const d = new Date(ms);
  return startOfDate(d.getFullYear(), d.getMonth(), d.getDate());
}

export function endOfDay(ms: number): number {
  const d = new Date(ms);
  return startOfDate(d.getFullYear(), d.getMonth(), d.getDate() + 1) - 1;
}

export function startOfMonth(ms: number): number {
  const d = new Date(ms);
  return startOfDate(d.getFullYear(), d.getMonth(), 1);
}

export function endOfMonth(ms: number): number {
  const d = new Date(ms);
  return startOfDate(d.getFullYear(), d.getMonth() + 1, 1) - 1;
}

function startOfDate(y: number, m: number, d: number): number {
  if (y < 100 && y >= 0) {
    const date = new Date(y + 400, m, d);
    date.setFullYear(y);
    return date.getTime();
  }
  return new Date(y, m, d).getTime();
}

/** moment(ms).date(day): sets the day of the month, overflowing into the next month (no clamping). */
export function setDayOfMonth(ms: number, day: number): number {
  const d = new Date(ms);
  d.setDate(day);
  return d.getTime();
}

/** moment(ms).add(months, 'month'): the day of the month is clamped to the target month's length. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = d.getMonth() + months;
  const y = d.getFullYear() + Math.floor(target / 12);
  const m = ((target % 12) + 12) % 12;
  d.setMonth(target, Math.min(d.getDate(), daysInMonth(y, m)));
  return d.getTime();
}

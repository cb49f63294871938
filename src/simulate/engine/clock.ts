import { UserError } from '../../errors.js';
import { shareWindows } from './task-states.js';

/**
 * The simulated device clock: a time zone for the whole run (process.env.TZ, so every local-time Date method,
 * cht-nootils and user code see the device's zone) and a faked `Date` (Date.now, argument-less `new Date()` and
 * `Date()`), as cht-conf-test-harness does with sinon. Reads of "now" are counted, so the timeline can tell
 * whether an evaluation depended on the clock at all.
 */
export interface SimulatedClock {
  readonly tz: string;
  /** Moves the faked clock. */
  set(now: number): void;
  now(): number;
  /** Runs `fn` and reports whether it read the clock. */
  watch<T>(fn: () => T): { value: T; readClock: boolean };
}

let listedZones: Set<string> | undefined;

export function validTimeZone(tz: string): boolean {
  // The zones Intl lists (2 ms) answer for most names without the ~18 ms a first DateTimeFormat costs: it loads
  // formatting data a dry-run never uses. Aliases it does not list (UTC, Asia/Kolkata, US/Eastern) are checked
  // that slower way.
  listedZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (listedZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** --tz, else the TZ environment variable, else the system's zone. */
export function resolveTimeZone(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const tz = flag ?? (env.TZ || undefined) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!validTimeZone(tz)) {
    throw new UserError(`Unknown time zone: ${tz}`, {
      code: 'CHT_E_TIME_ZONE',
      hint: 'Give an IANA zone name such as Africa/Nairobi or America/New_York (--tz, or the TZ variable).',
    });
  }
  return tz;
}

let active = false;

/** Observers of clock reads and Date constructions (clock tracing sets them while it runs). */
export const clockHooks: {
  now?: (value: number) => void;
  string?: (value: string) => void;
  /**
   * `new Date(...)` gave `date` from `count` arguments, the first seven of which follow (the constructor reads
   * no more): passed one by one, as an array made for every Date the rules construct costs the garbage collector.
   */
  constructed?: (date: Date, count: number, a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown, g: unknown) => void;
} = {};

/**
 * Sets the zone and fakes the clock for the duration of `fn`, then restores both (also when `fn` throws).
 * Runs are not re-entrant: the zone and Date are process-wide.
 *
 * `Date` is replaced by a stand-in for the native constructor whose argument-less construction, `Date()` and
 * `Date.now()` read the simulated instant; every other use is the native Date, so instances are real Dates
 * (`instanceof Date`, prototype methods, internal slots, subclasses). This is what @sinonjs/fake-timers does
 * for Date, without its per-construction overhead (it wraps every `new Date(x)`), which the rules call a lot.
 */
export async function withSimulatedClock<T>(tz: string, start: number, fn: (clock: SimulatedClock) => Promise<T> | T): Promise<T> {
  if (active) throw new Error('withSimulatedClock is not re-entrant');
  active = true;
  const previousTz = process.env.TZ;
  const hadTz = Object.prototype.hasOwnProperty.call(process.env, 'TZ');
  process.env.TZ = tz;
  shareWindows(true);
  const native = globalThis.Date;
  let current = start;
  let reads = 0;
  const now = (): number => {
    reads++;
    clockHooks.now?.(current);
    return current;
  };
  const simulated = simulatedDate(native, {
    now,
    construct() {
      reads++;
      return current;
    },
    string() {
      reads++;
      const text = new native(current).toString();
      clockHooks.string?.(text);
      return text;
    },
  });
  globalThis.Date = simulated;
  const restoreIntl = simulateIntlNow(now);
  const clock: SimulatedClock = {
    tz,
    set: (ms) => {
      current = ms;
    },
    now: () => current,
    watch: (f) => {
      const before = reads;
      const value = f();
      return { value, readClock: reads !== before };
    },
  };
  try {
    return await fn(clock);
  } finally {
    globalThis.Date = native;
    restoreIntl();
    if (hadTz) process.env.TZ = previousTz;
    else delete process.env.TZ;
    shareWindows(false);
    active = false;
  }
}

/**
 * Intl.DateTimeFormat's `format()` and `formatToParts()` given no date format "now" (ECMA-402: Date.now()), which V8
 * reads from the real clock, not from the Date stand-in; on the phone it is the device's clock, the simulated one
 * here. The formatter's `format` is a getter whose function is made once per formatter (as the native one is).
 */
function simulateIntlNow(now: () => number): () => void {
  const proto = Intl.DateTimeFormat.prototype;
  const parts = Object.getOwnPropertyDescriptor(proto, 'formatToParts');
  const format = Object.getOwnPropertyDescriptor(proto, 'format');
  if (typeof parts?.value !== 'function' || typeof format?.get !== 'function') return () => undefined;
  const nativeParts = parts.value as (this: Intl.DateTimeFormat, date?: Date | number) => Intl.DateTimeFormatPart[];
  const nativeFormat = format.get;
  Object.defineProperty(proto, 'formatToParts', {
    ...parts,
    value: { formatToParts(this: Intl.DateTimeFormat, date?: Date | number) { return nativeParts.call(this, date === undefined ? now() : date); } }.formatToParts,
  });
  const made = new WeakMap<object, (date?: Date | number) => string>();
  Object.defineProperty(proto, 'format', {
    ...format,
    get(this: Intl.DateTimeFormat) {
      let f = made.get(this);
      if (!f) {
        const bound = nativeFormat.call(this) as (date?: Date | number) => string;
        f = (date?: Date | number) => bound(date === undefined ? now() : date);
        made.set(this, f);
      }
      return f;
    },
  });
  return () => {
    Object.defineProperty(proto, 'formatToParts', parts);
    Object.defineProperty(proto, 'format', format);
  };
}

interface SimulatedNow {
  /** `Date.now()`. */
  now(): number;
  /** The instant an argument-less `new Date()` takes (a read of the clock). */
  construct(): number;
  /** `Date()` called as a function. */
  string(): string;
}

type AnyDateConstructor = new (...args: unknown[]) => Date;

/**
 * The stand-in Date. A bound function, so that it looks like the native constructor from outside
 * (`Function.prototype.toString` gives `function () { [native code] }`, as for the Proxy it replaced), with the
 * native prototype (so `instanceof` and subclassing work) and its own `now`, `parse` and `UTC`. Construction
 * goes straight to the native constructor with the same arguments — not through a Proxy trap and a generic
 * `Reflect.construct`, which cost about a microsecond per `new Date(x)`; the rules and the engine construct
 * Dates a lot.
 */
function simulatedDate(nativeDate: DateConstructor, clock: SimulatedNow): DateConstructor {
  const N = nativeDate as unknown as AnyDateConstructor;
  /* eslint-disable prefer-rest-params -- `arguments.length` tells `new Date(undefined)` from `new Date()` without allocating */
  const construct = function (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown, g?: unknown): Date | string {
    if (new.target === undefined) return clock.string();
    const n = arguments.length;
    let date: Date;
    if (new.target === construct) {
      switch (n) {
        case 0: date = new N(clock.construct()); break;
        case 1: date = new N(a); break;
        case 2: date = new N(a, b); break;
        case 3: date = new N(a, b, c); break;
        case 4: date = new N(a, b, c, d); break;
        case 5: date = new N(a, b, c, d, e); break;
        case 6: date = new N(a, b, c, d, e, f); break;
        case 7: date = new N(a, b, c, d, e, f, g); break;
        default: date = Reflect.construct(N, Array.prototype.slice.call(arguments)); break;
      }
    } else {
      // A subclass of Date (`class D extends Date`): the native constructor with the subclass as new.target.
      date = Reflect.construct(N, n === 0 ? [clock.construct()] : Array.prototype.slice.call(arguments), new.target);
    }
    if (clockHooks.constructed) clockHooks.constructed(date, n, a, b, c, d, e, f, g);
    return date;
  };
  /* eslint-enable prefer-rest-params */
  const simulated = construct.bind(undefined) as unknown as DateConstructor;
  Object.defineProperty(simulated, 'name', { value: 'Date', configurable: true });
  Object.defineProperty(construct, 'prototype', { value: nativeDate.prototype, writable: false });
  for (const key of ['prototype', 'now', 'parse', 'UTC'] as const) {
    const fixed = key === 'prototype';
    Object.defineProperty(simulated, key, { value: key === 'now' ? clock.now : nativeDate[key], writable: !fixed, enumerable: false, configurable: !fixed });
  }
  return simulated;
}

/** `YYYY-MM-DD` at `HH:MM` local time (in the zone currently set) as epoch ms. */
export function localTimestamp(day: string, at: { hours: number; minutes: number }): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, at.hours, at.minutes, 0, 0).getTime();
}

/** The calendar days from..to inclusive, as `YYYY-MM-DD` (pure calendar arithmetic, zone-independent). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const end = Date.UTC(...(to.split('-').map(Number).map((v, i) => (i === 1 ? v - 1 : v)) as [number, number, number]));
  for (let t = Date.UTC(y, m - 1, d); t <= end; t += 86400000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

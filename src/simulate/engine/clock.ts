import { UserError } from '../../errors.js';

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

export function validTimeZone(tz: string): boolean {
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
  constructed?: (date: Date, args: unknown[]) => void;
} = {};

/**
 * Sets the zone and fakes the clock for the duration of `fn`, then restores both (also when `fn` throws).
 * Runs are not re-entrant: the zone and Date are process-wide.
 *
 * `Date` is replaced by a proxy of the native constructor whose argument-less construction, `Date()` and
 * `Date.now()` read the simulated instant; every other use is the native Date, so instances are real Dates
 * (`instanceof Date`, prototype methods, internal slots). This is what @sinonjs/fake-timers does for Date,
 * without its per-construction overhead (it wraps every `new Date(x)`), which the rules call a lot.
 */
export async function withSimulatedClock<T>(tz: string, start: number, fn: (clock: SimulatedClock) => Promise<T> | T): Promise<T> {
  if (active) throw new Error('withSimulatedClock is not re-entrant');
  active = true;
  const previousTz = process.env.TZ;
  const hadTz = Object.prototype.hasOwnProperty.call(process.env, 'TZ');
  process.env.TZ = tz;
  const native = globalThis.Date;
  let current = start;
  let reads = 0;
  const now = (): number => {
    reads++;
    clockHooks.now?.(current);
    return current;
  };
  const simulated: DateConstructor = new Proxy(native, {
    construct(target, args, newTarget): object {
      const nt = newTarget === simulated ? target : newTarget;
      if (args.length === 0) reads++;
      const date = Reflect.construct(target, args.length === 0 ? [current] : args, nt) as Date;
      clockHooks.constructed?.(date, args);
      return date;
    },
    apply() {
      reads++;
      const text = new native(current).toString();
      clockHooks.string?.(text);
      return text;
    },
    get(target, key) {
      if (key === 'now') return now;
      return Reflect.get(target, key);
    },
  });
  globalThis.Date = simulated;
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
    if (hadTz) process.env.TZ = previousTz;
    else delete process.env.TZ;
    active = false;
  }
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

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { daysBetween, localTimestamp, resolveTimeZone, withSimulatedClock } from '../../../src/simulate/engine/clock.js';
import { UserError } from '../../../src/errors.js';

const nootils = createRequire(import.meta.url)('cht-nootils')({});

describe('the simulated clock (cht-core 4.11.0 runs in the phone zone)', () => {
  it('fakes Date.now, argument-less new Date(), Date() and Utils.now(), in the zone, and restores both', async () => {
    const NativeDate = Date;
    const tzBefore = process.env.TZ;
    const at = Date.UTC(2024, 2, 10, 7, 30);
    await withSimulatedClock('America/New_York', at, (clock) => {
      expect(Date.now()).toBe(at);
      expect(new Date().getTime()).toBe(at);
      expect(Date()).toBe(new NativeDate(at).toString());
      expect(nootils.now().getTime()).toBe(at);
      expect(new Date().getHours()).toBe(3); // 07:30Z is 03:30 EDT
      expect(new Date(5).getTime()).toBe(5);
      expect(new Date() instanceof NativeDate).toBe(true);
      clock.set(at + 86400000);
      expect(nootils.addDate(null, 0).getTime()).toBe(new NativeDate(2024, 2, 11).getTime());
    });
    expect(Date).toBe(NativeDate);
    expect(process.env.TZ).toBe(tzBefore);
  });

  it('gives Intl.DateTimeFormat\'s format() and formatToParts() with no date the simulated now, and restores them', async () => {
    const at = Date.UTC(2024, 2, 10, 7, 30);
    const options = { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' } as const;
    const dtf = new Intl.DateTimeFormat('en-US', options);
    const expected = dtf.format(at);
    const expectedParts = dtf.formatToParts(at);
    await withSimulatedClock('America/New_York', at, (clock) => {
      expect(dtf.format()).toBe(expected);
      expect(dtf.format(undefined)).toBe(expected);
      expect(new Intl.DateTimeFormat('en-US', options).format()).toBe(expected);
      expect(dtf.formatToParts()).toEqual(expectedParts);
      expect(dtf.format(0)).toBe('01/01/1970, 12:00 AM');
      expect(dtf.format).toBe(dtf.format); // one function per formatter, as the native getter gives
      expect(clock.watch(() => dtf.format()).readClock).toBe(true);
      expect(clock.watch(() => dtf.format(at)).readClock).toBe(false);
      clock.set(at + 86400000);
      expect(dtf.format()).toBe(dtf.format(at + 86400000));
    });
    // Restored: the real clock again.
    expect(Math.abs(new Date(dtf.format() + ' UTC').getTime() - Date.now())).toBeLessThan(120_000);
  });

  it('restores Date and TZ when the body throws', async () => {
    const NativeDate = Date;
    await expect(withSimulatedClock('Asia/Kathmandu', 0, () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(Date).toBe(NativeDate);
  });

  it('tells whether a piece of code read the clock', async () => {
    await withSimulatedClock('UTC', 0, (clock) => {
      expect(clock.watch(() => new Date(1)).readClock).toBe(false);
      expect(clock.watch(() => Date.UTC(2024, 0, 1)).readClock).toBe(false);
      expect(clock.watch(() => Date.now()).readClock).toBe(true);
      expect(clock.watch(() => new Date()).readClock).toBe(true);
      expect(clock.watch(() => nootils.now()).readClock).toBe(true);
      expect(clock.watch(() => nootils.addDate(undefined, 1)).readClock).toBe(true);
    });
  });

  it('computes local instants and day lists', async () => {
    await withSimulatedClock('America/New_York', 0, () => {
      expect(localTimestamp('2024-03-10', { hours: 12, minutes: 0 })).toBe(Date.UTC(2024, 2, 10, 16));
      // 02:30 does not exist on the spring-forward day: the Date constructor moves it to 03:30.
      expect(localTimestamp('2024-03-10', { hours: 2, minutes: 30 })).toBe(Date.UTC(2024, 2, 10, 7, 30));
    });
    expect(daysBetween('2024-02-27', '2024-03-02')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
  });

  it('resolves --tz, then TZ, then the system zone; rejects unknown zones', () => {
    expect(resolveTimeZone('Africa/Nairobi', {})).toBe('Africa/Nairobi');
    expect(resolveTimeZone(undefined, { TZ: 'Europe/London' })).toBe('Europe/London');
    expect(resolveTimeZone(undefined, {})).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(() => resolveTimeZone('Mars/Olympus', {})).toThrow(UserError);
  });
});

describe('time zone names (--tz, TZ)', () => {
  it('accepts every zone Intl knows, aliases it does not list included, and names the unknown ones', () => {
    for (const tz of ['Africa/Nairobi', 'America/New_York', 'Asia/Kathmandu', 'UTC', 'Etc/UTC', 'Asia/Kolkata', 'Asia/Calcutta', 'US/Eastern', 'Etc/GMT+3', 'GMT']) {
      expect(resolveTimeZone(tz, {}), tz).toBe(tz);
    }
    // Whatever Intl's DateTimeFormat accepts is accepted, and nothing else: the quick list never changes the answer.
    for (const tz of ['africa/nairobi', 'Africa/Nairob', 'Mars/Olympus', 'Europe', '+03:00']) {
      let accepted: boolean;
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        accepted = true;
      } catch {
        accepted = false;
      }
      if (accepted) expect(resolveTimeZone(tz, {})).toBe(tz);
      else expect(() => resolveTimeZone(tz, {}), tz).toThrow(UserError);
    }
    expect(() => resolveTimeZone('Mars/Olympus', {})).toThrow(/Unknown time zone: Mars\/Olympus/);
  });
});

import { describe, expect, it } from 'vitest';
import { withSimulatedClock } from '../../../src/simulate/engine/clock.js';

describe('the simulated Date is the native Date but for the clock', () => {
  it('looks and behaves like the native constructor', async () => {
    const NativeDate = Date;
    await withSimulatedClock('UTC', 1000, () => {
      expect(Date).not.toBe(NativeDate);
      expect(Function.prototype.toString.call(Date)).toBe(Function.prototype.toString.call(NativeDate.bind(null)));
      expect(Date.name).toBe('Date');
      expect(Date.length).toBe(7);
      expect(Date.prototype).toBe(NativeDate.prototype);
      expect(Object.getPrototypeOf(Date)).toBe(Function.prototype);
      expect(new Date() instanceof Date).toBe(true);
      expect(new NativeDate(5) instanceof Date).toBe(true);
      expect(Object.getPrototypeOf(new Date(5))).toBe(NativeDate.prototype);
      expect(Date.UTC(2024, 0)).toBe(NativeDate.UTC(2024, 0));
      expect(Date.parse('2024-01-01')).toBe(NativeDate.UTC(2024, 0));
      expect(typeof Date()).toBe('string');
    });
  });

  it('passes every argument count through: undefined is not "no argument"', async () => {
    const NativeDate = Date;
    await withSimulatedClock('Asia/Kathmandu', 1000, () => {
      expect(new Date().getTime()).toBe(1000);
      const Loose = Date as unknown as new (...a: unknown[]) => Date;
      expect(new Loose(undefined).getTime()).toBeNaN();
      expect(new Loose(2024, undefined).getTime()).toBeNaN();
      expect(new Date('2024-03-01').getTime()).toBe(NativeDate.UTC(2024, 2, 1));
      const args = [2024, 1, 29, 23, 59, 58, 997] as const;
      for (let n = 2; n <= args.length; n++) {
        const given = args.slice(0, n) as unknown as [number, number];
        expect(new Date(...given).getTime()).toBe(new NativeDate(...given).getTime());
      }
      // Arguments past the seventh are ignored, as by the native constructor.
      expect(new Loose(...args, 1, 2).getTime()).toBe(new NativeDate(...args).getTime());
    });
  });

  it('constructs subclasses with the simulated clock', async () => {
    await withSimulatedClock('UTC', 1000, () => {
      class Day extends Date {
        ms(): number {
          return this.getTime();
        }
      }
      expect(new Day().ms()).toBe(1000);
      expect(new Day(7).ms()).toBe(7);
      expect(new Day() instanceof Day).toBe(true);
      expect(new Day() instanceof Date).toBe(true);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { SymTable } from '../../../src/simulate/fast/trace-runtime.js';
import { tracedNootils } from '../../../src/simulate/fast/trace-nootils.js';
import { Trace, traced } from '../../../src/simulate/fast/tracer.js';

// cht-nootils' addDate as the tracer runs it: one traced operation on its date and day count.
describe('traced Utils.addDate', () => {
  const utils = tracedNootils({ tasks: { schedules: [] } });
  const table = new SymTable();
  // A day count the trace holds as derived from the clock (a day of the month, say).
  const clockDays = (t: Trace, days: number) => t.register(days, [table.dateGet('getDate', table.date(table.now), [])]);

  it('registers its result as a function of the clock-derived day count', () => {
    const t = new Trace(table);
    clockDays(t, 15);
    const result = traced(t, () => utils.addDate(new Date(2024, 0, 1, 9), 15)) as Date;
    expect(result.getTime()).toBe(new Date(2024, 0, 16).getTime());
    expect(t.dates.get(result)?.length).toBeGreaterThan(0);
  });

  it('gives one sym to every call on the same date and days, replayed from the date as it was at the call', () => {
    // A copy of the date made a constant of its own at every call, and the run's table grew by two syms a call.
    const t = new Trace(table);
    clockDays(t, 15);
    const first = new Date(2024, 0, 1, 9);
    const a = traced(t, () => utils.addDate(first, 15)) as Date;
    const b = traced(t, () => utils.addDate(new Date(2024, 0, 1, 9), 15)) as Date;
    const syms = t.dates.get(a)!;
    expect(t.dates.get(b)!.length).toBe(syms.length);
    t.dates.get(b)!.forEach((s, i) => expect(s).toBe(syms[i]));
    const sa = syms.find((s) => table.metaOf(s).gran !== 'const');
    // The rules may change the Date they passed afterwards: the replay still starts from its value at the call.
    first.setFullYear(1999);
    // (The clock on 2024-01-20 12:00: its day of the month, 20, is the day count the replay adds.)
    const replayed = table.replay(table.dateGet('getTime', sa!, []), new Date(2024, 0, 20, 12).getTime());
    expect(replayed).toBe(new Date(2024, 0, 21).getTime());
  });

  it('takes a Date behind a Proxy (as a library membrane hands one out) as the object it is', () => {
    // Date's own methods refuse a Proxy ("this is not a Date object"), though `instanceof Date` holds for it:
    // the tracer threw where the rules did not (found on a CHT Accelerator config whose luxon due dates went
    // through Utils.addDate on a day whose count coincided with the clock).
    const t = new Trace(table);
    clockDays(t, -1);
    // (Its methods run on the Date inside, as the membrane's do: `new Date(proxied)` converts it.)
    const proxied = new Proxy(new Date(2024, 3, 1, 9), {
      get: (target, key) => {
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const result = traced(t, () => utils.addDate(proxied, -1)) as Date;
    expect(result.getTime()).toBe(new Date(2024, 2, 31).getTime());
  });
});

describe('a Date behind a Proxy, pinned', () => {
  it('is pinned as the object it is (no replay gives it again), not read with Date\'s getTime', () => {
    const table = new SymTable();
    const t = new Trace(table);
    const proxied = new Proxy(new Date(2024, 3, 1, 9), {});
    const sym = table.date(table.now);
    t.objects.set(proxied, [sym]);
    t.fix(proxied);
    expect(t.predicates).toEqual([{ kind: 'equal', op: 0, a: sym, b: undefined, result: proxied, ia: undefined }]);
  });
});

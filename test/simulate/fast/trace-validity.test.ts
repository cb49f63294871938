import { describe, expect, it } from 'vitest';
import { SymTable, type Predicate, type Sym } from '../../../src/simulate/fast/trace-runtime.js';
import { COMPARE } from '../../../src/simulate/fast/trace-operators.js';
import { Validity } from '../../../src/simulate/fast/trace-validity.js';

const DAY = 86_400_000;

/** Noon every day for `n` days from 2024-01-01 in the process zone. */
function instants(n: number): number[] {
  return Array.from({ length: n }, (_, i) => new Date(2024, 0, 1 + i, 12).getTime());
}

function bruteForce(v: Validity, p: Predicate, day: number, limit: number): number {
  for (let d = day + 1; d < limit; d++) if (!v.holds(p, d)) return d;
  return limit;
}

function bruteForceBack(v: Validity, p: Predicate, day: number, lower: number): number {
  for (let d = day - 1; d >= lower; d--) if (!v.holds(p, d)) return d + 1;
  return lower;
}

describe('Validity: the nearest day a recorded decision changes, later or earlier', () => {
  const days = instants(400);
  const table = new SymTable();
  const now = table.dateGet('getTime', table.date(table.now), []);
  const c = (v: unknown) => table.constant(v);
  const ageDays = table.call(Math.floor, undefined, [table.op(3, table.op(1, now, c(Date.UTC(2023, 5, 1))), c(DAY))]);
  const monthsLeft = table.op(1, c(700), table.op(2, table.dateGet('getFullYear', table.date(table.now), []), c(12)));
  const syms: [string, Sym][] = [
    ['now', now],
    ['age in days', ageDays],
    ['minus age', table.un(0, ageDays)],
    ['a constant minus the year in months', monthsLeft],
    ['day of month (no order)', table.dateGet('getDate', table.date(table.now), [])],
    ['month', table.dateGet('getMonth', table.date(table.now), [])],
    ['now as a string (no order)', table.dateGet('toISOString', table.date(table.now), [])],
    ['midnight', table.dateGet('getTime', table.dateSet('setHours', table.date(table.now), [c(0), c(0), c(0), c(0)]), [])],
  ];
  const thresholds = (s: Sym): unknown[] => {
    const v = new Validity(table, days);
    const at = [0, 17, 150, 151, 399].map((d) => v.valueOn(s, d));
    return [...at, 0, 2, 31, 'x', undefined];
  };

  it('agrees with trying every day, for every kind of decision and value', () => {
    let checked = 0;
    for (const [name, s] of syms) {
      for (const t of thresholds(s)) {
        const predicates: Predicate[] = [];
        for (let op = 0; op < 8; op++) predicates.push({ kind: 'compare', op, a: s, b: c(t), result: undefined });
        predicates.push({ kind: 'equal', op: 0, a: s, b: undefined, result: t });
        predicates.push({ kind: 'truthy', op: 0, a: s, b: undefined, result: undefined });
        predicates.push({ kind: 'compare', op: 0, a: s, b: ageDays, result: undefined });
        predicates.push({ kind: 'compare', op: 3, a: table.un(0, ageDays), b: s, result: undefined });
        for (const p of predicates) {
          for (const day of [0, 16, 150, 398]) {
            const v = new Validity(table, days);
            const a = v.valueOn(p.a, day);
            const recorded: Predicate = {
              ...p,
              result: p.kind === 'compare' ? COMPARE[p.op]!(a, v.valueOn(p.b!, day)) : p.kind === 'equal' ? p.result : `${typeof a}:${a ? 'true' : 'false'}`,
            };
            if (p.kind === 'equal' && !Object.is(a, p.result)) continue;
            for (const limit of [day + 1, Math.min(day + 40, days.length), days.length]) {
              expect(v.until([recorded], day, limit), `${name} ${p.kind} ${p.op} ${String(t)} from ${day} to ${limit}`).toBe(bruteForce(v, recorded, day, limit));
              checked++;
            }
            for (const lower of [day, Math.max(day - 40, 0), 0]) {
              expect(v.since([recorded], day, lower), `${name} ${p.kind} ${p.op} ${String(t)} from ${day} back to ${lower}`).toBe(bruteForceBack(v, recorded, day, lower));
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('knows which values keep their order as time goes on', () => {
    expect(table.directionOf(now)).toBe(1);
    expect(table.directionOf(ageDays)).toBe(1);
    expect(table.directionOf(table.un(0, ageDays))).toBe(-1);
    expect(table.directionOf(monthsLeft)).toBe(-1);
    expect(table.directionOf(table.dateGet('getMonth', table.date(table.now), []))).toBeNull();
    expect(table.directionOf(table.op(0, now, c('x')))).toBeNull();
    expect(table.directionOf(table.op(1, now, now))).toBeNull();
  });

  it('tells what a value depends on: nothing, calendar fields (all of its children\'s), or the instant', () => {
    const t = new SymTable();
    const date = t.date(t.now);
    const month = t.dateGet('getMonth', date, []);
    const year = t.dateGet('getFullYear', date, []);
    expect(t.metaOf(t.op(0, t.constant(1), t.constant(2))).gran).toBe('const');
    expect(t.metaOf(t.now).gran).toBe('instant');
    expect(t.metaOf(t.op(1, t.now, t.constant(5))).gran).toBe('instant');
    expect(t.metaOf(t.op(0, month, t.now)).gran).toBe('instant');
    // One child's fields: that child's meta, shared.
    const nextMonth = t.op(0, month, t.constant(1));
    expect(t.metaOf(nextMonth)).toBe(t.metaOf(month));
    expect(t.metaOf(t.op(2, nextMonth, month))).toBe(t.metaOf(month));
    // Two children's fields: both.
    const both = t.metaOf(t.op(0, t.op(2, year, t.constant(12)), nextMonth));
    expect(both.gran).toBe('calendar');
    expect([...both.leaves!]).toEqual([year, month]);
    expect(t.metaOf(year).leaves).toEqual(new Set([year]));
    expect(t.metaOf(month).leaves).toEqual(new Set([month]));
    expect(t.metaOf(t.call(Math.max, undefined, [month, t.constant(3), year])).leaves).toEqual(new Set([month, year]));
  });

  it('resumes a remembered day-by-day scan under a nearer bound, either way', () => {
    const v = new Validity(table, days);
    const iso = table.dateGet('toISOString', table.date(table.now), []);
    const p: Predicate = { kind: 'compare', op: 0, a: iso, b: c(new Date(days[250]!).toISOString()), result: true };
    expect(v.until([p], 10, days.length)).toBe(bruteForce(v, p, 10, days.length));
    expect(v.until([p], 10, 100)).toBe(100);
    expect(v.until([p], 10, days.length)).toBe(250);
    const always: Predicate = { kind: 'compare', op: 0, a: iso, b: c('9999'), result: true };
    expect(v.until([always], 10, days.length)).toBe(days.length);
    expect(v.until([always], 10, 100)).toBe(100);
    expect(v.since([always], 300, 0)).toBe(0);
    expect(v.since([always], 300, 200)).toBe(200);
    const q: Predicate = { kind: 'compare', op: 1, a: iso, b: c(new Date(days[50]!).toISOString()), result: true };
    expect(v.since([q], 300, 0)).toBe(bruteForceBack(v, q, 300, 0));
    expect(v.since([q], 300, 200)).toBe(200);
    expect(v.since([q], 300, 0)).toBe(51);
  });

  it('takes a replay that throws for a change', () => {
    const v = new Validity(table, days);
    // A date that becomes invalid after day 200: its toISOString throws there.
    const far = table.date(table.op(2, table.now, c(8.64e15 / days[200]!)));
    const p: Predicate = { kind: 'compare', op: 0, a: table.dateGet('toISOString', far, []), b: c('~'), result: true };
    const first = v.until([p], 10, days.length);
    expect(first).toBe(bruteForce(v, p, 10, days.length));
    expect(first).toBeGreaterThanOrEqual(199);
    expect(first).toBeLessThanOrEqual(201);
    expect(v.since([p], 150, 0)).toBe(0);
    // And one invalid before day 100.
    const past = table.date(table.op(1, table.now, c(days[100]! + 8.64e15)));
    const q: Predicate = { kind: 'compare', op: 0, a: table.dateGet('toISOString', past, []), b: c('~'), result: true };
    const since = v.since([q], 300, 0);
    expect(since).toBe(bruteForceBack(v, q, 300, 0));
    expect(since).toBeGreaterThanOrEqual(99);
    expect(since).toBeLessThanOrEqual(101);
  });

  it('takes the earliest change over several decisions', () => {
    const v = new Validity(table, days);
    const p = (at: number): Predicate => ({ kind: 'compare', op: 0, a: now, b: c(days[at]!), result: true });
    expect(v.until([p(300), p(40), p(200)], 10, days.length)).toBe(40);
    expect(v.until([], 10, days.length)).toBe(days.length);
  });
});

describe('SymTable: one sym per distinct expression', () => {
  it('interns a call by its function, receiver and arguments', () => {
    const table = new SymTable();
    const day = table.dateGet('getDate', table.date(table.now), []);
    const two = table.constant(2);
    const floor = table.call(Math.floor, undefined, [day]);
    expect(table.call(Math.floor, undefined, [day])).toBe(floor);
    // Another function, receiver, argument or count of arguments is another expression.
    const others = [
      table.call(Math.ceil, undefined, [day]),
      table.call(Math.floor, day, [day]),
      table.call(Math.floor, undefined, [two]),
      table.call(Math.floor, undefined, [day, two]),
      table.call(Math.floor, undefined, []),
    ];
    expect(new Set([floor, ...others]).size).toBe(6);
    expect(table.call(Math.floor, undefined, [day, two])).toBe(others[3]);
    expect(table.call(Math.floor, undefined, [])).toBe(others[4]);
    // Replayed: the day of the month, floored.
    expect(table.replay(floor, new Date(2024, 0, 20, 12).getTime())).toBe(20);
  });
});

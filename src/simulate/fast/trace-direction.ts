/* eslint-disable @typescript-eslint/no-explicit-any -- traced values are anything the rules compute */
import { allOf } from './trace-lists.js';
import type { Sym } from './trace-runtime.js';

/**
 * Which way a clock-derived number moves as the clock moves forward (SymTable.directionOf). A comparison on a
 * number that only ever moves one way changes its outcome at most twice over a timeline (an equality: before,
 * on, after), so trace-validity.ts finds those days by bisection instead of trying every day. Unknown (null) is always a safe answer: it only costs
 * time.
 */
export type Direction = 1 | -1 | 0 | null;

/** Functions whose result keeps the order of their first argument when the others are constant. */
export const ORDER_KEEPING = new WeakSet<(...a: any[]) => any>([Math.floor, Math.ceil, Math.round, Math.trunc, Math.fround]);
const nativeMax = Math.max;
const nativeMin = Math.min;
const ORDER_KEEPING_DATE_SETTERS = new Set([
  'setHours', 'setMinutes', 'setSeconds', 'setMilliseconds', 'setUTCHours', 'setUTCMinutes', 'setUTCSeconds', 'setUTCMilliseconds',
]);
const ORDER_KEEPING_GETTERS = new Set(['getTime', 'valueOf', 'getFullYear', 'getUTCFullYear']);

function finiteNumber(s: Sym): number | undefined {
  return s.k === 'const' && typeof s.v === 'number' && Number.isFinite(s.v) ? s.v : undefined;
}

function sum(x: Direction, y: Direction): Direction {
  if (x === null || y === null) return null;
  if (x === 0) return y;
  if (y === 0 || x === y) return x;
  return null;
}

/** The direction of `s` from its children's (`dir`): 1 never down, -1 never up, 0 constant, null unknown. */
export function direction(s: Sym, dir: (c: Sym) => Direction): Direction {
  switch (s.k) {
    case 'now': return 1;
    case 'const': return 0;
    case 'date': return dir(s.from);
    case 'dateget':
      return ORDER_KEEPING_GETTERS.has(s.method) && s.args.length === 0 ? dir(s.date) : null;
    case 'dateset':
      return ORDER_KEEPING_DATE_SETTERS.has(s.method) && allOf(s.args, (a) => finiteNumber(a) !== undefined) ? dir(s.date) : null;
    case 'call':
      if (s.self || s.args.length === 0) return null;
      // The larger or smaller of values moving the same way moves that way too.
      if (s.fn === nativeMax || s.fn === nativeMin) return s.args.reduce<Direction>((d, a) => sum(d, dir(a)), 0);
      if (!ORDER_KEEPING.has(s.fn)) return null;
      return allOf(s.args, (a) => dir(a) === 0, 1) ? dir(s.args[0]!) : null;
    case 'un':
      if (s.op === 0) return negate(dir(s.a));
      return s.op === 1 ? dir(s.a) : null;
    case 'op': {
      const ca = finiteNumber(s.a);
      const cb = finiteNumber(s.b);
      // A non-numeric constant (a string concatenated, NaN...) gives no order.
      if ((s.a.k === 'const' && ca === undefined) || (s.b.k === 'const' && cb === undefined)) return null;
      switch (s.op) {
        case 0: return sum(dir(s.a), dir(s.b));
        case 1: return sum(dir(s.a), negate(dir(s.b)));
        case 2:
          if (cb !== undefined) return scale(dir(s.a), cb);
          return ca !== undefined ? scale(dir(s.b), ca) : null;
        case 3: return cb !== undefined && cb !== 0 ? scale(dir(s.a), cb) : null;
        default: return null;
      }
    }
    default: return null;
  }
}

function negate(x: Direction): Direction {
  return x === null || x === 0 ? x : x === 1 ? -1 : 1;
}

function scale(x: Direction, by: number): Direction {
  if (by === 0) return 0;
  return by > 0 ? x : negate(x);
}

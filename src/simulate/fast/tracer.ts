/* eslint-disable @typescript-eslint/no-explicit-any -- traced values are anything the rules compute */
import { clockHooks } from '../engine/clock.js';
import type { Sym } from './trace-runtime.js';
import { ARITH, COMPARE, toPrimitive, UNARY } from './trace-operators.js';
import { followStringRead, patchNatives } from './trace-natives.js';
import { ARITH_OPS, UNARY_OPS } from './trace-transform.js';
import { allOf } from './trace-lists.js';
import { Trace } from './trace-state.js';

export { Trace } from './trace-state.js';

/**
 * The running side of tracing: the active trace, the helpers the instrumented rules call for every operator
 * (trace-transform.ts), and the hooks on the clock and the built-ins installed while a timeline is traced. Each
 * helper computes exactly what the operator does, logs what it saw (Trace.observe) and, when an operand is
 * derived from the clock, records the result's expressions or the decision taken.
 */
const NativeDate = Date;
const nativeGetTime = NativeDate.prototype.getTime;
const IN = 8;
const UNARY_PLUS = UNARY_OPS.indexOf('+');
const ARITH_MINUS = ARITH_OPS.indexOf('-');

let current: Trace | undefined;

export function activeTrace(): Trace | undefined {
  return current;
}

/** Makes `trace` the active trace (undefined: none), returning the one it replaces. */
export function swapTrace(trace: Trace | undefined): Trace | undefined {
  const previous = current;
  current = trace;
  return previous;
}

let clockReadCount = 0;

/** How many times the clock was read while tracing was installed, traced or not (library calls run untraced). */
export function clockReads(): number {
  return clockReadCount;
}

/** Runs `fn` with `trace` active. */
export function traced<T>(trace: Trace, fn: () => T): T {
  const previous = current;
  current = trace;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

function isObject(v: unknown): v is object {
  return v !== null && (typeof v === 'object' || typeof v === 'function');
}

/**
 * An operand the operator converts with the rules' own code (Trace.convertsByCode): the helpers convert it
 * themselves, once, as the operator would, and go on with the primitive it gives. Converted by the operator after
 * the helper had looked at its operands, the clock would flow through unseen.
 */
function convertsByCode(t: Trace | undefined, v: unknown): boolean {
  return t !== undefined && t.convertsByCode(v);
}

function tracked(s: Sym[] | undefined | 'object'): boolean {
  return s !== undefined && s !== 'object';
}

function compare(k: number, a: any, b: any, clean = 0): boolean {
  if (current !== undefined) {
    if (k <= 3) {
      // (Relational operators convert both operands, the left one first.)
      if (convertsByCode(current, a)) a = toPrimitive(a, 'number');
      if (convertsByCode(current, b)) b = toPrimitive(b, 'number');
    } else if (k <= 5) {
      // `==` converts an object compared with a primitive other than null and undefined; two objects, never.
      if (convertsByCode(current, a) && !isObject(b) && b != null) a = toPrimitive(a, 'default');
      else if (convertsByCode(current, b) && !isObject(a) && a != null) b = toPrimitive(b, 'default');
    } else if (k === IN && convertsByCode(current, a)) a = toPrimitive(a, 'string');
  }
  let r: boolean;
  switch (k) {
    case 0: r = a < b; break;
    case 1: r = a > b; break;
    case 2: r = a <= b; break;
    case 3: r = a >= b; break;
    case 4: r = a == b; break;
    case 5: r = a != b; break;
    case 6: r = a === b; break;
    case 7: r = a !== b; break;
    default: r = COMPARE[k]!(a, b);
  }
  const t = current;
  if (!t || !t.tracking) return r;
  const hint = k <= 3 ? 'number' : 'default';
  const ia = t.observe(a, hint);
  const ib = t.observe(b, hint);
  if (k === IN) {
    if (t.symsOf(a)) t.escape('a clock value used with `in`');
    return r;
  }
  if ((k === 6 || k === 7) && (a instanceof NativeDate || b instanceof NativeDate)) return r;
  if (k >= 4 && t.objects.size !== 0 && (t.symsOf(a) || t.symsOf(b)) && (isObject(a) || isObject(b))) {
    // A library value derived from the clock, compared by identity: whether a call returned a new value or one
    // it had (its argument, a cached one) is not replayed.
    if (isObject(a) && isObject(b)) {
      t.escape('a clock-derived library value compared by identity');
      return r;
    }
    // An object is never strictly equal to a primitive, nor loosely to null or undefined; `==` with another
    // primitive converts it (below).
    if (k >= 6 || a === null || a === undefined || b === null || b === undefined) return r;
  }
  const sa = clean & 1 ? undefined : t.operand(a, hint);
  const sb = clean & 2 ? undefined : t.operand(b, hint);
  if (!tracked(sa) && !tracked(sb)) return r;
  if (sa === 'object' || sb === 'object') {
    if (!(k === 6 || k === 7)) t.escape('a clock value compared with an object');
    return r;
  }
  const pairs = t.pairs(t.converted(a, hint), t.converted(b, hint), sa as Sym[] | undefined, sb as Sym[] | undefined, ia, ib);
  for (let i = 0; i < pairs.length; i += 2) {
    const x = pairs[i]!;
    const y = pairs[i + 1]!;
    if (t.table.metaOf(x).gran !== 'const' || t.table.metaOf(y).gran !== 'const') t.predicates.push({ kind: 'compare', op: k, a: x, b: y, result: r, ia, ib });
  }
  return r;
}

/**
 * The object the last `-` converted on its left, and what it gave: a postfix step (`x++` is `__chtP(x, x = x - -1)`)
 * takes its old value from here, so that x's valueOf runs once, as the operator's does.
 */
let stepped: { from: object; to: unknown } | undefined;

function arith(k: number, a: any, b: any, clean = 0): unknown {
  const hint = k === 0 ? 'default' : 'number';
  // (Untraced, any object: nothing looks at the operands. Traced, a Date or a library's value stays itself, for
  // the tracing to follow; its conversion runs no code of the rules.)
  let from: object | undefined;
  if (current === undefined ? isObject(a) : convertsByCode(current, a)) {
    from = a as object;
    a = toPrimitive(a, hint);
  }
  // (Every `-` sets it, so a step never takes what an earlier one converted.)
  if (k === ARITH_MINUS) stepped = from === undefined ? undefined : { from, to: a };
  if (current !== undefined && convertsByCode(current, b)) b = toPrimitive(b, hint);
  let r: unknown;
  switch (k) {
    case 0: r = a + b; break;
    case 1: r = a - b; break;
    case 2: r = a * b; break;
    case 3: r = a / b; break;
    default: r = ARITH[k]!(a, b);
  }
  const t = current;
  if (!t || !t.tracking) return r;
  const ia = t.observe(a, hint);
  const ib = t.observe(b, hint);
  const ir = t.observe(r);
  const sa = clean & 1 ? undefined : t.operand(a, hint);
  const sb = clean & 2 ? undefined : t.operand(b, hint);
  if (!tracked(sa) && !tracked(sb)) return r;
  if (sa === 'object' || sb === 'object') {
    t.escape('a clock value combined with an object');
    return r;
  }
  const ca = t.converted(a, hint);
  const cb = t.converted(b, hint);
  const pairs = t.pairs(ca, cb, sa as Sym[] | undefined, sb as Sym[] | undefined, ia, ib);
  const syms: Sym[] = [];
  for (let i = 0; i < pairs.length; i += 2) syms.push(t.table.op(k, pairs[i]!, pairs[i + 1]!));
  // (An operand given back unchanged, `x * 1`: Trace.unchanged.)
  if (sa && Object.is(r, ca) && t.unchanged(r, ca, syms, side(pairs, 0), ir, ia)) return r;
  if (sb && Object.is(r, cb) && t.unchanged(r, cb, syms, side(pairs, 1), ir, ib)) return r;
  t.register(r, syms, ir);
  return r;
}

/** One operand's syms of flattened pairs (x0, y0, x1, y1...). */
function side(pairs: Sym[], which: 0 | 1): Sym[] {
  const out: Sym[] = [];
  for (let i = which; i < pairs.length; i += 2) out.push(pairs[i]!);
  return out;
}

function unary(k: number, a: unknown): unknown {
  if (convertsByCode(current, a)) a = toPrimitive(a, 'number');
  const r = UNARY[k]!(a);
  const t = current;
  if (!t || !t.tracking) return r;
  const ia = t.observe(a);
  const ir = t.observe(r);
  const sa = t.operand(a, 'number');
  if (!tracked(sa)) return r;
  const syms = (sa as Sym[]).map((s) => t.table.un(k, s));
  if (!t.unchanged(r, t.converted(a, 'number'), syms, sa as Sym[], ir, ia)) t.register(r, syms, ir);
  return r;
}

function key(v: unknown): unknown {
  // (A key is converted with the string hint; the member access then converts the primitive without code.)
  if (convertsByCode(current, v)) v = toPrimitive(v, 'string');
  const t = current;
  if (!t || !t.tracking) return v;
  const at = t.observe(v, 'default');
  const syms = t.symsOf(v);
  if (syms) for (const s of syms) t.predicates.push({ kind: 'equal', op: 0, a: s, b: undefined, result: v, ia: at });
  return v;
}

function substitution(v: unknown): unknown {
  if (convertsByCode(current, v)) v = toPrimitive(v, 'string');
  const t = current;
  if (t && t.symsOf(v)) t.escape('a clock value in a template literal');
  return v;
}

function test(v: unknown): unknown {
  const t = current;
  if (t && t.tracking) {
    const at = t.observe(v);
    if (typeof v === 'number' || typeof v === 'string') t.truth(v, at);
  }
  return v;
}

/** A postfix `x++` or `x--`: the old value as a number (`+old`), once the assignment (the second argument) is done. */
function postfix(old: unknown, _assigned: unknown): unknown {
  if (stepped !== undefined && stepped.from === old) old = stepped.to;
  stepped = undefined;
  return unary(UNARY_PLUS, old);
}

/** A member read `o[k]` or `o.length` (trace-transform): a character or the length of a string the clock made. */
function member(o: unknown, k: unknown): unknown {
  const r = (o as any)[k as any];
  const t = current;
  if (t && typeof o === 'string' && t.symsOf(o)) followStringRead(t, o, k, r);
  return r;
}

/** The helper functions the instrumented code calls (in the order of trace-transform's HELPERS). */
export const HELPER_FUNCTIONS = [compare, arith, unary, key, substitution, test, postfix, member];

const makeDate = (...args: unknown[]) => new (NativeDate as any)(...args);

/** Clock reads and Date constructions, reported by the simulated clock while a trace is active. */
function installClockHooks(): void {
  clockHooks.now = (value) => {
    clockReadCount++;
    current?.register(value, [current.table.now]);
  };
  clockHooks.string = (value) => {
    clockReadCount++;
    current?.register(value, [current.table.dateGet('toString', current.table.date(current.table.now), [])]);
  };
  clockHooks.constructed = (date, count, a, b, c, d, e, f, g) => {
    if (count === 0) clockReadCount++;
    const t = current;
    if (!t) return;
    if (count === 0) {
      t.registerDate(date, [t.table.date(t.table.now)]);
      return;
    }
    if (count === 1) {
      let syms = t.symsOf(a);
      if (!syms && convertsByCode(t, a)) {
        // `new Date(moment())`: the constructor converted it (valueOf, the rules' code) before this hook; the
        // number it gave is followed by value, as every primitive is. An object whose conversion cannot be found
        // so (it gave a date string) but that holds a clock value is not followed: this evaluation holds for its day.
        syms = t.symsOf(nativeGetTime.call(date));
        if (!syms && t.holdsClockValue(a)) t.escape('a Date made from an object holding a clock value');
      }
      if (syms) t.registerDate(date, syms.map((s) => t.table.date(s)));
      return;
    }
    // (The constructor reads seven arguments at most.)
    const all = [a, b, c, d, e, f, g];
    const args: unknown[] = [];
    for (let i = 0; i < count && i < all.length; i++) args.push(all[i]);
    const syms = args.map((x) => t.symsOf(x));
    if (allOf(syms, (s) => !s)) return;
    t.registerDate(date, t.combos(args, syms).map((x) => t.table.call(makeDate, undefined, x)));
  };
}

function removeClockHooks(): void {
  delete clockHooks.now;
  delete clockHooks.string;
  delete clockHooks.constructed;
}

/** Runs `work` without the tracing hooks (plain rules at full speed: the wrapped built-ins cost them ~5-10%). */
export type Untraced = <U>(work: () => U) => U;

/**
 * Installs the tracing hooks (clock and natives) until `stop`; `untraced` lifts them for a while (patching and
 * restoring the built-ins takes ~0.15 ms, so this is for batches of plain runs).
 */
export function startTracing(): { untraced: Untraced; stop(): void } {
  installClockHooks();
  let restore = patchNatives(() => current, nativeGetTime);
  let stopped = false;
  return {
    untraced: (work) => {
      restore();
      removeClockHooks();
      try {
        return work();
      } finally {
        installClockHooks();
        restore = patchNatives(() => current, nativeGetTime);
      }
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      restore();
      removeClockHooks();
    },
  };
}

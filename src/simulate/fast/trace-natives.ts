/* eslint-disable @typescript-eslint/no-explicit-any -- wraps built-ins for any value */
import type { Sym } from './trace-runtime.js';
import type { Trace } from './tracer.js';
import { allOf, anyOf } from './trace-lists.js';

/**
 * While tracing, the built-ins that compute new values from clock-derived ones are wrapped: Date getters and
 * setters, Math, number/string conversions and methods. The wrappers call the original and, when an input is
 * clock-derived, register the result (a pure call, replayable by calling the original again) or record the
 * decision (a boolean result). Array built-ins fix the clock values they are given (array search, sort, join,
 * positions) and record what they decide on their callbacks' answers (filter, some, find..., sort's sign);
 * JSON.stringify and regular expressions stop the tracing of that evaluation when they see one.
 */

const DATE_GETTERS = [
  'getTime', 'valueOf', 'getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getSeconds',
  'getMilliseconds', 'getTimezoneOffset', 'getUTCFullYear', 'getUTCMonth', 'getUTCDate', 'getUTCDay', 'getUTCHours',
  'getUTCMinutes', 'getUTCSeconds', 'getUTCMilliseconds', 'getYear', 'toISOString', 'toJSON', 'toString',
  'toDateString', 'toTimeString', 'toUTCString', 'toGMTString', 'toLocaleString', 'toLocaleDateString', 'toLocaleTimeString',
];
const DATE_SETTERS = [
  'setTime', 'setFullYear', 'setMonth', 'setDate', 'setHours', 'setMinutes', 'setSeconds', 'setMilliseconds',
  'setUTCFullYear', 'setUTCMonth', 'setUTCDate', 'setUTCHours', 'setUTCMinutes', 'setUTCSeconds', 'setUTCMilliseconds', 'setYear',
];
const STRING_METHODS = [
  'slice', 'substring', 'substr', 'charAt', 'charCodeAt', 'codePointAt', 'indexOf', 'lastIndexOf', 'includes', 'startsWith',
  'endsWith', 'split', 'padStart', 'padEnd', 'trim', 'trimStart', 'trimEnd', 'toUpperCase', 'toLowerCase', 'concat',
  'replace', 'replaceAll', 'repeat', 'localeCompare', 'search', 'at', 'normalize', 'toString', 'valueOf', 'match', 'matchAll',
];
const NUMBER_METHODS = ['toFixed', 'toString', 'toPrecision', 'toExponential', 'toLocaleString', 'valueOf'];
const NUMBER_STATICS = ['isNaN', 'isFinite', 'isInteger', 'isSafeInteger', 'parseFloat', 'parseInt'];
const GLOBAL_FUNCTIONS = ['parseInt', 'parseFloat', 'isNaN', 'isFinite'];
const ARRAY_SEARCH = ['indexOf', 'lastIndexOf', 'includes', 'join', 'toString', 'toLocaleString'];
const CONVERTING_ELEMENTS = new Set(['join', 'toString', 'toLocaleString']);
const ARRAY_PREDICATES = ['filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex'];
/** Array methods taking positions or counts: a clock-derived month used as an index (`slice(m)`) is fixed. */
const ARRAY_POSITIONAL = ['slice', 'splice', 'at', 'fill', 'copyWithin', 'with', 'toSpliced', 'flat'];

type Restore = () => void;

/**
 * Whether a built-in's work ran the rules' own code on the clock: it was given an object it converts or a
 * function it calls, and `registered`, the trace's registrations before the call, moved (an object's valueOf
 * computed from the clock, a replace callback did) or the object holds a clock value (a valueOf that returns one
 * as it is). What the built-in made of them is not followed: the evaluation holds for its own day.
 */
function ranCodeOnClock(t: Trace, registered: number, args: readonly unknown[]): boolean {
  for (const a of args) {
    if (typeof a === 'function') {
      if (t.registrations !== registered) return true;
    } else if (t.convertsByCode(a)) {
      // (Primitives, Dates and library values are converted without the rules' code, or followed as they are.)
      if (t.registrations !== registered || t.holdsClockValue(a)) return true;
    }
  }
  return false;
}

/** Why an evaluation holds for its own day only when a built-in ran the rules' own code on a clock value (ranCodeOnClock). */
const RAN_CODE_ON_CLOCK = 'a clock value converted or computed by the rules\' code inside a built-in';

/**
 * Whether no argument is derived from the clock: most calls of a built-in during a trace (then no array of the
 * arguments' candidates is made, which was 4% of a traced year's allocations).
 */
function noneTraced(t: Trace, args: readonly unknown[]): boolean {
  for (let i = 0; i < args.length; i++) if (t.symsOf(args[i]) !== undefined) return false;
  return true;
}

/** A pure call whose inputs may be clock-derived: register its result, or record a boolean/undefined as a decision. */
function pureCall(t: Trace, fn: (...a: any[]) => any, self: unknown, args: unknown[], result: unknown, withSelf: boolean, registered: number): void {
  if (ranCodeOnClock(t, registered, args)) {
    t.escape(RAN_CODE_ON_CLOCK);
    return;
  }
  const at = t.tracking ? t.observe(result) : undefined;
  const selfSyms = withSelf ? t.symsOf(self) : undefined;
  if (!selfSyms && noneTraced(t, args)) return;
  const argSyms = args.map((a) => t.symsOf(a));
  // (Objects the rules' code converts were looked through by ranCodeOnClock already.)
  if (anyOf(args, (a, i) => !argSyms[i] && a !== null && typeof a === 'object' && !t.convertsByCode(a) && t.holdsClockValue(a))) {
    t.escape('a clock value inside an argument');
    return;
  }
  const operands = withSelf ? [self, ...args] : args;
  const operandSyms = withSelf ? [selfSyms, ...argSyms] : argSyms;
  const combos = t.combos(operands, operandSyms);
  const syms = combos.map((c) => (withSelf ? t.table.call(fn, c[0], rest(c)) : t.table.call(fn, undefined, c)));
  if (typeof result === 'number' || typeof result === 'string') {
    // (An operand given back unchanged keeps its candidates: Trace.unchanged.)
    for (let j = 0; j < operands.length; j++) {
      if (operandSyms[j] && Object.is(result, operands[j]) && t.unchanged(result, operands[j], syms, combos.map((c) => c[j]!), at)) return;
    }
    t.register(result, syms, at);
  }
  else if (typeof result === 'boolean' || result === undefined || result === null) {
    for (const s of syms) t.predicates.push({ kind: 'equal', op: 0, a: s, b: undefined, result, ia: at });
  } else if (Array.isArray(result) && allOf(result as unknown[], (x) => typeof x === 'string' || typeof x === 'number')) {
    result.forEach((x, i) => t.register(x, syms.map((s) => t.table.elem(s, i))));
    for (const s of syms) t.predicates.push({ kind: 'equal', op: 0, a: t.table.call(arrayLength, undefined, [s]), b: undefined, result: result.length });
  } else t.escape('a clock value turned into an object');
}

const arrayLength = (a: unknown[] | null) => (a ? a.length : undefined);

const readString = (s: string, k: any): unknown => s[k];
const stringLength = (s: string): number => s.length;

/**
 * `s[k]` or `s.length` on a string the clock made (the instrumented read, tracer.ts). A character is followed as
 * `charAt` is; a length is a decision (the evaluation holds while it stays the same), never a value of its own:
 * lengths are clean (trace-clean.ts), and a registered 10 would be every other 10's candidate.
 */
export function followStringRead(t: Trace, s: string, k: unknown, result: unknown): void {
  if (k !== 'length') {
    pureCall(t, readString, undefined, [s, k], result, false, t.registrations);
    return;
  }
  for (const sym of t.symsOf(s) ?? []) t.predicates.push({ kind: 'equal', op: 0, a: t.table.call(stringLength, undefined, [sym]), b: undefined, result });
}

/** All but the first (not `slice(1)`: a traced evaluation's own calls must not reach the wrapped built-ins). */
function rest<T>(list: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 1; i < list.length; i++) out.push(list[i]!);
  return out;
}

export function patchNatives(current: () => Trace | undefined, nativeGetTime: () => number): Restore {
  const restores: Restore[] = [];
  const replace = (owner: any, name: string | symbol, make: (native: any) => any) => {
    const descriptor = Object.getOwnPropertyDescriptor(owner, name);
    if (!descriptor || typeof descriptor.value !== 'function') return;
    const native = descriptor.value;
    Object.defineProperty(owner, name, { ...descriptor, value: make(native) });
    restores.push(() => Object.defineProperty(owner, name, descriptor));
  };

  for (const name of DATE_GETTERS) {
    replace(Date.prototype, name, (native) => function (this: Date, ...args: unknown[]) {
      const r = native.apply(this, args);
      const t = current();
      if (t) dateGetter(t, this, name, args, r);
      return r;
    });
  }
  replace(Date.prototype, Symbol.toPrimitive, (native) => function (this: Date, hint: string) {
    const r = native.call(this, hint);
    const t = current();
    if (t) dateGetter(t, this, hint === 'number' ? 'valueOf' : 'toString', [], r);
    return r;
  });
  for (const name of DATE_SETTERS) {
    replace(Date.prototype, name, (native) => function (this: Date, ...args: unknown[]) {
      const before = nativeGetTime.call(this);
      const r = native.apply(this, args);
      const t = current();
      if (t) dateSetter(t, this, name, args, before, r);
      return r;
    });
  }
  for (const name of Object.getOwnPropertyNames(Math)) {
    replace(Math, name, (native) => function (this: unknown, ...args: unknown[]) {
      const registered = current()?.registrations ?? 0;
      const r = native.apply(this, args);
      const t = current();
      if (t) {
        if (name === 'random') t.escape('Math.random');
        else pureCall(t, native, undefined, args, r, false, registered);
      }
      return r;
    });
  }
  // Pure built-ins: methods (of the value they are called on and their arguments) and plain functions.
  const pureMethod = (native: any) => function (this: unknown, ...args: unknown[]) {
    const registered = current()?.registrations ?? 0;
    const r = native.apply(this, args);
    const t = current();
    if (t) pureCall(t, native, this, args, r, true, registered);
    return r;
  };
  const pureFunction = (native: any) => function (...args: unknown[]) {
    const registered = current()?.registrations ?? 0;
    const r = native(...args);
    const t = current();
    if (t) pureCall(t, native, undefined, args, r, false, registered);
    return r;
  };
  for (const name of STRING_METHODS) replace(String.prototype, name, pureMethod);
  for (const name of NUMBER_METHODS) replace(Number.prototype, name, pureMethod);
  for (const name of NUMBER_STATICS) replace(Number, name, pureFunction);
  for (const name of GLOBAL_FUNCTIONS) replace(globalThis, name, pureFunction);
  for (const [owner, name] of [[Date, 'UTC'], [Date, 'parse'], [String, 'fromCharCode'], [String, 'fromCodePoint']] as const) replace(owner, name, pureFunction);
  // Intl's date formatting: formatToParts is a method; format is a getter that hands out a bound function, whose
  // calls are replayed through one function of the formatter (a call's function is part of its expression).
  // Given no date, both format the simulated now (engine/clock.ts), read here through Date.now so that the call's
  // argument is the clock's value, followed like any other.
  replace(Intl.DateTimeFormat.prototype, 'formatToParts', (native) => {
    const traced = pureMethod(native);
    return function formatToParts(this: Intl.DateTimeFormat, date?: Date | number) {
      return traced.call(this, date === undefined ? Date.now() : date);
    };
  });
  const format = Object.getOwnPropertyDescriptor(Intl.DateTimeFormat.prototype, 'format');
  if (format?.get) {
    const getter = format.get;
    const formatWith = function (this: Intl.DateTimeFormat, date?: Date | number) {
      return (getter.call(this) as (d?: Date | number) => string)(date);
    };
    const traced = pureMethod(formatWith);
    Object.defineProperty(Intl.DateTimeFormat.prototype, 'format', {
      ...format,
      get(this: Intl.DateTimeFormat) {
        return (date?: Date | number) => traced.call(this, date === undefined ? Date.now() : date);
      },
    });
    restores.push(() => Object.defineProperty(Intl.DateTimeFormat.prototype, 'format', format));
  }
  for (const name of ['Number', 'String', 'Boolean']) {
    replace(globalThis, name, (native) => new Proxy(native, {
      apply(target, thisArg, args) {
        const registered = current()?.registrations ?? 0;
        const r = Reflect.apply(target, thisArg, args);
        const t = current();
        if (t) pureCall(t, target, undefined, args, r, false, registered);
        return r;
      },
    }));
  }
  // Array built-ins whose result depends on the values of clock-derived arguments or elements, in ways not
  // worth tracing: those values are fixed (the evaluation holds while they stay the same).
  for (const name of ARRAY_SEARCH) {
    replace(Array.prototype, name, (native) => function (this: unknown[], ...args: unknown[]) {
      const t = current();
      if (t && t.tracking) {
        for (const a of args) t.fix(a, t.observe(a));
        if (Array.isArray(this)) for (const x of this) t.fix(x, t.observe(x));
      }
      // join and toString convert object elements with their own toString (the searches compare them as they are).
      if (!t || !CONVERTING_ELEMENTS.has(name)) return native.apply(this, args);
      const registered = t.registrations;
      const r = native.apply(this, args);
      if (Array.isArray(this) && ranCodeOnClock(t, registered, this)) t.escape(RAN_CODE_ON_CLOCK);
      return r;
    });
  }
  for (const name of ARRAY_POSITIONAL) {
    replace(Array.prototype, name, (native) => function (this: unknown[], ...args: unknown[]) {
      const t = current();
      if (t && t.tracking) for (const a of args) t.fix(a, t.observe(a));
      return native.apply(this, args);
    });
  }
  // Built-ins that decide on their callback's answer: its truthiness (filter, some...) or its sign (sort).
  for (const name of ARRAY_PREDICATES) {
    replace(Array.prototype, name, (native) => function (this: unknown[], callback: unknown, ...rest: unknown[]) {
      const t = current();
      if (!t || typeof callback !== 'function') return native.call(this, callback, ...rest);
      const answer = function (this: unknown, ...args: unknown[]) {
        const r = callback.apply(this, args);
        const now = current();
        if (now && now.tracking) now.truth(r, now.observe(r));
        return r;
      };
      return native.call(this, answer, ...rest);
    });
  }
  replace(Array.prototype, 'sort', (native) => function (this: unknown[], compare?: unknown) {
    const t = current();
    if (t && t.tracking) {
      if (Array.isArray(this)) for (const x of this) t.fix(x, t.observe(x));
      else t.escape('Array.prototype.sort on an array-like');
    }
    if (t && typeof compare !== 'function') {
      // Without a comparator, elements are compared as strings: objects by their own toString.
      const registered = t.registrations;
      const r = native.call(this, compare);
      if (Array.isArray(this) && ranCodeOnClock(t, registered, this)) t.escape(RAN_CODE_ON_CLOCK);
      return r;
    }
    if (!t || typeof compare !== 'function') return native.call(this, compare);
    return native.call(this, function (this: unknown, a: unknown, b: unknown) {
      const r = compare.call(this, a, b);
      const now = current();
      if (now && now.tracking) now.sign(r, now.observe(r));
      return r;
    });
  });
  replace(JSON, 'stringify', (native) => function (...args: unknown[]) {
    const t = current();
    if (t && t.holdsClockValue(args[0])) t.escape('a clock value in JSON.stringify');
    return native(...args);
  });
  for (const name of ['test', 'exec']) {
    replace(RegExp.prototype, name, (native) => function (this: RegExp, ...args: unknown[]) {
      const t = current();
      if (t && t.symsOf(args[0])) t.escape('a clock value matched against a regular expression');
      return native.apply(this, args);
    });
  }
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}

function dateGetter(t: Trace, date: Date, method: string, args: unknown[], result: unknown): void {
  const at = t.tracking ? t.observe(result) : undefined;
  const syms = t.dates.get(date);
  if (!syms && noneTraced(t, args)) return;
  const argSyms = args.map((a) => t.symsOf(a));
  const base: Sym[] = syms ?? [t.table.snapshot(date)];
  const combos = t.combos(args, argSyms);
  const out: Sym[] = [];
  for (const b of base) for (const c of combos) out.push(t.table.dateGet(method, b, c));
  t.register(result, out, at);
}

function dateSetter(t: Trace, date: Date, method: string, args: unknown[], before: number, result: unknown): void {
  // (The result is the Date's new time value.)
  const at = t.tracking ? t.observe(result) : undefined;
  const syms = t.dates.get(date);
  if (!syms && noneTraced(t, args)) return;
  const argSyms = args.map((a) => t.symsOf(a));
  const base: Sym[] = syms ?? [t.table.date(t.table.constant(before))];
  const combos = t.combos(args, argSyms);
  const next: Sym[] = [];
  for (const b of base) for (const c of combos) next.push(t.table.dateSet(method, b, c));
  t.registerDate(date, next, at);
  t.register(result, next.map((s) => t.table.dateGet('getTime', s, [])), at);
}

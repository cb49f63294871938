/* eslint-disable @typescript-eslint/no-explicit-any -- traced values are anything the rules compute */
import { clockHooks } from '../engine/clock.js';
import { ARITH, COMPARE, TO_PRIMITIVE, truthyOf, UNARY, type Predicate, type Sym, SymTable } from './trace-runtime.js';
import { patchNatives } from './trace-natives.js';
import { allOf, anyOf, keep } from './trace-lists.js';

const NativeDate = Date;
const nativeGetTime = NativeDate.prototype.getTime;
const nativeToString = NativeDate.prototype.toString;
const IN = 8;
const MAX_CANDIDATES = 16;

/** The state of one traced evaluation. */
export class Trace {
  /**
   * Clock-derived primitives → the expressions that may have produced them (all are kept: sound), the value as
   * a constant among them.
   */
  readonly values = new Map<unknown, Sym[]>();
  // A Map, not a WeakMap: a trace lives for one evaluation, and weak tables cost the garbage collector more.
  readonly dates = new Map<object, Sym[]>();
  /**
   * Values of pure libraries the rules hold (trace-library.ts's proxies) → the expressions that may produce
   * them, constants included: every library value the rules reach gets one, so that calls on it can be replayed.
   */
  readonly objects = new Map<object, Sym[]>();
  readonly predicates: Predicate[] = [];
  escaped: string | undefined;
  /** Whether any clock-derived value exists yet (until then every operator takes the fast path). */
  tracking = false;

  constructor(readonly table: SymTable) {}

  escape(reason: string): void {
    this.escaped ??= reason;
  }

  /** Candidate syms of a value (undefined: not derived from the clock). */
  symsOf(v: unknown): Sym[] | undefined {
    if (typeof v === 'number') return this.values.get(v);
    // Short strings are never tracked (see `register`).
    if (typeof v === 'string') return v.length < 8 ? undefined : this.values.get(v);
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return undefined;
    if (this.objects.size !== 0) {
      const syms = this.objects.get(v);
      if (syms) return anyOf(syms, (s) => this.table.metaOf(s).gran !== 'const') ? syms : undefined;
    }
    if (v instanceof NativeDate) return this.dates.get(v);
    return undefined;
  }

  /**
   * Records that `v` may come from any of `syms`. A value reachable in too many ways is fixed instead: it
   * must come out the same from every one of them (a sound, coarser decision), and is no longer tracked.
   */
  register(v: unknown, syms: Sym[]): void {
    if (typeof v !== 'number' && typeof v !== 'string') return;
    // Candidates that do not depend on the clock (built from constants alone) are the value itself.
    if (anyOf(syms, (s) => this.table.metaOf(s).gran === 'const')) {
      syms = keep(syms, (s) => this.table.metaOf(s).gran !== 'const');
      if (syms.length === 0) return;
    }
    if (typeof v === 'string' && v.length < 8) {
      // Short strings ("5", "03", "Mon") are everywhere (form fields, codes, literals): tracking them by value
      // would tie unrelated values to the clock. They are pinned where they arise instead. Small numbers are
      // tracked: the transform keeps the commonest look-alikes (literals, lengths, loop counters) out of the
      // helpers (trace-clean.ts), and pinning a month number would re-run its container every month.
      for (const s of syms) this.predicates.push({ kind: 'equal', op: 0, a: s, b: undefined, result: v });
      return;
    }
    let known = this.values.get(v);
    // The value itself is always a candidate too: another occurrence of it may owe nothing to the clock (a
    // form field that happens to equal this month's number), and a decision taken on that occurrence must be
    // recorded on what it really is.
    if (!known) this.values.set(v, (known = [this.table.constant(v)]));
    this.tracking = true;
    for (const s of syms) if (!has(known, s)) known.push(s);
    if (known.length > MAX_CANDIDATES) this.fix(v);
  }

  /**
   * `v` was computed by `syms[i]` from an operand's candidates `from[i]` and is that operand unchanged (Math.abs of
   * a positive number, `+x`, `x * 1`, a trim that found nothing to trim): it keeps the operand's candidates, on
   * the condition that each computation still gives the operand. Registering the computations as more candidates
   * would add a copy of each (abs(c), abs(abs(c))...) every time the value goes through such a step — an age
   * computed by a helper called from several tasks soon had too many to follow, and was pinned. False (nothing
   * done) when `v` is not such a value.
   */
  unchanged(v: unknown, operand: unknown, syms: Sym[], from: Sym[]): boolean {
    // (NaN is unchanged but never === itself.)
    if (!Object.is(v, operand) || (typeof v !== 'number' && typeof v !== 'string') || v !== v || !this.symsOf(v)) return false;
    for (let i = 0; i < syms.length; i++) {
      if (this.table.metaOf(syms[i]!).gran !== 'const') this.predicates.push({ kind: 'compare', op: 6, a: syms[i]!, b: from[i]!, result: true });
    }
    return true;
  }

  /**
   * `v` (if clock-derived) must come out the same on a reused day, whatever its provenance: it went where
   * tracing does not follow, or has too many candidates. From now on it is a constant.
   */
  fix(v: unknown): void {
    const syms = this.symsOf(v);
    if (syms) this.pinOperand(v, syms);
  }

  /** Pins one operand given by its candidate syms: a Date by its time value, a primitive by itself. */
  private pinOperand(v: unknown, syms: Sym[]): void {
    if (v instanceof NativeDate) {
      const time = nativeGetTime.call(v);
      for (const s of syms) this.predicates.push({ kind: 'equal', op: 0, a: this.table.dateGet('getTime', s, []), b: undefined, result: time });
      this.dates.delete(v);
    } else {
      for (const s of syms) this.predicates.push({ kind: 'equal', op: 0, a: s, b: undefined, result: v });
      this.values.delete(v);
    }
  }

  registerDate(d: object, syms: Sym[]): void {
    if (syms.length > MAX_CANDIDATES) this.pinOperand(d, syms);
    else {
      this.dates.set(d, syms);
      this.tracking = true;
    }
  }

  /** An operand as an operator converts it (Dates: time value for the number hint, string otherwise). */
  converted(v: unknown, hint: 'number' | 'default'): unknown {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return v;
    if (this.objects.size !== 0 && this.objects.has(v)) return TO_PRIMITIVE[hint](v);
    if (v instanceof NativeDate) return hint === 'number' ? nativeGetTime.call(v) : nativeToString.call(v);
    return v;
  }

  /** Syms of an operand as an operator converts it: Dates by valueOf (number hint) or toString (default). */
  operand(v: unknown, hint: 'number' | 'default'): Sym[] | undefined | 'object' {
    if (this.objects.size !== 0 && v !== null && (typeof v === 'object' || typeof v === 'function')) {
      // A library value converted by the operator (a luxon DateTime by its valueOf); one that owes nothing to
      // the clock is a constant (`converted` gives its primitive).
      const syms = this.objects.get(v);
      if (syms) return this.symsOf(v) ? syms.map((s) => this.table.call(TO_PRIMITIVE[hint], undefined, [s])) : undefined;
    }
    if (v instanceof NativeDate) {
      const syms = this.dates.get(v);
      if (!syms) return undefined;
      return syms.map((s) => this.table.dateGet(hint === 'number' ? 'valueOf' : 'toString', s, []));
    }
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) return 'object';
    return this.symsOf(v);
  }

  /**
   * All combinations of candidate syms (consts for untracked operands). When there would be too many, the
   * operands with the most candidates are pinned (see `fix`) until few enough remain.
   */
  combos(operands: unknown[], syms: (Sym[] | undefined)[]): Sym[][] {
    const options = [...syms];
    const size = () => options.reduce((n, o) => n * (o ? o.length : 1), 1);
    while (size() > MAX_CANDIDATES) {
      let widest = 0;
      for (let i = 1; i < options.length; i++) if ((options[i]?.length ?? 0) > (options[widest]?.length ?? 0)) widest = i;
      this.pinOperand(operands[widest], options[widest] ?? []);
      options[widest] = undefined;
    }
    let out: Sym[][] = [[]];
    for (let i = 0; i < operands.length; i++) {
      const choices = options[i] ?? [this.table.constant(operands[i])];
      const next: Sym[][] = [];
      for (const prefix of out) for (const s of choices) next.push([...prefix, s]);
      out = next;
    }
    return out;
  }

  /** `combos` of two operands, flattened (x0, y0, x1, y1...): the operators' hot path, without the arrays. */
  pairs(a: unknown, b: unknown, sa: Sym[] | undefined, sb: Sym[] | undefined): Sym[] {
    const out: Sym[] = [];
    if ((sa ? sa.length : 1) * (sb ? sb.length : 1) > MAX_CANDIDATES) {
      for (const [x, y] of this.combos([a, b], [sa, sb])) out.push(x!, y!);
      return out;
    }
    const xs = sa ?? [this.table.constant(a)];
    const ys = sb ?? [this.table.constant(b)];
    for (const x of xs) for (const y of ys) out.push(x, y);
    return out;
  }

  /** Implicit predicates: every clock-derived value keeps its type (typeof, `??`, `?.`... are not instrumented). */
  types(): Predicate[] {
    const out: Predicate[] = [];
    for (const [v, syms] of this.values) {
      for (const s of syms) if (this.table.metaOf(s).gran !== 'const') out.push({ kind: 'type', op: 0, a: s, b: undefined, result: typeof v });
    }
    return out;
  }

  /** A comparator's answer was read by its sign (Array.prototype.sort). */
  sign(v: unknown): void {
    const syms = this.symsOf(v);
    if (!syms || typeof v !== 'number') return;
    const zero = this.table.constant(0);
    for (const s of syms) {
      if (this.table.metaOf(s).gran === 'const') continue;
      this.predicates.push({ kind: 'compare', op: 0, a: s, b: zero, result: v < 0 }, { kind: 'compare', op: 1, a: s, b: zero, result: v > 0 });
    }
  }

  /** A value's truthiness decided something (a test, a logical operator, an array callback's answer). */
  truth(v: unknown): void {
    const syms = this.symsOf(v);
    // (Objects are truthy whatever the day.)
    if (!syms || (v !== null && (typeof v === 'object' || typeof v === 'function'))) return;
    const result = truthyOf(v);
    for (const s of syms) if (this.table.metaOf(s).gran !== 'const') this.predicates.push({ kind: 'truthy', op: 0, a: s, b: undefined, result });
  }

}

function has(list: Sym[], s: Sym): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === s) return true;
  return false;
}

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

function tracked(s: Sym[] | undefined | 'object'): boolean {
  return s !== undefined && s !== 'object';
}

function compare(k: number, a: any, b: any, clean = 0): boolean {
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
  const hint = k <= 3 ? 'number' : 'default';
  const sa = clean & 1 ? undefined : t.operand(a, hint);
  const sb = clean & 2 ? undefined : t.operand(b, hint);
  if (!tracked(sa) && !tracked(sb)) return r;
  if (sa === 'object' || sb === 'object') {
    if (!(k === 6 || k === 7)) t.escape('a clock value compared with an object');
    return r;
  }
  const pairs = t.pairs(t.converted(a, hint), t.converted(b, hint), sa as Sym[] | undefined, sb as Sym[] | undefined);
  for (let i = 0; i < pairs.length; i += 2) {
    const x = pairs[i]!;
    const y = pairs[i + 1]!;
    if (t.table.metaOf(x).gran !== 'const' || t.table.metaOf(y).gran !== 'const') t.predicates.push({ kind: 'compare', op: k, a: x, b: y, result: r });
  }
  return r;
}

function arith(k: number, a: any, b: any, clean = 0): unknown {
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
  const hint = k === 0 ? 'default' : 'number';
  const sa = clean & 1 ? undefined : t.operand(a, hint);
  const sb = clean & 2 ? undefined : t.operand(b, hint);
  if (!tracked(sa) && !tracked(sb)) return r;
  if (sa === 'object' || sb === 'object') {
    t.escape('a clock value combined with an object');
    return r;
  }
  const ca = t.converted(a, hint);
  const cb = t.converted(b, hint);
  const pairs = t.pairs(ca, cb, sa as Sym[] | undefined, sb as Sym[] | undefined);
  const syms: Sym[] = [];
  const lefts: Sym[] = [];
  const rights: Sym[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    syms.push(t.table.op(k, pairs[i]!, pairs[i + 1]!));
    lefts.push(pairs[i]!);
    rights.push(pairs[i + 1]!);
  }
  if ((sa && t.unchanged(r, ca, syms, lefts)) || (sb && t.unchanged(r, cb, syms, rights))) return r;
  t.register(r, syms);
  return r;
}

function unary(k: number, a: unknown): unknown {
  const r = UNARY[k]!(a);
  const t = current;
  if (!t || !t.tracking) return r;
  const sa = t.operand(a, 'number');
  if (!tracked(sa)) return r;
  const syms = (sa as Sym[]).map((s) => t.table.un(k, s));
  if (!t.unchanged(r, t.converted(a, 'number'), syms, sa as Sym[])) t.register(r, syms);
  return r;
}

function key(v: unknown): unknown {
  const t = current;
  if (!t || !t.tracking) return v;
  const syms = t.symsOf(v);
  if (syms) for (const s of syms) t.predicates.push({ kind: 'equal', op: 0, a: s, b: undefined, result: v });
  return v;
}

function substitution(v: unknown): unknown {
  const t = current;
  if (t && t.symsOf(v)) t.escape('a clock value in a template literal');
  return v;
}

function test(v: unknown): unknown {
  const t = current;
  if (t && t.tracking && (typeof v === 'number' || typeof v === 'string')) t.truth(v);
  return v;
}

/** The helper functions the instrumented code calls (in the order of trace-transform's HELPERS). */
export const HELPER_FUNCTIONS = [compare, arith, unary, key, substitution, test];

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
  clockHooks.constructed = (date, args) => {
    if (args.length === 0) clockReadCount++;
    const t = current;
    if (!t) return;
    if (args.length === 0) {
      t.registerDate(date, [t.table.date(t.table.now)]);
      return;
    }
    const syms = args.map((a) => t.symsOf(a));
    if (allOf(syms, (s) => !s)) return;
    if (args.length === 1) {
      t.registerDate(date, syms[0]!.map((s) => t.table.date(s)));
      return;
    }
    t.registerDate(date, t.combos(args, syms).map((c) => t.table.call(makeDate, undefined, c)));
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
 * Installs the tracing hooks (clock and natives) for the duration of `fn`, which may lift them for a while
 * (`untraced`: patching and restoring the built-ins takes ~0.15 ms, so this is for batches of plain runs).
 */
export function withTracing<T>(fn: (untraced: Untraced) => T): T {
  installClockHooks();
  let restore = patchNatives(() => current, nativeGetTime);
  const untraced: Untraced = (work) => {
    restore();
    removeClockHooks();
    try {
      return work();
    } finally {
      installClockHooks();
      restore = patchNatives(() => current, nativeGetTime);
    }
  };
  try {
    return fn(untraced);
  } finally {
    restore();
    removeClockHooks();
  }
}

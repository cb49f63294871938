import { types } from 'node:util';
import type { Predicate, Sym, SymTable } from './trace-runtime.js';
import { TO_PRIMITIVE, truthyOf } from './trace-operators.js';
import { anyOf, keep } from './trace-lists.js';

const NativeDate = Date;
const nativeGetTime = NativeDate.prototype.getTime;
const nativeToString = NativeDate.prototype.toString;
const MAX_CANDIDATES = 16;

/** In the log, a value that cannot be compared with a replayed one (an object). */
export const UNSEEN = Symbol('unseen');

/** The state of one traced evaluation (tracer.ts runs the helpers that fill it). */
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
  /**
   * The values seen by every traced operation once tracking started, in order (operands and results of the
   * operators, keys, tests, results of built-ins, elements fixed by array built-ins, then the task outputs): the
   * same on any day the rules take the same path, position by position. Decisions say where their values were
   * seen (Predicate.ia/ib), so that an evaluation on another day can refute candidates (trace-witness.ts).
   */
  readonly log: unknown[] = [];
  escaped: string | undefined;
  /** Whether any clock-derived value exists yet (until then every operator takes the fast path). */
  tracking = false;
  /**
   * Clock-derived values and Dates registered so far: a built-in during which this moves ran the rules' own code
   * (an object's valueOf or toString, a replace callback) that computed from the clock (see trace-natives.ts).
   */
  registrations = 0;

  /**
   * `logging`: whether to log (a contact's first evaluation has no witness to be refuted by, and most never need
   * one: its log would only cost — ~10% of an evaluation of the example app).
   */
  constructor(readonly table: SymTable, readonly logging = true) {}

  escape(reason: string): void {
    this.escaped ??= reason;
  }

  /** Logs a value seen (as an operator with `hint` converts it: a Date by its time or its string); its position (none when not logging). */
  observe(v: unknown, hint: 'number' | 'default' = 'number'): number | undefined {
    if (!this.logging) return undefined;
    let seen: unknown = v;
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) {
      seen = types.isDate(v) && !this.objects.has(v) ? (hint === 'number' ? nativeGetTime.call(v) : nativeToString.call(v)) : UNSEEN;
    }
    return this.log.push(seen) - 1;
  }

  /**
   * Whether an operator or a built-in converts `v` by running the rules' own code: an object that is neither a Date
   * nor a library value (which the trace follows as they are), whose valueOf, toString or Symbol.toPrimitive the
   * conversion calls — moment's valueOf reads its Date, so `moment() - moment(r.reported_date)` is the clock.
   */
  convertsByCode(v: unknown): boolean {
    return v !== null && (typeof v === 'object' || typeof v === 'function') && !(v instanceof NativeDate) && !(this.objects.size !== 0 && this.objects.has(v));
  }

  /** Whether `value` is, or holds in its properties (eight levels down), a value derived from the clock. */
  holdsClockValue(value: unknown, depth = 0, seen = new Set<unknown>()): boolean {
    if (this.symsOf(value)) return true;
    if (!value || typeof value !== 'object' || depth > 8 || seen.has(value)) return false;
    seen.add(value);
    for (const k of Object.keys(value)) if (this.holdsClockValue((value as Record<string, unknown>)[k], depth + 1, seen)) return true;
    return false;
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
  register(v: unknown, syms: Sym[], at?: number): void {
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
      for (const s of syms) this.predicates.push({ kind: 'equal', op: 0, a: s, b: undefined, result: v, ia: at });
      return;
    }
    let known = this.values.get(v);
    // The value itself is always a candidate too: another occurrence of it may owe nothing to the clock (a
    // form field that happens to equal this month's number), and a decision taken on that occurrence must be
    // recorded on what it really is.
    if (!known) this.values.set(v, (known = [this.table.constant(v)]));
    this.tracking = true;
    this.registrations++;
    for (const s of syms) if (!has(known, s)) known.push(s);
    if (known.length > MAX_CANDIDATES) this.fix(v, at);
  }

  /**
   * `v` was computed by `syms[i]` from an operand's candidates `from[i]` and is that operand unchanged (Math.abs of
   * a positive number, `+x`, `x * 1`, a trim that found nothing to trim): it keeps the operand's candidates, on
   * the condition that each computation still gives the operand. Registering the computations as more candidates
   * would add a copy of each (abs(c), abs(abs(c))...) every time the value goes through such a step — an age
   * computed by a helper called from several tasks soon had too many to follow, and was pinned. False (nothing
   * done) when `v` is not such a value.
   */
  unchanged(v: unknown, operand: unknown, syms: Sym[], from: Sym[], at?: number, operandAt?: number): boolean {
    // (NaN is unchanged but never === itself.)
    if (!Object.is(v, operand) || (typeof v !== 'number' && typeof v !== 'string') || v !== v || !this.symsOf(v)) return false;
    for (let i = 0; i < syms.length; i++) {
      if (this.table.metaOf(syms[i]!).gran !== 'const') this.predicates.push({ kind: 'compare', op: 6, a: syms[i]!, b: from[i]!, result: true, ia: at, ib: operandAt });
    }
    return true;
  }

  /**
   * `v` (if clock-derived) must come out the same on a reused day, whatever its provenance: it went where
   * tracing does not follow, or has too many candidates. From now on it is a constant.
   */
  fix(v: unknown, at?: number): void {
    const syms = this.symsOf(v);
    if (syms) this.pinOperand(v, syms, at);
  }

  /** Pins one operand given by its candidate syms (seen at `at`): a Date by its time value, a primitive by itself. */
  private pinOperand(v: unknown, syms: Sym[], at: number | undefined): void {
    // (types.isDate, not instanceof: a Date a library gave is a Proxy, which Date's methods refuse; it is pinned
    // as the object it is, which no replay gives again: the evaluation then holds for its own day.)
    if (types.isDate(v)) {
      const time = nativeGetTime.call(v);
      for (const s of syms) this.predicates.push({ kind: 'equal', op: 0, a: this.table.dateGet('getTime', s, []), b: undefined, result: time, ia: at });
      this.dates.delete(v);
    } else {
      for (const s of syms) this.predicates.push({ kind: 'equal', op: 0, a: s, b: undefined, result: v, ia: at });
      this.values.delete(v);
    }
  }

  registerDate(d: object, syms: Sym[], at?: number): void {
    if (syms.length > MAX_CANDIDATES) this.pinOperand(d, syms, at);
    else {
      this.dates.set(d, syms);
      this.tracking = true;
      this.registrations++;
    }
  }

  /** An operand as an operator converts it (Dates: time value for the number hint, string otherwise). */
  converted(v: unknown, hint: 'number' | 'default'): unknown {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return v;
    if (this.objects.size !== 0 && this.objects.has(v)) return TO_PRIMITIVE[hint](v);
    if (types.isDate(v)) return hint === 'number' ? nativeGetTime.call(v) : nativeToString.call(v);
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
   * All combinations of candidate syms (SymTable.snapshot for untracked operands). When there would be too many, the
   * operands with the most candidates are pinned (see `fix`) until few enough remain.
   */
  combos(operands: unknown[], syms: (Sym[] | undefined)[], at?: (number | undefined)[]): Sym[][] {
    const options = [...syms];
    const size = () => options.reduce((n, o) => n * (o ? o.length : 1), 1);
    while (size() > MAX_CANDIDATES) {
      let widest = 0;
      for (let i = 1; i < options.length; i++) if ((options[i]?.length ?? 0) > (options[widest]?.length ?? 0)) widest = i;
      this.pinOperand(operands[widest], options[widest] ?? [], at?.[widest]);
      options[widest] = undefined;
    }
    let out: Sym[][] = [[]];
    for (let i = 0; i < operands.length; i++) {
      const choices = options[i] ?? [this.table.snapshot(operands[i])];
      const next: Sym[][] = [];
      for (const prefix of out) for (const s of choices) next.push([...prefix, s]);
      out = next;
    }
    return out;
  }

  /** `combos` of two operands, flattened (x0, y0, x1, y1...): the operators' hot path, without the arrays. */
  pairs(a: unknown, b: unknown, sa: Sym[] | undefined, sb: Sym[] | undefined, ia?: number, ib?: number): Sym[] {
    const out: Sym[] = [];
    if ((sa ? sa.length : 1) * (sb ? sb.length : 1) > MAX_CANDIDATES) {
      for (const [x, y] of this.combos([a, b], [sa, sb], [ia, ib])) out.push(x!, y!);
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
  sign(v: unknown, at?: number): void {
    const syms = this.symsOf(v);
    if (!syms || typeof v !== 'number') return;
    const zero = this.table.constant(0);
    for (const s of syms) {
      if (this.table.metaOf(s).gran === 'const') continue;
      this.predicates.push({ kind: 'compare', op: 0, a: s, b: zero, result: v < 0, ia: at }, { kind: 'compare', op: 1, a: s, b: zero, result: v > 0, ia: at });
    }
  }

  /** A value's truthiness decided something (a test, a logical operator, an array callback's answer). */
  truth(v: unknown, at?: number): void {
    const syms = this.symsOf(v);
    // (Objects are truthy whatever the day.)
    if (!syms || (v !== null && (typeof v === 'object' || typeof v === 'function'))) return;
    const result = truthyOf(v);
    for (const s of syms) if (this.table.metaOf(s).gran !== 'const') this.predicates.push({ kind: 'truthy', op: 0, a: s, b: undefined, result, ia: at });
  }

}

function has(list: Sym[], s: Sym): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === s) return true;
  return false;
}


/* eslint-disable @typescript-eslint/no-explicit-any -- traced values are anything the rules compute */
import { types } from 'node:util';
import { ARITH, UNARY } from './trace-operators.js';
import { allOf } from './trace-lists.js';
import { direction, type Direction } from './trace-direction.js';

/**
 * Clock tracing: while the (instrumented) rules of one container run, every value derived from the clock is
 * known by its value together with a symbolic expression of "now" (a Sym); every decision taken on such a
 * value (a comparison, a property key, a truthiness test...) is recorded as a predicate. Replaying the
 * predicates at another instant says whether the rules would take exactly the same path there — and so
 * produce the same emissions — without running them.
 *
 * Values are tracked by value (primitives) or identity (Dates). A value reached by two different
 * expressions is ambiguous; using it stops the tracing ("escape": the evaluation is then valid for its own
 * instant only, i.e. re-run the next day, as without tracing).
 */
export type Sym = SymKind & {
  /** How it depends on the clock (SymTable.metaOf; made with each sym, empty until asked). */
  meta?: Meta;
  /** Which way its value moves as the clock moves (SymTable.directionOf; likewise). */
  dir?: Direction;
};

type SymKind =
  | { k: 'now'; id: number }
  | { k: 'const'; v: unknown; id: number }
  | { k: 'op'; op: number; a: Sym; b: Sym; id: number }
  | { k: 'un'; op: number; a: Sym; id: number }
  | { k: 'call'; fn: (...a: any[]) => any; self: Sym | undefined; args: Sym[]; id: number }
  | { k: 'elem'; of: Sym; index: number; id: number }
  | { k: 'date'; from: Sym; id: number }
  | { k: 'dateset'; method: string; date: Sym; args: Sym[]; id: number }
  | { k: 'dateget'; method: string; date: Sym; args: Sym[]; id: number }
  | { k: 'lib'; op: LibraryOp; fn: Sym | undefined; self: Sym | undefined; args: Sym[]; key: PropertyKey | undefined; clock: ClockSetter | undefined; id: number };

/** What the rules did with a value of a pure library (trace-library.ts): read a property, call or construct it. */
export type LibraryOp = 'get' | 'apply' | 'construct';

/** The simulated clock, for replaying a library call that read it (the call runs with the clock at the replayed instant). */
export interface ClockSetter {
  now(): number;
  set(ms: number): void;
}

/** Kinds of dependence on the clock: none, through calendar fields only, or the instant itself. */
export type Granularity = 'const' | 'calendar' | 'instant';

/** A sym's dependence on the clock; never modified once made, so that syms share them. */
type Meta = Readonly<{ gran: Granularity; leaves: Set<Sym> | undefined }>;

// Shared by every sym of their kind rather than one object per sym (syms are many: a few per contact).
const CONST_META: Meta = Object.freeze({ gran: 'const', leaves: undefined });
const INSTANT_META: Meta = Object.freeze({ gran: 'instant', leaves: undefined });

const NativeDate = Date;
const nativeGetTime = NativeDate.prototype.getTime;
/** Date's own methods as loaded (tracing wraps them while it runs; replays must not go through the wrappers). */
const DATE_METHODS: Record<string, (...a: unknown[]) => unknown> = Object.fromEntries(
  Object.getOwnPropertyNames(NativeDate.prototype)
    .filter((n) => typeof Object.getOwnPropertyDescriptor(NativeDate.prototype, n)?.value === 'function')
    .map((n) => [n, (NativeDate.prototype as any)[n]]),
);

/** Interned syms: one object per distinct expression, shared by every container of a run. */
export class SymTable {
  private readonly byKey = new Map<string, Sym>();
  private readonly objectIds = new WeakMap<any, number>();
  private nextId = 1;
  private nextObject = 1;
  readonly now: Sym = { k: 'now', id: 0, meta: INSTANT_META, dir: undefined };
  /** Replay cache: values of syms at the instant `at`. */
  private at = NaN;
  private readonly values = new Map<Sym, unknown>();

  private intern(key: string, make: (id: number) => Sym): Sym {
    let s = this.byKey.get(key);
    if (!s) {
      s = make(this.nextId++);
      this.byKey.set(key, s);
    }
    return s;
  }

  // The intern keys are built with operators and template literals only: while tracing runs, String(), join()
  // and the like are wrapped, and the table must not trace itself.
  private keyOf(v: unknown): string {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
      if (typeof v === 'symbol') return `y:${this.idOf(v)}`;
      return typeof v === 'number' && Object.is(v, -0) ? 'n:-0' : `${typeof v}:${v as string}`;
    }
    return `o:${this.idOf(v as object)}`;
  }

  private idOf(v: object | symbol): number {
    let id = this.objectIds.get(v as object);
    if (id === undefined) this.objectIds.set(v as object, (id = this.nextObject++));
    return id;
  }

  private static ids(syms: Sym[]): string {
    let out = '';
    for (let i = 0; i < syms.length; i++) out += i === 0 ? `${syms[i]!.id}` : `,${syms[i]!.id}`;
    return out;
  }

  private readonly primitives = new Map<unknown, Sym>();

  constant(v: unknown): Sym {
    if ((typeof v === 'number' && !Object.is(v, -0)) || typeof v === 'string' || typeof v === 'boolean' || v === undefined || v === null) {
      let s = this.primitives.get(v);
      if (!s) this.primitives.set(v, (s = { k: 'const', v, id: this.nextId++, meta: CONST_META, dir: 0 } as Sym));
      return s;
    }
    return this.intern(`c(${this.keyOf(v)})`, (id) => ({ k: 'const', v, id, meta: CONST_META, dir: 0 }) as Sym);
  }

  /**
   * The constant for a value the clock did not make, as an operand: a Date by its time value (each replay gets a
   * new Date, so the rules changing theirs later changes nothing, and one sym serves every Date of that time,
   * where a constant per Date object made the table grow with every call), anything else as itself. (A Date a
   * library gave through its membrane is a Proxy, which Date's methods refuse: it stays the object it is.)
   */
  snapshot(v: unknown): Sym {
    return types.isDate(v) ? this.date(this.constant(nativeGetTime.call(v))) : this.constant(v);
  }
  // The two commonest kinds (an operator on two syms, a Date read without arguments) skip the string keys.
  private readonly ops = new Map<number, Map<number, Sym>>();
  private readonly reads = new Map<string, Map<number, Sym>>();

  op(op: number, a: Sym, b: Sym): Sym {
    const first = a.id * 16 + op;
    let byB = this.ops.get(first);
    if (!byB) this.ops.set(first, (byB = new Map()));
    let s = byB.get(b.id);
    if (!s) byB.set(b.id, (s = { k: 'op', op, a, b, id: this.nextId++, meta: undefined, dir: undefined } as Sym));
    return s;
  }
  // Unary operators, elements and Dates of one sym: keyed by numbers (no key strings to build).
  private readonly unaries = new Map<number, Sym>();
  private readonly elems = new Map<number, Map<number, Sym>>();
  private readonly dates = new Map<number, Sym>();

  un(op: number, a: Sym): Sym {
    const key = a.id * 4 + op;
    let s = this.unaries.get(key);
    if (!s) this.unaries.set(key, (s = { k: 'un', op, a, id: this.nextId++, meta: undefined, dir: undefined } as Sym));
    return s;
  }
  // Calls (addDate, Math's functions...) are the next commonest: a tree of Maps per function, keyed by the
  // receiver with the argument count, then by each argument, so that no key string is built for them either.
  private readonly calls = new Map<(...a: any[]) => any, Map<number, any>>();

  call(fn: (...a: any[]) => any, self: Sym | undefined, args: Sym[]): Sym {
    if (args.length >= 64) return this.intern(`f${this.keyOf(fn)}(${self ? self.id : '-'};${SymTable.ids(args)})`, (id) => ({ k: 'call', fn, self, args, id }));
    let level = this.calls.get(fn);
    if (!level) this.calls.set(fn, (level = new Map()));
    let key = (self ? self.id + 1 : 0) * 64 + args.length;
    for (let i = 0; i < args.length; i++) {
      let next = level.get(key) as Map<number, any> | undefined;
      if (!next) level.set(key, (next = new Map()));
      level = next;
      key = args[i]!.id;
    }
    let s = level.get(key) as Sym | undefined;
    if (!s) level.set(key, (s = { k: 'call', fn, self, args, id: this.nextId++, meta: undefined, dir: undefined } as Sym));
    return s;
  }
  elem(of: Sym, index: number): Sym {
    let byIndex = this.elems.get(of.id);
    if (!byIndex) this.elems.set(of.id, (byIndex = new Map()));
    let s = byIndex.get(index);
    if (!s) byIndex.set(index, (s = { k: 'elem', of, index, id: this.nextId++, meta: undefined, dir: undefined } as Sym));
    return s;
  }
  date(from: Sym): Sym {
    let s = this.dates.get(from.id);
    if (!s) this.dates.set(from.id, (s = { k: 'date', from, id: this.nextId++, meta: undefined, dir: undefined } as Sym));
    return s;
  }
  dateSet(method: string, date: Sym, args: Sym[]): Sym {
    return this.intern(`s${method}(${date.id};${SymTable.ids(args)})`, (id) => ({ k: 'dateset', method, date, args, id }));
  }
  /**
   * A library operation (trace-library.ts): `get` reads `key` of `self`; `apply` calls `fn` with `self` and
   * `args`; `construct` constructs `fn` with `args`. With `clock`, the operation read the clock itself and is
   * replayed with the clock at the replayed instant.
   */
  lib(op: LibraryOp, fn: Sym | undefined, self: Sym | undefined, args: Sym[], key: PropertyKey | undefined, clock: ClockSetter | undefined): Sym {
    const text = `L${op}(${fn ? fn.id : '-'};${self ? self.id : '-'};${SymTable.ids(args)};${key === undefined ? '' : this.keyOf(key)};${clock ? 1 : 0})`;
    return this.intern(text, (id) => ({ k: 'lib', op, fn, self, args, key, clock, id }));
  }
  dateGet(method: string, date: Sym, args: Sym[]): Sym {
    if (args.length === 0) {
      let byDate = this.reads.get(method);
      if (!byDate) this.reads.set(method, (byDate = new Map()));
      let s = byDate.get(date.id);
      if (!s) byDate.set(date.id, (s = { k: 'dateget', method, date, args, id: this.nextId++, meta: undefined, dir: undefined } as Sym));
      return s;
    }
    return this.intern(`g${method}(${date.id};${SymTable.ids(args)})`, (id) => ({ k: 'dateget', method, date, args, id }));
  }

  /**
   * How a sym depends on the clock. Calendar fields (year, month, day of month...) of a date derived from now
   * are "calendar" leaves, whose values change on few days; anything reading the instant itself (getTime,
   * arithmetic on Date.now()) is "instant" and may change every day.
   */
  metaOf(s: Sym): Meta {
    // Kept on the sym itself: this is asked for every operand of every traced operation. (Computed once per
    // sym, but syms are many — a few per contact — so without the arrays the children would make.)
    let m = s.meta;
    if (m) return m;
    switch (s.k) {
      case 'now': m = INSTANT_META; break;
      case 'const': m = CONST_META; break;
      case 'dateget': {
        const date = this.metaOf(s.date);
        if (date.gran !== 'const' && CALENDAR_GETTERS.has(s.method) && allOf(s.args, (a) => this.metaOf(a).gran === 'const')) {
          m = { gran: 'calendar', leaves: new Set([s]) };
        } else m = this.combined(date, s.args, undefined);
        break;
      }
      case 'lib':
        // A library call that read the clock depends on the instant itself.
        m = s.clock ? INSTANT_META : this.combined(s.fn && this.metaOf(s.fn), s.args, s.self);
        break;
      case 'op': m = this.combined(this.metaOf(s.a), EMPTY, s.b); break;
      case 'un': m = this.combined(this.metaOf(s.a), EMPTY, undefined); break;
      case 'elem': m = this.combined(this.metaOf(s.of), EMPTY, undefined); break;
      case 'date': m = this.combined(this.metaOf(s.from), EMPTY, undefined); break;
      case 'call': m = this.combined(undefined, s.args, s.self); break;
      case 'dateset': m = this.combined(this.metaOf(s.date), s.args, undefined); break;
    }
    s.meta = m;
    return m;
  }

  /**
   * The dependence of a sym on its children (`first`'s meta, those of `args` and of `more`): the instant if any
   * child depends on it, else the calendar fields of all of them, else none. A child whose fields are all of them
   * gives its meta (sets are never modified once made).
   */
  private combined(first: Meta | undefined, args: readonly Sym[], more: Sym | undefined): Meta {
    // (The child whose fields are all of them, when one is: its meta is the sym's too.)
    let only: Meta | undefined;
    let leaves: Set<Sym> | undefined;
    for (let i = -2; i < args.length; i++) {
      const m = i === -2 ? first : i === -1 ? (more && this.metaOf(more)) : this.metaOf(args[i]!);
      if (!m || m.gran === 'const') continue;
      if (m.gran === 'instant') return INSTANT_META;
      if (m.leaves === (leaves ?? only?.leaves)) continue;
      if (!only && !leaves) only = m;
      else {
        leaves ??= new Set(only!.leaves);
        only = undefined;
        for (const l of m.leaves!) leaves.add(l);
      }
    }
    return leaves ? { gran: 'calendar', leaves } : only ?? CONST_META;
  }

  /** The value of a sym at another instant (cached per instant: replays are shared across containers). */
  replay(s: Sym, at: number): unknown {
    if (at !== this.at) {
      this.at = at;
      this.values.clear();
    }
    return this.value(s, at);
  }

  private value(s: Sym, at: number): unknown {
    if (s.k === 'const') return s.v;
    if (s.k === 'now') return at;
    if (this.values.has(s)) return this.values.get(s);
    const v = computeSym(s, at, (c) => this.value(c, at));
    this.values.set(s, v);
    return v;
  }

  /**
   * How a sym's value moves as the clock moves forward: 1 never down, -1 never up, 0 constant, null unknown.
   * Known only for numbers built from the instant with operations that keep order (adding or scaling by a
   * constant, order-keeping calls such as Math.floor or addDate, setting time-of-day fields to constants): a
   * comparison on such a value changes its outcome at most twice over a timeline, which trace-validity.ts finds
   * by bisection instead of trying every day.
   */
  directionOf(s: Sym): Direction {
    if (s.dir === undefined) s.dir = this.metaOf(s).gran === 'const' ? 0 : direction(s, (c) => this.directionOf(c));
    return s.dir;
  }
}

/** One sym's value at `at`, from its children's values (`child`). */
export function computeSym(s: Sym, at: number, child: (c: Sym) => unknown): unknown {
  switch (s.k) {
    case 'const': return s.v;
    case 'now': return at;
    case 'op': return ARITH[s.op]!(child(s.a), child(s.b));
    case 'un': return UNARY[s.op]!(child(s.a));
    case 'call': return s.fn.apply(s.self ? child(s.self) : undefined, s.args.map(child));
    case 'elem': return (child(s.of) as any)[s.index];
    case 'date': {
      const from = child(s.from);
      return new NativeDate(types.isDate(from) ? nativeGetTime.call(from) : (from as number));
    }
    case 'dateset': {
      const d = new NativeDate(nativeGetTime.call(child(s.date) as Date));
      DATE_METHODS[s.method]!.apply(d, s.args.map(child));
      return d;
    }
    case 'dateget':
      return DATE_METHODS[s.method]!.apply(child(s.date), s.args.map(child));
    case 'lib': {
      const fn = s.fn ? child(s.fn) as (...a: unknown[]) => unknown : undefined;
      const self = s.self ? child(s.self) : undefined;
      const args = s.args.map(child);
      const run = () => s.op === 'get' ? Reflect.get(self as object, s.key!)
        : s.op === 'apply' ? Reflect.apply(fn!, self, args)
          : Reflect.construct(fn as unknown as new (...a: unknown[]) => unknown, args);
      if (!s.clock) return run();
      const before = s.clock.now();
      s.clock.set(at);
      try {
        return run();
      } finally {
        s.clock.set(before);
      }
    }
  }
}

const EMPTY: readonly Sym[] = [];

const CALENDAR_GETTERS = new Set([
  'getFullYear', 'getMonth', 'getDate', 'getDay', 'getUTCFullYear', 'getUTCMonth', 'getUTCDate', 'getUTCDay', 'getYear',
]);

/**
 * A decision recorded while tracing, which must come out the same at another instant: a comparison
 * (`compare`), a value used as a property key or switch discriminant (`equal`: the same value), a tracked value
 * tested for truthiness by `if`, `&&`, `||`, `!`, `?:`, a loop or an array callback (`truthy`, result
 * `"<typeof>:<truthy>"`), or any tracked value's type (`type`, result its `typeof`: `typeof` itself, `??`,
 * `?.` and the like are not instrumented).
 */
export interface Predicate {
  kind: 'compare' | 'equal' | 'truthy' | 'type';
  op: number;
  a: Sym;
  b: Sym | undefined;
  result: unknown;
  /**
   * Where in the trace's log (Trace.observe) the value `a` (and `b`) stands for was seen: another evaluation of
   * the same container on another day, which took the same path up to there, saw there the value of the same
   * expression — a candidate that does not give it is not that value's provenance (trace-witness.ts).
   */
  ia?: number;
  ib?: number;
}

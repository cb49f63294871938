/* eslint-disable @typescript-eslint/no-explicit-any -- traced values are anything the rules compute */
import { ARITH_OPS, COMPARE_OPS, UNARY_OPS } from './trace-transform.js';

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
export type Sym =
  | { k: 'now'; id: number }
  | { k: 'const'; v: unknown; id: number }
  | { k: 'op'; op: number; a: Sym; b: Sym; id: number }
  | { k: 'un'; op: number; a: Sym; id: number }
  | { k: 'call'; fn: (...a: any[]) => any; self: Sym | undefined; args: Sym[]; id: number }
  | { k: 'elem'; of: Sym; index: number; id: number }
  | { k: 'date'; from: Sym; id: number }
  | { k: 'dateset'; method: string; date: Sym; args: Sym[]; id: number }
  | { k: 'dateget'; method: string; date: Sym; args: Sym[]; id: number };

/** Kinds of dependence on the clock: none, through calendar fields only, or the instant itself. */
export type Granularity = 'const' | 'calendar' | 'instant';

type Meta = { gran: Granularity; leaves: Set<Sym> | undefined };

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
  readonly now: Sym = { k: 'now', id: 0 };
  private readonly meta = new Map<Sym, Meta>();
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

  constant(v: unknown): Sym {
    return this.intern(`c(${this.keyOf(v)})`, (id) => ({ k: 'const', v, id }));
  }
  op(op: number, a: Sym, b: Sym): Sym {
    return this.intern(`o${op}(${a.id},${b.id})`, (id) => ({ k: 'op', op, a, b, id }));
  }
  un(op: number, a: Sym): Sym {
    return this.intern(`u${op}(${a.id})`, (id) => ({ k: 'un', op, a, id }));
  }
  call(fn: (...a: any[]) => any, self: Sym | undefined, args: Sym[]): Sym {
    return this.intern(`f${this.keyOf(fn)}(${self ? self.id : '-'};${SymTable.ids(args)})`, (id) => ({ k: 'call', fn, self, args, id }));
  }
  elem(of: Sym, index: number): Sym {
    return this.intern(`e(${of.id},${index})`, (id) => ({ k: 'elem', of, index, id }));
  }
  date(from: Sym): Sym {
    return this.intern(`d(${from.id})`, (id) => ({ k: 'date', from, id }));
  }
  dateSet(method: string, date: Sym, args: Sym[]): Sym {
    return this.intern(`s${method}(${date.id};${SymTable.ids(args)})`, (id) => ({ k: 'dateset', method, date, args, id }));
  }
  dateGet(method: string, date: Sym, args: Sym[]): Sym {
    return this.intern(`g${method}(${date.id};${SymTable.ids(args)})`, (id) => ({ k: 'dateget', method, date, args, id }));
  }

  /**
   * How a sym depends on the clock. Calendar fields (year, month, day of month...) of a date derived from now
   * are "calendar" leaves, whose values change on few days; anything reading the instant itself (getTime,
   * arithmetic on Date.now()) is "instant" and may change every day.
   */
  metaOf(s: Sym): Meta {
    let m = this.meta.get(s);
    if (m) return m;
    switch (s.k) {
      case 'now': m = { gran: 'instant', leaves: undefined }; break;
      case 'const': m = { gran: 'const', leaves: undefined }; break;
      case 'dateget': {
        const parts = [this.metaOf(s.date), ...s.args.map((a) => this.metaOf(a))];
        const dependent = parts.some((p) => p.gran !== 'const');
        if (!dependent) m = { gran: 'const', leaves: undefined };
        else if (CALENDAR_GETTERS.has(s.method) && parts.slice(1).every((p) => p.gran === 'const')) m = { gran: 'calendar', leaves: new Set([s]) };
        else m = combine(parts);
        break;
      }
      default: {
        const children: Sym[] = s.k === 'op' ? [s.a, s.b] : s.k === 'un' ? [s.a] : s.k === 'elem' ? [s.of]
          : s.k === 'date' ? [s.from] : s.k === 'call' ? [...(s.self ? [s.self] : []), ...s.args]
            : [s.date, ...s.args];
        m = combine(children.map((c) => this.metaOf(c)));
      }
    }
    this.meta.set(s, m);
    return m;
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
    let v: unknown;
    switch (s.k) {
      case 'op': v = ARITH[s.op]!(this.value(s.a, at), this.value(s.b, at)); break;
      case 'un': v = UNARY[s.op]!(this.value(s.a, at)); break;
      case 'call': v = s.fn.apply(s.self ? this.value(s.self, at) : undefined, s.args.map((a) => this.value(a, at))); break;
      case 'elem': v = (this.value(s.of, at) as any)[s.index]; break;
      case 'date': {
        const from = this.value(s.from, at);
        v = new NativeDate(from instanceof NativeDate ? nativeGetTime.call(from) : (from as number));
        break;
      }
      case 'dateset': {
        const d = new NativeDate(nativeGetTime.call(this.value(s.date, at) as Date));
        DATE_METHODS[s.method]!.apply(d, s.args.map((a) => this.value(a, at)));
        v = d;
        break;
      }
      case 'dateget':
        v = DATE_METHODS[s.method]!.apply(this.value(s.date, at), s.args.map((a) => this.value(a, at)));
        break;
    }
    this.values.set(s, v);
    return v;
  }
}

function combine(parts: Meta[]): Meta {
  if (parts.some((p) => p.gran === 'instant')) return { gran: 'instant', leaves: undefined };
  const leaves = new Set<Sym>();
  for (const p of parts) if (p.leaves) for (const l of p.leaves) leaves.add(l);
  return leaves.size ? { gran: 'calendar', leaves } : { gran: 'const', leaves: undefined };
}

const CALENDAR_GETTERS = new Set([
  'getFullYear', 'getMonth', 'getDate', 'getDay', 'getUTCFullYear', 'getUTCMonth', 'getUTCDate', 'getUTCDay', 'getYear',
]);

/** The operators, computed natively (the helpers and replays must give exactly what the code would). */
export const COMPARE: ((a: any, b: any) => boolean)[] = [
  (a, b) => a < b, (a, b) => a > b, (a, b) => a <= b, (a, b) => a >= b,
  (a, b) => a == b, (a, b) => a != b, (a, b) => a === b, (a, b) => a !== b, (a, b) => a in b,
];
export const ARITH: ((a: any, b: any) => any)[] = [
  (a, b) => a + b, (a, b) => a - b, (a, b) => a * b, (a, b) => a / b, (a, b) => a % b, (a, b) => a ** b,
  (a, b) => a | b, (a, b) => a & b, (a, b) => a ^ b, (a, b) => a << b, (a, b) => a >> b, (a, b) => a >>> b,
];
export const UNARY: ((a: any) => any)[] = [(a) => -a, (a) => +a, (a) => ~a];

if (COMPARE.length !== COMPARE_OPS.length || ARITH.length !== ARITH_OPS.length || UNARY.length !== UNARY_OPS.length) {
  throw new Error('trace operator tables out of sync');
}

/**
 * A decision recorded while tracing, which must come out the same at another instant: a comparison
 * (`compare`), a value used as a property key or switch discriminant (`equal`: the same value), or a tracked
 * value's type and truthiness (`truthy`, result `"<typeof>:<truthy>"`), which covers every `if`, `&&`, `?:`...
 */
export interface Predicate {
  kind: 'compare' | 'equal' | 'truthy';
  op: number;
  a: Sym;
  b: Sym | undefined;
  result: unknown;
}

export function predicateHolds(table: SymTable, p: Predicate, at: number): boolean {
  const a = table.replay(p.a, at);
  switch (p.kind) {
    case 'compare': return COMPARE[p.op]!(a, table.replay(p.b!, at)) === p.result;
    case 'equal': return Object.is(a, p.result);
    case 'truthy': return `${typeof a}:${a ? 'true' : 'false'}` === p.result;
  }
}

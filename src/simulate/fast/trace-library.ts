/* eslint-disable @typescript-eslint/no-explicit-any -- library values are anything */
import { types } from 'node:util';
import type { ClockSetter, Sym, SymTable } from './trace-runtime.js';
import { anyOf } from './trace-lists.js';
import { activeTrace, clockReads, swapTrace, type Trace } from './tracer.js';

/**
 * The membrane between the rules and a pure library (pure-libraries.ts says which, and why): the library runs
 * uninstrumented, and the rules see its values through proxies that record what the rules do with them — read
 * a property, call a function, construct a class — as one operation each, replayed by doing it again: a
 * DateTime computed from "now" is replayed by calling the same luxon functions at another instant, with the
 * simulated clock set to it when the call read the clock. The library is loaded once per timeline and shared
 * by every evaluation (cht-core loads it once per contact: the same code and state, as long as the rules never
 * write into it — a write stops the sharing, and the tracing of every evaluation from then on). Whatever cannot
 * be replayed stops the tracing of the evaluation (`escape`): a callback passed in, an argument that cannot be
 * copied, two clock-derived values compared by identity, a call on a clock value that threw.
 */

const MAX_CANDIDATES = 16;
/** Nesting of a plain object or array passed to a library (options like `{ days: 7 }`) copied for replays. */
const MAX_ARGUMENT_DEPTH = 4;

interface LoadedModule {
  exports: any;
  /** False once the rules wrote into the library (or it read the clock as it loaded): loaded afresh each time. */
  shared: boolean;
}

/** An input of a library operation: what the library gets, and its candidate syms (undefined: untraceable). */
type Input = { raw: unknown; syms: Sym[] } | { escape: string };

/**
 * The membrane of one TracingEngine (the instrumented rules call `load` and `loaded` around a pure library's
 * module code, trace-transform.ts).
 */
export class LibraryMembrane {
  private readonly proxies = new WeakMap<object, any>();
  private readonly raws = new WeakMap<object, object>();
  private readonly modules = new Map<string, LoadedModule>();
  /** Library code running (its own calls are not recorded, and see its own values). */
  private depth = 0;
  private readonly suspended: (Trace | undefined)[] = [];
  /** The clock reads counted when each module being loaded started. */
  private readonly loading: number[] = [];
  private readonly handler: ProxyHandler<any>;

  constructor(private readonly table: SymTable, private readonly clock: ClockSetter) {
    this.handler = this.makeHandler();
  }

  /**
   * First thing in a library module's code: true when the module was loaded already (its exports are then
   * `module.exports`, and the module code is skipped). Otherwise the module code runs untraced until `loaded`.
   */
  load(name: string, module: { exports: any }): boolean {
    this.loading.push(clockReads());
    const known = this.modules.get(name);
    const t = activeTrace();
    if (known?.shared) {
      this.loading.pop();
      module.exports = known.exports;
      if (t) this.adopt(t, known.exports, [this.table.constant(this.raws.get(known.exports))]);
      return true;
    }
    if (known && t) t.escape(`the rules changed the state of ${name}, loaded afresh for each contact`);
    this.enter();
    return false;
  }

  /** Last thing in a library module's code (also when it threw): its exports go behind the membrane. */
  loaded(name: string, module: { exports: any }): void {
    this.leave();
    const t = activeTrace();
    const readClock = clockReads() !== this.loading.pop();
    if (readClock) t?.escape(`${name} read the clock as it loaded`);
    const proxy = this.wrap(module.exports);
    module.exports = proxy;
    const known = this.modules.get(name);
    if (!known) this.modules.set(name, { exports: proxy, shared: !readClock });
    if (t && proxy !== null && typeof proxy === 'object') this.adopt(t, proxy, [this.table.constant(this.raws.get(proxy))]);
  }

  private enter(): void {
    this.depth++;
    this.suspended.push(swapTrace(undefined));
  }

  private leave(): void {
    swapTrace(this.suspended.pop());
    this.depth--;
  }

  /** The trace to record into: an active, unescaped trace, with the rules (not the library) at work. */
  private recorder(): Trace | undefined {
    if (this.depth !== 0) return undefined;
    const t = activeTrace();
    return t && !t.escaped ? t : undefined;
  }

  private wrap(v: any): any {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return v;
    if (this.raws.has(v)) return v;
    let proxy = this.proxies.get(v);
    if (!proxy) {
      proxy = new Proxy(v, this.handler);
      this.proxies.set(v, proxy);
      this.raws.set(proxy, v);
    }
    return proxy;
  }

  private unwrap(v: any): any {
    return v !== null && (typeof v === 'object' || typeof v === 'function') ? this.raws.get(v) ?? v : v;
  }

  /** A library value handed to the rules: registered with its syms; objects and functions behind the membrane. */
  private adopt(t: Trace, value: unknown, syms: Sym[]): unknown {
    if (typeof value === 'number' || typeof value === 'string') {
      t.register(value, syms);
      return value;
    }
    if (value instanceof Date) {
      t.registerDate(value, syms);
      return value;
    }
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      for (const s of syms) if (this.table.metaOf(s).gran !== 'const') t.predicates.push({ kind: 'equal', op: 0, a: s, b: undefined, result: value });
      return value;
    }
    const proxy = this.wrap(value);
    let known = t.objects.get(proxy);
    if (!known) t.objects.set(proxy, (known = []));
    for (const s of syms) if (!anyOf(known, (k) => k === s)) known.push(s);
    if (known.length > MAX_CANDIDATES) t.escape('a library value reached in too many ways');
    return proxy;
  }

  /** An input of an operation, as the library gets it and as syms (library values, copies of plain data). */
  private input(t: Trace, v: unknown, depth = 0): Input {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
      return { raw: v, syms: t.symsOf(v) ?? [this.table.constant(v)] };
    }
    const raw = this.raws.get(v);
    if (raw !== undefined) {
      const syms = t.objects.get(v);
      return syms ? { raw, syms } : { escape: 'a library value from another contact' };
    }
    if (types.isDate(v)) return { raw: v, syms: t.dates.get(v) ?? [this.table.snapshot(v)] };
    if (typeof v === 'function') return { escape: 'a function passed to a library' };
    const proto = Object.getPrototypeOf(v);
    if (depth >= MAX_ARGUMENT_DEPTH || (proto !== Object.prototype && proto !== null && !Array.isArray(v))) {
      return { escape: 'an argument to a library that cannot be copied' };
    }
    // Plain data: a copy, rebuilt at replay by a function of its leaves (one per shape).
    const keys = Object.keys(v);
    const parts: Input[] = keys.map((k) => this.input(t, (v as any)[k], depth + 1));
    for (const p of parts) if ('escape' in p) return p;
    const leaves = parts as { raw: unknown; syms: Sym[] }[];
    const build = builderOf(Array.isArray(v), keys);
    const combos = t.combos(leaves.map((l) => l.raw), leaves.map((l) => l.syms));
    return { raw: v, syms: combos.map((c) => this.table.call(build, undefined, c)) };
  }

  /**
   * One operation of the rules on library values, run as library code (untraced); recorded — its result
   * registered with the syms of the operation — unless it cannot be replayed.
   */
  private operate(
    op: 'get' | 'apply' | 'construct', fn: unknown, self: unknown, args: readonly unknown[], key: PropertyKey | undefined,
    run: (fn: any, self: any, args: any[]) => unknown,
  ): unknown {
    const t = this.recorder();
    const runRaw = () => {
      this.enter();
      try {
        return run(this.unwrap(fn), this.unwrap(self), args.map((a) => this.unwrap(a)));
      } finally {
        this.leave();
      }
    };
    if (!t) return this.depth === 0 ? this.wrap(runRaw()) : run(this.unwrap(fn), this.unwrap(self), args.map((a) => this.unwrap(a)));
    const inputs: Input[] = [];
    if (fn !== undefined) inputs.push(this.input(t, fn));
    if (self !== undefined) inputs.push(this.input(t, self));
    for (const a of args) inputs.push(this.input(t, a));
    for (const i of inputs) {
      if ('escape' in i) {
        t.escape(i.escape);
        return this.wrap(runRaw());
      }
    }
    const given = inputs as { raw: unknown; syms: Sym[] }[];
    const before = clockReads();
    let value: unknown;
    try {
      value = runRaw();
    } catch (err) {
      if (clockReads() !== before || anyOf(given, (i) => anyOf(i.syms, (s) => this.table.metaOf(s).gran !== 'const'))) {
        t.escape('a library call on a clock value threw');
      }
      throw err;
    }
    const clock = clockReads() !== before ? this.clock : undefined;
    const combos = t.combos(given.map((i) => i.raw), given.map((i) => i.syms));
    const syms: Sym[] = [];
    for (const c of combos) {
      let i = 0;
      const fnSym = fn !== undefined ? c[i++] : undefined;
      const selfSym = self !== undefined ? c[i++] : undefined;
      const argSyms: Sym[] = [];
      for (; i < c.length; i++) argSyms.push(c[i]!);
      syms.push(this.table.lib(op, fnSym, selfSym, argSyms, key, clock));
    }
    if (op === 'get' && typeof value === 'function') {
      // A method (the same function for every DateTime): taken as the constant it is, on the condition that the
      // value it was read from still has it — not as one more expression per value it was read from.
      for (const s of syms) if (this.table.metaOf(s).gran !== 'const') t.predicates.push({ kind: 'equal', op: 0, a: s, b: undefined, result: value });
      return this.adopt(t, value, [this.table.constant(value)]);
    }
    return this.adopt(t, value, syms);
  }

  private makeHandler(): ProxyHandler<any> {
    // (Arrow functions: a trap called as a method of the handler would get the handler as `this`.)
    // Anything but reading and calling, done by the rules to a library value: a write changes the library for
    // the evaluations that share it, and a clock-derived value's keys are not traced.
    const change = (raw: object) => {
      const t = activeTrace();
      if (this.depth !== 0 || !t) return;
      for (const m of this.modules.values()) m.shared = false;
      t.escape(`the rules changed a value of a library (${describe(raw)})`);
    };
    const inspect = (proxy: object) => {
      const t = this.recorder();
      if (t && t.symsOf(proxy)) t.escape('the keys of a clock-derived library value were read');
    };
    return {
      get: (raw, key, receiver) => {
        if (this.depth !== 0) return Reflect.get(raw, key, raw);
        const own = Reflect.getOwnPropertyDescriptor(raw, key);
        if (own && !own.configurable && own.writable === false) {
          // A proxy must give such a property's own value: the raw library object escapes the membrane.
          const value = own.value;
          if (value !== null && (typeof value === 'object' || typeof value === 'function')) activeTrace()?.escape(`a library's internals were reached (${String(key)})`);
          return value;
        }
        if (receiver !== this.proxies.get(raw)) {
          activeTrace()?.escape('a library value used as a prototype');
          return Reflect.get(raw, key, receiver);
        }
        if (key === 'length') {
          // Lengths are taken for constants by the instrumentation (trace-clean.ts: loop bounds): one that
          // depends on the clock (an Interval split into days) cannot be followed.
          const t = this.recorder();
          if (t && t.symsOf(receiver)) t.escape('the length of a clock-derived library value');
        }
        return this.operate('get', undefined, receiver, [], key, (_f, self) => Reflect.get(self, key, self));
      },
      apply: (raw, self, args) => {
        return this.operate('apply', this.proxies.get(raw), self, args, undefined, (fn, s, a) => Reflect.apply(fn, s, a));
      },
      construct: (raw, args, newTarget) => {
        if (newTarget !== this.proxies.get(raw)) {
          if (this.depth === 0) activeTrace()?.escape('a library class extended by the rules');
          return Reflect.construct(raw, args.map((a) => this.unwrap(a)), newTarget);
        }
        return this.operate('construct', newTarget, undefined, args, undefined, (fn, _s, a) => Reflect.construct(fn, a)) as object;
      },
      set: (raw, key, value) => {
        change(raw);
        return Reflect.set(raw, key, this.unwrap(value), raw);
      },
      defineProperty: (raw, key, descriptor) => {
        change(raw);
        return Reflect.defineProperty(raw, key, descriptor);
      },
      deleteProperty: (raw, key) => {
        change(raw);
        return Reflect.deleteProperty(raw, key);
      },
      setPrototypeOf: (raw, proto) => {
        change(raw);
        return Reflect.setPrototypeOf(raw, proto);
      },
      preventExtensions: (raw) => {
        change(raw);
        return Reflect.preventExtensions(raw);
      },
      has: (raw, key) => {
        inspect(this.proxies.get(raw));
        return Reflect.has(raw, key);
      },
      ownKeys: (raw) => {
        inspect(this.proxies.get(raw));
        return Reflect.ownKeys(raw);
      },
      getOwnPropertyDescriptor: (raw, key) => {
        inspect(this.proxies.get(raw));
        const descriptor = Reflect.getOwnPropertyDescriptor(raw, key);
        if (!descriptor || this.depth !== 0 || !('value' in descriptor)) return descriptor;
        const value = descriptor.value;
        if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return descriptor;
        if (!descriptor.configurable && !descriptor.writable) {
          activeTrace()?.escape(`a library's internals were reached (${String(key)})`);
          return descriptor;
        }
        return { ...descriptor, value: this.wrap(value) };
      },
      getPrototypeOf: (raw) => {
        // The language's own prototypes stay themselves (`x instanceof Object`); the library's stay behind the
        // membrane (their raw methods would compute on the rules' values unseen).
        const proto = Reflect.getPrototypeOf(raw);
        if (this.depth !== 0 || proto === null || isIntrinsic(proto)) return proto;
        if (!Reflect.isExtensible(raw)) {
          activeTrace()?.escape('a library value\'s prototype was reached');
          return proto;
        }
        return this.wrap(proto);
      },
    };
  }
}

const builders = new Map<string, (...leaves: unknown[]) => unknown>();

/** The function that rebuilds plain data of one shape from its leaves (shared: syms are interned by function). */
function builderOf(array: boolean, keys: string[]): (...leaves: unknown[]) => unknown {
  let shape = array ? 'a' : 'o';
  for (const k of keys) shape += `${k.length}:${k}`;
  let build = builders.get(shape);
  if (!build) {
    // (Loops, not array methods: replays run while the built-ins are wrapped.)
    build = array
      ? (...leaves) => {
        const out: unknown[] = [];
        for (let i = 0; i < leaves.length; i++) out.push(leaves[i]);
        return out;
      }
      : (...leaves) => {
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) out[keys[i]!] = leaves[i];
        return out;
      };
    builders.set(shape, build);
  }
  return build;
}

let intrinsics: Set<object> | undefined;

/** A prototype of the language's own (Object.prototype, Error.prototype...), found from the global constructors. */
function isIntrinsic(proto: object): boolean {
  if (!intrinsics) {
    intrinsics = new Set<object>([Object.prototype, Function.prototype]);
    for (const name of Object.getOwnPropertyNames(globalThis)) {
      const value = (globalThis as any)[name];
      if (typeof value === 'function' && value.prototype !== null && typeof value.prototype === 'object') intrinsics.add(value.prototype);
    }
    intrinsics.add(Object.getPrototypeOf([][Symbol.iterator]()));
    intrinsics.add(Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
  }
  return intrinsics.has(proto);
}

function describe(raw: object): string {
  return typeof raw === 'function' ? `function ${(raw as { name?: string }).name ?? ''}`.trim() : 'an object';
}

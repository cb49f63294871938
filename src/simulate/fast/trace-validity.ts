import { computeSym, type Predicate, type Sym, type SymTable } from './trace-runtime.js';
import { COMPARE, truthyOf } from './trace-operators.js';

/**
 * How long a traced evaluation stays valid: the nearest day of the timeline, later or earlier, on which one of
 * its recorded decisions would come out differently. Decisions on calendar fields can only change on the days
 * those fields change; decisions on an order-keeping value of the instant (SymTable.directionOf) change at most
 * twice and are found by bisection; anything else is tried day by day. A replay that throws (an invalid date's
 * `toISOString`...) counts as a change: the rules then run that day and do what they do.
 */
export class Validity {
  /**
   * Values of syms per day (shared by all containers; dropped when large, it is only a cache): by sym id, the
   * values on the days it was read (a dozen on average). Small maps, one per sym: one map of sym × day pairs
   * (a million entries) cost twice as much per read, its lookups missing the processor's caches.
   */
  private memo: (Map<number, unknown> | undefined)[] = [];
  private memoSize = 0;
  private readonly leafChanges = new Map<Sym, number[]>();
  private calendarDays = new Map<string, number[]>();
  /** The same by set of fields (SymTable.metaOf's, shared by the syms built on them). */
  private daysOfFields = new Map<Set<Sym>, number[]>();
  private scans = new Map<string, { next: number; failure: number | undefined }>();

  constructor(private readonly table: SymTable, private readonly instants: readonly number[]) {}

  /** The first day index in (day, limit) on which one of `predicates` fails; `limit` if none does. */
  until(predicates: readonly Predicate[], day: number, limit: number): number {
    return this.nearestFailure(predicates, day, limit, 1);
  }

  /** The first day index of [lower, day] from which all of `predicates` hold up to `day`. */
  since(predicates: readonly Predicate[], day: number, lower: number): number {
    return this.nearestFailure(predicates, day, lower - 1, -1) + 1;
  }

  /** Walking from `day` by `step` (1: later, -1: earlier), the first day a predicate fails; `bound` (exclusive) if none. */
  private nearestFailure(predicates: readonly Predicate[], day: number, bound: number, step: 1 | -1): number {
    if (this.memoSize > 1_000_000) {
      this.memo = [];
      this.memoSize = 0;
    }
    if (this.scans.size > 50_000) this.scans = new Map();
    if (this.calendarDays.size > 50_000) {
      this.calendarDays = new Map();
      this.daysOfFields = new Map();
    }
    let end = bound;
    // Pins (`equal`) usually fail first, and every later check stops at the nearest failure found so far.
    for (const pass of [true, false]) {
      for (const p of predicates) {
        if (end === day + step) return end;
        if ((p.kind === 'equal') === pass) end = this.firstFailure(p, day, end, step);
      }
    }
    return end;
  }

  valueOn(s: Sym, day: number): unknown {
    if (s.k === 'const') return s.v;
    if (s.k === 'now') return this.instants[day];
    let values = this.memo[s.id];
    if (values === undefined) this.memo[s.id] = values = new Map();
    let v = values.get(day);
    if (v === undefined && !values.has(day)) {
      v = computeSym(s, this.instants[day]!, (c) => this.valueOn(c, day));
      values.set(day, v);
      this.memoSize++;
    }
    return v;
  }

  holds(p: Predicate, day: number): boolean {
    try {
      const a = this.valueOn(p.a, day);
      switch (p.kind) {
        case 'compare': return COMPARE[p.op]!(a, this.valueOn(p.b!, day)) === p.result;
        case 'equal': return Object.is(a, p.result);
        case 'truthy': return truthyOf(a) === p.result;
        case 'type': return typeof a === p.result;
      }
    } catch {
      return false;
    }
  }

  private firstFailure(p: Predicate, day: number, bound: number, step: 1 | -1): number {
    const a = this.table.metaOf(p.a);
    const b = p.b ? this.table.metaOf(p.b) : undefined;
    if (a.gran !== 'instant' && b?.gran !== 'instant') {
      // Calendar fields only: the outcome can change where a field changes (between c - 1 and c), nowhere else.
      const changes = this.changeDays(p.a, p.b);
      if (step === 1) {
        let i = 0;
        while (i < changes.length && changes[i]! <= day) i++;
        for (; i < changes.length && changes[i]! < bound; i++) if (!this.holds(p, changes[i]!)) return changes[i]!;
      } else {
        let i = changes.length - 1;
        while (i >= 0 && changes[i]! > day) i--;
        for (; i >= 0 && changes[i]! - 1 > bound; i--) if (!this.holds(p, changes[i]! - 1)) return changes[i]! - 1;
      }
      return bound;
    }
    const ordered = this.bisect(p, day, bound, step);
    if (ordered !== undefined) return ordered;
    return this.scan(p, day, bound, step);
  }

  /**
   * Day by day. Containers record the same decisions on the same values (a truthiness test on today's date
   * string...), so scans are remembered per decision, start day and direction, and resumed where they stopped.
   */
  private scan(p: Predicate, day: number, bound: number, step: 1 | -1): number {
    const result = p.result;
    const primitive = result === null || (typeof result !== 'object' && typeof result !== 'function');
    const key = primitive ? `${p.kind}${p.op}:${p.a.id}:${p.b ? p.b.id : ''}:${typeof result}:${String(result)}@${day}/${step}` : undefined;
    let state = key === undefined ? undefined : this.scans.get(key);
    if (!state) {
      state = { next: day + step, failure: undefined };
      if (key !== undefined) this.scans.set(key, state);
    }
    if (state.failure !== undefined) return step === 1 ? Math.min(state.failure, bound) : Math.max(state.failure, bound);
    // (An earlier scan may have gone past this bound already, without a failure.)
    for (; step === 1 ? state.next < bound : state.next > bound; state.next += step) {
      if (!this.holds(p, state.next)) {
        state.failure = state.next;
        return state.failure;
      }
    }
    return bound;
  }

  /**
   * For a decision on an order-keeping number x against a constant (or against an opposite-moving one), the
   * sign of x − threshold moves one way over the days, and the outcome depends on that sign only: so it can
   * only change where the sign changes, found by bisection (at most two such points). Days are counted from
   * `day` in the walking direction (k = 1, 2...). Undefined: not such a decision, or a value turned out not to
   * be a finite number (the caller tries every day instead).
   */
  private bisect(p: Predicate, day: number, bound: number, step: 1 | -1): number | undefined {
    let threshold: (d: number) => unknown;
    let dir = this.table.directionOf(p.a);
    // An order-keeping value is a number on every day (see SymTable.directionOf).
    if (p.kind === 'type') return dir === null ? undefined : bound;
    if (p.kind === 'compare') {
      const other = this.table.directionOf(p.b!);
      if (dir === null || other === null || (dir !== 0 && other !== 0 && dir === other)) return undefined;
      if (dir === 0) dir = other === 1 ? -1 : other === -1 ? 1 : 0;
      threshold = (d) => this.valueOn(p.b!, d);
    } else {
      if (dir === null) return undefined;
      const fixed = p.kind === 'equal' ? p.result : 0;
      threshold = () => fixed;
    }
    if (dir === 0) return bound;
    const along = dir * step;
    const at = (k: number) => day + step * k;
    const sign = (k: number): number | undefined => {
      let x: unknown;
      let t: unknown;
      try {
        x = this.valueOn(p.a, at(k));
        t = threshold(at(k));
      } catch {
        return undefined;
      }
      if (typeof x !== 'number' || typeof t !== 'number' || !Number.isFinite(x) || !Number.isFinite(t)) return undefined;
      return Math.sign(x - t) * along;
    };
    const end = (bound - day) * step;
    let from = 0;
    let s = sign(from);
    if (s === undefined) return undefined;
    // Ascending signs (direction folded in): find the first later step whose sign is greater, check the outcome there.
    for (let round = 0; round < 3 && from < end; round++) {
      if (s === 1) return bound;
      let lo = from + 1;
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const m = sign(mid);
        if (m === undefined) return undefined;
        if (m > s) hi = mid;
        else lo = mid + 1;
      }
      if (lo >= end) return bound;
      if (!this.holds(p, at(lo))) return at(lo);
      from = lo;
      s = sign(from)!;
    }
    return undefined;
  }

  /** The days any calendar field under `a` or `b` changes, ascending. */
  private changeDays(a: Sym, b: Sym | undefined): number[] {
    const first = this.table.metaOf(a).leaves;
    const second = b ? this.table.metaOf(b).leaves : undefined;
    // Syms built on the same fields mostly share their set of fields (SymTable.metaOf): known sets first.
    const one = first ?? second;
    const single = !first || !second || first === second;
    if (single && one) {
      const known = this.daysOfFields.get(one);
      if (known) return known;
    }
    // Keyed by the fields (a few: year, month...), not by the values built on them (one per contact).
    let key = '';
    if (first) for (const leaf of first) key += `${leaf.id},`;
    if (second) for (const leaf of second) key += `${leaf.id},`;
    let days = this.calendarDays.get(key);
    if (!days) {
      const all = new Set<number>();
      for (const leaves of [first, second]) if (leaves) for (const leaf of leaves) for (const d of this.changesOf(leaf)) all.add(d);
      days = [...all].sort((x, y) => x - y);
      this.calendarDays.set(key, days);
    }
    if (single && one) this.daysOfFields.set(one, days);
    return days;
  }

  /** The days (indexes) on which a calendar field of a clock-derived date takes a new value. */
  private changesOf(leaf: Sym): number[] {
    let changes = this.leafChanges.get(leaf);
    if (!changes) {
      changes = [];
      let previous: unknown;
      this.instants.forEach((at, i) => {
        let value: unknown;
        try {
          value = this.table.replay(leaf, at);
        } catch {
          value = Symbol('throws'); // a change on this day, and on the next
        }
        if (i > 0 && !Object.is(value, previous)) changes!.push(i);
        previous = value;
      });
      this.leafChanges.set(leaf, changes);
    }
    return changes;
  }
}

import { COMPARE, computeSym, type Predicate, type Sym, type SymTable } from './trace-runtime.js';

const UNSET = Symbol('unset');

/**
 * How long a traced evaluation stays valid: the first day of the timeline on which one of its recorded
 * decisions would come out differently. Decisions on calendar fields can only change on the days those fields
 * change; decisions on an order-keeping value of the instant (SymTable.directionOf) change at most twice and
 * are found by bisection; anything else is tried day by day.
 */
export class Validity {
  /** Values of syms per day index (shared by all containers; dropped when large, it is only a cache). */
  private memo = new Map<Sym, unknown[]>();
  private readonly leafChanges = new Map<Sym, number[]>();
  private calendarDays = new Map<string, number[]>();
  private scans = new Map<string, { next: number; failure: number | undefined }>();

  constructor(private readonly table: SymTable, private readonly instants: readonly number[]) {}

  /** The first day index in (day, limit) on which one of `predicates` fails; `limit` if none does. */
  until(predicates: readonly Predicate[], day: number, limit: number): number {
    if (this.memo.size > 20_000) this.memo = new Map();
    if (this.scans.size > 50_000) this.scans = new Map();
    if (this.calendarDays.size > 50_000) this.calendarDays = new Map();
    let end = limit;
    for (const p of predicates) {
      if (end <= day + 1) break;
      end = this.firstFailure(p, day, end);
    }
    return end;
  }

  valueOn(s: Sym, day: number): unknown {
    if (s.k === 'const') return s.v;
    if (s.k === 'now') return this.instants[day];
    let byDay = this.memo.get(s);
    if (!byDay) this.memo.set(s, (byDay = new Array<unknown>(this.instants.length).fill(UNSET)));
    let v = byDay[day];
    if (v === UNSET) byDay[day] = v = computeSym(s, this.instants[day]!, (c) => this.valueOn(c, day));
    return v;
  }

  holds(p: Predicate, day: number): boolean {
    const a = this.valueOn(p.a, day);
    switch (p.kind) {
      case 'compare': return COMPARE[p.op]!(a, this.valueOn(p.b!, day)) === p.result;
      case 'equal': return Object.is(a, p.result);
      case 'truthy': return `${typeof a}:${a ? 'true' : 'false'}` === p.result;
    }
  }

  private firstFailure(p: Predicate, day: number, limit: number): number {
    const a = this.table.metaOf(p.a);
    const b = p.b ? this.table.metaOf(p.b) : undefined;
    if (a.gran !== 'instant' && b?.gran !== 'instant') {
      // Calendar fields only: the outcome can change on the days a field changes, and on no other.
      const days = this.changeDays(p.a, p.b);
      let i = 0;
      while (i < days.length && days[i]! <= day) i++;
      for (; i < days.length && days[i]! < limit; i++) if (!this.holds(p, days[i]!)) return days[i]!;
      return limit;
    }
    const ordered = this.bisect(p, day, limit);
    if (ordered !== undefined) return ordered;
    return this.scan(p, day, limit);
  }

  /**
   * Day by day. Containers record the same decisions on the same values (a truthiness test on today's date
   * string...), so scans are remembered per decision and start day, and resumed where they stopped.
   */
  private scan(p: Predicate, day: number, limit: number): number {
    const result = p.result;
    const primitive = result === null || (typeof result !== 'object' && typeof result !== 'function');
    const key = primitive ? `${p.kind}${p.op}:${p.a.id}:${p.b ? p.b.id : ''}:${typeof result}:${String(result)}@${day}` : undefined;
    let state = key === undefined ? undefined : this.scans.get(key);
    if (!state) {
      state = { next: day + 1, failure: undefined };
      if (key !== undefined) this.scans.set(key, state);
    }
    if (state.failure !== undefined) return Math.min(state.failure, limit);
    for (; state.next < limit; state.next++) {
      if (!this.holds(p, state.next)) {
        state.failure = state.next;
        return state.failure;
      }
    }
    return limit;
  }

  /**
   * For a decision on an order-keeping number x against a constant (or against an opposite-moving one), the
   * sign of x − threshold moves one way over the days, and the outcome depends on that sign only: so it can
   * only change where the sign changes, found by bisection (at most two such points). Undefined: not such a
   * decision, or a value turned out not to be a finite number (the caller tries every day instead).
   */
  private bisect(p: Predicate, day: number, limit: number): number | undefined {
    let threshold: (d: number) => unknown;
    let dir = this.table.directionOf(p.a);
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
    if (dir === 0) return limit;
    const sign = (d: number): number | undefined => {
      const x = this.valueOn(p.a, d);
      const t = threshold(d);
      if (typeof x !== 'number' || typeof t !== 'number' || !Number.isFinite(x) || !Number.isFinite(t)) return undefined;
      return Math.sign(x - t) * dir!;
    };
    let from = day;
    let s = sign(from);
    if (s === undefined) return undefined;
    // Ascending signs (dir folded in): find the first later day whose sign is greater, check the outcome there.
    for (let step = 0; step < 3 && from < limit; step++) {
      if (s === 1) return limit;
      let lo = from + 1;
      let hi = limit;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const m = sign(mid);
        if (m === undefined) return undefined;
        if (m > s) hi = mid;
        else lo = mid + 1;
      }
      if (lo >= limit) return limit;
      if (!this.holds(p, lo)) return lo;
      from = lo;
      s = sign(from)!;
    }
    return undefined;
  }

  /** The days any calendar field under `a` or `b` changes, ascending. */
  private changeDays(a: Sym, b: Sym | undefined): number[] {
    // Keyed by the fields (a few: year, month...), not by the values built on them (one per contact).
    const leaves: Sym[] = [...(this.table.metaOf(a).leaves ?? []), ...(b ? this.table.metaOf(b).leaves ?? [] : [])];
    let key = '';
    for (const leaf of leaves) key += `${leaf.id},`;
    let days = this.calendarDays.get(key);
    if (!days) {
      const all = new Set<number>();
      for (const leaf of leaves) for (const d of this.changesOf(leaf)) all.add(d);
      days = [...all].sort((x, y) => x - y);
      this.calendarDays.set(key, days);
    }
    return days;
  }

  /** The days (indexes) on which a calendar field of a clock-derived date takes a new value. */
  private changesOf(leaf: Sym): number[] {
    let changes = this.leafChanges.get(leaf);
    if (!changes) {
      changes = [];
      let previous: unknown;
      this.instants.forEach((at, i) => {
        const value = this.table.replay(leaf, at);
        if (i > 0 && !Object.is(value, previous)) changes!.push(i);
        previous = value;
      });
      this.leafChanges.set(leaf, changes);
    }
    return changes;
  }
}

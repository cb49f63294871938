/* eslint-disable @typescript-eslint/no-explicit-any -- rules code and its emissions are user-shaped */
import vm from 'node:vm';
import type { SimulatedClock } from './clock.js';
import { RULES_FILE } from './config.js';
import { freshContainer, type ContainerSpec } from './containers.js';
import { evaluateContainer, Target, Task, type Simulation } from './engine.js';
import { taskRecord, type TaskRecord } from './tasks.js';
import { HELPERS, instrument } from './trace-transform.js';
import { predicateHolds, SymTable, type Predicate, type Sym } from './trace-runtime.js';
import { HELPER_FUNCTIONS, Trace, traced, tracedNootils } from './tracer.js';

/** One traced evaluation of a container: its tasks, and when they stop being valid. */
export interface TracedEvaluation {
  records: TaskRecord[];
  /** Why it is valid on its own day only (tracing stopped), if it is. */
  escaped: string | undefined;
  /** Decisions on the instant itself: checked every day. */
  daily: Predicate[];
  /** Decisions on calendar fields: checked on the days those fields change (day index → predicates). */
  byDay: Map<number, Predicate[]>;
  /** The days any of its tasks can be Ready (computed on first use; null: never). */
  ready?: { from: string; to: string } | null;
  /** The first day index on which it must be checked again; until then it holds without a check. */
  nextCheck: number;
  /** The days with calendar-field decisions, ascending (from `byDay`). */
  checkDays: number[];
}


const EMITTED_FIELDS = [
  '_id', 'title', 'icon', 'deleted', 'resolved', 'actions', 'priority', 'priorityLabel', 'date', 'dueDate', 'startDate',
  'endDate', 'readyStart', 'readyEnd',
];


/**
 * Evaluates containers with the instrumented rules and decides, per later day, whether an evaluation still
 * holds (its recorded decisions come out the same) — see trace-runtime.ts. Outputs come from the
 * instrumented rules, which compute exactly what the original ones do.
 */
export class TracingEngine {
  private readonly table = new SymTable();
  private readonly rules: (...args: unknown[]) => void;
  private readonly utils: any;
  private readonly leafChanges = new Map<Sym, number[]>();

  constructor(private readonly sim: Simulation, private readonly clock: SimulatedClock, private readonly instants: readonly number[]) {
    const code = instrument(sim.config.rules);
    this.rules = vm.compileFunction(code, ['c', 'Task', 'Target', 'Utils', 'user', 'cht', 'emit', ...HELPERS], {
      filename: `traced-${RULES_FILE}`,
    }) as (...args: unknown[]) => void;
    this.utils = tracedNootils({ tasks: { schedules: sim.config.schedules } });
  }

  evaluate(spec: ContainerSpec, dayIndex: number, user: unknown): TracedEvaluation {
    const now = this.instants[dayIndex]!;
    const trace = new Trace(this.table);
    const tasks: any[] = [];
    const emit = (type: string, instance: any) => {
      if (type === 'task') tasks.push(instance);
    };
    const c = freshContainer(spec);
    try {
      traced(trace, () => this.rules(c, Task, Target, this.utils, user, this.sim.cht, emit, ...HELPER_FUNCTIONS));
    } catch (err) {
      // Report the exception as the original rules raise it (source-mapped); they must throw too.
      evaluateContainer(this.sim, spec, this.clock, user);
      throw new Error(`the instrumented rules threw where the original rules did not: ${(err as Error).message}`, { cause: err });
    }
    const records = tasks.map((raw) => taskRecord(raw, now, spec.index));
    const outputPredicates = this.outputs(trace, tasks);
    const entry: TracedEvaluation = { records, escaped: trace.escaped, daily: [], byDay: new Map(), nextCheck: dayIndex + 1, checkDays: [] };
    if (entry.escaped) return entry;
    for (const p of [...trace.predicates, ...trace.truthiness(), ...outputPredicates]) this.schedule(entry, p, dayIndex);
    entry.checkDays = [...entry.byDay.keys()].sort((x, y) => x - y);
    entry.nextCheck = this.nextCheck(entry, dayIndex);
    return entry;
  }

  /**
   * Clock values that end up in the tasks must come out the same on a later day (a Date by its time value):
   * a due date computed from "now" makes the evaluation hold for one day only, while a value merely equal to
   * a clock value by coincidence holds as long as that value does.
   */
  private outputs(trace: Trace, tasks: any[]): Predicate[] {
    const predicates: Predicate[] = [];
    const seen = new Set<unknown>();
    const walk = (value: unknown, depth: number) => {
      if (value instanceof Date) {
        const syms = trace.dates.get(value);
        if (syms) {
          const time = value.getTime();
          for (const s of syms) predicates.push({ kind: 'equal', op: 0, a: this.table.dateGet('getTime', s, []), b: undefined, result: time });
        }
        return;
      }
      const syms = trace.symsOf(value);
      if (syms) {
        for (const s of syms) predicates.push({ kind: 'equal', op: 0, a: s, b: undefined, result: value });
        return;
      }
      if (!value || typeof value !== 'object' || depth > 6 || seen.has(value)) return;
      seen.add(value);
      for (const k of Object.keys(value)) walk((value as any)[k], depth + 1);
    };
    // Only what reaches the task docs and their timing (tasks.ts): the rest of an emission (its `doc`, the
    // whole contact) is never read.
    for (const task of tasks) {
      for (const k of EMITTED_FIELDS) walk(task[k], 1);
      if (task.contact) walk(task.contact.name, 1);
      if (task.doc && task.doc.contact) walk(task.doc.contact._id, 1);
    }
    return predicates;
  }

  private schedule(entry: TracedEvaluation, p: Predicate, dayIndex: number): void {
    const a = this.table.metaOf(p.a);
    const b = p.b ? this.table.metaOf(p.b) : undefined;
    if (a.gran === 'instant' || b?.gran === 'instant') {
      entry.daily.push(p);
      return;
    }
    const days = new Set<number>();
    for (const leaf of [...(a.leaves ?? []), ...(b?.leaves ?? [])]) {
      for (const day of this.changesOf(leaf)) if (day > dayIndex) days.add(day);
    }
    for (const day of days) {
      const list = entry.byDay.get(day);
      if (list) list.push(p);
      else entry.byDay.set(day, [p]);
    }
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

  /**
   * The next day an evaluation's decisions can come out differently: the next day for decisions on the instant
   * itself, else the next day one of its calendar fields changes. Days before it need no check at all.
   */
  private nextCheck(entry: TracedEvaluation, afterDay: number): number {
    if (entry.escaped || entry.daily.length) return afterDay + 1;
    for (const day of entry.checkDays) if (day > afterDay) return day;
    return Number.POSITIVE_INFINITY;
  }

  /** Whether an evaluation made on an earlier day gives the same tasks on day `dayIndex`. */
  holds(entry: TracedEvaluation, dayIndex: number): boolean {
    if (dayIndex < entry.nextCheck) return !entry.escaped;
    if (!this.check(entry, dayIndex)) return false;
    entry.nextCheck = this.nextCheck(entry, dayIndex);
    return true;
  }

  private check(entry: TracedEvaluation, dayIndex: number): boolean {
    if (entry.escaped) return false;
    const at = this.instants[dayIndex]!;
    for (const p of entry.daily) if (!predicateHolds(this.table, p, at)) return false;
    const due = entry.byDay.get(dayIndex);
    if (due) for (const p of due) if (!predicateHolds(this.table, p, at)) return false;
    return true;
  }
}

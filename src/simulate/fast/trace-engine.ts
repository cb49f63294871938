/* eslint-disable @typescript-eslint/no-explicit-any -- rules code and its emissions are user-shaped */
import vm from 'node:vm';
import { consoleSubject } from '../../user-console.js';
import type { SimulatedClock } from '../engine/clock.js';
import { RULES_FILE } from '../engine/config.js';
import { freshContainer, type ContainerSpec } from '../engine/containers.js';
import { evaluateContainer, Target, Task, type Simulation } from '../engine/simulation.js';
import { taskRecord, type TaskRecord } from '../engine/tasks.js';
import { HELPERS, instrument, LIBRARY_HELPER } from './trace-transform.js';
import { LibraryMembrane } from './trace-library.js';
import { SymTable, type Predicate, type Sym } from './trace-runtime.js';
import { Validity } from './trace-validity.js';
import { refuted, type Witness } from './trace-witness.js';
import { HELPER_FUNCTIONS, Trace, traced } from './tracer.js';
import { tracedNootils } from './trace-nootils.js';
import { anyOf } from './trace-lists.js';

/** One traced evaluation of a container: its tasks, and the decisions they rest on. */
export interface TracedEvaluation {
  records: TaskRecord[];
  /** Why it is valid on its own day only (tracing stopped), if it is. */
  escaped: string | undefined;
  /** Every decision taken on a clock-derived value (see trace-runtime.ts). */
  predicates: Predicate[];
  /** The days any of its tasks can be Ready (computed on first use; null: never). */
  ready?: { from: string; to: string } | null;
  /** Its records as Ready-only days list them, by position (fast/timeline.ts `place`; made on first use). */
  listed?: TaskRecord[];
  /**
   * While it can still serve as a witness or be refuted (trace-witness.ts): its day, every decision in the
   * order taken (before `distinct`) and the values the trace saw. Dropped once its container is done.
   */
  witness?: Witness;
}


const EMITTED_FIELDS = [
  '_id', 'title', 'icon', 'deleted', 'resolved', 'actions', 'priority', 'priorityLabel', 'date', 'dueDate', 'startDate',
  'endDate', 'readyStart', 'readyEnd',
];


/**
 * Evaluates containers with the instrumented rules and finds how long an evaluation holds (until a recorded
 * decision would come out differently) — see trace-runtime.ts and trace-validity.ts. Outputs come from the
 * instrumented rules, which compute exactly what the original ones do.
 */
export class TracingEngine {
  private readonly table = new SymTable();
  private readonly rules: (...args: unknown[]) => void;
  private readonly utils: any;
  private readonly validity: Validity;
  private readonly library: LibraryMembrane;

  constructor(private readonly sim: Simulation, private readonly clock: SimulatedClock, private readonly instants: readonly number[]) {
    const code = instrument(sim.config.rules);
    this.rules = vm.compileFunction(code, ['c', 'Task', 'Target', 'Utils', 'user', 'cht', 'emit', ...HELPERS, LIBRARY_HELPER], {
      filename: `traced-${RULES_FILE}`,
    }) as (...args: unknown[]) => void;
    this.utils = tracedNootils({ tasks: { schedules: sim.config.schedules } });
    this.validity = new Validity(this.table, instants);
    this.library = new LibraryMembrane(this.table, clock);
  }

  /** One traced evaluation; `logging`: what another evaluation needs to refute it or be refuted by it (trace-witness.ts). */
  evaluate(spec: ContainerSpec, dayIndex: number, user: unknown, logging = true): TracedEvaluation {
    const now = this.instants[dayIndex]!;
    const trace = new Trace(this.table, logging);
    const tasks: any[] = [];
    const emit = (type: string, instance: any) => {
      if (type === 'task') tasks.push(instance);
    };
    const c = freshContainer(spec);
    const outer = consoleSubject.current;
    consoleSubject.current = spec;
    try {
      traced(trace, () => this.rules(c, Task, Target, this.utils, user, this.sim.cht, emit, ...HELPER_FUNCTIONS, this.library));
    } catch (err) {
      // Report the exception as the original rules raise it (source-mapped); they must throw too.
      evaluateContainer(this.sim, spec, this.clock, user);
      throw new Error(`the instrumented rules threw where the original rules did not: ${(err as Error).message}`, { cause: err });
    } finally {
      consoleSubject.current = outer;
    }
    const records = tasks.map((raw) => taskRecord(raw, now, spec.index));
    if (trace.escaped) return { records, escaped: trace.escaped, predicates: [] };
    const decisions = [...trace.predicates, ...this.outputs(trace, tasks), ...trace.types()];
    const predicates = distinct(this.table, decisions);
    return { records, escaped: undefined, predicates, ...(logging ? { witness: { day: dayIndex, decisions, log: trace.log } } : {}) };
  }

  /**
   * Drops the decisions of `entry` taken on candidates that another evaluation of the same container (`other`,
   * on another day) shows were not what the value was (trace-witness.ts); true when some were (its validity is
   * then to be found anew).
   */
  refute(entry: TracedEvaluation, other: TracedEvaluation | undefined): boolean {
    if (!entry.witness || !other?.witness || other.witness.day === entry.witness.day) return false;
    const kept = refuted(entry.witness.decisions, other.witness, this.validity);
    if (kept.length === entry.witness.decisions.length) return false;
    entry.predicates = distinct(this.table, kept);
    return true;
  }

  /** The first day index after `dayIndex` (and before `limit`) on which the evaluation may give other tasks. */
  validUntil(entry: TracedEvaluation, dayIndex: number, limit: number): number {
    if (entry.escaped) return Math.min(dayIndex + 1, limit);
    return this.validity.until(entry.predicates, dayIndex, limit);
  }

  /** The first day index of [lower, dayIndex] from which the evaluation gives the same tasks up to `dayIndex`. */
  validSince(entry: TracedEvaluation, dayIndex: number, lower: number): number {
    if (entry.escaped) return dayIndex;
    return this.validity.since(entry.predicates, dayIndex, lower);
  }

  /**
   * Clock values that end up in the tasks must come out the same on a later day (a Date by its time value):
   * a due date computed from "now" makes the evaluation hold for one day only, while a value merely equal to
   * a clock value by coincidence holds as long as that value does.
   */
  private outputs(trace: Trace, tasks: any[]): Predicate[] {
    const predicates: Predicate[] = [];
    const seen = new Set<unknown>();
    // Each value is logged where it is found (an evaluation on another day that took the same path emitted
    // the same tasks, walked in the same order: trace-witness.ts).
    const walk = (value: unknown, depth: number) => {
      if (value instanceof Date) {
        const at = trace.observe(value);
        const syms = trace.dates.get(value);
        if (syms) {
          const time = value.getTime();
          for (const s of syms) predicates.push({ kind: 'equal', op: 0, a: this.table.dateGet('getTime', s, []), b: undefined, result: time, ia: at });
        }
        return;
      }
      const syms = trace.symsOf(value);
      if (syms) {
        const at = trace.observe(value);
        for (const s of syms) predicates.push({ kind: 'equal', op: 0, a: s, b: undefined, result: value, ia: at });
        return;
      }
      if (value === null || typeof value !== 'object') trace.observe(value);
      if (!value || typeof value !== 'object' || depth > 6 || seen.has(value)) return;
      seen.add(value);
      for (const k of Object.keys(value)) walk((value as any)[k], depth + 1);
    };
    /** An untracked plain object: its own values are walked one by one (`seen` once). */
    const plainObject = (v: unknown): v is Record<string, unknown> =>
      !!v && typeof v === 'object' && !(v instanceof Date) && !trace.symsOf(v) && !seen.has(v);
    // An action's `content.contact` is the whole contact (cht-conf's default content): the task doc keeps only
    // its `_id` (as `forId`, tasks.ts emissionDoc), so only that is walked.
    const walkActions = (actions: unknown) => {
      if (!plainObject(actions)) return walk(actions, 1);
      seen.add(actions);
      for (const i of Object.keys(actions)) {
        const action = actions[i];
        if (!plainObject(action)) {
          walk(action, 2);
          continue;
        }
        seen.add(action);
        for (const k of Object.keys(action)) {
          const content = action[k];
          if (k !== 'content' || !plainObject(content)) {
            walk(content, 3);
            continue;
          }
          seen.add(content);
          for (const ck of Object.keys(content)) {
            const value = content[ck];
            if (ck === 'contact' && plainObject(value)) walk(value._id, 5);
            else walk(value, 4);
          }
        }
      }
    };
    // Only what reaches the task docs and their timing (tasks.ts): the rest of an emission (its `doc`, the
    // whole contact) is never read.
    for (const task of tasks) {
      for (const k of EMITTED_FIELDS) {
        if (k === 'actions') walkActions(task.actions);
        else walk(task[k], 1);
      }
      if (task.contact) walk(task.contact.name, 1);
      if (task.doc && task.doc.contact) walk(task.doc.contact._id, 1);
    }
    return predicates;
  }
}

/**
 * The predicates that can change, without repeats (rules take the same decision many times: a helper called
 * per task); those on constants alone (a value's own candidate, see Trace.values) always hold.
 */
function distinct(table: SymTable, predicates: Predicate[]): Predicate[] {
  const seen = new Map<Sym, Predicate[]>();
  const out: Predicate[] = [];
  for (const p of predicates) {
    if (table.metaOf(p.a).gran === 'const' && (!p.b || table.metaOf(p.b).gran === 'const')) continue;
    let same = seen.get(p.a);
    if (!same) seen.set(p.a, (same = []));
    if (anyOf(same, (q) => q.kind === p.kind && q.op === p.op && q.b === p.b && Object.is(q.result, p.result))) continue;
    same.push(p);
    out.push(p);
  }
  return out;
}

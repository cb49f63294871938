/* eslint-disable @typescript-eslint/no-explicit-any -- rules code and its emissions are user-shaped */
import vm from 'node:vm';
import { consoleSubject } from '../../user-console.js';
import type { SimulatedClock } from '../engine/clock.js';
import { RULES_FILE } from '../engine/config.js';
import { freshContainer, type ContainerSpec } from '../engine/containers.js';
import { evaluateContainer, Target, Task, type Simulation } from '../engine/simulation.js';
import { taskRecord, type TaskRecord } from '../engine/tasks.js';
import { HELPERS, LIBRARY_HELPER } from './trace-transform.js';
import { tracedRules } from './traced-rules.js';
import { TARGETS_DONE, TargetWindow, WINDOW_HELPER } from './trace-window.js';
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
  /**
   * Every decision taken on a clock-derived value (see trace-runtime.ts) — but the targets', when they are
   * kept apart (`targets`).
   */
  predicates: Predicate[];
  /**
   * The decisions the targets' code took, when it left nothing behind for the tasks (trace-window.ts): its
   * tasks hold while `predicates` do, wherever the targets run alone cleanly (TracingEngine.extend).
   */
  targets?: Predicate[];
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



/** Days an evaluation holds (see TracingEngine.bounds): all its decisions', and its tasks' alone. */
export interface Bounds {
  since: number;
  until: number;
  tasksSince: number;
  tasksUntil: number;
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
  /**
   * The targets' window (trace-window.ts); none when the rules are not chtkit's bundle, or when extension
   * libraries (code not instrumented, which may keep state) are there to be called.
   */
  private readonly window: TargetWindow | undefined;
  /** How the targets' runs alone went (see `extend`). */
  private readonly alone = { clean: 0, failed: 0 };

  constructor(private readonly sim: Simulation, private readonly clock: SimulatedClock, private readonly instants: readonly number[]) {
    const libs = sim.config.extensionLibs;
    const compile = (window: boolean) => {
      const { code, windowed } = tracedRules(sim.config.rules, window, sim.config.cacheDir);
      const rules = vm.compileFunction(code, ['c', 'Task', 'Target', 'Utils', 'user', 'cht', 'emit', ...HELPERS, LIBRARY_HELPER, WINDOW_HELPER], {
        filename: `traced-${RULES_FILE}`,
      }) as (...args: unknown[]) => void;
      return { rules, windowed };
    };
    let compiled: { rules: (...args: unknown[]) => void; windowed: boolean };
    try {
      compiled = compile(!libs || Object.keys(libs).length === 0);
    } catch {
      // (The window is only an optimisation: should its checks ever not compile, the rules run without it.)
      compiled = compile(false);
    }
    this.rules = compiled.rules;
    this.window = compiled.windowed ? new TargetWindow() : undefined;
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
      if (type !== 'task') return;
      tasks.push(instance);
      // (A task the targets' code emits is a task their decisions change.)
      if (this.window?.on) this.window.hit = true;
    };
    this.window?.start(trace.predicates, false);
    try {
      this.run(spec, trace, user, emit);
    } catch (err) {
      // Report the exception as the original rules raise it (source-mapped); they must throw too.
      evaluateContainer(this.sim, spec, this.clock, user);
      throw new Error(`the instrumented rules threw where the original rules did not: ${(err as Error).message}`, { cause: err });
    }
    const records = tasks.map((raw) => taskRecord(raw, now, spec.index));
    if (trace.escaped) return { records, escaped: trace.escaped, predicates: [] };
    const decisions = [...trace.predicates, ...this.outputs(trace, tasks), ...trace.types()];
    const inside = this.window?.clean ? new Set(this.window.inside(trace.predicates)) : undefined;
    const entry: TracedEvaluation = { records, escaped: undefined, predicates: [] };
    this.keep(entry, decisions, inside);
    if (logging) entry.witness = { day: dayIndex, decisions, log: trace.log, inside };
    return entry;
  }

  /** Sets the entry's decisions from `decisions`, those in `inside` as the targets' (see TracedEvaluation). */
  private keep(entry: TracedEvaluation, decisions: Predicate[], inside: Set<Predicate> | undefined): void {
    if (!inside) {
      entry.predicates = distinct(this.table, decisions);
      return;
    }
    entry.predicates = distinct(this.table, decisions.filter((p) => !inside.has(p)));
    entry.targets = distinct(this.table, decisions.filter((p) => inside.has(p)));
  }

  /**
   * The targets alone on `dayIndex` (the rules up to the end of the targets' window): their decisions, or
   * undefined when they left something behind for the tasks, threw, or stopped being traced.
   */
  private targetsAlone(spec: ContainerSpec, dayIndex: number, user: unknown): Predicate[] | undefined {
    const window = this.window!;
    this.clock.set(this.instants[dayIndex]!);
    const trace = new Trace(this.table, false);
    window.start(trace.predicates, true);
    // (A task emitted with the window open is the targets' code's, as in `evaluate`; a throw here could be caught.)
    const emit = (type: string) => {
      if (type === 'task' && window.on) window.hit = true;
    };
    try {
      this.run(spec, trace, user, emit);
      return undefined;
    } catch (err) {
      if (err !== TARGETS_DONE) return undefined;
    }
    if (trace.escaped || !window.clean) return undefined;
    return distinct(this.table, [...window.inside(trace.predicates), ...trace.types()]);
  }

  /** The instrumented rules on a fresh container of `spec`, traced by `trace`; what they log is the container's. */
  private run(spec: ContainerSpec, trace: Trace, user: unknown, emit: (type: string, instance: any) => void): void {
    const c = freshContainer(spec);
    const outer = consoleSubject.current;
    consoleSubject.current = spec;
    try {
      traced(trace, () => this.rules(c, Task, Target, this.utils, user, this.sim.cht, emit, ...HELPER_FUNCTIONS, this.library, this.window));
    } finally {
      consoleSubject.current = outer;
    }
  }

  /**
   * The days [since, until) an evaluation on `dayIndex` holds, its span being [lower, upper) (`until` may go on
   * to `limit`), and the runs of the targets alone that took (`extend`). One that does not hold for the span
   * may owe it to coincidences, which `witness` (the walk's neighbouring evaluation) refutes (trace-witness.ts;
   * not tried on the others: it costs a replay of every decision).
   */
  holds(
    entry: TracedEvaluation, witness: TracedEvaluation | undefined, spec: ContainerSpec, user: unknown,
    dayIndex: number, lower: number, upper: number, limit: number,
  ): { since: number; until: number; runs: number } {
    let found = this.bounds(entry, dayIndex, lower, limit);
    if ((found.since > lower || found.until < upper) && this.refute(entry, witness)) found = this.bounds(entry, dayIndex, lower, limit);
    return this.extend(entry, spec, user, dayIndex, found, upper);
  }

  /**
   * The first day index of [lower, dayIndex] from which the evaluation gives the same tasks up to `dayIndex`, and
   * the first after it (before `limit`) on which it may give others, its targets' decisions included; and
   * those of its tasks' decisions alone (see `extend`).
   */
  bounds(entry: TracedEvaluation, dayIndex: number, lower: number, limit: number): Bounds {
    if (entry.escaped) {
      const until = Math.min(dayIndex + 1, limit);
      return { since: dayIndex, until, tasksSince: dayIndex, tasksUntil: until };
    }
    const tasksSince = this.validity.since(entry.predicates, dayIndex, lower);
    const tasksUntil = this.validity.until(entry.predicates, dayIndex, limit);
    if (!entry.targets) return { since: tasksSince, until: tasksUntil, tasksSince, tasksUntil };
    const since = this.validity.since(entry.targets, dayIndex, tasksSince);
    return { since, until: this.validity.until(entry.targets, dayIndex, tasksUntil), tasksSince, tasksUntil };
  }

  /**
   * `found`'s days, grown (up to `upper`) where only the targets' decisions stopped them: the targets run alone
   * on the next day out, and while they run cleanly the tasks' decisions are what decides. `runs`: the targets'
   * runs.
   */
  extend(entry: TracedEvaluation, spec: ContainerSpec, user: unknown, dayIndex: number, found: Bounds, upper: number): { since: number; until: number; runs: number } {
    let { since, until } = found;
    // (Where the targets' runs alone mostly fail — targets that call code with writes of its own on other days —
    // each costs most of an evaluation for nothing: they are no longer tried.)
    if (!entry.targets || entry.escaped || (this.alone.failed > 64 && this.alone.failed > this.alone.clean)) return { since, until, runs: 0 };
    let runs = 0;
    const alone = (day: number): Predicate[] | undefined => {
      runs++;
      const decisions = this.targetsAlone(spec, day, user);
      if (decisions) this.alone.clean++;
      else this.alone.failed++;
      return decisions;
    };
    const tasksUntil = Math.min(found.tasksUntil, upper);
    while (until < tasksUntil) {
      const decisions = alone(until);
      if (!decisions) break;
      until = this.validity.until(decisions, until, tasksUntil);
    }
    while (since > found.tasksSince) {
      const decisions = alone(since - 1);
      if (!decisions) break;
      since = this.validity.since(decisions, since - 1, found.tasksSince);
    }
    if (runs) this.clock.set(this.instants[dayIndex]!);
    return { since, until, runs };
  }

  /**
   * Drops the decisions of `entry` taken on candidates that another evaluation of the same container (`other`,
   * on another day) shows were not what the value was (trace-witness.ts); true when some were (its validity is
   * then to be found anew).
   */
  private refute(entry: TracedEvaluation, other: TracedEvaluation | undefined): boolean {
    if (!entry.witness || !other?.witness || other.witness.day === entry.witness.day) return false;
    const kept = refuted(entry.witness.decisions, other.witness, this.validity);
    if (kept.length === entry.witness.decisions.length) return false;
    this.keep(entry, kept, entry.witness.inside);
    return true;
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
  // By sym, its first decision, or the list of them once there are two (most syms have one: an array for each
  // was 4% of a traced year's allocations).
  const seen = new Map<Sym, Predicate | Predicate[]>();
  const out: Predicate[] = [];
  for (const p of predicates) {
    if (table.metaOf(p.a).gran === 'const' && (!p.b || table.metaOf(p.b).gran === 'const')) continue;
    const same = seen.get(p.a);
    if (same === undefined) seen.set(p.a, p);
    else if (Array.isArray(same)) {
      if (anyOf(same, (q) => sameDecision(q, p))) continue;
      same.push(p);
    } else {
      if (sameDecision(same, p)) continue;
      seen.set(p.a, [same, p]);
    }
    out.push(p);
  }
  return out;
}

/** Two decisions on the same sym that are one: same test, same other operand, same outcome. */
function sameDecision(q: Predicate, p: Predicate): boolean {
  return q.kind === p.kind && q.op === p.op && q.b === p.b && Object.is(q.result, p.result);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- target emissions are user-shaped objects */
import type { Interval } from './calendar-interval.js';
import type { TargetItem } from './config.js';
import { contextAllows } from './context-expression.js';
import { momentValue } from './moment-compat.js';

export interface TargetValue {
  pass: number;
  total: number;
  percent?: number;
}

/** A target as the app shows it for the interval. */
export interface TargetResult {
  id: string;
  type?: string;
  goal?: number;
  value: TargetValue;
}

/** What happened to one target emission (for --explain). */
export interface InstanceTrace {
  /** Position among the day's target emissions. */
  seq: number;
  instanceId: string;
  requestor: string | undefined;
  pass: boolean;
  date: unknown;
  /** The date as the phone reads it (local `YYYY-MM-DD HH:mm`), or how it is read ("now", "invalid"). */
  dateText?: string;
  groupBy: unknown;
  /** Counted in the value, or why not. */
  status:
    | 'counted'
    | 'deleted'
    | 'no-contact'
    | 'overwritten'
    | 'outside-interval'
    | 'superseded'
    | 'no-group'
    | 'hidden';
  /** For 'overwritten': the later emission; for 'superseded': the requestor that won. */
  by?: string;
}

export interface TargetExplanation {
  target: TargetItem | undefined;
  /** False when the target's `context` hides it from this user. */
  visible: boolean;
  instances: InstanceTrace[];
  /** For groupBy targets: count of passing instances per group. */
  groups?: { group: string; passing: number; total: number; passes: boolean }[];
  result?: TargetResult;
}

/** Targets whose `context` expression holds for the user (the webapp drops the others before the engine runs). */
export function visibleTargets(items: readonly TargetItem[], user: unknown): TargetItem[] {
  return items.filter((item) => contextAllows(item.context, user));
}

interface Stored {
  pass: boolean;
  groupBy: unknown;
  date: unknown;
  order: number;
  seq: number;
}

/**
 * Aggregates one refresh's target emissions for an interval, as cht-core's target-state does (cht-core 4.11.0
 * shared-libs/rules-engine/src/target-state.js): emissions are stored per target id, instance `_id` and
 * requesting contact (a later emission overwrites an earlier one; deleted and contact-less ones are skipped);
 * those dated inside the interval (inclusive) count;
 * per instance the requestor with the greatest contact `reported_date` wins (the first on ties); then count,
 * or groups with at least `passesIfGroupCount.gte` passing instances.
 */
export function aggregateTargets(
  items: readonly TargetItem[], emissions: readonly any[], interval: Interval, now: number, explainId?: string,
): { targets: TargetResult[]; explanation?: TargetExplanation } {
  // Plain objects on purpose: cht-core's state is keyed with them, and Object.keys order decides ties.
  const state: Record<string, TargetItem & { emissions: Record<string, Record<string, Stored>> }> = {};
  for (const item of items) state[item.id] = Object.assign({}, item, { emissions: {} });
  const traces: InstanceTrace[] = [];
  const traceOf = new Map<number, InstanceTrace>();
  emissions.forEach((emission, seq) => {
    const target = state[emission.type];
    const requestor = emission.contact && emission.contact._id;
    const trace: InstanceTrace | undefined = explainId !== undefined && String(emission.type) === explainId
      ? {
          seq, instanceId: String(emission._id), requestor: requestor === undefined ? undefined : String(requestor),
          pass: !!emission.pass, date: emission.date, groupBy: emission.groupBy, status: 'counted',
        }
      : undefined;
    if (trace) {
      traces.push(trace);
      traceOf.set(seq, trace);
    }
    if (!target) {
      if (trace) trace.status = 'hidden';
      return;
    }
    if (!requestor) {
      if (trace) trace.status = 'no-contact';
      return;
    }
    if (emission.deleted) {
      if (trace) trace.status = 'deleted';
      return;
    }
    const requestors = (target.emissions[emission._id] = target.emissions[emission._id] || {});
    const previous = requestors[requestor];
    if (previous) {
      const old = traceOf.get(previous.seq);
      if (old) {
        old.status = 'overwritten';
        old.by = `emission #${seq + 1}`;
      }
    }
    requestors[requestor] = {
      pass: !!emission.pass,
      groupBy: emission.groupBy,
      date: emission.date,
      order: emission.contact.reported_date || -1,
      seq,
    };
  });
  const inInterval = (stored: Stored) => {
    const ms = momentValue(stored.date, now);
    return !Number.isNaN(ms) && ms >= interval.start && ms <= interval.end;
  };
  let groups: TargetExplanation['groups'];
  const targets = Object.keys(state).map((id) => {
    const target = state[id]!;
    const relevant: Stored[] = [];
    for (const instanceId of Object.keys(target.emissions)) {
      const byRequestor = target.emissions[instanceId]!;
      const filtered: Record<string, Stored> = {};
      for (const requestor of Object.keys(byRequestor)) {
        const stored = byRequestor[requestor]!;
        if (inInterval(stored)) filtered[requestor] = stored;
        else {
          const trace = traceOf.get(stored.seq);
          if (trace && trace.status === 'counted') trace.status = 'outside-interval';
        }
      }
      let latest: Stored | undefined;
      let latestRequestor: string | undefined;
      for (const requestor of Object.keys(filtered)) {
        const current = filtered[requestor]!;
        if (!latest || !latest.order || current.order > latest.order) {
          latest = current;
          latestRequestor = requestor;
        }
      }
      for (const requestor of Object.keys(filtered)) {
        const stored = filtered[requestor]!;
        const trace = traceOf.get(stored.seq);
        if (trace && stored !== latest) {
          trace.status = 'superseded';
          trace.by = latestRequestor;
        }
      }
      if (latest) relevant.push(latest);
    }
    const value = score(target, relevant, id === explainId ? (g) => (groups = g) : undefined, traceOf);
    const aggregated: any = {};
    for (const key of ['id', 'type', 'goal'] as const) {
      if (Object.prototype.hasOwnProperty.call(target, key)) aggregated[key] = target[key];
    }
    aggregated.value = value;
    if (aggregated.type === 'percent') value.percent = value.total ? Math.round((value.pass * 100) / value.total) : 0;
    return aggregated as TargetResult;
  });
  if (explainId === undefined) return { targets };
  const result = targets.find((t) => String(t.id) === explainId);
  const target = items.find((i) => String(i.id) === explainId);
  return {
    targets,
    explanation: {
      target,
      visible: !!target,
      instances: traces,
      ...(groups ? { groups } : {}),
      ...(result ? { result } : {}),
    },
  };
}

function score(
  target: TargetItem,
  relevant: Stored[],
  onGroups: ((groups: NonNullable<TargetExplanation['groups']>) => void) | undefined,
  traceOf: Map<number, InstanceTrace>,
): TargetValue {
  const threshold = target.passesIfGroupCount && (target.passesIfGroupCount as any).gte;
  if (!threshold) return { pass: relevant.filter((e) => e.pass).length, total: relevant.length };
  const passing: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const emission of relevant) {
    const group = emission.groupBy as any;
    if (!group) {
      const trace = traceOf.get(emission.seq);
      if (trace) trace.status = 'no-group';
      continue;
    }
    // cht-core resets both counters while the passing count is 0; only the group keys and the passing counts
    // reach the value, so counting instances plainly changes nothing but makes explanations right.
    if (passing[group] === undefined) {
      passing[group] = 0;
      counts[group] = 0;
    }
    counts[group]!++;
    if (emission.pass) passing[group]!++;
  }
  const names = Object.keys(counts);
  onGroups?.(names.map((group) => ({
    group, passing: passing[group]!, total: counts[group]!, passes: passing[group]! >= (threshold as number),
  })));
  return { pass: names.filter((g) => passing[g]! >= (threshold as number)).length, total: names.length };
}

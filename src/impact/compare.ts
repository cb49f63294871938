import { streamTasks, type LoadedDryRun, type MonthTargets, type TargetResult, type TasksRequest, type TasksRun } from '../simulate/index.js';
import { TaskDiffer, type ImpactDay, type ImpactDetail, type ImpactSummary } from './task-diff.js';

export interface TasksComparison {
  /** The new side's run (its header, stats and notes). */
  run: TasksRun;
  /** The old side's notes (the fixtures' are the same on both sides). */
  oldNotes: string[];
  summary: ImpactSummary;
  details: ImpactDetail[];
}

/**
 * The old side's dry-run, then the new side's, compared a day at a time: `onDay` gets each day's differences
 * in order as the new side computes it (and is awaited, as streamTasks' consumer is). Both sides run over the
 * same fixtures, days, zone, time of day and user, each as its own plain dry-run would.
 */
export async function compareTasks(
  oldSide: LoadedDryRun,
  newSide: LoadedDryRun,
  request: TasksRequest,
  onDay: (day: ImpactDay) => void | Promise<void>,
): Promise<TasksComparison> {
  const differ = new TaskDiffer();
  const old = await streamTasks(oldSide, request, (day) => differ.old(day));
  const run = await streamTasks(newSide, request, (day) => onDay(differ.compare(day)));
  return { run, oldNotes: old.notes, summary: differ.summary(), details: differ.impactDetails() };
}

/** A target's value in a month on both sides (null: the side has no such target) and the difference. */
export interface TargetChange {
  id: string;
  before: TargetResult['value'] | null;
  after: TargetResult['value'] | null;
  /** after - before, for pass, total and (when both have it) percent; null when a side lacks the target. */
  delta: { pass: number; total: number; percent?: number } | null;
  changed: boolean;
}

export interface MonthComparison {
  month: string;
  interval: { start: string; end: string };
  targets: TargetChange[];
}

const sameValue = (a: TargetResult['value'], b: TargetResult['value']) => a.pass === b.pass && a.total === b.total && a.percent === b.percent;

/** Per month (the new side's months) and target (new side's order, then targets only the old side has). */
export function compareTargets(oldMonths: readonly MonthTargets[], newMonths: readonly MonthTargets[]): MonthComparison[] {
  const oldByMonth = new Map(oldMonths.map((m) => [m.month, m]));
  return newMonths.map((m) => {
    const before = new Map((oldByMonth.get(m.month)?.targets ?? []).map((t) => [t.id, t]));
    const targets: TargetChange[] = m.targets.map((t) => {
      const was = before.get(t.id);
      before.delete(t.id);
      if (!was) return { id: t.id, before: null, after: t.value, delta: null, changed: true };
      const delta = {
        pass: t.value.pass - was.value.pass,
        total: t.value.total - was.value.total,
        ...(t.value.percent !== undefined && was.value.percent !== undefined ? { percent: t.value.percent - was.value.percent } : {}),
      };
      return { id: t.id, before: was.value, after: t.value, delta, changed: !sameValue(was.value, t.value) };
    });
    for (const t of before.values()) targets.push({ id: t.id, before: t.value, after: null, delta: null, changed: true });
    return { month: m.month, interval: m.interval, targets };
  });
}

import { streamTasks, type LoadedDryRun, type TasksRequest, type TasksRun } from '../simulate/index.js';
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

// The targets' comparison is pure (the HTML report's page uses it too): it lives in targets-diff.ts.
export { compareTargets, type MonthComparison, type TargetChange } from './targets-diff.js';

import type { Simulation } from '../engine/simulation.js';
import { rankInView, type TaskRecord } from '../engine/tasks.js';
import { finishDay, type Day, type DayTasks, type TimelineOptions } from '../engine/timeline.js';

/*
 * Segments: the records an evaluation gave and the days they are listed on — what a share of a traced timeline
 * (on this thread or a worker) hands back — and how the days are listed from them.
 */

/** An evaluation's records, to be listed on the days [from, to) (in container order, `index`). */
export interface Segment {
  index: number;
  from: number;
  to: number;
  records: TaskRecord[];
}

/**
 * The tasks of each day from segments (any order of containers: they are listed in container order), a day at
 * a time as they are read; a day's records are let go once its tasks are listed.
 */
export function* daysFromSegments(sim: Simulation, days: readonly Day[], segments: readonly Segment[], options: TimelineOptions): Generator<DayTasks> {
  const buckets: (TaskRecord[] | undefined)[] = days.map(() => []);
  const ordered = segments.length > 1 && segments.some((x, i) => i > 0 && x.index < segments[i - 1]!.index)
    ? [...segments].sort((a, b) => a.index - b.index)
    : segments;
  for (const segment of ordered) {
    for (let i = segment.from; i < segment.to; i++) {
      const bucket = buckets[i]!;
      for (const r of segment.records) bucket.push(r);
    }
  }
  // Each record is listed on many days: sorted in the view's order once here rather than on each of them.
  if (!options.allStates && days.length > 1) rankInView(ordered.flatMap((s) => s.records));
  for (let i = 0; i < days.length; i++) {
    const records = buckets[i]!;
    buckets[i] = undefined;
    yield finishDay(sim, days[i]!, records, options);
  }
}

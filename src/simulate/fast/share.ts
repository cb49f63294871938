import type { SimulatedClock } from '../engine/clock.js';
import type { ContainerSpec } from '../engine/containers.js';
import type { Simulation } from '../engine/simulation.js';
import type { TaskRecord } from '../engine/tasks.js';
import type { ShareBlock, ShareEnd } from './parallel.js';
import type { Day, TimelineStats } from '../engine/timeline.js';
import { portableOf, type Segment } from './segments.js';
import { tracedSegments } from './timeline.js';

/**
 * One share of a parallel Ready-only timeline (the containers `take` accepts), traced a block of days at a
 * time (fast/timeline.ts tracedSegments). With `portable`, its records are copies another thread can receive.
 * Returns how it ended: its counts, or why it could not finish (the blocks after the last one yielded are then
 * to be computed by the caller).
 */
export function* tracedShare(
  sim: Simulation, clock: SimulatedClock, days: readonly Day[], take: (spec: ContainerSpec) => boolean, portable: boolean,
): Generator<ShareBlock, ShareEnd> {
  const stats: TimelineStats = { days: days.length, containers: sim.containers.length, evaluations: 0, reused: 0 };
  const blocks = tracedSegments(sim, clock, days, { allStates: false }, stats, take);
  try {
    for (;;) {
      const step = blocks.next();
      if (step.done) {
        if (!step.value) return { kind: 'end', ok: false, reason: stats.fallback ?? 'the rules modify `user`' };
        return {
          kind: 'end', ok: true, stats: {
            evaluations: stats.evaluations, reused: stats.reused, ...(stats.targetsAlone ? { targetsAlone: stats.targetsAlone } : {}),
            ...(stats.untraced ? { untraced: stats.untraced } : {}), ...(stats.wentNaive ? { wentNaive: stats.wentNaive } : {}),
          },
        };
      }
      const { from, to, segments } = step.value;
      if (!portable) {
        yield { kind: 'block', from, to, segments };
        continue;
      }
      const copied = portableSegments(segments);
      if (typeof copied === 'string') return { kind: 'end', ok: false, reason: copied };
      yield { kind: 'block', from, to, segments: copied };
    }
  } finally {
    // Ended early by the caller, or by an error: the tracing hooks come off.
    blocks.return(true);
  }
}

/** Segments with records another thread can receive, or why not. */
function portableSegments(segments: readonly Segment[]): Segment[] | string {
  const out: Segment[] = [];
  for (const segment of segments) {
    const records: TaskRecord[] = [];
    for (const r of segment.records) {
      const copy = portableOf(r);
      if (!copy) return `task ${r.key} cannot be copied to another thread`;
      records.push(copy);
    }
    out.push({ ...segment, records });
  }
  return out;
}

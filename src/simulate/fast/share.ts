import type { SimulatedClock } from '../engine/clock.js';
import type { ContainerSpec } from '../engine/containers.js';
import type { Simulation } from '../engine/simulation.js';
import { portableRecord, type TaskRecord } from '../engine/tasks.js';
import type { ShareOutput } from './parallel.js';
import type { Day, TimelineStats } from '../engine/timeline.js';
import { tracedSegments, type Segment } from './timeline.js';

/**
 * One share of a parallel Ready-only timeline (the containers `take` accepts), traced. With `portable`, its
 * records are copies another thread can receive (one copy per evaluation, however many segments list it).
 */
export function tracedShare(sim: Simulation, clock: SimulatedClock, days: readonly Day[], take: (spec: ContainerSpec) => boolean, portable: boolean): ShareOutput {
  const stats: TimelineStats = { days: days.length, containers: sim.containers.length, evaluations: 0, reused: 0 };
  const segments = tracedSegments(sim, clock, days, { allStates: false }, stats, take);
  if (!segments) return { ok: false, reason: stats.fallback ?? 'the rules modify `user`' };
  const shareStats = {
    evaluations: stats.evaluations, reused: stats.reused,
    ...(stats.untraced ? { untraced: stats.untraced } : {}), ...(stats.wentNaive ? { wentNaive: stats.wentNaive } : {}),
  };
  if (!portable) return { ok: true, segments, stats: shareStats };
  const copies = new Map<TaskRecord[], TaskRecord[]>();
  const out: Segment[] = [];
  for (const segment of segments) {
    let records = copies.get(segment.records);
    if (!records) {
      records = [];
      for (const r of segment.records) {
        const copy = portableRecord(r);
        if (!copy) return { ok: false, reason: `task ${r.key} cannot be copied to another thread` };
        records.push(copy);
      }
      copies.set(segment.records, records);
    }
    out.push({ ...segment, records });
  }
  return { ok: true, segments: out, stats: shareStats };
}

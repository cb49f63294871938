import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../../src/simulate/engine/simulation.js';
import { taskRecord, tasksOfDay, type TaskRecord } from '../../../src/simulate/engine/tasks.js';
import type { Day } from '../../../src/simulate/engine/timeline.js';
import { daysFromSegments, type Segment } from '../../../src/simulate/fast/segments.js';

// Listing a block's days from segments (each block sorted once in the view's order) must give, day for day, what
// the engine's own listing of that day's records in emission order gives (engine/tasks.ts tasksOfDay).

const DAY = 86_400_000;
const START = Date.UTC(2024, 2, 1, 9);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function record(id: string, owner: string, container: number, first: number, last: number, extra: Record<string, unknown> = {}): TaskRecord {
  const raw = {
    _id: id, date: new Date(START + first * DAY), dueDate: iso(START + first * DAY), startDate: iso(START + first * DAY),
    endDate: iso(START + last * DAY), title: `task.${id}`, contact: { _id: owner, name: owner }, doc: { contact: { _id: owner } }, ...extra,
  };
  return taskRecord(raw, START, container);
}

/** The reference: each day's records from the segments covering it, in container order, listed by the engine. */
function reference(sim: Simulation, days: Day[], segments: Segment[], ownedBy?: string) {
  const ordered = [...segments].sort((a, b) => a.index - b.index);
  return days.map((day, i) => {
    const records = ordered.filter((s) => s.from <= i && i < s.to).flatMap((s) => s.records);
    return { ...day, tasks: tasksOfDay(records, day.timestamp, { allStates: false, ...(ownedBy ? { ownedBy } : {}) }) };
  });
}

const sim = (ownedBy?: string) => ({ fixtures: ownedBy ? { ownedBySubject: true, subjectId: ownedBy } : {} }) as unknown as Simulation;
const daysOf = (n: number): Day[] => Array.from({ length: n }, (_, i) => ({ date: iso(START + i * DAY), timestamp: START + i * DAY }));

describe('daysFromSegments', () => {
  it('lists a block in the view order, narrowing each record to its Ready days', () => {
    const days = daysOf(6);
    const segments: Segment[] = [
      { index: 2, from: 0, to: 6, records: [record('r-3~a', 'b', 2, 1, 3), record('r-2~a', 'b', 2, 0, 5)] },
      { index: 0, from: 1, to: 4, records: [record('r-1~a', 'c', 0, 0, 10), record('r-1~resolved', 'c', 0, 0, 10, { resolved: true })] },
      { index: 1, from: 2, to: 6, records: [record('r-9~a', 'a', 1, 4, 4)] },
    ];
    const listed = [...daysFromSegments(sim(), days, segments, { allStates: false })];
    expect(listed).toEqual(reference(sim(), days, segments));
    expect(listed.map((d) => d.tasks.map((t) => t.emission._id))).toEqual([
      ['r-2~a'],
      ['r-2~a', 'r-3~a', 'r-1~a'],
      ['r-2~a', 'r-3~a', 'r-1~a'],
      ['r-2~a', 'r-3~a', 'r-1~a'],
      ['r-9~a', 'r-2~a'],
      ['r-2~a'],
    ]);
  });

  it('keeps the first Ready emission of an _id in emission order, also when another sorts first', () => {
    const days = daysOf(4);
    // Container 0's emission is first in emission order; container 1's owner sorts first in the view.
    const segments: Segment[] = [
      { index: 1, from: 0, to: 4, records: [record('same', 'a-first', 1, 1, 3)] },
      { index: 0, from: 0, to: 4, records: [record('same', 'z-last', 0, 2, 3), record('other', 'z-last', 0, 0, 3)] },
    ];
    const listed = [...daysFromSegments(sim(), days, segments, { allStates: false })];
    expect(listed).toEqual(reference(sim(), days, segments));
    expect(listed[1]!.tasks.map((t) => t.owner)).toEqual(['a-first', 'z-last']);
    expect(listed[2]!.tasks.map((t) => `${t.owner} ${t.emission._id}`)).toEqual(['z-last other', 'z-last same']);
  });

  it('gives the engine\'s days on random blocks (shared ids, owners, windows that read the clock, a subject\'s own tasks)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = rng(seed);
      const pick = (n: number) => Math.floor(random() * n);
      const days = daysOf(3 + pick(12));
      const segments: Segment[] = [];
      for (let c = 0; c < 1 + pick(8); c++) {
        for (let s = 0; s < 1 + pick(3); s++) {
          const from = pick(days.length);
          const to = from + 1 + pick(days.length - from);
          const records = Array.from({ length: pick(4) }, (_, r) => {
            const first = pick(days.length + 2) - 2;
            const id = seed % 3 === 0 ? `dup-${pick(3)}` : `c${c}-s${s}-r${r}`;
            // (A falsy date with its own dueDate: cht-core's window then reads the clock.)
            const extra = pick(10) === 0 ? { date: 0, dueDate: iso(START + first * DAY), startDate: undefined, endDate: undefined } : {};
            return record(id, `owner-${pick(4)}`, c, first, first + pick(5), extra);
          });
          segments.push({ index: c, from, to, records });
        }
      }
      const ownedBy = seed % 4 === 0 ? 'owner-1' : undefined;
      expect([...daysFromSegments(sim(ownedBy), days, segments, { allStates: false })], `seed ${seed}`).toEqual(reference(sim(ownedBy), days, segments, ownedBy));
    }
  });
});

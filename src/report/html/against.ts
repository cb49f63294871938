import { changesBetween, type ReportChanges } from './live.js';
import type { ReportData } from './report-data.js';
import { jsonEqual } from '../../impact/json-equal.js';

/**
 * The impact preview's HTML view (`dry-run-tasks --against=OLD --format=html`): the page carries both sides'
 * report data — the new side in `#report-data`, the old side and the label of `--against` in
 * `<script type="application/json" id="report-against">` (a `ReportAgainst`) — and compares them itself with
 * the functions here. Pure, free of Node imports: the page's bundle imports this file.
 *
 * The day comparison follows `dry-run-tasks --against --json` (src/impact/task-diff.ts): a task-day is keyed by
 * owner and emission `_id`; it is added when only the new side has it that day, removed when only the old side
 * has, changed when both have it and its requester or emission (key order aside) differs. The page holds the
 * Ready task-days (what the Tasks tab lists), so that is what it compares.
 */
export interface ReportAgainst {
  /** How outputs name the old side: the file, `instance (https://…)`, `git:origin/main (3f2a9c1)`. */
  label: string;
  data: ReportData;
}

export interface Counts {
  added: number;
  removed: number;
  changed: number;
}

/** One day: window indexes of the new side (added, changed) and of the old side (removed). */
export interface DayChanges {
  added: number[];
  removed: number[];
  changed: number[];
}

export interface ReportComparison {
  /** Windows that appeared, disappeared or moved (cht dev's comparison of two builds, the same function). */
  windows: ReportChanges;
  /** Per day of the new side's span (same index as `data.days`). */
  days: DayChanges[];
  /** Task-days over the span, and per task name. */
  counts: Counts;
  byTask: Record<string, Counts>;
  /** Owners with at least one added, removed or changed task-day. */
  contactsAffected: number;
}

function parse(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

const keyOf = (data: ReportData, w: number) => `${data.windows[w]!.id}\u0000${data.windows[w]!.ownerId}`;

/** Compares the old side's report with the new side's: windows (as cht dev does), then each day's Ready task-days. */
export function compareReports(old: ReportData, now: ReportData): ReportComparison {
  const oldDays = new Map(old.days.map((d) => [d.date, d.ready]));
  // Windows recur on many days: each pair's emission comparison is made once.
  const pairs = new Map<string, boolean>();
  const differs = (o: number, n: number): boolean => {
    const pair = `${o}:${n}`;
    let d = pairs.get(pair);
    if (d === undefined) {
      const ow = old.windows[o]!;
      const nw = now.windows[n]!;
      const oe = old.strings[ow.emission];
      const ne = now.strings[nw.emission];
      d = ow.requester !== nw.requester || (oe !== ne && !jsonEqual(parse(oe), parse(ne)));
      pairs.set(pair, d);
    }
    return d;
  };
  const counts: Counts = { added: 0, removed: 0, changed: 0 };
  const byTask: Record<string, Counts> = {};
  const owners = new Set<string>();
  const note = (kind: keyof Counts, data: ReportData, w: number) => {
    counts[kind]++;
    const name = data.taskNames[data.windows[w]!.task] ?? '';
    (byTask[name] ??= { added: 0, removed: 0, changed: 0 })[kind]++;
    owners.add(data.windows[w]!.ownerId);
  };
  const days = now.days.map((day): DayChanges => {
    const before = new Map<string, number>();
    for (const w of oldDays.get(day.date) ?? []) before.set(keyOf(old, w), w);
    const out: DayChanges = { added: [], removed: [], changed: [] };
    for (const w of day.ready) {
      const key = keyOf(now, w);
      const was = before.get(key);
      if (was === undefined) {
        out.added.push(w);
        note('added', now, w);
        continue;
      }
      before.delete(key);
      if (differs(was, w)) {
        out.changed.push(w);
        note('changed', now, w);
      }
    }
    for (const w of before.values()) {
      out.removed.push(w);
      note('removed', old, w);
    }
    return out;
  });
  const sorted: Record<string, Counts> = {};
  for (const name of Object.keys(byTask).sort()) sorted[name] = byTask[name]!;
  return { windows: changesBetween(old, now), days, counts, byTask: sorted, contactsAffected: owners.size };
}

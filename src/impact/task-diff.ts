import type { TaskResult, TasksDay } from '../simulate/index.js';
import { jsonEqual } from './json-equal.js';

/** A task-day present on both sides whose task differs: the fields that differ, as paths (`dueDate`, `actions[0].content`). */
export interface TaskChange {
  before: TaskResult;
  after: TaskResult;
  fields: string[];
}

/** One day of the comparison. Tasks are in the new side's order (removed ones in the old side's). */
export interface ImpactDay {
  date: string;
  added: TaskResult[];
  removed: TaskResult[];
  changed: TaskChange[];
}

export interface Counts {
  added: number;
  removed: number;
  changed: number;
}

/** Task-days added, removed and changed over the whole run, per task name, and who and when they touch. */
export interface ImpactSummary extends Counts {
  byTask: Record<string, Counts>;
  /** Days compared, and contacts (owners) seen on either side. */
  days: number;
  contacts: number;
  /** Owners with at least one added, removed or changed task-day. */
  contactsAffected: number;
  firstDay: string | null;
  lastDay: string | null;
}

/** Per task name and owner, the days each kind of change happened on (for spans), and the fields that changed. */
export interface ImpactDetail {
  task: string;
  owner: string;
  /** The contact's name as the task shows it (emission.contact.name), when it has one. */
  label?: string;
  added: string[];
  removed: string[];
  changed: string[];
  fields: string[];
}

const keyOf = (t: TaskResult) => `${t.owner}\u0000${t.emission._id}`;

/**
 * The paths at which two values differ, down to `depth` more levels (`actions[0].content`): deeper differences
 * are named by their ancestor at that depth, which is what a reviewer needs (which action's content changed).
 */
function changedPaths(a: unknown, b: unknown, path: string, depth: number, out: string[]): void {
  if (jsonEqual(a, b)) return;
  const objects = typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && Array.isArray(a) === Array.isArray(b);
  if (!objects || depth === 0 || (Array.isArray(a) && a.length !== (b as unknown[]).length)) {
    out.push(path);
    return;
  }
  if (Array.isArray(a)) {
    a.forEach((v, i) => changedPaths(v, (b as unknown[])[i], `${path}[${i}]`, depth - 1, out));
    return;
  }
  changedKeys(a as Record<string, unknown>, b as Record<string, unknown>, `${path}.`, depth - 1, out);
}

function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>, prefix: string, depth: number, out: string[]): void {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) changedPaths(a[k], b[k], `${prefix}${k}`, depth, out);
}

/** The fields in which two task-days of one key differ: the task's state and requester, and its emission's fields. */
export function taskFieldChanges(before: TaskResult, after: TaskResult): string[] {
  const fields: string[] = [];
  if (before.state !== after.state) fields.push('state');
  if (before.requester !== after.requester) fields.push('requester');
  const { _id: _a, ...ea } = before.emission;
  const { _id: _b, ...eb } = after.emission;
  changedKeys(ea, eb, '', 2, fields);
  return fields;
}

/**
 * Compares two dry-runs a day at a time: the old side's days are recorded first (`old`), then each new day is
 * compared as it comes (`compare`), so the comparison streams in the new side's order. Emission objects are
 * shared between the days of one side, so the comparison of a pair is computed once.
 */
export class TaskDiffer {
  private readonly oldDays = new Map<string, TaskResult[]>();
  private readonly pairs = new WeakMap<object, WeakMap<object, string[]>>();
  private readonly counts: Counts & { byTask: Map<string, Counts> } = { added: 0, removed: 0, changed: 0, byTask: new Map() };
  private readonly owners = new Set<string>();
  private readonly details = new Map<string, ImpactDetail>();
  private days = 0;
  private firstDay: string | null = null;
  private lastDay: string | null = null;

  /** Records a day of the old side. */
  old(day: TasksDay): void {
    this.oldDays.set(day.date, day.tasks);
  }

  /** Compares a day of the new side with the old side's same day (a day the old side lacks has no tasks). */
  compare(day: TasksDay): ImpactDay {
    this.days++;
    const before = this.oldDays.get(day.date) ?? [];
    this.oldDays.delete(day.date);
    const oldByKey = new Map<string, TaskResult>();
    for (const t of before) {
      oldByKey.set(keyOf(t), t);
      this.owners.add(t.owner);
    }
    const out: ImpactDay = { date: day.date, added: [], removed: [], changed: [] };
    for (const t of day.tasks) {
      this.owners.add(t.owner);
      const key = keyOf(t);
      const was = oldByKey.get(key);
      if (!was) {
        out.added.push(t);
        this.note('added', t, day.date);
        continue;
      }
      oldByKey.delete(key);
      const fields = this.fieldsOf(was, t);
      if (fields.length) {
        out.changed.push({ before: was, after: t, fields });
        this.note('changed', t, day.date, fields);
      }
    }
    for (const t of oldByKey.values()) {
      out.removed.push(t);
      this.note('removed', t, day.date);
    }
    if (out.added.length + out.removed.length + out.changed.length) {
      this.firstDay ??= day.date;
      this.lastDay = day.date;
    }
    return out;
  }

  summary(): ImpactSummary {
    const byTask: Record<string, Counts> = {};
    for (const name of [...this.counts.byTask.keys()].sort()) byTask[name] = { ...this.counts.byTask.get(name)! };
    const affected = new Set([...this.details.values()].map((d) => d.owner));
    return {
      added: this.counts.added,
      removed: this.counts.removed,
      changed: this.counts.changed,
      byTask,
      days: this.days,
      contacts: this.owners.size,
      contactsAffected: affected.size,
      firstDay: this.firstDay,
      lastDay: this.lastDay,
    };
  }

  /** Every task name and owner with a change, by task name then owner. */
  impactDetails(): ImpactDetail[] {
    return [...this.details.values()].sort((a, b) => (a.task < b.task ? -1 : a.task > b.task ? 1 : a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0));
  }

  private fieldsOf(before: TaskResult, after: TaskResult): string[] {
    // Pairs of the same emission objects compare the same way unless the state or requester differs.
    if (before.state !== after.state || before.requester !== after.requester) return taskFieldChanges(before, after);
    let inner = this.pairs.get(before.emission);
    if (!inner) this.pairs.set(before.emission, (inner = new WeakMap()));
    let fields = inner.get(after.emission);
    if (!fields) inner.set(after.emission, (fields = taskFieldChanges(before, after)));
    return fields;
  }

  private note(kind: keyof Counts, t: TaskResult, date: string, fields?: string[]): void {
    this.counts[kind]++;
    const task = t.name;
    let c = this.counts.byTask.get(task);
    if (!c) this.counts.byTask.set(task, (c = { added: 0, removed: 0, changed: 0 }));
    c[kind]++;
    const id = `${task}\u0000${t.owner}`;
    let d = this.details.get(id);
    if (!d) {
      const name = t.emission.contact?.name;
      d = { task, owner: t.owner, ...(typeof name === 'string' && name ? { label: name } : {}), added: [], removed: [], changed: [], fields: [] };
      this.details.set(id, d);
    }
    d[kind].push(date);
    if (fields) for (const f of fields) if (!d.fields.includes(f)) d.fields.push(f);
  }
}

/** Consecutive days as spans: `['2024-01-01', '2024-01-02', '2024-01-05']` -> `[['2024-01-01','2024-01-02'], ['2024-01-05','2024-01-05']]`. */
export function daySpans(days: readonly string[]): Array<[string, string]> {
  const spans: Array<[string, string]> = [];
  for (const d of days) {
    const last = spans[spans.length - 1];
    if (last && Date.parse(`${d}T00:00:00Z`) - Date.parse(`${last[1]}T00:00:00Z`) === 86_400_000) last[1] = d;
    else spans.push([d, d]);
  }
  return spans;
}

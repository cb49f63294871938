import type { MonthTargets, TaskResult, TasksDay } from '../../simulate/index.js';
import { REPORT_DATA_VERSION, StringTable, type ReportContact, type ReportData, type ReportHeader, type ReportState, type ReportTargetMonth, type ReportWindow } from './report-data.js';

/** A fixture doc as the report reads it (contacts: id, name, type, parent chain). */
type Doc = Record<string, unknown> & { _id: string; type: string };

export interface ReportContext {
  header: Omit<ReportHeader, 'counts' | 'generatedAt'>;
  generatedAt: Date;
  /** The config's target items (`tasks.targets.items`: titles and icons). */
  targetItems: readonly Record<string, unknown>[];
  /** The fixture docs (contacts and reports), as the dry-run read them. */
  docs: readonly Doc[];
  /** Is this doc a contact to cht-core (engine/containers.ts isContactDoc). */
  isContact: (doc: Doc) => boolean;
  /**
   * The project's translations in the app's default language, else English (key -> text; project/translations.ts
   * displayTexts); empty without a translations file.
   */
  translations: ReadonlyMap<string, string>;
}

interface Building extends Omit<ReportWindow, 'owner' | 'emission'> {
  emission: string;
  /** The name of the task definition that emitted it (TaskResult.name). */
  name: string;
  /** The emission seen on a Ready day (kept over one from another state). */
  readySeen: boolean;
}

/**
 * Builds the report's data from a dry-run's days, as they stream (`day`), then the targets (`finish`). With
 * --all-states the runs hold every state with the dry-run's reasons; without, only Ready runs (and only windows
 * Ready on some day are kept).
 * Memory: the windows and one index per Ready task-day, never the days' task objects.
 */
export class ReportBuilder {
  private readonly windows: Building[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly days: { date: string; ready: number[] }[] = [];
  private readyTaskDays = 0;

  day(day: TasksDay): void {
    const index = this.days.length;
    const ready: number[] = [];
    for (const task of day.tasks) {
      const w = this.windowOf(task);
      this.addRun(this.windows[w]!, index, task);
      if (task.state === 'Ready') ready.push(w);
    }
    this.readyTaskDays += ready.length;
    this.days.push({ date: day.date, ready });
  }

  // A timeline hands over the same task object on every day it shows (engine/tasks.ts readyResult): its window
  // is found once, not from a key built for each of a year's million task-days.
  private readonly windowByTask = new WeakMap<TaskResult, number>();

  private windowOf(task: TaskResult): number {
    let w = this.windowByTask.get(task);
    if (w === undefined) this.windowByTask.set(task, (w = this.windowOfNew(task)));
    return w;
  }

  private windowOfNew(task: TaskResult): number {
    const e = task.emission;
    const start = String(e.startDate ?? '');
    const end = String(e.endDate ?? '');
    const due = String(e.dueDate ?? '');
    const key = `${e._id}\u0000${task.owner}\u0000${start}\u0000${end}\u0000${due}`;
    let w = this.byKey.get(key);
    if (w === undefined) {
      w = this.windows.length;
      this.byKey.set(key, w);
      this.windows.push({
        id: e._id, name: task.name, ownerId: task.owner, requester: task.requester, task: -1, start, end, due, runs: [],
        emission: JSON.stringify(e), readySeen: task.state === 'Ready',
      });
    } else if (task.state === 'Ready' && !this.windows[w]!.readySeen) {
      const b = this.windows[w]!;
      b.emission = JSON.stringify(e);
      b.readySeen = true;
    }
    return w;
  }

  /** Extends the window's last run when it is the same state and reason and ended the day before. */
  private addRun(b: Building, day: number, task: TaskResult): void {
    const last = b.runs[b.runs.length - 1];
    const reason = task.reason ?? '';
    if (last && last[1] === day) {
      // A second emission with the same window on one day (a duplicate): the Ready one is the one shown.
      if (task.state === 'Ready' && last[2] !== 'Ready') {
        if (last[0] === day) b.runs.pop();
        else last[1] = day - 1;
        b.runs.push([day, day, 'Ready', this.reasons.ref(reason)]);
      }
      return;
    }
    if (last && last[1] === day - 1 && last[2] === task.state && this.reasons.strings[last[3]] === reason) last[1] = day;
    else b.runs.push([day, day, task.state as ReportState, this.reasons.ref(reason)]);
  }

  // Reasons are few and repeat for every window and day: kept once while building, as indexes.
  private readonly reasons = new StringTable();

  finish(context: ReportContext, months: readonly MonthTargets[]): ReportData {
    const table = new StringTable();
    const { strings } = table;
    const ref = (s: string) => table.ref(s);

    const allStates = context.header.allStates;
    const kept = this.windows
      .map((b, index) => ({ b, index }))
      .filter(({ b }) => allStates || b.runs.some((r) => r[2] === 'Ready'));
    // The tasks_by_contact view's order: `owner-<owner>`, then the task doc id (which starts `task~<user>~<emission id>~`).
    const byView = (x: Building, y: Building) => cmp(x.ownerId, y.ownerId) || cmp(`${x.id}~`, `${y.id}~`)
      || cmp(x.start, y.start) || cmp(x.end, y.end) || cmp(x.due, y.due);
    kept.sort((x, y) => byView(x.b, y.b));
    const newIndex = new Int32Array(this.windows.length).fill(-1);
    kept.forEach(({ index }, i) => (newIndex[index] = i));

    const taskNames = [...new Set(kept.map(({ b }) => b.name))].sort(cmp);
    const taskIndex = new Map(taskNames.map((n, i) => [n, i]));
    const contacts = contactsOf(context, kept.map(({ b }) => b.ownerId));
    const contactIndex = new Map(contacts.map((c, i) => [c.id, i]));

    const windows: ReportWindow[] = kept.map(({ b }) => ({
      id: b.id,
      owner: contactIndex.get(b.ownerId) ?? -1,
      ownerId: b.ownerId,
      requester: b.requester,
      task: taskIndex.get(b.name)!,
      start: b.start,
      end: b.end,
      due: b.due,
      runs: b.runs.map(([from, to, state, reason]) => [from, to, state, this.reasons.strings[reason] ? ref(this.reasons.strings[reason]) : -1]),
      emission: ref(b.emission),
    }));
    const days = this.days.map((d) => ({ date: d.date, ready: d.ready.map((w) => newIndex[w]!) }));

    const translations: Record<string, string> = {};
    const translate = (key: unknown) => {
      if (typeof key !== 'string') return;
      const text = context.translations.get(key);
      if (text !== undefined) translations[key] = text;
    };
    for (const w of windows) {
      const e = JSON.parse(strings[w.emission]!) as { title?: unknown; priorityLabel?: unknown; actions?: unknown };
      translate(e.title);
      translate(e.priorityLabel);
      if (Array.isArray(e.actions)) for (const a of e.actions) translate((a as { label?: unknown } | null)?.label);
    }
    const targets: ReportTargetMonth[] = months.map((m) => ({
      month: m.month,
      interval: m.interval,
      evaluatedOn: m.date,
      targets: m.targets.map((t) => {
        const item = context.targetItems.find((i) => String(i.id) === t.id);
        const title = item ? titleOf(item) : t.id;
        translate(title);
        const value = t.value as { pass: number; total: number; percent?: number };
        return {
          id: t.id,
          type: t.type === 'percent' ? 'percent' : 'count',
          title,
          ...(item && typeof item.icon === 'string' ? { icon: item.icon } : {}),
          goal: typeof t.goal === 'number' ? t.goal : -1,
          pass: value.pass,
          total: value.total,
          ...(typeof value.percent === 'number' ? { percent: value.percent } : {}),
        };
      }),
    }));

    const header = context.header;
    const contactCount = context.docs.filter(context.isContact).length;
    return {
      version: REPORT_DATA_VERSION,
      header: {
        ...header,
        generatedAt: context.generatedAt.toISOString(),
        counts: { contacts: contactCount, reports: context.docs.length - contactCount, readyTaskDays: this.readyTaskDays, windows: windows.length },
      },
      strings,
      taskNames,
      contacts,
      windows,
      days,
      targets,
      translations,
    };
  }
}

function cmp(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** A target's title as configured: `translation_key`, else a string `title` or `name`, else its id. */
function titleOf(item: Record<string, unknown>): string {
  for (const field of ['translation_key', 'title', 'name']) if (typeof item[field] === 'string') return item[field] as string;
  return String(item.id);
}

/** The owners that are fixture contacts, with every place above them, parents first. */
function contactsOf(context: ReportContext, ownerIds: readonly string[]): ReportContact[] {
  const byId = new Map<string, Doc>();
  for (const doc of context.docs) if (context.isContact(doc)) byId.set(String(doc._id), doc);
  const parentOf = (doc: Doc): string | undefined => {
    const parent = doc.parent as { _id?: unknown } | undefined;
    return parent && parent._id !== undefined ? String(parent._id) : undefined;
  };
  const out: ReportContact[] = [];
  const index = new Map<string, number>();
  const add = (id: string, seen: Set<string>): number => {
    const known = index.get(id);
    if (known !== undefined) return known;
    const doc = byId.get(id);
    if (!doc || seen.has(id)) return -1; // not a fixture contact, or a cycle in the lineage
    seen.add(id);
    const parentId = parentOf(doc);
    const parent = parentId === undefined ? -1 : add(parentId, seen);
    const i = out.length;
    out.push({
      id,
      name: doc.name !== undefined && doc.name !== null && doc.name !== '' ? String(doc.name) : id,
      type: String(doc.type === 'contact' ? doc.contact_type : doc.type),
      parent,
    });
    index.set(id, i);
    return i;
  };
  for (const id of new Set(ownerIds)) add(id, new Set());
  return out;
}

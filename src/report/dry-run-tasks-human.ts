import type { ChalkInstance } from 'chalk';
import type { TaskResult, TasksDay } from '../simulate/index.js';
import { columns, count, LISTING_LIMIT, num, span, weekday } from './listing.js';

interface Header {
  tz: string;
  from: string;
  to: string;
  at: string;
}

const NO_TEXTS: ReadonlyMap<string, string> = new Map();

function stateStyle(s: ChalkInstance, state: TaskResult['state']): (text: string) => string {
  switch (state) {
    case 'Ready': return s.green.bold;
    case 'Draft': return s.cyan;
    case 'Failed': return s.red;
    case 'Completed': return s.green.dim;
    case 'Cancelled': return s.gray;
    case 'Duplicate': return s.magenta;
    default: return s.gray.dim;
  }
}

function contactName(task: TaskResult): string {
  const name = task.emission.contact?.name;
  return name === undefined || name === null || name === '' ? '(no name)' : String(name);
}

function contactLine(s: ChalkInstance, task: TaskResult): string {
  if (task.owner === '_unassigned') return `${s.bold(contactName(task))} ${s.dim('(unassigned: Tasks tab only)')}`;
  return `${s.bold(contactName(task))} ${s.dim(`(${task.owner})`)}`;
}

/**
 * A task's lines: the state (or a dot), the title as the phone shows it (its translation, when the title is a key
 * the project translates), the dates and priority; then the emission id, with the title's key when translated.
 */
function taskLines(s: ChalkInstance, task: TaskResult, showState: boolean, texts: ReadonlyMap<string, string>): string[] {
  const e = task.emission;
  const key = typeof e.title === 'string' ? e.title : JSON.stringify(e.title);
  const title = texts.get(key);
  const parts = [
    showState ? stateStyle(s, task.state)(task.state.padEnd(9)) : s.green('●'),
    title ?? key,
    s.dim(`due ${String(e.dueDate)}`),
    s.dim(`window ${String(e.startDate)} → ${String(e.endDate)}`),
  ];
  if (e.priority !== undefined) {
    const label = typeof e.priorityLabel === 'string' ? ` (${texts.get(e.priorityLabel) ?? e.priorityLabel})` : '';
    parts.push(e.priority === 'high' ? s.red(`priority ${String(e.priority)}${label}`) : s.yellow(`priority ${String(e.priority)}${label}`));
  }
  const lines = [`    ${parts.join('  ')}`, `      ${s.dim(title === undefined ? e._id : `${e._id}  ${key}`)}`];
  if (task.reason) lines.push(`      ${s.dim(task.reason)}`);
  return lines;
}

/** Days fold into a range only when their tasks are identical (a task due "tomorrow" every day moves its dates). */
function sameTasks(a: readonly TaskResult[], b: readonly TaskResult[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.state !== y.state || x.owner !== y.owner || x.requester !== y.requester || x.reason !== y.reason) return false;
    if (x.emission !== y.emission && JSON.stringify(x.emission) !== JSON.stringify(y.emission)) return false;
  }
  return true;
}

interface TaskTotals {
  name: string;
  ready: number;
  /** Ready task-days in period `periodIndex` not yet added to that period's byTask (see TasksHuman.count). */
  periodIndex: number;
  periodReady: number;
  contacts: Set<string>;
  first: string;
  last: string;
  /** Task-days by state other than Ready (--all-states). */
  others: Map<string, number>;
  /** The text of its title (the first emission's title key the project translates), for the summary. */
  title?: string;
}

interface ContactTotals {
  label: string;
  ready: number;
  byTask: Map<TaskTotals, { ready: number }>;
}

/** What a task doc (an emission, shared by every day it shows) counts towards: looked up once per emission. */
interface EmissionTotals {
  task: TaskTotals;
  contact: ContactTotals;
  /** Its contact's Ready task-days of its task (the count in contact.byTask). */
  contactTask: { ready: number };
}

interface Period {
  from: string;
  to: string;
  days: number;
  ready: number;
  peak: { date: string; ready: number };
  byTask: Map<TaskTotals, number>;
}

/**
 * The human output of a tasks dry-run, fed a day at a time. A run whose listing fits in about a screenful
 * (LISTING_LIMIT lines) is listed in full, as it always was: per day (runs of identical days folded into a
 * range) the tasks grouped by contact, then a summary line. A longer one is summarised — totals, per task name,
 * per day or week, the busiest contacts — in constant memory per contact and task name; `--list` streams the
 * full listing instead, a day at a time.
 */
export class TasksHuman {
  private pending: { first: string; last: string; days: number; tasks: TaskResult[] } | undefined;
  /** The listing so far, while it may still fit (undefined once it does not, or with --list). */
  private buffer: string[] | undefined = [];
  private readonly totals = { ready: 0, days: 0, daysWithTasks: 0, peak: { date: '', ready: 0 } };
  private readonly contacts = new Map<string, ContactTotals>();
  private readonly byTask = new Map<string, TaskTotals>();
  // A year of a large population is a million task-days but far fewer task docs: each is resolved once.
  private readonly emissions = new WeakMap<object, EmissionTotals>();
  /** The previous day's Ready tasks and what each counts towards: most of a day's tasks were there the day before. */
  private previous: { tasks: readonly TaskResult[]; totals: EmissionTotals[] } = { tasks: [], totals: [] };
  private readonly periods: Period[] = [];
  private readonly periodDays: number;

  constructor(
    private readonly s: ChalkInstance, private readonly header: Header,
    private readonly options: { allStates: boolean; list: boolean; texts?: ReadonlyMap<string, string> },
  ) {
    if (options.list) this.buffer = undefined;
    const days = Math.round((Date.parse(header.to) - Date.parse(header.from)) / 86_400_000) + 1;
    this.periodDays = days <= 31 ? 1 : 7;
  }

  /** Takes a day; returns the text ready to print now (with --list), else ''. */
  day(day: TasksDay): string {
    this.count(day);
    const p = this.pending;
    if (p && p.days > 0 && sameTasks(p.tasks, day.tasks)) {
      p.last = day.date;
      p.days++;
      return '';
    }
    const text = p ? this.flush(p) : '';
    this.pending = { first: day.date, last: day.date, days: 1, tasks: day.tasks };
    return text;
  }

  /** The rest: the listing's last days and summary line, or the summary. */
  end(): string {
    const text = this.pending ? this.flush(this.pending) : '';
    this.pending = undefined;
    if (this.options.list) return `${text}${this.summaryLine()}\n`;
    if (this.buffer) return `${[...this.buffer, this.summaryLine()].join('\n')}\n`;
    return this.summary();
  }

  /** Lines of a run of identical days: printed now (--list), kept (may still fit), or dropped (summary). */
  private flush(p: { first: string; last: string; days: number; tasks: TaskResult[] }): string {
    if (!this.options.list && !this.buffer) return '';
    const lines = this.runLines(p);
    if (this.options.list) return `${lines.join('\n')}\n`;
    this.buffer!.push(...lines);
    if (this.buffer!.length > LISTING_LIMIT) this.buffer = undefined;
    return '';
  }

  private runLines(p: { first: string; last: string; days: number; tasks: TaskResult[] }): string[] {
    const s = this.s;
    const when = p.days === 1
      ? `${s.bold(p.first)} ${s.dim(`(${weekday(p.first)})`)}`
      : `${s.bold(p.first)} … ${s.bold(p.last)} ${s.dim(`(${p.days} days)`)}`;
    if (p.tasks.length === 0) return [`${when}${s.dim(': no tasks')}`];
    const ready = p.tasks.filter((t) => t.state === 'Ready').length;
    const others = p.tasks.length - ready;
    const lines = [`${when} — ${count(ready, 'task')}${this.options.allStates && others ? s.dim(`, ${others} not shown`) : ''}`];
    const groups = new Map<string, TaskResult[]>();
    for (const t of p.tasks) {
      const key = `${t.owner}|${t.owner === '_unassigned' ? String(t.emission.contact?.name) : ''}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(t);
    }
    for (const tasks of groups.values()) {
      lines.push(`  ${contactLine(s, tasks[0]!)}`);
      for (const t of tasks) lines.push(...taskLines(s, t, this.options.allStates, this.options.texts ?? NO_TEXTS));
    }
    return lines;
  }

  /**
   * Adds a day to the totals. A long run lists a million task-days: each costs a few increments. Its totals are
   * found by walking the previous day's list alongside (the lists are in the same order, and mostly the same),
   * else looked up; its period's count is kept on the task name until the period changes (`periodTotals`).
   */
  private count(day: TasksDay): void {
    this.totals.days++;
    let ready = 0;
    const periodIndex = Math.floor((this.totals.days - 1) / this.periodDays);
    let period = this.periods[periodIndex];
    if (!period) this.periods.push((period = { from: day.date, to: day.date, days: 0, ready: 0, peak: { date: day.date, ready: -1 }, byTask: new Map() }));
    period.to = day.date;
    period.days++;
    const before = this.previous;
    const readyTasks: TaskResult[] = [];
    const totals: EmissionTotals[] = [];
    let j = 0;
    for (const t of day.tasks) {
      if (t.state !== 'Ready') {
        const task = this.taskTotals(t.name, day.date);
        task.others.set(t.state, (task.others.get(t.state) ?? 0) + 1);
        continue;
      }
      let found: EmissionTotals | undefined;
      // (A few tasks of the day before may have gone: looked for a few places on.)
      for (let k = j; k < j + 4 && k < before.tasks.length; k++) {
        if (before.tasks[k] === t) {
          found = before.totals[k];
          j = k + 1;
          break;
        }
      }
      const e = found ?? this.readyTotalsOf(t, day.date);
      readyTasks.push(t);
      totals.push(e);
      ready++;
      const task = e.task;
      if (task.ready++ === 0) task.first = day.date;
      task.last = day.date;
      e.contact.ready++;
      e.contactTask.ready++;
      if (task.periodIndex !== periodIndex) this.periodTotals(task, periodIndex);
      task.periodReady++;
    }
    this.previous = { tasks: readyTasks, totals };
    this.totals.ready += ready;
    if (ready) this.totals.daysWithTasks++;
    if (ready > this.totals.peak.ready) this.totals.peak = { date: day.date, ready };
    period.ready += ready;
    if (ready > period.peak.ready) period.peak = { date: day.date, ready };
  }

  private taskTotals(name: string, date: string): TaskTotals {
    let task = this.byTask.get(name);
    if (!task) {
      this.byTask.set(name, (task = { name, ready: 0, periodIndex: -1, periodReady: 0, contacts: new Set(), first: date, last: date, others: new Map() }));
    }
    return task;
  }

  /** Adds a task name's count of its last period to that period, and starts counting `periodIndex` (-1: none). */
  private periodTotals(task: TaskTotals, periodIndex: number): void {
    if (task.periodReady > 0) this.periods[task.periodIndex]!.byTask.set(task, task.periodReady);
    task.periodIndex = periodIndex;
    task.periodReady = 0;
  }

  /** What a Ready task counts towards: its task name's and its contact's totals. */
  private readyTotalsOf(t: TaskResult, date: string): EmissionTotals {
    const known = this.emissions.get(t.emission);
    if (known) return known;
    const task = this.taskTotals(t.name, date);
    if (task.title === undefined && typeof t.emission.title === 'string') task.title = this.options.texts?.get(t.emission.title);
    const who = t.owner === '_unassigned' ? `_unassigned|${contactName(t)}` : t.owner;
    let contact = this.contacts.get(who);
    if (!contact) {
      const label = t.owner === '_unassigned' ? `${contactName(t)} (unassigned)` : `${contactName(t)} (${t.owner})`;
      this.contacts.set(who, (contact = { label, ready: 0, byTask: new Map() }));
    }
    task.contacts.add(who);
    let contactTask = contact.byTask.get(task);
    if (!contactTask) contact.byTask.set(task, (contactTask = { ready: 0 }));
    const totals = { task, contact, contactTask };
    this.emissions.set(t.emission, totals);
    return totals;
  }

  /** The line that closes a listing (as it always has). */
  private summaryLine(): string {
    const { ready, days, daysWithTasks } = this.totals;
    return this.s.bold(`${count(ready, 'Ready task')}`) +
      ` over ${count(days, 'day')} (${span(this.header.from, this.header.to)}, ${this.header.at} ${this.header.tz})` +
      (days > 1 ? `, on ${count(daysWithTasks, 'day')}` : '') +
      `, for ${count(this.contacts.size, 'contact')}.`;
  }

  private summary(): string {
    for (const task of this.byTask.values()) this.periodTotals(task, -1);
    const s = this.s;
    const { ready, days, daysWithTasks, peak } = this.totals;
    const out: string[] = [];
    out.push(s.bold(`Tasks ${span(this.header.from, this.header.to)}`) + s.dim(` (${count(days, 'day')}, ${this.header.at} ${this.header.tz})`));
    const perDay = days ? Math.round(ready / days) : 0;
    out.push(`${s.bold(count(ready, 'Ready task-day'))} for ${count(this.contacts.size, 'contact')}, on ${num(daysWithTasks)} of ${count(days, 'day')}` +
      (days > 1 ? ` (${num(perDay)} a day on average, ${num(peak.ready)} at most, on ${peak.date})` : '') + '.');
    out.push('', s.bold('By task'));
    const tasks = [...this.byTask].sort((a, b) => b[1].ready - a[1].ready || a[0].localeCompare(b[0]));
    // (The title column, when the project translates the titles: the task as a health worker reads it.)
    const titled = tasks.some(([, t]) => t.title !== undefined);
    const head = ['task', ...(titled ? ['title'] : []), 'Ready task-days', 'contacts', 'shown'];
    if (this.options.allStates) head.push('other states (task-days)');
    const rows = tasks.map(([name, t]) => {
      const row = [name, ...(titled ? [t.title ?? ''] : []), num(t.ready), num(t.contacts.size), t.ready ? span(t.first, t.last) : '-'];
      if (this.options.allStates) row.push([...t.others].map(([state, n]) => `${state} ${num(n)}`).join(' · ') || '-');
      return row;
    });
    out.push(...columns([head.map((h) => s.dim(h)), ...rows], '  ', titled ? [2, 3] : [1, 2]));
    if (days > 1) {
      out.push('', s.bold(this.periodDays === 1 ? 'By day' : 'By week'));
      const periodRows = this.periods.map((p) => [
        this.periodDays === 1 ? `${p.from} ${weekday(p.from)}` : span(p.from, p.to),
        num(Math.round(p.ready / p.days)),
        this.periodDays === 1 ? '' : num(p.peak.ready),
        topOf(p.byTask, 3, p.days),
      ]);
      const head = this.periodDays === 1 ? ['day', 'Ready tasks', '', 'by task'] : ['week', 'Ready a day', 'max', 'by task, a day'];
      out.push(...columns([head.map((h) => s.dim(h)), ...periodRows], '  ', [1, 2]));
    }
    const busiest = [...this.contacts.values()].sort((a, b) => b.ready - a.ready).slice(0, 10);
    if (busiest.length) {
      out.push('', s.bold(`Busiest contacts`) + s.dim(` (${busiest.length} of ${num(this.contacts.size)})`));
      out.push(...columns([['contact', 'Ready task-days', 'tasks'].map((h) => s.dim(h)), ...busiest.map((c) => [c.label, num(c.ready), topOf(readyByTask(c), 3)])], '  ', [1]));
    }
    out.push('', s.dim(`The full listing would run past ${LISTING_LIMIT} lines, so this is a summary. --list prints it all, a day at a time;`));
    out.push(s.dim('--json or --format=ndjson give every task to jq, grep or a script; --explain=TASK says why one shows or not.'));
    return `${out.join('\n')}\n`;
  }
}

function readyByTask(contact: ContactTotals): Map<TaskTotals, number> {
  return new Map([...contact.byTask].map(([task, n]) => [task, n.ready]));
}

/** The `n` largest counts (divided by `per`): "anc-visit 1,234 · pnc-visit 56 · 3 more". */
function topOf(counts: ReadonlyMap<TaskTotals, number>, n: number, per = 1): string {
  const sorted = [...counts].map(([task, c]) => [task.name, c] as const).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = sorted.slice(0, n).map(([name, c]) => `${name} ${num(Math.round(c / per))}`);
  if (sorted.length > n) shown.push(`${sorted.length - n} more`);
  return shown.join(' · ');
}

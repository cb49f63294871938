/**
 * The data a dry-run HTML report carries: built by `collect.ts` from a dry-run (Node), read by the page
 * (`web/report/`, in the browser). This file is the contract between the two; it holds types and the few pure
 * functions both sides need (imported by the page's bundle too, so it must stay free of Node imports).
 *
 * Sizes: a 10,000-patient year has ~870,000 Ready task-days, so repeated strings (titles, forms, reasons) are
 * kept once in `strings` and referred to by index, and day lists are arrays of window indexes.
 */

/** cht-core's five task states, plus the dry-run's two for emissions that never become task docs. */
export type ReportState = 'Draft' | 'Ready' | 'Completed' | 'Cancelled' | 'Failed' | 'NotTimely' | 'Duplicate';

export const REPORT_DATA_VERSION = 1;

export interface ReportData {
  version: typeof REPORT_DATA_VERSION;
  header: ReportHeader;
  /** Distinct strings referred to by index elsewhere (`StrRef`). */
  strings: string[];
  /** Task names (the definition's `name`, the emission id's last `~` segment), sorted; index = colour slot. */
  taskNames: string[];
  /** Contacts that own windows, and the places above them (parents come before their children). */
  contacts: ReportContact[];
  /** Task windows, in the order of the `tasks_by_contact` view (owner, then emission id). */
  windows: ReportWindow[];
  /** One entry per day of the span, in order. */
  days: ReportDay[];
  /** One entry per reporting month the span touches, in order. */
  targets: ReportTargetMonth[];
  /** The texts the page shows for translation keys (titles, priority labels, target titles), in the app's default language or English, key -> text. */
  translations: Record<string, string>;
}

/** An index into `ReportData.strings`. */
export type StrRef = number;

export interface ReportHeader {
  /** The project's folder name (or the app_settings.json file name with --app-settings). */
  project: string;
  chtkit: string;
  /** `--source` folder or `--app-settings` file, as an absolute path. */
  source: string;
  sourceKind: 'project' | 'app-settings';
  fixtures: string[];
  user: { id: string | null; name?: string };
  roles: string[];
  tz: string;
  from: string;
  to: string;
  /** Local time of day of each evaluation, HH:MM. */
  at: string;
  /** --all-states: windows in every state are drawn, not only Ready ones. */
  allStates: boolean;
  /** ISO 8601 instant the report was written. */
  generatedAt: string;
  counts: { contacts: number; reports: number; readyTaskDays: number; windows: number };
  /** The dry-run's notes (fixture defaults applied, hidden targets...). */
  notes: string[];
}

export interface ReportContact {
  id: string;
  /** `name`, or the id when it has none. */
  name: string;
  /** `contact_type` for `type: contact`, else `type`. */
  type: string;
  /** Index of its parent in `contacts` (-1: none, or the parent is not in the fixtures). */
  parent: number;
}

/**
 * One window: one emission `_id` for one owner with one start/end/due (the emission's own dates, not clipped to
 * the span). A task whose dates change over the span gives one window per distinct start/end/due.
 */
export interface ReportWindow {
  /** The emission `_id`. */
  id: string;
  /** Index into `contacts` of the owner, or -1 when the owner is not a fixture contact (`_unassigned`...). */
  owner: number;
  /** The owner id as the dry-run gives it (`_unassigned` for contact-less tasks). */
  ownerId: string;
  /** The contact whose rules emitted it (null: the contact-less container). */
  requester: string | null;
  /** Index into `taskNames`. */
  task: number;
  start: string;
  end: string;
  due: string;
  /**
   * The days of the span it was in each state, as runs of consecutive days: [first day index, last day index
   * (inclusive), state, reason (-1: none; Ready has none)]. Without --all-states only Ready runs are recorded
   * (a run that records every state costs the dry-run twice the time): the page explains other days from the
   * window's dates and points to --all-states for the rules engine's own reasons.
   */
  runs: [number, number, ReportState, StrRef][];
  /** The emission as the dry-run's --json gives it (title, icon, actions, priority, resolved...). */
  emission: StrRef;
}

export interface ReportDay {
  date: string;
  /**
   * The windows Ready that day, in the order cht-core's rules engine returns them (`tasks_by_contact` view),
   * before the Tasks tab sorts them (`orderByDueDate`, below).
   */
  ready: number[];
}

export interface ReportTargetMonth {
  /** YYYY-MM, the month cht-core names the interval after. */
  month: string;
  interval: { start: string; end: string };
  /** The day the targets were evaluated on (the interval's last day, as `dry-run-targets --month` does). */
  evaluatedOn: string;
  targets: ReportTarget[];
}

export interface ReportTarget {
  id: string;
  type: 'count' | 'percent';
  /** The title's translation key or text, as configured. */
  title: string;
  icon?: string;
  goal: number;
  /** `value.pass` and `value.total` of `dry-run-targets --month --json`. */
  pass: number;
  total: number;
  /** percent targets: `value.percent`. */
  percent?: number;
}

/**
 * The Tasks tab's order (cht-core 4.11.0 webapp/src/ts/reducers/tasks.ts `orderByDueDate`, applied with
 * `[...tasks].sort(...)` to the list in view order): tasks without a due date last; equal due dates give 1, as
 * there, so the order of equal ones is whatever Array.prototype.sort makes of that — the same in the page as in
 * the app, both V8.
 */
export function orderByDueDate(t1: { dueDate?: string | null } | undefined, t2: { dueDate?: string | null } | undefined): number {
  const lhs = t1?.dueDate;
  const rhs = t2?.dueDate;
  if (!lhs && !rhs) return 0;
  if (!lhs) return 1;
  if (!rhs) return -1;
  return lhs < rhs ? -1 : 1;
}

/**
 * cht-core's `overdue` (webapp rules-engine.service.ts `hydrateTaskDocs`): the due date's local midnight is
 * before now. On the day view, now is the day at the evaluation time (`at`): a task due that day is overdue
 * unless the evaluation time is midnight.
 */
export function isOverdue(due: string, day: string, at: string): boolean {
  return due < day || (due === day && at !== '00:00');
}

/** Strings kept once, referred to by index (`ReportData.strings`, and the like while building). */
export class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, StrRef>();

  ref(s: string): StrRef {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

// What the page derives from the report's data once, on load: day lookups, Ready counts per day and task, the
// contact tree the timeline groups rows by, and parsed emissions on demand. Pure: data in, indexes out.
import type { ReportData, ReportState } from '../../src/report/html/report-data.js';
import { dayNumber } from './dates.js';

/** The emission as the dry-run's --json gives it; every field optional, as configs emit what they like. */
export interface Emission {
  _id?: string;
  title?: unknown;
  icon?: unknown;
  actions?: { type?: unknown; form?: unknown; label?: unknown; content?: unknown }[];
  priority?: unknown;
  priorityLabel?: unknown;
  resolved?: unknown;
  deleted?: unknown;
  contact?: { name?: unknown } | null;
  dueDate?: unknown;
  startDate?: unknown;
  endDate?: unknown;
  forId?: unknown;
  [key: string]: unknown;
}

/** A timeline row: one owner (a fixture contact, or an owner id the fixtures do not hold, like `_unassigned`). */
export interface OwnerRow {
  /** The owner id: `data-contact-id`. */
  id: string;
  label: string;
  /** Index into contacts, -1 for owners that are not fixture contacts. */
  contact: number;
  depth: number;
  /** Indexes into windows, in view order. */
  windows: number[];
}

/** The timeline's items in tree order: places that own no windows are headings, owners are rows. */
export type TreeItem = { kind: 'heading'; contact: number; label: string; depth: number } | { kind: 'row'; row: OwnerRow };

export interface Model {
  data: ReportData;
  dayCount: number;
  /** Day number (dates.dayNumber) of the span's first day. */
  firstDay: number;
  /** readyByTask[day * taskCount + task]: Ready windows of that task that day. */
  readyByTask: Uint32Array;
  maxReady: number;
  /** The span's first day with Ready tasks, else its first day. */
  firstReadyDay: string;
  tree: TreeItem[];
  rowsById: Map<string, OwnerRow>;
  emission(window: number): Emission;
  /** The text of a translation key (in the app's default language, else English), or the key (or text) itself when the project has none. */
  translate(key: unknown): string;
  /** Day index of a date within the span (may be < 0 or >= dayCount). */
  dayIndex(date: string): number;
  /** The states a window has runs in, in first-appearance order. */
  statesOf(window: number): ReportState[];
}

export function buildModel(data: ReportData): Model {
  const dayCount = data.days.length;
  const taskCount = data.taskNames.length;
  const readyByTask = new Uint32Array(Math.max(1, dayCount * taskCount));
  let maxReady = 0;
  let firstReadyDay: string | undefined;
  for (let d = 0; d < dayCount; d++) {
    const ready = data.days[d]!.ready;
    if (ready.length > 0 && firstReadyDay === undefined) firstReadyDay = data.days[d]!.date;
    if (ready.length > maxReady) maxReady = ready.length;
    for (const w of ready) readyByTask[d * taskCount + data.windows[w]!.task]! += 1;
  }

  const { tree, rowsById } = ownerTree(data);
  const emissions = new Map<number, Emission>();
  const firstDay = dayNumber(data.header.from);

  return {
    data,
    dayCount,
    firstDay,
    readyByTask,
    maxReady,
    firstReadyDay: firstReadyDay ?? data.header.from,
    tree,
    rowsById,
    emission(window) {
      let e = emissions.get(window);
      if (!e) {
        e = parseEmission(data.strings[data.windows[window]!.emission]);
        emissions.set(window, e);
      }
      return e;
    },
    translate(key) {
      if (typeof key !== 'string') return key === undefined || key === null ? '' : String(key);
      return Object.prototype.hasOwnProperty.call(data.translations, key) ? data.translations[key]! : key;
    },
    dayIndex(date) {
      return dayNumber(date) - firstDay;
    },
    statesOf(window) {
      const states: ReportState[] = [];
      for (const run of data.windows[window]!.runs) if (!states.includes(run[2])) states.push(run[2]);
      return states;
    },
  };
}

function parseEmission(text: string | undefined): Emission {
  if (text === undefined) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Emission) : {};
  } catch {
    return {};
  }
}

/**
 * Rows grouped under places: a depth-first walk of the contacts' parent links (parents come before children
 * in the data), children in data order. Owners that are not fixture contacts come last, under a heading.
 */
function ownerTree(data: ReportData): { tree: TreeItem[]; rowsById: Map<string, OwnerRow> } {
  const { contacts, windows } = data;
  const rowsById = new Map<string, OwnerRow>();
  const byContact: (OwnerRow | undefined)[] = new Array(contacts.length);
  const foreign: OwnerRow[] = [];
  windows.forEach((w, i) => {
    let row = rowsById.get(w.ownerId);
    if (!row) {
      const c = w.owner >= 0 ? contacts[w.owner] : undefined;
      row = { id: w.ownerId, label: c ? c.name : w.ownerId, contact: c ? w.owner : -1, depth: 0, windows: [] };
      rowsById.set(w.ownerId, row);
      if (c) byContact[w.owner] = row;
      else foreign.push(row);
    }
    row.windows.push(i);
  });

  // Which contacts have a row in their subtree (children come after parents: one backwards pass).
  const needed = new Uint8Array(contacts.length);
  const children: number[][] = contacts.map(() => []);
  const roots: number[] = [];
  for (let i = contacts.length - 1; i >= 0; i--) {
    if (byContact[i]) needed[i] = 1;
    const p = contacts[i]!.parent;
    if (needed[i] && p >= 0 && p < contacts.length) needed[p] = 1;
  }
  contacts.forEach((c, i) => {
    if (c.parent >= 0 && c.parent < contacts.length && c.parent !== i) children[c.parent]!.push(i);
    else roots.push(i);
  });

  const tree: TreeItem[] = [];
  const stack: [number, number][] = [];
  for (let r = roots.length - 1; r >= 0; r--) stack.push([roots[r]!, 0]);
  while (stack.length > 0) {
    const [i, depth] = stack.pop()!;
    if (!needed[i]) continue;
    const row = byContact[i];
    if (row) {
      row.depth = depth;
      tree.push({ kind: 'row', row });
    } else {
      tree.push({ kind: 'heading', contact: i, label: contacts[i]!.name, depth });
    }
    const kids = children[i]!;
    for (let k = kids.length - 1; k >= 0; k--) stack.push([kids[k]!, depth + 1]);
  }
  // Parent links that loop never reach a root: their rows still belong on the page (counts stay exact).
  const placed = new Set(tree.map((item) => (item.kind === 'row' ? item.row : undefined)));
  for (const row of byContact) if (row && !placed.has(row)) tree.push({ kind: 'row', row });
  if (foreign.length > 0) {
    tree.push({ kind: 'heading', contact: -1, label: 'Owners that are not fixture contacts', depth: 0 });
    for (const row of foreign) {
      row.depth = 1;
      tree.push({ kind: 'row', row });
    }
  }
  return { tree, rowsById };
}

// The contact timeline's geometry, pure: which rows the filters keep (with the place headings above them),
// each row's bars packed into lanes, and every row's vertical offset so the view can render only the rows in
// view (a 10,000-patient year has ~12,500 owners and 100k+ windows) while counts stay exact.
import type { ReportState } from '../../src/report/html/report-data.js';
import type { Model, OwnerRow } from './model.js';

export const LANE_H = 22;
export const ROW_PAD = 6;
export const HEADING_H = 24;

export interface Filters {
  /** Index into taskNames, -1: every task. */
  task: number;
  /** '' : every state. */
  state: ReportState | '';
  /** Lower-cased contact search ('' : none). */
  search: string;
  /** The deep-linked contact: kept whatever the filters say, with all its windows. */
  pinned: string | undefined;
}

/** One bar: a window's days in one state (the hull of its runs in that state). */
export interface Bar {
  window: number;
  state: ReportState;
  /** Day indexes, inclusive, within the span. */
  from: number;
  to: number;
  lane: number;
  /** False when the filters would hide it (only on the pinned row, which shows everything). */
  matches: boolean;
}

/** The window's own start..end (clipped to the span; null when wholly outside it) and its lane. */
export interface Frame {
  window: number;
  from: number;
  to: number;
  due: number;
  lane: number;
}

export interface RowLayout {
  bars: Bar[];
  frames: Frame[];
  lanes: number;
}

export type Item = { kind: 'heading'; label: string; depth: number } | { kind: 'row'; row: OwnerRow; windows: number[] };

export interface TimelineLayout {
  items: Item[];
  /** offsets[i]: top of item i; offsets[items.length]: total height. */
  offsets: Float64Array;
  rowCount: number;
  windowCount: number;
  /** Item index of the pinned contact's row, -1 when none. */
  pinnedItem: number;
  /** Item index of an owner's row, -1 when the filters removed it. */
  itemOf(owner: string): number;
  layoutOf(item: number): RowLayout;
}

function windowMatches(model: Model, w: number, f: Filters): boolean {
  const win = model.data.windows[w]!;
  if (f.task >= 0 && win.task !== f.task) return false;
  if (f.state !== '' && !win.runs.some((r) => r[2] === f.state)) return false;
  return true;
}

export function layoutTimeline(model: Model, f: Filters): TimelineLayout {
  const items: Item[] = [];
  // Headings wait on a stack until a row under them is kept (a place shows only when something under it does).
  const pending: { item: Item; depth: number; shown: boolean }[] = [];
  let windowCount = 0;
  let pinnedItem = -1;
  for (const t of model.tree) {
    const depth = t.kind === 'row' ? t.row.depth : t.depth;
    while (pending.length > 0 && pending[pending.length - 1]!.depth >= depth) pending.pop();
    if (t.kind === 'heading') {
      pending.push({ item: { kind: 'heading', label: t.label, depth }, depth, shown: false });
      continue;
    }
    const row = t.row;
    const pinned = f.pinned !== undefined && row.id === f.pinned;
    let windows = row.windows.filter((w) => windowMatches(model, w, f));
    const searched = f.search === '' || row.label.toLowerCase().includes(f.search) || row.id.toLowerCase().includes(f.search);
    const kept = pinned || (windows.length > 0 && searched);
    if (pinned) windows = row.windows;
    if (!kept) {
      // A row that is itself a place (a household with a task of its own) may still head rows under it.
      pending.push({ item: { kind: 'heading', label: row.label, depth }, depth, shown: false });
      continue;
    }
    for (const p of pending) {
      if (!p.shown) {
        items.push(p.item);
        p.shown = true;
      }
    }
    if (pinned) pinnedItem = items.length;
    items.push({ kind: 'row', row, windows });
    pending.push({ item: items[items.length - 1]!, depth, shown: true });
    windowCount += windows.length;
  }

  const layouts = new Map<number, RowLayout>();
  const layoutOf = (i: number): RowLayout => {
    let l = layouts.get(i);
    if (!l) {
      const item = items[i]!;
      l = item.kind === 'row' ? rowLayout(model, item.windows, f) : { bars: [], frames: [], lanes: 0 };
      layouts.set(i, l);
    }
    return l;
  };
  const offsets = new Float64Array(items.length + 1);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    offsets[i + 1] = offsets[i]! + (item.kind === 'heading' ? HEADING_H : Math.max(1, layoutOf(i).lanes) * LANE_H + ROW_PAD);
  }
  const rowCount = items.reduce((n, item) => n + (item.kind === 'row' ? 1 : 0), 0);
  let byOwner: Map<string, number> | undefined;
  const itemOf = (owner: string): number => {
    if (!byOwner) {
      byOwner = new Map();
      items.forEach((item, i) => {
        if (item.kind === 'row') byOwner!.set(item.row.id, i);
      });
    }
    return byOwner.get(owner) ?? -1;
  };
  return { items, offsets, rowCount, windowCount, pinnedItem, itemOf, layoutOf };
}

function rowLayout(model: Model, windows: number[], f: Filters): RowLayout {
  const last = model.dayCount - 1;
  const clip = (n: number) => Math.min(last, Math.max(0, n));
  const specs = windows.map((w) => {
    const win = model.data.windows[w]!;
    const start = model.dayIndex(win.start);
    const end = model.dayIndex(win.end);
    const frame = end < 0 || start > last || end < start ? null : { from: clip(start), to: clip(end), due: model.dayIndex(win.due) };
    const hulls = new Map<ReportState, [number, number]>();
    for (const [a, b, state] of win.runs) {
      const h = hulls.get(state);
      if (h) {
        h[0] = Math.min(h[0], a);
        h[1] = Math.max(h[1], b);
      } else hulls.set(state, [a, b]);
    }
    let lo = frame ? frame.from : Infinity;
    let hi = frame ? frame.to : -Infinity;
    for (const [a, b] of hulls.values()) {
      lo = Math.min(lo, a);
      hi = Math.max(hi, b);
    }
    if (lo === Infinity) lo = hi = 0; // no run and no day in the span: still one (empty) lane, never lost
    return { w, frame, hulls, lo, hi, matches: windowMatches(model, w, f) };
  });
  // Greedy interval packing in start order: the fewest lanes for bars that overlap in time.
  const order = specs.map((_, i) => i).sort((a, b) => specs[a]!.lo - specs[b]!.lo || a - b);
  const laneEnds: number[] = [];
  const bars: Bar[] = [];
  const frames: Frame[] = [];
  for (const i of order) {
    const s = specs[i]!;
    let lane = laneEnds.findIndex((end) => end < s.lo);
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(s.hi);
    } else laneEnds[lane] = s.hi;
    if (s.frame) frames.push({ window: s.w, ...s.frame, lane });
    for (const [state, [a, b]] of s.hulls) bars.push({ window: s.w, state, from: a, to: b, lane, matches: s.matches && (f.state === '' || state === f.state) });
  }
  return { bars, frames, lanes: laneEnds.length };
}

/** The first item whose bottom is below `y` (binary search over offsets). */
export function itemAt(offsets: Float64Array, y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1]! <= y) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo);
}

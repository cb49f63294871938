// The impact preview's page (`dry-run-tasks --against=OLD --format=html`): the new side's report with the old
// side's beside it (#report-against). The comparison itself is src/report/html/against.ts (windows by cht dev's
// changesBetween, task-days as `--against --json` keys them); this file turns it into what the views draw:
// the new report with the old side's removed windows appended (so the timeline lays them out in their owners'
// rows, and the details panel can open them), the marks per window, and the old side's model for the day view.
import type { ReportAgainst, ReportComparison } from '../../src/report/html/against.js';
import { compareReports } from '../../src/report/html/against.js';
import type { WindowKey } from '../../src/report/html/live.js';
import { StringTable, type ReportContact, type ReportData, type ReportWindow } from '../../src/report/html/report-data.js';
import { windowKey, type WindowChanges, type WindowChange } from './live-changes.js';
import { buildModel, type Model } from './model.js';

export interface Impact {
  label: string;
  comparison: ReportComparison;
  /** The old side's report, as its own model (the day view's removed rows come from it), its task indexes the merged report's. */
  old: Model;
  /** The new side's report plus the old side's removed windows (indexes from `firstRemoved` on). */
  merged: ReportData;
  firstRemoved: number;
  /** An old window's index in `merged`, for the removed windows that were appended. */
  mergedOfOld: Map<number, number>;
  /** The timeline's marks (`data-change` added, removed, moved) and each moved window's old dates. */
  changes: WindowChanges;
}

const wkey = (w: { id: string; start: string; end: string; due: string }, owner: string) => windowKey(w, owner);

/** The new report with the windows that disappeared appended from the old one (strings, task names, contacts remapped). */
function withRemoved(old: ReportData, now: ReportData, removed: readonly WindowKey[]): { merged: ReportData; mergedOfOld: Map<number, number>; oldForView: ReportData } {
  const gone = new Set(removed.map((w) => wkey(w, w.owner)));
  const table = new StringTable();
  for (const s of now.strings) table.ref(s);
  const taskNames = [...now.taskNames];
  const taskOf = (name: string) => {
    let i = taskNames.indexOf(name);
    if (i < 0) i = taskNames.push(name) - 1; // appended: the new side's colours stay as they are
    return i;
  };
  const contacts: ReportContact[] = [...now.contacts];
  const contactIndex = new Map(contacts.map((c, i) => [c.id, i]));
  const contactOf = (i: number): number => {
    const c = old.contacts[i];
    if (!c) return -1;
    const known = contactIndex.get(c.id);
    if (known !== undefined) return known;
    contactIndex.set(c.id, -1); // a cycle in the old lineage ends here
    const parent = contactOf(c.parent);
    const at = contacts.push({ ...c, parent }) - 1;
    contactIndex.set(c.id, at);
    return at;
  };
  // Both sides ran the same request, so their days are the same dates; shift in case a side's span differs.
  const shift = old.days.length && now.days.length ? Math.round((Date.parse(`${old.days[0]!.date}T00:00:00Z`) - Date.parse(`${now.days[0]!.date}T00:00:00Z`)) / 86_400_000) : 0;
  const windows: ReportWindow[] = [...now.windows];
  const mergedOfOld = new Map<number, number>();
  old.windows.forEach((w, i) => {
    if (!gone.has(wkey(w, w.ownerId))) return;
    mergedOfOld.set(i, windows.length);
    windows.push({
      ...w,
      owner: w.owner >= 0 ? contactOf(w.owner) : -1,
      task: taskOf(old.taskNames[w.task] ?? ''),
      runs: w.runs.map(([a, b, state, reason]) => [a + shift, b + shift, state, reason >= 0 ? table.ref(old.strings[reason] ?? '') : -1]),
      emission: table.ref(old.strings[w.emission] ?? '{}'),
    });
  });
  // The old side as the day view lists its removed task-days: the same letters and colours as the timeline.
  const oldForView: ReportData = { ...old, taskNames, windows: old.windows.map((w) => ({ ...w, task: taskOf(old.taskNames[w.task] ?? '') })) };
  // Titles of tasks only the old rules give are translated with the old side's texts.
  const translations = { ...old.translations, ...now.translations };
  return { merged: { ...now, strings: table.strings, taskNames, contacts, windows, translations }, mergedOfOld, oldForView };
}

export function buildImpact(against: ReportAgainst, now: ReportData): Impact {
  const comparison = compareReports(against.data, now);
  const { merged, mergedOfOld, oldForView } = withRemoved(against.data, now, comparison.windows.disappeared);
  const marks = new Map<string, WindowChange>();
  const moves = new Map<string, WindowKey>();
  for (const w of comparison.windows.appeared) marks.set(wkey(w, w.owner), 'added');
  for (const w of comparison.windows.disappeared) marks.set(wkey(w, w.owner), 'removed');
  for (const m of comparison.windows.moved) {
    const k = wkey(m.after, m.after.owner);
    marks.set(k, 'moved');
    moves.set(k, m.before);
  }
  return {
    label: against.label,
    comparison,
    old: buildModel(oldForView),
    merged,
    firstRemoved: now.windows.length,
    mergedOfOld,
    changes: { marks, moves, since: `against ${against.label}` },
  };
}

// The impact preview's comparison of two reports (src/report/html/against.ts) and what the page makes of it
// (web/report/compare.ts), on small hand-made reports whose differences are known.
import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/report/html/against.js';
import { REPORT_DATA_VERSION, type ReportData } from '../../src/report/html/report-data.js';
import { buildImpact } from '../../web/report/compare.js';

interface W {
  id: string;
  owner: string;
  task: string;
  start: string;
  end: string;
  due?: string;
  /** Days (YYYY-MM-DD) it is Ready. */
  ready: string[];
  emission?: Record<string, unknown>;
  requester?: string | null;
}

const DAYS = ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04'];

/** A report with these windows Ready on these days; contacts: `contacts` (id -> parent id). */
function report(windows: W[], contacts: Record<string, string | null> = {}): ReportData {
  const strings: string[] = [];
  const ref = (s: string) => (strings.includes(s) ? strings.indexOf(s) : strings.push(s) - 1);
  const taskNames = [...new Set(windows.map((w) => w.task))].sort();
  const ids = Object.keys(contacts);
  const data: ReportData = {
    version: REPORT_DATA_VERSION,
    header: {
      project: 'p', chtkit: '0', source: '/p', sourceKind: 'project', fixtures: [], user: { id: null }, roles: [], tz: 'UTC',
      from: DAYS[0]!, to: DAYS.at(-1)!, at: '12:00', allStates: false, generatedAt: '2024-01-01T00:00:00.000Z',
      counts: { contacts: ids.length, reports: 0, readyTaskDays: 0, windows: windows.length }, notes: [],
    },
    strings,
    taskNames,
    contacts: ids.map((id) => ({ id, name: id.toUpperCase(), type: 'person', parent: contacts[id] ? ids.indexOf(contacts[id]!) : -1 })),
    windows: windows.map((w) => ({
      id: w.id, owner: ids.indexOf(w.owner), ownerId: w.owner, requester: w.requester === undefined ? w.owner : w.requester,
      task: taskNames.indexOf(w.task), start: w.start, end: w.end, due: w.due ?? w.end,
      runs: w.ready.map((d) => [DAYS.indexOf(d), DAYS.indexOf(d), 'Ready', -1] as [number, number, 'Ready', number]),
      emission: ref(JSON.stringify(w.emission ?? { _id: w.id, title: w.task })),
    })),
    days: DAYS.map((date) => ({ date, ready: windows.flatMap((w, i) => (w.ready.includes(date) ? [i] : [])) })),
    targets: [],
    translations: {},
  };
  return data;
}

const anc: W = { id: 'r1~anc', owner: 'p1', task: 'anc', start: '2024-03-01', end: '2024-03-03', ready: ['2024-03-01', '2024-03-02', '2024-03-03'] };
const pnc: W = { id: 'r2~pnc', owner: 'p2', task: 'pnc', start: '2024-03-02', end: '2024-03-04', ready: ['2024-03-02', '2024-03-03', '2024-03-04'] };
const PEOPLE = { hh: null, p1: 'hh', p2: 'hh' };

describe('compareReports', () => {
  it('finds nothing between a report and itself', () => {
    const c = compareReports(report([anc, pnc], PEOPLE), report([anc, pnc], PEOPLE));
    expect(c.counts).toEqual({ added: 0, removed: 0, changed: 0 });
    expect(c.days.every((d) => d.added.length + d.removed.length + d.changed.length === 0)).toBe(true);
    expect(c.windows).toMatchObject({ appeared: [], disappeared: [], moved: [] });
    expect(c.contactsAffected).toBe(0);
  });

  it('keys task-days by owner and emission _id: a window that moved is removed, changed and added on the days it covers', () => {
    const moved = { ...pnc, start: '2024-03-03', end: '2024-03-04', ready: ['2024-03-03', '2024-03-04'], emission: { _id: pnc.id, title: 'pnc', startDate: '2024-03-03' } };
    const old = report([anc, pnc], PEOPLE);
    const now = report([anc, moved], PEOPLE);
    const c = compareReports(old, now);
    // 03-02: only the old side has it; 03-03 and 03-04: both, with other emissions.
    expect(c.days.map((d) => [d.added.length, d.removed.length, d.changed.length])).toEqual([[0, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]]);
    expect(c.counts).toEqual({ added: 0, removed: 1, changed: 2 });
    expect(c.byTask).toEqual({ pnc: { added: 0, removed: 1, changed: 2 } });
    expect(c.windows.moved).toHaveLength(1);
    expect(c.windows.moved[0]!.before).toMatchObject({ start: '2024-03-02', end: '2024-03-04' });
    expect(c.contactsAffected).toBe(1);
  });

  it('ignores key order in emissions, and counts a requester or a field that differs as a change', () => {
    const a = { ...anc, emission: { _id: anc.id, title: 'anc', priority: 'high' } };
    const reordered = { ...anc, emission: { priority: 'high', title: 'anc', _id: anc.id } };
    expect(compareReports(report([a], PEOPLE), report([reordered], PEOPLE)).counts).toEqual({ added: 0, removed: 0, changed: 0 });
    const other = { ...anc, emission: { _id: anc.id, title: 'anc', priority: 'low' } };
    expect(compareReports(report([a], PEOPLE), report([other], PEOPLE)).counts).toEqual({ added: 0, removed: 0, changed: 3 });
    const byOther = { ...a, requester: 'p2' };
    expect(compareReports(report([a], PEOPLE), report([byOther], PEOPLE)).counts).toEqual({ added: 0, removed: 0, changed: 3 });
  });

  it('adds and removes whole windows, per day and per task', () => {
    const c = compareReports(report([anc], PEOPLE), report([pnc], PEOPLE));
    expect(c.days.map((d) => [d.added.length, d.removed.length])).toEqual([[0, 1], [1, 1], [1, 1], [1, 0]]);
    expect(c.byTask).toEqual({ anc: { added: 0, removed: 3, changed: 0 }, pnc: { added: 3, removed: 0, changed: 0 } });
    expect(c.windows.appeared.map((w) => w.id)).toEqual([pnc.id]);
    expect(c.windows.disappeared.map((w) => w.id)).toEqual([anc.id]);
  });
});

describe('buildImpact (the page)', () => {
  it('appends the removed windows to the new report, with their task, owner and its places, and marks the timeline', () => {
    // The old side has a contact (p3, under hh2) and a task (imm) the new side does not.
    const imm: W = { id: 'r3~imm', owner: 'p3', task: 'imm', start: '2024-03-01', end: '2024-03-02', ready: ['2024-03-01'], emission: { _id: 'r3~imm', title: 'imm' } };
    const old = report([anc, pnc, imm], { ...PEOPLE, hh2: null, p3: 'hh2' });
    const moved = { ...pnc, start: '2024-03-03', ready: ['2024-03-03'] };
    const now = report([anc, moved], PEOPLE);
    const impact = buildImpact({ label: 'git:HEAD (abc1234)', data: old }, now);
    expect(impact.firstRemoved).toBe(2);
    expect(impact.merged.windows).toHaveLength(3);
    const removed = impact.merged.windows[2]!;
    expect(removed).toMatchObject({ id: 'r3~imm', ownerId: 'p3', start: '2024-03-01' });
    expect(impact.merged.taskNames[removed.task]).toBe('imm');
    expect(impact.merged.taskNames.slice(0, now.taskNames.length)).toEqual(now.taskNames); // new side's colours kept
    const owner = impact.merged.contacts[removed.owner]!;
    expect(owner.id).toBe('p3');
    expect(impact.merged.contacts[owner.parent]!.id).toBe('hh2');
    expect(JSON.parse(impact.merged.strings[removed.emission]!)).toEqual({ _id: 'r3~imm', title: 'imm' });
    expect(impact.mergedOfOld.get(2)).toBe(2);
    // The new side's days are untouched: removed windows are drawn, never counted as Ready now.
    expect(impact.merged.days).toEqual(now.days);
    expect([...impact.changes.marks.values()].sort()).toEqual(['moved', 'removed']);
    expect([...impact.changes.moves.values()][0]).toMatchObject({ start: '2024-03-02' });
    expect(impact.changes.since).toBe('against git:HEAD (abc1234)');
    // The day view lists the old side's removed task-days with the timeline's letters and colours (task indexes).
    expect(impact.old.data.taskNames).toEqual(impact.merged.taskNames);
    old.windows.forEach((w, i) => expect(impact.old.data.taskNames[impact.old.data.windows[i]!.task]).toBe(old.taskNames[w.task]));
  });

  it("translates the removed windows' titles with the old side's texts", () => {
    const imm: W = { id: 'r3~imm', owner: 'p1', task: 'imm', start: '2024-03-01', end: '2024-03-02', ready: ['2024-03-01'], emission: { _id: 'r3~imm', title: 'task.imm' } };
    const old = { ...report([anc, imm], PEOPLE), translations: { 'task.imm': 'Immunization', 'task.anc': 'ANC (old text)' } };
    const now = { ...report([anc], PEOPLE), translations: { 'task.anc': 'ANC' } };
    const impact = buildImpact({ label: 'old.json', data: old }, now);
    expect(impact.merged.translations).toEqual({ 'task.imm': 'Immunization', 'task.anc': 'ANC' });
  });
});

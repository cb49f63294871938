// A synthetic ReportData for developing and testing the page (not shipped: only web/report/main.ts is
// bundled). Seeded, so a test can state what the page must show. Shaped like a real caseload: areas of
// households of people, task windows of a few days to two weeks, some resolved early, some contact-less
// (`_unassigned`), tasks with and without translations and priorities, targets for every month.
import type { ReportData, ReportState, ReportTargetMonth, ReportWindow, StrRef } from '../../../src/report/html/report-data.js';
import { REPORT_DATA_VERSION, StringTable } from '../../../src/report/html/report-data.js';

export interface GenerateOptions {
  /** People (patients); households and areas are added above them. */
  people: number;
  from: string;
  days: number;
  allStates?: boolean;
  seed?: number;
  /** Task definitions (names); default 6. */
  tasks?: number;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

const TASK_NAMES = ['anc-visit', 'assessment-follow-up', 'delivery-check', 'household-survey', 'immunization-due', 'pnc-visit', 'referral-follow-up', 'nutrition-screening', 'fp-refill', 'tb-dot', 'malaria-follow-up'];

export function generateReportData(opts: GenerateOptions): ReportData {
  const random = rng(opts.seed ?? 1);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const allStates = opts.allStates ?? false;
  const taskNames = TASK_NAMES.slice(0, opts.tasks ?? 6).sort();
  const table = new StringTable();
  const { strings } = table;
  const str = (s: string): StrRef => table.ref(s);

  // Contacts: a district, areas of ~50 households, households of ~4 people (parents before children).
  const contacts: ReportData['contacts'] = [{ id: 'district-1', name: 'Kisumu district', type: 'district_hospital', parent: -1 }];
  const people: number[] = [];
  const households: number[] = [];
  let area = -1;
  let household = -1;
  for (let p = 0; p < opts.people; p++) {
    if (p % 200 === 0) {
      area = contacts.length;
      contacts.push({ id: `area-${p / 200 + 1}`, name: `Area ${p / 200 + 1}`, type: 'health_center', parent: 0 });
    }
    if (p % 4 === 0) {
      household = contacts.length;
      households.push(household);
      contacts.push({ id: `hh-${p / 4 + 1}`, name: `Household ${p / 4 + 1}`, type: 'clinic', parent: area });
    }
    people.push(contacts.length);
    contacts.push({ id: `p-${p + 1}`, name: `Person ${p + 1}`, type: 'person', parent: household });
  }

  const last = opts.days - 1;
  interface Draft { w: Omit<ReportWindow, 'emission'>; title: string; priority: boolean; contactName: string }
  const drafts: Draft[] = [];
  const addWindow = (owner: number, ownerId: string, requester: string | null, contactName: string, n: number) => {
    const task = int(0, taskNames.length - 1);
    const startIdx = int(-10, last + 5);
    const length = int(3, 14);
    const endIdx = startIdx + length - 1;
    const dueIdx = startIdx + Math.floor(length / 2);
    const runs: ReportWindow['runs'] = [];
    const readyFrom = Math.max(0, startIdx);
    const resolvedAt = random() < 0.3 ? int(startIdx, endIdx) : null; // resolved before its window closed
    const readyTo = Math.min(last, resolvedAt === null ? endIdx : resolvedAt - 1);
    if (allStates && startIdx > 0) runs.push([Math.max(0, startIdx - 7), Math.min(last, startIdx - 1), 'Draft', str(`Draft until ${addDays(opts.from, startIdx)}: the window opens on ${addDays(opts.from, startIdx)} (due ${addDays(opts.from, dueIdx)})`)]);
    if (readyFrom <= readyTo) runs.push([readyFrom, readyTo, 'Ready', -1]);
    if (allStates) {
      const afterFrom = Math.max(0, resolvedAt ?? endIdx + 1);
      const afterTo = Math.min(last, afterFrom + 20);
      const state: ReportState = resolvedAt !== null ? 'Completed' : 'Failed';
      const reason = resolvedAt !== null ? 'Completed: resolvedIf returned true' : `Failed since ${addDays(opts.from, endIdx + 1)}: the window closed on ${addDays(opts.from, endIdx)}`;
      if (afterFrom <= afterTo && afterFrom <= last) runs.push([afterFrom, afterTo, state, str(reason)]);
    }
    if (runs.length === 0) return; // never in the span in any recorded state: no window, as the collector does
    const name = taskNames[task]!;
    drafts.push({
      w: { id: `${requester ?? 'r'}~${n}~${name}`, owner, ownerId, requester, task, start: addDays(opts.from, startIdx), end: addDays(opts.from, endIdx), due: addDays(opts.from, dueIdx), runs },
      title: name === 'household-survey' ? `Survey ${name}` : `task.${name}.title`,
      priority: name === 'referral-follow-up' || name === 'assessment-follow-up',
      contactName,
    });
  };
  for (const c of people) {
    const windows = int(0, Math.max(1, Math.round((opts.days / 365) * 16)));
    for (let n = 0; n < windows; n++) addWindow(c, contacts[c]!.id, contacts[c]!.id, contacts[c]!.name, n);
  }
  for (const hh of households) if (random() < 0.2) addWindow(-1, '_unassigned', contacts[hh]!.id, `Household: ${contacts[hh]!.name}`, 0);

  // The tasks_by_contact view's order: owner, then emission id.
  drafts.sort((a, b) => (a.w.ownerId < b.w.ownerId ? -1 : a.w.ownerId > b.w.ownerId ? 1 : a.w.id < b.w.id ? -1 : a.w.id > b.w.id ? 1 : 0));
  const windows: ReportWindow[] = drafts.map((d) => {
    const emission = {
      _id: d.w.id,
      title: d.title,
      icon: `icon-${taskNames[d.w.task]}`,
      deleted: false,
      resolved: d.w.runs.some((r) => r[2] === 'Completed'),
      actions: [{ type: 'report', form: taskNames[d.w.task]!.replace(/-/g, '_'), label: 'Follow up', content: { source: 'task', source_id: d.w.requester } }],
      ...(d.priority ? { priority: 'high', priorityLabel: 'task.priority.referred' } : {}),
      contact: { name: d.contactName },
      dueDate: d.w.due,
      startDate: d.w.start,
      endDate: d.w.end,
      forId: d.w.requester,
    };
    return { ...d.w, emission: str(JSON.stringify(emission)) };
  });

  const days = Array.from({ length: opts.days }, (_, i) => ({ date: addDays(opts.from, i), ready: [] as number[] }));
  let readyTaskDays = 0;
  windows.forEach((w, i) => {
    for (const [a, b, state] of w.runs) {
      if (state !== 'Ready') continue;
      for (let d = a; d <= b; d++) days[d]!.ready.push(i);
      readyTaskDays += b - a + 1;
    }
  });

  const to = addDays(opts.from, last);
  const targets: ReportTargetMonth[] = [];
  for (let month = opts.from.slice(0, 7); month <= to.slice(0, 7); ) {
    const start = `${month}-01`;
    const next = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString().slice(0, 10);
    const end = addDays(next, -1);
    const total = int(10, 60);
    const pass = int(0, total);
    targets.push({
      month,
      interval: { start, end },
      evaluatedOn: end < to ? end : to,
      targets: [
        { id: 'births-this-month', type: 'count', title: 'targets.births.title', goal: -1, pass: int(0, 9), total: 0 },
        { id: 'anc-visits', type: 'count', title: 'targets.anc.title', goal: 20, pass: int(5, 40), total: 0 },
        { id: 'facility-deliveries', type: 'percent', title: 'Facility deliveries', goal: 80, pass, total, percent: Math.round((pass * 100) / total) },
      ],
    });
    month = next.slice(0, 7);
  }

  const translations: Record<string, string> = { 'task.priority.referred': 'Referred', 'targets.births.title': 'Births this month', 'targets.anc.title': 'ANC visits' };
  taskNames.forEach((name, i) => {
    if (i % 3 !== 2) translations[`task.${name}.title`] = name.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  });

  return {
    version: REPORT_DATA_VERSION,
    header: {
      project: 'generated-app',
      chtkit: '0.0.0-dev',
      source: '/tmp/generated-app',
      sourceKind: 'project',
      fixtures: ['/tmp/generated-app/population.json'],
      user: { id: 'chw-1', name: 'Jane CHW' },
      roles: ['chw'],
      tz: 'Africa/Nairobi',
      from: opts.from,
      to,
      at: '08:00',
      allStates,
      generatedAt: '2024-09-01T12:00:00.000Z',
      counts: { contacts: contacts.length, reports: opts.people * 3, readyTaskDays, windows: windows.length },
      notes: ['Generated data (web/report/dev/generate.ts): not a dry-run.'],
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

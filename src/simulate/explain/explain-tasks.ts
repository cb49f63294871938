/* eslint-disable @typescript-eslint/no-explicit-any -- definitions and docs are user-shaped */
import { prepareDefinition } from '../../bundle/runtime/definition.js';
import type { SimulatedClock } from '../engine/clock.js';
import { freshContainer, type ContainerSpec } from '../engine/containers.js';
import type { DefinitionsLoader } from './definitions.js';
import { userForDay, type Simulation } from '../engine/simulation.js';
import { formatDay } from '../engine/moment-compat.js';
import type { TaskResult } from '../engine/tasks.js';
import type { Day } from '../engine/timeline.js';
import { runTimeline } from '../timeline.js';

/** Consecutive days with the same outcome. */
export interface ExplainRun {
  from: string;
  to: string;
  shows: boolean;
  reason: string;
}

export interface ExplainLine {
  /** The emission `_id` (one line per event), or `task` before anything is emitted. */
  label: string;
  runs: ExplainRun[];
}

export interface ExplainCandidate {
  contact: { id: string | null; name?: string; headless?: boolean };
  report?: { id: string; form: string; reportedDate?: string };
  lines: ExplainLine[];
}

export interface TaskExplanation {
  query: string;
  /** How the query was understood. */
  matchedBy: 'name' | 'emission-id';
  taskName: string;
  definition?: {
    appliesTo: unknown;
    appliesToType?: unknown;
    title?: unknown;
    events: { id?: unknown; when: string; start: unknown; end: unknown }[];
    resolvedBy: 'default' | 'resolvedIf';
  };
  candidates: ExplainCandidate[];
  notes: string[];
}

interface Candidate extends ExplainCandidate {
  key: string;
  spec: ContainerSpec;
  reportDoc?: any;
  byLabel: Map<string, ExplainLine>;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Splits an emission id `<source>~<event>~<name>[-<scheduled index>]` for a known task name. */
function sourceOf(emissionId: string, name: string): string | undefined {
  const m = new RegExp(`^(.*)~[^~]*~${escapeRe(name)}(?:-\\d+)?$`).exec(emissionId);
  return m ? m[1] : undefined;
}

function contactType(contact: any): unknown {
  return contact.type === 'contact' ? contact.contact_type : contact.type;
}

function describeEvent(event: any): string {
  if (typeof event?.dueDate === 'function') return 'dueDate()';
  return `days: ${String(event?.days)}`;
}

/**
 * Why a task does or does not show, per contact/report it could apply to and per day: the first reason of
 * appliesTo/appliesToType, appliesIf, the 60/180-day rule, the Draft/Ready/Failed window, duplicates,
 * resolution (with the report that resolved it) — the states come from the real rules run.
 */
export function explainTask(
  sim: Simulation, clock: SimulatedClock, days: readonly Day[], query: string, loader: DefinitionsLoader | undefined,
): TaskExplanation {
  const notes: string[] = [];
  const timeline = { days: [...runTimeline(sim, clock, days, { allStates: true }).days] };
  const allIds = new Set<string>();
  for (const day of timeline.days) for (const t of day.tasks) allIds.add(t.emission._id);

  const definitions = loader?.load(sim.utils, userForDay(sim), sim.cht).tasks ?? [];
  const named = (name: string) => definitions.find((d) => d && d.name === name);
  let matchedBy: TaskExplanation['matchedBy'] = 'name';
  let taskName = query;
  let onlySource: string | undefined;
  if (!named(query)) {
    const byDefinition = definitions.find((d) => d && typeof d.name === 'string' && sourceOf(query, d.name) !== undefined);
    const byEmission = allIds.has(query) ? /~([^~]*?)(?:-\d+)?$/.exec(query)?.[1] : undefined;
    const name = byDefinition?.name ?? byEmission;
    if (name !== undefined) {
      matchedBy = 'emission-id';
      taskName = name;
      onlySource = sourceOf(query, name);
    }
  }
  const definition = named(taskName);
  if (loader && !definition) {
    const names = definitions.map((d) => d && d.name).filter((n) => typeof n === 'string');
    notes.push(`No task is named "${query}" and no emission id matches it. Tasks: ${names.join(', ') || '(none)'}.`);
  }
  if (!loader) notes.push('The config came from an app_settings.json: reasons before emission (appliesToType, appliesIf) need --source.');

  const belongs = (t: TaskResult) =>
    matchedBy === 'emission-id' ? t.emission._id === query : sourceOf(t.emission._id, taskName) !== undefined;

  const candidates = new Map<string, Candidate>();
  const candidate = (spec: ContainerSpec, report: any | undefined): Candidate => {
    const key = report ? `report:${report._id}` : `contact:${String(spec.key)}`;
    let found = candidates.get(key);
    if (!found) {
      const contact = spec.contact as any;
      found = {
        key,
        spec,
        ...(report ? { reportDoc: report } : {}),
        contact: {
          id: contact ? String(contact._id) : null,
          ...(contact && contact.name !== undefined ? { name: String(contact.name) } : {}),
          ...(spec.headless && contact ? { headless: true } : {}),
        },
        ...(report ? {
          report: {
            id: String(report._id),
            form: String(report.form),
            ...(typeof report.reported_date === 'number' ? { reportedDate: formatDay(report.reported_date) } : {}),
          },
        } : {}),
        lines: [],
        byLabel: new Map(),
      };
      candidates.set(key, found);
    }
    return found;
  };
  const reportById = new Map<string, { spec: ContainerSpec; report: any }>();
  for (const spec of sim.containers) for (const report of spec.reports) reportById.set(String(report._id), { spec, report });
  const containerByContact = new Map<string, ContainerSpec>();
  for (const spec of sim.containers) if (spec.contact) containerByContact.set(String(spec.contact._id), spec);

  // The candidates: every report (report tasks) or contact (contact tasks) the definition could apply to, and
  // every source that emitted the task.
  const appliesTo = definition?.appliesTo;
  if (definition) {
    for (const spec of sim.containers) {
      if (appliesTo === 'contacts') {
        if (onlySource === undefined || onlySource === String(spec.contact?._id)) candidate(spec, undefined);
      } else {
        for (const report of spec.reports) {
          if (onlySource === undefined || onlySource === String(report._id)) candidate(spec, report);
        }
      }
    }
  }
  const candidateOf = (t: TaskResult): Candidate | undefined => {
    const source = sourceOf(t.emission._id, taskName) ?? t.emission._id;
    const hit = reportById.get(source);
    const spec = hit?.spec ?? containerByContact.get(source) ?? sim.containers.find((s) => String(s.key) === String(t.requester));
    if (!spec) return undefined;
    return appliesTo === 'contacts' || !hit ? candidate(spec, undefined) : candidate(spec, hit.report);
  };
  for (const day of timeline.days) for (const t of day.tasks) if (belongs(t)) candidateOf(t);

  const resolvedByCache = new Map<string, string | undefined>();
  const addRun = (c: Candidate, label: string, dayIndex: number, shows: boolean, reason: string) => {
    let line = c.byLabel.get(label);
    if (!line) {
      line = { label, runs: [] };
      c.byLabel.set(label, line);
      c.lines.push(line);
    }
    const last = line.runs[line.runs.length - 1];
    const date = days[dayIndex]!.date;
    if (last && last.shows === shows && last.reason === reason && last.to === days[dayIndex - 1]?.date) last.to = date;
    else line.runs.push({ from: date, to: date, shows, reason });
  };

  timeline.days.forEach((day, dayIndex) => {
    clock.set(day.timestamp);
    const user = userForDay(sim);
    // The containers of the day (with --as-reported they grow as reports appear).
    const today = sim.containersAt(day.timestamp);
    const specOfReport = new Map<string, ContainerSpec>();
    const specOfContact = new Map<string, ContainerSpec>();
    for (const spec of today) {
      for (const report of spec.reports) specOfReport.set(String(report._id), spec);
      if (spec.contact) specOfContact.set(String(spec.contact._id), spec);
      specOfContact.set(`key:${spec.key}`, spec);
    }
    const specToday = (c: Candidate): ContainerSpec | undefined =>
      c.reportDoc ? specOfReport.get(String(c.reportDoc._id)) : specOfContact.get(c.contact.id ?? 'key:undefined');
    const emittedBy = new Map<string, TaskResult[]>();
    for (const t of day.tasks) {
      if (!belongs(t)) continue;
      const c = candidateOf(t)!;
      const list = emittedBy.get(c.key) ?? [];
      list.push(t);
      emittedBy.set(c.key, list);
    }
    const silent = new Map<ContainerSpec, Candidate[]>();
    for (const c of candidates.values()) {
      const emitted = emittedBy.get(c.key);
      if (!emitted) {
        const spec = specToday(c);
        if (!spec) addRun(c, 'task', dayIndex, false, 'not in the database yet: reported later (--as-reported)');
        else silent.set(spec, [...(silent.get(spec) ?? []), c]);
        continue;
      }
      for (const t of emitted) {
        const reason = t.state === 'Ready'
          ? readyReason(t)
          : t.state === 'Completed'
            ? `Completed: ${resolvedByText(sim, specToday(c) ?? c.spec, c, t, user, resolvedByCache) ?? t.reason?.replace(/^Completed: /, '') ?? 'resolved'}`
            : (t.reason ?? t.state);
        addRun(c, t.emission._id, dayIndex, t.state === 'Ready', reason);
      }
    }
    for (const [spec, list] of silent) {
      const reasons = definition && loader ? whyNotEmitted(sim, loader, definition, spec, list, user) : new Map<Candidate, string>();
      for (const c of list) {
        const reason = reasons.get(c) ?? (definition ? 'appliesIf passed, but no event was emitted' : 'not emitted');
        addRun(c, 'task', dayIndex, false, reason);
      }
    }
  });
  if (sim.fixtures.ownedBySubject) notes.push(`Only tasks owned by the subject (${String(sim.fixtures.subjectId)}) are listed (ownedBySubject).`);
  return {
    query,
    matchedBy,
    taskName,
    ...(definition ? { definition: summarize(definition) } : {}),
    candidates: [...candidates.values()].map(({ contact, report, lines }) => ({ contact, ...(report ? { report } : {}), lines })),
    notes,
  };
}

function summarize(def: any): NonNullable<TaskExplanation['definition']> {
  return {
    appliesTo: def.appliesTo,
    ...(def.appliesToType !== undefined ? { appliesToType: def.appliesToType } : {}),
    ...(def.title !== undefined ? { title: def.title } : {}),
    events: (Array.isArray(def.events) ? def.events : []).map((e: any) => ({
      ...(e?.id !== undefined ? { id: e.id } : {}),
      when: describeEvent(e),
      start: e?.start,
      end: e?.end,
    })),
    resolvedBy: typeof def.resolvedIf === 'function' ? 'resolvedIf' : 'default',
  };
}

function readyReason(t: TaskResult): string {
  const e = t.emission;
  const owner = t.owner === '_unassigned' ? ' (unassigned: listed on the Tasks tab only)' : '';
  return `shows: Ready, due ${String(e.dueDate)}, window ${String(e.startDate)} – ${String(e.endDate)}${owner}`;
}

/**
 * The first reason the definition emits nothing today, per candidate of one container (undefined: it applies).
 * The definitions are loaded fresh and prepared once for the container, as the rules bundle does.
 */
function whyNotEmitted(
  sim: Simulation, loader: DefinitionsLoader, def0: any, spec: ContainerSpec, list: Candidate[], user: unknown,
): Map<Candidate, string> {
  const reasons = new Map<Candidate, string>();
  const c0 = freshContainer(spec);
  let def: any;
  try {
    const defs = loader.load(sim.utils, user, sim.cht).tasks;
    def = Object.assign({}, defs.find((d) => d && d.name === def0.name) ?? def0);
    prepareDefinition(def);
  } catch (err) {
    for (const c of list) reasons.set(c, `the task definitions cannot be loaded: ${(err as Error).message}`);
    return reasons;
  }
  const wanted = new Map(list.map((c) => [c.reportDoc ? String(c.reportDoc._id) : '', c]));
  const check = (report: any): string | undefined => {
    if (def.appliesTo === 'contacts' && !c0.contact) return 'no contact: these reports name no known subject';
    if (def.appliesToType) {
      const type = def.appliesTo === 'contacts' ? contactType(c0.contact) : report?.form;
      if (def.appliesToType.indexOf(type) === -1) {
        const what = def.appliesTo === 'contacts' ? 'the contact type' : 'the form';
        return `appliesToType ${JSON.stringify(def.appliesToType)} does not include ${what} ${JSON.stringify(type)}`;
      }
    }
    try {
      if (def.appliesTo === 'scheduled_tasks') {
        if (!def.appliesIf) return 'a scheduled_tasks task without appliesIf never emits';
        if (!report?.scheduled_tasks) return 'the report has no scheduled_tasks';
        const results = report.scheduled_tasks.map((_: unknown, i: number) => def.appliesIf(c0, report, i));
        if (!results.some(Boolean)) return `appliesIf(contact, report, index) returned false for every scheduled task (${results.length})`;
        return undefined;
      }
      if (def.appliesIf) {
        const value = def.appliesIf(c0, report);
        if (!value) return `appliesIf returned ${JSON.stringify(value) ?? String(value)}`;
      }
    } catch (err) {
      return `appliesIf threw ${(err as Error).name}: ${(err as Error).message}`;
    }
    return undefined;
  };
  if (def.appliesTo === 'contacts') {
    const c = wanted.get('');
    const reason = c && check(undefined);
    if (c && reason) reasons.set(c, reason);
    return reasons;
  }
  for (const report of c0.reports) {
    const c = wanted.get(String(report._id));
    const reason = c && check(report);
    if (c && reason) reasons.set(c, reason);
  }
  return reasons;
}

/**
 * Which report resolved a Completed task: the container is run again without each other report in turn; the
 * first whose absence leaves the emission unresolved is the one.
 */
function resolvedByText(
  sim: Simulation, spec: ContainerSpec, c: Candidate, t: TaskResult, user: unknown, cache: Map<string, string | undefined>,
): string | undefined {
  const id = t.emission._id;
  if (cache.has(id)) return cache.get(id);
  let text: string | undefined;
  for (const report of spec.reports) {
    if (c.reportDoc && report._id === c.reportDoc._id) continue;
    const fresh = freshContainer(spec);
    fresh.reports = fresh.reports.filter((r: any) => r._id !== report._id);
    const tasks: any[] = [];
    try {
      sim.rules(fresh, Emission, Emission, sim.utils, user, sim.cht, (type: string, x: any) => {
        if (type === 'task') tasks.push(x);
      });
    } catch {
      continue;
    }
    const again = tasks.find((x) => String(x._id) === id);
    if (!again || !again.resolved) {
      const date = typeof report.reported_date === 'number' ? `, ${formatDay(report.reported_date)}` : '';
      text = `resolved by report ${String(report._id)} (${String(report.form)}${date})`;
      break;
    }
  }
  cache.set(id, text);
  return text;
}

class Emission {
  constructor(x: object) {
    Object.assign(this, x);
  }
}

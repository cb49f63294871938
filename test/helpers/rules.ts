/* eslint-disable @typescript-eslint/no-explicit-any -- rules code and its emissions are untyped by nature */
import { createRequire } from 'node:module';
import FakeTimers from '@sinonjs/fake-timers';
import { Target, Task } from '../../src/simulate/engine/simulation.js';

const nootils = createRequire(import.meta.url)('cht-nootils') as (settings: unknown) => any;


export interface Container {
  contact: any;
  reports: any[];
  tasks: any[];
}

/** Runs a compiled `tasks.rules` string the way cht-core's JS emitter does, once per container, at a fixed clock. */
export function runRules(
  rules: string,
  containers: Container[],
  options: { schedules?: unknown; user?: unknown; cht?: unknown; now: number },
): { tasks: any[]; targets: any[] } {
  const clock = FakeTimers.withGlobal(globalThis).install({ now: options.now, toFake: ['Date'] });
  try {
    const fn = new Function('c', 'Task', 'Target', 'Utils', 'user', 'cht', 'emit', rules);
    const Utils = nootils({ tasks: { schedules: options.schedules } });
    const tasks: any[] = [];
    const targets: any[] = [];
    for (const c of structuredClone(containers)) {
      fn(c, Task, Target, Utils, options.user ?? null, options.cht ?? {}, (type: string, x: any) => {
        if (type === 'task') tasks.push(x);
        else if (type === 'target') targets.push(x);
      });
    }
    return { tasks, targets };
  } finally {
    clock.uninstall();
  }
}

/** Runs a compiled `contact_summary` string the way cht-core's ContactSummaryService does. */
export function runContactSummary(
  script: string,
  input: { contact: any; reports: any[]; lineage: any[]; now: number },
): any {
  const clock = FakeTimers.withGlobal(globalThis).install({ now: input.now, toFake: ['Date'] });
  try {
    const fn = new Function('contact', 'reports', 'lineage', 'uhcStats', 'cht', 'targetDoc', script);
    const { contact, reports, lineage } = structuredClone({ contact: input.contact, reports: input.reports, lineage: input.lineage });
    return fn(contact, reports, lineage, {}, { v1: { hasPermissions: () => false, hasAnyPermission: () => false } }, undefined);
  } finally {
    clock.uninstall();
  }
}

function subjectOf(report: any): string | undefined {
  const f = report.fields ?? {};
  return report.patient_id ?? f.patient_id ?? report.patient_uuid ?? f.patient_uuid ?? report.place_id ?? f.place_id ?? report.place_uuid ?? f.place_uuid;
}

/** Groups docs into `{contact, reports, tasks}` containers: contacts in doc order, then headless subjects. */
export function containersOf(docs: any[]): Container[] {
  const contactTypes = new Set(['district_hospital', 'health_center', 'clinic', 'person', 'contact']);
  const byId = new Map<string, Container>();
  const out: Container[] = [];
  for (const doc of docs.filter((d) => contactTypes.has(d.type))) {
    const c: Container = { contact: doc, reports: [], tasks: [] };
    out.push(c);
    for (const id of [doc._id, doc.patient_id, doc.place_id]) if (id && !byId.has(id)) byId.set(id, c);
  }
  for (const report of docs.filter((d) => d.type === 'data_record')) {
    const subject = subjectOf(report);
    let c = subject === undefined ? undefined : byId.get(subject);
    if (!c) {
      c = { contact: subject === undefined ? undefined : { _id: subject }, reports: [], tasks: [] };
      out.push(c);
      if (subject !== undefined) byId.set(subject, c);
    }
    c.reports.push(report);
  }
  for (const c of out) c.reports.sort((a, b) => a.reported_date - b.reported_date);
  return out;
}

/** The lineage array cht-core passes to the contact summary: the contact's parents, nearest first. */
export function lineageOf(contact: any, docs: any[]): any[] {
  const lineage: any[] = [];
  let parent = contact.parent;
  while (parent && parent._id) {
    const doc = docs.find((d) => d._id === parent._id);
    lineage.push(doc ?? null);
    parent = parent.parent;
  }
  return lineage;
}

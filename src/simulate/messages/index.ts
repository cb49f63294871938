import moment from 'moment';
import { fixtureDb, hydrateReport, isReport } from './docs.js';
import { loadTransitions } from './settings.js';
import { RunState, type Registration } from './state.js';
import { inZone } from './time.js';
import { runPatientReport, runRegistration, runUpdateClinics } from './transitions.js';
import type { Json, MessagesInput, MessagesRun, MessageState, PlannedMessage, ProcessedReport } from './types.js';

export type * from './types.js';

/**
 * The messages sentinel would schedule and send for fixture reports: each report processed at its own
 * reported_date, oldest first (ties in fixture order), by the registration and accept_patient_reports
 * transitions as cht-core 4.11 runs them; schedule messages due by the time a later report arrives count as sent
 * (a later report cannot clear them).
 * Pure: settings, docs, span and zone in, a typed result out (the zone is set for moment while it runs).
 */
export function dryRunMessages(input: MessagesInput): MessagesRun {
  return inZone(input.tz, () => run(input));
}

function reportTime(doc: Json): number {
  const value: unknown = doc.reported_date;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return moment(value).valueOf();
  return NaN;
}

function run(input: MessagesInput): MessagesRun {
  const { settings, tz, from, to } = input;
  const loaded = loadTransitions(settings);
  const state = new RunState(settings, input.translations, fixtureDb(input.docs), tz);
  const notes: string[] = [];
  if (loaded.disabledBecause) notes.push(`No transition runs: ${loaded.disabledBecause}.`);
  else if (!loaded.registration && !loaded.accept_patient_reports) {
    notes.push('Neither registration nor accept_patient_reports is enabled in transitions: no message is scheduled or sent.');
  }
  if (settings.schedules !== undefined && !Array.isArray(settings.schedules)) notes.push('schedules is not an array: no schedule can be assigned.');
  notes.push('Fixture reports are taken as valid submissions unless they carry `errors` (validations.list is not run): a report with errors gets its error reply and nothing else.');

  const reports = input.docs
    .map((doc, index) => ({ doc, index, at: reportTime(doc) }))
    .filter(({ doc }) => isReport(doc));
  const undated = reports.filter((r) => Number.isNaN(r.at));
  if (undated.length) notes.push(`${undated.length} report(s) without a usable reported_date are left out: ${undated.slice(0, 5).map((r) => String(r.doc._id)).join(', ')}${undated.length > 5 ? ', …' : ''}.`);
  const carried = reports.filter((r) => Array.isArray(r.doc.scheduled_tasks) || Array.isArray(r.doc.tasks)).length;
  if (carried) notes.push(`${carried} fixture report(s) carry scheduled_tasks or tasks from an earlier run: ignored, the messages are worked out afresh from the settings.`);
  const ordered = reports.filter((r) => !Number.isNaN(r.at)).sort((a, b) => a.at - b.at || a.index - b.index);

  const processed: ProcessedReport[] = [];
  for (const { doc: raw, at } of ordered) {
    const doc = hydrateReport(raw, state.db, loaded.update_clinics);
    doc.reported_date = at;
    const registration: Registration = { doc, tasks: [] };
    const steps: ProcessedReport['steps'] = [];
    if (loaded.update_clinics && !raw.contact) runUpdateClinics(state, doc, steps);
    // cht-core's order: registration runs before accept_patient_reports on the same report.
    if (loaded.registration) runRegistration(state, doc, registration, steps);
    if (loaded.accept_patient_reports) runPatientReport(state, doc, steps);
    state.addProcessed(registration);
    if (steps.length) processed.push({ id: String(doc._id), form: String(doc.form), reportedDate: new Date(at).toISOString(), steps });
  }
  notes.push(...state.notes);
  return finish(state.messages, processed, notes, { tz, from, to, transitions: { update_clinics: loaded.update_clinics, registration: loaded.registration, accept_patient_reports: loaded.accept_patient_reports } });
}

function finish(all: PlannedMessage[], reports: ProcessedReport[], notes: string[], head: Pick<MessagesRun, 'tz' | 'from' | 'to' | 'transitions'>): MessagesRun {
  const summary: MessagesRun['summary'] = { before: {}, within: {}, after: {} };
  const bump = (bucket: Partial<Record<MessageState, number>>, s: MessageState): void => {
    bucket[s] = (bucket[s] ?? 0) + 1;
  };
  const within: PlannedMessage[] = [];
  for (const m of all) {
    // Before the span, a schedule message that was not cleared has gone to the gateway; from the span on, one is
    // listed as due at its time, even when a later report arrived after it (it was sent when due).
    if (m.day < head.from && m.state === 'scheduled') m.state = 'sent';
    if (m.error && (m.state === 'sent' || m.state === 'scheduled' || m.state === 'pending')) m.state = 'error';
    if (m.day < head.from) bump(summary.before, m.state);
    else if (m.day > head.to) bump(summary.after, m.state);
    else {
      bump(summary.within, m.state);
      within.push(m);
    }
  }
  within.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  return { ...head, reports, messages: within, summary, notes };
}

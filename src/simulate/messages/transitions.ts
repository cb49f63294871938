import vm from 'node:vm';
import moment from 'moment';
import { contactSubjectIds } from './docs.js';
import { outgoingAllowed } from './recipients.js';
import { assignSchedule, silence } from './schedule.js';
import { isValidSubmission, parseParams, patientReportFor, registrationFor, scheduleNamed } from './settings.js';
import type { Registration, RunState } from './state.js';
import type { Json, PlannedMessage } from './types.js';

/**
 * The transitions that schedule and send messages for reports, as cht-core 4.11 runs them
 * (shared-libs/transitions/src/transitions/update_clinics.js, registration.js, accept_patient_reports.js), at
 * the report's reported_date. Each adds what it did, in words, to the report's steps (nothing when it does not
 * run on the report) and its messages to the run.
 */

type Steps = { transition: string; outcome: string }[];

/** A bool_expr: JavaScript over `doc`; a throw counts as false. */
function expressionHolds(expr: unknown, doc: Json): boolean {
  if (typeof expr !== 'string' || expr.trim() === '') return true;
  try {
    return Boolean(vm.runInNewContext(expr, { doc }, { timeout: 1000 }));
  } catch {
    return false;
  }
}

function errorReply(state: RunState, doc: Json, conf: Json, transition: 'registration' | 'accept_patient_reports'): string {
  const errors = (doc.errors as unknown[]).map((e) => (e && typeof e === 'object' ? (e as Json).message : e)).filter((m) => typeof m === 'string' && m) as string[];
  const text = conf.validations?.join_responses ? errors.join('  ') : (errors[0] ?? '');
  state.reply(doc, transition, { message: text }, 'reporting_unit', { patient: doc.patient, place: doc.place }, outgoingAllowed(state.settings, doc.from));
  return `rejected: the report carries errors (taken as failed validations), the error reply is sent and nothing else runs`;
}

/**
 * update_clinics (first in cht-core's order) on a report without a contact: the sender is the contact with the
 * `from` phone (hydrateReport found it); none, on an SMS to a private form: the facility_not_found rejection.
 */
export function runUpdateClinics(state: RunState, doc: Json, steps: Steps): void {
  if (doc.contact || doc.content_type === 'xml') return;
  const forms = state.settings.forms && typeof state.settings.forms === 'object' ? state.settings.forms as Json : {};
  const form = typeof doc.form === 'string' ? forms[doc.form] : undefined;
  if (!form || form.public_form) return;
  const conf = Array.isArray(state.settings.update_clinics) ? (state.settings.update_clinics as Json[]).find((c) => c && c.form === doc.form) ?? {} : {};
  rejection(state, doc, conf, 'sys.facility_not_found', 'update_clinics');
  steps.push({ transition: 'update_clinics', outcome: `no contact has the phone ${String(doc.from ?? '(none)')}: facility_not_found reply; the SMS is from an unknown sender` });
}

function rejection(state: RunState, doc: Json, conf: Json, key: string, transition: PlannedMessage['transition']): void {
  const configured = Array.isArray(conf.messages) ? (conf.messages as Json[]).find((m) => m && m.event_type === key) : undefined;
  const content = configured ?? { translation_key: `messages.generic.${key}` };
  state.reply(doc, transition, content, configured?.recipient || 'from', {}, outgoingAllowed(state.settings, doc.from));
}

function addExpectedDate(doc: Json): string {
  // registration.js getLMPDate / getWeeksSinceLMP, with their loose checks (isNaN of the raw value, a 0 stops).
  let start: moment.Moment | undefined;
  let lmpDate: unknown;
  for (const prop of ['lmp_date', 'date_lmp']) {
    const raw = doc.fields[prop];
    const value = raw && parseInt(raw, 10);
    if (!Number.isNaN(Number(value))) {
      lmpDate = value;
      break;
    }
  }
  if (lmpDate) {
    start = moment(lmpDate as number);
  } else {
    for (const prop of ['weeks_since_lmp', 'last_menstrual_period', 'lmp']) {
      const weeks = Number(doc.fields[prop]);
      if (!Number.isNaN(weeks)) {
        if (weeks) start = moment(Number(doc.reported_date)).startOf('day').subtract(weeks, 'weeks');
        break;
      }
    }
  }
  if (!start) {
    doc.lmp_date = null;
    doc.expected_date = null;
    return 'add_expected_date: no LMP field, lmp_date and expected_date set to null';
  }
  doc.lmp_date = start.toISOString();
  doc.expected_date = start.clone().add(40, 'weeks').toISOString();
  return `add_expected_date: lmp_date ${doc.lmp_date}, expected_date ${doc.expected_date}`;
}

function addBirthDate(doc: Json): string {
  const groups: [string[], moment.unitOfTime.DurationConstructor][] = [
    [['years_since_dob', 'years_since_birth', 'age_in_years'], 'years'],
    [['months_since_dob', 'months_since_birth', 'age_in_months'], 'months'],
    [['weeks_since_dob', 'dob', 'weeks_since_birth', 'age_in_weeks'], 'weeks'],
    [['days_since_dob', 'days_since_birth', 'age_in_days'], 'days'],
  ];
  const date = moment(Number(doc.reported_date)).startOf('day');
  for (const [fields, unit] of groups) {
    const field = fields.find((f) => doc.fields[f] !== undefined && doc.fields[f] !== null);
    const n = field === undefined ? NaN : parseInt(doc.fields[field], 10);
    if (!Number.isNaN(n)) {
      date.subtract(n, unit);
      break;
    }
  }
  doc.birth_date = date.toISOString();
  return `add_birth_date: birth_date ${doc.birth_date}`;
}

function addPatient(state: RunState, doc: Json, params: Json): string {
  if (doc.patient_id) return 'add_patient: the report already has a patient_id, nothing to create';
  let id: string;
  if (params.patient_id_field) {
    const provided = doc.fields[params.patient_id_field];
    if (!provided) return `add_patient: field ${String(params.patient_id_field)} is empty (no_provided_patient_id), no patient created`;
    id = String(provided);
  } else {
    // cht-core generates a random 5+ digit shortcode; the dry-run's is predictable so later fixture reports can name it.
    id = `new-${String(doc._id)}`;
    state.notes.add('add_patient without patient_id_field: cht-core generates a random patient_id; the dry-run names the new patient "new-<report _id>".');
  }
  doc.patient_id = id;
  if (state.db.bySubjectKey(id)) return `add_patient: ${id} exists, the report attaches to it`;
  const parent = doc.contact?.parent;
  if (!parent) return 'add_patient: the sender has no parent place (parent_not_found), no patient created';
  const nameField = Array.isArray(params) && params[0] ? params[0] : params.patient_name_field || 'patient_name';
  const patient: Json = {
    _id: id, name: doc.fields[nameField], patient_id: id, reported_date: doc.reported_date, source_id: doc._id,
    ...(params.contact_type ? { type: 'contact', contact_type: params.contact_type } : { type: 'person' }),
    ...(doc.birth_date ? { date_of_birth: doc.birth_date } : {}),
    parent: { _id: parent._id },
  };
  state.db.add(patient);
  doc.patient = state.db.contact(id);
  return `add_patient: patient ${id}${typeof patient.name === 'string' ? ` (${patient.name})` : ' (no name: the name field is empty)'} created`;
}

function subjectRegistrations(state: RunState, contact: Json | undefined): Registration[] {
  return state.registrationsOf(contactSubjectIds(contact));
}

/**
 * What both transitions check first: a report sentinel would not accept from its sender is skipped, and one that
 * carries validation errors gets its error reply and nothing else. False when the transition stops there.
 */
function admitted(state: RunState, doc: Json, conf: Json, name: 'registration' | 'accept_patient_reports', steps: Steps): boolean {
  if (!isValidSubmission(state.settings, doc)) {
    steps.push({ transition: name, outcome: 'skipped: not an app form report, and the SMS form is neither public nor from a known sender' });
    return false;
  }
  if (Array.isArray(doc.errors) && doc.errors.length) {
    steps.push({ transition: name, outcome: errorReply(state, doc, conf, name) });
    return false;
  }
  return true;
}

export function runRegistration(state: RunState, doc: Json, registration: Registration, steps: Steps): void {
  const conf = registrationFor(state.settings, String(doc.form));
  if (!conf) return;
  const name = 'registration';
  if (!admitted(state, doc, conf, name, steps)) return;
  const patientId = doc.fields.patient_id;
  const placeId = doc.fields.place_id;
  if ((patientId && !(doc.patient && isPerson(state.settings, doc.patient))) || (placeId && !(doc.place && isPlace(state.settings, doc.place)))) {
    rejection(state, doc, conf, 'registration_not_found', name);
    steps.push({ transition: name, outcome: `registration_not_found: no ${patientId ? `patient ${String(patientId)}` : `place ${String(placeId)}`} in the fixtures, rejection reply, no trigger runs` });
    return;
  }
  const now = Number(doc.reported_date);
  const events: unknown[] = Array.isArray(conf.events) ? conf.events : [];
  for (const raw of events) {
    const event = raw && typeof raw === 'object' ? raw as Json : {};
    if (event.name !== 'on_create') continue;
    const merged = { ...doc.fields, ...doc };
    if (!expressionHolds(event.bool_expr, merged)) {
      steps.push({ transition: name, outcome: `${String(event.trigger)}: bool_expr is false (or throws), skipped` });
      continue;
    }
    let params: Json;
    try {
      params = parseParams(event.params) as Json;
    } catch {
      continue; // cannot happen: loadTransitions refused the settings
    }
    const list: string[] = Array.isArray(params) ? params.map(String) : [];
    switch (event.trigger) {
      case 'add_patient':
      case 'add_patient_id':
        steps.push({ transition: name, outcome: addPatient(state, doc, params) });
        break;
      case 'add_expected_date':
        steps.push({ transition: name, outcome: addExpectedDate(doc) });
        break;
      case 'add_birth_date':
        steps.push({ transition: name, outcome: addBirthDate(doc) });
        break;
      case 'assign_schedule': {
        const extras = {
          patient: doc.patient, place: doc.place,
          registrations: patientId ? state.registrationsOf([String(patientId)]).map((r) => r.doc) : [],
          placeRegistrations: placeId ? state.registrationsOf([String(placeId)]).map((r) => r.doc) : [],
        };
        for (const scheduleName of list) {
          const schedule = scheduleNamed(state.settings, scheduleName);
          if (!schedule) {
            steps.push({ transition: name, outcome: `assign_schedule: no schedule is named "${scheduleName}" (names match exactly, spaces included): nothing scheduled, silently` });
            state.notes.add(`Registration ${String(conf.form)}: assign_schedule names "${scheduleName}", which no schedule is called: cht-core schedules nothing for it, silently.`);
            continue;
          }
          steps.push({ transition: name, outcome: `assign_schedule ${assignSchedule(state, registration, schedule, now, extras)}` });
        }
        break;
      }
      case 'clear_schedule': {
        const ids = [...contactSubjectIds(doc.patient), ...contactSubjectIds(doc.place)];
        const caseId = doc.case_id || doc.fields.case_id;
        if (caseId) ids.push(String(caseId));
        const n = silence(state.registrationsOf(ids), doc, list.join(','), null, 'clear_schedule');
        steps.push({ transition: name, outcome: `clear_schedule ${list.map((s) => `"${s.trim()}"`).join(', ')}: ${n} message${n === 1 ? '' : 's'} cleared` });
        break;
      }
      case 'add_place':
      case 'add_case':
        steps.push({ transition: name, outcome: `${String(event.trigger)}: not simulated (creates a place / case id; no message of its own)` });
        state.notes.add('add_place and add_case are not simulated: schedules and messages that depend on the place or case they create are not shown.');
        break;
      default:
        break; // unknown triggers are skipped silently by cht-core
    }
  }
  // Registration replies: no event_type or report_accepted, bool_expr over {doc}.
  const replies = Array.isArray(conf.messages) ? (conf.messages as Json[]) : [];
  const relevant = replies.filter((m) => m && (!m.event_type || m.event_type === 'report_accepted') && expressionHolds(m.bool_expr, doc));
  if (relevant.length) {
    const extras = {
      patient: doc.patient, place: doc.place,
      registrations: patientId ? state.registrationsOf([String(patientId)]).map((r) => r.doc) : [],
      placeRegistrations: placeId ? state.registrationsOf([String(placeId)]).map((r) => r.doc) : [],
      templateContext: { next_msg: state.nextTimes(registration.tasks, now) },
    };
    const allowed = outgoingAllowed(state.settings, doc.from);
    for (const m of relevant) state.reply(doc, name, m, m.recipient, extras, allowed);
    steps.push({ transition: name, outcome: `${relevant.length} reply message${relevant.length === 1 ? '' : 's'}` });
  }
}

/** contact-types-utils: the hard-coded type person, or a configured contact type with person: true. */
function isPerson(settings: Json, contact: Json): boolean {
  if (contact.type === 'person') return true;
  if (contact.type !== 'contact' || !Array.isArray(settings.contact_types)) return false;
  const type = (settings.contact_types as Json[]).find((t) => t && t.id === contact.contact_type);
  return Boolean(type && type.person);
}

const PLACE_TYPES = new Set(['clinic', 'health_center', 'district_hospital']);

function isPlace(settings: Json, contact: Json): boolean {
  if (PLACE_TYPES.has(contact.type)) return true;
  if (contact.type !== 'contact' || !Array.isArray(settings.contact_types)) return false;
  const type = (settings.contact_types as Json[]).find((t) => t && t.id === contact.contact_type);
  return Boolean(type && !type.person);
}

export function runPatientReport(state: RunState, doc: Json, steps: Steps): void {
  const conf = patientReportFor(state.settings, String(doc.form));
  if (!conf || !doc.reported_date) return;
  const name = 'accept_patient_reports';
  if (!admitted(state, doc, conf, name, steps)) return;
  if (!doc.patient && !doc.place) {
    rejection(state, doc, conf, 'registration_not_found', name);
    steps.push({ transition: name, outcome: 'registration_not_found: the report names no patient or place in the fixtures, rejection reply' });
    return;
  }
  const patientRegs = subjectRegistrations(state, doc.patient);
  const placeRegs = subjectRegistrations(state, doc.place);
  if (!Array.isArray(conf.messages)) {
    steps.push({ transition: name, outcome: 'error: the config has no messages array (cht-core throws on every matching report; nothing silenced)' });
    return;
  }
  const allowed = outgoingAllowed(state.settings, doc.from);
  const relevant = (conf.messages as Json[]).filter((m) => m && m.event_type === 'report_accepted' && expressionHolds(m.bool_expr, doc));
  for (const m of relevant) {
    state.reply(doc, name, m, m.recipient, { patient: doc.patient, place: doc.place, registrations: patientRegs.map((r) => r.doc), placeRegistrations: placeRegs.map((r) => r.doc) }, allowed);
  }
  const parts = [`${relevant.length} reply message${relevant.length === 1 ? '' : 's'}`];
  if (conf.silence_type && typeof conf.silence_type !== 'string') {
    parts.push('silence_type is not a comma-separated string: cht-core throws on this report, nothing is silenced');
    state.notes.add(`patient_reports ${String(conf.form)}: silence_type is not a comma-separated string: cht-core throws on each such report and silences nothing.`);
  } else if (typeof conf.silence_type === 'string' && conf.silence_type) {
    const n = silence([...patientRegs, ...placeRegs], doc, conf.silence_type, conf.silence_for, 'silence_type');
    parts.push(`silence_type ${JSON.stringify(conf.silence_type)}${conf.silence_for ? ` for ${JSON.stringify(conf.silence_for)}` : ''}: ${n} message${n === 1 ? '' : 's'} cleared`);
  }
  steps.push({ transition: name, outcome: parts.join('; ') });
}

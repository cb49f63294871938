import { didYouMean } from '../did-you-mean.js';
import type { Segment } from '../schema-errors.js';
import { isObject, quote, type SectionCheck, type WorkflowContext, type WorkflowProblem } from './context.js';
import { formIndex } from './report-forms.js';
import { checkReportMessages } from './messages.js';
import { checkValidations } from './validations.js';

/**
 * `patient_reports` and `accept_case_reports` (cht-core 4.11.0 shared-libs/transitions/src/transitions/
 * accept_patient_reports.js, accept_case_reports.js): exact-case forms, the subject field of SMS forms,
 * `messages` required, only `report_accepted` / `registration_not_found` messages sent, `silence_type` naming
 * schedules, `silence_for` a duration cht-core parses.
 */

const EVENT_TYPES = ['report_accepted', 'registration_not_found'];
const SUBJECT_FIELDS = ['patient_id', 'patient_uuid', 'place_id'];
const UNITS = /^(second|minute|hour|day|week|month|year)s?$/;

/** How date.getDuration reads a silence_for ("<n> <unit>" split on one space): 'exact', 'loose' or 'none'. */
export function readDuration(value: string): 'exact' | 'loose' | 'none' {
  const [n, unit] = value.split(' ');
  if (!/\d+/.test(n ?? '') || !/(second|minute|hour|day|week|month|year)s?/.test(String(unit))) return 'none';
  return /^-?\d+$/.test(n!) && UNITS.test(unit!) && value.split(' ').length === 2 ? 'exact' : 'loose';
}

function checkSection(ctx: WorkflowContext, key: 'patient_reports' | 'accept_case_reports'): WorkflowProblem[] {
  const value = ctx.settings[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    return [{
      code: 'sms/patient-report-shape',
      severity: 'error',
      path: [key],
      target: 'value',
      message: `${key} must be an array; cht-core finds no configuration in anything else and never runs.`,
      hint: `Write "${key}": [ { "form": …, "messages": [ … ] } ].`,
    }];
  }
  const forms = formIndex(ctx);
  const schedules = new Set<string>();
  if (Array.isArray(ctx.settings.schedules)) for (const s of ctx.settings.schedules) if (isObject(s) && typeof s.name === 'string') schedules.add(s.name);
  const problems: WorkflowProblem[] = [];
  value.forEach((conf: unknown, i: number) => {
    const at: Segment[] = [key, i];
    if (!isObject(conf)) {
      problems.push({
        code: 'sms/patient-report-shape',
        severity: 'error',
        path: at,
        target: 'value',
        message: `${key}[${i}] must be an object { form, validations, messages, silence_type, silence_for }.`,
        hint: 'See the CHT docs on patient reports.',
      });
      return;
    }
    const code = conf.form;
    const form = typeof code === 'string' ? forms.exact(code) : undefined;
    if (typeof code !== 'string' || code === '') {
      problems.push({
        code: 'sms/unknown-form',
        severity: 'error',
        path: [...at, 'form'],
        target: code === undefined ? 'missing' : 'value',
        message: `${key}[${i}] has no form code (${quote(code)}); it never matches a report.`,
        hint: 'Set form to an SMS form code or an app form id, in the exact case (or remove the entry, if it is the template\'s empty placeholder).',
      });
      // Nothing else of an entry that never matches runs (the empty placeholder of older config templates): its
      // validations and messages are checked once it names a form.
      return;
    } else if (!form && (forms.known || forms.anyCase(code) || didYouMean(code, forms.smsCodes()))) {
      const other = forms.anyCase(code);
      const suggestion = other ? other.code : didYouMean(code, forms.known ? forms.codes() : forms.smsCodes());
      problems.push({
        code: 'sms/unknown-form',
        severity: 'error',
        path: [...at, 'form'],
        target: 'value',
        message: other ? `Form '${code}' differs in case from the form '${other.code}'; ${key} match forms exactly, so this configuration never runs.` : `Form '${code}' is neither an SMS form (forms) nor an app form of this project; this configuration never runs.`,
        hint: `Forms: ${forms.codes().join(', ')}.`,
        ...(suggestion ? { suggestion: `'${suggestion}'` } : {}),
      });
    }
    if (key === 'accept_case_reports' && form?.kind === 'sms' && !form.fields.has('case_id')) {
      problems.push({
        code: 'sms/patient-report-no-subject',
        severity: 'error',
        path: [...at, 'form'],
        target: 'value',
        message: `SMS form '${form.code}' has no case_id field, so no report names its case: every one is rejected with registration_not_found.`,
        hint: `Add a case_id field to forms.${form.code}.fields.`,
      });
    }
    if (key === 'patient_reports' && form?.kind === 'sms' && !SUBJECT_FIELDS.some((f) => form.fields.has(f))) {
      problems.push({
        code: 'sms/patient-report-no-subject',
        severity: 'error',
        path: [...at, 'form'],
        target: 'value',
        message: `SMS form '${form.code}' has no patient_id, patient_uuid or place_id field, so no report names its subject: every one is rejected with registration_not_found.`,
        hint: `Add a patient_id field to forms.${form.code}.fields.`,
      });
    }
    if (conf.events !== undefined) {
      problems.push({
        code: 'sms/patient-report-events',
        severity: 'error',
        path: [...at, 'events'],
        target: 'key',
        message: `${key} entries take no events: cht-core's ${key === 'patient_reports' ? 'accept_patient_reports' : 'accept_case_reports'} transition ignores them, so their triggers (assign_schedule, …) never run.`,
        hint: 'Move the events to a registrations entry for the same form; the registration transition runs them.',
      });
    }
    // accept_case_reports checks for messages first; accept_patient_reports does not.
    if (key === 'patient_reports' && conf.messages === undefined) {
      problems.push({
        code: 'sms/patient-report-no-messages',
        severity: 'error',
        path: [...at, 'messages'],
        target: 'missing',
        message: `${key}[${i}] has no messages array; cht-core throws on every matching report (reading 'forEach'), so nothing is sent or silenced.`,
        hint: 'Add "messages": [] (it may be empty).',
      });
    }
    problems.push(...checkValidations(conf.validations, [...at, 'validations'], ctx, form));
    problems.push(...checkReportMessages(conf.messages, [...at, 'messages'], ctx, form, EVENT_TYPES, false));
    const type = conf.silence_type;
    if (type !== undefined && type !== null && type !== '') {
      if (typeof type !== 'string') {
        problems.push({
          code: 'sms/silence-type',
          severity: 'error',
          path: [...at, 'silence_type'],
          target: 'value',
          message: `silence_type must be a comma-separated string of schedule names; cht-core calls split(',') on ${Array.isArray(type) ? 'this array' : quote(type)} and throws, so no report of this form is processed.`,
          hint: Array.isArray(type) ? `Write "${type.join(',')}".` : 'Give the schedule names as a string.',
        });
      } else {
        for (const name of type.split(',').map((s) => s.trim())) {
          if (schedules.has(name)) continue;
          const suggestion = didYouMean(name, schedules);
          problems.push({
            code: 'sms/unknown-schedule',
            severity: 'error',
            path: [...at, 'silence_type'],
            target: 'value',
            message: `silence_type names '${name}', which is not a schedule; its reminders are never silenced by this report.`,
            hint: `Schedules: ${[...schedules].join(', ') || '(none)'}.`,
            ...(suggestion ? { suggestion: `'${suggestion}'` } : {}),
          });
        }
      }
    }
    const silenceFor = conf.silence_for;
    if (silenceFor !== undefined && silenceFor !== null && silenceFor !== '') {
      const reading = typeof silenceFor === 'string' ? readDuration(silenceFor) : 'none';
      if (reading !== 'exact') {
        problems.push({
          code: 'sms/silence-for',
          severity: reading === 'none' ? 'error' : 'warning',
          path: [...at, 'silence_for'],
          target: 'value',
          message: reading === 'none' ? `silence_for ${quote(silenceFor)} is not '<number> <unit>' (one space, lower-case unit); cht-core reads no duration and silences only the groups already due.` : `silence_for '${silenceFor}' is read loosely by cht-core (only the number and a unit it finds inside the second word count).`,
          hint: 'Write e.g. "silence_for": "8 days".',
        });
      }
      if (!type) {
        problems.push({
          code: 'sms/silence-type',
          severity: 'warning',
          path: [...at, 'silence_for'],
          target: 'key',
          message: 'silence_for is set but silence_type is not; cht-core silences nothing without silence_type.',
          hint: 'Add silence_type with the schedule names to silence.',
        });
      }
    }
  });
  return problems;
}

export const checkPatientReports: SectionCheck = (ctx) => [...checkSection(ctx, 'patient_reports'), ...checkSection(ctx, 'accept_case_reports')];

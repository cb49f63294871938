/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import { didYouMean } from '../did-you-mean.js';
import type { Segment } from '../schema-errors.js';
import { isObject, quote, type SectionCheck, type WorkflowContext, type WorkflowProblem } from './context.js';
import { atLeast, describeCoreVersion } from './core-version.js';
import { checkBoolExpr, checkReportMessages } from './messages.js';
import { formIndex, REPORT_PROPERTIES, type ReportForm } from './report-forms.js';
import { checkValidations } from './validations.js';

/**
 * `registrations` (cht-core 4.11.0 shared-libs/transitions/src/transitions/registration.js, init, onMatch):
 * the form each one is for, its events (trigger names, params as init parses them, the fields they read, the
 * schedules they assign and whether each schedule's start_from is set by then), validations and messages.
 */

const TRIGGERS = ['add_patient', 'add_patient_id', 'add_place', 'add_case', 'add_expected_date', 'add_birth_date', 'assign_schedule', 'clear_schedule'];
/** Event types a registration's messages are sent for: none/report_accepted on success, the rejection keys otherwise. */
export const REGISTRATION_EVENT_TYPES = ['report_accepted', 'registration_not_found', 'no_provided_patient_id', 'provided_patient_id_not_unique', 'parent_not_found', 'parent_field_not_provided', 'parent_invalid', 'provided_phone_not_valid'];
const LMP_FIELDS = ['lmp_date', 'date_lmp', 'weeks_since_lmp', 'last_menstrual_period', 'lmp'];
const DOB_FIELDS = ['years_since_dob', 'years_since_birth', 'age_in_years', 'months_since_dob', 'months_since_birth', 'age_in_months', 'weeks_since_dob', 'dob', 'weeks_since_birth', 'age_in_weeks', 'days_since_dob', 'days_since_birth', 'age_in_days'];

/** params as registration's parseParams reads them; `error` when init would throw. */
export function parseTriggerParams(params: unknown): { value: unknown; error?: string } {
  if (!params) return { value: {} };
  if (typeof params === 'object') return { value: params };
  if (typeof params !== 'string') return { value: undefined, error: `params ${quote(params)} is neither a string nor an object (cht-core calls trim() on it and throws)` };
  const first = params.trim()[0];
  if (first === '[' || first === '{') {
    try {
      return { value: JSON.parse(params) };
    } catch (err) {
      return { value: undefined, error: `params ${quote(params)} starts like JSON but does not parse (${(err as Error).message})` };
    }
  }
  return { value: params.split(',') };
}


/** What a report has when an event runs: set by earlier triggers of the same registration. */
interface Progress {
  expectedDate: boolean;
  birthDate: boolean;
  set: Set<string>;
}

type SmsForm = ReportForm & { kind: 'sms' };
function fieldMissing(form: ReportForm | undefined, field: string): form is SmsForm {
  return form?.kind === 'sms' && !form.fields.has(field);
}

/** Whether a start_from path is set on the report when assign_schedule runs, and if not, why. */
function startFromGap(path: string, form: ReportForm | undefined, progress: Progress): string | undefined {
  if (path === 'lmp_date' || path === 'expected_date') {
    if (!progress.expectedDate) return `'${path}' is only set by an add_expected_date event listed before assign_schedule`;
    if (form?.kind === 'sms' && !LMP_FIELDS.some((f) => form.fields.has(f))) return `add_expected_date finds none of the fields ${LMP_FIELDS.join(', ')} on form '${form.code}', so '${path}' is null`;
    return undefined;
  }
  if (path === 'birth_date') return progress.birthDate ? undefined : `'birth_date' is only set by an add_birth_date event listed before assign_schedule`;
  if (path.startsWith('fields.')) {
    const field = path.slice(7).split('.')[0]!;
    return fieldMissing(form, field) ? `form '${form!.code}' has no field '${field}'` : undefined;
  }
  const head = path.split('.')[0]!;
  if (REPORT_PROPERTIES.has(head) || progress.set.has(head) || ['patient', 'place', 'case_id', 'patient_id', 'place_id'].includes(head)) return undefined;
  const asField = form?.kind === 'sms' && form.fields.has(head) ? ` (the form's field is 'fields.${path}')` : '';
  return `a report has no top-level '${head}'${asField}`;
}

function checkEvent(event: unknown, at: Segment[], ctx: WorkflowContext, form: ReportForm | undefined, progress: Progress, schedules: Map<string, any>): WorkflowProblem[] {
  if (!isObject(event)) return [{
    code: 'sms/registration-shape',
    severity: 'error',
    path: at,
    target: 'value',
    message: 'An event must be an object { name, trigger, params, bool_expr }; cht-core fails on this one.',
    hint: '{ "name": "on_create", "trigger": "assign_schedule", "params": "ANC Reminders" }',
  }];
  const problems: WorkflowProblem[] = [];
  const { trigger } = event;
  if (event.name !== 'on_create') {
    problems.push({
      code: 'sms/event-name',
      severity: 'error',
      path: [...at, 'name'],
      target: event.name === undefined ? 'missing' : 'value',
      message: `Event name ${event.name === undefined ? '(missing)' : quote(event.name)} is not 'on_create', the only one cht-core runs; this ${quote(trigger)} event is skipped silently.`,
      hint: 'Set "name": "on_create".',
    });
  }
  if (typeof trigger !== 'string' || !TRIGGERS.includes(trigger)) {
    const suggestion = typeof trigger === 'string' ? didYouMean(trigger, TRIGGERS) : undefined;
    problems.push({
      code: 'sms/unknown-trigger',
      severity: 'error',
      path: [...at, 'trigger'],
      target: trigger === undefined ? 'missing' : 'value',
      message: `Trigger ${trigger === undefined ? '(missing)' : quote(trigger)} is not one cht-core knows; the event is skipped silently.`,
      hint: `Triggers: ${TRIGGERS.filter((t) => t !== 'add_patient_id').join(', ')}.`,
      ...(suggestion ? { suggestion: `'${suggestion}'` } : {}),
    });
    return problems;
  }
  if (trigger === 'add_patient_id') {
    problems.push({
      code: 'sms/deprecated-trigger',
      severity: 'warning',
      path: [...at, 'trigger'],
      target: 'value',
      message: "Trigger 'add_patient_id' is a deprecated alias of 'add_patient' (cht-core logs a warning each time it runs).",
      hint: "Use 'add_patient'.",
      suggestion: "'add_patient'",
    });
  }
  problems.push(...checkBoolExpr(event.bool_expr, [...at, 'bool_expr'], `the ${trigger} trigger fires`));
  const paramsPath = [...at, 'params'];
  // Where to point for the params as a whole: the value, or the event that lacks it.
  const whole: [Segment[], WorkflowProblem['target']] = [paramsPath, event.params === undefined ? 'missing' : 'value'];
  const parsed = parseTriggerParams(event.params);
  if (parsed.error) {
    // What the transition's start-up rejects (params, contact types) is registration-init.ts's report.
    return problems;
  }
  const params: any = parsed.value;
  if (trigger === 'add_patient' || trigger === 'add_patient_id') {
    const nameField = Array.isArray(params) && params[0] ? params[0] : params.patient_name_field || 'patient_name';
    if (typeof nameField === 'string' && fieldMissing(form, nameField)) {
      problems.push({
        code: 'sms/trigger-field-missing',
        severity: 'warning',
        path: whole[0],
        target: whole[1],
        message: `add_patient names the new patient from the field '${nameField}', which form '${form.code}' does not have: every patient it creates has no name.`,
        hint: 'Add the field, or set params.patient_name_field to the field holding the name.',
      });
    }
    for (const key of ['patient_id_field', 'parent_id'] as const) {
      const field = params[key];
      if (typeof field === 'string' && field !== 'patient_id' && fieldMissing(form, field)) {
        const outcome = key === 'parent_id' ? 'parent_field_not_provided' : 'no_provided_patient_id';
        problems.push({
          code: 'sms/trigger-field-missing',
          severity: 'error',
          path: [...paramsPath, key],
          target: 'value',
          message: `params.${key} names the field '${field}', which form '${form.code}' does not have: every registration is rejected with ${outcome}.`,
          hint: `Fields of ${form!.code}: ${[...form.fields.keys()].join(', ')}.`,
        });
      }
    }
  } else if (trigger === 'add_place') {
    const nameField = Array.isArray(params) && params[0] ? params[0] : params.place_name_field || 'place_name';
    if (typeof nameField === 'string' && fieldMissing(form, nameField)) {
      problems.push({
        code: 'sms/trigger-field-missing',
        severity: 'warning',
        path: whole[0],
        target: whole[1],
        message: `add_place names the new place from the field '${nameField}', which form '${form.code}' does not have: every place it creates has no name.`,
        hint: 'Add the field, or set params.place_name_field.',
      });
    }
  } else if (trigger === 'add_expected_date') {
    progress.expectedDate = true;
    if (form?.kind === 'sms' && !LMP_FIELDS.some((f) => form.fields.has(f))) {
      problems.push({
        code: 'sms/trigger-field-missing',
        severity: 'warning',
        path: [...at, 'trigger'],
        target: 'value',
        message: `add_expected_date reads the first of ${LMP_FIELDS.join(', ')}, and form '${form.code}' has none: lmp_date and expected_date are always null.`,
        hint: 'Rename the LMP field to one of those names.',
      });
    }
  } else if (trigger === 'add_birth_date') {
    progress.birthDate = true;
    if (form?.kind === 'sms' && !DOB_FIELDS.some((f) => form.fields.has(f))) {
      problems.push({
        code: 'sms/trigger-field-missing',
        severity: 'warning',
        path: [...at, 'trigger'],
        target: 'value',
        message: `add_birth_date reads an age field (${DOB_FIELDS.join(', ')}), and form '${form.code}' has none: birth_date is always the report's date.`,
        hint: 'Rename the age field to one of those names.',
      });
    }
  } else if (trigger === 'assign_schedule' || trigger === 'clear_schedule') {
    if (event.params && Array.isArray(params)) problems.push(...scheduleParams(trigger, params, paramsPath, event.params, ctx, form, progress, schedules));
  } else if (trigger === 'add_case') {
    progress.set.add('case_id');
  }
  if (trigger === 'add_patient' || trigger === 'add_patient_id') progress.set.add('patient_id');
  return problems;
}

function scheduleParams(trigger: string, names: unknown[], path: Segment[], raw: unknown, ctx: WorkflowContext, form: ReportForm | undefined, progress: Progress, schedules: Map<string, any>): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const at = (i: number): Segment[] => (Array.isArray(raw) ? [...path, i] : path);
  names.forEach((name, i) => {
    if (typeof name !== 'string') return;
    const lookup = trigger === 'clear_schedule' ? name.trim() : name;
    const schedule = schedules.get(lookup);
    if (!schedule) {
      const trimmed = trigger === 'assign_schedule' && schedules.has(name.trim());
      const suggestion = trimmed ? `'${name.trim()}'` : (() => { const s = didYouMean(lookup, schedules.keys()); return s ? `'${s}'` : undefined; })();
      problems.push({
        code: 'sms/unknown-schedule',
        severity: 'error',
        path: at(i),
        target: 'value',
        message: trimmed
          ? `${trigger} looks for a schedule named '${name}' (with the spaces: cht-core splits on ',' without trimming), and there is none, so nothing is ever scheduled.`
          : `${trigger} names the schedule '${lookup}', which schedules does not define; cht-core ${trigger === 'assign_schedule' ? 'schedules nothing' : 'clears nothing'}, silently.`,
        hint: trimmed ? 'Remove the spaces after the commas, or give params as an array.' : `Schedules: ${[...schedules.keys()].join(', ') || '(none)'}.`,
        ...(suggestion ? { suggestion } : {}),
      });
      return;
    }
    if (trigger !== 'assign_schedule') return;
    const start = schedule.start_from;
    if (start === undefined && !atLeast(ctx.core, 4, 5)) {
      problems.push({
        code: 'sms/schedule-start-unset',
        severity: 'error',
        path: at(i),
        target: 'value',
        message: `Schedule '${name}' has no start_from, which cht-core before 4.5 requires: nothing is ever scheduled.`,
        hint: `Set start_from (e.g. "reported_date"). ${describeCoreVersion(ctx.core)}.`,
      });
      return;
    }
    const paths: unknown[] = start === undefined ? ['reported_date'] : Array.isArray(start) ? start : [start];
    const strings = paths.filter((p): p is string => typeof p === 'string');
    if (strings.length === 0 || (Array.isArray(start) && !atLeast(ctx.core, 4, 5))) return;
    const gaps = strings.map((p) => startFromGap(p, form, progress));
    if (gaps.every((g) => g !== undefined)) {
      problems.push({
        code: 'sms/schedule-start-unset',
        severity: 'error',
        path: at(i),
        target: 'value',
        message: `Schedule '${name}' starts from ${strings.map((s) => `'${s}'`).join(' or ')}, which is not set when this assign_schedule runs for form '${form?.code ?? '?'}' (${gaps[0]}): nothing is scheduled, and the registration is never retried.`,
        hint: 'List add_expected_date / add_birth_date before assign_schedule, or start the schedule from a path the report has.',
      });
    }
  });
  return problems;
}

export const checkRegistrations: SectionCheck = (ctx) => {
  const value = ctx.settings.registrations;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    return [{
      code: 'sms/registration-shape',
      severity: 'error',
      path: ['registrations'],
      target: 'value',
      message: 'registrations must be an array; cht-core fails on anything else and, with the registration transition enabled, runs no transition at all.',
      hint: 'Write "registrations": [ { "form": …, "events": [ … ], "messages": [ … ] } ].',
    }];
  }
  const forms = formIndex(ctx);
  const schedules = new Map<string, any>();
  if (Array.isArray(ctx.settings.schedules)) for (const s of ctx.settings.schedules) if (isObject(s) && typeof s.name === 'string') schedules.set(s.name, s);
  const problems: WorkflowProblem[] = [];
  value.forEach((reg: unknown, r: number) => {
    const at: Segment[] = ['registrations', r];
    if (!isObject(reg)) {
      problems.push({
        code: 'sms/registration-shape',
        severity: 'error',
        path: at,
        target: 'value',
        message: 'A registration must be an object { form, events, validations, messages }.',
        hint: 'See the CHT docs on registrations.',
      });
      return;
    }
    let form: ReportForm | undefined;
    if (typeof reg.form !== 'string' || reg.form === '') {
      problems.push({
        code: 'sms/unknown-form',
        severity: 'error',
        path: [...at, 'form'],
        target: reg.form === undefined ? 'missing' : 'value',
        message: `This registration has no form code (${quote(reg.form)}); it never matches a report.`,
        hint: 'Set form to an SMS form code or an app form id (or remove the entry, if it is the template\'s empty placeholder).',
      });
      // Nothing else of a registration that never matches runs (the empty placeholder of older config templates):
      // its events, validations and messages are checked once it names a form.
      return;
    } else {
      form = forms.anyCase(reg.form);
      const suggestion = form ? undefined : didYouMean(reg.form, forms.known ? forms.codes() : forms.smsCodes());
      if (!form && (forms.known || suggestion)) {
        problems.push({
          code: 'sms/unknown-form',
          severity: 'error',
          path: [...at, 'form'],
          target: 'value',
          message: `Registration form '${reg.form}' is neither an SMS form (forms) nor an app form of this project; the registration never runs.`,
          hint: `Forms: ${forms.codes().join(', ')}.`,
          ...(suggestion ? { suggestion: `'${suggestion}'` } : {}),
        });
      }
    }
    const progress: Progress = { expectedDate: false, birthDate: false, set: new Set() };
    if (reg.events !== undefined && !Array.isArray(reg.events)) {
      problems.push({
        code: 'sms/registration-shape',
        severity: 'error',
        path: [...at, 'events'],
        target: 'value',
        message: 'events must be an array of { name, trigger, params } objects; cht-core fails on anything else.',
        hint: '"events": [ { "name": "on_create", "trigger": "add_patient" } ]',
      });
    } else {
      (reg.events ?? []).forEach((event: unknown, e: number) => problems.push(...checkEvent(event, [...at, 'events', e], ctx, form, progress, schedules)));
    }
    problems.push(...checkValidations(reg.validations, [...at, 'validations'], ctx, form));
    problems.push(...checkReportMessages(reg.messages, [...at, 'messages'], ctx, form, REGISTRATION_EVENT_TYPES, true));
  });
  return problems;
};

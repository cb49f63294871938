import { describe, expect, it } from 'vitest';
import { checkRegistrations, parseTriggerParams } from '../../../src/schema/workflows/registrations.js';
import { workflowContext } from './context.js';

const CONTACT_TYPES = [
  { id: 'health_center' },
  { id: 'clinic', parents: ['health_center'] },
  { id: 'person', person: true, parents: ['clinic'] },
];
const FORMS = {
  P: { meta: { code: 'P' }, fields: { patient_name: { type: 'string' }, lmp: { type: 'integer' } } },
  V: { meta: { code: 'V' }, fields: { patient_id: { type: 'string' } } },
};
const SCHEDULES = [{ name: 'ANC Reminders', start_from: 'lmp_date', messages: [] }, { name: 'Visit', messages: [] }];

function run(registrations: unknown, extra: Record<string, unknown> = {}, core?: string, appForms = ['pregnancy']): string[] {
  const ctx = workflowContext({ contact_types: CONTACT_TYPES, forms: FORMS, schedules: SCHEDULES, registrations, ...extra }, { core, appForms, translations: { en: { 'p.ok': 'Thanks {{patient_name}}' } } });
  return checkRegistrations(ctx).map((p) => `${p.severity} ${p.code} ${p.path.join('.')}`);
}

const ev = (trigger: string, params?: unknown) => ({ name: 'on_create', trigger, ...(params !== undefined ? { params } : {}) });
const pregnancy = (events: unknown[], more: Record<string, unknown> = {}) => [{ form: 'P', events, messages: [{ translation_key: 'p.ok', recipient: 'reporting_unit' }], ...more }];

describe('registrations', () => {
  it('an entry without a form (the empty placeholder of older config templates) is said once: nothing else of it runs', () => {
    // As KiharaSimon/lwala-config keeps it: its validations and messages would each have been an error.
    const placeholder = { form: '', fields: [{ field_name: '', title: '' }], help: '', events: [{ name: 'on_create', trigger: 'assign_schedule', params: '', bool_expr: '' }],
      validations: { join_responses: false, list: [{ property: '', rule: '', message: [{ content: '', locale: '' }, { locale: 'en', content: null }] }] },
      messages: [{ message: [{ content: '', locale: '' }, { locale: 'en', content: null }], recipient: '' }] };
    expect(run([placeholder])).toEqual(['error sms/unknown-form registrations.0.form']);
  });

  it('accepts a realistic pregnancy registration', () => {
    expect(run(pregnancy([ev('add_patient'), ev('add_expected_date'), ev('assign_schedule', 'ANC Reminders')]))).toEqual([]);
    // The form matches case-insensitively; app forms count; params may be an array.
    expect(run([{ form: 'p', events: [ev('add_patient'), ev('add_expected_date'), ev('assign_schedule', ['ANC Reminders', 'Visit'])] }])).toEqual([]);
    expect(run([{ form: 'pregnancy', events: [ev('add_patient'), ev('assign_schedule', 'Visit')] }])).toEqual([]);
  });

  it('forms that do not exist', () => {
    expect(run([{ form: 'PX', events: [] }])).toEqual(['error sms/unknown-form registrations.0.form']);
    // Without app forms in the project (they may live elsewhere) only near-misses of SMS codes are reported.
    expect(run([{ form: 'delivery', events: [] }], {}, undefined, [])).toEqual([]);
    expect(run([{ form: 'PX', events: [] }], {}, undefined, [])).toEqual(['error sms/unknown-form registrations.0.form']);
  });

  it('events: name, trigger, deprecated alias', () => {
    expect(run(pregnancy([{ name: 'on_update', trigger: 'add_patient' }]))).toEqual(['error sms/event-name registrations.0.events.0.name']);
    expect(run(pregnancy([ev('add_patients')]))).toEqual(['error sms/unknown-trigger registrations.0.events.0.trigger']);
    expect(run(pregnancy([ev('add_patient_id')]))).toEqual(['warning sms/deprecated-trigger registrations.0.events.0.trigger']);
  });

  it('leaves params that stop every transition at start-up to registration-init (one report per problem)', () => {
    expect(run(pregnancy([ev('add_patient', '{"contact_type": "person"')]))).toEqual([]);
    expect(run(pregnancy([ev('add_patient', { contact_type: 'clinic' })]))).toEqual([]);
    expect(run(pregnancy([ev('add_place')]))).toEqual(['warning sms/trigger-field-missing registrations.0.events.0.params']);
    expect(run(pregnancy([ev('assign_schedule')]))).toEqual([]);
    expect(run(pregnancy([ev('assign_schedule', { name: 'Visit' })]))).toEqual([]);
  });

  it('schedule names: exact for assign (untrimmed), trimmed for clear', () => {
    expect(run(pregnancy([ev('add_expected_date'), ev('assign_schedule', 'Visit, ANC Reminders')]))).toEqual(['error sms/unknown-schedule registrations.0.events.1.params']);
    expect(run(pregnancy([ev('clear_schedule', 'Visit, ANC Reminders')]))).toEqual([]);
    expect(run(pregnancy([ev('assign_schedule', 'ANC reminders')]))).toEqual(['error sms/unknown-schedule registrations.0.events.0.params']);
  });

  it('start_from must be set when assign_schedule runs', () => {
    expect(run(pregnancy([ev('assign_schedule', 'ANC Reminders'), ev('add_expected_date')]))).toEqual(['error sms/schedule-start-unset registrations.0.events.0.params']);
    const noLmp = { ...FORMS, P: { meta: { code: 'P' }, fields: { patient_name: { type: 'string' } } } };
    expect(run(pregnancy([ev('add_expected_date'), ev('assign_schedule', 'ANC Reminders')]), { forms: noLmp })).toEqual([
      'warning sms/trigger-field-missing registrations.0.events.0.trigger',
      'error sms/schedule-start-unset registrations.0.events.1.params',
    ]);
    const fieldStart = [{ name: 'Visit', start_from: 'fields.visit_date', messages: [] }];
    expect(run(pregnancy([ev('assign_schedule', 'Visit')]), { schedules: fieldStart })).toEqual(['error sms/schedule-start-unset registrations.0.events.0.params']);
    // An array (4.5+) works when any of its paths is set.
    const arrayStart = [{ name: 'Visit', start_from: ['fields.visit_date', 'reported_date'], messages: [] }];
    expect(run(pregnancy([ev('assign_schedule', 'Visit')]), { schedules: arrayStart })).toEqual([]);
  });

  it('fields the triggers read', () => {
    expect(run(pregnancy([ev('add_patient', { patient_name_field: 'name' })]))).toEqual(['warning sms/trigger-field-missing registrations.0.events.0.params']);
    expect(run(pregnancy([ev('add_patient', { parent_id: 'clinic_id' })]))).toEqual(['error sms/trigger-field-missing registrations.0.events.0.params.parent_id']);
  });

  it('messages: event types, plural arrays, recipients, bool_expr', () => {
    expect(run(pregnancy([], { messages: [{ event_type: 'report_acepted', translation_key: 'p.ok' }] }))).toEqual(['error sms/unknown-event-type registrations.0.messages.0.event_type']);
    expect(run(pregnancy([], { messages: [{ messages: [{ locale: 'en', content: 'Thanks' }] }] }))).toEqual(['error sms/message-plural registrations.0.messages.0.messages']);
    expect(run(pregnancy([], { messages: [{ translation_key: 'p.ok', recipient: 'supervisor' }] }))).toEqual(['warning sms/unknown-recipient registrations.0.messages.0.recipient']);
    expect(run(pregnancy([{ ...ev('add_patient'), bool_expr: 'doc.fields.lmp >' }]))).toEqual(['error sms/bool-expr registrations.0.events.0.bool_expr']);
  });

  it('a non-array registrations', () => {
    expect(run({ form: 'P' })).toEqual(['error sms/registration-shape registrations']);
  });
});

describe('parseTriggerParams', () => {
  it('reads params as cht-core does', () => {
    expect(parseTriggerParams('A, B').value).toEqual(['A', ' B']);
    expect(parseTriggerParams(' {"a": 1}').value).toEqual({ a: 1 });
    expect(parseTriggerParams('').value).toEqual({});
    expect(parseTriggerParams('[1,').error).toContain('does not parse');
    expect(parseTriggerParams(3).error).toBeDefined();
  });
});

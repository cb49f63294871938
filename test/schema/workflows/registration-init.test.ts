import { describe, expect, it } from 'vitest';
import type { WorkflowProblem } from '../../../src/schema/workflows/context.js';
import { checkRegistrationInit } from '../../../src/schema/workflows/registration-init.js';
import { workflowContext } from './context.js';

const TYPES = [{ id: 'clinic' }, { id: 'person', person: true, parents: ['clinic'] }, { id: 'chw_area', parents: [] }];
const run = (events: unknown[], extra: Record<string, unknown> = {}) =>
  checkRegistrationInit(workflowContext({ transitions: { registration: true }, contact_types: TYPES, registrations: [{ form: 'P', events }], ...extra }));
const brief = (ps: WorkflowProblem[]) => ps.map((p) => `${p.severity} ${p.code} ${p.path.join('.')}`);
const ev = (trigger: string, params?: unknown) => ({ name: 'on_create', trigger, params });

describe('registration start-up (init) errors', () => {
  it('accepts what init accepts', () => {
    expect(
      run([
        ev('add_patient'),
        ev('add_patient', '{"patient_id_field": "external_id", "contact_type": "person"}'),
        ev('add_place', { contact_type: 'chw_area' }),
        ev('assign_schedule', 'ANC Reminders,PNC'),
        ev('clear_schedule', ['ANC Reminders']),
        ev('add_expected_date', 'ignored'),
      ]),
    ).toEqual([]);
  });

  it('rejects params that do not parse', () => {
    const ps = run([ev('add_patient', '{"contact_type": person}')]);
    expect(brief(ps)).toEqual(['error sms/registration-init registrations.0.events.0.params']);
    expect(ps[0]?.message).toContain('every registration, auto-reply');
    expect(brief(run([ev('add_patient', 5)]))).toEqual(['error sms/registration-init registrations.0.events.0.params']);
  });

  it('checks add_patient: patient_id_field and a person contact type', () => {
    expect(brief(run([ev('add_patient', { patient_id_field: 'patient_id' })]))).toEqual(['error sms/registration-init registrations.0.events.0.params.patient_id_field']);
    expect(brief(run([ev('add_patient', { contact_type: 'clinic' })]))).toEqual(['error sms/registration-init registrations.0.events.0.params.contact_type']);
    expect(brief(run([ev('add_patient', { contact_type: 'patient' })]))).toEqual(['error sms/registration-init registrations.0.events.0.params.contact_type']);
    // Without contact_types even the default 'person' is unknown to init.
    expect(brief(run([ev('add_patient')], { contact_types: undefined }))).toEqual(['error sms/registration-init registrations.0.events.0.trigger']);
  });

  it('checks add_place: a place contact type is required', () => {
    expect(brief(run([ev('add_place')]))).toEqual(['error sms/registration-init registrations.0.events.0.params']);
    expect(brief(run([ev('add_place', { contact_type: 'person' })]))).toEqual(['error sms/registration-init registrations.0.events.0.params.contact_type']);
  });

  it('checks assign/clear_schedule params', () => {
    expect(brief(run([ev('assign_schedule')]))).toEqual(['error sms/registration-init registrations.0.events.0.params']);
    expect(brief(run([ev('clear_schedule', { name: 'ANC' })]))).toEqual(['error sms/registration-init registrations.0.events.0.params']);
  });

  it('rejects events that are not an array, and nothing when the transition is off', () => {
    expect(brief(run({} as unknown as unknown[]))).toEqual(['error sms/registration-init registrations.0.events']);
    expect(checkRegistrationInit(workflowContext({ transitions: { registration: false }, registrations: [{ form: 'P', events: [ev('add_place')] }] }))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { checkPatientReports, readDuration } from '../../../src/schema/workflows/patient-reports.js';
import { workflowContext } from './context.js';

const FORMS = {
  V: { meta: { code: 'V' }, fields: { patient_id: { type: 'string' } } },
  N: { meta: { code: 'N' }, fields: { note: { type: 'string' } } },
  C: { meta: { code: 'C' }, fields: { case_id: { type: 'string' } } },
};
const SCHEDULES = [{ name: 'ANC Reminders', messages: [] }, { name: 'Visit', messages: [] }];
const accepted = [{ event_type: 'report_accepted', translation_key: 'v.ok' }];

function run(value: unknown, key: 'patient_reports' | 'accept_case_reports' = 'patient_reports'): string[] {
  const ctx = workflowContext({ forms: FORMS, schedules: SCHEDULES, [key]: value }, { appForms: ['pnc_visit'], translations: { en: { 'v.ok': 'Visit recorded' } } });
  return checkPatientReports(ctx).map((p) => `${p.severity} ${p.code} ${p.path.join('.')}`);
}

describe('patient_reports and accept_case_reports', () => {
  it('an entry without a form (the empty placeholder of older config templates) is said once: nothing else of it runs', () => {
    const placeholder = { form: '', validations: { list: [{ property: '', rule: '', message: [{ locale: 'en', content: null }] }] }, messages: [{ message: [{ locale: 'en', content: null }], recipient: '' }] };
    expect(run([placeholder])).toEqual(['error sms/unknown-form patient_reports.0.form']);
  });

  it('accepts a realistic visit report', () => {
    expect(run([{ form: 'V', silence_type: 'ANC Reminders, Visit', silence_for: '8 days', messages: accepted }])).toEqual([]);
    expect(run([{ form: 'pnc_visit', messages: [] }])).toEqual([]);
    expect(run([{ form: 'C' }], 'accept_case_reports')).toEqual([]);
  });

  it('forms match exactly', () => {
    expect(run([{ form: 'v', messages: accepted }])).toEqual(['error sms/unknown-form patient_reports.0.form']);
    expect(run([{ form: 'X', messages: accepted }])).toEqual(['error sms/unknown-form patient_reports.0.form']);
  });

  it('an SMS form without a subject field', () => {
    expect(run([{ form: 'N', messages: accepted }])).toEqual(['error sms/patient-report-no-subject patient_reports.0.form']);
    expect(run([{ form: 'V', messages: accepted }], 'accept_case_reports')).toEqual(['error sms/patient-report-no-subject accept_case_reports.0.form']);
  });

  it('messages are required and need event_type report_accepted', () => {
    expect(run([{ form: 'V' }])).toEqual(['error sms/patient-report-no-messages patient_reports.0.messages']);
    expect(run([{ form: 'V', messages: [{ translation_key: 'v.ok' }] }])).toEqual(['error sms/unknown-event-type patient_reports.0.messages.0.event_type']);
  });

  it('events are not run for patient reports', () => {
    expect(run([{ form: 'V', messages: accepted, events: [{ name: 'on_create', trigger: 'assign_schedule', params: 'Visit' }] }])).toEqual(['error sms/patient-report-events patient_reports.0.events']);
  });

  it('silence_type names schedules; silence_for parses', () => {
    expect(run([{ form: 'V', silence_type: 'ANC Reminder', messages: accepted }])).toEqual(['error sms/unknown-schedule patient_reports.0.silence_type']);
    expect(run([{ form: 'V', silence_type: ['Visit'], messages: accepted }])).toEqual(['error sms/silence-type patient_reports.0.silence_type']);
    expect(run([{ form: 'V', silence_type: 'Visit', silence_for: '2weeks', messages: accepted }])).toEqual(['error sms/silence-for patient_reports.0.silence_for']);
    expect(run([{ form: 'V', silence_for: '2 weeks', messages: accepted }])).toEqual(['warning sms/silence-type patient_reports.0.silence_for']);
  });

  it('readDuration follows date.getDuration', () => {
    expect(readDuration('8 days')).toBe('exact');
    expect(readDuration('1 month')).toBe('exact');
    expect(readDuration('2weeks')).toBe('none');
    expect(readDuration('2 Weeks')).toBe('none');
    expect(readDuration('2 weeks 3 days')).toBe('loose');
  });
});

import { describe, expect, it } from 'vitest';
import { checkSchedules, readOffset } from '../../../src/schema/workflows/schedules.js';
import { workflowContext } from './context.js';

const FORMS = { P: { meta: { code: 'P' }, fields: { patient_name: { type: 'string' }, lmp: { type: 'integer' }, chw_phone: { type: 'phone_number' } } } };
const REGISTRATIONS = [{ form: 'P', events: [{ name: 'on_create', trigger: 'add_expected_date' }, { name: 'on_create', trigger: 'assign_schedule', params: 'ANC Reminders' }] }];
const msg = (more: Record<string, unknown> = {}) => ({ translation_key: 'anc.visit', group: 1, offset: '12 weeks', send_time: '09:00', recipient: 'reporting_unit', ...more });

function run(schedules: unknown, registrations: unknown = REGISTRATIONS): string[] {
  const ctx = workflowContext({ forms: FORMS, registrations, schedules, contact_types: [{ id: 'clinic' }, { id: 'person', person: true, parents: ['clinic'] }] }, { translations: { en: { 'anc.visit': 'Please visit the clinic with {{patient_name}}' } } });
  return checkSchedules(ctx).map((p) => `${p.severity} ${p.code} ${p.path.join('.')}`);
}
const anc = (messages: unknown[], more: Record<string, unknown> = {}) => [{ name: 'ANC Reminders', start_from: 'lmp_date', messages, ...more }];

describe('schedules', () => {
  it('accepts a realistic ANC schedule', () => {
    expect(run(anc([msg(), msg({ group: 2, offset: '16 weeks', send_day: 'Monday', recipient: 'chw_phone' }), msg({ group: 3, offset: '-4 weeks', send_time: '08:30 +03:00' })]))).toEqual([]);
  });

  it('offsets as getOffset reads them', () => {
    expect(run(anc([msg({ offset: '12weeks' })]))).toEqual(['error sms/schedule-offset schedules.0.messages.0.offset']);
    expect(run(anc([msg({ offset: '0' })]))).toEqual(['error sms/schedule-offset schedules.0.messages.0.offset']);
    expect(run(anc([msg({ offset: '12 Weeks' })]))).toEqual(['error sms/schedule-offset schedules.0.messages.0.offset']);
    expect(run(anc([msg({ offset: 84 })]))).toEqual(['error sms/schedule-offset schedules.0.messages.0.offset']);
    expect(run(anc([msg({ offset: '12 weeks 3 days' })]))).toEqual(['warning sms/schedule-offset schedules.0.messages.0.offset']);
    expect(readOffset('-4 weeks')).toEqual({ kind: 'exact', days: -28 });
  });

  it('send_time, send_day, group', () => {
    expect(run(anc([msg({ send_time: '9am' })]))).toEqual(['warning sms/schedule-send-time schedules.0.messages.0.send_time']);
    expect(run(anc([msg({ send_time: '09:00 EAT' })]))).toEqual(['warning sms/schedule-send-time schedules.0.messages.0.send_time']);
    expect(run(anc([msg({ send_day: 'Lundi' })]))).toEqual(['warning sms/schedule-send-day schedules.0.messages.0.send_day']);
    expect(run(anc([msg({ group: undefined })]))).toEqual(['warning sms/schedule-group schedules.0.messages.0.group']);
    expect(run(anc([msg({ group: '1' })]))).toEqual(['warning sms/schedule-group schedules.0.messages.0.group']);
  });

  it('names: duplicates, never assigned', () => {
    expect(run([...anc([msg()]), ...anc([msg()])])).toEqual(['error sms/duplicate-schedule schedules.0.name']);
    expect(run([...anc([msg()]), { name: 'PNC', messages: [msg()] }])).toEqual(['warning sms/schedule-never-assigned schedules.1.name']);
  });

  it('text and recipients', () => {
    expect(run(anc([msg({ translation_key: undefined })]))).toEqual(['error sms/message-no-text schedules.0.messages.0.translation_key']);
    expect(run(anc([msg({ translation_key: 'messages.anc.visit' })]))).toEqual(['error sms/unknown-translation-key schedules.0.messages.0.translation_key']);
    expect(run(anc([msg({ translation_key: undefined, messages: [{ locale: 'en', content: 'Visit {{patient name}}' }] })]))).toEqual(['warning sms/placeholder-renders-empty schedules.0.messages.0.messages.0.content']);
    expect(run(anc([msg({ recipient: 'ancestor:health_centre' })]))).toEqual(['warning sms/unknown-recipient schedules.0.messages.0.recipient']);
    expect(run(anc([msg({ recipient: 'health_center' })]))).toEqual(['warning sms/recipient-never-matches schedules.0.messages.0.recipient']);
  });

  it('messages already past when the report arrives', () => {
    const fromReport = [{ name: 'ANC Reminders', messages: [msg({ offset: '0 days', send_time: undefined })] }];
    const regs = [{ form: 'P', events: [{ name: 'on_create', trigger: 'assign_schedule', params: 'ANC Reminders' }] }];
    expect(run(fromReport, regs)).toEqual(['warning sms/schedule-message-past schedules.0.messages.0.offset']);
    expect(run([{ name: 'ANC Reminders', messages: [msg({ offset: '0 days' })] }], regs)).toEqual([]);
    expect(run([{ name: 'ANC Reminders', messages: [msg({ offset: '-1 day' })] }], regs)).toEqual(['warning sms/schedule-message-past schedules.0.messages.0.offset']);
  });
});

/** Settings of any shape give diagnostics, never exceptions (the SMS message sections). */
import { describe, expect, it } from 'vitest';
import { checkPatientReports } from '../../../src/schema/workflows/patient-reports.js';
import { checkRegistrations } from '../../../src/schema/workflows/registrations.js';
import { checkSchedules } from '../../../src/schema/workflows/schedules.js';
import { workflowContext } from './context.js';

const ODD = [null, 0, 1, '', 'x', true, [], {}, [null], { list: 5 }, [{}], { a: [1, { b: null }] }];

describe('odd shapes', () => {
  it('never throws, whatever the shape of each value', () => {
    for (const v of ODD) {
      const settings = {
        forms: v,
        contact_types: v,
        registrations: [v, { form: v, events: v, validations: v, messages: v }, { form: 'P', events: [v, { name: v, trigger: 'add_patient', params: v, bool_expr: v }, { name: 'on_create', trigger: 'assign_schedule', params: v }], validations: { list: [v, { property: v, rule: v, translation_key: v, message: v }] }, messages: [v, { event_type: v, message: v, messages: v, recipient: v, translation_key: v }] }],
        patient_reports: [v, { form: v, silence_type: v, silence_for: v, messages: [v, { event_type: 'report_accepted', message: [v], recipient: v }], validations: v, events: v }],
        accept_case_reports: v,
        schedules: [v, { name: v, start_from: v, start_mid_group: v, messages: [v, { offset: v, send_time: v, send_day: v, group: v, recipient: v, translation_key: v, messages: v }] }],
      };
      const ctx = workflowContext(settings, { translations: { en: { k: '{{a b}}' } } });
      expect(() => [...checkRegistrations(ctx), ...checkPatientReports(ctx), ...checkSchedules(ctx)], JSON.stringify(v)).not.toThrow();
      const top = workflowContext({ registrations: v, patient_reports: v, schedules: v, forms: v });
      expect(() => [...checkRegistrations(top), ...checkPatientReports(top), ...checkSchedules(top)], JSON.stringify(v)).not.toThrow();
    }
  });
});

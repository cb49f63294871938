/* eslint-disable @typescript-eslint/no-explicit-any -- settings of every wrong shape */
import { expect, it } from 'vitest';
import { dryRunMessages } from '../../../src/simulate/messages/index.js';
const weird: unknown[] = [null, 1, 'x', [], {}, [null], [1], ['x'], [{}], { a: 1 }, true, [{ name: 1, messages: 'x', events: 'y', form: 1 }]];
// Bad input is a diagnostic, never an exception: every section in every wrong shape, and docs without dates or fields.
it('dry-run-messages never throws on settings or fixture docs of the wrong shape', () => {
  const docs = [
    { _id: 'c', type: 'person', phone: '+1', parent: { _id: 'c' } },
    { _id: 'r', type: 'data_record', form: 'P', from: '+1', reported_date: 1, fields: { patient_id: 'c' } },
    { _id: 'r2', type: 'data_record', form: 'V', from: '+1', reported_date: 'x', fields: null },
    { _id: 'r3', type: 'data_record', form: 'V', reported_date: 5, errors: 'x' },
  ];
  let n = 0;
  for (const a of weird) for (const b of weird) {
    const settings: any = {
      transitions: { update_clinics: true, registration: true, accept_patient_reports: true },
      forms: { P: { public_form: true }, V: a },
      registrations: [{ form: 'P', events: [{ name: 'on_create', trigger: 'assign_schedule', params: 'S' }, { name: 'on_create', trigger: 'add_expected_date' }, { name: 'on_create', trigger: 'clear_schedule', params: ['S'] }], messages: a }, b],
      patient_reports: [{ form: 'V', messages: a, silence_type: b, silence_for: a }, b],
      schedules: [{ name: 'S', start_from: a, messages: [{ offset: b, group: a, send_time: b, send_day: a, translation_key: b, message: a, recipient: b }, b] }, a],
      outgoing_deny_list: a, outgoing_phone_filters: b, outgoing_phone_replace: a, date_format: a, contact_types: b,
    };
    for (const s of [settings, { ...settings, registrations: a, patient_reports: b, schedules: a, transitions: a }]) {
      try {
        dryRunMessages({ settings: s, translations: new Map(), docs: structuredClone(docs) as any, from: '1970-01-01', to: '2030-01-01', tz: 'UTC' });
      } catch (e) {
        n++;
        if (n < 6) console.log(JSON.stringify([a, b]).slice(0, 200), (e as Error).stack?.split('\n').slice(0, 3).join(' | '));
      }
    }
  }
  expect(n).toBe(0);
});

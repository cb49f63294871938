/**
 * The SMS message checks stay linear in the settings' size: a settings file with 50 registrations (10 rules
 * each), 30 schedules (10 messages each) and 20 patient reports is checked well within validate's budget.
 */
import { describe, expect, it } from 'vitest';
import { checkPatientReports } from '../../../src/schema/workflows/patient-reports.js';
import { checkRegistrations } from '../../../src/schema/workflows/registrations.js';
import { checkSchedules } from '../../../src/schema/workflows/schedules.js';
import { workflowContext } from './context.js';

function bigSettings(seed: number): Record<string, unknown> {
  const forms: Record<string, unknown> = {};
  for (let f = 0; f < 50; f++) forms[`F${f}`] = { meta: { code: `F${f}` }, fields: { ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`field_${i}`, { type: i % 2 ? 'integer' : 'string' }])), patient_id: { type: 'string' }, patient_name: { type: 'string' }, lmp: { type: 'integer' } } };
  const schedules = Array.from({ length: 30 }, (_, s) => ({
    name: `Schedule ${s}`,
    start_from: 'lmp_date',
    messages: Array.from({ length: 10 }, (_, m) => ({ translation_key: `messages.s${s}.m${m}`, group: m, offset: `${m + 1} weeks`, send_time: '09:00', recipient: m % 2 ? 'reporting_unit' : 'ancestor:clinic' })),
  }));
  const registrations = Array.from({ length: 50 }, (_, r) => ({
    form: `F${r}`,
    events: [
      { name: 'on_create', trigger: 'add_patient' },
      { name: 'on_create', trigger: 'add_expected_date' },
      { name: 'on_create', trigger: 'assign_schedule', params: `Schedule ${r % 30}` },
    ],
    validations: { list: Array.from({ length: 10 }, (_, i) => ({ property: `field_${i}`, rule: i % 2 ? `integer && between(0, ${seed + r + i})` : `lenMin(1) && lenMax(${seed + r + i}) && regex('^[a-z ]{${i},}$', 'i')`, translation_key: `messages.v${i}` })) },
    messages: [{ event_type: 'report_accepted', translation_key: 'messages.ok', recipient: 'parent' }],
  }));
  const patient_reports = Array.from({ length: 20 }, (_, p) => ({ form: `F${p}`, silence_type: `Schedule ${p}`, silence_for: '8 days', messages: [{ event_type: 'report_accepted', translation_key: 'messages.ok' }] }));
  return { forms, schedules, registrations, patient_reports, contact_types: [{ id: 'clinic' }, { id: 'person', person: true, parents: ['clinic'] }] };
}

describe('speed', () => {
  it('checks a large SMS configuration in linear time, with no finding on a valid one', () => {
    const keys: Record<string, string> = { 'messages.ok': 'OK' };
    for (let s = 0; s < 30; s++) for (let m = 0; m < 10; m++) keys[`messages.s${s}.m${m}`] = 'Visit {{patient_name}}';
    for (let i = 0; i < 10; i++) keys[`messages.v${i}`] = 'Invalid';
    const run = (seed: number) => {
      // A new seed gives 500 rules never seen before: nothing comes from the parse cache.
      const ctx = workflowContext(bigSettings(seed), { translations: { en: keys } });
      const start = performance.now();
      const problems = [...checkRegistrations(ctx), ...checkPatientReports(ctx), ...checkSchedules(ctx)];
      return { ms: performance.now() - start, problems: problems.map((p) => `${p.code} ${p.path.join('.')}: ${p.message}`) };
    };
    expect(run(0).problems).toEqual([]);
    // The second run measures the checks rather than the JIT warming up; it takes a few milliseconds when the
    // machine is idle. The bound leaves room for a loaded CI machine while still catching quadratic work.
    const second = run(1000);
    expect(second.problems).toEqual([]);
    expect(second.ms).toBeLessThan(60);
  });
});

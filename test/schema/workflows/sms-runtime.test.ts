import { describe, expect, it } from 'vitest';
import type { WorkflowProblem } from '../../../src/schema/workflows/context.js';
import { checkSmsRuntime } from '../../../src/schema/workflows/sms-runtime.js';
import { workflowContext } from './context.js';

const FORMS = { D: { meta: { code: 'D' }, fields: {} }, OFF: { meta: { code: 'OFF' }, fields: {} } };
const run = (settings: Record<string, unknown>) => checkSmsRuntime(workflowContext({ forms: FORMS, ...settings }, { appForms: ['death_report', 'pregnancy'] }));
const brief = (ps: WorkflowProblem[]) => ps.map((p) => `${p.severity} ${p.code} ${p.path.join('.')}`);

describe('death_reporting and muting forms', () => {
  it('matches death_reporting forms exactly', () => {
    const ps = run({ transitions: { death_reporting: true }, death_reporting: { mark_deceased_forms: ['death_report', 'd'], undo_deceased_forms: ['undo'] } });
    expect(brief(ps)).toEqual(['error sms/death-reporting death_reporting.mark_deceased_forms.1', 'error sms/death-reporting death_reporting.undo_deceased_forms.0']);
    expect(ps[0]?.suggestion).toBe("'D'");
  });

  it('matches muting forms case-insensitively', () => {
    expect(run({ transitions: { muting: true }, muting: { mute_forms: ['off'] } })).toEqual([]);
    expect(brief(run({ transitions: { muting: true }, muting: { mute_forms: ['OF'] } }))).toEqual(['error sms/muting muting.mute_forms.0']);
  });

  it('takes the forms of reports the project\'s own scripts create as real', () => {
    const settings = { forms: FORMS, transitions: { muting: true }, muting: { mute_forms: ['trigger_muting'] } };
    expect(brief(checkSmsRuntime(workflowContext(settings, { appForms: ['pregnancy'] })))).toEqual(['error sms/muting muting.mute_forms.0']);
    expect(checkSmsRuntime(workflowContext(settings, { appForms: ['pregnancy'], reportFormsInCode: ['trigger_muting'] }))).toEqual([]);
    // A project whose forms live elsewhere stays unchecked: a script's reports do not make its forms known.
    const formless = { transitions: { muting: true }, muting: { mute_forms: ['elsewhere'] } };
    expect(checkSmsRuntime(workflowContext(formless, { reportFormsInCode: ['trigger_muting'] }))).toEqual([]);
  });

  it('reads nothing of a disabled transition', () => {
    expect(run({ transitions: { death_reporting: false }, death_reporting: { mark_deceased_forms: ['nope'] } })).toEqual([]);
  });

  it('checks self_report and update_clinics entries', () => {
    expect(brief(run({ transitions: { self_report: true }, self_report: { form: 'D' } }))).toEqual(['error sms/self-report self_report']);
    expect(brief(run({ transitions: { update_clinics: true }, update_clinics: [{ form: 'X' }] }))).toEqual(['error sms/update-clinics update_clinics.0.form']);
  });
});

describe('alerts', () => {
  const on = { transitions: { conditional_alerts: true } };
  it('accepts a complete alert', () => {
    expect(run({ ...on, alerts: [{ form: 'D', condition: 'D(0).fields.x > 2', translation_key: 'k', recipient: 'reporting_unit' }] })).toEqual([]);
  });
  it('warns about a placeholder without form', () => {
    expect(brief(run({ ...on, alerts: [{ form: '', condition: '', message: '', recipient: '' }] }))).toEqual(['warning sms/alert alerts.0.form']);
  });
  it('rejects a condition that does not parse, and an alert without text', () => {
    const ps = run({ ...on, alerts: { a: { form: 'D', condition: 'doc.fields.x >', recipient: 'x' } } });
    expect(brief(ps)).toEqual(['error sms/alert-condition alerts.a.condition', 'error sms/alert alerts.a.translation_key']);
  });
});

describe('multi_report_alerts', () => {
  const on = { transitions: { multi_report_alerts: true } };
  const alert = { name: 'a', is_report_counted: 'function(r, l) { return true; }', num_reports_threshold: 3, message: 'm', recipients: ['+254712345678'], time_window_in_days: '7', forms: ['D'] };
  it('accepts a valid alert', () => {
    expect(run({ ...on, multi_report_alerts: [alert] })).toEqual([]);
  });
  it('rejects what fails start-up validation', () => {
    const ps = run({
      ...on,
      multi_report_alerts: [
        { ...alert, message: undefined, translation_key: 'k' },
        { ...alert, name: 'b', num_reports_threshold: 'three' },
        { ...alert, name: 'c', num_reports_threshold: 101, recipients: '+254' },
        alert,
      ],
    });
    expect(brief(ps)).toEqual([
      'error sms/multi-report-alert multi_report_alerts.0.message',
      'error sms/multi-report-alert multi_report_alerts.1.num_reports_threshold',
      'error sms/multi-report-alert multi_report_alerts.2.num_reports_threshold',
      'error sms/multi-report-alert multi_report_alerts.2.recipients',
      'error sms/multi-report-alert multi_report_alerts.3.name',
    ]);
    expect(ps[0]?.message).toContain('message even when translation_key is used');
  });
  it('rejects an is_report_counted that does not compile, and warns about non-array forms', () => {
    expect(brief(run({ ...on, multi_report_alerts: [{ ...alert, is_report_counted: 'function(r) { return r.x = ; }', forms: 'D' }] }))).toEqual([
      'warning sms/multi-report-alert multi_report_alerts.0.forms',
      'error sms/multi-report-alert multi_report_alerts.0.is_report_counted',
    ]);
  });
});

describe('reminders', () => {
  const ok = { form: 'D', translation_key: 'k', text_expression: 'at 8:00 am on Monday', mute_after_form_for: '2 days', contact_types: ['clinic'] };
  it('accepts a complete reminder', () => {
    expect(run({ reminders: [ok] })).toEqual([]);
  });
  it('rejects an incomplete reminder and unknown contact types', () => {
    expect(brief(run({ reminders: [{ form: '', text_expression: '', cron: '', mute_after_form_for: '', message: '' }] }))).toEqual(['error sms/reminder reminders.0.form']);
    expect(brief(run({ reminders: [{ ...ok, contact_types: ['clinc'] }] }))).toEqual(['error sms/reminder reminders.0.contact_types']);
    expect(brief(run({ reminders: [{ ...ok, contact_types: [] }] }))).toEqual(['error sms/reminder reminders.0.contact_types']);
    expect(brief(run({ reminders: { a: ok } }))).toEqual(['error sms/reminder reminders']);
  });
  it('checks the form exactly and mute_after_form_for', () => {
    expect(brief(run({ reminders: [{ ...ok, form: 'd', mute_after_form_for: '1 month' }] }))).toEqual([
      'error sms/reminder reminders.0.form',
      'warning sms/reminder reminders.0.mute_after_form_for',
    ]);
  });
});

describe('notifications', () => {
  it('checks on_form/off_form of update_notifications', () => {
    expect(brief(run({ transitions: { update_notifications: true }, notifications: { on_form: 'ONN', off_form: 'off' } }))).toEqual(['error sms/notifications notifications.on_form']);
    expect(brief(run({ transitions: { update_notifications: true } }))).toEqual(['warning sms/notifications transitions.update_notifications']);
  });
});

describe('reminder schedules (later 1.2.0)', () => {
  const r = { form: 'D', translation_key: 'k' };
  it('warns about a text expression later cannot fully read', () => {
    const ps = run({ reminders: [{ ...r, text_expression: 'every day at 8:00' }] });
    expect(brief(ps)).toEqual(['warning sms/reminder-schedule reminders.0.text_expression']);
    expect(ps[0]?.message).toContain("stops reading at 'day at 8:00'");
  });
  it('warns about a cron later reads differently, and a cron shadowed by a text expression', () => {
    expect(brief(run({ reminders: [{ ...r, cron: '0 8 * * 7' }] }))).toEqual(['warning sms/reminder-schedule reminders.0.cron']);
    expect(brief(run({ reminders: [{ ...r, text_expression: 'at 8:00', cron: '0 8 * * 1' }] }))).toEqual(['warning sms/reminder-schedule reminders.0.cron']);
    expect(run({ reminders: [{ ...r, cron: '0 8 * * MON-FRI' }] })).toEqual([]);
  });
  it('rejects a schedule that is not a text', () => {
    expect(brief(run({ reminders: [{ ...r, text_expression: 8 }] }))).toEqual(['error sms/reminder-schedule reminders.0.text_expression']);
  });
});

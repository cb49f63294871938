import { dryRunMessages, type Json, type MessagesRun } from '../../../src/simulate/messages/index.js';

/** ms of a UTC time written `YYYY-MM-DDTHH:mm`. */
export const at = (iso: string): number => Date.parse(`${iso}:00.000Z`);

export const HC = { _id: 'hc', type: 'health_center', name: 'HC', contact: { _id: 'nurse' } };
export const NURSE = { _id: 'nurse', type: 'person', name: 'Nurse Nia', phone: '+254711000001', parent: { _id: 'hc' } };
export const CHW = { _id: 'chw', type: 'person', name: 'CHW Cate', phone: '+254722000002', parent: { _id: 'hc' } };
export const HH = { _id: 'hh', type: 'clinic', name: 'Household H', parent: { _id: 'hc' }, contact: { _id: 'woman' } };
export const WOMAN = { _id: 'woman', type: 'person', name: 'Wanja', patient_id: '40011', parent: { _id: 'hh', parent: { _id: 'hc' } } };
export const CONTACTS: Json[] = [HC, NURSE, CHW, HH, WOMAN];

/** An SMS report from the CHW about the woman. */
export function sms(id: string, form: string, when: string, fields: Json = {}): Json {
  return { _id: id, type: 'data_record', form, from: CHW.phone, reported_date: at(when), fields: { patient_id: '40011', ...fields } };
}

export const SMS_FORMS = { P: { meta: { code: 'P' }, fields: {} }, V: { meta: { code: 'V' }, fields: {} }, D: { meta: { code: 'D' }, fields: {} } };

/** Settings with registration (form P assigns `schedule`) and accept_patient_reports (form V). */
export function settings(overrides: Json = {}): Json {
  return {
    locale: 'en',
    transitions: { update_clinics: true, registration: true, accept_patient_reports: true },
    forms: SMS_FORMS,
    registrations: [{ form: 'P', events: [{ name: 'on_create', trigger: 'assign_schedule', params: 'S', bool_expr: '' }], messages: [] }],
    patient_reports: [],
    schedules: [],
    ...overrides,
  };
}

export function schedule(messages: Json[], extra: Json = {}): Json {
  return { name: 'S', start_from: 'reported_date', messages, ...extra };
}

export function msg(offset: string, group: number, extra: Json = {}): Json {
  return { message: [{ locale: 'en', content: `${offset} g${group}` }], group, offset, recipient: 'reporting_unit', ...extra };
}

export interface RunOptions {
  from?: string;
  to?: string;
  tz?: string;
  translations?: Record<string, Record<string, string>>;
}

export function run(s: Json, reports: Json[], options: RunOptions = {}, contacts: Json[] = CONTACTS): MessagesRun {
  const translations = new Map(Object.entries(options.translations ?? {}).map(([l, t]) => [l, new Map(Object.entries(t))]));
  return dryRunMessages({
    settings: s,
    translations,
    docs: structuredClone([...contacts, ...reports]),
    from: options.from ?? '2000-01-01',
    to: options.to ?? '2099-12-31',
    tz: options.tz ?? 'UTC',
  });
}

/** The schedule messages of a run, as `<due> <state> <text>` lines (short to compare). */
export function lines(r: MessagesRun): string[] {
  return r.messages.filter((m) => m.kind === 'schedule').map((m) => `${m.due.slice(0, 16)} ${m.state} ${m.text ?? m.error ?? ''}`);
}

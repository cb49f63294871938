/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import { isObject, type WorkflowContext } from './context.js';

/**
 * What the SMS workflow checks know about the form a registration, patient report or schedule is about: an SMS
 * form from `forms` (whose fields are known) or an app form (whose fields are not read here).
 */
export type ReportForm = { kind: 'sms'; code: string; fields: ReadonlyMap<string, string | undefined> } | { kind: 'app'; code: string };

/** The SMS forms by key, built once per check run (never per registration: the lookups stay linear). */
export interface FormIndex {
  /** Exact key match, as patient_reports / accept_case_reports match. */
  exact(code: string): ReportForm | undefined;
  /** Case-insensitive match, as registrations (`isFormCodeSame`) match. */
  anyCase(code: string): ReportForm | undefined;
  /** All form codes, for did-you-mean. */
  codes(): string[];
  /**
   * True when the project's app forms are here (forms/app): only then can a code that is no SMS form be called
   * missing. With none (they may live in another repository) only near-misses of SMS codes are reported.
   */
  known: boolean;
  /** The SMS form codes (forms keys), for did-you-mean when app forms are not known. */
  smsCodes(): string[];
}

const cache = new WeakMap<WorkflowContext, FormIndex>();

/** Field keys of an SMS form with their types; a dotted key `a.b` is also reachable as `a`. */
function smsFields(form: any): Map<string, string | undefined> {
  const fields = new Map<string, string | undefined>();
  if (!isObject(form) || !isObject(form.fields)) return fields;
  for (const [key, field] of Object.entries(form.fields)) {
    const type = isObject(field) && typeof field.type === 'string' ? field.type : undefined;
    fields.set(key, type);
    const dot = key.indexOf('.');
    if (dot > 0 && !fields.has(key.slice(0, dot))) fields.set(key.slice(0, dot), undefined);
  }
  return fields;
}

export function formIndex(ctx: WorkflowContext): FormIndex {
  const hit = cache.get(ctx);
  if (hit) return hit;
  const exact = new Map<string, ReportForm>();
  const lower = new Map<string, ReportForm>();
  const forms = ctx.settings.forms;
  if (isObject(forms)) {
    for (const [code, form] of Object.entries(forms)) {
      const f: ReportForm = { kind: 'sms', code, fields: smsFields(form) };
      exact.set(code, f);
      if (!lower.has(code.toLowerCase())) lower.set(code.toLowerCase(), f);
    }
  }
  const smsCodes = [...exact.keys()];
  const smsMetaCodes = new Set(isObject(forms) ? Object.values(forms).map((f) => (isObject(f) && isObject(f.meta) ? f.meta.code : undefined)) : []);
  let appFormsKnown = false;
  for (const code of ctx.facts.reportForms) {
    if (exact.has(code) || smsMetaCodes.has(code)) continue;
    appFormsKnown = true;
    const f: ReportForm = { kind: 'app', code };
    exact.set(code, f);
    if (!lower.has(code.toLowerCase())) lower.set(code.toLowerCase(), f);
  }
  const index: FormIndex = {
    exact: (code) => exact.get(code),
    anyCase: (code) => exact.get(code) ?? lower.get(code.toLowerCase()),
    codes: () => [...exact.keys()],
    known: appFormsKnown,
    smsCodes: () => smsCodes,
  };
  cache.set(ctx, index);
  return index;
}

/** Properties every report has at the top level (validations and recipients read them next to the fields). */
export const REPORT_PROPERTIES: ReadonlySet<string> = new Set(['_id', 'type', 'form', 'from', 'reported_date', 'sent_timestamp', 'locale', 'contact', 'fields', 'sms_message', 'content_type']);

/** The schedule names, the last definition of each name winning as in cht-core's getScheduleConfig. */
export function scheduleNames(ctx: WorkflowContext): Set<string> {
  const names = new Set<string>();
  const schedules = ctx.settings.schedules;
  if (Array.isArray(schedules)) for (const s of schedules) if (isObject(s) && typeof s.name === 'string') names.add(s.name);
  return names;
}

/** Contact type ids as cht-core knows them: `contact_types` when set, else its four hard-coded types. */
export function contactTypes(ctx: WorkflowContext): { ids: Set<string>; persons: Set<string>; configured: boolean } {
  const configured = Array.isArray(ctx.settings.contact_types);
  if (!configured) return { ids: new Set(['district_hospital', 'health_center', 'clinic', 'person']), persons: new Set(['person']), configured };
  const ids = new Set<string>();
  const persons = new Set<string>();
  for (const t of ctx.settings.contact_types as unknown[]) {
    if (!isObject(t) || typeof t.id !== 'string') continue;
    ids.add(t.id);
    if (t.person === true || t.id === 'person') persons.add(t.id);
  }
  return { ids, persons, configured };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import type { Segment } from '../schema-errors.js';
import { isObject, quote, type SectionCheck, type WorkflowProblem } from './context.js';
import { transitionEnabled } from './sms-common.js';
import { DISABLES_ALL } from './transitions.js';

/**
 * The start-up checks of the registration transition (shared-libs/transitions/src/transitions/registration.js
 * init): each throw there disables every transition, not just registration. Only what init itself rejects is
 * reported here; whether a registration's triggers and fields make sense at runtime is registrations' own check.
 */

type Params = { ok: true; value: any } | { ok: false; why: string };

/** registration.js parseParams: empty → {}, an object as is, a string starting with [ or { as JSON, else split on commas. */
function parseParams(params: unknown): Params {
  if (!params) return { ok: true, value: {} };
  if (typeof params === 'object') return { ok: true, value: params };
  if (typeof params !== 'string') return { ok: false, why: `${quote(params)} is neither text nor an object` };
  const first = params.trim()[0];
  if (first === '[' || first === '{') {
    try {
      return { ok: true, value: JSON.parse(params) };
    } catch (err) {
      return { ok: false, why: `it starts like JSON but does not parse (${err instanceof Error ? err.message : String(err)})` };
    }
  }
  return { ok: true, value: params.split(',') };
}

/** contact-types-utils: only `contact_types` of the settings count here (no hard-coded fallback). */
function contactType(settings: Record<string, any>, id: unknown): Record<string, any> | undefined {
  const types = Array.isArray(settings.contact_types) ? settings.contact_types : [];
  return types.find((t: unknown) => isObject(t) && t.id === id);
}
const isPerson = (t: Record<string, any>): boolean => Boolean(t.person) || t.id === 'person';

export const checkRegistrationInit: SectionCheck = (ctx) => {
  const s = ctx.settings;
  if (!transitionEnabled(s, 'registration') || !Array.isArray(s.registrations)) return [];
  const out: WorkflowProblem[] = [];
  const fail = (path: Segment[], target: WorkflowProblem['target'], what: string, hint: string) =>
    out.push({ code: 'sms/registration-init', severity: 'error', path, target, message: `${what}: the registration transition fails to start, and ${DISABLES_ALL}.`, hint });
  s.registrations.forEach((reg: unknown, r: number) => {
    const at: Segment[] = ['registrations', r];
    if (reg === null || reg === undefined) {
      fail(at, 'value', `registrations[${r}] is ${quote(reg)}`, 'Remove it, or write a registration object.');
      return;
    }
    if (!isObject(reg) || !reg.events) return;
    if (!Array.isArray(reg.events)) {
      fail([...at, 'events'], 'value', `registrations[${r}].events is ${quote(reg.events)}, not an array`, 'Write events as an array of { name, trigger, params }.');
      return;
    }
    const form = typeof reg.form === 'string' ? reg.form : quote(reg.form);
    reg.events.forEach((event: unknown, e: number) => {
      const ev: Segment[] = [...at, 'events', e];
      if (event === null || event === undefined) {
        fail(ev, 'value', `registrations[${r}].events[${e}] is ${quote(event)}`, 'Remove it, or write { name, trigger, params }.');
        return;
      }
      if (!isObject(event)) return;
      const where = `${form}.${String(event.trigger)}`;
      const parsed = parseParams(event.params);
      if (!parsed.ok) {
        fail([...ev, 'params'], 'value', `The params of ${where} cannot be parsed ("Unable to parse params"): ${parsed.why}`, 'Write params as a text list ("a,b"), valid JSON text, or an object.');
        return;
      }
      const params = parsed.value;
      const paramPath = (key: string): Segment[] => (isObject(event.params) ? [...ev, 'params', key] : [...ev, 'params']);
      if (event.trigger === 'add_patient') {
        if (params?.patient_id_field === 'patient_id') {
          fail(paramPath('patient_id_field'), 'value', `${where} sets patient_id_field to 'patient_id', which cht-core forbids`, 'Name the form field that holds the id, e.g. "external_id".');
        }
        const typeId = params?.contact_type || 'person';
        const type = contactType(s, typeId);
        if (!type) {
          fail(
            params?.contact_type ? paramPath('contact_type') : [...ev, 'trigger'],
            'value',
            `${where} would create a contact of type ${quote(typeId)}, which is not in contact_types ("unknown contact type")`,
            params?.contact_type ? 'Name a person type defined in contact_types.' : 'Define a "person" contact type in contact_types, or set params.contact_type to a person type.',
          );
        } else if (!isPerson(type)) {
          fail(paramPath('contact_type'), 'value', `${where} would create a person with the place contact type ${quote(typeId)}`, 'Name a person type (person: true), or use add_place.');
        }
      }
      if (event.trigger === 'assign_schedule' || event.trigger === 'clear_schedule') {
        if (!event.params) {
          fail([...ev, 'params'], event.params === undefined ? 'missing' : 'value', `${where} has no params ("Expecting params to be defined as the name of the schedule(s)")`, 'Set params to the schedule name(s).');
        } else if (!Array.isArray(params)) {
          fail([...ev, 'params'], 'value', `The params of ${where} are not a list of schedule names ("Expecting params to be a string, comma separated list, or an array")`, 'Write "Schedule A,Schedule B" or ["Schedule A", "Schedule B"].');
        }
      }
      if (event.trigger === 'add_place') {
        const typeId = params?.contact_type;
        const type = typeId ? contactType(s, typeId) : undefined;
        if (!typeId) fail([...ev, 'params'], 'value', `${where} has no params.contact_type ("trigger would create a place with an undefined contact type")`, 'Set params to { "contact_type": "<a place type>" }.');
        else if (!type) fail(paramPath('contact_type'), 'value', `${where} would create a place of type ${quote(typeId)}, which is not in contact_types`, 'Name a place type defined in contact_types.');
        else if (isPerson(type)) fail(paramPath('contact_type'), 'value', `${where} would create a place with the person contact type ${quote(typeId)}`, 'Name a place type, or use add_patient.');
      }
    });
  });
  return out;
};

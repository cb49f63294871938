import type { Json } from './types.js';

/**
 * The fixture database as sentinel sees it: contacts hydrated with their lineage (parents, each place's primary
 * contact), reports hydrated with their sender, patient and place, and the registrations of a subject.
 */

const CONTACT_TYPES = new Set(['contact', 'district_hospital', 'health_center', 'clinic', 'person']);

export function isContact(doc: Json): boolean {
  return typeof doc.type === 'string' && CONTACT_TYPES.has(doc.type);
}

export function isReport(doc: Json): boolean {
  return doc.type === 'data_record';
}

export interface FixtureDb {
  contact(id: unknown): Json | undefined;
  /** The contact whose patient_id / place_id (shortcode) or _id is `key`, hydrated. */
  bySubjectKey(key: unknown): Json | undefined;
  /** The first contact with this phone number, hydrated. */
  byPhone(phone: unknown): Json | undefined;
  /** Adds a contact a transition created (add_patient), minified. */
  add(contact: Json): void;
}

export function fixtureDb(docs: readonly Json[]): FixtureDb {
  // Indexes, first contact wins (as a view's first row would): lookups stay constant-time for large caseloads.
  const byId = new Map<string, Json>();
  const byShortcode = new Map<string, Json>();
  const byPhoneNumber = new Map<string, Json>();
  const add = (doc: Json): void => {
    if (typeof doc._id !== 'string' || byId.has(doc._id)) return;
    byId.set(doc._id, doc);
    for (const key of [doc.patient_id, doc.place_id]) if (typeof key === 'string' && key && !byShortcode.has(key)) byShortcode.set(key, doc);
    if (typeof doc.phone === 'string' && doc.phone && !byPhoneNumber.has(doc.phone)) byPhoneNumber.set(doc.phone, doc);
  };
  for (const doc of docs) if (isContact(doc)) add(doc);

  // Hydrating copies, with a depth limit: a cycle in fixture parents must not hang the run.
  const hydrate = (id: unknown, depth = 0): Json | undefined => {
    if (typeof id !== 'string' || depth > 20) return undefined;
    const doc = byId.get(id);
    if (!doc) return undefined;
    const out: Json = { ...doc };
    if (doc.parent && typeof doc.parent === 'object') out.parent = hydrate(doc.parent._id, depth + 1) ?? { ...doc.parent };
    if (doc.contact && typeof doc.contact === 'object' && typeof doc.contact._id === 'string' && doc.contact._id !== doc._id) {
      const primary = byId.get(doc.contact._id);
      out.contact = primary ? { ...primary } : { ...doc.contact };
    }
    return out;
  };
  return {
    contact: (id) => hydrate(id),
    bySubjectKey(key) {
      if (typeof key !== 'string' && typeof key !== 'number') return undefined;
      const k = String(key);
      const found = byShortcode.get(k) ?? byId.get(k);
      return found ? hydrate(found._id) : undefined;
    },
    byPhone(phone) {
      if (typeof phone !== 'string' || !phone) return undefined;
      const found = byPhoneNumber.get(phone);
      return found ? hydrate(found._id) : undefined;
    },
    add,
  };
}

/** The subject ids of a contact, as registration-utils reads them: _id, patient_id, place_id. */
export function contactSubjectIds(contact: Json | undefined): string[] {
  if (!contact) return [];
  return [...new Set(['_id', 'patient_id', 'place_id'].map((k) => contact[k]).filter((v): v is string => typeof v === 'string' && v !== ''))];
}

/** The subject ids of a report: patient_id, patient_uuid, place_id, place_uuid, top-level and in fields. */
export function reportSubjectIds(report: Json): string[] {
  const out: string[] = [];
  for (const key of ['patient_id', 'patient_uuid', 'place_id', 'place_uuid']) {
    if (report[key]) out.push(String(report[key]));
    if (report.fields && typeof report.fields === 'object' && report.fields[key]) out.push(String(report.fields[key]));
  }
  return [...new Set(out)];
}

/** Whether the contact or any ancestor is muted (sentinel keeps the messages of a muted subject as `muted`). */
export function mutedInLineage(contact: Json | undefined): boolean {
  let c = contact;
  for (let depth = 0; c && depth < 20; depth++, c = c.parent) {
    if (c.muted) return true;
  }
  return false;
}

/**
 * A report as sentinel receives it: its sender (`contact`, else — when update_clinics runs, which does this
 * first — the contact with the `from` phone), the patient (fields.patient_id, fields.patient_uuid, patient_id) and
 * the place (fields.place_id, place_id), looked up by shortcode or _id.
 */
export function hydrateReport(report: Json, db: FixtureDb, senderByPhone: boolean): Json {
  const doc: Json = structuredClone(report);
  if (!doc.fields || typeof doc.fields !== 'object') doc.fields = {};
  const sender = doc.contact && typeof doc.contact === 'object' ? db.contact(doc.contact._id) : senderByPhone ? db.byPhone(doc.from) : undefined;
  if (sender) doc.contact = sender;
  const patientKey = doc.fields.patient_id ?? doc.fields.patient_uuid ?? doc.patient_id;
  const patient = patientKey !== undefined ? db.bySubjectKey(patientKey) : undefined;
  if (patient) doc.patient = patient;
  else delete doc.patient;
  const placeKey = doc.fields.place_id ?? doc.place_id;
  const place = placeKey !== undefined ? db.bySubjectKey(placeKey) : undefined;
  if (place) doc.place = place;
  else delete doc.place;
  return doc;
}
